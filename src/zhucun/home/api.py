"""Health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from ..core.deps import get_db, public

router = APIRouter(tags=["system"])


@router.get("/healthz", dependencies=[public])
def healthz(request: Request) -> dict[str, str]:
    """Liveness and database reachability."""
    with get_db(request).begin(write=False) as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok"}
