"""The effects benchmark runs every kind and reports both clocks."""

import math

from mixdeck.engine.effect import KINDS
from mixdeck.engine.effect.bench import measure


def test_bench_times_every_effect_on_both_clocks():
    rows = measure(blocks=3)
    assert [row["effect"] for row in rows] == list(KINDS)
    for row in rows:
        for key in ("cpu_us", "wall_us", "moving_cpu_us", "moving_wall_us"):
            assert math.isfinite(row[key]) and row[key] >= 0.0
