"""CPU time of each per-document stage of a build, against plain ``jieba.lcut``.

    .venv/bin/python benchmarks/stages.py                   # the 1 MB synthetic corpus
    .venv/bin/python benchmarks/stages.py --repeat 3        # the least of 3 runs
    .venv/bin/python benchmarks/stages.py --size-mb 0.25    # a smaller one
    .venv/bin/python benchmarks/stages.py FOLDER            # every *.txt in a folder
    .venv/bin/python benchmarks/stages.py --profile 25      # and cProfile's top 25

Without a folder, the synthetic corpus of ``corpus.py`` (the same generator,
size, seed and share of prose, ``--prose-share``) is written once to its
folder under the temporary directory and reused.

All files are loaded first; the tokenizer, dictionaries and resources are
warmed up (as ``zhi_graph.pipeline.warm_up`` does before a build forks its
workers) and moved onto huge pages, as a build with more than
``pipeline.HUGE_PAGES_FROM`` bytes to extract does (``--no-huge-pages``: not).
Then, one document after the other, each stage of
``pipeline.extract_document`` (normalize, segment, recognize, resolve,
relate) and the build's per-document tasks after it (``pack``: the result's
facts as the cache stores them, with the summary; ``to RDF``: ``pipeline.rdf_task``,
which unpacks, makes the N-Triples and TriG, checks the shapes and
compresses) is timed in CPU seconds of this process (``time.process_time``),
and plain ``jieba.lcut`` (a ``jieba.Tokenizer`` of its own, HMM on) over the
same texts, in the same process: the issue's yardstick. With ``--repeat N``
each figure is the least of N runs: CPU time too grows a little when other
jobs share the machine's caches, never shrinks.

Each stage is shown in seconds and as a multiple of jieba's time; the last
lines give extraction alone and the whole document path as a ratio to
jieba (1.0: as fast as jieba; the issue asks for 0.5 or more).
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import jieba

from zhi_graph.cache import pack
from zhi_graph.hugepages import back_with_huge_pages
from zhi_graph.load import load
from zhi_graph.model import Document, DocumentSummary, ExtractionResult
from zhi_graph.pipeline import _collector_paused, rdf_task, warm_up
from zhi_graph.rdf.build import document_facts
from zhi_graph.recognize import recognize
from zhi_graph.relate import relate
from zhi_graph.resolve import resolve
from zhi_graph.resources import Resources, load_resources
from zhi_graph.segment import segment
from zhi_graph.text.normalize import normalize, replace_surrogates

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_folder, write_corpus
from throughput import PROSE_SHARE, SEED

EXTRACTION = ("normalize", "segment", "recognize", "resolve", "relate")
STAGES = (*EXTRACTION, "pack", "to RDF")
T = TypeVar("T")


def jieba_seconds(texts: Sequence[str]) -> float:
    """CPU seconds of plain ``jieba.lcut`` over the texts."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    started = time.process_time()
    for text in texts:
        tokenizer.lcut(text)
    return time.process_time() - started


def stage_seconds(documents: Sequence[Document], resources: Resources) -> dict[str, float]:
    """CPU seconds of each stage over the documents, one document after the other."""
    seconds = dict.fromkeys(STAGES, 0.0)
    clock = time.process_time

    def timed(name: str, step: Callable[..., T], *args: Any) -> T:
        started = clock()
        value = step(*args)
        seconds[name] += clock() - started
        return value

    for document in documents:
        normalized = timed("normalize", lambda d: normalize(replace_surrogates(d)), document)
        segmented = timed("segment", segment, normalized, resources)
        recognized = timed("recognize", recognize, segmented, resources)
        resolved = timed("resolve", resolve, recognized, resources)
        result = timed("relate", relate, resolved, resources)
        # with the collector paused, as the build's extraction task packs
        packed = timed("pack", _collector_paused, _packed, result)
        timed("to RDF", rdf_task, "", packed[1], {}, True)
    return seconds


def _packed(result: ExtractionResult) -> tuple[DocumentSummary, bytes]:
    return DocumentSummary.of(result), pack(document_facts(result).to_tuples())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpus", type=Path, nargs="?", help="a folder of .txt documents (default: synthetic)"
    )
    parser.add_argument("--size-mb", type=float, default=1.0, help="size of the synthetic corpus")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the synthetic corpus")
    parser.add_argument(
        "--prose-share",
        type=float,
        default=PROSE_SHARE,
        help="share of connecting prose in the synthetic corpus (0: names only)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs; the least time counts")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="also print cProfile's top N functions"
    )
    parser.add_argument(
        "--no-huge-pages",
        action="store_true",
        help="leave the dictionaries on small pages (a large build moves them: hugepages.py)",
    )
    args = parser.parse_args(argv)

    folder = args.corpus
    if folder is None:
        work = Path(tempfile.gettempdir()) / "zhi-corpus"
        folder = corpus_folder(work, args.size_mb, args.seed, args.prose_share)
        write_corpus(folder, args.size_mb, args.seed, args.prose_share)
    documents = [load(path) for path in sorted(folder.glob("*.txt"))]
    if not documents:
        raise SystemExit(f"no .txt files in {folder}")
    characters = sum(len(d.text) for d in documents)
    warm_up()
    resources = load_resources()
    if not args.no_huge_pages:
        backed = back_with_huge_pages()
        print(f"{backed.collapsed / 2**20:,.0f} MiB moved onto huge pages")

    best_jieba = min(jieba_seconds([d.text for d in documents]) for _ in range(args.repeat))
    best = dict.fromkeys(STAGES, float("inf"))
    for _ in range(args.repeat):
        for name, spent in stage_seconds(documents, resources).items():
            best[name] = min(best[name], spent)

    print(f"{len(documents)} documents, {characters:,} characters")
    print(f"jieba.lcut   {best_jieba:6.2f} s  {characters / best_jieba:>10,.0f} chars/s")
    for name in STAGES:
        print(f"{name:12s} {best[name]:6.2f} s  {best[name] / best_jieba:5.2f}x jieba")
    extraction = sum(best[name] for name in EXTRACTION)
    whole = sum(best.values())
    print(f"extraction   {extraction:6.2f} s  ratio to jieba {best_jieba / extraction:.3f}")
    print(f"whole path   {whole:6.2f} s  ratio to jieba {best_jieba / whole:.3f}")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        stage_seconds(documents, resources)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
