"""Every list shows its total, counted with the same filters as the list itself: the
accounts, the history of imports and the duplicate registrations (the crawler checks that
every list shows one; these check that the number is the right one)."""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select

from tests.factories.imports import refused_batch
from zhucun.core.imports.models import ImportBatch
from zhucun.core.models import User

TOTAL = re.compile(r'data-testid="total">共 ([\d,]+) 条<')


def total_of(page: str) -> int:
    [found] = TOTAL.findall(page)
    return int(found.replace(",", ""))


def test_the_accounts_list_counts_what_its_search_leaves(client, web, session):
    web("admin")
    assert total_of(client.get("/users").text) == session.scalar(select(func.count()).select_from(User))
    wanted = select(func.count()).where(or_(User.username.like("%zh%"), User.display_name.like("%zh%")))
    found = total_of(client.get("/users?q=zh").text)
    assert found == session.scalar(wanted) and 0 < found < session.scalar(select(func.count()).select_from(User))


def test_the_import_history_counts_its_filtered_imports(client, web, session, world):
    refused_batch(session, world.a)
    refused_batch(session, world.a)
    session.commit()
    web("admin")
    everything = session.scalar(select(func.count()).select_from(ImportBatch))
    rejected = session.scalar(select(func.count()).where(ImportBatch.status == "rejected"))
    assert total_of(client.get("/imports").text) == everything
    assert total_of(client.get("/imports?status=rejected").text) == rejected >= 2


def test_the_duplicates_list_counts_the_groups_its_kind_leaves(client, web):
    # The world has one person on the rolls of two counties, and no one twice in one county.
    web("admin")
    for kind, expected in (("", 1), ("across", 1), ("within", 0)):
        page = client.get(f"/registry/duplicates?kind={kind}").text
        assert total_of(page) == expected == page.count('<tbody class="duplicate">'), kind
