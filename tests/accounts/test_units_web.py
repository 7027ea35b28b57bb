"""Unit pages as the organisation department uses them: the list and a unit's page in
Chinese and English, registration with errors next to the fields, pairings."""

from __future__ import annotations


def test_the_unit_list_and_page_in_chinese_and_english(client, web, world):
    web("zzb")
    page = client.get("/registry/units")
    assert page.status_code == 200 and 'lang="zh-CN"' in page.text
    assert "派出单位" in page.text and "贵州大学" in page.text and "高等学校" in page.text and "白岩" not in page.text
    detail = client.get(f"/registry/units/{world.a.unit_id}")
    assert "贵州省交通运输厅" in detail.text and "结对县" in detail.text and "青岚县" in detail.text
    english = client.get(f"/registry/units/{world.a.unit_id}?lang=en")
    assert "Paired counties" in english.text and "Dispatching units" in english.text


def test_registering_a_unit_through_the_form(client, web, world):
    csrf = web("zzb")
    bad = client.post(
        "/registry/units/new",
        data={
            "csrf_token": csrf,
            "name": "贵州大学",
            "level": "provincial",
            "kind": "university",
            "division_code": world.a.county,
        },
    )
    assert bad.status_code == 422
    assert 'id="name-error"' in bad.text and "已登记" in bad.text
    county = client.post(
        "/registry/units/new",
        data={
            "csrf_token": csrf,
            "name": "青岚县教育局",
            "level": "county",
            "kind": "government",
            "division_code": world.a.county,
            "paired_county": world.a.township,
        },
    )
    assert county.status_code == 422 and 'id="paired_county-error"' in county.text
    done = client.post(
        "/registry/units/new",
        data={
            "csrf_token": csrf,
            "name": "青岚县教育局",
            "level": "county",
            "kind": "government",
            "division_code": world.a.county,
            "paired_county": "522799",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "青岚县教育局" in client.get(done.headers["location"]).text


def test_pairing_through_the_unit_page(client, web, world):
    csrf = web("zzb")
    url = f"/registry/units/{world.a.unit_id}/pairings"
    refused = client.post(url, data={"csrf_token": csrf, "division_code": world.a.village})
    assert refused.status_code == 422 and 'id="division_code-error"' in refused.text
    added = client.post(url, data={"csrf_token": csrf, "division_code": world.b.county[:6]}, follow_redirects=False)
    assert added.status_code == 303
    page = client.get(f"/registry/units/{world.a.unit_id}").text
    assert world.b.county in page and "paired" in page  # the history names the change
    removed = client.post(f"{url}/{world.b.county}/delete", data={"csrf_token": csrf}, follow_redirects=False)
    assert removed.status_code == 303
