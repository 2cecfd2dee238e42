"""The README's second Python snippet (tracks, effects, space, streaming) runs as written and does what it says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_the_mix_snippet_runs_as_written(tmp_path):
    snippet = next(b for b in re.findall(r"```python\n(.*?)```", README, re.S) if "add_spatial_sub_track" in b)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXDECK_")}
    done = subprocess.run([sys.executable, "-c", snippet], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    shape, volume, state, distance = done.stdout.rsplit(maxsplit=3)
    assert shape.replace(" ", "") == "(48000,2)"
    assert abs(float(volume) + 12.0) < 1e-6  # the one-second tween has arrived
    assert state.endswith("PLAYING")  # the streaming ambience, five seconds long, plays on
    # Three seconds' walk from (2, 0, 0) to (20, 0, -5): a third of the way after one second.
    start, end = (2.0, 0.0, 0.0), (20.0, 0.0, -5.0)
    third = [a + (b - a) / 3 for a, b in zip(start, end, strict=True)]
    assert abs(float(distance) - sum(v * v for v in third) ** 0.5) < 0.05
    assert (tmp_path / "ambience.flac").exists() and (tmp_path / "tone.wav").exists()
