"""Exporting any list to CSV or Excel: streamed, masked by the caller, and safe to open.

A text cell beginning with ``= + - @`` (or a tab or carriage return) would be run as a
formula by a spreadsheet (CSV injection); in CSV it is prefixed with an apostrophe, and in
.xlsx every text is written as a string, never as a formula.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import xlsxwriter
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, StreamingResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Spreadsheets skip leading blanks before they look for a formula (" =1+1" still computes).
LEADING_BLANKS = " \t\r\n\x0b\x0c\u00a0\u3000"
XLSX_MAX_ROWS = 1_048_575


@dataclass(frozen=True)
class Column:
    header: Any
    value: Callable[[Any], Any]


def safe_text(value: str) -> str:
    """A text cell a spreadsheet would read as a formula, made plain text by a leading quote."""
    if value.startswith(FORMULA_STARTS) or value.lstrip(LEADING_BLANKS).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_chunks(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[bytes]:
    """CSV in UTF-8 with a BOM (so Excel shows Chinese), a few thousand rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(c.header) for c in columns])
    for index, row in enumerate(rows, start=1):
        cells = [_cell(c.value(row)) for c in columns]
        writer.writerow([safe_text(v) if isinstance(v, str) else v for v in cells])
        if index % 5000 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def sheet_name(text: str) -> str:
    """A worksheet name Excel accepts: none of ``[]:*?/\\``, at most 31 characters."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in text).strip(" '")
    return cleaned[:31] or "Sheet1"


def write_xlsx(
    path: str, columns: Sequence[Column], rows: Iterable[Any], *, sheet: str = "Sheet1", title: Sequence[str] = ()
) -> int:
    """Write an .xlsx file row by row (constant memory); returns the number of data rows.
    ``title`` lines (what the sheet covers) come above the header, one a row."""
    workbook = xlsxwriter.Workbook(
        path,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    # Closed whatever happens: a row that fails to read (a refused filter raised while the rows
    # stream) must not leave the workbook's temporary row files open.
    try:
        worksheet = workbook.add_worksheet(sheet_name(sheet))
        bold = workbook.add_format({"bold": True})
        for line, text in enumerate(title):
            worksheet.write_string(line, 0, safe_text(str(text)), bold)
        top = len(title)
        for col, column in enumerate(columns):
            worksheet.write_string(top, col, str(column.header), bold)
        count = 0
        for count, row in enumerate(rows, start=1):
            if count > XLSX_MAX_ROWS - top:
                break
            for col, column in enumerate(columns):
                value = _cell(column.value(row))
                if isinstance(value, str):
                    worksheet.write_string(top + count, col, value)
                else:
                    worksheet.write_number(top + count, col, float(value))
    finally:
        workbook.close()
    return min(count, XLSX_MAX_ROWS - top)


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def response(
    fmt: str,
    filename: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    *,
    sheet: str = "Sheet1",
    title: Sequence[str] = (),
) -> StreamingResponse | FileResponse:
    """An HTTP download of the rows as ``csv`` or ``xlsx`` (an .xlsx with its sheet's name and
    title lines; a CSV has neither, so that it stays one header and the rows)."""
    if fmt == "csv":
        return StreamingResponse(
            csv_chunks(columns, rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": _disposition(f"{filename}.csv")},
        )
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(path, columns, rows, sheet=sheet, title=title)
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(
        path,
        filename=f"{filename}.xlsx",
        background=BackgroundTask(os.unlink, path),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": _disposition(f"{filename}.xlsx")},
    )
