"""The audio process: the Backend and the output's callback, in a process of their own.

Started as a spare (``spare.py``): it loads its code and the render kernels,
then receives its configuration and its pipes and shared memory (passed
over a socket) from ``supervisor.AudioProcess``. It builds the Backend over
the shared memory, opens
the output (whose thread is the audio thread), says it is ready, and then
its main thread only keeps a heartbeat and waits for the caller's process to
go away (the lifeline pipe reaching its end), when it closes the output and
exits.

Logging: the main thread and the device watchdog log through a handler that
sends records to the caller's process over the control pipe; the audio
thread never logs, it only counts (in the shared header).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import select
import sys
import time
from typing import Any

import numpy as np

from ..backend import Backend
from ..channel import CommandReceiver, EventSender, PipeReader, PipeWriter, frame
from ..memory import SharedMemory
from ..output.stats import OutputStats
from ..settings import AudioManagerSettings, Capacities
from ..shared import SharedState
from ..warmup import warm_up

HEARTBEAT_SECONDS = 0.1
LOG_BYTES = 3000  # a record stays within one atomic pipe write (PIPE_BUF is 4096)


class ControlHandler(logging.Handler):
    """Sends log records to the caller's process; drops them when the pipe is full."""

    def __init__(self, control: PipeWriter) -> None:
        super().__init__()
        self._control = control

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()[:LOG_BYTES]
            self._control.write(frame(("log", record.levelno, record.name, message)))
        except Exception:  # noqa: BLE001 - logging must never take the process down
            pass


def realtime(priority: int, stats: OutputStats) -> None:
    """Ask for SCHED_FIFO for the calling thread (the audio thread); record whether it was granted."""
    if priority <= 0 or not hasattr(os, "sched_setscheduler"):
        stats.set("realtime", 0)
        return
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(priority))
        stats.set("realtime", priority)
    except OSError:
        stats.set("realtime", -1)


def settings_from(config: dict[str, Any]) -> AudioManagerSettings:
    values = dict(config["settings"])
    values["capacities"] = Capacities(**values["capacities"])
    return AudioManagerSettings(**values)


def main(config: dict[str, Any]) -> int:
    fds = config["fds"]
    control = PipeWriter(fds["control"])
    log = logging.getLogger("mixdeck")
    audio_log = logging.getLogger("mixdeck.audio")
    log.handlers[:] = [ControlHandler(control)]
    log.setLevel(logging.INFO)
    log.propagate = False
    settings = settings_from(config)
    state = SharedMemory.attach(fds["state"], config["state_size"], "state")
    pool = SharedMemory.attach(fds["pool"], config["pool_size"], "sounds")
    shared = SharedState(settings, state)
    header = shared.header[0]
    header["pid"] = os.getpid()
    audio_log.info("audio process %d ready (its code and render kernels loaded in %.2f s)", os.getpid(),
             config.get("loaded_seconds", 0.0))
    backend = Backend(settings, CommandReceiver(PipeReader(fds["commands"]), OutputStats(shared.header).waited),
                      EventSender(PipeWriter(fds["events"]), settings.event_capacity), shared,
                      pool.array(np.float32, 0, pool.size // 4))
    stats = OutputStats(shared.header)
    stats.set("realtime", 0)
    output = open_output(settings, backend, stats)
    stats.set("connected", 1)
    control.write(frame(("ready", output.describe())))
    # What exists now lives as long as the process: keep the collector from walking it again.
    gc.collect()
    gc.freeze()
    output.start()
    lifeline = fds["lifeline"]
    reported_realtime = False
    last_info = (int(header["disconnects"]), int(header["reopens"]))
    try:
        while True:
            readable, _, _ = select.select([lifeline], [], [], HEARTBEAT_SECONDS)
            if readable and not os.read(lifeline, 64):
                break
            header["alive"] += 1
            if not reported_realtime and int(header["callbacks"]) > 0:
                reported_realtime = True
                granted = int(header["realtime"])
                if granted > 0:
                    audio_log.info("audio thread runs with real-time priority (SCHED_FIFO %d)", granted)
                elif settings.realtime_priority > 0:
                    audio_log.warning("audio thread runs without real-time priority: the system refused SCHED_FIFO "
                                "(allow it with 'ulimit -r' / rtprio in limits.conf, or CAP_SYS_NICE in a container)")
            info = (int(header["disconnects"]), int(header["reopens"]))
            if info != last_info:
                last_info = info
                control.write(frame(("info", output.describe())))
    finally:
        output.close()
    return 0


def open_output(settings: AudioManagerSettings, backend: Backend, stats: OutputStats) -> Any:
    def on_start() -> None:
        realtime(settings.realtime_priority, stats)

    if settings.output == "null":
        from ..output.null import NullOutput

        return NullOutput(backend, settings.sample_rate, settings.block_size, stats, on_start)
    from ..output.device import DeviceOutput

    return DeviceOutput(backend, settings.sample_rate, settings.block_size, settings.device, stats=stats,
                        on_start=on_start)


def run_spare() -> None:
    """A spare audio process: load everything, then wait for a configuration (see spare.py)."""
    from .spare import receive

    started = time.perf_counter()
    warm_up()
    loaded = time.perf_counter() - started
    config, fds = receive(int(sys.argv[1]))
    config["loaded_seconds"] = loaded
    config["fds"] = dict(zip(config.pop("fd_names"), fds))
    try:
        code = main(config)
    except Exception as error:  # noqa: BLE001 - tell the caller's process why, then go
        try:
            PipeWriter(config["fds"]["control"]).write(frame(("fatal", f"{type(error).__name__}: {error}")))
        except Exception:  # noqa: BLE001
            pass
        code = 1
    sys.exit(code)

