"""The mixer on the offline output: sub tracks, send tracks, routes, mute, solo, removal, meters."""

from __future__ import annotations

import numpy as np
import pytest

from mixdeck.engine import (Capacities, Easing, InvalidValue, PlaybackState, ResourceLimitReached, SendTrackBuilder,
                            StaticSoundSettings, TrackBuilder, Tween)

from tests.engine.support import BLOCK, constant_source, offline


def db(x: float) -> float:
    return 10 ** (x / 20)


def test_a_sound_on_a_sub_track_comes_out_at_the_tracks_volume():
    manager = offline()
    track = manager.add_sub_track(TrackBuilder(volume=-6.0))
    track.play(constant_source(0.5))
    out = manager.render(BLOCK)
    np.testing.assert_allclose(out, 0.5 * db(-6), rtol=1e-6)


def test_a_sub_track_of_a_sub_track_multiplies():
    manager = offline()
    bus = manager.add_sub_track(TrackBuilder(volume=-6.0))
    inner = bus.add_sub_track(TrackBuilder(volume=-3.0, panning=0.5))
    manager.play(constant_source(0.5), StaticSoundSettings(track=inner))
    out = manager.render(BLOCK).astype(np.float64)
    m = (0.5 + 1) / 2
    np.testing.assert_allclose(out[:, 0], 0.5 * db(-9) * np.sqrt(1 - m) * np.sqrt(2), rtol=1e-6)
    np.testing.assert_allclose(out[:, 1], 0.5 * db(-9) * np.sqrt(m) * np.sqrt(2), rtol=1e-6)


def test_a_send_adds_the_routed_signal_to_the_main_output_once():
    manager = offline()
    reverb = manager.add_send_track(SendTrackBuilder(volume=-3.0))
    track = manager.add_sub_track(TrackBuilder(volume=-6.0, sends={reverb: -6.0}))
    track.play(constant_source(0.5))
    out = manager.render(BLOCK)
    # The track's own output, plus what it sends (post-fader, at -6 dB) through the send track's -3 dB.
    np.testing.assert_allclose(out, 0.5 * db(-6) * (1 + db(-6) * db(-3)), rtol=1e-6)
    np.testing.assert_allclose(reverb.meters["peak"], [0.5 * db(-6) * db(-6) * db(-3)] * 2, rtol=1e-6)


def test_a_route_set_later_glides_in_from_silence():
    manager = offline()
    send = manager.add_send_track()
    track = manager.add_sub_track(TrackBuilder())
    track.play(constant_source(0.5))
    manager.render(BLOCK)
    track.set_send(send, 0.0, Tween(0.05))
    out = manager.render(6 * BLOCK)[:, 0].astype(np.float64)
    k = np.arange(6 * BLOCK)
    routed = np.where(k < 2400, db(-60 + 60 * k / 2400), 1.0)
    routed[k == 0] = 0.0  # -60 dB is silence
    np.testing.assert_allclose(out, 0.5 * (1 + routed), rtol=1e-5)


def test_a_track_volume_tween_is_smooth_and_follows_its_curve():
    manager = offline()
    track = manager.add_sub_track(TrackBuilder())
    track.play(constant_source(1.0))
    manager.render(BLOCK)
    track.set_volume(-12.0, Tween(0.1, Easing.in_out_powi(2)))
    out = manager.render(10 * BLOCK)[:, 0].astype(np.float64)
    x = np.minimum(np.arange(10 * BLOCK) / 4800, 1.0)
    eased = np.where(x < 0.5, (2 * x) ** 2 / 2, 1 - (2 - 2 * x) ** 2 / 2)
    np.testing.assert_allclose(out, db(-12 * eased), rtol=1e-6)
    assert np.abs(np.diff(out)).max() < 1e-3


def test_mute_glides_a_track_to_silence_and_back():
    manager = offline()
    track = manager.add_sub_track(TrackBuilder())
    other = manager.add_sub_track(TrackBuilder())
    track.play(constant_source(0.5))
    other.play(constant_source(0.25))
    manager.render(BLOCK)
    track.set_muted(True)
    out = manager.render(2 * BLOCK)[:, 0]
    assert np.all(np.diff(out[:480]) <= 0) and out[0] > 0.7
    assert (out[480:] == 0.25).all()
    assert track.muted and not track.audible and other.audible
    track.set_muted(False)
    manager.render(BLOCK)
    assert (manager.render(BLOCK)[:, 0] == 0.75).all()


def test_solo_keeps_the_soloed_path_what_feeds_it_and_its_sends():
    manager = offline()
    reverb = manager.add_send_track()
    drums = manager.add_sub_track(TrackBuilder())
    kick = drums.add_sub_track(TrackBuilder(sends={reverb: 0.0}))
    snare = drums.add_sub_track(TrackBuilder())
    music = manager.add_sub_track(TrackBuilder())
    kick.play(constant_source(0.1))
    snare.play(constant_source(0.2))
    music.play(constant_source(0.3))
    manager.render(BLOCK)
    kick.set_soloed(True)
    manager.render(BLOCK)  # the 10 ms glide
    out = manager.render(BLOCK)[:, 0]
    np.testing.assert_allclose(out, 0.1 + 0.1, rtol=1e-6)  # the kick, and its send to the reverb
    assert kick.audible and drums.audible and reverb.audible
    assert not snare.audible and not music.audible
    kick.set_soloed(False)
    drums.set_soloed(True)
    manager.render(BLOCK)
    np.testing.assert_allclose(manager.render(BLOCK)[:, 0], 0.1 + 0.2 + 0.1, rtol=1e-6)
    assert kick.audible and snare.audible and not music.audible


def test_removing_a_track_fades_it_out_and_hands_back_its_sounds_and_sub_tracks():
    manager = offline(capacities=Capacities(sub_tracks=2))
    bus = manager.add_sub_track(TrackBuilder())
    inner = bus.add_sub_track(TrackBuilder())
    voice = inner.play(constant_source(0.5))
    manager.render(BLOCK)
    bus.remove(Tween(0.02))
    out = manager.render(4 * BLOCK)[:, 0]
    assert out[0] > 0.45 and np.all(np.diff(out[:960]) <= 0)
    assert not out[960:].any()
    assert not bus.exists and not inner.exists
    assert voice.state is PlaybackState.STOPPED
    ended = [e for e in manager.pop_events() if e.kind == "sound_finished"]
    assert ended and ended[0].key == voice.key and ended[0].data["reason"] == "track removed"
    assert manager.counts()["slots_used"]["track"] == 1
    again = manager.add_sub_track(TrackBuilder())
    assert (again.key.index in (bus.key.index, inner.key.index)
            and again.key.generation > 1)
    again.play(constant_source(0.25))
    assert (manager.render(BLOCK)[:, 0] == 0.25).all()


def test_a_track_holds_at_most_its_sound_capacity():
    manager = offline()
    track = manager.add_sub_track(TrackBuilder(sound_capacity=2))
    first = track.play(constant_source(0.1))
    track.play(constant_source(0.1))
    with pytest.raises(ResourceLimitReached) as refused:
        track.play(constant_source(0.1))
    assert (refused.value.field, refused.value.setting, refused.value.capacity) == ("track", "sound_capacity", 2)
    first.stop(Tween(0.0))
    manager.render(BLOCK)
    track.play(constant_source(0.1))


def test_the_sub_track_and_send_track_arenas_are_bounded():
    manager = offline(capacities=Capacities(sub_tracks=1, send_tracks=1))
    manager.add_sub_track(TrackBuilder())
    manager.add_send_track()
    with pytest.raises(ResourceLimitReached) as tracks:
        manager.add_sub_track(TrackBuilder())
    with pytest.raises(ResourceLimitReached) as sends:
        manager.add_send_track()
    # The main track takes a slot of the track arena but not one of the sub tracks the limit counts.
    assert str(tracks.value) == "cannot add another sub track: the limit of 1 (sub_tracks) is reached"
    assert str(sends.value) == "cannot add another send track: the limit of 1 (send_tracks) is reached"


def test_set_changes_a_tracks_volume_flags_and_sends_together_or_not_at_all():
    manager = offline()
    send = manager.add_send_track()
    track = manager.add_sub_track(TrackBuilder())
    track.play(constant_source(0.5))
    manager.render(BLOCK)
    with pytest.raises(InvalidValue) as bad:
        track.set(volume=-6.0, sends={send: 99.0})
    assert bad.value.field == f"sends.{send.key}"
    with pytest.raises(InvalidValue):
        track.set(volume=-6.0, colour="red")
    manager.render(BLOCK)
    assert track.volume == 0.0
    track.set(volume=-6.0, panning=0.0, sends={send: 0.0}, tween=Tween(0.0))
    manager.render(2 * BLOCK)
    # -6 dB direct plus the same again through the send, after the route's glide in.
    np.testing.assert_allclose(manager.render(BLOCK), 2 * 0.5 * db(-6), rtol=1e-6)
    track.set(muted=True)
    manager.render(2 * BLOCK)
    assert track.muted and (manager.render(BLOCK) == 0).all()


def test_muting_the_main_track_silences_the_output_and_it_cannot_be_soloed():
    manager = offline()
    manager.play(constant_source(0.5))
    manager.main_track.set_muted(True)
    manager.render(2 * BLOCK)
    assert manager.main_track.muted and not manager.main_track.audible
    assert (manager.render(BLOCK) == 0).all()
    with pytest.raises(InvalidValue) as refused:
        manager.main_track.set(soloed=True)
    assert refused.value.field == "soloed"
    manager.main_track.set_muted(False)
    manager.render(2 * BLOCK)
    assert (manager.render(BLOCK) == 0.5).all()


def test_a_sound_on_a_track_that_is_gone_is_refused_on_the_audio_thread_and_its_slot_comes_back():
    manager = offline()
    track = manager.add_sub_track(TrackBuilder())
    track.remove(Tween(0.0))
    manager.render(BLOCK)
    voice = track.play(constant_source(0.5))
    out = manager.render(BLOCK)
    assert not out.any() and voice.state is PlaybackState.STOPPED
    errors = [e for e in manager.pop_events() if e.kind == "error"]
    assert errors and "does not exist" in errors[0].data["message"]
    assert manager.counts()["slots_used"]["sound"] == 0


def test_meters_read_each_tracks_output_and_fall_to_exact_zero():
    manager = offline()
    track = manager.add_sub_track(TrackBuilder(volume=-6.0))
    voice = track.play(constant_source(0.5))
    manager.render(BLOCK)
    assert track.meters["peak"] == pytest.approx([0.5 * db(-6)] * 2, rel=1e-6)
    voice.stop(Tween(0.0))
    manager.render(48_000 * 30)
    assert track.meters == {"peak": [0.0, 0.0], "rms": [0.0, 0.0]}
    assert manager.main_track.meters == {"peak": [0.0, 0.0], "rms": [0.0, 0.0]}


def test_a_tracks_route_levels_are_read_back_as_rendered():
    manager = offline()
    near = manager.add_send_track()
    far = manager.add_send_track()
    track = manager.add_sub_track(TrackBuilder(sends={near: -6.0}))
    manager.render(BLOCK)
    assert track.sends == {near.key: -6.0}
    track.set_send(far, -20.0, Tween(0.0))
    track.set_send(near, -12.0, Tween(1.0))
    manager.render(24_000)  # half the tween
    levels = track.sends
    assert set(levels) == {near.key, far.key} and levels[far.key] == -20.0
    assert levels[near.key] == pytest.approx(-9.0, abs=0.02)
    far.remove(Tween(0.0))
    manager.render(BLOCK)
    assert set(track.sends) == {near.key}
