"""What a clock shares with its handle: one record per clock slot, in shared memory.

``time`` is the clock's time in ticks as one float (whole ticks and the
fraction of the next), written in one store so a reader never sees half of it.
"""

import numpy as np

SHARED = np.dtype([
    ("generation", np.int64),
    ("removed", np.int64),
    ("ticking", np.int64),
    ("time", np.float64),
    ("speed", np.float64),
], align=True)
