"""The API describes itself from its models: rpc.discover for the WebSocket, one table of parameter ranges for all."""

from __future__ import annotations

import asyncio
import json

import websockets

from mixdeck.engine import spec
from mixdeck.service.ws.rpc import METHODS


def rpc(server, method, params=None):
    async def go():
        async with websockets.connect(server.ws_url) as ws:
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}))
            return json.loads(await ws.recv())

    return asyncio.run(asyncio.wait_for(go(), 30))


def test_rpc_discover_answers_an_openrpc_document_of_every_method(server):
    doc = rpc(server, "rpc.discover")["result"]
    assert doc["openrpc"].startswith("1.") and doc["info"]["title"]
    methods = {m["name"]: m for m in doc["methods"]}
    assert set(METHODS) | {"subscribe", "unsubscribe", "rpc.discover"} == set(methods)
    play = methods["sounds.play"]
    params = {p["name"]: p for p in play["params"]}
    assert params["id"]["required"] is True and params["volume"]["required"] is False
    volume = next(s for s in params["volume"]["schema"]["oneOf"] if s.get("type") == "number")
    assert (volume["minimum"], volume["maximum"]) == (spec.VOLUME.low, spec.VOLUME.high)
    assert play["result"]["schema"] == {"$ref": "#/components/schemas/Voice"}
    schemas = doc["components"]["schemas"]
    assert {"Voice", "Clock", "Problem", "ModulatedValue"} <= set(schemas)
    assert "waiting" in schemas["Voice"]["properties"]["state"]["enum"]
    add = {p["name"]: p for p in methods["modulators.add"]["params"]}
    assert add["type"]["required"] is True and "frequency" in add and "value" in add


def test_rest_and_websocket_schemas_take_ranges_from_the_engines_table(server, http):
    schemas = http.get("/openapi.json").json()["components"]["schemas"]
    volume = next(s for s in schemas["PlaySettings"]["properties"]["volume"]["oneOf"] if s.get("type") == "number")
    assert (volume["minimum"], volume["maximum"], volume["x-unit"]) == (spec.VOLUME.low, spec.VOLUME.high, "dB")
    rate = next(s for s in schemas["VoicePatch"]["properties"]["playback_rate"]["anyOf"] if s.get("oneOf"))
    number = next(s for s in rate["oneOf"] if s.get("type") == "number")
    assert number["maximum"] == spec.PLAYBACK_RATE.high
    frequency = schemas["LfoAdd"]["properties"]["frequency"]
    assert (frequency["minimum"], frequency["maximum"]) == (spec.LFO_FREQUENCY.low, spec.LFO_FREQUENCY.high)


def test_the_parameters_route_lists_the_engines_table(http):
    listed = {f"{p['group']}.{p['name']}": p for p in http.get("/api/parameters").json()}
    assert set(listed) == set(spec.SPECS)
    volume = listed["sound.volume"]
    assert (volume["low"], volume["high"], volume["ui_low"], volume["ui_high"]) == (-100.0, 24.0, -60.0, 12.0)
    over = http.post("/api/sounds/drum.wav/play", json={"volume": spec.VOLUME.high + 1})
    assert over.status_code == 422 and over.json()["errors"][0]["field"] == "volume"
    top = http.post("/api/sounds/drum.wav/play", json={"volume": spec.VOLUME.high - 40})
    assert top.status_code == 201


def test_operation_ids_match_the_websocket_methods(http):
    schema = http.get("/openapi.json").json()
    ids = {op["operationId"] for item in schema["paths"].values() for op in item.values()}
    for name in METHODS:
        assert name.replace(".", "_") in ids or name == "sounds.add", name
    assert "sounds_add" in ids and len(ids) == sum(len(item) for item in schema["paths"].values())
    tags = {tag for item in schema["paths"].values() for op in item.values() for tag in op["tags"]}
    assert tags == {
        "engine",
        "sounds",
        "voices",
        "tracks",
        "sends",
        "effects",
        "main track",
        "clocks",
        "modulators",
        "listeners",
        "spatial tracks",
    }


def test_every_error_answer_is_declared_as_a_problem(make_server):
    server = make_server(token="t0k")
    with server.http() as http:
        schema = http.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert schema["security"] == [{"bearerAuth": []}]
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, op in item.items():
            errors = {s: r for s, r in op["responses"].items() if int(s) >= 400}
            assert "401" in errors and "400" in errors, (method, path)
            for answer in errors.values():
                assert answer["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }
