"""Checking an uploaded file before anything opens it: its size, its kind by content (not
by name), and for a workbook the zip container itself, so that a zip bomb, a macro
workbook or an old binary .xls is refused with a clear message before a parser runs."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from pydantic_settings import BaseSettings, SettingsConfigDict

from zhucun.core.errors import DomainError, Invalid
from zhucun.core.i18n import _l

CSV, XLSX = "csv", "xlsx"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and password-protected workbooks)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
MACRO_TYPES = (b"macroenabled", b"vbaproject")
MB = 1 << 20


class ImportLimits(BaseSettings):
    """Limits on workbooks (ZHUCUN_IMPORT_*); the upload size itself is settings.max_upload_bytes."""

    model_config = SettingsConfigDict(env_prefix="ZHUCUN_IMPORT_", extra="ignore")

    max_zip_entries: int = 1000
    max_unzipped_bytes: int = 4 << 30
    # Sheet XML compresses about 10:1, a zip bomb 1000:1 and more.
    max_zip_ratio: int = 100
    max_error_rows: int = 10_000


class TooLarge(DomainError):
    status = 413
    code = "file_too_large"


@dataclass
class Source:
    """An uploaded or local file, read as bytes from its start."""

    stream: BinaryIO
    filename: str
    path: Path | None = None

    @classmethod
    def of_path(cls, path: Path | str) -> Source:
        path = Path(path)
        return cls(path.open("rb"), path.name, path)

    @classmethod
    def of_bytes(cls, data: bytes, filename: str = "") -> Source:
        return cls(io.BytesIO(data), filename)

    def rewind(self) -> BinaryIO:
        self.stream.seek(0)
        return self.stream

    def close(self) -> None:
        self.stream.close()


@dataclass(frozen=True)
class FileInfo:
    kind: str
    sha256: str
    size: int


def inspect(source: Source, *, max_bytes: int, limits: ImportLimits) -> FileInfo:
    """The file's kind, hash and size; a located error for anything that must not be opened."""
    stream = source.rewind()
    size = stream.seek(0, os.SEEK_END)
    if size > max_bytes:
        raise TooLarge(
            _l("The file has {size} MB; at most {limit} MB may be uploaded."),
            size=round(size / MB, 1),
            limit=round(max_bytes / MB, 1),
        )
    if size == 0:
        raise Invalid(_l("The file is empty."), code="empty_file")
    head, digest = _hash(source.rewind())
    kind = _kind(head, source.filename)
    if kind == XLSX:
        check_workbook(source.rewind(), limits)
    return FileInfo(kind, digest, size)


def _hash(stream: BinaryIO) -> tuple[bytes, str]:
    digest = hashlib.sha256()
    head = stream.read(64 * 1024)
    digest.update(head)
    while chunk := stream.read(MB):
        digest.update(chunk)
    return head, digest.hexdigest()


def _kind(head: bytes, filename: str) -> str:
    if head.startswith(OLE2):
        raise Invalid(
            _l(
                "Old Excel files (.xls) and password-protected workbooks are not accepted; save the file "
                "as an Excel workbook (.xlsx) or as CSV and upload it again."
            ),
            code="xls_refused",
        )
    if head.startswith(ZIP_MAGIC):
        return XLSX
    if b"\x00" in head:
        raise Invalid(_l("The file is neither CSV text nor an Excel workbook (.xlsx)."), code="unknown_kind")
    return CSV


def check_workbook(stream: BinaryIO, limits: ImportLimits) -> None:
    """Refuse macro workbooks, binary workbooks and zip bombs by the zip directory alone."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        raise _not_a_workbook() from None
    with archive:
        infos = archive.infolist()
        _check_sizes(infos, limits)
        # Before any part is opened: zipfile raises a bare RuntimeError on an encrypted one.
        if any(info.flag_bits & 0x1 for info in infos):
            raise Invalid(
                _l("The workbook is encrypted; remove its password and upload it again."), code="encrypted_workbook"
            )
        names = {info.filename.lower() for info in infos}
        if any(name.endswith("vbaproject.bin") for name in names) or _macro_content_type(archive, names):
            raise Invalid(
                _l(
                    "Workbooks with macros (.xlsm) are not accepted; save the file as an Excel workbook "
                    "(.xlsx) and upload it again."
                ),
                code="macro_refused",
            )
        if "xl/workbook.bin" in names:
            raise Invalid(
                _l(
                    "Binary workbooks (.xlsb) are not accepted; save the file as an Excel workbook (.xlsx) "
                    "and upload it again."
                ),
                code="xlsb_refused",
            )
        if "xl/workbook.xml" not in names:
            raise _not_a_workbook()


def _check_sizes(infos: list[zipfile.ZipInfo], limits: ImportLimits) -> None:
    if len(infos) > limits.max_zip_entries:
        raise Invalid(
            _l("The workbook holds {count} parts; at most {limit} are accepted."),
            code="zip_bomb",
            count=len(infos),
            limit=limits.max_zip_entries,
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unzipped_bytes:
        raise Invalid(
            _l("The workbook unpacks to {size} MB; at most {limit} MB are accepted."),
            code="zip_bomb",
            size=unpacked // MB,
            limit=limits.max_unzipped_bytes // MB,
        )
    for info in infos:
        # Tiny parts may compress extremely well without harm; a bomb is big once unpacked.
        if info.file_size > MB and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            raise Invalid(
                _l("A part of the workbook is compressed {ratio} to 1, which only a zip bomb is; the file is refused."),
                code="zip_bomb",
                ratio=info.file_size // max(info.compress_size, 1),
            )


def _macro_content_type(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if "[content_types].xml" not in names:
        return False
    info = next(i for i in archive.infolist() if i.filename.lower() == "[content_types].xml")
    if info.file_size > MB:
        raise _not_a_workbook()
    with archive.open(info) as part:
        return any(marker in part.read(MB).lower() for marker in MACRO_TYPES)


def _not_a_workbook() -> Invalid:
    return Invalid(_l("The file is a ZIP archive but not an Excel workbook (.xlsx)."), code="not_a_workbook")


def describe(info: FileInfo) -> dict[str, Any]:
    return {"kind": info.kind, "sha256": info.sha256, "size": info.size}
