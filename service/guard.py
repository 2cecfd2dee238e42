"""ASGI guards against requests a web page in someone's browser could make on its own.

A service on loopback without a token is open to the machine's own programs,
and browsers are among them: any page can send "simple" cross-site requests
(no preflight) and can reach the service under its own name through DNS
rebinding. Three checks stop that:

- `HostGuard`: the Host header must name this service (localhost, a loopback
  address, the configured host, or `allowed_hosts`), so a page on
  attacker.example rebound to 127.0.0.1 is answered 400.
- `RequestGuard`, on every state-changing request under /api:
  - a browser's `Origin` header, when present, must be this service's own
    origin (or one in `allowed_origins`), else 403. Clients that are not
    browsers send no Origin and are not affected.
  - a body must be `application/json` (415 otherwise), except the multipart
    upload on POST /api/sounds. A cross-site page can only send text/plain,
    multipart or form bodies without a preflight, so its requests never
    reach an operation.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.routing import Match, Mount, Router

from .errors import problem, problem_response
from .settings import ServiceSettings, is_loopback

log = logging.getLogger("mixdeck.service")

ASGIApp = Callable[..., Awaitable[None]]

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})
JSON_TYPES = frozenset({"application/json"})
UPLOAD_PATH = "/api/sounds"


def header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def media_type(scope: dict[str, Any]) -> str | None:
    """The Content-Type's media type in lower case ('' when empty), or None when there is no header."""
    raw = header(scope, b"content-type")
    return None if raw is None else raw.split(";")[0].strip().lower()


def is_upload(scope: dict[str, Any]) -> bool:
    """True for a multipart POST to /api/sounds: the one route that takes a non-JSON body."""
    return (
        scope.get("method") == "POST"
        and scope.get("path", "").rstrip("/") == UPLOAD_PATH
        and media_type(scope) == "multipart/form-data"
    )


def host_name(host_header: str) -> str:
    """'example.org' from 'example.org:8000', '::1' from '[::1]:8000', lower case."""
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value[1:]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def _normal_netloc(scheme: str, netloc: str) -> str:
    """'host:port' with the scheme's default port left out, lower case."""
    netloc = netloc.lower()
    for default in (":80",) if scheme in ("http", "ws") else (":443",) if scheme in ("https", "wss") else ():
        if netloc.endswith(default):
            netloc = netloc[: -len(default)]
    return netloc


class HostGuard:
    """Answer 400 to HTTP and WebSocket requests whose Host is not one of ours (DNS rebinding)."""

    def __init__(self, app: ASGIApp, settings: ServiceSettings) -> None:
        self.app = app
        self.allowed = allowed_host_names(settings)

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] not in ("http", "websocket") or self.allowed is None:
            await self.app(scope, receive, send)
            return
        names = [host_name(v.decode("latin-1")) for k, v in scope.get("headers", []) if k == b"host"]
        # No Host is no browser (HTTP/1.0); two are a malformed request, refused whatever they say.
        name = names[0] if len(names) == 1 else "" if names else None
        if name is None or (len(names) == 1 and host_allowed(name, self.allowed)):
            await self.app(scope, receive, send)
            return
        body = problem(
            400,
            f"this service does not answer to the host name {name[:100]!r}; "
            "add it to MIXDECK_ALLOWED_HOSTS if it is really this machine",
            [{"field": "host", "message": "is not a host name of this service"}],
        )
        await problem_response(body)(scope, receive, send)


def allowed_host_names(settings: ServiceSettings) -> frozenset[str] | None:
    """Host names served, or None when any is (allowed_hosts has '*', or a wildcard bind without a list)."""
    extra = [h.strip().lower() for h in settings.allowed_hosts if h.strip()]
    if "*" in extra:
        return None
    bind = settings.host.strip("[]").lower()
    if bind in WILDCARD_BINDS and not extra:
        # Bound to every interface (which needs a token): the names the machine is reached
        # by are not known, and the token already keeps rebinding pages out.
        return None
    names = set(LOOPBACK_NAMES) | set(extra)
    if bind not in WILDCARD_BINDS:
        names.add(bind)
    return frozenset(names)


def host_allowed(name: str, allowed: Iterable[str]) -> bool:
    if name in allowed or is_loopback(name):
        return True
    for pattern in allowed:
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


class RequestGuard:
    """Refuse cross-site state changes (403) and bodies that are not JSON on JSON routes (415).

    Only requests a route takes are looked at: a method no route has on a path
    is the router's 405, whatever its body.
    """

    def __init__(self, app: ASGIApp, settings: ServiceSettings, router: Router | None = None) -> None:
        self.app = app
        self.settings = settings
        self.router = router

    def _routed(self, scope: dict[str, Any]) -> bool:
        if self.router is None:
            return True
        # Mounts (the panel, the docs' files) take any path; only routes say which methods a path has.
        routes = (r for r in self.router.routes if not isinstance(r, Mount))
        return any(route.matches(scope)[0] == Match.FULL for route in routes)

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") not in UNSAFE_METHODS
            or not _under_api(scope)
            or not self._routed(scope)
        ):
            await self.app(scope, receive, send)
            return
        refusal = self.origin_refusal(scope) or content_type_refusal(scope)
        if refusal is not None:
            await problem_response(refusal)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def origin_refusal(self, scope: dict[str, Any]) -> dict[str, Any] | None:
        origin = header(scope, b"origin")
        if origin is None:
            return None  # not a browser, or a same-origin GET-like request
        if origin_allowed(origin, header(scope, b"host"), getattr(self.settings, "allowed_origins", None) or ()):
            return None
        return problem(
            403,
            f"cross-site request refused: a page from {origin[:200]!r} may not change this service "
            "(requests from the service's own pages, and from clients that send no Origin, are accepted)",
            [{"field": "origin", "message": "is not this service's origin"}],
        )


def origin_allowed(origin: str, host: str | None, allowed_origins: Iterable[str]) -> bool:
    """True when `origin` is the service's own (same host and port as Host) or listed."""
    origin = origin.strip()
    if origin.rstrip("/").lower() in {o.strip().rstrip("/").lower() for o in allowed_origins}:
        return True
    if origin == "null" or host is None:
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    # Behind a TLS proxy the scheme the browser used is not the one we see: compare host and port.
    scheme_default = "http" if parts.scheme == "http" else "https"
    return _normal_netloc(parts.scheme, parts.netloc) == _normal_netloc(scheme_default, host.strip())


def content_type_refusal(scope: dict[str, Any]) -> dict[str, Any] | None:
    kind = media_type(scope)
    if is_upload(scope):
        return None
    upload_route = scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == UPLOAD_PATH
    if kind is None:
        if not _has_body(scope):
            return None
        wanted = "application/json (or multipart/form-data with a 'file')" if upload_route else "application/json"
        return problem(
            415,
            f"the request has a body but no Content-Type; send {wanted}",
            [{"field": "content-type", "message": f"must be {wanted}"}],
        )
    if kind in JSON_TYPES:
        return None
    wanted = "application/json, or multipart/form-data with a 'file'" if upload_route else "application/json"
    return problem(
        415,
        f"the body is {kind or 'an empty Content-Type'!s}; this route takes {wanted}",
        [{"field": "content-type", "message": f"must be {wanted}, not {kind!r}"}],
    )


def _has_body(scope: dict[str, Any]) -> bool:
    length = header(scope, b"content-length")
    if length is not None:
        try:
            return int(length) > 0
        except ValueError:
            return True
    return header(scope, b"transfer-encoding") is not None


def _under_api(scope: dict[str, Any]) -> bool:
    path = scope.get("path", "")
    return path == "/api" or path.startswith("/api/")
