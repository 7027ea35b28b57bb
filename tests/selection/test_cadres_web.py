"""Cadre pages as clerks use them: the list in Chinese and English, registration and edits
with errors next to the fields, numbers masked and revealed only with a reason, postings."""

from __future__ import annotations

from tests.factories.registry import id_number

NEW_ID = id_number("522799", "19870606", male=True, seq=741)


def _cadre_form(csrf, world, **extra):
    return {
        "csrf_token": csrf,
        "name": "黄志勇",
        "id_number": NEW_ID,
        "division_code": world.a.county,
        "unit_id": str(world.a.unit_id),
        "ethnicity": "01",
        "education": "2",
        "party_member": "1",
        "party_joined": "2011-07-01",
        "work_started": "2010-08-01",
        "position": "科员",
        **extra,
    }


def test_the_cadre_list_is_masked_and_filtered(client, web, world):
    web("zzb")
    page = client.get("/registry/cadres")
    assert page.status_code == 200 and "干部" in page.text and "张卫东" in page.text and "李明" in page.text
    assert "********" in page.text and "白岩" not in page.text
    posted = client.get("/registry/cadres?posted=1").text
    assert "张卫东" in posted and "李明" not in posted
    english = client.get("/registry/cadres?lang=en")
    assert "Cadres" in english.text and "Register a cadre" in english.text


def test_registering_a_cadre_with_errors_next_to_the_fields(client, web, world):
    csrf = web("zzb")
    wrong = _cadre_form(csrf, world, id_number=NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1"))
    response = client.post("/registry/cadres/new", data=wrong)
    assert response.status_code == 422 and 'id="id_number-error"' in response.text and "校验码" in response.text
    assert "黄志勇" in response.text  # what was typed is kept
    early = client.post("/registry/cadres/new", data=_cadre_form(csrf, world, work_started="1980-01-01"))
    assert early.status_code == 422 and 'id="work_started-error"' in early.text and "出生日期" in early.text
    done = client.post("/registry/cadres/new", data=_cadre_form(csrf, world), follow_redirects=False)
    assert done.status_code == 303, done.text
    detail = client.get(done.headers["location"])
    assert "黄志勇" in detail.text and NEW_ID not in detail.text
    assert NEW_ID[:6] + "********" + NEW_ID[-4:] in detail.text
    assert 'data-testid="eligibility"' in detail.text and "党龄" in detail.text


def test_the_cadre_page_shows_facts_postings_and_history(client, web, world):
    web("zhen")
    page = client.get(f"/registry/cadres/{world.a.county_code}/{world.a.posted_cadre_id}")
    assert page.status_code == 200 and "张卫东" in page.text and "第一书记" in page.text
    assert "年龄" in page.text and "工作年限" in page.text and "变更历史" in page.text
    assert 'action="/registry/postings/' not in page.text  # a township reads, the county posts
    english = client.get(f"/registry/cadres/{world.a.county_code}/{world.a.posted_cadre_id}?lang=en")
    assert "Eligibility facts" in english.text and "Years of party membership" in english.text


def test_the_unit_page_counts_its_cadres_by_role(client, web, world):
    web("zzb")
    detail = client.get(f"/registry/units/{world.a.unit_id}")
    assert 'data-testid="cadre-counts"' in detail.text and "第一书记" in detail.text
    assert "first secretary" in client.get(f"/registry/units/{world.a.unit_id}?lang=en").text


def test_editing_needs_a_reason(client, web, world):
    csrf = web("zzb")
    url = f"/registry/cadres/{world.a.county_code}/{world.a.cadre_id}/edit"
    form = client.get(url)
    assert form.status_code == 200 and "李明" in form.text
    missing = client.post(url, data={"csrf_token": csrf, "name": "李明", "position": "科长"})
    assert missing.status_code == 422 and 'id="reason-error"' in missing.text
    done = client.post(
        url,
        data={
            "csrf_token": csrf,
            "name": "李明",
            "position": "科长",
            "party_member": "1",
            "party_joined": "2010-07-01",
            "work_started": "2009-08-01",
            "reason": "职务调整",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "科长" in client.get(f"/registry/cadres/{world.a.county_code}/{world.a.cadre_id}").text


def test_posting_and_ending_through_the_page(client, web, world):
    csrf = web("zzb")
    busy = client.post(
        f"/registry/cadres/{world.a.county_code}/{world.a.posted_cadre_id}/postings",
        data={"csrf_token": csrf, "village_code": world.a.village, "role": "3", "start_date": "2025-01-01"},
    )
    assert busy.status_code == 422 and "请先结束该次驻村" in busy.text
    end = client.post(
        f"/registry/postings/{world.a.county_code}/{world.a.posting_id}/end",
        data={"csrf_token": csrf, "end_date": "2025-12-31"},
    )
    assert end.status_code == 422 and 'id="end_reason-error"' in end.text
    ended = client.post(
        f"/registry/postings/{world.a.county_code}/{world.a.posting_id}/end",
        data={"csrf_token": csrf, "end_date": "2025-12-31", "end_reason": "任期届满"},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    page = client.get(f"/registry/cadres/{world.a.county_code}/{world.a.posted_cadre_id}").text
    assert "任期届满" in page, page[page.find("<main") :]
    assert "未驻村" in page
    assert "选派驻村" in page


def test_revealing_a_cadres_id_number_needs_a_reason(client, web, world):
    csrf = web("jiwei")
    page = client.get(f"/registry/cadres/{world.a.county_code}/{world.a.cadre_id}")
    assert 'data-testid="reveal-id_number"' in page.text
    url = f"/registry/cadres/{world.a.county_code}/{world.a.cadre_id}/reveal"
    refused = client.post(url, data={"csrf_token": csrf, "field": "id_number", "reason": ""})
    assert refused.status_code == 422
    shown = client.post(
        url, data={"csrf_token": csrf, "field": "id_number", "reason": "线索核查"}, headers={"HX-Request": "true"}
    )
    assert shown.status_code == 200 and 'data-testid="revealed"' in shown.text
    assert len(shown.text.split(">")[1].split("<")[0]) == 18


def test_a_reader_without_the_right_sees_no_reveal_button(client, web, world):
    web("zzb")
    page = client.get(f"/registry/cadres/{world.a.county_code}/{world.a.cadre_id}")
    assert page.status_code == 200 and 'data-testid="reveal-id_number"' not in page.text


def test_a_units_account_sees_its_own_unit_in_the_form(client, web, world):
    web("danwei")
    form = client.get("/registry/cadres/new")
    assert form.status_code == 200 and "贵州省交通运输厅" in form.text and "贵州大学" not in form.text
