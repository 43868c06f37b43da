"""Plain-text files (.txt, .md): the encoding detected, offsets as in the file.

Detection, in order:

1. a byte-order mark: UTF-8, UTF-16 or UTF-32 (little or big endian);
2. NUL bytes and no mark: UTF-16 without a mark when one byte order decodes
   to the characters Chinese text is made of, else binary;
3. strict UTF-8;
4. GB18030 (which also decodes GBK and GB2312) and Big5: when the bytes decode
   both ways, the reading with more characters frequent in Chinese prose wins
   (``data/text/frequent_hanzi.txt``), GB18030 on a tie;
5. UTF-16 without a mark, for text without any ASCII character.

A reading must look like text: few control, private-use or unassigned
characters. Nothing is decoded with replacement characters.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache
from pathlib import Path

from ..errors import InputError, ResourceError
from ..model import ExtractedText
from ..resources import package_root

# Codec names as Document.encoding reports them.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Tried after UTF-8, in this order of preference on a tie.
_LEGACY = ("gb18030", "big5", "cp950")
# How much of a file the frequency score and the NUL test look at: enough to
# decide, bounded for a 50 MB file.
_SAMPLE = 1 << 16


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as UTF-8/16/32, GB18030/GBK/GB2312 or Big5; refuse binary and
    undecodable data. Returns the text (without a byte-order mark) and the codec."""
    if not data.strip():
        raise InputError("the file is empty; give a document with text", path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # Decoded without its mark by a codec that does not strip another.
            text = _strict(data[len(bom) :], encoding.replace("-sig", ""))
            if text is None or not looks_like_text(text):
                raise InputError(
                    f"the file starts with a {encoding} byte-order mark but cannot be decoded "
                    "as it; convert the file to UTF-8",
                    path,
                )
            return _nonblank(text, path), encoding
    if b"\x00" in data[:4096]:
        found = _utf16_without_bom(data)
        if found is None:
            raise InputError(
                "looks like a binary file, not text; give a .txt or .md document", path
            )
        return _nonblank(found[0], path), found[1]
    text = _strict(data, "utf-8")
    # Valid UTF-8 with multi-byte characters is no accident: private-use and
    # newer characters in it are the author's.
    if text is not None and looks_like_text(text, odd_characters=True):
        return text, "utf-8-sig"
    readings = []
    for encoding in _LEGACY:
        text = _strict(data, encoding)
        if text is not None and looks_like_text(text):
            readings.append((text, encoding))
            if encoding == "big5":
                break  # cp950 only where strict Big5 fails
    if not readings:
        # Last, UTF-16 without a mark and without ASCII (so without NUL bytes).
        found = _utf16_without_bom(data)
        if found is not None:
            return _nonblank(found[0], path), found[1]
        raise InputError(
            "cannot decode the bytes as UTF-8, UTF-16, GB18030/GBK or Big5; "
            "convert the file to UTF-8",
            path,
        )
    # max() keeps the first of equal scores: GB18030 before Big5.
    return max(readings, key=lambda reading: frequency_score(reading[0][:_SAMPLE]))


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _nonblank(text: str, path: Path) -> str:
    if not text.strip():
        raise InputError("the file is empty; give a document with text", path)
    return text


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark: the byte order whose reading is made of
    the characters Chinese documents use (ASCII, ideographs, punctuation).

    Tried when the file has NUL bytes (the high byte of ASCII characters such
    as digits and line breaks), and for text without them only when no other
    encoding decodes the bytes; a binary file decodes to control and
    unassigned characters and is refused.
    """
    if len(data) % 2:
        return None
    readings = []
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _strict(data, encoding)
        if text is not None and looks_like_text(text):
            share = plausible_share(text[:_SAMPLE])
            if share >= 0.9:
                readings.append((share, text, encoding))
    if not readings:
        return None
    _, text, encoding = max(readings)
    return text, encoding


def looks_like_text(text: str, *, odd_characters: bool = False) -> bool:
    """Few control characters (tab, line and page breaks aside) and, unless
    ``odd_characters``, few private-use, unassigned or surrogate code points:
    what wrong decodings produce."""
    sample = text[:_SAMPLE]
    controls = len(_CONTROLS.findall(sample))
    if controls > max(2, len(sample) // 100):
        return False
    if odd_characters:
        return True
    odd = sum(1 for ch in sample if ord(ch) > 0x7F and unicodedata.category(ch) in _ODD)
    return odd <= len(sample) // 100


_ODD = frozenset({"Co", "Cn", "Cs"})
# Control characters but tab, line feed, form feed and carriage return (counted by the
# regular expression engine: a loop in Python cost a millisecond a document).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def plausible_share(text: str) -> float:
    """Share of characters that Chinese documents are made of: printable ASCII and
    white space, CJK ideographs, CJK and full-width punctuation, general punctuation."""
    if not text:
        return 0.0
    good = sum(
        1
        for ch in text
        if " " <= ch < "\x7f"
        or ch in "\n\r\t\f"
        or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or "\u2000" <= ch <= "\u206f"
    )
    return good / len(text)


def frequency_score(text: str) -> float:
    """Share of ideographs that are frequent in Chinese prose: high for a right
    decoding, low for Big5 read as GBK or the other way round."""
    frequent = frequent_hanzi()
    hanzi = [ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"]
    odd = sum(1 for ch in text if ord(ch) > 0x7F and unicodedata.category(ch) in _ODD)
    if not hanzi:
        return -odd
    return sum(1 for ch in hanzi if ch in frequent) / len(hanzi) - odd / len(text)


@cache
def frequent_hanzi() -> frozenset[str]:
    path = package_root() / "data" / "text" / "frequent_hanzi.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ResourceError(f"cannot read the frequent characters ({exc.strerror})", path) from exc
    return frozenset("".join(line.strip() for line in lines if not line.startswith("#")))


def read_text(data: bytes, path: Path) -> ExtractedText:
    text, encoding = decode(data, path)
    return ExtractedText(text=text, media_type="text/plain", encoding=encoding)


def read_markdown(data: bytes, path: Path) -> ExtractedText:
    text, encoding = decode(data, path)
    return ExtractedText(text=text, media_type="text/markdown", encoding=encoding)
