"""Turtle and TriG text from N-Triples terms, byte for byte as pyoxigraph writes them.

A build writes every document's named graph as TriG and the union as Turtle,
from N-Triples terms it made itself (``rdf.build``).  Handing them to
pyoxigraph's writer meant parsing each triple into Python objects first, which
cost more per document than extracting it; here each distinct term is turned
into its Turtle form once (a prefixed name, ``a``, a datatype's prefixed name)
and the triples are grouped by subject and predicate as pyoxigraph groups
them, so ``graph.ttl`` and ``graph.trig`` keep the bytes they had.

The forms are pyoxigraph's: an IRI is a prefixed name under the longest
namespace it starts with, ``/`` in the local name escaped (``document:ab\\/mention\\/1-2``);
literals keep their N-Triples text, which ``rdf.build`` escapes as
pyoxigraph does, with a datatype IRI as a prefixed name.  A term outside the
forms known here (a local name with other characters, a number or boolean
pyoxigraph writes bare, a blank node) is written by pyoxigraph itself, once
per term; ``tests/test_turtle.py`` compares both writers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from typing import IO

import pyoxigraph as ox

from .columns import Nodes, Table, sorted_objects, tables

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
# Local names written as they are (with "/" escaped) under a namespace.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_/-]*")
# A string in canonical N-Triples form (what ``rdf.build`` writes, and pyoxigraph): only
# quotes, backslashes and control characters escaped, each in its one way.
_STRING = r'"(?:[^"\\\x00-\x1f\x7f]|\\[btnfr"\\]|\\u00(?:0[0-7BEF]|1[0-9A-F])|\\u007F)*"'
# Literals whose N-Triples text is their Turtle text: plain, or tagged with a simple tag
# (most have nothing escaped: the first pattern tells faster).
_TAG = "(?:@[a-z]+(?:-[a-z0-9]+)*)?"
_UNESCAPED_STRING = re.compile(r'"[^"\\\x00-\x1f\x7f]*"')
_UNESCAPED_LITERAL = re.compile(rf"{_UNESCAPED_STRING.pattern}{_TAG}")
_STRING_RE = re.compile(_STRING)
_PLAIN_LITERAL = re.compile(rf"{_STRING}{_TAG}")
_XSD = "http://www.w3.org/2001/XMLSchema#"
# Datatypes pyoxigraph may leave out: values written bare (1, 1.5, 1e0, true), and
# xsd:string (a plain literal; canonical N-Triples never names it either).
_BARE = frozenset(
    f"<{_XSD}{name}>" for name in ("integer", "decimal", "double", "boolean", "string")
)
_ESCAPED_SLASH = "\\/"
# Columns of terms joined by newlines (``Terms.column``, ``Terms.iris``).
_UNESCAPED_LITERALS = re.compile(rf"(?:{_UNESCAPED_LITERAL.pattern}\n)*")
_PLAIN_LITERALS = re.compile(rf"(?:{_PLAIN_LITERAL.pattern}\n)*")
_PLAIN_LOCALS = re.compile(rf"(?:{_PLAIN_LOCAL.pattern}\n)*")
_PROBE = "<urn:x-zhi-graph:s> <urn:x-zhi-graph:p> "


class Terms(dict[str, str]):
    """N-Triples term -> its Turtle (and TriG) form, each worked out once.

    Used as a dictionary (``terms[term]``), so that a term seen before costs one
    look-up; ``predicates`` is the same for terms in predicate position, where
    rdf:type is ``a``.
    """

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        super().__init__()
        self.prefixes = dict(prefixes)
        # Longest namespace first: pyoxigraph names an IRI under the most specific one.
        by_length = sorted(self.prefixes.items(), key=lambda item: -len(item[1]))
        self._names = {f"<{namespace}": name for name, namespace in by_length}
        self._namespace = re.compile("|".join(re.escape(n) for n in self._names))
        # The namespace of the last IRI written, if no other namespace lies within it:
        # the IRIs that miss the cache are mostly a document's mentions, all under one.
        self._last = ("<\x00", "")
        self._innermost = {
            n for n in self._names if not any(o != n and o.startswith(n) for o in self._names)
        }
        self.predicates = _Predicates(self)

    def __missing__(self, term: str) -> str:
        form = self._form(term)
        if len(self) >= _KEPT:
            self.clear()  # most terms are a document's own: keep memory flat
        self[term] = form
        return form

    def _form(self, term: str) -> str:
        if term.startswith("<"):
            return self._iri(term)
        if term.endswith(">"):  # a typed literal: "..."^^<datatype>
            cut = term.rfind('"^^<')
            if (
                cut > 0
                and (
                    _UNESCAPED_STRING.fullmatch(term, 0, cut + 1)
                    or _STRING_RE.fullmatch(term, 0, cut + 1)
                )
                and term[cut + 3 :] not in _BARE
            ):
                return f"{term[: cut + 1]}^^{self[term[cut + 3 :]]}"
        elif _UNESCAPED_LITERAL.fullmatch(term) or _PLAIN_LITERAL.fullmatch(term):
            return term
        return self._written_by_pyoxigraph(term)

    def _iri(self, term: str) -> str:
        namespace, name = self._last
        if not term.startswith(namespace):
            found = self._namespace.match(term)
            if found is None:
                return self._written_by_pyoxigraph(term)
            namespace = found.group()
            name = self._names[namespace]
            if namespace in self._innermost:
                self._last = namespace, name
        local = term[len(namespace) : -1]
        if term.endswith(">") and _PLAIN_LOCAL.fullmatch(local):
            return f"{name}:{local.replace('/', _ESCAPED_SLASH)}"
        return self._written_by_pyoxigraph(term)

    # --- Columns of terms (``rdf.columns``), each written in a few C-level passes -------
    #
    # The terms of a column are tested together: joined by newlines, which no IRI and no
    # canonical literal holds (N-Triples escapes them), so a pattern repeated between
    # newlines matches the joined text exactly when it matches every term alone.

    def column(self, terms: list[str]) -> list[str]:
        """The forms of a column of objects (``[self[t] for t in terms]``): plain and
        tagged literals in bulk (a document's sentences and names: most are new), other
        terms (the vocabulary, entities, numbers: most recur) through the cache."""
        first = terms[0]
        if terms.count(first) == len(terms):
            # One term all down the column (a type, the document: two of a mention's
            # seven objects): counted at C speed, then looked up once, not once a node.
            return [self[first]] * len(terms)
        if first.startswith('"') and not first.endswith(">"):
            # Canonical plain and tagged literals are their own forms.  Most have nothing
            # escaped, which the simpler pattern tells several times faster.
            escaped: list[str] = []
            unescaped: list[str] = []
            for term in set(terms):
                (escaped if "\\" in term else unescaped).append(term)
            if _UNESCAPED_LITERALS.fullmatch("\n".join(unescaped) + "\n") and (
                not escaped or _PLAIN_LITERALS.fullmatch("\n".join(escaped) + "\n")
            ):
                return terms
        return list(map(self.__getitem__, terms))

    def iris(self, iris: list[str]) -> list[str]:
        """The forms of distinct IRIs, such as a document's own subjects: in bulk when all
        lie under one namespace that holds no other (and are not kept: each is written
        once), else through the cache."""
        first = iris[0]
        found = self._namespace.match(first)
        if found is not None and found.group() in self._innermost:
            namespace = found.group()
            cut = len(namespace)
            if all(map(str.startswith, iris, repeat(namespace))) and all(
                map(str.endswith, iris, repeat(">"))
            ):
                locals_ = "\n".join([iri[cut:-1] for iri in iris]) + "\n"
                if _PLAIN_LOCALS.fullmatch(locals_):
                    name = self._names[namespace]
                    written = locals_.replace("/", _ESCAPED_SLASH).replace("\n", f"\n{name}:")
                    return f"{name}:{written}".split("\n")[:-1]
        return list(map(self.__getitem__, iris))

    def _written_by_pyoxigraph(self, term: str) -> str:
        data = f"{_PROBE}{term} .\n".encode()
        triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=self.prefixes) or b""
        last = text.decode("utf-8").rstrip("\n").rsplit("\n", 1)[-1]
        if not (last.startswith(_PROBE) and last.endswith(" .")):
            raise ValueError(f"pyoxigraph wrote {term} in a form not known here: {last}")
        return last[len(_PROBE) : -2]


class _Predicates(dict[str, str]):
    """``Terms`` for predicates: rdf:type is ``a``."""

    def __init__(self, terms: Terms) -> None:
        super().__init__({_RDF_TYPE: "a"})
        self._terms = terms

    def __missing__(self, term: str) -> str:
        form = self[term] = self._terms[term]
        return form


# Terms a ``Terms`` keeps at most (a few hundred bytes each: about 12 MB at most).
_KEPT = 50_000


def statements(terms: Terms, nodes: Nodes, subjects: Sequence[str], indent: str) -> str:
    """The Turtle statements of ``subjects`` (sorted), one per subject, each line
    indented by ``indent``: the triples in the order of their N-Triples lines."""
    written = statement_texts(terms, nodes, tables(nodes, subjects), indent)
    return "".join(map(written.__getitem__, subjects))


def statement_texts(
    terms: Terms, nodes: Nodes, grouped: tuple[list[Table], list[str]], indent: str
) -> dict[str, str]:
    """Subject -> its Turtle statement (``statements``), for the subjects of ``grouped``
    (``rdf.columns.tables``): a table's written through one template, in bulk, the
    others one by one."""
    predicates = terms.predicates
    between = f" ;\n{indent}\t"
    written: dict[str, str] = {}
    for table in grouped[0]:
        # The N-Triples lines of a subject sort by predicate: so do its statement's parts.
        order = sorted(range(len(table.predicates)), key=table.predicates.__getitem__)
        template = (
            f"{indent}%s "
            + between.join(
                f"{predicates[table.predicates[i]].replace('%', '%%')} %s" for i in order
            )
            + " .\n"
        )
        columns = [_forms(terms, table.columns[i], table.counts[i]) for i in order]
        texts = map(template.__mod__, zip(terms.iris(table.subjects), *columns, strict=True))
        written.update(zip(table.subjects, texts, strict=True))
    for subject in grouped[1]:
        written[subject] = _statement(terms, subject, nodes[subject], indent)
    return written


def _forms(terms: Terms, column: list[str], count: int) -> list[str]:
    """The Turtle forms of a table's column, with ``count`` objects of each node: one
    form per node, its objects in the order of their N-Triples lines."""
    if count == 1:
        return terms.column(column)
    written = terms.column(sorted_objects(column, count))
    return [" , ".join(written[i : i + count]) for i in range(0, len(written), count)]


def _statement(terms: Terms, subject: str, values: Mapping[str, Sequence[str]], indent: str) -> str:
    """The Turtle statement of one subject (``statements``)."""
    predicates = terms.predicates
    between = f" ;\n{indent}\t"
    return (
        f"{indent}{terms[subject]} "
        + between.join(
            [
                f"{predicates[p]} {terms[objects[0]]}"
                if len(objects) == 1
                else f"{predicates[p]} {' , '.join([terms[o] for o in sorted(objects)])}"
                for p, objects in sorted(values.items())
            ]
        )
        + " .\n"
    )


def graph_open(terms: Terms, graph: str) -> str:
    """The line that opens named graph ``graph`` (an N-Triples IRI) in TriG."""
    return f"{terms[graph]} {{\n"


GRAPH_CLOSE = "}\n"


class TurtleWriter:
    """Turtle statements from sorted N-Triples lines, streamed into a binary file.

    Lines of one subject may come in several calls; ``write_statements`` puts
    complete statements (``statements``'s text) between them.
    """

    def __init__(self, stream: IO[bytes], terms: Terms) -> None:
        self._stream = stream
        self._terms = terms
        self._subject: str | None = None
        self._predicate: str | None = None

    def write_lines(self, lines: Iterable[str]) -> None:
        """Triples as N-Triples lines (``"<s> <p> o .\\n"``), sorted, each once."""
        terms = self._terms
        predicates = terms.predicates
        out: list[str] = []
        append = out.append
        subject, predicate = self._subject, self._predicate
        for line in lines:
            s, p, o = line[:-3].split(" ", 2)
            if s == subject:
                if p == predicate:
                    append(f" , {terms[o]}")
                else:
                    predicate = p
                    append(f" ;\n\t{predicates[p]} {terms[o]}")
            else:
                if subject is not None:
                    append(" .\n")
                subject, predicate = s, p
                append(f"{terms[s]} {predicates[p]} {terms[o]}")
        self._subject, self._predicate = subject, predicate
        self._stream.write("".join(out).encode("utf-8"))

    def write_statements(self, text: bytes) -> None:
        """Complete statements (each ending " .\\n") after those written so far."""
        self._end_statement()
        self._stream.write(text)

    def close(self) -> None:
        self._end_statement()

    def _end_statement(self) -> None:
        if self._subject is not None:
            self._stream.write(b" .\n")
            self._subject = self._predicate = None
