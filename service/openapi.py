"""The OpenAPI schema as a contract: every problem a route can answer, as `application/problem+json`.

FastAPI writes the schema from the routes; this module finishes it in one
place:

- the problem responses a route declares (`rest.deps.problems`) are moved to
  `application/problem+json`, the media type the service really answers with;
- the problems every route shares are added from what the guards do: 400 for
  a Host not served (every route), 401 when a token is set, 403 for a
  cross-site state change, and 413, 415 and 422 where a body is taken;
- with a token, the bearer scheme is declared and required everywhere;
- the docs pages (`/docs`, `/redoc`) load their scripts from this server.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from .errors import PROBLEM_JSON
from .models.sounds import AddSoundFromPath
from .rest.deps import PROBLEM_STATUSES
from .settings import ServiceSettings

PROBLEM_REF = "#/components/schemas/Problem"
UNSAFE = {"post", "put", "patch", "delete"}
DOCS_ASSETS = "/docs-assets"
BEARER = "bearerAuth"
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
# The docs pages may load nothing from elsewhere (ReDoc would fetch its logo from a CDN).
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; font-src 'self' data:"
)
# What an operation that makes a Thing leads to: the operations on the Thing, by the id in its answer
# (and, for a Thing inside another, the outer one's id from the request's path).
MADE = {"id": "$response.body#/id"}
INSIDE = {"id": "$request.path.id", "effect": "$response.body#/id"}
LINKS: dict[tuple[str, str], tuple[str, dict[str, str]]] = {
    ("/api/sounds", "post"): ("/api/sounds/{id}", MADE),
    ("/api/sounds/{id}/play", "post"): ("/api/voices/{id}", MADE),
    ("/api/tracks", "post"): ("/api/tracks/{id}", MADE),
    ("/api/sends", "post"): ("/api/sends/{id}", MADE),
    ("/api/tracks/{id}/effects", "post"): ("/api/tracks/{id}/effects/{effect}", INSIDE),
    ("/api/sends/{id}/effects", "post"): ("/api/sends/{id}/effects/{effect}", INSIDE),
    ("/api/clocks", "post"): ("/api/clocks/{id}", MADE),
    ("/api/modulators", "post"): ("/api/modulators/{id}", MADE),
    ("/api/listeners", "post"): ("/api/listeners/{id}", MADE),
    ("/api/spatial-tracks", "post"): ("/api/spatial-tracks/{id}", MADE),
}


def operation_id(route: APIRoute) -> str:
    """`sounds_play` for the route named after the WebSocket method `sounds.play`."""
    return route.name.replace(".", "_")


def _problem(status: int) -> dict[str, Any]:
    return {"description": PROBLEM_STATUSES[status], "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}}}


def finish(schema: dict[str, Any], settings: ServiceSettings) -> dict[str, Any]:
    """Complete FastAPI's schema in place (see the module's docstring); returns it."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["AddSoundFromPath"] = AddSoundFromPath.model_json_schema(ref_template="#/components/schemas/{model}")
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if method not in UNSAFE and method != "get":
                continue
            # The summary is the WebSocket method of the same meaning: sounds_play is sounds.play.
            head, _, verb = op["operationId"].rpartition("_")
            op["summary"] = f"{head}.{verb}"
            responses = op.setdefault("responses", {})
            default_422 = responses.pop("422", None)
            if default_422 is not None and "HTTPValidationError" not in json.dumps(default_422):
                responses["422"] = default_422  # declared by the route
            elif default_422 is not None and any(p.get("in") == "query" for p in op.get("parameters", [])):
                responses["422"] = _problem(422)  # FastAPI's, for a query value; a string path id cannot fail
            for status, answer in responses.items():
                content = answer.get("content", {})
                if status.isdigit() and int(status) >= 400 and "application/json" in content:
                    answer["content"] = {PROBLEM_JSON: content.pop("application/json")}
            shared = [400]
            if settings.token and path.startswith("/api"):
                shared.append(401)
            if method in UNSAFE:
                shared.append(403)
            if "requestBody" in op:
                shared += [413, 415, 422]
            for status in shared:
                responses.setdefault(str(status), _problem(status))
            op["responses"] = dict(sorted(responses.items()))
    _add_links(schema)
    # FastAPI's own error shape is never answered: every error is a Problem.
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    if settings.token:
        schema["components"]["securitySchemes"] = {
            BEARER: {"type": "http", "scheme": "bearer", "description": "The service's token (MIXDECK_TOKEN)."}
        }
        schema["security"] = [{BEARER: []}]
    return schema


def _add_links(schema: dict[str, Any]) -> None:
    """OpenAPI links from each operation that makes a Thing to those on it, so clients (and fuzzers) can follow."""
    paths = schema.get("paths", {})
    for (source, method), (prefix, parameters) in LINKS.items():
        made = paths.get(source, {}).get(method, {}).get("responses", {}).get("201")
        if made is None:
            continue
        links = made.setdefault("links", {})
        for path, item in paths.items():
            if path != prefix and not path.startswith(prefix + "/"):
                continue
            if not set(re.findall(r"{(\w+)}", path)) <= set(parameters):
                continue  # a Thing inside this one, whose own id this answer does not give
            for target_method, op in item.items():
                links[op["operationId"]] = {
                    "operationId": op["operationId"],
                    "parameters": dict(parameters),
                    "description": f"{target_method.upper()} {path} on what this made.",
                }


def install(app: FastAPI, settings: ServiceSettings) -> None:
    """Serve the finished schema, and with no token the docs pages, whose assets ship with the service."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
                # One model per name (no 'Tween-Input' and 'Tween-Output'), as clients name their classes.
                separate_input_output_schemas=False,
            )
            app.openapi_schema = finish(schema, settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    if settings.token:
        return  # a browser opening the pages could not send the token
    assets = resources.files("fastapi_offline") / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return _confined(
            get_swagger_ui_html(
                openapi_url="/openapi.json",
                title=f"{app.title} API",
                swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                swagger_favicon_url="/favicon.svg",
                # The default would send the schema to an online validator for a badge.
                swagger_ui_parameters={"validatorUrl": None},
            )
        )

    @functools.cache
    def redoc_script() -> bytes:
        # ReDoc's side menu shows a logo it fetches from a CDN; ours is served here.
        text = (assets / "redoc.standalone.js").read_text(encoding="utf-8")
        return text.replace(REDOC_LOGO, "/favicon.svg").encode()

    @app.get("/docs-redoc.js", include_in_schema=False)
    async def redoc_js() -> Response:
        return Response(redoc_script(), media_type="text/javascript")

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _confined(
            get_redoc_html(
                openapi_url="/openapi.json",
                title=f"{app.title} API",
                redoc_js_url="/docs-redoc.js",
                redoc_favicon_url="/favicon.svg",
                with_google_fonts=False,
            )
        )


def _confined(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = DOCS_POLICY
    return page
