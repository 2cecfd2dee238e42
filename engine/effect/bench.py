"""The cost of each effect's ``process`` on one stereo block of 512 frames at 48 kHz.

Each effect runs on noise at -6 dBFS (restored before every block, so a
level-dependent effect keeps working on the same material), in settings
where it does real work, first with its parameters constant, then with
every parameter moving frame by frame (a tween). Time is measured per
block with both the thread's CPU clock (what the effect costs) and the
wall clock (what the audio thread waits, including being preempted), in
the same run, after a warm-up; the figures are medians over the blocks.
The target is 30 µs of CPU per block.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from . import (
    CompressorBuilder,
    DelayBuilder,
    DistortionBuilder,
    EqFilterBuilder,
    FilterBuilder,
    LimiterBuilder,
    PanningControlBuilder,
    ReverbBuilder,
    VolumeControlBuilder,
)
from .kinds import KINDS, build_dsp, warm_up

SAMPLE_RATE = 48_000
BLOCK = 512
WARM_UP_BLOCKS = 20
TARGET_US = 30.0

# Settings that make each effect work (defaults where they already do).
SCENES: dict[str, Any] = {
    "filter": FilterBuilder(mode="low_pass", cutoff=800.0, resonance=0.5),
    "eq_filter": EqFilterBuilder(kind="bell", frequency=1000.0, gain=6.0, q=1.0),
    "delay": DelayBuilder(),
    "reverb": ReverbBuilder(),
    "distortion": DistortionBuilder(kind="soft_clip", drive=12.0),
    "compressor": CompressorBuilder(threshold=-20.0, ratio=4.0),
    "panning_control": PanningControlBuilder(panning=0.3),
    "volume_control": VolumeControlBuilder(volume=-6.0),
    "limiter": LimiterBuilder(ceiling=-12.0),
}


def _values(builder: Any, moving: bool) -> tuple[np.ndarray, np.ndarray]:
    specs = type(builder).SPECS
    values = np.empty((len(specs), BLOCK))
    for row, spec in enumerate(specs):
        start = float(getattr(builder, spec.name))
        if moving:
            # A small ramp inside the range (1 % up, or 1 % of the range): what counts is that
            # coefficients are recomputed every frame.
            step = 0.01 * start if spec.scale == "log" else 0.01 * (spec.high - spec.low)
            end = min(spec.high, start + step)
            values[row] = np.linspace(start, end, BLOCK)
        else:
            values[row].fill(start)
    return values, np.full(len(specs), 1 if moving else 0, dtype=np.uint8)


def _time(process: Any, values: np.ndarray, changing: np.ndarray, source: np.ndarray,
          blocks: int) -> tuple[float, float]:
    """Median CPU and wall µs of ``process`` per block (a median shrugs off the blocks another program took)."""
    buffer = np.empty_like(source)
    for _ in range(WARM_UP_BLOCKS):
        np.copyto(buffer, source)
        process(buffer, 0, BLOCK, values, changing)
    cpu = np.empty(blocks)
    wall = np.empty(blocks)
    for block in range(blocks):
        np.copyto(buffer, source)
        cpu_start = time.thread_time()
        wall_start = time.perf_counter()
        process(buffer, 0, BLOCK, values, changing)
        wall[block] = time.perf_counter() - wall_start
        cpu[block] = time.thread_time() - cpu_start
    return float(np.median(cpu)) * 1e6, float(np.median(wall)) * 1e6


def _nothing(buffer: np.ndarray, start: int, stop: int, values: np.ndarray, changing: np.ndarray) -> None:
    pass


def measure(blocks: int = 200) -> list[dict[str, Any]]:
    """For each kind: median CPU and wall µs per block with constant parameters, then with moving ones.

    The cost of a Python call that does nothing, timed the same way, is
    taken off every figure, so they are the effect's own (with the cost of
    calling its kernel).
    """
    warm_up(SAMPLE_RATE, BLOCK)
    source = (np.random.default_rng(3).uniform(-0.5, 0.5, size=(2, BLOCK))).astype(np.float32)
    idle = np.zeros((1, BLOCK)), np.zeros(1, dtype=np.uint8)
    base_cpu, base_wall = _time(_nothing, *idle, source, blocks)
    rows = []
    for kind in KINDS:
        builder = SCENES[kind]
        dsp = build_dsp(builder, SAMPLE_RATE, BLOCK)
        cpu, wall = _time(dsp.process, *_values(builder, False), source, blocks)
        moving_cpu, moving_wall = _time(dsp.process, *_values(builder, True), source, blocks)
        rows.append({"effect": kind, "cpu_us": max(cpu - base_cpu, 0.0), "wall_us": max(wall - base_wall, 0.0),
                     "moving_cpu_us": max(moving_cpu - base_cpu, 0.0),
                     "moving_wall_us": max(moving_wall - base_wall, 0.0)})
    return rows


def main() -> None:
    rows = measure()
    print(f"effects, one stereo block of {BLOCK} frames at {SAMPLE_RATE} Hz (target {TARGET_US:g} µs CPU)")
    print(f"{'effect':<16} {'cpu µs':>8} {'wall µs':>8} {'moving cpu':>11} {'moving wall':>12}")
    for row in rows:
        print(f"{row['effect']:<16} {row['cpu_us']:>8.1f} {row['wall_us']:>8.1f} "
              f"{row['moving_cpu_us']:>11.1f} {row['moving_wall_us']:>12.1f}")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
