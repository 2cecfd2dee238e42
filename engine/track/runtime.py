"""A track on the audio thread: its row of the track table, its parameters, its place in the tree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..arena import Key
from ..context import ChunkContext
from ..parameter import Parameter, ParameterTable, init_row, set_row
from ..spec import PANNING, SILENCE_DB, VOLUME
from ..tween import Tween
from ..value import Value
from .settings import MAIN, SEND, TrackSpec

if TYPE_CHECKING:
    from .module import Mixer

# A track's own parameters, in the order of their rows (a spatial track's position and strength last);
# its send routes' rows follow.
PARAMETERS = ("volume", "panning", "fade", "audible", "x", "y", "z", "spatialization_strength")
# Mute and solo glide this long, so pressing them does not click.
SWITCH_SECONDS = 0.01


class Track:
    """One track: sounds and sub tracks add into its buffer; it passes the sum on."""

    def __init__(self, key: Key, buffer: int, spec: TrackSpec, mixer: "Mixer", rows: int) -> None:
        self.key = key
        self.buffer = buffer
        self.role = spec.role
        self.mixer = mixer
        self.rows = rows
        table, chunk = mixer.table, mixer.ctx.chunk_size
        self.volume = Parameter(table, rows, spec.volume, chunk, VOLUME.low, VOLUME.high, VOLUME.default)
        self.panning = Parameter(table, rows + 1, spec.panning, chunk, PANNING.low, PANNING.high)
        self.fade = Parameter(table, rows + 2, 0.0, chunk)
        self.audible = Parameter(table, rows + 3, 1.0, chunk, 0.0, 1.0)
        spatial = spec.spatial
        position = spatial.position if spatial is not None else (0.0, 0.0, 0.0)
        self.position = [Parameter(table, rows + 4 + i, float(position[i]), chunk) for i in range(3)]
        self.spatialization_strength = Parameter(table, rows + 7, spatial.strength if spatial is not None else 0.0,
                                                 chunk, 0.0, 1.0, 0.75)
        self.spatial = spatial is not None
        self.parent: "Track | None" = None
        self.children: list[Track] = []
        self.muted = spec.muted
        self.soloed = spec.soloed
        self.removing = False
        # Whether mute and solo let it be heard (what its audible gain glides to).
        self.heard = True
        # Its effects, in the order the signal goes through them.
        self.effects: list[Any] = []
        # Send slot -> True for the routes this track has.
        self.sends: dict[int, bool] = {}
        record = mixer.tracks_table[buffer]
        record["parent"] = -1
        record["volume"], record["panning"], record["fade"], record["audible"] = rows, rows + 1, rows + 2, rows + 3
        record["sends"] = rows + len(PARAMETERS) if self.role != SEND and self.role != MAIN else -1
        record["record"] = buffer
        record["spatial"] = 1 if self.spatial else 0
        record["peak_left"] = record["peak_right"] = record["square_left"] = record["square_right"] = 0.0

    @property
    def depth(self) -> int:
        depth, track = 0, self
        while track.parent is not None:
            depth += 1
            track = track.parent
        return depth

    def parameter(self, name: str) -> Parameter:
        if name not in ("volume", "panning", "fade", "audible", "spatialization_strength"):
            raise KeyError(name)
        return getattr(self, name)  # type: ignore[no-any-return]

    def set_position(self, position: tuple[float, float, float], tween: Tween, ctx: ChunkContext) -> None:
        """Move a spatial track, gliding over ``tween``. Runs on the audio thread."""
        if not self.spatial:
            raise ValueError("only a spatial track has a position")
        for row, value in zip(self.position, position):
            row.set(value, tween, ctx)

    def set_send(self, slot: int, volume: float | Value, tween: Tween, ctx: ChunkContext) -> None:
        """Route to send slot ``slot`` at ``volume`` dB, gliding there over ``tween``. Runs on the audio thread."""
        record = self.mixer.tracks_table[self.buffer]
        if record["sends"] < 0:
            raise ValueError("this track cannot route to send tracks")
        row = int(record["sends"]) + slot
        table = self.mixer.table
        if not self.sends.get(slot):
            # A new route starts from silence and glides in.
            init_row(table, row, SILENCE_DB, VOLUME.default, VOLUME.low, VOLUME.high)
            self.sends[slot] = True
            self.mixer.routes[self.buffer, slot] = 1
        set_row(table, row, volume, tween, ctx)

    def drop_send(self, slot: int) -> None:
        self.sends.pop(slot, None)
        self.mixer.routes[self.buffer, slot] = 0

    def audible_target(self, audible: bool) -> None:
        """Glide the mute/solo gain to 1 or 0. Runs on the audio thread."""
        self.audible.set(1.0 if audible else 0.0, Tween(SWITCH_SECONDS), self.mixer.ctx)

    def start_removal(self, fade: Tween | None) -> None:
        self.removing = True
        self.fade.set(SILENCE_DB, fade if fade is not None else Tween(SWITCH_SECONDS), self.mixer.ctx)

    @property
    def faded_out(self) -> bool:
        return self.removing and self.fade.value <= SILENCE_DB

    def clear(self, n: int) -> None:
        self.mixer.buffers[self.buffer, :, :n] = 0.0

    def publish_flags(self, shared: np.ndarray) -> None:
        record = shared[self.buffer]
        record["muted"] = 1 if self.muted else 0
        record["soloed"] = 1 if self.soloed else 0
