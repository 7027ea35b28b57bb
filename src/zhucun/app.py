"""create_app(): middleware, error answers, and the routers each mechanism's manifest names,
every route behind ``permit``."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from . import __version__
from .config import Settings, get_settings
from .core.addressing import OLD_ROUTER
from .core.auth import configure_hashing
from .core.db import Database
from .core.deps import route_permission
from .core.gate import Gate
from .core.http import Edge, install_error_handlers
from .core.mechanism import load_permissions, load_presenters
from .core.mechanism import routers as mechanism_routers
from .core.web import PACKAGE_DIR


def app_routes(app: FastAPI) -> list[APIRoute]:
    """Every route of every mechanism (the app's own list nests included routers)."""
    return list(app.state.routes)


def check_routes_declare_permissions(routes: list[APIRoute]) -> None:
    """Deny by default: a route that declares neither a permission nor ``public`` stops start-up."""
    bare = [f"{sorted(r.methods)} {r.path}" for r in routes if route_permission(r) is None]
    if bare:
        raise RuntimeError(f"routes without a declared permission: {bare}")


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_hashing(settings)
    app = FastAPI(
        title="zhucun 驻村帮扶信息系统",
        version=__version__,
        description="Village-based assistance: divisions, accounts, registry, audit trail. "
        "Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.db = db or Database(settings.database_url, key_dir=settings.key_dir)
    install_error_handlers(app)
    load_permissions()
    load_presenters()
    # The old paths of rows now addressed by (county, id) match before the new ones (core.addressing).
    routers = [OLD_ROUTER, *mechanism_routers()]
    for router in routers:
        app.include_router(router)
    app.state.routes = [r for router in routers for r in router.routes if isinstance(r, APIRoute)]
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    app.add_middleware(Gate)
    app.add_middleware(Edge, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    check_routes_declare_permissions(app.state.routes)
    return app
