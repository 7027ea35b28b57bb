"""The generator writing into a real database (SQLite or PostgreSQL, whichever the run
tests): shares within tolerances, valid and unique ID numbers, officials with kin, and
favouritism exactly where the truth file says it was planted."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import numpy as np
import pytest

from tests.demo.conftest import Generated
from zhucun.core.idnumbers import check_many
from zhucun.demo.params import DEFAULTS

SUPPORTED = ("12", "13", "21", "22", "23")


def test_sizes_and_shares(county: Generated) -> None:
    ((households, mean_size),) = county.rows("SELECT count(*), avg(member_count) FROM households")
    assert households == 5000 and 3.1 < float(mean_size) < 3.45
    ((members,),) = county.rows("SELECT count(*) FROM members")
    assert members == county.generation.members == round(float(mean_size) * households)
    statuses = dict(county.rows("SELECT status, count(*) FROM households GROUP BY status"))
    monitored = sum(statuses.get(s, 0) for s in ("21", "22", "23")) / households
    assert 0.035 < monitored < 0.07
    assert statuses.get("11", 0) == 0 and statuses["12"] > statuses["14"] > statuses.get("13", 0)
    causes = Counter(
        dict(
            county.rows("SELECT main_cause, count(*) FROM households WHERE main_cause IS NOT NULL GROUP BY main_cause")
        )
    )
    assert causes.most_common(1)[0][0] == "01"
    ((unregistered_with_cause,),) = county.rows(
        "SELECT count(*) FROM households WHERE status = '00' AND main_cause IS NOT NULL"
    )
    assert unregistered_with_cause == 0


def test_each_household_has_exactly_one_head_and_its_member_count(county: Generated) -> None:
    rows = county.rows(
        "SELECT h.id, h.member_count, count(m.id), sum(CASE WHEN m.relation = '02' THEN 1 ELSE 0 END), "
        "min(CASE WHEN m.relation = '02' THEN m.name END), h.head_name "
        "FROM households h JOIN members m ON m.county_code = h.county_code AND m.household_id = h.id "
        "GROUP BY h.county_code, h.id, h.member_count, h.head_name"
    )
    assert len(rows) == 5000
    assert all(size == count and heads == 1 and head == name for _id, size, count, heads, head, name in rows)


def test_ages_agree_with_relations(county: Generated) -> None:
    rows = county.rows(
        "SELECT m.relation, m.gender, m.birth_date, h.birth_date FROM members m "
        "JOIN members h ON h.county_code = m.county_code AND h.household_id = m.household_id "
        "AND h.relation = '02'"
    )
    for relation, gender, born, head_born in rows:
        born, head_born = _date(born), _date(head_born)
        gap = (born - head_born).days / 365.25  # positive: younger than the head
        if relation in ("20", "30", "38"):
            assert gap >= 13, (relation, born, head_born)
        elif relation in ("41", "42", "43", "44"):
            assert gap >= 29, (relation, born, head_born)
        elif relation in ("51", "52"):
            assert gap <= -14, (relation, born, head_born)
        elif relation == "10":
            assert abs(gap) <= 16
        if relation in ("20", "41", "43", "51"):
            assert gender == "1"
        if relation in ("30", "38", "42", "44", "52"):
            assert gender == "2"


def test_id_numbers_are_valid_unique_and_match_the_member(county: Generated) -> None:
    rows = county.rows("SELECT id_cipher, id_hash, id_masked, gender, birth_date, county_code FROM members")
    numbers = county.protector.keyring.decrypt_many([r[0] for r in rows])
    _normalized, reasons = check_many(numbers, genders=[r[3] for r in rows], today=DEFAULTS.as_of)
    assert set(reasons) == {None}
    assert len(set(numbers)) == len(numbers) == len({r[1] for r in rows})
    for number, (_cipher, _digest, masked, _gender, born, county_code) in zip(numbers, rows):
        assert number[:6] == county_code
        assert number[6:14] == _date(born).strftime("%Y%m%d")
        assert masked == number[:6] + "*" * 8 + number[14:]
    assert county.protector.keyring.hash_many(numbers[:50]) == [r[1] for r in rows[:50]]


def test_schooling_and_work_follow_age(county: Generated) -> None:
    rows = county.rows("SELECT birth_date, education, student, labour, migrant_months, health FROM members")
    age = np.array([DEFAULTS.as_of.year - _date(r[0]).year for r in rows])
    education, student, labour = (np.array([r[i] for r in rows]) for i in (1, 2, 3))
    assert (student[(age >= 7) & (age <= 11)] == "2").mean() > 0.9
    assert (education[age >= 70] == "1").mean() > 3 * (education[(age >= 30) & (age < 45)] == "1").mean()
    assert (labour[age < 16] == "5").all()
    assert np.array([r[4] for r in rows])[age < 16].max() == 0


def test_incomes_follow_status(county: Generated) -> None:
    year = DEFAULTS.years[-1]
    line = DEFAULTS.line(year)
    rows = county.rows(
        "SELECT h.status, (i.wage + i.production - i.production_costs + i.property + i.transfer) "
        "* 1.0 / h.member_count FROM households h JOIN household_incomes i "
        "ON i.county_code = h.county_code AND i.household_id = h.id "
        "WHERE i.year = :year",
        year=year,
    )
    by_status = defaultdict(list)
    for status, per_head in rows:
        by_status[status].append(float(per_head) / line)
    above = {s: np.mean(np.array(v) > 1) for s, v in by_status.items()}
    assert above["12"] > 0.9 and above["14"] > 0.9 and above["00"] > 0.9
    monitored = np.concatenate([by_status[s] for s in ("21", "22", "23")])
    assert (monitored < 1).mean() > 0.6
    ((years,),) = county.rows("SELECT count(DISTINCT year) FROM household_incomes")
    assert years == len(DEFAULTS.years)


def test_benefits_go_mostly_to_supported_households(county: Generated) -> None:
    rows = county.rows(
        "SELECT h.status, h.attribute, sum(b.amount) FROM household_benefits b "
        "JOIN households h ON h.county_code = b.county_code AND h.id = b.household_id GROUP BY h.status, h.attribute"
    )
    total = sum(float(r[2]) for r in rows)
    supported = sum(float(r[2]) for r in rows if r[0] in SUPPORTED or r[1] != "1")
    assert supported / total > 0.8
    programs = dict(county.rows("SELECT program, count(*) FROM household_benefits GROUP BY program"))
    assert {"01", "03", "05", "06", "07"} <= set(programs)


def test_officials_have_kin_in_their_village(county: Generated) -> None:
    posts = county.rows(
        "SELECT o.member_id, o.post, o.village_code, m.village_code, m.household_id "
        "FROM village_officials o JOIN members m ON m.county_code = o.county_code AND m.id = o.member_id"
    )
    assert {p[1] for p in posts} >= {"11", "21", "23", "31", "41", "51"}
    assert all(p[2] == p[3] for p in posts)
    member = {r[0]: (r[1], r[2]) for r in county.rows("SELECT id, village_code, household_id FROM members")}
    kin = defaultdict(set)
    for a, b in county.rows("SELECT member_a, member_b FROM kin_relations"):
        kin[a].add(b)
        kin[b].add(a)
    for official, _post, village, _v, household in posts:
        relatives = [member[r] for r in kin[official]]
        assert any(v == village and h != household for v, h in relatives), official
    ((villages,),) = county.rows("SELECT count(DISTINCT village_code) FROM village_officials WHERE post = '11'")
    assert villages >= 25


def test_work_teams_in_key_villages(county: Generated) -> None:
    teams = county.rows(
        "SELECT p.village_code, p.role, p.end_date, c.unit_id, c.division_code FROM cadre_postings p "
        "JOIN cadres c ON c.county_code = p.county_code AND c.id = p.cadre_id"
    )
    key = {r[0] for r in county.rows("SELECT code FROM divisions WHERE is_key_village")}
    current = [t for t in teams if t[2] is None]
    assert {t[0] for t in current} == key
    assert Counter(t[0] for t in current if t[1] == "1") == Counter(dict.fromkeys(key, 1))
    assert all(sum(1 for t in current if t[0] == v) >= 3 for v in key)
    assert all(t[4] == t[0] for t in current)


def test_planted_favouritism_shows_where_the_truth_says_and_nowhere_else(county: Generated) -> None:
    truth = county.truth
    assert len(truth["planted"]) == 1
    ratios = _relatives_ratios(county)
    planted = {p["village_code"]: p for p in truth["planted"]}
    for code, spot in planted.items():
        amount_ratio, count_ratio, household_share = ratios.pop(code)
        assert amount_ratio == pytest.approx(spot["expected"]["amount_ratio"], abs=0.01)
        assert count_ratio == pytest.approx(spot["expected"]["count_ratio"], abs=0.01)
        assert amount_ratio > 3 and count_ratio > 3 and household_share < 0.3
    assert max(r[0] for r in ratios.values()) < 3
    assert max(r[1] for r in ratios.values()) < 3


def test_the_planted_signal_marks_exactly_the_favoured_households(county: Generated) -> None:
    truth = county.truth
    signal = truth["signal"]
    year = signal["of_monitoring_line_in"]
    threshold = signal["income_per_head_at_least"] * truth["monitoring_lines"][str(year)]
    rows = county.rows(
        "SELECT h.id, h.status, h.attribute, (i.wage + i.production - i.production_costs + i.property "
        "+ i.transfer) * 1.0 / h.member_count FROM households h "
        "JOIN household_incomes i ON i.county_code = h.county_code AND i.household_id = h.id WHERE i.year = :year",
        year=year,
    )
    marked = {
        r[0]
        for r in rows
        if (r[1] in signal["assisted_statuses"] or r[2] in signal["assisted_attributes"]) and float(r[3]) >= threshold
    }
    favoured = {h for spot in truth["planted"] for h in spot["favoured_households"]}
    assert marked == favoured and len(favoured) >= 3
    relatives = {h for spot in truth["planted"] for h in spot["relatives_households"]}
    assert favoured <= relatives
    officials = {r[0] for r in county.rows("SELECT member_id FROM village_officials")}
    assert {m for spot in truth["planted"] for m in spot["officials"]} <= officials


def _relatives_ratios(county: Generated) -> dict[str, tuple[float, float, float]]:
    """Per village: the officials' relatives' share of benefit amounts and counts over
    their share of households (relatives: other households of declared kin)."""
    member = {r[0]: r[1] for r in county.rows("SELECT id, household_id FROM members")}
    officials = county.rows("SELECT DISTINCT member_id, village_code FROM village_officials")
    village_of = dict(officials)
    own = defaultdict(set)
    for m, v in officials:
        own[v].add(member[m])
    relatives = defaultdict(set)
    for a, b in county.rows("SELECT member_a, member_b FROM kin_relations"):
        for official, other in ((a, b), (b, a)):
            if official in village_of:
                relatives[village_of[official]].add(member[other])
    households = Counter(r[0] for r in county.rows("SELECT village_code FROM households"))
    benefits = defaultdict(list)
    for village, household, amount in county.rows("SELECT village_code, household_id, amount FROM household_benefits"):
        benefits[village].append((household, float(amount)))
    ratios = {}
    for village, kin in relatives.items():
        kin = kin - own[village]
        share = len(kin) / households[village]
        got = [(h in kin, amount) for h, amount in benefits[village]]
        if not got or not kin:
            continue
        amount_share = sum(a for k, a in got if k) / sum(a for _, a in got)
        count_share = sum(1 for k, _ in got if k) / len(got)
        ratios[village] = (round(amount_share / share, 2), round(count_share / share, 2), share)
    return ratios


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
