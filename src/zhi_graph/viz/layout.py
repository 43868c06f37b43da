"""Node positions for graphs too large for the browser's physics to settle.

A Fruchterman–Reingold force layout in which repulsion acts only between nodes
closer than three ideal edge lengths (the grid variant of the original paper),
found with a k-d tree: each step costs about O(n log n) instead of O(n²).
networkx's ``spring_layout`` computes every pair: measured here it took 4.7 s
for 1,000 nodes, 21 s for 3,000 and 329 s for 10,000; this takes a few
seconds for 10,000 nodes and 30,000 edges (see benchmarks/viz.md).  A weak
pull to the centre keeps separate components together.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
from scipy.spatial import cKDTree

EDGE_LENGTH = 90.0  # ideal edge length, in page pixels
REPULSION = 6.0
ATTRACTION = 0.2
RADIUS = 1.5
GRAVITY = 0.3


def force_layout(
    nodes: Sequence[Hashable],
    edges: Sequence[tuple[Hashable, Hashable]],
    *,
    iterations: int | None = None,
    seed: int = 7,
) -> dict[Hashable, tuple[float, float]]:
    """Positions in pixels, centred on (0, 0); the same input always gives the same output.

    ``iterations`` defaults to 120, and to 60 above 2,000 nodes (each step then costs
    tens of milliseconds, and an overview of that size needs no finer placement).
    """
    n = len(nodes)
    if n == 0:
        return {}
    if iterations is None:
        iterations = 120 if n <= 2000 else 60
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array(
        sorted({(index[u], index[v]) for u, v in edges if u != v}) or [(0, 0)], dtype=np.int64
    ).reshape(-1, 2)
    u, v = pairs[:, 0], pairs[:, 1]
    k = 1.0
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-0.5, 0.5, size=(n, 2)) * np.sqrt(n) * k
    temperature = 0.1 * np.sqrt(n) * k
    cooling = (0.01 / 0.1) ** (1.0 / iterations)
    gravity = GRAVITY / np.sqrt(n)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        close = cKDTree(pos).query_pairs(r=RADIUS * k, output_type="ndarray")
        if len(close):
            a, b = close[:, 0], close[:, 1]
            delta = pos[a] - pos[b]
            dist2 = np.maximum((delta**2).sum(axis=1), 1e-4)
            push = delta * (REPULSION * k * k / dist2)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(a, push[:, axis], minlength=n)
                disp[:, axis] -= np.bincount(b, push[:, axis], minlength=n)
        delta = pos[u] - pos[v]
        pull = delta * ATTRACTION
        for axis in (0, 1):
            disp[:, axis] -= np.bincount(u, pull[:, axis], minlength=n)
            disp[:, axis] += np.bincount(v, pull[:, axis], minlength=n)
        disp -= gravity * pos
        length = np.sqrt(np.maximum((disp**2).sum(axis=1), 1e-12))
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    pos -= pos.mean(axis=0)
    pos *= EDGE_LENGTH / k
    return {
        node: (round(float(x), 1), round(float(y), 1))
        for node, (x, y) in zip(nodes, pos, strict=True)
    }
