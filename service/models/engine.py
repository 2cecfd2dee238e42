"""Engine status, health and devices."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .clocks import Clock
from .common import Reply, Strict
from .main_track import MainTrack
from .modulators import Modulator
from .parameters import Parameter
from .sounds import Sound
from .spatial import Listener
from .tracks import Mixer
from .voices import Voice

__all__ = ["Device", "EngineStatus", "Health", "NoParams", "Parameter", "SlotUse", "State", "Subscribe"]


class SlotUse(Reply):
    used: int = Field(description="Slots in use (a removed Thing's until the audio thread has given it up).")
    capacity: int = Field(description="The capacity set at start; one more is a 409.")


class EngineStatus(Reply):
    output: str = Field(description="Output kind: 'device', 'null' or 'offline'.")
    device: str | None = Field(description="Device name, or null.")
    sample_rate: int = Field(description="Output sample rate in Hz.")
    block_size: int = Field(description="Frames per block.")
    load: float = Field(description="Render time of the last block as a fraction of its real-time budget.")
    max_load: float = Field(description="Highest load seen since start.")
    underflows: int = Field(description="Blocks the device wanted before they were ready, since start.")
    late_blocks: int = Field(description="Blocks that took longer to render than they last, since start.")
    callbacks: int = Field(description="Blocks rendered since start.")
    command_queue_depth: int = Field(description="Commands waiting for the audio thread.")
    command_capacity: int = Field(description="Room in the command queue.")
    voices: int = Field(description="Voices the service tracks.")
    clients: int = Field(description="Connected WebSocket clients.")
    slots: dict[str, SlotUse] = Field(
        description="Per kind of Thing, named as its `MIXDECK_MAX_*` setting (voices, tracks, sends, effects, "
        "clocks, modulators, listeners): slots in use and the capacity."
    )


class Health(Reply):
    status: Literal["ok", "degraded"] = Field(
        description="'ok' while the output runs; 'degraded' while the output device is lost (sound stops until it is back)."
    )
    reason: str | None = Field(None, description="Why the service is degraded; null when it is ok.")
    output: dict[str, Any] = Field(description="The engine's output description.")


class Device(Reply):
    index: int = Field(description="Device index.")
    name: str = Field(description="Device name.")
    hostapi: str | None = Field(None, description="Host API (ALSA, CoreAudio, WASAPI…).")
    max_output_channels: int = Field(0, description="Output channels.")
    default_samplerate: float | None = Field(None, description="Default sample rate in Hz.")
    is_default: bool = Field(False, description="The system's default output.")


class NoParams(Strict):
    """Methods that take no parameters."""


class Subscribe(Strict):
    topics: list[str] = Field(min_length=1, max_length=16, description="Topics to (un)subscribe.")


class State(Reply):
    """Everything at once."""

    engine: EngineStatus = Field(description="Output, timing and load.")
    main_track: MainTrack = Field(description="The main mix.")
    tracks: Mixer = Field(description="Every track: the main track's tree of sub tracks, and the send tracks.")
    sounds: list[Sound] = Field(description="The library.")
    voices: list[Voice] = Field(description="Every voice that has not stopped.")
    clocks: list[Clock] = Field(description="Every clock.")
    modulators: list[Modulator] = Field(description="Every modulator.")
    listeners: list[Listener] = Field(description="Every listener; spatial tracks are in `tracks`.")
