"""Corpus builds at 1, 10 and 50 MB: speed per core, workers, memory, no-change rebuilds.

    .venv/bin/python benchmarks/corpus.py                     # writes benchmarks/corpus.md
    .venv/bin/python benchmarks/corpus.py --sizes 1 10 --workers 1 2

For each size, one run generates a synthetic corpus (the generator of
``throughput.py``: chronicle-office genres from sentence templates filled with
names from the gazetteer and lexicon, a fixed seed, no two files alike), then
measures, each build a fresh ``zhi-graph build`` process into an empty folder:

1. plain ``jieba.lcut`` over the same text, in this process, one core: the yardstick;
2. ``zhi-graph build --workers N`` for each N asked for (validated, as by default),
   in ``--repeat`` rounds alternating the worker counts, the fastest of each kept;
   jieba is timed again after every build, so that each build is compared with the
   mean of the jieba runs just before and just after it (the host's speed drifts
   within minutes: a build and a jieba run far apart in time may not see the same
   machine), and the best of those paired ratios is reported;
3. the same build again with nothing changed (served from ``OUT/.cache``);
4. the same build after one file was edited;
5. the first build again, into another empty folder, its memory sampled.

Memory is the peak of the build's whole process tree, summed as PSS
(proportional set size, from ``/proc/PID/smaps_rollup``), so pages that forked
workers share with their parent are counted once, sampled every 0.1 s.  It is
measured in a build of its own (5., the first build again into another empty
folder): reading smaps_rollup walks a process's page tables, about 4 ms for
each 600 MB process, which took a tenth of a core from the timed builds and,
with every core busy, slowed the 2-worker build by several per cent.

Before the builds, the package's modules are compiled to bytecode, as pip does
when it installs a package: an editable install is compiled as it is imported,
and a machine with ``PYTHONDONTWRITEBYTECODE`` set (as this one) would compile
it again in every build, 0.1–0.2 s of each no-change rebuild.

Each build's CPU time (user + system, of the build and every worker it ran,
from ``getrusage(RUSAGE_CHILDREN)``) is measured too, and jieba's in CPU time
of this process: on a machine shared with other jobs, wall-clock time grows
with their load but CPU time hardly does, so characters per CPU second and
their ratio to jieba's are the figures to compare between runs.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import jieba

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from throughput import PROSE_SHARE, SEED, documents, read_names  # noqa: E402

import zhi_graph  # noqa: E402
from zhi_graph.resources import package_root  # noqa: E402

ZHI_GRAPH = Path(sys.executable).with_name("zhi-graph")


def corpus_folder(work: Path, size_mb: float, seed: int, prose_share: float) -> Path:
    """Where the corpus of a size, seed and share of prose is kept (names-only corpora
    under the names they had before the generator wrote prose)."""
    prose = f"-prose{prose_share:g}" if prose_share else ""
    return work / f"corpus-{size_mb:g}mb-{seed}{prose}"


def write_corpus(
    folder: Path, size_mb: float, seed: int, prose_share: float = PROSE_SHARE
) -> tuple[int, int, int]:
    """Write the corpus once per folder; (files, bytes, characters)."""
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        names = read_names(package_root())
        for name, text in documents(names, int(size_mb * 1_000_000), seed, prose_share):
            (folder / name).write_text(text, encoding="utf-8")
        marker.touch()
    files = sorted(folder.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    return len(files), sum(len(t.encode()) for t in texts), sum(len(t) for t in texts)


def _tree(pid: int) -> list[int]:
    """The process and its descendants.  Threads and processes come and go while
    this walks /proc: one that has gone is skipped (``Path.glob`` raises for a
    folder that vanished, which once ended the sampler's thread early and
    reported a build's memory at 205 MiB instead of 430)."""
    found = [pid]
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += _tree(int(child))
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Run:
    seconds: float
    peak_mib: float
    output: str
    cpu_seconds: float = 0.0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_build(corpus: Path, out: Path, workers: int, *, sample_memory: bool = False) -> Run:
    command = [str(ZHI_GRAPH), "build", str(corpus), "-o", str(out), "--workers", str(workers)]
    started = time.perf_counter()
    cpu_before = children_cpu()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            # a process gone between two reads: the next sample counts
            with contextlib.suppress(OSError, ValueError):
                peak = max(peak, sum(_pss_kib(pid) for pid in _tree(process.pid)))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    cpu = children_cpu() - cpu_before
    stop.set()
    if sample_memory:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}):\n{output}")
    return Run(seconds, peak / 1024, output.strip().splitlines()[0] if output else "", cpu)


def jieba_rate(corpus: Path) -> tuple[float, float, int]:
    """Characters per second of ``jieba.lcut``: wall-clock and CPU time."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    started, cpu_started = time.perf_counter(), time.process_time()
    for text in texts:
        tokenizer.lcut(text)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    characters = sum(len(t) for t in texts)
    return characters / seconds, characters / cpu, characters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 50])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--workers-for-largest",
        type=int,
        nargs="*",
        default=None,
        help="worker counts for the largest size only (default: the same as --workers)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="rounds of first builds (and of jieba): the fastest of each is reported",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--prose-share",
        type=float,
        default=PROSE_SHARE,
        help="share of the genre's connecting prose among the sentences (throughput.PROSE; "
        "0: names only, the corpus of the reports before 2026-11-26)",
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zhi-corpus")
    parser.add_argument("--report", type=Path, default=HERE / "corpus.md")
    args = parser.parse_args(argv)

    compileall.compile_dir(Path(zhi_graph.__file__).parent, quiet=1)
    rows = []
    notes = []
    largest = max(args.sizes)
    for size in args.sizes:
        corpus = corpus_folder(args.work, size, args.seed, args.prose_share)
        files, _size_bytes, characters = write_corpus(corpus, size, args.seed, args.prose_share)
        jieba_cps, jieba_cpu_cps, _ = jieba_rate(corpus)
        print(
            f"{size:g} MB: {files} files, {characters:,} characters; "
            f"jieba {jieba_cps:,.0f}/s, {jieba_cpu_cps:,.0f}/CPU s; load {os.getloadavg()[0]:.1f}"
        )
        counts = args.workers
        if size == largest and args.workers_for_largest is not None:
            counts = args.workers_for_largest
        # The first builds, and jieba, are timed in rounds (1, 2, 1, 2 … workers) and the
        # fastest of each is kept: the host's speed drifts by several per cent within
        # minutes, and one build of each would put that drift into their ratio.
        firsts: dict[int, list[Run]] = {workers: [] for workers in counts}
        # each first build's ratios to the mean of the jieba runs around it: (wall, CPU)
        paired: dict[int, list[tuple[float, float]]] = {workers: [] for workers in counts}
        loads: dict[int, float] = {}
        before = (jieba_cps, jieba_cpu_cps)
        for _ in range(args.repeat):
            for workers in counts:
                out = args.work / f"out-{size:g}mb-{workers}w"
                shutil.rmtree(out, ignore_errors=True)
                loads.setdefault(workers, os.getloadavg()[0])
                run = run_build(corpus, out, workers)
                rate, cpu_rate, _ = jieba_rate(corpus)
                jieba_cps, jieba_cpu_cps = max(jieba_cps, rate), max(jieba_cpu_cps, cpu_rate)
                paired[workers].append(
                    (
                        characters / run.seconds / workers / ((before[0] + rate) / 2),
                        characters / run.cpu_seconds / ((before[1] + cpu_rate) / 2),
                    )
                )
                before = (rate, cpu_rate)
                firsts[workers].append(run)
        single: float | None = None
        for workers in counts:
            out = args.work / f"out-{size:g}mb-{workers}w"  # the last first build's
            load = loads[workers]
            first = min(firsts[workers], key=lambda run: run.seconds)
            again = run_build(corpus, out, workers)
            edited = sorted(corpus.glob("*.txt"))[files // 2]
            original = edited.read_bytes()
            edited.write_bytes(original + "\n四川省地方志办公室召开年鉴工作会议。\n".encode())
            try:
                changed = run_build(corpus, out, workers)
            finally:
                edited.write_bytes(original)
            shutil.rmtree(out, ignore_errors=True)
            memory = run_build(corpus, out, workers, sample_memory=True)
            per_core = characters / first.seconds / workers
            per_cpu = characters / first.cpu_seconds
            if workers == counts[0] == 1:
                single = first.seconds
            speedup = "—"
            if single and workers > 1:
                # Each round's own ratio too: its two builds ran minutes apart at most,
                # while the fastest of each may come from two phases of the host.
                rounds = ", ".join(
                    f"{one.seconds / many.seconds:.2f}"
                    for one, many in zip(firsts[counts[0]], firsts[workers], strict=True)
                )
                speedup = f"{single / first.seconds:.2f}× ({rounds})"
            each = ", ".join(f"{run.seconds:.1f}" for run in firsts[workers])
            wall_ratios = ", ".join(f"{wall:.3f}" for wall, _ in paired[workers])
            cpu_ratios = ", ".join(f"{cpu:.3f}" for _, cpu in paired[workers])
            best_wall = max(wall for wall, _ in paired[workers])
            best_cpu = max(cpu for _, cpu in paired[workers])
            rows.append(
                f"| {size:g} MB | {files:,} | {characters:,} | {workers} | {first.seconds:.1f} "
                f"({each}) | {per_core:,.0f} | {best_wall:.3f} ({wall_ratios}) | {speedup} "
                f"| {memory.peak_mib:,.0f} "
                f"| {again.seconds:.2f} ({again.seconds / first.seconds:.1%}) "
                f"| {changed.seconds:.1f} | {first.cpu_seconds:.1f} | {per_cpu:,.0f} "
                f"| {best_cpu:.3f} ({cpu_ratios}) | {load:.1f} |"
            )
            print(rows[-1], flush=True)
            notes.append(f"- {size:g} MB, {workers} worker(s): `{first.output}`")
            shutil.rmtree(out, ignore_errors=True)
        rows.append(
            f"| | | | jieba | | {jieba_cps:,.0f} | 1.000 | | | | "
            f"| | {jieba_cpu_cps:,.0f} | 1.000 | |"
        )

    machine = (
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, seed {args.seed}, prose share {args.prose_share:g}"
    )
    report = "\n".join(
        [
            "# Corpus builds",
            "",
            f"`benchmarks/corpus.py {' '.join(argv or sys.argv[1:])}`. {machine}.",
            "Each build is a fresh `zhi-graph build` process (validated) into an empty folder;",
            "first builds are timed in rounds alternating the worker counts, the fastest of",
            "each is used; characters/s per core = characters ÷ wall-clock seconds ÷ workers.",
            "The speed-up is the fastest one-worker build over the fastest of N workers, and",
            "in brackets each round's (its one-worker build over its N-worker build, run",
            "one after the other).",
            "The ratio is to plain `jieba.lcut` on the same text in the same run (one core),",
            "timed before and after every build: each build is compared with the mean of the",
            "two jieba runs around it, the best of the rounds is shown (each round's in",
            "brackets); the jieba row gives jieba's fastest run.",
            "CPU s is the first build's CPU time, all its processes; characters per CPU s",
            "and its ratio to jieba's (also in CPU time) hardly depend on the machine's load",
            "(load: the 1-minute load average when the build started).",
            "",
            "| corpus | files | characters | workers | first build s (each round) "
            "| characters/s per core "
            "| ratio to jieba | speed-up vs 1 worker | peak memory MiB (PSS, all processes) "
            "| no-change rebuild s (share of first) | rebuild after one edit s "
            "| CPU s | characters per CPU s | ratio to jieba (CPU) | load |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            "First lines of each build's summary:",
            "",
            *notes,
            "",
        ]
    )
    args.report.write_text(report, encoding="utf-8")
    print(f"wrote {args.report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
