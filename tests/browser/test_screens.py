"""The screens a person looks at first, saved for a person to look at (test-artifacts/
screenshots/), at 375 px and 1366 px: every demo account's home page, the household list
with its filters, a household with its change history, and the audit trail with an entry
opened. Each is also checked as the layout test checks every crawled page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import log_in
from tests.browser.test_layout import WIDTHS, layout_problems
from zhucun.demo.accounts import PERSONAS

# Layout and screenshots are the browser's and the templates', whatever database served the page.
pytestmark = [pytest.mark.browser, pytest.mark.one_backend]


def _open(open_page, width_name: str) -> tuple[Page, int]:
    width = WIDTHS[width_name]
    phone = {"is_mobile": True, "has_touch": True} if width < 600 else {}
    return open_page(viewport={"width": width, "height": 900}, **phone), width


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_every_accounts_home_page(open_page, shot, width_name):
    problems: list[str] = []
    for persona in PERSONAS:
        page, width = _open(open_page, width_name)
        log_in(page, persona.username)
        expect(page.get_by_test_id("work-item").first).to_be_visible()
        problems += layout_problems(page, width)
        shot(page, f"home-{persona.username}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_household_list_with_its_filters(open_page, shot, width_name):
    page, width = _open(open_page, width_name)
    log_in(page, "xczx")
    page.goto("/registry/households?below=1&monitored=1")
    expect(page.get_by_test_id("filter-below")).to_be_checked()
    expect(page.get_by_test_id("total")).to_contain_text("共")
    assert not layout_problems(page, width)
    shot(page, "households-below-line-monitored")


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_a_household_with_its_history_and_the_audit_trail(open_page, shot, width_name, site):
    page, width = _open(open_page, width_name)
    log_in(page, "zhen")
    page.goto("/registry/households")
    household = page.evaluate(
        "() => [...document.querySelectorAll('main a')].map(a => a.getAttribute('href'))"
        r".find(h => /^\/registry\/households\/[\d\/]+$/.test(h))"
    )
    page.goto(household + "/edit")
    # The site's database is kept between tests: each width makes a change of its own.
    cause = {"phone": "因学", "desktop": "因灾"}[width_name]
    page.locator("select[name=main_cause]").select_option(label=cause)
    page.locator("input[name=address]").fill(f"金堰镇 {width_name} 新址 8 号")
    page.locator("input[name=reason]").fill("入户核实")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    history = page.get_by_test_id("history-sentence").first
    expect(history).to_contain_text("王镇长")
    expect(history).to_contain_text(f"改为 {cause}")
    assert not layout_problems(page, width)
    shot(page, "household-history")

    auditor, _ = _open(open_page, width_name)
    log_in(auditor, "jiwei")
    auditor.goto("/audit")
    entry = auditor.get_by_test_id("entries").locator("details").first
    entry.locator("summary").click()
    expect(entry.get_by_test_id("entry-details")).to_be_visible()
    assert not layout_problems(auditor, width)
    shot(auditor, "audit")
