"""The audio process under a running service: killed, it is reported and replaced, and the service plays on."""

from __future__ import annotations

import asyncio
import json
import os
import signal

import websockets

from tests.service.support import wait_until
from tests.service.test_ws import Rpc


def audio_process(http) -> dict:
    return http.get("/api/health").json()["output"]["audio_process"]


def test_a_killed_audio_process_is_reported_and_the_service_plays_again(make_server):
    server = make_server()
    with server.http() as http:
        sound = http.get("/api/sounds").json()[0]["id"]
        clock = http.post("/api/clocks", json={"speed": {"ticks_per_second": 20}, "start": True}).json()
        http.patch("/api/main-track", json={"volume": -3.0})
        voice = http.post(f"/api/sounds/{sound}/play", json={"loop": True, "volume": -20}).json()
        wait_until(lambda: http.get(f"/api/voices/{voice['id']}").json()["position"] > 0)
        before = audio_process(http)
        assert before["restarts"] == 0 and before["pid"] > 0

        async def watch_and_kill() -> list[dict]:
            async with websockets.connect(server.ws_url) as ws:
                rpc = Rpc(ws)
                await rpc.call("subscribe", {"topics": ["voices", "engine"]})
                os.kill(before["pid"], signal.SIGKILL)
                seen: dict[str, dict] = {}
                while len(seen) < 2:
                    message = json.loads(await ws.recv())
                    if message.get("method") == "event":
                        event = message["params"]
                        if event["type"] == "audio_process_restarted" or event.get("voice") == voice["id"]:
                            seen[event["type"]] = event
                return [seen["audio_process_restarted"], seen["voice_finished"]]

        restarted, finished = asyncio.run(asyncio.wait_for(watch_and_kill(), 40))
        assert restarted["restarts"] == 1 and "exited" in restarted["reason"]
        assert finished == {"type": "voice_finished", "voice": voice["id"], "reason": "audio process restarted"}

        health = http.get("/api/health").json()
        assert health["status"] == "degraded" and "replaced" in health["reason"]
        after = wait_until(lambda: (p := audio_process(http))["pid"] not in (0, before["pid"]) and p)
        assert after["restarts"] == 1
        metrics = http.get("/api/metrics").text
        assert "mixdeck_audio_process_restarts_total 1.0" in metrics

        # Playing again: a new voice moves; the clock and the main track's volume came back.
        again = http.post(f"/api/sounds/{sound}/play", json={"loop": True, "volume": -20}).json()
        wait_until(lambda: http.get(f"/api/voices/{again['id']}").json()["position"] > 0, timeout=15)
        assert http.get(f"/api/voices/{voice['id']}").status_code == 404
        ticks = http.get(f"/api/clocks/{clock['id']}").json()["ticks"]
        wait_until(lambda: http.get(f"/api/clocks/{clock['id']}").json()["ticks"] > ticks)
        assert http.get("/api/main-track").json()["volume"] == -3.0
