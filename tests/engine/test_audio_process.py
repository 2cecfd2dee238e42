"""The audio process: real-time rendering in a process of its own, and what happens when it fails."""

from __future__ import annotations

import os
import signal

import pytest

from mixdeck.engine import (AudioManager, AudioManagerSettings, ClockSpeed, LfoBuilder, PlaybackState,
                            StaticSoundSettings, Region, Tween)

from tests.engine.support import constant_source
from tests.service.support import wait_until


@pytest.fixture
def manager():
    manager = AudioManager(AudioManagerSettings(output="null"))
    yield manager
    manager.close()


def test_the_audio_process_renders_what_handles_ask_and_shares_state_without_round_trips(manager):
    info = manager.output_info["audio_process"]
    assert info["pid"] > 0 and info["pid"] != os.getpid()
    handle = manager.play(constant_source(0.5), StaticSoundSettings(loop_region=Region(0.0, None)))
    wait_until(lambda: handle.position > 0.05)
    handle.set_volume(-6.0, Tween(0.0))
    wait_until(lambda: handle.volume == -6.0)
    handle.stop(Tween(0.01))
    wait_until(lambda: handle.state is PlaybackState.STOPPED)
    # The event travels on its own pipe, so it may land just after the shared state says stopped.
    seen = []
    wait_until(lambda: seen.extend(manager.pop_events()) or any(
        event.kind == "sound_finished" and event.key == handle.key for event in seen))
    wait_until(lambda: manager.counts()["slots_used"]["sound"] == 0)


def test_a_stalled_audio_process_is_replaced_and_the_long_lived_things_come_back(manager):
    clock = manager.add_clock(ClockSpeed.ticks_per_second(50.0), start=True)
    lfo = manager.add_modulator(LfoBuilder(frequency=3.0))
    manager.main_track.set_volume(-4.0)
    voice = manager.play(constant_source(0.5), StaticSoundSettings(loop_region=Region(0.0, None)))
    wait_until(lambda: clock.time().ticks > 5 and manager.main_track.volume == -4.0 and voice.position > 0)
    pid = manager.output_info["audio_process"]["pid"]
    os.kill(pid, signal.SIGSTOP)
    ticks_at_stall = clock.time().ticks
    try:
        wait_until(lambda: manager.restarts == 1, timeout=15)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    events = manager.pop_events()
    restarted = [e for e in events if e.kind == "audio_process_restarted"]
    assert restarted and ("stopped answering" in restarted[0].data["reason"]
                          or "rendered nothing" in restarted[0].data["reason"])
    ended = [e for e in events if e.kind == "sound_finished" and e.key == voice.key]
    assert ended and ended[0].data["reason"] == "audio process restarted"
    assert voice.state is PlaybackState.STOPPED
    wait_until(lambda: manager.output_info["audio_process"]["pid"] not in (0, pid))
    # The clock goes on from where it was, the LFO swings, the main track keeps its volume.
    wait_until(lambda: clock.ticking and clock.time().ticks > ticks_at_stall + 5)
    values = set()
    wait_until(lambda: values.add(round(lfo.value, 3)) or len(values) > 3)
    assert manager.main_track.volume == -4.0
    again = manager.play(constant_source(0.5))
    wait_until(lambda: again.position > 0.02)


def test_a_spare_whose_caller_goes_away_stops_loading_at_once(tmp_path, monkeypatch):
    from mixdeck.engine import jit
    from mixdeck.engine.process.spare import Spare
    from mixdeck.engine.warmup import warm_up

    warm_up()  # this process's own cache then holds every kernel, to count against
    # An empty kernel cache: the spare has a long compile ahead of it.
    monkeypatch.setenv("MIXDECK_CACHE_DIR", str(tmp_path))
    spare = Spare()
    wait_until(lambda: any(tmp_path.rglob("*.nbi")), timeout=60)  # it has begun compiling
    spare._socket.close()  # the caller is stopped before it hands the spare a configuration
    wait_until(lambda: spare.process.poll() is not None, timeout=30)
    assert spare.process.returncode == 0
    compiled = len(list(tmp_path.rglob("*.nbi")))
    everything = len(list(jit.CACHE_DIR.rglob("*.nbi")))
    assert compiled < everything / 2, (compiled, everything)
