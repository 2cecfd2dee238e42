"""Native libraries' writes to stderr, turned into log records.

libmpg123 (inside libsndfile), ALSA, JACK and PortAudio print warnings
straight to file descriptor 2, past Python's logging: they interleave with
the service's log lines and cannot be filtered or shipped. After
``route_native_stderr()``, file descriptor 2 is a pipe read by a daemon
thread that turns each line into a WARNING record on one logger, while
Python's own ``sys.stderr`` and the logging handlers that wrote to it write
to a duplicate of the original descriptor, so they reach the terminal as
before and never feed back into the pipe.

File descriptor 2 belongs to the process, so the routing is kept per process
(module state): routing twice changes nothing but the logger's name.
"""

from __future__ import annotations

import atexit
import faulthandler
import logging
import os
import sys
import threading
from dataclasses import dataclass
from typing import TextIO

# A line longer than this is forwarded in pieces, so a writer that never
# ends a line cannot grow the reader's buffer without bound.
_MAX_LINE_BYTES = 64 * 1024
_DRAIN_SECONDS = 2.0

_lock = threading.Lock()
_routing: _Routing | None = None
_atexit_registered = False


@dataclass(slots=True)
class _Routing:
    logger_name: str
    saved_fd: int                    # a duplicate of the original fd 2
    pipe_read_fd: int
    pipe_write_fd: int
    stream: TextIO                   # Python-level stderr on saved_fd
    old_stderr: TextIO | None        # sys.stderr before routing, when it wrote to fd 2
    old_dunder_stderr: TextIO | None  # sys.__stderr__ likewise
    reader: threading.Thread | None = None
    faulthandler_moved: bool = False


def route_native_stderr(logger_name: str = "mixdeck.native") -> None:
    """Send whatever C code writes to file descriptor 2 to the logger ``logger_name``.

    Each line becomes one WARNING record, decoded as UTF-8 with undecodable
    bytes replaced. ``sys.stderr`` (when it wrote to descriptor 2), the
    logging handlers that wrote to it, and faulthandler are moved to a
    duplicate of the original descriptor, so their output reaches the
    terminal unchanged. Safe to call more than once (a later call only
    changes the logger); does nothing where descriptor 2 cannot be
    duplicated or replaced (closed, or no pipes). Lines still in the pipe at
    interpreter exit are forwarded before it ends.
    """
    global _routing, _atexit_registered
    with _lock:
        if _routing is not None:
            _routing.logger_name = logger_name
            return
        try:
            saved_fd = os.dup(2)
        except OSError:
            return
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            os.close(saved_fd)
            return
        stream = _stream_on(saved_fd)
        routing = _Routing(logger_name, saved_fd, read_fd, write_fd, stream,
                           sys.stderr if _writes_to_fd_2(sys.stderr) else None,
                           sys.__stderr__ if _writes_to_fd_2(sys.__stderr__) else None)
        # Python's writers move first: until fd 2 is the pipe, both reach the same terminal.
        _move_python_stderr(routing, towards=stream)
        try:
            os.dup2(write_fd, 2)
        except OSError:
            _move_python_stderr(routing, towards=None)
            stream.close()
            for fd in (saved_fd, read_fd, write_fd):
                os.close(fd)
            return
        if faulthandler.is_enabled():
            # A crash report written into the pipe would die with the reader thread.
            faulthandler.enable(file=stream, all_threads=True)
            routing.faulthandler_moved = True
        routing.reader = threading.Thread(target=_forward, args=(routing,), name="native-stderr", daemon=True)
        _routing = routing
        routing.reader.start()
        if not _atexit_registered:
            atexit.register(restore_native_stderr)
            _atexit_registered = True


def restore_native_stderr() -> None:
    """Give file descriptor 2 back to the original stderr, after forwarding what the pipe still holds.

    Undoes ``route_native_stderr`` (handlers and ``sys.stderr`` included);
    does nothing when stderr is not routed. Waits up to 2 s for the reader.
    """
    global _routing
    with _lock:
        routing, _routing = _routing, None
    if routing is None:
        return
    os.dup2(routing.saved_fd, 2)
    # The reader sees the end of the pipe once no descriptor writes to it (a
    # child process started meanwhile may still hold it: hence the timeout).
    os.close(routing.pipe_write_fd)
    assert routing.reader is not None
    routing.reader.join(_DRAIN_SECONDS)
    _move_python_stderr(routing, towards=None)
    if routing.faulthandler_moved:
        faulthandler.enable(file=sys.stderr, all_threads=True)
    routing.stream.flush()
    if not routing.reader.is_alive():
        routing.stream.close()
        os.close(routing.saved_fd)


def _forward(routing: _Routing) -> None:
    """Runs on the reader thread: one WARNING record per line until the pipe ends."""
    pending = b""
    with os.fdopen(routing.pipe_read_fd, "rb", buffering=0) as pipe:
        while True:
            chunk = pipe.read(_MAX_LINE_BYTES)
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                _emit(routing, line)
            while len(pending) >= _MAX_LINE_BYTES:
                _emit(routing, pending[:_MAX_LINE_BYTES])
                pending = pending[_MAX_LINE_BYTES:]
    _emit(routing, pending)


def _emit(routing: _Routing, line: bytes) -> None:
    text = line.decode("utf-8", errors="replace").rstrip("\r")
    # Blank lines carry nothing a reader of the log could use.
    if text.strip():
        logging.getLogger(routing.logger_name).warning("%s", text)


def _stream_on(fd: int) -> TextIO:
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    return open(fd, "w", buffering=1, encoding=encoding, errors="backslashreplace", closefd=False)


def _writes_to_fd_2(stream: object) -> bool:
    try:
        return stream is not None and stream.fileno() == 2  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


def _move_python_stderr(routing: _Routing, towards: TextIO | None) -> None:
    """Point ``sys.stderr``, ``sys.__stderr__`` and their handlers at ``towards``, or back when None."""
    for name, old in (("stderr", routing.old_stderr), ("__stderr__", routing.old_dunder_stderr)):
        if old is None:
            continue
        old.flush()
        if towards is not None:
            _repoint_handlers(old, towards)
            setattr(sys, name, towards)
        else:
            _repoint_handlers(routing.stream, old)
            if getattr(sys, name) is routing.stream:
                setattr(sys, name, old)


def _repoint_handlers(old: TextIO, new: TextIO) -> None:
    """Move every logging handler attached to a logger that writes to ``old`` onto ``new``."""
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [item for item in logging.Logger.manager.loggerDict.values() if isinstance(item, logging.Logger)]
    for logger in loggers:
        for handler in list(logger.handlers):
            if isinstance(handler, logging.StreamHandler) and handler.stream is old:
                handler.setStream(new)
