"""Compiled helpers every effect kernel shares: gains, the dry/wet blend, denormal flushing.

Kernels keep their state in float64 and flush any state whose magnitude
falls below ``FLUSH`` to exactly 0: decaying filters and feedback loops then
reach true silence instead of crawling through denormal numbers (slow on
x86) for minutes, and a NaN that got into a state is dropped too (it fails
both comparisons). ``FLUSH`` is 300 dB below full scale, far below hearing.
"""

from __future__ import annotations

import math

import numpy as np

from .. import parameter_kernel as pk
from ..jit import kernel

FLUSH = 1e-15
_FLUSH32 = np.float32(FLUSH)
# A loop (delay feedback, reverb combs) is clamped to this magnitude, 36 dB
# over full scale: only a loop whose gain reaches 1 (feedback effects with
# gain, a frozen reverb fed DC) ever gets there, and it stays finite.
LOOP_LIMIT = 64.0
SILENCE_DB = -60.0
LN10_OVER_20 = math.log(10.0) / 20.0
LN10_OVER_40 = math.log(10.0) / 40.0


@kernel
def flush(x):
    """``x``, or 0 when it is within ``FLUSH`` of 0 or not a number."""
    return x if abs(x) > FLUSH else 0.0


@kernel
def flush32(x):
    """``flush`` in single precision."""
    return x if abs(x) > _FLUSH32 else np.float32(0.0)


@kernel
def limit(x):
    """``x`` flushed (a NaN becomes 0) and held within ±LOOP_LIMIT."""
    return min(max(x if abs(x) > FLUSH else 0.0, -LOOP_LIMIT), LOOP_LIMIT)


@kernel
def volume_gain(db):
    """A level in decibels as a factor; -60 dB and below is silence (0), as in Kira."""
    if db <= SILENCE_DB:
        return 0.0
    return math.exp(db * LN10_OVER_20)


@kernel
def db_gain(db):
    """Decibels as a factor, with no silence floor (for drives and thresholds)."""
    return math.exp(db * LN10_OVER_20)


@kernel
def wet_gain(mix):
    """The wet signal's factor for ``mix`` (0 dry .. 1 wet): Kira's equal-power blend."""
    m = min(max(mix, 0.0), 1.0)
    return math.sqrt(m)


@kernel
def dry_gain(mix):
    """The dry signal's factor for ``mix``: sqrt(1 - mix)."""
    m = min(max(mix, 0.0), 1.0)
    return math.sqrt(1.0 - m)


@kernel
def crossfade(buffer, dry, wet, n):
    """``buffer`` (the effect's output, 2 x n) blended back towards ``dry`` by the per-frame ``wet`` gain."""
    for c in range(2):
        out = buffer[c]
        source = dry[c]
        for k in range(n):
            w = wet[k]
            out[k] = source[k] * (1.0 - w) + out[k] * w


# What ``step`` found an effect's wet gain to be over the chunk.
WET_OUT = 0
WET_FULL = 1
WET_VARIES = 2


@kernel
def step(rows, first, count, wet_row, frame, n, clock_times, clock_ticking, clock_generations, source_values,
         source_generations, values, changing, wet, shared, slot):
    """Move an effect's wet gain and parameters through the chunk, and share their values. Runs on the audio thread.

    Returns WET_OUT (the wet gain is 0 all chunk: parameters not evaluated,
    the effect not run), WET_FULL (1 all chunk) or WET_VARIES (``wet[:n]``
    holds it per frame). ``values`` and ``changing`` get the parameters, as
    ``parameter_kernel.evaluate_rows`` gives them.
    """
    result = pk.evaluate(rows, wet_row, frame, n, clock_times, clock_ticking, clock_generations, source_values,
                         source_generations, wet)
    record = shared[slot]
    level = rows[wet_row].value
    record.wet = level
    if result == pk.CONSTANT:
        if level == 0.0:
            return WET_OUT
        mode = WET_FULL if level == 1.0 else WET_VARIES
        if mode == WET_VARIES:
            for k in range(n):
                wet[k] = level
    else:
        pk.fill(rows, wet_row, result, n, wet)
        mode = WET_VARIES
    pk.evaluate_rows(rows, first, count, frame, n, clock_times, clock_ticking, clock_generations, source_values,
                     source_generations, values, changing)
    for i in range(count):
        record.values[i] = rows[first + i].value
    return mode
