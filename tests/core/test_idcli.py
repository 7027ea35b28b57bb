"""``zhucun id check``, mounted as the root CLI will mount it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from zhucun.core import idcli
from zhucun.core.i18n import current_locale

EXAMPLE = "11010519491231002X"
WRONG_CHECK = "110105194912310025"

root = typer.Typer()
root.add_typer(idcli.app, name="id")


@root.callback()
def _root() -> None:
    """A stand-in for the project's root CLI."""


def run(*args: str, lang: str = "zh_CN", stdin: str | None = None):
    env = {"ZHUCUN_LANG": lang, "LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}
    return CliRunner().invoke(root, ["id", "check", *args], env=env, input=stdin)


def flat(text: str) -> str:
    """Error text without the box and line breaks the terminal renderer adds around it."""
    return "".join(text.replace("│", " ").split())


def test_a_valid_number_in_chinese() -> None:
    result = run(EXAMPLE)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{EXAMPLE}  有效\n"


def test_a_valid_number_in_english() -> None:
    result = run(EXAMPLE, lang="en")
    assert (result.exit_code, result.stdout) == (0, f"{EXAMPLE}  valid\n")


def test_an_invalid_number_gives_the_reason_and_exit_status_1() -> None:
    result = run(EXAMPLE, WRONG_CHECK)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{EXAMPLE}  有效"
    assert lines[1].startswith(f"{WRONG_CHECK}  无效：校验码错误：按前17位应为 X，而不是 5。")
    english = run(WRONG_CHECK, lang="en").stdout
    assert "invalid: The check character is wrong: for the first 17 digits it should be X" in (english)


def test_a_number_written_otherwise_shows_its_18_character_form() -> None:
    result = run("110105491231002", "11010519491231002x")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"110105491231002     有效，18位号码为 {EXAMPLE}",
        f"11010519491231002x  有效，18位号码为 {EXAMPLE}",
    ]


def test_json_output() -> None:
    result = run("--json", "110105491231002", WRONG_CHECK, "12345", lang="en")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    keys = {"input", "valid", "reason", "reason_code", "normalized", "warning", "warning_code"}
    assert [set(row) for row in rows] == [keys] * 3
    assert rows[0] == {
        "input": "110105491231002",
        "valid": True,
        "reason": None,
        "reason_code": None,
        "normalized": EXAMPLE,
        "warning": None,
        "warning_code": None,
    }
    assert rows[1]["valid"] is False and rows[1]["reason_code"] == "id_checksum"
    assert rows[1]["reason"].startswith("The check character is wrong")
    assert rows[1]["normalized"] == WRONG_CHECK
    assert rows[2]["normalized"] is None and rows[2]["reason_code"] == "id_length"


def test_json_reasons_are_in_the_users_language() -> None:
    rows = json.loads(run("--json", "12345").stdout)
    assert rows[0]["reason"] == "身份证号码应为18位（旧号码为15位），此号码为5位。"


def test_numbers_from_a_file_with_a_bom_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_bytes(f"\ufeff{EXAMPLE}\r\n\r\n   \n\u3000\n 110105491231002 \n".encode())
    result = run("--file", str(path), "--json", WRONG_CHECK)
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [row["input"] for row in rows] == [WRONG_CHECK, EXAMPLE, " 110105491231002 "]
    assert [row["valid"] for row in rows] == [False, True, True]


def test_numbers_from_standard_input() -> None:
    result = run("-f", "-", stdin=f"\ufeff{EXAMPLE}\n110105491231002\n")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


def test_no_numbers_is_a_usage_error() -> None:
    result = run()
    assert result.exit_code == 2
    assert "请在命令后给出身份证号码，或用 --file 指定文件。" in result.stderr
    assert result.stdout == ""
    assert "Give ID numbers" in run(lang="en").stderr


def test_an_empty_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    assert run("--file", str(tmp_path / "empty.txt")).exit_code == 2


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--file", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert "无法读取" in flat(result.stderr) and "missing.txt" in flat(result.stderr)


def test_a_file_not_in_utf8_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(f"{EXAMPLE}  张三\n".encode("gbk"))
    result = run("--file", str(path), lang="en")
    assert result.exit_code == 2
    assert flat("gbk.txt is not UTF-8 text; save it as UTF-8 and try again.") in flat(result.stderr)


def test_the_command_does_not_change_the_callers_locale() -> None:
    before = current_locale()
    run(EXAMPLE, lang="en" if before == "zh_CN" else "zh_CN")
    assert current_locale() == before


@pytest.mark.parametrize("args", [["id", "--help"], ["id", "check", "--help"]])
def test_help(args: list[str]) -> None:
    result = CliRunner().invoke(root, args)
    assert result.exit_code == 0
    assert "check" in result.stdout.lower()


def test_an_implausible_birth_date_is_valid_with_a_warning() -> None:
    old = "440524188001010014"  # the standard's other example, born in 1880
    result = run(old, lang="en")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{old}  valid; warning: The birth date in the number, 1880-01-01, makes the person older than 120; "
        "check the number against the ID card.\n"
    )
    chinese = run(old)
    assert (
        chinese.exit_code == 0 and chinese.stdout.startswith(f"{old}  有效；注意：") and "1880-01-01" in chinese.stdout
    )
    answer = json.loads(run("--json", old, lang="en").stdout)
    assert (answer[0]["valid"], answer[0]["warning_code"]) == (True, "id_over_age")
