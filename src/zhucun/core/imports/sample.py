"""What synthetic import files of every kind share, for tests, benchmarks and demonstrations:
plausible Chinese names, valid and distinct ID numbers whose birth date and gender agree
with the other columns, deterministic by seed, and writing the rows as CSV or .xlsx. Each
kind makes its own rows (its ``sample``). No real person is in them."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zhucun.core.idnumbers import check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志文红玉梅春林云海燕德福顺发贵珍凤琴荣成永祥生才兴"
ETHNIC = ["汉族"] * 6 + ["苗族", "布依族", "侗族", "水族"]


class People:
    """Valid, distinct ID numbers: the order code's parity marks the gender (odd: male)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[tuple[str, str], int] = {}

    def id_number(self, region: str, born: dt.date, male: bool) -> str:
        key = (region, born.strftime("%Y%m%d"))
        count = self.used.get(key, 0)
        self.used[key] = count + 1
        order = (count * 2 + (1 if male else 0)) % 1000
        body = region + key[1] + f"{order:03d}"
        return body + check_char(body)

    def name(self) -> str:
        given = "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def born(self, age: int, today: dt.date) -> dt.date:
        return today - dt.timedelta(days=age * 365 + self.rng.randrange(365))


def write_csv(path: Path, headers: list[str], rows: Iterator[list[str]], *, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, headers: list[str], rows: Iterator[list[Any]]) -> Path:
    """Every cell as text, as a template formatted as text keeps it (constant memory)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, headers)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value != "":
                sheet.write_string(number, column, value)
    book.close()
    return path
