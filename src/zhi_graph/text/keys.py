"""Comparison keys for names: the normalisation the annotation guide scores with."""

from __future__ import annotations

import re
import unicodedata

_STRIP = re.compile(r"[《》〈〉“”‘’\"'「」『』\s]")


def name_key(name: str) -> str:
    """NFKC, brackets unified, title marks and quotes stripped, whitespace removed."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", name))
