"""Score a built graph against a gold annotation, as the annotation guide specifies.

Entities are compared as sets of unique canonical entities: a predicted entity
matches a gold one of the same type when any of their names coincide after
``name_key`` normalisation.  A relation matches when both ends match, the
relation name is the same and, where gold gives a year, the year is too.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from .errors import InputError
from .formats import SUPPORTED_SUFFIXES
from .graphfile import read_quads, store_of
from .model import EntityType, RelationKind
from .namespaces import SCHEMA, ZHI
from .text.keys import name_key

_CLASSES = {ZHI[t.value]: t for t in EntityType}


@dataclass(frozen=True, slots=True)
class NamedEntity:
    type: EntityType
    label: str
    names: frozenset[str]


@dataclass(frozen=True, slots=True)
class Score:
    gold: int
    predicted: int
    true_positive_gold: int
    true_positive_predicted: int

    @property
    def precision(self) -> float:
        return self.true_positive_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positive_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    document: str
    entities: dict[str, Score] = field(default_factory=dict)
    relations: dict[str, Score] = field(default_factory=dict)
    missed_entities: list[str] = field(default_factory=list)
    spurious_entities: list[str] = field(default_factory=list)
    missed_relations: list[str] = field(default_factory=list)
    spurious_relations: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        def table(scores: dict[str, Score]) -> dict[str, dict[str, float]]:
            return {
                k: {
                    "gold": s.gold,
                    "predicted": s.predicted,
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                }
                for k, s in scores.items()
            }

        return {
            "document": self.document,
            "entities": table(self.entities),
            "relations": table(self.relations),
        }


def load_gold(path: Path) -> tuple[str, list[NamedEntity], list[tuple[str, str, str, int | None]]]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entities = [
            NamedEntity(
                EntityType(e["type"]),
                e["label"],
                frozenset(name_key(n) for n in [e["label"], *e.get("aliases", [])]),
            )
            for e in raw["entities"]
        ]
        relations: list[tuple[str, str, str, int | None]] = [
            (r["p"], r["s"], r["o"], int(r["year"]) if r.get("year") else None)
            for r in raw["relations"]
        ]
        for e in raw["entities"]:
            if e.get("parent"):
                relations.append((RelationKind.PART_OF.value, e["label"], e["parent"], None))
        return str(raw.get("document", path.stem)), entities, relations
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"not a gold annotation file ({exc}); see the annotation guide", path
        ) from exc


_TYPE = ox.NamedNode(str(RDF.type))
_DOCUMENT = ox.NamedNode(str(ZHI.Document))
_NAME = ox.NamedNode(str(SCHEMA.name))


def _document_graph(store: ox.Store, document: str) -> Graph:
    """The named graph of ``document`` (by file name), or the only one there is.

    Only that graph goes into rdflib: a corpus's build holds thousands of
    documents, which pyoxigraph reads and sorts by graph many times faster.
    """
    candidates: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, set[str]] = {}
    for found in store.quads_for_pattern(None, _TYPE, _DOCUMENT, None):
        names = candidates.setdefault(found.graph_name, set())
        names.update(
            quad.object.value
            for quad in store.quads_for_pattern(found.subject, _NAME, None, found.graph_name)
            if isinstance(quad.object, ox.Literal)
        )
    chosen = [g for g, names in candidates.items() if {document, Path(document).name} & names]
    if not chosen and len(candidates) == 1:
        chosen = list(candidates)
    if not chosen:
        raise InputError(f"the graph holds no document named {document}; build it first")
    triples = (quad.triple for quad in store.quads_for_pattern(None, None, None, chosen[0]))
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def read_predictions(
    graph: Graph,
) -> tuple[dict[URIRef, NamedEntity], set[tuple[str, URIRef, URIRef, int | None]]]:
    entities: dict[URIRef, NamedEntity] = {}
    for cls, type_ in _CLASSES.items():
        for node in graph.subjects(RDF.type, cls):
            if not isinstance(node, URIRef):
                continue
            label = str(graph.value(node, RDFS.label) or "")
            names = {label, *(str(a) for a in graph.objects(node, SKOS.altLabel))}
            entities[node] = NamedEntity(type_, label, frozenset(name_key(n) for n in names))
    relations: set[tuple[str, URIRef, URIRef, int | None]] = set()
    awarded: set[tuple[URIRef, URIRef]] = set()
    for conferral in graph.subjects(RDF.type, ZHI.AwardConferral):
        recipient = graph.value(conferral, ZHI.recipient)
        award = graph.value(conferral, ZHI.award)
        year = graph.value(conferral, ZHI.year)
        if isinstance(recipient, URIRef) and isinstance(award, URIRef):
            relations.add(
                (
                    RelationKind.RECEIVED_AWARD.value,
                    recipient,
                    award,
                    int(str(year)[:4]) if year else None,
                )
            )
            awarded.add((recipient, award))
    for kind in RelationKind:
        for s, o in graph.subject_objects(ZHI[kind.value]):
            if s in entities and o in entities and isinstance(s, URIRef) and isinstance(o, URIRef):
                if kind is RelationKind.RECEIVED_AWARD and (s, o) in awarded:
                    continue
                relations.add((kind.value, s, o, None))
    return entities, relations


def evaluate(out: Path, gold_path: Path) -> Evaluation:
    """Score the graph built into ``out`` (a folder or a graph file) against one gold file."""
    document, gold_entities, gold_relations = load_gold(gold_path)
    if out.is_file() and out.suffix.lower() in SUPPORTED_SUFFIXES:
        raise InputError(
            "is a document, not a graph; build it first (zhi-graph build FILE -o OUT), "
            "then give OUT",
            out,
        )
    # Read as every other command reads a graph: by its suffix, with the same errors.
    graph = _document_graph(store_of(read_quads(out)), document)
    predicted, predicted_relations = read_predictions(graph)
    return score(document, gold_entities, gold_relations, predicted, predicted_relations)


def score(
    document: str,
    gold_entities: list[NamedEntity],
    gold_relations: list[tuple[str, str, str, int | None]],
    predicted: dict[URIRef, NamedEntity],
    predicted_relations: set[tuple[str, URIRef, URIRef, int | None]],
) -> Evaluation:
    result = Evaluation(document)
    matches: dict[URIRef, set[int]] = {
        node: {i for i, g in enumerate(gold_entities) if g.type is p.type and g.names & p.names}
        for node, p in predicted.items()
    }
    found = set().union(*matches.values()) if matches else set()
    for type_ in EntityType:
        gold_ids = [i for i, g in enumerate(gold_entities) if g.type is type_]
        mine = [n for n, p in predicted.items() if p.type is type_]
        result.entities[type_.value] = Score(
            len(gold_ids),
            len(mine),
            sum(1 for i in gold_ids if i in found),
            sum(1 for n in mine if matches[n]),
        )
    result.entities["all"] = _total(result.entities.values())
    result.missed_entities = [
        f"{g.type.value} {g.label}" for i, g in enumerate(gold_entities) if i not in found
    ]
    result.spurious_entities = [
        f"{p.type.value} {p.label}" for n, p in predicted.items() if not matches[n]
    ]

    by_name: dict[str, int] = {}
    for i, g in enumerate(gold_entities):
        for name in g.names:
            by_name.setdefault(name, i)
    gold_rel = [
        (p, by_name.get(name_key(s)), by_name.get(name_key(o)), y, s, o)
        for p, s, o, y in gold_relations
    ]
    hit_gold: set[int] = set()
    correct: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for p, s, o, y in predicted_relations:
        counts[p] += 1
        ok = False
        for j, (gp, gs, go, gy, _, _) in enumerate(gold_rel):
            if (
                gp == p
                and gs in matches.get(s, ())
                and go in matches.get(o, ())
                and (gy is None or gy == y)
            ):
                hit_gold.add(j)
                ok = True
        if ok:
            correct[p] += 1
        else:
            result.spurious_relations.append(
                f"{predicted[s].label} {p} {predicted[o].label}{f' {y}' if y else ''}"
            )
    kinds = sorted({r[0] for r in gold_rel} | set(counts))
    for kind in kinds:
        gold_ids = [j for j, r in enumerate(gold_rel) if r[0] == kind]
        result.relations[kind] = Score(
            len(gold_ids), counts[kind], sum(1 for j in gold_ids if j in hit_gold), correct[kind]
        )
    result.relations["all"] = _total(result.relations.values())
    result.missed_relations = [
        f"{r[4]} {r[0]} {r[5]}{f' {r[3]}' if r[3] else ''}"
        for j, r in enumerate(gold_rel)
        if j not in hit_gold
    ]
    return result


def _total(scores: object) -> Score:
    items = list(scores)  # type: ignore[call-overload]
    return Score(
        sum(s.gold for s in items),
        sum(s.predicted for s in items),
        sum(s.true_positive_gold for s in items),
        sum(s.true_positive_predicted for s in items),
    )
