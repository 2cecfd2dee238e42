"""mixdeck's audio engine: a Python port of the architecture of the Kira game-audio library.

An ``AudioManager`` sends validated commands through a bounded channel to a
``Backend`` on the audio thread and hands back handles that send the same
commands. Units: volume in decibels, panning -1..1, playback rate as a
factor, times in seconds.
"""

from .arena import Key
from .channel import Event
from .clock.handle import ClockHandle
from .clock.time import ClockSpeed, ClockTime
from .errors import (
    CommandQueueFull,
    EngineError,
    InvalidValue,
    OutputError,
    ResourceLimitReached,
    UnsupportedAudio,
    WrongOutput,
)
from .manager import AudioManager
from .modulator.builders import LfoBuilder, TweenerBuilder, Waveform
from .modulator.handle import LfoHandle, ModulatorHandle, TweenerHandle
from .settings import AudioManagerSettings, Capacities
from .sound.data import StaticSoundData
from .sound.handle import StaticSoundHandle
from .sound.settings import Region, StaticSoundSettings
from .sound.state import PlaybackState
from .track.main import MainTrackHandle
from .tween import Easing, StartTime, Tween
from .value import Mapping, Value

__all__ = [
    "AudioManager", "AudioManagerSettings", "Capacities", "ClockHandle", "ClockSpeed", "ClockTime",
    "CommandQueueFull", "Easing", "EngineError", "Event", "InvalidValue", "Key", "LfoBuilder", "LfoHandle",
    "MainTrackHandle", "Mapping", "ModulatorHandle", "OutputError", "PlaybackState", "Region",
    "ResourceLimitReached", "StartTime", "StaticSoundData", "StaticSoundHandle", "StaticSoundSettings",
    "Tween", "TweenerBuilder", "TweenerHandle", "UnsupportedAudio", "Value", "Waveform", "WrongOutput",
]
