"""mixdeck's audio engine: a Python port of the architecture of the Kira game-audio library.

An ``AudioManager`` sends validated commands through a bounded channel to a
``Backend`` on the audio thread (in an audio process of its own on the
device and null outputs) and hands back handles that send the same
commands. Units: volume in decibels, panning -1..1, playback rate as a
factor (or ``PlaybackRate.semitones``), times in seconds.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Names load on first use, so that importing a part of the engine (the audio
# process's spare, a handle) does not load all of it.
_EXPORTS = {
    "AudioManager": ".manager",
    "AudioManagerSettings": ".settings",
    "AudioProcessLost": ".errors",
    "Capacities": ".settings",
    "ClockHandle": ".clock.handle",
    "ClockSettings": ".clock.settings",
    "ClockSpeed": ".clock.time",
    "ClockTime": ".clock.time",
    "CommandQueueFull": ".errors",
    "Easing": ".tween",
    "EngineError": ".errors",
    "Event": ".channel",
    "InvalidValue": ".errors",
    "Key": ".arena",
    "LfoBuilder": ".modulator.settings",
    "LfoHandle": ".modulator.handle",
    "MainTrackHandle": ".track.handle",
    "Mapping": ".value",
    "ModulatorHandle": ".modulator.handle",
    "OutOfMemory": ".errors",
    "OutputError": ".errors",
    "PlaybackRate": ".sound.playback_rate",
    "PlaybackState": ".sound.state",
    "Region": ".sound.settings",
    "ResourceLimitReached": ".errors",
    "StartTime": ".tween",
    "StaticSoundData": ".sound.data",
    "StaticSoundHandle": ".sound.handle",
    "StaticSoundSettings": ".sound.settings",
    "StreamingSoundData": ".sound.streaming",
    "StreamingSoundHandle": ".sound.streaming",
    "StreamingSoundSettings": ".sound.streaming",
    "Tween": ".tween",
    "TrackBuilder": ".track.settings",
    "TrackHandle": ".track.handle",
    "SendTrackBuilder": ".track.settings",
    "SendTrackHandle": ".track.handle",
    "ListenerHandle": ".spatial.handle",
    "ListenerSettings": ".spatial.settings",
    "SpatialTrackBuilder": ".spatial.settings",
    "SpatialTrackHandle": ".spatial.handle",
    "TweenerBuilder": ".modulator.settings",
    "TweenerHandle": ".modulator.handle",
    "UnsupportedAudio": ".errors",
    "Value": ".value",
    "Waveform": ".modulator.settings",
    "WrongOutput": ".errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        if name.startswith("_"):
            raise AttributeError(f"module 'mixdeck.engine' has no attribute {name!r}")
        try:  # a submodule: engine.spec, engine.output, ...
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError:
            raise AttributeError(f"module 'mixdeck.engine' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from .arena import Key
    from .channel import Event
    from .clock.handle import ClockHandle
    from .clock.settings import ClockSettings
    from .clock.time import ClockSpeed, ClockTime
    from .errors import (
        AudioProcessLost,
        CommandQueueFull,
        EngineError,
        InvalidValue,
        OutOfMemory,
        OutputError,
        ResourceLimitReached,
        UnsupportedAudio,
        WrongOutput,
    )
    from .manager import AudioManager
    from .modulator.handle import LfoHandle, ModulatorHandle, TweenerHandle
    from .modulator.settings import LfoBuilder, TweenerBuilder, Waveform
    from .settings import AudioManagerSettings, Capacities
    from .sound.data import StaticSoundData
    from .sound.handle import StaticSoundHandle
    from .sound.playback_rate import PlaybackRate
    from .sound.settings import Region, StaticSoundSettings
    from .sound.state import PlaybackState
    from .sound.streaming import StreamingSoundData, StreamingSoundHandle, StreamingSoundSettings
    from .track.handle import MainTrackHandle, SendTrackHandle, TrackHandle
    from .spatial.handle import ListenerHandle, SpatialTrackHandle
    from .spatial.settings import ListenerSettings, SpatialTrackBuilder
    from .track.settings import SendTrackBuilder, TrackBuilder
    from .tween import Easing, StartTime, Tween
    from .value import Mapping, Value
