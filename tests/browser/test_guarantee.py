"""The guarantee pages on a phone (375 px) and a desktop (1366 px): nothing scrolls sideways
but the tables in their scrollers, and every control fits its text."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.support import log_in
from tests.browser.test_layout import WIDTHS, layout_problems
from zhucun.selection.cadres.models import Cadre

pytestmark = pytest.mark.browser

PAGES = (
    "/selection/guarantee?month=2025-10",
    "/selection/guarantee/funds",
    "/selection/guarantee/insurance?expiring=1",
    "/selection/guarantee/health",
)


@pytest.mark.one_backend  # layout: the browser's and the templates', whatever database served the page
@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_guarantee_pages_fit_the_screen(open_page, site, shot, width_name):
    width = WIDTHS[width_name]
    page = open_page(
        viewport={"width": width, "height": 900}, **({"is_mobile": True, "has_touch": True} if width < 600 else {})
    )
    log_in(page, "zzb")
    with site.session() as session:
        cadre = session.scalars(select(Cadre).order_by(Cadre.county_code, Cadre.id)).first()
        cadre_page = f"/selection/guarantee/cadres/{cadre.county_code}/{cadre.id}"
    problems = []
    for url in (*PAGES, cadre_page):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        problems += layout_problems(page, width)
    shot(page, "health")
    assert problems == []
