"""The panel's state module (web/store.js) and its parameter arithmetic
(web/params.js) on their own: loaded into a blank page, with no service, no
DOM to render into and a clock the test turns by hand."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def run(page, body: str):
    """Run `body` (an async function body) with `createStore`, `activity`, `params` and a hand-turned `clock`."""
    return page.evaluate(
        """async (body) => {
          const { createStore, activity, PLAYED_GRACE_MS } = await import('/store.js');
          const params = await import('/params.js');
          const clock = { t: 0 };
          const fn = new Function('createStore', 'activity', 'PLAYED_GRACE_MS', 'params', 'clock', `return (async () => { ${body} })();`);
          return fn(createStore, activity, PLAYED_GRACE_MS, params, clock);
        }""",
        body,
    )


def test_a_sounds_activity_counts_its_voices_by_state(blank):
    result = run(
        blank,
        """
        const store = createStore();
        const seen = [];
        store.on('voices', (voices) => seen.push(voices.size));
        const v = (id, sound, state) => ({ id, sound, state, position: 0, duration: 1 });
        store.receive('voices', { voices: [
          v('voice-1', 'snd-1', 'waiting'), v('voice-2', 'snd-1', 'playing'), v('voice-3', 'snd-1', 'stopping'),
          v('voice-4', 'snd-1', 'waiting_to_resume'), v('voice-5', 'snd-1', 'stopped'), v('voice-6', 'snd-2', 'resuming'),
        ] });
        const before = store.activityOf('snd-1');
        store.receive('event', { type: 'voice_finished', voice: 'voice-2' });
        store.receive('event', { type: 'voice_finished', voice: 'voice-3' });
        return { before, after: store.activityOf('snd-1'), other: store.activityOf('snd-2'), none: store.activityOf('snd-9'), seen };
        """,
    )
    # A stopped voice is gone; a fading one still sounds; waiting is never playing.
    assert result["before"] == {"waiting": 1, "paused": 1, "playing": 2}
    assert result["after"] == {"waiting": 1, "paused": 1, "playing": 0}
    assert result["other"] == {"waiting": 0, "paused": 0, "playing": 1}
    assert result["none"] == {"waiting": 0, "paused": 0, "playing": 0}
    assert result["seen"] == [5, 4, 3]


def test_waiting_is_its_own_activity(blank):
    kinds = run(
        blank,
        """return ['waiting', 'playing', 'resuming', 'stopping', 'pausing', 'paused', 'waiting_to_resume', 'stopped']
          .map(activity);""",
    )
    assert kinds == ["waiting", "playing", "playing", "playing", "paused", "paused", "paused", "stopped"]


def test_a_played_voice_outlives_a_sample_taken_before_it(blank):
    result = run(
        blank,
        """
        const store = createStore({ now: () => clock.t });
        const voice = { id: 'voice-1', sound: 'snd-1', state: 'playing', position: 0, duration: 1 };
        store.addPlayed(voice);
        const at = [];
        clock.t = 100; store.receive('voices', { voices: [] }); at.push(store.state.voices.has('voice-1'));
        clock.t = PLAYED_GRACE_MS + 1; store.receive('voices', { voices: [] }); at.push(store.state.voices.has('voice-1'));

        // Once a sample has listed it, the next one that does not is believed at once.
        store.addPlayed({ ...voice, id: 'voice-2' });
        clock.t += 10; store.receive('voices', { voices: [{ ...voice, id: 'voice-2' }] }); at.push(store.state.voices.has('voice-2'));
        clock.t += 10; store.receive('voices', { voices: [] }); at.push(store.state.voices.has('voice-2'));
        return at;
        """,
    )
    assert result == [True, False, True, False]


def test_parameters_are_looked_up_by_group_and_name(blank):
    result = run(
        blank,
        """
        const store = createStore();
        const before = store.parameter('sound', 'volume');
        let heard = 0;
        store.on('parameters', () => (heard += 1));
        store.setParameters([{ group: 'sound', name: 'volume', unit: 'dB', low: -100, high: 24, default: 0,
                               ui_low: -60, ui_high: 12, scale: 'linear', step: 0.5 }]);
        return { before: before === undefined, volume: store.parameter('sound', 'volume').ui_low,
                 track: store.parameter('track', 'volume') === undefined, heard };
        """,
    )
    assert result == {"before": True, "volume": -60, "track": True, "heard": 1}


def test_a_log_slider_maps_positions_to_values_and_back(blank):
    result = run(
        blank,
        """
        const rate = { unit: 'x', low: 0, high: 64, default: 1, ui_low: 0.25, ui_high: 4, scale: 'log', step: 0.01 };
        const volume = { unit: 'dB', low: -100, high: 24, default: 0, ui_low: -60, ui_high: 12, scale: 'linear', step: 0.5 };
        const attrs = params.sliderAttributes(rate);
        const top = Number(attrs.max);
        return {
          attrs,
          ends: [params.fromSlider(rate, 0), params.fromSlider(rate, top)],
          middle: params.fromSlider(rate, top / 2),
          octave: params.fromSlider(rate, (3 * top) / 4),
          back: [0.25, 0.5, 1, 2, 4].map((v) => params.fromSlider(rate, params.toSlider(rate, v))),
          held: [params.toSlider(rate, 64), params.toSlider(rate, 0)],
          linear: params.sliderAttributes(volume),
          stepped: params.fromSlider(volume, '-6.3'),
          bpm: params.numberAttributes({ low: 0, high: 100, step: null }, 60),
          labels: [params.withUnit('Volume', volume), params.withUnit('Playback rate', rate), params.withUnit('Panning', { unit: '' })],
          shown: [params.formatValue(rate, 1), params.formatValue({ unit: 'Hz', step: null, scale: 'log' }, 2)],
        };
        """,
    )
    assert result["ends"] == [0.25, 4]
    assert result["middle"] == 1
    assert result["octave"] == 2
    assert result["back"] == [0.25, 0.5, 1, 2, 4]
    assert result["held"] == [int(result["attrs"]["max"]), 0]
    assert result["linear"] == {"min": "-60", "max": "12", "step": "0.5"}
    assert result["stepped"] == -6.5
    assert result["bpm"] == {"min": "0", "max": "6000", "step": "any"}
    assert result["labels"] == ["Volume (dB)", "Playback rate (×)", "Panning"]
    assert result["shown"] == ["1.00×", "2.00 Hz"]


MIXER = """
const track = (id, parent, tracks = []) => ({ id, kind: 'sub', parent, volume: 0, panning: 0, muted: false,
  soloed: false, audible: true, sends: {}, meters: { peak: [0, 0], rms: [0, 0] }, effects: [], tracks });
const mixer = (tracks, sends = []) => ({ main: { ...track('main', null, tracks), kind: 'main' }, sends });
const ids = (store) => [...(store.state.tracks.main.tracks.flatMap(function walk(t) {
  return [t.id, ...t.tracks.flatMap(walk)]; })), ...store.state.tracks.sends.map((s) => s.id)];
"""


def test_a_track_the_panel_added_or_removed_outlasts_a_sample_taken_before(blank):
    result = run(
        blank,
        MIXER
        + """
        const store = createStore({ now: () => clock.t });
        const seen = [];
        store.receive('tracks', mixer([track('track-1-1', 'main')]));
        store.addTrack(track('track-2-1', 'track-1-1'));
        store.addTrack({ id: 'send-0-1', volume: 0, panning: 0, muted: false, soloed: false, audible: true,
                         meters: { peak: [0, 0], rms: [0, 0] }, effects: [] });
        seen.push(ids(store));
        // A sample taken before the adds: the new tracks stay where they belong.
        clock.t = 100; store.receive('tracks', mixer([track('track-1-1', 'main')])); seen.push(ids(store));
        // The panel removes the parent: it goes with its sub track, though a late sample still lists both.
        store.removeTrack('track-1-1');
        clock.t = 200; store.receive('tracks', mixer([track('track-1-1', 'main', [track('track-2-1', 'track-1-1')])]));
        seen.push(ids(store));
        // Past the grace, samples are believed again, whatever they say.
        clock.t = 100 + PLAYED_GRACE_MS + 1; store.receive('tracks', mixer([track('track-3-1', 'main')]));
        seen.push(ids(store));
        return { seen, found: store.track('track-3-1')?.parent, main: store.track('main')?.kind };
        """,
    )
    assert result["seen"] == [
        ["track-1-1", "track-2-1", "send-0-1"],
        ["track-1-1", "track-2-1", "send-0-1"],
        ["send-0-1"],
        ["track-3-1"],
    ]
    assert result["found"] == "main"
    assert result["main"] == "main"


def test_tracks_are_named_by_slot_and_walked_parents_first(blank):
    result = run(
        blank,
        MIXER
        + """
        const tracks = await import('/tracks.js');
        const m = mixer([track('track-1-1', 'main', [track('track-3-2', 'track-1-1')]), track('track-2-1', 'main')],
                        [{ id: 'send-0-1' }, { id: 'send-1-1' }]);
        const store = createStore();
        store.receive('tracks', m);
        store.receive('voices', { voices: [
          { id: 'voice-0-1', sound: 'snd-1', state: 'playing', track: 'track-3-2' },
          { id: 'voice-1-1', sound: 'snd-1', state: 'playing', track: 'main' },
          { id: 'voice-2-1', sound: 'snd-2', state: 'playing', track: 'track-3-2' },
        ] });
        return {
          order: tracks.subTracks(m).map(({ track, depth }) => `${track.id}@${depth}`),
          labels: ['main', 'track-3-2', 'send-0-1', 'send-1-1', 'odd'].map(tracks.trackLabel),
          kinds: ['main', 'track-1-1', 'send-0-1'].map(tracks.trackKind),
          onInner: store.voicesOn('track-3-2').map((v) => v.id),
          onMain: store.voicesOn('main').map((v) => v.id),
          nowhere: tracks.withAdded(m, { id: 'track-4-1', parent: 'track-9-1' }) === undefined,
        };
        """,
    )
    assert result["order"] == ["track-1-1@0", "track-3-2@1", "track-2-1@0"]
    assert result["labels"] == ["Main", "Track 3", "Send A", "Send B", "odd"]
    assert result["kinds"] == ["main", "sub", "send"]
    assert result["onInner"] == ["voice-0-1", "voice-2-1"]
    assert result["onMain"] == ["voice-1-1"]
    assert result["nowhere"] is True
