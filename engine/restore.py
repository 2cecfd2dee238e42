"""What a new audio process needs to hold the long-lived Things as they were.

Clocks, modulators and tracks outlive any one audio process: the manager
keeps the spec each was added with and the latest command of each sort sent
to it. When an audio process is replaced, each comes back from its spec as
it stands now (a clock at the time it had reached) followed by those
commands, their tweens made instant. Voices are not brought back; they are
reported as ended.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from .arena import Key
from .things import Add, Remove
from .tween import Tween

if TYPE_CHECKING:
    from .shared import SharedState

_INSTANT = Tween(0.0)


class Restorer:
    def __init__(self) -> None:
        self._specs: dict[Key, Any] = {}
        self._changes: dict[Key, dict[tuple[str, str], Any]] = {}

    def added(self, key: Key, spec: Any) -> None:
        self._specs[key] = spec
        self._changes[key] = {}

    def removed(self, key: Key) -> None:
        self._specs.pop(key, None)
        self._changes.pop(key, None)

    def changed(self, commands: list[Any]) -> None:
        """Note the latest command of each sort for each long-lived Thing (called as commands are sent)."""
        for command in commands:
            key = getattr(command, "key", None)
            changes = self._changes.get(key) if key is not None else None
            if changes is None or isinstance(command, (Add, Remove)):
                continue
            sort = (type(command).__name__, str(getattr(command, "name", getattr(command, "action", ""))))
            changes.pop(sort, None)  # re-inserted last, so the order of sorts follows the order of changes
            changes[sort] = command

    def commands(self, shared: "SharedState") -> list[Any]:
        """Everything to send a new audio process, in the order the Things were added."""
        out: list[Any] = []
        for key, spec in self._specs.items():
            if spec is not None:  # None: a Thing every Backend makes itself (the main track)
                restored = getattr(spec, "restored", None)
                out.append(Add(key, restored(key, shared) if restored is not None else spec))
            for command in self._changes.get(key, {}).values():
                if any(f.name == "tween" for f in fields(command)):
                    command = replace(command, tween=_INSTANT)
                out.append(command)
        return out
