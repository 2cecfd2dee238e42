"""The WebSocket under stress and abuse: clients that never read, cross-site pages,
floods of clock ticks, heavy batches, bad ids, and Things the audio thread removed."""

from __future__ import annotations

import asyncio
import base64
import json
import math
import os
import signal
import socket
import time
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import websockets

from mixdeck.engine.channel import Event
from mixdeck.service.ws import hub as hub_module
from mixdeck.service.ws.endpoint import origin_allowed
from mixdeck.service.ws.hub import Client, Hub
from mixdeck.service.ws.rpc import MAX_BATCH, Dispatcher
from tests.service.support import wait_until
from tests.service.test_cli import serve
from tests.service.test_ws import Rpc, run

# -- a raw WebSocket client that can stop reading -------------------------------------


def raw_websocket(port: int, rcvbuf: int = 4096, origin: str | None = None) -> socket.socket:
    """A handshaken WebSocket on a plain socket with a tiny receive buffer; the caller never reads."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(10)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    extra = f"Origin: {origin}\r\n" if origin else ""
    sock.sendall(
        f"GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n".encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        assert chunk, head
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


def text_frame(text: str) -> bytes:
    data = text.encode()
    mask = os.urandom(4)
    n = len(data)
    if n < 126:
        head = bytes([0x81, 0x80 | n])
    elif n < 65536:
        head = bytes([0x81, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x81, 0x80 | 127]) + n.to_bytes(8, "big")
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


STATE_BATCH = json.dumps([{"jsonrpc": "2.0", "id": i, "method": "engine.state"} for i in range(MAX_BATCH)])


def flood(sock: socket.socket, batches: int) -> int:
    """Send batches without reading; stops early when the server stops reading or closes. Returns batches sent."""
    frame = text_frame(STATE_BATCH)
    sock.setblocking(False)
    sent = 0
    for _ in range(batches):
        try:
            sock.sendall(frame)
        except (BlockingIOError, BrokenPipeError, ConnectionResetError):
            break
        sent += 1
        time.sleep(0.01)
    return sent


def health_ok(url: str) -> bool:
    return httpx.get(url + "/api/health", timeout=10).json()["status"] == "ok"


def ws_clients(url: str) -> int:
    return httpx.get(url + "/api/state", timeout=10).json()["engine"]["clients"]


# -- 1. a client that never reads -----------------------------------------------------


def test_a_client_that_never_reads_and_leaves_is_forgotten(server):
    hub = server.app.state.hub
    sock = raw_websocket(server.port)
    wait_until(lambda: len(hub.clients) == 1)
    assert flood(sock, 100) > 64  # more than the old 64-response limit
    assert health_ok(server.url)
    sock.close()
    wait_until(lambda: not hub.clients)
    assert ws_clients(server.url) == 0
    assert health_ok(server.url)


def test_a_client_over_its_outbox_cap_is_closed_while_still_connected(make_server, monkeypatch):
    monkeypatch.setattr(hub_module, "MAX_OUTBOX_BYTES", 256 * 1024)
    running = make_server()
    hub = running.app.state.hub
    sock = raw_websocket(running.port)
    try:
        wait_until(lambda: len(hub.clients) == 1)
        flood(sock, 200)
        wait_until(lambda: not hub.clients)  # dropped by the server, though the socket is open
        assert ws_clients(running.url) == 0 and health_ok(running.url)
    finally:
        sock.close()


def test_outbox_bytes_are_capped_and_a_dead_writer_frees_the_reader():
    async def scenario():
        async def send(_text):
            raise ConnectionResetError("peer went away")

        client = Client(send, max_bytes=1000)
        assert client.reply("x" * 5000)  # one large response alone is allowed
        assert not client.reply("y" * 10)  # more waiting over the cap closes the client
        assert client.closed and client.close_code == 1008 and client.pending_bytes == 0

        dead = Client(send)
        writer = asyncio.create_task(dead.write_forever())
        assert dead.reply("first")
        with pytest.raises(ConnectionResetError):
            await writer
        assert dead.closed and not dead.reply("second")  # never waits on a writer that is gone

    run(scenario())


def test_a_sigterm_ends_the_server_after_a_client_that_never_read_has_left(tmp_path):
    process, url = serve(tmp_path, "--output", "null")
    try:
        sound = httpx.get(url + "/api/sounds").json()[0]["id"]
        for _ in range(20):
            httpx.post(f"{url}/api/sounds/{sound}/play", json={"loop": True, "volume": -40})
        port = int(url.rsplit(":", 1)[1])
        stuck, idle = raw_websocket(port), raw_websocket(port)
        assert flood(stuck, 100) > 64
        stuck.close()
        wait_until(lambda: ws_clients(url) == 1)
        assert health_ok(url)
        process.send_signal(signal.SIGTERM)  # `idle` is still connected
        assert process.wait(timeout=30) == 0
        idle.close()
        assert "fading out the mix" in (tmp_path / "serve.log").read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# -- 2. cross-site WebSocket hijacking ------------------------------------------------


def test_a_handshake_from_another_sites_page_is_refused(server):
    async def connect(origin):
        kwargs = {"origin": origin} if origin else {}
        async with websockets.connect(server.ws_url, **kwargs) as ws:
            return await Rpc(ws).call("engine.health")

    async def scenario():
        for origin in (None, f"http://127.0.0.1:{server.port}", f"https://127.0.0.1:{server.port}"):
            assert (await connect(origin))["status"] == "ok"
        for origin in ("http://evil.example", f"http://evil.example:{server.port}",
                       "http://127.0.0.1:1", "null", "file://"):  # fmt: skip
            with pytest.raises(websockets.InvalidStatus) as refused:
                await connect(origin)
            assert refused.value.response.status_code == 403
            assert json.loads(refused.value.response.body)["status"] == 403

    run(scenario())
    assert not server.app.state.hub.clients


def test_allowed_origins_let_other_pages_in(make_server):
    running = make_server(allowed_origins="https://panel.example:8443, http://other.example")

    async def connect(origin):
        async with websockets.connect(running.ws_url, origin=origin) as ws:
            return await Rpc(ws).call("engine.health")

    async def scenario():
        assert (await connect("https://panel.example:8443"))["status"] == "ok"
        assert (await connect("http://other.example"))["status"] == "ok"
        with pytest.raises(websockets.InvalidStatus):
            await connect("https://panel.example")  # another port is another origin

    run(scenario())


@pytest.mark.parametrize(
    ("origin", "host", "ok"),
    [
        ("http://localhost:8000", "localhost:8000", True),
        ("http://LOCALHOST:8000", "localhost:8000", True),
        ("http://[::1]:8000", "[::1]:8000", True),
        ("http://mixdeck.local", "mixdeck.local", True),
        ("http://mixdeck.local:80", "mixdeck.local", True),
        ("https://mixdeck.local", "mixdeck.local:443", True),
        ("http://mixdeck.local:8000", "mixdeck.local", False),
        ("http://localhost:8001", "localhost:8000", False),
        ("ws://localhost:8000", "localhost:8000", False),
        ("http://user@localhost:8000", "localhost:8000", False),
        ("http://localhost:8000", "", False),
    ],
)
def test_own_origin_is_same_host_and_port(origin, host, ok):
    assert origin_allowed({"origin": origin, "host": host}) is ok


# -- 3. event-loop work --------------------------------------------------------------


class FakeManager:
    def __init__(self, events):
        self.events = events
        self.monitor = None
        self.output_info = {}

    def pop_events(self):
        events, self.events = self.events, []
        return events


def fake_runtime(events=()):
    from mixdeck.service.runtime import Runtime
    from mixdeck.service.settings import ServiceSettings

    return Runtime(ServiceSettings(output="offline"), FakeManager(list(events)))


def key(kind, index, generation=1):
    from mixdeck.engine.arena import Key

    return Key(kind, index, generation)


def test_clock_ticks_are_merged_per_clock_with_a_count():
    a, b = key("clock", 0), key("clock", 1)
    events = [Event("clock_tick", a if i % 2 else b, {"ticks": 1 + i // 2, "frame": i}) for i in range(1000)]
    events.insert(10, Event("sound_finished", key("sound", 3)))
    rt = fake_runtime(events)
    out = rt.take_events()
    ticks = {e["clock"]: e for e in out if e["type"] == "clock_tick"}
    assert ticks == {
        "clock-0-1": {"type": "clock_tick", "clock": "clock-0-1", "ticks": 500, "count": 500},
        "clock-1-1": {"type": "clock_tick", "clock": "clock-1-1", "ticks": 500, "count": 500},
    }
    assert {"type": "voice_finished", "voice": "voice-3-1"} in out and len(out) == 3
    # The engine reports a bounded number of ticks per block: the count is the ticks that
    # passed since the last notification, not the events that happened to be reported.
    rt.manager.events = [Event("clock_tick", a, {"ticks": t, "frame": 0}) for t in (510, 520, 530)]
    assert rt.take_events() == [{"type": "clock_tick", "clock": "clock-0-1", "ticks": 530, "count": 30}]
    rt.manager.events = [Event("clock_tick", a, {"ticks": t, "frame": 0}) for t in (0, 1, 2)]  # stopped, restarted
    assert rt.take_events()[0]["count"] == 3


def test_a_fast_clock_sends_few_tick_notifications_covering_every_tick(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            await rpc.call("subscribe", {"topics": ["clocks"]})
            clock = await rpc.call("clocks.add", {"speed": {"ticks_per_second": 10000}, "start": True})
            notes: list[Any] = []
            while sum(n["count"] for n in notes) < 5000:
                note = await rpc.note(lambda n: n["method"] == "event" and n["params"].get("clock") == clock["id"])
                notes.append(note["params"])
            await rpc.call("clocks.remove", {"id": clock["id"]})
            return notes

    notes = run(scenario())
    # 5000 ticks in far fewer messages; each carries the latest tick and the ticks since the last.
    assert len(notes) < 1000 and max(n["count"] for n in notes) > 1
    assert all(y["count"] == y["ticks"] - x["ticks"] > 0 for x, y in zip(notes, notes[1:]))


def test_each_notification_is_encoded_once_for_all_subscribers():
    rt = fake_runtime([Event("clock_tick", key("clock", 0), {"ticks": 1, "frame": 0})])
    hub = Hub(rt)
    one, two = Client(lambda _t: None), Client(lambda _t: None)
    hub.clients.update((one, two))
    hub.subscribe(one, ["clocks"])
    hub.subscribe(two, ["clocks"])
    assert one._state["clocks"] is two._state["clocks"]
    hub.tick()
    assert one._events[0] is two._events[0]
    assert json.loads(one._events[0])["params"] == {"type": "clock_tick", "clock": "clock-0-1", "ticks": 1, "count": 1}


def test_a_batch_lets_the_event_loop_run_between_its_items():
    rt = fake_runtime()
    dispatcher = Dispatcher(rt, Hub(rt), Client(lambda _t: None))

    async def scenario():
        turns = 0

        async def other():
            nonlocal turns
            while True:
                turns += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(other())
        await asyncio.sleep(0)
        before = turns
        batch = [{"jsonrpc": "2.0", "id": i, "method": "engine.health"} for i in range(MAX_BATCH)]
        reply = json.loads(await dispatcher.handle_text(json.dumps(batch)))
        task.cancel()
        assert [r["id"] for r in reply] == list(range(MAX_BATCH))
        assert turns - before >= MAX_BATCH - 1

        too_many = json.loads(await dispatcher.handle_text(json.dumps(batch + batch[:1])))
        assert too_many["id"] is None and too_many["error"]["code"] == -32600
        assert too_many["error"]["data"]["status"] == 400 and str(MAX_BATCH) in too_many["error"]["message"]

    run(scenario())


def test_waveforms_are_computed_once_and_forgotten_with_their_sound(server, tmp_path):
    from tests.service.support import write_wav

    with server.http() as http:
        with open(write_wav(tmp_path / "w.wav"), "rb") as f:
            sound = http.post("/api/sounds", files={"file": ("w.wav", f, "audio/wav")}).json()["id"]
    rt = server.runtime

    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            first = await rpc.call("sounds.waveform", {"id": sound, "points": 64})
            cached = rt.cached_waveform(sound, 64)
            assert cached is not None and cached.model_dump(mode="json") == first
            assert await rpc.call("sounds.waveform", {"id": sound, "points": 64}) == first
            too_many = await rpc.call("sounds.waveform", {"id": sound, "points": 10**9}, raw=True)
            assert too_many["error"]["code"] == -32602
            await rpc.call("sounds.delete", {"id": sound})
            assert rt.cached_waveform(sound, 64) is None

    run(scenario())


# -- 4. unsubscribe drops what is queued ----------------------------------------------


def test_unsubscribe_drops_frames_already_queued_for_the_topic():
    hub = Hub(fake_runtime())
    client = Client(lambda _t: None)
    client.topics.update({"voices", "monitor", "engine"})
    client.offer_state("voices", {"voices": []})
    client.offer_state("engine", {"clients": 1})
    client.offer_monitor({"data": "AAAA"})
    assert hub.unsubscribe(client, ["voices", "monitor"]) == ["engine"]
    assert list(client._state) == ["engine"] and not client._monitor
    assert client.pending_bytes == len(client._state["engine"]) + hub_module._OVERHEAD


# -- 5. Things the audio thread removed after an exception ----------------------------


def test_a_clock_or_modulator_that_raised_on_the_audio_thread_is_gone(make_server):
    # The offline output keeps the Backend in this process, where the test can break its Things.
    server = make_server(output="offline")
    manager = server.runtime.manager
    backend = manager._engine.backend

    def explode(*_args, **_kwargs):
        raise RuntimeError("broken on purpose")

    with server.http() as http:
        clock = http.post("/api/clocks", json={"speed": {"ticks_per_second": 4}, "start": True}).json()
        lfo = http.post("/api/modulators", json={"type": "lfo", "frequency": 2, "amplitude": 1}).json()
        assert http.get(f"/api/clocks/{clock['id']}").status_code == 200
        manager.render(512)
        assert len(backend.clocks) and len(backend.modulators)
        for thing in list(backend.clocks) + list(backend.modulators):
            thing.process = explode
        manager.render(512)
        wait_until(lambda: http.get(f"/api/clocks/{clock['id']}").status_code == 404)
        wait_until(lambda: http.get(f"/api/modulators/{lfo['id']}").status_code == 404)
        assert clock["id"] not in server.runtime.clocks and lfo["id"] not in server.runtime.modulators


def test_an_error_event_for_a_clock_removes_it_and_names_it_by_its_api_id():
    removed = []
    handle = SimpleNamespace(remove=lambda: removed.append(True))
    from mixdeck.service.runtime import ClockEntry

    rt = fake_runtime([Event("error", key("clock", 2, 5), {"message": "RuntimeError: boom"})])
    rt.clocks["clock-2-5"] = ClockEntry("clock-2-5", handle, {"ticks_per_second": 1.0})
    rt.clocks["clock-3-1"] = ClockEntry("clock-3-1", handle, {"ticks_per_second": 1.0})
    [event] = rt.take_events()
    assert event == {"type": "error", "message": "RuntimeError: boom", "thing": "clock-2-5"}
    assert list(rt.clocks) == ["clock-3-1"] and removed == [True]


# -- 6. JSON-RPC edge cases -----------------------------------------------------------


def strict_json(text):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_non_finite_ids_and_protocol_errors_carry_a_problem(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:

            async def ask(text):
                await ws.send(text)
                return strict_json(await asyncio.wait_for(ws.recv(), 10))

            for bad in ("NaN", "Infinity", "-Infinity"):
                reply = await ask(f'{{"jsonrpc": "2.0", "id": {bad}, "method": "engine.health"}}')
                assert reply["id"] is None and reply["error"]["code"] == -32600
                assert reply["error"]["data"]["errors"][0]["field"] == "id"
            cases = {
                "{oops": (-32700, 400),
                "[]": (-32600, 400),
                '{"jsonrpc": "1.0", "id": 1, "method": "engine.health"}': (-32600, 400),
                '{"jsonrpc": "2.0", "id": 1, "method": "engine.health", "params": [1]}': (-32602, 422),
                '{"jsonrpc": "2.0", "id": 1, "method": "no.such"}': (-32601, 404),
            }
            for text, (code, status) in cases.items():
                error = (await ask(text))["error"]
                assert error["code"] == code, text
                data = error["data"]
                assert data["status"] == status and data["detail"] and isinstance(data["errors"], list), text
            reply = await ask('{"jsonrpc": "2.0", "id": 1.5, "method": "engine.health"}')
            assert reply["id"] == 1.5 and math.isfinite(reply["id"]) and "result" in reply

    run(scenario())
