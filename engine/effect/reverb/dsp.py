"""The reverb on the audio thread: Freeverb (Jezar at Dreampoint's public-domain design), as Kira's.

Comb and all-pass lengths are Freeverb's (in frames at 44.1 kHz, scaled to
the sample rate), the right channel's 23 frames longer. The kernel runs
a channel's eight combs over the whole block in one pass (they are
independent given the input), then a channel's four all-pass stages, in
series, frame by frame; the result is the same as Freeverb's order, and
every loop's state stays in registers. Lines and loops are single
precision, as in Freeverb and Kira. Lines are indexed with unsigned
integers: a signed index makes numba test every access for a negative
value, which cost more than the arithmetic here.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from ...jit import kernel
from ..kernels import FLUSH, dry_gain, flush32, limit, wet_gain
from ..memory import Layout
from ..params import extremes
from .settings import SPECS, ReverbBuilder

COMBS = (1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617)
ALL_PASSES = (556, 441, 341, 225)
STEREO_SPREAD = 23
REFERENCE_RATE = 44_100
INPUT_GAIN = np.float32(0.015)  # Freeverb's fixed gain into the combs
ALL_PASS_FEEDBACK = np.float32(0.5)
MAX_DAMPING = 0.99  # at 1 the loop filter would hold its value for ever
# Rows of the line table: where each line starts in `lines`, its length, the frame it is at.
# Columns: the 16 combs (left then right), then the 8 all-passes.
START, LENGTH, AT = 0, 1, 2
FIRST_PASS = 2 * len(COMBS)
# Rows of the scratch block.
WET_LEFT, WET_RIGHT, MONO = 0, 1, 2


def _lengths(sample_rate: int) -> list[int]:
    """Comb then all-pass lengths in frames, each left channel's then right channel's."""
    def scaled(size: int) -> int:
        return int(size * sample_rate / REFERENCE_RATE)
    return ([scaled(s) for s in COMBS] + [scaled(s + STEREO_SPREAD) for s in COMBS]
            + [scaled(s) for s in ALL_PASSES] + [scaled(s + STEREO_SPREAD) for s in ALL_PASSES])


def _layout(sample_rate: int, chunk_size: int) -> Layout:
    lengths = _lengths(sample_rate)
    # The state reset() clears comes first; the table's starts and lengths are written once by __init__.
    return (Layout().add("lines", sum(lengths), np.float32).add("store", FIRST_PASS)
            .add("scratch", (3, chunk_size), np.float32).add("table", (3, len(lengths)), np.int64))


@kernel
def _combs(lines, table, store, scratch, start, stop, values, looping, side):
    """One channel's eight combs over the block, summed into its wet row of ``scratch``.

    The eight loops run side by side in one pass, so their recursions
    overlap instead of waiting on each other; the block is cut where a
    comb's line wraps, so no frame tests for it.
    """
    c = side * 8
    mono = scratch[MONO]
    wet = scratch[side]
    s0 = np.float32(store[c])
    s1 = np.float32(store[c + 1])
    s2 = np.float32(store[c + 2])
    s3 = np.float32(store[c + 3])
    s4 = np.float32(store[c + 4])
    s5 = np.float32(store[c + 5])
    s6 = np.float32(store[c + 6])
    s7 = np.float32(store[c + 7])
    feedback = np.float32(values[0, start])
    damp = np.float32(min(values[1, start], MAX_DAMPING))
    keep = np.float32(1.0) - damp
    n = start
    while n < stop:
        run = stop - n
        for j in range(c, c + 8):
            run = min(run, table[LENGTH, j] - table[AT, j])
        p0 = np.uint64(table[START, c] + table[AT, c])
        p1 = np.uint64(table[START, c + 1] + table[AT, c + 1])
        p2 = np.uint64(table[START, c + 2] + table[AT, c + 2])
        p3 = np.uint64(table[START, c + 3] + table[AT, c + 3])
        p4 = np.uint64(table[START, c + 4] + table[AT, c + 4])
        p5 = np.uint64(table[START, c + 5] + table[AT, c + 5])
        p6 = np.uint64(table[START, c + 6] + table[AT, c + 6])
        p7 = np.uint64(table[START, c + 7] + table[AT, c + 7])
        first = np.uint64(n)
        for i in range(run):
            k = np.uint64(i)
            if looping:
                feedback = np.float32(values[0, n + i])
                damp = np.float32(min(values[1, n + i], MAX_DAMPING))
                keep = np.float32(1.0) - damp
            m = mono[first + k]
            o0 = lines[p0 + k]
            o1 = lines[p1 + k]
            o2 = lines[p2 + k]
            o3 = lines[p3 + k]
            o4 = lines[p4 + k]
            o5 = lines[p5 + k]
            o6 = lines[p6 + k]
            o7 = lines[p7 + k]
            # Flushing the loop filters is enough: with no input, a line is fed only by its filter.
            s0 = flush32(o0 * keep + s0 * damp)
            s1 = flush32(o1 * keep + s1 * damp)
            s2 = flush32(o2 * keep + s2 * damp)
            s3 = flush32(o3 * keep + s3 * damp)
            s4 = flush32(o4 * keep + s4 * damp)
            s5 = flush32(o5 * keep + s5 * damp)
            s6 = flush32(o6 * keep + s6 * damp)
            s7 = flush32(o7 * keep + s7 * damp)
            lines[p0 + k] = m + s0 * feedback
            lines[p1 + k] = m + s1 * feedback
            lines[p2 + k] = m + s2 * feedback
            lines[p3 + k] = m + s3 * feedback
            lines[p4 + k] = m + s4 * feedback
            lines[p5 + k] = m + s5 * feedback
            lines[p6 + k] = m + s6 * feedback
            lines[p7 + k] = m + s7 * feedback
            wet[first + k] = ((o0 + o1) + (o2 + o3)) + ((o4 + o5) + (o6 + o7))
        for j in range(c, c + 8):
            at = table[AT, j] + run
            table[AT, j] = 0 if at == table[LENGTH, j] else at
        n += run
    # Held within LOOP_LIMIT once a block: a frozen room fed DC grows by at most a block's input meanwhile.
    store[c] = limit(s0)
    store[c + 1] = limit(s1)
    store[c + 2] = limit(s2)
    store[c + 3] = limit(s3)
    store[c + 4] = limit(s4)
    store[c + 5] = limit(s5)
    store[c + 6] = limit(s6)
    store[c + 7] = limit(s7)


@kernel
def _all_passes(lines, table, scratch, start, stop):
    """Each channel's four all-pass stages in series, frame by frame, on its wet row of ``scratch``."""
    stages = len(ALL_PASSES)
    for side in range(2):
        wet = scratch[side]
        c = FIRST_PASS + side * stages
        n = start
        while n < stop:
            run = stop - n
            for j in range(c, c + stages):
                run = min(run, table[LENGTH, j] - table[AT, j])
            p0 = np.uint64(table[START, c] + table[AT, c])
            p1 = np.uint64(table[START, c + 1] + table[AT, c + 1])
            p2 = np.uint64(table[START, c + 2] + table[AT, c + 2])
            p3 = np.uint64(table[START, c + 3] + table[AT, c + 3])
            first = np.uint64(n)
            for i in range(run):
                k = np.uint64(i)
                x = wet[first + k]
                delayed = lines[p0 + k]
                lines[p0 + k] = flush32(x + delayed * ALL_PASS_FEEDBACK)
                x = delayed - x
                delayed = lines[p1 + k]
                lines[p1 + k] = flush32(x + delayed * ALL_PASS_FEEDBACK)
                x = delayed - x
                delayed = lines[p2 + k]
                lines[p2 + k] = flush32(x + delayed * ALL_PASS_FEEDBACK)
                x = delayed - x
                delayed = lines[p3 + k]
                lines[p3 + k] = flush32(x + delayed * ALL_PASS_FEEDBACK)
                wet[first + k] = delayed - x
            for j in range(c, c + stages):
                at = table[AT, j] + run
                table[AT, j] = 0 if at == table[LENGTH, j] else at
            n += run


@kernel
def _reverb_kernel(buffer, start, stop, values, changing, lines, table, store, scratch):
    # rows: feedback, damping, stereo_width, mix
    for n in range(start, stop):
        scratch[MONO, n] = (buffer[0, n] + buffer[1, n]) * INPUT_GAIN
    looping = changing[0] != 0 or changing[1] != 0
    _combs(lines, table, store, scratch, start, stop, values, looping, 0)
    _combs(lines, table, store, scratch, start, stop, values, looping, 1)
    _all_passes(lines, table, scratch, start, stop)
    widening = changing[2] != 0
    mixing = changing[3] != 0
    width = values[2, start]
    mix = values[3, start]
    wet_share = wet_gain(mix)
    dry_share = dry_gain(mix)
    for n in range(start, stop):
        if widening:
            width = values[2, n]
        if mixing:
            mix = values[3, n]
            wet_share = wet_gain(mix)
            dry_share = dry_gain(mix)
        if mix > 0.0:
            own = width * 0.5 + 0.5
            other = (1.0 - width) * 0.5
            wl = np.float64(scratch[WET_LEFT, n])
            wr = np.float64(scratch[WET_RIGHT, n])
            buffer[0, n] = (wl * own + wr * other) * wet_share + np.float64(buffer[0, n]) * dry_share
            buffer[1, n] = (wr * own + wl * other) * wet_share + np.float64(buffer[1, n]) * dry_share


class ReverbDsp:
    """A reverb's audio-thread side; its comb and all-pass lines live in the caller's ``memory``."""

    PARAMS: ClassVar[tuple[str, ...]] = ("feedback", "damping", "stereo_width", "mix")
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {}

    @staticmethod
    def memory_bytes(settings: ReverbBuilder, sample_rate: int, chunk_size: int) -> int:
        """Bytes of state: 16 comb and 8 all-pass lines (about 110 KB at 48 kHz) and a block of scratch."""
        return _layout(sample_rate, chunk_size).nbytes

    def __init__(self, settings: ReverbBuilder, memory: np.ndarray, sample_rate: int, chunk_size: int) -> None:
        views = _layout(sample_rate, chunk_size).views(memory)
        offset = 0
        for i, size in enumerate(_lengths(sample_rate)):
            views.table[START, i] = offset
            views.table[LENGTH, i] = size
            offset += size
        self._lines, self._table, self._store, self._scratch = views.lines, views.table, views.store, views.scratch
        self._state = memory[:views.table.ctypes.data - memory.ctypes.data]

    def process(self, buffer: np.ndarray, start: int, stop: int, values: np.ndarray, changing: np.ndarray) -> None:
        """Add the room to ``buffer[:, start:stop]`` in place. Runs on the audio thread."""
        _reverb_kernel(buffer, start, stop, values, changing, self._lines, self._table, self._store, self._scratch)

    def reset(self) -> None:
        """Empty the room. May run on the audio thread: it allocates nothing."""
        self._state.fill(0)
        self._table[AT].fill(0)

    @staticmethod
    def tail_seconds(settings: ReverbBuilder, sample_rate: int) -> float:
        """Seconds until the output is exactly 0 after the input falls silent; ``math.inf`` at feedback 1.

        Every comb loses at least ``feedback`` per trip round its loop and
        every all-pass half; counted from 80 dB over full scale down to
        FLUSH, with a fifth more for margin. A modulated feedback counts at 1.
        """
        feedback = max(float(b.feedback) for b in extremes(settings, SPECS))
        if feedback >= 1.0:
            return math.inf
        lengths = _lengths(sample_rate)
        depth = math.log(1e4 / FLUSH)
        trips = depth / -math.log(feedback) if feedback > 0.0 else 1.0
        frames = trips * max(lengths[:FIRST_PASS]) + depth / math.log(2.0) * sum(lengths[FIRST_PASS:])
        return (1.2 * frames + 64) / sample_rate
