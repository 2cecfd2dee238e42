"""REST transport: thin routes over service.operations."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ..auth import require_token
from . import clocks, engine, main_track, modulators, sounds, voices


def api_router() -> APIRouter:
    """Every `/api` route, behind the token check."""
    router = APIRouter(prefix="/api", dependencies=[Depends(require_token)])
    for module in (engine, sounds, voices, main_track, clocks, modulators):
        router.include_router(module.router)
    return router
