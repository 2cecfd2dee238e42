"""The spatial kernel: where every spatial track is from its listener, once a chunk.

For each spatial track it finds, at the chunk's first and last frame, its
distance to its listener, the attenuation that distance gives (decibels,
from 0 at the min distance to silence at the max, along the easing, as
Kira), its direction in the listener's frame (its pan), the spatialization
strength, and with Doppler the pitch factor its approach or retreat gives.
The mixer's route kernel ramps them across the chunk; the voice kernel
ramps the pitch factor. Parameters that follow the listener distance read
the distance, ramped, from their source row.
"""

from __future__ import annotations

import math

import numpy as np

from .. import parameter_kernel as pk
from ..jit import kernel

SPATIAL = np.dtype([
    ("listener", np.int64),
    ("listener_generation", np.int64),
    ("min_distance", np.float64),
    ("max_distance", np.float64),
    ("attenuate", np.int64),
    ("ease_mode", np.int64),
    ("ease_power", np.float64),
    ("doppler", np.int64),
    ("speed_of_sound", np.float64),
    ("x", np.int64),
    ("strength", np.int64),
    ("previous_distance", np.float64),
    ("previous_factor", np.float64),
    ("has_previous", np.int64),
    ("source", np.int64),
], align=True)

# out[b]: attenuation dB at the chunk's first and last frame, pan at both, strength at both.
STATE = 6
# Pitch factors a moving emitter may reach (two octaves either way), whatever its speed.
DOPPLER_LIMITS = (0.25, 4.0)
SILENCE = -60.0


@kernel
def _first_last(result: int, values: np.ndarray, constant: float, n: int) -> tuple[float, float]:
    if result == pk.CONSTANT:
        return constant, constant
    if result == pk.RAMP:
        return values[0], values[0] + (n - 1) * values[1]
    return values[0], values[n - 1]


@kernel
def _rotate_into(q: np.ndarray, vx: float, vy: float, vz: float) -> float:
    """The x component of (vx, vy, vz) seen from an orientation q (x, y, z, w): q's conjugate applied."""
    qx, qy, qz, qw = -q[0], -q[1], -q[2], q[3]
    # t = 2 * cross(q.xyz, v); v' = v + w * t + cross(q.xyz, t)
    tx = 2.0 * (qy * vz - qz * vy)
    ty = 2.0 * (qz * vx - qx * vz)
    tz = 2.0 * (qx * vy - qy * vx)
    return vx + qw * tx + (qy * tz - qz * ty)


@kernel
def _attenuation(spatial, distance: float) -> float:
    if spatial.attenuate == 0:
        return 0.0
    span = spatial.max_distance - spatial.min_distance
    relative = (distance - spatial.min_distance) / span
    if relative < 0.0:
        relative = 0.0
    elif relative > 1.0:
        relative = 1.0
    return SILENCE + (0.0 - SILENCE) * pk.ease(spatial.ease_mode, spatial.ease_power, 1.0 - relative)


@kernel
def spatialize(order: np.ndarray, count: int, spatial_table: np.ndarray, table: np.ndarray,
               listener_state: np.ndarray, listener_generations: np.ndarray, frame: int, n: int,
               sample_rate: float, clock_times: np.ndarray, clock_ticking: np.ndarray,
               clock_generations: np.ndarray, source_values: np.ndarray, source_generations: np.ndarray,
               scratch: np.ndarray, out: np.ndarray, doppler: np.ndarray, shared: np.ndarray) -> None:
    """Fill ``out`` and ``doppler`` for the spatial tracks ``order[:count]`` (buffer indices).

    ``listener_state[l]`` holds listener l's position at the chunk's first
    and last frame (0:3, 3:6) and orientation at both (6:10, 10:14).
    Runs on the audio thread.
    """
    for a in range(count):
        b = order[a]
        spatial = spatial_table[b]
        ends = scratch[4]  # x, y, z at the first frame, then at the last
        for i in range(3):
            row = spatial.x + i
            result = pk.evaluate(table, row, frame, n, clock_times, clock_ticking, clock_generations, source_values,
                                 source_generations, scratch[i])
            ends[i], ends[3 + i] = _first_last(result, scratch[i], table[row].value, n)
        result = pk.evaluate(table, spatial.strength, frame, n, clock_times, clock_ticking, clock_generations,
                             source_values, source_generations, scratch[3])
        s0, s1 = _first_last(result, scratch[3], table[spatial.strength].value, n)
        listener = spatial.listener
        record = shared[b]
        record.position[0], record.position[1], record.position[2] = ends[3], ends[4], ends[5]
        if listener < 0 or listener >= listener_generations.shape[0] \
                or listener_generations[listener] != spatial.listener_generation:
            # No listener: silent, as in Kira.
            out[b, 0] = out[b, 1] = SILENCE
            out[b, 2] = out[b, 3] = 0.0
            out[b, 4] = out[b, 5] = 0.0
            record.distance = math.inf
            doppler[b, 0], doppler[b, 1] = 1.0, 0.0
            continue
        state = listener_state[listener]
        d0 = d1 = 0.0
        for end in range(2):
            vx = ends[3 * end] - state[3 * end]
            vy = ends[3 * end + 1] - state[3 * end + 1]
            vz = ends[3 * end + 2] - state[3 * end + 2]
            distance = math.sqrt(vx * vx + vy * vy + vz * vz)
            if end == 0:
                d0 = distance
            else:
                d1 = distance
            q = state[6 + 4 * end : 10 + 4 * end]
            pan = _rotate_into(q, vx, vy, vz) / distance if distance > 1e-9 else 0.0
            out[b, end] = _attenuation(spatial, distance)
            out[b, 2 + end] = min(max(pan, -1.0), 1.0)
        out[b, 4], out[b, 5] = s0, s1
        record.distance = d1
        if spatial.source >= 0:
            values = source_values[spatial.source]
            step = (d1 - d0) / (n - 1) if n > 1 else 0.0
            for k in range(n):
                values[k] = d0 + k * step
        if spatial.doppler != 0:
            factor = 1.0
            if spatial.has_previous != 0:
                # The distance's rate of change over the chunk: negative while closing in.
                speed = (d1 - spatial.previous_distance) * sample_rate / n
                c = spatial.speed_of_sound
                factor = c / max(c + speed, 1e-9)
                factor = min(max(factor, DOPPLER_LIMITS[0]), DOPPLER_LIMITS[1])
            start = spatial.previous_factor if spatial.has_previous != 0 else factor
            doppler[b, 0] = start
            doppler[b, 1] = (factor - start) / n
            spatial.previous_factor = factor
        else:
            doppler[b, 0], doppler[b, 1] = 1.0, 0.0
        spatial.previous_distance = d1
        spatial.has_previous = 1


@kernel
def inherit_doppler(order: np.ndarray, count: int, parents: np.ndarray, own: np.ndarray, doppler: np.ndarray,
                    n: int) -> None:
    """A track below a moving emitter shifts with it: each of ``order[:count]`` (parents first) multiplies
    its own factor (``own[b]``: 1 when it has none) by its parent's."""
    for a in range(count):
        b = order[a]
        parent = parents[b]
        p0, ps = (doppler[parent, 0], doppler[parent, 1]) if parent > 0 else (1.0, 0.0)
        o0, os = own[b, 0], own[b, 1]
        start = p0 * o0
        end = (p0 + n * ps) * (o0 + n * os)
        doppler[b, 0] = start
        doppler[b, 1] = (end - start) / n
