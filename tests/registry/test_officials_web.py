"""Village official pages: the section of the village's page (loaded by HTMX), appointing
a resident and ending a term with errors next to the fields, readers without the right."""

from __future__ import annotations


def test_the_village_page_loads_its_officials(client, web, world):
    web("cunwei")
    village = client.get(f"/divisions/{world.a.village}")
    assert f'hx-get="/registry/villages/{world.a.village}/officials"' in village.text
    section = client.get(f"/registry/villages/{world.a.village}/officials", headers={"HX-Request": "true"})
    assert section.status_code == 200 and "<html" not in section.text
    assert "村两委成员" in section.text
    assert "张小明" in section.text and "村民委员会委员" in section.text
    english = client.get(f"/registry/villages/{world.a.village}/officials?lang=en", headers={"HX-Request": "true"})
    assert "village committee member" in english.text


def test_appointing_and_ending_a_term_through_the_page(client, web, world):
    csrf = web("cunwei")
    url = f"/registry/villages/{world.a.village}/officials"
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="appoint"' in page.text and "张建国" in page.text
    missing = client.post(url, data={"csrf_token": csrf, "member_id": str(world.a.member_id), "post": "11"})
    assert missing.status_code == 422 and 'id="term_start-error"' in missing.text
    done = client.post(
        url,
        data={"csrf_token": csrf, "member_id": str(world.a.member_id), "post": "11", "term_start": "2024-01-15"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "村党组织书记" in client.get(url).text
    end = client.post(
        f"/registry/officials/{world.a.county_code}/{world.a.official_id}/end",
        data={"csrf_token": csrf, "term_end": "2025-12-31"},
    )
    assert end.status_code == 422 and 'id="reason-error"' in end.text
    ended = client.post(
        f"/registry/officials/{world.a.county_code}/{world.a.official_id}/end",
        data={"csrf_token": csrf, "term_end": "2025-12-31", "reason": "换届"},
        follow_redirects=False,
    )
    assert ended.status_code == 303


def test_a_helper_reads_officials_but_cannot_appoint(client, web, world):
    web("bangfu")
    page = client.get(f"/registry/villages/{world.a.village}/officials")
    assert page.status_code == 200 and 'data-testid="appoint"' not in page.text
    assert client.get(f"/registry/villages/{world.b.village}/officials").status_code == 404
