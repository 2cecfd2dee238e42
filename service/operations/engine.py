"""Operations on the engine as a whole: status, snapshot, health, devices."""

from __future__ import annotations

import logging
from typing import Any

from mixdeck.engine import spec

from ..models.engine import Device, EngineStatus, Health, Parameter, SlotUse, State
from ..runtime import Runtime
from .clocks import list_clocks
from .listeners import list_listeners
from .main_track import get_main_track
from .modulators import list_modulators
from .sounds import list_sounds
from .tracks import mixer
from .voices import list_voices

log = logging.getLogger("mixdeck.service")
# The engine's capacity fields by the names of the service's settings (MIXDECK_MAX_VOICES, ...).
SLOT_NAMES = {"sounds": "voices", "sub_tracks": "tracks", "send_tracks": "sends"}


def engine_status(rt: Runtime) -> EngineStatus:
    m = rt.manager
    info = m.output_info
    stats = m.stats
    return EngineStatus(
        output=str(info.get("kind")),
        device=info.get("device"),
        sample_rate=int(info.get("sample_rate", rt.settings.sample_rate)),
        block_size=int(info.get("block_size", rt.settings.block_size)),
        load=float(stats.last_load),
        max_load=float(stats.max_load),
        underflows=int(stats.underflows),
        late_blocks=int(stats.late_blocks),
        callbacks=int(stats.callbacks),
        command_queue_depth=int(m.command_queue_depth),
        command_capacity=int(m.command_capacity),
        voices=len(rt.voices),
        clients=rt.ws_clients,
        slots={
            SLOT_NAMES.get(kind, kind): SlotUse(used=used, capacity=capacity)
            for kind, (used, capacity) in m.slots().items()
        },
    )


def state(rt: Runtime) -> State:
    """One snapshot of everything, in API shapes."""
    return State(
        engine=engine_status(rt),
        main_track=get_main_track(rt),
        tracks=mixer(rt),
        sounds=list_sounds(rt),
        voices=list_voices(rt),
        clocks=list_clocks(rt),
        modulators=list_modulators(rt),
        listeners=list_listeners(rt),
    )


def list_parameters() -> list[Parameter]:
    """Every parameter of `engine.spec`, with the range the engine accepts and the one a control shows."""
    out = []
    for key, parameter in spec.SPECS.items():
        group = key.split(".", 1)[0]
        out.append(Parameter.model_validate({"group": group, **parameter.as_dict()}))
    return out


# After the audio process was replaced, health says so for this long.
RESTART_NOTICE_SECONDS = 10.0


def health(rt: Runtime) -> Health:
    """'ok' while the output plays; 'degraded', with the reason, while the device output is lost,
    while the audio process is being replaced, and for a few seconds after it was."""
    info = _jsonable(rt.manager.output_info)
    process = info.get("audio_process") or {}
    restarted = rt.note_restarts(int(process.get("restarts", 0) or 0))
    if process and not info.get("ready", True) and not info.get("last_error"):
        reason = f"the audio process is being replaced ({process.get('last_fault') or 'it failed'})"
        return Health(status="degraded", reason=reason, output=info)
    if info.get("connected", True) is False:
        why = info.get("last_error") or "the device stopped"
        reason = f"the output device {info.get('device')!r} is lost ({why}); the engine keeps trying to reopen it"
        return Health(status="degraded", reason=reason, output=info)
    if restarted is not None and restarted < RESTART_NOTICE_SECONDS:
        reason = (
            f"the audio process was replaced {restarted:.1f} s ago ({process.get('last_fault')}); "
            "voices that were playing ended, the mixer, clocks and modulators are back"
        )
        return Health(status="degraded", reason=reason, output=info)
    return Health(status="ok", output=info)


def list_devices() -> list[Device]:
    """Output devices as the engine's output module sees them; empty when there is no audio system."""
    try:
        from mixdeck.engine import output as engine_output

        raw = engine_output.list_devices()
    except Exception as exc:  # no PortAudio, no devices: an empty list, not an error
        log.info("no output devices: %s", exc)
        return []
    devices = []
    for i, d in enumerate(raw):
        d = dict(d) if not isinstance(d, dict) else d
        devices.append(
            Device(
                index=int(d.get("index", i)),
                name=str(d.get("name", "")),
                hostapi=None if d.get("hostapi") is None else str(d.get("hostapi")),
                max_output_channels=int(d.get("max_output_channels", 0) or 0),
                default_samplerate=d.get("default_samplerate"),
                is_default=bool(d.get("is_default", False)),
            )
        )
    return devices


def _jsonable(info: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else str(v)) for k, v in info.items()
    }
