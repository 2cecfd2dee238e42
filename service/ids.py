"""Opaque ids for the API.

Sound data gets a number that its file keeps across restarts (`snd-7`, see
`service.library`). Voices, clocks, modulators, sub tracks, send tracks, effects and listeners
encode the engine's arena slot and generation (`voice-3-2`, `track-1-1`,
`send-0-1`, `fx-4-1`, `listener-0-1`), so an id whose Thing is gone never names the Thing that later
takes its slot. The main track, of which there is one for good, is `main`.
"""

from __future__ import annotations

import re

PREFIXES = {
    "voice": "voice",
    "clock": "clock",
    "modulator": "mod",
    "track": "track",
    "send": "send",
    "effect": "fx",
    "listener": "listener",
}
MAIN_TRACK = "main"
_KEYED = re.compile(r"^(voice|clock|mod|track|send|fx|listener)-(\d+)-(\d+)$")


def keyed_id(kind: str, key: object) -> str:
    """The id for an engine Thing of `kind` (a key of PREFIXES: 'voice', 'track', 'effect', …) from its engine key."""
    return f"{PREFIXES[kind]}-{key.index}-{key.generation}"  # type: ignore[attr-defined]


def parse_keyed_id(text: str) -> tuple[str, int, int] | None:
    """(prefix, index, generation) of a keyed id, or None when the text is not one."""
    match = _KEYED.match(text)
    if not match:
        return None
    return match.group(1), int(match.group(2)), int(match.group(3))


def is_keyed_id(text: str) -> bool:
    """True for text shaped like a keyed id ('send-0-1'), whether or not it names anything."""
    return _KEYED.match(text) is not None
