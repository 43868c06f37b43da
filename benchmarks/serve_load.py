"""Load test of ``zhi-graph serve`` on loopback (run by hand; bounded in time and clients).

    .venv/bin/python benchmarks/serve_load.py                 # 50 clients, 60 s -> serve_load.md
    .venv/bin/python benchmarks/serve_load.py --clients 20 --seconds 10 --out /tmp/load.md

The sample document is built into a temporary folder, and ``zhi-graph serve``
started on it as a subprocess on a free 127.0.0.1 port (``--timeout`` and
``--workers`` passed through).  Then ``--clients`` threads send requests for
``--seconds``, each over a new connection:

* one client sends only a slow query (a three-way cross product of the whole
  graph) that must hit the time limit and get 503;
* every seventh request of the others is malformed or refused (syntax errors,
  an update, a ``SERVICE`` call) and must get 400 or 403;
* the rest are research-question-like queries (one entity, one region, one
  award, whole-graph aggregates, a CONSTRUCT), cycling through them, each in
  one of the result formats, and must get 200.

Reported: requests and statuses per kind, latency percentiles of the valid
requests, the resident memory of the server and its worker processes before
the load (after a warm-up) and after it, and whether the server still answers.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "corpus" / "000_56e6aeb4e85b6bad.txt"
CLI = Path(sys.executable).parent / "zhi-graph"

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
VALID: list[tuple[str, str]] = [
    (
        "awards of one yearbook",
        "SELECT ?award ?label WHERE { ?book a zhi:Yearbook ; "
        "rdfs:label ?l ; zhi:receivedAward ?award . ?award rdfs:label ?label "
        'FILTER(CONTAINS(?l, "南充")) }',
    ),
    (
        "yearbooks and awards",
        "SELECT ?book ?award WHERE { ?book a zhi:Yearbook ; "
        "zhi:receivedAward ?award } ORDER BY ?book",
    ),
    (
        "entities per class",
        "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY DESC(?n)",
    ),
    (
        "in-degree top 10",
        "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?o)) } "
        "GROUP BY ?o ORDER BY DESC(?n) LIMIT 10",
    ),
    ("regions with a label", "SELECT ?r ?l WHERE { ?r a zhi:Region ; rdfs:label ?l } LIMIT 50"),
    ("publications", "ASK { ?x a zhi:Publication }"),
    (
        "around one region",
        "CONSTRUCT { ?r ?p ?o } WHERE { ?r a zhi:Region ; rdfs:label ?l ; "
        '?p ?o FILTER(CONTAINS(?l, "成都")) }',
    ),
    ("everything about awards", "SELECT ?a ?p ?o WHERE { ?a a zhi:Award ; ?p ?o } LIMIT 200"),
]
FORMATS = [
    "application/sparql-results+json",
    "text/csv",
    "application/sparql-results+xml",
    "text/tab-separated-values",
]
MALFORMED = [
    "SELECT ?x WHERE { ?x a ",
    "SELEKT * WHERE { ?s ?p ?o }",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT x",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request(port: int, query: str, accept: str, timeout: float = 120) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        body = urllib.parse.urlencode({"query": query})
        connection.request(
            "POST",
            "/sparql",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return -1
    finally:
        connection.close()


def tree_rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants (Linux /proc), in KiB."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        stack.extend(int(c) for c in children)
    return total


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's --timeout")
    parser.add_argument("--workers", type=int, default=2, help="the server's --workers")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "serve_load.md")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="zhi-serve-load-"))
    port = free_port()
    server: subprocess.Popen[str] | None = None
    try:
        subprocess.run(
            [str(CLI), "build", str(SAMPLE), "-o", str(work / "out")],
            check=True,
            capture_output=True,
        )
        log = (work / "server.log").open("w")
        server = subprocess.Popen(
            [
                str(CLI),
                "serve",
                str(work / "out"),
                "--port",
                str(port),
                "--timeout",
                str(args.timeout),
                "--workers",
                str(args.workers),
            ],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        assert server.stdout is not None
        print(server.stdout.readline().strip())
        for query in [q for _, q in VALID] * 3:  # warm-up
            assert request(port, query, FORMATS[0]) == 200
        rss_before = tree_rss_kib(server.pid)

        stop = time.monotonic() + args.seconds
        results: dict[str, list[tuple[int, float]]] = defaultdict(list)
        lock = threading.Lock()

        def client(n: int) -> None:
            i = n
            while time.monotonic() < stop:
                if n == 0:
                    kind, query, accept = "slow", SLOW, FORMATS[0]
                elif i % 7 == 0:
                    kind, query, accept = "malformed", MALFORMED[i % len(MALFORMED)], FORMATS[0]
                else:
                    _, query = VALID[i % len(VALID)]
                    kind = "valid"
                    accept = "text/turtle" if query.startswith("CONSTRUCT") else FORMATS[i % 4]
                t0 = time.monotonic()
                status = request(port, query, accept)
                with lock:
                    results[kind].append((status, time.monotonic() - t0))
                i += 1

        load_before = os.getloadavg()[0]
        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()[0]
        time.sleep(2)  # let a worker killed at the very end be replaced
        rss_after = tree_rss_kib(server.pid)
        still = request(port, VALID[2][1], FORMATS[0], timeout=30)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        shutil.rmtree(work, ignore_errors=True)

    valid = [s for _, s in results["valid"]]
    failed_valid = sum(1 for status, _ in results["valid"] if status != 200)
    lines = [
        "# `zhi-graph serve` under load",
        "",
        f"Command: `.venv/bin/python benchmarks/serve_load.py --clients {args.clients} "
        f"--seconds {args.seconds:g} --timeout {args.timeout:g} --workers {args.workers}`",
        "",
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s) shared with other jobs (load average {load_before:.1f} "
        f"before the clients started, {load_after:.1f} at the end). "
        "Server and clients on the same machine, over 127.0.0.1; a new connection per request.",
        "",
        "| kind | requests | statuses |",
        "|---|---:|---|",
    ]
    for kind in ("valid", "malformed", "slow"):
        statuses = Counter(status for status, _ in results[kind])
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
        lines.append(f"| {kind} | {len(results[kind])} | {shown} |")
    lines += [
        "",
        f"- Valid requests failed: **{failed_valid}** of {len(valid)} "
        f"({len(valid) / elapsed:.0f} valid requests/s over {elapsed:.1f} s).",
        f"- Latency of valid requests: p50 {statistics.median(valid) * 1000:.0f} ms, "
        f"p90 {percentile(valid, 0.9) * 1000:.0f} ms, p99 {percentile(valid, 0.99) * 1000:.0f} ms, "
        f"max {max(valid) * 1000:.0f} ms.",
        f"- Slow queries stopped at the time limit ({args.timeout:g} s): "
        f"{sum(1 for s, _ in results['slow'] if s == 503)} of {len(results['slow'])}, "
        f"median answer after {statistics.median(s for _, s in results['slow']):.2f} s.",
        f"- Resident memory of the server and its workers: {rss_before / 1024:.0f} MiB before, "
        f"{rss_after / 1024:.0f} MiB after.",
        f"- Still answering after the test: {'yes' if still == 200 else f'no ({still})'}.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    if failed_valid or still != 200:
        sys.exit(1)


if __name__ == "__main__":
    main()
