#!/usr/bin/env python3
"""A bounded load test for a running mixdeck service.

N WebSocket clients send commands (play, set, stop) one after another while M
subscribers follow the voices, meters and engine topics, for T seconds. Then
it prints commands per second, response-time percentiles, notifications
received, and the engine's underflows and late blocks during the run (read
from /api/metrics before and after). It always stops by itself: a hard
deadline of T + 20 seconds ends it whatever the server does.

    python scripts/loadtest.py --url http://127.0.0.1:8000 --clients 8 --subscribers 50 --voices 256 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field

try:
    import websockets
except ImportError:  # pragma: no cover - told to the operator
    sys.exit("loadtest needs the 'websockets' package (pip install websockets)")

GRACE_SECONDS = 20.0


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    notifications: int = 0
    notification_bytes: int = 0


def http_get(url: str, token: str | None) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.read()


def engine_counters(base: str, token: str | None) -> dict[str, float]:
    """Underflows, late blocks, blocks rendered and the command latency buckets, from the Prometheus text."""
    wanted = {"mixdeck_underflows_total": "underflows", "mixdeck_late_blocks_total": "late_blocks",
              "mixdeck_callbacks_total": "blocks", "mixdeck_max_load": "max_load"}  # fmt: skip
    found: dict[str, float] = {}
    for line in http_get(base + "/api/metrics", token).decode().splitlines():
        name, _, value = line.partition(" ")
        if name in wanted:
            found[wanted[name]] = float(value)
        elif name.startswith('mixdeck_command_latency_seconds_bucket{le="'):
            edge = name.split('"')[1]
            found["latency<=" + edge] = float(value)
    return found


def latency_percentile(before: dict[str, float], after: dict[str, float], fraction: float) -> float | None:
    """A percentile of the engine's command latency over the run, in seconds, read off its histogram."""
    edges = sorted((float(k[9:]) if k[9:] != "+Inf" else float("inf"), k) for k in after if k.startswith("latency<="))
    counts = [(edge, after[k] - before.get(k, 0.0)) for edge, k in edges]
    total = counts[-1][1] if counts else 0.0
    if total <= 0:
        return None
    wanted = fraction * total
    previous_edge, previous_count = 0.0, 0.0
    for edge, cumulative in counts:
        if cumulative >= wanted:
            if edge == float("inf"):
                return previous_edge
            # Linear within the bucket.
            share = (wanted - previous_count) / max(cumulative - previous_count, 1e-9)
            return previous_edge + share * (edge - previous_edge)
        previous_edge, previous_count = edge, cumulative
    return previous_edge


class Connection:
    """One JSON-RPC connection with request/response matching by id."""

    def __init__(self, ws, tally: Tally) -> None:
        self.ws = ws
        self.tally = tally
        self.next_id = 0

    async def call(self, method: str, params: dict, timeout: float) -> dict | None:
        self.next_id += 1
        req_id = self.next_id
        started = time.perf_counter()
        await self.ws.send(json.dumps({"jsonrpc": "2.0", "id": req_id, "method": method, "params": params}))
        while True:
            reply = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if isinstance(reply, dict) and reply.get("id") == req_id:
                break
        self.tally.latencies.append(time.perf_counter() - started)
        if "error" in reply:
            status = reply["error"].get("data", {}).get("status", reply["error"]["code"])
            key = f"{method}:{status}"
            self.tally.errors[key] = self.tally.errors.get(key, 0) + 1
            return None
        return reply["result"]


async def commander(url: str, headers: dict, sounds: list[str], stop_at: float, tally: Tally, timeout: float) -> None:
    rng = random.Random()
    async with websockets.connect(url, additional_headers=headers, close_timeout=1) as ws:
        rpc = Connection(ws, tally)
        while time.monotonic() < stop_at:
            voice = await rpc.call("sounds.play", {"id": rng.choice(sounds), "volume": -30.0}, timeout)
            if voice is None:
                await asyncio.sleep(0.01)
                continue
            await rpc.call("voices.set", {"id": voice["id"], "panning": rng.uniform(-1, 1),
                                          "volume": rng.uniform(-40, -20), "tween": {"duration": 0.02}}, timeout)  # fmt: skip
            await rpc.call("voices.stop", {"id": voice["id"], "tween": {"duration": 0.01}}, timeout)


async def subscriber(url: str, headers: dict, stop_at: float, tally: Tally) -> None:
    async with websockets.connect(url, additional_headers=headers, close_timeout=1) as ws:
        await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "subscribe",
                                  "params": {"topics": ["voices", "meters", "engine"]}}))  # fmt: skip
        while (remaining := stop_at - time.monotonic()) > 0:
            try:
                message = await asyncio.wait_for(ws.recv(), remaining)
            except asyncio.TimeoutError:
                break
            if '"method"' in message:
                tally.notifications += 1
                tally.notification_bytes += len(message)


async def background(url: str, headers: dict, sounds: list[str], voices: int) -> list[str]:
    """Start ``voices`` quiet looping voices that play through the run."""
    started = []
    async with websockets.connect(url, additional_headers=headers, close_timeout=1) as ws:
        rpc = Connection(ws, Tally())
        for index in range(voices):
            voice = await rpc.call("sounds.play", {"id": sounds[index % len(sounds)], "volume": -40.0, "loop": True,
                                                   "playback_rate": 0.9 + 0.2 * (index % 11) / 10}, 10.0)  # fmt: skip
            if voice is not None:
                started.append(voice["id"])
    return started


async def stop_all(url: str, headers: dict, voices: list[str]) -> None:
    async with websockets.connect(url, additional_headers=headers, close_timeout=1) as ws:
        rpc = Connection(ws, Tally())
        for voice in voices:
            await rpc.call("voices.stop", {"id": voice, "tween": {"duration": 0.01}}, 10.0)


async def run(args: argparse.Namespace) -> Tally:
    base = args.url.rstrip("/")
    ws_url = base.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/api/ws"
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    sounds = [s["id"] for s in json.loads(http_get(base + "/api/sounds", args.token))]
    if not sounds:
        sys.exit("the server has no sounds to play")
    tally = Tally()
    stop_at = time.monotonic() + args.seconds
    tasks = [commander(ws_url, headers, sounds, stop_at, tally, args.timeout) for _ in range(args.clients)]
    tasks += [subscriber(ws_url, headers, stop_at, tally) for _ in range(args.subscribers)]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            key = f"client:{type(result).__name__}"
            tally.errors[key] = tally.errors.get(key, 0) + 1
    return tally


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="service base URL")
    parser.add_argument("--token", default=None, help="bearer token, if the service has one")
    parser.add_argument("--clients", type=int, default=8, help="command-sending WebSocket clients (N)")
    parser.add_argument("--subscribers", type=int, default=4, help="subscribed WebSocket clients (M)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the run (T)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for one response")
    parser.add_argument("--voices", type=int, default=0, help="quiet looping voices kept playing through the run")
    args = parser.parse_args(argv)

    base = args.url.rstrip("/")
    ws_url = base.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/api/ws"
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    try:
        engine_counters(base, args.token)
    except OSError as exc:  # refused, 401, 404: not a mixdeck service we can talk to
        print(f"cannot read {base}/api/metrics: {exc}", file=sys.stderr)
        return 2
    sounds = [s["id"] for s in json.loads(http_get(base + "/api/sounds", args.token))]
    playing = asyncio.run(background(ws_url, headers, sounds, args.voices)) if args.voices else []
    before = engine_counters(base, args.token)
    started = time.monotonic()
    try:
        tally = asyncio.run(asyncio.wait_for(run(args), args.seconds + GRACE_SECONDS))
    except asyncio.TimeoutError:
        print(f"gave up: the run did not finish within {args.seconds + GRACE_SECONDS:.0f} s", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    after = engine_counters(base, args.token)
    if playing:
        asyncio.run(stop_all(ws_url, headers, playing))

    n = len(tally.latencies)
    print(f"clients {args.clients} commanding, {args.subscribers} subscribed, {len(playing)} voices playing "
          f"throughout, {elapsed:.1f} s; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"commands        {n}  ({n / elapsed:.0f} per second)")
    if n:
        print(f"response time   p50 {1000 * statistics.median(tally.latencies):.2f} ms"
              f"  p99 {1000 * percentile(tally.latencies, 0.99):.2f} ms"
              f"  max {1000 * max(tally.latencies):.2f} ms")  # fmt: skip
    print(f"notifications   {tally.notifications}  ({tally.notifications / elapsed:.0f} per second, "
          f"{tally.notification_bytes / elapsed / 1024:.0f} KiB/s)")  # fmt: skip
    print(f"errors          {tally.errors or 'none'}")
    blocks = after.get("blocks", 0) - before.get("blocks", 0)
    late = after.get("late_blocks", 0) - before.get("late_blocks", 0)
    print(f"engine          underflows +{after.get('underflows', 0) - before.get('underflows', 0):.0f}"
          f"  late blocks +{late:.0f} ({100 * late / max(blocks, 1):.2f} %)"
          f"  blocks +{blocks:.0f}"
          f"  max load {after.get('max_load', 0):.2f}")  # fmt: skip
    p50, p99 = latency_percentile(before, after, 0.5), latency_percentile(before, after, 0.99)
    if p50 is not None and p99 is not None:
        print(f"command to applied (send to the start of the block that applies it)  "
              f"p50 {1000 * p50:.2f} ms  p99 {1000 * p99:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
