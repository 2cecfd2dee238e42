"""Loop regions: where a voice's positions and interpolation taps wrap.

Both render paths (a voice alone, and the batch) wrap through these, so a
loop sounds the same whichever path plays it.
"""

from __future__ import annotations

import numpy as np


def loops_now(position: float, loop: tuple[int, int] | None, reverse: bool) -> bool:
    """Whether a voice at ``position`` (source frames) is held by its loop.

    Forwards, always: a start before the loop plays into it, a start past
    it wraps back. Backwards, only from the loop's start up: below it the
    voice plays out to the beginning.
    """
    return loop is not None and (not reverse or position >= loop[0])


def crossed(position: float, loop: tuple[int, int], reverse: bool) -> bool:
    """Whether ``position`` is past the end the voice is moving towards."""
    return position < loop[0] if reverse else position >= loop[1]


def wrap_position(position: float, loop: tuple[int, int]) -> float:
    start, end = loop
    return start + (position - start) % (end - start)


def wrap_positions(positions: np.ndarray, loop: tuple[int, int], reverse: bool) -> None:
    """Fold the positions that went past the loop back into it, in place."""
    start, end = loop
    past = positions < start if reverse else positions >= end
    positions[past] = start + np.mod(positions[past] - start, end - start)


def wrap_taps(index: np.ndarray, loop: tuple[int, int], reverse: bool) -> None:
    """Fold tap indices that reach past the loop back into it, in place.

    Taps index the padded source, which has one frame before the sound, so
    frame f of the sound is tap index f + 1.
    """
    start, end = loop[0] + 1, loop[1] + 1
    if reverse:
        index[index < start] += end - start
    else:
        index[index >= end] -= end - start
