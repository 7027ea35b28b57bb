"""The competency profile's pure rules: the record's reading of political quality and working
ability, experience from previous postings, and the score the matching adds to its fit."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from zhucun.selection.cadres import profile as rules

NAN = np.nan


def test_political_quality_from_party_years_and_sanctions():
    years = np.array([NAN, 0, 2, 3, 9, 10, 25, 25, 25])
    now = np.array([False] * 7 + [True, False])
    before = np.array([False] * 8 + [True])
    levels = rules.political_levels(years, now, before)
    # Outside the party 2; a member under three full years 3, from three 4, from ten 5;
    # a sanction in force 1 whatever the years; one served keeps the level at 3.
    assert levels.tolist() == [2, 3, 3, 4, 4, 5, 5, 1, 3]


def test_the_thresholds_are_settings():
    strict = rules.ProfileRules(party_years=(5, 20), non_member=1, past_sanction_cap=2)
    levels = rules.political_levels(
        np.array([NAN, 4, 5, 20, 30]), np.zeros(5, bool), np.array([0, 0, 0, 0, 1], bool), strict
    )
    assert levels.tolist() == [1, 3, 4, 5, 2]


def test_working_ability_is_the_mean_of_what_is_known():
    education = np.array(["1", "5", None, "2", None], dtype=object)
    rank = np.array(["11", "42", None, "41", "99"], dtype=object)
    work = np.array([20, 1.5, NAN, 17, NAN])
    skills = np.array([3, NAN, NAN, NAN, NAN])
    levels = rules.ability_levels(education, rank, work, skills)
    # Row 1: (1 + 1 + 1 + 1) / 4 = 1 → 5. Row 2: (0.2 + 0.3 + 0.1) / 3 = 0.2 → 1.
    # Row 3: nothing known → unknown. Row 4: (0.8 + 0.4 + 1) / 3 ≈ 0.73 → 4. Row 5: 0.3 → 2.
    assert levels[[0, 1, 3, 4]].tolist() == [5, 1, 4, 2] and np.isnan(levels[2])


def test_experience_counts_postings_and_a_first_secretarys_post_twice():
    shares = rules.experience_shares(np.array([0, 1, 1, 2, 5]), np.array([0, 0, 1, 0, 3]))
    assert shares.tolist() == [0.0, 0.5, 1.0, 1.0, 1.0]


def test_the_score_lies_in_zero_to_one_and_follows_each_part():
    best = rules.profile_score(np.full((1, 5), 5.0), np.array([5.0]), np.array([5.0]), np.array([1.0]))
    worst = rules.profile_score(np.full((1, 5), 1.0), np.array([1.0]), np.array([1.0]), np.array([0.0]))
    assert best.tolist() == [1.0] and worst.tolist() == [0.0]
    # Nothing known reads as the middle, experience none: (0.5·0.5 + 0.15·0.5 + 0.2·0.5 + 0) / 1.
    unknown = rules.profile_score(np.full((1, 5), NAN), np.array([NAN]), np.array([NAN]), np.array([0.0]))
    assert unknown.tolist() == [pytest.approx(0.425)]
    # Only the assessed factors count towards the assessment's mean: 5 and 3 → 4 → 0.75.
    partial = np.array([[5, 3, NAN, NAN, NAN]])
    assert rules.profile_score(partial, np.array([3.0]), np.array([3.0]), np.array([0.0])).tolist() == [
        pytest.approx(0.5 * 0.75 + 0.15 * 0.5 + 0.2 * 0.5)
    ]


def test_the_score_is_vectorised_over_many_cadres():
    rng = np.random.default_rng(7)
    count = 10_000
    assessed = rng.integers(1, 6, (count, 5)).astype(float)
    assessed[rng.random((count, 5)) < 0.3] = NAN
    scores = rules.profile_score(assessed, rng.integers(1, 6, count), rng.integers(1, 6, count), rng.random(count))
    assert scores.shape == (count,) and scores.min() >= 0 and scores.max() <= 1
    better = assessed.copy()
    better[:, 0] = 5.0
    raised = rules.profile_score(better, np.full(count, 3.0), np.full(count, 3.0), np.zeros(count))
    assert (
        raised >= rules.profile_score(assessed, np.full(count, 3.0), np.full(count, 3.0), np.zeros(count)) - 1e-12
    ).all()


def test_full_years_and_skills_counted():
    on = date(2026, 12, 5)
    assert rules.full_years([date(2016, 12, 5), date(2016, 12, 6), None], on)[:2].tolist() == [10, 9]
    assert rules.skill_counts(["电商运营，农业技术、法律", "驾驶", "", None])[:2].tolist() == [3, 1]
    assert np.isnan(rules.skill_counts([None])[0])


def test_levels_read_as_words_in_both_languages():
    assert [rules.LEVEL.label(str(n), "zh_CN") for n in (5, 4, 3, 2, 1)] == ["优秀", "良好", "一般", "较差", "差"]
    assert rules.LEVEL.label("5", "en") == "excellent"
    assert rules.LEVEL.code_for("良好") == "4" and rules.LEVEL.code_for("6") is None
