"""The device output: a sounddevice (PortAudio) stream whose callback renders.

``sounddevice`` is imported only inside the functions below: it raises
``OSError`` at import when the PortAudio library is missing, and the engine
must import (and run on the null or offline output) without it.

PortAudio is process-wide state: it enumerates devices once, when it is
initialised, so a device that appears later (a USB interface plugged back in,
a sound server restarted) is only found after a re-initialisation, and a
re-initialisation closes every stream of the process. Every call here that
re-initialises PortAudio or enumerates devices holds ``_PORTAUDIO_LOCK``; no
audio callback ever takes it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from typing import Any

import numpy as np

from ..errors import OutputError
from .base import OutputStats, Renderer, timed_process

Device = int | str | None

PORTAUDIO_MISSING = "PortAudio is not installed (on Debian: apt-get install libportaudio2)"

JACK_HOSTAPI = "JACK Audio Connection Kit"

log = logging.getLogger("mixdeck.output")

# Held (caller side only) around PortAudio re-initialisation and device
# enumeration, which must not run concurrently with each other.
_PORTAUDIO_LOCK = threading.RLock()

# PortAudio library instances given up on (see _replace_portaudio), with the
# dead streams that belong to them. They are kept referenced for the life of
# the process: unloading one would unmap code its JACK client still points to.
_ABANDONED: list[Any] = []


class DeviceUnavailable(OutputError):
    """The sound device cannot be opened: no PortAudio, no such device, or it refused."""


def _sounddevice() -> Any:
    """Import sounddevice, turning a missing PortAudio into DeviceUnavailable."""
    try:
        import sounddevice
    except (OSError, ImportError) as exc:  # OSError: sounddevice found no libportaudio
        raise DeviceUnavailable(f"{PORTAUDIO_MISSING}: {exc}") from exc
    return sounddevice


def _normalise(device: Device) -> Device:
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
        sd = _sounddevice()
    except DeviceUnavailable:
        return []
    with _PORTAUDIO_LOCK:
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
        sd = _sounddevice()
    except DeviceUnavailable as exc:
        return False, str(exc)
    with _PORTAUDIO_LOCK:
        return _device_available(sd, _normalise(device), sample_rate)


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


def _portaudio_path(sd: Any) -> str | None:
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


def _replace_portaudio(sd: Any, keep: Any = None) -> None:
    """Give up the current PortAudio instance without terminating it; load a fresh one.

    ``keep`` (a dead stream) is referenced forever with the old instance.
    Caller holds _PORTAUDIO_LOCK.
    """
    source = _portaudio_path(sd)
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


def _reinitialise_portaudio(sd: Any, safe: bool) -> None:
    """Make PortAudio enumerate devices again. Caller holds _PORTAUDIO_LOCK.

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
    _replace_portaudio(sd)


def _close_stream(stream: Any, timeout: float) -> bool:
    """Close ``stream`` from a helper thread; False if PortAudio did not return in time."""
    done = threading.Event()

    def close() -> None:
        try:
            stream.close(ignore_errors=True)
        finally:
            done.set()

    threading.Thread(target=close, name="mixdeck-device-close", daemon=True).start()
    return done.wait(timeout)


def _device_key(name: str) -> str:
    """A device name without ALSA's card numbers: 'USB Audio: - (hw:2,0)' -> 'USB Audio: -'.

    A USB card plugged back in may get another card number.
    """
    base, sep, rest = name.rpartition(" (hw:")
    return base if sep and rest.endswith(")") else name


# How often the watchdog looks at a running stream, and how it retries a lost
# one: first after RETRY_FIRST seconds, then each wait RETRY_GROWTH times
# longer, up to RETRY_MAX.
WATCH_INTERVAL = 0.1
RETRY_FIRST = 0.5
RETRY_GROWTH = 1.5
RETRY_MAX = 2.0
# How long close() waits for the watchdog, and the watchdog for PortAudio to
# close a lost stream, in seconds.
JOIN_TIMEOUT = 5.0
CLOSE_TIMEOUT = 2.0


class DeviceOutput:
    """Plays the renderer's blocks on a sound device through PortAudio.

    Args:
        renderer: the object whose ``process(out)`` fills each block.
        sample_rate: frames per second the stream is opened at, e.g. 48000.
        block_size: frames per callback; PortAudio adapts it to the device's
            own period if they differ.
        device: an index, a name (a case-insensitive substring that must pick
            one device, as in sounddevice), or None for the default output.
        reconnect: watch the stream and reopen the device when it is lost.

    The stream is opened here, so a missing or busy device fails at
    construction with :class:`DeviceUnavailable`; ``start`` starts it. Each
    callback counts a device underflow in ``stats.underflows`` and renders
    into the device's buffer in place. An exception from the renderer is
    counted in ``render_errors`` and that block is silent; the stream lives on.

    Losing the device: ``start`` also starts a watchdog thread (never the
    audio callback) that notices when the stream stops without ``close()``
    (the device was unplugged, the sound server restarted): PortAudio reports
    it inactive, calls the finished callback, or raises. It counts it in
    ``disconnects``, logs one line, and tries to reopen the same device -- by
    the name and host API it had, since indexes change; the default output
    only if the default was asked for -- first after 0.5 s, then less often
    (up to every 2 s), re-initialising PortAudio before each try so that a
    device that came back is found. When it succeeds it counts ``reopens``
    and logs one line. While no stream runs, nothing renders: the engine's
    clocks stand still and sounds do not advance, as on a stopped device;
    they go on from where they were once the device is back.

    Re-initialising PortAudio is process-wide: it closes every other
    PortAudio stream of the process (mixdeck has one device output per
    process). When the lost device was on JACK, the old PortAudio instance
    cannot be cleaned up (see ``_replace_portaudio``) and a fresh copy of the
    library is loaded instead.
    """

    kind = "device"

    def __init__(
        self,
        renderer: Renderer,
        sample_rate: int,
        block_size: int,
        device: Device = None,
        reconnect: bool = True,
    ) -> None:
        sd = _sounddevice()
        self._renderer = renderer
        self.sample_rate = int(sample_rate)
        self.block_size = int(block_size)
        self.stats = OutputStats()
        self.render_errors = 0
        self.disconnects = 0
        self.reopens = 0
        self.reconnect = bool(reconnect)
        self._requested = _normalise(device)
        self._closed = False
        self._started = False
        self._connected = True
        self._last_error: str | None = None
        # Caller side only: the watchdog holds it for one check or one reopen
        # attempt, close() to take the stream away. The callback never does.
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None
        # Bumped for each stream; a finished callback for an older one is ignored.
        self._generation = 0
        self._finished_generation = -1
        with _PORTAUDIO_LOCK:
            try:
                self._stream = self._open(sd, self._requested)
            except (ValueError, sd.PortAudioError) as exc:
                raise DeviceUnavailable(f"cannot open output device {device!r}: {exc}") from exc

    def _open(self, sd: Any, device: Device) -> Any:
        """Open a stream on ``device`` and record what it is. Caller holds _PORTAUDIO_LOCK."""
        self._generation += 1
        generation = self._generation
        stream = sd.OutputStream(
            samplerate=self.sample_rate,
            blocksize=self.block_size,
            channels=2,
            dtype="float32",
            device=device,
            callback=self._callback,
            finished_callback=lambda: self._finished(generation),
        )
        info = sd.query_devices(stream.device)
        self.device_index = int(stream.device)
        self.device_name = str(info["name"])
        self.hostapi = str(sd.query_hostapis(info["hostapi"])["name"])
        self.latency = float(stream.latency)
        return stream

    @property
    def running(self) -> bool:
        """True while the stream is started and its callback being called."""
        stream = self._stream
        if self._closed or not self._connected or stream is None:
            return False
        with _PORTAUDIO_LOCK:
            try:
                return bool(stream.active)
            except Exception:  # noqa: BLE001 - a lost stream may raise
                return False

    @property
    def connected(self) -> bool:
        """False from the moment the watchdog noticed the device was lost until it reopened it."""
        return self._connected and not self._closed

    def start(self) -> None:
        """Start the stream; the callback begins asking for blocks. Starts the watchdog."""
        with self._lock:
            if self._closed:
                raise RuntimeError("this DeviceOutput is closed; create a new one")
            if self._connected and self._stream is not None:
                with _PORTAUDIO_LOCK:
                    if not self._stream.active:
                        self._stream.start()
            self._started = True
            if self.reconnect and self._watchdog is None:
                self._watchdog = threading.Thread(target=self._watch, name="mixdeck-device-watchdog", daemon=True)
                self._watchdog.start()

    def close(self) -> None:
        """Stop the watchdog and the stream (waiting for the last callback), release the device. Idempotent.

        Waits for a reopen attempt in progress to finish, then for the
        watchdog thread (at most JOIN_TIMEOUT seconds).
        """
        self._stop.set()
        with self._lock:
            if self._closed:
                return
            self._closed = True
            stream, self._stream = self._stream, None
            if stream is not None:
                sd = _sounddevice()
                with _PORTAUDIO_LOCK:
                    self._discard(sd, stream, lost=self._started and self._stream_lost(sd, stream))
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None and watchdog is not threading.current_thread():
            watchdog.join(JOIN_TIMEOUT)

    def describe(self) -> dict:
        return {
            "kind": self.kind,
            "device": self.device_name,
            "device_index": self.device_index,
            "hostapi": self.hostapi,
            "sample_rate": self.sample_rate,
            "block_size": self.block_size,
            "latency": self.latency,
            "connected": self.connected,
            "disconnects": self.disconnects,
            "reopens": self.reopens,
            "last_error": self._last_error,
        }

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's stream callback. Runs on the audio thread."""
        if status.output_underflow:
            self.stats.underflows += 1
        try:
            timed_process(self._renderer, outdata, self.stats, self.sample_rate)
        except Exception:
            outdata.fill(0.0)
            self.render_errors += 1

    def _finished(self, generation: int) -> None:
        """PortAudio's finished callback: the stream stopped. Runs on PortAudio's thread; only notes it."""
        self._finished_generation = generation

    # -- the watchdog (caller side) -------------------------------------------------

    def _stream_lost(self, sd: Any, stream: Any) -> bool:
        """Whether a started stream has stopped on its own. Caller holds _PORTAUDIO_LOCK."""
        if self._finished_generation == self._generation:
            return True
        try:
            return not stream.active
        except Exception:  # noqa: BLE001 - PortAudio errors on a lost device
            return True

    def _discard(self, sd: Any, stream: Any, lost: bool) -> None:
        """Release a stream so that PortAudio stays safe to re-initialise. Caller holds _PORTAUDIO_LOCK."""
        if not lost:
            stream.close()
        elif self.hostapi == JACK_HOSTAPI:
            # Closing it would block for ten minutes, and the instance can no
            # longer be terminated: see the note above _portaudio_path.
            _replace_portaudio(sd, keep=stream)
        elif not _close_stream(stream, CLOSE_TIMEOUT):
            _replace_portaudio(sd, keep=stream)

    def _watch(self) -> None:
        """The watchdog loop. Runs on its own thread, never on the audio thread."""
        sd = _sounddevice()
        retry = RETRY_FIRST
        wait = WATCH_INTERVAL
        while not self._stop.wait(wait):
            with self._lock:
                if self._closed:
                    return
                if self._connected:
                    wait = WATCH_INTERVAL
                    self._check(sd)
                    if not self._connected:
                        retry = RETRY_FIRST
                        wait = retry
                    continue
                if self._try_reopen(sd):
                    wait = WATCH_INTERVAL
                else:
                    retry = min(retry * RETRY_GROWTH, RETRY_MAX)
                    wait = retry

    def _check(self, sd: Any) -> None:
        """Notice a lost stream, release it and count it. Caller holds self._lock."""
        stream = self._stream
        with _PORTAUDIO_LOCK:
            if stream is None or not self._stream_lost(sd, stream):
                return
            self._connected = False
            self._stream = None
            self.disconnects += 1
            try:
                self._discard(sd, stream, lost=True)
            except Exception as exc:  # noqa: BLE001 - keep watching; the next attempt says more
                self._last_error = f"releasing the lost stream failed: {exc}"
        log.warning(
            "audio device %r (%s) was lost after %d callbacks; trying to reopen it",
            self.device_name,
            self.hostapi,
            self.stats.callbacks,
        )

    def _try_reopen(self, sd: Any) -> bool:
        """One attempt at reopening the device. Caller holds self._lock."""
        with _PORTAUDIO_LOCK:
            try:
                _reinitialise_portaudio(sd, safe=True)
                stream = self._open(sd, self._find_device(sd))
                try:
                    stream.start()
                except Exception:
                    stream.close(ignore_errors=True)
                    raise
            except Exception as exc:  # noqa: BLE001 - PortAudio, a missing device, a refused rate
                self._last_error = str(exc)
                return False
        self._stream = stream
        self._connected = True
        self._last_error = None
        self.reopens += 1
        log.info("audio device %r (%s) is back; playing again", self.device_name, self.hostapi)
        return True

    def _find_device(self, sd: Any) -> Device:
        """The index of the device that was lost, found by name and host API after a re-initialisation."""
        name, hostapi = self.device_name, self.hostapi
        apis = [api["name"] for api in sd.query_hostapis()]
        outputs = [
            info
            for info in sd.query_devices()
            if info["max_output_channels"] >= 2 and apis[info["hostapi"]] == hostapi
        ]
        exact = [info["index"] for info in outputs if info["name"] == name]
        if exact:
            return int(exact[0])
        similar = [info["index"] for info in outputs if _device_key(info["name"]) == _device_key(name)]
        if len(similar) == 1:
            return int(similar[0])
        if self._requested is None:
            return None
        raise DeviceUnavailable(f"device {name!r} ({hostapi}) is not there")
