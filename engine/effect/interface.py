"""The one interface every effect's audio-thread class has; the mixer relies on exactly this."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

import numpy as np


class EffectDsp(Protocol):
    """An effect on the audio thread.

    ``PARAMS`` names the rows of ``values`` (the builder's tweenable fields,
    in its ``SPECS`` order); ``CHOICES`` the discrete settings that
    ``set_choice`` may change (mode, kind) with their allowed values.
    """

    PARAMS: ClassVar[tuple[str, ...]]
    CHOICES: ClassVar[dict[str, tuple[str, ...]]]

    @staticmethod
    def memory_bytes(settings: Any, sample_rate: int, chunk_size: int) -> int:
        """Bytes of zeroed, 64-byte aligned memory the caller allocates for the state (may be 0)."""

    def process(self, buffer: np.ndarray, start: int, stop: int, values: np.ndarray,
                changing: np.ndarray) -> None:
        """Transform ``buffer[:, start:stop]`` in place. Runs on the audio thread.

        ``buffer`` float32 (2, chunk_size) C-contiguous, left row then right.
        ``values`` float64 (len(PARAMS), chunk_size): each parameter per frame,
        in its spec's unit, read in columns start..stop. ``changing`` uint8
        (len(PARAMS),): 0 where the row is constant over the chunk.
        """

    def reset(self) -> None:
        """Forget the signal so far, as if just built."""

    @staticmethod
    def tail_seconds(settings: Any, sample_rate: int) -> float:
        """Seconds after the input falls silent until the output is exactly 0 (``math.inf``: never)."""
