"""What the register records of each person: people, schooling, health, disability,
labour, migrant work and insurance, each drawn by age (and birth cohort) so that a
grandmother is more likely unschooled and ill than her grandson, children are pupils and
the old no longer count as labour. Pure functions over numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Schooling of adults by birth cohort (EDUCATION codes 1–7): the older, the less schooled.
COHORTS = (1950, 1965, 1980, 1995)
EDUCATION_BY_COHORT = np.array(
    [
        # 1 illiterate, 2 primary, 3 junior, 4 senior, 5 vocational, 6 college, 7 university
        [0.45, 0.40, 0.12, 0.03, 0.00, 0.00, 0.00],  # born before 1950
        [0.20, 0.45, 0.27, 0.06, 0.02, 0.00, 0.00],  # 1950–1964
        [0.07, 0.33, 0.45, 0.09, 0.04, 0.02, 0.00],  # 1965–1979
        [0.02, 0.15, 0.53, 0.14, 0.08, 0.05, 0.03],  # 1980–1994
        [0.01, 0.04, 0.45, 0.18, 0.15, 0.10, 0.07],  # from 1995
    ]
)
# Women born before 1965 went to school much less often than men.
OLD_WOMEN_ILLITERATE = 1.6
# Chronic illness, serious illness, disability by age band (under 16, 16–39, 40–59, 60–74, 75+).
AGE_BANDS = (16, 40, 60, 75)
HEALTH_BY_AGE = np.array(
    [
        [0.010, 0.003, 0.010],
        [0.030, 0.006, 0.025],
        [0.090, 0.020, 0.050],
        [0.220, 0.040, 0.080],
        [0.320, 0.060, 0.120],
    ]
)
DISABILITY_TYPES = (("4", 0.45), ("1", 0.12), ("2", 0.12), ("5", 0.10), ("6", 0.08), ("3", 0.03), ("7", 0.10))
DISABILITY_GRADES = (("1", 0.10), ("2", 0.25), ("3", 0.30), ("4", 0.35))


@dataclass
class People:
    ethnicity: np.ndarray
    education: np.ndarray
    student: np.ndarray
    health: np.ndarray
    disability: np.ndarray
    disability_grade: np.ndarray  # "" for none
    labour: np.ndarray
    migrant_months: np.ndarray
    medical_insurance: np.ndarray
    pension_insurance: np.ndarray


def ethnicities(
    rng: np.random.Generator,
    peoples: tuple[tuple[str, float], ...],
    household: np.ndarray,
    relation: np.ndarray,
    households: int,
) -> np.ndarray:
    """The head's people for the household; wives and daughters-in-law sometimes another."""
    codes = np.array([code for code, _ in peoples])
    weights = np.array([w for _, w in peoples])
    own = codes[rng.choice(len(codes), size=households, p=weights / weights.sum())][household]
    married_in = np.isin(relation, ("10", "38")) & (rng.random(len(household)) < 0.25)
    other = codes[rng.choice(len(codes), size=len(household), p=weights / weights.sum())]
    return np.where(married_in, other, own)


def schooling(
    rng: np.random.Generator, age: np.ndarray, male: np.ndarray, birth_year: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(education, student): pupils by age, adults by cohort."""
    n = len(age)
    u = rng.random(n)
    student = np.full(n, "0", dtype="<U1")
    student[(age >= 3) & (age <= 5) & (u < 0.85)] = "1"
    student[(age >= 6) & (age <= 11) & (u < 0.99)] = "2"
    student[(age >= 12) & (age <= 14) & (u < 0.97)] = "3"
    teen = (age >= 15) & (age <= 17)
    student[teen & (u < 0.50)] = "4"
    student[teen & (u >= 0.50) & (u < 0.85)] = "5"
    young = (age >= 18) & (age <= 22)
    student[young & (u < 0.12)] = "6"
    student[young & (u >= 0.12) & (u < 0.20)] = "7"
    student[young & (u >= 0.20) & (u < 0.32)] = "8"
    cohort = np.digitize(birth_year, COHORTS)
    shares = EDUCATION_BY_COHORT[cohort].copy()
    old_women = (~male) & (birth_year < 1965)
    shares[old_women, 0] *= OLD_WOMEN_ILLITERATE
    shares /= shares.sum(axis=1, keepdims=True)
    adult = (np.argmax(shares.cumsum(axis=1) > rng.random(n)[:, None], axis=1) + 1).astype(str)
    by_school = np.array(["", "8", "2", "3", "4", "5", "6", "6", "7"])[student.astype(int)]
    education = np.where(student != "0", by_school, adult)
    education = np.where(age < 6, "8", education)
    # Children out of school have what they had reached.
    education = np.where((student == "0") & (age >= 6) & (age < 15), np.where(age < 12, "2", "3"), education)
    return education.astype("<U1"), student


def health(rng: np.random.Generator, age: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(health, disability, disability grade): HEALTH codes 1–4; disability only with health 4."""
    n = len(age)
    rates = HEALTH_BY_AGE[np.digitize(age, AGE_BANDS)]
    u = rng.random(n)
    state = np.full(n, "1", dtype="<U1")
    state[u < rates[:, 0] + rates[:, 1] + rates[:, 2]] = "4"
    state[u < rates[:, 0] + rates[:, 1]] = "3"
    state[u < rates[:, 0]] = "2"
    disability, grade = disabilities(rng, state == "4")
    return state, disability, grade


def disabilities(rng: np.random.Generator, disabled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(disabled)
    kind = _pick(rng, DISABILITY_TYPES, n)
    grade = _pick(rng, DISABILITY_GRADES, n)
    return np.where(disabled, kind, "0"), np.where(disabled, grade, "")


def labour(
    rng: np.random.Generator,
    age: np.ndarray,
    student: np.ndarray,
    state: np.ndarray,
    grade: np.ndarray,
    education: np.ndarray,
) -> np.ndarray:
    """LABOUR codes: by age first, then by health; skills come with schooling."""
    n = len(age)
    u = rng.random(n)
    skilled = u < np.where(np.isin(education, ("5", "6", "7")), 0.45, 0.12)
    result = np.where(skilled, "2", "1")
    result = np.where((state == "2") & (u < 0.6), "3", result)
    result = np.where(np.isin(grade, ("3", "4")), "3", result)
    result = np.where((age >= 60) & (age < 65) & (u < 0.5), "3", result)
    result = np.where((age >= 65) & (age < 75), "3", result)
    result = np.where((state == "3") | np.isin(grade, ("1", "2")), "4", result)
    result = np.where((age < 16) | (age >= 75) | (student != "0"), "5", result)
    return result.astype("<U1")


def migrant_months(rng: np.random.Generator, age: np.ndarray, male: np.ndarray, work: np.ndarray) -> np.ndarray:
    """Months of work away from home: about half of the able young and middle-aged go."""
    n = len(age)
    goes = np.isin(work, ("1", "2")) & (age >= 18) & (age <= 55) & (rng.random(n) < np.where(male, 0.6, 0.45))
    months = np.where(rng.random(n) < 0.45, 12, rng.integers(3, 12, n))
    return np.where(goes, months, 0)


def insurance(rng: np.random.Generator, age: np.ndarray, student: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(medical, pension): resident medical insurance for nearly all, pension from 16 on."""
    n = len(age)
    medical = rng.random(n) < 0.985
    pension = (age >= 16) & (student == "0") & (rng.random(n) < np.where(age >= 60, 0.97, 0.90))
    return medical, pension


def people(
    rng: np.random.Generator, age: np.ndarray, male: np.ndarray, birth_year: np.ndarray, ethnicity: np.ndarray
) -> People:
    education, student = schooling(rng, age, male, birth_year)
    state, disability, grade = health(rng, age)
    work = labour(rng, age, student, state, grade, education)
    medical, pension = insurance(rng, age, student)
    return People(
        ethnicity,
        education,
        student,
        state,
        disability,
        grade,
        work,
        migrant_months(rng, age, male, work),
        medical,
        pension,
    )


def _pick(rng: np.random.Generator, shares: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    codes = np.array([c for c, _ in shares])
    weights = np.array([w for _, w in shares])
    return codes[rng.choice(len(codes), size=n, p=weights / weights.sum())]
