"""The WebSocket JSON-RPC API and its notifications, over a real server on the null output."""

from __future__ import annotations

import asyncio
import base64
import json

import websockets

from mixdeck.service.ws.hub import MAX_PENDING_MONITOR, Client
from tests.service.support import Rpc, run


def test_responses_echo_ids_and_batches_answer_with_arrays(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": "abc", "method": "engine.health"}))
            reply = json.loads(await ws.recv())
            assert reply["id"] == "abc" and reply["result"]["status"] == "ok"
            batch = [
                {"jsonrpc": "2.0", "id": 1, "method": "sounds.list"},
                {"jsonrpc": "2.0", "method": "main_track.get"},  # a notification: no response
                {"jsonrpc": "2.0", "id": 2, "method": "no.such.method"},
                {"jsonrpc": "2.0", "id": 3, "method": "voices.get", "params": {"id": "voice-9-9"}},
                {"jsonrpc": "2.0", "id": 4, "method": "main_track.set", "params": {"volume": "NaN"}},
                {"id": 5, "method": "engine.state"},
            ]
            await ws.send(json.dumps(batch))
            replies = {r["id"]: r for r in json.loads(await ws.recv())}
            assert set(replies) == {1, 2, 3, 4, 5}
            assert isinstance(replies[1]["result"], list) and replies[1]["result"]
            assert replies[2]["error"]["code"] == -32601
            assert replies[3]["error"]["data"]["status"] == 404 and "voice-9-9" in replies[3]["error"]["message"]
            assert replies[4]["error"]["code"] == -32602
            assert replies[4]["error"]["data"]["errors"][0]["field"] == "volume"
            assert replies[5]["error"]["code"] == -32600
            await ws.send("{not json")
            assert json.loads(await ws.recv())["error"]["code"] == -32700
            await ws.send("[]")
            assert json.loads(await ws.recv())["error"]["code"] == -32600

    run(scenario())


def test_play_and_stop_show_up_as_voice_notifications_and_a_finished_event(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            assert await rpc.call("subscribe", {"topics": ["voices"]}) == {"topics": ["voices"]}
            first = await rpc.note(lambda n: n["method"] == "voices")
            assert isinstance(first["params"]["voices"], list)
            sound = (await rpc.call("sounds.list"))[0]["id"]
            voice = await rpc.call("sounds.play", {"id": sound, "volume": -20, "loop": True})
            await rpc.note(
                lambda n: n["method"] == "voices" and voice["id"] in [v["id"] for v in n["params"]["voices"]]
            )
            await rpc.call("voices.set", {"id": voice["id"], "panning": -0.5})
            await rpc.note(
                lambda n: (
                    n["method"] == "voices"
                    and any(v["id"] == voice["id"] and v["panning"] == -0.5 for v in n["params"]["voices"])
                )
            )
            await rpc.call("voices.stop", {"id": voice["id"], "tween": {"duration": 0.01}})
            event = await rpc.note(lambda n: n["method"] == "event")
            assert event["params"] == {"type": "voice_finished", "voice": voice["id"]}
            error = await rpc.call("voices.get", {"id": voice["id"]}, raw=True)
            assert error["error"]["data"]["status"] == 404

    run(scenario())


def test_clock_ticks_arrive_as_events(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            await rpc.call("subscribe", {"topics": ["clocks"]})
            clock = await rpc.call("clocks.add", {"speed": {"ticks_per_second": 40}, "start": True})
            tick = await rpc.note(lambda n: n["method"] == "event" and n["params"].get("clock") == clock["id"])
            assert tick["params"]["type"] == "clock_tick" and tick["params"]["ticks"] >= 0
            await rpc.call("clocks.remove", {"id": clock["id"]})

    run(scenario())


def test_meters_engine_and_monitor_topics(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            await rpc.call("subscribe", {"topics": ["meters", "engine", "monitor"]})
            engine = await rpc.note(lambda n: n["method"] == "engine")
            assert engine["params"]["output"] == "null" and engine["params"]["clients"] >= 1
            sounds = {s["name"]: s["id"] for s in await rpc.call("sounds.list")}
            voice = await rpc.call("sounds.play", {"id": sounds["noise.wav"], "loop": True})
            await rpc.note(lambda n: n["method"] == "meters" and n["params"]["peak"][0] > 0.01)
            pcm = await rpc.note(lambda n: n["method"] == "monitor" and any(base64.b64decode(n["params"]["data"])))
            params = pcm["params"]
            assert params["format"] == "s16le" and params["channels"] == 2 and params["sample_rate"] == 48000
            assert len(base64.b64decode(params["data"])) == int(0.05 * 48000) * 2 * 2
            await rpc.call("voices.stop", {"id": voice["id"]})
            assert await rpc.call("unsubscribe", {"topics": ["monitor", "meters"]}) == {"topics": ["engine"]}

    run(scenario())


def test_unknown_topic_is_invalid_params_naming_topics(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            reply = await Rpc(ws).call("subscribe", {"topics": ["weather"]}, raw=True)
            assert reply["error"]["code"] == -32602 and reply["error"]["data"]["errors"][0]["field"] == "topics"

    run(scenario())


def test_a_client_that_never_reads_does_not_hold_up_another(server):
    async def scenario():
        async with (
            websockets.connect(server.ws_url, max_queue=1, close_timeout=0.2) as stuck,
            websockets.connect(server.ws_url) as ws,
        ):
            await stuck.send(
                json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "id": 1,
                        "method": "subscribe",
                        "params": {"topics": ["voices", "meters", "engine", "monitor"]},
                    }
                )
            )
            rpc = Rpc(ws)
            sound = (await rpc.call("sounds.list"))[0]["id"]
            for _ in range(20):
                voice = await rpc.call("sounds.play", {"id": sound, "volume": -40})
                await rpc.call("voices.stop", {"id": voice["id"]})
                await asyncio.sleep(0.02)
            assert (await rpc.call("engine.health"))["status"] == "ok"
            hub = server.app.state.hub
            for client in hub.clients:
                assert len(client._state) <= len(client.topics)
                assert len(client._monitor) <= MAX_PENDING_MONITOR

    run(scenario())


def test_an_outbox_keeps_only_the_latest_state_per_topic():
    async def scenario():
        sent = []

        async def send(text):
            sent.append(text)

        client = Client(send)
        for i in range(100):
            client.offer_state("voices", {"n": i})
        client.offer_event({"type": "clock_tick"})
        writer = asyncio.create_task(client.write_forever())
        await asyncio.sleep(0.01)
        writer.cancel()
        assert [json.loads(t)["params"] for t in sent] == [{"type": "clock_tick"}, {"n": 99}]
        assert client.skipped == 99

    run(scenario())


def test_rest_and_websocket_answer_the_same_shapes(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            return await Rpc(ws).call("sounds.list")

    with server.http() as http:
        assert run(scenario()) == http.get("/api/sounds").json()
