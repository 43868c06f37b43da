"""zhi_graph.rdf.turtle: Turtle and TriG written byte for byte as pyoxigraph writes them."""

from __future__ import annotations

import io
import string
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhi_graph.pipeline import extract
from zhi_graph.rdf import turtle
from zhi_graph.rdf.build import PREFIXES, document_facts, document_nodes, node_lines
from zhi_graph.rdf.build import _text as ntriples_literal
from zhi_graph.rdf.iri import document_iri_str
from zhi_graph.resources import Resources

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "corpus" / "000_56e6aeb4e85b6bad.txt"
NAMESPACES = PREFIXES
ID = NAMESPACES["id"]
XSD = NAMESPACES["xsd"]
SUBJECT = "<urn:x:s>"
PREDICATE = "<urn:x:p>"


def by_pyoxigraph(lines: list[str], graph: str | None = None) -> str:
    """What pyoxigraph writes for N-Triples lines: Turtle, or TriG in named graph ``graph``."""
    if graph is None:
        data = "".join(lines).encode()
        parsed = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        syntax = ox.RdfFormat.TURTLE
    else:
        data = "".join(line.replace(" .\n", f" {graph} .\n") for line in lines).encode()
        parsed = ox.parse(data, format=ox.RdfFormat.N_QUADS)
        syntax = ox.RdfFormat.TRIG
    text = (ox.serialize(parsed, format=syntax, prefixes=NAMESPACES) or b"").decode()
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("@"))


@pytest.fixture(scope="module")
def terms() -> turtle.Terms:
    return turtle.Terms(NAMESPACES)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (f"<{ID}award/00b4efb748152216>", "award:00b4efb748152216"),
        (f"<{ID}document/ab/mention/1-2>", "document:ab\\/mention\\/1-2"),
        (f"<{ID}region/510000>", "region:510000"),
        (f"<{ID}other>", "id:other"),
        ("<https://schema.org/name>", "schema:name"),
        ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", None),  # no prefix: as it is
        ('"成都"@zh', '"成都"@zh'),
        ('"a\\tb\\"c\\\\"', '"a\\tb\\"c\\\\"'),
        (f'"7"^^<{XSD}nonNegativeInteger>', '"7"^^xsd:nonNegativeInteger'),
        (f'"2024"^^<{XSD}gYear>', '"2024"^^xsd:gYear'),
        ('"x"^^<urn:x:t>', '"x"^^<urn:x:t>'),
        # written by pyoxigraph: local names with other characters, numbers written bare
        (f"<{ID}a~b%20c>", None),
        (f"<{ID}x.y.>", None),
        (f"<{ID}-x>", None),
        (f"<{ID}>", None),
        (f"<{ID}中文-x_y>", None),
        (f'"1"^^<{XSD}integer>', "1"),
        (f'"1.5"^^<{XSD}decimal>', "1.5"),
        (f'"true"^^<{XSD}boolean>', "true"),
        (f'"x"^^<{XSD}string>', '"x"'),
        ('"\\u0008"', None),  # not how N-Triples writes a backspace
        ('"x"@zh-Hans', None),
    ],
)
def test_a_term_is_written_as_pyoxigraph_writes_it(
    terms: turtle.Terms, term: str, expected: str | None
) -> None:
    written = by_pyoxigraph([f"{SUBJECT} {PREDICATE} {term} .\n"])
    assert f"<urn:x:s> <urn:x:p> {terms[term]} .\n" == written
    if expected is not None:
        assert terms[term] == expected


# Characters of IRIs' local names and of literals, the troublesome ones often.
_LOCAL = st.text(string.ascii_letters + string.digits + "_-/.~%!$&'()*+,;=中", max_size=8)
_TEXT = st.text(
    st.sampled_from(list('ab成都 "\\\t\n\r\x00\x08\x0b\x0c\x1f\x7f\u2028é🙂')), max_size=8
)


@settings(max_examples=300, deadline=None)
@given(
    namespace=st.sampled_from(sorted(NAMESPACES.values())),
    local=_LOCAL,
    text=_TEXT,
    datatype=st.sampled_from(
        ["", "@zh", f"^^<{XSD}gYear>", f"^^<{XSD}integer>", f"^^<{XSD}string>", "^^<urn:x:t>"]
    ),
)
def test_any_iri_and_literal_are_written_as_pyoxigraph_writes_them(
    terms: turtle.Terms, namespace: str, local: str, text: str, datatype: str
) -> None:
    iri = f"<{namespace}{local}>"
    try:
        ox.NamedNode(iri[1:-1])
    except ValueError:
        return  # not an IRI
    literal = ntriples_literal(text) + datatype  # as rdf.build escapes it
    if datatype.endswith("integer>"):
        literal = f'"{len(text)}"{datatype}'
    lines = [f"{iri} {PREDICATE} {literal} .\n", f"{SUBJECT} {PREDICATE} {iri} .\n"]
    lines.sort()
    out = io.BytesIO()
    writer = turtle.TurtleWriter(out, terms)
    writer.write_lines(lines)
    writer.close()
    assert out.getvalue().decode() == by_pyoxigraph(lines)


@pytest.fixture(scope="module")
def sample_nodes(resources: Resources) -> tuple[str, dict[str, dict[str, list[str]]]]:
    result = extract(SAMPLE, resources)
    return document_iri_str(result.document), document_nodes(document_facts(result))


def test_a_documents_trig_block_is_pyoxigraphs(
    terms: turtle.Terms, sample_nodes: tuple[str, dict[str, dict[str, list[str]]]]
) -> None:
    name, nodes = sample_nodes
    block = (
        turtle.graph_open(terms, f"<{name}>")
        + turtle.statements(terms, nodes, sorted(nodes), "\t")
        + turtle.GRAPH_CLOSE
    )
    assert block == by_pyoxigraph(sorted(node_lines(nodes)), f"<{name}>")


@pytest.mark.parametrize("cut", [0, 1, 7, 100, 10_000])
def test_the_turtle_writer_takes_lines_in_any_chunks(
    terms: turtle.Terms, sample_nodes: tuple[str, dict[str, dict[str, list[str]]]], cut: int
) -> None:
    """Lines of one subject split between calls, statements written between subjects."""
    _, nodes = sample_nodes
    lines = sorted(node_lines(nodes))
    subjects = sorted(nodes)
    own = [s for s in subjects if s.startswith(f"<{ID}document/")]
    shared = [line for line in lines if not line.startswith(f"<{ID}document/")]
    before = [line for line in shared if line < f"<{ID}document/"]
    after = shared[len(before) :]
    out = io.BytesIO()
    writer = turtle.TurtleWriter(out, terms)
    for i in range(0, len(before), max(cut, 1)):
        writer.write_lines(before[i : i + max(cut, 1)])
    writer.write_statements(turtle.statements(terms, nodes, own, "").encode())
    writer.write_lines(after[:cut])
    writer.write_lines(after[cut:])
    writer.close()
    assert out.getvalue().decode() == by_pyoxigraph(lines)


# --- columns of terms, written in bulk -------------------------------------------------


@pytest.mark.parametrize(
    "column",
    [
        ['"成都"@zh', '"a\\tb\\"c\\\\"', '"成都"@zh', '""'],
        ['"\\u0008"', '"x"'],  # not canonical: each through the cache
        ['"x"@zh-Hans', '"y"@zh'],
        [f'"7"^^<{XSD}nonNegativeInteger>', f'"1"^^<{XSD}integer>'],
        [f'"7"^^<{XSD}nonNegativeInteger>', f'"12"^^<{XSD}nonNegativeInteger>'],
        [f'"7"^^<{XSD}nonNegativeInteger>', f'"2024"^^<{XSD}gYear>'],
        [f'"1"^^<{XSD}integer>', f'"2"^^<{XSD}integer>'],  # written bare
        ['"a"^^<urn:x:t>', '"a\\tb"^^<urn:x:t>'],  # an escape in one
        ['""^^<urn:x:t>', '"a\\"b"^^<urn:x:t>'],  # empty, and a quote escaped
        ['"a"^^<urn:x:t>', '"a"^^<urn:x:t>'],  # one term all down
        [f"<{ID}region/510000>"] * 3,
        [f"<{ID}region/510000>", f"<{ID}award/1>", '"x"'],
    ],
)
def test_a_column_is_written_as_term_by_term(terms: turtle.Terms, column: list[str]) -> None:
    fresh = turtle.Terms(NAMESPACES)
    assert terms.column(column) == [fresh[t] for t in column]


@pytest.mark.parametrize(
    "iris",
    [
        [f"<{ID}document/ab/mention/1-2>", f"<{ID}document/ab/statement/ff>"],
        [f"<{ID}document/ab/mention/1-2>", f"<{ID}region/510000>"],  # two namespaces
        [f"<{ID}document/a~b>", f"<{ID}document/ab>"],  # a local name pyoxigraph writes
        [f"<{ID}other>", f"<{ID}another>"],  # id: holds other namespaces
        ["<urn:x:s>"],
    ],
)
def test_distinct_iris_are_written_as_one_by_one(terms: turtle.Terms, iris: list[str]) -> None:
    fresh = turtle.Terms(NAMESPACES)
    assert terms.iris(iris) == [fresh[i] for i in iris]


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(_TEXT, min_size=1, max_size=6), tag=st.sampled_from(["", "@zh"]))
def test_any_literal_column_is_written_as_term_by_term(
    terms: turtle.Terms, texts: list[str], tag: str
) -> None:
    column = [ntriples_literal(text) + tag for text in texts]
    assert terms.column(column) == [turtle.Terms(NAMESPACES)[t] for t in column]


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(_TEXT, min_size=1, max_size=6),
    datatypes=st.lists(
        st.sampled_from([f"{XSD}nonNegativeInteger", f"{XSD}gYear", f"{XSD}integer", "urn:x:t"]),
        min_size=1,
        max_size=6,
    ),
)
def test_any_typed_literal_column_is_written_as_term_by_term(
    terms: turtle.Terms, texts: list[str], datatypes: list[str]
) -> None:
    column = [
        f"{ntriples_literal(text)}^^<{datatypes[i % len(datatypes)]}>"
        for i, text in enumerate(texts)
    ]
    assert terms.column(column) == [turtle.Terms(NAMESPACES)[t] for t in column]


def test_statements_of_tables_with_two_objects_are_pyoxigraphs(terms: turtle.Terms) -> None:
    nodes = {
        f"<{ID}publication/{i}>": {
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>": [
                f"<{NAMESPACES['zhi']}Publication>",
                f"<{NAMESPACES['zhi']}{kind}>",
            ],
            f"<{NAMESPACES['rdfs']}label>": [f'"{kind}"@zh'],
        }
        for i, kind in enumerate(["Yearbook", "Book", "Periodical"])
    }
    lines = sorted(
        f"{s} {p} {o} .\n" for s, values in nodes.items() for p, os in values.items() for o in os
    )
    written = turtle.statements(terms, nodes, sorted(nodes), "")
    assert written == by_pyoxigraph(lines)
