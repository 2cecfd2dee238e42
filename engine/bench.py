"""``mixdeck bench``: how many voices this machine renders in real time.

The scene is the one a game leans on: looping static voices, stereo, at a
playback rate of 1.1 (so every frame is interpolated), each with a volume
tween in progress, at 48 kHz in blocks of 512 frames. Rendering is offline
and timed per block; the budget of a block is its duration in real time.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from .manager import AudioManager
from .settings import AudioManagerSettings, Capacities
from .sound.data import StaticSoundData
from .sound.settings import Region, StaticSoundSettings
from .tween import Tween

SAMPLE_RATE = 48_000
BLOCK = 512


def _scene(voices: int) -> AudioManager:
    manager = AudioManager(AudioManagerSettings(
        output="offline", sample_rate=SAMPLE_RATE, block_size=BLOCK, internal_chunk_size=BLOCK,
        capacities=Capacities(sounds=max(voices, 1)), command_capacity=max(2 * voices, 16)))
    noise = np.random.default_rng(7).uniform(-0.1, 0.1, size=(2 * SAMPLE_RATE, 2)).astype(np.float32)
    data = StaticSoundData.from_array(noise, SAMPLE_RATE)
    settings = StaticSoundSettings(loop_region=Region(0.0, None), playback_rate=1.1)
    for index in range(voices):
        handle = manager.play(data, settings.with_changes(start_position=(index * 0.013) % 1.5))
        handle.set_volume(-12.0, Tween(3600.0))
    return manager


def measure(voices: int, blocks: int = 40) -> float:
    """Median seconds to render one block of ``voices`` voices."""
    manager = _scene(voices)
    manager.render(BLOCK * 4)  # apply the commands, warm the caches
    timings = []
    for _ in range(blocks):
        start = time.perf_counter()
        manager.render(BLOCK)
        timings.append(time.perf_counter() - start)
    return float(np.median(timings))


def allocation_peak(voices: int, blocks: int = 10) -> int:
    """The most bytes numpy holds at once beyond the steady state while rendering blocks."""
    import tracemalloc

    manager = _scene(voices)
    manager.render(BLOCK * 4)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        for _ in range(blocks):
            manager.render(BLOCK)
        return tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()


def max_voices(share: float, budget: float) -> int:
    """The most voices whose block renders within ``share`` of the budget (a bisection)."""
    low, high = 0, 64
    while measure(high, 15) <= share * budget:
        low, high = high, high * 2
        if high > 16_384:
            return low
    while high - low > max(2, low // 50):
        middle = (low + high) // 2
        if measure(middle, 15) <= share * budget:
            low = middle
        else:
            high = middle
    return low


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mixdeck bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--voices", type=int, nargs="*", default=[16, 64, 256, 1024],
                        help="voice counts to time (default: 16 64 256 1024)")
    parser.add_argument("--blocks", type=int, default=40, help="blocks timed per count (default: 40)")
    args = parser.parse_args(argv)
    budget = BLOCK / SAMPLE_RATE
    print(f"mixdeck bench: looping stereo voices, rate 1.1, volume tween running, {SAMPLE_RATE} Hz, "
          f"block {BLOCK} ({budget * 1e3:.2f} ms budget)")
    print(f"{'voices':>8} {'block ms':>10} {'load %':>8} {'us/voice/block':>15}")
    for voices in args.voices:
        seconds = measure(voices, args.blocks)
        print(f"{voices:>8} {seconds * 1e3:>10.3f} {100 * seconds / budget:>8.1f} {seconds * 1e6 / voices:>15.1f}")
    print(f"voices within 50% of the real-time budget: {max_voices(0.5, budget)}")
    print(f"transient memory while rendering 256 voices: {allocation_peak(256) / 1024:.0f} KiB "
          "(numpy temporaries; nothing is kept)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
