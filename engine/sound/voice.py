"""One playing static sound on the audio thread.

A voice is built on the caller's side (all its buffers allocated there) and
sent to the audio thread in a ``PlaySound`` command. On the audio thread it
renders chunk after chunk into the mix: positions for the whole chunk in one
array, four-point cubic (Catmull-Rom / Hermite x-form) interpolation over
them, gains applied per frame. No Python loop runs per sample.
"""

from __future__ import annotations

import math

import numpy as np

from ..arena import Key
from ..context import ChunkContext, Pending
from ..parameter import SILENCE_DB, Parameter, decibels_to_amplitude
from ..tween import Tween
from .settings import MAX_RATE, CheckedSettings
from .state import PlaybackState, SoundShared

_TAPS = np.array([-1, 0, 1, 2], dtype=np.intp)[:, None]
_SQRT2 = math.sqrt(2.0)


class Voice:
    def __init__(self, key: Key, frames: np.ndarray, sample_rate: int, output_rate: int,
                 settings: CheckedSettings, shared: SoundShared, chunk_size: int) -> None:
        first, last = settings.slice_frames
        self.key = key
        self.frames = frames[first:last]
        self.length = last - first
        self.sample_rate = sample_rate
        self.step = sample_rate / output_rate * (-1.0 if settings.reverse else 1.0)
        self.reverse = settings.reverse
        self.loop = settings.loop_frames
        self.position = (self.length - 1 - settings.start_frame) if self.reverse else settings.start_frame
        self.state = PlaybackState.PLAYING
        self.shared = shared
        self.volume = Parameter(_initial(settings.volume, 0.0), chunk_size, -1000.0, 60.0)
        self.panning = Parameter(_initial(settings.panning, 0.0), chunk_size, -1.0, 1.0)
        self.playback_rate = Parameter(_initial(settings.playback_rate, 1.0), chunk_size, 0.0, MAX_RATE)
        self.fade = Parameter(0.0 if settings.fade_in is None else SILENCE_DB, chunk_size)
        self._fade_in = settings.fade_in
        self._start_time = settings.start_time
        self._waiting: Pending | None = None
        self._started = False
        self._settings_sources = settings
        # Scratch for one chunk, reused every chunk.
        self._positions = np.empty(chunk_size, dtype=np.float64)
        self._gain = np.empty(chunk_size, dtype=np.float64)
        self._pan_gains = np.empty(2, dtype=np.float32)
        self._last_positions = self._positions[:0]

    # -- set-up on the audio thread ------------------------------------------------

    def on_added(self, ctx: ChunkContext) -> None:
        """Bind start time and modulated values once the voice reaches the audio thread."""
        self._waiting = ctx.pending(self._start_time)
        checked = self._settings_sources
        instant = Tween()
        for parameter, value in ((self.volume, checked.volume), (self.panning, checked.panning),
                                 (self.playback_rate, checked.playback_rate)):
            if not isinstance(value, float):
                parameter.set(value, instant, ctx)
        self._settings_sources = None

    # -- commands ---------------------------------------------------------------------

    def pause(self, tween: Tween, ctx: ChunkContext) -> None:
        if self.state in (PlaybackState.STOPPING, PlaybackState.STOPPED, PlaybackState.PAUSED):
            return
        self.state = PlaybackState.PAUSING
        self.fade.set(SILENCE_DB, tween, ctx)

    def resume(self, tween: Tween, ctx: ChunkContext) -> None:
        if self.state not in (PlaybackState.PAUSED, PlaybackState.PAUSING, PlaybackState.WAITING_TO_RESUME):
            return
        self._waiting = ctx.pending(tween.start_time)
        self.state = PlaybackState.WAITING_TO_RESUME if self._waiting is not None else PlaybackState.RESUMING
        self.fade.set(0.0, tween, ctx)

    def stop(self, tween: Tween, ctx: ChunkContext) -> None:
        if self.state in (PlaybackState.STOPPING, PlaybackState.STOPPED):
            return
        if self.state in (PlaybackState.PAUSED, PlaybackState.WAITING_TO_RESUME) or not self._started:
            self.state = PlaybackState.STOPPED
            return
        self.state = PlaybackState.STOPPING
        self.fade.set(SILENCE_DB, tween, ctx)

    def seek(self, frames: float, relative: bool) -> None:
        target = self.position + (frames if not self.reverse else -frames) if relative else frames
        self.position = min(max(target, 0.0), float(self.length))

    def set_loop(self, frames: tuple[int, int] | None) -> None:
        self.loop = frames

    # -- rendering ----------------------------------------------------------------------

    def render(self, ctx: ChunkContext, mix: np.ndarray) -> bool:
        """Add this chunk of the voice to ``mix``. Returns True when the voice is done.

        Runs on the audio thread.
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
        done = self._render_frames(ctx, mix, offset, volume, panning, rate, fade)
        self._after_fade(offset)
        if done:
            self.state = PlaybackState.STOPPED
        self._publish()
        return self.state is PlaybackState.STOPPED

    def _render_frames(self, ctx: ChunkContext, mix: np.ndarray, offset: int, volume, panning, rate, fade) -> bool:
        n = ctx.n - offset
        positions = self._positions[:n]
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
        finished = False
        loop = self.loop
        if loop is not None:
            start, end = loop
            span = end - start
            if not self.reverse and following >= end:
                # Only the frames past the end wrap, so a start before the loop plays into it.
                past = positions >= end
                positions[past] = start + np.mod(positions[past] - start, span)
                following = start + (following - start) % span
            elif self.reverse and following < start and self.position >= start:
                before = positions < start
                positions[before] = start + np.mod(positions[before] - start, span)
                following = start + (following - start) % span
        if loop is None or (self.reverse and self.position < loop[0]):
            if self.reverse:
                audible = n - int(np.searchsorted(positions[::-1], 0.0, side="left"))
                finished = following < 0.0
            else:
                audible = int(np.searchsorted(positions, self.length, side="left"))
                finished = following >= self.length
        else:
            audible = n
        self.position = following
        self._last_positions = positions
        if audible <= 0:
            return finished
        frames = self._interpolate(positions[:audible])
        gain = self._gains(ctx, offset, audible, volume, fade)
        if isinstance(panning, float):
            m = (panning + 1.0) * 0.5
            self._pan_gains[0] = math.sqrt(1.0 - m) * _SQRT2
            self._pan_gains[1] = math.sqrt(m) * _SQRT2
            if isinstance(gain, float):
                self._pan_gains *= gain
            else:
                frames *= gain[:, None]
            frames *= self._pan_gains
        else:
            m = (panning[offset : offset + audible] + 1.0) * 0.5
            left = np.sqrt(1.0 - m) * _SQRT2
            right = np.sqrt(m) * _SQRT2
            left *= gain
            right *= gain
            frames[:, 0] *= left
            frames[:, 1] *= right
        mix[offset : offset + audible] += frames
        return finished

    def _interpolate(self, positions: np.ndarray) -> np.ndarray:
        """Four-point, third-order Hermite (x-form) interpolation at ``positions``."""
        whole = np.floor(positions)
        x = (positions - whole).astype(np.float32)[:, None]
        index = whole.astype(np.intp) + _TAPS
        loop = self.loop
        if loop is not None:
            start, end = loop
            if self.reverse:
                index[index < start] += end - start
            else:
                index[index >= end] -= end - start
        np.clip(index, 0, self.length - 1, out=index)
        before, y0, y1, y2 = self.frames.take(index, axis=0)
        c1 = y1 - before
        c1 *= 0.5
        c3 = y0 - y1
        c3 *= 1.5
        c3 += 0.5 * (y2 - before)
        c2 = before - 2.5 * y0
        c2 += y1 + y1
        c2 -= 0.5 * y2
        c3 *= x
        c3 += c2
        c3 *= x
        c3 += c1
        c3 *= x
        c3 += y0
        return c3

    def _gains(self, ctx: ChunkContext, offset: int, count: int, volume, fade) -> float | np.ndarray:
        if isinstance(volume, float) and isinstance(fade, float):
            return decibels_to_amplitude(volume) * decibels_to_amplitude(fade)
        gain = self._gain[:count]
        if isinstance(volume, float):
            decibels_to_amplitude(fade[offset : offset + count], out=gain)
            gain *= decibels_to_amplitude(volume)
        elif isinstance(fade, float):
            decibels_to_amplitude(volume[offset : offset + count], out=gain)
            gain *= decibels_to_amplitude(fade)
        else:
            decibels_to_amplitude(volume[offset : offset + count], out=gain)
            gain *= decibels_to_amplitude(fade[offset : offset + count])
        return gain

    def _after_fade(self, offset: int) -> None:
        finished_at = self.fade.finished_at
        if finished_at < 0:
            return
        state = self.state
        if state is PlaybackState.PAUSING:
            self.state = PlaybackState.PAUSED
            # Resume continues where the fade reached silence, not where the chunk ended.
            index = finished_at - offset
            if 0 <= index < len(self._last_positions):
                self.position = float(self._last_positions[index])
        elif state is PlaybackState.STOPPING:
            self.state = PlaybackState.STOPPED
        elif state is PlaybackState.RESUMING:
            self.state = PlaybackState.PLAYING

    def _publish(self) -> None:
        shared = self.shared
        shared.state = self.state
        shared.position = max(self.position, 0.0) / self.sample_rate
        shared.volume = self.volume.value
        shared.panning = self.panning.value
        shared.playback_rate = self.playback_rate.value


def _initial(value, default: float) -> float:
    return value if isinstance(value, float) else default
