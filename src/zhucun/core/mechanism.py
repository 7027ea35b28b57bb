"""How a mechanism declares itself: one ``MANIFEST`` per package, discovered from the one
list in ``zhucun.mechanisms``. The app mounts the routers, the CLI adds the commands, the
metadata imports the models, the navigation and home pages show the entries, the import
engine knows the kinds, and the route tests find the samples — from the manifests alone,
so that adding a mechanism touches that list and nothing central.

Modules are named by dotted path and imported when needed, so that reading a manifest
imports nothing heavy and no cycle."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any


@dataclass(frozen=True)
class NavItem:
    """An entry in the main navigation, shown to whoever holds the permission."""

    order: int
    url: str
    label: Any
    permission: str


@dataclass(frozen=True)
class HomeItem:
    """A count of work on a role's home page, opening the list behind it. ``tone`` is "" (a
    fact), "warn" (something waits) or "alert" (something is wrong or overdue)."""

    label: Any
    count: int
    url: str
    tone: str = ""
    group: Any = None


@dataclass(frozen=True)
class Command:
    """A Typer app (``module:attribute``) added under ``group`` ("registry kin" nests); a
    group of None adds its commands at the top level."""

    target: str
    group: str | None


@dataclass(frozen=True)
class Mechanism:
    name: str
    label: Any
    # Modules, each with a ``router`` (API routers and page routers alike).
    routers: tuple[str, ...] = ()
    commands: tuple[Command, ...] = ()
    # Modules that define tables; every model declares its scope or says why it has none.
    models: tuple[str, ...] = ()
    # Modules that declare permissions (``core.permissions.declare``).
    permissions: tuple[str, ...] = ()
    # Modules that label the mechanism's audit tags and the fields of what it records
    # (``core.present.actions`` and ``kind``), so history and audit read as sentences.
    present: tuple[str, ...] = ()
    nav: tuple[NavItem, ...] = ()
    # ``module:function`` giving the home-page items for a request context (see home/).
    home: tuple[str, ...] = ()
    # ``module:attribute`` of each import kind the shared import engine offers.
    import_kinds: tuple[str, ...] = ()
    # ``module:function(session)`` run after every migration to head (reference data).
    after_upgrade: tuple[str, ...] = ()
    # The tests package mirroring this mechanism, whose ``route_samples`` module holds the
    # sample requests of its routes for the route × role tests.
    tests: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def resolve(target: str) -> Any:
    """``package.module:attribute`` → the attribute; ``package.module`` → the module."""
    module, _, attribute = target.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, attribute) if attribute else loaded


@cache
def manifests() -> tuple[Mechanism, ...]:
    from zhucun.mechanisms import MECHANISMS

    return tuple(importlib.import_module(f"zhucun.{name}.manifest").MANIFEST for name in MECHANISMS)


def each(attribute: str) -> Iterator[Any]:
    """Every entry of one manifest field, across mechanisms in order."""
    for mechanism in manifests():
        yield from getattr(mechanism, attribute)


def load_models() -> None:
    for module in each("models"):
        importlib.import_module(module)


def load_permissions() -> None:
    for module in each("permissions"):
        importlib.import_module(module)


def load_presenters() -> None:
    for module in each("present"):
        importlib.import_module(module)


def routers() -> list[Any]:
    return [resolve(module).router for module in each("routers")]


def nav() -> list[NavItem]:
    return sorted(each("nav"), key=lambda item: item.order)


def after_upgrade() -> list[Callable[..., Any]]:
    return [resolve(target) for target in each("after_upgrade")]


def home_items(ctx: Any) -> list[HomeItem]:
    """Every mechanism's home-page items for this request, in manifest order."""
    return [item for target in each("home") for item in resolve(target)(ctx)]
