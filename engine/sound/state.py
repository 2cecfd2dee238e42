"""Playback states, as Kira's."""

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
