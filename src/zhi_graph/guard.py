"""Decide, before anything runs, whether the endpoint may run a request's SPARQL text.

The endpoint is read-only and must never reach the network on a client's
behalf.  pyoxigraph would happily execute ``SERVICE <http://…>`` by making an
HTTP request, and it has no option to turn that off, so the text is checked
first: it is read token by token, the way the SPARQL grammar reads it
(strings, IRIs, comments, variables and prefixed names are skipped whole), and
any bare keyword that belongs to an update (``INSERT``, ``LOAD``, ``DROP`` …)
or to a federated query (``SERVICE``) refuses the request.

The check errs on the side of refusing: a keyword is found wherever the
grammar could read one, and ``\\uXXXX`` escapes, which SPARQL decodes before
parsing, are decoded here too.  The worker processes that run queries are also
cut off from the network where the system allows it (``workers``), so a
mistake here would still not reach another server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_TOKENS = re.compile(
    "|".join(
        (
            r"(?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\")",
            r"(?P<short>'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\")",
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            r"(?P<comment>#[^\n\r]*)",
            r"(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)",
            r"(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            # A prefixed name or blank node label: the local part may hold dots
            # but not end with one, exactly as PN_LOCAL.
            rf"(?P<pname>(?:[^\W\d][\w.\-]*)?:(?:(?:[\w:\-]|{_PLX})(?:(?:[\w.:\-]|{_PLX})*(?:[\w:\-]|{_PLX}))?)?)",
            r"(?P<word>[^\W\d][\w\-]*)",
            r"(?P<other>.)",
        )
    ),
    re.DOTALL,
)

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)
FEDERATION_KEYWORDS = frozenset({"SERVICE"})


class Refusal(StrEnum):
    """Why a request's SPARQL text may not run."""

    UPDATE = "update"
    LOAD = "load"
    SERVICE = "service"


@dataclass(frozen=True)
class Verdict:
    refusal: Refusal
    keyword: str

    @property
    def message(self) -> str:
        if self.refusal is Refusal.SERVICE:
            return (
                "SERVICE (federated query) is refused: this endpoint never calls other "
                "endpoints; query them directly"
            )
        if self.refusal is Refusal.LOAD:
            return "LOAD is refused: this endpoint is read-only and never fetches remote data"
        return f"{self.keyword} is refused: this endpoint is read-only (SPARQL updates are refused)"


def unescape(sparql: str) -> str:
    """Decode ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes, which SPARQL reads before its grammar."""

    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(decode, sparql)


def keywords(sparql: str) -> list[str]:
    """The bare words of ``sparql``, upper-cased, outside strings, IRIs, comments and names."""
    return [
        match.group("word").upper()
        for match in _TOKENS.finditer(unescape(sparql))
        if match.lastgroup == "word"
    ]


def check(sparql: str) -> Verdict | None:
    """``None`` when ``sparql`` may run on a read-only endpoint, else why not."""
    for word in keywords(sparql):
        if word in FEDERATION_KEYWORDS:
            return Verdict(Refusal.SERVICE, word)
        if word == "LOAD":
            return Verdict(Refusal.LOAD, word)
        if word in UPDATE_KEYWORDS:
            return Verdict(Refusal.UPDATE, word)
    return None
