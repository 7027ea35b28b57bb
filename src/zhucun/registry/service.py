"""Registry use cases for single households and members: register, change, add, remove,
move, record incomes, reveal a protected number. Each takes the acting principal, checks
the rules, writes, keeps the history, and commits once.

The household is the aggregate: every use case that changes a household, its members or
its incomes first locks the household row (``lock_household``, ``lock_member``) and only
then reads what it checks and what it records as "before", so that concurrent changes to
one household run one after the other and none is lost or recorded against a stale state.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhucun.core import disclosure
from zhucun.core.protect import Protector
from zhucun.core.tx import RACE, lock, relock, use_case
from zhucun.registry import rules
from zhucun.registry.models import (
    BOOKKEEPING_COLUMNS,
    KEY_COLUMNS,
    Household,
    HouseholdIncome,
    Member,
    household_columns,
)
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.helpers.queries import helps

from ..core import audit
from ..core.auth import Principal
from ..core.codes import level_of
from ..core.db import utcnow
from ..core.errors import Conflict, Forbidden, Invalid, NotFound
from ..core.i18n import _l
from ..core.ids import allocate
from ..core.permissions import Role, role_has
from ..core.scope import ACROSS_AREAS, Area, access, access_by, keyed, scope_of
from ..core.scope import get as scoped_get
from ..divisions.models import Division
from .history import Tag, diff, record, state
from .permissions import INCOME_WRITE, PERSON_UNMASK, PHONE_REVEAL
from .schemas import HouseholdIn, HouseholdPatch, IncomeIn, MemberIn, MemberMove, MemberPatch

# What a household's history records: every column but its keys and bookkeeping, the
# ciphers last so that a change's sentence says what it shows before "changed the phone".
CIPHERS = ("phone_cipher", "bank_cipher")
HOUSEHOLD_FIELDS = household_columns(without=KEY_COLUMNS + BOOKKEEPING_COLUMNS + CIPHERS) + CIPHERS
MEMBER_FIELDS = (
    "household_id",
    "name",
    "id_masked",
    "gender",
    "birth_date",
    "ethnicity",
    "relation",
    "education",
    "student",
    "health",
    "disability",
    "disability_grade",
    "labour",
    "migrant_months",
    "medical_insurance",
    "pension_insurance",
    "phone_masked",
    "status",
    "phone_cipher",
)


def access_household(session: Session, county_code: str | None, household_id: int) -> Household:
    """A household by (county, id); a county of None (an id from a form) looks at every county."""
    return access_by(session, Household, **keyed(county_code, household_id))


def access_member(session: Session, county_code: str | None, member_id: int) -> Member:
    return access_by(session, Member, **keyed(county_code, member_id))


def lock_household(session: Session, household: Household) -> Household:
    """The household, locked for the rest of the use case and read afresh."""
    return relock(session, household)


def _lock_households(session: Session, county: str, ids: set[int]) -> None:
    # Always in the order of their ids, so that two moves between the same two households
    # wait for each other instead of deadlocking.
    for household_id in sorted(ids):
        if lock(session, Household, county, household_id) is None:
            raise NotFound()


def lock_member(session: Session, member: Member, *also: int) -> Member:
    """The member, read afresh after locking its household (and the households ``also``
    names): a member is changed under its household's lock. A member moved to another
    household while we waited is followed there."""
    for _attempt in range(3):
        household_id = member.household_id
        _lock_households(session, member.county_code, {household_id, *also})
        member = relock(session, member)
        if member.household_id == household_id:
            return member
    raise Conflict(RACE, code="conflict")


def _heads(session: Session, household: Household, *, besides: int | None = None) -> int:
    """How many members on the household's roll are its head (a member ``besides`` aside)."""
    statement = (
        select(func.count())
        .select_from(Member)
        .where(
            Member.county_code == household.county_code,
            Member.household_id == household.id,
            Member.status == "1",
            Member.relation.in_(rules.HEAD_RELATIONS),
        )
        .execution_options(**ACROSS_AREAS)
    )
    if besides is not None:
        statement = statement.where(Member.id != besides)
    return session.scalar(statement) or 0


def _one_head(field: str) -> Invalid:
    return Invalid(_l("A household has exactly one head (relation 户主)."), field=field, code="one_head")


def _village(session: Session, code: str) -> Division:
    village = access(session, Division, code)
    if level_of(code) != "village":
        raise Invalid(_l("{division} is not a village."), field="village_code", code="not_a_village", division=code)
    return village


def _check_people(session: Session, county: str, people: list[tuple[str, str]], field: str) -> None:
    """No ID twice in the request, and none already registered in the county."""
    seen: dict[str, int] = {}
    for index, (id_hash, _name) in enumerate(people):
        if id_hash in seen:
            raise Conflict(
                _l("The same person appears twice."), field=f"{field}.{index}.id_number", code="duplicate_person"
            )
        seen[id_hash] = index
    if not seen:
        return
    # The whole county is searched, whatever the actor's area: one person, one household.
    clashes = session.execute(
        select(Member.id_hash, Member.name, Household.household_no, Household.village_code)
        .join(Household, (Household.county_code == Member.county_code) & (Household.id == Member.household_id))
        .where(Member.county_code == county, Member.id_hash.in_(list(seen)))
        .execution_options(**ACROSS_AREAS)
    ).all()
    if not clashes:
        return
    clash = min(clashes, key=lambda c: seen[c.id_hash])
    where = f"{field}.{seen[clash.id_hash]}.id_number"
    scope = scope_of(session)
    if scope is not None and not scope.covers(clash.village_code):
        raise Conflict(
            _l("This person is already registered in another village of the county."),
            field=where,
            code="already_registered",
        )
    raise Conflict(
        _l("{name} is already registered in household {no}."),
        field=where,
        code="already_registered",
        name=clash.name,
        no=clash.household_no,
    )


def _member_row(protector: Protector, household: Household, data: MemberIn, member_id: int) -> Member:
    ident, phone = protector.id_number(data.id_number), protector.phone(data.phone)
    values = data.model_dump(exclude={"id_number", "phone"})
    return Member(
        county_code=household.county_code,
        id=member_id,
        household_id=household.id,
        village_code=household.village_code,
        id_cipher=ident.cipher,
        id_hash=ident.hash,
        id_masked=ident.masked,
        phone_cipher=phone.cipher,
        phone_masked=phone.masked,
        status="1",
        **values,
    )


def _refresh_household(session: Session, household: Household) -> None:
    """Keep the denormalised head name and member count in step with the members."""
    session.flush()
    members = session.scalars(
        select(Member).where(
            Member.county_code == household.county_code, Member.household_id == household.id, Member.status == "1"
        )
    ).all()
    heads = [m for m in members if rules.is_head(m.relation)]
    household.head_name = heads[0].name if heads else None
    household.member_count = len(members)


@use_case
def create_household(session: Session, *, actor: Principal, protector: Protector, data: HouseholdIn) -> Household:
    """Register a household with its members (exactly one head)."""
    village = _village(session, data.village_code)
    county = village.code[:6]
    if not rules.has_one_head(m.relation for m in data.members):
        raise _one_head("members")
    taken = session.scalar(
        select(func.count())
        .select_from(Household)
        .where(Household.county_code == county, Household.household_no == data.household_no)
        .execution_options(**ACROSS_AREAS)
    )
    if taken:
        raise Conflict(
            _l("Household number {no} is already registered."),
            field="household_no",
            code="household_no_taken",
            no=data.household_no,
        )
    hashes = [(protector.keyring.lookup_hash(m.id_number), m.name) for m in data.members]
    _check_people(session, county, hashes, "members")
    phone, bank = protector.phone(data.phone), protector.bank(data.bank_account)
    values = data.model_dump(exclude={"members", "reason", "phone", "bank_account", "other_causes"})
    household = Household(
        county_code=county,
        id=allocate(session, "households"),
        phone_cipher=phone.cipher,
        phone_masked=phone.masked,
        bank_cipher=bank.cipher,
        bank_masked=bank.masked,
        other_causes=",".join(data.other_causes or []) or None,
        **{k: v for k, v in values.items() if v is not None},
    )
    session.add(household)
    first = allocate(session, "members", len(data.members))
    members = [_member_row(protector, household, m, first + i) for i, m in enumerate(data.members)]
    session.add_all(members)
    _refresh_household(session, household)
    _history(session, actor, Tag.HOUSEHOLD_CREATED, household, None, state(household, HOUSEHOLD_FIELDS), data.reason)
    for member in members:
        _history(session, actor, Tag.MEMBER_ADDED, member, None, state(member, MEMBER_FIELDS), data.reason)
    return household


def _history(
    session: Session, actor: Principal, tag: Tag, obj: Household | Member, before: Any, after: Any, reason: str | None
) -> None:
    is_member = isinstance(obj, Member)
    record(
        session,
        actor=actor,
        tag=tag,
        entity="member" if is_member else "household",
        entity_id=obj.id,
        county_code=obj.county_code,
        village_code=obj.village_code,
        household_id=obj.household_id if is_member else obj.id,
        before=before,
        after=after,
        reason=reason,
    )


@use_case
def update_household(
    session: Session, *, actor: Principal, protector: Protector, household: Household, data: HouseholdPatch
) -> Household:
    household = lock_household(session, household)
    before = state(household, HOUSEHOLD_FIELDS)
    changes = data.model_dump(exclude_unset=True, exclude={"reason", "phone", "bank_account", "other_causes"})
    for name, value in changes.items():
        setattr(household, name, value)
    if "other_causes" in data.model_fields_set:
        household.other_causes = ",".join(data.other_causes or []) or None
    if "phone" in data.model_fields_set:
        p = protector.phone(data.phone)
        household.phone_cipher, household.phone_masked = p.cipher, p.masked
    if "bank_account" in data.model_fields_set:
        b = protector.bank(data.bank_account)
        household.bank_cipher, household.bank_masked = b.cipher, b.masked
    return _save_change(session, actor, Tag.HOUSEHOLD_UPDATED, household, before, HOUSEHOLD_FIELDS, data.reason)


def _save_change(
    session: Session,
    actor: Principal,
    tag: Tag,
    obj: Any,
    before: dict[str, Any],
    fields: tuple[str, ...],
    reason: str | None,
) -> Any:
    # Read back what was stored (3 → 3.00 in a money column), so that this change's "after"
    # is the next change's "before".
    session.flush()
    session.refresh(obj)
    old, new = diff(before, state(obj, fields))
    if not new:
        return obj
    obj.updated_at = utcnow()
    _history(session, actor, tag, obj, old, new, reason)
    return obj


@use_case
def add_member(
    session: Session,
    *,
    actor: Principal,
    protector: Protector,
    household: Household,
    data: MemberIn,
    reason: str | None,
) -> Member:
    household = lock_household(session, household)
    if rules.is_head(data.relation) and _heads(session, household):
        raise _one_head("relation")
    _check_people(
        session, household.county_code, [(protector.keyring.lookup_hash(data.id_number), data.name)], "member"
    )
    member = _member_row(protector, household, data, allocate(session, "members"))
    session.add(member)
    _refresh_household(session, household)
    _history(session, actor, Tag.MEMBER_ADDED, member, None, state(member, MEMBER_FIELDS), reason)
    return member


@use_case
def update_member(
    session: Session, *, actor: Principal, protector: Protector, member: Member, data: MemberPatch
) -> Member:
    member = lock_member(session, member)
    household = access_household(session, member.county_code, member.household_id)
    before = state(member, MEMBER_FIELDS)
    changes = data.model_dump(exclude_unset=True, exclude={"reason", "phone"})
    becomes_head = rules.would_add_a_head(True, member.relation, changes.get("relation"))
    if becomes_head and member.status == "1" and _heads(session, household, besides=member.id):
        raise _one_head("relation")
    for name, value in changes.items():
        setattr(member, name, value)
    if "phone" in data.model_fields_set:
        p = protector.phone(data.phone)
        member.phone_cipher, member.phone_masked = p.cipher, p.masked
    _refresh_household(session, household)
    return _save_change(session, actor, Tag.MEMBER_UPDATED, member, before, MEMBER_FIELDS, data.reason)


@use_case
def remove_member(session: Session, *, actor: Principal, member: Member, status: str, reason: str) -> Member:
    """Take a member off the household's roll (deceased, moved or married out), keeping the record."""
    member = lock_member(session, member)
    if member.status != "1":
        raise Conflict(_l("This member is no longer on the household's roll."), field="status", code="not_registered")
    before = state(member, MEMBER_FIELDS)
    member.status = status
    _refresh_household(session, access_household(session, member.county_code, member.household_id))
    return _save_change(session, actor, Tag.MEMBER_REMOVED, member, before, MEMBER_FIELDS, reason)


def _move_target(session: Session, member: Member, household_id: int) -> Household:
    """The household a member moves to, looked up in the member's own county (a move never
    leaves it), so that Citus reads that county's shard only."""
    try:
        return access_household(session, member.county_code, household_id)
    except NotFound:
        # Only a number that is not in the county reads every county the account sees: to say
        # "another county" where that is what was typed, and 404 for no household at all.
        access_household(session, None, household_id)
        raise Invalid(
            _l("A member can only move within the county; register the person in the new county."),
            field="household_id",
            code="other_county",
        ) from None


@use_case
def move_member(session: Session, *, actor: Principal, member: Member, data: MemberMove) -> Member:
    """Move a member to another household of the same county (one person, one household)."""
    target = _move_target(session, member, data.household_id)
    member = lock_member(session, member, target.id)
    target = lock_household(session, target)
    if target.id == member.household_id:
        raise Invalid(_l("The member already belongs to this household."), field="household_id", code="same_household")
    if rules.is_head(data.relation) and member.status == "1" and _heads(session, target):
        raise _one_head("relation")
    source = access_household(session, member.county_code, member.household_id)
    before = state(member, MEMBER_FIELDS)
    member.household_id, member.village_code, member.relation = target.id, target.village_code, data.relation
    _refresh_household(session, source)
    _refresh_household(session, target)
    return _save_change(session, actor, Tag.MEMBER_MOVED, member, before, MEMBER_FIELDS, data.reason)


def _in_care(session: Session, actor: Principal, household: Household, *permissions: str) -> bool:
    """Whether a role holding one of the permissions covers the household's village (the village,
    the team, the township…), or the actor is the household's own helper: a helper's grant covers
    a village or a township, but only the households assigned to them are in their care."""
    holders = [g for g in actor.grants if g.role != Role.HELPER and any(role_has(g.role, p) for p in permissions)]
    if any(Area.of(g.division_code).covers(household.village_code) for g in holders):
        return True
    return actor.user_id is not None and helps(session, actor.user_id, household.county_code, household.id)


def may_record_income(session: Session, actor: Principal, household: Household) -> bool:
    """Whether the actor records this household's income."""
    return _in_care(session, actor, household, INCOME_WRITE)


def may_call(session: Session, actor: Principal, household: Household) -> bool:
    """Whether the actor may see the household's phone in clear: whoever may unmask its numbers,
    its village's team, or its helper — a helper only for the households in their care."""
    return _in_care(session, actor, household, PHONE_REVEAL, PERSON_UNMASK)


def require_income_writer(session: Session, actor: Principal, household: Household) -> None:
    if not may_record_income(session, actor, household):
        raise Forbidden(_l("Only the household's helper may record its income."), field="household_id")


@use_case
def set_income(
    session: Session, *, actor: Principal, household: Household, year: int, data: IncomeIn
) -> HouseholdIncome:
    """Record or correct a household's income of one year (this year or an earlier one)."""
    require_income_writer(session, actor, household)
    if year > date.today().year:
        # A year's income is known only once the year has begun; a later one is a typing slip.
        raise Invalid(_l("Income can be recorded for this year or an earlier one."), field="year", code="future_year")
    household = lock_household(session, household)
    row = scoped_get(session, HouseholdIncome, (household.county_code, household.id, year))
    fields = ("year", "wage", "production", "property", "transfer", "production_costs", "unavoidable_spending")
    before = state(row, fields) if row else None
    if row is None:
        row = HouseholdIncome(county_code=household.county_code, household_id=household.id, year=year)
        session.add(row)
    for name in fields[1:]:
        setattr(row, name, getattr(data, name))
    session.flush()
    session.refresh(row)  # as stored (1003 → 1003.00): the next change's "before"
    _history(
        session,
        actor,
        Tag.HOUSEHOLD_UPDATED,
        household,
        {"income": before},
        {"income": state(row, fields)},
        data.reason,
    )
    return row


FIELDS_OF = {"id_number": "id_cipher", "phone": "phone_cipher", "bank_account": "bank_cipher"}


@use_case
def reveal(
    session: Session,
    *,
    actor: Principal,
    protector: Protector,
    obj: Household | Member | Cadre,
    field: str,
    reason: str,
) -> str | None:
    """Show a protected number in clear: allowed with a reason, and always in the audit trail."""
    column = FIELDS_OF[field]
    if not hasattr(obj, column):
        raise Invalid(_l("This record has no such number."), field="field", code="no_such_field")
    if isinstance(obj, Household) and not may_call(session, actor, obj):
        raise Forbidden(_l("Only the household's helper or its village's work team may call it."), field="field")
    value = protector.reveal(getattr(obj, column))
    entity = type(obj).__tablename__.rstrip("s")
    division = getattr(obj, "village_code", None) or getattr(obj, "division_code", None)
    audit.record(
        session,
        actor=actor.actor,
        action=disclosure.Tag.UNMASKED,
        entity=entity,
        entity_id=obj.id,
        division=division,
        after={"field": field},
        reason=reason,
    )
    return value
