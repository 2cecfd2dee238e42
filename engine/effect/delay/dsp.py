"""The delay on the audio thread: a stereo line read with Hermite interpolation, its output fed back.

Without feedback effects one kernel call runs the chunk frame by frame:
read the echo ``delay_time`` behind, write ``input + feedback * echo``.
With feedback effects, the echoes must pass through those effects (which
process blocks) before they are fed back, so the chunk is cut into
sub-blocks no longer than the delay: a sub-block's echoes were all written
before it began, so they can be read as a block, processed by the effects,
then written back, and every echo lands exactly one delay after the sound
it repeats, however short the delay.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from ...jit import kernel
from ..kernels import FLUSH, dry_gain, limit, volume_gain, wet_gain
from ..memory import Layout
from ..params import extremes, initial_values
from .settings import SPECS, DelayBuilder

# The line is read 1 frame before and 2 after the position: the delay is at
# least 3 frames and leaves 4 spare in the line.
MIN_DELAY_FRAMES = 3.0
SPARE_FRAMES = 4
# 0.0125 s is not exact in binary: times this close to a whole number of frames are read without interpolating.
SNAP_FRAMES = 1e-6


@kernel
def _hermite(line, position, size):
    """Both channels of the line at fractional frame ``position`` (0 <= position < size), Niemitalo's x-form."""
    i = np.int64(math.floor(position))
    t = position - i
    if t == 0.0:
        return np.float64(line[i, 0]), np.float64(line[i, 1])
    before = i - 1 if i > 0 else size - 1
    after = i + 1 if i + 1 < size else i + 1 - size
    after2 = i + 2 if i + 2 < size else i + 2 - size
    y0 = np.float64(line[before, 0])
    y1 = np.float64(line[i, 0])
    y2 = np.float64(line[after, 0])
    y3 = np.float64(line[after2, 0])
    left = ((((0.5 * (y3 - y0) + 1.5 * (y1 - y2)) * t + (y0 - 2.5 * y1 + 2.0 * y2 - 0.5 * y3)) * t
             + 0.5 * (y2 - y0)) * t + y1)
    y0 = np.float64(line[before, 1])
    y1 = np.float64(line[i, 1])
    y2 = np.float64(line[after, 1])
    y3 = np.float64(line[after2, 1])
    right = ((((0.5 * (y3 - y0) + 1.5 * (y1 - y2)) * t + (y0 - 2.5 * y1 + 2.0 * y2 - 0.5 * y3)) * t
              + 0.5 * (y2 - y0)) * t + y1)
    return left, right


@kernel
def _delay_frames(seconds, rate, size):
    """The delay in frames; a time that is a whole number of frames up to rounding counts as exactly that."""
    frames = seconds * rate
    whole = math.floor(frames + 0.5)
    if abs(frames - whole) < SNAP_FRAMES:
        frames = whole
    return min(max(frames, MIN_DELAY_FRAMES), size - SPARE_FRAMES)


@kernel
def _gains_at(values, n, feeding, mixing, feedback, mix, wet, dry):
    """(feedback gain, mix, wet gain, dry gain) at frame ``n``: those given, or the moving ones' values there."""
    if feeding:
        feedback = volume_gain(values[1, n])
    if mixing:
        mix = values[2, n]
        wet = wet_gain(mix)
        dry = dry_gain(mix)
    return feedback, mix, wet, dry


@kernel
def _feed_and_blend(buffer, line, n, write, el, er, feedback, mix, wet, dry):
    """Write ``input + feedback * echo`` at the line's frame ``write``, and blend the echo into frame ``n``."""
    xl = np.float64(buffer[0, n])
    xr = np.float64(buffer[1, n])
    w = np.uint64(write)
    line[w, 0] = limit(xl + feedback * el)
    line[w, 1] = limit(xr + feedback * er)
    if mix > 0.0:
        buffer[0, n] = el * wet + xl * dry
        buffer[1, n] = er * wet + xr * dry


@kernel
def _whole_delay(buffer, start, stop, values, feeding, mixing, line, position, delay):
    """``_delay_kernel`` for a delay that holds a whole number of frames all chunk: the echo is a frame of
    the line as it is, read at an index that steps with the write (about three times faster)."""
    size = line.shape[0]
    feedback = volume_gain(values[1, start])
    mix = values[2, start]
    wet = wet_gain(mix)
    dry = dry_gain(mix)
    write = position[0]
    read = write - delay
    if read < 0:
        read += size
    for n in range(start, stop):
        feedback, mix, wet, dry = _gains_at(values, n, feeding, mixing, feedback, mix, wet, dry)
        # Unsigned indices: numba tests a signed one for a negative value at every access.
        r = np.uint64(read)
        _feed_and_blend(buffer, line, n, write, np.float64(line[r, 0]), np.float64(line[r, 1]), feedback, mix, wet,
                        dry)
        write = write + 1 if write + 1 < size else 0
        read = read + 1 if read + 1 < size else 0
    position[0] = write


@kernel
def _delay_kernel(buffer, start, stop, values, changing, line, position, rate):
    size = line.shape[0]
    timing = changing[0] != 0
    feeding = changing[1] != 0
    mixing = changing[2] != 0
    delay = _delay_frames(values[0, start], rate, size)
    if not timing and delay == math.floor(delay):
        _whole_delay(buffer, start, stop, values, feeding, mixing, line, position, np.int64(delay))
        return
    feedback = volume_gain(values[1, start])
    mix = values[2, start]
    wet = wet_gain(mix)
    dry = dry_gain(mix)
    write = position[0]
    for n in range(start, stop):
        if timing:
            delay = _delay_frames(values[0, n], rate, size)
        feedback, mix, wet, dry = _gains_at(values, n, feeding, mixing, feedback, mix, wet, dry)
        read = write - delay
        if read < 0.0:
            read += size
            if read >= size:  # a position a rounding error below 0
                read -= size
        el, er = _hermite(line, read, size)
        _feed_and_blend(buffer, line, n, write, el, er, feedback, mix, wet, dry)
        write = write + 1 if write + 1 < size else 0
    position[0] = write


@kernel
def _read_kernel(start, stop, values, changing, line, position, rate, echoes):
    """Read echoes into ``echoes[:, start:end]`` and return ``end``: as far as they were all written before."""
    size = line.shape[0]
    timing = changing[0] != 0
    delay = _delay_frames(values[0, start], rate, size)
    write = position[0]
    for n in range(start, stop):
        if timing:
            delay = _delay_frames(values[0, n], rate, size)
        ahead = n - start
        # The last frame the interpolation reads must precede the sub-block.
        if n > start and math.floor(ahead - delay) + 2 >= 0:
            return n
        read = write + ahead - delay
        if read < 0.0:
            read += size
        if read >= size:
            read -= size
        el, er = _hermite(line, read, size)
        echoes[0, n] = el
        echoes[1, n] = er
    return stop


@kernel
def _write_kernel(buffer, start, stop, values, changing, line, position, echoes):
    """Feed ``input + feedback * echo`` into the line and blend the echoes into ``buffer``."""
    size = line.shape[0]
    feeding = changing[1] != 0
    mixing = changing[2] != 0
    feedback = volume_gain(values[1, start])
    mix = values[2, start]
    wet = wet_gain(mix)
    dry = dry_gain(mix)
    write = position[0]
    for n in range(start, stop):
        feedback, mix, wet, dry = _gains_at(values, n, feeding, mixing, feedback, mix, wet, dry)
        _feed_and_blend(buffer, line, n, write, np.float64(echoes[0, n]), np.float64(echoes[1, n]), feedback, mix,
                        wet, dry)
        write = write + 1 if write + 1 < size else 0
    position[0] = write


def _frames(settings: DelayBuilder, sample_rate: int) -> int:
    return math.ceil(settings.max_delay_time * sample_rate) + SPARE_FRAMES


def _param_count(effect: Any) -> int:
    return len(type(effect).SPECS)


def _layout(settings: DelayBuilder, sample_rate: int, chunk_size: int) -> Layout:
    layout = Layout().add("line", (_frames(settings, sample_rate), 2), np.float32).add("position", 1, np.int64)
    if settings.feedback_effects:
        layout.add("echoes", (2, chunk_size), np.float32)
        for i, effect in enumerate(settings.feedback_effects):
            layout.add(f"values_{i}", (_param_count(effect), chunk_size)).add(
                f"changing_{i}", _param_count(effect), np.uint8)
    return layout


class DelayDsp:
    """A delay's audio-thread side; its line (and its feedback effects' values) live in the caller's ``memory``.

    ``feedback_values[i]`` (float64, one row per parameter of effect i, in
    its PARAMS order, chunk_size columns) and ``feedback_changing[i]`` (uint8,
    one flag per row) are what feedback effect i is processed with: they
    hold the builder's values; the mixer may write new ones (and set the
    flags) before a ``process`` call to tween them.
    """

    PARAMS: ClassVar[tuple[str, ...]] = ("delay_time", "feedback", "mix")
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {}

    @staticmethod
    def memory_bytes(settings: DelayBuilder, sample_rate: int, chunk_size: int) -> int:
        """Bytes of state: ``max_delay_time`` of stereo float32, and with feedback effects a block of echoes
        and their parameter rows (their own state is in their own memory)."""
        return _layout(settings, sample_rate, chunk_size).nbytes

    def __init__(self, settings: DelayBuilder, memory: np.ndarray, sample_rate: int, chunk_size: int,
                 feedback_effects: Sequence[Any] = ()) -> None:
        if len(feedback_effects) != len(settings.feedback_effects):
            raise ValueError("a delay needs one built effect per builder in its feedback_effects")
        views = _layout(settings, sample_rate, chunk_size).views(memory)
        self._line = views.line
        self._position = views.position
        self._rate = float(sample_rate)
        self._effects = tuple(feedback_effects)
        self.feedback_values: list[np.ndarray] = []
        self.feedback_changing: list[np.ndarray] = []
        for i, builder in enumerate(settings.feedback_effects):
            rows = getattr(views, f"values_{i}")
            for row, value in enumerate(initial_values(builder, type(builder).SPECS)):
                rows[row].fill(value)
            self.feedback_values.append(rows)
            self.feedback_changing.append(getattr(views, f"changing_{i}"))
        self._echoes = getattr(views, "echoes", None)
        self._loop = tuple(zip((e.process for e in self._effects), self.feedback_values, self.feedback_changing))

    def process(self, buffer: np.ndarray, start: int, stop: int, values: np.ndarray, changing: np.ndarray) -> None:
        """Add the echoes to ``buffer[:, start:stop]`` in place. Runs on the audio thread."""
        if not self._loop:
            _delay_kernel(buffer, start, stop, values, changing, self._line, self._position, self._rate)
            return
        echoes = self._echoes
        at = start
        while at < stop:
            end = _read_kernel(at, stop, values, changing, self._line, self._position, self._rate, echoes)
            for effect, effect_values, effect_changing in self._loop:
                effect(echoes, at, end, effect_values, effect_changing)
            _write_kernel(buffer, at, end, values, changing, self._line, self._position, echoes)
            at = end

    def reset(self) -> None:
        """Empty the line and reset the feedback effects. May run on the audio thread: allocates nothing."""
        self._line.fill(0)
        self._position.fill(0)
        for effect in self._effects:
            effect.reset()

    @staticmethod
    def tail_seconds(settings: DelayBuilder, sample_rate: int) -> float:
        """Seconds until the output is exactly 0 after the input falls silent (worst case while modulated).

        The echoes fall by ``feedback`` each trip, from 80 dB over full scale
        down to FLUSH; each trip lasts the delay plus the tails of the
        feedback effects. Feedback effects that add gain lengthen it beyond
        this, up to a loop that never dies down (held at +36 dBFS).
        """
        from ..kinds import dsp_class

        worst = list(extremes(settings, SPECS))
        delay = max(float(b.delay_time) for b in worst)
        gain = max(volume_gain(float(b.feedback)) for b in worst)
        trips = 1.0 if gain == 0.0 else (math.inf if gain >= 1.0 else math.log(1e4 / FLUSH) / -math.log(gain) + 1)
        effects = sum(dsp_class(e).tail_seconds(e, sample_rate) for e in settings.feedback_effects)
        return trips * (delay + effects) + SPARE_FRAMES / sample_rate
