"""PortAudio as the process-wide resource it is: loading it, listing devices, starting it over.

``sounddevice`` is imported only inside the functions below: it raises
``OSError`` at import when the PortAudio library is missing, and the engine
must import (and run on the null or offline output) without it.

PortAudio enumerates devices once, when it is initialised, so a device that
appears later (a USB interface plugged back in, a sound server restarted) is
only found after a re-initialisation, and a re-initialisation closes every
stream of the process. Every call here that re-initialises PortAudio or
enumerates devices holds ``PORTAUDIO_LOCK``; no audio callback ever takes it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from typing import Any

from ..errors import OutputError

Device = int | str | None

PORTAUDIO_MISSING = "PortAudio is not installed (on Debian: apt-get install libportaudio2)"

JACK_HOSTAPI = "JACK Audio Connection Kit"

log = logging.getLogger("mixdeck.output")

# Held (caller side only) around PortAudio re-initialisation and device
# enumeration, which must not run concurrently with each other.
PORTAUDIO_LOCK = threading.RLock()

# PortAudio library instances given up on (see replace_library), with the
# dead streams that belong to them. They are kept referenced for the life of
# the process: unloading one would unmap code its JACK client still points to.
_ABANDONED: list[Any] = []


class DeviceUnavailable(OutputError):
    """The sound device cannot be opened: no PortAudio, no such device, or it refused."""


def sounddevice_module() -> Any:
    """Import sounddevice, turning a missing PortAudio into DeviceUnavailable."""
    try:
        import sounddevice
    except (OSError, ImportError) as exc:  # OSError: sounddevice found no libportaudio
        raise DeviceUnavailable(f"{PORTAUDIO_MISSING}: {exc}") from exc
    return sounddevice


def normalise(device: Device) -> Device:
    """An index may arrive as text (``MIXDECK_DEVICE=3``); make it an int.

    Any other text is a name, matched as sounddevice does: a case-insensitive
    substring of the device's name (and host API) that must select one device.
    """
    if isinstance(device, str):
        text = device.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        return text or None
    return device


def _default_output_index(sd: Any) -> int:
    try:
        return int(sd.default.device[1])
    except Exception:
        return -1


def list_devices() -> list[dict]:
    """The devices that can play sound, as plain dicts.

    Each has ``index``, ``name``, ``hostapi`` (the host API's name, e.g.
    'ALSA' or 'JACK Audio Connection Kit'), ``max_output_channels``,
    ``default_samplerate`` (Hz) and ``is_default``. Empty when PortAudio is
    missing or no output device exists.
    """
    try:
        sd = sounddevice_module()
    except DeviceUnavailable:
        return []
    with PORTAUDIO_LOCK:
        hostapis = sd.query_hostapis()
        default = _default_output_index(sd)
        infos = sd.query_devices()
    devices = []
    for info in infos:
        if info["max_output_channels"] <= 0:
            continue
        devices.append(
            {
                "index": info["index"],
                "name": info["name"],
                "hostapi": hostapis[info["hostapi"]]["name"],
                "max_output_channels": info["max_output_channels"],
                "default_samplerate": info["default_samplerate"],
                "is_default": info["index"] == default,
            }
        )
    return devices


def device_available(device: Device = None, sample_rate: int | None = None) -> tuple[bool, str]:
    """Whether a stereo float32 stream could be opened on ``device``.

    Args:
        device: an index, a name (substring match), or None for the default
            output device.
        sample_rate: if given (Hz), also check that the device accepts it.

    Returns:
        ``(True, description)`` or ``(False, reason)``; the reason is a
        sentence to show a person (PortAudio missing, no output device, no
        such device, too few channels, rate refused).
    """
    try:
        sd = sounddevice_module()
    except DeviceUnavailable as exc:
        return False, str(exc)
    with PORTAUDIO_LOCK:
        return _device_available(sd, normalise(device), sample_rate)


def _device_available(sd: Any, device: Device, sample_rate: int | None) -> tuple[bool, str]:
    if device is None and _default_output_index(sd) < 0:
        if not any(info["max_output_channels"] > 0 for info in sd.query_devices()):
            return False, "PortAudio finds no output device"
        return False, "PortAudio has no default output device; name one"
    try:
        info = sd.query_devices(device, "output")
    except (ValueError, sd.PortAudioError) as exc:
        return False, str(exc)
    if info["max_output_channels"] < 2:
        return False, f"device {info['name']!r} has {info['max_output_channels']} output channel(s); 2 are needed"
    if sample_rate is not None:
        try:
            sd.check_output_settings(info["index"], channels=2, dtype="float32", samplerate=sample_rate)
        except (ValueError, sd.PortAudioError) as exc:
            return False, f"device {info['name']!r} refuses {sample_rate} Hz: {exc}"
    hostapi = sd.query_hostapis(info["hostapi"])["name"]
    return True, f"{info['name']} ({hostapi})"




# ---------------------------------------------------------------------------
# Re-initialising PortAudio after a device was lost
#
# What Debian's libportaudio2 (19.6.0, built with assertions) does when the
# JACK server it is connected to goes away, as seen on the test suite's JACK
# dummy server:
#
# - The JACK shutdown callback marks the stream inactive (``active`` is
#   False) but not stopped; no finished callback is called.
# - Pa_StopStream, Pa_AbortStream and Pa_CloseStream on that stream block for
#   ten minutes: they wait on a condition variable only the JACK process
#   callback signals, and it will never run again.
# - Pa_Terminate aborts the whole process (SIGABRT): an ``assert`` on the
#   result of jack_deactivate() for the dead client (pa_jack.c, Terminate).
#   sounddevice's atexit handler calls it too, so even a normal exit aborts.
#
# So a PortAudio instance whose JACK client lost its server can be neither
# cleaned up nor re-initialised. What works is to leave it as it is and load a
# second, independent copy of the library (a copy of the file: dlopen of the
# same path would return the same instance) with its own JACK client;
# libjack itself connects to a restarted server from the same process. The
# old instance and its dead stream stay referenced in _ABANDONED, never
# called again. That costs a few hundred kilobytes per lost JACK server.


def portaudio_path(sd: Any) -> str | None:
    """The file the running PortAudio library was loaded from (Linux: /proc/self/maps)."""
    name = os.path.basename(str(getattr(sd, "_libname", "") or "libportaudio"))
    stem = name.split(".so")[0] or "libportaudio"
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                fields = line.split(maxsplit=5)
                path = fields[5].strip() if len(fields) == 6 else ""
                if os.path.basename(path).startswith(stem) and "mixdeck-portaudio-" not in path:
                    return path
    except OSError:
        pass
    return None


def replace_library(sd: Any, keep: Any = None) -> None:
    """Give up the current PortAudio instance without terminating it; load a fresh one.

    ``keep`` (a dead stream) is referenced forever with the old instance.
    Caller holds PORTAUDIO_LOCK.
    """
    source = portaudio_path(sd)
    if source is None:
        raise DeviceUnavailable("cannot find the PortAudio library file to load a fresh instance of it")
    folder = tempfile.mkdtemp(prefix="mixdeck-portaudio-")
    try:
        copy = os.path.join(folder, f"libportaudio-{len(_ABANDONED) + 1}.so")
        shutil.copyfile(source, copy)
        fresh = sd._ffi.dlopen(copy)
    finally:
        # The mapping outlives the file.
        shutil.rmtree(folder, ignore_errors=True)
    _ABANDONED.append((sd._lib, keep))
    if keep is not None:
        # sounddevice calls whichever library is current: make the old stream
        # look closed so that nothing passes it to the fresh instance.
        keep._ptr = sd._ffi.NULL
    sd._lib = fresh
    sd._initialized = 0
    sd._initialize()


_JACK: Any = None


def _jack_server_reachable() -> bool:
    """Whether a JACK client can connect to the default server now (libjack, never starting one)."""
    global _JACK
    try:
        if _JACK is None:
            import cffi

            ffi = cffi.FFI()
            ffi.cdef(
                "typedef struct _jack_client jack_client_t;"
                "jack_client_t *jack_client_open(const char *name, int options, int *status, ...);"
                "int jack_client_close(jack_client_t *client);"
            )
            _JACK = (ffi, ffi.dlopen("libjack.so.0"))
        ffi, lib = _JACK
        status = ffi.new("int *")
        # 0x01 JackNoStartServer, 0x02 JackUseExactName is not wanted: a probe
        # may run while another one has not finished closing.
        client = lib.jack_client_open(b"mixdeck-probe", 0x01, status)
    except Exception:  # noqa: BLE001 - no libjack, or it failed: assume the worst
        return False
    if client == ffi.NULL:
        return False
    lib.jack_client_close(client)
    return True


def reinitialise(sd: Any, safe: bool) -> None:
    """Make PortAudio enumerate devices again. Caller holds PORTAUDIO_LOCK.

    Terminates and initialises the current instance when that is safe: the
    caller says it holds no lost stream (``safe``), and if the instance has a
    JACK client, its server is still reachable (a client whose server died
    would abort the process in Pa_Terminate). Otherwise loads a fresh
    instance. A JACK server that died and was restarted between two calls is
    not told apart from one that stayed up.
    """
    if safe and sd._initialized > 0:
        try:
            apis = [api["name"] for api in sd.query_hostapis()]
        except Exception:  # noqa: BLE001
            apis = [JACK_HOSTAPI]
        if JACK_HOSTAPI not in apis or _jack_server_reachable():
            sd._terminate()
            sd._initialize()
            return
    elif safe:
        sd._initialize()
        return
    replace_library(sd)


def close_stream(stream: Any, timeout: float) -> bool:
    """Close ``stream`` from a helper thread; False if PortAudio did not return in time."""
    done = threading.Event()

    def close() -> None:
        try:
            stream.close(ignore_errors=True)
        finally:
            done.set()

    threading.Thread(target=close, name="mixdeck-device-close", daemon=True).start()
    return done.wait(timeout)


def device_key(name: str) -> str:
    """A device name without ALSA's card numbers: 'USB Audio: - (hw:2,0)' -> 'USB Audio: -'.

    A USB card plugged back in may get another card number.
    """
    base, sep, rest = name.rpartition(" (hw:")
    return base if sep and rest.endswith(")") else name
