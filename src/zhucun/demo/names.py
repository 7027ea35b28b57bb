"""Chinese personal names for the demo: surnames by frequency, villages with their big
clans, given names that change with the decade of birth, and Tibetan and Uyghur names
where those peoples live. Pure functions over numpy arrays."""

from __future__ import annotations

import numpy as np

# The hundred commonest surnames with their approximate share of the population (%).
_SURNAMES = [
    "王7.1",
    "李7.0",
    "张6.7",
    "刘5.4",
    "陈4.5",
    "杨3.1",
    "黄2.2",
    "赵2.0",
    "吴2.0",
    "周1.9",
    "徐1.3",
    "孙1.3",
    "马1.2",
    "朱1.1",
    "胡1.1",
    "郭1.1",
    "何1.0",
    "高.97",
    "林.96",
    "罗.86",
    "郑.8",
    "梁.79",
    "谢.6",
    "宋.58",
    "唐.56",
    "许.55",
    "韩.54",
    "冯.53",
    "邓.53",
    "曹.52",
    "彭.5",
    "曾.48",
    "肖.47",
    "田.46",
    "董.45",
    "袁.44",
    "潘.43",
    "于.42",
    "蒋.41",
    "蔡.4",
    "余.39",
    "杜.38",
    "叶.37",
    "程.36",
    "苏.35",
    "魏.34",
    "吕.33",
    "丁.32",
    "任.31",
    "沈.3",
    "姚.29",
    "卢.28",
    "姜.27",
    "崔.26",
    "钟.25",
    "谭.24",
    "陆.23",
    "汪.22",
    "范.21",
    "金.2",
    "石.2",
    "廖.19",
    "贾.18",
    "夏.17",
    "韦.17",
    "付.16",
    "方.16",
    "白.15",
    "邹.15",
    "孟.15",
    "熊.14",
    "秦.14",
    "邱.14",
    "江.13",
    "尹.13",
    "薛.12",
    "闫.12",
    "段.12",
    "雷.12",
    "侯.11",
    "龙.11",
    "史.11",
    "陶.11",
    "黎.1",
    "贺.1",
    "顾.1",
    "毛.1",
    "郝.1",
    "龚.1",
    "邵.1",
    "万.1",
    "钱.1",
    "严.1",
    "覃.1",
    "武.1",
    "戴.1",
    "莫.08",
    "孔.08",
    "向.08",
    "汤.08",
    "蒙.05",
]
SURNAMES = np.array([s[0] for s in _SURNAMES])
SURNAME_WEIGHTS = np.array([float(s[1:]) for s in _SURNAMES])
SURNAME_WEIGHTS /= SURNAME_WEIGHTS.sum()

# Given names by sex and decade of birth: before 1970, 1970–1989, from 1990.
_GIVEN = {
    (True, 0): "建国 建华 国强 国华 志强 德明 文华 永强 德胜 学文 光明 福生 国庆 长生 金山 有才 开明 正华 家明 "
    "世昌 忠 林 全 贵 富 发 福 明 德 清 荣 贵生 洪 树林 玉明 绍华 仕贵 成林 登科 文才",
    (True, 1): "伟 强 军 勇 磊 涛 斌 波 辉 刚 杰 鹏 华 明 超 亮 健 海 林 峰 建军 志勇 小明 红兵 海波 永红 文杰 "
    "俊 建平 小军 志刚 春生 海涛 国平 建林 小龙 云 兵 锋",
    (True, 2): "浩 宇 轩 杰 睿 博 子轩 浩然 宇轩 梓豪 俊杰 子豪 一鸣 家豪 文博 天宇 思远 泽宇 皓轩 明轩 "
    "宇航 俊熙 子墨 诚 晨 阳 鑫 磊 旭 凯 家乐 嘉豪 志豪 宏宇 雨泽",
    (False, 0): "秀英 桂英 玉兰 秀兰 桂兰 凤英 玉珍 秀珍 翠花 桂芳 玉梅 淑芬 兰英 金凤 秀云 春花 桂香 菊英 "
    "素芬 玉英 秀芳 德英 仕英 正英 明英 光英 兰 英 珍 芬 花 莲 秀 梅 凤 荣 菊 香 翠 秀梅",
    (False, 1): "丽 芳 艳 娟 敏 静 霞 燕 红 梅 琴 玲 丹 萍 莉 婷 红梅 海燕 丽娟 小红 春燕 晓燕 雪梅 丽萍 "
    "小芳 艳红 春梅 美玲 秀丽 桂花 金花 小燕 丽华 英 慧 群 云 芬 平",
    (False, 2): "欣怡 梓涵 诗涵 雨涵 子涵 可馨 思琪 佳怡 雨欣 紫涵 梦瑶 婷 欣 悦 琪 涵 馨 佳琪 语嫣 静怡 "
    "雨萱 欣妍 佳慧 雪 倩 颖 璐 瑶 蕾 雯 思雨 雨彤 一诺 安琪 梦琪 欣然",
}
GIVEN = {key: np.array(value.split()) for key, value in _GIVEN.items()}

# Tibetan names have no surname: two names, the second often marking the sex.
TIBETAN_FIRST = np.array(
    [
        "扎西",
        "次仁",
        "格桑",
        "多吉",
        "达瓦",
        "尼玛",
        "旺堆",
        "白玛",
        "平措",
        "洛桑",
        "索朗",
        "丹增",
        "强巴",
        "顿珠",
        "嘎玛",
    ]
)
TIBETAN_MALE = np.array(["多吉", "次仁", "旺堆", "平措", "顿珠", "罗布", "加措", "边巴", "群培", "朗杰"])
TIBETAN_FEMALE = np.array(["卓玛", "拉姆", "央金", "德吉", "曲珍", "普布", "玉珍", "措姆", "桑姆", "巴珍"])
# Uyghur names: the person's name, a middle dot, then the father's name.
UYGHUR_MALE = np.array(
    ["买买提", "艾力", "阿不都", "吐尔逊", "艾山", "热合曼", "肉孜", "依明", "司马义", "阿布力孜", "努尔", "帕尔哈提"]
)
UYGHUR_FEMALE = np.array(
    ["阿依古丽", "古丽", "热依拉", "帕提古丽", "米热古丽", "阿依努尔", "布维", "努尔古丽", "再努尔", "萨拉"]
)
TIBETAN, UYGHUR = "04", "05"


def surnames(rng: np.random.Generator, count: int) -> np.ndarray:
    """Surnames drawn by their national frequency (indices into SURNAMES)."""
    return rng.choice(len(SURNAMES), size=count, p=SURNAME_WEIGHTS)


def village_clans(rng: np.random.Generator, villages: int) -> tuple[np.ndarray, np.ndarray]:
    """Each village's three big surnames and the share of households they hold together:
    many villages are 同姓村 or nearly so, which is also where kinship runs through."""
    clans = surnames(rng, villages * 3).reshape(villages, 3)
    share = rng.uniform(0.35, 0.75, villages)
    return clans, share


def family_surnames(rng: np.random.Generator, village: np.ndarray, clans: np.ndarray, share: np.ndarray) -> np.ndarray:
    """A surname index for each household of the given villages."""
    count = len(village)
    in_clan = rng.random(count) < share[village]
    clan = clans[village, rng.choice(3, size=count, p=(0.55, 0.3, 0.15))]
    return np.where(in_clan, clan, surnames(rng, count))


def given_names(rng: np.random.Generator, male: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    era = np.digitize(birth_year, (1970, 1990))
    names = np.empty(len(male), dtype=object)
    for (is_male, period), pool in GIVEN.items():
        rows = np.flatnonzero((male == is_male) & (era == period))
        names[rows] = pool[rng.integers(0, len(pool), len(rows))]
    return names


def full_names(
    rng: np.random.Generator, surname: np.ndarray, male: np.ndarray, birth_year: np.ndarray, ethnicity: np.ndarray
) -> list[str]:
    """Names of people: surname and given name, or the Tibetan or Uyghur form."""
    names = np.char.add(SURNAMES[surname], given_names(rng, male, birth_year).astype(str)).astype(object)
    tibetan = np.flatnonzero(ethnicity == TIBETAN)
    if len(tibetan):
        second = np.where(
            male[tibetan],
            TIBETAN_MALE[rng.integers(0, 10, len(tibetan))],
            TIBETAN_FEMALE[rng.integers(0, 10, len(tibetan))],
        )
        names[tibetan] = np.char.add(TIBETAN_FIRST[rng.integers(0, len(TIBETAN_FIRST), len(tibetan))], second)
    uyghur = np.flatnonzero(ethnicity == UYGHUR)
    if len(uyghur):
        own = np.where(
            male[uyghur],
            UYGHUR_MALE[rng.integers(0, len(UYGHUR_MALE), len(uyghur))],
            UYGHUR_FEMALE[rng.integers(0, len(UYGHUR_FEMALE), len(uyghur))],
        )
        father = UYGHUR_MALE[rng.integers(0, len(UYGHUR_MALE), len(uyghur))]
        names[uyghur] = np.char.add(np.char.add(own, "·"), father)
    return names.tolist()
