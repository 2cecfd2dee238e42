"""A spare audio process: started early, it loads Python, numpy and the render kernels while the caller starts.

Most of an audio process's start is spent loading its code (about two
seconds on a small machine), and none of it depends on the manager's
settings. So a spare starts as soon as a program knows it will want one
(``mixdeck serve`` does, before it loads the web framework) and waits on a
socket; the manager then hands it its configuration and its pipes and shared
memory (file descriptors passed over the socket) and it carries on as any
audio process. Without a spare, the manager starts one and configures it at
once; it is the same path.

This module imports nothing heavy: it must be cheap to import early.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import threading

_lock = threading.Lock()
_waiting: "Spare | None" = None
# Set in the spare once its configuration has begun to arrive: the caller closing its end after sending it
# is then no reason to leave.
_configured = threading.Event()


class Spare:
    """An audio process that has loaded its code and waits for its configuration."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        # The child finds mixdeck where this process did, whatever put it on the path.
        script = ("import sys; sys.path[:0] = %r; from mixdeck.engine.process.spare import exit_with_caller; "
                  "exit_with_caller(int(sys.argv[1])); from mixdeck.engine.process.main import run_spare; run_spare()"
                  % [p for p in sys.path if p])
        self.process = subprocess.Popen([sys.executable, "-c", script, str(theirs.fileno())],
                                        pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, close_fds=True)
        theirs.close()
        self._socket = ours

    def configure(self, config: dict, fds: list[int]) -> None:
        """Send the configuration and the descriptors; the process starts its output."""
        message = json.dumps(config).encode()
        try:
            socket.send_fds(self._socket, [len(message).to_bytes(4, "little") + message], fds)
        finally:
            self._socket.close()

    def discard(self) -> None:
        self._socket.close()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def prestart() -> None:
    """Start a spare now, for the next AudioManager of this process to take (it is discarded at exit if not)."""
    global _waiting
    with _lock:
        if _waiting is None and hasattr(socket, "send_fds"):
            _waiting = Spare()
            atexit.register(_discard)


def take() -> Spare:
    """The spare started earlier if it is still alive, else a new one."""
    global _waiting
    with _lock:
        spare, _waiting = _waiting, None
    if spare is not None and spare.process.poll() is None:
        return spare
    if spare is not None:
        spare.discard()
    return Spare()


def _discard() -> None:
    global _waiting
    with _lock:
        spare, _waiting = _waiting, None
    if spare is not None:
        spare.discard()


def exit_with_caller(fd: int) -> None:
    """In the spare, first of all: leave at once if the caller goes away before it sends a configuration.

    Loading the kernels can take a minute when they are not cached yet; a
    spare whose caller was stopped (or killed) meanwhile must not go on
    compiling with no one to serve. A thread waits on the socket without
    taking what comes: the end of the stream exits, the configuration is
    left for ``receive``.
    """
    def watch() -> None:
        with socket.socket(fileno=os.dup(fd)) as sock:
            try:
                if sock.recv(1, socket.MSG_PEEK) or _configured.is_set():
                    return
            except OSError:
                pass
        os._exit(0)

    threading.Thread(target=watch, name="mixdeck-spare-lifeline", daemon=True).start()


def receive(fd: int) -> tuple[dict, list[int]]:
    """In the spare: wait for the configuration and descriptors (an empty read: the caller went away)."""
    sock = socket.socket(fileno=fd)
    try:
        head, fds, _flags, _address = socket.recv_fds(sock, 4, 16)
        if len(head) < 4:
            raise SystemExit(0)
        _configured.set()
        size = int.from_bytes(head, "little")
        body = b""
        while len(body) < size:
            part = sock.recv(size - len(body))
            if not part:
                raise SystemExit(0)
            body += part
        return json.loads(body), list(fds)
    finally:
        sock.close()
