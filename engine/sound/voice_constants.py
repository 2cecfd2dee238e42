"""Constants voices and their scratch share."""

import numpy as np

# A seek crossfades over this many frames (about 2.7 ms at 48 kHz).
SEEK_CROSSFADE_FRAMES = 128
FADE_IN = (np.arange(SEEK_CROSSFADE_FRAMES, dtype=np.float64) + 1.0) / (SEEK_CROSSFADE_FRAMES + 1.0)
FADE_OUT = 1.0 - FADE_IN
