"""Plan pages over real HTTP, as a first secretary on the household and village pages: the
household page links its plan, the plan is drawn up and worked by forms, the list shows its
total and exports what it shows, the village page links its development plan, in Chinese
and English; a refused form says why and writes nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
from sqlalchemy import func, select

from zhucun.identification.plans.models import HouseholdPlan, PlanMeasure, VillageProject
from zhucun.registry.models import Household

SOON = (date.today() + timedelta(days=30)).isoformat()


def _post(client, url: str, csrf: str, **data):
    return client.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)


def test_a_plan_is_drawn_up_and_worked_from_the_household_page(client, web, world, session):
    csrf = web("shuji")
    household = session.scalars(select(Household).where(Household.id == world.a.household_id)).one()
    page = client.get(f"/registry/households/{household.id}")
    link = f"/identification/households/{household.county_code}/{household.id}/plan"
    assert f'href="{link}"' in page.text
    blank = client.get(link)
    assert blank.status_code == 200 and 'data-testid="create-plan"' in blank.text and "因病" in blank.text
    causes = client.post(
        f"/identification/households/{household.county_code}/{household.id}/causes",
        data={"csrf_token": csrf, "main_cause": "01", "other_causes": ["08", "09"]},
        follow_redirects=False,
    )
    assert causes.status_code == 303
    session.refresh(household)
    assert (household.main_cause, household.other_causes) == ("01", "08,09")
    refused = _post(client, link, csrf, goal="")
    assert refused.status_code == 422 and 'data-testid="form-error"' in refused.text
    assert session.scalar(select(func.count()).select_from(HouseholdPlan)) == 0
    assert _post(client, link, csrf, goal="稳定增收").status_code == 303
    plan = session.scalars(select(HouseholdPlan)).one()
    url = f"/identification/plans/{plan.county_code}/{plan.id}"
    assert client.get(link, follow_redirects=False).headers["location"] == url
    shown = client.get(url)
    assert 'data-testid="unanswered"' in shown.text and "缺技术" in shown.text and "缺资金" in shown.text
    late = _post(client, f"{url}/measures", csrf, kind="medical", target="慢病卡", deadline="2020-01-01")
    assert late.status_code == 422 and "期限" in late.text
    assert (
        _post(client, f"{url}/measures", csrf, kind="microcredit", target="5万元小额信贷", deadline=SOON).status_code
        == 303
    )
    measure = session.scalars(select(PlanMeasure)).one()
    assert _post(client, f"{url}/measures/{measure.id}/progress", csrf, percent="50", note="已放款").status_code == 303
    chinese = client.get(url)
    assert "<strong>小额信贷</strong>" in chinese.text and ">实施中</span>" in chinese.text
    # Microcredit answers the lack of capital; illness and the lack of skills wait for a measure.
    assert "致贫原因： 因病、缺技术</div>" in chinese.text
    english = client.get(f"{url}?lang=en")
    assert "<strong>microcredit</strong>" in english.text and "lack of skills" in english.text and "50%" in english.text
    client.get(f"{url}?lang=zh_CN")
    listed = client.get(f"/identification/plans?division={world.a.village}")
    assert 'data-testid="plan-total">共 1 个计划' in listed.text and url in listed.text
    exported = client.get(f"/identification/plans/export.xlsx?division={world.a.village}&lang=en")
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Village", "Household no.") and len(rows) == 2
    assert rows[1][1] == household.household_no and not rows[1][0].isdigit()


def test_households_without_a_plan_are_listed_with_a_link_to_draw_one_up(client, web, world, session):
    web("shuji")
    listed = client.get(f"/identification/plans?division={world.a.village}&without=1&lang=en")
    assert listed.status_code == 200 and 'data-testid="households-without"' in listed.text
    assert "households" in listed.text.split('data-testid="plan-total">', 1)[1].split("<", 1)[0]


def test_the_village_page_links_its_development_plan(client, web, world, session):
    csrf = web("shuji")
    village = client.get(f"/divisions/{world.a.village}")
    url = f"/identification/villages/{world.a.village}/development-plan"
    assert f'href="{url}"' in village.text
    added = _post(
        client,
        f"/identification/villages/{world.a.village}/projects",
        csrf,
        year="2026",
        category="industry",
        name="茶叶基地",
        budget="80000",
    )
    assert added.status_code == 303
    project = session.scalars(select(VillageProject)).one()
    changed = _post(
        client,
        f"/identification/village-projects/{project.county_code}/{project.id}",
        csrf,
        status="building",
        reason="开工",
    )
    assert changed.status_code == 303
    page = client.get(f"{url}?lang=en")
    assert "茶叶基地" in page.text and "1 projects, budget 80000.00 yuan" in page.text and "industry" in page.text
    assert f'href="{url}/export.xlsx"' in page.text
    exported = client.get(f"{url}/export.xlsx?lang=zh_CN")
    assert exported.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == "茶叶基地" and rows[1][4] == "在建"
    web("cunwei")
    read_only = client.get(url)
    assert read_only.status_code == 200 and 'data-testid="add-project"' not in read_only.text
