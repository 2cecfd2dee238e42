"""`create_app(settings)`: the FastAPI app, whose lifespan owns one AudioManager."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.routing import Match, Mount
from starlette.types import Scope

from mixdeck import engine

from . import errors, metrics, openapi
from .auth import TokenGuard
from .cli import package_version
from .guard import HostGuard, RequestGuard
from .library import INDEX_NAME
from .limits import BodyLimit
from .logs import install_redaction
from .media import BUILTIN_NAMES, audio_files, resolve_media_path, write_builtin_library
from .operations.sounds import load_file
from .rest import api_router
from .runtime import Runtime
from .settings import ServiceSettings
from .ws.endpoint import websocket_endpoint
from .ws.hub import Hub

log = logging.getLogger("mixdeck.service")


def choose_output(settings: ServiceSettings) -> tuple[str, str]:
    """(output kind, why null was chosen or '') for the settings' `output`."""
    if settings.output != "auto":
        return settings.output, ""
    try:
        from mixdeck.engine import output as engine_output

        ok, reason = engine_output.device_available()
    except Exception as exc:  # no PortAudio library at all
        ok, reason = False, f"the audio system is unavailable ({exc})"
    return ("device", "") if ok else ("null", str(reason))


def open_manager(settings: ServiceSettings) -> tuple[Any, str]:
    """Start an AudioManager on the chosen output; auto falls back to null if the device fails to open."""
    kind, note = choose_output(settings)

    def build(output: str) -> Any:
        return engine.AudioManager(
            engine.AudioManagerSettings(
                sample_rate=settings.sample_rate,
                block_size=settings.block_size,
                output=output,
                device=settings.device if output == "device" else None,
                capacities=engine.Capacities(
                    sounds=settings.max_voices,
                    sub_tracks=settings.max_tracks,
                    send_tracks=settings.max_sends,
                    effects=settings.max_effects,
                    clocks=settings.max_clocks,
                    modulators=settings.max_modulators,
                    listeners=settings.max_listeners,
                ),
                command_capacity=settings.command_capacity,
            )
        )

    try:
        return build(kind), note
    except engine.OutputError as exc:
        if settings.output != "auto":
            raise
        return build("null"), f"the output device failed to open ({exc})"


def describe_output(manager: Any, note: str) -> str:
    info = manager.output_info
    rate, block = int(info.get("sample_rate", 0)), int(info.get("block_size", 0))
    timing = f"{rate} Hz, {block}-frame blocks ({1000 * block / rate:.1f} ms)" if rate else "unknown rate"
    kind = info.get("kind")
    if kind == "device":
        return f"audio output: device {info.get('device')!r} at {timing}"
    if kind == "null":
        why = f"; auto fell back to null because {note}" if note else ", as configured"
        return f"audio output: null (silent, paced in real time) at {timing}{why}"
    return f"audio output: {kind} at {timing}"


def load_media(rt: Runtime) -> None:
    """Load the media folder's sounds, each under the id the folder's index gives it.

    On a first start (no audio files and no index yet) the built-in sounds are
    written first. Sounds the index knows load in the order of their ids, new
    files after them in the order of their names, so a file added later never
    changes an id given before.
    """
    root = rt.settings.media_dir
    index = rt.index
    if not audio_files(root) and not (root / INDEX_NAME).exists():
        write_builtin_library(root)
        log.info("media folder %s was empty: wrote the built-in sounds (%s)", root, ", ".join(sorted(BUILTIN_NAMES)))
    found: dict[str, Path] = {}
    for rel in index.files:
        try:
            found[rel] = resolve_media_path(root, rel)
        except errors.ServiceError:
            continue  # gone, or no longer inside the folder
    for path in audio_files(root):
        new = index.relative(path)
        if new is not None and new not in found:
            found[new] = path.resolve()
    index.drop_missing(set(found))

    def order(rel: str) -> tuple[int, int, str]:
        known = index.files.get(rel)
        return (0, int(known.id.removeprefix("snd-")), rel) if known else (1, 0, rel)

    for rel in sorted(found, key=order):
        if rel in index.removed:
            continue
        path = found[rel]
        try:
            load_file(rt, path, builtin=path.name in BUILTIN_NAMES and path.parent == root.resolve())
        except Exception as exc:  # one bad file (or one too many) must not stop the service
            log.warning("skipped %s: %s", rel, exc)
    log.info("loaded %d sound(s) from %s", len(rt.sounds), root)


def create_app(settings: ServiceSettings) -> FastAPI:
    """Build the app; the AudioManager starts when the lifespan starts and fades out when it ends."""
    settings.check()
    install_redaction()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The audio process starts (and loads its kernels) while the media folder decodes.
        opening = asyncio.ensure_future(asyncio.to_thread(open_manager, settings))
        rt = Runtime(settings, None, "")
        try:
            await asyncio.to_thread(load_media, rt)
        finally:
            manager, note = await opening
        rt.attach(manager, note)
        hub = Hub(rt)
        app.state.runtime, app.state.manager, app.state.hub = rt, manager, hub
        log.info(describe_output(manager, note))
        install_redaction()  # again: the server may have configured logging since create_app
        sampler = None
        try:
            sampler = asyncio.create_task(hub.run(settings.state_rate))
            # A full garbage collection holds the interpreter lock, and with it the audio
            # thread; what exists after start-up lives for good, so take it out of collections.
            gc.collect()
            gc.freeze()
            yield
        finally:
            if sampler is not None:
                sampler.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sampler
            log.info("fading out the mix over %.3f s and closing the output", settings.shutdown_fade)
            manager.close(fade=engine.Tween(settings.shutdown_fade))
            app.state.runtime = None

    # The schema and the docs pages are built by service.openapi; FastAPI's own are off.
    app = FastAPI(
        title="mixdeck",
        version=package_version(),
        summary="A web-controlled audio engine: play and shape sound over HTTP and WebSocket.",
        description="REST and WebSocket (JSON-RPC 2.0, `rpc.discover` describes it) over one set of operations. "
        "Errors are RFC 9457 problems. Volume in dB, panning -1..1, playback rate a factor, times in seconds.",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=openapi.operation_id,
    )
    app.state.settings = settings
    app.state.runtime = None
    app.state.metrics = metrics.build_registry(lambda: app.state.runtime)
    errors.install(app)
    app.include_router(api_router())
    add_schema(app)
    openapi.install(app, settings)
    app.add_api_websocket_route("/api/ws", websocket_endpoint)
    # Outermost last: Host, then the token, then Origin and Content-Type, then body size.
    app.add_middleware(BodyLimit, upload_limit=settings.max_upload_bytes)
    app.add_middleware(RequestGuard, settings=settings, router=app.router)
    app.add_middleware(TokenGuard, token=settings.token)
    app.add_middleware(HostGuard, settings=settings)
    web = settings.web_dir or Path(__file__).resolve().parent.parent / "web"
    if (web / "index.html").is_file():
        app.router.routes.append(PanelMount("/", StaticFiles(directory=str(web), html=True), name="web"))
    return app


class PanelMount(Mount):
    """The panel's files at '/', except under /api: a method a route does not take there is the route's 405."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path == "/api" or path.startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


def add_schema(app: FastAPI) -> None:
    """Serve /openapi.json; `TokenGuard` keeps it behind the bearer token when there is one."""

    @app.get("/openapi.json", include_in_schema=False)
    async def schema(request: Request) -> JSONResponse:
        return JSONResponse(request.app.openapi())
