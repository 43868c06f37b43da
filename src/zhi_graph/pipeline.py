"""The one place the order of the stages is written.

One document::

    Path ──load──▶ Document ──normalize──▶ NormalizedText ──segment──▶ Segmented
         ──recognize──▶ Recognized ──resolve──▶ Resolved ──relate──▶ ExtractionResult

A corpus (``build``)::

    files ──hash──▶ cached? ──extract (workers)──▶ DocumentSummary + DocumentFacts, cached
          ──link (each summary as it returns, in corpus order)──▶ corpus-wide labels
          ──to RDF + check shapes (workers)──▶ a TriG block and a sorted N-Triples run
            of the shared lines per document, cached
          ──merge──▶ graph.trig (a graph per document) and graph.ttl (the union)

Workers are this process, a process pool or a Dask cluster (``runners``);
tasks take and return bytes, so the same code runs in all three.
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from .atomicfiles import commit, remove_leftovers, staging
from .cache import BuildCache, CachedSummary, compress, pack, unpack
from .errors import InputError, OutputError, ValidationError
from .gcpause import kept_aside
from .hugepages import Mover
from .link import Linker, Relabels
from .load import discover, load, load_bytes
from .model import Document, DocumentSummary, EntityType, ExtractionResult
from .resources import Resources, load_resources
from .text.keys import name_key

# The modules that make and write graphs, and the pools, are imported where they
# are used: a build of unchanged files stops after hashing them, and importing is
# most of its time (with SPARQL, which the command line imported for its options,
# they took about 25 ms of the 136 ms of a 1 MB corpus's).
if TYPE_CHECKING:
    from .buildfiles import Bounds, DocumentPart
    from .cache import CacheAddress, RdfEntry
    from .runners import Runner

# Entities above which a build writes no network page (see benchmarks/viz.md:
# 10,000 nodes make a 7.9 MB page usable after about 5 s).
PAGE_LIMIT = 10_000
T = TypeVar("T")
# Bytes of files to extract from which a build that extracts in its own process
# keeps its memory on huge pages (``hugepages``), moving it again after each
# HUGE_PAGES_EVERY bytes and before the RDF tasks. What that wins depends on the
# host: on the first hosts measured, a cold look-up cost ten times a warm one and
# the 10 MB benchmark corpus was extracted in 15.3 s instead of 19.8 (moving again
# every 0.5 MB saved a second more); on later ones the moves (0.3 s, then about
# 0.05 s a MB, mostly the kernel copying pages) won back no more than they cost at
# 10 MB, and at 50 MB within the host's drift (benchmarks/corpus.md, "Huge pages").
# So a build moves its memory only from 64 MiB of text on, past the sizes where it
# did not pay there (whether it pays above them was not measured on those hosts).
# A pool's workers are left as they are: forked from this process, each breaks up
# every huge page it writes to, and one that moved its own copy (0.2-0.7 s) ran
# its tasks only 4-10% faster.
HUGE_PAGES_FROM = 64 << 20
HUGE_PAGES_EVERY = 500_000
#: The files a build writes into its output folder.
OUTPUTS = ("graph.ttl", "graph.trig", "graph.html")
GRAPH_FILES = OUTPUTS[:2]


def extract_document(document: Document, resources: Resources | None = None) -> ExtractionResult:
    """Document -> ExtractionResult: every entity and relation, with offsets."""
    # The stages (and jieba's dictionary behind them) are imported on first use:
    # a build with every file cached runs none of them.
    from .recognize import recognize
    from .relate import relate
    from .resolve import resolve
    from .segment import segment
    from .text.normalize import normalize, replace_surrogates

    res = resources or load_resources()
    normalized = normalize(replace_surrogates(document))
    segmented = segment(normalized, res)
    recognized = recognize(segmented, res)
    resolved = resolve(recognized, res)
    return relate(resolved, res)


def extract(path: Path, resources: Resources | None = None) -> ExtractionResult:
    """Path -> ExtractionResult."""
    return extract_document(load(path), resources)


def warm_up() -> None:
    """Load the dictionaries and the tokenizer, so forked workers share them."""
    extract_document(
        Document(path=Path("warm-up.txt"), text="成都市。", sha256="0" * 64, encoding="utf-8")
    )


def _nothing() -> None:
    """A pool's warm-up when its tasks need nothing loaded (forked all the same)."""


# --- Tasks: module-level functions of bytes, run by any runner.


def _collector_paused(task: Callable[..., T], *args: Any) -> T:
    """``task(*args)`` with Python's cyclic garbage collector paused.

    A task makes hundreds of thousands of strings, tuples, lists and dicts
    that live until it ends and form no cycles, so reference counting frees
    them; the collector, run every few hundred allocations, walked them again
    and again (a third of the RDF task's time).  The collector resumes once
    ``task`` has returned and its objects are freed (resumed while they were
    alive, it would walk them all at once); cycles it left are collected then.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return task(*args)
    finally:
        if enabled:
            gc.enable()


def extract_task(
    path: str, data: bytes, cache: CacheAddress | None = None, key: str = ""
) -> tuple[str, DocumentSummary | None, bytes, str]:
    """One file's bytes -> its path, summary and packed DocumentFacts (what its graph is
    made from, once linking has chosen the labels).

    With a ``cache`` on this machine, the task stores the document's entry
    there itself, under ``key``, and gives back no facts (``b""``).
    A file that cannot be read as a document (undecodable, empty, damaged,
    encrypted, a scan without text) gives no summary and the reason instead.
    """
    try:
        document = load_bytes(Path(path), data)
    except InputError as error:
        return path, None, b"", str(error)
    summary, packed = _collector_paused(_extract, document)
    if cache is not None:
        cache.open().store(key, summary, packed)
        packed = b""
    return path, summary, packed, ""


def _extract(document: Document) -> tuple[DocumentSummary, bytes]:
    from .rdf.build import document_facts

    result = extract_document(document)
    return DocumentSummary.of(result), pack(document_facts(result).to_tuples())


def rdf_task(
    key: str,
    packed: bytes,
    relabels: dict[str, str],
    validate: bool,
    cache: CacheAddress | None = None,
    source: str = "",
) -> tuple[str, bytes, bytes, int, tuple[int, int], list[str]]:
    """Packed DocumentFacts -> the document's compressed N-Triples run of shared lines,
    its compressed TriG block, triple count, the span of its own statements in the block
    (``export.DocumentGraph``) and its shape violations.

    ``key`` comes back unchanged, to match the result to its document.  With a
    ``cache`` on this machine, the task reads the facts from the entry of the
    document ``source`` there (``packed`` is not used), stores the run and block
    under ``key`` when they conform, and gives them back empty.
    """
    opened = cache.open() if cache is not None else None
    if opened is not None:
        packed = opened.result_bytes(source)
    run, trig, count, own, violations = _collector_paused(_rdf, packed, relabels, validate)
    if opened is not None:
        if not violations:
            opened.store_rdf(key, run, trig, count, own)
        run = trig = b""
    return key, run, trig, count, own, violations


def _rdf(
    packed: bytes, relabels: dict[str, str], validate: bool
) -> tuple[bytes, bytes, int, tuple[int, int], list[str]]:
    from .buildfiles import document_graph
    from .rdf.build import DocumentFacts, nodes_and_tables
    from .rdf.columns import tables, triple_total
    from .rdf.iri import document_iri_from_hash

    data = unpack(packed)
    assert isinstance(data, tuple)
    facts = DocumentFacts.from_tuples(data)
    made = nodes_and_tables(facts, relabels)
    nodes = made.nodes
    # both the check and the writer go through the nodes in bulk, as tables
    found, rest = tables(nodes, nodes)
    grouped = ([*found, *made.tables], rest)
    violations: list[str] = []
    if validate:
        # Imported here: a build with every document cached checks nothing (30 ms).
        from .rdf.conformance import check_nodes

        violations = [str(v) for v in check_nodes(nodes, grouped)]
    graph = document_graph(document_iri_from_hash(facts.sha256), nodes, grouped)
    return (
        compress(graph.run),
        compress(graph.trig),
        triple_total(nodes, grouped),
        graph.own,
        violations,
    )


class Skipped(NamedTuple):
    """A file a build could not read as a document, and why (the message names it)."""

    path: Path
    reason: str


@dataclass
class BuildReport:
    """What a build did: counts for the summary, timings, and the files written."""

    documents: int = 0  # documents in the graph; files in ``skipped`` are not
    skipped: list[Skipped] = field(default_factory=list)
    characters: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    files: list[Path] = field(default_factory=list)
    extracted: int = 0  # documents extracted by this build, not taken from the cache
    unchanged: bool = False  # nothing changed since the last build: no file rewritten
    workers: int = 1
    seconds_extract: float = 0.0
    seconds_validate: float = 0.0
    seconds_html: float = 0.0
    page_skipped: str | None = None  # why no network page was written
    seconds_total: float = 0.0


@dataclass(frozen=True)
class _Source:
    path: Path
    sha256: str
    size: int  # bytes

    # Worked out once: a build looks a document's key up a dozen times (0.15 s of
    # the build process's time at 50 MB).
    @cached_property
    def key(self) -> str:
        """Cache key: content and path (the path is part of the document's provenance)."""
        return hashlib.sha256(f"{self.path}\0{self.sha256}".encode()).hexdigest()


#: A document's summary: extracted by this build, or read back from the cache.
_Summary = DocumentSummary | CachedSummary


class _Counted(NamedTuple):
    """What a build keeps of a document's summary once it is linked."""

    sha256: str
    characters: int
    relations: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, summary: _Summary | _Counted) -> _Counted:
        if isinstance(summary, _Counted):
            return summary
        return cls(summary.sha256, summary.characters, summary.relations)


def _hash_files(paths: Sequence[Path], skipped: list[Skipped]) -> list[_Source]:
    sources = []
    for path in paths:
        digest = hashlib.sha256()
        size = 0
        try:
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
                    size += len(block)
        except OSError as exc:
            skipped.append(_unreadable(path, exc))
            continue
        sources.append(_Source(path, digest.hexdigest(), size))
    return sources


def _unreadable(path: Path, exc: OSError) -> Skipped:
    return Skipped(path, str(InputError(f"cannot read the file ({exc.strerror})", path)))


def _read_all(sources: Sequence[_Source], skipped: list[Skipped]) -> Iterator[tuple[str, bytes]]:
    for source in sources:
        try:
            yield str(source.path), source.path.read_bytes()
        except OSError as exc:
            skipped.append(_unreadable(source.path, exc))


def _rdf_key(source: _Source, relabels: dict[str, str], validate: bool) -> str:
    text = json.dumps([source.key, sorted(relabels.items()), validate], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class _Linking:
    """Cross-document linking (``link.Linker``) and the graph's entities by type, fed
    each document's summary as its extraction returns.

    Linking depends on the order of the documents, so summaries are taken in
    the corpus's order, those that come early waiting for the ones before
    them.  With workers, most of the linking is then done while they extract
    the next documents, not between the two phases of the build.
    """

    def __init__(self, order: Sequence[str]) -> None:
        self._order = order  # the documents' cache keys
        self._next = 0
        self._waiting: dict[str, _Summary | None] = {}
        self._linker = Linker(load_resources())
        # Each entity counts as one of the graph's by (type, scope, name), until
        # linking gives it another label.
        self._entities: Counter[_EntityName] = Counter()

    def offer(self, key: str, summary: _Summary | None) -> None:
        """A document's summary; None for a file that could not be read as one."""
        self._waiting[key] = summary
        self._take_waiting()

    def _take_waiting(self) -> None:
        while self._next < len(self._order) and self._order[self._next] in self._waiting:
            found = self._waiting.pop(self._order[self._next])
            self._next += 1
            if found is not None:
                self._add(found.summary() if isinstance(found, CachedSummary) else found)

    def _add(self, summary: DocumentSummary) -> None:
        self._linker.add(summary)
        region = EntityType.REGION
        # counted at once (Counter.update of a list counts in C; += is two calls a name)
        self._entities.update(
            [
                (region, None, entity.key)
                if entity.type is region and entity.key.startswith("region:")
                else (entity.type, entity.scope, name_key(entity.label))
                for entity in summary.entities
            ]
        )

    def result(self) -> tuple[Relabels, Counter[str]]:
        """The corpus's labels and its entities by type, once every document is in (files
        never offered are taken for unreadable)."""
        for key in self._order[self._next :]:
            self._waiting.setdefault(key, None)
        self._take_waiting()
        relabels = self._linker.relabels()
        entities = self._entities.copy()
        for sha, changed in relabels.items():
            for entity in self._linker.entities_of(sha):
                label = changed.get(entity.key)
                if label is not None:
                    entities[(entity.type, entity.scope, name_key(entity.label))] -= 1
                    entities[(entity.type, entity.scope, name_key(label))] += 1
        return relabels, Counter(type_.value for (type_, _, _), n in entities.items() if n > 0)


#: An entity of the graph: its type, scope and name key (regions: their gazetteer key).
_EntityName = tuple[EntityType, str | None, str]


def _links_key(sources: Sequence[_Source]) -> str:
    """What the linking depends on: the documents (their cache keys), in order."""
    return hashlib.sha256("\n".join(s.key for s in sources).encode()).hexdigest()


def _linked(
    cache: BuildCache,
    sources: Sequence[_Source],
    ordered: Sequence[_Summary | _Counted],
    linking: _Linking | None,
) -> tuple[Relabels, Counter[str]]:
    """``link``'s labels and the graph's entities by type, kept in the cache: both are
    functions of the documents' summaries (their cache keys, in order) and of the data
    (the cache's fingerprint), so a build of the same documents reuses the last one's
    instead of loading the dictionaries and the summaries' entities to link them
    again and count anew.  ``linking`` holds what the build linked as it extracted."""
    key = _links_key(sources)
    if linking is None:
        found = cache.links(key)
        if found is not None:
            return found
        # Linked before, but some file has become unreadable since: link the rest.
        linking = _Linking([s.key for s in sources])
        for source, summary in zip(sources, ordered, strict=True):
            # without a linking, the build kept every summary whole
            assert not isinstance(summary, _Counted)
            linking.offer(source.key, summary)
    relabels, entities = linking.result()
    cache.store_links(key, relabels, entities)
    return relabels, entities


def build(
    paths: Sequence[Path],
    out: Path,
    *,
    validate: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
    html: bool = True,
    progress: Callable[[Path], None] | None = None,
) -> BuildReport:
    """Extract every document under ``paths`` into ``out/graph.ttl`` and ``graph.trig``,
    and with ``html`` the network page ``out/graph.html``.

    ``workers`` processes extract in parallel (None: one per core), or the
    Dask cluster at ``scheduler`` does.  Results are cached in ``out/.cache``:
    a second build re-reads only files that changed, and writes nothing at all
    when nothing did.  Nothing is written unless some document was read and,
    when ``validate`` is set, every document graph conforms to the shapes.

    A build killed at any moment leaves every output file as the last build
    wrote it or as this one would: new outputs are staged inside ``out`` and
    renamed into place together once all are written (see ``_write_outputs``).

    A file that cannot be read as a document is skipped and listed in the
    report's ``skipped``, with the reason; it is not cached, so the next build
    tries it again.  When no file at all can be read, nothing is written and
    an InputError says why.
    """
    cache = BuildCache(out)
    with cache.lock(), kept_aside() as keep_aside:
        remove_leftovers(out, OUTPUTS)
        return _build(
            paths,
            out,
            cache,
            validate=validate,
            workers=workers,
            scheduler=scheduler,
            html=html,
            progress=progress,
            keep_aside=keep_aside,
        )


def _build(
    paths: Sequence[Path],
    out: Path,
    cache: BuildCache,
    *,
    validate: bool,
    workers: int | None,
    scheduler: str | None,
    html: bool,
    progress: Callable[[Path], None] | None,
    keep_aside: Callable[[], None],
) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    sources = _hash_files(discover(paths), report.skipped)
    previous = _previous_manifest(cache)
    if not report.skipped and _stamped(previous, sources, validate, out):
        # Every file as the last build read it, under the same extractor: its outputs
        # stand, and its report is this one's (no entry of the cache is read).
        assert isinstance(previous, dict)
        _report_from(previous["report"], report)
        _keep_outputs(report, out, html=html)
        cache.prune(entries=False)
        report.seconds_total = time.perf_counter() - started
        return report
    from .buildfiles import DocumentPart
    from .rdf.iri import document_iri_from_hash
    from .runners import InlineRunner, PoolRunner, make_runner

    cached: dict[str, _Summary] = {}
    missing = []
    for source in sources:
        found = cache.summary(source.key)
        if found is None:
            missing.append(source)
        else:
            cached[source.key] = found
    linking = None
    if cache.links(_links_key(sources)) is None:
        linking = _Linking([s.key for s in sources])
        for key, known in cached.items():
            linking.offer(key, known)
    # each document's summary; its counts alone once the linking has taken it
    summaries: dict[str, _Summary | _Counted] = dict(cached)
    del cached
    # SQLite's locks are per process: a worker forked while this process has the
    # cache's database open would take this process's locks for its own.
    cache.close()
    runner = make_runner(workers, scheduler, warm_up, len(missing)) if missing else None
    mover = None  # when this process extracts enough to gain from huge pages
    if isinstance(runner, InlineRunner) and sum(s.size for s in missing) >= HUGE_PAGES_FROM:
        warm_up()
        mover = Mover(every=HUGE_PAGES_EVERY)
    report.workers = runner.workers if runner else 1
    try:
        # Tasks on this machine write their own cache entries.
        address = cache.address() if runner is not None and runner.local else None
        if runner is not None:
            by_path = {str(s.path): s for s in missing}
            tasks = (
                (path, data, address, by_path[path].key)
                for path, data in _read_all(missing, report.skipped)
            )
            for path, summary, packed, reason in runner.map(extract_task, tasks):
                source = by_path[path]
                if summary is None:
                    report.skipped.append(Skipped(source.path, reason))
                else:
                    if address is None:
                        cache.store(source.key, summary, packed)
                    else:
                        cache.keep(source.key)
                    if mover is not None:
                        mover.grown(source.size)
                    # Offered to the linking below, which keeps what it needs: the rest
                    # of the build needs the counts (the entities of a 50 MB corpus's
                    # documents took 50 MB more).
                    summaries[source.key] = summary if linking is None else _Counted.of(summary)
                    report.extracted += 1
                if linking is not None:
                    linking.offer(source.key, summary)
                if progress is not None:
                    progress(source.path)
                keep_aside()  # the summary, and the linking's state grown by it
        report.seconds_extract = time.perf_counter() - started

        report.skipped.sort()
        sources = [s for s in sources if s.key in summaries]
        if not sources:
            raise _nothing_read(report.skipped)
        ordered = [summaries[s.key] for s in sources]
        relabels, entities = _linked(cache, sources, ordered, linking)
        # What the rest of the build needs of each document; the entities (of every
        # document of the corpus) and the linking's state go before the RDF tasks run.
        documents = list(map(_Counted.of, ordered))
        del summaries, ordered, linking
        checked = time.perf_counter()
        runs: dict[str, RdfEntry] = {}
        stale: dict[str, tuple[_Source, dict[str, str]]] = {}
        for source, document in zip(sources, documents, strict=True):
            labels = relabels.get(document.sha256, {})
            key = _rdf_key(source, labels, validate)
            entry = cache.rdf_entry(key)
            if entry is None:
                stale[key] = (source, labels)
            else:
                runs[source.key] = entry
        if stale:
            if mover is not None:
                mover.move()  # what linking kept, and the arenas the RDF tasks will reuse
            if runner is None:
                cache.close()  # before any fork (see above)
                runner = make_runner(workers, scheduler, warm_up, len(stale))
            address = cache.address() if runner.local else None
            rdf_tasks = (
                (
                    key,
                    cache.result_bytes(source.key) if address is None else b"",
                    labels,
                    validate,
                    address,
                    source.key,
                )
                for key, (source, labels) in stale.items()
            )
            for key, data, trig, count, own, violations in runner.map(rdf_task, rdf_tasks):
                source = stale[key][0]
                if violations:
                    raise ValidationError(
                        f"the graph breaks {len(violations)} shape constraint(s), first: "
                        f"{violations[0]}; this is a zhi-graph bug, please report it",
                        source.path,
                    )
                if address is None:
                    entry = cache.store_rdf(key, data, trig, count, own)
                else:
                    entry = cache.rdf_entry(key)  # the task wrote it
                    if entry is None:
                        raise OutputError(
                            "a worker's RDF entry cannot be read back from the build cache; "
                            "check the disk, then build again",
                            Path(cache.database),
                        )
                runs[source.key] = entry
                keep_aside()
        report.seconds_validate = time.perf_counter() - checked if validate else 0.0

        report.documents = len(sources)
        report.characters = sum(d.characters for d in documents)
        report.entities = entities
        for document in documents:
            report.relations.update(dict(document.relations))
        report.triples = sum(entry.triples for entry in runs.values())
        parts = [
            DocumentPart(
                document_iri_from_hash(document.sha256),
                str(source.path),
                entry.trig,
                entry.run,
                entry.own,
            )
            for source, document in zip(sources, documents, strict=True)
            for entry in [runs[source.key]]
        ]
        manifest = {
            "extractor": cache.fingerprint,
            "documents": sorted(entry.key for entry in runs.values()),
            # What lets the next build of the same files stop after hashing them: the
            # files (none skipped: those are tried again) and this report's counts.
            "inputs": None if report.skipped else _inputs_key(sources, validate),
            "report": _report_record(report),
        }
        if previous == manifest and all((out / name).is_file() for name in GRAPH_FILES):
            _keep_outputs(report, out, html=html)
        else:
            too_large = _page_skipped(report, out, html=html)
            with staging(out) as folder:
                written = False
                writers = _writers(runner, workers, scheduler)
                if writers > 1:
                    # Workers forked afresh write the files: those that made the graphs
                    # hold their tasks' caches and heaps, which the writing would add to.
                    if runner is not None:
                        runner.close()
                    runner = PoolRunner(writers, _nothing)
                    written = _graph_in_workers(runner, parts, folder)
                    runner.close()  # its workers' memory goes before the page is drawn
                    runner = None
                report.files, report.seconds_html = _write_outputs(
                    parts,
                    out,
                    folder,
                    cache,
                    manifest,
                    html=html and not too_large,
                    written=written,
                )
            if too_large or not html:
                # A page left from an earlier build draws another graph: none is better.
                (out / "graph.html").unlink(missing_ok=True)
    finally:
        if runner is not None:
            runner.close()
    cache.prune()
    report.seconds_total = time.perf_counter() - started
    return report


def _writers(runner: Runner | None, workers: int | None, scheduler: str | None) -> int:
    """How many processes of this machine write the graph files: the build's pool, and as
    many when the build extracted and converted too few files to start one (an edit or a
    deletion in a large corpus, whose files are all written again: 6 s of one process's
    time at 50 MB). A cluster's workers may be other machines: this process writes."""
    from .runners import InlineRunner, default_workers

    if scheduler or (runner is not None and not runner.local):
        return 1
    if runner is not None and not isinstance(runner, InlineRunner):
        return runner.workers
    return default_workers() if workers is None else workers


def _graph_in_workers(runner: Runner, parts: Sequence[DocumentPart], folder: Path) -> bool:
    """Whether the pool's workers wrote graph.trig and graph.ttl into ``folder``; not
    when one group would hold every run (nothing is written then).

    This process wrote both files, the merge and graph.trig each in a thread,
    while the workers sat idle: half a second of the 10 MB benchmark corpus's
    seven with two workers.  Now the workers merge the runs in groups
    (``merge_runs``); this process writes the start of graph.ttl (the few
    entities that sort before the documents' own subjects); then one worker
    appends the documents' own statements to it while the others write
    graph.trig and the entities after them, by range of subjects
    (``write_union_range``), whose files this process appends last.
    """
    from .buildfiles import (
        Merged,
        Run,
        append_own_statements,
        graph_errors,
        merge_runs,
        run_groups,
        union_ranges,
        write_trig,
        write_union,
        write_union_range,
    )
    from .runners import call

    groups = run_groups([part.run for part in parts], runner.workers)
    if len(groups) < 2:
        return False
    first: list[tuple[Any, ...]] = [
        (merge_runs, group, str(folder / f"merged-{i}.nt.lz4")) for i, group in enumerate(groups)
    ]

    def fill(path: Path, after: Sequence[Bounds]) -> list[str]:
        targets = [str(folder / f"union-{i}.ttl") for i in range(len(after))]
        # The documents' own statements are the longest task by far (4.6 s of the 50 MB
        # benchmark corpus's 7 s of writing, with two workers): graph.trig is written
        # beside it, not before it with the merges (where it kept one worker from them).
        tasks: list[tuple[Any, ...]] = [
            (append_own_statements, parts, str(path)),
            (write_trig, parts, str(folder)),
        ]
        tasks += [
            (write_union_range, runs, bounds, target)
            for bounds, target in zip(after, targets, strict=True)
        ]
        for _ in runner.map(call, tasks):
            pass
        return targets

    with graph_errors(folder):
        merged = [found for found in runner.map(call, first) if isinstance(found, Merged)]
        runs = sorted(Run(m.target) for m in merged)
        samples = [sample for m in merged for sample in m.samples]
        write_union(folder, runs, union_ranges(samples, runner.workers), fill)
    return True


def _write_outputs(
    parts: Sequence[DocumentPart],
    out: Path,
    folder: Path,
    cache: BuildCache,
    manifest: Mapping[str, object],
    *,
    html: bool,
    written: bool = False,
) -> tuple[list[Path], float]:
    """Write the graph files (and the page) into the staging folder ``folder``, then
    rename them into ``out``; return the files and the seconds the page took.
    ``written``: the workers have written the graph files (``_graph_in_workers``).

    The manifest is removed before the first rename and written after the
    last: a build killed between the renames leaves no manifest, so the next
    build rewrites every output rather than take a mixed set for an unchanged
    one.  Each file is synced before its rename and ``out`` after them
    (``export``), so a power cut cannot leave a manifest that names outputs
    whose data never reached the disk.  A failure before the renames (a full
    disk) leaves the previous outputs and manifest as they were.
    """
    from .buildfiles import write_corpus_graph

    seconds_html = 0.0
    if not written:
        write_corpus_graph(parts, folder)
    names = ["graph.ttl", "graph.trig"]
    if html:
        drawn = time.perf_counter()
        _write_network(folder, folder / "graph.html")
        seconds_html = time.perf_counter() - drawn
        names.append("graph.html")
    cache.forget_manifest()
    files = commit(folder, out, names)
    cache.write_manifest(manifest)
    return files, seconds_html


def _page_skipped(report: BuildReport, out: Path, *, html: bool) -> bool:
    """Whether the graph has too many entities for a page; if so, ``report`` says so."""
    entities = sum(report.entities.values())
    if not html or entities <= PAGE_LIMIT:
        return False
    # A page of every entity of a large corpus would take minutes and open in no
    # browser; views of it are cut with `zhi-graph viz`.
    report.page_skipped = (
        f"no graph.html: {entities:,} entities are more than one page can show "
        f"({PAGE_LIMIT:,}); draw a view with `zhi-graph viz {out} --focus NAME`, "
        "`--types` or `--min-degree`"
    )
    return True


def _keep_outputs(report: BuildReport, out: Path, *, html: bool) -> None:
    """The graph files of the last build stand: draw the page only if it is missing."""
    report.unchanged = True
    report.files = [out / name for name in GRAPH_FILES]
    page = out / "graph.html"
    if _page_skipped(report, out, html=html):
        page.unlink(missing_ok=True)
    elif html and not page.is_file():
        drawn = time.perf_counter()
        report.files.append(_write_network(out, page))
        report.seconds_html = time.perf_counter() - drawn
    elif html:
        report.files.append(page)


def _inputs_key(sources: Sequence[_Source], validate: bool) -> str:
    """The files a build read (paths and contents, in order) and whether it checked shapes."""
    return _links_key(sources) + ("-checked" if validate else "-unchecked")


def _report_record(report: BuildReport) -> dict[str, object]:
    """The counts of a build's report, as its manifest keeps them (``_report_from``)."""
    return {
        "documents": report.documents,
        "characters": report.characters,
        "entities": dict(sorted(report.entities.items())),
        "relations": dict(sorted(report.relations.items())),
        "triples": report.triples,
    }


def _report_from(record: Mapping[str, Any], report: BuildReport) -> None:
    report.documents = record["documents"]
    report.characters = record["characters"]
    report.entities = Counter(record["entities"])
    report.relations = Counter(record["relations"])
    report.triples = record["triples"]


def _stamped(previous: object, sources: Sequence[_Source], validate: bool, out: Path) -> bool:
    """Whether the last build's manifest vouches for outputs made of exactly these files."""
    if not isinstance(previous, dict) or not sources:
        return False
    record = previous.get("report")
    if previous.get("inputs") != _inputs_key(sources, validate) or not isinstance(record, dict):
        return False
    if set(record) != set(_report_record(BuildReport())):
        return False  # written by another version: the full path checks every entry
    return all((out / name).is_file() for name in GRAPH_FILES)


def _write_network(out: Path, page: Path) -> Path:
    """The network page (``viz``, imported only by a build that draws one)."""
    from .viz.views import write_network

    return write_network(out, page).path


def _nothing_read(skipped: Sequence[Skipped]) -> InputError:
    if len(skipped) == 1:
        return InputError(skipped[0].reason)
    reasons = "; ".join(s.reason for s in skipped)
    return InputError(f"none of the {len(skipped)} files could be read as a document: {reasons}")


def _previous_manifest(cache: BuildCache) -> object:
    try:
        return json.loads(cache.manifest_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
