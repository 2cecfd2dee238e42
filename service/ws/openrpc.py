"""`rpc.discover`: the WebSocket API as an OpenRPC document, built from the same models as the REST schema.

Each method's params are the fields of the pydantic model the dispatcher
validates with (params go by name), its result the return type of the
operation it calls, and its errors the problem codes of `errors.rpc_code`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter

from ..cli import package_version
from ..models.engine import NoParams, Subscribe
from ..models.problem import Problem

REF = "#/components/schemas/{model}"
OPENRPC_VERSION = "1.3.2"

# The codes a method can answer besides its result; each carries a Problem in `data`.
ERRORS = [
    {"code": -32700, "message": "parse error: the message is not JSON"},
    {"code": -32600, "message": "invalid request"},
    {"code": -32601, "message": "method not found"},
    {"code": -32602, "message": "invalid params (the REST 422); data.errors names each field"},
    {"code": -32404, "message": "an unknown or stale id (the REST 404)"},
    {"code": -32409, "message": "the engine is full or refused (the REST 409)"},
    {"code": -32413, "message": "too large (the REST 413)"},
    {"code": -32415, "message": "not audio (the REST 415)"},
    {"code": -32503, "message": "the command queue is full; retry after data.retry_after seconds (the REST 503)"},
    {"code": -32507, "message": "the sound library is full (the REST 507)"},
]


def _schema(kind: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of `kind`, its models moved to `defs` and referred to, as in the REST schema."""
    adapter = kind if isinstance(kind, TypeAdapter) else TypeAdapter(kind)
    schema = adapter.json_schema(ref_template=REF)
    defs.update(schema.pop("$defs", {}))
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        defs[kind.__name__] = schema
        return {"$ref": REF.format(model=kind.__name__)}
    return schema


def _params(kind: Any, defs: dict[str, Any]) -> list[dict[str, Any]]:
    """One content descriptor per field; a union of models (modulators.add) lists each field once."""
    schema = _schema(kind, defs)
    members = [schema]
    if "$ref" in schema:
        members = [defs[schema["$ref"].rsplit("/", 1)[-1]]]
    elif "oneOf" in schema or "anyOf" in schema:
        members = [defs[m["$ref"].rsplit("/", 1)[-1]] for m in schema.get("oneOf", schema.get("anyOf", []))]
    fields: dict[str, list[dict[str, Any]]] = {}
    required: list[set[str]] = []
    for member in members:
        required.append(set(member.get("required", [])))
        for name, sub in member.get("properties", {}).items():
            fields.setdefault(name, []).append(sub)
    out = []
    for name, subs in fields.items():
        unique = [s for i, s in enumerate(subs) if s not in subs[:i]]
        needed = all(name in r for r in required)
        out.append({"name": name, "required": needed, "schema": unique[0] if len(unique) == 1 else {"oneOf": unique}})
    return out


def _describe(name: str, method: Any, defs: dict[str, Any]) -> dict[str, Any]:
    fn = method.operation or method.call
    summary = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else name
    result = method.result
    return {
        "name": name,
        "summary": summary,
        "paramStructure": "by-name",
        "params": [] if method.params is NoParams else _params(method.params, defs),
        "result": {
            "name": "result",
            "schema": {"type": "null"} if result in (None, type(None)) else _schema(result, defs),
        },
        "errors": ERRORS,
    }


def document(methods: Mapping[str, Any]) -> dict[str, Any]:
    """The OpenRPC document for `methods`, plus subscribe, unsubscribe and rpc.discover."""
    defs: dict[str, Any] = {}
    described = [_describe(name, method, defs) for name, method in methods.items()]
    topics = _params(Subscribe, defs)
    topic_result = {
        "name": "result",
        "schema": {"type": "object", "properties": {"topics": {"type": "array", "items": {"type": "string"}}}},
    }
    described += [
        {"name": "subscribe", "summary": "Get notifications for these topics.", "paramStructure": "by-name",
         "params": topics, "result": topic_result, "errors": ERRORS},
        {"name": "unsubscribe", "summary": "Stop the notifications of these topics.", "paramStructure": "by-name",
         "params": topics, "result": topic_result, "errors": ERRORS},
        {"name": "rpc.discover", "summary": "This document.", "params": [],
         "result": {"name": "OpenRPC document", "schema": {"type": "object"}}},
    ]  # fmt: skip
    _schema(Problem, defs)
    return {
        "openrpc": OPENRPC_VERSION,
        "info": {
            "title": "mixdeck WebSocket API",
            "version": package_version(),
            "description": "JSON-RPC 2.0 on /api/ws. Every method has a REST route of the same meaning; "
            "errors carry an RFC 9457 problem in `data`.",
        },
        "methods": described,
        "components": {"schemas": defs},
    }
