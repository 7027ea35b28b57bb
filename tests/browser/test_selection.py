"""The county's organisation department reviews and approves the term's matching in the
browser: it runs the proposal for the marked villages, sees a candidate refused with the
rule named, tries a hand edit the rule forbids (refused, the rule named on the page), makes
an allowed one, approves — and the coverage page then shows every marked village with a
complete team. At 375 px on a phone and 1366 px on a desktop."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.support import assert_fits, log_in, press
from tests.factories import selection as factory
from zhucun.accounts.units.models import Unit
from zhucun.core.auth import Principal
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import CadrePosting
from zhucun.selection.matching import service
from zhucun.selection.matching.models import Assignment, MatchRun

pytestmark = pytest.mark.browser

COUNTY = "522799000000"
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def _prepare(site, term: int, seq: int) -> dict:
    """Three villages without a team marked for the term, ten eligible cadres nominated, and
    one more whose home is the county (refused everywhere in it)."""
    with site.session() as session:
        posted = select(CadrePosting.village_code).where(CadrePosting.end_date.is_(None))
        villages = session.scalars(
            select(Division)
            .where(Division.level == "village", Division.code.startswith(COUNTY[:6]), Division.code.not_in(posted))
            .order_by(Division.code)
            .offset(seq)
            .limit(3)
        ).all()
        unit = session.scalars(select(Unit.id).order_by(Unit.id)).first()
        system = Principal.system()
        for village in villages:
            service.mark_village(
                session, actor=system, code=village.code, term=term, needs=["industry"], team_size=3, note=None
            )
        people = {}
        for k in range(11):
            home = {"hometown_code": villages[0].code} if k == 10 else {}
            cadre = factory.cadre(
                session,
                site.settings,
                COUNTY,
                name=f"选派{seq}{k:02d}号" if k < 10 else f"本县{seq}人",
                born="19860101",
                male=k % 2 == 0,
                seq=900 + seq * 20 + k,
                unit_id=unit,
                party_member=True,
                party_joined="2010-06-01",
                work_started="2009-07-01",
                skills="产业发展" if k < 6 else "乡村治理",
                **home,
            )
            service.nominate(session, actor=system, cadre=cadre, term=term, note=None)
            people[cadre.id] = cadre.name
        return {"villages": [(v.code, v.name) for v in villages], "people": people}


@pytest.mark.parametrize(("size", "term", "seq"), [("phone", 2031, 0), ("desktop", 2032, 3)])
def test_the_organisation_department_reviews_edits_and_approves_the_matching(open_page, site, shot, size, term, seq):
    world = _prepare(site, term, seq)
    phone = size == "phone"
    page = open_page(phone=True) if phone else open_page(**DESKTOP)
    width = 375 if phone else 1366
    log_in(page, "zzb")
    page.goto(f"/selection?year={term}&county={COUNTY}")
    press(page.get_by_role("button", name="运行匹配"))
    expect(page.locator("#proposal [data-testid=cadre]")).to_have_count(9)
    assert_fits(page, width)
    first_code = world["villages"][0][0]
    home_name = next(n for n in world["people"].values() if n.startswith("本县"))
    refused = page.locator(f"#marked [data-village='{first_code}'] [data-testid=refused]")
    press(refused.locator("summary"))
    expect(refused).to_contain_text(home_name)
    expect(refused).to_contain_text("家乡所在县")
    shot(page, f"{size}-proposal")

    # A hand edit that breaks the hometown rule is refused, the rule named.
    with site.session() as session:
        proposed = dict(
            session.execute(select(Assignment.cadre_id, Assignment.role).where(Assignment.term == term)).all()
        )
        team = session.scalars(
            select(Assignment.cadre_id).where(Assignment.term == term, Assignment.village_code == first_code)
        ).all()
    member = next(c for c in team if proposed[c] == "member")
    form = page.locator(f"#proposal form:visible:has(input[name=replaces][value='{member}'])")
    form.locator("select[name=cadre_id]").select_option(label=home_name)
    press(form.get_by_role("button", name="替换"))
    alert = page.locator(".alert-danger[data-field=cadre_id]")
    expect(alert).to_contain_text("家乡所在县")
    assert_fits(page, width)
    shot(page, f"{size}-refused")

    # An allowed one: the cadre left over takes the post.
    spare = next(n for i, n in world["people"].items() if i not in proposed and not n.startswith("本县"))
    form = page.locator(f"#proposal form:visible:has(input[name=replaces][value='{member}'])")
    form.locator("select[name=cadre_id]").select_option(label=spare)
    press(form.get_by_role("button", name="替换"))
    expect(page.locator(".alert-danger[data-field]")).to_have_count(0)
    expect(page.get_by_test_id("cadre").filter(has_text=spare)).to_contain_text("已调整")

    page.locator("input[name=start_date]").fill(date(term, 3, 1).isoformat())
    page.locator("input[name=reason]").fill("县委组织部部务会审定")
    press(page.get_by_role("button", name="审定并派驻"))
    expect(page.get_by_text("已审定", exact=True)).to_be_visible()
    shot(page, f"{size}-approved")
    with site.session() as session:
        run = session.get(MatchRun, (COUNTY[:6], term))
        assert run is not None and run.status == "approved"

    page.goto(f"/selection/helpers?division={COUNTY}&term={term}")
    teams = page.locator("#teams tbody tr")
    expect(teams).to_have_count(3)
    for _code, name in world["villages"]:
        expect(page.locator("#teams tbody tr", has_text=name)).to_contain_text("已配齐")
    expect(page.get_by_test_id("teams-complete")).to_have_text("3 个村中 3 个已配齐")
    assert_fits(page, width)
    whole = shot(page, f"{size}-coverage")
    # The page is long (every village's coverage): the teams' card alone, legible at its size.
    page.locator("#teams-card").screenshot(path=whole.with_name(whole.stem + "-teams.png"))
