"""Builders are plain keyword objects with Kira's defaults, and each parameter is described once."""

from __future__ import annotations

import dataclasses

import pytest

from mixdeck.engine import Key, Mapping, Value, spec
from mixdeck.engine.effect import (
    KINDS,
    CompressorBuilder,
    DelayBuilder,
    DistortionBuilder,
    EqFilterBuilder,
    FilterBuilder,
    LimiterBuilder,
    PanningControlBuilder,
    ReverbBuilder,
    VolumeControlBuilder,
    dsp_class,
)
from mixdeck.engine.effect.params import initial_values

KIRA_DEFAULTS = {
    FilterBuilder: {"mode": "low_pass", "cutoff": 1000.0, "resonance": 0.0, "mix": 1.0},
    EqFilterBuilder: {"kind": "bell", "frequency": 500.0, "gain": 0.0, "q": 1.0, "mix": 1.0},
    DelayBuilder: {"delay_time": 0.5, "feedback": -6.0, "feedback_effects": (), "mix": 0.5, "max_delay_time": 10.0},
    ReverbBuilder: {"feedback": 0.9, "damping": 0.1, "stereo_width": 1.0, "mix": 0.5},
    DistortionBuilder: {"kind": "hard_clip", "drive": 0.0, "mix": 1.0},
    CompressorBuilder: {"threshold": 0.0, "ratio": 1.0, "attack": 0.01, "release": 0.1, "makeup_gain": 0.0,
                        "mix": 1.0},
    PanningControlBuilder: {"panning": 0.0},
    VolumeControlBuilder: {"volume": 0.0},
    LimiterBuilder: {"ceiling": -1.0, "release": 0.1, "lookahead": 0.005},
}


@pytest.mark.parametrize("builder_class", list(KIRA_DEFAULTS), ids=lambda c: c.__name__)
def test_defaults_are_kiras(builder_class):
    builder = builder_class().check()
    assert dataclasses.asdict(builder) == KIRA_DEFAULTS[builder_class]


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_parameter_has_one_spec_registered_under_its_kind_with_the_builders_default(kind):
    builder_class, _ = KINDS[kind]
    builder = builder_class()
    for parameter in builder_class.SPECS:
        assert spec.SPECS[f"{kind}.{parameter.name}"] is parameter
        assert getattr(builder, parameter.name) == parameter.default
        assert parameter.low <= parameter.default <= parameter.high
        assert parameter.description and parameter.unit is not None
    registered = {name.split(".", 1)[1] for name in spec.SPECS if name.startswith(f"{kind}.")}
    assert registered == {p.name for p in builder_class.SPECS}


def test_volume_and_panning_controls_share_the_engines_one_volume_and_panning():
    assert VolumeControlBuilder.SPECS == (spec.VOLUME,)
    assert PanningControlBuilder.SPECS == (spec.PANNING,)


@pytest.mark.parametrize("kind", list(KINDS))
def test_builders_are_frozen_keyword_objects_with_documented_units(kind):
    builder_class, _ = KINDS[kind]
    builder = builder_class()
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(builder, builder_class.SPECS[0].name, 0.3)
    doc = builder_class.__doc__ or ""
    for parameter in builder_class.SPECS:
        assert f"``{parameter.name}``" in doc
    assert dsp_class(builder) is KINDS[kind][1]


def test_a_delay_takes_its_feedback_effects_as_a_list():
    builder = DelayBuilder(feedback_effects=[FilterBuilder(cutoff=800.0)])
    assert builder.feedback_effects == (FilterBuilder(cutoff=800.0),)


def test_initial_values_come_in_parameter_order_and_a_modulated_one_starts_at_its_default():
    lfo = Value.modulator(Key("modulator", 0, 1), Mapping(output_range=(200.0, 2000.0)))
    builder = FilterBuilder(cutoff=lfo, resonance=Value.fixed(0.4), mix=0.8)
    assert initial_values(builder, FilterBuilder.SPECS) == (1000.0, 0.4, 0.8)


def test_a_modulated_parameter_counts_at_its_worst_for_the_tail():
    lfo = Value.modulator(Key("modulator", 0, 1), Mapping(output_range=(0.0, 1.0)))
    rate = 48_000
    still = dsp_class(FilterBuilder()).tail_seconds(FilterBuilder(cutoff=20.0, resonance=1.0), rate)
    moving = dsp_class(FilterBuilder()).tail_seconds(FilterBuilder(resonance=lfo, cutoff=lfo), rate)
    assert moving == pytest.approx(still)
    assert dsp_class(ReverbBuilder()).tail_seconds(ReverbBuilder(feedback=lfo), rate) == float("inf")
