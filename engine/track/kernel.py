"""The mixer kernels: tracks of one depth passed on to their parents and sends in one call.

Each track is a row of ``TRACK`` indexed by its buffer (0 the main track,
then sub tracks, then send tracks). ``route`` takes the buffers of a list of
tracks, applies each one's volume, fade, mute/solo gain and panning per
frame, meters the result, and adds it to the parent's buffer and, with each
route's own volume, to the send tracks' buffers. ``finish`` does the main
track: its gain, a clamp to full scale, its meters, the output block.
"""

from __future__ import annotations

import math

import numpy as np

from .. import parameter_kernel as pk
from ..jit import kernel

SQRT2 = math.sqrt(2.0)
# Below this a meter reads exactly 0 rather than decaying through subnormal floats.
METER_FLOOR = 1e-9

TRACK = np.dtype([
    ("parent", np.int64),
    ("volume", np.int64),
    ("panning", np.int64),
    ("fade", np.int64),
    ("audible", np.int64),
    ("sends", np.int64),
    ("record", np.int64),
    ("spatial", np.int64),
    ("peak_left", np.float64),
    ("peak_right", np.float64),
    ("square_left", np.float64),
    ("square_right", np.float64),
], align=True)


@kernel
def _gain(table: np.ndarray, track, frame: int, n: int, clock_times: np.ndarray, clock_ticking: np.ndarray,
          clock_generations: np.ndarray, source_values: np.ndarray, source_generations: np.ndarray,
          scratch: np.ndarray) -> bool:
    """The track's gain over the chunk into ``scratch[4]``, and its pan gains into ``scratch[5:7]``.

    Returns whether anything varies within the chunk (else index 0 holds it).
    """
    rv = pk.evaluate(table, track.volume, frame, n, clock_times, clock_ticking, clock_generations,
                     source_values, source_generations, scratch[0])
    rp = pk.evaluate(table, track.panning, frame, n, clock_times, clock_ticking, clock_generations,
                     source_values, source_generations, scratch[1])
    rf = pk.evaluate(table, track.fade, frame, n, clock_times, clock_ticking, clock_generations,
                     source_values, source_generations, scratch[2])
    ra = pk.evaluate(table, track.audible, frame, n, clock_times, clock_ticking, clock_generations,
                     source_values, source_generations, scratch[3])
    v, p, f, a = (table[track.volume].value, table[track.panning].value, table[track.fade].value,
                  table[track.audible].value)
    varies = not (rv == pk.CONSTANT and rp == pk.CONSTANT and rf == pk.CONSTANT and ra == pk.CONSTANT)
    count = n if varies else 1
    for k in range(count):
        g = (pk.amplitude(pk.at(rv, scratch[0], v, k)) * pk.amplitude(pk.at(rf, scratch[2], f, k))
             * pk.at(ra, scratch[3], a, k))
        m = (pk.at(rp, scratch[1], p, k) + 1.0) * 0.5
        scratch[4, k] = g
        scratch[5, k] = g * math.sqrt(1.0 - m) * SQRT2
        scratch[6, k] = g * math.sqrt(m) * SQRT2
    return varies


@kernel
def _meter(track, left: np.ndarray, right: np.ndarray, n: int, fall: float, smoothing: float,
           record) -> None:
    peak_left = 0.0
    peak_right = 0.0
    square_left = 0.0
    square_right = 0.0
    for k in range(n):
        a, b = abs(left[k]), abs(right[k])
        if a > peak_left:
            peak_left = a
        if b > peak_right:
            peak_right = b
        square_left += left[k] * left[k]
        square_right += right[k] * right[k]
    peak_left = max(peak_left, track.peak_left * fall)
    peak_right = max(peak_right, track.peak_right * fall)
    square_left = smoothing * track.square_left + (1.0 - smoothing) * square_left / n
    square_right = smoothing * track.square_right + (1.0 - smoothing) * square_right / n
    track.peak_left = peak_left if peak_left >= METER_FLOOR else 0.0
    track.peak_right = peak_right if peak_right >= METER_FLOOR else 0.0
    track.square_left = square_left if square_left >= METER_FLOOR * METER_FLOOR else 0.0
    track.square_right = square_right if square_right >= METER_FLOOR * METER_FLOOR else 0.0
    record.peak[0] = track.peak_left
    record.peak[1] = track.peak_right
    record.rms[0] = math.sqrt(track.square_left)
    record.rms[1] = math.sqrt(track.square_right)


@kernel
def _spatialize(left: np.ndarray, right: np.ndarray, state: np.ndarray, n: int) -> None:
    """A spatial track's attenuation and direction, ramped across the chunk (see spatial/kernel.py).

    With strength s, what comes out is (1 - s) of the track as it is plus s
    of its mono sum placed by the pan law in its direction: at 1, a track to
    the listener's right is hard right; at 0 it is left as it is.
    """
    g0, g1, p0, p1, s0, s1 = state[0], state[1], state[2], state[3], state[4], state[5]
    for k in range(n):
        t = k / (n - 1) if n > 1 else 1.0
        g = pk.amplitude(g0 + (g1 - g0) * t)
        pan = p0 + (p1 - p0) * t
        strength = s0 + (s1 - s0) * t
        m = (pan + 1.0) * 0.5
        mono = 0.5 * (left[k] + right[k])
        l = (1.0 - strength) * left[k] + strength * mono * math.sqrt(1.0 - m) * SQRT2
        r = (1.0 - strength) * right[k] + strength * mono * math.sqrt(m) * SQRT2
        left[k] = g * l
        right[k] = g * r


@kernel
def clear(buffers: np.ndarray, live: np.ndarray, n: int) -> None:
    """Zero the first ``n`` frames of the buffers ``live``. Runs on the audio thread."""
    for i in range(live.shape[0]):
        buffer = buffers[live[i]]
        for k in range(n):
            buffer[0, k] = 0.0
            buffer[1, k] = 0.0


@kernel
def route(order: np.ndarray, count: int, tracks: np.ndarray, routes: np.ndarray, send_base: int,
          spatial: np.ndarray, buffers: np.ndarray, table: np.ndarray, frame: int, n: int, clock_times: np.ndarray,
          clock_ticking: np.ndarray, clock_generations: np.ndarray, source_values: np.ndarray,
          source_generations: np.ndarray, scratch: np.ndarray, fall: float, smoothing: float,
          shared: np.ndarray, levels: np.ndarray) -> None:
    """Pass the buffers of tracks ``order[:count]`` on to their parents and sends. Runs on the audio thread.

    A track's buffer is left holding what it passed on (after gain and
    panning), which is what its meters show; ``levels`` (shared) gets each
    route's level as rendered, NaN where there is none.
    """
    sends = routes.shape[1]
    for a in range(count):
        index = order[a]
        track = tracks[index]
        varies = _gain(table, track, frame, n, clock_times, clock_ticking, clock_generations, source_values,
                       source_generations, scratch)
        buffer = buffers[index]
        left, right = buffer[0], buffer[1]
        if track.spatial != 0:
            _spatialize(left, right, spatial[index], n)
        if varies:
            for k in range(n):
                left[k] *= scratch[5, k]
                right[k] *= scratch[6, k]
        else:
            gl, gr = np.float32(scratch[5, 0]), np.float32(scratch[6, 0])
            for k in range(n):
                left[k] *= gl
                right[k] *= gr
        record = shared[track.record]
        _meter(track, left, right, n, fall, smoothing, record)
        record.volume = table[track.volume].value
        record.panning = table[track.panning].value
        parent = buffers[track.parent]
        for k in range(n):
            parent[0, k] += left[k]
            parent[1, k] += right[k]
        if track.sends < 0:
            continue
        for j in range(sends):
            if routes[index, j] == 0:
                levels[track.record, j] = np.nan
                continue
            row = track.sends + j
            rs = pk.evaluate(table, row, frame, n, clock_times, clock_ticking, clock_generations, source_values,
                             source_generations, scratch[7])
            levels[track.record, j] = table[row].value
            target = buffers[send_base + j]
            if rs == pk.CONSTANT:
                g = np.float32(pk.amplitude(table[row].value))
                for k in range(n):
                    target[0, k] += g * left[k]
                    target[1, k] += g * right[k]
            else:
                value = table[row].value
                for k in range(n):
                    g = np.float32(pk.amplitude(pk.at(rs, scratch[7], value, k)))
                    target[0, k] += g * left[k]
                    target[1, k] += g * right[k]


@kernel
def finish(tracks: np.ndarray, buffers: np.ndarray, table: np.ndarray, frame: int, n: int,
           clock_times: np.ndarray, clock_ticking: np.ndarray, clock_generations: np.ndarray,
           source_values: np.ndarray, source_generations: np.ndarray, scratch: np.ndarray, fall: float,
           smoothing: float, shared: np.ndarray, out: np.ndarray) -> None:
    """The main track (buffer 0) into ``out`` (n, 2), clamped to [-1, 1] so nothing beyond full scale
    reaches the output. Runs on the audio thread."""
    track = tracks[0]
    varies = _gain(table, track, frame, n, clock_times, clock_ticking, clock_generations, source_values,
                   source_generations, scratch)
    buffer = buffers[0]
    left, right = buffer[0], buffer[1]
    for k in range(n):
        i = k if varies else 0
        x = left[k] * scratch[5, i]
        y = right[k] * scratch[6, i]
        x = -1.0 if x < -1.0 else (1.0 if x > 1.0 else x)
        y = -1.0 if y < -1.0 else (1.0 if y > 1.0 else y)
        left[k] = x
        right[k] = y
        out[k, 0] = x
        out[k, 1] = y
    record = shared[track.record]
    _meter(track, left, right, n, fall, smoothing, record)
    record.volume = table[track.volume].value
    record.panning = table[track.panning].value
