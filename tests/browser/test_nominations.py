"""A dispatching unit's clerk nominates cadres in the browser, and the organisation department
marks one village by name on the term page and reads the marked villages — on a phone (375 px,
stacked rows, no sideways scrolling) and on a desktop (1366 px). Screenshots kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.support import assert_fits, log_in, press
from zhucun.core.auth import Principal
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import CadrePosting
from zhucun.selection.matching import service
from zhucun.selection.matching.models import MarkedVillage

pytestmark = pytest.mark.browser

COUNTY = "522799000000"
SIZES = {"phone": 375, "desktop": 1366}


@pytest.mark.parametrize(("size", "term"), [("phone", 2041), ("desktop", 2042)])
def test_a_unit_nominates_cadres_on_the_page(open_page, shot, size, term):
    page = open_page(phone=True) if size == "phone" else open_page(viewport={"width": 1366, "height": 900})
    log_in(page, "danwei")
    page.goto(f"/selection/nominations?year={term}")
    boxes = page.locator("[data-testid=nominees] input[name=cadre]")
    assert boxes.count() >= 2
    assert_fits(page, SIZES[size])
    for k in range(2):
        boxes.nth(k).check()
    page.locator("input[name=note]").fill("单位党委会研究推荐")
    press(page.get_by_role("button", name="推荐所选干部"))
    expect(page.get_by_test_id("result")).to_contain_text("已推荐 2 名干部")
    expect(page.get_by_test_id("nominated")).to_have_count(2)
    assert_fits(page, SIZES[size])
    shot(page, f"{size}-nominated")


def _mark(site, term: int) -> list[tuple[str, str]]:
    """Three villages without a team marked for the term; a fourth left for the page."""
    with site.session() as session:
        posted = select(CadrePosting.village_code).where(CadrePosting.end_date.is_(None))
        villages = session.scalars(
            select(Division)
            .where(Division.level == "village", Division.code.startswith(COUNTY[:6]), Division.code.not_in(posted))
            .order_by(Division.code.desc())
            .offset(term % 10 * 4)
            .limit(4)
        ).all()
        for village in villages[:3]:
            service.mark_village(
                session,
                actor=Principal.system(),
                code=village.code,
                term=term,
                needs=["industry", "party", "ecommerce"],
                team_size=3,
                note="村集体经济薄弱，需要懂电商的队员",
            )
        return [(v.code, v.name) for v in villages]


@pytest.mark.parametrize(("size", "term"), [("phone", 2043), ("desktop", 2044)])
def test_the_county_marks_a_village_by_name_on_the_term_page(open_page, site, shot, size, term):
    villages = _mark(site, term)
    page = open_page(phone=True) if size == "phone" else open_page(viewport={"width": 1366, "height": 900})
    log_in(page, "zzb")
    page.goto(f"/selection?year={term}&county={COUNTY}")
    expect(page.locator("#marked [data-village]")).to_have_count(3)
    assert_fits(page, SIZES[size])
    # The village's name reads on one line or two, never one character per line.
    name = page.locator(f"#marked [data-village='{villages[0][0]}'] strong").first
    assert name.bounding_box()["width"] > 40
    shot(page, f"{size}-marked")

    code, village = villages[3]
    press(page.locator("[data-testid=mark-one] summary"))
    page.get_by_test_id("picker-village_code").fill(village)
    press(page.locator(f"[data-pick-code='{code}']"))
    page.locator("[data-testid=mark-one] input[name=needs][value=governance]").check()
    page.locator("[data-testid=mark-one] input[name=team_size]").fill("4")
    press(page.get_by_role("button", name="选定该村"))
    row = page.locator(f"#marked [data-village='{code}']")
    expect(row).to_contain_text("乡村治理")
    expect(row).to_contain_text("0 / 4")
    assert_fits(page, SIZES[size])
    shot(page, f"{size}-one-more")
    with site.session() as session:
        mark = session.get(MarkedVillage, (COUNTY[:6], term, code))
        assert mark is not None and mark.needs == ["governance"] and mark.team_size == 4
