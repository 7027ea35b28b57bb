"""The numbers of selection, each a default that a province may override for a year.

Nothing here is a constant of the code: ``SelectionRules`` holds the defaults of the
national guidance (domain.md), and a row of ``selection_rule_sets`` for a province and year
replaces any of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from zhucun.core.i18n import _l
from zhucun.registry.catalogues import Catalogue

# What a village needs and what a cadre brings, in one list so that a need meets a skill.
NEED = Catalogue(
    "village_need",
    {
        "industry": ("产业发展", "industry"),
        "governance": ("乡村治理", "governance"),
        "party": ("党建（软弱涣散村整顿）", "party building (weak branch)"),
        "relocation": ("易地搬迁后续扶持", "relocation follow-up"),
        "ethnic": ("民族地区工作", "ethnic-area work"),
        "collective": ("集体经济", "collective economy"),
        "ecommerce": ("电商与消费帮扶", "e-commerce and consumption aid"),
        "health": ("医疗卫生", "health care"),
        "education": ("教育", "education"),
        "infrastructure": ("基础设施", "infrastructure"),
        "finance": ("金融信贷", "finance and credit"),
        "law": ("法律", "law"),
    },
)
NEED_CODES = tuple(NEED.items)
HOMETOWN_LEVELS = {"village": 12, "township": 9, "county": 6}
PAIRING_MODES = ("none", "differ", "match")


@dataclass(frozen=True)
class SelectionRules:
    """Eligibility, avoidance and matching numbers (a province's year may change any)."""

    # Full (转正) membership counted in whole years: it begins when the probation that follows
    # joining (入党) ends — one year by the Party Constitution, a setting like the others.
    fs_party_years: int = 1
    probation_years: int = 1
    fs_work_years: int = 2
    member_work_years: int = 0
    min_age: int = 0
    max_age: int = 58
    # Health codes (registry catalogue ``health``) that keep a cadre from being sent.
    unfit_health: tuple[str, ...] = ("3", "4")
    team_size: int = 3
    hometown_level: str = "county"
    kin_degree: int = 2
    pairing: str = "none"
    max_distance_km: float = 300.0
    unit_quota: int = 0  # 0: no quota; otherwise at most this many cadres of one unit
    fs_post_value: float = 200.0
    member_post_value: float = 100.0
    skill_weight: float = 10.0
    continuity_weight: float = 15.0
    distance_weight: float = 0.05
    # A cadre whose competency profile scores 1 gains as much as two needs met by skills.
    profile_weight: float = 20.0
    # How long CP-SAT may search for whole teams in one county when the flow alone cannot
    # settle them (too few cadres, relatives in one team); past it, the best found is kept.
    solver_seconds: float = 10.0
    term_years: int = 2
    extra: dict[str, Any] = field(default_factory=dict)

    def merged(self, values: dict[str, Any]) -> SelectionRules:
        """These rules with a province's overrides (unknown keys are kept aside, not applied)."""
        known = {f.name for f in fields(self)} - {"extra"}
        # Values come from JSON: whatever a province stored, as its field expects it.
        chosen: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in values.items() if k in known}
        return replace(self, **chosen, extra={k: v for k, v in values.items() if k not in known})

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "extra"}


# The rules a cadre can fail, with what the organisation department reads.
RULES = {
    "full_member_years": _l("a full party member for less than {n} year(s)"),
    "work_years": _l("fewer than {n} years of work"),
    "too_young": _l("younger than {n}"),
    "too_old": _l("older than {n}"),
    "age_unknown": _l("birth date unknown"),
    "health": _l("health does not allow a posting"),
    "already_posted": _l("already posted"),
    "discipline": _l("under disciplinary sanction"),
    "hometown": _l("the village is in the cadre's home {level}"),
    "kin_in_village": _l("a close relative lives in the village"),
    "kin_official": _l("a close relative holds office in the village"),
    "kin_in_team": _l("a close relative is in the same team"),
    "no_first_secretary": _l("the team has no first secretary"),
    "team_incomplete": _l("the team has fewer than {n} people"),
    "unit_pairing": _l("the unit pairing rule ({mode}) is not met"),
    "distance": _l("farther than {n} km"),
    "unit_quota": _l("the unit's quota of {n} is used up"),
    "other_county": _l("the village is in another county"),
    "post_taken": _l("the post is already filled"),
    "already_assigned": _l("the cadre is already proposed for another post"),
    "not_nominated": _l("the cadre is not nominated for this term"),
}
