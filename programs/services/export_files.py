"""Large exports kept on disk for the data version they were drawn from.

The first download of a large export after a write streams from the database
as usual and, as it goes, is written to a file named after the data version
(``DataVersion``, which every write changes in the same transaction) and the
export's query. The next download of the same export, while no write has
happened, is that file, sent as it is. A file is kept only when

- the stream ran to its end (a download broken off leaves nothing behind), and
- the data version read after the last row is the one read before the first:
  no write landed in between, so the file holds exactly that version's rows;

and only when it is at least ``EXPORT_FILES_MIN_BYTES`` long (a small export
is quicker to draw again than to keep). Files of other versions are removed
when a new one is kept, and at most ``EXPORT_FILES_MAX`` files are kept.
Set ``EXPORT_FILES_DIR`` to None (``DJANGO_EXPORT_FILES_DIR=""``) to turn it off.
"""

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings

from programs.services.page_cache import current, version

# The parameters that do not change what an export holds.
IGNORED_PARAMETERS = ("page", "per_page")
# A part file older than this belongs to a worker that died mid-export.
STALE_PART_SECONDS = 24 * 3600


def directory() -> Path | None:
    configured = settings.EXPORT_FILES_DIR
    return Path(configured) if configured else None


def export_key(request, fmt: str) -> str:
    """What an export holds, as text: its list, its parameters in a fixed
    order (``?b=1&a=2`` and ``?a=2&b=1`` are the same export) and its format."""
    items = sorted(
        (name, value) for name, values in request.GET.lists() if name not in IGNORED_PARAMETERS for value in values
    )
    return f"{request.path_info}?{items!r}.{fmt}"


def _name(number: int, key: str) -> str:
    return f"{number}-{hashlib.sha256(key.encode()).hexdigest()[:32]}"


class ExportFile:
    """The file for one export at the request's data version. ``version()`` is
    read once per request and kept, and the list view reads it before any query
    of its own (its filters' included), so the number here is the one from
    before the export's rows were read (see the module)."""

    def __init__(self, key: str, using: str):
        self.folder = directory()
        self.using = using
        self.number = version(using) if self.folder else None
        self.path = self.folder / f"{_name(self.number, key)}.export" if self.number is not None else None

    def exists(self) -> bool:
        return self.path is not None and self.path.is_file()

    def keep(self, chunks: Iterable[str]) -> Iterator[str]:
        """``chunks`` as they are, also written to the file, which is kept once
        the last chunk has gone out if no write landed meanwhile. A folder that
        cannot be written (read-only, full) only means nothing is kept."""
        if self.path is None:
            yield from chunks
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            descriptor, part = tempfile.mkstemp(dir=self.folder, suffix=".part")
            file = os.fdopen(descriptor, "w", encoding="utf-8", newline="")
        except OSError:
            yield from chunks
            return
        kept = False
        try:
            for chunk in chunks:
                if file is not None:
                    try:
                        file.write(chunk)
                    except OSError:
                        _close(file)
                        file = None
                yield chunk
            if file is not None:
                size, closed = file.tell(), _close(file)
                file = None
                if closed and size >= settings.EXPORT_FILES_MIN_BYTES and current(self.using) == self.number:
                    with contextlib.suppress(OSError):  # kept or not, the download is complete
                        os.replace(part, self.path)
                        kept = True
                        _prune(self.folder, self.number)
        finally:
            if file is not None:
                _close(file)
            if not kept:
                Path(part).unlink(missing_ok=True)


def _close(file) -> bool:
    """Whether the file was written out whole (a full disk may fail the last write)."""
    try:
        file.close()
    except OSError:
        return False
    return True


def _prune(folder: Path, number: int) -> None:
    """Remove files of other versions, all but the newest files of this one,
    and part files left by a worker that died."""
    now = time.time()
    ours = []
    for path in folder.iterdir():
        try:
            if path.suffix == ".part":
                if now - path.stat().st_mtime > STALE_PART_SECONDS:
                    path.unlink(missing_ok=True)
            elif path.suffix == ".export":
                if path.name.startswith(f"{number}-"):
                    ours.append((path.stat().st_mtime, path))
                else:
                    path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue  # another worker pruned it first
    ours.sort(reverse=True)
    for _, path in ours[settings.EXPORT_FILES_MAX :]:
        path.unlink(missing_ok=True)
