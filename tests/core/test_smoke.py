from tests.factories.world import World


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_world_has_two_counties(world: World, api):
    body = api("admin").get("/api/v1/divisions", params={"level": "county"}).json()
    assert {d["code"] for d in body["items"]} == {world.a.county, world.b.county}
