"""What an effect shares with its handle: where it is, whether it is bypassed, its parameters' values."""

import numpy as np

# Parameter rows an effect may have (the compressor has the most: six, with its mix).
MAX_PARAMETERS = 7

SHARED = np.dtype([
    ("generation", np.int64),
    ("removed", np.int64),
    ("track", np.int64),
    ("position", np.int64),
    ("bypassed", np.int64),
    ("wet", np.float64),
    ("values", np.float64, (MAX_PARAMETERS,)),
], align=True)
