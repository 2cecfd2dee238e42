"""Parameters on the audio thread: rows of one table that compiled kernels move through each chunk.

A parameter is fixed, tweened towards a target, or follows a modulator (or a
listener distance) through a ``Mapping``; a tween may also lead from a fixed
value to a followed one, easing between them. The state of each lives in a
row of ``ParameterTable.rows`` (see ``parameter_kernel.ROW``), so the voice
and mixer kernels evaluate thousands of them without a Python call each.
Commands change rows with ``set_row`` and ``follow_row``; Things that run in
Python (clocks, modulators) hold a ``Parameter``, which evaluates its row
with the same compiled code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import parameter_kernel as pk
from .tween import Easing, Tween
from .value import Value

if TYPE_CHECKING:
    from .context import ChunkContext, Pending

_EASE_MODES = {"in": pk.EASE_IN, "out": pk.EASE_OUT, "in_out": pk.EASE_IN_OUT}


def aligned_zeros(count: int, dtype: np.dtype, alignment: int = 64) -> np.ndarray:
    """Zeroed records whose first starts on a cache line."""
    raw = np.zeros(count * dtype.itemsize + alignment, dtype=np.uint8)
    skip = -raw.ctypes.data % alignment
    return raw[skip : skip + count * dtype.itemsize].view(dtype)


class ParameterTable:
    """Every parameter row of a Backend, allocated once. Lives on the audio thread.

    Followed sources are rows of the context's ``source_values``: modulator
    ``i`` is row ``i``, and the listener distance of spatial track ``j`` is
    row ``distance_base + j``.
    """

    def __init__(self, rows: int, distance_base: int = 0) -> None:
        self.rows = aligned_zeros(max(rows, 1), pk.ROW)
        # Views of single fields: reading one from Python is several times cheaper than through a row.
        self.values = self.rows["value"]
        self.modes = self.rows["mode"]
        self.statuses = self.rows["status"]
        self.finished = self.rows["finished_at"]
        self.distance_base = distance_base

    def source_of(self, value: Value) -> tuple[int, int]:
        """The source row and generation a modulated ``value`` follows."""
        key = value.modulator_key if value.modulator_key is not None else value.distance_key
        assert key is not None
        base = 0 if value.modulator_key is not None else self.distance_base
        return base + key.index, key.generation


def init_row(table: ParameterTable, index: int, value: float | Value, default: float = 0.0,
             low: float = -np.inf, high: float = np.inf) -> None:
    """Make row ``index`` hold ``value``: a number, or a Value to follow from the start.

    A followed row reads ``default`` until its source has produced a value.
    Runs on the audio thread.
    """
    row = table.rows[index]
    if isinstance(value, Value):
        number = default if value.constant is None else float(value.constant)
    else:
        number = float(value)
    row["mode"] = pk.FIXED
    row["value"] = number
    row["target"] = number
    row["t0"] = -1
    row["pend_kind"] = pk.PEND_NONE
    row["source"] = -1
    row["low"] = low
    row["high"] = high
    row["finished_at"] = -1
    row["status"] = pk.STATUS_NONE
    if isinstance(value, Value) and value.is_modulated:
        follow_row(table, index, value)


def _mapping(table: ParameterTable, row: np.void, value: Value) -> None:
    mapping = value.mapping
    assert mapping is not None
    row["source"], row["source_generation"] = table.source_of(value)
    row["in0"], row["in1"] = mapping.input_range
    row["out0"], row["out1"] = mapping.output_range
    row["map_ease_mode"] = _EASE_MODES[mapping.easing.mode]
    row["map_ease_power"] = mapping.easing.power
    row["clamp"] = (pk.CLAMP_BOTTOM if mapping.clamp_bottom else 0) | (pk.CLAMP_TOP if mapping.clamp_top else 0)


def follow_row(table: ParameterTable, index: int, value: Value) -> None:
    """From now on row ``index`` takes its value from ``value``'s source, at once. Runs on the audio thread."""
    row = table.rows[index]
    _mapping(table, row, value)
    row["mode"] = pk.FOLLOW


def set_row(table: ParameterTable, index: int, target: float | Value, tween: Tween, ctx: "ChunkContext",
            pending: "Pending | None | bool" = False) -> None:
    """Start moving row ``index`` towards ``target`` along ``tween``. Runs on the audio thread.

    ``pending``, when given, is the tween's start already resolved by the
    caller (a deferred resume keeps the start time it was sent with).
    """
    row = table.rows[index]
    duration = int(round(tween.duration * ctx.sample_rate))
    if isinstance(target, Value):
        if not target.is_modulated:
            target = float(target.constant)  # type: ignore[arg-type]
        elif duration == 0 and (tween.start_time.immediate and pending is False):
            follow_row(table, index, target)
            return
        else:
            _mapping(table, row, target)
            row["mode"] = pk.TWEEN_TO_FOLLOW
            row["target"] = row["value"]
            _timing(row, duration, tween.easing, ctx, tween, pending)
            return
    row["mode"] = pk.TWEEN
    row["target"] = float(target)
    _timing(row, duration, tween.easing, ctx, tween, pending)


def _timing(row: np.void, duration: int, easing: Easing, ctx: "ChunkContext", tween: Tween,
            pending: "Pending | None | bool") -> None:
    row["start"] = row["value"]
    row["duration"] = duration
    row["ease_mode"] = _EASE_MODES[easing.mode]
    row["ease_power"] = float(easing.power)
    resolved = ctx.pending(tween.start_time) if pending is False else pending
    if resolved is None:
        row["pend_kind"] = pk.PEND_NONE
        row["t0"] = ctx.frame
    else:
        row["pend_kind"], row["pend_clock"], row["pend_generation"], row["pend_value"] = resolved  # type: ignore[misc]
        row["t0"] = -1


def hold_row(table: ParameterTable, index: int, value: float) -> None:
    """Make row ``index`` a fixed ``value`` at once, dropping any tween. Runs on the audio thread."""
    row = table.rows[index]
    row["mode"] = pk.FIXED
    row["value"] = value
    row["target"] = value
    row["t0"] = -1
    row["pend_kind"] = pk.PEND_NONE


def wait_for_owner(table: ParameterTable, index: int) -> None:
    """Hold the tween just set until its owner starts it with ``start_row``. Runs on the audio thread."""
    row = table.rows[index]
    row["pend_kind"] = pk.PEND_OWNER
    row["t0"] = -1


class Parameter:
    """A row driven from Python: ``update`` returns a float, or an array of one value per frame.

    The array is a view of a buffer owned by the parameter, valid until the
    next ``update``. After ``update``, ``finished_at`` is the offset in the
    chunk where a tween reached its target, else -1. Lives on the audio thread.
    """

    __slots__ = ("table", "index", "_buffer")

    def __init__(self, table: ParameterTable, index: int, value: float | Value, chunk_size: int,
                 low: float = -np.inf, high: float = np.inf, default: float = 0.0) -> None:
        self.table = table
        self.index = index
        self._buffer = np.empty(max(chunk_size, 2), dtype=np.float64)
        init_row(table, index, value, default, low, high)

    @property
    def value(self) -> float:
        return float(self.table.values[self.index])

    @property
    def finished_at(self) -> int:
        return int(self.table.finished[self.index])

    @property
    def status(self) -> int:
        return int(self.table.statuses[self.index])

    @property
    def monotonic(self) -> bool:
        """True when this chunk's values only rise or only fall (a tween, not a followed source)."""
        return int(self.table.modes[self.index]) in (pk.FIXED, pk.TWEEN)

    def set(self, target: float | Value, tween: Tween, ctx: "ChunkContext",
            pending: "Pending | None | bool" = False) -> None:
        set_row(self.table, self.index, target, tween, ctx, pending)

    def follow(self, value: Value) -> None:
        follow_row(self.table, self.index, value)

    def reset(self, value: float) -> None:
        """Back to a fixed ``value`` (after a failure)."""
        row = self.table.rows[self.index]
        row["mode"] = pk.FIXED
        row["value"] = value

    def update(self, ctx: "ChunkContext") -> float | np.ndarray:
        """The value over this chunk. Runs on the audio thread."""
        table, index = self.table, self.index
        if table.modes[index] == pk.FIXED and table.statuses[index] == pk.STATUS_NONE:
            return float(table.values[index])  # what evaluate would say, without the call
        n = ctx.n
        out = self._buffer
        result = pk.evaluate(self.table.rows, self.index, ctx.frame, n, ctx.clock_times, ctx.clock_ticking,
                             ctx.clock_generations, ctx.source_values, ctx.source_generations, out)
        if result == pk.CONSTANT:
            return float(self.table.rows[self.index]["value"])
        if result == pk.RAMP:
            pk.fill(self.table.rows, self.index, result, n, out)
        return out[:n]


def decibels_to_amplitude(db: float) -> float:
    """Decibels to a gain factor; -60 dB and below is silence, as in Kira."""
    return pk.amplitude(db)
