"""The state-variable filter both the filter and the EQ filter run on.

Andrew Simper's linear trapezoidal SVF (Cytomic, "SvfLinearTrapOptimised2"),
as Kira's filters: two integrator states per channel, coefficients from
``g = tan(pi * f / rate)`` and a damping ``k``, and an output
``m0 * input + m1 * band + m2 * low``. The response is exactly the bilinear
transform (with the cutoff prewarped) of the analog prototype, and it stays
well-behaved while its coefficients change every frame, which is why it
suits swept filters.

States are float64 (Kira's are float32), which keeps the response within
hundredths of a dB of the design down to 20 Hz.
"""

from __future__ import annotations

import math

import numpy as np

from ..jit import kernel
from .kernels import FLUSH, LN10_OVER_40, dry_gain, flush, wet_gain

# Shapes: the filter's four modes, then the EQ's three kinds.
LOW_PASS, BAND_PASS, HIGH_PASS, NOTCH, BELL, LOW_SHELF, HIGH_SHELF = range(7)

# tan(pi * f / rate) grows without bound at the Nyquist frequency; above this
# fraction of the rate a cutoff acts as this fraction (Kira clamps at 0.5).
MAX_RELATIVE_FREQUENCY = 0.49
MIN_Q = 0.01  # as Kira
STATES = 4  # ic1eq and ic2eq, left then right


@kernel
def design(shape: int, frequency: float, p1: float, p2: float, inv_rate: float):
    """Coefficients (a1, a2, a3, m0, m1, m2) of ``shape`` at ``frequency`` (Hz).

    For the filter modes ``p1`` is the resonance (0..1, Kira's damping
    ``k = 2 - 1.9 * resonance``); for the EQ kinds ``p1`` is the gain in dB
    and ``p2`` the Q.
    """
    relative = min(max(frequency * inv_rate, 0.0), MAX_RELATIVE_FREQUENCY)
    g = math.tan(math.pi * relative)
    if shape <= NOTCH:
        k = 2.0 - 1.9 * min(max(p1, 0.0), 1.0)
        if shape == LOW_PASS:
            m0, m1, m2 = 0.0, 0.0, 1.0
        elif shape == BAND_PASS:
            m0, m1, m2 = 0.0, 1.0, 0.0
        elif shape == HIGH_PASS:
            m0, m1, m2 = 1.0, -k, -1.0
        else:
            m0, m1, m2 = 1.0, -k, 0.0
    else:
        a = math.exp(p1 * LN10_OVER_40)
        q = max(p2, MIN_Q)
        if shape == BELL:
            k = 1.0 / (q * a)
            m0, m1, m2 = 1.0, k * (a * a - 1.0), 0.0
        elif shape == LOW_SHELF:
            g = g / math.sqrt(a)
            k = 1.0 / q
            m0, m1, m2 = 1.0, k * (a - 1.0), a * a - 1.0
        else:
            g = g * math.sqrt(a)
            k = 1.0 / q
            m0, m1, m2 = a * a, k * (1.0 - a) * a, 1.0 - a * a
    a1 = 1.0 / (1.0 + g * (g + k))
    a2 = g * a1
    a3 = g * a2
    return a1, a2, a3, m0, m1, m2


@kernel
def svf_kernel(buffer, start, stop, values, changing, state, shape, inv_rate, p1_row, p2_row, mix_row):
    """Filter ``buffer[:, start:stop]`` in place. Runs on the audio thread.

    ``values`` rows: 0 the frequency, ``p1_row`` and ``p2_row`` the shape's
    parameters, ``mix_row`` the dry/wet blend. Coefficients are computed
    once while their rows are constant, every frame while one changes.
    """
    redesign = changing[0] != 0 or changing[p1_row] != 0 or changing[p2_row] != 0
    mixing = changing[mix_row] != 0
    a1, a2, a3, m0, m1, m2 = design(shape, values[0, start], values[p1_row, start],
                                    values[p2_row, start], inv_rate)
    mix = values[mix_row, start]
    wet = wet_gain(mix)
    dry = dry_gain(mix)
    ic1l = state[0]
    ic2l = state[1]
    ic1r = state[2]
    ic2r = state[3]
    for n in range(start, stop):
        if redesign:
            a1, a2, a3, m0, m1, m2 = design(shape, values[0, n], values[p1_row, n], values[p2_row, n], inv_rate)
        if mixing:
            mix = values[mix_row, n]
            wet = wet_gain(mix)
            dry = dry_gain(mix)
        xl = np.float64(buffer[0, n])
        xr = np.float64(buffer[1, n])
        v3 = xl - ic2l
        v1 = a1 * ic1l + a2 * v3
        v2 = ic2l + a2 * ic1l + a3 * v3
        ic1l = flush(2.0 * v1 - ic1l)
        ic2l = flush(2.0 * v2 - ic2l)
        yl = m0 * xl + m1 * v1 + m2 * v2
        v3 = xr - ic2r
        v1 = a1 * ic1r + a2 * v3
        v2 = ic2r + a2 * ic1r + a3 * v3
        ic1r = flush(2.0 * v1 - ic1r)
        ic2r = flush(2.0 * v2 - ic2r)
        yr = m0 * xr + m1 * v1 + m2 * v2
        if mix > 0.0:
            buffer[0, n] = yl * wet + xl * dry
            buffer[1, n] = yr * wet + xr * dry
    state[0] = ic1l
    state[1] = ic2l
    state[2] = ic1r
    state[3] = ic2r


def tail_seconds(shape: int, frequency: float, p1: float, p2: float, sample_rate: int) -> float:
    """How long the filter rings after its input stops, until its states are exactly 0.

    From the spectral radius of the state update (the slowest decay per
    frame), from a state 80 dB over full scale down to ``FLUSH``, with half
    as much again for the polynomial factor of coinciding poles. Runs on the
    caller's side.
    """
    a1, a2, a3, _, _, _ = design(shape, frequency, p1, p2, 1.0 / sample_rate)
    update = np.array([[2.0 * a1 - 1.0, -2.0 * a2], [2.0 * a2, 1.0 - 2.0 * a3]])
    radius = float(np.max(np.abs(np.linalg.eigvals(update))))
    if radius >= 1.0:
        return math.inf
    frames = 1.5 * math.log(1e4 / FLUSH) / -math.log(radius) + 64
    return frames / sample_rate
