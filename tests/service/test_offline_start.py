"""End to end on the offline output: a sound played through the API starts within one block."""

from __future__ import annotations

import numpy as np

from tests.service.support import write_wav

BLOCK = 256


def test_a_sound_played_through_the_api_starts_within_one_block_of_the_next_render(make_server, tmp_path):
    server = make_server(output="offline", block_size=BLOCK)
    manager = server.app.state.manager
    path = write_wav(tmp_path / "dc.wav", seconds=0.5, value=0.5)
    with server.http() as http:
        sound = http.post("/api/sounds", files={"file": ("dc.wav", path.read_bytes(), "audio/wav")}).json()
        # Start mid-way through a block, so block boundaries and render calls differ.
        silence = manager.render(BLOCK * 3 + 100)
        assert not silence.any()
        answer = http.post(f"/api/sounds/{sound['id']}/play", json={"volume": 0})
        assert answer.status_code == 201, answer.text
    out = manager.render(BLOCK * 4)
    nonzero = np.flatnonzero(np.abs(out).max(axis=1) > 0)
    assert nonzero.size, "the sound never started"
    assert nonzero[0] < BLOCK, f"first nonzero frame {nonzero[0]} is not within one block ({BLOCK} frames)"
    # And it plays at full level once started (0 dB, centred: 0.5 on both sides).
    assert np.allclose(out[nonzero[0] + BLOCK : nonzero[0] + 2 * BLOCK], 0.5, atol=1e-3)


def test_a_delayed_start_through_the_api_lands_on_its_frame(make_server, tmp_path):
    server = make_server(output="offline", block_size=BLOCK)
    manager = server.app.state.manager
    path = write_wav(tmp_path / "dc.wav", seconds=0.5, value=0.5)
    with server.http() as http:
        sound = http.post("/api/sounds", files={"file": ("dc.wav", path.read_bytes(), "audio/wav")}).json()
        manager.render(BLOCK)
        http.post(f"/api/sounds/{sound['id']}/play", json={"start_time": {"delay": 0.01}})
    out = manager.render(BLOCK * 4)
    first = int(np.flatnonzero(np.abs(out).max(axis=1) > 0)[0])
    assert first == round(0.01 * 48000)
