"""The engine's one exception hierarchy. The service maps it to HTTP in one place."""

from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine raises at a call."""


class InvalidValue(EngineError, ValueError):
    """A value given to the engine is out of range or of the wrong kind.

    ``field`` names the argument or settings field at fault.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ResourceLimitReached(EngineError):
    """The arena for this kind of Thing is full (see ``Capacities``), or a track plays all the sounds it may.

    ``setting`` names the limit (a ``Capacities`` field, or a track's
    ``sound_capacity``); ``field`` the argument at fault, when one is.
    """

    def __init__(self, kind: str, capacity: int, setting: str | None = None, field: str | None = None,
                 message: str | None = None) -> None:
        setting = setting or kind
        super().__init__(message or f"cannot add another {kind}: the limit of {capacity} ({setting}) is reached")
        self.kind = kind
        self.capacity = capacity
        self.setting = setting
        self.field = field


class CommandQueueFull(EngineError):
    """The command channel to the audio thread is full; nothing was sent.

    Commands already queued are kept; try again after a block has played.
    """

    def __init__(self, capacity: int) -> None:
        super().__init__(f"the command queue is full ({capacity} commands waiting for the audio thread)")
        self.capacity = capacity


class UnsupportedAudio(EngineError):
    """A file or array could not be decoded as audio."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(message)
        self.field = field


class OutputError(EngineError):
    """The output (device, stream) could not be opened or failed."""


class WrongOutput(EngineError):
    """An operation needs another kind of output (``render`` needs 'offline')."""


class OutOfMemory(EngineError):
    """Shared memory for sound data or effect state could not be had.

    The message says how much was asked for and how much is in use; see
    ``AudioManagerSettings.shared_memory``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.field = "memory"


class AudioProcessLost(EngineError):
    """The audio process stopped answering; the manager is starting another."""
