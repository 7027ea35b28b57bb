"""Plausible ranges: a far-future term or a negative income is a located, translated 422."""

from __future__ import annotations

from tests.factories.registry import id_number


def test_a_term_starting_in_9999_is_refused_at_its_field(api, world):
    response = api("zzb").post(
        f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}/postings",
        json={"village_code": world.a.village, "role": "工作队员", "start_date": "9999-12-31"},
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["errors"][0]["field"] == "start_date"
    assert "日期" in body["errors"][0]["message"]


def test_a_negative_wage_is_refused_but_a_production_loss_is_kept(api, world):
    url = f"/api/v1/households/{world.a.county_code}/{world.a.household_id}/incomes/2025"
    bad = api("zhen").request("PUT", url, json={"wage": "-10000000000", "reason": "年度收入核算"})
    assert bad.status_code == 422, bad.text
    assert bad.json()["errors"][0]["field"] == "wage"
    loss = api("zhen").request("PUT", url, json={"wage": "1000", "production": "-800", "reason": "年度收入核算"})
    assert loss.status_code == 200, loss.text


def test_a_birth_date_in_the_future_is_refused(api, world):
    response = api("zhen").post(
        f"/api/v1/households/{world.a.county_code}/{world.a.household_id}/members",
        json={
            "name": "未来人",
            "id_number": id_number(world.a.county[:6], "20100101", male=True, seq=931),
            "relation": "孙子",
            "birth_date": "2999-01-01",
        },
    )
    assert response.status_code == 422, response.text
