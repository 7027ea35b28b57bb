"""The cadre import with the unit's assessment: the five optional columns (Chinese headers,
words or numbers), the day of the assessment, a bad level located by row and column with
nothing written, and a file without the columns imported as before."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories.imports import cadre_rows, csv_bytes
from zhucun.core.auth import Principal
from zhucun.core.imports import service
from zhucun.core.imports.files import Source
from zhucun.core.imports.problems import ImportRejected
from zhucun.selection.cadres import import_sample as cadre_sample
from zhucun.selection.cadres.models import Cadre

HEADERS = cadre_sample.CADRE_HEADERS
COLUMN = {header: i for i, header in enumerate(HEADERS)}
FACTORS = ("政治素质", "责任意识", "工作能力", "奉献精神", "社会关系")


def _letter(header: str) -> str:
    return chr(ord("A") + COLUMN[header])


def run(session, settings, headers, rows):
    return service.import_file(
        session,
        "cadres",
        actor=Principal.system(),
        settings=settings,
        source=Source.of_bytes(csv_bytes(headers, rows), "cadres.csv"),
    )


def _stored(session, outcome) -> list[Cadre]:
    return list(session.scalars(select(Cadre).where(Cadre.import_id == outcome.import_id).order_by(Cadre.id)))


def test_the_five_factors_are_read_as_words_or_numbers(session, settings, world):
    rows = cadre_rows([world.a.village], str(world.a.unit_id), 3, seed=201)
    for header, value in zip(FACTORS, ("优秀", "4", "一般", "较差", "1")):
        rows[0][COLUMN[header]] = value
    rows[0][COLUMN["考察日期"]] = "2025-12-20"
    rows[1][COLUMN["政治素质"]] = "良好"  # one factor, no day: the day of the import
    stored = _stored(session, run(session, settings, HEADERS, rows))
    levels = [(c.political, c.responsibility, c.ability, c.dedication, c.relations) for c in stored]
    assert levels == [(5, 4, 3, 2, 1), (4, None, None, None, None), (None,) * 5]
    assert [c.assessed_on for c in stored] == [date(2025, 12, 20), date.today(), None]


def test_a_bad_level_is_located_by_row_and_column_and_nothing_is_written(session, settings, world):
    rows = cadre_rows([world.a.village], str(world.a.unit_id), 3, seed=202)
    rows[0][COLUMN["工作能力"]] = "6"
    rows[2][COLUMN["社会关系"]] = "特优"
    before = session.scalar(select(func.count()).select_from(Cadre))
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, HEADERS, rows)
    found = [(e.row, e.column) for e in refused.value.errors]
    assert found == [(2, _letter("工作能力")), (4, _letter("社会关系"))]
    assert session.scalar(select(func.count()).select_from(Cadre)) == before


def test_a_file_without_the_columns_imports_as_before(session, settings, world):
    kept = [h for h in HEADERS if h not in (*FACTORS, "考察日期")]
    rows = [[row[COLUMN[h]] for h in kept] for row in cadre_rows([world.a.village], str(world.a.unit_id), 2, seed=203)]
    stored = _stored(session, run(session, settings, kept, rows))
    assert len(stored) == 2 and {c.political for c in stored} == {None} and {c.assessed_on for c in stored} == {None}
