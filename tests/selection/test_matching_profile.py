"""The competency profile in the matching: of four cadres alike in every other way for a team
of three, the one the unit assessed worst is left out; the proposal gives the profile as a
reason and the term page shows each candidate's profile."""

from __future__ import annotations

from tests.selection.test_matching_api import TERM, _cadre

STRONG = {"political": 5, "responsibility": 5, "ability": 5, "dedication": 5, "relations": 5}
WEAK = {"political": 2, "responsibility": 2, "ability": 2, "dedication": 2, "relations": 2}
MIDDLE = {"political": 3, "responsibility": 3, "ability": 3, "dedication": 3, "relations": 3}


def test_of_four_like_cadres_the_worst_assessed_is_left_out_of_a_team_of_three(api, world, client, web):
    zzb, county = api("zzb"), world.a.county
    base = f"/api/v1/selection/{TERM}"
    marked = zzb.post(f"{base}/villages/{world.a.village}", json={"needs": ["industry"], "team_size": 3})
    assert marked.status_code == 200, marked.text
    people = {}
    for seq, (name, levels) in enumerate((("weak", WEAK), ("strong", STRONG), ("a", MIDDLE), ("b", MIDDLE))):
        cadre_id = people[name] = _cadre(api, world, 641 + seq, skills="产业发展")
        url = f"/api/v1/cadres/{world.a.county_code}/{cadre_id}/profile"
        assert zzb.request("PUT", url, json={**levels, "reason": "年度考察"}).status_code == 200
        assert zzb.post(f"{base}/cadres/{cadre_id}/nomination", json={}).status_code == 201
    body = zzb.post(f"{base}/counties/{county}/match", json={"dry_run": True}).json()
    team = {a["cadre_id"] for a in body["assignments"] if a["village_code"] == world.a.village}
    assert len(team) == 3 and people["weak"] not in team and people["strong"] in team
    assert body["objective"] >= body["greedy_objective"]
    run = zzb.post(f"{base}/counties/{county}/match", json={"dry_run": False})
    assert run.status_code == 200, run.text
    web("zzb")
    page = client.get(f"/selection?year={TERM}&county={county}")
    assert page.status_code == 200 and page.text.count('data-testid="profile-cell"') >= 2
    assert "优秀" in page.text and "差" in page.text
