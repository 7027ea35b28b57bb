"""A refusal naming a step shows the step's label in the reader's language: the labels are
English data in the procedure definitions, translated when the refusal is shown."""

from __future__ import annotations


def _open(api, world) -> str:
    response = api("shuji").post("/api/v1/cases", json={"kind": "registration", "household_id": world.a.household2_id})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_the_wrong_role_refusal_names_the_step_in_the_api_language(api, world):
    case_id = _open(api, world)
    url = f"/api/v1/cases/{case_id}/actions"
    chinese = api("zhen").post(url, json={"action": "pass"})
    assert chinese.status_code == 403 and chinese.json()["code"] == "wrong_role"
    assert chinese.json()["message"] == "您的角色不能办理“信息采集”环节。"
    english = api("zhen").post(url, json={"action": "pass"}, headers={"Accept-Language": "en"})
    assert english.status_code == 403
    assert english.json()["message"] == "Your role may not act at the step “Data collection”."


def test_the_wrong_role_refusal_names_the_step_on_the_page_in_both_languages(api, world, client, web):
    case_id = _open(api, world)
    csrf = web("zhen")
    url = f"/identification/cases/{world.a.county_code}/{case_id}/actions"
    chinese = client.post(url, data={"csrf_token": csrf, "action": "pass"}, follow_redirects=False)
    assert chinese.status_code == 403
    assert "您的角色不能办理“信息采集”环节。" in chinese.text
    english = client.post(f"{url}?lang=en", data={"csrf_token": csrf, "action": "pass"}, follow_redirects=False)
    assert english.status_code == 403
    assert "Your role may not act at the step “Data collection”." in english.text
