"""A virtual sound device for tests: a JACK server on its dummy driver.

Debian's PortAudio is built with JACK support, so while a JACK server runs,
sounddevice lists a device named 'system' under the host API 'JACK Audio
Connection Kit'. The dummy driver consumes audio at real-time pace with no
hardware, samples stay float32 end to end at the server's rate (no resampling,
no ALSA plugin in the way), and a second JACK client (``jack_rec``) can record
exactly what our stream wrote to its output ports. The server runs in
synchronous mode, so on a busy machine a late block delays the graph instead
of being lost: the capture stays complete, and the lateness still reaches the
stream as an xrun (PortAudio's output underflow flag).

The server gets a name of its own (``jackd -n``) and every client here is
pointed at it through ``JACK_DEFAULT_SERVER``, so an existing JACK setup on
the machine is neither used nor disturbed. Needs the Debian package jackd2
(``scripts/bootstrap.sh test`` installs it).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

JACK_HOSTAPI = "JACK Audio Connection Kit"
REQUIRED_TOOLS = ("jackd", "jack_wait", "jack_lsp", "jack_rec")
READY_TIMEOUT = 15.0
SYNC_TIMEOUT_MS = 2000


RESTART_ATTEMPTS = 3


@dataclass
class JackDummyServer:
    """A running JACK dummy server and how to reach and record it."""

    name: str
    sample_rate: int
    block_size: int
    device: int
    """The sounddevice index of the server's playback device ('system')."""
    device_name: str
    env: dict[str, str]
    workdir: Path
    process: subprocess.Popen
    command: list[str] = field(default_factory=list)
    stopped_once: bool = False
    """The jackd command line, for ``restart``."""

    def log(self) -> str:
        return (self.workdir / "jackd.log").read_text(errors="replace")

    def stop(self) -> None:
        """Stop the server (its process, by PID), as a sound server that goes away.

        PortAudio is left as it is: a client of this process sees its server vanish.
        """
        self.stopped_once = True
        _stop(self.process)

    def restart(self) -> None:
        """Start a new server under the same name and settings after ``stop``; wait until it is ready.

        PortAudio is not re-initialised here: finding the server again is up
        to whoever uses it. The fixture stops this new process at the end.
        """
        if self.process.poll() is None:
            raise RuntimeError("the JACK server is still running; stop() it first")
        # A client that tries to reconnect at the moment the server starts (the engine's watchdog
        # does, every half second or more) can leave jackd's dummy driver unstarted; as an
        # operator would, start it again.
        for attempt in range(RESTART_ATTEMPTS):
            with open(self.workdir / "jackd.log", "ab") as log:
                self.process = subprocess.Popen(
                    self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
                )
            ready = subprocess.run(
                ["jack_wait", "-w", "-t", str(int(READY_TIMEOUT))], env=self.env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=READY_TIMEOUT + 5
            )
            if ready.returncode == 0 and self.process.poll() is None:
                return
            _stop(self.process)
        pytest.fail(f"jackd did not restart in {RESTART_ATTEMPTS} attempts: {ready.stdout}{ready.stderr}\n{self.log()}", pytrace=False)

    def client_output_ports(self) -> list[str]:
        """Output ports of clients other than the server itself, e.g. PortAudio:out_0."""
        listing = self._run("jack_lsp", "-p").stdout.splitlines()
        ports = []
        for name, props in zip(listing, listing[1:]):
            if not name.startswith(("\t", " ")) and "output" in props and not name.startswith("system:"):
                ports.append(name.strip())
        return sorted(ports)

    def wait_for_output_ports(self, count: int = 2, timeout: float = 10.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while True:
            ports = self.client_output_ports()
            if len(ports) >= count:
                return ports[:count]
            if time.monotonic() > deadline:
                pytest.fail(f"no client with {count} output ports appeared on JACK; ports: {ports}")
            time.sleep(0.05)

    def record(self, seconds: float, ports: list[str] | None = None) -> np.ndarray:
        """Record ``seconds`` of what the client output ports carry; float32, (frames, channels).

        ``jack_rec`` connects its inputs to those ports (an output may feed
        several inputs, so the playback to 'system' goes on) and writes 32-bit
        PCM; the first few milliseconds may be silence while it connects.
        """
        import soundfile

        ports = ports or self.wait_for_output_ports()
        path = self.workdir / f"capture-{uuid.uuid4().hex[:8]}.wav"
        result = self._run("jack_rec", "-f", str(path), "-d", str(seconds), "-b", "32", *ports, timeout=seconds + 20)
        if result.returncode != 0 or not path.exists():
            pytest.fail(f"jack_rec failed ({result.returncode}): {result.stdout}{result.stderr}")
        data, rate = soundfile.read(path, dtype="float32", always_2d=True)
        assert rate == self.sample_rate
        return data

    def _run(self, *args: str, timeout: float = 10.0) -> subprocess.CompletedProcess:
        return subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def _reinitialise_portaudio() -> None:
    """Make PortAudio enumerate host APIs again.

    PortAudio looks for a JACK server once, when it initialises; a server
    started (or stopped) later is seen only after a re-initialisation.
    """
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def jack_dummy_server(
    workdir: Path, sample_rate: int = 48000, block_size: int = 512, synchronous: bool = True
) -> Iterator[JackDummyServer]:
    """Start a JACK dummy server, wait until PortAudio sees it, stop it afterwards.

    Fails (never skips) when a JACK tool is missing: the test suite's
    bootstrap installs jackd2, so a missing binary is a broken setup.
    """
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not found: the device tests need a JACK server "
            "(Debian package jackd2; `scripts/bootstrap.sh test` installs it)",
            pytrace=False,
        )
    try:
        import sounddevice  # noqa: F401
    except OSError as exc:
        pytest.fail(f"PortAudio cannot be loaded (Debian package libportaudio2): {exc}", pytrace=False)

    name = f"mixdeck-test-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    overrides = {
        "JACK_DEFAULT_SERVER": name,
        # Clients must fail rather than start a server of their own.
        "JACK_NO_START_SERVER": "1",
        # No D-Bus device reservation: the dummy driver owns no hardware.
        "JACK_NO_AUDIO_RESERVATION": "1",
    }
    saved = {key: os.environ.get(key) for key in overrides}
    env = {**os.environ, **overrides}
    workdir.mkdir(parents=True, exist_ok=True)
    log = open(workdir / "jackd.log", "wb")
    # -r before -d: no real-time scheduling (needs no privileges); after -d: the rate.
    command = ["jackd", "-n", name, "-r"]
    if synchronous:
        # The server waits (up to -t ms) for a late client instead of playing
        # on without it, so a busy test machine cannot drop blocks.
        command += ["-S", "-t", str(SYNC_TIMEOUT_MS)]
    command += ["-d", "dummy", "-r", str(sample_rate), "-p", str(block_size)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    os.environ.update(overrides)
    server: JackDummyServer | None = None
    try:
        ready = subprocess.run(["jack_wait", "-w", "-t", str(int(READY_TIMEOUT))], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=READY_TIMEOUT + 5)
        if ready.returncode != 0 or process.poll() is not None:
            pytest.fail(f"jackd did not start: {ready.stdout}{ready.stderr}\n{(workdir / 'jackd.log').read_text(errors='replace')}", pytrace=False)
        _reinitialise_portaudio()
        import sounddevice as sd

        hostapis = [api["name"] for api in sd.query_hostapis()]
        if JACK_HOSTAPI not in hostapis:
            pytest.fail(f"PortAudio does not see the JACK server (host APIs: {hostapis}); is libportaudio2 built with JACK?", pytrace=False)
        api = sd.query_hostapis(hostapis.index(JACK_HOSTAPI))
        device = api["default_output_device"]
        info = sd.query_devices(device)
        server = JackDummyServer(
            name=name,
            sample_rate=sample_rate,
            block_size=block_size,
            device=device,
            device_name=info["name"],
            env=env,
            workdir=workdir,
            process=process,
            command=command,
        )
        yield server
    finally:
        # Release PortAudio's JACK client before its server goes away. A client whose server
        # went away mid-test cannot be terminated (PortAudio aborts): give that instance up
        # for a fresh one first, as the engine's device output does.
        try:
            import sounddevice

            if server is not None and server.stopped_once:
                from mixdeck.engine.output.portaudio import replace_library

                replace_library(sounddevice)
            sounddevice._terminate()
        except OSError:
            pass
        _stop(process)
        if server is not None and server.process is not process:
            _stop(server.process)  # started by restart()
        log.close()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        try:
            import sounddevice

            sounddevice._initialize()
        except OSError:
            pass


@pytest.fixture
def virtual_audio(tmp_path: Path) -> Iterator[JackDummyServer]:
    """A JACK dummy server at 48000 Hz, 512-frame periods, for one test."""
    with jack_dummy_server(tmp_path / "jack") as server:
        yield server


@pytest.fixture
def restartable_virtual_audio(tmp_path: Path) -> Iterator[JackDummyServer]:
    """A JACK dummy server for tests that stop and restart it under a running audio process.

    Not synchronous: a synchronous dummy server that was restarted can hold a
    new client's first cycles for good, which a real sound server does not do.
    """
    with jack_dummy_server(tmp_path / "jack", synchronous=False) as server:
        yield server
