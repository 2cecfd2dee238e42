"""Fixed-capacity arenas with ids reserved on the caller's side.

A ``Key`` is a slot index plus a generation. The caller's ``ArenaController``
reserves a slot before the command that fills it is sent, so a handle exists
at once, without a round trip to the audio thread. The audio thread's
``Slots`` hold the Things. When the audio thread is done with a Thing it
writes the Thing's generation into the slot's ``removed`` field of shared
memory; only then does ``collect`` hand the slot back, and its next
reservation has a new generation, so a stale key never matches a new Thing.
A reservation takes the lowest free slot: slot numbers stay small and come
back in order once Things are removed (the panel names tracks by them).
"""

from __future__ import annotations

import heapq
import threading
from dataclasses import dataclass
from typing import Generic, Iterator, TypeVar

import numpy as np

from .errors import ResourceLimitReached

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Key:
    """Identifies one Thing: its kind, slot index and the slot's generation."""

    kind: str
    index: int
    generation: int

    def __str__(self) -> str:
        return f"{self.kind}-{self.index}-{self.generation}"

    def is_key_of(self, kind: str) -> bool:
        """True for a well-formed key of ``kind``: what every caller-side check asks."""
        return (self.kind == kind and type(self.index) is int and type(self.generation) is int
                and self.index >= 0 and self.generation > 0)


def is_key(value: object, kind: str) -> bool:
    return isinstance(value, Key) and value.is_key_of(kind)


class ArenaController:
    """The caller's side of an arena: reserves slots and takes back those the audio thread is done with.

    ``shared`` is the kind's records in shared memory (fields ``generation``
    and ``removed``). The lock is taken by caller threads only; the audio
    thread never touches the controller.
    """

    def __init__(self, kind: str, capacity: int, shared: np.ndarray, setting: str | None = None,
                 reserved: int = 0, noun: str | None = None) -> None:
        self.kind = kind
        self.capacity = capacity
        # The Capacities field that sets the limit, and the slots taken by the engine itself (the main track).
        self._setting = setting
        self._reserved = reserved
        self._noun = noun or kind
        self._shared = shared[:capacity]
        self._free = list(range(capacity))  # a heap: the lowest free slot first
        self._generations = np.zeros(capacity, dtype=np.int64)
        self._in_use = np.zeros(capacity, dtype=bool)
        self._lock = threading.Lock()

    def reserve(self) -> Key:
        """Reserve a free slot. Raises ``ResourceLimitReached`` when full."""
        with self._lock:
            if not self._free:
                raise ResourceLimitReached(self._noun, self.capacity - self._reserved, self._setting)
            index = heapq.heappop(self._free)
            generation = int(self._generations[index]) + 1
            self._generations[index] = generation
            self._in_use[index] = True
            self._shared[index]["generation"] = generation
            return Key(self.kind, index, generation)

    def release(self, key: Key) -> bool:
        """Hand a slot back: after the audio thread gave its Thing up, or when its command was never sent."""
        with self._lock:
            if self._in_use[key.index] and self._generations[key.index] == key.generation:
                self._in_use[key.index] = False
                heapq.heappush(self._free, key.index)
                return True
            return False

    def collect(self) -> list[Key]:
        """Release every slot whose Thing the audio thread has finished with; returns their keys."""
        with self._lock:
            done = np.flatnonzero(self._in_use & (self._shared["removed"] == self._generations))
            keys = [Key(self.kind, int(i), int(self._generations[i])) for i in done]
            for key in keys:
                self._in_use[key.index] = False
                heapq.heappush(self._free, key.index)
            return keys

    def live(self) -> list[Key]:
        """Keys of the slots in use."""
        with self._lock:
            return [Key(self.kind, int(i), int(self._generations[i])) for i in np.flatnonzero(self._in_use)]

    @property
    def used(self) -> int:
        return self.capacity - len(self._free)

    def usage(self) -> tuple[str, int, int]:
        """(the Capacities field that sets the limit, slots in use, the limit), the engine's own slots left out."""
        with self._lock:
            return self._setting or self.kind, self.used - self._reserved, self.capacity - self._reserved


class Slots(Generic[T]):
    """The audio thread's side of an arena: a fixed list of slots.

    Runs on the audio thread. ``items`` keeps the live Things in insertion
    order for iteration.
    """

    def __init__(self, capacity: int) -> None:
        self._slots: list[T | None] = [None] * capacity
        self._keys: list[Key | None] = [None] * capacity
        self.items: list[T] = []

    def insert(self, key: Key, thing: T) -> None:
        if not 0 <= key.index < len(self._slots):
            raise ValueError(f"{key} is outside the arena of {len(self._slots)}")
        self._slots[key.index] = thing
        self._keys[key.index] = key
        self.items.append(thing)

    def get(self, key: Key) -> T | None:
        """The Thing for ``key``, or None when the key is stale or empty."""
        if 0 <= key.index < len(self._slots) and self._keys[key.index] == key:
            return self._slots[key.index]
        return None

    def at(self, index: int) -> T | None:
        """The Thing in slot ``index``, whatever its generation."""
        return self._slots[index]

    def remove(self, key: Key) -> T | None:
        thing = self.get(key)
        if thing is not None:
            self._slots[key.index] = None
            self._keys[key.index] = None
            self.items.remove(thing)
        return thing

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
