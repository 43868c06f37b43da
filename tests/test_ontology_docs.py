"""zhi_graph.ontology_docs and vocabulary: the committed docs/ontology.html is the page
`zhi-graph ontology-docs` writes from ontology/zhi.ttl, with every term and both labels."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from typer.testing import CliRunner

from zhi_graph.cli import app
from zhi_graph.ontology_docs import render
from zhi_graph.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "ontology.html"
ONTOLOGY = ROOT / "ontology" / "zhi.ttl"


class Articles(HTMLParser):
    """The text of each <article id=…> of the page, by id."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.current = dict(attrs).get("id") or ""
            self.texts[self.current] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.texts[self.current] += data


def test_the_committed_page_is_up_to_date() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(vocabulary()), (
        "docs/ontology.html is stale: run `zhi-graph ontology-docs -o docs/ontology.html`"
    )


@pytest.fixture(scope="module")
def articles() -> dict[str, str]:
    parser = Articles()
    parser.feed(PAGE.read_text(encoding="utf-8"))
    return parser.texts


def defined_terms() -> list[tuple[URIRef, str]]:
    graph = Graph().parse(ONTOLOGY, format="turtle")
    found = []
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(
                "https://w3id.org/zhi-graph/ontology#"
            ):
                found.append((term, str(term).split("#")[1]))
    return found


def test_every_class_and_property_has_a_section_with_both_labels(
    articles: dict[str, str],
) -> None:
    graph = Graph().parse(ONTOLOGY, format="turtle")
    terms = defined_terms()
    assert len(terms) == 51  # 21 classes, 18 object and 12 datatype properties
    for term, name in terms:
        text = articles.get(name)
        assert text is not None, f"no section for zhi:{name}"
        labels = {
            lit.language: str(lit)
            for lit in graph.objects(term, RDFS.label)
            if isinstance(lit, Literal)
        }
        assert labels.keys() >= {"zh", "en"}, name
        assert labels["zh"] in text and labels["en"] in text, name
        assert f"zhi:{name}" in text


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("receivedAward", ["domain", "zhi:Publication", "zhi:Person", "range", "zhi:Award"]),
        ("partOf", ["functional", "subproperty of", "zhi:within", "schema:containedInPlace"]),
        ("Yearbook", ["subclass of", "zhi:Publication", "年鉴"]),
        ("year", ["domain", "zhi:AwardConferral", "range", "xsd:gYear"]),
    ],
)
def test_a_section_gives_domains_ranges_and_super_terms(
    articles: dict[str, str], name: str, words: list[str]
) -> None:
    for word in words:
        assert word in articles[name], (name, word)


def test_the_page_loads_nothing_from_the_network() -> None:
    html = PAGE.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html


def test_the_command_writes_the_page(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "site" / "ontology.html"
    result = runner.invoke(app, ["ontology-docs", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {target}"
    assert target.read_bytes() == PAGE.read_bytes()


def test_the_command_cannot_write_into_a_file(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["ontology-docs", "-o", str(blocker / "ontology.html")])
    assert result.exit_code == 4
    assert result.stderr.startswith("error: ")


def test_vocabulary_reads_every_defined_term() -> None:
    vocab = vocabulary()
    assert len(vocab.terms) == 57
    assert {t.name for t in vocab.terms} >= {f"zhi:{name}" for _, name in defined_terms()}
    received = vocab.get("zhi:receivedAward")
    assert received.label("zh") == "获得奖项" and received.label("en") == "received award"
    assert received.domain == (
        "zhi:Publication",
        "zhi:Institution",
        "zhi:Venue",
        "zhi:Region",
        "zhi:Person",
    )
    assert vocab.get("zhi:partOf").characteristics == ("functional",)
