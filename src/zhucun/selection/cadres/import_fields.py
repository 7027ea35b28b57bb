"""The columns of a cadre file: the person, the party and work dates the eligibility rules
read, the dispatching unit (by number or exact name) and the place of service."""

from __future__ import annotations

from zhucun.core.i18n import _l
from zhucun.core.imports.columns import BOOL, CODE, DATE, DIVISION, ID, PHONE, PLACE, TEXT, UNIT, by_name
from zhucun.core.imports.columns import field as _f
from zhucun.registry import catalogues as cat
from zhucun.selection.cadres.profile import LEVEL

_LEVEL_HELP = _l("Optional: the dispatching unit's assessment, 优秀/良好/一般/较差/差 or 5 to 1.")

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
    # The unit's assessment of the five inner factors (selection/cadres/profile.py).
    _f("political", "政治素质", CODE, _LEVEL_HELP, catalogue=LEVEL),
    _f("responsibility", "责任意识", CODE, _LEVEL_HELP, "责任心", catalogue=LEVEL),
    _f("ability", "工作能力", CODE, _LEVEL_HELP, catalogue=LEVEL),
    _f("dedication", "奉献精神", CODE, _LEVEL_HELP, catalogue=LEVEL),
    _f("relations", "社会关系", CODE, _LEVEL_HELP, catalogue=LEVEL),
    _f(
        "assessed_on",
        "考察日期",
        DATE,
        _l("The day of the assessment; the day of the import when left blank."),
        "评价日期",
    ),
)

FIELDS = by_name(CADRE_FIELDS)
