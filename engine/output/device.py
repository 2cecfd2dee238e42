"""The device output: a sounddevice (PortAudio) stream whose callback renders.

``sounddevice`` is imported only inside the functions below: it raises
``OSError`` at import when the PortAudio library is missing, and the engine
must import (and run on the null or offline output) without it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import OutputError
from .base import OutputStats, Renderer, timed_process

Device = int | str | None

PORTAUDIO_MISSING = "PortAudio is not installed (on Debian: apt-get install libportaudio2)"


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
    hostapis = sd.query_hostapis()
    default = _default_output_index(sd)
    devices = []
    for info in sd.query_devices():
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
    device = _normalise(device)
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


class DeviceOutput:
    """Plays the renderer's blocks on a sound device through PortAudio.

    Args:
        renderer: the object whose ``process(out)`` fills each block.
        sample_rate: frames per second the stream is opened at, e.g. 48000.
        block_size: frames per callback; PortAudio adapts it to the device's
            own period if they differ.
        device: an index, a name (a case-insensitive substring that must pick
            one device, as in sounddevice), or None for the default output.

    The stream is opened here, so a missing or busy device fails at
    construction with :class:`DeviceUnavailable`; ``start`` starts it. Each
    callback counts a device underflow in ``stats.underflows`` and renders
    into the device's buffer in place. An exception from the renderer is
    counted in ``render_errors`` and that block is silent; the stream lives on.
    """

    kind = "device"

    def __init__(self, renderer: Renderer, sample_rate: int, block_size: int, device: Device = None) -> None:
        sd = _sounddevice()
        self._renderer = renderer
        self.sample_rate = int(sample_rate)
        self.block_size = int(block_size)
        self.stats = OutputStats()
        self.render_errors = 0
        self._closed = False
        try:
            self._stream = sd.OutputStream(
                samplerate=self.sample_rate,
                blocksize=self.block_size,
                channels=2,
                dtype="float32",
                device=_normalise(device),
                callback=self._callback,
            )
        except (ValueError, sd.PortAudioError) as exc:
            raise DeviceUnavailable(f"cannot open output device {device!r}: {exc}") from exc
        info = sd.query_devices(self._stream.device)
        self.device_index = int(self._stream.device)
        self.device_name = str(info["name"])
        self.hostapi = str(sd.query_hostapis(info["hostapi"])["name"])
        self.latency = float(self._stream.latency)

    @property
    def running(self) -> bool:
        """True while the stream is started and its callback being called."""
        return not self._closed and bool(self._stream.active)

    def start(self) -> None:
        """Start the stream; the callback begins asking for blocks."""
        if self._closed:
            raise RuntimeError("this DeviceOutput is closed; create a new one")
        if not self._stream.active:
            self._stream.start()

    def close(self) -> None:
        """Stop the stream (waiting for the last callback) and release the device. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._stream.close()

    def describe(self) -> dict:
        return {
            "kind": self.kind,
            "device": self.device_name,
            "device_index": self.device_index,
            "hostapi": self.hostapi,
            "sample_rate": self.sample_rate,
            "block_size": self.block_size,
            "latency": self.latency,
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
