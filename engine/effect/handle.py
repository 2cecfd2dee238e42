"""The caller's handle on an effect."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..arena import Key
from ..errors import InvalidValue
from ..things import Remove
from ..tween import Tween, check_tween
from ..value import Value, check_value
from .builders import CHOICES
from .commands import MoveEffect, SetEffectBypass, SetEffectChoice, SetEffectParameter

if TYPE_CHECKING:
    from ..build import BuildContext


class EffectHandle:
    """Changes one effect on a track; reads where it is and its values from shared memory.

    Parameters are set by their builder's names, in the units of their specs
    (``handle.set(cutoff=400.0, tween=Tween(0.5))``); each may follow a
    modulator. Adding, removing, bypassing, moving and switching a mode glide
    over 10 ms so the track does not click.
    """

    def __init__(self, key: Key, builder: Any, track: Key, context: "BuildContext") -> None:
        self.key = key
        self.kind: str = type(builder).KIND
        self.track = track
        self._specs = {spec.name: spec for spec in type(builder).SPECS}
        self._choices = CHOICES.get(self.kind, {})
        self._shared = context.shared.effects
        self._channel = context.channel

    def _record(self) -> Any:
        record = self._shared[self.key.index]
        if int(record["generation"]) != self.key.generation or int(record["removed"]) == self.key.generation:
            return None
        return record

    @property
    def exists(self) -> bool:
        return self._record() is not None

    @property
    def position(self) -> int:
        """Its place in the track's chain, 0 first (-1 until it is in, or once it is gone)."""
        record = self._record()
        return -1 if record is None else int(record["position"])

    @property
    def bypassed(self) -> bool:
        record = self._record()
        return record is not None and bool(record["bypassed"])

    @property
    def values(self) -> dict[str, float]:
        """Each parameter's value, as last rendered."""
        record = self._record()
        names = list(self._specs)
        if record is None:
            return {name: self._specs[name].default for name in names}
        return {name: float(record["values"][i]) for i, name in enumerate(names)}

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def _command(self, name: str, value: float | Value, tween: Tween) -> SetEffectParameter:
        spec = self._specs.get(name)
        if spec is None:
            raise InvalidValue(name, f"is not a parameter of a {self.kind} (it has {', '.join(self._specs)})")
        return SetEffectParameter(self.key, name, check_value(name, value, spec.low, spec.high), tween)

    def set_parameter(self, name: str, value: float | Value, tween: Tween | None = None) -> None:
        self._channel.send(self._command(name, value, check_tween(tween)))

    def set(self, tween: Tween | None = None, **values: float | Value) -> None:
        """Several parameters at once, all or nothing (each checked first, sent together)."""
        checked = check_tween(tween)
        self._channel.send_all([self._command(name, value, checked) for name, value in values.items()])

    def set_choice(self, name: str, value: str) -> None:
        """A discrete setting: a filter's ``mode``, an EQ's or a distortion's ``kind``."""
        options = self._choices.get(name)
        if options is None:
            raise InvalidValue(name, f"is not a setting of a {self.kind} that can change")
        if value not in options:
            raise InvalidValue(name, f"must be one of {', '.join(options)}, not {value!r}")
        self._channel.send(SetEffectChoice(self.key, name, value))

    def set_bypassed(self, bypassed: bool) -> None:
        if not isinstance(bypassed, bool):
            raise InvalidValue("bypassed", "must be true or false")
        self._channel.send(SetEffectBypass(self.key, bypassed))

    def move_to(self, index: int) -> None:
        """To ``index`` in the chain (0 first; past the end is last)."""
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise InvalidValue("index", "must be a whole number, 0 or more")
        self._channel.send(MoveEffect(self.key, index))

    def remove(self) -> None:
        self._channel.send(Remove(self.key))

