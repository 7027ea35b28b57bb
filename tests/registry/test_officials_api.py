"""Village officials through the API: residents of the village only, one holder at a time
of the single-holder posts, ends of terms with a reason, history and audit, scope."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import registry as registry_factory
from zhucun.core.audit import AuditEntry
from zhucun.divisions.models import Division
from zhucun.registry.models import Member, RegistryChange


def _appoint(api, world, who="cunwei", **extra):
    body = {"member_id": world.a.member_id, "post": "村党组织书记", "term_start": "2024-01-15", **extra}
    return api(who).post(f"/api/v1/villages/{world.a.village}/officials", json=body)


def _head(session, world) -> Member:
    return session.scalars(
        select(Member).where(Member.household_id == world.a.household_id, Member.relation == "02")
    ).one()


def test_the_village_committee_appoints_a_resident(api, world, session):
    response = _appoint(api, world, reason="换届选举")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["post"] == "11" and body["member_name"] == "张小明" and body["term_end"] is None
    listed = api("zhen").get(f"/api/v1/villages/{world.a.village}/officials").json()
    assert [(o["post"], o["member_name"]) for o in listed] == [("11", "张小明"), ("23", "张小明")]
    change = session.scalars(
        select(RegistryChange).where(RegistryChange.entity == "official", RegistryChange.entity_id == body["id"])
    ).one()
    assert change.household_id == world.a.household_id and change.reason == "换届选举"
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "registry:official:appointed", AuditEntry.entity_id == str(body["id"])
        )
    ).one()
    assert entry.actor_name == "cunwei" and entry.division_code == world.a.village


def test_a_single_holder_post_has_one_open_term(api, world, session):
    assert _appoint(api, world).status_code == 201
    head = _head(session, world)
    response = api("cunwei").post(
        f"/api/v1/villages/{world.a.village}/officials",
        json={"member_id": head.id, "post": "11", "term_start": "2024-02-01"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 409 and response.json()["code"] == "post_taken"
    assert "village party secretary" in response.json()["message"]
    # Several committee members at once are normal.
    member = api("cunwei").post(
        f"/api/v1/villages/{world.a.village}/officials",
        json={"member_id": head.id, "post": "23", "term_start": "2024-02-01"},
    )
    assert member.status_code == 201
    twice = api("cunwei").post(
        f"/api/v1/villages/{world.a.village}/officials",
        json={"member_id": head.id, "post": "23", "term_start": "2024-03-01"},
    )
    assert twice.status_code == 409 and twice.json()["code"] == "already_holding"


def test_an_official_lives_in_the_village(api, world, session, settings):
    neighbour = session.scalars(
        select(Division.code).where(
            Division.level == "village",
            Division.code.startswith(world.a.township[:9]),
            Division.code != world.a.village,
        )
    ).first()
    household = registry_factory.household(session, settings, neighbour, "5227990901", members=1)
    stranger = session.scalars(select(Member.id).where(Member.household_id == household.id)).one()
    response = api("zhen").post(
        f"/api/v1/villages/{world.a.village}/officials",
        json={"member_id": stranger, "post": "23", "term_start": "2024-01-01"},
    )
    assert response.status_code == 422 and response.json()["code"] == "other_village"
    foreign = _appoint(api, world, member_id=world.b.member_id)
    assert foreign.status_code == 422 and foreign.json()["field"] == "member_id"
    assert _appoint(api, world, post="村长").json()["field"] == "post"
    assert _appoint(api, world, term_start="1990-01-01").json()["code"] == "implausible_date"


def test_a_resident_off_the_roll_cannot_be_appointed(api, world):
    removed = api("cunwei").post(
        f"/api/v1/members/{world.a.county_code}/{world.a.member_id}/remove", json={"status": "3", "reason": "迁出"}
    )
    assert removed.status_code == 200
    response = _appoint(api, world)
    assert response.status_code == 422 and response.json()["code"] == "not_registered"


def test_ending_a_term_needs_a_reason_and_frees_the_post(api, world, session):
    official = _appoint(api, world).json()
    url = f"/api/v1/officials/{official['county_code']}/{official['id']}/end"
    cunwei = api("cunwei")
    assert cunwei.post(url, json={"term_end": "2025-12-31"}).status_code == 422
    assert cunwei.post(url, json={"term_end": "2023-12-31", "reason": "换届"}).json()["code"] == "end_before_start"
    ended = cunwei.post(url, json={"term_end": "2025-12-31", "reason": "换届"})
    assert ended.status_code == 200 and ended.json()["term_end"] == "2025-12-31"
    assert cunwei.post(url, json={"term_end": "2025-12-31", "reason": "换届"}).json()["code"] == "term_ended"
    head = _head(session, world)
    assert _appoint(api, world, member_id=head.id, term_start="2026-01-01").status_code == 201
    detail = cunwei.get(f"/api/v1/officials/{official['county_code']}/{official['id']}").json()
    assert [h["action"] for h in detail["history"]] == ["term_ended", "appointed"]
    assert detail["history"][0]["reason"] == "换届"
    current = cunwei.get(f"/api/v1/villages/{world.a.village}/officials", params={"current": "true"}).json()
    assert {o["member_name"] for o in current if o["post"] == "11"} == {"张建国"}
    past = cunwei.get(f"/api/v1/villages/{world.a.village}/officials", params={"current": "false"}).json()
    assert [o["id"] for o in past] == [official["id"]]


def test_officials_are_scoped(api, world):
    assert api("cunwei").get(f"/api/v1/villages/{world.b.village}/officials").status_code == 404
    assert api("cunwei").get(f"/api/v1/officials/{world.b.county_code}/{world.b.official_id}").status_code == 404
    assert (
        api("cunwei")
        .post(
            f"/api/v1/officials/{world.b.county_code}/{world.b.official_id}/end",
            json={"term_end": "2025-12-31", "reason": "换届"},
        )
        .status_code
        == 404
    )
    assert api("cunwei").get(f"/api/v1/villages/{world.a.township}/officials").status_code == 404
    assert (
        api("bangfu")
        .post(
            f"/api/v1/villages/{world.a.village}/officials",
            json={"member_id": world.a.member_id, "post": "11", "term_start": "2024-01-15"},
        )
        .status_code
        == 403
    )
