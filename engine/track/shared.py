"""What a track shares with its handle: volume, panning and meters, in shared memory.

Meters are amplitudes per channel: peak (falling about 20 dB a second) and
RMS (averaged over about 300 ms) of what the track sends on, after its
effects, volume and panning.
"""

import numpy as np

SHARED = np.dtype([
    ("generation", np.int64),
    ("removed", np.int64),
    ("volume", np.float64),
    ("panning", np.float64),
    ("peak", np.float64, (2,)),
    ("rms", np.float64, (2,)),
    ("muted", np.int64),
    ("soloed", np.int64),
    ("audible", np.int64),
    # Spatial tracks: where they are (metres) and how far from their listener.
    ("position", np.float64, (3,)),
    ("distance", np.float64),
], align=True)
