"""The stream decoder: one thread of the caller's process that keeps every streaming sound's ring filled.

A streaming voice reads from a ring of frames in shared memory; each slot
holds one frame of the file and is tagged with that frame's index, written
after the frame, so the audio thread reads a tap only when its tag is
right and never waits. The decoder keeps the frames the voice will play
next, in play order (through its loop), decoded ahead of it; a seek starts
the refill at the new place before the audio thread even applies it. It
never overwrites a frame the voice still has to play. The audio thread
never decodes, opens files or waits: a frame that is not there yet makes the
voice play nothing for that chunk and counts an underflow.

A file that ends or fails before the frames it stated raises an error
event at once; its voice plays on through the frames that were decoded and
ends where they end (a loop past the cut is dropped). The other sounds play
on.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from ..arena import Key
from ..channel import Event
from .decode import DECODE_BLOCK_FRAMES, Reader

if TYPE_CHECKING:
    from ..channel import CommandChannel, EventQueue

log = logging.getLogger("mixdeck.engine")

# How often the thread looks at the streams when it has nothing to decode, in seconds.
IDLE_SECONDS = 0.005
# Frames kept decoded behind the play position: the tap before it, with a margin.
BEHIND = 4
# Frames after the old position a seek crossfades from (with room for the taps and a fast rate).
SEEK_FRAMES = 1024
# With more than half the window decoded ahead, the decoder waits until this many frames are missing,
# so it reads the file in pieces of a useful size rather than a block's worth per pass.
REFILL_FRAMES = 8192


class Present:
    """The frames known to be in a ring, as sorted runs, kept in step with every write to its tags.

    Only the decoder writes tags, so it can know what the ring holds
    without reading every tag of the window on every pass.
    """

    def __init__(self) -> None:
        self.runs: list[tuple[int, int]] = []

    def clear(self) -> None:
        self.runs = []

    def missing(self, a: int, b: int) -> list[tuple[int, int]]:
        """The parts of frames [a, b) not known to be in the ring."""
        gaps = []
        for c, d in self.runs:
            if d <= a:
                continue
            if c >= b:
                break
            if c > a:
                gaps.append((a, c))
            a = max(a, d)
            if a >= b:
                return gaps
        if a < b:
            gaps.append((a, b))
        return gaps

    def add(self, a: int, b: int) -> None:
        merged: list[tuple[int, int]] = []
        for c, d in sorted([*self.runs, (a, b)]):
            if merged and c <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], d))
            else:
                merged.append((c, d))
        self.runs = merged

    def wrote(self, a: int, b: int, ring: int) -> None:
        """Frames [a, b) were written: the frames that shared their slots are gone."""
        kept: list[tuple[int, int]] = []
        for c, d in self.runs:
            pieces = [(c, d)]
            for k in range((c - b) // ring, (d - a) // ring + 2):
                if k:
                    lo, hi = a + k * ring, b + k * ring
                    pieces = [part for x, y in pieces
                              for part in ((x, min(y, lo)), (max(x, hi), y)) if part[0] < part[1]]
            kept.extend(pieces)
        self.runs = kept
        self.add(a, b)


class Stream:
    """One streaming voice's file, ring and play position, as the decoder sees them."""

    def __init__(self, key: Key, sound_file: Any, name: str, frames: int, data: np.ndarray, tags: np.ndarray,
                 record: np.void, sample_rate: int, position: float, loop: tuple[int, int] | None) -> None:
        self.key = key
        self.file = sound_file
        self.name = name
        self.frames = frames
        self.channels = sound_file.channels
        self.data = data
        self.tags = tags
        self.size = len(tags)
        self.ring = ring_for(self.size, loop)
        self.record = record
        self.sample_rate = sample_rate
        self.loop = loop
        self.lock = threading.Lock()
        self.seek_target = position
        self.seek_from: float | None = None
        self.seeks_sent = 0
        self._at = 0
        self._read = Reader(sound_file)
        self._scratch = np.empty((DECODE_BLOCK_FRAMES, self.channels), dtype=np.float32)
        self.present = Present()
        self._ring = self.ring  # the modulus the decoder last wrote with
        self.failure: str | None = None
        self.failed_at = 0  # the first frame that could not be decoded, with ``failure``
        self.closed = False

    # -- what the caller's side tells it --------------------------------------------------------

    def seek(self, target: float) -> None:
        """A seek was sent: refill from ``target`` (frames) until the audio thread has applied it.

        The frames just after the old position stay too: the seek crossfades from them.
        """
        with self.lock:
            old = self.reader()
            self.seek_from = self.seek_from if old is None else old
            self.seek_target = target
            self.seeks_sent += 1

    def set_loop(self, loop: tuple[int, int] | None) -> int:
        """Follow a new loop region; returns the ring's modulus for it (the audio thread takes it too)."""
        with self.lock:
            # After a cut the file is as long as what decoded: a loop past it is dropped, as the voice drops it.
            self.loop = loop if loop is None or loop[1] <= self.frames else None
            self.ring = ring_for(self.size, loop)
            return self.ring

    # -- decoding -------------------------------------------------------------------------------

    def reader(self) -> float | None:
        """Where the voice plays now, in frames (None once it is gone)."""
        record = self.record
        if int(record["generation"]) != self.key.generation or int(record["removed"]) == self.key.generation:
            return None
        if int(record["seeks"]) < self.seeks_sent:
            return self.seek_target
        if int(record["state"]) == 6:
            return None
        return float(record["position"]) * self.sample_rate

    def window(self, reader: float, ahead: int) -> list[tuple[int, int]]:
        """The runs of frames the voice reads next, in play order: from just behind it, ``ahead`` frames on.

        A loop adds the run from just before its start (the taps right after
        the seam read there, as a static voice's do), once.
        """
        loop = self.loop
        position = max(int(reader) - BEHIND, 0)
        if loop is not None and position >= loop[1]:
            position = loop[0] + (position - loop[0]) % (loop[1] - loop[0])
        runs: list[tuple[int, int]] = []
        if self.seek_from is not None and int(self.record["seeks"]) < self.seeks_sent:
            old = max(int(self.seek_from) - 1, 0)
            runs.append((old, min(old + SEEK_FRAMES, self.frames)))
        left = ahead + BEHIND
        while left > 0:
            inside = loop is not None and position < loop[1]
            end = loop[1] if inside else self.frames  # type: ignore[index]
            take = min(end - position, left)
            if take <= 0:
                break
            runs.append((position, position + take))
            left -= take
            if not inside or position + take < end:
                break
            position = max(loop[0] - 1, 0)  # type: ignore[index]
            if any(a <= position and b >= end for a, b in runs):
                break  # the whole loop is in already
        return runs

    def fill(self, ahead: int, budget: int) -> int:
        """Decode up to ``budget`` missing frames of the window; returns how many were decoded."""
        with self.lock:
            reader = self.reader()
            if reader is None or self.failure is not None:
                return 0
            ring = self.ring
            runs = self.window(reader, min(ahead, ring - 2 * BEHIND))
        if ring != self._ring:
            self.present.clear()  # each frame now has another slot
            self._ring = ring
        gaps, before, length = [], None, 0
        for a, b in runs:
            for c, d in self.present.missing(a, b):
                gaps.append((c, d))
                before = length + c - a if before is None else before
            length += b - a
        if not gaps:
            return 0
        if before is not None and 2 * before > length and sum(d - c for c, d in gaps) < REFILL_FRAMES:
            return 0
        decoded = 0
        for a, b in gaps:
            frames = np.arange(a, b, dtype=np.int64)
            slots = frames % ring
            held = self.tags[slots]
            there = held == frames
            for start, stop in _spans(frames[there]):
                self.present.add(start, stop)
            missing = np.flatnonzero(~there)
            if not missing.size:
                continue
            # A slot still holding a frame the voice has yet to play is not taken: the window stops there.
            others = held[missing]
            taken = np.zeros(len(missing), dtype=bool)
            for c, d in runs:
                taken |= (others >= c) & (others < d)
            if taken.any():
                missing = missing[: int(np.argmax(taken))]
            for start, stop in _spans(frames[missing]):
                count = min(stop - start, budget - decoded)
                if count <= 0:
                    return decoded
                if not self._decode(start, count):
                    return decoded
                decoded += count
            if taken.any():
                break
        return decoded

    def _decode(self, start: int, count: int) -> bool:
        self.failed_at = start  # where a failure to seek or read leaves the file, until frames come
        if self._at != start:
            self.file.seek(start)
            self._at = start
        done = 0
        while done < count:
            block = self._scratch[: min(DECODE_BLOCK_FRAMES, count - done)]
            got, error = self._read(block)
            if got:
                frames = np.arange(start + done, start + done + got, dtype=np.int64)
                slots = frames % self._ring
                self.data[slots, 0] = block[:got, 0]
                self.data[slots, 1] = block[:got, 1 if self.channels > 1 else 0]
                # The tag last, after its frame: the audio thread reads the frame only once the tag says so.
                self.tags[slots] = frames
                self.present.wrote(start + done, start + done + got, self._ring)
            done += got
            self._at += got
            self.failed_at = start + done
            if error is not None or got == 0:
                self.failure = (f"{self.name}: decoding stopped at frame {start + done} of {self.frames}"
                                + (f" ({error})" if error else " (the file ended)"))
                return False
        return True

    def close(self) -> None:
        self.closed = True
        try:
            self.file.close()
        except Exception:  # noqa: BLE001 - a file that fails to close is already done with
            pass


def ring_for(size: int, loop: tuple[int, int] | None) -> int:
    """How many of a ring's ``size`` slots to use, so that a loop's seam never needs two frames in one slot.

    Frame f lives in slot f mod the modulus. Across a loop's seam the voice
    reads the frames before its end and those from just before its start
    close together; when (loop length + 1) mod the modulus is small they
    fall in the same slots and one would always be missing. A modulus is
    taken whose remainder leaves about a third of the ring either side.
    """
    if loop is None:
        return size
    span = loop[1] - loop[0] + 1
    if span <= size * 2 // 3:
        return size
    for modulus in range(size, size // 2, -1):
        if modulus // 3 <= span % modulus <= 2 * modulus // 3:
            return modulus
    return size


def _spans(frames: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive runs of a sorted array of frame indices, as (start, stop)."""
    if not frames.size:
        return []
    breaks = np.flatnonzero(np.diff(frames) != 1)
    starts = np.concatenate([[0], breaks + 1])
    stops = np.concatenate([breaks + 1, [frames.size]])
    return [(int(frames[s]), int(frames[e - 1]) + 1) for s, e in zip(starts, stops)]


class Decoder:
    """The manager's stream decoder. ``fill_all`` does one pass; ``start`` runs passes on a thread."""

    def __init__(self, ahead: int, events: "EventQueue", end_voice: Callable[[Key, int], None]) -> None:
        self.ahead = ahead
        self._events = events
        self._end_voice = end_voice
        self._streams: dict[Key, Stream] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closing = False
        self._thread: threading.Thread | None = None
        # Frames a pass may decode for one stream, and a pause after each pass that decoded something:
        # a test slows the decoder down through them to see underflows counted.
        self.budget = 1 << 16
        self.throttle = 0.0

    def add(self, stream: Stream) -> None:
        with self._lock:
            self._streams[stream.key] = stream
        self._wake.set()

    def stream(self, key: Key) -> Stream | None:
        return self._streams.get(key)

    def remove(self, key: Key) -> None:
        with self._lock:
            stream = self._streams.pop(key, None)
        if stream is not None:
            stream.close()

    def fill_all(self) -> int:
        """Decode what every stream needs next; returns the frames decoded."""
        with self._lock:
            streams = list(self._streams.values())
        total = 0
        for stream in streams:
            if stream.closed:
                continue
            try:
                total += stream.fill(self.ahead, self.budget)
            except Exception as error:  # noqa: BLE001 - a file that fails stops its own voice only
                stream.failure = f"{stream.name}: {type(error).__name__}: {error}"
            if stream.failure is not None:
                self._fail(stream)
        return total

    def _fail(self, stream: Stream) -> None:
        message, stream.failure = stream.failure, None
        end = min(stream.failed_at, stream.frames)
        if end >= stream.frames:
            end = 0  # a failure that does not shorten the file would recur on every pass: the voice stops now
        log.warning("streaming sound ends early: %s", message)
        self._events.push(Event("error", stream.key, {"message": message, "frame": end}))
        with stream.lock:
            # From now on the file is as long as what decoded: seeks inside it still refill.
            stream.frames = end
            if stream.loop is not None and stream.loop[1] > end:
                stream.loop = None  # the ring keeps its modulus: the voice reads with it
        try:
            self._end_voice(stream.key, end)
        except Exception:  # noqa: BLE001 - a full queue: the voice underflows until it is stopped
            pass
        if end == 0:
            self.remove(stream.key)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mixdeck-stream-decoder", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._closing:
            decoded = self.fill_all()
            if decoded == 0 or self.throttle:
                self._wake.wait(self.throttle or IDLE_SECONDS)
                self._wake.clear()

    def close(self) -> None:
        self._closing = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(2.0)
        with self._lock:
            streams, self._streams = list(self._streams.values()), {}
        for stream in streams:
            stream.close()
