"""What one running service holds: the AudioManager and the registries that map API ids to engine handles.

One `Runtime` per app, created in the lifespan and kept on `app.state.runtime`;
nothing here is a module-level singleton. Registries are touched only from
the event loop (routes and WebSocket handlers are async), so they need no lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


from . import ids
from .errors import not_found
from .settings import ServiceSettings

log = logging.getLogger("mixdeck.service")


@dataclass
class SoundEntry:
    id: str
    name: str
    data: Any  # engine.StaticSoundData
    builtin: bool = False
    path: Path | None = None


@dataclass
class VoiceEntry:
    id: str
    sound: str
    duration: float
    handle: Any  # engine.StaticSoundHandle


@dataclass
class ClockEntry:
    id: str
    handle: Any  # engine.ClockHandle
    speed: dict[str, float]


@dataclass
class ModulatorEntry:
    id: str
    type: str
    handle: Any  # engine.LfoHandle | engine.TweenerHandle
    settings: dict[str, Any] = field(default_factory=dict)


class Runtime:
    """The AudioManager plus the service's view of what exists."""

    def __init__(self, settings: ServiceSettings, manager: Any, output_note: str = "") -> None:
        self.settings = settings
        self.manager = manager
        self.output_note = output_note
        self.sound_ids = ids.SoundIds()
        self.sounds: dict[str, SoundEntry] = {}
        self.voices: dict[str, VoiceEntry] = {}
        self.clocks: dict[str, ClockEntry] = {}
        self.modulators: dict[str, ModulatorEntry] = {}
        self.ws_clients = 0

    # Lookups: an unknown or stale id is a 404 naming the id.

    def sound(self, sound_id: str) -> SoundEntry:
        entry = self.sounds.get(sound_id)
        if entry is None:
            raise not_found("sound", sound_id)
        return entry

    def voice(self, voice_id: str) -> VoiceEntry:
        entry = self.voices.get(voice_id)
        if entry is not None and _voice_done(entry):
            del self.voices[voice_id]
            entry = None
        if entry is None:
            raise not_found("voice", voice_id)
        return entry

    def clock(self, clock_id: str) -> ClockEntry:
        entry = self.clocks.get(clock_id)
        if entry is None:
            raise not_found("clock", clock_id)
        return entry

    def modulator(self, modulator_id: str) -> ModulatorEntry:
        entry = self.modulators.get(modulator_id)
        if entry is None:
            raise not_found("modulator", modulator_id)
        return entry

    def add_sound(self, data: Any, name: str, builtin: bool = False, path: Path | None = None) -> SoundEntry:
        entry = SoundEntry(self.sound_ids.mint(), name, data, builtin, path)
        self.sounds[entry.id] = entry
        return entry

    def prune_voices(self) -> list[str]:
        """Drop voices that have stopped; return their ids."""
        done = [vid for vid, entry in self.voices.items() if _voice_done(entry)]
        for vid in done:
            del self.voices[vid]
        return done

    def take_events(self) -> list[dict[str, Any]]:
        """Drain the engine's events, update the registries, and return them in API form."""
        out: list[dict[str, Any]] = []
        for event in self.manager.pop_events():
            key = getattr(event, "key", None)
            data = dict(getattr(event, "data", None) or {})
            if event.kind == "sound_finished" and key is not None:
                vid = ids.keyed_id("voice", key)
                self.voices.pop(vid, None)
                out.append({"type": "voice_finished", "voice": vid})
            elif event.kind == "clock_tick" and key is not None:
                cid = ids.keyed_id("clock", key)
                out.append({"type": "clock_tick", "clock": cid, "ticks": data.get("ticks")})
            elif event.kind == "error":
                message = str(data.get("message", data))
                log.warning("engine reported an error: %s", message)
                out.append({"type": "error", "message": message, **({"thing": str(key)} if key else {})})
        return out


def _voice_done(entry: VoiceEntry) -> bool:
    return state_name(entry.handle.state) == "stopped"


def state_name(state: Any) -> str:
    return str(getattr(state, "value", state)).lower()
