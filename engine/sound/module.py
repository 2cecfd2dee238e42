"""The sounds module of the Backend: every playing voice, rendered by one kernel call a chunk.

Lives on the audio thread. Voices are rows of ``voices`` (one per sound
slot); ``active[:count]`` lists the slots that play, in the order they
started. Python runs per voice only when the voice is added, gets a
command, or is flagged by the kernel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from .. import parameter_kernel as pk
from ..arena import Key
from ..channel import Event, EventSender
from ..context import ChunkContext
from ..jit import direct
from ..parameter import ParameterTable, init_row, set_row, wait_for_owner
from ..spec import PANNING, PLAYBACK_RATE, SEMITONES, SILENCE_DB, VOLUME
from ..things import ThingModule
from ..tween import Tween
from . import kernel as vk
from .runtime import PARAMETERS, Voice, VoiceSpec

if TYPE_CHECKING:
    from ..track.module import Mixer


class Sounds(ThingModule[Voice]):
    kind = "sound"

    def __init__(self, capacity: int, ctx: ChunkContext, events: EventSender, shared: np.ndarray,
                 table: ParameterTable, first_row: int, pool: np.ndarray) -> None:
        super().__init__(capacity, ctx, events, shared)
        self.table = table
        self.first_row = first_row
        self.pool = pool
        # The same memory as int64: where streaming voices' rings keep the frame each slot holds.
        self.tags = pool.view(np.int64)
        self.voices = np.zeros(capacity, dtype=vk.VOICE)
        self.active = np.zeros(capacity, dtype=np.int64)
        self.count = 0
        self._flagged = np.zeros(capacity, dtype=np.int64)
        chunk = ctx.chunk_size
        self._scratch = np.zeros((6, chunk), dtype=np.float64)
        # The voice kernel for these arrays, called without numba's dispatch (jit.direct).
        self._render: Callable[..., int] | None = None
        self._gain = np.zeros(chunk, dtype=np.float32)
        self._pans = np.zeros(2 * chunk, dtype=np.float32)
        self.tracks: "Mixer | None" = None

    # -- things coming and going -------------------------------------------------------

    def create(self, key: Key, spec: VoiceSpec) -> Voice:
        """Fill the voice's row from its spec. Runs on the audio thread."""
        if self.tracks is None:
            raise RuntimeError("the sounds module has no mixer")
        dest = self.tracks.destination(spec.track)
        if dest < 0:
            raise LookupError(f"track {spec.track} does not exist")
        end = spec.source + 2 * (spec.ring_size if spec.ring else spec.length + 3)
        if spec.source < 0 or end > self.pool.shape[0] or spec.length <= 0:
            raise ValueError(f"sound frames {spec.source}..{end} are outside the pool")
        if spec.ring and not (0 < spec.ring <= spec.ring_size and 0 <= spec.tags <= self.tags.shape[0] - spec.ring_size):
            raise ValueError("a streaming sound's ring is outside the pool")
        rows = self.first_row + len(PARAMETERS) * key.index
        table = self.table
        init_row(table, rows, spec.volume, VOLUME.default, VOLUME.low, VOLUME.high)
        init_row(table, rows + 1, spec.panning, PANNING.default, PANNING.low, PANNING.high)
        rate = rows + 2
        table.rows[rate]["unit"] = pk.UNIT_SEMITONES if spec.rate_in_semitones else pk.UNIT_PLAIN
        rate_spec = SEMITONES if spec.rate_in_semitones else PLAYBACK_RATE
        init_row(table, rate, spec.playback_rate, rate_spec.default, rate_spec.low, rate_spec.high)
        fade = rows + 3
        if spec.fade_in is None:
            init_row(table, fade, 0.0)
        else:
            init_row(table, fade, SILENCE_DB)
            set_row(table, fade, 0.0, Tween(spec.fade_in.duration, spec.fade_in.easing), self.ctx)
            wait_for_owner(table, fade)
        row = self.voices[key.index]
        row["state"] = vk.PLAYING
        row["started"] = 0
        row["reverse"] = 1 if spec.reverse else 0
        row["src_base"] = spec.source
        row["length"] = spec.length
        row["position"] = spec.position
        row["step"] = spec.step
        row["has_loop"] = 0 if spec.loop is None else 1
        if spec.loop is not None:
            row["loop_start"], row["loop_end"] = float(spec.loop[0]), float(spec.loop[1])
        pending = self.ctx.pending(spec.start_time)  # type: ignore[arg-type]
        if pending is None:
            row["wait_kind"] = pk.PEND_NONE
        else:
            row["wait_kind"], row["wait_clock"], row["wait_generation"], row["wait_value"] = pending
        row["seeking"] = 0
        row["dest"] = dest
        row["volume"], row["panning"], row["rate"], row["fade"] = rows, rows + 1, rows + 2, rows + 3
        row["sample_rate"] = float(spec.sample_rate)
        row["deferred"] = 0
        row["events"] = 0
        row["ring"] = spec.ring
        row["tags"] = spec.tags
        record = self.shared[key.index]
        record["underflows"] = 0
        record["seeks"] = 0
        voice = Voice(key, self.voices, table, rows, self.ctx, self.shared)
        voice.ring_size = spec.ring_size
        return voice

    def added(self, voice: Voice) -> None:
        self.active[self.count] = voice.slot
        self.count += 1

    def left(self, voice: Voice, reason: str | None) -> None:
        slot = voice.slot
        where = np.flatnonzero(self.active[: self.count] == slot)
        if where.size:
            last = self.count - 1
            self.active[where[0]] = self.active[last]
            self.count = last
        self.voices[slot]["state"] = vk.STOPPED
        record = self.shared[slot]
        record["state"] = vk.STOPPED
        record["waiting"] = 0
        data: dict[str, Any] = {} if reason is None else {"reason": reason}
        self.events.push(Event("sound_finished", voice.key, data))

    def stop_on_track(self, dest: int, reason: str) -> None:
        """Take away every voice playing into track buffer ``dest`` (its track was removed)."""
        for slot in [int(s) for s in self.active[: self.count] if self.voices[s]["dest"] == dest]:
            voice = self._slots.at(slot)
            if voice is not None:
                self.remove(voice.key, reason)

    # -- rendering ----------------------------------------------------------------------

    def render(self, ctx: ChunkContext, dest: np.ndarray, doppler: np.ndarray) -> None:
        """Add every voice's chunk to its track's buffer in ``dest``. Runs on the audio thread."""
        if self.count == 0:
            return
        args = (self.active, self.count, self.voices, self.pool, self.table.rows, ctx.frame, ctx.n, ctx.clock_times,
                ctx.clock_ticking, ctx.clock_generations, ctx.source_values, ctx.source_generations, dest, doppler,
                self._scratch, self._gain, self._pans, self.shared, self._flagged, self.tags)
        render = self._render
        if render is None:
            render = self._render = direct(vk.render, *args)
        flagged = render(*args) if render is not None else vk.render(*args)
        if flagged:
            self._handle(int(flagged))

    def _handle(self, flagged: int) -> None:
        """What the kernel flagged: voices that ended, resumes that waited, clocks that went away."""
        for i in range(flagged):
            slot = int(self._flagged[i])
            row = self.voices[slot]
            events = int(row["events"])
            row["events"] = 0
            voice = self._voice_in(slot)
            if voice is None:
                continue
            try:
                if events & vk.EV_TWEEN_CLOCK_GONE:
                    self.events.push(Event("error", voice.key, {"message": "a tween waited for a clock that was "
                                                                "removed; the parameter keeps its value"}))
                if events & vk.EV_START_CLOCK_GONE:
                    self.remove(voice.key, "clock removed")
                    continue
                if events & vk.EV_FINISHED:
                    self.remove(voice.key)
                    continue
                if events & vk.EV_DEFERRED_RESUME:
                    voice.deferred_resume()
            except Exception as error:  # noqa: BLE001 - one broken voice must not stop the stream
                self.broke(voice, error)
        self.drop_broken()

    def _voice_in(self, slot: int) -> Voice | None:
        return self._slots.at(slot)
