"""Safe HTML: strings from a hostile document stay text on the network page and the query page.

A document whose titles, award names, sentences and file name hold script,
event-handler, ``javascript:`` and comment payloads is built with
``zhi-graph build``; the test first checks that the extractor really made
entity labels, quotes and names of them.  Then: the generated ``graph.html``
is read as HTML (the same elements as a harmless page, no handler attribute,
the data block free of ``<``, a policy that lets only the page's own scripts
run, by hash), and both pages are driven in headless Chromium (Debian's, no
network): every node hovered and clicked, every payload searched, a query
returning every payload shown by YASGUI.  No dialog may open, no injected
element may exist, no ``window.pwned`` may be set.  Without Chromium or
playwright the browser tests skip locally and fail when ``CI=true``.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from test_serve import call
from test_viz_browser import VIEWPORT, Opened, open_page
from zhi_graph.cli import app
from zhi_graph.serve import Endpoint, ServeOptions, open_endpoint
from zhi_graph.store import open_store
from zhi_graph.viz import load_store, map_page
from zhi_graph.viz.page import script_hash

# Each payload sets window.pwned as well as opening a dialog, so that either shows it ran.
PAYLOADS = {
    "title": "<script>window.pwned=1;alert(1)</script>年鉴（2023）",
    "book": '"><img src=x onerror="window.pwned=2;alert(2)">志',
    "award": "<img src=x onerror=alert(3)>精品年鉴",
    "link": "javascript:alert(4)年鉴（2022）",
    "sentence": "主任</script><script>window.pwned=5;alert(5)</script>张三出席会议。",
    "comment": "<!--<script>alert(6)</script>-->",
    "iframe": "<iframe src=javascript:alert(7)>方志",
}
HOSTILE_DOCUMENT = (
    f"2023年，《{PAYLOADS['title']}》荣获“{PAYLOADS['award']}”。\n"
    f"四川省地方志工作办公室编纂《{PAYLOADS['book']}》，由四川人民出版社出版。\n"
    f"四川省地方志工作办公室{PAYLOADS['sentence']}\n"
    f"《{PAYLOADS['link']}》入选“四川省精品年鉴”。\n"
    f"成都市{PAYLOADS['comment']}地方志办公室开设“{PAYLOADS['iframe']}”微信公众号。行分隔\u2028符。\n"
)
HOSTILE_NAME = "\"'><svg onload=alert(8)>.txt"


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("safe-html")
    (folder / "in").mkdir()
    (folder / "in" / HOSTILE_NAME).write_text(HOSTILE_DOCUMENT, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(folder / "in"), "-o", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return folder / "out"


def literals(out: Path) -> set[str]:
    store = open_store(out)
    rows = store.query("SELECT DISTINCT ?v WHERE { ?s ?p ?v FILTER(isLiteral(?v)) }")
    return {row["v"].value for row in rows}  # type: ignore[union-attr]


def test_the_payloads_become_labels_quotes_and_names(hostile_out: Path) -> None:
    """The rest of this module is only worth something if the payloads reach the graph."""
    values = literals(hostile_out)
    labels = {PAYLOADS[k] for k in ("title", "book", "award")}
    assert labels <= values
    assert "javascript:alert（4）年鉴（2022）" in values  # a label, its brackets normalised
    quoted = " ".join(values)
    for key in ("sentence", "iframe", "link"):
        assert PAYLOADS[key] in quoted, key
    # "<!" ends a sentence (the "!"): the rest of the comment is quoted on its own.
    assert PAYLOADS["comment"].removeprefix("<!") in quoted
    assert HOSTILE_NAME in values  # the document's schema:name


# --- the network page, as HTML


class Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def test_the_network_page_has_the_elements_of_a_harmless_one(
    hostile_out: Path, sample_out: Path
) -> None:
    hostile = Elements((hostile_out / "graph.html").read_text(encoding="utf-8"))
    harmless = Elements((sample_out / "graph.html").read_text(encoding="utf-8"))
    assert [tag for tag, _ in hostile.tags] == [tag for tag, _ in harmless.tags]
    for tag, attributes in hostile.tags:
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert "alert" not in (value or "") and "javascript" not in (value or ""), tag


def test_the_data_block_holds_no_markup_and_reads_back(hostile_out: Path, sample_out: Path) -> None:
    html = (hostile_out / "graph.html").read_text(encoding="utf-8")
    opening = '<script type="application/json" id="zhi-data">'
    start = html.index(opening) + len(opening)
    block = html[start : html.index("</script>", start)]
    assert not set("<>&\u2028\u2029") & set(block)  # so no </script> nor <!-- in it
    data = json.loads(block)
    text = json.dumps(data, ensure_ascii=False)
    for key in ("title", "book", "award"):
        assert json.dumps(PAYLOADS[key], ensure_ascii=False)[1:-1] in text, key
    # Markup appears exactly as often as on a harmless page (vis-network's code has some).
    harmless = (sample_out / "graph.html").read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<iframe", "<svg", "<!--", "</script"):
        assert html.count(raw) == harmless.count(raw), raw


@pytest.mark.parametrize("kind", ["network", "map"])
def test_only_the_pages_own_scripts_may_run(hostile_out: Path, kind: str) -> None:
    if kind == "network":
        html = (hostile_out / "graph.html").read_text(encoding="utf-8")
    else:
        html = map_page(load_store(hostile_out), title=PAYLOADS["title"])
    page = Elements(html)
    [policy] = [
        attrs["content"] or ""
        for tag, attrs in page.tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    sources = re.search(r"script-src ([^;]*)", policy)
    assert sources is not None
    allowed = sources.group(1).split()
    assert "'unsafe-inline'" not in allowed and "'unsafe-eval'" not in allowed
    runnable = [
        text
        for (tag, attrs), text in zip(
            [t for t in page.tags if t[0] == "script"], page.scripts, strict=True
        )
        if attrs.get("type") != "application/json" and tag == "script"
    ]
    assert sorted(allowed) == sorted(script_hash(text) for text in runnable)


# --- the network page in Chromium


# What the payloads would have made, had one been written as markup.
INJECTED = (
    "[onerror], [onload], [onclick], img[src='x'], iframe, object, embed, a[href^='javascript' i]"
)


def assert_nothing_ran(opened: Opened) -> None:
    opened.page.wait_for_timeout(300)  # an injected handler would have fired by now
    assert opened.js("() => window.pwned") is None
    assert opened.js(f"document.querySelectorAll({INJECTED!r}).length") == 0
    assert opened.js("document.querySelectorAll('script').length") == 3
    opened.assert_clean()


def test_hovering_and_clicking_every_node_and_edge_runs_nothing(
    browser: Any, hostile_out: Path
) -> None:
    for opened in open_page(browser, hostile_out / "graph.html"):
        opened.js("zhi.network.stopSimulation()")
        opened.js("zhi.network.fit({animation: false})")
        points = opened.js(
            """() => {
              const box = document.getElementById('network').getBoundingClientRect();
              const at = (p) => { const d = zhi.network.canvasToDOM(p);
                                  return [box.left + d.x, box.top + d.y]; };
              const nodes = zhi.network.getPositions();
              const points = Object.values(nodes).map(at);
              for (const edge of zhi.data.vis.edges) {
                const a = nodes[edge.from], b = nodes[edge.to];
                points.push(at({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}));
              }
              return points;
            }"""
        )
        assert len(points) >= 9
        for x, y in points:
            opened.page.mouse.move(x, y)
            opened.page.wait_for_timeout(50)
            opened.page.mouse.click(x, y)
        titles = set()
        for node in opened.js("zhi.data.nodes.map((n) => n.label)"):
            opened.page.fill("#search", node)
            opened.page.press("#search", "Enter")
            titles.add(opened.page.locator("#panel-title").text_content())
            for button in opened.page.locator("#panel-relations button").all():
                button.hover()
        assert {PAYLOADS["title"], PAYLOADS["book"], PAYLOADS["award"]} <= titles
        sources = opened.page.locator("#panel-sources").text_content() or ""
        assert sources  # the last node's sentences, shown as text
        assert_nothing_ran(opened)


def test_markup_slipped_into_the_page_would_still_not_run(
    browser: Any, hostile_out: Path, tmp_path: Path
) -> None:
    """The second line of defence: were escaping ever to fail, the policy blocks the
    script and the handler (only the page's own scripts, by hash, may run)."""
    html = (hostile_out / "graph.html").read_text(encoding="utf-8")
    slipped = (
        '<img src=x onerror="window.pwned=1;alert(1)">'
        "<script>window.pwned=2;alert(2)</script>"
        '<a id="bad" href="javascript:window.pwned=3;alert(3)">x</a>'
    )
    target = tmp_path / "slipped.html"
    target.write_text(html.replace("<body>", "<body>" + slipped, 1), encoding="utf-8")
    for opened in open_page(browser, target):
        opened.page.click("#bad")
        opened.page.wait_for_timeout(300)
        assert opened.js("() => window.pwned") is None
        assert opened.dialogs == []
        assert opened.errors and all("Content Security Policy" in e for e in opened.errors)


# --- the query page (YASGUI) with the hostile build


@pytest.fixture(scope="module")
def hostile_endpoint(hostile_out: Path) -> Iterator[Endpoint]:
    with open_endpoint(hostile_out, ServeOptions(port=0, workers=1)) as endpoint:
        endpoint.start()
        yield endpoint


def test_the_query_page_has_a_strict_policy(hostile_endpoint: Endpoint) -> None:
    policy = call(hostile_endpoint.url, "GET", "/").headers["content-security-policy"]
    scripts = re.search(r"script-src ([^;]*)", policy)
    assert scripts is not None and scripts.group(1).split() == ["'self'"]
    for directive in (
        "default-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'none'",
        "connect-src 'self'",
    ):
        assert directive in policy


def test_the_query_page_shows_every_payload_as_text(
    browser: Any, hostile_endpoint: Endpoint
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    base = hostile_endpoint.url.rstrip("/")
    blocked: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []

    def route(handle: Any) -> None:
        if handle.request.url.startswith(base + "/"):
            handle.continue_()
        else:
            blocked.append(handle.request.url)
            handle.abort()

    def dialog(shown: Any) -> None:
        dialogs.append(shown.message)
        shown.dismiss()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", dialog)
    try:
        page.goto(hostile_endpoint.url, wait_until="load")
        page.wait_for_selector(".yasqe .CodeMirror")
        page.evaluate(
            "() => { window.zhiGraph.yasgui.getTab().setQuery("
            "'SELECT ?s ?v WHERE { ?s ?p ?v FILTER(isLiteral(?v) && "
            '(CONTAINS(?v, "<") || CONTAINS(?v, "javascript"))) }\'); }'
        )
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr .dataTable tbody tr", timeout=30_000)
        table = page.inner_text(".yasr .dataTable")
        for payload in (*PAYLOADS.values(), HOSTILE_NAME):
            assert payload.removeprefix("<!").split("。")[0] in table, payload
        for cell in page.locator(".yasr .dataTable td").all():
            cell.hover(force=True)
        found = page.eval_on_selector_all(
            f".yasr :is({INJECTED}), .yasr script, .yasr svg:not([aria-hidden])",
            "(all) => all.map((e) => e.outerHTML.slice(0, 80))",
        )
        assert found == []
        assert page.locator("a[href^='javascript' i]").count() == 0
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.pwned") is None
    finally:
        context.close()
    assert dialogs == []
    assert blocked == []
    # An inert parse of a cell's text makes Chromium report the policy (test_serve).
    assert all("Content Security Policy" in error for error in errors), errors


@pytest.mark.parametrize("accept", ["text/html", "application/xhtml+xml", "*/*", "text/*"])
def test_results_are_never_served_as_html(hostile_endpoint: Endpoint, accept: str) -> None:
    """A browser opening /sparql?query=… directly must not render a payload as a page."""
    query = "SELECT ?v WHERE { ?s rdfs:label ?v }"
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    reply = call(hostile_endpoint.url, "GET", path, None, {"Accept": accept})
    assert reply.status in (200, 406), reply.status
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert "html" not in reply.headers["content-type"]
