"""What a listener shares with its handle: its position (metres) and orientation (a quaternion x, y, z, w)."""

import numpy as np

SHARED = np.dtype([
    ("generation", np.int64),
    ("removed", np.int64),
    ("position", np.float64, (3,)),
    ("orientation", np.float64, (4,)),
], align=True)
