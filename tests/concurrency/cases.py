"""The races the harness runs: one line per write route and rule. Each ``Case`` prepares its
rows through the API, names the i-th of N concurrent requests, how many may win, and what
the database must show afterwards (see ``harness``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from tests.factories.registry import id_number
from zhucun.accounts.units.models import UnitPairing
from zhucun.core.audit import AuditEntry
from zhucun.divisions.models import Division
from zhucun.registry.models import HEAD_RELATIONS, Household, Member
from zhucun.registry.officials.models import VillageOfficial
from zhucun.selection.cadres.models import CadrePosting

from .harness import Case, Live, Request, chains

COUNTY = "522799"


# --- preparing -------------------------------------------------------------------------------


def person(live: Live, relation: str = "子") -> dict[str, Any]:
    n = live.number()
    number = id_number(COUNTY, (date(1940, 1, 1) + timedelta(days=n)).strftime("%Y%m%d"), male=True, seq=n)
    live.sent.append(number)
    return {"name": f"测试{n}", "id_number": number, "relation": relation}


def household_body(live: Live, members: int = 2, *, village: str | None = None) -> dict[str, Any]:
    number = f"{COUNTY}8{live.number():05d}"
    live.sent.append(number)
    people = [person(live, "户主")] + [person(live) for _ in range(members - 1)]
    return {
        "household_no": number,
        "village_code": village or live.world.a.village,
        "status": "22",
        "members": people,
    }


def household(live: Live, members: int = 2, *, village: str | None = None) -> dict[str, Any]:
    return live.ok("POST", "/api/v1/households", json=household_body(live, members, village=village))


def headless(live: Live) -> dict[str, Any]:
    made = household(live, 2)
    head = next(m for m in made["members"] if m["relation"] in HEAD_RELATIONS)
    live.ok(
        "POST", f"/api/v1/members/{head['county_code']}/{head['id']}/remove", json={"status": "2", "reason": "去世"}
    )
    return made


def cadre(live: Live) -> dict[str, Any]:
    n = live.number()
    number = id_number(COUNTY, (date(1980, 1, 1) + timedelta(days=n)).strftime("%Y%m%d"), male=True, seq=n)
    live.sent.append(number)
    body = {"name": f"干部{n}", "id_number": number, "division_code": live.world.a.county, "unit_id": None}
    return {**live.ok("POST", "/api/v1/cadres", json=body), "village": live.world.a.village}


def posted(live: Live) -> dict[str, Any]:
    made = cadre(live)
    body = {"village_code": live.world.a.village, "role": "工作队员", "start_date": "2025-03-01"}
    return live.ok("POST", f"/api/v1/cadres/{made['county_code']}/{made['id']}/postings", json=body)


def user(live: Live) -> dict[str, Any]:
    body = {
        "username": f"race{live.number()}",
        "display_name": "并发测试",
        "password": "Race2026pass",
        "division_code": live.world.a.village,
        "grants": [{"role": "helper", "division_code": live.world.a.village}],
    }
    return {**live.ok("POST", "/api/v1/users", json=body), "township": live.world.a.township}


def unit(live: Live) -> dict[str, Any]:
    return live.ok("POST", "/api/v1/units", json=unit_body(f"并发测试单位{live.number()}"))


def unit_body(name: str) -> dict[str, Any]:
    return {"name": name, "level": "city", "kind": "government", "division_code": COUNTY + "000000"}


def other_village(live: Live) -> str:
    """A village of county A that nobody else's case uses: its posts are free."""
    with live.session() as session:
        return session.scalars(
            select(Division.code)
            .where(Division.level == "village", Division.code.startswith(COUNTY), Division.code != live.world.a.village)
            .order_by(Division.code.desc())
        ).first()


def village_with_residents(live: Live, n: int) -> tuple[str, list[int]]:
    village = other_village(live)
    made = household(live, n, village=village)
    return village, [m["id"] for m in made["members"]]


# --- checking ----------------------------------------------------------------------------------


def roll(live: Live, household_id: int) -> tuple[int, int, int]:
    """(member_count as stored, members on the roll, heads on the roll)."""
    with live.session() as session:
        stored = session.scalar(select(Household.member_count).where(Household.id == household_id))
        on_roll = select(func.count()).where(Member.household_id == household_id, Member.status == "1")
        heads = on_roll.where(Member.relation.in_(HEAD_RELATIONS))
        return stored, session.scalar(on_roll), session.scalar(heads)


def counted(live: Live, household_id: int, members: int, heads: int | None = None) -> None:
    stored, on_roll, found = roll(live, household_id)
    assert stored == on_roll == members, (stored, on_roll, members)
    if heads is not None:
        assert found == heads


def audit_count(live: Live, action: str, entity_id: int) -> int:
    with live.session() as session:
        return session.scalar(
            select(func.count()).where(AuditEntry.action == action, AuditEntry.entity_id == str(entity_id))
        )


def winner_count(answers: list) -> int:
    return sum(a.status_code < 300 for a in answers)


def _households_created(live: Live, prepared: Any, answers: list) -> None:
    number = prepared["household_no"] if isinstance(prepared, dict) else None
    with live.session() as session:
        if number:
            assert session.scalar(select(func.count()).where(Household.household_no == number)) == 1


def _same_person_once(live: Live, prepared: Any, answers: list) -> None:
    winner = next(a.json() for a in answers if a.status_code < 300)
    counted(live, winner["id"], 1, heads=1)
    assert all(a.json()["field"].endswith("id_number") for a in answers if a.status_code >= 300)


def _moved(live: Live, prepared: Any, answers: list) -> None:
    x, y = prepared
    counted(live, x["id"], len(x["members"]), heads=1)
    counted(live, y["id"], len(y["members"]), heads=1)


def _posting_once(live: Live, prepared: Any, answers: list) -> None:
    with live.session() as session:
        open_ = select(func.count()).where(CadrePosting.cadre_id == prepared["id"], CadrePosting.end_date.is_(None))
        assert session.scalar(open_) == 1


def _one_secretary(live: Live, prepared: Any, answers: list) -> None:
    village, _members = prepared
    with live.session() as session:
        holders = select(func.count()).where(
            VillageOfficial.village_code == village, VillageOfficial.post == "11", VillageOfficial.term_end.is_(None)
        )
        assert session.scalar(holders) == 1


def _paired_once(live: Live, prepared: Any, answers: list) -> None:
    with live.session() as session:
        pairs = select(func.count()).where(UnitPairing.unit_id == prepared["id"])
        assert session.scalar(pairs) == 1  # no pairing at registration, one now


def _number_race(body: dict[str, Any], i: int) -> Request:
    """The same household number, each time with other people."""
    people = [
        {**m, "id_number": id_number(COUNTY, "19500101", male=True, seq=900 + 2 * i + k)}
        for k, m in enumerate(body["members"])
    ]
    return Request("POST", "/api/v1/households", {**body, "members": body["members"] if i == 0 else people})


def _person_race(p: dict[str, Any], i: int) -> Request:
    """The same person as the head of households of other numbers."""
    body = {"household_no": f"{COUNTY}7{i:05d}", "village_code": p["village"], "status": "22", "members": [p["head"]]}
    return Request("POST", "/api/v1/households", body)


def _appointment(vm: tuple[str, list[int]], i: int) -> Request:
    body = {"member_id": vm[1][i], "post": "11", "term_start": "2024-01-15"}
    return Request("POST", f"/api/v1/villages/{vm[0]}/officials", body)


def _new_user(u: dict[str, Any], i: int) -> Request:
    body = {"username": u["name"], "display_name": f"并发{i}", "password": "Race2026pass", "grants": []}
    return Request("POST", "/api/v1/users", {**body, "division_code": u["village"]})


def _posting(c: dict[str, Any], i: int) -> Request:
    body = {"village_code": c["village"], "role": "工作队员", "start_date": "2025-03-01"}
    return Request("POST", f"/api/v1/cadres/{c['county_code']}/{c['id']}/postings", body)


def _patch(path: str, **body: Any) -> Request:
    return Request("PATCH", path, body)


def _post(path: str, **body: Any) -> Request:
    return Request("POST", path, body)


def _nothing(live: Live, prepared: Any, answers: list) -> None:
    """Nothing beyond the answers: one success, the others located 409s."""


def _audited(live: Live, action: str, entity_id: int, times: int) -> None:
    assert audit_count(live, action, entity_id) == times


CASES = [
    # registry: households
    Case("household create, one number", household_body, _number_race, _households_created, winners=1),
    Case(
        "household create, one person",
        lambda live: {"head": person(live, "户主"), "village": live.world.a.village},
        _person_race,
        _same_person_once,
        winners=1,
    ),
    Case(
        "household edit",
        household,
        lambda h, i: _patch(f"/api/v1/households/{h['county_code']}/{h['id']}", address=f"并发路{i}号", reason="核实"),
        lambda live, h, _: chains(live, "household", h["id"], "registry:household:updated"),
        n=20,
    ),
    Case(
        "income of one year",
        household,
        lambda h, i: Request(
            "PUT",
            f"/api/v1/households/{h['county_code']}/{h['id']}/incomes/2025",
            {"wage": str(1000 + i), "reason": "核算"},
        ),
        lambda live, h, _: chains(live, "household", h["id"], "registry:household:updated"),
        n=20,
    ),
    # registry: members
    Case(
        "member add",
        lambda live: {**household(live), "new": [person(live) for _ in range(20)]},
        lambda h, i: Request("POST", f"/api/v1/households/{h['county_code']}/{h['id']}/members", h["new"][i]),
        lambda live, h, _: counted(live, h["id"], 2 + 20, heads=1),
        n=20,
    ),
    Case(
        "member add, one head",
        lambda live: {**headless(live), "new": [person(live, "户主") for _ in range(10)]},
        lambda h, i: Request("POST", f"/api/v1/households/{h['county_code']}/{h['id']}/members", h["new"][i]),
        lambda live, h, _: counted(live, h["id"], 1 + 1, heads=1),
        winners=1,
    ),
    Case(
        "member edit",
        lambda live: household(live)["members"][1],
        lambda m, i: _patch(f"/api/v1/members/{m['county_code']}/{m['id']}", migrant_months=i % 13, reason="核实"),
        lambda live, m, _: chains(live, "member", m["id"], "registry:member:updated"),
        n=20,
    ),
    Case(
        "member remove, once",
        lambda live: household(live, 3),
        lambda h, i: _post(
            f"/api/v1/members/{h['county_code']}/{h['members'][1]['id']}/remove", status="3", reason="迁出"
        ),
        lambda live, h, _: counted(live, h["id"], 2, heads=1),
        winners=1,
    ),
    Case(
        "member moves both ways between two households",
        lambda live: (household(live, 7), household(live, 7)),
        lambda xy, i: _post(
            f"/api/v1/members/{xy[i % 2]['county_code']}/{xy[i % 2]['members'][1 + i // 2]['id']}/move",
            household_id=xy[1 - i % 2]["id"],
            relation="子",
            reason="分户",
        ),
        _moved,
        n=12,
    ),
    # registry: village officials
    Case(
        "official appoint, one secretary",
        lambda live: village_with_residents(live, 10),
        _appointment,
        _one_secretary,
        winners=1,
    ),
    # accounts
    Case(
        "user create, one name",
        lambda live: {"name": f"race{live.number()}", "village": live.world.a.village},
        _new_user,
        _nothing,
        winners=1,
    ),
    Case(
        "role grant, once",
        user,
        lambda u, i: _post(f"/api/v1/users/{u['id']}/grants", role="helper", division_code=u["township"]),
        lambda live, u, _: chains(live, "user", u["id"], "account:role:granted", registry=False),
        winners=1,
    ),
    Case(
        "password reset",
        user,
        lambda u, i: _post(f"/api/v1/users/{u['id']}/password", password=f"Reset2026pw{i}"),
        lambda live, u, _: _audited(live, "account:password:reset", u["id"], 10),
    ),
    Case(
        "account disabled",
        user,
        lambda u, i: _patch(f"/api/v1/users/{u['id']}", is_active=False, reason="调离"),
        lambda live, u, _: _audited(live, "account:user:disabled", u["id"], 1),
    ),
    # accounts: units
    Case(
        "unit create, one name",
        lambda live: f"并发单位{live.number()}",
        lambda name, i: Request("POST", "/api/v1/units", unit_body(name)),
        _nothing,
        winners=1,
    ),
    Case(
        "unit edit",
        unit,
        lambda u, i: _patch(f"/api/v1/units/{u['id']}", name=f"{u['name']}-{i}", reason="更名"),
        lambda live, u, _: chains(live, "unit", u["id"], "accounts:unit:updated", registry=False),
    ),
    Case(
        "unit pairing, once",
        unit,
        lambda u, i: _post(f"/api/v1/units/{u['id']}/pairings", division_code="522798000000"),
        _paired_once,
        winners=1,
    ),
    # selection: cadres and postings
    Case(
        "cadre create, one person",
        person,
        lambda p, i: _post("/api/v1/cadres", name=f"干{i}", id_number=p["id_number"], division_code=COUNTY + "000000"),
        _nothing,
        winners=1,
    ),
    Case(
        "cadre edit",
        cadre,
        lambda c, i: _patch(f"/api/v1/cadres/{c['county_code']}/{c['id']}", position=f"科员{i}", reason="职务调整"),
        lambda live, c, _: chains(live, "cadre", c["id"], "selection:cadre:updated"),
    ),
    Case("posting, one open", cadre, _posting, _posting_once, winners=1),
    Case(
        "posting end, once",
        posted,
        lambda p, i: _post(
            f"/api/v1/postings/{p['county_code']}/{p['id']}/end", end_date="2025-12-31", end_reason="期满"
        ),
        lambda live, p, _: chains(live, "cadre", p["cadre_id"], "selection:cadre:posting_ended"),
        winners=1,
    ),
]


# --- incentive and guarantee: a work fund is never spent beyond its amount -------------------


def _fund(live: Live) -> dict[str, Any]:
    made = cadre(live)
    body = {"village_code": live.world.a.village, "role": "第一书记", "start_date": "2025-03-01"}
    live.ok("POST", f"/api/v1/cadres/{COUNTY}/{made['id']}/postings", json=body)
    fund = {"kind": "secretary", "year": date.today().year, "amount": "1000"}
    return live.ok("POST", f"/api/v1/guarantee/cadres/{COUNTY}/{made['id']}/funds", json=fund)


def _spent_within(live: Live, fund: dict[str, Any], _answers: Any) -> None:
    from zhucun.selection.guarantee.models import FundSpending, WorkFund

    with live.session() as session:
        stored = session.get(WorkFund, (COUNTY, fund["id"]))
        rows = session.scalar(select(func.count()).select_from(FundSpending).where(FundSpending.fund_id == fund["id"]))
        assert (str(stored.spent), rows) == ("900.00", 3)


CASES.append(
    Case(
        "work fund spending, never beyond the balance",
        _fund,
        lambda f, i: Request(
            "POST",
            f"/api/v1/guarantee/funds/{COUNTY}/{f['id']}/spendings",
            {"spent_on": date.today().isoformat(), "amount": "300", "purpose": f"支出{i}"},
        ),
        _spent_within,
        winners=3,
    )
)


# --- helpers: a helper who leaves while the county is being assigned keeps no household ------


def _helped_cadre(live: Live) -> dict[str, Any]:
    """A posted cadre helping households of the world's village (the county assigned once)."""
    posting = posted(live)
    for _ in range(3):
        household(live, 1)
    live.ok("POST", "/api/v1/helpers/assign", json={"county": COUNTY + "000000"})
    from zhucun.selection.helpers.models import HelperAssignment as A

    with live.session() as session:
        theirs = select(func.count()).where(A.county_code == COUNTY, A.cadre_id == posting["cadre_id"])
        assert session.scalar(theirs.where(A.end_date.is_(None))) > 0  # there is something to move
    return posting


def _leave_or_assign(p: dict[str, Any], i: int) -> Request:
    if i == 0:
        path = f"/api/v1/postings/{p['county_code']}/{p['id']}/end"
        return _post(path, end_date=date.today().isoformat(), end_reason="调离")
    return _post("/api/v1/helpers/assign", county=COUNTY + "000000")


def _none_with_the_leaver(live: Live, p: dict[str, Any], answers: list) -> None:
    from zhucun.selection.helpers.models import HelperAssignment as A

    with live.session() as session:
        kept = select(func.count()).where(A.county_code == COUNTY, A.cadre_id == p["cadre_id"], A.end_date.is_(None))
        assert session.scalar(kept) == 0
        per_household = (
            select(A.household_id, func.count())
            .where(A.county_code == COUNTY, A.end_date.is_(None))
            .group_by(A.household_id)
            .having(func.count() > 1)
        )
        assert session.execute(per_household).all() == []


CASES.append(
    Case("helper leaves during the county's assignment", _helped_cadre, _leave_or_assign, _none_with_the_leaver, n=4)
)


# --- selection: nominations --------------------------------------------------------------------


def _one_nomination(live: Live, made: dict[str, Any], answers: Any) -> None:
    from zhucun.selection.matching.models import Nomination

    assert sorted(a.json()["nominated"] for a in answers) == [0] * 9 + [1]
    with live.session() as session:
        rows = session.scalar(
            select(func.count())
            .select_from(Nomination)
            .where(Nomination.cadre_id == made["id"], Nomination.term == 2030)
        )
        entries = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "selection:nomination:created", AuditEntry.entity_id == str(made["id"]))
        )
        assert (rows, entries) == (1, 1)


CASES.append(
    Case(
        "nominations of one cadre, many at once",
        cadre,
        lambda c, i: Request(
            "POST",
            "/api/v1/selection/2030/nominations",
            {"cadres": [{"county_code": c["county_code"], "cadre_id": c["id"]}], "note": f"推荐{i}"},
        ),
        _one_nomination,
    )
)
