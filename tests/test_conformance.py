"""zhi_graph.rdf.conformance: the build's check on N-Triples lines agrees with the shapes.

The build checks each document with ``check_lines``; ``validate.check`` evaluates
``ontology/shapes.ttl`` itself (and is checked against pySHACL in
test_ontology.py).  Both must find nothing in what the pipeline writes, and
both must reject the same nodes of documents broken on purpose.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from zhi_graph.errors import ValidationError
from zhi_graph.model import (
    Document,
    Entity,
    EntityType,
    ExtractionResult,
    Relation,
    RelationKind,
    Span,
)
from zhi_graph.pipeline import build, extract_document
from zhi_graph.rdf import build as rdf_build
from zhi_graph.rdf import conformance
from zhi_graph.rdf.build import document_lines
from zhi_graph.rdf.columns import tables
from zhi_graph.rdf.conformance import check_lines
from zhi_graph.rdf.dataset import document_triples
from zhi_graph.resources import Resources
from zhi_graph.validate import check

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "corpus" / "000_56e6aeb4e85b6bad.txt"
CASES = sorted((ROOT / "tests" / "cases").glob("*/input.txt"))


def extracted(
    text: str, resources: Resources, name: str = "doc.txt", pages: tuple[int, ...] = ()
) -> ExtractionResult:
    document = Document(
        path=Path(name),
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        encoding="utf-8",
        media_type="application/pdf" if pages else "text/plain",
        pages=pages,
    )
    return extract_document(document, resources)


def shuffled(seed: int) -> str:
    """A new document: the sample's and the cases' sentences in a random order."""
    text = "".join(p.read_text(encoding="utf-8") for p in [SAMPLE, *CASES])
    sentences = [s + "。" for s in text.replace("\n", "。").split("。") if s.strip()]
    rng = random.Random(seed)
    picked = rng.sample(sentences, min(120, len(sentences)))
    return "\n".join("".join(picked[i : i + 4]) for i in range(0, len(picked), 4))


def both(
    result: ExtractionResult, relabels: dict[str, str] | None = None
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(focus node, property) of each violation: by the lines check, and by the full check of
    the shapes (which writes a property as a full IRI where no prefix is bound)."""
    fast = {(v.focus, _local(v.path)) for v in check_lines(document_lines(result, relabels))}
    full = {(v.focus, _local(v.path)) for v in check(document_triples(result, relabels))}
    return fast, full


def _local(path: str) -> str:
    return re.split(r"[#:/]", path.strip("<>"))[-1]


GENERATED: list[tuple[str, Callable[[Resources], ExtractionResult]]] = [
    ("sample", lambda r: extracted(SAMPLE.read_text(encoding="utf-8"), r, SAMPLE.name)),
    *[
        (case.parent.name, lambda r, c=case: extracted(c.read_text(encoding="utf-8"), r))
        for case in CASES
    ],
    *[(f"shuffled {seed}", lambda r, s=seed: extracted(shuffled(s), r)) for seed in (1, 2, 3)],
    (
        "paged, a PDF",
        lambda r: extracted(shuffled(4), r, "doc.pdf", pages=(0, 500, 1200, 3000)),
    ),
    (
        "quotes, backslashes and control characters in names and sentences",
        lambda r: extracted(
            '《成都年鉴（2023）》由"四川\\省"地方志办公室编纂。\t成都市\x0b参加。\r\n', r
        ),
    ),
]


@pytest.mark.parametrize("make", [m for _, m in GENERATED], ids=[n for n, _ in GENERATED])
def test_generated_graphs_conform_by_both_checks(
    resources: Resources, make: Callable[[Resources], ExtractionResult]
) -> None:
    result = make(resources)
    assert result.entities
    assert both(result) == (set(), set())


def test_relabelled_graph_conforms_by_both_checks(resources: Resources) -> None:
    result = extracted(SAMPLE.read_text(encoding="utf-8"), resources)
    relabels = {e.key: e.label + "（新）" for e in result.entities if e.type is EntityType.AWARD}
    assert relabels
    assert both(result, relabels) == (set(), set())


# --- documents broken on purpose ----------------------------------------------------


def _entity(result: ExtractionResult, type_: EntityType) -> Entity:
    return next(e for e in result.entities if e.type is type_ and e.mentions)


def _region(result: ExtractionResult, level: str) -> Entity:
    return next(e for e in result.entities if e.type is EntityType.REGION and e.level == level)


def _with_entity(result: ExtractionResult, old: Entity, new: Entity) -> ExtractionResult:
    entities = tuple(new if e is old else e for e in result.entities)
    return dataclasses.replace(result, entities=entities)


def _add(
    result: ExtractionResult, *entities: Entity, relations: tuple[Relation, ...] = ()
) -> ExtractionResult:
    return dataclasses.replace(
        result,
        entities=result.entities + entities,
        relations=result.relations + relations,
    )


def _twin_label(result: ExtractionResult) -> ExtractionResult:
    region = _region(result, "county")
    twin = dataclasses.replace(region, key="twin", label=region.label + "区", mentions=())
    return _add(result, twin)


def _empty_alias(result: ExtractionResult) -> ExtractionResult:
    entity = _entity(result, EntityType.INSTITUTION)
    return _with_entity(result, entity, dataclasses.replace(entity, aliases=("",)))


def _bad_adcode(result: ExtractionResult) -> ExtractionResult:
    region = _region(result, "county")
    return _with_entity(result, region, dataclasses.replace(region, adcode="5101x4"))


def _township_code_at_county_level(result: ExtractionResult) -> ExtractionResult:
    region = _region(result, "county")
    code = (region.adcode or "") + "100"
    return _with_entity(result, region, dataclasses.replace(region, adcode=code))


def _village_code_at_county_level(result: ExtractionResult) -> ExtractionResult:
    region = _region(result, "county")
    code = (region.adcode or "") + "100201"
    return _with_entity(result, region, dataclasses.replace(region, adcode=code))


def _region_without_code(result: ExtractionResult) -> ExtractionResult:
    region = _region(result, "county")
    return _with_entity(result, region, dataclasses.replace(region, adcode=None))


def _award_of_a_region(result: ExtractionResult) -> ExtractionResult:
    award = next(r for r in result.relations if r.kind is RelationKind.RECEIVED_AWARD)
    region = _region(result, "county")
    wrong = dataclasses.replace(award, object=region.key)
    return dataclasses.replace(result, relations=(*result.relations, wrong))


def _province_part_of(result: ExtractionResult) -> ExtractionResult:
    province, county = _region(result, "province"), _region(result, "county")
    relation = Relation(RelationKind.PART_OF, province.key, county.key, None)
    return _add(result, relations=(relation,))


def _two_entities_one_mention(result: ExtractionResult) -> ExtractionResult:
    entity = _entity(result, EntityType.INSTITUTION)
    mention = entity.mentions[0]
    other = Entity(
        key="other", type=EntityType.PERSON, label="张三", aliases=(), mentions=(mention,)
    )
    return _add(result, other)


def _empty_mention(result: ExtractionResult) -> ExtractionResult:
    entity = _entity(result, EntityType.INSTITUTION)
    first = entity.mentions[0]
    empty = dataclasses.replace(first, end=first.start)
    changed = dataclasses.replace(entity, mentions=(empty, *entity.mentions[1:]))
    return _with_entity(result, entity, changed)


def _statement_in_two_sentences(result: ExtractionResult) -> ExtractionResult:
    stated = next(r for r in result.relations if r.sentence is not None)
    assert stated.sentence is not None
    again = dataclasses.replace(
        stated, sentence=Span(stated.sentence.start, stated.sentence.end - 1)
    )
    return _add(result, relations=(again,))


def _bad_media_type(result: ExtractionResult) -> ExtractionResult:
    document = dataclasses.replace(result.document, media_type="plain text")
    return dataclasses.replace(result, document=document)


def _lower_case_country(result: ExtractionResult) -> ExtractionResult:
    country = Entity(
        key="fr",
        type=EntityType.REGION,
        label="法国",
        aliases=(),
        mentions=(),
        adcode="fr",
        level="country",
    )
    return _add(result, country)


BROKEN: list[tuple[str, Callable[[ExtractionResult], ExtractionResult]]] = [
    ("two labels for one region", _twin_label),
    ("empty alias", _empty_alias),
    ("adcode that is not digits", _bad_adcode),
    ("township code at county level", _township_code_at_county_level),
    ("village code at county level", _village_code_at_county_level),
    ("region without adcode", _region_without_code),
    ("award that is a region", _award_of_a_region),
    ("province part of a county", _province_part_of),
    ("one span, two entities", _two_entities_one_mention),
    ("empty mention", _empty_mention),
    ("one statement, two sentences", _statement_in_two_sentences),
    ("media type that is not one", _bad_media_type),
    ("country code in lower case", _lower_case_country),
]


@pytest.fixture(scope="module")
def sample(resources: Resources) -> ExtractionResult:
    return extracted(SAMPLE.read_text(encoding="utf-8"), resources, SAMPLE.name)


@pytest.mark.parametrize("breaks", [b for _, b in BROKEN], ids=[n for n, _ in BROKEN])
def test_both_checks_reject_the_same_nodes(
    sample: ExtractionResult, breaks: Callable[[ExtractionResult], ExtractionResult]
) -> None:
    fast, full = both(breaks(sample))
    assert full, "the broken document must break the shapes"
    assert fast == full


def test_a_village_and_its_chain_conform_to_both_checks(resources: Resources) -> None:
    result = extracted("湖州市安吉县天荒坪镇余村编纂的《余村志》出版。", resources)
    assert any(e.level == "village" and e.adcode == "330523108204" for e in result.entities)
    assert both(result) == (set(), set())


def test_validated_build_rejects_a_graph_that_breaks_the_shapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made_by_the_build = rdf_build.nodes_and_tables

    def with_second_label(
        facts: rdf_build.DocumentFacts, relabels: object = None
    ) -> rdf_build.NodesAndTables:
        made = made_by_the_build(facts, relabels)  # type: ignore[arg-type]
        labels = next(
            values[label]
            for values in made.nodes.values()
            for label in values
            if label == "<http://www.w3.org/2000/01/rdf-schema#label>"
        )
        labels.append(labels[0].replace('"@zh', '又"@zh'))
        return made

    monkeypatch.setattr("zhi_graph.rdf.build.nodes_and_tables", with_second_label)
    out = tmp_path / "out"
    with pytest.raises(ValidationError, match="shape constraint"):
        build([SAMPLE], out, workers=1, html=False)
    assert not (out / "graph.ttl").exists()
    report = build([SAMPLE], out, workers=1, html=False, validate=False)
    assert (out / "graph.ttl").is_file() and report.triples > 0


# --- nodes broken on purpose: the checks of whole tables find what the node checks find
#
# The build's check passes tables of usual mentions, statements and entities at once
# (``_quiet_table``), and usual nodes one by one (``_quiet_mention``, ``_quiet_statement``);
# anything else goes to the general per-node checks.  Each case breaks one node of a
# document's graph; the check must find exactly what the general checks alone find.

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ALT_LABEL = "<http://www.w3.org/2004/02/skos/core#altLabel>"
Nodes = dict[str, dict[str, list[str]]]


def z(name: str) -> str:
    return f"<https://w3id.org/zhi-graph/ontology#{name}>"


def nni(number: object) -> str:
    return f'"{number}"^^<{XSD_NS}nonNegativeInteger>'


def _setting(path: str, *objects: str) -> Callable[[Nodes, str], None]:
    def change(nodes: Nodes, node: str) -> None:
        nodes[node][path] = list(objects)

    return change


def _dropping(path: str) -> Callable[[Nodes, str], None]:
    def change(nodes: Nodes, node: str) -> None:
        del nodes[node][path]

    return change


def _adding(path: str, obj: str) -> Callable[[Nodes, str], None]:
    return lambda nodes, node: nodes[node].setdefault(path, []).append(obj)


def _swap_offsets(nodes: Nodes, node: str) -> None:
    values = nodes[node]
    values[z("startOffset")], values[z("endOffset")] = (
        values[z("endOffset")],
        values[z("startOffset")],
    )


def _lengthen_text(nodes: Nodes, node: str) -> None:
    values = nodes[node]
    values[z("text")] = [values[z("text")][0][:-1] + 'x"']


def _escaped_text_of_wrong_length(nodes: Nodes, node: str) -> None:
    values = nodes[node]
    values[z("text")] = [values[z("text")][0][:-1] + '\\""']


def _mention_of_itself(nodes: Nodes, node: str) -> None:
    nodes[node][z("mentionOf")] = [node]


def _another_object(nodes: Nodes, node: str) -> None:
    values = nodes[node]
    others = [s for s, v in nodes.items() if v.get(A) == [z("Region")]]
    values[z("object")] = [next(o for o in others if o not in values[z("object")])]


def _no_publication_type(nodes: Nodes, node: str) -> None:
    nodes[node][A].remove(z("Publication"))


def _alias_as_label(nodes: Nodes, node: str) -> None:
    nodes[node][ALT_LABEL] = list(nodes[node][LABEL])


def _other_adcode(nodes: Nodes, node: str) -> None:
    code = nodes[node][z("adcode")][0]
    nodes[node][z("adcode")] = [code[:-2] + ("1" if code[-2] != "1" else "2") + '"']


def _a_mention(nodes: Nodes) -> str:
    return next(s for s, v in nodes.items() if v.get(A) == [z("Mention")])


def _a_statement(nodes: Nodes) -> str:
    return next(s for s, v in nodes.items() if v.get(A) == [z("RelationStatement")])


def _a_conferral(nodes: Nodes) -> str:
    return next(s for s, v in nodes.items() if z("AwardConferral") in v.get(A, []))


def _a_publication(nodes: Nodes) -> str:
    return next(s for s, v in nodes.items() if len(v.get(A, [])) == 2 and z("Publication") in v[A])


def _an_institution(nodes: Nodes) -> str:
    return next(s for s, v in nodes.items() if v.get(A) == [z("Institution")])


def _a_region(nodes: Nodes) -> str:
    return next(s for s, v in nodes.items() if v.get(A) == [z("Region")] and z("adcode") in v)


Pick = Callable[[Nodes], str]
Change = Callable[[Nodes, str], None]
BROKEN_NODES: list[tuple[str, Pick, Change]] = [
    ("mention without zhi:text", _a_mention, _dropping(z("text"))),
    ("mention with two zhi:text", _a_mention, _adding(z("text"), '"又"')),
    ("mention text longer than its span", _a_mention, _lengthen_text),
    ("mention text escaped, longer than its span", _a_mention, _escaped_text_of_wrong_length),
    ("mention text tagged", _a_mention, _setting(z("text"), '"成都"@zh')),
    ("mention offsets reversed", _a_mention, _swap_offsets),
    ("mention start not a number", _a_mention, _setting(z("startOffset"), nni("x"))),
    ("mention start with a sign", _a_mention, _setting(z("startOffset"), nni("+1"))),
    ("mention start in other digits", _a_mention, _setting(z("startOffset"), nni("１"))),
    ("mention end beyond the document", _a_mention, _setting(z("endOffset"), nni(10**9))),
    ("mention without zhi:endOffset", _a_mention, _dropping(z("endOffset"))),
    ("mention with a page, document without pages", _a_mention, _adding(z("page"), '"1"')),
    ("mention with an empty evidence", _a_mention, _setting(z("evidence"), '""@zh')),
    ("mention with an English evidence", _a_mention, _setting(z("evidence"), '"x"@en')),
    ("mention with two evidences", _a_mention, _adding(z("evidence"), '"又"@zh')),
    ("mention of no entity", _a_mention, _mention_of_itself),
    ("mention in no document", _a_mention, _setting(z("inDocument"), "<urn:x:nothing>")),
    ("statement of an unasserted triple", _a_statement, _another_object),
    ("statement predicate not a relation", _a_statement, _setting(z("predicate"), LABEL)),
    ("statement of zhi:receivedAward", _a_statement, _setting(z("predicate"), z("receivedAward"))),
    ("statement offsets reversed", _a_statement, _swap_offsets),
    ("statement without evidence", _a_statement, _dropping(z("evidence"))),
    ("statement with two subjects", _a_statement, _adding(z("subject"), "<urn:x:s>")),
    ("award conferral without recipient", _a_conferral, _dropping(z("recipient"))),
    ("award conferral in a year not a gYear", _a_conferral, _setting(z("year"), '"2020"')),
    ("kind of publication not a zhi:Publication", _a_publication, _no_publication_type),
    ("publication with an alias as its label", _a_publication, _alias_as_label),
    ("institution label not tagged", _an_institution, _setting(LABEL, '"机构"')),
    ("institution with an empty alias", _an_institution, _setting(ALT_LABEL, '""@zh')),
    ("institution located in an award", _an_institution, _setting(z("locatedIn"), z("Award"))),
    ("region whose IRI is not its adcode", _a_region, _other_adcode),
    ("region at an unknown level", _a_region, _setting(z("level"), z("Level"))),
]


def _general(nodes: Nodes, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The violations the per-node checks alone find, the quick tests turned off."""
    with monkeypatch.context() as patched:
        patched.setattr(conformance, "_quiet_table", lambda g, table: False)
        patched.setattr(conformance, "_quiet_mention", lambda g, props: False)
        patched.setattr(conformance, "_quiet_statement", lambda g, props, types: False)
        return [str(v) for v in conformance.check_nodes(nodes)]


@pytest.fixture(scope="module")
def sample_nodes(sample: ExtractionResult) -> Nodes:
    return rdf_build.document_nodes(rdf_build.document_facts(sample))


@pytest.mark.parametrize(
    ("pick", "change"), [(p, c) for _, p, c in BROKEN_NODES], ids=[n for n, _, _ in BROKEN_NODES]
)
def test_a_broken_node_is_found_as_by_the_node_checks(
    sample_nodes: Nodes, pick: Pick, change: Change, monkeypatch: pytest.MonkeyPatch
) -> None:
    nodes = copy.deepcopy(sample_nodes)
    node = pick(nodes)
    change(nodes, node)
    violations = conformance.check_nodes(nodes)
    assert node[1:-1] in {v.focus for v in violations}, "the broken node must break the shapes"
    assert [str(v) for v in violations] == _general(nodes, monkeypatch)


MENTION_CASES = [case for case in BROKEN_NODES if case[1] is _a_mention]


@pytest.mark.parametrize(
    ("pick", "change"), [(p, c) for _, p, c in MENTION_CASES], ids=[n for n, _, _ in MENTION_CASES]
)
def test_a_broken_mention_in_a_table_of_nodes_the_graph_lacks_is_found_the_same(
    sample_nodes: Nodes, pick: Pick, change: Change
) -> None:
    """A build passes its mentions as tables only (``rdf.build.nodes_and_tables``): the
    check of a table that does not pass as a whole makes its nodes to check them."""
    nodes = copy.deepcopy(sample_nodes)
    change(nodes, pick(nodes))
    mentions = [s for s, v in nodes.items() if z("Mention") in v.get(A, [])]
    mention_tables, odd = tables(nodes, mentions)
    held = set(mentions) - set(odd)
    others = {s: v for s, v in nodes.items() if s not in held}
    found, rest = tables(others, others)
    violations = conformance.check_nodes(others, ([*found, *mention_tables], rest))
    assert violations == conformance.check_nodes(nodes)
    assert len(others) < len(nodes)


def _a_paged_mention(nodes: Nodes) -> str:
    return next(s for s, v in nodes.items() if v.get(A) == [z("Mention")] and z("page") in v)


def positive(number: object) -> str:
    return f'"{number}"^^<{XSD_NS}positiveInteger>'


BROKEN_PAGED: list[tuple[str, Change]] = [
    ("page 0", _setting(z("page"), positive(0))),
    ("page beyond the page count", _setting(z("page"), positive(99))),
    ("page not a number", _setting(z("page"), positive("x"))),
    ("two pages", _adding(z("page"), positive(1))),
]


@pytest.fixture(scope="module")
def paged_nodes(resources: Resources) -> Nodes:
    result = extracted(shuffled(4), resources, "doc.pdf", pages=(0, 500, 1200, 3000))
    return rdf_build.document_nodes(rdf_build.document_facts(result))


@pytest.mark.parametrize("change", [c for _, c in BROKEN_PAGED], ids=[n for n, _ in BROKEN_PAGED])
def test_a_broken_page_is_found_as_by_the_node_checks(
    paged_nodes: Nodes, change: Change, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not conformance.check_nodes(paged_nodes)
    nodes = copy.deepcopy(paged_nodes)
    node = _a_paged_mention(nodes)
    change(nodes, node)
    violations = conformance.check_nodes(nodes)
    assert node[1:-1] in {v.focus for v in violations}
    assert [str(v) for v in violations] == _general(nodes, monkeypatch)


def test_usual_tables_pass_at_once(sample_nodes: Nodes) -> None:
    """Mentions, statements, entities and regions: their tables need no node checks."""
    grouped = tables(sample_nodes, sample_nodes)
    graph = conformance._Graph(sample_nodes)
    passed = {
        kind
        for table in grouped[0]
        if conformance._quiet_table(graph, table)
        for kind in table.columns[table.predicates.index(A)]
    }
    assert {z("Mention"), z("RelationStatement"), z("Region"), z("Publication")} <= passed
    assert not conformance.check_nodes(sample_nodes, grouped)


def test_tables_of_usual_mentions_statements_and_conferrals_pass_as_a_whole(
    sample_nodes: Nodes,
) -> None:
    """The quick test of a whole table passes the usual ones: otherwise every node of
    them would be checked one by one (correct, but what the tables are there to spare)."""
    graph = conformance._Graph(sample_nodes)
    found, _ = tables(sample_nodes, sample_nodes)
    kinds = {z("Mention"), z("RelationStatement"), z("AwardConferral")}
    own = [t for t in found if kinds & set(t.columns[t.predicates.index(A)])]
    assert {tuple(sorted(set(t.columns[t.predicates.index(A)]))) for t in own} == {
        (z("Mention"),),
        (z("RelationStatement"),),
        (z("AwardConferral"), z("RelationStatement")),
    }
    assert [t.predicates for t in own if not conformance._quiet_table(graph, t)] == []


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ([[nni(3), nni(12)]], [3, 12]),
        ([[nni(3), nni(12)], [nni(12), nni(3)]], [12, 3]),  # read back
        ([[nni(3), nni(12)], [nni(3), nni("x")]], None),  # one term not read before
        ([[nni(3)], [nni(3), nni("+4")]], None),
        ([[nni(3)], [f'"3"^^<{XSD_NS}positiveInteger>']], None),  # another datatype
        ([[nni(7)], ['"7"']], None),
    ],
)
def test_numbers_of_a_column_are_read_once_and_checked_each_time(
    columns: list[list[str]], expected: list[int] | None
) -> None:
    end = f'"^^<{XSD_NS}nonNegativeInteger>'
    *before, last = columns
    for column in before:
        conformance._numbers(column, end)
    assert conformance._numbers(last, end) == expected
