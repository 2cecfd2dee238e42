"""JSON-RPC 2.0 dispatch: the method table and the request/batch rules.

Each method names the pydantic model its params are validated with and the
operation it calls: the same pair the matching REST route uses.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import math
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter

from .. import errors
from ..models.clocks import ClockAdd, ClockId, ClockPatchRequest
from ..models.effects import (
    EffectAddRequest,
    EffectPatchRequest,
    EffectRef,
    SendEffectAddRequest,
    SendEffectPatchRequest,
    SendEffectRef,
    SendEffects,
    TrackEffects,
)
from ..models.engine import NoParams, Subscribe
from ..models.main_track import MainTrackPatch
from ..models.modulators import ModulatorAdd, ModulatorId, ModulatorPatchRequest
from ..models.sounds import AddSoundFromPath, SoundId, WaveformQuery
from ..models.spatial import (
    ListenerAdd,
    ListenerId,
    ListenerPatchRequest,
    SpatialTrackAdd,
    SpatialTrackId,
    SpatialTrackPatchRequest,
    SpatialTrackRemove,
)
from ..models.tracks import (
    SendAdd,
    SendId,
    SendPatchRequest,
    SendRemove,
    TrackAdd,
    TrackId,
    TrackPatchRequest,
    TrackRemove,
)
from ..models.voices import (
    PlayRequest,
    VoiceFadeRequest,
    VoiceId,
    VoicePatchRequest,
    VoiceResumeRequest,
    VoiceSeekRequest,
)
from ..operations import (
    clocks,
    effects,
    engine,
    listeners,
    main_track,
    modulators,
    sends,
    sounds,
    spatial,
    tracks,
    voices,
)
from ..runtime import Runtime
from . import openrpc
from .hub import TOPICS, Client, Hub

MAX_BATCH = 100  # a larger batch is refused whole, with one error object


class MethodNotFound(LookupError):
    """No method by that name."""


@dataclass(frozen=True)
class Method:
    params: Any  # a pydantic model class or TypeAdapter
    call: Callable[..., Any]  # (runtime, params) -> result
    operation: Callable[..., Any] | None = None  # the operation, whose return type is the result's schema

    @property
    def result(self) -> Any:
        """The result's type, from the operation's annotation (None for no result)."""
        fn = self.operation or self.call
        return typing.get_type_hints(fn).get("return")


def _no_params(fn: Callable[..., Any]) -> Method:
    return Method(NoParams, lambda rt, _p: fn(rt), fn)


METHODS: dict[str, Method] = {
    "engine.state": _no_params(engine.state),
    "engine.health": _no_params(engine.health),
    "devices.list": Method(NoParams, lambda _rt, _p: engine.list_devices(), engine.list_devices),
    "parameters.list": Method(NoParams, lambda _rt, _p: engine.list_parameters(), engine.list_parameters),
    "sounds.list": _no_params(sounds.list_sounds),
    "sounds.get": Method(SoundId, sounds.get_sound),
    "sounds.delete": Method(SoundId, sounds.delete_sound),
    "sounds.add": Method(AddSoundFromPath, sounds.add_sound_from_path),
    "sounds.waveform": Method(WaveformQuery, sounds.waveform),
    "sounds.play": Method(PlayRequest, sounds.play),
    "voices.list": _no_params(voices.list_voices),
    "voices.get": Method(VoiceId, voices.get_voice),
    "voices.set": Method(VoicePatchRequest, voices.set_voice),
    "voices.pause": Method(VoiceFadeRequest, voices.pause_voice),
    "voices.resume": Method(VoiceResumeRequest, voices.resume_voice),
    "voices.stop": Method(VoiceFadeRequest, voices.stop_voice),
    "voices.seek": Method(VoiceSeekRequest, voices.seek_voice),
    "tracks.list": _no_params(tracks.list_tracks),
    "tracks.add": Method(TrackAdd, tracks.add_track),
    "tracks.get": Method(TrackId, tracks.get_track),
    "tracks.set": Method(TrackPatchRequest, tracks.set_track),
    "tracks.remove": Method(TrackRemove, tracks.remove_track),
    "sends.list": _no_params(sends.list_sends),
    "sends.add": Method(SendAdd, sends.add_send),
    "sends.get": Method(SendId, sends.get_send),
    "sends.set": Method(SendPatchRequest, sends.set_send),
    "sends.remove": Method(SendRemove, sends.remove_send),
    "effects.list": Method(TrackEffects, effects.list_effects),
    "effects.add": Method(TypeAdapter(EffectAddRequest), effects.add_effect),
    "effects.get": Method(EffectRef, effects.get_effect),
    "effects.set": Method(EffectPatchRequest, effects.set_effect),
    "effects.remove": Method(EffectRef, effects.remove_effect),
    "send_effects.list": Method(SendEffects, effects.list_send_effects),
    "send_effects.add": Method(TypeAdapter(SendEffectAddRequest), effects.add_send_effect),
    "send_effects.get": Method(SendEffectRef, effects.get_send_effect),
    "send_effects.set": Method(SendEffectPatchRequest, effects.set_send_effect),
    "send_effects.remove": Method(SendEffectRef, effects.remove_send_effect),
    "effect_kinds.list": Method(NoParams, lambda _rt, _p: effects.list_effect_kinds(), effects.list_effect_kinds),
    "main_track.get": _no_params(main_track.get_main_track),
    "main_track.set": Method(MainTrackPatch, main_track.set_main_track),
    "clocks.add": Method(ClockAdd, clocks.add_clock),
    "clocks.list": _no_params(clocks.list_clocks),
    "clocks.get": Method(ClockId, clocks.get_clock),
    "clocks.set": Method(ClockPatchRequest, clocks.set_clock),
    "clocks.start": Method(ClockId, clocks.start_clock),
    "clocks.pause": Method(ClockId, clocks.pause_clock),
    "clocks.stop": Method(ClockId, clocks.stop_clock),
    "clocks.remove": Method(ClockId, clocks.remove_clock),
    "modulators.add": Method(TypeAdapter(ModulatorAdd), modulators.add_modulator),
    "modulators.list": _no_params(modulators.list_modulators),
    "modulators.get": Method(ModulatorId, modulators.get_modulator),
    "modulators.set": Method(ModulatorPatchRequest, modulators.set_modulator),
    "modulators.remove": Method(ModulatorId, modulators.remove_modulator),
    "listeners.list": _no_params(listeners.list_listeners),
    "listeners.add": Method(ListenerAdd, listeners.add_listener),
    "listeners.get": Method(ListenerId, listeners.get_listener),
    "listeners.set": Method(ListenerPatchRequest, listeners.set_listener),
    "listeners.remove": Method(ListenerId, listeners.remove_listener),
    "spatial_tracks.list": _no_params(spatial.list_spatial_tracks),
    "spatial_tracks.add": Method(SpatialTrackAdd, spatial.add_spatial_track),
    "spatial_tracks.get": Method(SpatialTrackId, spatial.get_spatial_track),
    "spatial_tracks.set": Method(SpatialTrackPatchRequest, spatial.set_spatial_track),
    "spatial_tracks.remove": Method(SpatialTrackRemove, spatial.remove_spatial_track),
}


def _jsonable(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    if isinstance(result, list):
        return [_jsonable(r) for r in result]
    return result


def _validate(spec: Any, params: dict[str, Any]) -> Any:
    if isinstance(spec, TypeAdapter):
        return spec.validate_python(params)
    return spec.model_validate(params)


def _error(req_id: Any, code: int, message: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": req_id, "error": errors.rpc_error(code, message, data)}


def _protocol_error(
    req_id: Any, code: int, message: str, status: int = 400, field: str | None = None
) -> dict[str, Any]:
    """An error the JSON-RPC layer itself finds, with the same problem object in `data` as any other."""
    errs = [{"field": field, "message": message}] if field else []
    return _error(req_id, code, message, errors.problem(status, message, errs))


def _problem_error(req_id: Any, exc: BaseException) -> dict[str, Any]:
    problem, headers = errors.problem_for(exc)
    if "Retry-After" in headers:
        problem["retry_after"] = int(headers["Retry-After"])
    return _error(req_id, errors.rpc_code(problem["status"]), problem["detail"], problem)


class Dispatcher:
    """Runs JSON-RPC messages for one client."""

    def __init__(self, runtime: Runtime, hub: Hub, client: Client) -> None:
        self.rt = runtime
        self.hub = hub
        self.client = client

    async def handle_text(self, text: str) -> str | None:
        """The response text for one WebSocket message, or None when nothing is owed."""
        try:
            message = json.loads(text)
        except (ValueError, RecursionError):
            return _dumps(_protocol_error(None, errors.RPC_PARSE_ERROR, "parse error: the message is not JSON"))
        if isinstance(message, list):
            if not message:
                return _dumps(_protocol_error(None, errors.RPC_INVALID_REQUEST, "invalid request: empty batch"))
            if len(message) > MAX_BATCH:
                return _dumps(_protocol_error(
                    None, errors.RPC_INVALID_REQUEST,
                    f"invalid request: a batch holds at most {MAX_BATCH} requests, this one has {len(message)}",
                ))  # fmt: skip
            parts = []
            for i, item in enumerate(message):
                if i:  # let the sampler and other clients run between the items of a batch
                    await asyncio.sleep(0)
                reply = await self.handle_one(item)
                if reply is not None:
                    parts.append(_dumps(reply))
            return "[" + ",".join(parts) + "]" if parts else None
        reply = await self.handle_one(message)
        return None if reply is None else _dumps(reply)

    async def handle_one(self, message: Any) -> dict[str, Any] | None:
        if (
            not isinstance(message, dict)
            or message.get("jsonrpc") != "2.0"
            or not isinstance(message.get("method"), str)
        ):
            req_id = message.get("id") if isinstance(message, dict) and _valid_id(message.get("id")) else None
            return _protocol_error(
                req_id, errors.RPC_INVALID_REQUEST, "invalid request: need jsonrpc '2.0' and a method"
            )
        is_notification = "id" not in message
        req_id = message.get("id")
        if not _valid_id(req_id):
            return _protocol_error(
                None,
                errors.RPC_INVALID_REQUEST,
                "invalid request: id must be a string, a finite number or null",
                field="id",
            )
        params = message.get("params", {})
        if params is None:
            params = {}
        if not isinstance(params, dict):
            reply = _protocol_error(
                req_id, errors.RPC_INVALID_PARAMS, "invalid params: pass params by name (an object)", 422, "params"
            )
            return None if is_notification else reply
        try:
            result = await self.call(message["method"], params)
        except MethodNotFound as exc:
            reply = _protocol_error(
                req_id, errors.RPC_METHOD_NOT_FOUND, str(exc.args[0]) if exc.args else "method not found", 404, "method"
            )
        except Exception as exc:  # mapped to a problem; unknown ones are logged as 500
            reply = _problem_error(req_id, exc)
        else:
            reply = {"jsonrpc": "2.0", "id": req_id, "result": _jsonable(result)}
        return None if is_notification else reply

    async def call(self, name: str, params: dict[str, Any]) -> Any:
        if name == "rpc.discover":
            NoParams.model_validate(params)
            return openrpc.document(METHODS)
        if name in ("subscribe", "unsubscribe"):
            body = Subscribe.model_validate(params)
            unknown = [t for t in body.topics if t not in TOPICS]
            if unknown:
                raise errors.Invalid(f"unknown topic {unknown[0]!r}; topics are {', '.join(TOPICS)}", field="topics")
            change = self.hub.subscribe if name == "subscribe" else self.hub.unsubscribe
            return {"topics": change(self.client, body.topics)}
        method = METHODS.get(name)
        if method is None:
            raise MethodNotFound(f"method not found: {name!r}")
        model = _validate(method.params, params)
        result = method.call(self.rt, model)
        if inspect.isawaitable(result):
            result = await result
        return result


def _valid_id(value: Any) -> bool:
    """A string, a finite number or null; NaN and infinities would make the response invalid JSON."""
    if value is None or (isinstance(value, (str, int)) and not isinstance(value, bool)):
        return True
    return isinstance(value, float) and math.isfinite(value)


def _dumps(reply: dict[str, Any]) -> str:
    return json.dumps(reply, separators=(",", ":"))
