"""Memory the caller's process and the audio process both map.

Sound data, effect state and the state handles read live in blocks of
``SharedMemory``: on Linux an anonymous memory file (``memfd_create``) whose
descriptor the audio process inherits, so neither a name in /dev/shm nor
that folder's size (64 MiB by default in a container) limits it; it counts
against the machine's (or container's) memory like any other memory. The
offline output maps the same kind of block in its own process.

Blocks are sparse: pages cost memory only once written. ``reserve`` asks
the kernel for the pages of a region up front, so running out of memory is
a clear error at the call rather than a crash when the audio thread reads.
"""

from __future__ import annotations

import mmap
import os
import threading
from dataclasses import dataclass

import numpy as np

from .errors import OutOfMemory

ALIGN = 64


class SharedMemory:
    """A block of ``size`` bytes, mapped read-write; ``fd`` is passed to the audio process.

    ``SharedMemory(size, name)`` creates one; ``SharedMemory.attach(fd,
    size)`` maps one created by another process. Without memfd (not Linux)
    only in-process blocks exist (``shareable=False``).
    """

    def __init__(self, size: int, name: str, shareable: bool = True, fd: int | None = None) -> None:
        self.size = int(size)
        self.name = name
        if fd is not None:
            self.fd = fd
        elif shareable:
            if not hasattr(os, "memfd_create"):
                raise OutOfMemory(f"shared memory for {name}: this system has no memfd_create (Linux is needed "
                                  "for the audio process; the offline output works anywhere)")
            try:
                self.fd = os.memfd_create(f"mixdeck-{name}", os.MFD_CLOEXEC)
                os.ftruncate(self.fd, self.size)
            except OSError as error:
                raise OutOfMemory(f"cannot create {self.size} bytes of shared memory for {name}: {error}") from None
        else:
            self.fd = -1
        self._map = mmap.mmap(self.fd, self.size) if self.fd >= 0 else mmap.mmap(-1, self.size)

    @classmethod
    def attach(cls, fd: int, size: int, name: str) -> "SharedMemory":
        return cls(size, name, fd=fd)

    def array(self, dtype: np.dtype | type, offset: int, count: int) -> np.ndarray:
        """A numpy view of ``count`` items of ``dtype`` at byte ``offset``."""
        return np.frombuffer(self._map, dtype=dtype, count=count, offset=offset)

    def reserve(self, offset: int, size: int) -> None:
        """Make sure the pages of a region exist, or raise ``OutOfMemory``."""
        if self.fd < 0 or size <= 0:
            return
        try:
            os.posix_fallocate(self.fd, offset, size)
        except OSError as error:
            raise OutOfMemory(f"cannot reserve {size} bytes of shared memory for {self.name}: {error}") from None

    def release(self, offset: int, size: int) -> None:
        """Give a region's pages back to the system; it reads as zeros afterwards."""
        page = mmap.PAGESIZE
        first = -(-offset // page) * page
        last = (offset + size) // page * page
        if last > first and hasattr(mmap, "MADV_REMOVE"):
            try:
                self._map.madvise(mmap.MADV_REMOVE, first, last - first)
            except OSError:
                pass
        # The partial pages at either end are zeroed by hand so a region is always handed out clean.
        view = self.array(np.uint8, offset, size)
        if last <= first:
            view[:] = 0
        else:
            view[: first - offset] = 0
            view[last - offset :] = 0

    def close(self) -> None:
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1


@dataclass(frozen=True, slots=True)
class Region:
    """``size`` bytes at ``offset`` of a pool."""

    offset: int
    size: int


class Pool:
    """A ``SharedMemory`` block with a first-fit allocator, used on the caller's side only.

    Regions are 64-byte aligned and handed out zeroed. The audio thread never
    allocates: it is given offsets into the block.
    """

    def __init__(self, memory: SharedMemory) -> None:
        self.memory = memory
        self._free: list[tuple[int, int]] = [(0, memory.size)]
        self._lock = threading.Lock()
        self.used = 0

    def allocate(self, size: int, what: str) -> Region:
        size = max(ALIGN, -(-int(size) // ALIGN) * ALIGN)
        with self._lock:
            for i, (offset, free) in enumerate(self._free):
                if free >= size:
                    if free == size:
                        del self._free[i]
                    else:
                        self._free[i] = (offset + size, free - size)
                    break
            else:
                raise OutOfMemory(f"no room for {what} ({size} bytes) in the {self.memory.size} bytes of shared "
                                  f"memory ({self.used} in use); raise AudioManagerSettings.shared_memory")
            self.used += size
        region = Region(offset, size)
        try:
            self.memory.reserve(offset, size)
        except OutOfMemory:
            self.free(region)
            raise
        return region

    def free(self, region: Region) -> None:
        self.memory.release(region.offset, region.size)
        with self._lock:
            self.used -= region.size
            spans = sorted(self._free + [(region.offset, region.size)])
            merged: list[tuple[int, int]] = []
            for offset, size in spans:
                if merged and merged[-1][0] + merged[-1][1] == offset:
                    merged[-1] = (merged[-1][0], merged[-1][1] + size)
                else:
                    merged.append((offset, size))
            self._free = merged
