"""Which file of the media folder is which sound id, kept in the folder so ids survive a restart.

The index is a small JSON file in the media folder (`.mixdeck-library.json`):

    {"next": 8, "files": {"drum.wav": {"id": "snd-2"}, "kick.wav": {"id": "snd-6", "uploaded": true},
                          "rain.flac": {"id": "snd-7", "streaming": true}},
     "removed": ["noise.wav"]}

A file keeps its id for as long as it is in the index, whatever is added
beside it; an id is never given twice (`next` only grows). Files deleted
through the API that the service did not write itself stay on disk and are
listed in `removed`, so they do not come back at the next start. A file
added with a streaming choice (`streaming` true or false) keeps it; one
without is decided by its length at each start.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import RETRY_AFTER_SECONDS, Busy

log = logging.getLogger("mixdeck.service")

INDEX_NAME = ".mixdeck-library.json"
_SOUND_ID = re.compile(r"^snd-(\d+)$")


@dataclass
class IndexedFile:
    id: str
    uploaded: bool = False
    streaming: bool | None = None  # as the client chose when adding it; None = by its length


@dataclass
class LibraryIndex:
    """The media folder's index of sound ids; every change is written through at once."""

    root: Path
    next: int = 1
    files: dict[str, IndexedFile] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, root: Path) -> LibraryIndex:
        index = cls(root)
        path = root / INDEX_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return index
        except (OSError, ValueError) as exc:
            log.warning("ignored the unreadable library index %s (%s); sounds get new ids", path, exc)
            return index
        index._read(raw)
        return index

    def _read(self, raw: Any) -> None:
        if not isinstance(raw, dict):
            return
        files = raw.get("files")
        for rel, item in files.items() if isinstance(files, dict) else ():
            ident = item.get("id") if isinstance(item, dict) else None
            if isinstance(rel, str) and isinstance(ident, str) and _SOUND_ID.match(ident):
                streaming = item.get("streaming")
                choice = streaming if isinstance(streaming, bool) else None
                self.files[rel] = IndexedFile(ident, bool(item.get("uploaded", False)), choice)
        removed = raw.get("removed")
        self.removed = {r for r in removed if isinstance(r, str)} if isinstance(removed, list) else set()
        used = [int(m.group(1)) for f in self.files.values() if (m := _SOUND_ID.match(f.id))]
        given = raw.get("next")
        self.next = max(
            [given if isinstance(given, int) and not isinstance(given, bool) else 1, *(u + 1 for u in used)]
        )

    def relative(self, path: Path) -> str | None:
        """`path` relative to the media folder (posix), or None when it is outside."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def id_for(self, rel: str, uploaded: bool = False) -> str:
        """The id of the file `rel`; a file new to the index gets the next id."""
        known = self.files.get(rel)
        if known is None:
            known = self.files[rel] = IndexedFile(f"snd-{self.next}", uploaded)
            self.next += 1
        self.removed.discard(rel)
        self.save()
        return known.id

    def streaming(self, rel: str | None) -> bool | None:
        """The streaming choice the file `rel` was added with, or None."""
        known = None if rel is None else self.files.get(rel)
        return None if known is None else known.streaming

    def choose_streaming(self, rel: str | None, choice: bool | None) -> None:
        """Keep the streaming choice `rel` was added with (None: no choice given, the file keeps any it had)."""
        known = None if rel is None else self.files.get(rel)
        if known is not None and choice is not None and known.streaming != choice:
            known.streaming = choice
            self.save()

    def mint(self) -> str:
        """An id for a sound that has no file in the folder."""
        ident = f"snd-{self.next}"
        self.next += 1
        self.save()
        return ident

    def replace(self, rel: str) -> str:
        """A new id for `rel` (its file changed and was loaded again as a new sound)."""
        old = self.files.pop(rel, None)
        ident = self.id_for(rel, uploaded=bool(old and old.uploaded))
        self.choose_streaming(rel, None if old is None else old.streaming)
        return ident

    def forget(self, rel: str) -> bool:
        """Take `rel` out of the index; True when the service wrote the file (an upload) and may delete it."""
        known = self.files.pop(rel, None)
        uploaded = bool(known and known.uploaded)
        if not uploaded:
            self.removed.add(rel)
        self.save()
        return uploaded

    def drop_missing(self, present: set[str]) -> None:
        """Forget files that are no longer in the folder (their ids are not given again)."""
        gone = [rel for rel in self.files if rel not in present]
        for rel in gone:
            del self.files[rel]
        self.removed &= present
        if gone:
            self.save()

    def save(self) -> None:
        """Write the index atomically; a folder that cannot be written keeps ids for this run only."""
        data = {
            "next": self.next,
            "files": {
                rel: {
                    "id": f.id,
                    **({"uploaded": True} if f.uploaded else {}),
                    **({} if f.streaming is None else {"streaming": f.streaming}),
                }
                for rel, f in sorted(self.files.items())
            },
            "removed": sorted(self.removed),
        }
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".mixdeck-library-", suffix=".tmp", dir=self.root)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1)
            os.replace(tmp, self.root / INDEX_NAME)
        except OSError as exc:
            log.warning(
                "could not write the library index in %s (%s); ids last until the service stops", self.root, exc
            )


def free_name(root: Path, wanted: str, taken: set[str]) -> str:
    """`wanted`, or 'stem-2.ext', 'stem-3.ext', … : a file name neither in `root` nor among `taken`."""
    stem, suffix = os.path.splitext(wanted)
    candidate, n = wanted, 1
    while candidate in taken or (root / candidate).exists():
        n += 1
        candidate = f"{stem}-{n}{suffix}"
    return candidate


MAX_CONCURRENT_DECODES = 2
MAX_WAITING_DECODES = 8


class DecodeSlots:
    """At most `size` decodes at once and `max_waiting` in line; one more is a 503."""

    def __init__(self, size: int = MAX_CONCURRENT_DECODES, max_waiting: int = MAX_WAITING_DECODES) -> None:
        self._free = asyncio.Semaphore(size)
        self.max_waiting = max_waiting
        self.waiting = 0

    @contextlib.asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        if self._free.locked() and self.waiting >= self.max_waiting:
            raise Busy(
                "too many sounds are being decoded at once; retry shortly",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        self.waiting += 1
        try:
            await self._free.acquire()
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self._free.release()


@dataclass
class Library:
    """What the service knows about its sounds beyond the runtime's registry."""

    slots: DecodeSlots = field(default_factory=DecodeSlots)
    reserved: int = 0  # bytes of decodes under way
    sources: dict[str, tuple[int, int]] = field(default_factory=dict)  # sound id -> (size, mtime) of its file
