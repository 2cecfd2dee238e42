"""The effects every contract test runs over: each kind at its defaults, and variants that stress it."""

from __future__ import annotations

from mixdeck.engine.effect import (
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

CASES = {
    "filter": FilterBuilder(),
    "filter-resonant-high-pass": FilterBuilder(mode="high_pass", cutoff=200.0, resonance=1.0),
    "filter-band-pass": FilterBuilder(mode="band_pass", cutoff=3000.0, resonance=0.7),
    "filter-notch": FilterBuilder(mode="notch", cutoff=60.0, resonance=0.3),
    "eq_filter": EqFilterBuilder(),
    "eq-bell-boost": EqFilterBuilder(kind="bell", frequency=120.0, gain=18.0, q=8.0),
    "eq-low-shelf": EqFilterBuilder(kind="low_shelf", frequency=200.0, gain=-12.0, q=0.707),
    "eq-high-shelf": EqFilterBuilder(kind="high_shelf", frequency=6000.0, gain=9.0, q=0.707),
    "delay": DelayBuilder(),
    "delay-short-with-feedback-effects": DelayBuilder(
        delay_time=0.002, feedback=-3.0, max_delay_time=0.1,
        feedback_effects=[FilterBuilder(cutoff=3000.0), DistortionBuilder(kind="soft_clip", drive=6.0)]),
    "reverb": ReverbBuilder(),
    "reverb-damped-narrow": ReverbBuilder(feedback=0.7, damping=1.0, stereo_width=0.2),
    "distortion": DistortionBuilder(),
    "distortion-soft-driven": DistortionBuilder(kind="soft_clip", drive=24.0),
    "compressor": CompressorBuilder(),
    "compressor-squeezing": CompressorBuilder(threshold=-30.0, ratio=8.0, attack=0.001, release=0.05,
                                              makeup_gain=12.0),
    "panning_control": PanningControlBuilder(panning=-0.4),
    "volume_control": VolumeControlBuilder(volume=-9.0),
    "limiter": LimiterBuilder(),
    "limiter-no-lookahead": LimiterBuilder(ceiling=-12.0, release=0.01, lookahead=0.0),
}
