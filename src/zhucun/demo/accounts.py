"""The demo's named personas, one per role, as zulip has hamlet and iago."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.permissions import Role

DEMO_PASSWORD = "Zhucun2026"


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    role: Role
    # Where the role applies: "country", "county", "township", "village" (the demo's key village).
    area: str


PERSONAS = (
    Persona("admin", "系统管理员", Role.ADMIN, "country"),
    Persona("zzb", "李部长（县委组织部）", Role.ORG_DEPT, "county"),
    Persona("xczx", "陈局长（县乡村振兴局）", Role.RR_BUREAU, "county"),
    Persona("zhen", "王镇长（乡镇）", Role.TOWNSHIP, "township"),
    Persona("danwei", "周处长（省交通运输厅）", Role.UNIT, "county"),
    Persona("shuji", "张书记（驻村第一书记）", Role.FIRST_SECRETARY, "village"),
    Persona("duiyuan", "刘队员（工作队员）", Role.TEAM_MEMBER, "village"),
    Persona("cunwei", "王会计（村两委）", Role.VILLAGE_COMMITTEE, "village"),
    Persona("bangfu", "赵帮扶（帮扶责任人）", Role.HELPER, "village"),
    Persona("jiwei", "孙书记（县纪委监委）", Role.AUDITOR, "county"),
)

UNITS = (
    {"name": "贵州省交通运输厅", "level": "provincial", "kind": "government"},
    {"name": "黔南州人民医院", "level": "city", "kind": "public_institution"},
    {"name": "贵州大学", "level": "provincial", "kind": "university"},
    {"name": "中国南方电网贵州电网公司", "level": "central", "kind": "state_firm"},
    {"name": "青岚县农业农村局", "level": "county", "kind": "government"},
)
