"""Comparison keys for names: the normalisation the annotation guide scores with."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_STRIP = re.compile(r"[《》〈〉“”‘’\"'「」『』\s]")


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """NFKC, brackets unified, title marks and quotes stripped, whitespace removed.

    Cached: the same names are keyed again and again while resolving and relating.
    """
    return _STRIP.sub("", unicodedata.normalize("NFKC", name))
