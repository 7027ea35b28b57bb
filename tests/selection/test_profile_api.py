"""The cadre's competency profile through the API: the unit records its assessment of the
five inner factors (audited, in the history with labels), bad levels are refused on their
field with nothing written, another unit's or county's cadre is out of reach, and the
profile of any list of cadres is read in one query."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError

from tests.factories.registry import id_number
from zhucun.core.audit import AuditEntry
from zhucun.core.models import User
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.cadres.profiles import BY_KEY, profile, scores

ASSESSED = "selection:cadre:assessed"
LEVELS = {"political": 5, "responsibility": 4, "ability": 4, "dedication": 3, "relations": 2}


def _url(county: str, cadre_id: int) -> str:
    return f"/api/v1/cadres/{county}/{cadre_id}/profile"


def test_the_unit_records_its_assessment_beside_what_the_record_says(api, world, session):
    response = api("danwei").request(
        "PUT", _url(world.a.county_code, world.a.cadre_id), json={**LEVELS, "reason": "年度考察"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["assessed"] == LEVELS and body["assessed_on"] == date.today().isoformat()
    assert body["assessed_by_name"].startswith("周处长")
    # 李明: in the party since 2010 (five levels past ten years); 本科, 科员, working since
    # 2009, no skills given: (0.8 + 0.4 + 1) / 3 → 4. Back from one posting as a team member.
    assert body["record"] == {"political": 5, "ability": 4}
    assert body["experience"] == {"postings": 1, "villages": 1, "roles": {"3": 1}}
    assert 0 < body["score"] < 1
    detail = api("zzb").get(f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}").json()
    assert detail["profile"]["assessed"] == LEVELS and detail["profile"]["score"] == body["score"]
    stored = session.get(Cadre, (world.a.county_code, world.a.cadre_id))
    danwei = session.scalars(select(User.id).where(User.username == "danwei")).one()
    assert (stored.political, stored.relations, stored.assessed_by) == (5, 2, danwei)


def test_the_change_is_audited_and_told_with_labels(api, world, session):
    danwei = api("danwei")
    url = _url(world.a.county_code, world.a.cadre_id)
    assert danwei.request("PUT", url, json={**LEVELS, "assessed_on": "2026-11-30"}).status_code == 200
    assert danwei.request("PUT", url, json={**LEVELS, "relations": 4, "reason": "复核"}).status_code == 200
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == ASSESSED).order_by(AuditEntry.at, AuditEntry.seq)
    ).all()
    assert [e.entity_id for e in entries] == [str(world.a.cadre_id)] * 2
    assert entries[0].before["political"] is None and entries[0].after["political"] == 5
    assert entries[0].after["assessed_on"] == "2026-11-30"
    assert entries[1].before == {"relations": 2, "assessed_on": "2026-11-30"}
    assert entries[1].after == {"relations": 4, "assessed_on": date.today().isoformat()}
    assert entries[1].reason == "复核"
    history = api("zzb").get(f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}/history").json()["items"]
    assert history[0]["action"] == "assessed" and history[0]["reason"] == "复核"
    # Sent again unchanged (a double click): nothing more is recorded.
    assert danwei.request("PUT", url, json={**LEVELS, "relations": 4}).status_code == 200
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == ASSESSED)).all() == entries


def test_a_level_outside_one_to_five_is_refused_on_its_field_and_nothing_is_written(api, world, session):
    danwei = api("danwei")
    url = _url(world.a.county_code, world.a.cadre_id)
    for field, value in (("political", 6), ("ability", 0), ("dedication", "优秀")):
        refused = danwei.request("PUT", url, json={**LEVELS, field: value}, headers={"Accept-Language": "en"})
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
    future = danwei.request("PUT", url, json={**LEVELS, "assessed_on": "2999-01-01"})
    assert future.status_code == 422 and future.json()["field"] == "assessed_on"
    stored = session.scalars(select(Cadre.political).where(Cadre.id == world.a.cadre_id)).one()
    assert stored is None
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == ASSESSED)).all() == []


def test_another_units_or_countys_cadre_is_out_of_reach(api, world):
    other_unit = api("zzb").get("/api/v1/units", params={"q": "贵州大学"}).json()["items"][0]["id"]
    stranger = (
        api("zzb")
        .post(
            "/api/v1/cadres",
            json={
                "name": "何平",
                "id_number": id_number("522799", "19910101", male=True, seq=741),
                "division_code": world.a.county,
                "unit_id": other_unit,
            },
        )
        .json()
    )
    assert api("danwei").request("PUT", _url(stranger["county_code"], stranger["id"]), json=LEVELS).status_code == 404
    assert api("zzb").request("PUT", _url(world.b.county_code, world.b.cadre_id), json=LEVELS).status_code == 404
    # The organisation department assesses any cadre of its county; a township may not.
    assert api("zzb").request("PUT", _url(stranger["county_code"], stranger["id"]), json=LEVELS).status_code == 200
    assert (
        api("zhen").request("PUT", _url(world.a.county_code, world.a.posted_cadre_id), json=LEVELS).status_code == 403
    )


def test_the_database_holds_the_levels_too(session, world):
    with pytest.raises(IntegrityError):
        session.execute(
            update(Cadre)
            .where(Cadre.county_code == world.a.county_code, Cadre.id == world.a.cadre_id)
            .values(political=6)
        )
        session.flush()
    session.rollback()


def test_the_profiles_of_many_cadres_are_read_in_one_query(session, world, engine):
    cadres = session.scalars(select(Cadre).where(Cadre.county_code.in_(["522799", "522798"])).order_by(Cadre.id)).all()
    sent: list[str] = []
    listen = lambda *args: sent.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        found = profile(session, cadres)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert len(sent) == 1 and "GROUP BY" in sent[0]
    by_name = {c.name: found[c.id] for c in cadres}
    # Each county's 李明 came back from a posting; 张卫东 is posted now, with none before.
    assert by_name["李明"].experience.postings == 1 and by_name["张卫东"].experience.postings == 0
    # 张卫东: 研究生, 乡科级副职, working since 2004: (1 + 0.6 + 1) / 3 → 5.
    assert by_name["张卫东"].record == {"political": 5, "ability": 5}
    assert scores(session, cadres).tolist() == [found[c.id].score for c in cadres]
    assert profile(session, []) == {}


def test_the_export_carries_the_assessment_as_words(api, world):
    zzb = api("zzb")
    assert zzb.request("PUT", _url(world.a.county_code, world.a.cadre_id), json=LEVELS).status_code == 200
    rows = list(csv.reader(io.StringIO(zzb.get("/api/v1/cadres/export.csv").content.decode("utf-8-sig"))))
    header = rows[0]
    columns = [header.index(name) for name in ("政治素质", "责任意识", "工作能力", "奉献精神", "社会关系")]
    by_name = {row[header.index("姓名")]: row for row in rows[1:]}
    assert [by_name["李明"][i] for i in columns] == ["优秀", "良好", "良好", "一般", "较差"]
    assert [by_name["张卫东"][i] for i in columns] == [""] * 5


def test_a_long_list_is_read_by_its_counties_with_the_same_result(session, world):
    real = session.scalars(select(Cadre).where(Cadre.county_code == "522799").order_by(Cadre.id)).all()
    # Past BY_KEY cadres the query names their counties instead: unsaved stand-ins fill the list.
    stand_ins = [Cadre(county_code="522799", id=10**12 + i, party_member=False) for i in range(BY_KEY)]
    long = profile(session, [*real, *stand_ins])
    short = profile(session, real)
    assert {c.id: long[c.id] for c in real} == short
    assert long[stand_ins[0].id].experience.postings == 0 and long[stand_ins[0].id].record["political"] == 2
