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
