"""How long the network page takes to make and to open, for large graphs (run by hand).

    .venv/bin/python benchmarks/viz.py                      # 100, 1,000, 10,000 nodes -> viz.md
    .venv/bin/python benchmarks/viz.py --sizes 100 1000     # quicker
    .venv/bin/python benchmarks/viz.py --no-browser         # without Chromium

For each size a synthetic graph is written in the project's vocabulary, as a
build would write it (``graph.ttl``: entities of the six types with labels,
aliases and region codes, mentions with their sentence, the nine relations
with statement nodes, award conferrals with years), with about 1.5 relations
per entity (the sample has 0.8).  Then, in this order:

1. ``read``: ``zhi_graph.viz.read_network`` (pyoxigraph load and SPARQL -> networkx);
2. ``page``: ``zhi_graph.viz.network_page`` (layout when large, pyvis, template);
3. the page's size in bytes;
4. with Chromium (Debian's ``chromium``, through Playwright, network blocked):
   the time from navigation start until the page is usable (the first
   drawing with physics off, the end of stabilisation with physics on:
   ``window.zhi.readyAt``, best of ``--repeat`` loads), and the time a search
   then takes to select, centre and describe a node.

Results go to ``benchmarks/viz.md`` (``--results FILE`` to write elsewhere).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from zhi_graph.resources import load_resources
from zhi_graph.viz import network_page, read_network

ZHI = "https://w3id.org/zhi-graph/ontology#"
ID = "https://w3id.org/zhi-graph/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
NAME = "https://schema.org/name"
GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"
INT = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Share of each type among the entities that are not regions.
MIX = [
    ("Institution", 0.3),
    ("Publication", 0.35),
    ("Venue", 0.15),
    ("Award", 0.12),
    ("Person", 0.08),
]
SUFFIX = {
    "Institution": "地方志办公室",
    "Publication": "年鉴",
    "Venue": "方志馆",
    "Award": "精品年鉴",
    "Person": "",
}


def literal(text: str, tag: str = "@zh") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"{tag}'


def synthetic(n: int, seed: int) -> str:
    """N-Triples (valid Turtle) of a graph of ``n`` entities, a quarter of them real regions."""
    rng = random.Random(seed)
    divisions = [
        d for d in load_resources().divisions.values() if d.level in ("prefecture", "county")
    ]
    rng.shuffle(divisions)
    lines: list[str] = []
    doc = f"<{ID}document/bench>"
    lines.append(f"{doc} <{RDF_TYPE}> <{ZHI}Document> .")
    lines.append(f"{doc} <{NAME}> {literal('synthetic.txt', '')} .")
    regions = divisions[: max(5, n // 4)]
    entities: dict[str, list[str]] = {"Region": []}
    offset = 0

    def mention(node: str, text: str) -> None:
        nonlocal offset
        m = f"<{ID}mention/{offset}>"
        sentence = f"{text}在本年度工作中取得新进展，相关情况见本报告第{offset % 97}段。"
        lines.extend(
            [
                f"{m} <{RDF_TYPE}> <{ZHI}Mention> .",
                f"{m} <{ZHI}mentionOf> {node} .",
                f"{m} <{ZHI}inDocument> {doc} .",
                f'{m} <{ZHI}startOffset> "{offset}"^^<{INT}> .',
                f"{m} <{ZHI}evidence> {literal(sentence)} .",
            ]
        )
        offset += len(sentence)

    for division in regions:
        node = f"<{ID}region/{division.adcode}>"
        entities["Region"].append(node)
        lines.append(f"{node} <{RDF_TYPE}> <{ZHI}Region> .")
        lines.append(f"{node} <{LABEL}> {literal(division.name)} .")
        lines.append(f'{node} <{ZHI}adcode> "{division.adcode}" .')
        for short in division.short_names[:1]:
            lines.append(f"{node} <{ALT}> {literal(short)} .")
        mention(node, division.name)
    rest = n - len(regions)
    number = 0
    counts = [max(1, round(rest * share)) for _, share in MIX]
    counts[0] += rest - sum(counts)
    for (kind, _), count in zip(MIX, counts, strict=True):
        entities[kind] = []
        for _ in range(count):
            number += 1
            place = rng.choice(regions).name
            label = f"{place}{kind[:3]}{number}{SUFFIX[kind]}"
            if kind == "Publication":
                label = f"{place}{number}年鉴（{rng.choice((2021, 2022, 2023, 2024))}）"
            node = f"<{ID}{kind.lower()}/{number:016x}>"
            entities[kind].append(node)
            lines.append(f"{node} <{RDF_TYPE}> <{ZHI}{kind}> .")
            if kind == "Publication":
                lines.append(f"{node} <{RDF_TYPE}> <{ZHI}Yearbook> .")
            lines.append(f"{node} <{LABEL}> {literal(label)} .")
            mention(node, label)
    statement = 0

    def relate(s: str, p: str, o: str, year: int | None = None) -> None:
        nonlocal statement
        statement += 1
        st = f"<{ID}statement/{statement}>"
        lines.append(f"{s} <{ZHI}{p}> {o} .")
        lines.append(f"{st} <{RDF_TYPE}> <{ZHI}RelationStatement> .")
        if p == "receivedAward":
            lines.append(f"{st} <{RDF_TYPE}> <{ZHI}AwardConferral> .")
            lines.append(f"{st} <{ZHI}recipient> {s} .")
            lines.append(f"{st} <{ZHI}award> {o} .")
            if year:
                lines.append(f'{st} <{ZHI}year> "{year}"^^<{GYEAR}> .')
        lines.extend(
            [
                f"{st} <{ZHI}subject> {s} .",
                f"{st} <{ZHI}predicate> <{ZHI}{p}> .",
                f"{st} <{ZHI}object> {o} .",
                f"{st} <{ZHI}inDocument> {doc} .",
                f'{st} <{ZHI}startOffset> "{statement}"^^<{INT}> .',
                f"{st} <{ZHI}evidence> {literal('第' + str(statement) + '句：关系的原文。')} .",
            ]
        )

    pick = rng.choice
    for node in entities["Region"]:
        if rng.random() < 0.6:
            relate(node, "partOf", pick(entities["Region"]))
    for node in entities["Institution"]:
        relate(node, "locatedIn", pick(entities["Region"]))
    for node in entities["Publication"]:
        relate(node, "aboutRegion", pick(entities["Region"]))
        relate(node, "publishedBy", pick(entities["Institution"]))
        if rng.random() < 0.6:
            relate(node, "receivedAward", pick(entities["Award"]), pick((2022, 2023, 2024, None)))
    for node in entities["Venue"]:
        relate(node, "operatedBy", pick(entities["Institution"]))
        relate(node, "locatedIn", pick(entities["Region"]))
    for node in entities["Award"]:
        relate(node, "conferredBy", pick(entities["Institution"]))
    for node in entities["Person"]:
        relate(node, "receivedAward", pick(entities["Award"]), pick((2023, 2024)))
    return "\n".join(lines) + "\n"


def browser_times(path: Path, repeat: int) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    url = path.resolve().as_uri()
    ready: list[float] = []
    search: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for _ in range(repeat):
            context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e, found=errors: found.append(str(e)))
            page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
            page.goto(url)
            # Not wait_for_function: it evaluates a string, which the page's CSP forbids.
            page.wait_for_selector('body[data-ready="true"]', state="attached", timeout=600_000)
            ready.append(page.evaluate("zhi.readyAt") / 1000)
            label = page.evaluate("zhi.data.nodes[zhi.data.nodes.length - 1].label")
            page.fill("#search", label)
            started = time.perf_counter()
            page.press("#search", "Enter")
            page.wait_for_selector("#panel:not([hidden])", state="attached")
            page.evaluate("new Promise((done) => requestAnimationFrame(() => done()))")
            assert page.evaluate("zhi.network.getSelectedNodes().length") == 1
            search.append(time.perf_counter() - started)
            assert not errors, errors
            context.close()
        browser.close()
    return min(ready), min(search)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--results", type=Path, default=Path(__file__).with_name("viz.md"))
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            graph_path = Path(folder) / f"graph-{size}.ttl"
            graph_path.write_text(synthetic(size, args.seed), encoding="utf-8")
            started = time.perf_counter()
            graph = read_network(graph_path)
            read = time.perf_counter() - started
            started = time.perf_counter()
            html = network_page(graph, title=f"synthetic {size}")
            page = time.perf_counter() - started
            path = Path(folder) / f"page-{size}.html"
            path.write_text(html, encoding="utf-8")
            row: dict[str, Any] = {
                "nodes": graph.number_of_nodes(),
                "edges": graph.number_of_edges(),
                "read": read,
                "page": page,
                "bytes": path.stat().st_size,
            }
            if not args.no_browser:
                row["ready"], row["search"] = browser_times(path, args.repeat)
            rows.append(row)
            print(row, flush=True)
    load = (before, os.getloadavg()[0])
    write(args.results, rows, load)


def write(path: Path, rows: list[dict[str, Any]], load: tuple[float, float]) -> None:
    lines = [
        "# Network page: generation time, size, time to interactive",
        "",
        "Written by `benchmarks/viz.py` (run by hand; see its docstring for what is measured).",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPU(s), "
        f"Python {platform.python_version()}; load average {load[0]:.1f} before the run and "
        f"{load[1]:.1f} after it (other jobs shared the machine).",
        "",
        'Chromium is Debian\'s, headless, software rendering (`--disable-gpu`); "usable after" is'
        " the time from navigation start to the first drawing (physics off, above 300 nodes) or"
        ' the end of stabilisation (physics on), best of the loads; "search" is pressing Enter'
        " in the search box until the node is selected, centred and described.",
        "",
        "| nodes | edges | read RDF → networkx (s) | page: layout + pyvis + template (s) "
        "| page size (MB) | Chromium: usable after (s) | search → node selected (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        browser = f"{row['ready']:.2f} | {row['search']:.3f}" if "ready" in row else "– | –"
        lines.append(
            f"| {row['nodes']:,} | {row['edges']:,} | {row['read']:.2f} | {row['page']:.2f} "
            f"| {row['bytes'] / 1e6:.2f} | {browser} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
