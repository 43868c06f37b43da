"""The public vocabulary: ontology/zhi.ttl, shapes.ttl, context.jsonld and ZHI.

The shapes are tested against a small graph written by hand the way
docs/design.md says the builder emits RDF, and against copies of it broken
in one way each.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, SH, SKOS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from zhi_graph import iris
from zhi_graph.namespaces import ID, SCHEMA, ZHI
from zhi_graph.validate import _plan, check
from zhi_graph.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
NS = "https://w3id.org/zhi-graph/ontology#"
# The two datatypes by IRI rather than through rdflib's XSD namespace: pytest
# probes module attributes while collecting (``_mock_name``), and XSD warns
# about every unknown name it is asked for.
NON_NEGATIVE_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")
POSITIVE_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#positiveInteger")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "zhi.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


def zhi_subjects(graph: Graph) -> set[str]:
    return {
        str(s)[len(NS) :]
        for s in graph.subjects()
        if isinstance(s, URIRef) and str(s).startswith(NS)
    }


def load_generator() -> ModuleType:
    path = ROOT / "scripts" / "gen_namespace.py"
    spec = importlib.util.spec_from_file_location("gen_namespace", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- ontology and namespace module -------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    iri = URIRef("https://w3id.org/zhi-graph/ontology")
    assert (iri, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(iri, OWL.versionInfo) == Literal("0.1.0")


def test_namespace_module_matches_ontology(ontology: Graph) -> None:
    assert set(ZHI.__annotations__) == zhi_subjects(ontology)


def test_namespace_module_is_freshly_generated(ontology: Graph) -> None:
    generated = load_generator().render(ontology)
    module = ROOT / "src" / "zhi_graph" / "namespaces.py"
    assert module.read_text(encoding="utf-8") == generated, "run scripts/gen_namespace.py"


def test_iris_module_is_freshly_generated() -> None:
    generator = load_generator()
    generated = generator.render_iris(generator.load(ONTOLOGY / "zhi.ttl"))
    module = ROOT / "src" / "zhi_graph" / "iris.py"
    assert module.read_text(encoding="utf-8") == generated, "run scripts/gen_namespace.py"


def test_iris_terms_are_the_namespace_terms() -> None:
    names = {name for name in vars(iris.ZHI) if not name.startswith("_")}
    assert names == set(ZHI.__annotations__)
    for name in names:
        assert getattr(iris.ZHI, name) == str(getattr(ZHI, name)) == iris.zhi_iri(name), name
        assert type(getattr(iris.ZHI, name)) is str


def test_iris_namespaces_are_the_ontologys() -> None:
    declared = dict(load_generator().load(ONTOLOGY / "zhi.ttl").namespaces())
    assert iris.ZHI_NAMESPACE == str(declared["zhi"]) == NS
    for prefix in ("rdf", "rdfs", "xsd", "skos", "prov", "schema", "owl", "dcterms"):
        assert getattr(iris, prefix.upper()) == str(declared[prefix]), prefix
    assert str(SCHEMA) == iris.SCHEMA
    assert str(ID) == iris.ID


def test_iris_superclasses_are_the_vocabularys() -> None:
    expected = {
        term.iri: tuple(sorted(NS + name[4:] for name in term.superterms if name[:4] == "zhi:"))
        for term in vocabulary().of_kind("class")
    }
    assert {iri: parents for iri, parents in expected.items() if parents} == iris.SUPERCLASSES
    assert iris.SUPERCLASSES[iris.ZHI.Yearbook] == (iris.ZHI.Publication,)


@pytest.mark.parametrize("name", ["Nonexistent", "receivedAwards", "region"])
def test_unknown_term_raises(name: str) -> None:
    with pytest.raises(AttributeError):
        getattr(ZHI, name)
    with pytest.raises(AttributeError):
        getattr(iris.ZHI, name)
    with pytest.raises(KeyError):
        iris.zhi_iri(name)


def test_known_terms_resolve() -> None:
    assert ZHI.receivedAward == URIRef(NS + "receivedAward")
    assert ZHI.object == URIRef(NS + "object")
    assert ID["region/510100"] == URIRef("https://w3id.org/zhi-graph/id/region/510100")
    assert SCHEMA.name == URIRef("https://schema.org/name")


def vocabulary_terms(ontology: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted(
        {
            s
            for kind in kinds
            for s in ontology.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(NS)
        }
    )


def test_every_class_and_property_is_documented(ontology: Graph) -> None:
    terms = vocabulary_terms(ontology)
    assert len(terms) > 40
    for term in terms:
        labels = {
            lit.language for lit in ontology.objects(term, RDFS.label) if isinstance(lit, Literal)
        }
        comments = {
            lit.language for lit in ontology.objects(term, RDFS.comment) if isinstance(lit, Literal)
        }
        assert {"zh", "en"} <= labels, f"{term} needs rdfs:label @zh and @en"
        assert "en" in comments, f"{term} needs an rdfs:comment @en"
        assert (term, RDFS.isDefinedBy, URIRef("https://w3id.org/zhi-graph/ontology")) in ontology


def test_every_property_has_domain_and_range(ontology: Graph) -> None:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            assert ontology.value(prop, RDFS.range) is not None, f"{prop} has no range"
            if prop != ZHI.within:  # within's subjects are regions, institutions and venues
                assert ontology.value(prop, RDFS.domain) is not None, f"{prop} has no domain"


def test_partof_is_direct_and_within_transitive(ontology: Graph) -> None:
    assert (ZHI.partOf, RDF.type, OWL.TransitiveProperty) not in ontology
    assert (ZHI.within, RDF.type, OWL.TransitiveProperty) in ontology
    assert (ZHI.partOf, RDFS.subPropertyOf, ZHI.within) in ontology


def test_administrative_levels_match_gazetteer_strings(ontology: Graph) -> None:
    notations = {
        str(ontology.value(c, SKOS.notation)): c
        for c in ontology.subjects(SKOS.inScheme, ZHI.AdministrativeLevel)
    }
    assert notations == {
        "province": ZHI.ProvinceLevel,
        "prefecture": ZHI.PrefectureLevel,
        "county": ZHI.CountyLevel,
        "township": ZHI.TownshipLevel,
        "village": ZHI.VillageLevel,
    }


def test_shapes_use_only_defined_terms(ontology: Graph, shapes: Graph) -> None:
    used = {
        str(t)[len(NS) :]
        for t in shapes.all_nodes()
        if isinstance(t, URIRef) and str(t).startswith(NS)
    }
    assert used <= zhi_subjects(ontology)


# --- a graph built as docs/design.md describes ---------------------------------

SENTENCE_1 = "2023年，《成都年鉴（2023）》入选“中国精品年鉴”。"
SENTENCE_2 = "四川省地方志工作办公室在成都市召开会议。"
ORIGINAL = f"简报\n{SENTENCE_1}\n{SENTENCE_2}\n"
FILE_BYTES = ORIGINAL.encode("utf-8")
SHA256 = hashlib.sha256(FILE_BYTES).hexdigest()

DOC = ID[f"document/{SHA256[:16]}"]
SICHUAN = ID["region/510000"]
CHENGDU = ID["region/510100"]
YUEQING = ID["region/330382"]  # 乐清市
LIUSHI = ID["region/330382114"]  # 柳市镇, a township: 9-digit statistical code
FRANCE = ID["country/FR"]


def entity_iri(kind: str, label: str) -> URIRef:
    key = hashlib.sha256(unicodedata.normalize("NFKC", label).encode("utf-8")).hexdigest()
    return ID[f"{kind}/{key[:16]}"]


YEARBOOK = entity_iri("publication", "成都年鉴（2023）")
AWARD = entity_iri("award", "中国精品年鉴")
OFFICE = entity_iri("institution", "四川省地方志工作办公室")
NATIONAL_OFFICE = entity_iri("institution", "中国地方志工作办公室")
CONFERRAL = BNode("conferral")
LOCATED = BNode("located")
MENTION = BNode("mention")


def non_negative(n: int) -> Literal:
    return Literal(n, datatype=NON_NEGATIVE_INTEGER)


def span(needle: str, within: str | None = None) -> tuple[int, int]:
    """Offsets of ``needle`` in ORIGINAL (first occurrence inside ``within``)."""
    start = ORIGINAL.index(needle, ORIGINAL.index(within) if within else 0)
    return start, start + len(needle)


def add_entity(
    g: Graph, iri: URIRef | BNode, classes: list[URIRef], label: str, *aliases: str
) -> None:
    for cls in classes:
        g.add((iri, RDF.type, cls))
    g.add((iri, RDFS.label, Literal(label, lang="zh")))
    for alias in aliases:
        g.add((iri, SKOS.altLabel, Literal(alias, lang="zh")))


def add_statement(
    g: Graph, node: BNode, s: URIRef, p: URIRef, o: URIRef, sentence: str, *classes: URIRef
) -> None:
    g.add((s, p, o))
    for cls in classes or (ZHI.RelationStatement,):
        g.add((node, RDF.type, cls))
    start, end = span(sentence)
    g.add((node, ZHI.subject, s))
    g.add((node, ZHI.predicate, p))
    g.add((node, ZHI.object, o))
    g.add((node, ZHI.evidence, Literal(sentence, lang="zh")))
    g.add((node, ZHI.inDocument, DOC))
    g.add((node, ZHI.startOffset, non_negative(start)))
    g.add((node, ZHI.endOffset, non_negative(end)))


def conforming_graph() -> Graph:
    g = Graph()
    g.bind("zhi", str(ZHI))

    g.add((DOC, RDF.type, ZHI.Document))
    g.add((DOC, SCHEMA.name, Literal("briefing.txt")))
    g.add((DOC, ZHI.sha256, Literal(SHA256)))
    g.add((DOC, ZHI.characterCount, non_negative(len(ORIGINAL))))
    g.add((DOC, ZHI.sourcePath, Literal("corpus/briefing.txt")))

    add_entity(g, SICHUAN, [ZHI.Region], "四川省", "四川")
    g.add((SICHUAN, ZHI.adcode, Literal("510000")))
    g.add((SICHUAN, ZHI.level, ZHI.ProvinceLevel))
    add_entity(g, CHENGDU, [ZHI.Region], "成都市", "成都")
    g.add((CHENGDU, ZHI.adcode, Literal("510100")))
    g.add((CHENGDU, ZHI.level, ZHI.PrefectureLevel))
    g.add((CHENGDU, ZHI.partOf, SICHUAN))
    add_entity(g, FRANCE, [ZHI.Country, ZHI.Region], "法国")
    g.add((FRANCE, ZHI.iso2, Literal("FR")))
    add_entity(g, YUEQING, [ZHI.Region], "乐清市", "乐清")
    g.add((YUEQING, ZHI.adcode, Literal("330382")))
    g.add((YUEQING, ZHI.level, ZHI.CountyLevel))
    add_entity(g, LIUSHI, [ZHI.Region], "柳市镇", "柳市")
    g.add((LIUSHI, ZHI.adcode, Literal("330382114")))
    g.add((LIUSHI, ZHI.level, ZHI.TownshipLevel))
    g.add((LIUSHI, ZHI.partOf, YUEQING))

    add_entity(g, YEARBOOK, [ZHI.Yearbook, ZHI.Publication], "成都年鉴（2023）")
    g.add((YEARBOOK, ZHI.aboutRegion, CHENGDU))
    add_entity(g, AWARD, [ZHI.Award], "中国精品年鉴")
    add_entity(g, OFFICE, [ZHI.Institution], "四川省地方志工作办公室", "省地方志办")
    add_entity(g, NATIONAL_OFFICE, [ZHI.Institution], "中国地方志工作办公室", "中志办")
    g.add((AWARD, ZHI.conferredBy, NATIONAL_OFFICE))

    add_statement(
        g,
        CONFERRAL,
        YEARBOOK,
        ZHI.receivedAward,
        AWARD,
        SENTENCE_1,
        ZHI.AwardConferral,
        ZHI.RelationStatement,
    )
    g.add((CONFERRAL, ZHI.recipient, YEARBOOK))
    g.add((CONFERRAL, ZHI.award, AWARD))
    g.add((CONFERRAL, ZHI.year, Literal("2023", datatype=GYEAR)))
    add_statement(g, LOCATED, OFFICE, ZHI.locatedIn, SICHUAN, SENTENCE_2)

    start, end = span("成都市", SENTENCE_2)
    g.add((MENTION, RDF.type, ZHI.Mention))
    g.add((MENTION, ZHI.mentionOf, CHENGDU))
    g.add((MENTION, ZHI.text, Literal("成都市")))
    g.add((MENTION, ZHI.evidence, Literal(SENTENCE_2, lang="zh")))
    g.add((MENTION, ZHI.inDocument, DOC))
    g.add((MENTION, ZHI.startOffset, non_negative(start)))
    g.add((MENTION, ZHI.endOffset, non_negative(end)))
    return g


def violations(data: Graph, shapes: Graph, **options: Any) -> list[str]:
    conforms, report, _ = validate(data, shacl_graph=shapes, **options)
    messages = sorted(str(m) for m in report.objects(None, SH.resultMessage))
    assert conforms == (not messages)
    return messages


def results(data: Graph, shapes: Graph) -> set[tuple[str, str]]:
    """(focus node, message) of every result pySHACL reports, nested ones included."""
    conforms, report, _ = validate(data, shacl_graph=shapes)
    found = {
        (
            str(report.value(r, SH.focusNode)),
            min(str(m) for m in report.objects(r, SH.resultMessage)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    assert conforms == (not found)
    return found


def fast_results(data: Graph) -> set[tuple[str, str]]:
    """The same, as ``zhi_graph.validate.check`` finds them without pySHACL."""
    return {(v.focus, v.message) for v in check(data)}


def test_conforming_graph_conforms(shapes: Graph) -> None:
    assert violations(conforming_graph(), shapes) == []


def test_conforming_graph_conforms_under_rdfs_inference(ontology: Graph, shapes: Graph) -> None:
    # The ontology is merged into the data graph rather than given as ont_graph: pySHACL's
    # mix-in copies each owl:NamedIndividual by walking all it reaches, over and over
    # (20-40 s here), and the merge holds every triple the mix-in would copy, and more.
    data = conforming_graph() + ontology
    assert violations(data, shapes, inference="rdfs", inplace=True) == []
    assert (CHENGDU, ZHI.within, SICHUAN) in data  # the entailments were drawn (partOf ⊑ within)


# pyshacl still reaches for rdflib's deprecated Dataset.default_context.
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
def test_conforming_graph_conforms_in_its_documents_named_graph(shapes: Graph) -> None:
    dataset = Dataset()
    named = dataset.graph(DOC)
    for triple in conforming_graph():
        named.add(triple)
    conforms, _, text = validate(dataset, shacl_graph=shapes)
    assert conforms, text


def test_conforming_graph_round_trips_through_turtle(shapes: Graph) -> None:
    text = conforming_graph().serialize(format="turtle")
    assert violations(Graph().parse(data=text, format="turtle"), shapes) == []


def replace(g: Graph, s: Node, p: URIRef, value: Node) -> None:
    g.remove((s, p, None))
    g.add((s, p, value))


def drop(g: Graph, s: Node, p: URIRef) -> None:
    g.remove((s, p, None))


def add(g: Graph, *triples: tuple[Node, URIRef, Node]) -> None:
    for triple in triples:
        g.add(triple)


BROKEN: list[tuple[str, Callable[[Graph], object], str]] = [
    # entities
    ("missing label", lambda g: drop(g, YEARBOOK, RDFS.label), "exactly one rdfs:label tagged @zh"),
    (
        "label without language",
        lambda g: replace(g, AWARD, RDFS.label, Literal("中国精品年鉴")),
        "language-tagged strings",
    ),
    (
        "two Chinese labels",
        lambda g: g.add((OFFICE, RDFS.label, Literal("省地方志办", lang="zh"))),
        "exactly one rdfs:label tagged @zh",
    ),
    (
        "alias repeats the label",
        lambda g: g.add((CHENGDU, SKOS.altLabel, Literal("成都市", lang="zh"))),
        "must not repeat",
    ),
    (
        "two English labels",
        lambda g: add(
            g,
            (AWARD, RDFS.label, Literal("Quality Yearbook", lang="en")),
            (AWARD, RDFS.label, Literal("Fine Yearbook", lang="en")),
        ),
        "at most one per language",
    ),
    (
        "empty alias",
        lambda g: g.add((OFFICE, SKOS.altLabel, Literal("", lang="zh"))),
        "non-empty strings tagged @zh",
    ),
    (
        "alias in English",
        lambda g: g.add((OFFICE, SKOS.altLabel, Literal("Sichuan Gazetteer Office", lang="en"))),
        "non-empty strings tagged @zh",
    ),
    (
        "entity named by a blank node",
        lambda g: add_entity(g, BNode(), [ZHI.Person], "某人"),
        "IRI under https://w3id.org/zhi-graph/id/",
    ),
    (
        "yearbook not typed Publication",
        lambda g: g.remove((YEARBOOK, RDF.type, ZHI.Publication)),
        "must also be typed zhi:Publication",
    ),
    # regions
    ("bad adcode", lambda g: replace(g, CHENGDU, ZHI.adcode, Literal("5101")), "6-digit GB/T 2260"),
    (
        "8-digit township adcode",
        lambda g: replace(g, LIUSHI, ZHI.adcode, Literal("33038211")),
        "9-digit statistical code",
    ),
    (
        "township IRI disagrees with adcode",
        lambda g: replace(g, LIUSHI, ZHI.adcode, Literal("330382104")),
        "IRI must be https://w3id.org/zhi-graph/id/region/{adcode}",
    ),
    (
        "township adcode at county level",
        lambda g: replace(g, LIUSHI, ZHI.level, ZHI.CountyLevel),
        "9 digits exactly when its zhi:level is zhi:TownshipLevel",
    ),
    (
        "county adcode at township level",
        lambda g: replace(g, YUEQING, ZHI.level, ZHI.TownshipLevel),
        "9 digits exactly when its zhi:level is zhi:TownshipLevel",
    ),
    (
        "adcode as integer",
        lambda g: replace(g, CHENGDU, ZHI.adcode, Literal(510100)),
        "6-digit GB/T 2260",
    ),
    ("region without adcode", lambda g: drop(g, CHENGDU, ZHI.adcode), "needs a zhi:adcode"),
    (
        "region IRI disagrees with adcode",
        lambda g: replace(g, CHENGDU, ZHI.adcode, Literal("510104")),
        "IRI must be https://w3id.org/zhi-graph/id/region/{adcode}",
    ),
    (
        "two parents",
        lambda g: g.add((CHENGDU, ZHI.partOf, FRANCE)),
        "at most one zhi:partOf",
    ),
    (
        "province with a parent",
        lambda g: g.add((SICHUAN, ZHI.partOf, CHENGDU)),
        "province-level region has no zhi:partOf",
    ),
    (
        "level as a string",
        lambda g: replace(g, CHENGDU, ZHI.level, Literal("prefecture")),
        "at most one zhi:level",
    ),
    (
        "country with adcode",
        lambda g: g.add((FRANCE, ZHI.adcode, Literal("250000"))),
        "no zhi:adcode",
    ),
    ("lower-case iso2", lambda g: replace(g, FRANCE, ZHI.iso2, Literal("fr")), "upper case"),
    (
        "country IRI disagrees with iso2",
        lambda g: replace(g, FRANCE, ZHI.iso2, Literal("DE")),
        "IRI must be https://w3id.org/zhi-graph/id/country/{iso2} (iso2 DE)",
    ),
    # relations between entities
    (
        "award that is not an Award",
        lambda g: g.add((YEARBOOK, ZHI.receivedAward, CHENGDU)),
        "zhi:receivedAward values must be zhi:Award",
    ),
    (
        "aboutRegion on an institution",
        lambda g: g.add((OFFICE, ZHI.aboutRegion, CHENGDU)),
        "Only a zhi:Publication has zhi:aboutRegion",
    ),
    (
        "located in a publication",
        lambda g: g.add((OFFICE, ZHI.locatedIn, YEARBOOK)),
        "zhi:locatedIn values must be zhi:Region",
    ),
    # award conferrals
    (
        "year not a gYear",
        lambda g: replace(g, CONFERRAL, ZHI.year, Literal("2023")),
        "an xsd:gYear",
    ),
    (
        "year as an integer",
        lambda g: replace(g, CONFERRAL, ZHI.year, Literal(2023)),
        "an xsd:gYear",
    ),
    (
        "conferral without award",
        lambda g: drop(g, CONFERRAL, ZHI.award),
        "exactly one zhi:award",
    ),
    (
        "recipient is not the subject",
        lambda g: replace(g, CONFERRAL, ZHI.recipient, OFFICE),
        "must equal its zhi:subject",
    ),
    (
        "conferral not typed RelationStatement",
        lambda g: g.remove((CONFERRAL, RDF.type, ZHI.RelationStatement)),
        "must also be typed zhi:RelationStatement",
    ),
    (
        "award statement not typed AwardConferral",
        lambda g: g.remove((CONFERRAL, RDF.type, ZHI.AwardConferral)),
        "must be typed zhi:AwardConferral",
    ),
    # statements and mentions
    (
        "statement without document",
        lambda g: drop(g, LOCATED, ZHI.inDocument),
        "exactly one zhi:inDocument",
    ),
    (
        "statement of a triple that is not asserted",
        lambda g: g.remove((OFFICE, ZHI.locatedIn, SICHUAN)),
        "that triple is not asserted",
    ),
    (
        "statement with a foreign predicate",
        lambda g: replace(g, LOCATED, ZHI.predicate, RDFS.seeAlso),
        "one of the zhi: relations",
    ),
    (
        "evidence that is not the text between the offsets",
        lambda g: replace(g, LOCATED, ZHI.evidence, Literal("四川省地方志工作办公室", lang="zh")),
        "the evidence must be the original text between the offsets",
    ),
    (
        "evidence without language",
        lambda g: replace(g, MENTION, ZHI.evidence, Literal(SENTENCE_2)),
        "tagged @zh",
    ),
    (
        "offset as xsd:integer",
        lambda g: replace(g, MENTION, ZHI.startOffset, Literal(span("成都市", SENTENCE_2)[0])),
        "xsd:nonNegativeInteger",
    ),
    (
        "offset as a string",
        lambda g: replace(g, MENTION, ZHI.startOffset, Literal(str(span("成都市", SENTENCE_2)[0]))),
        "below its zhi:endOffset",
    ),
    (
        "negative offset",
        lambda g: replace(
            g, MENTION, ZHI.startOffset, Literal("-1", datatype=NON_NEGATIVE_INTEGER)
        ),
        "xsd:nonNegativeInteger",
    ),
    (
        "end at start",
        lambda g: replace(g, MENTION, ZHI.endOffset, non_negative(span("成都市", SENTENCE_2)[0])),
        "below its zhi:endOffset",
    ),
    (
        "end before start",
        lambda g: replace(g, MENTION, ZHI.endOffset, non_negative(1)),
        "below its zhi:endOffset",
    ),
    (
        "offsets beyond the document",
        lambda g: replace(g, DOC, ZHI.characterCount, non_negative(10)),
        "beyond the document's zhi:characterCount",
    ),
    (
        "mention text misaligned with offsets",
        lambda g: replace(g, MENTION, ZHI.text, Literal("成都")),
        "offsets must index the original text",
    ),
    (
        "mention without entity",
        lambda g: drop(g, MENTION, ZHI.mentionOf),
        "exactly one zhi:mentionOf",
    ),
    (
        "mention of a document",
        lambda g: replace(g, MENTION, ZHI.mentionOf, DOC),
        "exactly one zhi:mentionOf, an entity",
    ),
    (
        "mention of a string",
        lambda g: replace(g, MENTION, ZHI.mentionOf, Literal("成都市")),
        "Must be an entity typed zhi:Region",
    ),
    (
        "empty mention text",
        lambda g: replace(g, MENTION, ZHI.text, Literal("")),
        "a non-empty xsd:string",
    ),
    # documents
    (
        "upper-case sha256",
        lambda g: replace(g, DOC, ZHI.sha256, Literal(SHA256.upper())),
        "64 lower-case hex digits",
    ),
    (
        "document IRI disagrees with sha256",
        lambda g: replace(g, DOC, ZHI.sha256, Literal("0" * 64)),
        "first 16 hex digits of its zhi:sha256",
    ),
    ("document without name", lambda g: drop(g, DOC, SCHEMA.name), "exactly one schema:name"),
    # pages of a PDF
    (
        "page of a document without pages",
        lambda g: g.add((MENTION, ZHI.page, Literal(1, datatype=POSITIVE_INTEGER))),
        "is not a page of the document",
    ),
    (
        "page beyond the page count",
        lambda g: add(
            g,
            (DOC, ZHI.pageCount, Literal(2, datatype=POSITIVE_INTEGER)),
            (LOCATED, ZHI.page, Literal(3, datatype=POSITIVE_INTEGER)),
        ),
        "is not a page of the document",
    ),
    (
        "page as an xsd:integer",
        lambda g: add(
            g,
            (DOC, ZHI.pageCount, Literal(2, datatype=POSITIVE_INTEGER)),
            (MENTION, ZHI.page, Literal(1)),
        ),
        "at most one zhi:page, an xsd:positiveInteger",
    ),
    (
        "page count as a plain string",
        lambda g: g.add((DOC, ZHI.pageCount, Literal("2"))),
        "at most one zhi:pageCount, an xsd:positiveInteger",
    ),
    (
        "media type that is not one",
        lambda g: g.add((DOC, SCHEMA.encodingFormat, Literal("PDF file"))),
        "its media type",
    ),
]


@pytest.mark.parametrize(
    ("break_graph", "expected"),
    [(fn, expected) for _, fn, expected in BROKEN],
    ids=[name for name, _, _ in BROKEN],
)
def test_broken_graph_does_not_conform(
    shapes: Graph, break_graph: Callable[[Graph], object], expected: str
) -> None:
    g = conforming_graph()
    break_graph(g)
    found = results(g, shapes)
    messages = sorted(m for _, m in found)
    assert any(expected in m for m in messages), messages
    assert fast_results(g) == found  # the fast check finds the same, on the same nodes


# Graphs that differ from the conforming one in ways the shapes allow.
ALSO_CONFORMING: list[tuple[str, Callable[[Graph], object]]] = [
    (
        "a PDF: pages, page count and media type",
        lambda g: add(
            g,
            (DOC, ZHI.pageCount, Literal(2, datatype=POSITIVE_INTEGER)),
            (DOC, SCHEMA.encodingFormat, Literal("application/pdf")),
            (MENTION, ZHI.page, Literal(2, datatype=POSITIVE_INTEGER)),
            (CONFERRAL, ZHI.page, Literal(1, datatype=POSITIVE_INTEGER)),
        ),
    ),
    (
        "alias tagged zh-CN",
        lambda g: g.add((CHENGDU, SKOS.altLabel, Literal("蓉城", lang="zh-CN"))),
    ),
    (
        "English label too",
        lambda g: g.add((AWARD, RDFS.label, Literal("Fine Yearbook", lang="en"))),
    ),
    (
        # sh:class and sh:targetClass follow rdfs:subClassOf in the data graph
        "top class entailed by a subclass axiom in the data",
        lambda g: (
            g.remove((YEARBOOK, RDF.type, ZHI.Publication)),
            g.add((ZHI.Yearbook, RDFS.subClassOf, ZHI.Publication)),
        ),
    ),
]


@pytest.mark.parametrize(
    "change", [fn for _, fn in ALSO_CONFORMING], ids=[name for name, _ in ALSO_CONFORMING]
)
def test_fast_check_agrees_on_graphs_that_conform(
    shapes: Graph, change: Callable[[Graph], object]
) -> None:
    g = conforming_graph()
    change(g)
    assert results(g, shapes) == set()
    assert fast_results(g) == set()


def test_fast_check_compiles_every_shape() -> None:
    """A shape the fast check cannot compile goes through pySHACL: correct, but slow."""
    assert _plan(None).left_to_pyshacl == []


EXTRA_SHAPES = '''
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix zhi: <https://w3id.org/zhi-graph/ontology#> .

<urn:test:ShortAwardLabel> a sh:NodeShape ;
    sh:targetClass zhi:Award ;
    sh:property [
        sh:path rdfs:label ;
        sh:maxLength 3 ;
        sh:message "An award's label has at most 3 characters." ;
    ] .

<urn:test:ShortDocumentName> a sh:PropertyShape ;
    sh:targetClass zhi:Document ;
    sh:path <https://schema.org/name> ;
    sh:sparql [
        sh:message "The document name {?value} is long." ;
        sh:select """
            SELECT $this ?value WHERE {
                $this $PATH ?value . FILTER (STRLEN(?value) > 3)
            }""" ;
    ] .
'''


def test_fast_check_leaves_what_it_cannot_compile_to_pyshacl(tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text((ONTOLOGY / "shapes.ttl").read_text(encoding="utf-8") + EXTRA_SHAPES)
    # sh:maxLength is not compiled; SPARQL on a property shape does not run in bulk
    left = {str(shape) for shape, _ in _plan(path).left_to_pyshacl}
    assert left == {"urn:test:ShortAwardLabel", "urn:test:ShortDocumentName"}
    g = conforming_graph()
    fast = {(v.focus, v.message) for v in check(g, shapes=path)}
    assert fast == {(v.focus, v.message) for v in check(g, shapes=path, fast=False)}
    assert fast == {
        (str(AWARD), "An award's label has at most 3 characters."),
        (str(DOC), "The document name briefing.txt is long."),
    }


# --- JSON-LD context -------------------------------------------------------------


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    data = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    ctx = data["@context"]
    assert isinstance(ctx, dict)
    return ctx


# rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_context_reads_a_tiny_document(context: dict[str, Any]) -> None:
    doc = {
        "@context": context,
        "graph": [
            {
                "id": "zhid:publication/0123456789abcdef",
                "type": ["Yearbook", "Publication"],
                "label": "成都年鉴（2023）",
                "altLabel": ["成都年鉴"],
                "receivedAward": "zhid:award/fedcba9876543210",
                "aboutRegion": "zhid:region/510100",
            },
            {
                "id": "zhid:region/510100",
                "type": "Region",
                "adcode": "510100",
                "level": "PrefectureLevel",
            },
            {
                "type": ["AwardConferral", "RelationStatement"],
                "predicate": "receivedAward",
                "year": "2023",
                "startOffset": 7,
                "evidence": "《成都年鉴（2023）》入选“中国精品年鉴”。",
            },
        ],
    }
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    pub = ID["publication/0123456789abcdef"]
    assert (pub, ZHI.receivedAward, ID["award/fedcba9876543210"]) in g
    assert (pub, RDF.type, ZHI.Yearbook) in g
    assert (pub, RDFS.label, Literal("成都年鉴（2023）", lang="zh")) in g
    assert (pub, SKOS.altLabel, Literal("成都年鉴", lang="zh")) in g
    assert (ID["region/510100"], ZHI.level, ZHI.PrefectureLevel) in g
    assert (ID["region/510100"], ZHI.adcode, Literal("510100")) in g
    assert (None, ZHI.year, Literal("2023", datatype=GYEAR)) in g
    assert (None, ZHI.predicate, ZHI.receivedAward) in g
    assert (None, ZHI.startOffset, Literal(7, datatype=NON_NEGATIVE_INTEGER)) in g


def test_context_names_only_defined_terms(context: dict[str, Any]) -> None:
    for term, definition in context.items():
        iri = definition["@id"] if isinstance(definition, dict) else definition
        if isinstance(iri, str) and iri.startswith("zhi:"):
            assert iri[4:] in ZHI, f"context term {term} maps to undefined {iri}"
            assert iri[4:] == term, f"context term {term} should be named like {iri}"


def test_context_covers_every_property(ontology: Graph, context: dict[str, Any]) -> None:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            assert str(prop)[len(NS) :] in context, f"context lacks a term for {prop}"


def test_context_has_a_term_for_every_term_of_the_ontology(context: dict[str, Any]) -> None:
    """Generated from nothing, so checked against zhi.ttl: a new term needs a context entry."""
    defined = {
        str(s)[len(NS) :]
        for s in Graph()
        .parse(ONTOLOGY / "zhi.ttl")
        .subjects(RDFS.isDefinedBy, URIRef("https://w3id.org/zhi-graph/ontology"))
        if str(s).startswith(NS)
    }
    assert len(defined) == 57
    for name in sorted(defined):
        definition = context.get(name)
        iri = definition["@id"] if isinstance(definition, dict) else definition
        assert iri == f"zhi:{name}", f"context term {name!r} missing or not zhi:{name}"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_context_compacts_and_round_trips_a_graph(context: dict[str, Any]) -> None:
    graph = conforming_graph()
    text = graph.serialize(format="json-ld", context=context)
    for term in ('"label"', '"altLabel"', '"receivedAward"', '"year"', '"inDocument"'):
        assert term in text, f"{term} not used when compacting"
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)
