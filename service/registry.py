"""The service's view of the Things of one kind: API id -> entry, with one lookup rule for all kinds.

Every kind (sounds, voices, clocks, modulators, and tracks or effects later)
is a `Registry` of its entry type on the `Runtime`. `find` is the only
lookup: an unknown or stale id is a 404 naming the field it came from, so an
operation never writes its own "not found".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from .errors import Conflict, Invalid, NotFound, not_found


class Entry(Protocol):
    """What every registered Thing has: its API id."""

    @property
    def id(self) -> str: ...


E = TypeVar("E", bound=Entry)


class Registry(dict[str, E], Generic[E]):
    """Entries of one kind by API id.

    `gone(entry)` tells an entry whose Thing has ended on the audio thread (a
    stopped voice); such an entry is dropped when it is looked up or pruned.
    """

    def __init__(self, kind: str, gone: Callable[[E], bool] | None = None) -> None:
        super().__init__()
        self.kind = kind
        self._gone = gone

    def add(self, entry: E) -> E:
        self[entry.id] = entry
        return entry

    def find(self, ident: str, field: str = "id") -> E:
        """The entry named `ident`; a 404 naming `field` when there is none (or it is gone)."""
        entry = self.get(ident)
        if entry is not None and self._gone is not None and self._gone(entry):
            del self[ident]
            entry = None
        if entry is None:
            raise not_found(self.kind, ident, field=field)
        return entry

    def refer(self, ident: str, field: str) -> E:
        """The entry a request's body names in `field`; a 422 naming it when there is none.

        Not a 404: the resource the request is for exists, what its body
        refers to does not, so the request as a whole cannot be carried out.
        """
        try:
            return self.find(ident, field)
        except NotFound as missing:
            raise Invalid(missing.detail, field=field) from None

    def prune(self) -> list[str]:
        """Drop the entries whose Thing has ended; return their ids."""
        if self._gone is None:
            return []
        done = [ident for ident, entry in self.items() if self._gone(entry)]
        for ident in done:
            del self[ident]
        return done


class Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)


class NamedRegistry(Registry[N]):
    """A registry whose entries may also be named by their `name` (a sound by its file name)."""

    def find(self, ident: str, field: str = "id") -> N:
        if ident in self:
            return super().find(ident, field)
        named = [entry for entry in self.values() if entry.name == ident]
        if len(named) > 1:
            raise Conflict.about(field, f"{len(named)} {self.kind}s are named {ident[:128]!r}; use an id")
        if named:
            return named[0]
        return super().find(ident, field)
