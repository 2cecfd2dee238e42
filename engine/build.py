"""What a kind's ``build`` needs from the manager: the channel, the shared state, and room in shared memory.

Large data — a sound's frames, an effect's delay line — is placed in the
shared pool here, on the caller's side, so the audio thread never
allocates. Each piece belongs to the key it was placed for and is given
back when that key's slot is collected; a sound's frames are given back once
no voice plays them and the sound itself is gone.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from .arena import Key
from .memory import Pool, Region

if TYPE_CHECKING:
    from .channel import CommandChannel
    from .settings import AudioManagerSettings
    from .shared import SharedState
    from .sound.data import StaticSoundData


class BuildContext:
    def __init__(self, settings: "AudioManagerSettings", channel: "CommandChannel", shared: "SharedState",
                 pool: Pool, main_track: Key) -> None:
        self.settings = settings
        self.sample_rate = settings.sample_rate
        self.chunk_size = settings.internal_chunk_size
        self.channel = channel
        self.shared = shared
        self.pool = pool
        self.main_track = main_track
        # The manager, for handles that add Things themselves (a track adds sub tracks and plays sounds).
        self.manager: Any = None
        self._lock = threading.Lock()
        self._owned: dict[Key, list[Callable[[], None]]] = defaultdict(list)
        # Sounds placed in the pool: the id of their frames' view, its region, who plays it, whether it is gone.
        self._sounds: dict[int, Region] = {}
        self._players: dict[Region, set[Key]] = {}
        self._orphans: set[Region] = set()

    def share_sound(self, key: Key, data: "StaticSoundData") -> int:
        """Where ``data``'s padded frames are in the pool (a float32 index); ``key`` plays them.

        The first time, the frames are copied into the pool and the data's
        storage is pointed at the copy, so the sound is held once.
        """
        storage = data.storage
        with self._lock:
            region = self._sounds.get(id(storage.padded))
            if region is None:
                padded = storage.padded
                region = self.pool.allocate(padded.nbytes, f"the frames of {data.name or 'a sound'}")
                view = self.pool.memory.array(np.float32, region.offset, padded.size).reshape(padded.shape)
                view[...] = padded
                storage.padded = view
                self._sounds[id(view)] = region
                self._players[region] = set()
                weakref.finalize(view, self._forget_sound, id(view), region)
            self._players[region].add(key)
            self._owned[key].append(lambda: self._stop_playing(region, key))
        return region.offset // 4

    def send_row(self, key: Key) -> int:
        """The row of send track ``key`` in the shared track records (after the main and sub tracks)."""
        return 1 + self.settings.capacities.sub_tracks + key.index

    def track_row(self, key: Key) -> int:
        return self.send_row(key) if key.kind == "send" else key.index

    def allocate(self, key: Key, size: int, what: str) -> Region:
        """``size`` zeroed bytes of the pool for ``key``'s Thing, given back with its slot."""
        region = self.pool.allocate(size, what)
        with self._lock:
            self._owned[key].append(lambda: self.pool.free(region))
        return region

    def on_release(self, key: Key, release: Callable[[], None]) -> None:
        """Call ``release`` when ``key``'s slot is collected (a stream's file is closed then)."""
        with self._lock:
            self._owned[key].append(release)

    def memory(self, region: Region) -> np.ndarray:
        """The bytes of ``region`` (a view of the pool)."""
        return self.pool.memory.array(np.uint8, region.offset, region.size)

    def release(self, key: Key) -> None:
        """Give back what ``key``'s Thing held; called when its slot is collected (or its command failed)."""
        with self._lock:
            releases = self._owned.pop(key, [])
        for release in releases:
            release()

    def _stop_playing(self, region: Region, key: Key) -> None:
        with self._lock:
            players = self._players.get(region)
            if players is None:
                return
            players.discard(key)
            free = not players and region in self._orphans
            if free:
                self._orphans.discard(region)
                del self._players[region]
        if free:
            self.pool.free(region)

    def _forget_sound(self, view_id: int, region: Region) -> None:
        """The sound's frames are no longer referenced: free them once no voice plays them."""
        with self._lock:
            if self._sounds.get(view_id) is region:
                del self._sounds[view_id]
            players = self._players.get(region)
            free = players is not None and not players
            if free:
                del self._players[region]
            elif players is not None:
                self._orphans.add(region)
        if free:
            self.pool.free(region)
