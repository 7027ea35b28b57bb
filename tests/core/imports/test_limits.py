"""A pathological file is refused where it goes wrong, with memory bounded whatever it holds:
one CSV row of millions of cells once grew memory 75 times the file's size."""

from __future__ import annotations

import tracemalloc

import pytest

from zhucun.core.errors import Invalid
from zhucun.core.imports import readers
from zhucun.core.imports.cells import Texts
from zhucun.core.imports.files import CSV, FileInfo, Source
from zhucun.core.tabular import Column as HeaderColumn

HEADERS = [HeaderColumn("name", ("姓名", "name")), HeaderColumn("note", ("说明", "note"))]


def _read(data: bytes) -> readers.Table:
    info = FileInfo(kind=CSV, size=len(data), sha256="x" * 64)
    return readers.read_table(Source.of_bytes(data, "f.csv"), info, HEADERS, lambda name: Texts())


def _peak(data: bytes) -> tuple[Invalid, int]:
    tracemalloc.start()
    try:
        with pytest.raises(Invalid) as caught:
            _read(data)
        return caught.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_row_of_millions_of_cells_is_refused_with_memory_bounded():
    data = "姓名,说明\n张三,好\n".encode() + b"a," * 2_000_000 + b"a\n"
    error, peak = _peak(data)
    assert error.code in ("row_too_long", "row_too_wide")
    assert error.row == 3
    assert peak < 5 * len(data)


def test_a_row_wider_than_the_header_allows_is_located():
    extra = ",x" * (readers.MAX_EXTRA_CELLS + 5)
    data = f"姓名,说明\n张三,好\n李四,好{extra}\n".encode()
    with pytest.raises(Invalid) as caught:
        _read(data)
    assert caught.value.code == "row_too_wide"
    assert caught.value.row == 3
    assert caught.value.column is not None


def test_a_cell_longer_than_the_limit_is_located():
    data = "姓名,说明\n张三,好\n".encode() + b'"' + b"x" * (readers.MAX_CELL_CHARS + 10) + b'",y\n'
    with pytest.raises(Invalid) as caught:
        _read(data)
    assert caught.value.code == "cell_too_long"
    assert caught.value.row == 3


def test_ordinary_rows_with_a_few_notes_beside_the_table_still_read():
    data = "姓名,说明\n张三,好,旁注\n李四,好\n".encode()
    table = _read(data)
    assert table.values("name") == ["张三", "李四"]
