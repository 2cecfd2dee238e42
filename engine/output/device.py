"""The device output: a sounddevice (PortAudio) stream whose callback renders.

PortAudio itself (loading, device lists, re-initialisation) is in
``portaudio.py``; this module opens a stream on it and keeps it open.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

import numpy as np

from .base import OutputStats, Renderer, timed_process
from .portaudio import (
    JACK_HOSTAPI,
    PORTAUDIO_LOCK,
    Device,
    DeviceUnavailable,
    close_stream,
    device_key,
    log,
    normalise,
    reinitialise,
    replace_library,
    sounddevice_module,
)


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
    cannot be cleaned up (see ``replace_library``) and a fresh copy of the
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
        stats: OutputStats | None = None,
        on_start: Callable[[], None] | None = None,
    ) -> None:
        sd = sounddevice_module()
        self._renderer = renderer
        self.sample_rate = int(sample_rate)
        self.block_size = int(block_size)
        self.stats = stats if stats is not None else OutputStats()
        self._on_start = on_start
        self._started_callback = False
        self.disconnects = 0
        self.reopens = 0
        self.reconnect = bool(reconnect)
        self._requested = normalise(device)
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
        with PORTAUDIO_LOCK:
            try:
                self._stream = self._open(sd, self._requested)
            except (ValueError, sd.PortAudioError) as exc:
                raise DeviceUnavailable(f"cannot open output device {device!r}: {exc}") from exc

    def _open(self, sd: Any, device: Device) -> Any:
        """Open a stream on ``device`` and record what it is. Caller holds PORTAUDIO_LOCK."""
        self._generation += 1
        generation = self._generation
        self._started_callback = False
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
        with PORTAUDIO_LOCK:
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
                with PORTAUDIO_LOCK:
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
                sd = sounddevice_module()
                with PORTAUDIO_LOCK:
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
        if not self._started_callback:
            # Once per stream: PortAudio may give a reopened stream a new thread.
            self._started_callback = True
            if self._on_start is not None:
                self._on_start()
        if status.output_underflow:
            self.stats.count("underflows")
        try:
            timed_process(self._renderer, outdata, self.stats, self.sample_rate)
        except Exception:
            outdata.fill(0.0)
            self.stats.count("render_errors")

    def _finished(self, generation: int) -> None:
        """PortAudio's finished callback: the stream stopped. Runs on PortAudio's thread; only notes it."""
        self._finished_generation = generation

    # -- the watchdog (caller side) -------------------------------------------------

    def _stream_lost(self, sd: Any, stream: Any) -> bool:
        """Whether a started stream has stopped on its own. Caller holds PORTAUDIO_LOCK."""
        if self._finished_generation == self._generation:
            return True
        try:
            return not stream.active
        except Exception:  # noqa: BLE001 - PortAudio errors on a lost device
            return True

    def _discard(self, sd: Any, stream: Any, lost: bool) -> None:
        """Release a stream so that PortAudio stays safe to re-initialise. Caller holds PORTAUDIO_LOCK."""
        if not lost:
            stream.close()
        elif self.hostapi == JACK_HOSTAPI:
            # Closing it would block for ten minutes, and the instance can no
            # longer be terminated: see the note above portaudio_path.
            replace_library(sd, keep=stream)
        elif not close_stream(stream, CLOSE_TIMEOUT):
            replace_library(sd, keep=stream)

    def _watch(self) -> None:
        """The watchdog loop. Runs on its own thread, never on the audio thread."""
        sd = sounddevice_module()
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
        with PORTAUDIO_LOCK:
            if stream is None or not self._stream_lost(sd, stream):
                return
            self._connected = False
            self._stream = None
            self.disconnects += 1
            self.stats.set("connected", 0)
            self.stats.count("disconnects")
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
        with PORTAUDIO_LOCK:
            try:
                reinitialise(sd, safe=True)
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
        self.stats.set("connected", 1)
        self.stats.count("reopens")
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
        similar = [info["index"] for info in outputs if device_key(info["name"]) == device_key(name)]
        if len(similar) == 1:
            return int(similar[0])
        if self._requested is None:
            return None
        raise DeviceUnavailable(f"device {name!r} ({hostapi}) is not there")
