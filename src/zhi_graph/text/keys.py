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


# The first character of a name that means different bodies in different
# regions' documents (省档案馆, 市委), and the level it is relative to.
RELATIVE_LEVEL = {
    "省": "province",
    "市": "prefecture",
    "州": "prefecture",
    "县": "county",
    "区": "county",
}


def is_relative_name(name: str) -> bool:
    """省档案馆, 市委: a name that means different bodies in different regions' documents."""
    return name[:1] in RELATIVE_LEVEL
