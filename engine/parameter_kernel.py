"""Compiled evaluation of parameters: tweens, easings, modulator mappings and start times.

Every tweenable number of every Thing is one row of a parameter table (a
numpy record array, see ``parameter.py``). ``evaluate`` moves a row through
one chunk; the voice and mixer kernels call it for thousands of rows per
chunk without a Python call each, and the ``Parameter`` wrapper calls it for
the few rows Python still drives (clocks, modulators).

What ``evaluate`` returns, so callers pay only for what varies:
- ``CONSTANT``: the value is ``row.value`` over the whole chunk;
- ``RAMP``: frame k holds ``out[0] + k * out[1]`` (a linear tween running
  through the whole chunk, the common case, computed without a pass);
- ``FRAMES``: ``out[:n]`` holds one value per frame.
"""

from __future__ import annotations

import math

import numpy as np

from .jit import kernel

# Modes of a row.
FIXED = 0
TWEEN = 1
FOLLOW = 2
TWEEN_TO_FOLLOW = 3

# What a tween waits for before it starts.
PEND_NONE = 0
PEND_FRAME = 1
PEND_CLOCK = 2
# Started by its owner (a voice's fade-in starts on the voice's first frame).
PEND_OWNER = 3

# Results of evaluate.
CONSTANT = 0
RAMP = 1
FRAMES = 2

# A row's status after evaluate.
STATUS_NONE = 0
STATUS_FINISHED = 1
STATUS_CLOCK_GONE = 2

# Easing modes (powers in ease_power).
EASE_IN = 0
EASE_OUT = 1
EASE_IN_OUT = 2

CLAMP_BOTTOM = 1
CLAMP_TOP = 2

# Resolving a start time.
NOT_YET = -1
CLOCK_GONE = -2

LN10_OVER_20 = math.log(10.0) / 20.0

# Ordered so that what every chunk reads of a row is in its first cache line (all of a fixed row's
# use), what a tween reads in the second, a mapping in the third; 192 bytes, and the table is aligned
# to a cache line, so a row never straddles one more than it must.
ROW = np.dtype([
    ("mode", np.int32),
    ("status", np.int32),
    ("unit", np.int32),  # UNIT_SEMITONES: the row holds semitones where its user wants a factor (a rate)
    ("ease_mode", np.int32),
    ("value", np.float64),
    ("finished_at", np.int64),
    ("t0", np.int64),
    ("duration", np.int64),
    ("start", np.float64),
    ("target", np.float64),
    ("ease_power", np.float64),
    ("pend_kind", np.int32),
    ("clamp", np.int32),
    ("pend_clock", np.int64),
    ("pend_generation", np.int64),
    ("pend_value", np.float64),
    ("source", np.int64),
    ("source_generation", np.int64),
    ("in0", np.float64),
    ("in1", np.float64),
    ("out0", np.float64),
    ("out1", np.float64),
    ("map_ease_power", np.float64),
    ("low", np.float64),
    ("high", np.float64),
    ("map_ease_mode", np.int32),
    ("spare", np.int32, (3,)),
], align=True)

UNIT_PLAIN = 0
UNIT_SEMITONES = 1


@kernel
def ease(mode: int, power: float, x: float) -> float:
    """Kira's easings of a progress ``x`` in [0, 1]."""
    if mode == EASE_IN:
        return x if power == 1.0 else x ** power
    if mode == EASE_OUT:
        return 1.0 - (1.0 - x) ** power
    if x < 0.5:
        return (2.0 * x) ** power * 0.5
    return 1.0 - (2.0 - 2.0 * x) ** power * 0.5


@kernel
def resolve(kind: int, clock: int, generation: int, value: float, frame: int, n: int,
            clock_times: np.ndarray, clock_ticking: np.ndarray, clock_generations: np.ndarray) -> int:
    """The offset in this chunk at which a start time falls, ``NOT_YET``, or ``CLOCK_GONE``.

    A frame start is an absolute output frame; a clock start is a time in
    ticks, reached on the first frame whose clock time is at or past it. A
    clock that is paused or stopped holds it back.
    """
    if kind == PEND_NONE:
        return 0
    if kind == PEND_FRAME:
        offset = int(value) - frame
        if offset >= n:
            return NOT_YET
        return offset if offset > 0 else 0
    if kind == PEND_CLOCK:
        if clock < 0 or clock >= clock_generations.shape[0] or clock_generations[clock] != generation:
            return CLOCK_GONE
        if clock_ticking[clock] == 0:
            return NOT_YET
        times = clock_times[clock]
        if times[n - 1] < value:
            return NOT_YET
        low, high = 0, n - 1
        while low < high:
            middle = (low + high) // 2
            if times[middle] < value:
                low = middle + 1
            else:
                high = middle
        return low
    return NOT_YET


@kernel
def mapped(row, x: float) -> float:
    """A modulator's value through the row's mapping, clamped as the mapping says, then to the row's range."""
    y = (x - row.in0) / (row.in1 - row.in0)
    if row.clamp & CLAMP_BOTTOM and y < 0.0:
        y = 0.0
    if row.clamp & CLAMP_TOP and y > 1.0:
        y = 1.0
    if not (row.map_ease_mode == EASE_IN and row.map_ease_power == 1.0):
        # Ease inside [0, 1]; an unclamped value beyond it goes on linearly.
        inside = min(max(y, 0.0), 1.0)
        y = ease(row.map_ease_mode, row.map_ease_power, inside) + (y - inside)
    y = row.out0 + y * (row.out1 - row.out0)
    if y < row.low:
        y = row.low
    if y > row.high:
        y = row.high
    return y


@kernel
def _follow(row, frame: int, n: int, source_values: np.ndarray, source_generations: np.ndarray,
            out: np.ndarray) -> int:
    source = row.source
    if source < 0 or source >= source_generations.shape[0] or source_generations[source] != row.source_generation:
        # The modulator is gone: hold the last value for good.
        row.mode = FIXED
        return CONSTANT
    values = source_values[source]
    for k in range(n):
        out[k] = mapped(row, values[k])
    if not (math.isfinite(out[0]) and math.isfinite(out[n - 1])):
        for k in range(n):
            out[k] = row.value
        return CONSTANT
    row.value = out[n - 1]
    return FRAMES


@kernel
def evaluate(table: np.ndarray, index: int, frame: int, n: int,
             clock_times: np.ndarray, clock_ticking: np.ndarray, clock_generations: np.ndarray,
             source_values: np.ndarray, source_generations: np.ndarray, out: np.ndarray) -> int:
    """Move row ``index`` through the chunk of ``n`` frames starting at output ``frame``.

    Returns CONSTANT, RAMP or FRAMES (see the module docstring) and leaves
    ``row.value`` at the value of the chunk's last frame, ``row.status`` at
    STATUS_FINISHED with ``row.finished_at`` the offset where a tween reached
    its target, or STATUS_CLOCK_GONE when the clock a tween waited for was
    removed (the tween is dropped; the value stays). Runs on the audio thread.
    """
    row = table[index]
    row.status = STATUS_NONE
    row.finished_at = -1
    mode = row.mode
    if mode == FIXED:
        return CONSTANT
    if mode == FOLLOW:
        return _follow(row, frame, n, source_values, source_generations, out)
    if row.t0 < 0:
        if row.pend_kind == PEND_OWNER:
            return CONSTANT
        offset = resolve(row.pend_kind, row.pend_clock, row.pend_generation, row.pend_value, frame, n,
                         clock_times, clock_ticking, clock_generations)
        if offset == CLOCK_GONE:
            row.mode = FIXED
            row.status = STATUS_CLOCK_GONE
            return CONSTANT
        if offset < 0:
            return CONSTANT
        row.t0 = frame + offset
        row.start = row.value
        row.pend_kind = PEND_NONE
    to_follow = mode == TWEEN_TO_FOLLOW
    end = row.t0 + row.duration
    if end <= frame:
        row.finished_at = 0
        row.status = STATUS_FINISHED
        if to_follow:
            row.mode = FOLLOW
            result = _follow(row, frame, n, source_values, source_generations, out)
            row.status = STATUS_FINISHED
            row.finished_at = 0
            return result
        row.mode = FIXED
        row.value = row.target
        return CONSTANT
    start = row.start
    linear = row.ease_mode == EASE_IN and row.ease_power == 1.0
    ends_here = end < frame + n
    if not to_follow and linear and row.duration > 0 and row.t0 <= frame and not ends_here:
        slope = (row.target - start) / row.duration
        out[0] = start + (frame - row.t0) * slope
        out[1] = slope
        row.value = out[0] + (n - 1) * slope
        return RAMP
    source_ok = False
    values = source_values[0]
    if to_follow:
        source = row.source
        source_ok = (0 <= source < source_generations.shape[0]
                     and source_generations[source] == row.source_generation)
        if source_ok:
            values = source_values[source]
    for k in range(n):
        if row.duration == 0:
            progress = 1.0 if frame + k >= row.t0 else 0.0
        else:
            progress = (frame + k - row.t0) / row.duration
            if progress < 0.0:
                progress = 0.0
            elif progress > 1.0:
                progress = 1.0
            if not linear:
                progress = ease(row.ease_mode, row.ease_power, progress)
        target = row.target
        if source_ok:
            target = mapped(row, values[k])
            row.target = target
        out[k] = start + (target - start) * progress
    if ends_here:
        first = end - frame
        if to_follow and source_ok:
            row.mode = FOLLOW
        else:
            row.mode = FIXED
            for k in range(first, n):
                out[k] = row.target
        row.finished_at = first
        row.status = STATUS_FINISHED
    row.value = out[n - 1]
    return FRAMES


@kernel
def at(result: int, values: np.ndarray, constant: float, k: int) -> float:
    """Frame k of an evaluated row, read where ``evaluate`` left it: ``constant`` (the row's value),
    a ramp's start and slope in ``values[0:2]``, or ``values[k]``."""
    if result == CONSTANT:
        return constant
    if result == RAMP:
        return values[0] + k * values[1]
    return values[k]


@kernel
def fill(table: np.ndarray, index: int, result: int, n: int, out: np.ndarray) -> None:
    """Write the per-frame values of an evaluated row into ``out[:n]`` whatever ``result`` was."""
    if result == CONSTANT:
        value = table[index].value
        for k in range(n):
            out[k] = value
    elif result == RAMP:
        start, slope = out[0], out[1]
        for k in range(n):
            out[k] = start + k * slope


@kernel
def evaluate_rows(table: np.ndarray, first: int, count: int, frame: int, n: int, clock_times: np.ndarray,
                  clock_ticking: np.ndarray, clock_generations: np.ndarray, source_values: np.ndarray,
                  source_generations: np.ndarray, values: np.ndarray, changing: np.ndarray) -> None:
    """Rows ``first .. first + count`` through the chunk, one value per frame each into ``values``.

    ``changing[i]`` says whether row i varies within the chunk (an effect
    computes its coefficients once when none does). Runs on the audio thread.
    """
    for i in range(count):
        out = values[i]
        result = evaluate(table, first + i, frame, n, clock_times, clock_ticking, clock_generations,
                          source_values, source_generations, out)
        fill(table, first + i, result, n, out)
        changing[i] = 0 if result == CONSTANT else 1


@kernel
def factor(unit: int, value: float) -> float:
    """A row's value as the factor its user wants: semitones become 2 ** (st / 12)."""
    if unit == UNIT_SEMITONES:
        return math.exp2(value / 12.0)
    return value


@kernel
def amplitude(decibels: float) -> float:
    """Decibels to a gain factor; -60 dB and below is silence (exactly 0), as in Kira."""
    if decibels <= -60.0:
        return 0.0
    return math.exp(decibels * LN10_OVER_20)
