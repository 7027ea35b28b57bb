"""The terms pages on a phone (375 px) and a desktop (1366 px), as the organisation
department sees them in the demo county: no sideways scrolling, no control narrower than
its text (the checks of test_layout, on these pages whatever the crawl's order)."""

from __future__ import annotations

import pytest

from tests.browser.support import log_in
from tests.browser.test_layout import WIDTHS, layout_problems

# Layout and screenshots are the browser's and the templates', whatever database served the page.
pytestmark = [pytest.mark.browser, pytest.mark.one_backend]
PAGES = ("/selection/terms?days=3650", "/selection/recalls", "/selection/terms/lists")


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_terms_pages_fit_the_screen(open_page, shot, width_name):
    width = WIDTHS[width_name]
    page = open_page(
        viewport={"width": width, "height": 900}, **({"is_mobile": True, "has_touch": True} if width < 600 else {})
    )
    log_in(page, "zzb")
    problems = []
    for url in PAGES:
        page.goto(url)
        assert page.locator("h1").count() == 1
        problems += layout_problems(page, width)
    handover = page.goto(PAGES[0]) and page.locator("a[href^='/selection/terms/handovers/']").first
    if handover and handover.count():
        handover.click()
        problems += layout_problems(page, width)
        shot(page, "handover")
    assert not problems, "\n".join(problems)
