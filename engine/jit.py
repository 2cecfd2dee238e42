"""How the engine's compiled kernels are built: numba, cached in a user cache folder.

Every kernel that runs on the audio thread is decorated with ``kernel``: it
compiles to machine code that releases the interpreter lock while it runs.
Compiled code is cached on disk, so only the first start on a machine pays
for compiling; ``warm_up`` (called when an AudioManager starts, never on the
audio thread) loads every kernel before the first block.

numba keys its cache on the file that holds a function, not on the files of
the functions it calls, so a kernel could keep stale code of a helper edited
in another file. The cache folder is therefore named after a hash of the
engine's sources: any change starts a fresh cache.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_ENGINE = Path(__file__).resolve().parent
# Cache folders of older sources kept beside the current one (another
# checkout or version on the same machine may still use them).
KEEP_OLD_CACHES = 4


def _sources_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(_ENGINE.rglob("*.py")):
        digest.update(str(path.relative_to(_ENGINE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_root() -> Path:
    """Where compiled kernels of all versions go: ``$MIXDECK_CACHE_DIR`` or the user cache folder."""
    configured = os.environ.get("MIXDECK_CACHE_DIR")
    if configured:
        return Path(configured) / "kernels"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mixdeck" / "kernels"


def _prepare_cache() -> Path:
    root = cache_root()
    folder = root / _sources_hash()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        others = sorted((p for p in root.iterdir() if p.is_dir() and p != folder),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[KEEP_OLD_CACHES:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        # Not writable: numba then compiles on every start, which is slow but correct.
        pass
    return folder


CACHE_DIR = _prepare_cache()
os.environ["NUMBA_CACHE_DIR"] = str(CACHE_DIR)

import numba  # noqa: E402 - reads NUMBA_CACHE_DIR at import
from numba.core import config as _numba_config  # noqa: E402

# numba may have been imported before this module; its locator reads the setting when a kernel is decorated.
_numba_config.CACHE_DIR = str(CACHE_DIR)

_KERNELS: list[Any] = []
FASTMATH = {"contract", "arcp", "nsz"}


def kernel(function: F) -> F:
    """Compile ``function`` for the audio thread: no interpreter lock, cached, no bounds checks.

    Kernels must index only within the arrays they are given: nothing checks
    it at run time. ``error_model='numpy'`` makes a division by zero give
    inf or nan instead of raising, as numpy does. Of the fast-math licences
    only those that keep results deterministic and finite are taken: fused
    multiply-adds, reciprocals, and no care for the sign of zero; operations
    are never reordered and infinities and NaN keep their meaning.
    """
    compiled = numba.njit(nogil=True, cache=True, error_model="numpy", boundscheck=False,
                          fastmath=FASTMATH)(function)
    _KERNELS.append(compiled)
    return compiled  # type: ignore[no-any-return]


def kernels() -> list[Any]:
    """Every kernel decorated so far (for warm-up and for tests)."""
    return list(_KERNELS)


def direct(dispatcher: Any, *args: Any) -> Callable[..., Any] | None:
    """The machine code ``dispatcher`` compiled for exactly the types of ``args``, called without dispatch.

    A call through numba's dispatcher first works out the type of every
    argument: about a microsecond for a dozen arrays and one more for each
    record array (the mixer's tables), every chunk, at every call site.
    The entry point returned here skips that and trusts its caller: it must
    only be given arguments of the types of ``args`` (dtype, dimensions,
    layout), as the engine's own arrays at one call site always are. None
    when no compiled version fits yet (the caller then calls the
    dispatcher, which compiles or loads it, and asks again later).
    """
    from numba.core.typing.typeof import Purpose, typeof

    try:
        types = tuple(typeof(arg, Purpose.argument) for arg in args)
    except ValueError:
        return None
    overload = dispatcher.overloads.get(types)
    return None if overload is None else overload.entry_point
