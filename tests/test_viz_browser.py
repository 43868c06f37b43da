"""The pages in a real headless Chromium (Debian's), with the network blocked.

Needs the `chromium` command (Debian: `apt-get install chromium fonts-noto-cjk`)
and the playwright package (test extra); no browser is downloaded.  Without
them the tests skip locally and fail when CI=true.  The screenshot of the
sample's view goes to $ZHI_GRAPH_ARTIFACTS (default: out/artifacts/).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from conftest import HOSTILE_FILE, ROOT
from zhi_graph.cli import app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}


def missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        missing("chromium not found; install it with `apt-get install chromium fonts-noto-cjk`")
    assert found is not None
    return found


@dataclass
class Opened:
    """A page, and everything it did that a self-contained page must not do."""

    page: Any
    url: str
    blocked: list[str] = field(default_factory=list)  # requests other than the file itself
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.blocked == [], self.blocked
        assert self.failed == [], self.failed
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)


def open_page(browser: Any, path: Path) -> Iterator[Opened]:
    context = browser.new_context(viewport=VIEWPORT, offline=True)
    page = context.new_page()
    url = path.resolve().as_uri()
    opened = Opened(page, url)

    def route(handle: Any) -> None:
        if handle.request.url == url:
            handle.continue_()
        else:
            opened.blocked.append(handle.request.url)
            handle.abort()

    def dialog(shown: Any) -> None:
        opened.dialogs.append(shown.message)
        shown.dismiss()

    page.route("**/*", route)
    page.on("requestfailed", lambda request: opened.failed.append(request.url))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.on("dialog", dialog)
    page.goto(url)
    # A selector, not wait_for_function: that evaluates a string, which the page's CSP forbids.
    page.wait_for_selector('body[data-ready="true"]', state="attached", timeout=60_000)
    yield opened
    context.close()


@pytest.fixture
def network(browser: Any, sample_out: Path) -> Iterator[Opened]:
    yield from open_page(browser, sample_out / "graph.html")


def entity_count(ttl: Path) -> int:
    rows = (
        Graph()
        .parse(ttl)
        .query(
            """PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
        SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
          VALUES ?t { zhi:Region zhi:Institution zhi:Publication zhi:Venue zhi:Award zhi:Person }
          ?e a ?t }"""
        )
    )
    return int(next(iter(rows))[0])  # type: ignore[index, arg-type]


def node_id(opened: Opened, label: str) -> int:
    found: int = opened.js("(label) => zhi.data.nodes.find((n) => n.label === label).id", label)
    return found


def test_the_sample_page_loads_offline_without_errors(network: Opened, sample_out: Path) -> None:
    network.assert_clean()
    assert network.js("zhi.nodes.length") == entity_count(sample_out / "graph.ttl")
    assert network.js("document.characterSet") == "UTF-8"
    assert network.page.locator("#count").text_content() == (
        f"显示 {entity_count(sample_out / 'graph.ttl')} / "
        f"{entity_count(sample_out / 'graph.ttl')} 个实体"
    )
    legend = network.page.locator("#legend li").all_text_contents()
    assert [text.rstrip("0123456789") for text in legend] == [
        "行政区域",
        "机构",
        "出版物",
        "场馆与平台",
        "奖项",
        "人物",
    ]


def test_screenshots_of_the_sample(network: Opened) -> None:
    """network-overview.png: the page as it opens; network.png: 成都市 searched (docs/)."""
    folder = Path(os.environ.get("ZHI_GRAPH_ARTIFACTS") or ROOT / "out" / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    network.page.screenshot(path=str(folder / "network-overview.png"))
    network.page.fill("#search", "成都市")
    network.page.press("#search", "Enter")
    network.js("new Promise((done) => requestAnimationFrame(() => done()))")
    network.page.screenshot(path=str(folder / "network.png"))
    for name in ("network-overview.png", "network.png"):
        data = (folder / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (
            1400,
            900,
        )
        assert len(data) > 50_000
    network.assert_clean()


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("成都市", "成都市"),
        ("甘孜州", "甘孜藏族自治州"),  # an alias
        ("德阳年鉴（2024）", "德阳年鉴（2024）"),
        ("德阳年鉴", "德阳年鉴（2024）"),  # part of a name
    ],
)
def test_searching_a_name_selects_centres_and_describes_that_node(
    network: Opened, typed: str, label: str
) -> None:
    network.page.fill("#search", typed)
    network.page.press("#search", "Enter")
    wanted = node_id(network, label)
    assert network.js("zhi.network.getSelectedNodes()") == [wanted]
    assert network.page.locator("#panel").is_visible()
    assert network.page.locator("#panel-title").text_content() == label
    centre = network.js(
        """(id) => { const p = zhi.network.canvasToDOM(zhi.network.getPosition(id));
        const box = document.getElementById('network').getBoundingClientRect();
        return [Math.round(p.x - box.width / 2), Math.round(p.y - box.height / 2)]; }""",
        wanted,
    )
    assert [abs(c) <= 2 for c in centre] == [True, True], centre
    network.assert_clean()


def test_an_unknown_name_says_so(network: Opened) -> None:
    network.page.fill("#search", "没有这个名字")
    network.page.press("#search", "Enter")
    assert network.page.locator("#search-status").text_content() == "未找到"
    assert network.js("zhi.network.getSelectedNodes()") == []


@pytest.mark.parametrize("type_", ["Award", "Region", "Person"])
def test_unticking_a_type_hides_its_nodes_and_ticking_shows_them(
    network: Opened, type_: str
) -> None:
    count_hidden = """(type) => zhi.data.nodes.filter((n) => n.type === type)
        .map((n) => zhi.nodes.get(n.id).hidden === true)"""
    others_hidden = """(type) => zhi.data.nodes.filter((n) => n.type !== type)
        .some((n) => zhi.nodes.get(n.id).hidden === true)"""
    box = network.page.locator(f'#legend input[data-type="{type_}"]')
    box.uncheck()
    hidden = network.js(count_hidden, type_)
    assert hidden and all(hidden)
    assert network.js(others_hidden, type_) is False
    box.check()
    assert not any(network.js(count_hidden, type_))
    network.assert_clean()


def test_clicking_a_node_shows_its_source_sentences(network: Opened, sample_out: Path) -> None:
    label = "德阳年鉴（2024）"
    wanted = node_id(network, label)
    network.js("(id) => zhi.network.focus(id, {scale: 1.5, animation: false})", wanted)
    network.js("zhi.network.redraw()")
    x, y = network.js(
        """(id) => { const p = zhi.network.canvasToDOM(zhi.network.getPosition(id));
        const box = document.getElementById('network').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }""",
        wanted,
    )
    assert not network.page.locator("#panel").is_visible()
    network.page.mouse.click(x, y)
    assert network.page.locator("#panel-title").text_content() == label
    facts = network.page.locator("#panel-facts").text_content() or ""
    assert "类型出版物 · 年鉴" in facts
    sentences = (
        Graph()
        .parse(sample_out / "graph.ttl")
        .query(
            """PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?s WHERE { ?m zhi:mentionOf/rdfs:label "德阳年鉴（2024）"@zh ;
                                       zhi:evidence ?s }"""
        )
    )
    shown = network.page.locator("#panel-sources").text_content() or ""
    for (sentence,) in sentences:  # type: ignore[misc]
        assert str(sentence) in shown
    assert "000_56e6aeb4e85b6bad.txt" in shown
    relations = network.page.locator("#panel-relations").text_content() or ""
    assert "德阳年鉴（2024） 获奖 四川省精品年鉴（2024年）" in relations
    assert "德阳年鉴（2024） 关于 德阳市" in relations
    network.assert_clean()


def test_the_year_filter_hides_award_edges_of_other_years(network: Opened) -> None:
    network.page.select_option("#year-from", "2024")
    network.page.select_option("#year-to", "2024")
    network.page.uncheck("#year-undated")
    shown = network.js(
        """zhi.data.edges.filter((e) => e.relation === 'receivedAward')
           .filter((e) => !zhi.edges.get(e.id).hidden).map((e) => e.years)"""
    )
    assert shown and all(2024 in years for years in shown)
    hidden = network.js(
        """zhi.data.edges.filter((e) => e.relation === 'receivedAward')
           .filter((e) => zhi.edges.get(e.id).hidden).length"""
    )
    assert hidden > 0
    assert network.js(
        "zhi.data.edges.filter((e) => e.relation !== 'receivedAward')"
        ".every((e) => !zhi.edges.get(e.id).hidden)"
    )
    network.page.check("#year-undated")
    network.page.select_option("#year-from", "2021")
    assert network.js("zhi.data.edges.every((e) => !zhi.edges.get(e.id).hidden)")
    network.assert_clean()


@pytest.mark.parametrize(
    "arguments",
    [["--focus", "成都市", "--depth", "1"], ["--types", "Publication,Award", "--min-degree", "2"]],
)
def test_cut_views_load_with_physics_and_count_their_nodes(
    browser: Any, runner: CliRunner, sample_out: Path, tmp_path: Path, arguments: list[str]
) -> None:
    target = tmp_path / "view.html"
    result = runner.invoke(app, ["viz", str(sample_out), "-o", str(target), *arguments])
    assert result.exit_code == 0, result.output
    shown = int(result.stdout.split("wrote ", 1)[1].split("(", 1)[1].split(" of ", 1)[0])
    for opened in open_page(browser, target):
        opened.assert_clean()
        assert opened.js("zhi.data.vis.options.physics.enabled") is True
        assert opened.js("zhi.nodes.length") == shown


def test_hostile_names_show_as_text_and_run_nothing(browser: Any, hostile_build: Path) -> None:
    for opened in open_page(browser, hostile_build / "graph.html"):
        for label in (
            "<script>alert('title')</script>年鉴（2023）",
            "<img src=x onerror=alert('book')>志",
        ):
            opened.page.fill("#search", label)
            opened.page.press("#search", "Enter")
            assert opened.page.locator("#panel-title").text_content() == label
            sources = opened.page.locator("#panel-sources").text_content() or ""
            assert HOSTILE_FILE in sources
        opened.page.fill("#search", "javascript:alert('link')年鉴（2022）")
        opened.page.press("#search", "Enter")
        relations = opened.page.locator("#panel-relations")
        relations.locator("button").first.click()  # a link to the award: a button, not a URL
        assert opened.js("document.querySelectorAll('img, iframe, a[href]').length") == 0
        assert opened.js("document.querySelectorAll('script').length") == 3
        opened.page.wait_for_timeout(300)  # an injected onerror would fire by now
        opened.assert_clean()


@pytest.fixture(scope="module")
def sample_map(
    runner: CliRunner, sample_out: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    target = tmp_path_factory.mktemp("map") / "map.html"
    result = runner.invoke(app, ["viz", str(sample_out), "--map", "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_the_map_page_loads_and_shows_award_counts(browser: Any, sample_map: Path) -> None:
    for opened in open_page(browser, sample_map):
        opened.assert_clean()
        bubbles = opened.page.locator(".bubble:not(.none)")
        assert bubbles.count() == opened.js(
            "zhi.data.layers.prefecture.filter((r) => r.count).length"
        )
        opened.page.locator('.bubble[data-adcode="510100"]').click()
        assert opened.page.locator("#panel-title").text_content() == "成都市"
        assert opened.page.locator("#panel-list li").count() == 9
        opened.page.select_option("#level", "province")
        assert opened.page.locator('.bubble[data-adcode="510000"]').count() == 1
        opened.assert_clean()


def test_the_hostile_map_page_runs_nothing(
    browser: Any, runner: CliRunner, hostile_build: Path, tmp_path: Path
) -> None:
    target = tmp_path / "map.html"
    result = runner.invoke(app, ["viz", str(hostile_build), "--map", "-o", str(target)])
    assert result.exit_code == 0, result.output
    for opened in open_page(browser, target):
        for bubble in opened.page.locator(".bubble:not(.none)").all():
            bubble.click()
        assert opened.js("document.querySelectorAll('img, iframe, a[href]').length") == 0
        opened.page.wait_for_timeout(300)
        opened.assert_clean()
