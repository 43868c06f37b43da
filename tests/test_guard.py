"""The read-only check: updates, LOAD and SERVICE are found wherever SPARQL would read them."""

from __future__ import annotations

import pytest

from zhi_graph.guard import Refusal, check, keywords

Q = "SELECT * WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(
    ("sparql", "refusal"),
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", Refusal.SERVICE),
        ("select * where { service silent <http://x/> { ?s ?p ?o } }", Refusal.SERVICE),
        ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", Refusal.SERVICE),
        ("SELECT * WHERE { ?s ?p ?o . SERVICE<http://x/>{?a ?b ?c} }", Refusal.SERVICE),
        (
            "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } } } }",
            Refusal.SERVICE,
        ),
        ("SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", Refusal.SERVICE),
        ("SELECT * WHERE { \\U00000053ERVICE <http://x/> { ?s ?p ?o } }", Refusal.SERVICE),
        (
            "# a comment\nSELECT * WHERE { FILTER(?a < 3) SERVICE <http://x/> { ?s ?p ?o } }",
            Refusal.SERVICE,
        ),
        ("SELECT * WHERE { ?s ?p 'x' . SERVICE <http://x/> { ?s ?p ?o } }", Refusal.SERVICE),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o > 1)SERVICE <http://x/> {} }", Refusal.SERVICE),
        ("SELECT * WHERE { ?s ex:a. SERVICE <http://x/> {} }", Refusal.SERVICE),
        ("LOAD <http://example.org/data.ttl>", Refusal.LOAD),
        ("load silent <http://example.org/data.ttl> INTO GRAPH <http://g>", Refusal.LOAD),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", Refusal.UPDATE),
        ("PREFIX ex: <http://e/> DELETE WHERE { ?s ?p ?o }", Refusal.UPDATE),
        ("DROP ALL", Refusal.UPDATE),
        ("CLEAR DEFAULT", Refusal.UPDATE),
        ("CREATE GRAPH <http://g>", Refusal.UPDATE),
        ("COPY <http://a> TO <http://b>", Refusal.UPDATE),
        ("MOVE DEFAULT TO <http://b>", Refusal.UPDATE),
        ("ADD DEFAULT TO <http://b>", Refusal.UPDATE),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", Refusal.UPDATE),
    ],
)
def test_refused(sparql: str, refusal: Refusal) -> None:
    verdict = check(sparql)
    assert verdict is not None and verdict.refusal is refusal
    assert "refused" in verdict.message


@pytest.mark.parametrize(
    "sparql",
    [
        Q,
        "SELECT ?service WHERE { ?service ?p 'SERVICE <http://x/> {}' }",
        'SELECT * WHERE { ?s ?p """multi\nline SERVICE LOAD""" }',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "PREFIX SERVICE: <http://e/> SELECT * WHERE { ?s SERVICE:load ?o }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> { }",
        "SELECT * WHERE { ?s ?p 'it''s' . ?s ?p \"a \\\" SERVICE\" }",
        "SELECT * WHERE { ?s ?p ?o FILTER(lang(?o) = 'zh') } ORDER BY ?s LIMIT 10",
        "ASK { ?s a zhi:Award }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5",
        "DESCRIBE <http://x/>",
        "SELECT * WHERE { ?s ?p _:insert }",
        "SELECT * WHERE { ?s ?p 'x'@load }",
    ],
)
def test_allowed(sparql: str) -> None:
    assert check(sparql) is None


def test_keywords_skip_strings_iris_comments_and_names() -> None:
    words = keywords("SELECT ?x WHERE { ?x <a:b> 'LOAD' ; ex:DROP ?y } # INSERT\nLIMIT 1")
    assert words == ["SELECT", "WHERE", "LIMIT"]
