"""Change history and audit entries as sentences in the reader's language.

Each mechanism declares, next to its audit tags, what they mean (``actions``) and, for the
things it records, their fields: a label and how a value reads (``kind``). The describer
here turns a recorded change — action, object, before, after, reason — into a sentence
("王镇长 把主要致贫原因从（空）改为 因病") and a before/after table, using names looked up
once per page (``Names``: divisions, people, units, accounts…). Describing is pure: no
database, so it is tested without one; ``names_for`` does the look-ups a page needs, one
query per kind, through the reader's scoped session.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from .i18n import _, current_locale
from .naming import Names as PageNames

Names = Mapping[tuple[str, str], str]
Resolver = Callable[[Any, set[str]], Mapping[str, str]]


@dataclass(frozen=True)
class Field:
    """How one recorded field reads: its label, and how a value is shown."""

    label: Any
    # (value, names) → its text (a catalogue label, yes/no…); plain text when None.
    format: Callable[[Any, Names], str] | None = None
    # The kind whose name the value is (a division code, a unit's id…), looked up per page.
    refers: str | None = None
    # For a value naming several objects (a list of grants): value → (kind, id) pairs.
    refs: Callable[[Any], Iterable[tuple[str, str]]] | None = None
    # A protected value: said to have changed, never shown (the trail keeps a digest only).
    secret: bool = False
    # Bookkeeping or a masked copy of a secret: not worth a clause of its own.
    hidden: bool = False
    # A nested state (an income of a year, a posting) read with that kind's fields.
    nested: str | None = None


@dataclass(frozen=True)
class Kind:
    """A kind of recorded object: its label, its fields, how one is named and where its page is."""

    name: str
    label: Any
    fields: Mapping[str, Field] = field(default_factory=dict)
    # The state field that names one ("name", "household_no"), and one shown beside it
    # ("张小军（孙子）").
    title: str | None = None
    detail: str | None = None
    # The page of one ("/registry/households/{county}/{id}") and the permission needed to open it.
    page: str | None = None
    permission: str | None = None
    # Instead of ``page``: (id, names, county) → the URL, for a page found through another object
    # (a member's household).
    link: Callable[[str, Names, str | None], str | None] | None = None
    # Other kinds looked up by the same id for the link ("member_household").
    also: tuple[str, ...] = ()
    # For a kind nested in another's state: its fields' labels with the title, e.g.
    # _l("{field} of {title}") → "2025年工资性收入".
    qualified: Any = None


@dataclass(frozen=True)
class Action:
    """What an audit tag means: a short label (lists, the action picker) and the sentence
    that follows the actor's name; ``here`` replaces it on the object's own page."""

    label: Any
    sentence: Any
    here: Any = None
    # Whether each changed field adds a clause ("changed the X from A to B").
    clauses: bool = True
    # Whether the recorded fields show as a before/after table. A reading (a number revealed,
    # a list exported) changed nothing: its record says what was read, and the sentence says it.
    table: bool = True


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Description:
    actor: str
    text: str
    changes: list[Change]
    reason: str | None


KINDS: dict[str, Kind] = {}
ACTIONS: dict[str, Action] = {}
RESOLVERS: dict[str, Resolver] = {}
# The module that labelled each tag, so a test can check the manifests list it.
SOURCES: dict[str, str] = {}


def labelled(labels: Mapping[str, Any]) -> dict[str, Field]:
    """Fields read as they were recorded, each with its label: ``{"file": _l("File")}``."""
    return {name: Field(label) for name, label in labels.items()}


def kind(name: str, label: Any, fields: Mapping[str, Field] | None = None, **options: Any) -> Kind:
    declared = Kind(name, label, dict(fields or {}), **options)
    KINDS[name] = declared
    return declared


def actions(labels: Mapping[Any, Action]) -> Mapping[Any, Action]:
    """Label a mechanism's audit tags (an ``Enum``'s members or plain tag strings)."""
    caller = inspect.getmodule(inspect.stack()[1].frame)
    for tag, action in labels.items():
        value = tag.value if isinstance(tag, Enum) else str(tag)
        ACTIONS[value] = action
        SOURCES[value] = caller.__name__ if caller else ""
    return labels


def resolver(name: str) -> Callable[[Resolver], Resolver]:
    """Declare how names of one kind are looked up: ``(session, ids) → {id: name}``."""

    def register(function: Resolver) -> Resolver:
        RESOLVERS[name] = function
        return function

    return register


@resolver("division")
def division_names(session: Any, codes: set[str]) -> dict[str, str]:
    """Division names are public reference data (the statistics bureau publishes them), so a
    change elsewhere names the village it concerns even outside the reader's area; the same
    look-up as a page's names (``core.naming``)."""
    return PageNames(session).named(codes)


# --- reading values ----------------------------------------------------------------------


def empty() -> str:
    return _("(empty)")


def yes_no(value: Any, names: Names | None = None) -> str:
    return _("Yes") if value else _("No")


def catalogue(items: Any) -> Callable[[Any, Names], str]:
    """A formatter giving a catalogue code's label (``registry.catalogues``)."""

    def label(value: Any, names: Names) -> str:
        if isinstance(value, str) and "," in value:
            return "、".join(items.label(code) for code in value.split(","))
        return str(items.label(value))

    return label


def choices(labels: Mapping[str, Any]) -> Callable[[Any, Names], str]:
    return lambda value, names: str(labels.get(value, value))


def in_sentence(label: Any) -> str:
    """A field label inside a sentence: "Main cause" → "main cause"; "ID number" stays."""
    text = str(label)
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


# How the trail records a protected value (see ``registry.history.plain``).
SEALED = "encrypted:"


def show(spec: Field | None, value: Any, names: Names) -> str:
    if value is None or value == "" or value == []:
        return empty()
    if (spec is not None and spec.secret) or (isinstance(value, str) and value.startswith(SEALED)):
        # The trail keeps a digest of a protected value; a reader learns only that it is set.
        return _("(protected)")
    if spec is not None and spec.refers:
        return names.get((spec.refers, str(value)), str(value))
    if spec is not None and spec.format is not None:
        return spec.format(value, names)
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, list):
        return "、".join(show(None, v, names) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {show(None, v, names)}" for k, v in value.items())
    return str(value)


# --- sentences ---------------------------------------------------------------------------


def field_of(kind_name: str, name: str) -> Field:
    declared = KINDS.get(kind_name)
    if declared is not None and name in declared.fields:
        return declared.fields[name]
    # Undeclared: the raw name reads better with spaces than with underscores.
    return Field(name.replace("_", " "))


def changes(kind_name: str, before: Any, after: Any, names: Names) -> list[tuple[Field, Change]]:
    """The fields whose value differs, in the order recorded, each read with its kind's labels."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    found: list[tuple[Field, Change]] = []
    for name in dict.fromkeys([*after, *before]):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        spec = field_of(kind_name, name)
        if spec.nested:
            found += _qualified(spec.nested, changes(spec.nested, old, new, names), old, new, names)
            continue
        found.append((spec, Change(str(spec.label), show(spec, old, names), show(spec, new, names))))
    return found


def _qualified(
    kind_name: str, found: list[tuple[Field, Change]], old: Any, new: Any, names: Names
) -> list[tuple[Field, Change]]:
    """A nested state's changes, their labels saying which one ("2025年工资性收入")."""
    declared = KINDS.get(kind_name)
    state = new if isinstance(new, dict) else old if isinstance(old, dict) else {}
    if declared is None or declared.qualified is None or declared.title is None:
        return found
    name = show(declared.fields.get(declared.title), state.get(declared.title), names)
    return [
        (spec, Change(str(declared.qualified).format(field=change.label, title=name), change.before, change.after))
        for spec, change in found
        if spec is not declared.fields.get(declared.title)
    ]


def clause(spec: Field, change: Change) -> str:
    label = in_sentence(change.label)
    if spec.secret:
        return _("changed the {field}").format(field=label)
    return _("changed the {field} from {before} to {after}").format(
        field=label, before=_apart(change.before, " "), after=_apart(change.after, "")
    )


def _apart(value: str, after: str) -> str:
    """Chinese sets a value apart from the words around it with spaces ("从 因病 改为 因残"),
    except one in full-width brackets ("从（空）改为 因病"); English has its spaces already."""
    if current_locale() != "zh_CN" or value.startswith("（"):
        return value
    return f" {value}{after}"


def title(kind_name: str, entity_id: Any, before: Any, after: Any, names: Names) -> str:
    """How an object is named: its looked-up name, else the name it was recorded with, else
    its kind and number; the detail field beside it ("张小军（孙子）")."""
    declared = KINDS.get(kind_name)
    state = after if isinstance(after, dict) else before if isinstance(before, dict) else {}
    name = names.get((kind_name, str(entity_id))) if entity_id is not None else None
    if name is None and declared is not None and declared.title and state.get(declared.title):
        name = str(state[declared.title])
    if name is None:
        label = declared.label if declared is not None else kind_name.replace("_", " ")
        name = _("{kind} #{id}").format(kind=label, id=entity_id) if entity_id is not None else str(label)
    if declared is not None and declared.detail and state.get(declared.detail) not in (None, ""):
        detail = show(declared.fields.get(declared.detail), state[declared.detail], names)
        return _("{name} ({detail})").format(name=name, detail=detail)
    return name


def values(kind_name: str, state: Any, names: Names) -> dict[str, str]:
    """The recorded state read for a sentence's placeholders; nested states as ``outer_inner``."""
    found: dict[str, str] = {}
    for name, value in (state if isinstance(state, dict) else {}).items():
        spec = field_of(kind_name, name)
        if spec.nested and isinstance(value, dict):
            found.update({f"{name}_{k}": v for k, v in values(spec.nested, value, names).items()})
        elif not spec.secret:
            found[name] = show(spec, value, names)
    return found


def actor_name(actor_id: Any, recorded: str, names: Names) -> str:
    if actor_id is None:
        return _("the system") if recorded in ("", "system") else recorded
    return names.get(("user", str(actor_id)), recorded)


def action_label(tag: str) -> str:
    known = ACTIONS.get(tag)
    return str(known.label) if known is not None else tag


def describe(
    *,
    tag: str,
    entity: str,
    entity_id: Any,
    before: Any,
    after: Any,
    reason: str | None,
    actor: str,
    names: Names,
    here: bool = False,
) -> Description:
    """One recorded change as a sentence, actor first, and its before/after table."""
    action = ACTIONS.get(tag) or Action(tag, _("did “{action}” to {object}").format(action=tag, object="{object}"))
    found = changes(entity, before, after, names)
    shown = [(spec, change) for spec, change in found if not spec.hidden]
    state = {**values(entity, before, names), **values(entity, after, names)}
    template = action.here if here and action.here is not None else action.sentence
    text = str(template).format_map(
        _Placeholders(state, object=title(entity, entity_id, before, after, names), reason=reason or "")
    )
    if action.clauses and shown:
        listed = _("; ").join(clause(spec, change) for spec, change in shown)
        text = _("{sentence}: {changes}").format(sentence=text, changes=listed) if text else listed
    table = [change for _spec, change in shown] if action.table else []
    return Description(actor, f"{actor} {text}".strip(), table, reason)


class _Placeholders(dict[str, str]):
    """Values for a sentence; one recorded without the field reads as "(empty)"."""

    def __init__(self, state: Mapping[str, str], **extra: str):
        super().__init__({**state, **extra})

    def __missing__(self, key: str) -> str:
        return empty()


# --- names looked up per page ------------------------------------------------------------


def wanted(entries: Iterable[tuple[str, Any, Any, Any, Any]]) -> dict[str, set[str]]:
    """The names a page needs: each (entity, entity_id, actor_id, before, after)'s object,
    actor, and the values that refer to other objects."""
    found: dict[str, set[str]] = {}
    for entity, entity_id, actor_id, before, after in entries:
        if entity_id is not None and entity in RESOLVERS:
            for looked_up in (entity, *(KINDS[entity].also if entity in KINDS else ())):
                found.setdefault(looked_up, set()).add(str(entity_id))
        if actor_id is not None:
            found.setdefault("user", set()).add(str(actor_id))
        for state in (before, after):
            _referred(entity, state, found)
    return found


def _referred(kind_name: str, state: Any, found: dict[str, set[str]]) -> None:
    if not isinstance(state, dict):
        return
    for name, value in state.items():
        spec = field_of(kind_name, name)
        if spec.nested:
            _referred(spec.nested, value, found)
        elif spec.refers and value not in (None, ""):
            found.setdefault(spec.refers, set()).add(str(value))
        elif spec.refs and value not in (None, ""):
            for referred, key in spec.refs(value):
                found.setdefault(referred, set()).add(str(key))


def names_for(session: Any, needed: Mapping[str, set[str]]) -> dict[tuple[str, str], str]:
    """One look-up per kind, through the reader's session (out of scope: no name)."""
    load()
    found: dict[tuple[str, str], str] = {}
    for kind_name, ids in needed.items():
        look_up = RESOLVERS.get(kind_name)
        if look_up is not None and ids:
            found.update({(kind_name, str(k)): v for k, v in look_up(session, ids).items()})
    return found


def load() -> None:
    """Import every module the manifests name as declaring labels (once)."""
    from .mechanism import load_presenters

    load_presenters()


def url_of(
    kind_name: str, entity_id: Any, names: Names, can: Callable[[str], bool], county: str | None = None
) -> str | None:
    """The page of a recorded object, when it has one and the reader may open it. A row of a
    county-keyed table is addressed by ``{county}/{id}`` (core.addressing); without a county
    (an old entry) the old path, which redirects."""
    declared = KINDS.get(kind_name)
    if declared is None or entity_id is None or (declared.permission and not can(declared.permission)):
        return None
    if declared.link is not None:
        return declared.link(str(entity_id), names, county)
    if not declared.page:
        return None
    page = declared.page if county else declared.page.replace("{county}/", "")
    return page.format(id=entity_id, county=county)


@dataclass(frozen=True)
class Told:
    """A recorded change ready for a page: the row, its tag, sentence, object and link."""

    row: Any
    tag: str
    action: str
    object: str
    url: str | None
    description: Description

    @property
    def at(self) -> datetime:
        at: datetime = self.row.at
        return at


def tell(
    session: Any,
    rows: Iterable[Any],
    *,
    tag_of: Callable[[Any], str] = lambda row: row.action,
    here: bool = False,
    can: Callable[[str], bool] = lambda permission: False,
) -> list[Told]:
    """Describe rows of a history or the audit trail (``at, actor_id, actor_name, entity,
    entity_id, before, after, reason``), with the names they need looked up at once.
    ``here``: the rows are the history of the page's own object (a household with its
    members, a cadre), so sentences say "the household" rather than naming it."""
    rows = list(rows)
    names = names_for(session, wanted((r.entity, r.entity_id, r.actor_id, r.before, r.after) for r in rows))
    told = []
    for row in rows:
        tag = tag_of(row)
        description = describe(
            tag=tag,
            entity=row.entity,
            entity_id=row.entity_id,
            before=row.before,
            after=row.after,
            reason=row.reason,
            actor=actor_name(row.actor_id, row.actor_name, names),
            names=names,
            here=here,
        )
        shown = title(row.entity, row.entity_id, row.before, row.after, names)
        url = url_of(row.entity, row.entity_id, names, can, getattr(row, "county_code", None))
        told.append(Told(row, tag, action_label(tag), shown, url, description))
    return told


def when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")
