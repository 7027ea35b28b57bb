"""Rules for division code tables: pure functions over rows, run over a whole table at once."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.codes import LEVELS, PREFIX_LENGTH, PROVINCE_PREFIXES, ancestors, extends, is_code, level_of
from ..core.errors import DomainError, Invalid
from ..core.i18n import _l
from ..core.tabular import Column, Header, parse_bool
from .models import FLAGS

COLUMNS = (
    Column("code", ("统计用区划代码", "区划代码", "代码", "编码", "division_code"), required=True),
    Column("name", ("名称", "区划名称", "单位名称"), required=True),
    Column("parent_code", ("上级代码", "上级区划代码", "父级代码", "pcode", "parent")),
    Column("level", ("级别", "层级")),
    Column("urban_rural_code", ("城乡分类代码", "城乡分类")),
    Column("latitude", ("纬度", "lat")),
    Column("longitude", ("经度", "lng", "lon")),
    Column("checkin_radius_m", ("打卡半径(米)", "打卡半径", "checkin_radius")),
    Column("population", ("人口", "户籍人口")),
    Column("households", ("户数",)),
    Column("collective_income", ("村集体收入(元)", "村集体收入", "集体经济收入")),
    Column("is_poor_village", ("贫困村",)),
    Column("is_exited", ("已出列", "已退出")),
    Column("exited_year", ("出列年份", "退出年份")),
    Column("is_key_village", ("重点帮扶村", "乡村振兴重点帮扶村")),
    Column("is_weak_branch", ("软弱涣散村", "软弱涣散")),
    Column("is_relocation_site", ("易地搬迁安置点", "易地扶贫搬迁安置点")),
    Column("is_ethnic_area", ("民族地区",)),
    Column("is_western", ("西部地区",)),
    Column("groups", ("村民小组",)),
)

LEVEL_NAMES = {
    "province": ("province", "省", "省级"),
    "prefecture": ("prefecture", "市", "地", "地级"),
    "county": ("county", "县", "县级"),
    "township": ("township", "乡", "镇", "乡级", "乡镇"),
    "village": ("village", "村", "村级"),
}
CHINA_LAT = (3.0, 54.0)
CHINA_LNG = (73.0, 136.0)


# Where the segments of a code end: province, prefecture, county, township, village.
SEGMENT_ENDS = (2, 4, 6, 9, 12)
COUNTY_SEGMENT = 2


def structure_problem(code: str) -> Any:
    """Why a 12-digit code cannot name a division, or None."""
    if code[:2] not in PROVINCE_PREFIXES:
        return _l("{division} does not start with a province code of GB/T 2260.")
    depth = LEVELS.index(level_of(code))
    for i in range(1, depth):
        # Prefecture-level cities without counties (东莞 4419, 中山 4420, 儋州 4604, 嘉峪关 6202)
        # number their townships with county segment 00, as the statistics bureau publishes them.
        if i == COUNTY_SEGMENT:
            continue
        if set(code[SEGMENT_ENDS[i - 1] : SEGMENT_ENDS[i]]) == {"0"}:
            return _l("{division} has a zero segment above its own level.")
    return None


def location_problem(latitude: float | None, longitude: float | None) -> tuple[str, Any] | None:
    """A point needs both coordinates: (the missing field, why), or None."""
    if (latitude is None) == (longitude is None):
        return None
    missing = "latitude" if latitude is None else "longitude"
    return missing, _l("Latitude and longitude go together: give both or neither.")


def name_problem(name: str) -> tuple[str, Any] | None:
    """Why a division name cannot be stored, as (error code, message), or None."""
    if not name:
        return "missing", _l("The name is missing.")
    if len(name) > 100:
        return "too_long", _l("The name has more than 100 characters.")
    # A line break in a name is almost always a quote left open in the CSV file.
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "bad_name", _l("The name must be one line of text without control characters.")
    return None


@dataclass
class Checked:
    """A table after checking: rows ready to write, and every located error."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[DomainError] = field(default_factory=list)


def _number(kind: Callable[[str], Any], low: float, high: float) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text.replace(",", ""))
        if not low <= value <= high:
            raise ValueError(text)
        return value

    return parse


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


def _three_digits(text: str) -> str:
    if not (text.isdigit() and len(text) == 3):
        raise ValueError(text)
    return text


ATTRIBUTES: dict[str, tuple[Callable[[str], Any], Any]] = {
    "latitude": (_number(float, *CHINA_LAT), _l("Latitude must be a number between 3 and 54 (China).")),
    "longitude": (_number(float, *CHINA_LNG), _l("Longitude must be a number between 73 and 136 (China).")),
    "checkin_radius_m": (
        _number(int, 10, 20000),
        _l("The check-in radius must be a whole number of metres from 10 to 20000."),
    ),
    "population": (_number(int, 0, 10**8), _l("Must be a whole number of at least 0.")),
    "households": (_number(int, 0, 10**8), _l("Must be a whole number of at least 0.")),
    "collective_income": (_decimal, _l("Must be an amount in yuan.")),
    "exited_year": (_number(int, 1980, 2100), _l("Must be a year between 1980 and 2100.")),
    "urban_rural_code": (_three_digits, _l("The urban-rural code has three digits (for example 220).")),
}


def _parse_attributes(
    values: Mapping[str, str], letter: Callable[[str], str | None], row: int, errors: list[DomainError]
) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for name, (parse, message) in ATTRIBUTES.items():
        text = values.get(name, "")
        if text:
            try:
                parsed[name] = parse(text)
            except (ValueError, TypeError):
                errors.append(Invalid(message, row=row, column=letter(name), code="bad_value"))
    for name in FLAGS:
        text = values.get(name, "")
        try:
            flag = parse_bool(text)
        except ValueError:
            errors.append(Invalid(_l("Must be 是 or 否 (yes or no)."), row=row, column=letter(name), code="bad_flag"))
            continue
        if flag is not None:
            parsed[name] = flag
    if "latitude" in parsed or "longitude" in parsed:
        located = location_problem(parsed.get("latitude"), parsed.get("longitude"))
        if located is not None and not values.get(located[0], ""):
            errors.append(Invalid(located[1], row=row, column=letter(located[0]), code="incomplete_location"))
    return parsed


def split_groups(text: str) -> list[str]:
    for separator in ("；", ";", "、", "|", "，", ","):
        text = text.replace(separator, ";")
    return [name.strip() for name in text.split(";") if name.strip()]


def _check_code(code: str, row: int, column: str | None, errors: list[DomainError]) -> bool:
    if not is_code(code):
        errors.append(
            Invalid(
                _l("The division code must have exactly 12 digits; “{division}” does not."),
                row=row,
                column=column,
                code="bad_code",
                division=code,
            )
        )
        return False
    problem = structure_problem(code)
    if problem is not None:
        errors.append(Invalid(problem, row=row, column=column, code="bad_code", division=code))
        return False
    return True


def check_table(
    header: Header,
    rows: Iterable[tuple[int, Sequence[str]]],
    existing: set[str],
    *,
    update: bool = False,
    covers: Callable[[str], bool] | None = None,
) -> Checked:
    """Check a code table: codes, levels, parents (in the file or already known), attributes.

    ``rows`` are (spreadsheet row number, cells); ``existing`` are the codes already stored;
    ``covers`` tells whether a code lies in the area of whoever imports (None: everywhere).
    """
    result = Checked()
    errors = result.errors
    letter = header.letter
    seen: dict[str, int] = {}
    pending: list[tuple[int, dict[str, Any], str]] = []
    for row, cells in rows:
        values = header.values(cells)
        code = values["code"].replace(" ", "")
        if not _check_code(code, row, letter("code"), errors):
            continue
        if covers is not None and not covers(code):
            errors.append(
                Invalid(
                    _l("The division {division} is outside your area."),
                    row=row,
                    column=letter("code"),
                    code="out_of_scope",
                    division=code,
                )
            )
            continue
        if code in seen:
            errors.append(
                Invalid(
                    _l("The code {division} appears twice (first in row {first})."),
                    row=row,
                    column=letter("code"),
                    code="duplicate_code",
                    division=code,
                    first=seen[code],
                )
            )
            continue
        seen[code] = row
        if code in existing and not update:
            errors.append(
                Invalid(
                    _l("The division {division} already exists; import with the update option to change it."),
                    row=row,
                    column=letter("code"),
                    code="duplicate_code",
                    division=code,
                )
            )
        name = values["name"]
        problem = name_problem(name)
        if problem is not None:
            errors.append(Invalid(problem[1], row=row, column=letter("name"), code=problem[0]))
        level = level_of(code)
        declared = values.get("level", "")
        if declared and declared.strip().lower() not in LEVEL_NAMES[level]:
            errors.append(
                Invalid(
                    _l("The level “{declared}” does not match the code, which names a {level}."),
                    row=row,
                    column=letter("level"),
                    code="level_mismatch",
                    declared=declared,
                    level=LEVEL_LABELS[level],
                )
            )
        record = {"code": code, "name": name, "level": level, **_parse_attributes(values, letter, row, errors)}
        if values.get("groups"):
            record["groups"] = split_groups(values["groups"])
        parent = values.get("parent_code", "").replace(" ", "")
        if parent and not _check_code(parent, row, letter("parent_code"), errors):
            continue
        pending.append((row, record, parent))
    known = existing | set(seen)
    for row, record, parent in pending:
        code = record["code"]
        # The division right above, as the code says. A division never hangs on one further up:
        # it would be missing from the children of the level it skips. (A prefecture-level city
        # without counties is its townships' parent: their county segment 00 pads to its code.)
        above = next(iter(ancestors(code)), "")
        if parent:
            if not extends(code, parent):
                errors.append(
                    Invalid(
                        _l("The code {division} does not extend its parent's code {parent}."),
                        row=row,
                        column=letter("code"),
                        code="not_extending",
                        division=code,
                        parent=parent,
                    )
                )
                continue
            if parent not in known:
                errors.append(
                    Invalid(
                        _l("The parent {parent} is neither in the file nor in the system."),
                        row=row,
                        column=letter("parent_code"),
                        code="unknown_parent",
                        parent=parent,
                    )
                )
                continue
            if parent != above:
                errors.append(
                    Invalid(
                        _l("The parent of {division} is {above}, the division right above it, not {parent}."),
                        row=row,
                        column=letter("parent_code"),
                        code="parent_skips_level",
                        division=code,
                        above=above,
                        parent=parent,
                    )
                )
                continue
        elif above and above not in known:
            errors.append(
                Invalid(
                    _l("No parent of {division} is in the file or in the system (expected {parent})."),
                    row=row,
                    column=letter("code"),
                    code="unknown_parent",
                    division=code,
                    parent=above,
                )
            )
            continue
        record["parent_code"] = parent or above or None
        result.rows.append(record)
    errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    result.rows.sort(key=lambda r: r["code"])
    return result


LEVEL_LABELS = {
    "province": _l("province"),
    "prefecture": _l("prefecture"),
    "county": _l("county"),
    "township": _l("township"),
    "village": _l("village"),
}
__all__ = [
    "COLUMNS",
    "PREFIX_LENGTH",
    "Checked",
    "check_table",
    "location_problem",
    "name_problem",
    "structure_problem",
]
