"""Load (or, the first time on a machine, compile) every render kernel before the first block.

A Backend over private memory renders a small scene that takes every kernel
through the types it meets in use; the compiled code then comes from
numba's cache in the user cache folder. Runs once per process, when an
AudioManager starts and when the audio process starts, never on the audio
thread.
"""

from __future__ import annotations

import threading

import numpy as np

_done = False
_lock = threading.Lock()


def warm_up() -> None:
    global _done
    with _lock:
        if _done:
            return
        _scene()
        _done = True


def _scene() -> None:
    from .effect.kinds import warm_up as warm_up_effects

    warm_up_effects(chunk_size=128)
    _voices_tracks_and_effects()


def _voices_tracks_and_effects() -> None:
    from .arena import ArenaController
    from .backend import Backend
    from .channel import CommandChannel, CommandReceiver, EventSender, QueueTransport
    from .build import BuildContext
    from .memory import Pool, SharedMemory
    from .modulator.settings import LfoBuilder
    from .settings import AudioManagerSettings, Capacities
    from .shared import SharedState
    from .sound.data import StaticSoundData
    from .sound.playback_rate import PlaybackRate
    from .sound.settings import Region, StaticSoundSettings
    from .things import Add
    from .effect.filter.settings import FilterBuilder
    from .spatial.settings import ListenerSettings, SpatialTrackBuilder
    from .effect.settings import EffectSettings
    from .track.settings import TrackBuilder
    from .tween import Easing, Tween
    from .value import Mapping, Value

    settings = AudioManagerSettings(output="offline", block_size=256, internal_chunk_size=128,
                                    capacities=Capacities(sounds=5, sub_tracks=2, send_tracks=1, clocks=1,
                                                          modulators=1, effects=4, listeners=1),
                                    shared_memory=1 << 20)
    state = SharedMemory(SharedState.size_for(settings), "warm-up", shareable=False)
    shared = SharedState(settings, state)
    pool_memory = SharedMemory(settings.shared_memory, "warm-up sounds", shareable=False)
    transport = QueueTransport()
    channel = CommandChannel(64, transport, lambda: int(shared.header[0]["applied"]))
    arenas = {kind: ArenaController(kind, count, getattr(shared, records))
              for kind, count, records in (("sound", 5, "sounds"), ("modulator", 1, "modulators"),
                                           ("track", 3, "tracks"), ("effect", 4, "effects"),
                                           ("listener", 1, "listeners"))}
    main = arenas["track"].reserve()
    context = BuildContext(settings, channel, shared, Pool(pool_memory), main)
    backend = Backend(settings, CommandReceiver(transport), EventSender(QueueTransport(), 64), shared,
                      pool_memory.array(np.float32, 0, pool_memory.size // 4))

    def add(kind: str, builder: object, *args: object) -> object:
        key = arenas[kind].reserve()
        spec, handle = builder.build(key, *args, context)  # type: ignore[attr-defined]
        channel.send(Add(key, spec))
        return handle

    lfo = add("modulator", LfoBuilder())
    bus = add("track", TrackBuilder(volume=-3.0), main)
    add("effect", EffectSettings(FilterBuilder(cutoff=Value.modulator(lfo, Mapping(output_range=(200.0, 2000.0))))),
        bus.key)  # type: ignore[attr-defined]
    data = StaticSoundData.from_array(np.linspace(-0.5, 0.5, 2000, dtype=np.float32), 44_100)
    looping = add("sound", StaticSoundSettings(loop_region=Region(0.0, None), playback_rate=1.1,
                                               panning=Value.modulator(lfo, Mapping())), data)
    plain = add("sound", StaticSoundSettings(reverse=True, fade_in_tween=Tween(0.01)), data)
    add("sound", StaticSoundSettings(playback_rate=PlaybackRate.semitones(3.0), track=bus), data)
    listener = add("listener", ListenerSettings())
    emitter = add("track", SpatialTrackBuilder(doppler=True), main, listener, (3.0, 0.0, -4.0))
    add("sound", StaticSoundSettings(loop_region=Region(0.0, None), track=emitter), data)
    from .output.stats import OutputStats

    stats = OutputStats(shared.header)  # what every output records a block, and the channel a batch, with
    stats.record(1e-3, 1e-3, settings.block_size, settings.sample_rate)
    stats.waited(1e-3, 1)
    out = np.zeros((settings.block_size, 2), dtype=np.float32)
    backend.process(out)
    looping.set_volume(-6.0, Tween(1.0))  # type: ignore[attr-defined]
    looping.set_playback_rate(0.9, Tween(0.05, Easing.in_powi(2)))  # type: ignore[attr-defined]
    plain.seek_by(0.001)  # type: ignore[attr-defined]
    emitter.set_position((-3.0, 0.0, -1.0), Tween(0.05))  # type: ignore[attr-defined]
    plain.pause(Tween(0.001))  # type: ignore[attr-defined]
    for _ in range(3):
        backend.process(out)


def main() -> None:
    """``python -m mixdeck.engine.warmup``: fill the kernel cache now, so the first start is not the one that waits.

    ``make test`` runs it before the test processes start: otherwise each of
    them would compile every kernel at once on a fresh machine, and the
    first servers would wait minutes for their audio process.
    """
    import time

    from .jit import CACHE_DIR

    start = time.perf_counter()
    warm_up()
    print(f"render kernels ready in {time.perf_counter() - start:.1f} s (cache: {CACHE_DIR})")


if __name__ == "__main__":
    main()
