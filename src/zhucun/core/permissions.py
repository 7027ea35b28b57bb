"""Permissions as data: ``mechanism:resource:action`` names, one role table, deny by default.

Each mechanism declares the permissions it checks (``declare``); the role table below
grants them to roles by pattern, so that a new mechanism's permissions reach the right
roles without editing every route, and an undeclared name fails at start-up.
"""

from __future__ import annotations

from enum import StrEnum
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from .i18n import _l


class Role(StrEnum):
    ADMIN = "admin"
    ORG_DEPT = "org_dept"
    RR_BUREAU = "rr_bureau"
    TOWNSHIP = "township"
    UNIT = "unit"
    FIRST_SECRETARY = "first_secretary"
    TEAM_MEMBER = "team_member"
    VILLAGE_COMMITTEE = "village_committee"
    HELPER = "helper"
    AUDITOR = "auditor"


ROLE_LABELS: dict[Role, Any] = {
    Role.ADMIN: _l("System administrator"),
    Role.ORG_DEPT: _l("County organisation department"),
    Role.RR_BUREAU: _l("County rural revitalisation bureau"),
    Role.TOWNSHIP: _l("Township"),
    Role.UNIT: _l("Dispatching unit"),
    Role.FIRST_SECRETARY: _l("First secretary"),
    Role.TEAM_MEMBER: _l("Work team member"),
    Role.VILLAGE_COMMITTEE: _l("Village committee"),
    Role.HELPER: _l("Helper"),
    Role.AUDITOR: _l("Discipline inspection (auditor)"),
}

# Division levels at which each role may be granted; None in a tuple allows the whole country.
ROLE_LEVELS: dict[Role, tuple[str | None, ...]] = {
    Role.ADMIN: (None, "province", "prefecture", "county"),
    Role.ORG_DEPT: ("province", "prefecture", "county"),
    Role.RR_BUREAU: ("province", "prefecture", "county"),
    Role.TOWNSHIP: ("township",),
    Role.UNIT: ("province", "prefecture", "county"),
    Role.FIRST_SECRETARY: ("village",),
    Role.TEAM_MEMBER: ("village",),
    Role.VILLAGE_COMMITTEE: ("village",),
    Role.HELPER: ("township", "village"),
    Role.AUDITOR: (None, "province", "prefecture", "county", "township"),
}

# The one role table: patterns over permission names.
ROLE_GRANTS: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: ("*",),
    Role.AUDITOR: ("*:*:read", "audit:*:*", "registry:person:unmask"),
    Role.ORG_DEPT: (
        "*:*:read",
        "!audit:*:*",
        "divisions:division:write",
        "accounts:*:*",
        # It manages the accounts of helpers, who may call their households (with a reason, audited).
        "registry:phone:reveal",
        # … and who keep their households' plans (一户一策) and record their incomes, so it may too.
        "identification:plan:write",
        "registry:income:write",
        "selection:*:*",
        "incentive:*:*",
        "supervision:*:*",
        "appraisal:*:*",
    ),
    Role.RR_BUREAU: (
        "*:*:read",
        "!audit:*:*",
        "divisions:division:write",
        "registry:*:*",
        "accounts:unit:*",
        "selection:cadre:*",
        "identification:*:*",
        "resources:*:*",
        "supervision:grievance:*",
    ),
    Role.TOWNSHIP: (
        "divisions:*:read",
        "registry:*:read",
        "accounts:unit:read",
        "registry:household:*",
        "registry:income:write",
        "registry:import:write",
        "registry:person:unmask",
        "registry:duplicate:*",
        "registry:kin:*",
        "identification:*:*",
        "supervision:*:*",
        "resources:*:read",
        "appraisal:*:read",
        "selection:*:read",
    ),
    Role.UNIT: (
        # Bulk imports of cadres are the county's (organisation department, bureau), not each unit's.
        "divisions:*:read",
        "accounts:unit:read",
        "selection:cadre:*",
        "!selection:cadre:import",
        "selection:nomination:*",
        "selection:*:read",
        "incentive:*:read",
        # A unit manages its cadres: it sees their health check results (its own cadres only).
        "incentive:health:reveal",
        "appraisal:*:read",
        "supervision:*:read",
    ),
    Role.FIRST_SECRETARY: (
        "divisions:*:read",
        "registry:*:read",
        "accounts:unit:read",
        "selection:cadre:read",
        "registry:household:write",
        "registry:income:write",
        "registry:person:unmask",
        "registry:phone:reveal",
        "registry:kin:*",
        # The team sees which of its village's households have a helper, and which have none.
        "selection:helper:read",
        "identification:*:*",
        # Department alert lists come to the county and the township, not to the village.
        "!identification:alert:import",
        "supervision:*:*",
        "resources:*:*",
        "appraisal:*:read",
    ),
    Role.TEAM_MEMBER: (
        "divisions:*:read",
        "registry:household:read",
        "selection:cadre:read",
        "selection:helper:read",
        "registry:household:write",
        "registry:income:write",
        "registry:phone:reveal",
        "registry:kin:read",
        "identification:*:read",
        # Team members sign for the work team at the dual verification step.
        "identification:case:act",
        # The team draws up household plans and keeps the village's development plan.
        "identification:plan:write",
        "identification:project:write",
        "supervision:*:*",
        "resources:*:read",
    ),
    Role.VILLAGE_COMMITTEE: (
        "divisions:*:read",
        "registry:household:read",
        "registry:household:write",
        "registry:income:write",
        "identification:*:*",
        "!identification:alert:import",
        # It imports the village's reference-income surveys, so it reads its own imports
        # (their reports and errors; the scope keeps them to the village's).
        "registry:import:read",
        # The village's development plan is the work team's (it supervises the committee).
        "!identification:project:write",
        "resources:*:read",
        "supervision:grievance:*",
    ),
    # A helper's households are those of the helper's area until assignments are recorded.
    Role.HELPER: (
        "divisions:*:read",
        "registry:household:read",
        "registry:phone:reveal",
        # The yearly income of the households in their care, on the income form (the service
        # checks the assignment: another household of the village is refused).
        "registry:income:write",
        "supervision:visit:*",
        # The plans of the households in their care (the service checks the assignment).
        "identification:plan:*",
    ),
}

PERMISSIONS: dict[str, Any] = {}


def declare(name: str, label: Any) -> str:
    """Declare a permission a mechanism checks; returns its name for use in routes."""
    parts = name.split(":")
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"permission {name!r} is not mechanism:resource:action")
    PERMISSIONS[name] = label
    _grants.cache_clear()
    role_covers.cache_clear()
    return name


@cache
def _grants(role: Role, permission: str) -> bool:
    patterns = ROLE_GRANTS[role]
    denied = any(fnmatchcase(permission, p[1:]) for p in patterns if p.startswith("!"))
    return not denied and any(fnmatchcase(permission, p) for p in patterns if not p.startswith("!"))


def role_has(role: Role | str, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"undeclared permission {permission!r}")
    return _grants(Role(role), permission)


@cache
def role_covers(holder: Role, target: Role) -> bool:
    """Whether ``holder`` has every declared permission ``target`` has (a superset of its rights)."""
    return all(_grants(holder, p) for p in PERMISSIONS if _grants(target, p))


def roles_with(permission: str) -> set[Role]:
    return {role for role in Role if role_has(role, permission)}


# Permissions of the foundation itself.
DIVISION_READ = declare("divisions:division:read", _l("View divisions"))
DIVISION_WRITE = declare("divisions:division:write", _l("Edit division attributes"))
DIVISION_IMPORT = declare("divisions:division:import", _l("Import division code tables"))
USER_READ = declare("accounts:user:read", _l("View accounts"))
USER_WRITE = declare("accounts:user:write", _l("Manage accounts"))
AUDIT_READ = declare("audit:entry:read", _l("View the audit trail"))
AUDIT_VERIFY = declare("audit:chain:verify", _l("Verify the audit trail"))
SELF = declare("accounts:self:read", _l("Use one's own account"))
ROLE_GRANTS = {role: (*patterns, "accounts:self:*") for role, patterns in ROLE_GRANTS.items()}
