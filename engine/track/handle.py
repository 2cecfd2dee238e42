"""The caller's handles on tracks: the main track, sub tracks and send tracks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..arena import Key, is_key
from ..errors import InvalidValue
from ..spec import PANNING, VOLUME
from ..things import Remove
from ..tween import Tween, check_tween
from ..value import Value, check_value
from .commands import SetSend, SetTrackFlag, SetTrackParameter

if TYPE_CHECKING:
    from ..build import BuildContext
    from ..sound.data import StaticSoundData
    from ..sound.handle import StaticSoundHandle
    from ..sound.settings import StaticSoundSettings
    from .settings import TrackBuilder


class _Track:
    """What every track's handle has: volume, panning, mute, solo and meters, read from shared memory."""

    def __init__(self, key: Key, context: "BuildContext") -> None:
        self.key = key
        self._context = context
        self._channel = context.channel
        self._row = context.track_row(key)

    def _record(self) -> Any:
        record = self._context.shared.tracks[self._row]
        return record if int(record["generation"]) == self.key.generation else None

    @property
    def exists(self) -> bool:
        """False once the track has been removed."""
        record = self._record()
        return record is not None and int(record["removed"]) != self.key.generation

    @property
    def volume(self) -> float:
        """Decibels, as last rendered."""
        record = self._record()
        return VOLUME.default if record is None else float(record["volume"])

    @property
    def panning(self) -> float:
        record = self._record()
        return PANNING.default if record is None else float(record["panning"])

    @property
    def meters(self) -> dict[str, list[float]]:
        """Peak (falling ~20 dB/s) and RMS (~300 ms) of what the track passes on, per channel, as amplitudes."""
        record = self._record()
        if record is None:
            return {"peak": [0.0, 0.0], "rms": [0.0, 0.0]}
        return {"peak": [float(x) for x in record["peak"]], "rms": [float(x) for x in record["rms"]]}

    @property
    def muted(self) -> bool:
        record = self._record()
        return record is not None and bool(record["muted"])

    @property
    def soloed(self) -> bool:
        record = self._record()
        return record is not None and bool(record["soloed"])

    @property
    def audible(self) -> bool:
        """Whether mute and solo, here and on the other tracks, let this track be heard."""
        record = self._record()
        return record is not None and bool(record["audible"])

    def set_volume(self, volume: float | Value, tween: Tween | None = None) -> None:
        """Decibels (-60 or less is silence), or a Value following a modulator."""
        self._channel.send(self._volume(volume, check_tween(tween)))

    def set_panning(self, panning: float | Value, tween: Tween | None = None) -> None:
        """-1 is hard left, 0 centre, 1 hard right (constant power)."""
        self._channel.send(self._panning(panning, check_tween(tween)))

    def set_muted(self, muted: bool) -> None:
        """Silence the track (and what it carries), gliding over 10 ms."""
        self._channel.send(self._flag("muted", muted))

    def set(self, *, volume: float | Value | None = None, panning: float | Value | None = None,
            muted: bool | None = None, soloed: bool | None = None, tween: Tween | None = None,
            **more: Any) -> None:
        """Change several things at once, all or nothing.

        Every value is checked before anything is sent, and the commands go
        into the channel together: a bad value or a full queue changes
        nothing. ``None`` keeps the current value. A sub track also takes
        ``sends={send: dB}``.
        """
        checked = check_tween(tween)
        commands: list[Any] = []
        if volume is not None:
            commands.append(self._volume(volume, checked))
        if panning is not None:
            commands.append(self._panning(panning, checked))
        if muted is not None:
            commands.append(self._flag("muted", muted))
        if soloed is not None:
            commands.append(self._flag("soloed", soloed))
        commands.extend(self._more(more, checked))
        self._channel.send_all(commands)

    def _more(self, more: dict[str, Any], tween: Tween) -> list[Any]:
        if more:
            raise InvalidValue(next(iter(more)), "is not something this track has")
        return []

    def _volume(self, volume: float | Value, tween: Tween) -> SetTrackParameter:
        return SetTrackParameter(self.key, "volume", check_value("volume", volume, VOLUME.low, VOLUME.high), tween)

    def _panning(self, panning: float | Value, tween: Tween) -> SetTrackParameter:
        value = check_value("panning", panning, PANNING.low, PANNING.high)
        return SetTrackParameter(self.key, "panning", value, tween)

    def _flag(self, name: str, value: object) -> SetTrackFlag:
        return SetTrackFlag(self.key, name, _flag(name, value))

    def add_effect(self, builder: Any, index: int | None = None, bypassed: bool = False) -> Any:
        """Put an effect on this track at ``index`` in its chain (None: last); returns its ``EffectHandle``.

        It glides in over 10 ms, so adding it to a playing track does not click.
        """
        return self._context.manager.add_effect(self, builder, index, bypassed)

    def set_soloed(self, soloed: bool) -> None:
        """While any track is soloed, only soloed tracks, their path to the main track, what feeds
        them and the send tracks they reach are heard."""
        self._channel.send(self._flag("soloed", soloed))


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(name, "must be true or false")
    return value


class _Removable(_Track):
    def remove(self, fade: Tween | None = None) -> None:
        """Fade the track out over ``fade`` (10 ms when None), then remove it with its sub tracks and
        the sounds playing on them."""
        self._channel.send(Remove(self.key, check_tween(fade)))


class _Parent(_Track):
    """A track sounds play on and sub tracks feed: the main track or a sub track."""

    def __init__(self, key: Key, context: "BuildContext", sound_capacity: int | None = None) -> None:
        super().__init__(key, context)
        self.sound_capacity = sound_capacity

    def add_sub_track(self, builder: "TrackBuilder") -> "TrackHandle":
        """A sub track that feeds this one."""
        return self._context.manager.add_sub_track(builder, parent=self)  # type: ignore[no-any-return]

    def play(self, data: "StaticSoundData", settings: "StaticSoundSettings | None" = None) -> "StaticSoundHandle":
        """Play ``data`` on this track (with ``settings``, else the data's own)."""
        settings = data.settings if settings is None else settings
        return self._context.manager.play(data, settings.with_changes(track=self))  # type: ignore[no-any-return]


class MainTrackHandle(_Parent):
    """The main track: where everything ends, clamped to full scale on its way to the output.

    Muting it silences the output; it cannot be soloed.
    """

    def set_soloed(self, soloed: bool) -> None:
        self._flag("soloed", soloed)

    def _flag(self, name: str, value: object) -> SetTrackFlag:
        if name == "soloed":
            raise InvalidValue("soloed", "the main track cannot be soloed; solo the tracks that feed it")
        return super()._flag(name, value)


class TrackHandle(_Parent, _Removable):
    """A sub track: sounds play on it, sub tracks feed it, it feeds its parent and its send routes."""

    @property
    def sends(self) -> dict[Key, float]:
        """Each route's level in decibels, as last rendered (a tween or a modulator moves it), by send key."""
        if self._record() is None:
            return {}
        shared = self._context.shared
        base = 1 + self._context.settings.capacities.sub_tracks
        levels = shared.routes[self._row]
        return {Key("send", int(j), int(shared.tracks[base + j]["generation"])): float(levels[j])
                for j in np.flatnonzero(~np.isnan(levels)) if base + j < len(shared.tracks)}

    def set_send(self, send: Any, volume: float | Value, tween: Tween | None = None) -> None:
        """Route to ``send`` (a SendTrackHandle or its key) at ``volume`` dB; a new route glides in."""
        self._channel.send(self._send(send, volume, check_tween(tween), "send", "volume"))

    def _send(self, send: Any, volume: Any, tween: Tween, field: str, volume_field: str) -> SetSend:
        key = getattr(send, "key", send)
        if not is_key(key, "send"):
            raise InvalidValue(field, "must be a send track's handle or key")
        return SetSend(self.key, key, check_value(volume_field, volume, VOLUME.low, VOLUME.high), tween)

    def _more(self, more: dict[str, Any], tween: Tween) -> list[Any]:
        sends = more.pop("sends", None)
        commands = super()._more(more, tween)
        if sends is None:
            return commands
        if not isinstance(sends, dict):
            raise InvalidValue("sends", "must map send tracks to decibels")
        return [self._send(send, volume, tween, "sends", f"sends.{getattr(send, 'key', send)}")
                for send, volume in sends.items()]


class SendTrackHandle(_Removable):
    """A send track: tracks route to it, it feeds the main track."""
