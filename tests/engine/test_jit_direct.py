"""``jit.direct``: a kernel's compiled code for one call site's types, called without numba's dispatch."""

import numpy as np

from mixdeck.engine.effect import kernels as ek
from mixdeck.engine.jit import direct
from mixdeck.engine.warmup import warm_up


def test_the_entry_point_gives_what_the_dispatcher_gives_and_only_for_compiled_types():
    warm_up()
    buffer = np.random.default_rng(5).uniform(-1, 1, size=(2, 64)).astype(np.float32)
    dry = np.random.default_rng(6).uniform(-1, 1, size=(2, 64)).astype(np.float32)
    wet = np.linspace(0.0, 1.0, 64)
    entry = direct(ek.crossfade, buffer, dry, wet, 64)
    assert entry is not None and entry is not ek.crossfade
    through_entry, through_dispatch = buffer.copy(), buffer.copy()
    entry(through_entry, dry, wet, 64)
    ek.crossfade(through_dispatch, dry, wet, 64)
    assert np.array_equal(through_entry, through_dispatch)
    assert not np.array_equal(through_entry, buffer)
    # Types the kernel was never compiled for get no entry point: the caller keeps the dispatcher.
    assert direct(ek.crossfade, buffer.astype(np.float64), dry, wet, 64) is None
    assert direct(ek.crossfade, object(), dry, wet, 64) is None
