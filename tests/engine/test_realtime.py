"""The audio thread's steady state: scratch is reused, nothing large is allocated, nothing piles up."""

import gc
import tracemalloc

import numpy as np

from mixdeck.engine import Region, StaticSoundData, StaticSoundSettings, Tween

from tests.engine.support import BLOCK, offline

def busy_backend(voices: int = 64):
    manager = offline(command_capacity=4 * voices)
    noise = np.random.default_rng(1).uniform(-0.1, 0.1, size=(48_000, 2)).astype(np.float32)
    data = StaticSoundData.from_array(noise, 48_000)
    for index in range(voices):
        handle = manager.play(data, StaticSoundSettings(loop_region=Region(0.0, None), playback_rate=1.1,
                                                        start_position=index * 0.01))
        handle.set_volume(-12.0, Tween(600.0))
    manager.render(4 * BLOCK)
    return manager._engine.backend


def fill_tuple_free_lists() -> None:
    """Fill CPython's free lists of small tuples, which tracemalloc counts as held.

    Calling a compiled kernel with 20 arguments parks two 20-item tuples
    on the interpreter's free list each call until it holds 2,000 of them
    (400 KB, then flat); a full collection empties the lists again. Filled
    first, they cannot pass for memory the audio thread piles up.
    """
    junk = [tuple(range(i, i + size)) for size in range(1, 21) for i in range(2_100)]
    del junk


def traced_blocks(backend, blocks: int) -> tuple[int, int]:
    out = np.zeros((BLOCK, 2), dtype=np.float32)
    backend.process(out)
    gc.collect()
    fill_tuple_free_lists()
    gc.disable()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        for _ in range(blocks):
            backend.process(out)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        gc.enable()
    return current - baseline, peak - baseline


def test_a_busy_block_allocates_no_large_buffer_and_nothing_per_voice():
    _, few = traced_blocks(busy_backend(8), 20)
    _, many = traced_blocks(busy_backend(96), 20)
    # What numpy allocates on its own (iterator buffers of at most 8192 elements, small
    # results) is bounded; a buffer per voice, or a copy of a sound (here 375 KiB), is not.
    assert many < 256 * 1024, many
    assert many < few + 64 * 1024, (few, many)


def test_memory_held_by_the_audio_thread_does_not_grow_with_time():
    backend = busy_backend()
    short, _ = traced_blocks(backend, 10)
    long, _ = traced_blocks(backend, 200)
    assert long < short + 16 * 1024, (short, long)
