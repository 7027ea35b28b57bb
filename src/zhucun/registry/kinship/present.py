"""What a user is shown of a member's relatives: those inside the user's area with names
and the path in words (兄弟 → 妻子), and how many more lie outside it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ...config import Settings
from ...core.errors import Invalid
from ...core.i18n import _l
from ..models import Member
from .queries import declared_of, people, relatives_of
from .rules import Kin
from .schemas import KinOut, RelativeOut, RelativesOut

# A step in words: whatever the gender, for a man, for a woman.
STEP_LABELS: dict[str, tuple[Any, Any, Any]] = {
    "spouse": (_l("spouse"), _l("husband"), _l("wife")),
    "parent": (_l("parent"), _l("father"), _l("mother")),
    "child": (_l("child"), _l("son"), _l("daughter")),
    "sibling": (_l("sibling"), _l("brother"), _l("sister")),
    "grandparent": (_l("grandparent"),) * 3,
    "grandchild": (_l("grandchild"),) * 3,
    "in_law": (_l("in-law"),) * 3,
    "relative": (_l("relative"),) * 3,
}
GENDER_INDEX = {"1": 1, "2": 2}


def degree_of(settings: Settings, asked: int | None) -> int:
    """The degree asked for, or the configured default; never past the configured maximum."""
    degree = asked or settings.kin_default_degree
    if not 1 <= degree <= settings.kin_max_degree:
        raise Invalid(
            _l("The degree must be between 1 and {most}."),
            field="degree",
            code="degree_out_of_range",
            most=settings.kin_max_degree,
        )
    return degree


def path_text(kin: Kin, genders: dict[int, str | None]) -> str:
    words = [str(STEP_LABELS[s.step][GENDER_INDEX.get(genders.get(s.member_id) or "", 0)]) for s in kin.path]
    return " → ".join(words)


def relatives(session: Session, member: Member, degree: int) -> RelativesOut:
    found = relatives_of(session, [member.id], degree, county=member.county_code)[member.id]
    shown = people(session, found.keys(), member.county_code)
    genders = {member_id: row.gender for member_id, row in shown.items()}
    items = [
        RelativeOut(
            member_id=row.id,
            name=row.name,
            gender=row.gender,
            status=row.status,
            village_code=row.village_code,
            household_id=row.household_id,
            household_no=row.household_no,
            degree=found[row.id].degree,
            path=list(found[row.id].steps),
            path_text=path_text(found[row.id], genders),
        )
        for row in shown.values()
    ]
    items.sort(key=lambda r: (r.degree, r.path, r.name, r.member_id))
    return RelativesOut(member_id=member.id, degree=degree, items=items, hidden=len(found) - len(items))


def declared(session: Session, member: Member) -> tuple[list[KinOut], dict[int, Any]]:
    """The relations declared for a member, and the relatives the session's scope shows. Of
    a relative outside it only the relation's existence is told: no member id, no note (the
    note is free text about that person)."""
    rows = declared_of(session, member)
    shown = people(session, {k.member_a if k.member_b == member.id else k.member_b for k in rows}, member.county_code)
    items = []
    for k in rows:
        other = k.member_a if k.member_b == member.id else k.member_b
        if other in shown:
            items.append(KinOut.model_validate(k))
            continue
        a, b = (None, k.member_b) if other == k.member_a else (k.member_a, None)
        items.append(KinOut(county_code=k.county_code, member_a=a, member_b=b, kind=k.kind, note=None, outside=True))
    return items, shown
