"""A cadre's competency profile, as pure functions over columns (one entry per cadre).

The source paper names five inner factors that limit a first secretary: political quality,
sense of responsibility, working ability, dedication and social relations. The dispatching
unit assesses all five (levels 1–5, stored with the cadre); the record speaks to two of
them — political quality (full years in the party, sanctions) and working ability
(education, rank, years of work, skills) — and to experience (previous postings). Every
threshold is a default in ``ProfileRules``, never a constant in the formulas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from zhucun.core.i18n import _l
from zhucun.registry.catalogues import Catalogue

FACTORS = ("political", "responsibility", "ability", "dedication", "relations")
FACTOR_LABELS = {
    "political": _l("Political quality"),
    "responsibility": _l("Sense of responsibility"),
    "ability": _l("Working ability"),
    "dedication": _l("Dedication"),
    "relations": _l("Social relations"),
}
# The words an organisation department's assessment form uses, best first.
LEVEL = Catalogue(
    "assessment_level",
    {
        "5": ("优秀", "excellent"),
        "4": ("良好", "good"),
        "3": ("一般", "fair"),
        "2": ("较差", "weak"),
        "1": ("差", "poor"),
    },
)


def level_label(level: int | float | None) -> str:
    """A level's word in the reader's language ("" when unknown)."""
    if level is None or (isinstance(level, float) and np.isnan(level)):
        return ""
    return LEVEL.label(str(int(level)))


@dataclass(frozen=True)
class ProfileRules:
    """Defaults of the record's reading (configurable per province like the selection rules)."""

    # Full party years from which political quality reads 3, 4 and 5 (a member below: 3).
    party_years: tuple[int, int] = (3, 10)
    non_member: int = 2  # political quality of a cadre outside the party
    past_sanction_cap: int = 3  # a sanction served keeps political quality at most here
    full_work_years: int = 15  # years of work that count fully towards ability
    full_skills: int = 3  # skills that count fully towards ability
    full_postings: int = 2  # previous postings that count fully towards experience
    # Points of education and rank towards ability (codes of registry.catalogues).
    education: dict[str, float] = field(default_factory=lambda: {"1": 1.0, "2": 0.8, "3": 0.6, "4": 0.4, "5": 0.2})
    rank: dict[str, float] = field(
        default_factory=lambda: {
            "11": 1.0, "12": 1.0, "21": 0.9, "22": 0.8, "31": 0.7, "32": 0.6,
            "41": 0.4, "42": 0.3, "51": 0.6, "52": 0.6, "99": 0.3,
        }
    )  # fmt: skip
    # Weights of the score: the unit's assessment, the record's two factors, experience.
    weights: tuple[float, float, float, float] = (0.5, 0.15, 0.2, 0.15)


DEFAULT = ProfileRules()


def _points(codes: np.ndarray, table: dict[str, float]) -> np.ndarray:
    """Each code's points; NaN for an unknown or empty code."""
    return np.array([table.get(str(c), np.nan) if c else np.nan for c in codes], dtype=float).reshape(len(codes))


def _to_level(share: np.ndarray) -> np.ndarray:
    """A share in [0, 1] as a level 1–5 (NaN stays NaN): fifths, the top fifth 5."""
    # The tolerance keeps a share of exactly 0.2 (0.1 + 0.3 + 0.2 over 3) in the first fifth.
    return np.where(np.isnan(share), np.nan, np.clip(np.ceil(share * 5 - 1e-9), 1, 5))


def political_levels(
    party_years: np.ndarray, sanctioned_now: np.ndarray, sanctioned_before: np.ndarray, rules: ProfileRules = DEFAULT
) -> np.ndarray:
    """Political quality from the record: full party years (NaN outside the party) and
    sanctions — one in force reads 1, one served caps the level."""
    low, high = rules.party_years
    years = np.asarray(party_years, dtype=float)
    level = np.select([np.isnan(years), years >= high, years >= low], [rules.non_member, 5, 4], default=3).astype(float)
    level = np.where(np.asarray(sanctioned_before, bool), np.minimum(level, rules.past_sanction_cap), level)
    return np.where(np.asarray(sanctioned_now, bool), 1.0, level)


def ability_levels(
    education: np.ndarray, rank: np.ndarray, work_years: np.ndarray, skills: np.ndarray, rules: ProfileRules = DEFAULT
) -> np.ndarray:
    """Working ability from the record: the mean of what is known of education, rank, years
    of work and the number of skills, as a level; NaN when nothing is known."""
    parts = np.vstack(
        [
            _points(np.asarray(education, dtype=object), rules.education),
            _points(np.asarray(rank, dtype=object), rules.rank),
            np.minimum(np.asarray(work_years, dtype=float) / rules.full_work_years, 1.0),
            np.minimum(np.asarray(skills, dtype=float) / rules.full_skills, 1.0),
        ]
    )
    known = ~np.isnan(parts)
    total = np.where(known, parts, 0.0).sum(axis=0)
    count = known.sum(axis=0)
    share = np.divide(total, count, out=np.full(total.shape, np.nan), where=count > 0)
    return _to_level(share)


def experience_shares(postings: np.ndarray, first_secretary: np.ndarray, rules: ProfileRules = DEFAULT) -> np.ndarray:
    """Experience in [0, 1] from previous postings: their number, with a first secretary's
    post counting as a full one more (it led a team)."""
    count = np.asarray(postings, dtype=float) + np.minimum(np.asarray(first_secretary, dtype=float), 1.0)
    return np.minimum(count / rules.full_postings, 1.0)


def profile_score(
    assessed: np.ndarray,
    political: np.ndarray,
    ability: np.ndarray,
    experience: np.ndarray,
    rules: ProfileRules = DEFAULT,
) -> np.ndarray:
    """One number per cadre in [0, 1] for the matching's fit: the unit's assessment (C × 5
    levels, NaN where not assessed), the record's political quality and ability (levels,
    NaN unknown) and experience (shares). What is unknown counts as the middle, so that an
    unassessed cadre is neither favoured nor punished."""
    levels = np.asarray(assessed, dtype=float).reshape(-1, len(FACTORS))
    known = ~np.isnan(levels)
    count = known.sum(axis=1)
    mean = np.divide(np.where(known, levels, 0.0).sum(axis=1), count, out=np.full(len(levels), 3.0), where=count > 0)
    parts = np.vstack(
        [
            (mean - 1) / 4,
            (np.nan_to_num(np.asarray(political, dtype=float), nan=3.0) - 1) / 4,
            (np.nan_to_num(np.asarray(ability, dtype=float), nan=3.0) - 1) / 4,
            np.asarray(experience, dtype=float),
        ]
    )
    weights = np.asarray(rules.weights, dtype=float)[:, None]
    return np.clip((parts * weights).sum(axis=0) / weights.sum(), 0.0, 1.0)


def full_years(start: list[date | None], on: date) -> np.ndarray:
    """Whole years from each date to ``on``; NaN where the date is unknown."""
    return np.array(
        [np.nan if d is None else on.year - d.year - ((on.month, on.day) < (d.month, d.day)) for d in start],
        dtype=float,
    )


def skill_counts(texts: list[str | None]) -> np.ndarray:
    """The number of skills in each text (separated by commas or 、); NaN when none is given."""
    return np.array(
        [
            np.nan if not t else len([s for s in t.replace("，", ",").replace("、", ",").split(",") if s.strip()])
            for t in texts
        ],
        dtype=float,
    )
