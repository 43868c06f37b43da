"""zhi_graph.rdf: stable IRIs, exact provenance offsets, shapes that hold, queries that answer."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node
from typer.testing import Result

from zhi_graph.buildfiles import document_graph
from zhi_graph.model import ExtractionResult
from zhi_graph.namespaces import ID, ZHI
from zhi_graph.pipeline import build, extract
from zhi_graph.rdf import build as rdf_build
from zhi_graph.rdf.columns import tables, triple_total
from zhi_graph.rdf.conformance import check_nodes
from zhi_graph.rdf.dataset import build_dataset, union_graph
from zhi_graph.resources import Resources
from zhi_graph.text.keys import name_key
from zhi_graph.validate import check

# A PDF-extracted briefing: CRLF line ends, spaced dates, a page-number line that
# splits a word, full-width digits and half-width punctuation next to CJK.
HENAN = (
    "河南省地方志工作简报\r\n\r\n第 5 期\r\n\r\n河南省地方志工作办公室\r\n\r\n"
    "2024 年 6 月 18 日\r\n\r\n"
    "一、健全制度体系\r\n\r\n"
    "河南省地方志工作办公室（简称“省志办”）印发《关于加强市县综合年鉴编纂工作的意见》,"
    "推动全省年鉴质量提升。2023 年，《开封年鉴（2023）》《兰考年鉴（2023）》"
    "入选首批“河南省精品年鉴”；"
    "2024 年，《鹤壁年鉴（2024）》、《淇县年鉴（2024）》入选第二批“河南省精品年鉴”。"
    "各地结合实际细化落实志鉴编纂审查验收和资料征集等规范性文\r\n\r\n— 2 —\r\n\r\n"
    "件，全省“有章可循”的工作格局基本形成。\r\n\r\n"
    "洛阳市地方史志办公室开通“河洛方志”微信公众号，全年推送文章３６０篇。"
    "副省长周建国签批《河南年鉴（2024）》编纂报告。\r\n"
)
ZHEJIANG = (
    "浙江地方志工作动态\n\n"
    "2024年，浙江省地方志办公室印发《浙江省年鉴编纂规范（试行）》。杭州市、宁波市、温州市参加。\n"
    "温州方志馆入选“浙江省爱国主义教育基地”。《景宁畲族自治县志》由浙江省景宁畲族自治县地方志办公室"
    "编纂出版。临安区获得“中国山核桃之乡”称号。\n"
)
GUANGXI = (
    "《桂林年鉴（2022）》由广西人民出版社出版发行。南宁市、柳州市、桂林市参加。\n"
    "钦州市地方志办公室开设“钦州方志”微信公众号。宾阳县完成二轮修志。\n"
)
DOCS = {"henan.txt": HENAN, "zhejiang.txt": ZHEJIANG, "guangxi.txt": GUANGXI}


def write(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / name
        path.write_bytes(DOCS[name].encode("utf-8"))
        paths.append(path)
    return paths


def dataset_of(paths: list[Path], resources: Resources) -> Dataset:
    return build_dataset([extract(p, resources) for p in paths])


def offset(graph: Graph, node: Node, prop: URIRef) -> int:
    value = graph.value(node, prop)
    assert isinstance(value, Literal), (node, prop, value)
    number = value.toPython()
    assert isinstance(number, int)
    return number


def original_text(graph: Graph, doc: URIRef) -> str:
    """The document's text as the file holds it, found through the graph's own source path."""
    path = Path(str(graph.value(doc, ZHI.sourcePath)))
    data = path.read_bytes()
    assert graph.value(doc, ZHI.sha256) == Literal(hashlib.sha256(data).hexdigest())
    return data.decode("utf-8-sig")


def assert_offsets_quote_the_file(dataset: Dataset) -> int:
    """Every mention's offsets quote its zhi:text; every evidence quotes its offsets."""
    checked = 0
    for graph in dataset.graphs():
        docs = list(graph.subjects(RDF.type, ZHI.Document))
        if not docs:
            continue
        assert len(docs) == 1
        text = original_text(graph, docs[0])  # type: ignore[arg-type]
        for node in graph.subjects(ZHI.inDocument, docs[0]):
            start, end = offset(graph, node, ZHI.startOffset), offset(graph, node, ZHI.endOffset)
            assert 0 <= start < end <= len(text)
            if (node, RDF.type, ZHI.Mention) in graph:
                quoted = str(graph.value(node, ZHI.text))
                assert text[start:end] == quoted, (node, text[start:end], quoted)
                assert quoted == quoted.strip()
                assert "— 2 —" not in quoted
                evidence = str(graph.value(node, ZHI.evidence))
                assert quoted in evidence or "\n" in quoted
            else:
                evidence = str(graph.value(node, ZHI.evidence))
                assert text[start:end] == evidence
            checked += 1
    return checked


# --- IRIs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path, Path]:
    """The three documents built twice in this process: (inputs, first out, second out)."""
    root = tmp_path_factory.mktemp("twice")
    paths = write(root / "docs", list(DOCS))
    first = build(paths, root / "one", validate=False)
    build(paths, root / "two", validate=False)
    assert [p.name for p in first.files] == ["graph.ttl", "graph.trig", "graph.html"]
    return paths, root / "one", root / "two"


@pytest.mark.parametrize("name", ["graph.ttl", "graph.trig", "graph.html"])
def test_same_input_twice_gives_identical_bytes(
    built_twice: tuple[list[Path], Path, Path], name: str
) -> None:
    _, one, two = built_twice
    assert (one / name).read_bytes() == (two / name).read_bytes()


def test_another_process_with_another_hash_seed_gives_identical_turtle(
    built_twice: tuple[list[Path], Path, Path], tmp_path: Path
) -> None:
    """Set and dict order differ between interpreters; the serialised graph must not."""
    paths, one, _ = built_twice
    seed = "1" if os.environ.get("PYTHONHASHSEED") == "0" else "0"
    command = [
        sys.executable,
        "-c",
        "from zhi_graph.cli import app; app()",
        "build",
        *map(str, paths),
        "--out",
        str(tmp_path),
        "--no-validate",
    ]
    done = subprocess.run(
        command,
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert (tmp_path / "graph.ttl").read_bytes() == (one / "graph.ttl").read_bytes()


def _entity_iris(graph: Graph) -> dict[URIRef, str]:
    return {
        s: str(o)
        for s, o in graph.subject_objects(RDFS.label)
        if isinstance(s, URIRef) and str(s).startswith(str(ID))
    }


def test_entity_iris_do_not_change_when_another_document_joins(
    tmp_path: Path, resources: Resources
) -> None:
    henan, zhejiang, guangxi = write(tmp_path, ["henan.txt", "zhejiang.txt", "guangxi.txt"])
    alone = dataset_of([henan], resources)
    together = dataset_of([guangxi, henan, zhejiang], resources)

    doc = next(iter(alone.graph(URIRef(g.identifier)) for g in alone.graphs() if len(g)))
    name = doc.identifier
    assert set(alone.graph(name)) == set(together.graph(name)), "the document's graph changed"
    iris_alone = _entity_iris(union_graph(alone))
    iris_together = _entity_iris(union_graph(together))
    assert iris_alone, "no entities"
    for iri, label in iris_alone.items():
        assert iris_together.get(iri) == label


def test_iris_follow_the_design(tmp_path: Path, resources: Resources) -> None:
    (path,) = write(tmp_path, ["henan.txt"])
    result = extract(path, resources)
    graph = union_graph(build_dataset([result]))

    doc = ID[f"document/{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}"]
    assert (doc, RDF.type, ZHI.Document) in graph
    assert ID["region/410000"] in set(graph.subjects(ZHI.adcode, Literal("410000")))
    assert (ID["region/410225"], ZHI.partOf, ID["region/410200"]) in graph
    for entity in result.entities:
        if entity.adcode:
            continue
        digest = hashlib.sha256(name_key(entity.label).encode("utf-8")).hexdigest()[:16]
        iri = ID[f"{entity.type.value.lower()}/{digest}"]
        assert (iri, RDFS.label, Literal(entity.label, lang="zh")) in graph


def test_each_document_has_its_own_named_graph(tmp_path: Path, resources: Resources) -> None:
    paths = write(tmp_path, list(DOCS))
    dataset = dataset_of(paths, resources)
    named = {g.identifier: g for g in dataset.graphs() if len(g)}
    expected = {ID[f"document/{hashlib.sha256(p.read_bytes()).hexdigest()[:16]}"] for p in paths}
    assert set(named) == expected
    for name, graph in named.items():
        assert set(graph.subjects(RDF.type, ZHI.Document)) == {name}


# --- provenance ------------------------------------------------------------


def test_offsets_quote_the_original_file(tmp_path: Path, resources: Resources) -> None:
    paths = write(tmp_path, list(DOCS))
    assert assert_offsets_quote_the_file(dataset_of(paths, resources)) > 50


def test_offsets_in_a_crlf_file_with_page_lines_point_past_them(
    tmp_path: Path, resources: Resources
) -> None:
    (path,) = write(tmp_path, ["henan.txt"])
    result: ExtractionResult = extract(path, resources)
    graph = union_graph(build_dataset([result]))
    text = HENAN
    quotes = {str(o) for o in graph.objects(None, ZHI.text)}
    assert "河洛方志" in quotes
    nodes = list(graph.subjects(ZHI.text, Literal("河洛方志")))
    start = offset(graph, nodes[0], ZHI.startOffset)
    assert start == text.index("河洛方志")
    assert text.index("\r\n— 2 —\r\n") < start


def test_sample_offsets_quote_the_original_file(sample_build: tuple[Result, Path]) -> None:
    _, out = sample_build
    dataset = Dataset()
    dataset.parse(out / "graph.trig", format="trig")
    assert assert_offsets_quote_the_file(dataset) > 500


# --- shapes and queries ----------------------------------------------------


def test_built_graph_passes_the_shapes(tmp_path: Path, resources: Resources) -> None:
    paths = write(tmp_path, list(DOCS))
    violations = check(union_graph(dataset_of(paths, resources)))
    assert violations == [], [str(v) for v in violations[:5]]


def test_check_catches_a_broken_graph(tmp_path: Path, resources: Resources) -> None:
    (path,) = write(tmp_path, ["guangxi.txt"])
    graph = union_graph(dataset_of([path], resources))
    region = ID["region/450300"]
    graph.set((region, ZHI.adcode, Literal("45030X")))
    messages = [str(v) for v in check(graph)]
    assert any("450300" in m for m in messages), messages


PROVENANCE = """
PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?subject ?predicate ?object ?evidence ?file ?start ?end WHERE {
    ?st a zhi:RelationStatement ;
        zhi:subject ?s ; zhi:predicate ?predicate ; zhi:object ?o ;
        zhi:evidence ?evidence ; zhi:inDocument ?doc ;
        zhi:startOffset ?start ; zhi:endOffset ?end .
    ?s rdfs:label ?subject . ?o rdfs:label ?object .
    ?doc a zhi:Document ; schema:name ?file .
}
"""


def test_sparql_provenance_query_returns_statements_with_evidence(
    tmp_path: Path, resources: Resources
) -> None:
    paths = write(tmp_path, list(DOCS))
    graph = union_graph(dataset_of(paths, resources))
    rows = [row.asdict() for row in graph.query(PROVENANCE)]  # type: ignore[union-attr]
    assert rows
    issued = [
        r
        for r in rows
        if r["predicate"] == ZHI.issuedBy and str(r["subject"]) == "浙江省年鉴编纂规范（试行）"
    ]
    assert len(issued) == 1
    row = issued[0]
    assert str(row["file"]) == "zhejiang.txt"
    assert "《浙江省年鉴编纂规范（试行）》" in str(row["evidence"])
    assert str(row["evidence"]) == ZHEJIANG[int(row["start"]) : int(row["end"])]


def test_award_conferrals_carry_year_and_provenance(tmp_path: Path, resources: Resources) -> None:
    (path,) = write(tmp_path, ["henan.txt"])
    graph = union_graph(dataset_of([path], resources))
    query = """
    PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?who ?year ?evidence WHERE {
        ?c a zhi:AwardConferral ; zhi:recipient ?r ; zhi:award ?a ; zhi:year ?year ;
           zhi:evidence ?evidence .
        ?r rdfs:label ?who . ?a rdfs:label "河南省精品年鉴"@zh .
    }"""
    found = {(str(r[0]), str(r[1])) for r in graph.query(query)}  # type: ignore[index]
    assert found == {
        ("开封年鉴（2023）", "2023"),
        ("兰考年鉴（2023）", "2023"),
        ("鹤壁年鉴（2024）", "2024"),
        ("淇县年鉴（2024）", "2024"),
    }


@pytest.mark.parametrize("name", list(DOCS))
def test_mention_text_is_a_name_of_its_entity(
    tmp_path: Path, resources: Resources, name: str
) -> None:
    (path,) = write(tmp_path, [name])
    graph = union_graph(dataset_of([path], resources))
    mentions = list(graph.subjects(RDF.type, ZHI.Mention))
    assert mentions
    for mention in mentions:
        entity = graph.value(mention, ZHI.mentionOf)
        assert entity is not None
        names = {
            name_key(str(n))
            for n in [*graph.objects(entity, RDFS.label), *graph.objects(entity, SKOS.altLabel)]
        }
        quoted = str(graph.value(mention, ZHI.text))
        code = graph.value(entity, ZHI.adcode)
        if code is not None:
            # a region named inside a longer name (兰考 in 兰考年鉴) by a gazetteer form
            assert any(c == str(code) for c, _ in resources.region_names.get(quoted, []))
        else:
            assert name_key(quoted) in names, (mention, quoted, names)


def test_offset_literals_are_shared_and_their_store_stays_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from zhi_graph.rdf import build as rdf_build

    terms = rdf_build._OffsetTerms()
    monkeypatch.setattr(rdf_build, "_OFFSETS_KEPT", 3)
    first = terms[7]
    assert first == '"7"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>'
    assert terms[7] is first  # one string, whichever mention it is for
    for offset in range(100):
        assert terms[offset] == f'"{offset}"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>'
        assert len(terms) <= 3


# --- A document's mentions and statements as tables (``rdf.build.nodes_and_tables``)


def _facts_with_nodes_made_twice() -> rdf_build.DocumentFacts:
    """Two entities at one span, mentions with and without a page, an award conferral
    stated twice (one node), a conferral without a year, a relation of another kind."""
    text = "成都市获奖。成都市获奖。成都方志馆在成都市。"
    city = rdf_build.EntityFacts(
        "region:510100",
        "Region",
        "成都市",
        ("成都",),
        None,
        "510100",
        "prefecture",
        None,
        ((0, 3, 0, 6, 1), (6, 9, 6, 12, None), (18, 21, 12, 22, 2)),
    )
    award = rdf_build.EntityFacts(
        "award:a", "Award", "奖", (), None, None, None, None, ((3, 4, 0, 6, 1),)
    )
    venue = rdf_build.EntityFacts(
        "venue:v", "Venue", "成都方志馆", (), None, None, None, None, ((12, 17, 12, 22, 2),)
    )
    # the same span as the city's first mention: one node of both
    other = rdf_build.EntityFacts(
        "institution:o", "Institution", "成都市", (), None, None, None, None, ((0, 3, 0, 6, 1),)
    )
    relations = (
        rdf_build.RelationFacts("receivedAward", "region:510100", "award:a", (0, 6, 1), 2024),
        rdf_build.RelationFacts("receivedAward", "region:510100", "award:a", (6, 12, None), 2024),
        rdf_build.RelationFacts("receivedAward", "venue:v", "award:a", (12, 22, 2), None),
        rdf_build.RelationFacts("locatedIn", "venue:v", "region:510100", (12, 22, None), None),
        rdf_build.RelationFacts("partOf", "region:510100", "venue:v", None, None),
    )
    return rdf_build.DocumentFacts(
        "/docs/a.pdf",
        "a.pdf",
        "0" * 64,
        "application/pdf",
        2,
        text,
        (city, award, venue, other),
        relations,
    )


def _documents_facts() -> list[rdf_build.DocumentFacts]:
    cases = sorted((Path(__file__).parent / "cases").glob("*/input.txt"))
    return [_facts_with_nodes_made_twice()] + [
        rdf_build.document_facts(extract(path)) for path in cases
    ]


@pytest.fixture(scope="module")
def documents_facts() -> list[rdf_build.DocumentFacts]:
    return _documents_facts()


def test_nodes_made_twice_are_merged_and_the_others_are_rows_of_tables() -> None:
    made = rdf_build.nodes_and_tables(_facts_with_nodes_made_twice())
    in_tables = [s for table in made.tables for s in table.subjects]
    assert len(in_tables) == len(set(in_tables)) and set(in_tables).isdisjoint(made.nodes)
    base = f"<{ID}document/{'0' * 16}"
    shared = made.nodes[f"{base}/mention/0-3>"]
    assert len(shared[f"<{ZHI.mentionOf}>"]) == 2
    twice = [s for s in made.nodes if "/statement/" in s]
    assert len(twice) == 1
    assert sorted(made.nodes[twice[0]][f"<{ZHI.startOffset}>"]) == [
        f'"{n}"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' for n in (0, 6)
    ]
    shapes = sorted(
        (len(t.subjects), [p.rsplit("#", 1)[-1][:-1] for p in t.predicates], t.counts)
        for t in made.tables
    )
    assert sorted(
        (n, predicates[2], predicates[-1], counts[0]) for n, predicates, counts in shapes
    ) == [
        (1, "mentionOf", "evidence", 1),  # the mention without a page
        (1, "subject", "award", 2),  # the conferral without a year (typed twice)
        (1, "subject", "evidence", 1),  # the statement without a page
        (3, "mentionOf", "page", 1),  # the mentions with one
    ]


@pytest.mark.parametrize("index", range(4))
def test_tables_of_rows_give_the_bytes_and_violations_of_nodes(
    documents_facts: list[rdf_build.DocumentFacts], index: int
) -> None:
    """The graph a build writes and checks from ``nodes_and_tables`` is the one it wrote
    and checked from ``document_nodes``, node by node."""
    facts = documents_facts[index]
    nodes = rdf_build.document_nodes(facts)
    made = rdf_build.nodes_and_tables(facts)
    found, rest = tables(made.nodes, made.nodes)
    grouped = ([*found, *made.tables], rest)
    name = f"{ID}document/x"
    assert document_graph(name, made.nodes, grouped) == document_graph(name, nodes)
    assert check_nodes(made.nodes, grouped) == check_nodes(nodes)
    assert triple_total(made.nodes, grouped) == len(rdf_build.node_lines(nodes))
    assert len(made.nodes) < len(nodes)
