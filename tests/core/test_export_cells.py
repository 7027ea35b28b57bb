"""CSV exports neutralise text a spreadsheet would run as a formula, leading blanks or not."""

from __future__ import annotations

import csv
import io

import pytest

from zhucun.core.export import Column, csv_chunks


def exported(value: str) -> str:
    data = b"".join(csv_chunks([Column("name", lambda row: row)], [value])).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(data)))[1][0]


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@SUM(A1)", ' =HYPERLINK("x")', "\t=1+1", "\n=1+1", "\r\n+1", "  -cmd", "\u3000@x", "\t"],
)
def test_a_cell_that_would_compute_is_written_as_text(value):
    assert exported(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "a=b", "1-2", " 普通文本", "x@y.cn"])
def test_ordinary_text_is_left_alone(value):
    assert exported(value) == value
