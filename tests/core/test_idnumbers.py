"""Resident ID numbers: the rules of GB 11643, and check_many agreeing with check."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from zhucun.core import idcli, idnumbers
from zhucun.core.errors import Invalid
from zhucun.core.i18n import LOCALE_DIR, use_locale
from zhucun.core.idnumbers import check, check_many, mask, normalize

EXAMPLE = "11010519491231002X"  # the example number of GB 11643-1999 itself
TODAY = dt.date(2024, 2, 29)
SOURCES = [Path(idnumbers.__file__), Path(idcli.__file__)]


def with_check(body17: str) -> str:
    """Check character by the formula Faker uses, independent of the code under test."""
    return body17 + str((1 - 2 * int(body17, 13)) % 11).replace("10", "X")


def number(region: str = "110105", born: str = "19491231", seq: str = "002") -> str:
    return with_check(region + born + seq)


def test_the_standards_example_is_valid() -> None:
    result = check(EXAMPLE)
    assert (result.valid, result.reason_code, result.reason) == (True, None, None)
    assert result.normalized == EXAMPLE
    assert idnumbers.birth_date(EXAMPLE) == dt.date(1949, 12, 31)
    assert idnumbers.gender_of(EXAMPLE) == "female"


def test_agrees_with_fakers_generator() -> None:
    fake = Faker("zh_CN")
    Faker.seed(20240601)
    numbers, genders = [], []
    for index in range(4000):
        gender = "MF"[index % 2]
        numbers.append(fake.ssn(gender=gender, min_age=0, max_age=110))
        genders.append("male" if gender == "M" else "female")
    verdicts = [check(n, gender=g) for n, g in zip(numbers, genders)]
    assert [n for n, v in zip(numbers, verdicts) if not v.valid] == []
    assert [idnumbers.gender_of(n) for n in numbers] == genders
    assert check_many(numbers, genders=genders) == (numbers, [None] * len(numbers))


def valid_samples() -> list[str]:
    fake = Faker("zh_CN")
    Faker.seed(7)
    return [
        EXAMPLE,
        number("510202", "20000229", "117"),
        number("429001", "19001231", "999"),
        *(fake.ssn() for _ in range(4)),
    ]


@pytest.mark.parametrize("valid", valid_samples())
def test_every_single_substitution_is_rejected(valid: str) -> None:
    assert check(valid).valid
    mutants = [
        valid[:i] + char + valid[i + 1 :]
        for i in range(18)
        for char in ("0123456789X" if i == 17 else "0123456789")
        if char != valid[i]
    ]
    assert len(mutants) == 17 * 9 + 10
    assert [m for m in mutants if check(m).valid] == []
    assert None not in check_many(mutants)[1]


@pytest.mark.parametrize("valid", valid_samples())
def test_every_adjacent_transposition_is_rejected(valid: str) -> None:
    swaps = [valid[:i] + valid[i + 1] + valid[i] + valid[i + 2 :] for i in range(17)]
    mutants = [m for m in swaps if m != valid]
    assert [m for m in mutants if check(m).valid] == []


def test_a_wrong_check_character_names_the_right_one() -> None:
    result = check(EXAMPLE[:17] + "5")
    assert result.reason_code == "id_checksum"
    with use_locale("zh_CN"):
        assert "应为 X，而不是 5" in str(result.reason)
    with use_locale("en"):
        assert "should be X, not 5" in str(result.reason)


def test_fifteen_digit_numbers_are_converted() -> None:
    result = check("110105491231002")
    assert result.valid and result.normalized == EXAMPLE
    assert idnumbers.to_18("110105491231002") == EXAMPLE
    assert check_many(["110105491231002"]) == ([EXAMPLE], [None])


def test_fifteen_digit_numbers_with_a_bad_date_are_rejected() -> None:
    result = check("110105491331002")
    assert result.reason_code == "id_birth_date"
    assert result.normalized == idnumbers.to_18("110105491331002")


def test_a_future_birth_date_is_valid_with_a_warning() -> None:
    tomorrow = number(born="20240301")
    result = check(tomorrow, today=TODAY)
    assert (result.valid, result.reason_code, result.warning_code) == (True, None, "id_future_birth")
    with use_locale("en"):
        assert str(result.warning) == (
            "The birth date in the number, 2024-03-01, is in the future; check the number against the ID card."
        )
    with use_locale("zh_CN"):
        assert "2024-03-01" in str(result.warning) and "future" not in str(result.warning)
    assert check(number(born="20240229"), today=TODAY).warning is None
    assert check_many([tomorrow], today=TODAY) == ([tomorrow], [None])
    assert idnumbers.age_warnings([tomorrow, number(born="20240229")], today=TODAY) == ["id_future_birth", None]


def test_without_today_the_real_date_is_used() -> None:
    next_year = dt.date.today().year + 1
    assert check(number(born=f"{next_year}0101")).warning_code == "id_future_birth"
    assert idnumbers.age_warnings([number(born=f"{next_year}0101")]) == ["id_future_birth"]


@pytest.mark.parametrize(
    "born",
    ["18800101", "18991231", "17000228", "16000229", "10000101", "00010101"],
)
def test_any_real_birth_date_is_valid_however_old(born: str) -> None:
    result = check(number(born=born), today=TODAY)
    assert (result.valid, result.reason_code, result.warning_code) == (True, None, "id_over_age")
    assert check_many([number(born=born)], today=TODAY)[1] == [None]


def test_the_standards_other_example_born_in_1880_is_valid() -> None:
    result = check("440524188001010014", today=TODAY)
    assert result.valid and result.normalized == "440524188001010014"
    with use_locale("en"):
        assert str(result.warning) == (
            "The birth date in the number, 1880-01-01, makes the person older than 120; "
            "check the number against the ID card."
        )


@pytest.mark.parametrize(
    ("born", "max_age", "warned"),
    [
        ("19040229", 120, False),  # 119 on 2024-02-29, 120 that day... not older than 120
        ("19030301", 120, False),  # 120 until 2024-03-01
        ("19030229", 120, None),  # no such day: not a real date
        ("19030228", 120, True),  # 121 since 2024-02-28
        ("19240229", 99, True),  # exactly 100 today
        ("19240301", 99, False),
    ],
)
def test_the_age_warning_is_at_the_configured_age(born: str, max_age: int, warned: bool | None) -> None:
    result = check(number(born=born), today=TODAY, max_age=max_age)
    if warned is None:
        assert result.reason_code == "id_birth_date"
        return
    assert result.valid and (result.warning_code == "id_over_age") is warned
    assert idnumbers.age_warnings([number(born=born)], today=TODAY, max_age=max_age) == [
        "id_over_age" if warned else None
    ]


def test_year_zero_is_not_a_real_date() -> None:
    assert check(number(born="00000101")).reason_code == "id_birth_date"
    assert check_many([number(born="00000101")])[1] == ["id_birth_date"]


@pytest.mark.parametrize(
    ("born", "real"),
    [
        ("20000229", True),
        ("20040229", True),
        ("19000229", False),
        ("19990229", False),
        ("19490230", False),
        ("19490431", False),
        ("19490131", True),
        ("19491301", False),
        ("19490001", False),
        ("19490100", False),
        ("19490132", False),
        ("00000101", False),
    ],
)
def test_birth_dates_must_be_real(born: str, real: bool) -> None:
    code = check(number(born=born), today=TODAY).reason_code
    assert code is None if real else code == "id_birth_date"
    assert check_many([number(born=born)], today=TODAY)[1] == [code]


@pytest.mark.parametrize(
    "region",
    [
        "429001",  # 随州市 as a county-level city under Hubei, abolished in 2000
        "510202",  # 重庆市市中区 while Chongqing was part of Sichuan, before 1997
        "522101",  # 遵义市 before Zunyi became a prefecture-level city in 1997
        "830000",  # residence permits for Taiwan residents
    ],
)
def test_abolished_and_special_region_codes_are_accepted(region: str) -> None:
    assert check(number(region=region)).valid


@pytest.mark.parametrize("prefix", ["00", "10", "24", "47", "72", "80", "84", "99"])
def test_unknown_province_prefixes_are_rejected(prefix: str) -> None:
    result = check(number(region=prefix + "0101"))
    assert result.reason_code == "id_province"
    with use_locale("zh_CN"):
        assert f"前两位“{prefix}”" in str(result.reason)


@pytest.mark.parametrize("gender", ["female", "Female", "2", "女", "f", None, "", "0", "9"])
def test_matching_or_unknown_gender_is_accepted(gender: str | None) -> None:
    assert check(EXAMPLE, gender=gender).valid


@pytest.mark.parametrize("gender", ["male", "1", "男", "M"])
def test_a_gender_mismatch_is_rejected(gender: str) -> None:
    result = check(EXAMPLE, gender=gender)
    assert result.reason_code == "id_gender"
    with use_locale("zh_CN"):
        assert str(result.reason) == "第17位为偶数，表示女性，但登记的性别为男。"
    assert check_many([EXAMPLE], genders=[gender])[1] == ["id_gender"]


def test_a_gender_mismatch_in_an_old_number_names_digit_15() -> None:
    result = check("110105491231002", gender="男")
    with use_locale("en"):
        assert str(result.reason).startswith("Digit 15 is even")
    assert check(number(seq="001"), gender="女").reason_code == "id_gender"


def test_an_unknown_gender_value_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown gender"):
        check(EXAMPLE, gender="yes")
    with pytest.raises(ValueError, match="unknown gender"):
        check_many([EXAMPLE], genders=["yes"])
    with pytest.raises(ValueError, match="as long as"):
        check_many([EXAMPLE], genders=[])


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 11010519491231002X ",
        "\u300011010519491231002x\t",
        "110105 19491231 002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "\ufeff11010519491231002X\u200b",
        "11010519491231002ｘ\r\n",
    ],
)
def test_lowercase_x_spaces_and_full_width_characters_are_accepted(raw: str) -> None:
    result = check(raw)
    assert (result.valid, result.normalized, result.input) == (True, EXAMPLE, raw)
    assert check_many([raw]) == ([EXAMPLE], [None])


def test_normalize_removes_every_kind_of_whitespace() -> None:
    spaces = [chr(i) for i in range(0x110000) if chr(i).isspace()]
    assert [s for s in spaces if normalize(f"1{s}2") != "12"] == []
    assert normalize(None) == "" and normalize(12345) == "12345"


@pytest.mark.parametrize(
    ("raw", "code", "needle"),
    [
        ("", "id_empty", "未填写"),
        ("   ", "id_empty", "未填写"),
        (None, "id_empty", "未填写"),
        ("1101051949123100", "id_length", "此号码为16位"),
        ("11010519491231002X1", "id_length", "此号码为19位"),
        ("1101051949123100XX", "id_chars", "第17位是“X”"),
        ("11010519491231002A", "id_chars", "第18位是“A”"),
        ("11010549123100X", "id_chars", "第15位是“X”"),
        ("110105-9491231002", "id_length", "此号码为17位"),
        ("11O10519491231002X", "id_chars", "第3位是“O”"),
        ("１1010519491231002٣", "id_chars", "第18位是“٣”"),
    ],
)
def test_malformed_numbers_are_rejected_with_their_reason(raw, code, needle) -> None:
    result = check(raw)
    assert (result.valid, result.reason_code) == (False, code)
    with use_locale("zh_CN"):
        assert needle in str(result.reason)
    assert check_many([raw])[1] == [code]


def test_reasons_are_translated_when_shown() -> None:
    result = check("")
    with use_locale("en"):
        assert str(result.reason) == "No ID number was given."
    with use_locale("zh_CN"):
        assert str(result.reason) == "未填写身份证号码。"


def test_require_returns_the_number_or_raises_a_located_error() -> None:
    assert idnumbers.require("110105491231002") == EXAMPLE
    with pytest.raises(Invalid) as caught:
        idnumbers.require(EXAMPLE, gender="male", row=7, column="C")
    error = caught.value
    assert (error.code, error.row, error.column, error.status) == ("id_gender", 7, "C", 422)
    with use_locale("zh_CN"):
        assert error.message == "第17位为偶数，表示女性，但登记的性别为男。"
        assert str(error).endswith(error.message)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        (EXAMPLE, "110105********002X"),
        ("11010519491231002x ", "110105********002X"),
        ("110105491231002", "110105******002"),
        ("1101051949123100", "1101**********00"),
        ("11010519491231002", "11010*********002"),
        ("11010519491231002X99", "110105**********2X99"),
        ("12345678", "********"),
        ("", ""),
    ],
)
def test_mask(raw: str, masked: str) -> None:
    assert mask(raw) == masked


@given(st.text(alphabet="0123456789X", max_size=40))
@settings(max_examples=300, deadline=None)
def test_mask_never_shows_more_than_six_and_four(raw: str) -> None:
    shown = mask(raw)
    assert len(shown) == len(raw)
    head = len(shown) - len(shown.lstrip("0123456789X"))
    tail = len(shown) - len(shown.rstrip("0123456789X"))
    assert head <= 6 and tail <= 4
    old_number = len(raw) == 15 and raw.isdigit()
    assert shown.count("*") >= (6 if old_number else min(len(raw), 8))
    if len(raw) >= 14:
        # The birth date (positions 7–12 of an old number, 7–14 otherwise) is never shown.
        assert set(shown[6 : 12 if old_number else 14]) == {"*"}


# --- check_many agrees with check ----------------------------------------------------

REGIONS = ["110105", "429001", "510202", "830000", "990101", "000000", "650102", "710000"]
NOISE = "0123456789Xx xＸ１\u3000-O٣"


def mutate(rng: random.Random, value: str) -> str:
    kind = rng.randrange(12)
    i = rng.randrange(len(value)) if value else 0
    if kind == 0:
        return value[:i] + rng.choice(NOISE) + value[i + 1 :]
    if kind == 1:
        return value[:i] + value[i + 1 :]
    if kind == 2:
        return value[:i] + rng.choice(NOISE) + value[i:]
    if kind == 3 and len(value) > 1:
        i = min(i, len(value) - 2)
        return value[:i] + value[i + 1] + value[i] + value[i + 2 :]
    if kind == 4 and len(value) == 18:
        return value[:6] + value[8:17]  # back to a 15-digit number
    if kind == 5:
        return value.lower()
    if kind == 6:
        return "".join(rng.choice("0123456789") for _ in range(rng.randrange(20)))
    return value


def random_number(rng: random.Random) -> str:
    born = f"{rng.randrange(1880, 2030):04d}{rng.randrange(0, 14):02d}{rng.randrange(0, 33):02d}"
    if rng.random() < 0.7:
        born = (dt.date(1890, 1, 1) + dt.timedelta(days=rng.randrange(55000))).strftime("%Y%m%d")
    value = with_check(rng.choice(REGIONS) + born + f"{rng.randrange(1000):03d}")
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        value = mutate(rng, value)
    return value


def assert_agree(values: list, genders: list | None, today: dt.date) -> None:
    normalized, codes = check_many(values, genders=genders, today=today)
    single = [check(v, gender=g, today=today) for v, g in zip(values, genders or [None] * len(values))]
    assert normalized == [r.normalized for r in single]
    assert codes == [r.reason_code for r in single]


def test_check_many_agrees_with_check_on_random_and_mutated_numbers() -> None:
    rng = random.Random(11643)
    values = [random_number(rng) for _ in range(30000)]
    genders = [rng.choice(["male", "female", "1", "2", "男", "女", None, ""]) for _ in values]
    assert_agree(values, genders, TODAY)
    assert_agree(values, None, dt.date(1999, 12, 31))
    codes = set(check_many(values, genders=genders, today=TODAY)[1])
    assert codes == {None, *idnumbers.REASON_CODES}  # every rule was exercised


def test_check_many_on_nothing() -> None:
    assert check_many([]) == ([], [])
    assert check_many([None, 110105491231002]) == ([None, EXAMPLE], ["id_empty", None])


@given(st.lists(st.text(alphabet=NOISE, max_size=20), max_size=30), st.dates())
@settings(max_examples=200, deadline=None)
def test_check_many_agrees_with_check_on_any_text(values: list[str], today: dt.date) -> None:
    assert_agree(values, None, today)


@st.composite
def nearly_valid(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(REGIONS))
    born = draw(st.dates(dt.date(1880, 1, 1), dt.date(2100, 12, 31))).strftime("%Y%m%d")
    value = with_check(region + born + draw(st.from_regex(r"[0-9]{3}", fullmatch=True)))
    if draw(st.booleans()):
        value = value[:17] + draw(st.sampled_from("0123456789Xx"))
    return value


@given(st.lists(nearly_valid(), max_size=30), st.dates(dt.date(1900, 1, 1)))
@settings(max_examples=200, deadline=None)
def test_check_many_agrees_with_check_near_valid_numbers(values: list[str], today) -> None:
    assert_agree(values, None, today)


# --- translations ---------------------------------------------------------------------


def catalog(locale: str) -> dict[str, str]:
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "idnumbers.po"
    header = path.read_text(encoding="utf-8").split("\n\n")[0]
    assert '"content-type: text/plain; charset=utf-8\\n"' in header.lower()
    assert f'"Language: {locale}\\n"' in header
    with path.open("rb") as fh:
        parsed = read_po(fh, locale=locale)
    assert not [m.id for m in parsed if m.fuzzy and m.id]
    return {m.id: m.string for m in parsed if m.id}


def test_every_message_has_a_chinese_translation_with_the_same_placeholders() -> None:
    keywords = {"_": None, "_l": None, "gettext": None}
    msgids = {m[1] for path in SOURCES for m in extract_from_file("python", path, keywords)}
    chinese, english = catalog("zh_CN"), catalog("en")
    assert msgids and msgids <= set(chinese) and msgids <= set(english)
    placeholders = re.compile(r"\{(\w*)\}")
    for msgid in msgids:
        assert chinese[msgid], msgid
        assert sorted(placeholders.findall(chinese[msgid])) == sorted(placeholders.findall(msgid))
        assert not {"code", "field", "row", "column", "status"} & set(placeholders.findall(msgid))
        assert english[msgid] == ""
