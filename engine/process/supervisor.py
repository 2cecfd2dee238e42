"""The caller's side of the audio process: starting it, hearing from it, and replacing it when it fails.

Python threads share one interpreter lock, so an audio thread beside a busy
caller (a web server) waits for it many times a block. In a process of its
own the Backend waits for no one. What crosses: commands one way through a
pipe, events and log records the other way through two more, and everything
handles read through shared memory. Sound frames sit in shared memory from
the start, so nothing large is ever sent.

A watchdog thread notices within a second when the audio process exits,
stops renewing its heartbeat, or stops rendering while its output is
connected. It then kills it, reports an ``audio_process_restarted`` event,
reports the voices that were playing as ended, and starts a new one that
gets the mixer, clocks and modulators back as they were; commands sent in
the meantime wait and follow.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import selectors
import subprocess
import threading
import time
from typing import Any, Callable

from ..channel import (CommandChannel, Event, EventQueue, Frames, PipeReader, PipeWriter, QueueTransport,
                       frame)
from ..errors import AudioProcessLost, OutputError
from ..memory import SharedMemory
from ..settings import AudioManagerSettings
from ..shared import SharedState
from .spare import take as take_spare

log = logging.getLogger("mixdeck.audio")

WATCH_SECONDS = 0.1
# A heartbeat or a block older than this is a stall.
STALL_SECONDS = 1.0
# After a start, the output gets this long to render its first blocks (a device may be slow to open).
GRACE_SECONDS = 3.0
# The first start on a machine compiles the render kernels, which takes a while.
READY_SECONDS = 180.0
CLOSE_SECONDS = 5.0


class _Child:
    """One audio process and the caller's ends of its pipes."""

    def __init__(self, settings: AudioManagerSettings, state: SharedMemory, pool: SharedMemory) -> None:
        commands_r, commands_w = os.pipe()
        events_r, events_w = os.pipe()
        control_r, control_w = os.pipe()
        lifeline_r, lifeline_w = os.pipe()
        config = {
            "settings": dataclasses.asdict(settings),
            "fd_names": ["commands", "events", "control", "lifeline", "state", "pool"],
            "state_size": state.size,
            "pool_size": pool.size,
        }
        spare = take_spare()
        self.process = spare.process
        spare.configure(config, [commands_r, events_w, control_w, lifeline_r, state.fd, pool.fd])
        for fd in (commands_r, events_w, control_w, lifeline_r):
            os.close(fd)
        self.commands = PipeWriter(commands_w)
        self.events = PipeReader(events_r)
        self.control = PipeReader(control_r)
        self.lifeline = lifeline_w

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.close_pipes()

    def close_pipes(self) -> None:
        for end in (self.commands, self.events, self.control):
            end.close()
        try:
            os.close(self.lifeline)
        except OSError:
            pass


class AudioProcess:
    """Runs the Backend in a child process and keeps one running. See the module docstring."""

    def __init__(self, settings: AudioManagerSettings, state: SharedMemory, pool: SharedMemory,
                 shared: SharedState, events: EventQueue, restore: Callable[[], list[Any]],
                 voices_lost: Callable[[str], None]) -> None:
        self.settings = settings
        self._state = state
        self._pool = pool
        self._header = shared.header[0]
        self._events = events
        self._restore = restore
        self._voices_lost = voices_lost
        self.channel: CommandChannel | None = None
        self.restarts = 0
        self.last_fault = ""
        # Why the latest attempt to start a replacement failed (a device that cannot be opened), if it did.
        self.start_error = ""
        self._info: dict[str, Any] = {"kind": settings.output, "sample_rate": settings.sample_rate,
                                      "block_size": settings.block_size}
        self._closing = threading.Event()
        self._ready = threading.Event()
        self._fatal = ""
        # Commands sent before the first child is ready, or while one is replaced, wait here.
        self.transport: Any = QueueTransport()
        self._child: _Child | None = None
        self._reader: threading.Thread | None = None
        self._watchdog: threading.Thread | None = None

    # -- life -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the audio process and wait until it renders; raises OutputError if it cannot."""
        self._spawn()
        self._handover([])
        self._watchdog = threading.Thread(target=self._watch, name="mixdeck-audio-watchdog", daemon=True)
        self._watchdog.start()

    def _spawn(self) -> None:
        self._ready.clear()
        self._fatal = ""
        child = _Child(self.settings, self._state, self._pool)
        self._child = child
        self._reader = threading.Thread(target=self._read, args=(child,), name="mixdeck-audio-events", daemon=True)
        self._reader.start()
        deadline = time.monotonic() + READY_SECONDS
        while not self._ready.wait(0.05):
            if self._fatal or child.process.poll() is not None or time.monotonic() > deadline:
                reason = self._fatal or ("it exited with status %s" % child.process.poll()
                                         if child.process.poll() is not None else "it did not start in time")
                child.kill()
                raise OutputError(f"the audio process could not start the {self.settings.output} output: {reason}")

    def _handover(self, restore: list[Any]) -> None:
        """Point the channel at the new child: first what restores it, then what waited meanwhile."""
        child = self._child
        assert child is not None and self.channel is not None
        for start in range(0, len(restore), 256):
            self._write(child, frame(restore[start : start + 256]))
        waiting = self.transport.read() if isinstance(self.transport, QueueTransport) else b""
        self.channel.restart(child.commands, self._applied, extra=len(restore))
        if waiting:
            self._write(child, waiting)
        self.transport = child.commands
        self._started = time.monotonic()

    def _write(self, child: _Child, data: bytes) -> None:
        """Write to a new child's command pipe, waiting for room (this is never the audio thread)."""
        view = memoryview(data)
        while view:
            part = view[: child.commands.capacity // 2]
            while not child.commands.write(bytes(part)):
                if child.process.poll() is not None:
                    raise AudioProcessLost("the audio process exited while it was being started")
                time.sleep(0.005)
            view = view[len(part) :]

    def _applied(self) -> int:
        return int(self._header["applied"])

    def close(self) -> None:
        self._closing.set()
        child = self._child
        if child is None:
            return
        try:
            os.close(child.lifeline)  # the child sees the end of its lifeline, closes its output, exits
        except OSError:
            pass
        try:
            child.process.wait(CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()
        for end in (child.commands, child.events, child.control):
            end.close()
        if self._watchdog is not None and self._watchdog is not threading.current_thread():
            self._watchdog.join(CLOSE_SECONDS)

    def poll(self) -> None:
        """Events arrive on their own thread; nothing to do here."""

    def describe(self) -> dict[str, Any]:
        info = dict(self._info)
        info["connected"] = bool(self._header["connected"]) and self._ready.is_set()
        info["ready"] = self._ready.is_set()
        if self.start_error and not info["ready"]:
            info["last_error"] = self.start_error
        info["disconnects"] = int(self._header["disconnects"])
        info["reopens"] = int(self._header["reopens"])
        info["audio_process"] = {
            "pid": int(self._header["pid"]),
            "restarts": self.restarts,
            "last_fault": self.last_fault,
            "realtime_priority": int(self._header["realtime"]),
        }
        return info

    # -- hearing from the child ---------------------------------------------------------------

    def _read(self, child: _Child) -> None:
        """Events and control messages from one child, until its pipes close. Never the audio thread."""
        selector = selectors.DefaultSelector()
        selector.register(child.events.fd, selectors.EVENT_READ, "events")
        selector.register(child.control.fd, selectors.EVENT_READ, "control")
        streams = {"events": Frames(), "control": Frames()}
        open_ends = 2
        try:
            while open_ends:
                for key, _ in selector.select(timeout=0.5):
                    end = child.events if key.data == "events" else child.control
                    try:
                        data = os.read(end.fd, 1 << 16)
                    except BlockingIOError:
                        continue
                    except OSError:
                        data = b""
                    if not data:
                        selector.unregister(key.fd)
                        open_ends -= 1
                        continue
                    for payload in streams[key.data].feed(data):
                        if key.data == "events":
                            self._events.extend(payload)
                        else:
                            self._control(payload)
                if child.process.poll() is not None and not selector.select(timeout=0):
                    break
        except (OSError, ValueError):
            pass
        finally:
            selector.close()

    def _control(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            self._info = message[1]
            self._ready.set()
        elif kind == "info":
            self._info = message[1]
        elif kind == "log":
            _, level, name, text = message
            logging.getLogger(name if name.startswith("mixdeck") else "mixdeck.audio").log(level, "%s", text)
        elif kind == "fatal":
            self._fatal = message[1]

    # -- the watchdog -----------------------------------------------------------------------

    def _watch(self) -> None:
        """Notice a dead or stalled child and replace it. Runs on its own thread."""
        header = self._header
        alive, alive_at = int(header["alive"]), time.monotonic()
        blocks, blocks_at = int(header["blocks"]), time.monotonic()
        while not self._closing.wait(WATCH_SECONDS):
            child = self._child
            if child is None:
                continue
            now = time.monotonic()
            if int(header["alive"]) != alive:
                alive, alive_at = int(header["alive"]), now
            if int(header["blocks"]) != blocks or not header["connected"]:
                blocks, blocks_at = int(header["blocks"]), now
            code = child.process.poll()
            fault = ""
            if code is not None:
                fault = f"the audio process exited (status {code})"
            elif now - self._started > GRACE_SECONDS:
                if now - alive_at > STALL_SECONDS:
                    fault = f"the audio process stopped answering for {now - alive_at:.1f} s"
                elif now - blocks_at > STALL_SECONDS:
                    fault = f"the audio thread rendered nothing for {now - blocks_at:.1f} s"
            if not fault or self._closing.is_set():
                continue
            if not self.settings.restart_audio_process:
                log.error("%s; it is not restarted (restart_audio_process is off)", fault)
                self.last_fault = fault
                self._events.push(Event("error", None, {"message": fault}))
                return
            self._replace(child, fault)
            alive, alive_at = int(header["alive"]), time.monotonic()
            blocks, blocks_at = int(header["blocks"]), time.monotonic()

    def _replace(self, child: _Child, fault: str) -> None:
        assert self.channel is not None
        log.warning("%s; starting a new one", fault)
        self.last_fault = fault
        holding = QueueTransport()
        self.channel.restart(holding, self._applied)
        self.transport = holding
        child.kill()
        self._ready.clear()
        self._voices_lost("audio process restarted")
        self.restarts += 1
        self._events.push(Event("audio_process_restarted", None, {"reason": fault, "restarts": self.restarts}))
        while not self._closing.is_set():
            try:
                self._spawn()
                self._handover(self._restore())
                self.start_error = ""
                log.info("audio process %d is playing again", int(self._header["pid"]))
                return
            except (OutputError, AudioProcessLost) as error:
                if str(error) != self.start_error:
                    log.error("%s; trying again every second", error)
                self.start_error = str(error)
                self._closing.wait(1.0)
