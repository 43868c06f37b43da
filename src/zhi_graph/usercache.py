"""Values a process derives from installed files, kept on disk for the next process.

Every build, and every ``zhi-graph extract``, starts by reading jieba's
dictionary of 350,000 words and working out the frequency of each of the
10,000 names it adds to the tokenizer: 0.4 s, before a worker can start,
that comes out the same until zhi-graph, its data or jieba change.  It is
kept here, as jieba keeps its own parsed dictionary (``/tmp/jieba.cache``),
under a key naming everything it was derived from.

The folder is ``$ZHI_GRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/zhi-graph``,
else ``~/.cache/zhi-graph``; ``ZHI_GRAPH_CACHE_DIR=off`` keeps nothing.
Values are ``marshal`` data (builtin types only, read ten times faster than
parsed): a file that does not read back as what was stored, or was made for
another key, is ignored and written again, and a folder that cannot be
written costs only the time saved.  Files are written beside their place and
renamed, so two processes that write one at once leave one whole file.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path

#: The environment variable naming the folder (or ``off``).
FOLDER_VARIABLE = "ZHI_GRAPH_CACHE_DIR"
OFF = "off"


def folder() -> Path | None:
    """Where values are kept; None when ``FOLDER_VARIABLE`` is ``off``."""
    chosen = os.environ.get(FOLDER_VARIABLE)
    if chosen:
        return None if chosen == OFF else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "zhi-graph"


def key_of(*parts: object) -> str:
    """A key for the values made from ``parts`` (their reprs) by this Python."""
    digest = hashlib.sha256(sys.version.encode())
    for part in parts:
        digest.update(b"\0" + repr(part).encode())
    return digest.hexdigest()[:24]


def load(name: str, key: str) -> object | None:
    """The value stored under ``name`` for ``key``, or None."""
    where = folder()
    if where is None:
        return None
    try:
        data = (where / f"{name}.marshal").read_bytes()
        stored_key, value = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if stored_key == key else None


def store(name: str, key: str, value: object) -> None:
    """Keep ``value`` (builtin types only) under ``name`` for ``key``, if the folder allows."""
    where = folder()
    if where is None:
        return
    data = marshal.dumps((key, value))  # type: ignore[arg-type]  # builtin types only
    with contextlib.suppress(OSError):
        where.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=where)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, where / f"{name}.marshal")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
