"""Interactive, offline HTML views of a graph: the network page and the map page.

graph = read_network(Path("out"))                 # RDF -> networkx
view = select(graph, focus="成都市", depth=2)      # cut the view
html = network_page(view, title="成都市")          # networkx -> pyvis -> HTML

network = scan_network(Path("out"))               # the same, sentences left out…
view = network.with_sources(select(network.graph, focus="成都市"))  # …but the view's
"""

from __future__ import annotations

from .graph import (
    Network,
    find_nodes,
    load_store,
    load_style,
    network_graph,
    parse_types,
    read_network,
    scan_network,
    select,
)
from .map import map_page, region_awards
from .page import network_page
from .views import ViewReport, write_map, write_network

__all__ = [
    "Network",
    "ViewReport",
    "find_nodes",
    "load_store",
    "load_style",
    "map_page",
    "network_graph",
    "network_page",
    "parse_types",
    "read_network",
    "region_awards",
    "scan_network",
    "select",
    "write_map",
    "write_network",
]
