"""Emptying a running service through its public API, for fixtures that share one service between tests."""

from __future__ import annotations

import httpx

# What a test may have added, each listed and removed at its own path (spatial tracks are also in the tree).
LISTS = ("/api/spatial-tracks", "/api/sends", "/api/listeners", "/api/clocks", "/api/modulators",
         "/api/tracks/main/effects")  # fmt: skip


def ids(http: httpx.Client, path: str) -> list[str]:
    return [thing["id"] for thing in http.get(path).json()]


def stop_voices(http: httpx.Client) -> None:
    for voice in ids(http, "/api/voices"):
        http.post(f"/api/voices/{voice}/stop", json={"tween": {"duration": 0}})


def remove_things(http: httpx.Client) -> None:
    """Remove every track, send, spatial track, listener, clock, modulator and main-track effect at once,
    and set the main track's controls back to their defaults. Sounds and voices stay."""
    for track in http.get("/api/tracks").json()["main"]["tracks"]:
        http.delete(f"/api/tracks/{track['id']}", params={"fade": 0})
    for path in LISTS:
        for thing in ids(http, path):
            http.delete(f"{path}/{thing}", params={"fade": 0})  # routes without a fade ignore it
    http.patch("/api/tracks/main", json={"volume": 0, "panning": 0, "muted": False, "soloed": False,
                                         "tween": {"duration": 0}})  # fmt: skip


def left_over(http: httpx.Client) -> list[str]:
    """The paths that still list something `remove_things` removes (and the voices), and the kinds whose
    slots the engine has not all taken back yet (until then a new track would not get the first slot)."""
    paths = [path for path in ("/api/voices", *LISTS) if ids(http, path)]
    if http.get("/api/tracks").json()["main"]["tracks"]:
        paths.append("/api/tracks")
    slots = http.get("/api/state").json()["engine"]["slots"]
    return paths + [f"slots of {kind}" for kind, use in slots.items() if use["used"]]
