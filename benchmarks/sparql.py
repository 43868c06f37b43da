"""Oxigraph (through ``zhi_graph.store.GraphStore``) against rdflib's SPARQL engine (run by hand).

    .venv/bin/python benchmarks/sparql.py                      # sample + 1M synthetic -> sparql.md
    .venv/bin/python benchmarks/sparql.py --triples 200000     # smaller synthetic graph
    .venv/bin/python benchmarks/sparql.py --cap 120 --only yearbook_awards,award_evidence

For each graph (the bundled sample, built afresh; a synthetic graph from
``benchmarks/synthetic_graph.py`` of ``--triples`` triples) and each engine,
a fresh worker process:

1. loads the graph, timed: Oxigraph through ``zhi_graph.store.open_store``
   (parse the TriG, add the ontology graph, materialise the RDFS types);
   rdflib parses the very same quads (an N-Quads dump of the loaded Oxigraph
   store, so both engines hold identical data) into a ``Dataset`` whose
   default graph is the union of the named graphs;
2. runs every question of ``queries/`` with the predeclared prefixes, each
   result read to the end: Oxigraph once to warm up, then ``--runs`` times;
   rdflib in a forked child per run (so that a run can be stopped), up to 3
   runs, one when the first takes more than 10 s, stopped at ``--cap``
   seconds ("> cap");
3. reports its peak resident memory (Linux ``VmHWM``): after loading, and
   the highest of the query runs.

Both engines must give the same number of rows (triples for CONSTRUCT) or
the table says "rows differ". The questions about one entity, region or
award should answer in under 100 ms on 1M triples, whole-graph aggregates in
under 1 s, each at least 20x faster than rdflib. Results go to
``benchmarks/sparql.md`` (``--results FILE``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

#: Questions about one entity, region or award (target < 100 ms); the others are
#: whole-graph aggregates or listings (target < 1 s).
ONE_THING = {
    "award_evidence",
    "region_subgraph",
    "institution_relations",
    "chengdu_national_yearbook_award",
}
ENTITY_TARGET = 0.1
AGGREGATE_TARGET = 1.0
RATIO_TARGET = 20.0


def peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


# --- workers: one process per (graph, engine) -------------------------------------


def _queries(only: list[str]) -> list[tuple[str, str]]:
    from zhi_graph.sparql import bundled_queries

    return [(q.name, q.sparql) for q in bundled_queries() if not only or q.name in only]


def oxigraph_worker(graph: Path, only: list[str], runs: int, dump: Path | None) -> dict[str, Any]:
    import pyoxigraph as ox

    from zhi_graph.store import open_store

    reset_peak()
    started = time.perf_counter()
    store = open_store(graph)
    load = time.perf_counter() - started
    load_peak = peak_mb()
    quads = len(store)
    if dump is not None:
        store.store.dump(dump, format=ox.RdfFormat.N_QUADS)
    results: dict[str, Any] = {}
    for name, sparql in _queries(only):

        def once(sparql: str = sparql) -> int:
            result = store.query(sparql)
            if isinstance(result, ox.QueryBoolean):
                return int(bool(result))
            return sum(1 for _ in result)

        rows = once()
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            once()
            times.append(time.perf_counter() - t)
        results[name] = {"times": times, "rows": rows, "status": "ok"}
    return {"load": load, "quads": quads, "load_peak": load_peak, "peak": peak_mb(), "queries": results}


def rdflib_worker(nquads: Path, only: list[str], cap: float) -> dict[str, Any]:
    from rdflib import Dataset

    from zhi_graph.store import QUERY_PREFIXES

    reset_peak()
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    load = time.perf_counter() - started
    load_peak = peak_mb()
    quads = len(dataset)
    results: dict[str, Any] = {}
    query_peak = load_peak
    for name, sparql in _queries(only):
        times: list[float] = []
        rows = -1
        status = "ok"
        for _ in range(3):
            outcome = _forked_run(dataset, sparql, QUERY_PREFIXES, cap)
            if outcome is None:
                status = "timeout"
                break
            seconds, rows, child_peak = outcome
            query_peak = max(query_peak, child_peak)
            times.append(seconds)
            if seconds > 10:
                break
        results[name] = {"times": times, "rows": rows, "status": status}
        print(f"  rdflib {name}: {status} {times}", file=sys.stderr, flush=True)
    return {"load": load, "quads": quads, "load_peak": load_peak, "peak": query_peak, "queries": results}


def _forked_run(
    dataset: Any, sparql: str, prefixes: dict[str, str], cap: float
) -> tuple[float, int, float] | None:
    """One timed run in a forked child; None when it outlives ``cap`` seconds."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        code = 0
        try:
            reset_peak()
            t = time.perf_counter()
            result = dataset.query(sparql, initNs=prefixes)
            if result.type == "ASK":
                rows = int(bool(result.askAnswer))
            else:
                rows = sum(1 for _ in result)
            seconds = time.perf_counter() - t
            os.write(write, json.dumps([seconds, rows, peak_mb()]).encode())
        except BaseException as exc:  # report, never return into the parent's code
            os.write(write, json.dumps({"error": repr(exc)}).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    deadline = time.monotonic() + cap
    while True:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
            return None
        time.sleep(0.02)
    with os.fdopen(read, "rb") as stream:
        data = json.loads(stream.read() or b'{"error": "no output"}')
    if isinstance(data, dict):
        raise RuntimeError(f"rdflib failed: {data['error']}")
    return float(data[0]), int(data[1]), float(data[2])


# --- driver ------------------------------------------------------------------------


@dataclass
class Measured:
    graph: str
    triples: int
    oxigraph: dict[str, Any]
    rdflib: dict[str, Any] | None


def run_worker(args: list[str]) -> dict[str, Any]:
    process = subprocess.run(
        [sys.executable, __file__, "--worker", *args], stdout=subprocess.PIPE, check=True
    )
    result: dict[str, Any] = json.loads(process.stdout)
    return result


def measure(name: str, graph: Path, options: argparse.Namespace, folder: Path) -> Measured:
    only = ",".join(options.only)
    dump = folder / f"{name}.nq"
    print(f"[{name}] Oxigraph", file=sys.stderr, flush=True)
    ox = run_worker(
        ["oxigraph", str(graph), "--only", only, "--runs", str(options.runs), "--dump", str(dump)]
    )
    rd = None
    if not options.skip_rdflib:
        print(f"[{name}] rdflib", file=sys.stderr, flush=True)
        rd = run_worker(["rdflib", str(dump), "--only", only, "--cap", str(options.cap)])
    dump.unlink(missing_ok=True)
    return Measured(name, ox["quads"], ox, rd)


def ms(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:,.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"


def table(measured: Measured, cap: float) -> list[str]:
    ox, rd = measured.oxigraph, measured.rdflib
    lines = [
        f"### {measured.graph}: {measured.triples:,} quads loaded (with the ontology graph and "
        "materialised types)",
        "",
        "| | Oxigraph | rdflib | rdflib / Oxigraph |",
        "|---|---:|---:|---:|",
    ]
    if rd is not None:
        lines.append(
            f"| load | {ms(ox['load'])} | {ms(rd['load'])} | {rd['load'] / ox['load']:.1f}× |"
        )
        lines.append(
            f"| peak memory after load | {ox['load_peak']:,.0f} MB | {rd['load_peak']:,.0f} MB "
            f"| {rd['load_peak'] / ox['load_peak']:.1f}× |"
        )
        lines.append(
            f"| peak memory while querying | {ox['peak']:,.0f} MB | {rd['peak']:,.0f} MB "
            f"| {rd['peak'] / ox['peak']:.1f}× |"
        )
    else:
        lines.append(f"| load | {ms(ox['load'])} | – | |")
        lines.append(f"| peak memory | {ox['peak']:,.0f} MB | – | |")
    lines += [
        "",
        "| question | kind | rows | Oxigraph median | target | rdflib median | ratio | ≥ 20× |",
        "|---|---|---:|---:|---|---:|---:|---|",
    ]
    for name, o in ox["queries"].items():
        median = statistics.median(o["times"])
        one = name in ONE_THING
        target = ENTITY_TARGET if one else AGGREGATE_TARGET
        meets = "✓" if median < target else "✗"
        kind = "one thing" if one else "whole graph"
        rd_cell, ratio, fast = "–", "–", "–"
        if rd is not None:
            r = rd["queries"][name]
            if r["status"] == "timeout":
                rd_cell = f"> {cap:.0f} s"
                ratio = f"> {cap / median:,.0f}×"
                fast = "✓"
            else:
                rd_median = statistics.median(r["times"])
                rd_cell = ms(rd_median)
                ratio = f"{rd_median / median:,.0f}×"
                fast = "✓" if rd_median / median >= RATIO_TARGET else "✗"
                if r["rows"] != o["rows"]:
                    rd_cell += f" (rows differ: {r['rows']})"
        lines.append(
            f"| `{name}` | {kind} | {o['rows']:,} | {ms(median)} | {meets} < {ms(target)} "
            f"| {rd_cell} | {ratio} | {fast} |"
        )
    return lines


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import pyoxigraph
    import rdflib

    load = os.getloadavg()
    return [
        f"- machine: {cpu}, {os.cpu_count()} logical CPUs{memory}, {platform.platform()}",
        f"- load average when the run started: {load[0]:.1f} (other jobs shared the CPUs)",
        f"- Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
        f"rdflib {rdflib.__version__}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "GRAPH"))
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5, help="timed Oxigraph runs per question")
    parser.add_argument("--cap", type=float, default=300, help="seconds per rdflib run")
    parser.add_argument("--only", type=lambda s: [x for x in s.split(",") if x], default=[])
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--results", type=Path, default=HERE / "sparql.md")
    options = parser.parse_args(argv)

    if options.worker:
        engine, graph = options.worker
        if engine == "oxigraph":
            out = oxigraph_worker(Path(graph), options.only, options.runs, options.dump)
        else:
            out = rdflib_worker(Path(graph), options.only, options.cap)
        print(json.dumps(out))
        return 0

    from synthetic_graph import write_synthetic

    from zhi_graph.pipeline import build

    header = machine()
    started = time.perf_counter()
    sections: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not options.skip_sample:
            build([ROOT / "data" / "corpus"], folder / "sample", validate=False)
            sections += table(
                measure("sample", folder / "sample" / "graph.trig", options, folder), options.cap
            )
            sections.append("")
        synthetic = folder / "synthetic.trig"
        stats = write_synthetic(synthetic, options.triples, options.seed)
        print(
            f"synthetic: {stats.triples:,} triples, {stats.documents} documents, "
            f"{stats.entities:,} entities, {stats.conferrals:,} conferrals",
            file=sys.stderr,
        )
        header.append(
            f"- synthetic graph (`write_synthetic(path, {options.triples:,}, seed={options.seed})`): "
            f"{stats.triples:,} triples in {stats.documents} document graphs, "
            f"{stats.entities:,} entities, {stats.conferrals:,} award conferrals"
        )
        sections += table(measure("synthetic", synthetic, options, folder), options.cap)
    command = " ".join(["benchmarks/sparql.py", *(argv if argv is not None else sys.argv[1:])])
    text = "\n".join(
        [
            "# SPARQL: Oxigraph against rdflib",
            "",
            f"`.venv/bin/python {command.strip()}` (see the docstring of `benchmarks/sparql.py`), "
            f"{time.perf_counter() - started:,.0f} s in all.",
            "",
            *header,
            f"- Oxigraph: median of {options.runs} runs after one warm-up; rdflib: median of up "
            f"to 3 runs (1 when a run takes over 10 s), each stopped at {options.cap:.0f} s",
            "",
            *sections,
            "",
        ]
    )
    options.results.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
