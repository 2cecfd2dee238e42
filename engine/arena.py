"""Fixed-capacity arenas with ids reserved on the caller's side.

A ``Key`` is a slot index plus a generation. The caller's ``ArenaController``
reserves a slot before the command that fills it is sent, so a handle exists
at once, without a round trip to the audio thread. The audio thread's
``Slots`` hold the Things; a slot is handed back to the controller only after
the audio thread removed its Thing (through the collector), and its next
reservation has a new generation, so a stale key never matches a new Thing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Generic, Iterator, TypeVar

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
                and self.index >= 0)


def is_key(value: object, kind: str) -> bool:
    return isinstance(value, Key) and value.is_key_of(kind)


class ArenaController:
    """The caller's side of an arena: reserves and releases slots.

    The lock here is taken by caller threads only; the audio thread never
    touches the controller.
    """

    def __init__(self, kind: str, capacity: int) -> None:
        self.kind = kind
        self.capacity = capacity
        self._free = list(range(capacity - 1, -1, -1))
        self._generations = [0] * capacity
        self._lock = threading.Lock()

    def reserve(self) -> Key:
        """Reserve a free slot. Raises ``ResourceLimitReached`` when full."""
        with self._lock:
            if not self._free:
                raise ResourceLimitReached(self.kind, self.capacity)
            index = self._free.pop()
            self._generations[index] += 1
            return Key(self.kind, index, self._generations[index])

    def release(self, key: Key) -> None:
        """Hand a slot back after the audio thread gave its Thing up.

        Also used to undo a reservation whose command could not be sent.
        """
        with self._lock:
            if self._generations[key.index] == key.generation and key.index not in self._free:
                self._free.append(key.index)

    @property
    def used(self) -> int:
        return self.capacity - len(self._free)


class Slots(Generic[T]):
    """The audio thread's side of an arena: a fixed list of slots.

    Runs on the audio thread. ``items`` keeps the live Things in insertion
    order for iteration; both lists are sized at creation.
    """

    def __init__(self, capacity: int) -> None:
        self._slots: list[T | None] = [None] * capacity
        self._keys: list[Key | None] = [None] * capacity
        self.items: list[T] = []

    def insert(self, key: Key, thing: T) -> None:
        self._slots[key.index] = thing
        self._keys[key.index] = key
        self.items.append(thing)

    def get(self, key: Key) -> T | None:
        """The Thing for ``key``, or None when the key is stale or empty."""
        if 0 <= key.index < len(self._slots) and self._keys[key.index] == key:
            return self._slots[key.index]
        return None

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
