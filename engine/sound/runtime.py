"""One playing sound on the audio thread: a row of the voice table and what Python decides for it.

The voice kernel (``kernel.py``) renders the row every chunk. This object
carries out the commands that change it (pause, resume, stop, seek, loop
region, parameters) and what the kernel flags (a pause whose resume waits, a
clock that went away); all of it runs on the audio thread, only when
something happens to the voice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import math

from .. import parameter_kernel as pk
from ..arena import Key
from ..context import ChunkContext, Pending
from ..parameter import ParameterTable, hold_row, set_row
from ..spec import PLAYBACK_RATE, SEMITONES, SILENCE_DB
from ..tween import Tween
from ..value import Value
from . import kernel as vk
from .settings import VoiceSpec

if TYPE_CHECKING:
    import numpy as np

# A voice's parameters, in the order of their rows in the table.
PARAMETERS = ("volume", "panning", "playback_rate", "fade")
SEEK_CROSSFADE_FRAMES = vk.SEEK_CROSSFADE_FRAMES


class Voice:
    """A voice's row and the rules of its state machine (Kira's, plus WaitingToResume and Resuming)."""

    __slots__ = ("key", "slot", "row", "rows", "table", "ctx", "deferred", "shared_record", "ring_size")

    def __init__(self, key: Key, voices: "np.ndarray", table: ParameterTable, rows: int, ctx: ChunkContext,
                 shared: "np.ndarray") -> None:
        self.key = key
        self.shared_record = shared[key.index]
        # A streaming voice's ring slots (its modulus may be fewer); 0 for a static voice.
        self.ring_size = 0
        self.slot = key.index
        self.row = voices[key.index]
        self.rows = rows
        self.table = table
        self.ctx = ctx
        self.deferred: tuple[Pending | None, Tween] | None = None

    def parameter_row(self, name: str) -> int:
        return self.rows + PARAMETERS.index(name)

    @property
    def state(self) -> int:
        return int(self.row["state"])

    def _set_state(self, state: int) -> None:
        self.row["state"] = state

    def _fade(self, target: float, tween: Tween, pending: Pending | None | bool = False) -> None:
        set_row(self.table, self.rows + 3, target, tween, self.ctx, pending)

    def _wait(self, pending: Pending | None) -> None:
        row = self.row
        if pending is None:
            row["wait_kind"] = pk.PEND_NONE
        else:
            row["wait_kind"], row["wait_clock"], row["wait_generation"], row["wait_value"] = pending

    # -- commands -----------------------------------------------------------------------

    def set_parameter(self, name: str, value: float | Value, tween: Tween, in_semitones: bool = False) -> None:
        index = self.parameter_row(name)
        if name == "playback_rate":
            set_unit(self.table, index, in_semitones)
        set_row(self.table, index, value, tween, self.ctx)

    def pause(self, tween: Tween) -> None:
        state = self.state
        if state in (vk.STOPPING, vk.STOPPED, vk.PAUSED):
            return
        self._clear_deferred()
        if not self.row["started"] or state == vk.WAITING_TO_RESUME:
            # Silent already: hold at once. A sound not yet started keeps its start time for resume.
            if state == vk.WAITING_TO_RESUME:
                self._wait(None)
                hold_row(self.table, self.rows + 3, SILENCE_DB)
            self._set_state(vk.PAUSED)
            return
        self._set_state(vk.PAUSING)
        self._fade(SILENCE_DB, tween)

    def resume(self, tween: Tween) -> None:
        state = self.state
        if state not in (vk.PAUSED, vk.PAUSING, vk.WAITING_TO_RESUME):
            return
        pending = self.ctx.pending(tween.start_time)
        if not self.row["started"]:
            if pending is None:
                # It never sounded: it waits for its own start time again.
                self._set_state(vk.PLAYING)
                return
            # Paused before it ever sounded and resumed on a start time: wait for that, then fade in.
            self._wait(pending)
            self._set_state(vk.WAITING_TO_RESUME)
            hold_row(self.table, self.rows + 3, SILENCE_DB)
            self._fade(0.0, tween, pending)
            return
        if state == vk.PAUSING and pending is not None:
            # Let the pause fade reach silence first; cutting it short would click.
            self.deferred = (pending, tween)
            self.row["deferred"] = 1
            return
        self._wait(pending)
        self._set_state(vk.WAITING_TO_RESUME if pending is not None else vk.RESUMING)
        self._fade(0.0, tween, pending)

    def stop(self, tween: Tween) -> None:
        state = self.state
        if state in (vk.STOPPING, vk.STOPPED):
            return
        self._clear_deferred()
        if state in (vk.PAUSED, vk.WAITING_TO_RESUME) or not self.row["started"]:
            self._set_state(vk.STOPPED)
            return
        self._set_state(vk.STOPPING)
        self._fade(SILENCE_DB, tween)

    def seek(self, frames: float, relative: bool) -> None:
        row = self.row
        position = float(row["position"])
        reverse = bool(row["reverse"])
        if relative:
            target = position + (-frames if reverse else frames)
        else:
            target = frames
        length = float(row["length"])
        if row["has_loop"]:
            start, end = float(row["loop_start"]), float(row["loop_end"])
            inside = start <= position < end
            # As in Kira: past the loop's end wraps back in, and backwards past its start, from inside it, too.
            if target >= end or (inside and target < start):
                target = start + (target - start) % (end - start)
        target = min(max(target, 0.0), length)
        if row["started"] and self.state not in (vk.PAUSED, vk.WAITING_TO_RESUME, vk.STOPPED):
            # Audible: the next chunk crossfades from where the voice was, so the jump does not click.
            row["seek_from"] = position
            row["seeking"] = 1
        row["position"] = target
        self.shared_record["seeks"] += 1

    def end_at(self, frames: int) -> bool:
        """The source ends at ``frames`` (a streaming file cut short); returns whether a loop went with it.

        A loop reaching past the cut could only play frames that do not
        exist, so the voice plays on to the cut and ends there instead.
        """
        row = self.row
        row["length"] = min(float(row["length"]), float(max(frames, 0)))
        if row["has_loop"] and float(row["loop_end"]) > frames:
            row["has_loop"] = 0
            return True
        return False

    def set_loop(self, frames: tuple[int, int] | None) -> None:
        row = self.row
        if frames is None or frames[1] > float(row["length"]):  # past a streaming file's cut: nothing to loop
            row["has_loop"] = 0
        else:
            row["has_loop"] = 1
            row["loop_start"], row["loop_end"] = float(frames[0]), float(frames[1])

    # -- what the kernel flagged ------------------------------------------------------------

    def deferred_resume(self) -> None:
        """The pause fade reached silence with a resume waiting: start it now."""
        if self.deferred is None:
            self.row["deferred"] = 0
            return
        pending, tween = self.deferred
        self._clear_deferred()
        self._wait(pending)
        self._set_state(vk.WAITING_TO_RESUME)
        self._fade(0.0, tween, pending)

    def _clear_deferred(self) -> None:
        self.deferred = None
        self.row["deferred"] = 0


def set_unit(table: ParameterTable, index: int, in_semitones: bool) -> None:
    """Make a playback-rate row hold semitones or a factor, converting what it holds now.

    A tween then moves in the unit of its target: in semitones, evenly in
    pitch. Runs on the audio thread.
    """
    row = table.rows[index]
    unit = pk.UNIT_SEMITONES if in_semitones else pk.UNIT_PLAIN
    if int(row["unit"]) == unit:
        return
    value = float(row["value"])
    if in_semitones:
        row["value"] = 12.0 * math.log2(value) if value > 0.0 else SEMITONES.low
        row["low"], row["high"] = SEMITONES.low, SEMITONES.high
    else:
        row["value"] = 2.0 ** (value / 12.0)
        row["low"], row["high"] = PLAYBACK_RATE.low, PLAYBACK_RATE.high
    row["target"] = row["value"]
    row["unit"] = unit
