"""The columns an import file may carry: machine names, the headers clerks use, and what
each cell must hold. The same lists drive the header check, the cell checks, the
templates and their explanation sheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhucun.core.i18n import _l
from zhucun.core.tabular import Column
from zhucun.registry import catalogues as cat
from zhucun.registry.catalogues import Catalogue

# Kinds of cell, each with its parser in cells.py.
TEXT, CODE, CODES, DATE, INT, MONEY, MU, BOOL, ID, PHONE, BANK, VILLAGE, GROUP, DIVISION, PLACE, UNIT = (
    "text",
    "code",
    "codes",
    "date",
    "int",
    "money",
    "mu",
    "bool",
    "id",
    "phone",
    "bank",
    "village",
    "group",
    "division",
    "place",
    "unit",
)
MEMBER, HOUSEHOLD, INCOME = "member", "household", "income"


@dataclass(frozen=True)
class Field:
    name: str
    header: str
    kind: str
    help: Any
    aliases: tuple[str, ...] = ()
    level: str = MEMBER
    required: bool = False
    catalogue: Catalogue | None = None
    limit: int | None = None  # longest text, or the highest number
    low: int = 0

    @property
    def column(self) -> Column:
        return Column(self.name, (self.header, *self.aliases), required=self.required)


def _f(name: str, header: str, kind: str, help: Any, *aliases: str, **options: Any) -> Field:
    return Field(name, header, kind, help, aliases, **options)


YEAR = {"low": 1980, "limit": 2100}
MEMBER_FIELDS = (
    _f(
        "household_no",
        "户编号",
        TEXT,
        _l("The household's number in the register; every member row of a household repeats it."),
        "户号",
        "家庭编号",
        level=HOUSEHOLD,
        required=True,
        limit=30,
    ),
    _f(
        "village_code",
        "行政区划代码",
        VILLAGE,
        _l("The 12-digit statistical code of the household's village."),
        "村代码",
        "村级区划代码",
        "区划代码",
        level=HOUSEHOLD,
        required=True,
    ),
    _f(
        "group",
        "村民小组",
        GROUP,
        _l("The village group: its number (3 or 3组) or its name."),
        "组",
        "村民组",
        level=HOUSEHOLD,
    ),
    _f("name", "姓名", TEXT, _l("The member's name."), "成员姓名", required=True, limit=50),
    _f(
        "id_number",
        "证件号码",
        ID,
        _l(
            "The 18-character resident ID number (15-digit old numbers are accepted); "
            "format the column as text in Excel."
        ),
        "身份证号码",
        "身份证号",
        "公民身份号码",
        required=True,
    ),
    _f(
        "relation_to_head",
        "与户主关系",
        CODE,
        _l("The relation to the head of household; the head is 02 (户主) or 01 (本人)."),
        "relation",
        required=True,
        catalogue=cat.RELATION,
    ),
    _f("gender", "性别", CODE, _l("男 or 女; it must agree with the ID number."), required=True, catalogue=cat.GENDER),
    _f(
        "birth_date",
        "出生日期",
        DATE,
        _l("Optional; when given it must equal the birth date in the ID number."),
        "出生年月日",
    ),
    _f("ethnicity", "民族", CODE, _l("The ethnic group (GB 3304), for example 汉族 or 01."), catalogue=cat.ETHNICITY),
    _f("education", "文化程度", CODE, _l("The highest education."), catalogue=cat.EDUCATION),
    _f(
        "student",
        "在校生状况",
        CODE,
        _l("Whether and where the member is at school."),
        "在校生情况",
        catalogue=cat.STUDENT,
    ),
    _f("health", "健康状况", CODE, _l("Health."), catalogue=cat.HEALTH),
    _f("disability", "残疾类别", CODE, _l("The kind of disability, or 无残疾."), "残疾类型", catalogue=cat.DISABILITY),
    _f(
        "disability_grade",
        "残疾等级",
        CODE,
        _l("The grade of disability, 一级 to 四级."),
        catalogue=cat.DISABILITY_GRADE,
    ),
    _f("labour", "劳动技能", CODE, _l("The ability to work."), "劳动能力", catalogue=cat.LABOUR),
    _f(
        "migrant_months",
        "务工时间（月）",
        INT,
        _l("Months of migrant work in the year, 0 to 12."),
        "务工时间",
        "外出务工时间",
        limit=12,
    ),
    _f("medical_insurance", "是否参加城乡居民基本医疗保险", BOOL, _l("是 or 否."), "参加医疗保险", "是否参加大病保险"),
    _f("pension_insurance", "是否参加城乡居民基本养老保险", BOOL, _l("是 or 否."), "参加养老保险"),
    _f(
        "phone",
        "联系电话",
        PHONE,
        _l("The member's phone number; the head's becomes the household's."),
        "手机号码",
        "电话",
    ),
    _f(
        "household_attribute",
        "户类型",
        CODE,
        _l("一般户, 低保户 or 特困供养户 (1 when empty)."),
        "贫困户属性",
        "户属性",
        level=HOUSEHOLD,
        catalogue=cat.HOUSEHOLD_ATTRIBUTE,
    ),
    _f(
        "household_status",
        "户状态",
        CODE,
        _l("The household's status in the register (一般农户 when empty)."),
        "脱贫状态",
        "贫困户状态",
        level=HOUSEHOLD,
        catalogue=cat.HOUSEHOLD_STATUS,
    ),
    _f("main_cause", "主要致贫原因", CODE, _l("One cause of poverty."), level=HOUSEHOLD, catalogue=cat.POVERTY_CAUSE),
    _f(
        "other_causes",
        "其他致贫原因",
        CODES,
        _l("Further causes, separated by 、 or commas."),
        level=HOUSEHOLD,
        catalogue=cat.POVERTY_CAUSE,
    ),
    _f("address", "住址", TEXT, _l("The household's address."), "家庭住址", "地址", level=HOUSEHOLD, limit=200),
    _f(
        "bank_account",
        "开户银行账号",
        BANK,
        _l("The account that receives payments (digits only)."),
        "银行账号",
        "银行卡号",
        level=HOUSEHOLD,
    ),
    _f(
        "registered_year",
        "识别年度",
        INT,
        _l("The year the household was registered."),
        "识别时间",
        level=HOUSEHOLD,
        **YEAR,
    ),
    _f(
        "exited_year",
        "脱贫年度",
        INT,
        _l("The year the household left poverty, if it has."),
        "脱贫时间",
        level=HOUSEHOLD,
        **YEAR,
    ),
    _f("housing_safe", "住房安全有保障", BOOL, _l("是 or 否."), "住房安全", level=HOUSEHOLD),
    _f("water_safe", "饮水安全有保障", BOOL, _l("是 or 否."), "饮水安全", level=HOUSEHOLD),
    _f("cultivated_land_mu", "耕地面积（亩）", MU, _l("Cultivated land in mu."), "耕地面积", level=HOUSEHOLD),
    _f("forest_land_mu", "林地面积（亩）", MU, _l("Forest land in mu."), "林地面积", level=HOUSEHOLD),
    _f(
        "income_year",
        "年度",
        INT,
        _l("The year of the incomes in the next columns; needed when they are given."),
        "收入年度",
        level=INCOME,
        **YEAR,
    ),
    _f("wage_income", "工资性收入", MONEY, _l("Yuan in the year."), "工资性收入（元）", level=INCOME),
    _f("production_income", "生产经营性收入", MONEY, _l("Yuan in the year."), "生产经营性收入（元）", level=INCOME),
    _f("property_income", "财产性收入", MONEY, _l("Yuan in the year."), "财产性收入（元）", level=INCOME),
    _f("transfer_income", "转移性收入", MONEY, _l("Yuan in the year."), "转移性收入（元）", level=INCOME),
    _f("production_costs", "生产经营性支出", MONEY, _l("Yuan in the year."), "生产经营性支出（元）", level=INCOME),
)

CADRE_FIELDS = (
    _f("name", "姓名", TEXT, _l("The cadre's name."), required=True, limit=50),
    _f(
        "id_number",
        "身份证号码",
        ID,
        _l("The 18-character resident ID number; format the column as text in Excel."),
        "证件号码",
        "身份证号",
        "公民身份号码",
        required=True,
    ),
    _f("gender", "性别", CODE, _l("男 or 女; it must agree with the ID number."), required=True, catalogue=cat.GENDER),
    _f(
        "birth_date",
        "出生日期",
        DATE,
        _l("Optional; when given it must equal the birth date in the ID number."),
        "出生年月",
    ),
    _f("ethnicity", "民族", CODE, _l("The ethnic group (GB 3304), for example 汉族 or 01."), catalogue=cat.ETHNICITY),
    _f("phone", "联系电话", PHONE, _l("The cadre's phone number."), "手机号码"),
    _f("education", "学历", CODE, _l("The highest degree."), "文化程度", catalogue=cat.CADRE_EDUCATION),
    _f("speciality", "专业", TEXT, _l("The field of study or work."), "专业特长", limit=100),
    _f("skills", "技能特长", TEXT, _l("Skills useful in the village."), "特长", limit=300),
    _f("party_member", "是否中共党员", BOOL, _l("是 or 否."), "党员", "是否党员"),
    _f("party_joined", "入党时间", DATE, _l("The date of joining the party."), "入党日期"),
    _f("work_started", "参加工作时间", DATE, _l("The date the cadre started work."), "参加工作日期"),
    _f("rank", "职级", CODE, _l("The rank."), "职务级别", catalogue=cat.RANK),
    _f("position", "职务", TEXT, _l("The post held in the dispatching unit."), limit=100),
    _f(
        "unit",
        "派出单位",
        UNIT,
        _l("The dispatching unit: its number in the system or its exact name."),
        "单位",
        required=True,
    ),
    _f("hometown_code", "籍贯区划代码", DIVISION, _l("The 12-digit code of the cadre's home county or place."), "籍贯"),
    _f("health", "健康状况", CODE, _l("Health."), catalogue=cat.HEALTH),
    _f(
        "division_code",
        "服务地区划代码",
        PLACE,
        _l("Where the cadre serves: a village, or the county while not posted (its first six digits are the county)."),
        "服务地代码",
        "驻村区划代码",
        required=True,
    ),
)

FIELDS = {"members": MEMBER_FIELDS, "cadres": CADRE_FIELDS}
KINDS = tuple(FIELDS)


def by_name(kind: str) -> dict[str, Field]:
    return {f.name: f for f in FIELDS[kind]}


def columns(kind: str) -> list[Column]:
    return [f.column for f in FIELDS[kind]]
