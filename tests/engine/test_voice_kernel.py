"""The voice kernel against a slow reference that follows the rules frame by frame.

The reference below is written from the behaviour, not from the kernel: one
output frame at a time, each voice's position steps by its rate, loops fold
it back, taps fold into the loop, decibels become gains, the pan law splits
the sides. Random voices (rates, loops, reverse, slices, fades, pans, starts
inside a chunk, tweens of volume, panning and rate, a pause and a resume)
must come out within 1e-6 of it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mixdeck.engine import Easing, Region, StartTime, StaticSoundData, StaticSoundSettings, Tween

from tests.engine.support import RATE, offline

BLOCK = 512
SOURCE_RATE = 44_100
SILENCE = -60.0


def ease(mode: str, power: float, x: float) -> float:
    if mode == "in":
        return x**power
    if mode == "out":
        return 1 - (1 - x) ** power
    return (2 * x) ** power / 2 if x < 0.5 else 1 - (2 - 2 * x) ** power / 2


class Tweened:
    """A value that holds, then moves from ``start`` to ``target`` between two frames along an easing."""

    def __init__(self, value: float) -> None:
        self.segments: list[tuple[int, int, float, float, str, float]] = []
        self.initial = value

    def tween(self, at: int, frames: int, start: float, target: float, mode: str = "in", power: float = 1.0) -> None:
        self.segments.append((at, frames, start, target, mode, power))

    def __call__(self, t: int) -> float:
        value = self.initial
        for at, frames, start, target, mode, power in self.segments:
            if t < at:
                break
            progress = 1.0 if frames == 0 else min((t - at) / frames, 1.0)
            value = start + (target - start) * ease(mode, power, progress)
        return value


def gain(db: float) -> float:
    return 0.0 if db <= SILENCE else 10 ** (db / 20)


def hermite(tap, position: float) -> tuple[float, float]:
    whole = math.floor(position)
    x = position - whole
    out = []
    for channel in (0, 1):
        ym1, y0, y1, y2 = (tap(whole + j, channel) for j in (-1, 0, 1, 2))
        c1 = 0.5 * (y1 - ym1)
        c2 = ym1 - 2.5 * y0 + 2 * y1 - 0.5 * y2
        c3 = 0.5 * (y2 - ym1) + 1.5 * (y0 - y1)
        out.append(((c3 * x + c2) * x + c1) * x + y0)
    return out[0], out[1]


class Reference:
    """One voice, frame by frame."""

    def __init__(self, source: np.ndarray, first: int, last: int, start_frame: int, reverse: bool,
                 loop: tuple[int, int] | None, step: float) -> None:
        self.source, self.first, self.length = source, first, last - first
        self.reverse, self.loop, self.step = reverse, loop, step
        self.position = float(self.length - 1 - start_frame) if reverse else float(start_frame)
        self.looping = loop is not None and (not reverse or self.position >= loop[0])
        # A start past the loop's end begins inside the loop.
        self.wrapped()

    def tap(self, frame: int, channel: int) -> float:
        if self.looping:
            start, end = self.loop  # type: ignore[misc]
            if self.reverse and frame < start:
                frame += end - start
            elif not self.reverse and frame >= end:
                frame -= end - start
        frame = min(max(frame, -1), self.length + 1)
        index = min(max(self.first + frame, 0), len(self.source) - 1)
        return float(self.source[index, channel])

    def wrapped(self) -> None:
        if self.looping:
            start, end = self.loop  # type: ignore[misc]
            if (self.position < start) if self.reverse else (self.position >= end):
                self.position = start + (self.position - start) % (end - start)

    def ended(self) -> bool:
        return not self.looping and (self.position < 0 if self.reverse else self.position >= self.length)


def render_reference(voice: dict, source: np.ndarray, frames: int) -> np.ndarray:
    ref = Reference(source, voice["first"], voice["last"], voice["start_frame"], voice["reverse"], voice["loop"],
                    SOURCE_RATE / RATE * (-1 if voice["reverse"] else 1))
    out = np.zeros((frames, 2))
    volume, panning, rate, fade = voice["volume"], voice["panning"], voice["rate"], voice["fade"]
    start, pause, resume = voice["start"], voice["pause"], voice["resume"]
    frozen_at = None if pause is None else pause[0] + pause[1]
    for t in range(frames):
        if t < start:
            continue
        if frozen_at is not None and frozen_at <= t < resume[0]:
            if t == frozen_at:
                frozen = ref.position
            continue
        if resume is not None and t == resume[0]:
            ref.position = frozen
        if ref.ended():
            break
        left, right = hermite(ref.tap, ref.position)
        g = gain(volume(t)) * gain(fade(t))
        m = (panning(t) + 1) / 2
        out[t] = (g * left * math.sqrt(1 - m) * math.sqrt(2), g * right * math.sqrt(m) * math.sqrt(2))
        ref.position += ref.step * rate(t)
        ref.wrapped()
    return out


def random_voice(rng: np.random.Generator, frames: int) -> dict:
    """A voice's settings, with the reference's view of them and the commands to send at block starts."""
    n = frames
    first = int(rng.integers(0, n // 4)) if rng.random() < 0.5 else 0
    last = int(rng.integers(3 * n // 4, n)) if rng.random() < 0.5 else n
    length = last - first
    reverse = bool(rng.random() < 0.3)
    loop = None
    if rng.random() < 0.6:
        a = int(rng.integers(0, length // 2))
        loop = (a, int(rng.integers(a + 64, length)))
    start_frame = int(rng.integers(0, length // 3))
    start = int(rng.integers(0, 3 * BLOCK))  # a delayed start falls inside a block
    fade_in = int(rng.integers(0, 900)) if rng.random() < 0.5 else 0
    initial_rate = float(rng.uniform(0.5, 1.9))
    initial_pan = float(rng.uniform(-1, 1))
    initial_volume = float(rng.uniform(-20, 3))
    volume, panning, rate, fade = (Tweened(initial_volume), Tweened(initial_pan), Tweened(initial_rate),
                                   Tweened(0.0 if not fade_in else SILENCE))
    if fade_in:
        fade.tween(start, fade_in, SILENCE, 0.0)
    commands = []
    block = int(rng.integers(1, 4)) * BLOCK
    if rng.random() < 0.7:
        mode = str(rng.choice(["in", "out", "in_out"]))
        power = float(rng.integers(1, 4))
        target, frames_ = float(rng.uniform(-30, 6)), int(rng.integers(0, 3000))
        volume.tween(block, frames_, initial_volume, target, mode, power)
        easing = Easing(mode, power, True)
        commands.append((block, lambda h, t=target, d=frames_, e=easing: h.set_volume(t, Tween(d / RATE, e))))
    if rng.random() < 0.5:
        target, frames_ = float(rng.uniform(-1, 1)), int(rng.integers(1, 2000))
        panning.tween(block + BLOCK, frames_, initial_pan, target)
        commands.append((block + BLOCK, lambda h, t=target, d=frames_: h.set_panning(t, Tween(d / RATE))))
    if rng.random() < 0.5:
        target, frames_ = float(rng.uniform(0.5, 2.0)), int(rng.integers(1, 3000))
        rate.tween(block, frames_, initial_rate, target)
        commands.append((block, lambda h, t=target, d=frames_: h.set_playback_rate(t, Tween(d / RATE))))
    pause = resume = None
    if rng.random() < 0.4:
        at = 8 * BLOCK
        pause = (at, int(rng.integers(1, 900)))
        resume = (at + 4 * BLOCK, int(rng.integers(1, 900)))
        fade.tween(pause[0], pause[1], fade(pause[0]), SILENCE)
        fade.tween(resume[0], resume[1], SILENCE, 0.0)
        commands.append((pause[0], lambda h, d=pause[1]: h.pause(Tween(d / RATE))))
        commands.append((resume[0], lambda h, d=resume[1]: h.resume(Tween(d / RATE))))
    settings = StaticSoundSettings(
        start_time=StartTime.delayed(start / RATE), start_position=start_frame / SOURCE_RATE,
        loop_region=None if loop is None else Region(loop[0] / SOURCE_RATE, loop[1] / SOURCE_RATE),
        slice=None if (first, last) == (0, n) else (first / SOURCE_RATE, last / SOURCE_RATE),
        reverse=reverse, volume=initial_volume, panning=initial_pan, playback_rate=initial_rate,
        fade_in_tween=Tween(fade_in / RATE) if fade_in else None)
    return {"first": first, "last": last, "start_frame": start_frame, "reverse": reverse, "loop": loop,
            "start": start, "volume": volume, "panning": panning, "rate": rate, "fade": fade, "pause": pause,
            "resume": resume, "settings": settings, "commands": sorted(commands, key=lambda c: c[0])}


def render_engine(voices: list[dict], data: StaticSoundData, frames: int) -> np.ndarray:
    manager = offline(block_size=BLOCK)
    handles = [manager.play(data, voice["settings"]) for voice in voices]
    out = []
    for block_start in range(0, frames, BLOCK):
        for voice, handle in zip(voices, handles):
            for at, command in voice["commands"]:
                if at == block_start:
                    command(handle)
        out.append(manager.render(BLOCK))
    return np.concatenate(out).astype(np.float64)


SOURCE_FRAMES = 6000
FRAMES = 16 * BLOCK


@pytest.fixture(scope="module")
def source():
    noise = np.random.default_rng(11).uniform(-0.8, 0.8, size=(SOURCE_FRAMES, 2)).astype(np.float32)
    return noise, StaticSoundData.from_array(noise, SOURCE_RATE)


@pytest.mark.parametrize("seed", range(24))
def test_a_random_voice_matches_the_per_frame_reference_to_1e_6(source, seed):
    noise, data = source
    voice = random_voice(np.random.default_rng(seed), SOURCE_FRAMES)
    # The main track clamps to full scale, and so does the reference.
    expected = np.clip(render_reference(voice, noise, FRAMES), -1, 1)
    got = render_engine([voice], data, FRAMES)
    assert np.abs(expected).max() > 0.01
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)


def test_many_voices_mix_as_the_sum_of_their_references(source):
    noise, data = source
    rng = np.random.default_rng(99)
    voices = [random_voice(rng, SOURCE_FRAMES) for _ in range(12)]
    expected = np.clip(sum(render_reference(voice, noise, FRAMES) for voice in voices), -1, 1)
    got = render_engine(voices, data, FRAMES)
    # Twelve voices summed in float32: each adds its own rounding.
    np.testing.assert_allclose(got, expected, rtol=0, atol=12e-6)
