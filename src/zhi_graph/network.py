"""The graph for network tools: GraphML and GEXF (Gephi, Cytoscape, yEd) via networkx.

Nodes are the entities (the IRI is the node id) and edges the relations
between them, as ``tables.GraphTables`` reads them: one edge per relation
triple, and for ``zhi:receivedAward`` one per year of its award conferrals,
with the year as an integer attribute.  Provenance nodes (mentions,
statements, documents) are left out: an award conferral becomes the
recipient → award edge it describes, carrying its year and documents.

Attributes (the same names in both formats; several values joined by " | "):

* nodes: ``label``, ``type``, ``subtype``, ``aliases``, ``region_code``,
  ``level``, ``documents``, ``mentions``;
* edges: ``relation`` (``receivedAward``…), ``label`` (the relation's Chinese
  label from the ontology, 获得奖项…), ``label_en``, ``year`` (award edges
  with a dated conferral only), ``documents``.
"""

from __future__ import annotations

import io
import re
from enum import StrEnum
from typing import Any

import networkx as nx

from .namespaces import ZHI
from .tables import SEPARATOR, GraphTables
from .vocabulary import vocabulary

_GEXF_DATE = re.compile(rb' lastmodifieddate="[0-9-]+"')


class NetworkFormat(StrEnum):
    GRAPHML = "graphml"
    GEXF = "gexf"


def network(tables: GraphTables) -> nx.MultiDiGraph:
    """Entities as nodes, relations as edges, in a stable order."""
    graph = nx.MultiDiGraph()
    for entity in tables.entities():
        graph.add_node(
            entity.iri,
            label=entity.label,
            type=entity.type,
            subtype=entity.subtype,
            aliases=entity.aliases,
            region_code=entity.region_code,
            level=entity.level,
            documents=entity.documents,
            mentions=entity.mentions,
        )
    terms = vocabulary()
    for edge in tables.edges():
        term = terms.get(str(ZHI[edge.relation]))
        attributes: dict[str, Any] = {
            "relation": edge.relation,
            "label": term.label("zh"),
            "label_en": term.label("en"),
            "documents": SEPARATOR.join(edge.documents),
        }
        if edge.year is not None:
            attributes["year"] = edge.year
        key = f"{edge.relation}/{edge.year}" if edge.year is not None else edge.relation
        graph.add_edge(edge.source, edge.target, key=key, **attributes)
    return graph


def network_bytes(graph: nx.MultiDiGraph, fmt: NetworkFormat) -> bytes:
    buffer = io.BytesIO()
    if fmt is NetworkFormat.GRAPHML:
        # named_key_ids: keys read "label", "year"… in the file, not d0, d1…
        nx.write_graphml_xml(graph, buffer, encoding="utf-8", named_key_ids=True)
    else:
        nx.write_gexf(graph, buffer, encoding="utf-8", version="1.2draft")
        # The writer stamps today's date (optional in GEXF): drop it so that the same
        # graph gives the same bytes on any day.
        return _GEXF_DATE.sub(b"", buffer.getvalue(), count=1)
    return buffer.getvalue()
