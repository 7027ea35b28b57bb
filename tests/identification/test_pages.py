"""The case pages over real HTTP: opening a case from the household page, a monitoring case
moved by forms with its steps, signatures and history shown by name, the list with filters,
total and an export of what it shows, lateness filtered in SQL, the public notice page
without personal details, an objection by form reopening the case, the printable notice with
its QR code, and the home page's counts."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import openpyxl
from sqlalchemy import select

from zhucun.identification.public import qr_svg
from zhucun.procedures.models import Case, Notice
from zhucun.registry.models import Household

REVIEW = {
    "review_date": "2026-03-02",
    "review_attendees": "30",
    "review_votes_for": "20",
    "review_votes_against": "6",
    "review_abstaining": "4",
    "review_minutes": "村民代表会议记录",
}


def _post(client, url: str, csrf: str, **data: str):
    return client.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)


def _open_monitoring(client, csrf: str, household_id: int) -> int:
    form = client.get(f"/identification/households/{household_id}/new-case")
    assert form.status_code == 200 and 'name="kind"' in form.text
    opened = _post(
        client,
        "/identification/cases/new",
        csrf,
        household_id=str(household_id),
        kind="monitoring",
        category="22",
        grounds="因病支出大",
    )
    assert opened.status_code == 303, opened.text
    return int(opened.headers["location"].rsplit("/", 1)[1])


def test_a_monitoring_case_moves_by_forms_and_reads_as_sentences(client, web, world, session):
    csrf = web("shuji")
    household = client.get(f"/registry/households/{world.a.county_code}/{world.a.household_id}")
    assert f"/identification/households/{world.a.county_code}/{world.a.household_id}/new-case" in household.text
    missing = _post(
        client, "/identification/cases/new", csrf, household_id=str(world.a.household_id), kind="monitoring"
    )
    assert missing.status_code == 422 and 'data-testid="form-error"' in missing.text
    case_id = _open_monitoring(client, csrf, world.a.household_id)
    url = f"/identification/cases/{world.a.county_code}/{case_id}/actions"
    page = client.get(f"/identification/cases/{world.a.county_code}/{case_id}")
    head = session.scalar(select(Household.head_name).where(Household.id == world.a.household_id))
    assert page.status_code == 200 and head in page.text and 'data-testid="pass"' in page.text
    assert _post(client, url, csrf, action="pass").status_code == 303
    refused = _post(client, url, csrf, action="pass")
    assert refused.status_code == 422 and 'data-testid="form-error"' in refused.text
    assert _post(client, url, csrf, action="pass", **REVIEW).status_code == 303
    case = session.scalars(select(Case).where(Case.id == case_id)).one()
    session.refresh(case)
    assert case.step == "verify"
    # The household is the village official's own: flagged with the path in names, and no
    # signature is offered inside the village.
    page = client.get(f"/identification/cases/{world.a.county_code}/{case_id}")
    assert 'data-testid="related"' in page.text and case.related_path in page.text
    assert "（" in case.related_path and not re.search(r"\d", case.related_path)
    assert 'data-testid="sign-work_team"' not in page.text
    assert _post(client, url, csrf, action="sign", body="work_team").status_code == 403
    # Unflagged, the two village bodies sign from two accounts.
    session.execute(Case.__table__.update().where(Case.id == case_id).values(related=False))
    session.commit()
    assert 'data-testid="sign-work_team"' in client.get(f"/identification/cases/{world.a.county_code}/{case_id}").text
    assert _post(client, url, csrf, action="sign", body="work_team").status_code == 303
    web("cunwei")
    csrf2 = client.get("/").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert _post(client, url, csrf2, action="sign", body="village_committee").status_code == 303
    page = client.get(f"/identification/cases/{world.a.county_code}/{case_id}?lang=en")
    assert 'data-state="current"' in page.text and "Village notice" in page.text
    assert page.text.count("signed by") == 2
    assert "opened the case" in page.text and "passed the step “Democratic review”" in page.text
    assert "both bodies have signed" in page.text


def test_the_list_filters_counts_exports_and_finds_late_cases(client, web, world, session):
    csrf = web("shuji")
    case_id = _open_monitoring(client, csrf, world.a.household_id)
    listed = client.get(f"/identification/cases?village={world.a.village}&kind=monitoring&lang=en")
    assert listed.status_code == 200 and f"/identification/cases/{world.a.county_code}/{case_id}" in listed.text
    assert 'data-testid="case-total">1 cases' in listed.text
    assert 'value="monitoring" selected' in listed.text
    assert (
        f"/identification/cases/{world.a.county_code}/{case_id}"
        not in client.get("/identification/cases?late=red").text
    )
    # The visit step has 5 working days and the clock 15: thirty days ago both are overrun.
    session.execute(
        Case.__table__.update()
        .where(Case.id == case_id)
        .values(opened_on=date.today() - timedelta(days=30), step_entered_on=date.today() - timedelta(days=30))
    )
    session.commit()
    red = client.get("/identification/cases?late=red")
    assert f"/identification/cases/{world.a.county_code}/{case_id}" in red.text and 'data-lateness="red"' in red.text
    assert (
        f"/identification/cases/{world.a.county_code}/{case_id}"
        not in client.get("/identification/cases?late=orange").text
    )
    exported = client.get("/identification/cases/export.xlsx?late=red&lang=en")
    assert exported.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Case" and [r[0] for r in rows[1:]] == [case_id]
    home = client.get("/?lang=en")
    red = home.text.split('href="/identification/cases?late=red"', 1)[1]
    assert red.split('data-testid="work-count">', 1)[1].split("<", 1)[0] == "1"


def test_the_public_page_shows_names_only_and_takes_an_objection(client, world, session):
    from tests.factories import identification as cases

    notice = cases.at_notice(session, world.a.household_id)
    session.commit()
    household = session.scalars(select(Household).where(Household.id == world.a.household_id)).one()
    page = client.get(f"/public/villages/{world.a.village}/notices")
    assert page.status_code == 200 and household.head_name in page.text
    for secret in (household.phone_masked, household.bank_masked, "id_number", "身份证"):
        assert not secret or secret not in page.text
    at = f"/public/notices/{notice.county_code}/{notice.id}"
    one = client.get(at)
    assert 'data-testid="objection-form"' in one.text
    csrf = client.cookies.get("zhucun_csrf")
    empty = _post(client, at, csrf, text=" ")
    assert empty.status_code == 422
    sent = _post(client, at, csrf, text="该户家里有小轿车")
    assert sent.status_code == 200 and 'data-testid="objection-received"' in sent.text
    case = session.scalars(select(Case).where(Case.id == notice.case_id)).one()
    session.refresh(case)
    assert case.step == "review" and case.round == 2
    assert session.scalars(select(Notice.interrupted).where(Notice.id == notice.id)).one() is True
    late = _post(client, at, csrf, text="再次异议")
    assert late.status_code == 409


def test_the_printable_notice_carries_a_qr_code_to_the_objection_page(client, world, session):
    from tests.factories import identification as cases

    notice = cases.at_notice(session, world.a.household_id)
    session.commit()
    printed = client.get(f"/public/notices/{notice.county_code}/{notice.id}/print")
    assert printed.status_code == 200
    assert "<svg" in printed.text and 'class="segno"' in printed.text and "@page { size: A4" in printed.text
    target = f"http://testserver/public/notices/{notice.county_code}/{notice.id}"
    assert target in printed.text
    # The QR code itself encodes the new path (the one the page prints beside it).
    assert qr_svg(target) in printed.text


def test_old_notice_paths_of_printed_qr_codes_answer_308(client, world, session):
    """Printed QR codes carry /public/notices/{id}: they keep working, without login."""
    from tests.factories import identification as cases

    notice = cases.at_notice(session, world.a.household_id)
    session.commit()
    new = f"/public/notices/{notice.county_code}/{notice.id}"
    for old, target in ((f"/public/notices/{notice.id}", new), (f"/public/notices/{notice.id}/print", f"{new}/print")):
        moved = client.get(f"{old}?lang=en", follow_redirects=False)
        assert moved.status_code == 308 and moved.headers["location"] == f"{target}?lang=en"
    assert client.get(f"/public/notices/{notice.id}").status_code == 200
    client.get(f"/public/villages/{world.a.village}/notices")
    # A form posted to the old path keeps its method and body through the redirect.
    form = {"csrf_token": client.cookies.get("zhucun_csrf"), "text": "该户家里有小轿车"}
    posted = client.post(f"/public/notices/{notice.id}", data=form)
    assert posted.status_code == 200 and 'data-testid="objection-received"' in posted.text
    assert str(posted.url).endswith(new)
    assert client.get("/public/notices/999999999", follow_redirects=False).status_code == 404
    assert client.get(f"/public/notices/{2**70}", follow_redirects=False).status_code == 404


def test_a_notice_is_found_only_in_its_own_county(client, world, session):
    from tests.factories import identification as cases

    notice = cases.at_notice(session, world.a.household_id)
    session.commit()
    assert client.get(f"/public/notices/{world.b.county_code}/{notice.id}").status_code == 404
    assert client.get(f"/public/notices/52270x/{notice.id}").status_code == 422
    village = client.get(f"/public/villages/{world.a.village}/notices")
    assert f'href="/public/notices/{notice.county_code}/{notice.id}"' in village.text
