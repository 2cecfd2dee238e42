"""The filter's and the EQ filter's magnitude responses against their designs, computed here with scipy.signal.

Each design is the textbook analog prototype (RBJ's cookbook shapes) mapped
to the sample rate by the bilinear transform with the frequency prewarped.
The effect's response is measured from its impulse response, at 20
frequencies from 20 Hz to 20 kHz.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import signal as sig

from mixdeck.engine.effect import EqFilterBuilder, FilterBuilder
from tests.engine.effects.harness import RATE, build, run

FREQUENCIES = np.geomspace(20.0, 20_000.0, 20)
TOLERANCE_DB = 0.1
FLOOR_DB = -80.0  # below this a response is only required to be as deep (float32 output)


def _measured(builder, frames: int = 1 << 17) -> np.ndarray:
    """|H| at FREQUENCIES from the impulse response (its DTFT evaluated exactly at each frequency)."""
    impulse = np.zeros((2, frames), dtype=np.float32)
    impulse[:, 0] = 1.0
    response = run(build(builder), impulse, builder=builder)[0].astype(np.float64)
    assert abs(response[-1000:]).max() < 1e-9, "the impulse response was cut short"
    n = np.arange(frames)
    return np.abs(np.exp(-2j * np.pi * np.outer(FREQUENCIES, n) / RATE) @ response)


def _design(b: list[float], a: list[float]) -> np.ndarray:
    z, p = sig.bilinear(b, a, fs=RATE)
    return np.abs(sig.freqz(z, p, worN=FREQUENCIES, fs=RATE)[1])


def _prewarped(frequency: float) -> float:
    return 2.0 * RATE * math.tan(math.pi * frequency / RATE)


def _filter_design(mode: str, cutoff: float, resonance: float) -> np.ndarray:
    w = _prewarped(cutoff)
    k = 2.0 - 1.9 * resonance  # 1 / Q
    a = [1.0, k * w, w * w]
    b = {"low_pass": [0.0, 0.0, w * w], "band_pass": [0.0, w, 0.0],
         "high_pass": [1.0, 0.0, 0.0], "notch": [1.0, 0.0, w * w]}[mode]
    return _design(b, a)


def _eq_design(kind: str, frequency: float, gain: float, q: float) -> np.ndarray:
    w = _prewarped(frequency)
    a_ = 10.0 ** (gain / 40.0)
    root = math.sqrt(a_)
    if kind == "bell":
        return _design([1.0, a_ / q * w, w * w], [1.0, w / (a_ * q), w * w])
    if kind == "low_shelf":
        return _design([a_, a_ * root / q * w, a_ * a_ * w * w], [a_, root / q * w, w * w])
    return _design([a_ * a_, a_ * root / q * w, a_ * w * w], [1.0, root / q * w, a_ * w * w])


def _assert_close(measured: np.ndarray, design: np.ndarray) -> None:
    measured_db = 20 * np.log10(np.maximum(measured, 1e-12))
    design_db = 20 * np.log10(np.maximum(design, 1e-12))
    deep = design_db < FLOOR_DB
    assert np.all(measured_db[deep] < FLOOR_DB + 10)
    error = np.abs(measured_db - design_db)[~deep]
    assert error.max() <= TOLERANCE_DB, f"{error.max():.4f} dB off at {FREQUENCIES[~deep][error.argmax()]:.0f} Hz"


@pytest.mark.parametrize("mode", ["low_pass", "band_pass", "high_pass", "notch"])
@pytest.mark.parametrize("cutoff", [40.0, 1000.0, 12_000.0])
@pytest.mark.parametrize("resonance", [0.0, 0.5, 1.0])
def test_filter_magnitude_follows_its_design_within_a_tenth_of_a_db(mode, cutoff, resonance):
    builder = FilterBuilder(mode=mode, cutoff=cutoff, resonance=resonance).check()
    _assert_close(_measured(builder), _filter_design(mode, cutoff, resonance))


@pytest.mark.parametrize("kind", ["bell", "low_shelf", "high_shelf"])
@pytest.mark.parametrize("frequency", [60.0, 1000.0, 9000.0])
@pytest.mark.parametrize("gain, q", [(-24.0, 0.707), (-6.0, 2.0), (6.0, 0.5), (18.0, 8.0), (24.0, 1.0)])
def test_eq_magnitude_follows_its_design_within_a_tenth_of_a_db(kind, frequency, gain, q):
    builder = EqFilterBuilder(kind=kind, frequency=frequency, gain=gain, q=q).check()
    _assert_close(_measured(builder), _eq_design(kind, frequency, gain, q))


def test_an_eq_at_zero_gain_is_flat():
    for kind in ("bell", "low_shelf", "high_shelf"):
        measured = _measured(EqFilterBuilder(kind=kind, frequency=800.0, gain=0.0, q=3.0), frames=4096)
        assert np.max(np.abs(20 * np.log10(measured))) < 1e-5


def test_a_filter_at_half_mix_blends_equal_power():
    """Kira's blend: sqrt(mix) of the wet and sqrt(1 - mix) of the dry, so the stop band is 3 dB down."""
    half = _measured(FilterBuilder(cutoff=200.0, mix=0.5))
    stop_band = FREQUENCIES > 5000.0
    assert np.allclose(half[stop_band], math.sqrt(0.5), atol=2e-3)


def test_switching_the_mode_switches_the_response():
    builder = FilterBuilder(mode="low_pass", cutoff=500.0)
    dsp = build(builder)
    dsp.set_choice("mode", "high_pass")
    impulse = np.zeros((2, 1 << 15), dtype=np.float32)
    impulse[:, 0] = 1.0
    response = run(dsp, impulse, builder=builder)[0].astype(np.float64)
    measured = np.abs(np.exp(-2j * np.pi * np.outer(FREQUENCIES, np.arange(response.size)) / RATE) @ response)
    expected = _filter_design("high_pass", 500.0, 0.0)
    assert np.max(np.abs(20 * np.log10(measured / expected))) < TOLERANCE_DB
