"""The device output, on a virtual device: what reaches the device is what the renderer made."""

from __future__ import annotations

import sys
import time

import numpy as np
import pytest

from mixdeck.engine.output import DeviceOutput, DeviceUnavailable, OfflineOutput, device_available, list_devices
from tests.virtual_audio import JackDummyServer, virtual_audio  # noqa: F401  (a fixture)

pytestmark = pytest.mark.virtual_audio

SAMPLE_RATE = 48000
BLOCK_SIZE = 512
RECORD_SECONDS = 2


class ToneRenderer:
    """A deterministic stereo test signal that continues from block to block.

    Left: a 440 Hz sine under a slow 0.7 Hz swell; right: a sweep rising from
    200 Hz by 300 Hz per second. The sweep never repeats, so a capture fits
    the reference at one offset only, and a lost or repeated block shows as a
    mismatch instead of hiding in a periodic waveform.
    """

    def __init__(self, sample_rate: int) -> None:
        self._rate = sample_rate
        self._frame = 0

    def process(self, out: np.ndarray) -> None:
        frames = out.shape[0]
        t = (self._frame + np.arange(frames)) / self._rate
        swell = 0.5 + 0.25 * np.sin(2 * np.pi * 0.7 * t)
        out[:, 0] = swell * np.sin(2 * np.pi * 440.0 * t)
        out[:, 1] = 0.3 * np.sin(2 * np.pi * (200.0 * t + 150.0 * t * t))
        self._frame += frames


def sounding_part(captured: np.ndarray, sample_rate: int) -> np.ndarray:
    """Drop the silence the recorder may catch before it is connected."""
    loud = np.flatnonzero(np.abs(captured).max(axis=1) > 1e-3)
    assert loud.size, "the virtual device received only silence"
    margin = sample_rate // 20
    return captured[loud[0] + margin : loud[-1] + 1]


def locate(segment: np.ndarray, reference: np.ndarray) -> int:
    """Offset in ``reference`` where ``segment`` fits best (normalised cross-correlation, all channels)."""
    span = len(segment)
    size = 1 << int(np.ceil(np.log2(len(reference) + span)))
    correlation = np.zeros(len(reference) - span + 1)
    for channel in range(reference.shape[1]):
        spectrum = np.fft.rfft(reference[:, channel], size) * np.conj(np.fft.rfft(segment[:, channel], size))
        correlation += np.fft.irfft(spectrum, size)[: len(correlation)]
    energy = np.concatenate([[0.0], np.cumsum(np.sum(np.square(reference, dtype=np.float64), axis=1))])
    window_energy = energy[span:] - energy[:-span]
    return int(np.argmax(correlation / np.sqrt(np.maximum(window_energy, 1e-12))))


def rms_db(signal: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(np.square(signal, dtype=np.float64))) + 1e-12)


def assert_same_audio(captured: np.ndarray, reference: np.ndarray, sample_rate: int) -> None:
    """``captured`` must be a stretch of ``reference``: nothing missing, doubled or silent."""
    segment = sounding_part(captured, sample_rate)
    assert len(segment) >= sample_rate // 2, f"only {len(segment)} frames of sound were captured"
    offset = locate(segment, reference)
    aligned = reference[offset : offset + len(segment)]
    assert len(aligned) == len(segment), "the capture runs past what the renderer produced"
    for channel in range(2):
        correlation = np.corrcoef(segment[:, channel], aligned[:, channel])[0, 1]
        assert correlation > 0.99, f"channel {channel}: correlation {correlation:.4f} after alignment at {offset}"
        level = rms_db(segment[:, channel]) - rms_db(aligned[:, channel])
        assert abs(level) < 1.0, f"channel {channel}: level differs by {level:.2f} dB"


def test_device_output_delivers_the_renderers_samples(virtual_audio: JackDummyServer) -> None:
    output = DeviceOutput(ToneRenderer(SAMPLE_RATE), SAMPLE_RATE, BLOCK_SIZE, device=virtual_audio.device)
    try:
        output.start()
        captured = virtual_audio.record(RECORD_SECONDS)
    finally:
        output.close()
    assert output.stats.callbacks > 0
    assert output.stats.underflows >= 0
    assert output.stats.render_errors == 0

    reference = OfflineOutput(ToneRenderer(SAMPLE_RATE), SAMPLE_RATE, BLOCK_SIZE).render(output.stats.frames)
    assert_same_audio(captured, reference, SAMPLE_RATE)


def test_device_output_opens_the_device_by_name(virtual_audio: JackDummyServer) -> None:
    output = DeviceOutput(ToneRenderer(SAMPLE_RATE), SAMPLE_RATE, BLOCK_SIZE, device=virtual_audio.device_name)
    try:
        described = output.describe()
    finally:
        output.close()
    assert described["kind"] == "device"
    assert described["device"] == virtual_audio.device_name
    assert described["hostapi"] == "JACK Audio Connection Kit"
    assert described["sample_rate"] == SAMPLE_RATE
    assert described["block_size"] == BLOCK_SIZE


def test_device_listing_and_availability(virtual_audio: JackDummyServer) -> None:
    devices = list_devices()
    jack = [d for d in devices if d["index"] == virtual_audio.device]
    assert jack and jack[0]["hostapi"] == "JACK Audio Connection Kit"
    assert jack[0]["max_output_channels"] >= 2
    assert all(d["max_output_channels"] > 0 for d in devices)

    assert device_available(virtual_audio.device)[0]
    assert device_available(str(virtual_audio.device))[0]
    ok, reason = device_available("no such device anywhere")
    assert not ok and "no such device anywhere" in reason
    with pytest.raises(DeviceUnavailable):
        DeviceOutput(ToneRenderer(SAMPLE_RATE), SAMPLE_RATE, BLOCK_SIZE, device="no such device anywhere")


class FlakyRenderer(ToneRenderer):
    """Raises on every third block."""

    def __init__(self, sample_rate: int) -> None:
        super().__init__(sample_rate)
        self.blocks = 0

    def process(self, out: np.ndarray) -> None:
        self.blocks += 1
        if self.blocks % 3 == 0:
            raise RuntimeError("a broken voice")
        super().process(out)


def test_a_failing_renderer_does_not_stop_the_stream(virtual_audio: JackDummyServer) -> None:
    renderer = FlakyRenderer(SAMPLE_RATE)
    output = DeviceOutput(renderer, SAMPLE_RATE, BLOCK_SIZE, device=virtual_audio.device)
    try:
        output.start()
        deadline = time.monotonic() + 10
        while renderer.blocks < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert output.running
    finally:
        output.close()
    assert renderer.blocks >= 30
    assert output.stats.render_errors >= 9


class StallingRenderer(ToneRenderer):
    """Takes ten blocks' time to render its 20th block, as an overloaded engine would."""

    def __init__(self, sample_rate: int) -> None:
        super().__init__(sample_rate)
        self.blocks = 0

    def process(self, out: np.ndarray) -> None:
        self.blocks += 1
        if self.blocks == 20:
            time.sleep(10 * BLOCK_SIZE / SAMPLE_RATE)
        super().process(out)


def test_a_late_block_is_counted_as_an_underflow(virtual_audio: JackDummyServer) -> None:
    renderer = StallingRenderer(SAMPLE_RATE)
    output = DeviceOutput(renderer, SAMPLE_RATE, BLOCK_SIZE, device=virtual_audio.device)
    try:
        output.start()
        deadline = time.monotonic() + 10
        while output.stats.callbacks < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        output.close()
    assert output.stats.callbacks >= 40
    assert output.stats.late_blocks >= 1
    assert output.stats.underflows >= 1


def test_manager_on_the_device_plays_what_it_renders_offline(virtual_audio: JackDummyServer) -> None:
    from mixdeck.engine import AudioManager, AudioManagerSettings, StaticSoundData, StaticSoundSettings

    tone = OfflineOutput(ToneRenderer(SAMPLE_RATE), SAMPLE_RATE, BLOCK_SIZE).render(4 * SAMPLE_RATE)
    data = StaticSoundData.from_array(tone, SAMPLE_RATE)
    settings = StaticSoundSettings(volume=-6.0, panning=0.25)

    def manager(output: str, **extra) -> AudioManager:
        return AudioManager(
            AudioManagerSettings(output=output, sample_rate=SAMPLE_RATE, block_size=BLOCK_SIZE, **extra)
        )

    live = manager("device", device=virtual_audio.device)
    try:
        assert live.output_info["hostapi"] == "JACK Audio Connection Kit"
        live.play(data, settings)
        # The sound is 4 s long; record 2 s from its middle part.
        time.sleep(0.5)
        captured = virtual_audio.record(RECORD_SECONDS)
        assert live.stats.callbacks > 0
    finally:
        live.close()

    offline = manager("offline")
    try:
        offline.play(data, settings)
        reference = offline.render(5 * SAMPLE_RATE)
    finally:
        offline.close()
    assert_same_audio(captured, reference, SAMPLE_RATE)


def test_without_portaudio_the_device_path_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry makes `import sounddevice` fail, as a missing libportaudio does.
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    assert list_devices() == []
    ok, reason = device_available()
    assert not ok and "PortAudio" in reason
    with pytest.raises(DeviceUnavailable, match="PortAudio"):
        DeviceOutput(ToneRenderer(SAMPLE_RATE), SAMPLE_RATE, BLOCK_SIZE)
