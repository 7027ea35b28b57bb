"""Blank files to fill in: the Chinese header row clerks know, every column formatted as text
(so that Excel keeps ID numbers whole), and a second sheet explaining each column and
listing the codes it accepts. The CSV template is the header row alone, with a BOM so
that Excel opens it as UTF-8."""

from __future__ import annotations

import csv
import io

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from zhucun.core.i18n import _, current_locale
from zhucun.core.imports.columns import Field
from zhucun.core.imports.kinds import Kind

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
FORMATS = tuple(MEDIA_TYPES)


def filename(kind: Kind, fmt: str) -> str:
    return f"{kind.name}-template.{fmt}"


def template(kind: Kind, fmt: str) -> bytes:
    return template_xlsx(kind) if fmt == "xlsx" else template_csv(kind)


def template_csv(kind: Kind) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(kind.headers)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: Kind) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    _data_sheet(book.add_worksheet(_("Data")), kind.fields, bold, required, text)
    _help_sheet(
        book.add_worksheet(_("Explanation")), kind.fields, bold, book.add_format({"text_wrap": True, "valign": "top"})
    )
    book.close()
    return buffer.getvalue()


def _data_sheet(sheet: Worksheet, fields: tuple[Field, ...], bold: Format, required: Format, text: Format) -> None:
    for column, f in enumerate(fields):
        sheet.write_string(0, column, f.header, required if f.required else bold)
        sheet.set_column(column, column, max(10, len(f.header) * 2 + 2), text)
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 32)


def _help_sheet(sheet: Worksheet, fields: tuple[Field, ...], bold: Format, wrap: Format) -> None:
    headers = (_("Column"), _("Field"), _("Required"), _("What to fill in"), _("Codes accepted (code or label)"))
    for column, (header, width) in enumerate(zip(headers, (22, 20, 8, 50, 70))):
        sheet.write_string(0, column, header, bold)
        sheet.set_column(column, column, width, wrap)
    for row, f in enumerate(fields, start=1):
        sheet.write_row(row, 0, [f.header, f.name, _("Yes") if f.required else "", str(f.help), codes_of(f)])
    note = len(fields) + 2
    sheet.write_string(note, 0, _("Notes"), bold)
    sheet.write_string(
        note + 1,
        0,
        _(
            "One row per member (or per cadre). Keep the header row as it is; the "
            "columns may be in any order, and 序号 or 备注 columns are ignored. Dates as "
            "1980-05-17; 是 or 否 for yes or no; amounts in yuan."
        ),
    )
    sheet.freeze_panes(1, 0)


def codes_of(f: Field) -> str:
    if f.catalogue is None:
        return ""
    english = current_locale() == "en"
    return "; ".join(f"{code} {en if english else zh}" for code, (zh, en) in f.catalogue.items.items())
