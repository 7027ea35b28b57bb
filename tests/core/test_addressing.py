"""Rows of county-keyed tables are addressed by (county_code, id) (core.addressing); the paths
of before answer a 308 to the new one after a scoped lookup, or 404 — never a 500."""

from __future__ import annotations

from tests.core.route_table import ROUTES
from zhucun.core.addressing import OLD_PATHS, href


def test_every_route_that_opens_a_household_names_its_county(app):
    paths = {path for _method, path, _perm in ROUTES if "{household_id" in path}
    new = {p for p in paths if "{county_code}/{household_id}" in p}
    assert "/registry/households/{county_code}/{household_id}" in new
    assert paths - new == {p for _m, p in OLD_PATHS if "{household_id:int}" in p}


def test_old_paths_stay_out_of_the_api_spec(client):
    spec = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/households/{county_code}/{household_id}" in spec
    assert not [p for p in spec if "households/{household_id" in p or "cases/{case_id" in p]


def test_an_old_page_path_redirects_to_the_county_path_with_its_query(client, web, world):
    web("zhen")
    old = client.get(f"/registry/households/{world.a.household_id}?lang=en", follow_redirects=False)
    assert old.status_code == 308
    assert old.headers["location"] == f"/registry/households/{world.a.county_code}/{world.a.household_id}?lang=en"
    assert client.get(old.headers["location"]).status_code == 200


def test_an_old_api_path_keeps_the_method_and_body(client, api, world):
    bearer = api("zhen")
    url = f"/api/v1/households/{world.a.household_id}"
    moved = bearer.patch(url, json={"main_cause": "因病", "reason": "入户核实"}, follow_redirects=False)
    assert moved.status_code == 308
    followed = bearer.patch(url, json={"main_cause": "因病", "reason": "入户核实"})
    assert followed.status_code == 200 and followed.json()["main_cause"] == "01"  # 因病, as a catalogue code
    assert str(followed.url).endswith(f"/api/v1/households/{world.a.county_code}/{world.a.household_id}")


def test_old_paths_answer_404_outside_the_area_or_for_no_row(client, api, world):
    bearer = api("zhen")
    assert bearer.get(f"/api/v1/households/{world.b.household_id}", follow_redirects=False).status_code == 404
    assert bearer.get("/api/v1/households/999999999", follow_redirects=False).status_code == 404
    assert bearer.get(f"/api/v1/households/{2**70}", follow_redirects=False).status_code == 404


def test_the_county_must_match_the_row(client, api, world):
    bearer = api("zhen")
    wrong = f"/api/v1/households/{world.b.county_code}/{world.a.household_id}"
    assert bearer.get(wrong).status_code == 404
    assert bearer.get(f"/api/v1/households/52279x/{world.a.household_id}").status_code == 422


def test_static_paths_are_not_taken_for_old_ids(client, api):
    assert api("zhen").get("/api/v1/households/export.csv").status_code == 200


def test_links_are_built_by_one_helper(client, web, world):
    web("zhen")
    listed = client.get("/registry/households").text
    assert f'href="{href("household", world.a.county_code, world.a.household_id)}"' in listed
    assert f'href="/registry/households/{world.a.household_id}"' not in listed
