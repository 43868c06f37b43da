"""Instructions a version spends extracting (or converting to RDF) documents: cachegrind's count.

    .venv/bin/python benchmarks/instructions.py 36656bf      # that commit, then the working tree
    .venv/bin/python benchmarks/instructions.py 36656bf HEAD --stage rdf --documents 60

The host's speed drifts by 10-30% within minutes (``compare.py``), more than
most single changes are worth.  Instructions do not drift: valgrind's
cachegrind counts them the same, run after run, to about 0.05%.  They are not
time (a cache miss costs no instruction), but a change that saves work shows
in them at once, in half a minute.

For each version (checked out as ``compare.py`` does) the first documents of
the benchmark corpus are loaded and the stages warmed up; then the stage runs
over them once, under ``valgrind --tool=cachegrind --cache-sim=no``.  The same
run without the stage is subtracted, so start-up and loading count for
nothing.  Each version keeps its own user cache (``ZHI_GRAPH_CACHE_DIR``),
filled by a run before the counted ones: its key names the code, so two
versions sharing one would each rebuild it, inside the count.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compare import checked_out  # noqa: E402
from corpus import corpus_folder, write_corpus  # noqa: E402
from throughput import PROSE_SHARE, SEED  # noqa: E402

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def child(stage: str, corpus: Path, documents: int, rounds: int) -> None:
    """The counted process: warm up, then run ``stage`` over the documents ``rounds`` times."""
    import gc

    from zhi_graph.cache import pack
    from zhi_graph.load import load_bytes
    from zhi_graph.pipeline import _rdf, extract_document, warm_up
    from zhi_graph.rdf.build import document_facts

    paths = sorted(corpus.glob("*.txt"))[:documents]
    loaded = [load_bytes(path, path.read_bytes()) for path in paths]
    warm_up()
    packed = []
    if stage == "rdf":
        packed = [pack(document_facts(extract_document(d)).to_tuples()) for d in loaded]
    gc.disable()  # as the build's tasks run
    for _ in range(rounds):
        if stage == "extract":
            for document in loaded:
                extract_document(document)
        else:
            for facts in packed:
                _rdf(facts, {}, True)


def counted(
    source: Path, cache: Path, stage: str, corpus: Path, documents: int, rounds: int
) -> int:
    """Instructions of one child process (``child``) run with ``source``'s zhi_graph."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(source),
        "PYTHONHASHSEED": "0",
        "ZHI_GRAPH_CACHE_DIR": str(cache),
    }
    command = [sys.executable, __file__, "--child", stage, str(corpus), str(documents)]
    subprocess.run([*command, "0"], env=environment, check=True)  # fills the user cache
    valgrind = ["valgrind", "--tool=cachegrind", "--cache-sim=no"]
    valgrind.append("--cachegrind-out-file=/dev/null")
    process = subprocess.run(
        [*valgrind, *command, str(rounds)],
        env=environment,
        capture_output=True,
        text=True,
    )
    found = _REFS.search(process.stderr)
    if process.returncode != 0 or found is None:
        raise SystemExit(f"valgrind failed ({process.returncode}):\n{process.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["--child"]:
        stage, folder, documents, rounds = arguments[1:5]
        child(stage, Path(folder), int(documents), int(rounds))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the version to count against (a commit, tag or branch)")
    parser.add_argument("head", nargs="?", help="the version to count (default: working tree)")
    parser.add_argument("--stage", choices=("extract", "rdf"), default="extract")
    parser.add_argument("--documents", type=int, default=60)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zhi-corpus")
    args = parser.parse_args(arguments)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt install valgrind)")
    corpus = corpus_folder(args.work, 10, SEED, PROSE_SHARE)
    write_corpus(corpus, 10, SEED)
    with tempfile.TemporaryDirectory(prefix="zhi-instructions-") as scratch:
        for number, revision in enumerate((args.base, args.head)):
            with checked_out(revision, Path(scratch)) as source:
                cache = Path(scratch) / f"user-cache-{number}"
                without, with_stage = (
                    counted(source, cache, args.stage, corpus, args.documents, rounds)
                    for rounds in (0, 1)
                )
                print(
                    f"{revision or 'working tree'}: {args.stage} of {args.documents} documents, "
                    f"{(with_stage - without) / 1e6:,.0f}M instructions",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
