"""Long random sessions of valid calls: the audio thread never fails and the output stays finite."""

import numpy as np
import pytest

from mixdeck.engine import (
    Capacities, ClockSpeed, ClockTime, CommandQueueFull, Easing, LfoBuilder, Mapping, PlaybackState, Region,
    ResourceLimitReached, StartTime, StaticSoundData, StaticSoundSettings, Tween, TweenerBuilder, Value, Waveform,
)

from tests.engine.support import offline

EASINGS = [Easing.LINEAR, Easing.in_powi(2), Easing.out_powi(3), Easing.in_out_powi(2), Easing.in_powf(0.5),
           Easing.out_powf(1.5), Easing.in_out_powf(2.5)]


@pytest.mark.parametrize("seed", range(6))
def test_a_random_session_never_breaks_the_audio_thread(seed):
    rng = np.random.default_rng(seed)
    manager = offline(block_size=int(rng.choice([64, 256, 512])),
                      capacities=Capacities(sounds=24, clocks=3, modulators=4), command_capacity=64)
    sounds = [StaticSoundData.from_array(rng.uniform(-0.3, 0.3, (int(n), 2)).astype(np.float32), int(rate))
              for n, rate in ((3000, 48000), (20000, 22050), (777, 96000), (48000, 44100))]
    voices, clocks, modulators = [], [], []

    def tween():
        start = StartTime.IMMEDIATE
        if rng.random() < 0.2:
            start = StartTime.delayed(float(rng.uniform(0, 0.2)))
        elif rng.random() < 0.2 and clocks:
            clock = clocks[int(rng.integers(len(clocks)))]
            start = StartTime.at(ClockTime(clock.key, int(rng.integers(0, 6)), float(rng.uniform(0, 0.99))))
        return Tween(float(rng.choice([0.0, 0.01, 0.1, 0.5])), EASINGS[int(rng.integers(len(EASINGS)))], start)

    def value(low, high):
        if modulators and rng.random() < 0.25:
            modulator = modulators[int(rng.integers(len(modulators)))]
            mapping = Mapping(input_range=(-1.0, 1.0), output_range=(low, high), easing=EASINGS[int(rng.integers(7))],
                              clamp_bottom=bool(rng.random() < 0.5), clamp_top=bool(rng.random() < 0.5))
            return Value.modulator(modulator, mapping)
        return float(rng.uniform(low, high))

    def play():
        data = sounds[int(rng.integers(len(sounds)))]
        duration = data.duration
        loop = Region(float(rng.uniform(0, duration / 2)), None if rng.random() < 0.5 else duration) \
            if rng.random() < 0.5 else None
        voices.append(manager.play(data, StaticSoundSettings(
            start_time=tween().start_time, start_position=float(rng.uniform(0, duration * 0.9)),
            loop_region=loop, reverse=bool(rng.random() < 0.2), volume=value(-30, 6), panning=value(-1, 1),
            playback_rate=value(0.25, 3.0), fade_in_tween=tween() if rng.random() < 0.3 else None)))

    def act_on_voice():
        voice = voices[int(rng.integers(len(voices)))]
        action = int(rng.integers(9))
        if action == 0:
            voice.pause(tween())
        elif action == 1:
            voice.resume(tween())
        elif action == 2:
            voice.stop(tween())
        elif action == 3:
            voice.seek_to(float(rng.uniform(0, voice.duration)))
        elif action == 4:
            voice.seek_by(float(rng.uniform(-1, 1)))
        elif action == 5:
            voice.set_loop_region(None if rng.random() < 0.3 else Region(0.0, voice.duration / 2))
        elif action == 6:
            voice.set(volume=value(-40, 0), panning=value(-1, 1), tween=tween())
        elif action == 7:
            voice.set_playback_rate(value(0.1, 4), tween())
        else:
            voice.set_volume(value(-60, 3), tween())

    def act_on_clock():
        if not clocks or rng.random() < 0.3:
            clocks.append(manager.add_clock(ClockSpeed.ticks_per_minute(float(rng.uniform(30, 600))),
                                            start=bool(rng.random() < 0.5)))
            return
        clock = clocks[int(rng.integers(len(clocks)))]
        getattr(clock, ["start", "pause", "stop"][int(rng.integers(3))])()
        if rng.random() < 0.5:
            clock.set_speed(ClockSpeed.ticks_per_second(float(rng.uniform(0.5, 20))), tween())

    def act_on_modulator():
        if not modulators or rng.random() < 0.4:
            builder = TweenerBuilder(float(rng.uniform(-1, 1))) if rng.random() < 0.4 else \
                LfoBuilder(Waveform(["sine", "triangle", "saw", "square"][int(rng.integers(4))]),
                           frequency=float(rng.uniform(0, 20)))
            modulators.append(manager.add_modulator(builder))
            return
        modulator = modulators[int(rng.integers(len(modulators)))]
        if hasattr(modulator, "set_frequency"):
            modulator.set(frequency=float(rng.uniform(0, 30)), amplitude=float(rng.uniform(0, 2)), tween=tween())
        else:
            modulator.set(float(rng.uniform(-2, 2)), tween())

    for _ in range(400):
        try:
            choice = rng.random()
            if choice < 0.25 or not voices:
                play()
            elif choice < 0.7:
                act_on_voice()
            elif choice < 0.8:
                act_on_clock()
            elif choice < 0.9:
                act_on_modulator()
            else:
                manager.main_track.set_volume(value(-20, 0), tween())
        except (ResourceLimitReached, CommandQueueFull):
            pass
        if rng.random() < 0.3:
            out = manager.render(int(rng.integers(1, 3000)))
            assert np.isfinite(out).all()
            assert np.abs(out).max() < 100.0
            events = manager.pop_events()
            assert not [e for e in events if e.kind == "error"], events
            voices = [v for v in voices if v.state is not PlaybackState.STOPPED]
    out = manager.render(48000)
    assert np.isfinite(out).all()
    assert not [e for e in manager.pop_events() if e.kind == "error"]
    for voice in voices:
        assert voice.state in set(PlaybackState)
        assert 0.0 <= voice.position <= voice.duration + 1e-9  # a sound's length in seconds, not a wall-clock time
