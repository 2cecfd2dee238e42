"""REST transport: thin routes over service.operations."""

from __future__ import annotations

from fastapi import APIRouter

from . import clocks, effects, engine, listeners, main_track, modulators, sends, sounds, spatial, tracks, voices


def api_router() -> APIRouter:
    """Every `/api` route (the token is checked before them, by `auth.TokenGuard`)."""
    router = APIRouter(prefix="/api")
    for module in (engine, sounds, voices, tracks, sends, effects, main_track, clocks, modulators, listeners, spatial):
        router.include_router(module.router)
    return router
