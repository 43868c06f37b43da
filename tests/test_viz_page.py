"""zhi_graph.viz.page, .layout and .map: what the pages contain, offline and escaped."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from conftest import HOSTILE_FILE
from zhi_graph.resources import load_resources
from zhi_graph.viz import load_store, map_page, network_page, read_network, region_awards
from zhi_graph.viz.graph import load_style
from zhi_graph.viz.layout import close_pairs, force_layout
from zhi_graph.viz.page import LARGE, script_json, vis_assets

HOSTILE = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- <script>",
    "a & b > c",
    "javascript:alert(1)",
    "line\u2028separator",
]
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)


class Page(HTMLParser):
    """What an HTML page loads: tags with src/href, style and script texts, meta tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.texts:
            self._open = tag
            self.texts[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[self._open][-1] += data

    def scripts(self) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == "script"]

    def data(self) -> dict[str, object]:
        [index] = [i for i, a in enumerate(self.scripts()) if a.get("id") == "zhi-data"]
        loaded: dict[str, object] = json.loads(self.texts["script"][index])
        return loaded


@pytest.fixture(scope="module")
def sample_html(sample_out: Path) -> str:
    return (sample_out / "graph.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample_map(sample_out: Path) -> str:
    return map_page(load_store(sample_out), title="map")


@pytest.mark.parametrize("text", HOSTILE)
def test_script_json_has_no_markup_characters_and_reads_back(text: str) -> None:
    written = script_json({"label": text, "list": [text]})
    assert not set("<>&") & set(written)
    assert "\u2028" not in written
    assert json.loads(written) == {"label": text, "list": [text]}


def assert_offline(html: str) -> None:
    page = Page(html)
    head = [tag for tag, _ in page.tags[:5]]
    assert ("meta", {"charset": "utf-8"}) in page.tags[:3], head
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            assert attrs.get(name) is None or not REMOTE.match(attrs[name] or ""), (tag, attrs)
        if tag == "script":
            assert "src" not in attrs, attrs  # every script is inline
        if tag == "link":
            assert attrs.get("rel") not in ("stylesheet", "preload", "import"), attrs
    for style in page.texts["style"]:
        assert "@import" not in style
        for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", style):
            assert url.startswith("data:"), url
    csp = [
        a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


def test_the_network_page_is_self_contained(sample_html: str) -> None:
    assert_offline(sample_html)
    version, script, _ = vis_assets()
    assert script in sample_html  # vis-network inlined
    assert f"vis-network {version}" in sample_html


def test_the_map_page_is_self_contained(sample_map: str) -> None:
    assert_offline(sample_map)


def test_the_page_data_holds_every_entity_and_its_sources(
    sample_html: str, sample_out: Path
) -> None:
    data = Page(sample_html).data()
    graph = read_network(sample_out)
    nodes = data["nodes"]
    assert isinstance(nodes, list)
    assert len(nodes) == graph.number_of_nodes()
    vis = data["vis"]
    assert isinstance(vis, dict)
    assert len(vis["nodes"]) == graph.number_of_nodes()
    assert len(vis["edges"]) == graph.number_of_edges()
    chengdu = next(n for n in nodes if n["label"] == "成都市")
    assert chengdu["adcode"] == "510100" and chengdu["aliases"] == ["成都"]
    assert chengdu["sources"] == graph.nodes[chengdu["iri"]]["sources"]


def test_edges_read_from_the_agent_with_chinese_labels(sample_html: str) -> None:
    data = Page(sample_html).data()
    nodes = {n["id"]: n for n in data["nodes"]}  # type: ignore[attr-defined]
    labels = {e["id"]: e["label"] for e in data["vis"]["edges"]}  # type: ignore[index]
    seen = set()
    for edge in data["edges"]:  # type: ignore[attr-defined]
        start, end = nodes[edge["from"]], nodes[edge["to"]]
        seen.add(labels[edge["id"]])
        if edge["relation"] == "issuedBy":  # institution 发布 policy document
            assert (start["type"], end["subtype"], labels[edge["id"]]) == (
                "Institution",
                "政策文件",
                "发布",
            )
        if edge["relation"] == "receivedAward":  # recipient 获奖 award
            assert (end["type"], labels[edge["id"]]) == ("Award", "获奖")
    assert {"获奖", "位于", "隶属", "发布", "编纂", "关于"} <= seen


def small_graph(n: int) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for i in range(n):
        graph.add_node(
            f"n{i}",
            type="Region",
            subtype="",
            label=f"地区{i}",
            aliases=[],
            adcode="",
            sources=[],
            degree=1,
        )
    for i in range(1, n):
        graph.add_edge(f"n{i}", f"n{(i - 1) // 3}", key="partOf", years=[], sources=[])
    return graph


@pytest.mark.parametrize(("n", "large"), [(5, False), (LARGE, False), (LARGE + 1, True)])
def test_large_graphs_get_positions_and_no_physics(n: int, large: bool) -> None:
    data = Page(network_page(small_graph(n), title="t")).data()
    vis = data["vis"]
    assert isinstance(vis, dict)
    assert vis["options"]["physics"]["enabled"] is not large
    assert all(("x" in node) is large for node in vis["nodes"])
    assert data["large"] is large


def test_hostile_names_never_reach_the_html_as_markup(hostile_build: Path) -> None:
    html = (hostile_build / "graph.html").read_text(encoding="utf-8")
    page = Page(html)
    assert [a.get("id") for a in page.scripts()] == ["zhi-data", None, None]
    assert not [tag for tag, _ in page.tags if tag in ("img", "iframe", "object", "embed")]
    for markup in ("<script>alert(", "<img src=x", "</script><"):
        assert markup not in html
    assert "\\u003cimg src=x onerror=alert('book')\\u003e" in html  # as JSON text
    labels = {n["label"] for n in page.data()["nodes"]}  # type: ignore[attr-defined]
    assert "<script>alert('title')</script>年鉴（2023）" in labels
    assert "<img src=x onerror=alert('book')>志" in labels
    sources = [s for n in page.data()["nodes"] for s in n["sources"]]  # type: ignore[attr-defined]
    assert {document for document, _ in sources} == {HOSTILE_FILE}
    map_html = map_page(load_store(hostile_build), title="<script>alert('map')</script>")
    assert "<script>alert('map')" not in map_html
    assert "&lt;script&gt;alert(&#39;map&#39;)&lt;/script&gt;" in map_html  # the <title>


@pytest.mark.parametrize("count", [400, 1200])  # networkx's spring layout; above 499 nodes, ours
def test_layout_is_deterministic_and_spreads_nodes(count: int) -> None:
    nodes = list(range(count))
    edges = [(i, (i - 1) // 3) for i in range(1, count)]
    first = force_layout(nodes, edges)
    assert first == force_layout(nodes, edges)
    points = list(first.values())
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in points)
    assert len(set(points)) == len(points)
    lengths = sorted(math.dist(first[u], first[v]) for u, v in edges)
    assert 20 < lengths[len(lengths) // 2] < 1000  # a readable edge length, in pixels


def test_layout_of_no_node_and_of_one() -> None:
    assert force_layout([], []) == {}
    assert force_layout(["a"], []) == {"a": (0.0, 0.0)}


@pytest.mark.parametrize(
    ("count", "spread", "radius"),
    [
        (0, 1.0, 1.5),
        (1, 1.0, 1.5),
        (2, 0.1, 1.5),
        (300, 10.0, 1.5),
        (300, 3.0, 0.5),
        (800, 40.0, 2.0),
    ],
)
def test_close_pairs_are_every_pair_within_the_radius(
    count: int, spread: float, radius: float
) -> None:
    rng = np.random.default_rng(count)
    points = rng.uniform(-spread, spread, size=(count, 2))
    points[: count // 10] = points[count // 10 : 2 * (count // 10)]  # some points twice
    expected = {
        (i, j)
        for i in range(count)
        for j in range(i + 1, count)
        if math.dist(points[i], points[j]) <= radius
    }
    found = close_pairs(points, radius).tolist()
    assert len(found) == len(expected)  # each pair once
    assert {(i, j) for i, j in found} == expected


@pytest.mark.parametrize(
    ("level", "name", "awards"),
    [("prefecture", "成都市", 9), ("prefecture", "眉山市", 5), ("province", "四川省", None)],
)
def test_region_awards_match_the_readme_query(
    sample_out: Path, level: str, name: str, awards: int | None
) -> None:
    regions = {r.name: r for r in region_awards(load_store(sample_out), level, load_resources())}
    region = regions[name]
    assert region.lng is not None and region.lat is not None
    if awards is not None:
        assert len(region.conferrals) == awards
    else:  # every conferral counted below some prefecture is counted for the province too
        prefectures = region_awards(load_store(sample_out), "prefecture", load_resources())
        assert len(region.conferrals) >= max(len(r.conferrals) for r in prefectures)
    assert all(c.sentence for c in region.conferrals)


def test_style_covers_every_type_with_a_distinct_colour_and_shape() -> None:
    style = load_style()
    assert len({s.color for s in style.types.values()}) == len(style.types)
    assert len({s.shape for s in style.types.values()}) == len(style.types)
