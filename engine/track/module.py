"""The mixer of the Backend: the main track, sub tracks in a tree and send tracks. Lives on the audio thread.

Buffers are indexed as the tracks' rows: 0 the main track, 1..S the sub
tracks (their slot index), then the send tracks. Voices add into the buffer
of the track they play on; then tracks are passed on deepest first, one
kernel call per depth, so a track's children are in its buffer before it
goes on; then the send tracks; then the main track. Python runs per chunk
once per depth, plus once per track that has effects.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ..arena import Key
from ..channel import Event, EventSender
from ..context import ChunkContext
from ..parameter import ParameterTable
from ..things import ThingModule
from ..tween import Tween
from . import kernel as tk
from .runtime import PARAMETERS, Track
from .settings import MAIN, SEND, SUB, TrackSpec

from ..spatial import kernel as sk

if TYPE_CHECKING:
    from ..effect.module import Effects
    from ..sound.module import Sounds
    from ..spatial.module import Listeners

MAIN_INDEX = 0
# Meter ballistics: peaks fall by about 20 dB a second, RMS averages over ~300 ms.
PEAK_FALL_DB_PER_SECOND = 20.0
RMS_SECONDS = 0.3


class Tracks(ThingModule[Track]):
    """The main track and the sub tracks (kind 'track'), by slot."""

    kind = "track"

    def __init__(self, capacity: int, mixer: "Mixer", shared: np.ndarray) -> None:
        super().__init__(capacity, mixer.ctx, mixer.events, shared)
        self.mixer = mixer

    def create(self, key: Key, spec: TrackSpec) -> Track:
        if spec.role not in (MAIN, SUB):
            raise ValueError(f"a {spec.role} track cannot take a track slot")
        return self.mixer.create(key, key.index, spec)

    def added(self, track: Track) -> None:
        self.mixer.added(track)

    def remove_command(self, key: Key, fade: Tween | None) -> None:
        track = self.get(key)
        if track is None or track.role == MAIN:
            return
        if fade is None or fade.duration == 0.0:
            self.remove(key, "track removed")
        else:
            track.start_removal(fade)
            self.mixer.removing.append(track)

    def remove(self, key: Key, reason: str | None = None) -> None:
        track = self.get(key)
        if track is None or track.role == MAIN:
            return
        for child in list(track.children):
            self.remove(child.key, reason)
        super().remove(key, reason)

    def left(self, track: Track, reason: str | None) -> None:
        self.mixer.left(track, reason)


class Sends(ThingModule[Track]):
    """The send tracks (kind 'send'), by slot."""

    kind = "send"

    def __init__(self, capacity: int, mixer: "Mixer", shared: np.ndarray) -> None:
        super().__init__(capacity, mixer.ctx, mixer.events, shared)
        self.mixer = mixer

    def create(self, key: Key, spec: TrackSpec) -> Track:
        if spec.role != SEND:
            raise ValueError(f"a {spec.role} track cannot take a send slot")
        return self.mixer.create(key, self.mixer.send_base + key.index, spec)

    def added(self, track: Track) -> None:
        self.mixer.added(track)

    def remove_command(self, key: Key, fade: Tween | None) -> None:
        track = self.get(key)
        if track is None:
            return
        if fade is None or fade.duration == 0.0:
            self.remove(key, "track removed")
        else:
            track.start_removal(fade)
            self.mixer.removing.append(track)

    def left(self, track: Track, reason: str | None) -> None:
        self.mixer.left(track, reason)


class Mixer:
    """Every track and the order they are mixed in."""

    def __init__(self, sub_tracks: int, send_tracks: int, ctx: ChunkContext, events: EventSender,
                 shared: np.ndarray, table: ParameterTable, first_row: int, buffers: np.ndarray,
                 levels: np.ndarray) -> None:
        self.ctx = ctx
        self.levels = levels
        self.events = events
        self.table = table
        self.buffers = buffers
        self.shared = shared
        self.send_base = 1 + sub_tracks
        self.send_capacity = send_tracks
        count = 1 + sub_tracks + send_tracks
        self.rows_per_track = len(PARAMETERS) + send_tracks
        self.first_row = first_row
        self.tracks_table = np.zeros(count, dtype=tk.TRACK)
        self.routes = np.zeros((count, max(send_tracks, 1)), dtype=np.int8)
        self.scratch = np.zeros((8, ctx.chunk_size), dtype=np.float64)
        self.spatial_table = np.zeros(count, dtype=sk.SPATIAL)
        self.spatial_state = np.zeros((count, sk.STATE), dtype=np.float64)
        # Per buffer: the pitch factor of moving emitters above it, at the chunk's start and its change a frame.
        self.doppler = np.zeros((count, 2), dtype=np.float64)
        self.doppler[:, 0] = 1.0
        self._own_doppler = self.doppler.copy()
        self._spatial_order = np.zeros(0, dtype=np.int64)
        self._by_depth = np.zeros(0, dtype=np.int64)
        self._parents = np.zeros(count, dtype=np.int64)
        self._live = np.zeros(0, dtype=np.int64)
        # Tracks fading out before they are removed.
        self.removing: list[Track] = []
        self.listeners: "Listeners | None" = None
        # Listener distances are sources a parameter may follow: rows distance_base + buffer.
        self.distance_base = 0
        self.tracks = Tracks(1 + sub_tracks, self, shared[: 1 + sub_tracks])
        self.sends = Sends(send_tracks, self, shared[1 + sub_tracks :])
        self.sounds: "Sounds | None" = None
        self.effects: "Effects | None" = None
        self._by_buffer: list[Track | None] = [None] * count
        self._levels: list[np.ndarray] = []
        self._send_order = np.zeros(0, dtype=np.int64)
        self._dirty = True
        # The main track is always there, in the slot (and generation) the caller reserved first.
        main = Key("track", MAIN_INDEX, 1)
        self.tracks.apply_add(main, TrackSpec())
        self.main = self._by_buffer[MAIN_INDEX]

    # -- tracks coming and going --------------------------------------------------------------

    def create(self, key: Key, buffer: int, spec: TrackSpec) -> Track:
        track = Track(key, buffer, spec, self, self.first_row + self.rows_per_track * buffer)
        if spec.role == SUB:
            parent = self.track(spec.parent)
            if parent is None or parent.role == SEND:
                raise LookupError(f"track {spec.parent} does not exist")
            track.parent = parent
        elif spec.role == SEND:
            track.parent = self._by_buffer[MAIN_INDEX]
        for send, volume in spec.sends:
            slot = self._send_slot(send)
            track.set_send(slot, volume, Tween(0.0), self.ctx)
        if spec.spatial is not None:
            self._place(track, spec.spatial)
        return track

    def _place(self, track: Track, spatial: Any) -> None:
        record = self.spatial_table[track.buffer]
        record["listener"], record["listener_generation"] = spatial.listener.index, spatial.listener.generation
        record["min_distance"], record["max_distance"] = spatial.min_distance, spatial.max_distance
        easing = spatial.attenuation
        record["attenuate"] = 0 if easing is None else 1
        if easing is not None:
            record["ease_mode"] = {"in": 0, "out": 1, "in_out": 2}[easing.mode]
            record["ease_power"] = float(easing.power)
        record["doppler"] = 1 if spatial.doppler else 0
        record["speed_of_sound"] = spatial.speed_of_sound
        record["x"] = track.rows + 4
        record["strength"] = track.rows + 7
        record["has_previous"] = 0
        record["previous_factor"] = 1.0
        source = self.distance_base + track.buffer
        record["source"] = source if source < self.ctx.source_values.shape[0] else -1

    def added(self, track: Track) -> None:
        self._by_buffer[track.buffer] = track
        if track.spatial:
            source = int(self.spatial_table[track.buffer]["source"])
            if source >= 0:
                self.ctx.source_generations[source] = track.key.generation
        if track.parent is not None:
            track.parent.children.append(track)
            self.tracks_table[track.buffer]["parent"] = track.parent.buffer
        self._dirty = True
        self.update_audible()

    def left(self, track: Track, reason: str | None) -> None:
        if self.sounds is not None:
            self.sounds.stop_on_track(track.buffer, reason or "track removed")
        if self.effects is not None:
            self.effects.remove_on(track)
        if track.parent is not None and track in track.parent.children:
            track.parent.children.remove(track)
        if track.role == SEND:
            slot = track.buffer - self.send_base
            for other in self._by_buffer:
                if other is not None:
                    other.drop_send(slot)
        self.routes[track.buffer, :] = 0
        if track.spatial:
            source = int(self.spatial_table[track.buffer]["source"])
            if source >= 0:
                self.ctx.source_generations[source] = 0
        self._by_buffer[track.buffer] = None
        self._dirty = True
        self.update_audible()

    def track(self, key: Key | None) -> Track | None:
        if key is None:
            return None
        module = self.tracks if key.kind == "track" else self.sends if key.kind == "send" else None
        return None if module is None else module.get(key)

    def _send_slot(self, key: Key) -> int:
        if self.sends.get(key) is None:
            raise LookupError(f"send track {key} does not exist")
        return key.index

    def set_send(self, track: Track, send: Key, volume: Any, tween: Tween) -> None:
        track.set_send(self._send_slot(send), volume, tween, self.ctx)

    def destination(self, key: Key) -> int:
        """The buffer of the track ``key`` names (a sound plays on it), or -1 when it is gone."""
        track = self.tracks.get(key) if key.kind == "track" else None
        return -1 if track is None or track.removing else track.buffer

    # -- mute and solo --------------------------------------------------------------------------

    def set_flag(self, track: Track, name: str, value: bool) -> None:
        setattr(track, name, value)
        self.update_audible()

    def update_audible(self) -> None:
        """Mute silences a track; solo keeps the soloed tracks, their path to the main track, what
        feeds them and the send tracks they reach audible, and silences the rest."""
        live = [t for t in self._by_buffer if t is not None and t.role != MAIN]
        any_solo = any(t.soloed for t in live)

        def related_to_solo(track: Track) -> bool:
            node: Track | None = track
            while node is not None:  # the track or one it feeds is soloed
                if node.soloed:
                    return True
                node = node.parent
            stack = list(track.children)
            while stack:  # something it carries is soloed
                child = stack.pop()
                if child.soloed:
                    return True
                stack.extend(child.children)
            return False

        audible: dict[int, bool] = {}
        main = self._by_buffer[MAIN_INDEX]
        if main is not None:  # muting it silences everything; solo means nothing there
            audible[main.buffer] = not main.muted
            live = [main, *live]
        for track in live:
            if track.role == SUB:
                audible[track.buffer] = not track.muted and (not any_solo or related_to_solo(track))
        for track in live:
            if track.role == SEND:
                slot = track.buffer - self.send_base
                fed = any(audible.get(t.buffer, False) and t.sends.get(slot) for t in live if t.role == SUB)
                audible[track.buffer] = not track.muted and (not any_solo or track.soloed or fed)
        for track in live:
            target = audible[track.buffer]
            if track.heard != target:
                track.heard = target
                track.audible_target(target)
            self.shared[track.buffer]["audible"] = 1 if target else 0
            track.publish_flags(self.shared)

    # -- rendering ---------------------------------------------------------------------------

    def clear(self, n: int) -> None:
        """Empty the buffers of the tracks that exist, for the next chunk. Runs on the audio thread."""
        if self._dirty:
            self._order()
        tk.clear(self.buffers, self._live, n)

    def _order(self) -> None:
        self._live = np.array([t.buffer for t in self._by_buffer if t is not None], dtype=np.int64)
        self.removing = [t for t in self.removing if self._by_buffer[t.buffer] is t]
        by_depth: dict[int, list[int]] = {}
        sends = []
        for track in self._by_buffer:
            if track is None or track.role == MAIN:
                continue
            if track.role == SEND:
                sends.append(track.buffer)
            else:
                by_depth.setdefault(track.depth, []).append(track.buffer)
        self._levels = [np.array(by_depth[d], dtype=np.int64) for d in sorted(by_depth, reverse=True)]
        self._send_order = np.array(sends, dtype=np.int64)
        self._spatial_order = np.array([t.buffer for t in self._by_buffer if t is not None and t.spatial],
                                       dtype=np.int64)
        self._by_depth = np.concatenate([by_depth[d] for d in sorted(by_depth)]).astype(np.int64) \
            if by_depth else np.zeros(0, dtype=np.int64)
        for track in self._by_buffer:
            if track is not None:
                self._parents[track.buffer] = track.parent.buffer if track.parent is not None else 0
        self._dirty = False

    def spatialize(self, ctx: ChunkContext) -> None:
        """Where the spatial tracks are from their listeners this chunk, before the voices render (their
        pitch follows a moving emitter). Runs on the audio thread."""
        if self._dirty:
            self._order()
        if not len(self._spatial_order) or self.listeners is None:
            return
        own = self._own_doppler
        sk.spatialize(self._spatial_order, len(self._spatial_order), self.spatial_table, self.table.rows,
                      self.listeners.state, self.listeners.generations, ctx.frame, ctx.n, float(ctx.sample_rate),
                      ctx.clock_times, ctx.clock_ticking, ctx.clock_generations, ctx.source_values,
                      ctx.source_generations, self.scratch, self.spatial_state, own, self.shared)
        sk.inherit_doppler(self._by_depth, len(self._by_depth), self._parents, own, self.doppler, ctx.n)

    def process(self, ctx: ChunkContext, out: np.ndarray) -> None:
        """Mix every track into ``out`` (shape (n, 2)). Runs on the audio thread."""
        if self._dirty:
            self._order()
        n = ctx.n
        seconds = n / ctx.sample_rate
        fall = 10.0 ** (-PEAK_FALL_DB_PER_SECOND * seconds / 20.0)
        smoothing = math.exp(-seconds / RMS_SECONDS)
        args = (self.buffers, self.table.rows, ctx.frame, n, ctx.clock_times, ctx.clock_ticking,
                ctx.clock_generations, ctx.source_values, ctx.source_generations, self.scratch, fall, smoothing,
                self.shared)
        for level in self._levels:
            self._effects(level, ctx)
            self._route(level, args)
        if len(self._send_order):
            self._effects(self._send_order, ctx)
            self._route(self._send_order, args)
        main = self._by_buffer[MAIN_INDEX]
        if main is not None and main.effects and self.effects is not None:
            self.effects.process(main, ctx)
        tk.finish(self.tracks_table, *args, out)
        self._finish_removals()

    def _effects(self, order: np.ndarray, ctx: ChunkContext) -> None:
        if self.effects is None:
            return
        for index in order:
            track = self._by_buffer[index]
            if track is not None and track.effects:
                self.effects.process(track, ctx)

    def _route(self, order: np.ndarray, args: tuple) -> None:
        buffers, rows, frame, n, times, ticking, clock_generations, values, generations, scratch, fall, smoothing, \
            shared = args
        tk.route(order, len(order), self.tracks_table, self.routes, self.send_base, self.spatial_state, buffers, rows,
                 frame, n, times, ticking, clock_generations, values, generations, scratch, fall, smoothing, shared,
                 self.levels)

    def _finish_removals(self) -> None:
        done = [t for t in self.removing if t.faded_out]
        if not done:
            return
        self.removing = [t for t in self.removing if not t.faded_out]
        for track in done:
            if self._by_buffer[track.buffer] is track:
                module = self.sends if track.role == SEND else self.tracks
                module.remove(track.key, "track removed")

    def reset_main(self, error: Exception) -> None:
        main = self._by_buffer[MAIN_INDEX]
        if main is not None:
            main.volume.reset(0.0)
            main.fade.reset(0.0)
            self.events.push(Event("error", main.key, {"message": f"main track: {type(error).__name__}: {error}"}))
