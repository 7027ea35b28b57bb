"""Every page each role can reach, in both languages: no 5xx, no template error, no page
that a link leads to and then refuses, and names rather than codes (see tests/core/crawl.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.core.crawl import crawl
from zhucun.core.permissions import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a download's address promises, as the Content-Type it must answer with (a statement is a workbook).
FILE_TYPES = {".xlsx": XLSX, ".csv": "text/csv", "/statement": XLSX}


def _crawl_as(client, web, world, role: Role, lang: str):
    web(world.username(role))

    def get(url: str) -> tuple[int, str]:
        response = client.get(url, follow_redirects=True)
        return response.status_code, response.text, response.headers.get("content-type", "")

    return crawl(get, lang)


# Both languages on the first backend; on the second, Chinese only: the English crawl runs the
# same queries, so what it adds (the pages' English) does not depend on the SQL dialect.
@pytest.mark.parametrize("lang", ["zh_CN", pytest.param("en", marks=pytest.mark.one_backend)])
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_reachable_page_renders_and_names_what_it_shows(client, web, world, role, lang):
    result = _crawl_as(client, web, world, role, lang)
    # A role whose navigation offers nothing beyond its home page would be a broken account.
    assert len(result.visited) > 1, result.visited
    assert not result.findings, "\n".join(f"{f.url}: {f.problem}" for f in result.findings)
    # Each export a page offers answers its file: a link that then refuses is a broken page.
    for url in result.files:
        response = client.get(url)
        extension = next(e for e in FILE_TYPES if urlsplit(url).path.endswith(e))
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        assert response.headers["content-type"].startswith(FILE_TYPES[extension]), (url, response.headers)


def test_the_crawl_opens_each_lists_first_item_and_its_edit_page(client, web, world):
    from tests.core.crawl import kind_of

    kinds = {kind_of(url.split("?")[0]) for url in _crawl_as(client, web, world, Role.ADMIN, "zh_CN").visited}
    expected = {
        # Rows of county-keyed tables: /{county_code}/{id} (core.addressing).
        "/registry/households/{}/{}",
        "/registry/households/{}/{}/edit",
        "/registry/members/{}/{}/edit",
        "/registry/members/{}/{}/kin",
        "/registry/cadres/{}/{}",
        "/registry/cadres/{}/{}/edit",
        "/registry/units/{}",
        "/users/{}",
        "/divisions/{}",
    }
    assert expected <= kinds, sorted(expected - kinds)
