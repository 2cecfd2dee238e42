"""Opaque ids for the API.

Sound data gets a number that its file keeps across restarts (`snd-7`, see
`service.library`). Voices, clocks and modulators encode the
engine's arena slot and generation (`voice-3-2`), so an id whose Thing is gone
never names the Thing that later takes its slot.
"""

from __future__ import annotations

import re

PREFIXES = {"voice": "voice", "clock": "clock", "modulator": "mod"}
_KEYED = re.compile(r"^(voice|clock|mod)-(\d+)-(\d+)$")


def keyed_id(kind: str, key: object) -> str:
    """The id for an engine Thing of `kind` ('voice', 'clock', 'modulator') from its engine key."""
    return f"{PREFIXES[kind]}-{key.index}-{key.generation}"  # type: ignore[attr-defined]


def parse_keyed_id(text: str) -> tuple[str, int, int] | None:
    """(prefix, index, generation) of a keyed id, or None when the text is not one."""
    match = _KEYED.match(text)
    if not match:
        return None
    return match.group(1), int(match.group(2)), int(match.group(3))
