"""Playback states and the state a voice shares with its handle."""

from __future__ import annotations

import enum


class PlaybackState(str, enum.Enum):
    """As Kira's. A sound waiting for its start time is PLAYING and silent until its frame."""

    PLAYING = "playing"
    PAUSING = "pausing"
    PAUSED = "paused"
    WAITING_TO_RESUME = "waiting_to_resume"
    RESUMING = "resuming"
    STOPPING = "stopping"
    STOPPED = "stopped"


class SoundShared:
    """Written by the audio thread at the end of each chunk, read by anyone.

    Each attribute is one atomic write; ``position`` is in seconds.
    """

    __slots__ = ("state", "waiting", "position", "volume", "panning", "playback_rate", "loop_region")

    def __init__(self, volume: float, panning: float, playback_rate: float, loop_region) -> None:
        self.state = PlaybackState.PLAYING
        self.waiting = True
        self.position = 0.0
        self.volume = volume
        self.panning = panning
        self.playback_rate = playback_rate
        self.loop_region = loop_region
