"""networkx graph -> pyvis network -> one self-contained HTML page.

pyvis holds the nodes, edges and vis-network options; the page is rendered
from our own template (``data/viz/network.html.j2``), because pyvis's own
template links Bootstrap and tom-select from a CDN even with
``cdn_resources="in_line"``.  vis-network's script and style sheet are
inlined from the copy pyvis ships, so the page opens from a file or an
intranet share with no internet.

Everything that comes from documents travels in one
``<script type="application/json">`` block in which ``<``, ``>`` and ``&`` are
written as ``\\u003c``, ``\\u003e`` and ``\\u0026``, and the page's script
shows it with ``textContent`` only, so a title such as ``<script>…`` is text.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup

from ..errors import ResourceError
from ..resources import package_root
from .graph import Style, load_style
from .layout import force_layout

# Above this many nodes the browser's physics does not settle in reasonable
# time: positions are computed here and physics is off.
LARGE = 300
LABEL_CHARACTERS = 16
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'


def script_json(value: Any) -> Markup:
    """JSON that is safe inside a ``<script>`` element, whatever its strings contain."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _version(folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder.name))


@cache
def vis_assets() -> tuple[str, str, str]:
    """(version, script, style sheet) of the newest vis-network that pyvis ships."""
    import pyvis

    base = Path(pyvis.__file__).resolve().parent
    folders = sorted(
        (f for f in base.glob("**/vis-*") if (f / "vis-network.min.js").is_file()), key=_version
    )
    if not folders:
        raise ResourceError("pyvis ships no vis-network script; reinstall pyvis", base)
    folder = folders[-1]
    try:
        script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        style = (folder / "vis-network.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"cannot read vis-network ({exc.strerror})", folder) from exc
    for text in (script, style):
        if "</script" in text.lower() or "</style" in text.lower():
            raise ResourceError("vis-network cannot be inlined as it is", folder)
    return ".".join(map(str, _version(folder))), script, style


@cache
def _environment(root: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / "data" / "viz"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def script_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def render(template: str, **context: Any) -> str:
    """Render a template of ``data/viz/`` with its script and style inlined.

    The page's policy lets only these scripts run, by their hashes, not any
    inline script: were a document's string ever written into the page as
    markup, the script or event handler it holds would still not run.
    """
    root = package_root()
    name = template.removesuffix(".html.j2")
    try:
        page_js = (root / "data" / "viz" / f"{name}.js").read_text(encoding="utf-8")
        page_css = (root / "data" / "viz" / f"{name}.css").read_text(encoding="utf-8")
        scripts = [str(context[k]) for k in ("vis_js",) if k in context] + [page_js]
        return (
            _environment(root)
            .get_template(template)
            .render(
                page_js=Markup(page_js),
                page_css=Markup(page_css),
                script_src=Markup(" ".join(script_hash(s) for s in scripts)),
                **context,
            )
        )
    except OSError as exc:
        raise ResourceError(
            f"cannot read the page template ({exc.strerror})", exc.filename
        ) from exc
    except jinja2.TemplateError as exc:
        raise ResourceError(f"bad page template ({exc})", root / "data" / "viz") from exc


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def network(graph: nx.MultiDiGraph, style: Style) -> tuple[Any, dict[str, Any]]:
    """The pyvis network of ``graph`` and the details the page's panel shows.

    Nodes are numbered in the graph's order; a node's details (aliases,
    sentences…) are kept out of the vis-network data and shown on click.
    """
    # Imported here: pyvis imports IPython, which every other command would pay for.
    from pyvis.network import Network

    large = graph.number_of_nodes() > LARGE
    index = {node: i for i, node in enumerate(graph.nodes)}
    positions = (
        force_layout(list(index.values()), [(index[u], index[v]) for u, v in graph.edges()])
        if large
        else {}
    )
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    details: list[dict[str, Any]] = []
    for node, data in graph.nodes(data=True):
        i = index[node]
        type_style = style.types[data["type"]]
        vis_node: dict[str, Any] = {
            "id": i,
            "label": _short(data["label"]),
            "shape": type_style.shape,
            "color": type_style.color,
            "value": data["degree"],
        }
        if large:
            vis_node["x"], vis_node["y"] = positions[i]
        net.nodes.append(vis_node)
        net.node_ids.append(i)
        net.node_map[i] = vis_node
        details.append(
            {
                "id": i,
                "iri": node,
                "label": data["label"],
                "type": data["type"],
                "subtype": style.subtypes.get(data["subtype"], ""),
                "aliases": data["aliases"],
                "adcode": data["adcode"],
                "sources": data["sources"],
            }
        )
    edges: list[dict[str, Any]] = []
    # pyvis's add_edge looks for duplicates by scanning every edge; the edges are
    # known to be distinct (one per relation and pair), so they are assigned at once.
    for number, (subject, obj, relation, data) in enumerate(graph.edges(keys=True, data=True)):
        relation_style = style.relations[relation]
        start, end = (obj, subject) if relation_style.reverse else (subject, obj)
        net.edges.append(
            {
                "id": number,
                "from": index[start],
                "to": index[end],
                "label": relation_style.label,
                "color": relation_style.color,
            }
        )
        edges.append(
            {
                "id": number,
                "from": index[start],
                "to": index[end],
                "relation": relation,
                "years": data["years"],
                "sources": data["sources"],
            }
        )
    net.set_options(json.dumps(_options(large)))
    counts = Counter(data["type"] for _, data in graph.nodes(data=True))
    years = sorted({year for edge in edges for year in edge["years"]})
    return net, {
        "nodes": details,
        "edges": edges,
        "years": years,
        "large": large,
        "types": [
            {"key": key, "name": s.name, "color": s.color, "shape": s.shape, "count": counts[key]}
            for key, s in style.types.items()
        ],
        "relations": {
            key: {"label": s.label, "name": s.name, "color": s.color, "reverse": s.reverse}
            for key, s in style.relations.items()
        },
    }


def _options(large: bool) -> dict[str, Any]:
    return {
        "autoResize": True,
        "nodes": {
            "font": {"face": FONT, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
            "scaling": {"min": 8, "max": 36, "label": {"enabled": False}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"face": FONT, "size": 10, "align": "middle", "color": "#555555"},
            "smooth": False if large else {"enabled": True, "type": "continuous"},
            "width": 1,
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": not large,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": False,
        },
        "layout": {"improvedLayout": not large, "randomSeed": 7},
        "physics": {
            "enabled": not large,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 110,
                "avoidOverlap": 0.3,
            },
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
        },
    }


def network_page(graph: nx.MultiDiGraph, *, title: str, style: Style | None = None) -> str:
    """The whole HTML page of the network view of ``graph``."""
    style = style or load_style()
    net, details = network(graph, style)
    nodes, edges, _, _, _, options = net.get_network_data()
    version, vis_js, vis_css = vis_assets()
    data = {
        "title": title,
        **details,
        "vis": {"nodes": nodes, "edges": edges, "options": json.loads(options)},
    }
    return render(
        "network.html.j2",
        title=title,
        vis_version=version,
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        data=script_json(data),
    )
