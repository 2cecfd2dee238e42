"""What a voice shares with its handle: one record per sound slot, in shared memory.

The audio thread writes a voice's record at the end of every chunk; a handle
reads it without locks or round trips. ``generation`` is written by the
caller when it reserves the slot, so a handle whose key is older sees that
its voice is gone; ``removed`` is the generation the audio thread finished
with, which tells the caller the slot may be reused.
"""

import numpy as np

SHARED = np.dtype([
    ("generation", np.int64),
    ("removed", np.int64),
    ("state", np.int64),
    ("waiting", np.int64),
    ("position", np.float64),
    ("volume", np.float64),
    ("panning", np.float64),
    ("playback_rate", np.float64),
    ("loop_start", np.float64),
    ("loop_end", np.float64),
    # A streaming voice: chunks it played nothing in because the decoder was behind, and the seeks it applied.
    ("underflows", np.int64),
    ("seeks", np.int64),
], align=True)
