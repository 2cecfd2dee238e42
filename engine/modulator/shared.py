"""What a modulator shares with its handle: its value at the end of the last chunk."""

import numpy as np

SHARED = np.dtype([
    ("generation", np.int64),
    ("removed", np.int64),
    ("value", np.float64),
], align=True)
