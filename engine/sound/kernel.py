"""The voice kernel: every playing voice of a chunk rendered by one compiled call.

Each voice is a row of a record array (``VOICE``): where its frames are in
the shared sound pool, its position and step, loop, start time, state and
the rows of its parameters. ``render`` walks the active rows, evaluates
their parameters, resolves start times against the clocks, interpolates
(four-point, third-order Hermite in Niemitalo's x-form, as Kira), applies
gain and constant-power panning per frame, wraps loops, and adds each voice
into its destination track's buffer. What Python must handle (a voice that
ended, a pause with a resume waiting, a clock that went away) comes back as
flags on a short list of rows, so Python work grows with events, not voices.

Sound frames are stored interleaved with one frame of padding before and two
after (see ``data.py``), so a voice at position p reads rows floor(p) ..
floor(p) + 3 of its slice; row i + 1 is frame i.
"""

from __future__ import annotations

import math

import numpy as np

from .. import parameter_kernel as pk
from ..jit import kernel

# States, in the order of PlaybackState.
PLAYING = 0
PAUSING = 1
PAUSED = 2
WAITING_TO_RESUME = 3
RESUMING = 4
STOPPING = 5
STOPPED = 6

# Flags a voice raises for Python.
EV_FINISHED = 1
EV_DEFERRED_RESUME = 2
EV_START_CLOCK_GONE = 4
EV_TWEEN_CLOCK_GONE = 8

# How _gains describes a voice's gain over a chunk.
GAIN_CONSTANT = 0
GAIN_GEOMETRIC = 1
GAIN_FRAMES = 2

# A seek crossfades over this many frames (about 2.7 ms at 48 kHz).
SEEK_CROSSFADE_FRAMES = 128

SQRT2 = math.sqrt(2.0)

VOICE = np.dtype([
    ("state", np.int64),
    ("started", np.int64),
    ("reverse", np.int64),
    ("has_loop", np.int64),
    ("src_base", np.int64),
    ("length", np.int64),
    ("position", np.float64),
    ("step", np.float64),
    ("loop_start", np.float64),
    ("loop_end", np.float64),
    ("wait_kind", np.int64),
    ("wait_clock", np.int64),
    ("wait_generation", np.int64),
    ("wait_value", np.float64),
    ("seek_from", np.float64),
    ("seeking", np.int64),
    ("dest", np.int64),
    ("volume", np.int64),
    ("panning", np.int64),
    ("rate", np.int64),
    ("fade", np.int64),
    ("sample_rate", np.float64),
    ("deferred", np.int64),
    ("events", np.int64),
    # A streaming voice reads a ring of ``ring`` frames, each slot tagged with the frame it holds
    # (``tags`` is its first tag's index in the pool read as int64); 0 for a static voice.
    ("ring", np.int64),
    ("tags", np.int64),
], align=True)

@kernel
def _tap(row: int, looping: bool, reverse: bool, loop_start: int, loop_end: int, last: int) -> int:
    """A tap's row in the voice's slice, folded back into the loop and kept inside the slice."""
    if looping:
        span = loop_end - loop_start
        if reverse:
            if row < loop_start + 1:
                row += span
        elif row >= loop_end + 1:
            row -= span
    if row < 0:
        return 0
    if row > last:
        return last
    return row


@kernel
def interpolate(pool: np.ndarray, base: int, length: int, position: float, looping: bool, reverse: bool,
                loop_start: int, loop_end: int) -> tuple[float, float]:
    """Both channels of the voice's slice at a fractional ``position`` (frames, >= 0).

    At whole positions the weights are exactly (0, 1, 0, 0), so frames that
    need no resampling come through bit for bit.
    """
    whole = int(position)
    x = position - whole
    x2 = x * x
    x3 = x2 * x
    w0 = -0.5 * x + x2 - 0.5 * x3
    w1 = 1.0 - 2.5 * x2 + 1.5 * x3
    w2 = 0.5 * x + 2.0 * x2 - 1.5 * x3
    w3 = -0.5 * x2 + 0.5 * x3
    last = length + 2
    r0 = base + 2 * _tap(whole, looping, reverse, loop_start, loop_end, last)
    r1 = base + 2 * _tap(whole + 1, looping, reverse, loop_start, loop_end, last)
    r2 = base + 2 * _tap(whole + 2, looping, reverse, loop_start, loop_end, last)
    r3 = base + 2 * _tap(whole + 3, looping, reverse, loop_start, loop_end, last)
    left = w0 * pool[r0] + w1 * pool[r1] + w2 * pool[r2] + w3 * pool[r3]
    right = w0 * pool[r0 + 1] + w1 * pool[r1 + 1] + w2 * pool[r2 + 1] + w3 * pool[r3 + 1]
    return left, right


@kernel
def _wrap(position: float, loop_start: float, loop_end: float) -> float:
    span = loop_end - loop_start
    return loop_start + (position - loop_start) % span


@kernel
def _gains(table: np.ndarray, voice, rv: int, rf: int, vol: np.ndarray, fade: np.ndarray, offset: int,
           m: int, gain: np.ndarray) -> tuple[int, float, float]:
    """Volume times fade over frames offset .. offset + m, as (mode, a, b).

    Mode GAIN_CONSTANT: the gain is a; GAIN_GEOMETRIC: frame k has a * b**k
    (a linear ramp in decibels is a geometric one in gain: one multiply a
    frame); GAIN_FRAMES: ``gain[:m]`` holds it.
    """
    v_const = table[voice.volume].value
    f_const = table[voice.fade].value
    if rv == pk.CONSTANT and rf == pk.CONSTANT:
        return GAIN_CONSTANT, pk.amplitude(v_const) * pk.amplitude(f_const), 1.0
    if rv == pk.RAMP and rf == pk.CONSTANT:
        first = vol[0] + offset * vol[1]
        last = vol[0] + (offset + m - 1) * vol[1]
        if first > -60.0 and last > -60.0:
            return GAIN_GEOMETRIC, pk.amplitude(first) * pk.amplitude(f_const), math.exp(vol[1] * pk.LN10_OVER_20)
    for k in range(m):
        gain[k] = (pk.amplitude(pk.at(rv, vol, v_const, offset + k))
                   * pk.amplitude(pk.at(rf, fade, f_const, offset + k)))
    return GAIN_FRAMES, 0.0, 0.0


@kernel
def _frame(pool: np.ndarray, row: int, x: float) -> tuple[float, float]:
    """Both channels at ``x`` (0..1) past the frame whose taps start at float32 index ``row``.

    Interpolation runs in float32, the samples' own precision. At x = 0 the
    weights are exactly (0, 1, 0, 0), so frames that need no resampling come
    through bit for bit.
    """
    x = np.float32(x)
    # Horner's form: fewer multiplies a frame than the powers of x, the same weights to float32 rounding.
    x2 = x * x
    w0 = x * (np.float32(-0.5) + x * (np.float32(1.0) - np.float32(0.5) * x))
    w1 = np.float32(1.0) + x2 * (np.float32(1.5) * x - np.float32(2.5))
    w2 = x * (np.float32(0.5) + x * (np.float32(2.0) - np.float32(1.5) * x))
    w3 = x2 * (np.float32(0.5) * x - np.float32(0.5))
    r = np.uint64(row)
    left = w0 * pool[r] + w1 * pool[r + np.uint64(2)] + w2 * pool[r + np.uint64(4)] + w3 * pool[r + np.uint64(6)]
    right = (w0 * pool[r + np.uint64(1)] + w1 * pool[r + np.uint64(3)] + w2 * pool[r + np.uint64(5)]
             + w3 * pool[r + np.uint64(7)])
    return left, right


@kernel
def _split(start: float, step: float) -> tuple[int, float, int, float]:
    """A position and a step as whole frames and fractions in [0, 1), for a loop that carries them apart."""
    whole = int(start)
    step_whole = int(step) if step >= 0.0 else -int(-step) - 1
    return whole, start - whole, step_whole, step - step_whole


@kernel
def _steady(pool: np.ndarray, base: int, start: float, step: float, m: int, ga: float, gb: float,
            left_pan: float, right_pan: float, out: np.ndarray, offset: int) -> None:
    """The loop nearly every voice runs: a constant step, no loop seam or seek in the chunk, a constant
    or geometric gain (a constant one is geometric with ratio 1, exactly), a constant pan.

    Its position is carried as a whole frame and a fraction (no float-to-int
    conversion a frame, the costliest part of the loop otherwise). It is a
    function of its own, not a branch of ``_hot``: compiled apart from the
    general loop, 1,024 voices took 2-5 % less CPU, with the same output.
    """
    left_out = out[0]
    right_out = out[1]
    lp = np.float32(left_pan)
    rp = np.float32(right_pan)
    running = ga
    whole, fraction, step_whole, step_fraction = _split(start, step)
    for k in range(m):
        left, right = _frame(pool, base + 2 * whole, fraction)
        fraction += step_fraction
        carry = 1 if fraction >= 1.0 else 0
        fraction -= carry
        whole += step_whole + carry
        g = np.float32(running)
        running *= gb
        left_out[offset + k] += g * left * lp
        right_out[offset + k] += g * right * rp


@kernel
def _hot(pool: np.ndarray, base: int, start: float, step: float, positions: np.ndarray, inline: bool, m: int,
         gain_mode: int, ga: float, gb: float, gain: np.ndarray, left_pan: float, right_pan: float,
         pans: np.ndarray, pan_varies: bool, out: np.ndarray, offset: int) -> None:
    """No loop seam and no seek in this chunk, so taps need no folding; the general case of ``_steady``.

    With ``inline`` the voice steps by a constant ``step`` from ``start``
    (carried as a whole frame and a fraction); else the positions come from
    ``positions``. Positions and gain ramps stay float64 so long sounds keep
    their pitch and long fades do not drift.
    """
    left_out = out[0]
    right_out = out[1]
    lp = np.float32(left_pan)
    rp = np.float32(right_pan)
    running = ga
    whole, fraction, step_whole, step_fraction = _split(start, step)
    for k in range(m):
        if inline:
            left, right = _frame(pool, base + 2 * whole, fraction)
            fraction += step_fraction
            carry = 1 if fraction >= 1.0 else 0
            fraction -= carry
            whole += step_whole + carry
        else:
            q = positions[k]
            index = int(q)
            left, right = _frame(pool, base + 2 * index, q - index)
        if gain_mode == GAIN_CONSTANT:
            g = np.float32(ga)
        elif gain_mode == GAIN_GEOMETRIC:
            g = np.float32(running)
            running *= gb
        else:
            g = gain[k]
        if pan_varies:
            lp = pans[k]
            rp = pans[m + k]
        left_out[offset + k] += g * left * lp
        right_out[offset + k] += g * right * rp


@kernel
def _play(voice, table: np.ndarray, pool: np.ndarray, dest: np.ndarray, doppler: np.ndarray, offset: int,
          n: int, rv: int, rp: int, rr: int, rf: int, scratch: np.ndarray, gain: np.ndarray,
          pans: np.ndarray, fade_end: int) -> tuple[bool, float]:
    """Render the voice from ``offset`` to the chunk's end into its destination.

    ``doppler[dest]`` is (factor at the chunk's start, change a frame) of
    the pitch shift of a moving emitter above the voice's track (1, 0 for
    none). Returns whether the sound reached its end, and its position at
    offset ``fade_end`` of the chunk (-1 when not asked), where a pause or
    stop fade reached silence: the voice freezes there.
    """
    vol, pan, rate, fade, positions = scratch[0], scratch[1], scratch[2], scratch[3], scratch[5]
    m = n - offset
    start = voice.position
    step = voice.step
    reverse = voice.reverse != 0
    length = voice.length
    loop_start, loop_end = voice.loop_start, voice.loop_end
    looping = voice.has_loop != 0 and (not reverse or start >= loop_start)
    shift, shift_slope = doppler[voice.dest, 0], doppler[voice.dest, 1]
    constant_rate = rr == pk.CONSTANT and shift_slope == 0.0
    unit = table[voice.rate].unit
    s = step * pk.factor(unit, table[voice.rate].value) * shift
    inline = False
    seam = False
    if constant_rate:
        following = start + s * m
        last = start + s * (m - 1)
        if looping:
            crossed = (following < loop_start) if reverse else (following >= loop_end)
            # Taps reach two frames ahead and one back: near the seam they fold into the loop.
            near = (last < loop_start + 2.0) if reverse else (last >= loop_end - 3.0)
            inline = not (crossed or near)
        else:
            inline = (last >= 0.0) if reverse else (last < length)
    if not inline:
        if constant_rate:
            for k in range(m):
                positions[k] = start + k * s
        else:
            rate_const = table[voice.rate].value
            p = start
            for k in range(m):
                positions[k] = p
                p += step * pk.factor(unit, pk.at(rr, rate, rate_const, offset + k)) * (shift + (offset + k) * shift_slope)
            following = p
        if looping:
            for k in range(m):
                q = positions[k]
                if (q < loop_start) if reverse else (q >= loop_end):
                    positions[k] = _wrap(q, loop_start, loop_end)
                    seam = True
            if not seam:
                if reverse:
                    seam = positions[m - 1] < loop_start + 2.0
                else:
                    seam = positions[m - 1] >= loop_end - 3.0
    if looping and ((following < loop_start) if reverse else (following >= loop_end)):
        following = _wrap(following, loop_start, loop_end)
    finished = False
    audible = m
    if not looping:
        finished = (following < 0.0) if reverse else (following >= length)
        if not inline:
            for k in range(m):
                if (positions[k] < 0.0) if reverse else (positions[k] >= length):
                    audible = k
                    break
    frozen = -1.0
    if 0 <= fade_end - offset < m:
        index = fade_end - offset
        frozen = start + index * s if inline else positions[index]
        if index <= audible:
            # The fade reached silence before the sound's end: the voice holds there, it has not ended.
            finished = False
    voice.position = following
    if audible <= 0:
        return finished, frozen
    gain_mode, ga, gb = _gains(table, voice, rv, rf, vol, fade, offset, audible, gain)
    p_const = table[voice.panning].value
    mix = (p_const + 1.0) * 0.5
    left_pan = math.sqrt(1.0 - mix) * SQRT2
    right_pan = math.sqrt(mix) * SQRT2
    pan_varies = rp != pk.CONSTANT
    if pan_varies:
        for k in range(audible):
            mix = (pk.at(rp, pan, p_const, offset + k) + 1.0) * 0.5
            pans[k] = math.sqrt(1.0 - mix) * SQRT2
            pans[audible + k] = math.sqrt(mix) * SQRT2
    base = voice.src_base
    out = dest[voice.dest]
    if not seam and voice.seeking == 0:
        if inline and not pan_varies and gain_mode != GAIN_FRAMES:
            _steady(pool, base, start, s, audible, ga, gb, left_pan, right_pan, out, offset)
        else:
            _hot(pool, base, start, s, positions, inline, audible, gain_mode, ga, gb, gain, left_pan, right_pan,
                 pans, pan_varies, out, offset)
        return finished, frozen
    if inline:
        for k in range(m):
            positions[k] = start + k * s
    ls, le = int(loop_start), int(loop_end)
    crossfade = 0
    tail_step = 0.0
    if voice.seeking != 0:
        crossfade = min(SEEK_CROSSFADE_FRAMES, audible)
        tail_step = step * pk.factor(unit, pk.at(rr, rate, table[voice.rate].value, offset)) * (shift + offset * shift_slope)
        voice.seeking = 0
    running = ga
    for k in range(audible):
        if gain_mode == GAIN_CONSTANT:
            g = ga
        elif gain_mode == GAIN_GEOMETRIC:
            g = running
            running *= gb
        else:
            g = gain[k]
        if pan_varies:
            left_pan = pans[k]
            right_pan = pans[audible + k]
        left, right = interpolate(pool, base, length, positions[k], looping, reverse, ls, le)
        if k < crossfade:
            fade_in = (k + 1.0) / (SEEK_CROSSFADE_FRAMES + 1.0)
            old = voice.seek_from + k * tail_step
            old = min(max(old, 0.0), length - 1.0)
            tail_left, tail_right = interpolate(pool, base, length, old, False, reverse, ls, le)
            left = left * fade_in + tail_left * (1.0 - fade_in)
            right = right * fade_in + tail_right * (1.0 - fade_in)
        out[0, offset + k] += g * left * left_pan
        out[1, offset + k] += g * right * right_pan
    return finished, frozen


@kernel
def _frame_of(row: int, looping: bool, loop_start: int, loop_end: int, length: int) -> int:
    """The source frame a tap reads: rows count from the frame before the sound, as in a static voice's
    padded source; past the loop's end taps fold into it, and outside the sound they hold its edge."""
    frame = row - 1
    if looping and frame >= loop_end:
        frame -= loop_end - loop_start
    if frame < 0:
        return 0
    if frame >= length:
        return length - 1
    return frame


@kernel
def _ring_frame(pool: np.ndarray, tags: np.ndarray, base: int, tag_base: int, ring: int, frame: int) -> tuple[bool, float, float]:
    slot = frame % ring
    if tags[tag_base + slot] != frame:
        return False, 0.0, 0.0
    r = base + 2 * slot
    return True, pool[r], pool[r + 1]


@kernel
def _stream_sample(pool: np.ndarray, tags: np.ndarray, voice, position: float, looping: bool) -> tuple[bool, float, float]:
    """Both channels at ``position`` from the voice's ring, by the same taps and weights as a static
    voice reads; False when a tap's frame is not in the ring (the decoder is behind)."""
    whole = int(position)
    x = np.float32(position - whole)
    # Horner's form: fewer multiplies a frame than the powers of x, the same weights to float32 rounding.
    x2 = x * x
    w0 = x * (np.float32(-0.5) + x * (np.float32(1.0) - np.float32(0.5) * x))
    w1 = np.float32(1.0) + x2 * (np.float32(1.5) * x - np.float32(2.5))
    w2 = x * (np.float32(0.5) + x * (np.float32(2.0) - np.float32(1.5) * x))
    w3 = x2 * (np.float32(0.5) * x - np.float32(0.5))
    ls, le, length = int(voice.loop_start), int(voice.loop_end), voice.length
    left = np.float32(0.0)
    right = np.float32(0.0)
    for j in range(4):
        frame = _frame_of(whole + j, looping, ls, le, length)
        ok, a, b = _ring_frame(pool, tags, voice.src_base, voice.tags, voice.ring, frame)
        if not ok:
            return False, 0.0, 0.0
        w = w0 if j == 0 else (w1 if j == 1 else (w2 if j == 2 else w3))
        left += w * np.float32(a)
        right += w * np.float32(b)
    return True, left, right


@kernel
def _play_stream(voice, table: np.ndarray, pool: np.ndarray, tags: np.ndarray, dest: np.ndarray,
                 doppler: np.ndarray, offset: int, n: int, rv: int, rp: int, rr: int, rf: int,
                 scratch: np.ndarray, gain: np.ndarray, pans: np.ndarray, fade_end: int) -> tuple[bool, float, bool]:
    """A streaming voice from ``offset`` to the chunk's end, read from its ring.

    Returns (reached its end, the position where a fade reached silence or
    -1, underflow). When a frame the chunk needs is not in the ring yet,
    the voice plays nothing this chunk and holds its position: the decoder
    is behind, and is counted, never waited for.
    """
    vol, pan, rate, fade, positions = scratch[0], scratch[1], scratch[2], scratch[3], scratch[5]
    m = n - offset
    start = voice.position
    step = voice.step
    length = voice.length
    loop_start, loop_end = voice.loop_start, voice.loop_end
    looping = voice.has_loop != 0
    shift, shift_slope = doppler[voice.dest, 0], doppler[voice.dest, 1]
    unit = table[voice.rate].unit
    rate_const = table[voice.rate].value
    if rr == pk.CONSTANT and shift_slope == 0.0:
        # As a static voice steps: from the chunk's start, not frame by frame, so long plays do not drift.
        s = step * pk.factor(unit, rate_const) * shift
        for k in range(m):
            positions[k] = start + k * s
        following = start + s * m
    else:
        p = start
        for k in range(m):
            positions[k] = p
            p += step * pk.factor(unit, pk.at(rr, rate, rate_const, offset + k)) * (shift + (offset + k) * shift_slope)
        following = p
    if looping:
        for k in range(m):
            if positions[k] >= loop_end:
                positions[k] = _wrap(positions[k], loop_start, loop_end)
        if following >= loop_end:
            following = _wrap(following, loop_start, loop_end)
    audible = m
    finished = False
    if not looping:
        finished = following >= length
        for k in range(m):
            if positions[k] >= length:
                audible = k
                break
    crossfade = 0
    tail_step = 0.0
    if voice.seeking != 0:
        crossfade = min(SEEK_CROSSFADE_FRAMES, audible)
        tail_step = step * pk.factor(unit, pk.at(rr, rate, rate_const, offset)) * (shift + offset * shift_slope)
    for k in range(audible):
        ok, a, b = _stream_sample(pool, tags, voice, positions[k], looping)
        if not ok:
            return False, -1.0, True
    for k in range(crossfade):
        old = min(max(voice.seek_from + k * tail_step, 0.0), length - 1.0)
        ok, a, b = _stream_sample(pool, tags, voice, old, False)
        if not ok:
            crossfade = 0  # the frames it was playing are gone: jump without the crossfade
            break
    frozen = -1.0
    if 0 <= fade_end - offset < m:
        index = fade_end - offset
        frozen = positions[index]
        if index <= audible:
            finished = False
    voice.position = following
    voice.seeking = 0
    if audible <= 0:
        return finished, frozen, False
    gain_mode, ga, gb = _gains(table, voice, rv, rf, vol, fade, offset, audible, gain)
    p_const = table[voice.panning].value
    out = dest[voice.dest]
    running = ga
    for k in range(audible):
        if gain_mode == GAIN_CONSTANT:
            g = ga
        elif gain_mode == GAIN_GEOMETRIC:
            g = running
            running *= gb
        else:
            g = gain[k]
        mix = (pk.at(rp, pan, p_const, offset + k) + 1.0) * 0.5
        ok, left, right = _stream_sample(pool, tags, voice, positions[k], looping)
        if k < crossfade:
            fade_in = (k + 1.0) / (SEEK_CROSSFADE_FRAMES + 1.0)
            old = min(max(voice.seek_from + k * tail_step, 0.0), length - 1.0)
            ok, tail_left, tail_right = _stream_sample(pool, tags, voice, old, False)
            left = left * fade_in + tail_left * (1.0 - fade_in)
            right = right * fade_in + tail_right * (1.0 - fade_in)
        out[0, offset + k] += g * left * math.sqrt(1.0 - mix) * SQRT2
        out[1, offset + k] += g * right * math.sqrt(mix) * SQRT2
    return finished, frozen, False


@kernel
def render(active: np.ndarray, count: int, voices: np.ndarray, pool: np.ndarray, table: np.ndarray,
           frame: int, n: int, clock_times: np.ndarray, clock_ticking: np.ndarray,
           clock_generations: np.ndarray, source_values: np.ndarray, source_generations: np.ndarray,
           dest: np.ndarray, doppler: np.ndarray, scratch: np.ndarray, gain: np.ndarray, pans: np.ndarray,
           shared: np.ndarray, flagged: np.ndarray, tags: np.ndarray) -> int:
    """Render the chunk of every active voice into ``dest`` (tracks, 2, chunk). Runs on the audio thread.

    ``active[:count]`` are the slots of the voices to render. ``scratch``
    (6, chunk) float64, ``gain`` (chunk,) and ``pans`` (2 * chunk,) float32
    are working space. Returns how many slots it wrote to ``flagged``; each
    such voice's ``events`` says why.
    """
    flagged_count = 0
    for a in range(count):
        slot = active[a]
        voice = voices[slot]
        events = 0
        rv = pk.evaluate(table, voice.volume, frame, n, clock_times, clock_ticking, clock_generations,
                         source_values, source_generations, scratch[0])
        rp = pk.evaluate(table, voice.panning, frame, n, clock_times, clock_ticking, clock_generations,
                         source_values, source_generations, scratch[1])
        rr = pk.evaluate(table, voice.rate, frame, n, clock_times, clock_ticking, clock_generations,
                         source_values, source_generations, scratch[2])
        if (table[voice.volume].status == pk.STATUS_CLOCK_GONE or table[voice.panning].status == pk.STATUS_CLOCK_GONE
                or table[voice.rate].status == pk.STATUS_CLOCK_GONE):
            events |= EV_TWEEN_CLOCK_GONE
        state = voice.state
        render_now = True
        offset = 0
        if state == STOPPED:
            events |= EV_FINISHED
            render_now = False
        elif state == PAUSED:
            render_now = False
        elif voice.started == 0 or state == WAITING_TO_RESUME:
            resolved = pk.resolve(voice.wait_kind, voice.wait_clock, voice.wait_generation, voice.wait_value,
                                  frame, n, clock_times, clock_ticking, clock_generations)
            if resolved == pk.CLOCK_GONE:
                events |= EV_START_CLOCK_GONE
                render_now = False
            elif resolved < 0:
                render_now = False
            else:
                offset = resolved
                voice.wait_kind = pk.PEND_NONE
                if voice.started == 0:
                    voice.started = 1
                    fade_row = table[voice.fade]
                    if fade_row.pend_kind == pk.PEND_OWNER:
                        fade_row.t0 = frame + offset
                        fade_row.start = fade_row.value
                        fade_row.pend_kind = pk.PEND_NONE
                if state == WAITING_TO_RESUME:
                    voice.state = state = RESUMING
        rf = pk.evaluate(table, voice.fade, frame, n, clock_times, clock_ticking, clock_generations,
                         source_values, source_generations, scratch[3])
        if table[voice.fade].status == pk.STATUS_CLOCK_GONE:
            events |= EV_TWEEN_CLOCK_GONE
        if render_now:
            finished_at = table[voice.fade].finished_at
            fade_end = finished_at if finished_at >= 0 and (state == PAUSING or state == STOPPING) else -1
            if voice.ring == 0:
                finished, frozen = _play(voice, table, pool, dest, doppler, offset, n, rv, rp, rr, rf, scratch, gain,
                                         pans, fade_end)
            else:
                finished, frozen, short = _play_stream(voice, table, pool, tags, dest, doppler, offset, n, rv, rp,
                                                       rr, rf, scratch, gain, pans, fade_end)
                if short:
                    # Counted where the handle reads it; no event, which would come every chunk.
                    shared[slot].underflows += 1
            if finished_at >= 0:
                if state == PAUSING or state == STOPPING:
                    if frozen >= 0.0:
                        # Resume (or the frozen stop) continues where the fade reached silence.
                        voice.position = frozen
                    if state == PAUSING:
                        voice.state = PAUSED
                        if voice.deferred != 0:
                            events |= EV_DEFERRED_RESUME
                    else:
                        voice.state = STOPPED
                        events |= EV_FINISHED
                elif state == RESUMING:
                    voice.state = PLAYING
            if finished and voice.state != STOPPED:
                voice.state = STOPPED
                events |= EV_FINISHED
        record = shared[slot]
        record.state = voice.state
        record.waiting = 1 if voice.started == 0 and voice.wait_kind != pk.PEND_NONE and voice.state != STOPPED else 0
        position = voice.position
        if position < 0.0:
            position = 0.0
        elif position > voice.length:
            position = float(voice.length)
        record.position = position / voice.sample_rate
        record.volume = table[voice.volume].value
        record.panning = table[voice.panning].value
        record.playback_rate = pk.factor(table[voice.rate].unit, table[voice.rate].value)
        if events != 0:
            voice.events = events
            flagged[flagged_count] = slot
            flagged_count += 1
    return flagged_count
