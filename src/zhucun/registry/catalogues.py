"""Code lists of the registry (national standards and the poverty-alleviation register).

The code here is the source; ``sync`` copies it into the ``catalogue_items`` reference
table after every migration so that reports and other databases can join on it.
Labels are Chinese with English beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import String, delete, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from zhucun.core import naming

from ..core.db import REFERENCE, Base
from ..core.i18n import current_locale


class CatalogueItem(Base):
    __tablename__ = "catalogue_items"
    __table_args__ = {"info": {"distribution": REFERENCE}}
    __unscoped__ = "reference data, the same for everyone"

    catalogue: Mapped[str] = mapped_column(String(40), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    label_zh: Mapped[str] = mapped_column(String(60))
    label_en: Mapped[str] = mapped_column(String(80))


@dataclass(frozen=True)
class Catalogue:
    name: str
    items: Mapping[str, tuple[str, str]]

    def label(self, code: str | None, locale: str | None = None) -> str:
        if not code:
            return ""
        zh, en = self.items.get(code, (code, code))
        return en if (locale or current_locale()) == "en" else zh

    def code_for(self, text: str) -> str | None:
        """The code a cell means: the code itself, or its Chinese or English label."""
        value = (text or "").strip()
        if value in self.items:
            return value
        if value.isdigit() and value.zfill(2) in self.items:
            return value.zfill(2)
        folded = value.lower()
        for code, (zh, en) in self.items.items():
            if value == zh or folded == en.lower():
                return code
        return None


def _cat(name: str, *items: tuple[str, str, str]) -> Catalogue:
    return Catalogue(name, {code: (zh, en) for code, zh, en in items})


GENDER = _cat("gender", ("1", "男", "male"), ("2", "女", "female"))

# GB/T 4761-2008 家庭关系代码.
RELATION = _cat(
    "relation",
    ("01", "本人", "self"),
    ("02", "户主", "head of household"),
    ("10", "配偶", "spouse"),
    ("11", "夫", "husband"),
    ("12", "妻", "wife"),
    ("20", "子", "son"),
    ("21", "独生子", "only son"),
    ("22", "长子", "eldest son"),
    ("23", "次子", "second son"),
    ("24", "三子", "third son"),
    ("25", "四子", "fourth son"),
    ("26", "五子", "fifth son"),
    ("27", "养子或继子", "adopted or step son"),
    ("28", "女婿", "son-in-law"),
    ("29", "其他儿子", "other son"),
    ("30", "女", "daughter"),
    ("31", "独生女", "only daughter"),
    ("32", "长女", "eldest daughter"),
    ("33", "次女", "second daughter"),
    ("34", "三女", "third daughter"),
    ("35", "四女", "fourth daughter"),
    ("36", "五女", "fifth daughter"),
    ("37", "养女或继女", "adopted or step daughter"),
    ("38", "儿媳", "daughter-in-law"),
    ("39", "其他女儿", "other daughter"),
    ("40", "孙子、孙女或外孙子、外孙女", "grandchild"),
    ("41", "孙子", "grandson"),
    ("42", "孙女", "granddaughter"),
    ("43", "外孙子", "daughter's son"),
    ("44", "外孙女", "daughter's daughter"),
    ("45", "孙媳妇或外孙媳妇", "grandson's wife"),
    ("46", "孙女婿或外孙女婿", "granddaughter's husband"),
    ("47", "曾孙子或外曾孙子", "great-grandson"),
    ("48", "曾孙女或外曾孙女", "great-granddaughter"),
    ("49", "其他孙子、孙女或外孙子、外孙女", "other grandchild"),
    ("50", "父母", "parent"),
    ("51", "父亲", "father"),
    ("52", "母亲", "mother"),
    ("53", "公公", "husband's father"),
    ("54", "婆婆", "husband's mother"),
    ("55", "岳父", "wife's father"),
    ("56", "岳母", "wife's mother"),
    ("57", "继父或养父", "step or adoptive father"),
    ("58", "继母或养母", "step or adoptive mother"),
    ("59", "其他父母关系", "other parent"),
    ("60", "祖父母或外祖父母", "grandparent"),
    ("61", "祖父", "grandfather"),
    ("62", "祖母", "grandmother"),
    ("63", "外祖父", "mother's father"),
    ("64", "外祖母", "mother's mother"),
    ("65", "配偶的祖父母或外祖父母", "spouse's grandparent"),
    ("66", "曾祖父", "great-grandfather"),
    ("67", "曾祖母", "great-grandmother"),
    ("68", "配偶的曾祖父母或外曾祖父母", "spouse's great-grandparent"),
    ("69", "其他祖父母或外祖父母关系", "other grandparent"),
    ("70", "兄弟姐妹", "sibling"),
    ("71", "兄", "elder brother"),
    ("72", "嫂", "elder brother's wife"),
    ("73", "弟", "younger brother"),
    ("74", "弟媳", "younger brother's wife"),
    ("75", "姐姐", "elder sister"),
    ("76", "姐夫", "elder sister's husband"),
    ("77", "妹妹", "younger sister"),
    ("78", "妹夫", "younger sister's husband"),
    ("79", "其他兄弟姐妹", "other sibling"),
    ("80", "其他", "other"),
    ("81", "伯父", "father's elder brother"),
    ("82", "伯母", "father's elder brother's wife"),
    ("83", "叔父", "father's younger brother"),
    ("84", "婶母", "father's younger brother's wife"),
    ("85", "舅父", "mother's brother"),
    ("86", "舅母", "mother's brother's wife"),
    ("87", "姨父", "mother's sister's husband"),
    ("88", "姨母", "mother's sister"),
    ("89", "姑父", "father's sister's husband"),
    ("90", "姑母", "father's sister"),
    ("91", "堂兄弟、堂姐妹", "paternal cousin"),
    ("92", "表兄弟、表姐妹", "cousin"),
    ("93", "侄子", "nephew (brother's son)"),
    ("94", "侄女", "niece (brother's daughter)"),
    ("95", "外甥", "nephew (sister's son)"),
    ("96", "外甥女", "niece (sister's daughter)"),
    ("97", "其他亲属", "other relative"),
    ("99", "非亲属", "not related"),
)

_ETHNIC = (
    "汉族 Han",
    "蒙古族 Mongol",
    "回族 Hui",
    "藏族 Tibetan",
    "维吾尔族 Uyghur",
    "苗族 Miao",
    "彝族 Yi",
    "壮族 Zhuang",
    "布依族 Bouyei",
    "朝鲜族 Korean",
    "满族 Manchu",
    "侗族 Dong",
    "瑶族 Yao",
    "白族 Bai",
    "土家族 Tujia",
    "哈尼族 Hani",
    "哈萨克族 Kazakh",
    "傣族 Dai",
    "黎族 Li",
    "傈僳族 Lisu",
    "佤族 Va",
    "畲族 She",
    "高山族 Gaoshan",
    "拉祜族 Lahu",
    "水族 Sui",
    "东乡族 Dongxiang",
    "纳西族 Naxi",
    "景颇族 Jingpo",
    "柯尔克孜族 Kyrgyz",
    "土族 Tu",
    "达斡尔族 Daur",
    "仫佬族 Mulao",
    "羌族 Qiang",
    "布朗族 Blang",
    "撒拉族 Salar",
    "毛南族 Maonan",
    "仡佬族 Gelao",
    "锡伯族 Xibe",
    "阿昌族 Achang",
    "普米族 Pumi",
    "塔吉克族 Tajik",
    "怒族 Nu",
    "乌孜别克族 Uzbek",
    "俄罗斯族 Russian",
    "鄂温克族 Evenki",
    "德昂族 De'ang",
    "保安族 Bonan",
    "裕固族 Yugur",
    "京族 Gin",
    "塔塔尔族 Tatar",
    "独龙族 Derung",
    "鄂伦春族 Oroqen",
    "赫哲族 Hezhen",
    "门巴族 Monpa",
    "珞巴族 Lhoba",
    "基诺族 Jino",
)
# GB 3304-1991 民族代码.
ETHNICITY = Catalogue(
    "ethnicity",
    {
        **{f"{i:02d}": tuple(label.split(" ", 1)) for i, label in enumerate(_ETHNIC, start=1)},  # type: ignore[misc]
        "97": ("其他", "other"),
        "98": ("外国血统中国籍人士", "of foreign origin"),
    },
)

EDUCATION = _cat(
    "education",
    ("1", "文盲或半文盲", "illiterate or semi-literate"),
    ("2", "小学", "primary school"),
    ("3", "初中", "junior secondary"),
    ("4", "高中", "senior secondary"),
    ("5", "中专", "vocational secondary"),
    ("6", "大专", "junior college"),
    ("7", "本科及以上", "university or above"),
    ("8", "学龄前儿童", "pre-school child"),
)
STUDENT = _cat(
    "student",
    ("0", "非在校生", "not a student"),
    ("1", "学前教育", "pre-school"),
    ("2", "小学", "primary"),
    ("3", "初中", "junior secondary"),
    ("4", "高中", "senior secondary"),
    ("5", "中职", "vocational secondary"),
    ("6", "高职", "higher vocational"),
    ("7", "大专", "junior college"),
    ("8", "本科及以上", "university or above"),
)
HEALTH = _cat(
    "health",
    ("1", "健康", "healthy"),
    ("2", "长期慢性病", "chronic illness"),
    ("3", "患有大病", "serious illness"),
    ("4", "残疾", "disabled"),
)
DISABILITY = _cat(
    "disability",
    ("0", "无残疾", "none"),
    ("1", "视力残疾", "visual"),
    ("2", "听力残疾", "hearing"),
    ("3", "言语残疾", "speech"),
    ("4", "肢体残疾", "physical"),
    ("5", "智力残疾", "intellectual"),
    ("6", "精神残疾", "mental"),
    ("7", "多重残疾", "multiple"),
)
DISABILITY_GRADE = _cat(
    "disability_grade",
    ("1", "一级", "grade 1"),
    ("2", "二级", "grade 2"),
    ("3", "三级", "grade 3"),
    ("4", "四级", "grade 4"),
)
LABOUR = _cat(
    "labour",
    ("1", "普通劳动力", "ordinary labour"),
    ("2", "技能劳动力", "skilled labour"),
    ("3", "弱劳动力或半劳动力", "weak or half labour"),
    ("4", "丧失劳动力", "lost working ability"),
    ("5", "无劳动力", "no working ability"),
)
HOUSEHOLD_ATTRIBUTE = _cat(
    "household_attribute",
    ("1", "一般户", "ordinary"),
    ("2", "低保户", "minimum living allowance"),
    ("3", "特困供养户", "extreme-poverty support"),
)
# Status in the register, and the monitored categories of return-to-poverty monitoring.
HOUSEHOLD_STATUS = _cat(
    "household_status",
    ("00", "一般农户", "ordinary farm household"),
    ("11", "未脱贫", "not yet out of poverty"),
    ("12", "已脱贫享受政策", "exited, still supported"),
    ("13", "返贫", "returned to poverty"),
    ("14", "已脱贫不再享受政策", "exited, no longer supported"),
    ("21", "脱贫不稳定户", "exited but unstable"),
    ("22", "边缘易致贫户", "marginal, at risk of poverty"),
    ("23", "突发严重困难户", "sudden severe hardship"),
)
MONITORED_STATUSES = ("21", "22", "23")
# The households the mechanism works for: registered poor, exited with support, returned, monitored.
ASSISTED_STATUSES = ("11", "12", "13", *MONITORED_STATUSES)
POVERTY_CAUSE = _cat(
    "poverty_cause",
    ("01", "因病", "illness"),
    ("02", "因残", "disability"),
    ("03", "因学", "schooling costs"),
    ("04", "因灾", "disaster"),
    ("05", "因婚", "marriage costs"),
    ("06", "缺土地", "lack of land"),
    ("07", "缺水", "lack of water"),
    ("08", "缺技术", "lack of skills"),
    ("09", "缺资金", "lack of capital"),
    ("10", "缺劳力", "lack of labour"),
    ("11", "交通条件落后", "poor transport"),
    ("12", "自身发展动力不足", "lack of motivation"),
    ("99", "其他", "other"),
)
MEMBER_STATUS = _cat(
    "member_status",
    ("1", "在册", "registered"),
    ("2", "死亡", "deceased"),
    ("3", "迁出", "moved out"),
    ("4", "婚出", "married out"),
    ("5", "其他减员", "other removal"),
)
OFFICIAL_POST = _cat(
    "official_post",
    ("11", "村党组织书记", "village party secretary"),
    ("12", "村党组织副书记", "deputy party secretary"),
    ("13", "村党组织委员", "party committee member"),
    ("21", "村民委员会主任", "village committee director"),
    ("22", "村民委员会副主任", "deputy director"),
    ("23", "村民委员会委员", "village committee member"),
    ("31", "村务监督委员会主任", "village affairs supervisor"),
    ("41", "村会计（报账员）", "village accountant"),
    ("51", "村民小组长", "village group leader"),
)
BENEFIT_PROGRAM = _cat(
    "benefit_program",
    ("01", "低保金", "minimum living allowance"),
    ("02", "特困供养金", "extreme-poverty support"),
    ("03", "产业奖补", "industry subsidy"),
    ("04", "危房改造补助", "dangerous-house renovation"),
    ("05", "教育资助", "education aid"),
    ("06", "医疗救助", "medical assistance"),
    ("07", "公益性岗位", "public-welfare job"),
    ("08", "小额信贷贴息", "micro-credit interest subsidy"),
    ("09", "临时救助", "temporary relief"),
    ("10", "易地搬迁补助", "relocation subsidy"),
    ("99", "其他", "other"),
)
CADRE_EDUCATION = _cat(
    "cadre_education",
    ("1", "研究生", "postgraduate"),
    ("2", "大学本科", "bachelor"),
    ("3", "大学专科", "junior college"),
    ("4", "中专", "vocational secondary"),
    ("5", "高中及以下", "senior secondary or below"),
)
RANK = _cat(
    "rank",
    ("11", "厅局级正职", "department head"),
    ("12", "厅局级副职", "deputy department head"),
    ("21", "县处级正职", "division head"),
    ("22", "县处级副职", "deputy division head"),
    ("31", "乡科级正职", "section head"),
    ("32", "乡科级副职", "deputy section head"),
    ("41", "科员", "staff member"),
    ("42", "办事员", "clerk"),
    ("51", "企事业单位管理人员", "manager in a firm or institution"),
    ("52", "专业技术人员", "professional"),
    ("99", "其他", "other"),
)
POSTING_ROLE = _cat(
    "posting_role",
    ("1", "第一书记", "first secretary"),
    ("2", "工作队长", "team leader"),
    ("3", "工作队员", "team member"),
)
KIN = _cat(
    "kin",
    ("spouse", "配偶", "spouse"),
    ("parent", "父母（前者为后者的父或母）", "parent of"),
    ("sibling", "兄弟姐妹", "sibling"),
    ("in_law", "姻亲", "in-law"),
    ("grandparent", "祖辈", "grandparent of"),
    ("other", "其他亲属", "other relative"),
)

CATALOGUES = {
    c.name: c
    for c in (
        GENDER,
        RELATION,
        ETHNICITY,
        EDUCATION,
        STUDENT,
        HEALTH,
        DISABILITY,
        DISABILITY_GRADE,
        LABOUR,
        HOUSEHOLD_ATTRIBUTE,
        HOUSEHOLD_STATUS,
        POVERTY_CAUSE,
        MEMBER_STATUS,
        OFFICIAL_POST,
        BENEFIT_PROGRAM,
        CADRE_EDUCATION,
        RANK,
        POSTING_ROLE,
        KIN,
    )
}


def sync(session: Session) -> int:
    """Make the catalogue table equal to the code lists above (run after migrations)."""
    rows = [
        {"catalogue": c.name, "code": code, "label_zh": zh, "label_en": en}
        for c in CATALOGUES.values()
        for code, (zh, en) in c.items.items()
    ]
    session.execute(delete(CatalogueItem))
    session.execute(insert(CatalogueItem), rows)
    return len(rows)


# Pages name catalogue codes through core.naming, which knows the catalogues only from here.
naming.CATALOGUES.update(CATALOGUES)
