"""Pickers: a division or a unit chosen by typing part of its name, never by typing a code.

A picker's visible box is named ``<field>__q`` and its hidden input ``<field>``; the search
routes read whichever ``…q`` parameter the box sent. A form posted with text typed but no
match picked is answered by ``resolve``: the one match of that exact name, or a located error
asking to pick one — never a silent nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import Request

from .errors import Invalid
from .i18n import _

MAX_TYPED = 50


def typed(request: Request) -> str:
    """The text of the picker box that sent this search (``q`` or ``<field>__q``)."""
    for key, value in request.query_params.items():
        if key == "q" or key.endswith("__q"):
            return value.strip()[:MAX_TYPED]
    return ""


def resolve(form: dict[str, str], field: str, find: Callable[[str], Sequence[tuple[str, str]]]) -> str | None:
    """The code a picker sent, or the one exact-name match of what was typed in its box.

    ``find(text)`` answers (code, name) pairs in the caller's scope."""
    code = (form.get(field) or "").strip()
    text = (form.get(f"{field}__q") or "").strip()
    if code or not text:
        return code or None
    exact = [c for c, name in find(text) if name == text]
    if len(exact) == 1:
        return exact[0]
    raise Invalid(
        _("“{text}” matches no single entry: pick one from the list that opens as you type.").format(text=text)
        if not exact
        else _("Several entries are named “{text}”: pick one from the list.").format(text=text),
        field=field,
    )


def choices(items: Sequence[Any], code: Callable[[Any], Any], label: Callable[[Any], str]) -> list[dict[str, str]]:
    return [{"code": str(code(i)), "label": label(i)} for i in items]
