"""The benchmark times what the audio thread runs: the output's own figures for each block."""

from __future__ import annotations

from mixdeck.engine import bench


def test_audio_block_is_the_backend_process_alone_and_whole_block_is_all_of_render():
    manager = bench.voice_scene(16)
    try:
        stats = manager.stats
        callbacks = stats.callbacks
        cpu, wall = bench.audio_block(manager)()
        assert stats.callbacks == callbacks + 1  # one block rendered, timed by the output itself
        assert 0.0 < cpu and 0.0 < wall
        # The whole render also takes back slots on the caller's side, so it can only cost more.
        steps = [bench.audio_block(manager), bench.whole_block(manager)]
        (audio_cpu, _), (whole_cpu, _) = bench.time_side_by_side(steps, 20)
        assert 0.0 < audio_cpu < whole_cpu
    finally:
        manager.close()


def test_voices_are_timed_per_case_with_both_clocks():
    cpu, wall = bench.measure_voices(8, blocks=5)
    assert cpu > 0.0 and wall > 0.0


def test_every_effect_is_timed_and_eight_reverbs_cost_more_than_the_bare_track():
    from mixdeck.engine.effect.bench import SCENES

    rows = bench.effect_costs(5)
    assert [kind for kind, _, _ in rows] == list(SCENES)
    costs = {kind: cpu for kind, cpu, _ in rows}
    assert costs["reverb"] > 0.0 and all(cpu >= 0.0 for cpu in costs.values())
