"""What one running service holds: the AudioManager and one registry per kind of Thing (API id -> entry).

One `Runtime` per app, created in the lifespan and kept on `app.state.runtime`;
nothing here is a module-level singleton. Registries are touched only from
the event loop (routes and WebSocket handlers are async), so they need no lock.
"""

from __future__ import annotations

import collections
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import ids
from .library import Library, LibraryIndex
from .registry import NamedRegistry, Registry
from .settings import ServiceSettings

log = logging.getLogger("mixdeck.service")

# Waveforms kept for reuse, counted in min/max pairs over all sounds (about 32 bytes each).
WAVEFORM_CACHE_POINTS = 500_000
# Voices whose sound is still known after they have left the registry, for an event that comes late.
RECENT_VOICES = 4096


@dataclass
class SoundEntry:
    id: str
    name: str
    data: Any  # engine.StaticSoundData, or engine.StreamingSoundData for a sound read from disk as it plays
    builtin: bool = False
    path: Path | None = None  # the file in the media folder it was loaded from


@dataclass
class VoiceEntry:
    id: str
    sound: str
    duration: float
    handle: Any  # engine.StaticSoundHandle
    scheduled: bool = False  # started with a delay or on a clock time, not at once
    track: str = ids.MAIN_TRACK  # the track it plays on


@dataclass
class TrackEntry:
    """The main track or a sub track. The engine does not report route levels, so `sends` keeps them as set."""

    id: str
    handle: Any  # engine.MainTrackHandle | engine.TrackHandle
    parent: str | None  # None for the main track
    sound_capacity: int | None = None
    sends: dict[str, Any] = field(default_factory=dict)  # send id -> dB, or the ModulatedValue given
    spatial: SpatialEntry | None = None  # a spatial track's listener and how distance shapes it


@dataclass
class SendEntry:
    id: str
    handle: Any  # engine.SendTrackHandle


@dataclass
class EffectEntry:
    """An effect on a track. The engine does not report an effect's choices, so `choices` keeps them as set."""

    id: str
    track: str  # the API id of the track it is on: 'main', 'track-…' or 'send-…'
    kind: str
    handle: Any  # engine.effect.EffectHandle
    choices: dict[str, str] = field(default_factory=dict)  # API name -> option ('mode' -> 'low_pass')
    settings: dict[str, float] = field(default_factory=dict)  # fixed when added ('max_delay_time')
    feedback_effects: list[dict[str, Any]] = field(default_factory=list)  # a delay's, as added
    follows: dict[str, str] = field(default_factory=dict)  # parameter -> a modulator's id or 'listener_distance'


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


@dataclass
class ListenerEntry:
    id: str
    handle: Any  # engine.ListenerHandle


@dataclass
class SpatialEntry:
    """What makes a sub track spatial. The engine does not report these, so they are kept as set."""

    listener: ListenerEntry
    distances: tuple[float, float]  # metres: full level up to the first, silent from the second
    attenuation: tuple[str, float] | None  # (easing, power); None when level does not fall with distance
    strength: Any  # spatialization_strength: a number, or the ModulatedValue given
    doppler: bool
    speed_of_sound: float  # metres a second


class Runtime:
    """The AudioManager plus the service's view of what exists: one registry per kind of Thing."""

    def __init__(self, settings: ServiceSettings, manager: Any, output_note: str = "") -> None:
        self.settings = settings
        self.manager = manager
        self.output_note = output_note
        self.index = LibraryIndex.load(settings.media_dir)
        self.library = Library()
        self.sounds: NamedRegistry[SoundEntry] = NamedRegistry("sound")
        self.voices: Registry[VoiceEntry] = Registry("voice", gone=_voice_done)
        self.clocks: Registry[ClockEntry] = Registry("clock")
        self.listeners: Registry[ListenerEntry] = Registry("listener", gone=lambda e: not e.handle.exists)
        self.modulators: Registry[ModulatorEntry] = Registry("modulator")
        self.tracks: Registry[TrackEntry] = Registry("track", gone=_track_gone)
        self.sends: Registry[SendEntry] = Registry("send track", gone=_track_gone)
        self.effects: Registry[EffectEntry] = Registry("effect", gone=_effect_gone)
        self.ws_clients = 0
        self._waveforms: collections.OrderedDict[tuple[str, int], Any] = collections.OrderedDict()
        self._waveform_points = 0
        self._last_ticks: dict[str, int] = {}  # per clock, the latest tick number reported
        self._voice_sounds: collections.OrderedDict[str, str] = collections.OrderedDict()  # voice id -> sound id
        self._restarts_seen = 0
        self._restarted_at: float | None = None

    def attach(self, manager: Any, output_note: str = "") -> None:
        """Take the started AudioManager; its main track is the root of the track tree, as `main`."""
        self.manager, self.output_note = manager, output_note
        self.tracks.add(TrackEntry(ids.MAIN_TRACK, manager.main_track, None))

    def add_sound(
        self, data: Any, name: str, builtin: bool = False, path: Path | None = None, uploaded: bool = False
    ) -> SoundEntry:
        """Register decoded sound data; a file of the media folder keeps the id the folder's index gives it."""
        rel = None if path is None else self.index.relative(path)
        ident = self.index.mint() if rel is None else self.index.id_for(rel, uploaded=uploaded)
        return self.sounds.add(SoundEntry(ident, name, data, builtin, path))

    # Waveforms: computing one reads the whole sound; a panel asks for the same one often.

    def cached_waveform(self, sound_id: str, points: int) -> Any:
        """The waveform computed before for (sound, points), or None."""
        value = self._waveforms.get((sound_id, points))
        if value is not None:
            self._waveforms.move_to_end((sound_id, points))
        return value

    def cache_waveform(self, sound_id: str, points: int, value: Any) -> None:
        """Keep a waveform of a sound that still exists; the least recently used go past the cap."""
        if sound_id not in self.sounds or points > WAVEFORM_CACHE_POINTS:
            return
        key = (sound_id, points)
        if key in self._waveforms:
            self._waveforms.move_to_end(key)
            return
        self._waveforms[key] = value
        self._waveform_points += points
        while self._waveform_points > WAVEFORM_CACHE_POINTS:
            (_sid, old_points), _old = self._waveforms.popitem(last=False)
            self._waveform_points -= old_points

    def forget_waveforms(self, sound_id: str) -> None:
        """Drop the cached waveforms of a sound (it was deleted)."""
        for key in [k for k in self._waveforms if k[0] == sound_id]:
            del self._waveforms[key]
            self._waveform_points -= key[1]

    def add_voice(self, entry: VoiceEntry) -> VoiceEntry:
        """Register a voice, and remember its sound for a while after it ends (an error may name it late)."""
        self._voice_sounds[entry.id] = entry.sound
        while len(self._voice_sounds) > RECENT_VOICES:
            self._voice_sounds.popitem(last=False)
        return self.voices.add(entry)

    def sound_of_voice(self, voice_id: str) -> str | None:
        entry = self.voices.get(voice_id)
        return entry.sound if entry is not None else self._voice_sounds.get(voice_id)

    def prune_voices(self) -> list[str]:
        """Drop voices that have stopped; return their ids."""
        return self.voices.prune()

    def note_restarts(self, restarts: int) -> float | None:
        """Seconds since the audio process was last seen replaced (from its restart count), or None."""
        now = time.monotonic()
        if restarts != self._restarts_seen:
            self._restarts_seen = restarts
            self._restarted_at = now
        return None if self._restarted_at is None else now - self._restarted_at

    def take_events(self) -> list[dict[str, Any]]:
        """Drain the engine's events, update the registries, and return them in API form.

        Ticks of one clock are merged into one `clock_tick` per call, carrying the
        latest tick and `count`, the number of ticks it stands for: a fast clock
        would otherwise flood every listener with one message per tick.
        """
        out: list[dict[str, Any]] = []
        ticks: dict[str, dict[str, Any]] = {}
        for event in self.manager.pop_events():
            key = getattr(event, "key", None)
            if event.kind == "clock_tick" and key is not None:
                cid = ids.keyed_id("clock", key)
                number = (getattr(event, "data", None) or {}).get("ticks")
                tick = ticks.get(cid)
                if tick is None:
                    tick = ticks[cid] = {
                        "type": "clock_tick",
                        "clock": cid,
                        "ticks": number,
                        "count": 0,
                        "_first": number,
                    }
                    out.append(tick)
                tick["ticks"] = number
                tick["count"] += 1
                continue
            data = dict(getattr(event, "data", None) or {})
            if event.kind == "sound_finished" and key is not None:
                vid = ids.keyed_id("voice", key)
                self.voices.pop(vid, None)
                finished: dict[str, Any] = {"type": "voice_finished", "voice": vid}
                if data.get("reason"):
                    finished["reason"] = str(data["reason"])
                out.append(finished)
            elif event.kind == "audio_process_restarted":
                reason = str(data.get("reason", ""))
                log.warning("the audio process was replaced: %s", reason)
                out.append({"type": "audio_process_restarted", "reason": reason, "restarts": data.get("restarts")})
            elif event.kind == "error":
                message = str(data.get("message", data))
                log.warning("engine reported an error: %s", message)
                error: dict[str, Any] = {"type": "error", "message": message}
                if key:
                    error["thing"] = _api_id(key)
                if getattr(key, "kind", None) == "sound":
                    # A voice that failed (a streaming sound's file that broke off): say which, and of what.
                    error["voice"] = error["thing"]
                    error["sound"] = self.sound_of_voice(error["voice"])
                out.append(error)
                self._drop_failed(key)
        for cid, tick in ticks.items():
            tick["count"] = self._ticks_covered(cid, tick.pop("_first"), tick["ticks"], tick["count"])
        return out

    def _ticks_covered(self, cid: str, first: Any, last: Any, events: int) -> int:
        """Ticks from the last one reported to `last`.

        The engine reports a bounded number of ticks per block, so a very fast
        clock skips some; the tick numbers still tell how many passed. A clock
        that went back (stopped and started again) counts from its first tick here.
        """
        if not isinstance(first, int) or not isinstance(last, int):
            return events
        previous = self._last_ticks.get(cid)
        self._last_ticks[cid] = last
        if len(self._last_ticks) > 2 * max(len(self.clocks), 8):  # forget removed clocks
            self._last_ticks = {c: t for c, t in self._last_ticks.items() if c in self.clocks or c == cid}
        if previous is not None and previous < first <= last:
            return last - previous
        return max(events, last - first + 1)

    def _drop_failed(self, key: Any) -> None:
        """Forget the clock or modulator an error event names.

        The audio thread removes a clock or modulator that raised; one whose command
        failed may still be there, so it is asked to go as well (a no-op for one that
        is gone), and an id never answers with the frozen state of a dead Thing.
        Voices need nothing here: a voice that fails is stopped, and leaves through
        `sound_finished` or its stopped state.
        """
        kind = getattr(key, "kind", None)
        if kind == "clock":
            entry: Any = self.clocks.pop(ids.keyed_id("clock", key), None)
        elif kind == "modulator":
            entry = self.modulators.pop(ids.keyed_id("modulator", key), None)
        else:
            return
        if entry is None:
            return
        try:
            entry.handle.remove()
        except Exception as exc:  # a full command queue: the Thing is already forgotten here
            log.warning("could not remove failed %s %s: %s", kind, entry.id, exc)


_API_KINDS = {
    "sound": "voice",
    "clock": "clock",
    "modulator": "modulator",
    "track": "track",
    "send": "send",
    "effect": "effect",
    "listener": "listener",
}


def _api_id(key: Any) -> str:
    """The API id of the Thing an engine key names ('voice-3-1', 'mod-0-2', 'main'), else the key as text."""
    kind = _API_KINDS.get(getattr(key, "kind", None))  # type: ignore[arg-type]
    if kind == "track" and key.index == 0:
        return ids.MAIN_TRACK  # the main track always holds the first track slot
    return ids.keyed_id(kind, key) if kind else str(key)


def _track_gone(entry: TrackEntry | SendEntry) -> bool:
    return not entry.handle.exists


def _effect_gone(entry: EffectEntry) -> bool:
    return not entry.handle.exists


def _voice_done(entry: VoiceEntry) -> bool:
    return state_name(entry.handle.state) == "stopped"


def state_name(state: Any) -> str:
    return str(getattr(state, "value", state)).lower()
