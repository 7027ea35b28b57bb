"""``zhucun serve``: the web server."""

from __future__ import annotations

from typing import Annotated

import typer

from ..core.i18n import _

app = typer.Typer()


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    banner: Annotated[bool, typer.Option(help="Print how to log in to the demo")] = False,
) -> None:
    """Serve the web pages and the API."""
    import uvicorn

    from ..app import create_app

    if banner:
        from ..demo.accounts import DEMO_PASSWORD, PERSONAS

        typer.echo("")
        typer.echo(_("zhucun is running at http://{host}:{port}/").format(host=host, port=port))
        typer.echo(_("Log in with one of these demo accounts (password {password}):").format(password=DEMO_PASSWORD))
        for persona in PERSONAS:
            typer.echo(f"  {persona.username:<14} {persona.display_name}  ({persona.role.value})")
        typer.echo(_("API documentation: http://{host}:{port}/api/docs").format(host=host, port=port))
        typer.echo("")
    from ..core.logs import uvicorn_log_config

    uvicorn.run(
        create_app(), host=host, port=port, log_level="info", proxy_headers=False, log_config=uvicorn_log_config()
    )
