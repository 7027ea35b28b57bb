"""Files are checked before anything opens them: size, kind by content, zip bombs, macros."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.factories.imports import xlsx_bytes
from zhucun.core.errors import DomainError
from zhucun.core.i18n import use_locale
from zhucun.core.imports.files import CSV, OLE2, XLSX, ImportLimits, Source, inspect
from zhucun.registry.import_kind import sample

LIMITS = ImportLimits()


def verdict(data: bytes, *, max_bytes: int = 10**8, limits: ImportLimits = LIMITS) -> str:
    try:
        return inspect(Source.of_bytes(data, "f"), max_bytes=max_bytes, limits=limits).kind
    except DomainError as error:
        return error.code


def workbook(tmp_path: Path) -> bytes:
    return xlsx_bytes(tmp_path, sample.MEMBER_HEADERS, [])


def rezip(data: bytes, extra: dict[str, bytes], *, replace: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, body in extra.items():
            target.writestr(name, body)
    return out.getvalue()


def test_kinds_by_content_not_by_name(tmp_path: Path):
    assert verdict("户编号,姓名\n1,张三\n".encode()) == CSV
    assert verdict(workbook(tmp_path)) == XLSX


def test_size_and_emptiness(tmp_path: Path):
    assert verdict(b"") == "empty_file"
    assert verdict(b"x" * 2000, max_bytes=1000) == "file_too_large"


def test_old_excel_and_binary_junk_are_refused():
    assert verdict(OLE2 + b"\x00" * 600) == "xls_refused"
    assert verdict(b"\x00\x01\x02binary") == "unknown_kind"
    with use_locale("zh_CN"):
        try:
            inspect(Source.of_bytes(OLE2 + b"\x00" * 600), max_bytes=10**6, limits=LIMITS)
        except DomainError as error:
            assert ".xlsx" in error.message and "CSV" in error.message


def test_macro_workbooks_are_refused(tmp_path: Path):
    plain = workbook(tmp_path)
    assert verdict(rezip(plain, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})) == "macro_refused"
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        types = archive.read("[Content_Types].xml")
    marked = types.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    assert marked != types
    assert verdict(rezip(plain, {}, replace={"[Content_Types].xml": marked})) == "macro_refused"


def test_zip_bombs_are_refused(tmp_path: Path):
    plain = workbook(tmp_path)
    bomb = rezip(plain, {"xl/media/image1.png": b"\x00" * (60 << 20)})
    assert verdict(bomb) == "zip_bomb"
    assert verdict(plain, limits=ImportLimits(max_zip_entries=3)) == "zip_bomb"
    assert verdict(plain, limits=ImportLimits(max_unzipped_bytes=100)) == "zip_bomb"


def test_other_archives_are_not_workbooks(tmp_path: Path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert verdict(out.getvalue()) == "not_a_workbook"
    assert verdict(rezip(workbook(tmp_path), {"xl/workbook.bin": b"binary"})) == "xlsb_refused"
    assert verdict(b"PK\x03\x04 not really a zip") == "not_a_workbook"


@pytest.mark.parametrize("name", ["members.xlsx", "members.csv"])
def test_the_name_does_not_matter(tmp_path: Path, name: str):
    assert verdict(workbook(tmp_path)) == XLSX
    assert inspect(Source.of_bytes(workbook(tmp_path), name), max_bytes=10**8, limits=LIMITS).kind == XLSX


def test_a_part_lying_about_its_size_is_refused_when_read(tmp_path: Path):
    """A bomb may declare small sizes; calamine stops at the declared size and fails."""
    import struct

    from zhucun.core.imports.readers import read_table
    from zhucun.registry.import_kind import MEMBERS

    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(workbook(tmp_path))) as archive:
        sheet = archive.read(name.decode())
    padded = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (8 << 20))
    data = bytearray(rezip(workbook(tmp_path), {}, replace={name.decode(): padded}))
    position = data.find(name)
    while position >= 0:  # declare 1000 bytes in the local header and the central directory
        if data[position - 30 : position - 26] == b"PK\x03\x04":
            struct.pack_into("<I", data, position - 8, 1000)
        elif data[position - 46 : position - 42] == b"PK\x01\x02":
            struct.pack_into("<I", data, position - 22, 1000)
        position = data.find(name, position + 1)
    source = Source.of_bytes(bytes(data), "lying.xlsx")
    info = inspect(source, max_bytes=10**8, limits=LIMITS)
    with pytest.raises(DomainError) as refused:
        read_table(source, info, MEMBERS.columns(), MEMBERS.column_for)
    assert refused.value.code == "bad_workbook"


def encrypted(data: bytes) -> bytes:
    """The same zip with the 'encrypted' flag set on every part, local header and directory."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at != -1:
            out[at + offset] |= 0x1
            at = out.find(signature, at + 4)
    return bytes(out)


def test_an_encrypted_workbook_is_refused_with_a_clear_error(tmp_path: Path):
    assert verdict(encrypted(workbook(tmp_path))) == "encrypted_workbook"


def test_an_encrypted_workbook_upload_answers_422_not_500(tmp_path: Path, api):
    files = {"file": ("members.xlsx", encrypted(workbook(tmp_path)), "application/octet-stream")}
    response = api("zhen").post("/api/v1/imports/members", files=files)
    assert response.status_code == 422, response.text
    assert "encrypted_workbook" in response.text
