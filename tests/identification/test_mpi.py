"""Alkire–Foster, checked against the worked example of the paper, through the command line.

Alkire & Foster (2011), "Counting and multidimensional poverty measurement", J. Public
Econ. 95: four people, four dimensions (income, years of schooling, a health index, access
to health insurance), cut-offs z = (13, 12, 3, 1), equal weights. The deprivation counts
are c = (0, 2, 4, 1); with k = 2 (of 4) persons 2 and 3 are poor: H = 1/2, A = 3/4,
M0 = HA = 3/8, and each dimension's censored headcount is (1/4, 1/2, 1/4, 1/2)."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from typer.testing import CliRunner

import zhucun.cli
from zhucun.identification import mpi


def run(*args: str):
    zhucun.cli._mount()
    return CliRunner().invoke(zhucun.cli.app, list(args))


PAPER = "person,income,schooling,health,insured\nA,13.1,14,4,1\nB,15.2,7,5,0\nC,12.5,10,1,0\nD,20,11,3,1\n"
CUTOFFS = ["--cutoff", "income=13", "--cutoff", "schooling=12", "--cutoff", "health=3", "--cutoff", "insured=1"]


def test_the_command_reproduces_the_papers_worked_example(tmp_path):
    path = tmp_path / "paper.csv"
    path.write_text(PAPER, encoding="utf-8")
    result = run("mpi", str(path), *CUTOFFS, "--k", "1/2", "--id", "person", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["n"] == 4 and out["poor"] == ["B", "C"]
    assert (out["H"], out["A"], out["M0"]) == (0.5, 0.75, 0.375)
    assert out["censored_headcount"] == {"income": 0.25, "schooling": 0.5, "health": 0.25, "insured": 0.5}
    assert out["contribution"] == pytest.approx(
        {"income": 1 / 6, "schooling": 1 / 3, "health": 1 / 6, "insured": 1 / 3}
    )


def test_a_score_equal_to_k_is_poor_with_weights_that_floats_would_round():
    # Weights 1/6, 1/6, 1/6, 1/2 normalised; a unit deprived in the first two scores 1/3 = k
    # exactly (1/6 + 1/6 in floats is 0.333…, which a float comparison may put below 1/3).
    spec = mpi.spec_of(["a=1", "b=1", "c=1", "d=1"], ["a=1/6", "b=1/6", "c=1/6", "d=1/2"], "1/3")
    values = {
        "a": np.array([0.0, 1.0]),
        "b": np.array([0.0, 1.0]),
        "c": np.array([1.0, 0.0]),
        "d": np.array([1.0, 1.0]),
    }
    result = mpi.measure_columns(values, spec, ["x", "y"])
    assert result.poor == ["x"] and Fraction(1, 3) == result.A and Fraction(1, 6) == result.M0


def test_deprived_means_strictly_below_the_cutoff():
    spec = mpi.spec_of(["a=5"], [], "1")
    assert mpi.measure_columns({"a": np.array([5.0, 4.999])}, spec, ["at", "below"]).poor == ["below"]


def test_bad_input_is_refused_with_its_place(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,income\n1,abc\n", encoding="utf-8")
    result = run("mpi", str(path), "--cutoff", "income=10", "--k", "1")
    assert result.exit_code == 2 and "row 2, column income" in result.output
    result = run("mpi", str(path), "--cutoff", "wealth=10", "--k", "1")
    assert result.exit_code == 2 and "no column 'wealth'" in result.output
