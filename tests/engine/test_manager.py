"""The messenger: arenas, the bounded channel, validation, failure isolation."""

import time

import numpy as np
import pytest

from mixdeck.engine import (
    AudioManager, AudioManagerSettings, Capacities, ClockSpeed, CommandQueueFull, InvalidValue, LfoBuilder,
    ResourceLimitReached, StartTime, StaticSoundData, StaticSoundSettings, Tween, WrongOutput,
)

from tests.engine.support import BLOCK, constant_source, counting_source, offline


def test_a_full_arena_is_an_error_at_the_call():
    manager = offline(capacities=Capacities(sounds=2, clocks=1, modulators=1))
    data = constant_source()
    manager.play(data)
    manager.play(data)
    with pytest.raises(ResourceLimitReached):
        manager.play(data)
    manager.add_clock(ClockSpeed.ticks_per_second(1))
    with pytest.raises(ResourceLimitReached):
        manager.add_clock(ClockSpeed.ticks_per_second(1))
    manager.add_modulator(LfoBuilder())
    with pytest.raises(ResourceLimitReached):
        manager.add_modulator(LfoBuilder())


def test_a_full_channel_raises_and_keeps_what_was_queued():
    manager = offline(command_capacity=2)
    first = manager.play(constant_source(0.25))
    second = manager.play(constant_source(0.5))
    with pytest.raises(CommandQueueFull):
        manager.play(constant_source(1.0))
    with pytest.raises(CommandQueueFull):
        first.set_volume(-6.0)
    assert manager.command_queue_depth == 2
    out = manager.render(BLOCK)
    assert (out == 0.75).all()
    assert manager.command_queue_depth == 0
    # The slot reserved for the play that could not be sent was given back.
    assert manager.counts()["slots_used"]["sound"] == 2
    assert second.state.value == "playing"


def test_bad_values_are_refused_before_the_audio_thread_naming_the_field():
    manager = offline()
    data = constant_source()
    cases = [
        (lambda: manager.play(data, StaticSoundSettings(volume=float("nan"))), "volume"),
        (lambda: manager.play(data, StaticSoundSettings(panning=2.0)), "panning"),
        (lambda: manager.play(data, StaticSoundSettings(playback_rate=-1.0)), "playback_rate"),
        (lambda: manager.play(data, StaticSoundSettings(start_position=99.0)), "start_position"),
        (lambda: manager.play(data, StaticSoundSettings(slice=(1.0, 0.5))), "slice.end"),
        (lambda: manager.play(data).set_volume(0.0, Tween(-1.0)), "tween.duration"),
        (lambda: manager.play(data).seek_to(float("inf")), "to"),
        (lambda: StaticSoundData.from_array(np.array([np.nan]), 48000), "frames"),
    ]
    for call, field in cases:
        with pytest.raises(InvalidValue) as caught:
            call()
        assert caught.value.field == field
    manager.render(BLOCK)


def test_a_failing_voice_is_removed_and_reported_while_the_rest_plays_on(monkeypatch):
    from mixdeck.engine.sound.runtime import Voice

    manager = offline()
    good = manager.play(constant_source(0.25))
    bad = manager.play(constant_source(0.5))
    manager.render(BLOCK)

    def explode(self):
        raise RuntimeError("decoder exploded")

    # The pause fade ends inside the next block with a resume waiting: Python takes over, and fails.
    monkeypatch.setattr(Voice, "deferred_resume", explode)
    bad.pause(Tween(0.001))
    bad.resume(Tween(0.001, start_time=StartTime.delayed(0.5)))
    out = manager.render(2 * BLOCK)
    assert (out[BLOCK:] == 0.25).all()
    assert bad.state.value == "stopped" and good.state.value == "playing"
    errors = [e for e in manager.pop_events() if e.kind == "error"]
    assert errors and errors[0].key == bad.key and "decoder exploded" in errors[0].data["message"]


def test_render_needs_the_offline_output():
    manager = AudioManager(AudioManagerSettings(output="null"))
    try:
        with pytest.raises(WrongOutput):
            manager.render(10)
    finally:
        manager.close()


def test_the_null_output_runs_the_backend_in_real_time():
    manager = AudioManager(AudioManagerSettings(output="null"))
    try:
        _, data = counting_source()
        handle = manager.play(data)
        deadline = time.monotonic() + 10
        while handle.position == 0.0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert handle.position > 0.0
        assert manager.stats.callbacks > 0
    finally:
        manager.close(Tween(0.01))


def test_settings_are_checked():
    with pytest.raises(InvalidValue) as caught:
        AudioManager(AudioManagerSettings(output="speakers"))
    assert caught.value.field == "output"


def test_values_that_would_overflow_on_the_audio_thread_are_refused():
    from mixdeck.engine import ClockTime, Key, Mapping, StartTime, Value

    manager = offline()
    data = constant_source()
    with pytest.raises(InvalidValue) as caught:
        StartTime.delayed(1e305)
    assert caught.value.field == "start_time.delay"
    clock = manager.add_clock(ClockSpeed.ticks_per_second(1))
    with pytest.raises(InvalidValue) as caught:
        manager.play(data, StaticSoundSettings(start_time=StartTime.at(ClockTime(clock.key, 10**400))))
    assert caught.value.field == "start_time.clock_time.ticks"
    with pytest.raises(InvalidValue) as caught:
        manager.main_track.set_volume(Value.modulator(Key("modulator", 0.5, 1)))
    assert caught.value.field == "volume.modulator"
    lfo = manager.add_modulator(LfoBuilder())
    with pytest.raises(InvalidValue) as caught:
        manager.main_track.set_volume(Value.modulator(lfo, Mapping(input_range=(0.0, 1e-300))))
    assert caught.value.field == "volume.mapping.input_range"
    with pytest.raises(InvalidValue) as caught:
        manager.play(StaticSoundData(np.zeros((1, 100), np.float32), 48000, 1))
    assert caught.value.field == "data"


def test_a_command_that_fails_on_the_audio_thread_gives_its_slot_back_and_the_stream_plays_on():
    from mixdeck.engine.things import Add

    manager = offline(capacities=Capacities(sounds=2))
    good = manager.play(constant_source(0.25))
    key = manager._arenas["sound"].reserve()
    manager._channel.send(Add(key, "not a voice"))
    out = manager.render(BLOCK)
    assert (out == 0.25).all()
    errors = [e for e in manager.pop_events() if e.kind == "error"]
    assert errors and errors[0].key == key and "Add" in errors[0].data["message"]
    assert manager.counts()["slots_used"]["sound"] == 1
    manager.play(constant_source(0.5))
    assert good.state.value == "playing"


def test_the_default_output_is_the_device_when_there_is_one_else_null_saying_why():
    from mixdeck.engine.output import device_available

    manager = AudioManager()
    try:
        usable, reason = device_available()
        assert manager.output_info["kind"] == ("device" if usable else "null")
        assert manager.output_note == ("" if usable else reason)
    finally:
        manager.close()
