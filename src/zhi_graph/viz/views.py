"""Read a build, cut the view, write the page: what ``zhi-graph viz`` and the build call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..atomicfiles import write_file
from ..errors import InputError
from .graph import (
    load_store,
    load_style,
    parse_types,
    query_rows,
    scan_network,
    select,
    term_value,
)
from .map import map_page, region_awards
from .page import network_page


@dataclass(frozen=True, slots=True)
class ViewReport:
    """What a page shows and where it went."""

    path: Path
    nodes: int  # entities on the page (regions on a map)
    edges: int  # relations on the page (award conferrals counted on a map)
    total_nodes: int  # entities in the whole graph
    size: int  # bytes written


def _documents(names: Sequence[str]) -> str:
    """The document's file name, or how many documents the graph was built from."""
    return names[0] if len(names) == 1 else f"{len(names)} 个文档"


def _store_documents(store: ox.Store) -> list[str]:
    return sorted(
        term_value(row["name"])
        for row in query_rows(store, "SELECT ?name WHERE { ?d a zhi:Document ; schema:name ?name }")
    )


def _title(kind: str, documents: Sequence[str], focus: str | None) -> str:
    named = _documents(documents)
    return f"{kind} · {focus} · {named}" if focus else f"{kind} · {named}"


def write_network(
    source: Path,
    output: Path,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: str | None = None,
    min_degree: int = 0,
) -> ViewReport:
    """Write the network page of the graph in ``source`` (a build folder or graph file)."""
    if min_degree < 0:
        raise InputError(f"--min-degree must be 0 or more, not {min_degree}")
    style = load_style()
    network = scan_network(source)
    graph = network.graph
    view = graph  # the whole graph, as a build draws it: no copy of it (0.2 s a 1 MB corpus)
    if focus is not None or types or min_degree > 0:
        view = select(
            graph,
            focus=focus,
            depth=depth,
            types=parse_types(types, style) if types else None,
            min_degree=min_degree,
        )
    network.with_sources(view)
    html = network_page(view, title=_title("关系网络", network.documents, focus), style=style)
    data = html.encode("utf-8")
    write_file(output, data)
    return ViewReport(
        output, view.number_of_nodes(), view.number_of_edges(), graph.number_of_nodes(), len(data)
    )


def write_map(source: Path, output: Path) -> ViewReport:
    """Write the map page of the graph in ``source``: regions with award counts."""
    store = load_store(source)
    html = map_page(store, title=_title("获奖地图", _store_documents(store), None))
    data = html.encode("utf-8")
    write_file(output, data)
    regions = region_awards(store)
    return ViewReport(
        output,
        len(regions),
        sum(len(r.conferrals) for r in regions),
        len(regions),
        len(data),
    )
