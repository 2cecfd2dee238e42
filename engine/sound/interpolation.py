"""Four-point, third-order Hermite interpolation (Niemitalo's x-form, as Kira uses).

A frame at fractional position ``i + x`` is ``sum(w_j(x) * y[i + j])`` for
taps j = -1, 0, 1, 2. The weights are cubic polynomials in x; ``HERMITE``
holds their coefficients so that ``HERMITE @ [1, x, x^2, x^3]`` gives all
four weights at once. At x = 0 the weights are exactly (0, 1, 0, 0), so
frames at whole positions come through bit for bit.
"""

import numpy as np

# Rows: the taps at -1, 0, 1, 2; columns: the coefficients of 1, x, x^2, x^3.
HERMITE = np.array([
    [0.0, -0.5, 1.0, -0.5],
    [1.0, 0.0, -2.5, 1.5],
    [0.0, 0.5, 2.0, -1.5],
    [0.0, 0.0, -0.5, 0.5],
], dtype=np.float32)

# Sources carry one padding frame before the sound, so the tap at -1 of
# position i is index i + 0 of the padded source.
TAPS = np.array([0, 1, 2, 3], dtype=np.intp)[:, None]
