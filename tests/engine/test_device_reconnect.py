"""The device output survives its device going away: the JACK server is stopped, then started again."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest

from mixdeck.engine.output import DeviceOutput, OfflineOutput
from tests.engine.test_device_output import BLOCK_SIZE, RECORD_SECONDS, SAMPLE_RATE, ToneRenderer, assert_same_audio
from tests.virtual_audio import JackDummyServer, virtual_audio  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.virtual_audio, pytest.mark.slow]

# Bounds for waiting on a condition; none of them is asserted as a duration.
WAIT_SECONDS = 20.0


def wait_for(condition: Callable[[], bool], what: str, output: DeviceOutput, server: JackDummyServer) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(
                f"{what} did not happen within {WAIT_SECONDS:.0f} s; output: {output.describe()}, "
                f"callbacks: {output.stats.callbacks}\njackd log:\n{server.log()[-2000:]}"
            )
        time.sleep(0.05)


def callbacks_advance(output: DeviceOutput, server: JackDummyServer, blocks: int = 20) -> None:
    start = output.stats.callbacks
    wait_for(lambda: output.stats.callbacks >= start + blocks, f"{blocks} more callbacks", output, server)


def test_the_output_reopens_the_device_when_its_server_comes_back(
    virtual_audio: JackDummyServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="mixdeck.output")
    output = DeviceOutput(ToneRenderer(SAMPLE_RATE), SAMPLE_RATE, BLOCK_SIZE, device=virtual_audio.device)
    try:
        output.start()
        callbacks_advance(output, virtual_audio)
        assert output.describe()["connected"] is True

        virtual_audio.stop()
        wait_for(lambda: output.disconnects == 1, "the disconnect being noticed", output, virtual_audio)
        described = output.describe()
        assert described["connected"] is False and described["reopens"] == 0
        assert not output.running
        # Nothing renders while no stream runs: the renderer's time stands still.
        frames = output.stats.frames
        time.sleep(0.5)
        assert output.stats.frames == frames

        virtual_audio.restart()
        wait_for(lambda: output.reopens == 1, "the device being reopened", output, virtual_audio)
        callbacks_advance(output, virtual_audio)
        described = output.describe()
        assert described["connected"] is True
        assert described["disconnects"] == 1 and described["reopens"] == 1
        assert described["device"] == virtual_audio.device_name
        assert described["hostapi"] == "JACK Audio Connection Kit"
        assert output.running

        captured = virtual_audio.record(RECORD_SECONDS)
    finally:
        output.close()
    assert output.stats.render_errors == 0
    assert output.disconnects == 1 and output.reopens == 1

    # The renderer went on from where it stopped; what the new server heard is its signal.
    reference = OfflineOutput(ToneRenderer(SAMPLE_RATE), SAMPLE_RATE, BLOCK_SIZE).render(output.stats.frames)
    assert_same_audio(captured, reference, SAMPLE_RATE)

    messages = [r.getMessage() for r in caplog.records if r.name == "mixdeck.output"]
    assert sum("was lost" in m for m in messages) == 1, messages
    assert sum("is back" in m for m in messages) == 1, messages


def test_close_stops_the_watchdog_while_the_device_is_away(virtual_audio: JackDummyServer) -> None:
    output = DeviceOutput(ToneRenderer(SAMPLE_RATE), SAMPLE_RATE, BLOCK_SIZE, device=virtual_audio.device_name)
    try:
        output.start()
        callbacks_advance(output, virtual_audio)
        virtual_audio.stop()
        wait_for(lambda: output.disconnects == 1, "the disconnect being noticed", output, virtual_audio)
        watchdog = output._watchdog
        assert watchdog is not None and watchdog.is_alive()
    finally:
        output.close()
    assert not watchdog.is_alive(), "close() returned with the watchdog still running"
    assert output.reopens == 0
    assert output.describe()["connected"] is False
