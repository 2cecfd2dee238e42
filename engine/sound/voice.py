"""One playing static sound on the audio thread.

A voice is built on the caller's side (all its buffers allocated there) and
sent to the audio thread in a ``PlaySound`` command. On the audio thread it
renders chunk after chunk into the mix: positions for the whole chunk in one
array, four-point cubic (Catmull-Rom / Hermite x-form) interpolation over
them, gains applied per frame. No Python loop runs per sample.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..arena import Key
from ..context import ChunkContext, Pending
from ..parameter import SILENCE_DB, Parameter, decibels_to_amplitude
from ..tween import Tween
from ..value import Value
from .interpolation import HERMITE as _HERMITE
from .interpolation import TAPS as _TAPS
from .looping import crossed, loops_now, wrap_position, wrap_positions, wrap_taps
from .settings import MAX_RATE, CheckedSettings
from .voice_constants import FADE_IN as _FADE_IN
from .voice_constants import FADE_OUT as _FADE_OUT
from .voice_constants import SEEK_CROSSFADE_FRAMES
from .state import PlaybackState, SoundShared

if TYPE_CHECKING:
    from .batch import VoiceBatch
    from .scratch import Scratch

_SQRT2 = math.sqrt(2.0)


class Voice:
    """One playback of a static sound: its state machine, parameters and position."""

    def __init__(self, key: Key, padded: np.ndarray, sample_rate: int, output_rate: int,
                 settings: CheckedSettings, shared: SoundShared, chunk_size: int) -> None:
        first, last = settings.slice_frames
        self.key = key
        # The padded source: the frame before ``first`` and the two after ``last`` come along.
        self.source = padded[:, first : last + 3]
        self.length = last - first
        self.sample_rate = sample_rate
        self.step = sample_rate / output_rate * (-1.0 if settings.reverse else 1.0)
        self.reverse = settings.reverse
        self.loop = settings.loop_frames
        self.position = (self.length - 1 - settings.start_frame) if self.reverse else settings.start_frame
        self.state = PlaybackState.PLAYING
        self.shared = shared
        self.volume = _parameter(settings.volume, 0.0, chunk_size, -1000.0, 60.0)
        self.panning = _parameter(settings.panning, 0.0, chunk_size, -1.0, 1.0)
        self.playback_rate = _parameter(settings.playback_rate, 1.0, chunk_size, 0.0, MAX_RATE)
        self.fade = Parameter(0.0 if settings.fade_in is None else SILENCE_DB, chunk_size)
        self._fade_in = settings.fade_in
        self._start_time = settings.start_time
        self._waiting: Pending | None = None
        self._started = False
        self._seek_from: float | None = None
        self._deferred_resume: tuple[Pending, Tween] | None = None
        self._last_positions: np.ndarray | None = None
        self._chunk_start = (0.0, 0.0)

    # -- set-up on the audio thread ------------------------------------------------

    def on_added(self, ctx: ChunkContext) -> None:
        """Bind the start time to the output's frames once the voice reaches the audio thread."""
        self._waiting = ctx.pending(self._start_time)

    # -- commands ---------------------------------------------------------------------

    def pause(self, tween: Tween, ctx: ChunkContext) -> None:
        state = self.state
        if state in (PlaybackState.STOPPING, PlaybackState.STOPPED, PlaybackState.PAUSED):
            return
        self._deferred_resume = None
        if not self._started or state is PlaybackState.WAITING_TO_RESUME:
            # Silent already: hold at once. A sound not yet started keeps its start time for resume.
            if state is PlaybackState.WAITING_TO_RESUME:
                self._waiting = None
                self.fade.set(SILENCE_DB, Tween(), ctx)
            self.state = PlaybackState.PAUSED
            return
        self.state = PlaybackState.PAUSING
        self.fade.set(SILENCE_DB, tween, ctx)

    def resume(self, tween: Tween, ctx: ChunkContext) -> None:
        state = self.state
        if state not in (PlaybackState.PAUSED, PlaybackState.PAUSING, PlaybackState.WAITING_TO_RESUME):
            return
        pending = ctx.pending(tween.start_time)
        if not self._started:
            # It never sounded: wait again, for the resume's start time if it has one.
            if pending is not None:
                self._waiting = pending
            self.state = PlaybackState.PLAYING
            return
        if state is PlaybackState.PAUSING and pending is not None:
            # Let the pause fade reach silence first; cutting it short would click.
            self._deferred_resume = (pending, tween)
            return
        self._waiting = pending
        self.state = PlaybackState.WAITING_TO_RESUME if pending is not None else PlaybackState.RESUMING
        self.fade.set(0.0, tween, ctx, pending)

    def stop(self, tween: Tween, ctx: ChunkContext) -> None:
        if self.state in (PlaybackState.STOPPING, PlaybackState.STOPPED):
            return
        self._deferred_resume = None
        if self.state in (PlaybackState.PAUSED, PlaybackState.WAITING_TO_RESUME) or not self._started:
            self.state = PlaybackState.STOPPED
            return
        self.state = PlaybackState.STOPPING
        self.fade.set(SILENCE_DB, tween, ctx)

    def seek(self, frames: float, relative: bool) -> None:
        target = self.position + (frames if not self.reverse else -frames) if relative else frames
        if self._started and self.state not in (PlaybackState.PAUSED, PlaybackState.WAITING_TO_RESUME):
            # Audible: the next chunk crossfades from where the voice was, so the jump does not click.
            self._seek_from = self.position
        self.position = min(max(target, 0.0), float(self.length))

    def set_loop(self, frames: tuple[int, int] | None) -> None:
        self.loop = frames

    # -- rendering ----------------------------------------------------------------------

    def render(self, ctx: ChunkContext, mix: np.ndarray, scratch: "Scratch", batch: "VoiceBatch | None" = None) -> bool:
        """Add this chunk of the voice to ``mix`` (shape (2, n)), or queue it in ``batch``.

        Returns True when the voice is done. Runs on the audio thread.
        """
        volume = self.volume.update(ctx)
        panning = self.panning.update(ctx)
        rate = self.playback_rate.update(ctx)
        state = self.state
        if state is PlaybackState.STOPPED:
            return True
        offset = 0
        if state is PlaybackState.PAUSED:
            self.fade.update(ctx)
            self._publish()
            return False
        if not self._started or state is PlaybackState.WAITING_TO_RESUME:
            resolved = ctx.resolve(self._waiting)
            if resolved is None:
                self.fade.update(ctx)
                self._publish()
                return False
            offset = resolved
            self._waiting = None
            if not self._started:
                self._started = True
                if self._fade_in is not None:
                    self.fade.set(0.0, Tween(self._fade_in.duration, self._fade_in.easing), ctx)
                    self.fade.start_at(ctx.frame + offset)
            else:
                self.state = PlaybackState.RESUMING
        fade = self.fade.update(ctx)
        if (batch is not None and offset == 0 and isinstance(rate, float) and isinstance(panning, float)
                and self._seek_from is None and not self.reverse and self._steady(rate, ctx.n)):
            done = self._queue(batch, ctx.n, volume, panning, rate, fade)
        else:
            done = self._render_frames(ctx, mix, scratch, offset, volume, panning, rate, fade)
        self._after_fade(ctx, offset)
        if done:
            self.state = PlaybackState.STOPPED
        self._publish()
        return self.state is PlaybackState.STOPPED

    def _steady(self, rate: float, n: int) -> bool:
        """Whether the whole chunk plays forwards without reaching the end of the sound."""
        return self.loop is not None or self.position + self.step * rate * (n - 1) < self.length

    def _queue(self, batch: "VoiceBatch", n: int, volume, panning: float, rate: float, fade) -> bool:
        step = self.step * rate
        m = (panning + 1.0) * 0.5
        batch.add(self, self.position, step, math.sqrt(1.0 - m) * _SQRT2, math.sqrt(m) * _SQRT2, n)
        batch.set_decibels(volume, self.volume.monotonic, fade)
        self._chunk_start = (self.position, step)
        self._last_positions = None
        self.position = self._wrapped(self.position + step * n)
        # The chunk may end exactly on the sound's last frame.
        return self.loop is None and self.position >= self.length

    def _wrapped(self, position: float) -> float:
        """A forward position, folded back into the loop if it went past it (the batch's voices)."""
        loop = self.loop
        if loop is not None and crossed(position, loop, False):
            return wrap_position(position, loop)
        return position

    def _render_frames(self, ctx: ChunkContext, mix: np.ndarray, scratch: "Scratch", offset: int,
                       volume, panning, rate, fade) -> bool:
        n = ctx.n - offset
        positions = scratch.positions[:n]
        if isinstance(rate, float):
            step = self.step * rate
            np.multiply(ctx.offsets[:n], step, out=positions)
            positions += self.position
            following = self.position + step * n
        else:
            steps = rate[offset:] * self.step
            positions[0] = 0.0
            np.cumsum(steps[:-1], out=positions[1:])
            positions += self.position
            following = float(positions[-1] + steps[-1])
        loop = self.loop
        looping = loops_now(self.position, loop, self.reverse)
        if looping and crossed(following, loop, self.reverse):
            # Only the frames past the end wrap, so a start before the loop plays into it.
            wrap_positions(positions, loop, self.reverse)
            following = wrap_position(following, loop)
        finished = False
        audible = n
        if not looping:
            # Positions move one way, so the last one tells whether the end came in this chunk.
            if self.reverse:
                finished = following < 0.0
                if positions[-1] < 0.0:
                    audible = n - int(np.searchsorted(positions[::-1], 0.0, side="left"))
            else:
                finished = following >= self.length
                if positions[-1] >= self.length:
                    audible = int(np.searchsorted(positions, self.length, side="left"))
        self.position = following
        self._last_positions = positions
        if audible <= 0:
            return finished
        gain = self._gains(scratch, offset, audible, volume, fade)
        tail = None
        if self._seek_from is not None:
            tail, gain = self._seek_tail(ctx, scratch, audible, gain)
        frames = self._interpolate(scratch, positions[:audible], gain, scratch.frames[:, :audible], looping)
        if tail is not None:
            frames[:, : tail.shape[1]] += tail
        if isinstance(panning, float):
            m = (panning + 1.0) * 0.5
            scratch.pan_gains[0, 0] = math.sqrt(1.0 - m) * _SQRT2
            scratch.pan_gains[1, 0] = math.sqrt(m) * _SQRT2
            frames *= scratch.pan_gains
        else:
            left, right = scratch.left[:audible], scratch.right[:audible]
            np.add(panning[offset : offset + audible], 1.0, out=right)
            right *= 0.5
            np.subtract(1.0, right, out=left)
            np.sqrt(left, out=left)
            np.sqrt(right, out=right)
            frames[0] *= left
            frames[1] *= right
            frames *= _SQRT2
        mix[:, offset : offset + audible] += frames
        return finished

    def _seek_tail(self, ctx: ChunkContext, scratch: "Scratch", audible: int, gain: float | np.ndarray):
        """After a seek: the old position fading out, and the gain that fades the new one in."""
        count = min(SEEK_CROSSFADE_FRAMES, audible)
        # A seek is rare: small allocations are fine here.
        positions = ctx.offsets[:count] * (self.step * self.playback_rate.value)
        positions += self._seek_from
        np.maximum(positions, 0.0, out=positions)
        np.minimum(positions, self.length - 1.0, out=positions)
        self._seek_from = None
        if isinstance(gain, float):
            gain = np.full(audible, gain)
        tail = self._interpolate(scratch, positions, gain[:count] * _FADE_OUT[:count], scratch.tail[:, :count], False)
        gain[:count] *= _FADE_IN[:count]
        return tail, gain

    def _interpolate(self, scratch: "Scratch", positions: np.ndarray, gain: float | np.ndarray,
                     out: np.ndarray, looping: bool) -> np.ndarray:
        """Four-point, third-order Hermite (x-form) interpolation at ``positions``, times ``gain``, into ``out``.

        The four weights of every frame come from one small matrix product,
        the gain is folded into them, and one einsum sums the weighted taps.
        """
        m = positions.shape[0]
        whole = scratch.whole[:m]
        np.copyto(whole, positions, casting="unsafe")  # truncation: positions read here are never negative
        powers = scratch.powers[:, :m]
        x = powers[1]
        np.subtract(positions, whole, out=x, casting="unsafe")
        np.multiply(x, x, out=powers[2])
        np.multiply(powers[2], x, out=powers[3])
        index = scratch.index[:, :m]
        np.add(whole, _TAPS, out=index)
        if looping:
            wrap_taps(index, self.loop, self.reverse)
        weights = np.matmul(_HERMITE, powers, out=scratch.weights[:, :m])
        weights *= gain
        taps = scratch.taps[:, :, :m]
        self.source.take(index, axis=1, out=taps, mode="clip")  # (channel, tap, frame)
        return np.einsum("ctn,tn->cn", taps, weights, out=out)

    def _gains(self, scratch: "Scratch", offset: int, count: int, volume, fade) -> float | np.ndarray:
        """Volume times fade, as one gain or one gain per frame."""
        if isinstance(volume, float) and isinstance(fade, float):
            return decibels_to_amplitude(volume) * decibels_to_amplitude(fade)
        gain = scratch.gain[:count]
        if isinstance(volume, float):
            decibels_to_amplitude(fade[offset : offset + count], gain, True)
            scale = decibels_to_amplitude(volume)
        else:
            decibels_to_amplitude(volume[offset : offset + count], gain, self.volume.monotonic)
            if not isinstance(fade, float):
                gain *= decibels_to_amplitude(fade[offset : offset + count], None, True)
                return gain
            scale = decibels_to_amplitude(fade)
        if scale != 1.0:
            gain *= scale
        return gain

    def _after_fade(self, ctx: ChunkContext, offset: int) -> None:
        finished_at = self.fade.finished_at
        if finished_at < 0:
            return
        state = self.state
        if state is PlaybackState.PAUSING:
            self.state = PlaybackState.PAUSED
            # Resume continues where the fade reached silence, not where the chunk ended.
            index = finished_at - offset
            if self._last_positions is None:
                start, step = self._chunk_start
                self.position = self._wrapped(start + step * index)
            elif 0 <= index < len(self._last_positions):
                self.position = float(self._last_positions[index])
            if self._deferred_resume is not None:
                pending, tween = self._deferred_resume
                self._deferred_resume = None
                self._waiting = pending
                self.state = PlaybackState.WAITING_TO_RESUME
                self.fade.set(0.0, tween, ctx, pending)
        elif state is PlaybackState.STOPPING:
            self.state = PlaybackState.STOPPED
        elif state is PlaybackState.RESUMING:
            self.state = PlaybackState.PLAYING

    def _publish(self) -> None:
        shared = self.shared
        shared.state = self.state
        shared.waiting = not self._started and self.state is not PlaybackState.STOPPED
        shared.position = min(max(self.position, 0.0), float(self.length)) / self.sample_rate
        shared.volume = self.volume.value
        shared.panning = self.panning.value
        shared.playback_rate = self.playback_rate.value


def _parameter(value: float | Value, default: float, chunk_size: int, low: float, high: float) -> Parameter:
    """A parameter at a fixed value, or following a modulator (``default`` until it has a value)."""
    if isinstance(value, Value):
        parameter = Parameter(default, chunk_size, low, high)
        parameter.follow(value)
        return parameter
    return Parameter(value, chunk_size, low, high)
