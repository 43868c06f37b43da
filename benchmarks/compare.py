"""Two versions of zhi-graph side by side: one-corpus builds, alternated (run by hand).

    .venv/bin/python benchmarks/compare.py 38f3356      # that commit against the working tree
    .venv/bin/python benchmarks/compare.py 38f3356 HEAD --size 50 --workers 2 --rounds 4

The host's speed drifts by 10-30% within minutes, more than most single
changes are worth, so a change is measured against the version before it in
the same minutes: builds of the two alternate (A, B, A, B ...), each a fresh
``zhi-graph build`` process into an empty folder, and each pair's difference
is reported with the median of the differences.  Each version other than the
working tree is checked out into a temporary git worktree and imported from
there (``PYTHONPATH`` comes before the editable install); both are compiled to
bytecode first, so that neither compiles modules during its builds.  The
corpus is ``corpus.py``'s synthetic corpus of the size asked for.  At the end
the two versions' graph files are compared byte for byte.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import ZHI_GRAPH, children_cpu, corpus_folder, write_corpus  # noqa: E402
from throughput import PROSE_SHARE, SEED  # noqa: E402

GRAPH_FILES = ("graph.ttl", "graph.trig")


@contextlib.contextmanager
def checked_out(revision: str | None, scratch: Path) -> Iterator[Path]:
    """The source folder of ``revision`` (None: the working tree's own)."""
    if revision is None:
        yield REPOSITORY / "src"
        return
    tree = scratch / f"tree-{revision.replace('/', '_')}"
    subprocess.run(
        ["git", "-C", str(REPOSITORY), "worktree", "add", "--detach", str(tree), revision],
        check=True,
        capture_output=True,
    )
    try:
        yield tree / "src"
    finally:
        subprocess.run(
            ["git", "-C", str(REPOSITORY), "worktree", "remove", "--force", str(tree)],
            check=False,
            capture_output=True,
        )


def build(source: Path, corpus: Path, out: Path, workers: int) -> tuple[float, float]:
    """One build of ``corpus`` by the zhi-graph in ``source``: (wall s, CPU s)."""
    shutil.rmtree(out, ignore_errors=True)
    environment = {**os.environ, "PYTHONPATH": str(source)}
    cpu, started = children_cpu(), time.perf_counter()
    process = subprocess.run(
        [str(ZHI_GRAPH), "build", str(corpus), "-o", str(out), "--workers", str(workers)],
        env=environment,
        capture_output=True,
        text=True,
    )
    seconds, cpu = time.perf_counter() - started, children_cpu() - cpu
    if process.returncode != 0:
        raise SystemExit(f"build with {source} failed ({process.returncode}):\n{process.stderr}")
    return seconds, cpu


def digests(out: Path) -> list[str]:
    return [hashlib.sha256((out / name).read_bytes()).hexdigest() for name in GRAPH_FILES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the version to compare against (a commit, tag or branch)")
    parser.add_argument("head", nargs="?", help="the version to compare (default: working tree)")
    parser.add_argument("--size", type=float, default=10, help="corpus size in MB (default 10)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="pairs of builds (default 3)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zhi-corpus")
    args = parser.parse_args(argv)

    corpus = corpus_folder(args.work, args.size, SEED, PROSE_SHARE)
    files, _, characters = write_corpus(corpus, args.size, SEED)
    print(
        f"{args.size:g} MB corpus: {files} files, {characters:,} characters; "
        f"{args.workers} worker(s), {args.rounds} rounds"
    )
    names = (args.base, args.head or "working tree")
    with (
        tempfile.TemporaryDirectory(prefix="zhi-compare-") as scratch,
        checked_out(args.base, Path(scratch)) as base,
        checked_out(args.head, Path(scratch)) as head,
    ):
        for source in (base, head):
            compileall.compile_dir(source / "zhi_graph", quiet=1)
        outs = (Path(scratch) / "out-a", Path(scratch) / "out-b")
        differences: list[float] = []
        for round_number in range(1, args.rounds + 1):
            (wall_a, cpu_a), (wall_b, cpu_b) = (
                build(source, corpus, out, args.workers)
                for source, out in zip((base, head), outs, strict=True)
            )
            differences.append(cpu_b - cpu_a)
            print(
                f"round {round_number}: {names[0]} {wall_a:6.2f} s ({cpu_a:6.2f} CPU s)   "
                f"{names[1]} {wall_b:6.2f} s ({cpu_b:6.2f} CPU s)   "
                f"CPU {cpu_b - cpu_a:+.2f} s ({(cpu_b - cpu_a) / cpu_a:+.1%})"
            )
        faster = sum(d < 0 for d in differences)
        print(
            f"median CPU difference {statistics.median(differences):+.2f} s; "
            f"{names[1]} used less CPU in {faster} of {len(differences)} pairs"
        )
        same = digests(outs[0]) == digests(outs[1])
        print("graph files " + ("byte-identical" if same else "DIFFER"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
