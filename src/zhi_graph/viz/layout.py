"""Node positions for graphs too large for the browser's physics to settle.

Each connected component is laid out on its own, and the components are then
packed in rows, largest first, so that isolated entities do not crowd the
picture.  A component of up to 499 nodes gets networkx's spring layout (every
pair repels).  A larger one gets a Fruchterman–Reingold layout in which
repulsion acts only between nodes closer than 1.5 ideal edge lengths (the grid
variant of the original paper), found through a grid of cells (``close_pairs``),
so that a step costs about O(n) instead of O(n²): networkx's ``spring_layout``
took 4.7 s for 1,000 nodes, 21 s for 3,000 and 329 s for 10,000 here (see
benchmarks/viz.md for what this one takes).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np

EDGE_LENGTH = 90.0  # ideal edge length, in page pixels
# Up to this many nodes, networkx's exact spring layout is fast enough; from 500 on,
# networkx would switch to a layout that needs scipy.
EXACT = 499
GAP = 1.4 * EDGE_LENGTH  # between packed components (room for a label)
REPULSION = 6.0
ATTRACTION = 0.2
RADIUS = 1.5
GRAVITY = 0.3

Positions = dict[Hashable, tuple[float, float]]


def force_layout(
    nodes: Sequence[Hashable], edges: Sequence[tuple[Hashable, Hashable]], *, seed: int = 7
) -> Positions:
    """Positions in pixels, centred on (0, 0); the same input always gives the same output."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((u, v) for u, v in edges if u != v)
    order = {node: i for i, node in enumerate(nodes)}
    components = sorted(
        (sorted(c, key=order.__getitem__) for c in nx.connected_components(graph)),
        key=lambda c: (-len(c), order[c[0]]),
    )
    if not components:
        return {}
    layouts = _pack([_component(graph.subgraph(c), c, seed) for c in components])
    centre = np.vstack(layouts).mean(axis=0)
    return {
        node: (round(float(x - centre[0]), 1), round(float(y - centre[1]), 1))
        for component, layout in zip(components, layouts, strict=True)
        for node, (x, y) in zip(component, layout, strict=True)
    }


def _component(graph: nx.Graph, nodes: list[Hashable], seed: int) -> np.ndarray:
    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    if n <= EXACT:
        scale = EDGE_LENGTH * np.sqrt(n) * 0.8
        pos = nx.spring_layout(graph, seed=seed, iterations=60, scale=scale, center=(0, 0))
        return np.array([pos[node] for node in nodes], dtype=float)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.int64)
    return _grid_force(n, pairs, seed) * EDGE_LENGTH


def _grid_force(n: int, pairs: np.ndarray, seed: int) -> np.ndarray:
    """Fruchterman–Reingold with local repulsion, in units of the ideal edge length."""
    iterations = 120 if n <= 2000 else 60
    u, v = pairs[:, 0], pairs[:, 1]
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-0.5, 0.5, size=(n, 2)) * np.sqrt(n)
    temperature = 0.1 * np.sqrt(n)
    cooling = 0.1 ** (1.0 / iterations)
    gravity = GRAVITY / np.sqrt(n)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        close = close_pairs(pos, RADIUS)
        if len(close):
            a, b = close[:, 0], close[:, 1]
            delta = pos[a] - pos[b]
            push = delta * (REPULSION / np.maximum((delta**2).sum(axis=1), 1e-4))[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(a, push[:, axis], minlength=n)
                disp[:, axis] -= np.bincount(b, push[:, axis], minlength=n)
        pull = (pos[u] - pos[v]) * ATTRACTION
        for axis in (0, 1):
            disp[:, axis] -= np.bincount(u, pull[:, axis], minlength=n)
            disp[:, axis] += np.bincount(v, pull[:, axis], minlength=n)
        disp -= gravity * pos
        length = np.sqrt(np.maximum((disp**2).sum(axis=1), 1e-12))
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    centred: np.ndarray = pos - pos.mean(axis=0)
    return centred


# The cells each cell is compared with: itself, the next cell of its column and the
# next column's three, so that each pair of neighbouring cells is compared once.
_LATER_NEIGHBOURS = ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1))


def close_pairs(points: np.ndarray, radius: float) -> np.ndarray:
    """Every pair (i, j), i < j, of ``points`` (n × 2) at most ``radius`` apart, as an
    array of pairs in no set order.

    A cell list: each point falls in a square cell of side ``radius``, and only points
    of the same or a neighbouring cell are compared.  It gives the pairs of scipy's
    k-d tree (``cKDTree.query_pairs``), which was the layout's only use of scipy:
    importing scipy took 0.3 s of every page of a graph above 500 entities.
    """
    n = len(points)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    cells = np.floor(points / radius).astype(np.int64)
    cells -= cells.min(axis=0)
    # A row per column of cells, with a spare cell at each end: a neighbour's key
    # never runs into the next column.
    height = int(cells[:, 1].max()) + 3
    keys = cells[:, 0] * height + cells[:, 1] + 1
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]  # the points' keys in cell order: the searches below go in order
    placed = points[order]
    positions = np.arange(n)
    found = []
    for dx, dy in _LATER_NEIGHBOURS:
        wanted = ordered + (dx * height + dy)
        first = np.searchsorted(ordered, wanted, "left")
        counts = np.searchsorted(ordered, wanted + 1, "left") - first
        total = int(counts.sum())
        if not total:
            continue
        # each point (p) with each point (q) of the neighbouring cell's run in cell order
        p = np.repeat(positions, counts)
        q = np.repeat(first - (np.cumsum(counts) - counts), counts) + np.arange(total)
        if (dx, dy) == (0, 0):
            kept = p < q
            p, q = p[kept], q[kept]
        delta = placed[p] - placed[q]
        near = np.einsum("ij,ij->i", delta, delta) <= radius * radius
        found.append(np.stack([order[p[near]], order[q[near]]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs: np.ndarray = np.sort(np.concatenate(found), axis=1)
    return pairs


def _pack(layouts: list[np.ndarray]) -> list[np.ndarray]:
    """Components in rows, largest first, in a block about as wide as it is high."""
    boxes = [(p.max(axis=0) - p.min(axis=0)) + GAP for p in layouts]
    area = sum(float(w * h) for w, h in boxes)
    width = max(max((float(w) for w, _ in boxes), default=0.0), float(np.sqrt(area)) * 1.3)
    placed: list[np.ndarray] = []
    x = y = row = 0.0
    for layout, (w, h) in zip(layouts, boxes, strict=True):
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        placed.append(layout - layout.min(axis=0) + (x, y))
        x, row = x + float(w), max(row, float(h))
    return placed
