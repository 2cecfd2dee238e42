"""``mixdeck bench``: what the renderer costs on this machine, in CPU time and in wall time.

The voice scene is the one a game leans on: looping stereo voices from a
44.1 kHz source (so every frame is resampled) at rates between 0.9 and 1.1,
each with a volume tween running, rendered at 48 kHz in blocks of 512
frames. The Backend renders in this process, as the audio process's would,
and each block is timed as the output times it (the Backend's ``process``,
what the audio thread runs), two ways:

- thread CPU time: what the render itself cost the audio thread. It is the
  figure to compare; other work on the machine barely moves it.
- wall time: what a block took from start to end, which on a busy machine
  also counts the time other processes held the CPU (it swings several
  times with the load; the load average is printed beside it).

The budget of a block is its duration in real time (10.7 ms here); "voices
within half the budget" is how many voices render in half of it by CPU time.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any, Callable

import numpy as np

from .manager import AudioManager
from .settings import AudioManagerSettings, Capacities
from .sound.data import StaticSoundData
from .sound.settings import Region, StaticSoundSettings
from .tween import Tween

SAMPLE_RATE = 48_000
SOURCE_RATE = 44_100
BLOCK = 512
BUDGET = BLOCK / SAMPLE_RATE
# An effect adds a few tens of µs to a block that swings by more on a shared machine: the difference of
# two medians needs many blocks (about 0.1 ms each here) to settle.
EFFECT_BLOCKS = 1000


def _manager(sounds: int, **capacities: int) -> AudioManager:
    return AudioManager(AudioManagerSettings(
        output="offline", sample_rate=SAMPLE_RATE, block_size=BLOCK, internal_chunk_size=BLOCK,
        capacities=Capacities(sounds=max(sounds, 1), **capacities), command_capacity=max(4 * sounds, 64),
        shared_memory=64 << 20))


def _source(peak: float = 0.05) -> StaticSoundData:
    noise = np.random.default_rng(7).uniform(-peak, peak, size=(2 * SOURCE_RATE, 2)).astype(np.float32)
    return StaticSoundData.from_array(noise, SOURCE_RATE)


def voice_scene(voices: int, tracks: int = 0) -> AudioManager:
    """``voices`` looping voices with a volume tween running, on the main track or spread over ``tracks``."""
    manager = _manager(voices, sub_tracks=max(tracks, 1), send_tracks=4)
    data = _source()
    rng = np.random.default_rng(3)
    targets: list[Any] = [None]
    if tracks:
        from .track.settings import TrackBuilder

        targets = [manager.add_sub_track(TrackBuilder()) for _ in range(tracks)]
    for index in range(voices):
        settings = StaticSoundSettings(loop_region=Region(0.0, None), playback_rate=float(rng.uniform(0.9, 1.1)),
                                       start_position=float(rng.uniform(0.0, 1.5)),
                                       track=targets[index % len(targets)])
        handle = manager.play(data, settings)
        handle.set_volume(-12.0, Tween(3600.0))
    manager.render(BLOCK * 4)  # apply the commands, warm the caches
    return manager


def audio_block(manager: AudioManager) -> Callable[[], tuple[float, float]]:
    """A step that renders one block and gives (CPU, wall) seconds of the Backend's ``process`` alone.

    They are the output's own figures for the block (``timed_process``): the
    work the audio thread does, without what the offline manager does after
    it on the caller's side (taking back finished Things' slots).
    """
    stats = manager.stats

    def step() -> tuple[float, float]:
        cpu, wall = stats.render_cpu_seconds_total, stats.render_seconds_total
        manager.render(BLOCK)
        return stats.render_cpu_seconds_total - cpu, stats.render_seconds_total - wall

    return step


def whole_block(manager: AudioManager) -> Callable[[], tuple[float, float]]:
    """A step that renders one block and gives (CPU, wall) seconds of all of ``render`` (decoding included)."""

    def step() -> tuple[float, float]:
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        manager.render(BLOCK)
        return time.thread_time() - start_cpu, time.perf_counter() - start_wall

    return step


def time_blocks(step: Callable[[], tuple[float, float]], blocks: int) -> tuple[float, float]:
    """Median (thread CPU, wall) seconds per block."""
    return time_side_by_side([step], blocks)[0]


def time_side_by_side(steps: list[Callable[[], tuple[float, float]]], blocks: int) -> list[tuple[float, float]]:
    """Median (CPU, wall) seconds per block of each step, timed in turn a block at a time.

    Interleaving puts every case under the same load from the rest of the
    machine, so their difference is what the cases cost, not when they ran.
    """
    cpu: list[list[float]] = [[] for _ in steps]
    wall: list[list[float]] = [[] for _ in steps]
    for _ in range(blocks):
        for i, step in enumerate(steps):
            block_cpu, block_wall = step()
            cpu[i].append(block_cpu)
            wall[i].append(block_wall)
    return [(float(np.median(c)), float(np.median(w))) for c, w in zip(cpu, wall)]


def measure_voices(voices: int, blocks: int = 100, tracks: int = 0) -> tuple[float, float]:
    """Median (CPU, wall) seconds to render one block of the voice scene."""
    manager = voice_scene(voices, tracks)
    try:
        return time_blocks(audio_block(manager), blocks)
    finally:
        manager.close()


def voices_within(share: float, blocks: int = 60) -> int:
    """The most voices whose block takes at most ``share`` of the budget in CPU time (a bisection)."""
    low, high = 0, 256
    while measure_voices(high, blocks)[0] <= share * BUDGET:
        low, high = high, high * 2
        if high > 65_536:
            return low
    while high - low > max(8, low // 40):
        middle = (low + high) // 2
        if measure_voices(middle, blocks)[0] <= share * BUDGET:
            low = middle
        else:
            high = middle
    return low


# Effects of one kind timed together on one track: their cost is that many times one effect's, well above
# what a shared machine's minute-to-minute swing does to the difference of two medians.
EFFECTS_PER_TRACK = 8


def effect_costs(blocks: int) -> list[tuple[str, float, float]]:
    """Per kind: (CPU, wall) seconds one effect adds to a block, on one stereo track playing noise.

    It is the whole cost on the audio thread: evaluating the effect's
    parameters, its wet gain, and its kernel. EFFECTS_PER_TRACK effects of
    the kind sit in the track's chain (each with its own state), the same
    track without them is the baseline, timed in turn in the same run, and
    the difference is shared out among them.
    """
    from .effect.bench import SCENES
    from .track.settings import TrackBuilder

    def track_scene(builder: Any, count: int) -> AudioManager:
        manager = _manager(1, sub_tracks=1, effects=EFFECTS_PER_TRACK)
        track = manager.add_sub_track(TrackBuilder())
        for _ in range(count):
            track.add_effect(builder)
        # Noise at -6 dBFS, as the kernels' own benchmark plays: loud enough that the compressor and the
        # limiter work on every frame.
        track.play(_source(0.5), StaticSoundSettings(loop_region=Region(0.0, None)))
        manager.render(BLOCK * 4)
        return manager

    baseline = track_scene(None, 0)
    rows = []
    try:
        for kind, builder in SCENES.items():
            manager = track_scene(builder, EFFECTS_PER_TRACK)
            try:
                (base_cpu, base_wall), (cpu, wall) = time_side_by_side(
                    [audio_block(baseline), audio_block(manager)], blocks)
            finally:
                manager.close()
            rows.append((kind, max(cpu - base_cpu, 0.0) / EFFECTS_PER_TRACK,
                         max(wall - base_wall, 0.0) / EFFECTS_PER_TRACK))
    finally:
        baseline.close()
    return rows


def allocation_peak(voices: int, blocks: int = 10) -> int:
    """The most bytes Python holds at once beyond the steady state while rendering blocks."""
    import tracemalloc

    manager = voice_scene(voices)
    try:
        tracemalloc.start()
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        for _ in range(blocks):
            manager.render(BLOCK)
        return tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
        manager.close()


def write_long_file(path: str, minutes: float) -> None:
    """A stereo 16-bit WAV of ``minutes`` of quiet noise, written a minute at a time to keep this process small."""
    import soundfile

    rng = np.random.default_rng(11)
    with soundfile.SoundFile(path, "w", SOURCE_RATE, 2, "PCM_16") as out:
        left = int(minutes * 60 * SOURCE_RATE)
        while left > 0:
            frames = min(left, 60 * SOURCE_RATE)
            out.write(rng.uniform(-0.05, 0.05, size=(frames, 2)).astype(np.float32))
            left -= frames


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def streaming_cost(path: str, seconds: float) -> dict[str, float]:
    """Stream ``path`` for ``seconds`` (with a seek half-way through the file), measuring memory and decode time.

    Offline, the decoder fills before every block in this thread, so its CPU
    time is measured here beside the render's.
    """
    from .sound.streaming import StreamingSoundData

    manager = _manager(1)
    try:
        data = StreamingSoundData.from_file(path)
        before = _rss()
        handle = manager.play(data)
        blocks = int(seconds / BUDGET)
        cpu, wall = time_blocks(whole_block(manager), blocks // 2)
        handle.seek_to(data.duration / 2)
        cpu2, wall2 = time_blocks(whole_block(manager), blocks // 2)
        underflows, growth = handle.underflows, _rss() - before
        manager.close()
        manager = _manager(1)
        manager.play(_source(), StaticSoundSettings(loop_region=Region(0.0, None)))
        static_cpu, static_wall = time_blocks(whole_block(manager), blocks // 2)
        return {"duration": data.duration, "file_bytes": os.path.getsize(path),
                "static_bytes": data.num_frames * 2 * 4, "rss_growth": growth,
                "ring_bytes": manager.settings.stream_buffer_frames * (2 * 4 + 8),
                "cpu_per_block": (cpu + cpu2) / 2, "wall_per_block": (wall + wall2) / 2,
                "static_cpu_per_block": static_cpu, "static_wall_per_block": static_wall,
                "underflows": underflows}
    finally:
        manager.close()


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mixdeck bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--voices", type=int, nargs="*", default=[64, 256, 1024, 4096],
                        help="voice counts to time (default: 64 256 1024 4096)")
    parser.add_argument("--blocks", type=int, default=100, help="blocks timed per case (default: 100)")
    parser.add_argument("--quick", action="store_true", help="skip the bisection for voices within half the budget")
    parser.add_argument("--stream-minutes", type=float, default=60.0,
                        help="length of the file written for the streaming case; 0 skips it (default: 60)")
    args = parser.parse_args(argv)
    print(f"mixdeck bench: {SAMPLE_RATE} Hz, blocks of {BLOCK} frames ({BUDGET * 1e3:.2f} ms budget); {_load()}")
    print("CPU = the audio thread's CPU time (compare these); wall = elapsed time (includes other load)")
    print()
    print("looping stereo voices from 44.1 kHz, rates 0.9-1.1, a volume tween running")
    print(f"{'voices':>8} {'CPU ms':>9} {'wall ms':>9} {'CPU load':>9} {'CPU us/voice':>13} {'wall us/voice':>14}")
    for voices in args.voices:
        cpu, wall = measure_voices(voices, args.blocks)
        print(f"{voices:>8} {cpu * 1e3:>9.3f} {wall * 1e3:>9.3f} {100 * cpu / BUDGET:>8.1f}% "
              f"{cpu * 1e6 / voices:>13.2f} {wall * 1e6 / voices:>14.2f}")
    if not args.quick:
        print(f"voices within half the budget (CPU time, one core): {voices_within(0.5)}")
    print()
    on_main, on_tracks = voice_scene(1024), voice_scene(1024, tracks=64)
    try:
        (main_cpu, main_wall), (tracks_cpu, tracks_wall) = time_side_by_side(
            [audio_block(on_main), audio_block(on_tracks)], args.blocks)
    finally:
        on_main.close()
        on_tracks.close()
    print("1024 voices on the main track, then spread over 64 sub tracks (16 each), timed block by block in turn")
    print(f"{'':>12} {'CPU ms':>9} {'wall ms':>9}")
    print(f"{'main track':>12} {main_cpu * 1e3:>9.3f} {main_wall * 1e3:>9.3f}")
    print(f"{'64 tracks':>12} {tracks_cpu * 1e3:>9.3f} {tracks_wall * 1e3:>9.3f}   "
          f"({100 * (tracks_cpu / main_cpu - 1):+.1f} % CPU for the tracks)")
    print()
    print(f"each effect on one stereo track, per block: its parameters, its wet gain and its kernel, the mean of "
          f"{EFFECTS_PER_TRACK} of a kind in one chain (target 30 us)")
    print(f"{'effect':>16} {'CPU us':>8} {'wall us':>8}")
    for kind, cpu, wall in effect_costs(max(args.blocks, EFFECT_BLOCKS)):
        print(f"{kind:>16} {cpu * 1e6:>8.1f} {wall * 1e6:>8.1f}")
    print(f"transient memory while rendering 256 voices: {allocation_peak(256) / 1024:.0f} KiB")
    if args.stream_minutes > 0:
        import tempfile

        print()
        with tempfile.TemporaryDirectory(prefix="mixdeck-bench-") as folder:
            path = os.path.join(folder, "long.wav")
            write_long_file(path, args.stream_minutes)
            figures = streaming_cost(path, 20.0)
        mib = 1 << 20
        print(f"one streaming sound from a {figures['duration'] / 60:.0f}-minute 16-bit WAV "
              f"({figures['file_bytes'] / mib:.0f} MiB on disk; {figures['static_bytes'] / mib:.0f} MiB "
              f"decoded as a static sound), 20 s streamed with a seek to the middle")
        print(f"  memory: ring {figures['ring_bytes'] / mib:.1f} MiB; resident memory grew "
              f"{figures['rss_growth'] / mib:.1f} MiB while it played")
        print(f"  per block, decoding and rendering: CPU {figures['cpu_per_block'] * 1e6:.0f} us, "
              f"wall {figures['wall_per_block'] * 1e6:.0f} us (one static voice: CPU "
              f"{figures['static_cpu_per_block'] * 1e6:.0f} us, wall {figures['static_wall_per_block'] * 1e6:.0f} us);"
              f" underflows {figures['underflows']}")
    print(_load())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
