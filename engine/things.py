"""What every kind of Thing shares: how it is added, how commands reach it, how it leaves.

The pattern, the same for sounds, clocks, modulators, tracks and the rest:

- a kind's ``settings.py`` holds what a user fills in (a builder or
  settings object) and its ``build(key, ctx)``, which returns the pair
  (spec, handle): the spec is what the audio thread builds its object from
  (Kira sends the object itself; here the audio thread lives in another
  process, so what is large — sound frames, delay lines — is allocated by
  the caller in shared memory and the spec says where);
- ``handle.py`` the handle a user holds; ``runtime.py`` the object on the
  audio thread; ``shared.py`` what the two share in shared memory;
  ``commands.py`` the commands between them; ``module.py`` the Backend
  module that holds the kind's Things.
- The manager adds every kind the same way: reserve a key, build, send
  ``Add(key, spec)``. A module looks a command's key up and hands the
  command to the Thing (``command.apply(thing, module)``); it never switches
  on command types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np

from .arena import Key, Slots
from .channel import Event, EventSender

if TYPE_CHECKING:
    from .context import ChunkContext

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Add:
    """Bring a new Thing to the audio thread: its key (reserved by the caller) and its spec."""

    key: Key
    spec: Any


@dataclass(frozen=True, slots=True)
class Remove:
    """Take a Thing away; ``fade`` is a Tween for Things that fade out first (tracks), else None."""

    key: Key
    fade: Any = None

    def apply(self, thing: Any, module: "ThingModule[Any]") -> None:
        module.remove_command(self.key, self.fade)


class ThingModule(Generic[T]):
    """Slots for one kind of Thing, and the one way Things leave them. Lives on the audio thread.

    A Thing leaves when a command removes it or when it fails; either way
    its ``removed`` field in shared memory gets its generation (so the
    caller takes the slot back) and a failure is reported as an error event.
    Subclasses implement ``create(key, spec)``.
    """

    kind = ""

    def __init__(self, capacity: int, ctx: "ChunkContext", events: EventSender, shared: np.ndarray) -> None:
        self._slots: Slots[T] = Slots(capacity)
        self.ctx = ctx
        self.events = events
        self.shared = shared
        self._broken: list[tuple[T, Exception]] = []

    def __len__(self) -> int:
        return len(self._slots)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._slots.items)

    def get(self, key: Key) -> T | None:
        return self._slots.get(key)

    def create(self, key: Key, spec: Any) -> T:
        raise NotImplementedError

    def apply(self, command: Any) -> None:
        """Route one command to its Thing. Runs on the audio thread; a stale key does nothing."""
        if type(command) is Add:
            self.apply_add(command.key, command.spec)
            return
        thing = self._slots.get(command.key)
        if thing is not None:
            command.apply(thing, self)

    def apply_add(self, key: Key, spec: Any) -> T:
        """Build the Thing ``key`` names from ``spec`` and give it its slot. Runs on the audio thread."""
        thing = self.create(key, spec)
        self._slots.insert(key, thing)
        self.added(thing)
        return thing

    def added(self, thing: T) -> None:
        """Called after a Thing got its slot; a module may start tracking it."""

    def remove_command(self, key: Key, fade: Any) -> None:
        """A ``Remove`` command arrived; Things that fade out first override this."""
        self.remove(key)

    def remove(self, key: Key, reason: str | None = None) -> None:
        thing = self._slots.remove(key)
        if thing is not None:
            self.left(thing, reason)
            self.shared[key.index]["removed"] = key.generation

    def reject(self, key: Key) -> None:
        """The command bringing the Thing failed: forget it if it got in, and let the caller have its slot."""
        thing = self._slots.remove(key)
        if thing is not None:
            self.left(thing, "failed")
        self.shared[key.index]["removed"] = key.generation

    def broke(self, thing: T, error: Exception) -> None:
        """Note a Thing that raised; it leaves at ``drop_broken``, after the loop over Things."""
        self._broken.append((thing, error))

    def drop_broken(self) -> None:
        # Removing only after the loop keeps the loop from skipping the Thing that follows.
        if not self._broken:
            return
        for thing, error in self._broken:
            key = thing.key  # type: ignore[attr-defined]
            if self._slots.get(key) is thing:
                self.remove(key, "failed")
                self.events.push(Event("error", key, {"message": f"{type(error).__name__}: {error}"}))
        self._broken.clear()

    def left(self, thing: T, reason: str | None) -> None:
        """Called for each Thing that left, before the caller may take its slot back."""
