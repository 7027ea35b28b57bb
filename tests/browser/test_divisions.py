"""A township account browses its divisions on a phone: tree, HTMX expansion, village
details, breadcrumb and search — and cannot open another township's divisions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from tests.browser.support import (
    Site,
    assert_fits,
    assert_legible,
    assert_one_line,
    assert_targets,
    csrf_of,
    log_in,
    path_of,
    press,
    t,
)
from zhucun.core.deps import SESSION_COOKIE
from zhucun.core.models import User
from zhucun.divisions.models import Division, VillageGroup
from zhucun.divisions.rules import LEVEL_LABELS
from zhucun.divisions.web import FLAG_LABELS

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    latitude: float
    longitude: float
    households: int
    groups: list[str]
    flags: dict[str, bool]


@dataclass(frozen=True)
class Township:
    code: str
    name: str
    villages: dict[str, str]  # code → name


@dataclass(frozen=True)
class Demo:
    township: Township
    key_village: Village
    other_township: Township


@pytest.fixture(scope="module")
def demo(site: Site) -> Demo:
    """What the database says the township account (zhen) should and should not see."""
    with site.session() as session:

        def township(code: str) -> Township:
            division = session.get(Division, code)
            rows = session.execute(
                select(Division.code, Division.name).where(Division.parent_code == code).order_by(Division.code)
            ).all()
            return Township(code, division.name, dict(rows))

        mine = township(session.scalars(select(User).where(User.username == "zhen")).one().division_code)
        key_code = session.scalars(select(User).where(User.username == "shuji")).one().division_code
        key = session.get(Division, key_code)
        assert key.parent_code == mine.code, "the demo's key village lies in zhen's township"
        groups = list(
            session.scalars(
                select(VillageGroup.name).where(VillageGroup.village_code == key_code).order_by(VillageGroup.number)
            )
        )
        other_code = session.scalars(
            select(Division.code)
            .where(
                Division.level == "township",
                Division.parent_code == key.code[:6] + "000000",
                Division.code != mine.code,
            )
            .order_by(Division.code)
        ).first()
        return Demo(
            mine,
            Village(
                key.code,
                key.name,
                key.latitude,
                key.longitude,
                key.households,
                groups,
                {flag: getattr(key, flag) for flag in FLAG_LABELS},
            ),
            township(other_code),
        )


@pytest.fixture(scope="module")
def zhen(browser: Browser, site: Site) -> dict[str, Any]:
    """The township account's cookies after logging in through the form once for this module
    (the login form itself is tested in test_login)."""
    context = browser.new_context(base_url=site.url, locale="zh-CN")
    try:
        page = context.new_page()
        log_in(page, "zhen")
        assert path_of(page) == "/"
        return context.storage_state()
    finally:
        context.close()


def open_divisions(page: Page) -> None:
    page.goto("/")
    link = page.locator("nav.mainnav a[href='/divisions']")
    # On a phone the navigation is folded into a menu: open it as a clerk would.
    if not link.is_visible():
        press(page.get_by_test_id("nav-toggle"))
        expect(link).to_be_visible()
    press(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("行政区划")


def fact(page: Page, label: str):
    return page.get_by_test_id("division-facts").locator("dt", has_text=label).locator("xpath=following-sibling::dd[1]")


def test_township_browses_its_divisions_on_a_phone(open_page, shot, demo: Demo, zhen):
    page = open_page(phone=True, storage_state=zhen)
    township, village = demo.township, demo.key_village
    open_divisions(page)
    assert path_of(page) == "/divisions"

    # The tree starts at the account's own township, nothing else.
    tree = page.get_by_test_id("division-tree")
    expect(tree.locator(":scope > li")).to_have_count(1)
    node = tree.locator(f":scope > li[data-code='{township.code}']")
    expect(node.locator(":scope > a")).to_have_text(township.name)
    expand = page.get_by_test_id(f"expand-{township.code}")
    expect(expand).to_have_text(f"下级 {len(township.villages)} 个 ▾")
    assert_legible(expand)
    assert_one_line(page.get_by_role("search").get_by_role("button", name="搜索"))
    assert_fits(page)
    shot(page, "tree")

    # Expanding asks the server for the villages below with HTMX: no new page is loaded.
    page.evaluate("window.stillTheSamePage = true")
    with page.expect_response(f"**/divisions/{township.code}/children") as answer:
        press(expand)
    request = answer.value.request
    assert answer.value.status == 200
    assert request.headers.get("hx-request") == "true"
    assert request.headers.get("x-csrf-token") == csrf_of(page)
    rows = node.locator(":scope > ul.children > li[data-code]")
    expect(rows).to_have_count(len(township.villages))
    assert rows.evaluate_all("els => els.map(e => e.dataset.code)") == list(township.villages)
    expect(rows.locator(":scope > a")).to_have_text(list(township.villages.values()))
    assert page.evaluate("window.stillTheSamePage") is True
    assert path_of(page) == "/divisions"
    assert_targets(tree.locator("a, button"))
    assert_fits(page)
    shot(page, "expanded")

    # Opening a village shows its details.
    with page.expect_navigation():
        press(rows.filter(has=page.locator(f"a[href='/divisions/{village.code}']")).locator(":scope > a"))
    assert path_of(page) == f"/divisions/{village.code}"
    expect(page.get_by_test_id("division-name")).to_contain_text(village.name)
    expect(page.get_by_test_id("division-name")).to_contain_text(village.code)
    expect(fact(page, "位置")).to_have_text(f"{village.latitude:.5f}, {village.longitude:.5f}")
    expect(fact(page, "户数")).to_have_text(str(village.households))
    expect(page.get_by_role("heading", name="村民小组")).to_be_visible()
    expect(page.locator("ol.groups > li")).to_have_text(village.groups)
    # Its level, then a badge for each flag it carries, in the catalog's words.
    badges = page.get_by_test_id("division-flags").locator(".badge")
    expect(badges).to_have_text(
        [t(LEVEL_LABELS["village"])] + [t(label) for flag, label in FLAG_LABELS.items() if village.flags[flag]]
    )
    assert village.flags["is_key_village"]
    expect(badges.filter(has_text="乡村振兴重点帮扶村")).to_have_class(re.compile(r"\bkey\b"))
    assert_fits(page)
    shot(page, "village")

    # The breadcrumb leads back up: to the township, then to the tree.
    crumbs = page.get_by_role("navigation", name="导航路径").get_by_role("listitem")
    expect(crumbs).to_have_text(["行政区划", township.name, village.name])
    expect(crumbs.last).to_have_attribute("aria-current", "page")
    assert_targets(page.get_by_role("navigation", name="导航路径").get_by_role("link"))
    with page.expect_navigation():
        press(crumbs.get_by_role("link", name=township.name))
    assert path_of(page) == f"/divisions/{township.code}"
    expect(page.get_by_test_id("division-name")).to_contain_text(township.name)
    expect(page.get_by_test_id("children").locator(":scope > li")).to_have_count(len(township.villages))
    assert_fits(page)
    shot(page, "township")
    with page.expect_navigation():
        press(page.get_by_role("navigation", name="导航路径").get_by_role("link", name="行政区划"))
    assert path_of(page) == "/divisions"

    # The search box finds a village by part of its name.
    part = village.name[:2]
    search = page.get_by_test_id("division-search")
    search.fill(part)
    with page.expect_navigation():
        search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("搜索区划")
    expect(search).to_have_value(part)
    results = page.get_by_test_id("search-results").locator(":scope > li")
    expected = {code: name for code, name in demo.township.villages.items() if part in name}
    if part in township.name:
        expected[township.code] = township.name
    assert village.code in expected
    expect(results).to_have_count(len(expected))
    assert set(results.evaluate_all("els => els.map(e => e.dataset.code)")) == set(expected)
    assert_targets(page.get_by_test_id("search-results").get_by_role("link"))
    assert_fits(page)
    shot(page, "search")
    with page.expect_navigation():
        press(results.filter(has=page.locator(f"a[href='/divisions/{village.code}']")).get_by_role("link"))
    expect(page.get_by_test_id("division-name")).to_contain_text(village.name)


def test_expanding_after_the_session_ended_logs_in_again_and_returns_to_the_tree(open_page, shot, demo: Demo, zhen):
    page = open_page(phone=True, storage_state=zhen)
    open_divisions(page)
    page.context.clear_cookies(name=SESSION_COOKIE)  # as when the session has run out
    with page.expect_navigation():
        press(page.get_by_test_id(f"expand-{demo.township.code}"))
    assert path_of(page) == "/login"
    expect(page.get_by_test_id("login-submit")).to_have_text("登录")
    shot(page, "login")
    page.locator("input[name=username]").fill("zhen")
    page.locator("input[name=password]").fill("Zhucun2026")
    with page.expect_navigation():
        press(page.get_by_test_id("login-submit"))
    # Back on the whole page, not on the bare list that HTMX had asked for.
    assert path_of(page) == "/divisions"
    expect(page.get_by_role("heading", level=1)).to_have_text("行政区划")
    expect(page.get_by_test_id("division-tree")).to_be_visible()
    shot(page, "back")


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_another_townships_division_is_not_found(open_page, shot, demo: Demo, zhen, locale):
    page = open_page(phone=True, locale=locale.replace("_", "-"), storage_state=zhen)
    other = demo.other_township
    for code in (other.code, next(iter(other.villages))):
        response = page.goto(f"/divisions/{code}")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("404")
        expect(page.get_by_role("alert")).to_have_text(t("Not found.", locale))
        expect(page.locator("main")).not_to_contain_text(other.name)
        assert_fits(page)
    if locale == "zh_CN":
        expect(page.get_by_role("alert")).to_have_text("未找到。")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN" if locale == "zh_CN" else "en")
    shot(page, "not-found")

    # Nor do the pieces HTMX loads, nor the search, give the other township away.
    children = page.request.get(f"/divisions/{other.code}/children", headers={"HX-Request": "true"})
    assert children.status == 404
    assert other.name not in children.text()
    page.goto(f"/divisions?q={next(iter(other.villages.values()))}")
    expect(page.get_by_test_id("search-results").locator(":scope > li")).to_have_text(t("Nothing found.", locale))
