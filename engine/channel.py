"""The channels between callers and the audio thread, within a process or across the process boundary.

Commands go one way, events the other, as length-prefixed pickled frames
over a ``Transport``: a pipe between the caller's process and the audio
process, or a queue of byte strings when the Backend renders in the
caller's process (the offline output). Both sides run the same code either
way, so what is tested offline is what the audio process receives.

``CommandChannel`` is bounded by a count of commands in flight: those sent
minus those the audio thread has applied (a counter in shared memory). A
full channel raises ``CommandQueueFull`` at the call and keeps what was
queued; the audio thread never waits for a caller, and callers never wait
for the audio thread. Callers share a lock among themselves only.
"""

from __future__ import annotations

import collections
import errno
import fcntl
import os
import pickle
import struct
import termios
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Protocol

from .arena import Key
from .errors import CommandQueueFull

_LENGTH = struct.Struct("<I")
PICKLE_PROTOCOL = 5
# Linux lets a pipe grow to /proc/sys/fs/pipe-max-size (1 MiB unless changed).
PIPE_BYTES = 1 << 20
READ_BYTES = 1 << 16


class Transport(Protocol):
    def write(self, data: bytes) -> bool:
        """Write all of ``data`` or none of it; False when there is no room."""

    def read(self) -> bytes:
        """Whatever has arrived (maybe b''); never blocks."""


class QueueTransport:
    """Byte strings handed over in one process (the offline output)."""

    def __init__(self) -> None:
        self._queue: collections.deque[bytes] = collections.deque()

    def write(self, data: bytes) -> bool:
        self._queue.append(data)
        return True

    def read(self) -> bytes:
        parts = []
        while True:
            try:
                parts.append(self._queue.popleft())
            except IndexError:
                return b"".join(parts)


class PipeWriter:
    """The writing end of a pipe to another process.

    A frame is written only when the pipe has room for all of it, so a
    write never blocks and never leaves half a frame behind.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        try:
            self.capacity = fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except OSError:
            self.capacity = fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
        self._pending = bytearray(4)

    def write(self, data: bytes) -> bool:
        fcntl.ioctl(self.fd, termios.FIONREAD, self._pending)
        waiting = int.from_bytes(self._pending, "little")
        if waiting + len(data) > self.capacity:
            return False
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]
        return True

    def close(self) -> None:
        _close(self.fd)


class PipeReader:
    """The reading end of a pipe, never blocking."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        os.set_blocking(fd, False)

    def read(self) -> bytes:
        parts = []
        while True:
            try:
                data = os.read(self.fd, READ_BYTES)
            except BlockingIOError:
                break
            except OSError as error:
                if error.errno in (errno.EAGAIN, errno.EINTR):
                    break
                raise
            if not data:
                break
            parts.append(data)
            if len(data) < READ_BYTES:
                break
        return b"".join(parts)

    def close(self) -> None:
        _close(self.fd)


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def frame(payload: Any) -> bytes:
    data = pickle.dumps(payload, protocol=PICKLE_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


class Frames:
    """Splits a byte stream back into the payloads of its frames."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Any]:
        if not data:
            return []
        buffer = self._buffer
        buffer += data
        payloads = []
        start = 0
        size = _LENGTH.size
        while len(buffer) - start >= size:
            (length,) = _LENGTH.unpack_from(buffer, start)
            if len(buffer) - start - size < length:
                break
            payloads.append(pickle.loads(buffer[start + size : start + size + length]))
            start += size + length
        del buffer[:start]
        return payloads


class CommandChannel:
    """The caller's side: bounded, all-or-nothing for a group of commands.

    ``applied`` reads how many commands the audio thread has applied so far.
    """

    def __init__(self, capacity: int, transport: Transport, applied: Callable[[], int]) -> None:
        self.capacity = capacity
        self._transport = transport
        self._applied = applied
        self._sent = 0
        self._queued_from = 0
        self._lock = threading.Lock()
        # Told of every group of commands sent, in order (the manager keeps what a new audio process needs).
        self.on_sent: Callable[[list[Any]], None] | None = None

    def send(self, command: Any) -> None:
        """Queue one command or raise ``CommandQueueFull``; never waits for the audio thread."""
        self.send_all((command,))

    def send_all(self, commands: Iterable[Any]) -> None:
        """Queue several commands, all or none; the audio thread applies them in the same block."""
        batch = list(commands)
        if not batch:
            return
        # The send time goes along, so the audio thread can measure how long commands wait.
        data = frame((time.monotonic(), batch))
        with self._lock:
            if self._sent - self._applied() + len(batch) > self.capacity:
                raise CommandQueueFull(self.capacity)
            if not self._transport.write(data):
                raise CommandQueueFull(self.capacity)
            self._sent += len(batch)
            if self.on_sent is not None:
                self.on_sent(batch)

    def restart(self, transport: Transport, applied: Callable[[], int], extra: int = 0) -> None:
        """Send through ``transport`` from now on (a new audio process, or a queue while one starts).

        Commands the old audio process did not apply are dropped from the
        count; ``extra`` counts commands written to the new transport directly
        (those that bring a new audio process back to where the old one was).
        Commands waiting in a queue that is being handed over stay counted.
        """
        with self._lock:
            waiting = 0
            if isinstance(self._transport, QueueTransport):
                waiting = self._sent - self._queued_from
            self._transport = transport
            self._applied = applied
            self._sent = applied() + extra + waiting
            self._queued_from = self._sent if isinstance(transport, QueueTransport) else 0

    def __len__(self) -> int:
        return max(0, self._sent - self._applied())


class CommandReceiver:
    """The audio thread's side.

    ``waited(seconds, count)``, when given, hears how long each group of
    commands waited between its send and the start of the block that applies it.
    """

    def __init__(self, transport: Transport, waited: Callable[[float, int], None] | None = None) -> None:
        self._transport = transport
        self._frames = Frames()
        self._waited = waited

    def drain(self, apply: Callable[[Any], None], failed: Callable[[Any, Exception], None]) -> int:
        """Apply every command that has arrived, in order. Runs on the audio thread.

        A command that raises is handed to ``failed``; the rest still apply.
        Returns how many commands were taken.
        """
        count = 0
        payloads = self._frames.feed(self._transport.read())
        now = time.monotonic() if payloads else 0.0
        for payload in payloads:
            sent, batch = payload if isinstance(payload, tuple) else (now, payload)
            if self._waited is not None:
                self._waited(now - sent, len(batch))
            for command in batch:
                count += 1
                try:
                    apply(command)
                except Exception as error:  # noqa: BLE001 - one bad command must not cost the block
                    failed(command, error)
        return count


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened on the audio thread.

    ``kind`` is 'sound_finished', 'clock_tick', 'error' or
    'audio_process_restarted'; ``data`` holds the details (for an error, a
    message; for a tick, the tick count and its output frame; for a sound
    that finished early, the reason).
    """

    kind: str
    key: Key | None
    data: dict = field(default_factory=dict)


class EventQueue:
    """Bounded; when callers do not read, the oldest events are dropped and counted."""

    def __init__(self, capacity: int) -> None:
        self._queue: collections.deque[Event] = collections.deque(maxlen=capacity)
        self.dropped = 0

    def push(self, event: Event) -> None:
        if len(self._queue) == self._queue.maxlen:
            self.dropped += 1
        self._queue.append(event)

    def extend(self, events: Iterable[Event]) -> None:
        for event in events:
            self.push(event)

    def pop_all(self) -> list[Event]:
        events = []
        while True:
            try:
                events.append(self._queue.popleft())
            except IndexError:
                return events


class EventSender:
    """The audio thread's side of the events: collected during a block, sent in one write after it.

    When the transport has no room, events wait for the next block; beyond
    ``limit`` waiting, the oldest are dropped and counted in ``dropped``.
    """

    def __init__(self, transport: Transport, limit: int) -> None:
        self._transport = transport
        self._events: list[Event] = []
        self._limit = limit
        self.dropped = 0

    def push(self, event: Event) -> None:
        """Runs on the audio thread."""
        events = self._events
        if len(events) >= self._limit:
            del events[0]
            self.dropped += 1
        events.append(event)

    def flush(self) -> None:
        """Runs on the audio thread, once per block."""
        if not self._events:
            return
        try:
            sent = self._transport.write(frame(self._events))
        except OSError:
            sent = False
        if sent:
            self._events = []
