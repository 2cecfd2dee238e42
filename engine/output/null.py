"""The null output: renders in real time and throws the audio away.

It is what the engine runs on where no sound device exists (a server, a
container, CI): sounds play, clocks tick and state advances at the same pace
as on a device, only nothing is heard.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

import numpy as np

from .base import OutputStats, Renderer, timed_process

# How far behind its schedule (in blocks) the thread may fall before it stops
# trying to catch up. Within this margin late blocks are rendered back to back
# so that the average pace stays exact; beyond it, catching up would be a
# burst of blocks, so the schedule restarts from now and one underflow is
# counted, as a device would report a buffer it had to play empty.
MAX_LAG_BLOCKS = 4

# How long ``close`` waits for the render thread, in seconds. Only a renderer
# stuck inside ``process`` makes it wait that long.
JOIN_TIMEOUT = 5.0


class NullOutput:
    """Drives ``renderer`` from a daemon thread at the pace of a real device.

    Args:
        renderer: the object whose ``process(out)`` fills each block.
        sample_rate: frames per second, e.g. 48000.
        block_size: frames per block; one block is rendered every
            ``block_size / sample_rate`` seconds.

    Every block is rendered into the same preallocated float32 buffer of shape
    ``(block_size, 2)``; nothing is allocated per block. An exception raised by
    the renderer is counted in ``render_errors`` and the block is silent; the
    thread keeps going.
    """

    kind = "null"

    def __init__(self, renderer: Renderer, sample_rate: int, block_size: int, stats: OutputStats | None = None,
                 on_start: Callable[[], None] | None = None) -> None:
        if sample_rate <= 0:
            raise ValueError(f"sample_rate must be positive, got {sample_rate}")
        if block_size <= 0:
            raise ValueError(f"block_size must be positive, got {block_size}")
        self._renderer = renderer
        self.sample_rate = int(sample_rate)
        self.block_size = int(block_size)
        self.stats = stats if stats is not None else OutputStats()
        self._on_start = on_start
        self._buffer = np.zeros((self.block_size, 2), dtype=np.float32)
        self._running = False
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def running(self) -> bool:
        """True while the render thread is alive."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def start(self) -> None:
        """Start rendering. Calling it again while running does nothing."""
        if self._closed:
            raise RuntimeError("this NullOutput is closed; create a new one")
        if self._thread is not None:
            return
        self._running = True
        self._thread = threading.Thread(target=self._run, name="mixdeck-null-output", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop rendering and wait for the thread to finish. Idempotent."""
        self._closed = True
        self._running = False
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(JOIN_TIMEOUT)

    def describe(self) -> dict:
        return {
            "kind": self.kind,
            "device": None,
            "hostapi": None,
            "sample_rate": self.sample_rate,
            "block_size": self.block_size,
        }

    def _run(self) -> None:
        """The render loop. Runs on the audio thread."""
        if self._on_start is not None:
            self._on_start()
        buffer = self._buffer
        renderer = self._renderer
        stats = self.stats
        sample_rate = self.sample_rate
        period = self.block_size / sample_rate
        max_lag = MAX_LAG_BLOCKS * period
        clock = time.perf_counter
        # Deadlines are absolute so that sleep overshoot does not accumulate.
        deadline = clock()
        while self._running:
            try:
                timed_process(renderer, buffer, stats, sample_rate)
            except Exception:
                buffer.fill(0.0)
                self.stats.count("render_errors")
            deadline += period
            now = clock()
            if deadline > now:
                time.sleep(deadline - now)
            elif now - deadline > max_lag:
                stats.count("underflows")
                deadline = now
