"""What a caller fills in for a track."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..arena import Key
from ..spec import VOLUME
from ..value import Value, check_value

if TYPE_CHECKING:
    from ..build import BuildContext
    from .handle import MainTrackHandle


@dataclass(frozen=True, slots=True)
class TrackSpec:
    """What the audio thread builds a track from."""

    volume: float | Value = 0.0
    panning: float | Value = 0.0


@dataclass(frozen=True, slots=True)
class MainTrackBuilder:
    """The main track: the last stage of the mix. ``volume`` in decibels."""

    volume: float | Value = 0.0

    def build(self, key: Key, context: "BuildContext") -> tuple[TrackSpec, "MainTrackHandle"]:
        from .handle import MainTrackHandle

        volume = check_value("volume", self.volume, VOLUME.low, VOLUME.high)
        record = context.shared.tracks[key.index]
        record["volume"] = volume if isinstance(volume, float) else VOLUME.default
        return TrackSpec(volume), MainTrackHandle(key, context.shared.tracks, context.channel)
