"""Research questions through ``zhi-graph serve`` over HTTP, on the 1M-triple synthetic graph.

    .venv/bin/python benchmarks/serve_latency.py              # -> benchmarks/serve_latency.md
    .venv/bin/python benchmarks/serve_latency.py --triples 200000 --runs 3

``sparql.py`` times Oxigraph in process; this is what a researcher sees: the
synthetic graph of ``synthetic_graph.py`` (the same seed as ``sparql.py``) is
loaded once into an on-disk store, ``zhi-graph serve --store`` is started on a
free loopback port, and every question of ``queries/`` is sent as a
``POST application/sparql-query`` asking for results JSON (Turtle for
CONSTRUCT), one warm-up and then ``--runs`` timed requests, each over a new
connection. Reported per question: median and slowest latency, rows, and
the target (one entity, region or award: under 100 ms; whole-graph: under
1 s), with the kind of each question taken from ``sparql.py``.

``--in-memory`` serves with ``zhi-graph serve --in-memory`` (every worker
holds the graph in memory). ``--rdflib-cap SECONDS`` then also runs every
question through rdflib's own engine on the very same quads (an N-Quads
dump of the store, as ``sparql.py`` does, each run in a forked child stopped
after that many seconds), once the server has stopped, and reports the
ratio of rdflib's median to the endpoint's: the issue asks for at least 20x.

    .venv/bin/python benchmarks/serve_latency.py --in-memory --rdflib-cap 60
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sparql import ONE_THING, rdflib_worker  # noqa: E402
from synthetic_graph import write_synthetic  # noqa: E402

from zhi_graph.sparql import bundled_queries  # noqa: E402
from zhi_graph.store import open_read_only, open_store  # noqa: E402
from zhi_graph.workers import allocator_library  # noqa: E402

ZHI_GRAPH = Path(sys.executable).with_name("zhi-graph")


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them outside comment lines."""
    text = "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))
    found = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.IGNORECASE)
    return found.group(1).upper() if found else "SELECT"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ask(port: int, sparql: str, accept: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(
            "POST",
            "/sparql",
            body=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, body, time.perf_counter() - started


def rows_of(body: bytes, accept: str) -> int:
    if "json" in accept:
        data = json.loads(body)
        return len(data["results"]["bindings"]) if "results" in data else 1
    return body.count(b" .\n")


def wait_until_up(port: int, process: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"zhi-graph serve exited with {process.returncode}")
        try:
            status, _, _ = ask(port, "ASK {}", "application/sparql-results+json")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("zhi-graph serve did not answer in time")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "zhi-serve-bench"
    )
    parser.add_argument("--results", type=Path, default=HERE / "serve_latency.md")
    parser.add_argument("--in-memory", action="store_true", help="serve --in-memory")
    parser.add_argument(
        "--rdflib-cap", type=float, default=0, help="also time rdflib, runs stopped at this"
    )
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    graph = args.work / f"synthetic-{args.triples}-{args.seed}.trig"
    if not graph.exists():
        write_synthetic(graph, args.triples, args.seed)
    store_dir = args.work / f"store-{args.triples}-{args.seed}"
    loaded = time.perf_counter()
    store = open_store(graph, store_dir=store_dir)
    quads = len(store)
    del store
    load_seconds = time.perf_counter() - loaded

    port = free_port()
    command = [
        str(ZHI_GRAPH),
        "serve",
        "--store",
        str(store_dir),
        "--port",
        str(port),
        "--workers",
        str(args.workers),
        "--timeout",
        "120",
        "--max-rows",
        "1000000",
        *(["--in-memory", "--max-memory", "0"] if args.in_memory else []),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    load_before = os.getloadavg()[0]
    rows: list[tuple[str, bool, int, float, float]] = []
    try:
        started = time.perf_counter()
        wait_until_up(port, server, 600)
        startup_seconds = time.perf_counter() - started
        for question in bundled_queries():
            is_graph = query_form(question.sparql) in ("CONSTRUCT", "DESCRIBE")
            accept = "text/turtle" if is_graph else "application/sparql-results+json"
            status, body, _ = ask(port, question.sparql, accept)  # warm-up
            times = []
            for _ in range(args.runs):
                status, body, seconds = ask(port, question.sparql, accept)
                if status != 200:
                    raise SystemExit(f"{question.name}: HTTP {status}: {body[:200]!r}")
                times.append(seconds)
            median = statistics.median(times)
            one = question.name in ONE_THING
            rows.append((question.name, one, rows_of(body, accept), median, max(times)))
            print(question.name, f"{median * 1000:,.1f} ms", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)

    rdflib: dict[str, dict[str, object]] = {}
    if args.rdflib_cap:
        dump = args.work / f"store-{args.triples}-{args.seed}.nq"
        open_read_only(store_dir).dump(dump, format=ox.RdfFormat.N_QUADS)
        rdflib = rdflib_worker(dump, [], args.rdflib_cap)["queries"]
        dump.unlink()

    lines = []
    misses = 0
    slower = 0
    for name, one, count, median, slowest in rows:
        limit = 0.1 if one else 1.0
        ok = median < limit
        misses += not ok
        line = (
            f"| `{name}` | {'one thing' if one else 'whole graph'} "
            f"| {count:,} | {median * 1000:,.1f} ms | {slowest * 1000:,.1f} ms "
            f"| {'✓' if ok else '✗'} < {limit * 1000:,.0f} ms |"
        )
        if rdflib:
            theirs = rdflib[name]
            times = theirs["times"]
            assert isinstance(times, list)
            if theirs["status"] == "timeout":
                ratio = args.rdflib_cap / median
                line += f" > {args.rdflib_cap:.0f} s | > {ratio:,.0f}× | ✓ |"
            else:
                their_median = statistics.median(times)
                ratio = their_median / median
                slower += ratio < 20
                line += (
                    f" {their_median * 1000:,.0f} ms | {ratio:,.0f}× "
                    f"| {'✓' if ratio >= 20 else '✗'} |"
                )
        lines.append(line)

    report = [
        "# Research questions through `zhi-graph serve`",
        "",
        f"`benchmarks/serve_latency.py --triples {args.triples} --runs {args.runs}`; "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end.",
        "",
        f"Synthetic graph: {args.triples:,} triples (`synthetic_graph.py`, seed {args.seed}), "
        f"{quads:,} quads in the store with the merged default graph, the ontology and the "
        f"materialised types; loading the on-disk store took {load_seconds:.1f} s "
        "(0 s when reopened). Server: "
        f"`zhi-graph serve --store DIR --workers {args.workers}"
        f"{' --in-memory' if args.in_memory else ''}`, answering {startup_seconds:.1f} s "
        "after it was started, its workers' memory allocator "
        f"{'mimalloc' if allocator_library() else 'glibc'} with huge pages "
        "(`workers.py`). Each request: POST "
        "`application/sparql-query` on a new connection, results JSON (Turtle for "
        f"CONSTRUCT), one warm-up then {args.runs} timed; latency is the client's wall "
        "clock, request to last byte."
        + (
            f" rdflib: its own engine in process on the same quads, median of up to 3 runs "
            f"(1 when a run takes over 10 s), each stopped at {args.rdflib_cap:.0f} s; "
            "the ratio is rdflib's median over the endpoint's."
            if rdflib
            else ""
        ),
        "",
        "| question | kind | rows | median | slowest | target |"
        + (" rdflib | ratio | ≥ 20× |" if rdflib else ""),
        "|---|---|---:|---:|---:|---|" + ("---:|---:|---|" if rdflib else ""),
        *lines,
        "",
        f"{len(lines) - misses} of {len(lines)} questions meet their latency target"
        + (f"; {len(lines) - slower} of {len(lines)} are at least 20× rdflib." if rdflib else "."),
        "",
    ]
    args.results.write_text("\n".join(report), encoding="utf-8")
    print(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
