"""Who was kept out of the proposal, and why: per village the nominated cadres refused for it
with each pair rule named (hometown, close kin living or in office there, a relative in the
team, unit pairing, distance), and per cadre the eligibility rules failed.

Computed the way the solver builds its arcs — one block of bool matrices per county, every
rule at once — so that the list costs what the matching costs, and names exactly the pairs
the solver had no arc for. Python only walks the refusals found, never all pairs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np

from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l, current_locale
from zhucun.registry.catalogues import POSTING_ROLE

from .rules import Fault, pair_faults
from .settings import RULES, SelectionRules
from .solver import Instance

# Candidates of another county are no candidates at all: not a refusal worth naming.
NOT_SHOWN = ("other_county",)
LEVELS = {"village": _l("village"), "township": _l("township"), "county": _l("county")}
# The pairing setting as the reader says it, never its code ("differ", "match").
MODES = {"differ": _l("a unit not paired with the village"), "match": _l("a unit paired with the village")}


def params(code: str, rules: SelectionRules) -> dict[str, Any]:
    """The numbers a rule's label names, from the rules in force."""
    values: dict[str, dict[str, Any]] = {
        "hometown": {"level": rules.hometown_level},
        "distance": {"n": rules.max_distance_km},
        "unit_pairing": {"mode": rules.pairing},
        "unit_quota": {"n": rules.unit_quota},
    }
    return values.get(code, {})


# A proposal's role as the posting catalogue names it (第一书记, 工作队员).
ROLE_CODES = {"first_secretary": "1", "member": "3"}


def role_label(role: str | None) -> str:
    return POSTING_ROLE.label(ROLE_CODES.get(role or "", "")) or str(role or "")


def label(code: str, values: dict[str, Any]) -> str:
    """A rule as the reviewer reads it, in the current language."""
    shown = {k: v for k, v in values.items() if k in ("n", "level", "mode")}
    if "level" in shown:
        shown["level"] = str(LEVELS.get(shown["level"], shown["level"]))
    if isinstance(shown.get("n"), float) and shown["n"].is_integer():
        shown["n"] = int(shown["n"])  # 300 km, not 300.0 km
    if "mode" in shown:
        shown["mode"] = str(MODES.get(shown["mode"], shown["mode"]))
    if code == "not_eligible":
        return str(_l("the cadre is not eligible as {role}")).format(role=role_label(values.get("role")))
    if code == "post_taken":
        return str(_l("the village's {role} posts are full")).format(role=role_label(values.get("role")))
    return str(RULES.get(code, code)).format(**shown)


def eligibility_labels(faults: list[Fault], role: str) -> list[str]:
    """The eligibility rules a cadre fails for a role: a member's post is barred only by the
    rules without ``role``; the first secretary's by every one."""
    return [label(code, p) for code, p in faults if role == "first_secretary" or "role" not in p]


def joined(labels: list[str]) -> str:
    """Rules one after another, with the punctuation of the reader's language."""
    return ("; " if current_locale() == "en" else "；").join(labels)


def named(code: str, values: dict[str, Any], rules: SelectionRules, faults: list[Fault]) -> str:
    """One broken rule of a hand edit, named: ineligibility spelled out rule by rule, the role
    by its label, a pair rule with the numbers in force."""
    if code == "not_eligible":
        role = values.get("role", "member")
        failed = joined(eligibility_labels(faults, role))
        text = str(_l("the cadre is not eligible as {role}")).format(role=role_label(role))
        return str(_l("{rule} ({why})")).format(rule=text, why=failed) if failed else text
    return label(code, {**params(code, rules), **values})


def edit_refusal(found: list[Fault], rules: SelectionRules, faults: list[Fault]) -> Invalid:
    """A hand edit's broken rules as one located 422: every rule named, the first one's code."""
    names = list(dict.fromkeys(named(code, p, rules, faults) for code, p in found))
    return Invalid(_l("The change breaks a rule: {rule}."), field="cadre_id", code=found[0][0], rule=joined(names))


def _relatives(inst: Instance) -> dict[int, set[int]]:
    kin: dict[int, set[int]] = defaultdict(set)
    for a, b in inst.kin_pairs:
        kin[a].add(b)
        kin[b].add(a)
    return kin


def pair_refusals(inst: Instance, team: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int, list[str]]]:
    """(village index, cadre index, rules broken) for every eligible candidate of a village's
    county that a hard pair rule keeps out of it; ``team`` (village, cadre) adds the close
    relatives of a team's members, refused for that team."""
    v, c, r = inst.villages, inst.cadres, inst.rules
    eligible = c.fs_ok | c.member_ok
    by_county: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(v.code):
        by_county[code[:6]].append(i)
    found: dict[tuple[int, int], list[str]] = {}
    for county, rows in by_county.items():
        vi = np.array(rows)
        ci = np.flatnonzero((c.county == county) & eligible)
        if not len(ci):
            continue
        faults = {k: m for k, m in pair_faults(v, c, vi, ci, r).items() if k not in NOT_SHOWN}
        names = list(faults)
        stack = np.stack([faults[k] for k in names])  # (rules, villages, cadres)
        rr, cc = np.nonzero(stack.any(axis=0))
        broken = stack[:, rr, cc]
        for n, (row, col) in enumerate(zip(rr, cc, strict=True)):
            found[(int(vi[row]), int(ci[col]))] = [names[k] for k in np.flatnonzero(broken[:, n])]
    kin = _relatives(inst)
    members: dict[int, set[int]] = defaultdict(set)
    pairs = list(team)
    for village, cadre in pairs:
        members[village].add(cadre)
    for village, cadre in pairs:
        for relative in kin.get(cadre, ()):
            same_county = c.county[relative] == v.code[village][:6]
            if relative not in members[village] and eligible[relative] and same_county:
                found.setdefault((village, relative), []).append("kin_in_team")
    return [(vi_, ci_, codes) for (vi_, ci_), codes in sorted(found.items())]


def listing(inst: Instance, faults: list[list[Fault]], team: Iterable[tuple[int, int]] = ()) -> dict[str, Any]:
    """The refusals as the API, the CLI's --json and the page show them."""
    rules = inst.rules
    refused = [
        {
            "village_code": str(inst.villages.code[vi]),
            "cadre_id": int(inst.cadres.id[ci]),
            "rules": [{"code": code, "label": label(code, params(code, rules))} for code in codes],
        }
        for vi, ci, codes in pair_refusals(inst, team)
    ]
    ineligible = [
        {
            "cadre_id": int(inst.cadres.id[i]),
            "first_secretary": bool(inst.cadres.fs_ok[i]),
            "member": bool(inst.cadres.member_ok[i]),
            "rules": [{"code": code, "label": label(code, p), **p} for code, p in faults[i]],
        }
        for i in range(len(faults))
        if faults[i]
    ]
    return {"refused": refused, "ineligible": ineligible}
