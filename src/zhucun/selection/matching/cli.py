"""``zhucun selection``: the matching at the command line, for a county, prefecture or
province at once. The operator acts as administrator everywhere."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer

from zhucun import cli as root
from zhucun.core.i18n import _
from zhucun.core.naming import Names

from . import service

app = typer.Typer(help="Selection and dispatch", no_args_is_help=True)


@app.command("match")
def match(
    division: Annotated[str, typer.Option("--division", help="A county, prefecture or province code (12 digits)")],
    term: Annotated[int, typer.Option("--term", help="The year the term starts")] = date.today().year,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Propose without keeping the proposal")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposal as JSON")] = False,
    refused: Annotated[
        bool, typer.Option("--refusals", help="With --json: add the refused candidates and failed eligibility")
    ] = False,
) -> None:
    """Propose first secretaries and team members for every marked village of the division."""

    @root.clerk_errors
    def run() -> None:
        with root.system_session(write=not dry_run) as (session, actor):
            if dry_run:
                loaded, proposal = service.propose(session, division, term)
            else:
                loaded, proposal = service.run_match(session, actor=actor, area=division, term=term)
            result = service.summary(loaded, proposal)
            names = loaded.names
            places = Names(session).named(
                [item["village_code"] for key in ("unfilled", "refused") for item in result[key]]
            )
            area = Names(session).division(division)
        if as_json:
            # The agreed shape by default; the refusals only when asked, so that readers of it keep working.
            hidden = {"method"} if refused else {"method", "refused", "ineligible"}
            typer.echo(json.dumps({k: v for k, v in result.items() if k not in hidden}, ensure_ascii=False))
            return
        if not len(loaded.instance.villages.code):
            # Nothing marked is a state, not a failure: exit 0 and say what to do.
            typer.echo(
                _("No village of {area} is marked for the term {term}: nothing to match.").format(area=area, term=term)
            )
            return
        _print(result, names, places)

    run()


def _village(code: str, places: dict[str, str]) -> str:
    """A village as a clerk reads it: its name, the code beside it only where two villages of
    the output share the name."""
    name = places.get(code)
    if name is None:
        return code
    namesakes = sum(1 for other in places.values() if other == name)
    return f"{name} ({code})" if namesakes > 1 else name


def _print(result: dict[str, Any], names: dict[int, str], places: dict[str, str]) -> None:
    typer.echo(
        _("{posts} posts proposed; objective {objective}, bound {bound}, gap {gap:.4%}.").format(
            posts=len(result["assignments"]),
            objective=result["objective"],
            bound=result["bound"],
            gap=result["gap"],
        )
    )
    typer.echo(
        _("Greedy baseline: objective {objective}, {unfilled} posts unfilled.").format(
            objective=result["greedy_objective"], unfilled=result["greedy_unfilled"]
        )
    )
    for item in result["unfilled"]:
        typer.echo(
            _("{village}: {missing} posts unfilled").format(
                village=_village(item["village_code"], places), missing=item["missing"]
            )
        )
    for item in result["refused"]:
        typer.echo(
            _("{village}: {name} refused ({rules})").format(
                village=_village(item["village_code"], places),
                name=names.get(item["cadre_id"], item["cadre_id"]),
                rules="; ".join(r["label"] for r in item["rules"]),
            )
        )
    for item in result["ineligible"]:
        typer.echo(
            _("{name} not eligible ({rules})").format(
                name=names.get(item["cadre_id"], item["cadre_id"]),
                rules="; ".join(r["label"] for r in item["rules"]),
            )
        )
