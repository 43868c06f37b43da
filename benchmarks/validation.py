"""How long ``zhi_graph.validate.check`` takes on large graphs (run by hand).

    .venv/bin/python benchmarks/validation.py                     # 64 documents -> validation.md
    .venv/bin/python benchmarks/validation.py --baseline 2ff60c0  # and that revision's check
    .venv/bin/python benchmarks/validation.py --corpus copies synthetic --size-mb 3

Corpora (``--corpus``, one or both, each in a section of the results):

``copies``
    the four real documents of the repository (``data/corpus/*.txt`` and
    ``tests/cases/*/input.txt``), each copied ``--copies`` times under
    distinct file names, every copy ending in a line of its own so that no
    two files have the same bytes (and so the same document IRI).  Copies
    share their entities: the graph is mention- and statement-heavy.
``synthetic``
    the briefings, news digests and award lists ``benchmarks/throughput.py``
    generates (``--size-mb``, fixed ``--seed``), whose names vary: many more
    entities, as in a real corpus.

Each document is extracted with ``zhi_graph.pipeline.extract_document`` and
turned into triples with ``zhi_graph.rdf.dataset.document_triples``; the triples
of every document make the large graph, those of the first
``--full-documents`` a small one.  Then, in this order:

1. ``check(large)`` (``fast=True``, best of ``--repeat`` runs);
2. ``check(small)`` (best of ``--repeat``) and ``check(small, fast=False)`` (pySHACL);
3. with ``--baseline REV``: the same calls to ``check`` as it was at git
   revision ``REV`` (``src/zhi_graph/validate.py`` and ``ontology/shapes.ttl``
   read with ``git show``), once each: they are slow.

Every call must find the same violations as the fast check of this tree (none,
for graphs the pipeline built), or the run stops.  The tables go to
``benchmarks/validation.md`` (``--results FILE`` to write elsewhere).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pyoxigraph
import pyshacl
import rdflib
from rdflib import Graph

from zhi_graph.load import load
from zhi_graph.pipeline import extract_document
from zhi_graph.rdf.dataset import bind_prefixes, document_triples
from zhi_graph.resources import load_resources
from zhi_graph.validate import check
from zhi_graph.violation import Violation

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

Check = Callable[..., list[Violation]]


# --------------------------------------------------------------------------- corpus


def sources() -> list[tuple[str, bytes]]:
    """(name, bytes) of the repository's real documents."""
    found = [(p.stem, p.read_bytes()) for p in sorted((ROOT / "data" / "corpus").glob("*.txt"))]
    found += [
        (p.parent.name, p.read_bytes())
        for p in sorted((ROOT / "tests" / "cases").glob("*/input.txt"))
    ]
    return found


def write_copies(folder: Path, copies: int) -> list[Path]:
    originals = sources()
    paths: list[Path] = []
    for n in range(copies):
        for name, data in originals:
            path = folder / f"{len(paths):04d}_{name}.txt"
            path.write_bytes(data + f"\n（副本 {n + 1}）\n".encode())
            paths.append(path)
    return paths


def write_synthetic(folder: Path, size_mb: float, seed: int) -> list[Path]:
    sys.path.insert(0, str(HERE))
    from throughput import documents, read_names

    paths = []
    for name, text in documents(read_names(ROOT), int(size_mb * 1_000_000), seed):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def graph_of(triples: list[list[tuple[rdflib.URIRef, rdflib.URIRef, rdflib.term.Node]]]) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    graph.addN((s, p, o, graph) for doc in triples for s, p, o in doc)
    return graph


# --------------------------------------------------------------------------- baseline


def baseline(revision: str, work: Path) -> Check:
    """``check`` as it is at ``revision``, with that revision's shapes."""

    def show(path: str) -> str:
        return subprocess.run(
            ["git", "show", f"{revision}:{path}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    shapes = work / "baseline-shapes.ttl"
    shapes.write_text(show("ontology/shapes.ttl"), encoding="utf-8")
    spec = importlib.util.spec_from_loader("zhi_graph._baseline_validate", loader=None)
    assert spec is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    module.__package__ = "zhi_graph"  # its relative imports resolve to today's package
    sys.modules[spec.name] = module  # dataclasses look their module up there
    exec(
        compile(show("src/zhi_graph/validate.py"), f"{revision}:validate.py", "exec"), vars(module)
    )
    old_check: Check = module.check

    def run(graph: Graph, *, fast: bool = True) -> list[Violation]:
        return old_check(graph, fast=fast, shapes=shapes)

    return run


# --------------------------------------------------------------------------- measuring


@dataclass
class Row:
    graph: str
    triples: int
    validator: str
    mode: str
    seconds: float
    violations: int


@dataclass
class Section:
    corpus: str
    rows: list[Row]


def timed(work: Callable[[], list[Violation]], repeat: int = 1) -> tuple[float, list[Violation]]:
    best = float("inf")
    found: list[Violation] = []
    for _ in range(repeat):
        started = time.perf_counter()
        found = work()
        best = min(best, time.perf_counter() - started)
    return best, found


def run(args: argparse.Namespace, kind: str, work: Path, old: Check | None) -> Section:
    """Write one corpus to ``work``, build its graphs and time every check."""
    folder = work / kind
    folder.mkdir()
    if kind == "copies":
        paths = write_copies(folder, args.copies)
        corpus = f"{len(paths)} copies of the 4 real documents (`--copies {args.copies}`)"
    else:
        paths = write_synthetic(folder, args.size_mb, args.seed)
        corpus = f"{len(paths)} synthetic documents (`--size-mb {args.size_mb} --seed {args.seed}`)"
    corpus += f", {sum(p.stat().st_size for p in paths) / 1e6:.2f} MB"
    resources = load_resources()
    started = time.perf_counter()
    triples = [document_triples(extract_document(load(p), resources)) for p in paths]
    extraction = time.perf_counter() - started
    large = graph_of(triples)
    small = graph_of(triples[: args.full_documents])
    print(
        f"corpus: {corpus}; extracted in {extraction:.1f} s; "
        f"{len(large):,} triples, {len(small):,} in the small graph",
        file=sys.stderr,
    )

    section = Section(corpus, [])
    reference: dict[str, set[tuple[str, str, str]]] = {}

    def measure(
        name: str, graph: Graph, validator: str, mode: str, work: Callable[[], list[Violation]]
    ) -> None:
        seconds, found = timed(work, args.repeat if mode == "fast" and validator == "now" else 1)
        seen = {(v.focus, v.path, v.message) for v in found}
        if validator == "now" and mode == "fast":
            reference[name] = seen
        elif seen != reference[name]:
            raise SystemExit(
                f"{validator} {mode} on the {name} graph disagrees with the fast check"
            )
        section.rows.append(Row(name, len(graph), validator, mode, seconds, len(found)))
        print(f"{name:5} {validator:8} {mode:4} {seconds:8.2f} s", file=sys.stderr)

    measure("large", large, "now", "fast", lambda: check(large))
    measure("small", small, "now", "fast", lambda: check(small))
    measure("small", small, "now", "full", lambda: check(small, fast=False))
    if old is not None:
        measure("large", large, "baseline", "fast", lambda: old(large))
        measure("small", small, "baseline", "fast", lambda: old(small))
        measure("small", small, "baseline", "full", lambda: old(small, fast=False))
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", nargs="+", choices=("copies", "synthetic"), default=["copies"])
    parser.add_argument("--copies", type=int, default=16, help="copies of each real document")
    parser.add_argument("--size-mb", type=float, default=1.0, help="synthetic corpus size")
    parser.add_argument("--seed", type=int, default=20251125, help="synthetic corpus seed")
    parser.add_argument(
        "--full-documents", type=int, default=8, help="documents in the graph pySHACL checks"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each fast check (best)")
    parser.add_argument("--baseline", metavar="REV", help="also time check() at this git revision")
    parser.add_argument("--results", type=Path, default=HERE / "validation.md")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="zhi-validation-") as tmp:
        work = Path(tmp)
        old = baseline(args.baseline, work) if args.baseline else None
        sections = [run(args, kind, work, old) for kind in args.corpus]
    text = report(args, sections)
    args.results.write_text(text, encoding="utf-8")
    print(text)
    return 0


def seconds_of(rows: list[Row], graph: str, validator: str, mode: str) -> float | None:
    for row in rows:
        if (row.graph, row.validator, row.mode) == (graph, validator, mode):
            return row.seconds
    return None


def report(args: argparse.Namespace, sections: list[Section]) -> str:
    baseline_name = f"`{args.baseline}`" if args.baseline else "baseline"
    lines = [
        "# Validation speed",
        "",
        f"`{' '.join(['.venv/bin/python benchmarks/validation.py', *sys.argv[1:]])}`",
        "",
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, pySHACL {pyshacl.__version__}, rdflib {rdflib.__version__}, "
        f"pyoxigraph {pyoxigraph.__version__}. The small graph holds the first "
        f"{args.full_documents} documents of the corpus. Fast checks: best of {args.repeat} "
        "runs; the others run once. Every check found the same violations as the fast one.",
    ]
    for section in sections:
        lines += [
            "",
            f"## {section.corpus}",
            "",
            "| graph | triples | check | mode | seconds | violations |",
            "|---|---:|---|---|---:|---:|",
        ]
        for row in section.rows:
            validator = "this tree" if row.validator == "now" else baseline_name
            lines.append(
                f"| {row.graph} | {row.triples:,} | {validator} | {row.mode} | "
                f"{row.seconds:.2f} | {row.violations} |"
            )
        lines.append("")
        ratios = [
            ("large", "baseline", "fast", f"{baseline_name} fast / fast, large graph"),
            ("small", "baseline", "fast", f"{baseline_name} fast / fast, small graph"),
            ("small", "now", "full", "full (pySHACL) / fast, small graph"),
        ]
        for graph, validator, mode, what in ratios:
            slow = seconds_of(section.rows, graph, validator, mode)
            fast = seconds_of(section.rows, graph, "now", "fast")
            if slow is not None and fast:
                lines.append(f"- {what}: **{slow / fast:.1f}×**")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
