"""How an effect's state is laid out in the memory its caller allocates.

The caller (the mixer, on its own thread) allocates one zeroed, 64-byte
aligned block of ``memory_bytes`` per effect, in shared memory if it likes;
the audio thread only takes views of it. A ``Layout`` lists the arrays an
effect keeps, in order: the same Layout computes the size on the caller's
side and the views on the audio thread, so the two can never disagree.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

ALIGNMENT = 64  # one cache line: arrays never share a line, and SIMD loads are aligned


def _aligned(offset: int) -> int:
    return -(-offset // ALIGNMENT) * ALIGNMENT


class Layout:
    """An ordered list of named arrays (shape, dtype) packed at 64-byte boundaries."""

    __slots__ = ("_entries", "nbytes")

    def __init__(self) -> None:
        self._entries: list[tuple[str, int, tuple[int, ...], np.dtype]] = []
        self.nbytes = 0

    def add(self, name: str, shape: int | tuple[int, ...], dtype: type = np.float64) -> Layout:
        """Reserve an array called ``name``; returns the layout for chaining."""
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        kind = np.dtype(dtype)
        offset = _aligned(self.nbytes)
        size = kind.itemsize * int(np.prod(shape, dtype=np.int64))
        self._entries.append((name, offset, shape, kind))
        self.nbytes = _aligned(offset + size)
        return self

    def views(self, memory: np.ndarray) -> SimpleNamespace:
        """The arrays as views of ``memory`` (uint8, at least ``nbytes`` long), by name.

        Runs on the audio thread: it creates small view objects, never copies.
        """
        if memory.dtype != np.uint8 or memory.ndim != 1 or memory.shape[0] < self.nbytes:
            raise ValueError(f"an effect needs a 1-d uint8 memory of at least {self.nbytes} bytes")
        arrays = {}
        for name, offset, shape, kind in self._entries:
            size = kind.itemsize * int(np.prod(shape, dtype=np.int64))
            arrays[name] = memory[offset:offset + size].view(kind).reshape(shape)
        return SimpleNamespace(**arrays)


def allocate(nbytes: int) -> np.ndarray:
    """A zeroed uint8 array of ``nbytes`` whose first byte is 64-byte aligned.

    For callers and tests that do not bring their own (shared) memory; never
    call it on the audio thread.
    """
    raw = np.zeros(nbytes + ALIGNMENT, dtype=np.uint8)
    skip = (-raw.ctypes.data) % ALIGNMENT
    return raw[skip:skip + nbytes]
