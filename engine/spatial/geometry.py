"""Positions and orientations: metres, right-handed, +X right, +Y up, a listener looks towards -Z.

Orientations are unit quaternions (x, y, z, w), as glam and mint store them;
(0, 0, 0, 1) looks along -Z with +X to its right.
"""

from __future__ import annotations

import math

from .. import validate
from ..errors import InvalidValue

IDENTITY = (0.0, 0.0, 0.0, 1.0)
# How far from the origin a position may be, in metres.
MAX_METRES = 1e7


def check_position(field: str, position: object) -> tuple[float, float, float]:
    if not isinstance(position, (tuple, list)) or len(position) != 3:
        raise InvalidValue(field, "must be three numbers (x, y, z) in metres")
    return tuple(validate.in_range(f"{field}[{i}]", v, -MAX_METRES, MAX_METRES) for i, v in enumerate(position))  # type: ignore[return-value]


def check_orientation(field: str, orientation: object) -> tuple[float, float, float, float]:
    """A quaternion (x, y, z, w), normalised; it must not be (0, 0, 0, 0)."""
    if not isinstance(orientation, (tuple, list)) or len(orientation) != 4:
        raise InvalidValue(field, "must be a quaternion of four numbers (x, y, z, w)")
    q = [validate.in_range(f"{field}[{i}]", v, -1e6, 1e6) for i, v in enumerate(orientation)]
    norm = math.sqrt(sum(c * c for c in q))
    if norm < 1e-9:
        raise InvalidValue(field, "must not be all zeros (use (0, 0, 0, 1) for no rotation)")
    return (q[0] / norm, q[1] / norm, q[2] / norm, q[3] / norm)


def from_yaw_pitch_roll(yaw: float, pitch: float, roll: float) -> tuple[float, float, float, float]:
    """A quaternion (x, y, z, w) from degrees: yaw turns left (about +Y), pitch looks up (about +X),
    roll tilts (about -Z), applied in that order."""
    y, p, r = (math.radians(validate.finite(n, v)) / 2 for n, v in (("yaw", yaw), ("pitch", pitch), ("roll", roll)))
    qy = (0.0, math.sin(y), 0.0, math.cos(y))
    qp = (math.sin(p), 0.0, 0.0, math.cos(p))
    qr = (0.0, 0.0, -math.sin(r), math.cos(r))
    return multiply(multiply(qy, qp), qr)


def multiply(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float, float, float]:
    ax, ay, az, aw = a
    bx, by, bz, bw = b
    return (aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
            aw * bw - ax * bx - ay * by - az * bz)
