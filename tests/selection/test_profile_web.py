"""The competency profile on the cadre's pages, in Chinese and English: the full profile and
the assessment form on the cadre's page (errors next to the field, nothing written), the
compact profile in the list, the change told in the history with labels and words."""

from __future__ import annotations

from sqlalchemy import select

from zhucun.selection.cadres.models import Cadre

FORM = {"political": "5", "responsibility": "4", "ability": "4", "dedication": "3", "relations": ""}


def _page(world) -> str:
    return f"/registry/cadres/{world.a.county_code}/{world.a.cadre_id}"


def test_the_cadre_page_shows_the_profile_in_both_languages(client, web, world):
    web("jiwei")
    page = client.get(_page(world))
    assert page.status_code == 200 and 'data-testid="profile"' in page.text
    for words in ("素质画像", "政治素质", "责任意识", "工作能力", "奉献精神", "社会关系", "派出单位尚未考察评价"):
        assert words in page.text
    # The record: in the party since 2010 (优秀), ability 良好; back from one posting as a member.
    assert "优秀" in page.text and "良好" in page.text
    assert "此前驻村 1 次，共 1 个村" in page.text and "工作队员 ×1" in page.text
    assert 'data-testid="profile-form"' not in page.text  # an auditor reads; the unit assesses
    english = client.get(_page(world) + "?lang=en").text
    for words in ("Competency profile", "Political quality", "Sense of responsibility", "Social relations"):
        assert words in english
    assert "excellent" in english and "Previous postings: 1, villages: 1" in english and "team member ×1" in english


def test_the_unit_assesses_on_the_page_and_the_history_tells_it(client, web, world, session):
    csrf = web("danwei")
    page = client.get(_page(world)).text
    assert 'data-testid="profile-form"' in page and 'action="' + _page(world) + '/profile"' in page
    done = client.post(_page(world) + "/profile", data={**FORM, "csrf_token": csrf, "reason": "年度考察"})
    assert done.status_code == 200 and done.url.path == _page(world)
    stored = session.scalars(select(Cadre).where(Cadre.id == world.a.cadre_id)).one()
    session.refresh(stored)
    assert (stored.political, stored.responsibility, stored.dedication, stored.relations) == (5, 4, 3, None)
    told = done.text
    assert "周处长" in told and "考察评价了素质" in told and "年度考察" in told
    assert ("政治素质" in told and "（空）" in told) or "优秀" in told
    english = client.get(_page(world) + "?lang=en").text
    assert "assessed the competency" in english and "Political quality" in english and "excellent" in english


def test_a_bad_level_is_shown_next_to_its_field_and_nothing_is_written(client, web, world, session):
    csrf = web("danwei")
    refused = client.post(_page(world) + "/profile", data={**FORM, "ability": "7", "csrf_token": csrf})
    assert refused.status_code == 422 and 'id="ability-error"' in refused.text
    assert "selected>一般" not in refused.text or "7" in refused.text
    assert session.scalars(select(Cadre.political).where(Cadre.id == world.a.cadre_id)).one() is None


def test_the_list_shows_each_cadres_compact_profile(client, web, world, api):
    body = {"political": 4, "responsibility": 4, "ability": 5, "dedication": 5, "relations": 3}
    url = f"/api/v1/cadres/{world.a.county_code}/{world.a.posted_cadre_id}/profile"
    assert api("zzb").request("PUT", url, json=body).status_code == 200
    web("zzb")
    page = client.get("/registry/cadres").text
    assert page.count('data-testid="profile-cell"') == 2
    # 张卫东 assessed: five labelled levels; 李明 not: the record's two, marked as such.
    assert "未评价" in page and "档案" in page and "奉献精神" in page and "此前未驻村" in page
