"""The error report of a refused or checked import as a workbook: every stored error with
its row, column and message in the reader's language, and what the list leaves out."""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter

from zhucun.core import idnumbers
from zhucun.core.i18n import _, current_locale
from zhucun.core.imports.models import ImportBatch, ImportProblem

NOTE_CODES = frozenset(idnumbers.WARNING_CODES)


def _line(problem: ImportProblem, english: bool) -> list[int | str]:
    return [
        problem.row_number or "",
        problem.column_letter or "",
        problem.message_en if english else problem.message_zh,
    ]


def filename(batch: ImportBatch) -> str:
    return f"import-{batch.id}-errors.xlsx"


def report_xlsx(batch: ImportBatch, problems: Sequence[ImportProblem]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    sheet = book.add_worksheet(_("Errors"))
    english = current_locale() == "en"
    errors = [p for p in problems if p.code not in NOTE_CODES]
    notes = [p for p in problems if p.code in NOTE_CODES]
    sheet.write_string(0, 0, _("Import #{number}: {file}").format(number=batch.id, file=batch.filename))
    if batch.errors:
        sheet.write_string(1, 0, _("{count} error(s) found; nothing was saved.").format(count=batch.errors))
    if batch.errors > len(errors):
        sheet.write_string(2, 0, _("{count} more errors are not listed.").format(count=batch.errors - len(errors)))
    sheet.write_row(4, 0, [_("Row"), _("Column"), _("Problem")], bold)
    for row, problem in enumerate(errors, start=5):
        sheet.write_row(row, 0, _line(problem, english))
    if notes:
        # Below the errors: what does not refuse the file, but a clerk should check.
        start = 6 + len(errors)
        sheet.write_string(start, 0, _("Notes (not errors: these rows are accepted)"), bold)
        for row, note in enumerate(notes, start=start + 1):
            sheet.write_row(row, 0, _line(note, english))
    sheet.set_column(0, 1, 8)
    sheet.set_column(2, 2, 100)
    sheet.freeze_panes(5, 0)
    book.close()
    return buffer.getvalue()
