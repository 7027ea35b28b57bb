"""Import files made in the test: realistic households or cadres of an area, as CSV or
.xlsx bytes, and a refused import already in the history."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tests.factories.world import Area
from zhucun.core.db import utcnow
from zhucun.core.imports.models import ImportBatch, ImportProblem
from zhucun.demo import import_database
from zhucun.registry.import_kind import sample
from zhucun.selection.cadres import import_sample as cadre_sample

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(headers: list[str], rows: Iterable[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(tmp: Path, headers: list[str], rows: Iterable[list[Any]], name: str = "file.xlsx") -> bytes:
    return sample.write_xlsx(tmp / name, headers, iter(rows)).read_bytes()


def member_rows(villages: list[str], count: int, seed: int = 1, start: int = 1) -> list[list[str]]:
    return list(sample.members(villages, count, seed=seed, start=start))


def cadre_rows(places: list[str], unit: str, count: int, seed: int = 1) -> list[list[str]]:
    return list(cadre_sample.cadres(places, unit, count, seed=seed))


def members_upload(area: Area, count: int = 6, seed: int = 11) -> dict[str, Any]:
    body = csv_bytes(sample.MEMBER_HEADERS, member_rows([area.village], count, seed))
    return {"file": ("members.csv", body, "text/csv")}


def cadres_upload(area: Area, count: int = 2, seed: int = 12) -> dict[str, Any]:
    body = csv_bytes(cadre_sample.CADRE_HEADERS, cadre_rows([area.village], str(area.unit_id), count, seed))
    return {"file": ("cadres.csv", body, "text/csv")}


def refused_batch(session: Session, area: Area) -> int:
    """A refused import of the area, with one stored error."""
    batch = ImportBatch(
        kind="members",
        status="rejected",
        filename="bad.csv",
        sha256="0" * 64,
        size=10,
        division_code=area.village,
        rows=1,
        households=0,
        members=0,
        errors=1,
        actor_id=None,
        actor_name="test",
        started_at=utcnow(),
        finished_at=utcnow(),
    )
    session.add(batch)
    session.flush()
    session.add(
        ImportProblem(
            import_id=batch.id,
            seq=1,
            row_number=2,
            column_letter="E",
            code="bad_id",
            message_zh="证件号码有误",
            message_en="The ID number is wrong",
        )
    )
    session.flush()
    return batch.id


def prepare_database(url: str) -> list[str]:
    """A fresh database migrated, with the demo county's divisions and one unit; its villages."""
    return import_database.prepare_database(url)
