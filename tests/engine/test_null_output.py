"""The null output renders in real time on its own thread, into one reused buffer."""

from __future__ import annotations

import threading
import time

import numpy as np

from mixdeck.engine.output import NullOutput

SAMPLE_RATE = 48000
BLOCK_SIZE = 256


class CountingRenderer:
    """Writes a running frame counter and remembers which buffers it was given."""

    def __init__(self) -> None:
        self.frame = 0
        self.buffers: set[int] = set()
        self.threads: set[str] = set()

    def process(self, out: np.ndarray) -> None:
        self.buffers.add(out.__array_interface__["data"][0])
        self.threads.add(threading.current_thread().name)
        out[:, 0] = np.arange(self.frame, self.frame + out.shape[0])
        out[:, 1] = out[:, 0]
        self.frame += out.shape[0]


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_null_output_renders_blocks_until_closed() -> None:
    renderer = CountingRenderer()
    output = NullOutput(renderer, SAMPLE_RATE, BLOCK_SIZE)
    output.start()
    try:
        assert wait_for(lambda: output.stats.frames >= 10 * BLOCK_SIZE)
        first = output.stats.frames
        assert wait_for(lambda: output.stats.frames > first)
        assert output.running
    finally:
        output.close()
    assert not output.running
    assert not any(t.name == "mixdeck-null-output" for t in threading.enumerate())

    frames = output.stats.frames
    assert frames % BLOCK_SIZE == 0
    assert output.stats.callbacks == frames // BLOCK_SIZE
    assert renderer.frame == frames
    time.sleep(0.05)
    assert output.stats.frames == frames, "blocks were rendered after close"


def test_null_output_reuses_one_buffer_on_its_own_thread() -> None:
    renderer = CountingRenderer()
    output = NullOutput(renderer, SAMPLE_RATE, BLOCK_SIZE)
    output.start()
    try:
        assert wait_for(lambda: output.stats.callbacks >= 20)
    finally:
        output.close()
    assert len(renderer.buffers) == 1
    assert renderer.threads == {"mixdeck-null-output"}


def test_null_output_is_paced_not_free_running() -> None:
    # A free-running loop would render thousands of blocks per wall-clock
    # block; paced, the count stays near elapsed time. The bound is loose on
    # purpose: it separates the two behaviours without timing the machine.
    output = NullOutput(CountingRenderer(), SAMPLE_RATE, BLOCK_SIZE)
    started = time.perf_counter()
    output.start()
    try:
        assert wait_for(lambda: output.stats.callbacks >= 20)
    finally:
        output.close()
    elapsed = time.perf_counter() - started
    budget_blocks = elapsed * SAMPLE_RATE / BLOCK_SIZE
    assert output.stats.callbacks <= 2 * budget_blocks + 10


def test_a_failing_renderer_gives_silence_and_the_thread_goes_on() -> None:
    class Failing:
        calls = 0

        def process(self, out: np.ndarray) -> None:
            Failing.calls += 1
            out.fill(1.0)
            raise RuntimeError("a broken voice")

    output = NullOutput(Failing(), SAMPLE_RATE, BLOCK_SIZE)
    output.start()
    try:
        assert wait_for(lambda: output.stats.render_errors >= 5)
        assert output.running
    finally:
        output.close()
    assert Failing.calls >= 5


def test_describe_and_close_are_safe_to_repeat() -> None:
    output = NullOutput(CountingRenderer(), SAMPLE_RATE, BLOCK_SIZE)
    assert output.describe() == {
        "kind": "null",
        "device": None,
        "hostapi": None,
        "sample_rate": SAMPLE_RATE,
        "block_size": BLOCK_SIZE,
    }
    output.close()
    output.close()
    assert not output.running
