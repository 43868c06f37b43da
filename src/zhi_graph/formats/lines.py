"""Joining the pieces of a paragraph that a layout cut apart, shared by the readers."""

from __future__ import annotations

import re

from ..text import patterns

# Characters that sit next to Chinese text without a space: CJK ideographs,
# full-width punctuation and the CJK symbols block.
_WIDE = re.compile(f"[{patterns.CJK}\u3000-\u303f\uff00-\uffef\u2014\u2026\u2018-\u201d]")
# A Latin word broken with a hyphen at the end of a line: "chroni-" + "cle".
_HYPHENATED = re.compile(r"[A-Za-z]-$")
_LOWER_START = re.compile(r"^[a-z]")


def join(before: str, after: str) -> str:
    """``before`` and ``after`` as one run of text, as if no line break had been there.

    Chinese has no spaces between words, so a break next to a CJK character
    or full-width mark disappears; a Latin word hyphenated at the break is
    rejoined without its hyphen ("chroni-" "cle"), a compound keeps it
    ("Sino-" "Tibetan"); other words keep one space between them.
    """
    if not before or not after:
        return before + after
    if _HYPHENATED.search(before) and _LOWER_START.match(after):
        return before[:-1] + after
    if _WIDE.match(before[-1]) or _WIDE.match(after[0]) or before[-1] in " -/":
        return before + after
    return f"{before} {after}"


def join_all(pieces: list[str]) -> str:
    text = ""
    for piece in pieces:
        text = join(text, piece)
    return text
