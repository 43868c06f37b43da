"""A graph as tables: its entities, relations, award conferrals and entity-to-entity edges.

Each table is one SPARQL reading of the graph (pyoxigraph, over the union of
the named graphs), returned as typed rows; ``write_csv`` writes the first three
as CSV files that Excel opens with Chinese text intact: UTF-8 with a byte-order
mark, CRLF line ends and RFC 4180 quoting.

What one row is:

* an entity: one IRI typed with one of the six top classes;
* a relation: one relation statement (``zhi:RelationStatement``, award
  conferrals included), plus one row for each relation triple no statement
  records (parent regions the gazetteer supplies);
* an award: one ``zhi:AwardConferral``, plus one row for each
  ``zhi:receivedAward`` triple no conferral records;
* an edge: one relation triple between two entities, and for
  ``zhi:receivedAward`` one per year its conferrals give (a recipient can win
  an award in several years); undated conferrals of a triple with dated ones
  add no edge of their own.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import pyoxigraph as ox

from .atomicfiles import atomic_write
from .errors import OutputError
from .model import EntityType, RelationKind
from .namespaces import SCHEMA, ZHI

SEPARATOR = " | "  # between several values in one cell
TOP_CLASSES = {str(ZHI[t.value]): t.value for t in EntityType}
RELATIONS = {str(ZHI[k.value]): k.value for k in RelationKind}
# The grade closing a graded award's name (one entity per grade, ontology/zhi.ttl).
_GRADE = re.compile(r"(特等奖|一等奖|二等奖|三等奖|优秀奖|金奖|银奖|铜奖|提名奖)$")

_HEADER = f"""
PREFIX zhi: <{ZHI}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <{SCHEMA}>
"""
_TOPS = "VALUES ?top { " + " ".join(f"<{c}>" for c in TOP_CLASSES) + " }"
_RELATION_VALUES = "VALUES ?p { " + " ".join(f"<{p}>" for p in RELATIONS) + " }"


@dataclass(frozen=True, slots=True)
class EntityRow:
    iri: str
    type: str  # Region, Institution, ...
    subtype: str  # the specific class: Yearbook, Country, ... (empty when none)
    label: str
    aliases: str
    region_code: str  # adcode, or ISO 3166-1 alpha-2 for a country
    level: str  # province, prefecture, county, township (regions)
    documents: str  # names of the documents that mention it or hold it
    mentions: int


@dataclass(frozen=True, slots=True)
class RelationRow:
    subject: str
    subject_label: str
    relation: str
    object: str
    object_label: str
    year: str
    document: str
    evidence: str
    start: str
    end: str
    statement: str  # the statement's IRI; empty when no sentence states the relation


@dataclass(frozen=True, slots=True)
class AwardRow:
    recipient: str
    recipient_label: str
    recipient_type: str
    award: str
    award_label: str
    grade: str
    year: str
    conferred_by: str
    document: str
    evidence: str
    start: str
    end: str
    statement: str


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    relation: str  # local name: receivedAward, partOf, ...
    year: int | None
    documents: tuple[str, ...]


def _text(term: object) -> str:
    if term is None or isinstance(term, ox.DefaultGraph):
        return ""
    return str(term.value)  # type: ignore[attr-defined]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _joined(values: Iterable[str]) -> str:
    return SEPARATOR.join(sorted({v for v in values if v}))


class GraphTables:
    """The graph loaded once into a pyoxigraph store; each method reads one table."""

    def __init__(self, graph: ox.Store | Iterable[ox.Quad]) -> None:
        if isinstance(graph, ox.Store):
            self.store = graph
        else:
            self.store = ox.Store()
            self.store.bulk_extend(graph)
        self._labels: dict[str, str] | None = None
        self._document_names: dict[str, str] | None = None
        self._types: dict[str, str] | None = None
        self._relation_triples: dict[tuple[str, str, str], set[str]] | None = None

    def select(self, query: str) -> Iterator[dict[str, str]]:
        """Rows of a SELECT over the union of the graphs, every value as text ('' if unbound)."""
        solutions = self.store.query(_HEADER + query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            yield {name: _text(row[name]) for name in names}

    def count(self, query: str) -> int:
        """The ``?n`` of a one-row COUNT query (used by tests and checks)."""
        rows = list(self.select(query))
        return int(rows[0]["n"]) if rows else 0

    # --- look-ups shared by the tables ---

    def labels(self) -> dict[str, str]:
        if self._labels is None:
            found: defaultdict[str, set[str]] = defaultdict(set)
            for row in self.select("SELECT DISTINCT ?s ?l WHERE { ?s rdfs:label ?l }"):
                found[row["s"]].add(row["l"])
            self._labels = {s: _joined(ls) for s, ls in found.items()}
        return self._labels

    def document_names(self) -> dict[str, str]:
        """Document IRI -> file name (the IRI where the graph names none)."""
        if self._document_names is None:
            names: defaultdict[str, set[str]] = defaultdict(set)
            for row in self.select("SELECT ?d ?n WHERE { ?d a zhi:Document ; schema:name ?n }"):
                names[row["d"]].add(row["n"])
            self._document_names = {d: _joined(n) for d, n in names.items()}
        return self._document_names

    def document(self, iri: str) -> str:
        return self.document_names().get(iri, iri) if iri else ""

    def types(self) -> dict[str, str]:
        """Entity IRI -> its top class (several joined, should a graph break the shapes)."""
        if self._types is None:
            found: defaultdict[str, set[str]] = defaultdict(set)
            for row in self.select(f"SELECT DISTINCT ?e ?top WHERE {{ {_TOPS} ?e a ?top }}"):
                found[row["e"]].add(TOP_CLASSES[row["top"]])
            self._types = {e: _joined(ts) for e, ts in found.items()}
        return self._types

    def _values(self, query: str) -> dict[str, set[str]]:
        """?e -> every ?v, for a query selecting the two (DISTINCT is added)."""
        found: defaultdict[str, set[str]] = defaultdict(set)
        for row in self.select(query.replace("SELECT ?e ?v", "SELECT DISTINCT ?e ?v", 1)):
            found[row["e"]].add(row["v"])
        return found

    # --- the tables ---

    def entities(self) -> list[EntityRow]:
        types = self.types()
        labels = self.labels()
        subtypes = self._values(
            f"SELECT ?e ?v WHERE {{ {_TOPS} ?e a ?top, ?v FILTER(STRSTARTS(STR(?v), STR(zhi:))) }}"
        )
        aliases = self._values("SELECT ?e ?v WHERE { ?e skos:altLabel ?v }")
        codes = self._values("SELECT ?e ?v WHERE { ?e zhi:adcode|zhi:iso2 ?v }")
        levels = self._values("SELECT ?e ?v WHERE { ?e zhi:level ?v }")
        documents = self._values(
            f"""SELECT ?e ?v WHERE {{
                  {{ ?m zhi:mentionOf ?e ; zhi:inDocument ?v }}
                  UNION {{ {_TOPS} GRAPH ?v {{ ?e a ?top }} }} }}"""
        )
        mentions: dict[str, int] = {
            row["e"]: int(row["n"])
            for row in self.select(
                "SELECT ?e (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m zhi:mentionOf ?e } GROUP BY ?e"
            )
        }
        return [
            EntityRow(
                iri=e,
                type=types[e],
                subtype=_joined(_local(s) for s in subtypes.get(e, ()) if s not in TOP_CLASSES),
                label=labels.get(e, ""),
                aliases=_joined(aliases.get(e, ())),
                region_code=_joined(codes.get(e, ())),
                level=_joined(_level(v) for v in levels.get(e, ())),
                documents=_joined(self.document(d) for d in documents.get(e, ())),
                mentions=mentions.get(e, 0),
            )
            for e in sorted(types)
        ]

    def _statements(self, cls: str, ends: str) -> dict[str, dict[str, set[str]]]:
        """Statement IRI -> column -> values, for the statements of class ``cls``."""
        found: dict[str, dict[str, set[str]]] = {}
        query = f"""SELECT * WHERE {{
            ?st a {cls} ; {ends} .
            OPTIONAL {{ ?st zhi:year ?year }}
            OPTIONAL {{ ?st zhi:inDocument ?doc }}
            OPTIONAL {{ ?st zhi:evidence ?evidence }}
            OPTIONAL {{ ?st zhi:startOffset ?start }}
            OPTIONAL {{ ?st zhi:endOffset ?end }} }}"""
        for row in self.select(query):
            columns = found.setdefault(row["st"], defaultdict(set))
            for name, value in row.items():
                if name != "st" and value:
                    columns[name].add(value)
        return found

    def relation_triples(self) -> dict[tuple[str, str, str], set[str]]:
        """Every relation triple (subject, property, object) -> the named graphs holding it."""
        if self._relation_triples is None:
            found: dict[tuple[str, str, str], set[str]] = {
                (row["s"], row["p"], row["o"]): set()
                for row in self.select(
                    f"SELECT DISTINCT ?s ?p ?o WHERE {{ {_RELATION_VALUES} ?s ?p ?o }}"
                )
            }
            held = f"{_RELATION_VALUES} GRAPH ?g {{ ?s ?p ?o }}"
            for row in self.select(f"SELECT DISTINCT ?s ?p ?o ?g WHERE {{ {held} }}"):
                found[(row["s"], row["p"], row["o"])].add(row["g"])
            self._relation_triples = found
        return self._relation_triples

    def _unstated(self) -> dict[tuple[str, str, str], set[str]]:
        """Relation triples no statement records, with the graphs holding each.

        A set difference in Python: the same FILTER NOT EXISTS query took minutes in
        pyoxigraph on 300,000 triples.
        """
        stated = {
            (row["s"], row["p"], row["o"])
            for row in self.select(
                "SELECT DISTINCT ?s ?p ?o WHERE "
                "{ ?st zhi:subject ?s ; zhi:predicate ?p ; zhi:object ?o }"
            )
        }
        return {t: gs for t, gs in self.relation_triples().items() if t not in stated}

    def relations(self) -> list[RelationRow]:
        labels = self.labels()
        rows = []
        statements = self._statements(
            "zhi:RelationStatement", "zhi:subject ?s ; zhi:predicate ?p ; zhi:object ?o"
        )
        for st, c in statements.items():
            rows.append(
                RelationRow(
                    subject=_joined(c["s"]),
                    subject_label=_joined(labels.get(s, "") for s in c["s"]),
                    relation=_joined(RELATIONS.get(p, p) for p in c["p"]),
                    object=_joined(c["o"]),
                    object_label=_joined(labels.get(o, "") for o in c["o"]),
                    year=_joined(c["year"]),
                    document=_joined(self.document(d) for d in c["doc"]),
                    evidence=_joined(c["evidence"]),
                    start=_joined(c["start"]),
                    end=_joined(c["end"]),
                    statement=st,
                )
            )
        for (s, p, o), graphs in self._unstated().items():
            rows.append(
                RelationRow(
                    subject=s,
                    subject_label=labels.get(s, ""),
                    relation=RELATIONS[p],
                    object=o,
                    object_label=labels.get(o, ""),
                    year="",
                    document=_joined(self.document(g) for g in graphs),
                    evidence="",
                    start="",
                    end="",
                    statement="",
                )
            )
        rows.sort(key=lambda r: (r.relation, r.subject, r.object, r.year, r.document, r.statement))
        return rows

    def awards(self) -> list[AwardRow]:
        labels = self.labels()
        types = self.types()
        conferrers = self._values("SELECT ?e ?v WHERE { ?e zhi:conferredBy ?i . ?i rdfs:label ?v }")

        def row(
            recipients: set[str], awards: set[str], c: dict[str, set[str]], st: str
        ) -> AwardRow:
            award_labels = [labels.get(a, "") for a in awards]
            return AwardRow(
                recipient=_joined(recipients),
                recipient_label=_joined(labels.get(r, "") for r in recipients),
                recipient_type=_joined(types.get(r, "") for r in recipients),
                award=_joined(awards),
                award_label=_joined(award_labels),
                grade=_joined(m.group(1) for a in award_labels if (m := _GRADE.search(a))),
                year=_joined(c.get("year", ())),
                conferred_by=_joined(v for a in awards for v in conferrers.get(a, ())),
                document=_joined(self.document(d) for d in c.get("doc", ())),
                evidence=_joined(c.get("evidence", ())),
                start=_joined(c.get("start", ())),
                end=_joined(c.get("end", ())),
                statement=st,
            )

        rows = [
            row(c["s"], c["o"], c, st)
            for st, c in self._statements(
                "zhi:AwardConferral", "zhi:recipient ?s ; zhi:award ?o"
            ).items()
        ]
        recorded = {
            (found["s"], found["o"])
            for found in self.select(
                "SELECT DISTINCT ?s ?o WHERE { ?c zhi:recipient ?s ; zhi:award ?o }"
            )
        }
        received = str(ZHI.receivedAward)
        for (s, p, o), graphs in self.relation_triples().items():
            if p == received and (s, o) not in recorded:
                rows.append(row({s}, {o}, {"doc": graphs}, ""))
        rows.sort(
            key=lambda r: (r.award_label, r.year, r.recipient_label, r.recipient, r.statement)
        )
        return rows

    def edges(self) -> list[Edge]:
        types = self.types()
        # The documents stating each relation, by triple and by triple and year.
        stated: defaultdict[tuple[str, str, str], set[str]] = defaultdict(set)
        stated_in: defaultdict[tuple[str, str, str, str], set[str]] = defaultdict(set)
        for row in self.select(
            """SELECT ?s ?p ?o ?year ?doc WHERE {
                 ?st zhi:subject ?s ; zhi:predicate ?p ; zhi:object ?o ; zhi:inDocument ?doc .
                 OPTIONAL { ?st zhi:year ?year } }"""
        ):
            stated[(row["s"], row["p"], row["o"])].add(row["doc"])
            stated_in[(row["s"], row["p"], row["o"], row["year"])].add(row["doc"])
        held = self.relation_triples()
        edges = []
        for row in self.select(
            f"""SELECT DISTINCT ?s ?p ?o ?year WHERE {{ {_RELATION_VALUES}
                  ?s ?p ?o .
                  OPTIONAL {{ ?c zhi:recipient ?s ; zhi:award ?o ; zhi:year ?year .
                             FILTER(?p = zhi:receivedAward) }} }}"""
        ):
            s, p, o, year = row["s"], row["p"], row["o"], row["year"]
            if s not in types or o not in types:
                continue
            triple = (s, p, o)
            docs = stated_in[(*triple, year)] if year else stated[triple]
            edges.append(
                Edge(
                    source=s,
                    target=o,
                    relation=RELATIONS[p],
                    year=int(year) if year.isdigit() else None,
                    documents=tuple(sorted({self.document(d) for d in docs or held[triple]})),
                )
            )
        edges.sort(key=lambda e: (e.source, e.relation, e.target, e.year or 0))
        return edges


def _level(iri: str) -> str:
    local = _local(iri)
    return local[: -len("Level")].lower() if local.endswith("Level") else local


# --- CSV ------------------------------------------------------------------------

CSV_FILES = ("entities.csv", "relations.csv", "awards.csv")


def csv_bytes(rows: Sequence[object], row_type: type) -> bytes:
    """RFC 4180 CSV of dataclass rows: header, CRLF line ends, UTF-8 with a BOM for Excel."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([f.name for f in fields(row_type)])
    for row in rows:
        writer.writerow(astuple(row))  # type: ignore[call-overload]
    return buffer.getvalue().encode("utf-8-sig")


def csv_tables(tables: GraphTables) -> dict[str, bytes]:
    """File name -> CSV bytes, for the three tables."""
    return {
        "entities.csv": csv_bytes(tables.entities(), EntityRow),
        "relations.csv": csv_bytes(tables.relations(), RelationRow),
        "awards.csv": csv_bytes(tables.awards(), AwardRow),
    }


def write_csv(tables: GraphTables, folder: Path) -> list[Path]:
    """Write the three tables into ``folder`` (created if needed); return the files."""
    contents = csv_tables(tables)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in contents.items():
            atomic_write(folder / name, data)
            written.append(folder / name)
        return written
    except OSError as exc:
        raise OutputError(
            f"cannot write the CSV tables ({exc.strerror}); give a writable folder", folder
        ) from exc
