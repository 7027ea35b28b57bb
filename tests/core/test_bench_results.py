"""``make bench BENCH_ARGS="--only X"`` replaces X's entry in bench/results.json and keeps
the others'."""

from __future__ import annotations

import json

from bench.run import _merged


def test_a_partial_run_keeps_the_other_entries(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"started": "then", "benchmarks": {"import": {"rows": 1}, "matching": {"gap": 1}}}))
    now = {"started": "now", "benchmarks": {"matching": {"gap": 0}}}
    merged = _merged(path, now)
    assert merged == {"started": "now", "benchmarks": {"import": {"rows": 1}, "matching": {"gap": 0}}}


def test_without_a_readable_file_the_run_is_written_as_it_is(tmp_path):
    now = {"started": "now", "benchmarks": {"matching": {"gap": 0}}}
    assert _merged(tmp_path / "absent.json", now) == now
    (tmp_path / "broken.json").write_text("{")
    assert _merged(tmp_path / "broken.json", now) == now
