"""The history on household and cadre pages reads as sentences in the page's language,
with field and catalogue labels, division names and the actor's display name."""

from __future__ import annotations

from tests.factories.registry import id_number

GRANDSON_ID = id_number("522799", "20150503", male=True, seq=733)
HEAD_ID = id_number("522799", "19700101", male=True, seq=734)


def _household(api, world) -> int:
    body = {
        "household_no": "5227990955",
        "village_code": world.a.village,
        "status": "22",
        "attribute": "1",
        "members": [{"name": "张大山", "id_number": HEAD_ID, "relation": "户主"}],
    }
    response = api("zhen").post("/api/v1/households", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _change_and_add(api, world) -> int:
    household_id = _household(api, world)
    township = api("zhen")
    patched = township.patch(
        f"/api/v1/households/{household_id}",
        json={"main_cause": "因病", "housing_safe": True, "phone": "13700001111", "reason": "入户核实"},
    )
    assert patched.status_code == 200, patched.text
    added = township.post(
        f"/api/v1/households/{household_id}/members?reason=新生登记",
        json={"name": "张小军", "id_number": GRANDSON_ID, "relation": "孙子"},
    )
    assert added.status_code == 201, added.text
    return household_id


def _history(page: str) -> str:
    return page.split('data-testid="history"', 1)[1].split("</ul>", 1)[0]


def test_a_change_through_the_api_reads_as_a_chinese_sentence(api, client, web, world):
    household_id = _change_and_add(api, world)
    web("shuji")
    history = _history(client.get(f"/registry/households/{household_id}").text)
    assert "王镇长（乡镇） 把主要致贫原因从（空）改为 因病" in history
    assert "把住房安全有保障从（空）改为 是" in history
    # The phone is said to have changed, never shown, not even masked.
    assert "更改了联系电话" in history and "1111" not in history and "encrypted" not in history
    assert "王镇长（乡镇） 为本户添加了成员 张小军（孙子）" in history
    assert "入户核实" in history and "新生登记" in history
    assert "main_cause" not in history and "zhen" not in history


def test_the_same_history_reads_in_english(api, client, web, world):
    household_id = _change_and_add(api, world)
    web("shuji")
    history = _history(client.get(f"/registry/households/{household_id}?lang=en").text)
    assert "王镇长（乡镇） changed the main cause of poverty from (empty) to illness" in history
    assert "added the member 张小军 (grandson) to the household" in history
    assert "因病" not in history


def test_a_member_change_names_the_member_and_the_labels(api, client, web, world):
    household_id = _change_and_add(api, world)
    members = api("zhen").get(f"/api/v1/households/{household_id}").json()["members"]
    grandson = next(m for m in members if m["name"] == "张小军")
    response = api("zhen").patch(
        f"/api/v1/members/{grandson['county_code']}/{grandson['id']}", json={"health": "2", "reason": "体检"}
    )
    assert response.status_code == 200, response.text
    web("shuji")
    history = _history(client.get(f"/registry/households/{household_id}").text)
    assert "修改了成员 张小军：把健康状况从（空）改为 " in history


def test_an_income_reads_with_its_year(api, client, web, world):
    household_id = _household(api, world)
    body = {
        "wage": "12000",
        "production": "3000",
        "property": "0",
        "transfer": "800",
        "production_costs": "500",
        "reason": "年度收入核算",
    }
    assert api("zhen").request("PUT", f"/api/v1/households/{household_id}/incomes/2025", json=body).status_code == 200
    web("shuji")
    history = _history(client.get(f"/registry/households/{household_id}").text)
    assert "把2025年工资性收入从（空）改为 12,000" in history


def test_a_cadre_posting_names_the_village_and_the_role(client, web, world):
    web("zzb")
    history = _history(client.get(f"/registry/cadres/{world.a.county_code}/{world.a.posted_cadre_id}").text)
    assert "第一书记" in history and "522799" not in history
