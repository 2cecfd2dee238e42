"""A Python client generated from the live schema by openapi-python-client works against the service."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.service.support import wait_until, write_wav

pytestmark = pytest.mark.slow

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# openapi-python-client 0.29 writes `body: A | B | Unset` for a request body with two media types
# (POST /api/sounds takes multipart or JSON) without importing Unset; the import is added after
# generating, and nothing else about the client is touched.
ADD_UNSET = """
import pathlib, re
for path in pathlib.Path(".").rglob("*.py"):
    text = path.read_text()
    if "| Unset" in text and not re.search(r"from \\.\\.\\.types import [^\\n]*\\bUnset\\b", text):
        path.write_text(text.replace("from ...types import", "from ...types import Unset\\nfrom ...types import", 1))
"""


@pytest.fixture(scope="module")
def client_package(server, tmp_path_factory):
    """Generate the client from /openapi.json into a folder of its own and import it."""
    folder = tmp_path_factory.mktemp("generated")
    schema = folder / "openapi.json"
    schema.write_text(json.dumps(httpx.get(server.url + "/openapi.json").json()))
    config = folder / "config.json"
    hook = folder / "add_unset.py"
    hook.write_text(ADD_UNSET)
    config.write_text(json.dumps({"post_hooks": [f"{sys.executable} {hook}", "ruff format ."]}))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(schema), "--output-path", str(folder / "mixdeck_client"),
         "--meta", "none", "--config", str(config)],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    # Nothing of the schema may be dropped: the generator names each model it could not build.
    assert "Unable to process schema" not in done.stdout + done.stderr, done.stdout
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("mixdeck_client")
    finally:
        sys.path.remove(str(folder))


def module(package, name):
    return importlib.import_module(f"{package.__name__}.{name}")


def test_a_generated_client_uploads_plays_changes_and_stops_a_voice(server, client_package, tmp_path):
    pkg = client_package
    api_sounds = module(pkg, "api.sounds")
    models, types = module(pkg, "models"), module(pkg, "types")
    sounds_add, sounds_play = module(pkg, "api.sounds.sounds_add"), module(pkg, "api.sounds.sounds_play")
    voices_set, voices_stop = module(pkg, "api.voices.voices_set"), module(pkg, "api.voices.voices_stop")
    voices_get, clocks_add = module(pkg, "api.voices.voices_get"), module(pkg, "api.clocks.clocks_add")
    assert api_sounds is not None
    client = pkg.Client(base_url=server.url)

    wav = write_wav(tmp_path / "generated.wav", seconds=2.0).read_bytes()
    body = models.SoundsAddFilesBody(file=types.File(payload=wav, file_name="generated.wav", mime_type="audio/wav"))
    sound = sounds_add.sync(client=client, body=body)
    assert isinstance(sound, models.Sound), sound
    assert sound.name == "generated.wav" and sound.frames == 96000

    voice = sounds_play.sync(sound.id, client=client, body=models.PlaySettings(volume=-12.0, loop=True))
    assert isinstance(voice, models.Voice), voice
    assert voice.state == models.VoiceState.PLAYING and voice.sound == sound.id

    changed = voices_set.sync(voice.id, client=client, body=models.VoicePatch(panning=-0.5, volume=-18.0))
    assert isinstance(changed, models.Voice), changed
    wait_until(lambda: voices_get.sync(voice.id, client=client).panning == pytest.approx(-0.5))

    stopped = voices_stop.sync(voice.id, client=client, body=models.VoiceFade(tween=models.Tween(duration=0.01)))
    assert isinstance(stopped, models.Voice)
    wait_until(lambda: isinstance(voices_get.sync(voice.id, client=client), models.Problem))

    clock = clocks_add.sync(
        client=client, body=models.ClockAdd(speed=models.ClockSpeed(ticks_per_minute=120.0), start=True)
    )
    assert isinstance(clock, models.Clock), clock
    assert clock.id.startswith("clock-") and clock.speed.ticks_per_minute == 120.0


def test_a_generated_client_reads_a_422_as_a_problem_naming_the_field(server, client_package):
    pkg = client_package
    models = module(pkg, "models")
    sounds_play = module(pkg, "api.sounds.sounds_play")
    client = pkg.Client(base_url=server.url)
    answer = sounds_play.sync_detailed("drum.wav", client=client, body=models.PlaySettings(panning=3.0))
    assert answer.status_code == 422
    problem = answer.parsed
    assert isinstance(problem, models.Problem), answer.content
    assert problem.status == 422 and [e.field for e in problem.errors] == ["panning"]
    missing = sounds_play.sync("no-such-sound", client=client, body=models.PlaySettings())
    assert isinstance(missing, models.Problem) and missing.status == 404
