"""Builds over several documents: one entity across documents, incremental rebuilds, workers.

The Dask test starts a real ``dask scheduler`` and two ``dask worker``
processes on loopback (from the ``distributed`` package, a test dependency),
and fails rather than skips when they cannot start.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from zhi_graph import pipeline
from zhi_graph.cachedb import DATABASE
from zhi_graph.link import Linker, Relabels, link
from zhi_graph.model import Document, DocumentSummary, EntityType
from zhi_graph.namespaces import ZHI
from zhi_graph.pipeline import BuildReport, _Linking, _writers, build, extract_document
from zhi_graph.resources import Resources, load_resources
from zhi_graph.runners import InlineRunner, Runner, default_workers
from zhi_graph.text.keys import name_key
from zhi_graph.validate import validate_file

SICHUAN_A = (
    "四川省地方志工作办公室（以下简称省地方志办）在成都市召开全省年鉴工作会议，"
    "《成都年鉴》编辑部参加。"
)
SICHUAN_B = (
    "四川省地方志办组织专家赴成都市调研，《成都年鉴》获评“全国精品年鉴”，《巴蜀史志》刊发专题文章。"
)
ZHEJIANG = "浙江省地方志办组织召开全省年鉴工作会议，省档案馆参加。"
SICHUAN_ARCHIVES = "四川省地方志办组织召开全省年鉴工作会议，省档案馆参加。"
NO_PROVINCE_A = "市委宣传部召开方志工作会议。"
NO_PROVINCE_B = "市委宣传部组织专家开展调研。"


@contextlib.contextmanager
def cache_database(out: Path) -> Iterator[sqlite3.Connection]:
    """The build cache's database under ``out`` (one extractor's: a build prunes others')."""
    (folder,) = [p for p in (out / ".cache").iterdir() if p.is_dir()]
    database = sqlite3.connect(folder / DATABASE, isolation_level=None)
    try:
        yield database
    finally:
        database.close()


def cache_rows(out: Path, table: str) -> dict[str, bytes]:
    """Each row of ``table`` in the build cache, by key: its values but the id, as bytes."""
    with cache_database(out) as database:
        found = database.execute(f"SELECT * FROM {table}")
        columns = [column[0] for column in found.description]
        return {
            row[columns.index("key")]: repr(
                [value for name, value in zip(columns, row, strict=True) if name != "id"]
            ).encode()
            for row in found
        }


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(docs: Path, out: Path, **options: object) -> BuildReport:
    return build([docs], out, **options)  # type: ignore[arg-type]


def union(out: Path) -> Graph:
    return Graph().parse(out / "graph.ttl", format="turtle")


def dataset(out: Path) -> Dataset:
    found = Dataset()
    found.parse(out / "graph.trig", format="trig")
    return found


def nodes_labelled(graph: Graph, label: str) -> set[URIRef]:
    return {s for s in graph.subjects(RDFS.label, Literal(label, lang="zh"))}  # type: ignore[misc]


def documents_mentioning(graph: Graph, node: URIRef) -> set[object]:
    return {graph.value(mention, ZHI.inDocument) for mention in graph.subjects(ZHI.mentionOf, node)}


def test_one_region_is_one_node_with_every_documents_provenance(tmp_path: Path) -> None:
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A, "b.txt": SICHUAN_B})
    run(docs, tmp_path / "out", workers=1)
    graph = union(tmp_path / "out")
    (chengdu,) = nodes_labelled(graph, "成都市")
    assert len(documents_mentioning(graph, chengdu)) == 2
    (yearbook,) = nodes_labelled(graph, "成都年鉴")
    assert len(documents_mentioning(graph, yearbook)) == 2


def test_one_office_under_two_of_its_names_is_linked(tmp_path: Path) -> None:
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A, "b.txt": SICHUAN_B})
    run(docs, tmp_path / "out", workers=1)
    graph = union(tmp_path / "out")
    (office,) = nodes_labelled(graph, "四川省地方志工作办公室")
    assert nodes_labelled(graph, "四川省地方志办") == set()
    assert Literal("四川省地方志办", lang="zh") in set(
        graph.objects(office, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))
    )
    assert len(documents_mentioning(graph, office)) == 2
    # Each document graph names the office with the same, single label.
    for context in dataset(tmp_path / "out").graphs():
        labels = set(context.objects(office, RDFS.label))
        assert labels in (set(), {Literal("四川省地方志工作办公室", lang="zh")})


def test_copies_of_a_file_take_the_corpus_label_as_one_document(tmp_path: Path) -> None:
    """Two files with the same bytes are one document: their office, named only by a
    short form, is relabelled with the long form once (the copies' entities were
    taken for two entities of one document, and the build failed)."""
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A, "b.txt": SICHUAN_B, "c.txt": SICHUAN_B})
    report = run(docs, tmp_path / "out", workers=1, html=False)
    assert report.documents == 3
    graph = union(tmp_path / "out")
    assert len(nodes_labelled(graph, "四川省地方志工作办公室")) == 1
    assert not nodes_labelled(graph, "四川省地方志办")


@pytest.mark.parametrize(
    ("files", "label", "expected"),
    [
        # 省档案馆 takes each document's province.
        ({"sc.txt": SICHUAN_ARCHIVES, "zj.txt": ZHEJIANG}, "四川省档案馆", 1),
        ({"sc.txt": SICHUAN_ARCHIVES, "zj.txt": ZHEJIANG}, "浙江省档案馆", 1),
        # 市委宣传部 with no city named stays within its document.
        ({"a.txt": NO_PROVINCE_A, "b.txt": NO_PROVINCE_B}, "市委宣传部", 2),
    ],
)
def test_relative_names_do_not_merge_across_regions(
    tmp_path: Path, files: dict[str, str], label: str, expected: int
) -> None:
    docs = write(tmp_path / "docs", files)
    run(docs, tmp_path / "out", workers=1)
    assert len(nodes_labelled(union(tmp_path / "out"), label)) == expected


def test_second_build_reads_nothing_and_rewrites_nothing(tmp_path: Path) -> None:
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A, "b.txt": SICHUAN_B})
    out = tmp_path / "out"
    first = run(docs, out, workers=1)
    assert first.extracted == 2 and not first.unchanged
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("graph.*")}
    second = run(docs, out, workers=1)
    assert second.extracted == 0 and second.unchanged
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("graph.*")} == stamps
    assert (second.triples, second.entities) == (first.triples, first.entities)


def test_a_build_of_unchanged_files_opens_no_cache_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A, "b.txt": SICHUAN_B})
    out = tmp_path / "out"
    first = run(docs, out, workers=1)
    entries = sorted(p for p in (out / ".cache").rglob("*") if p.is_file())
    # A killed build's half-written entry: the next build deletes it, whatever it reads.
    leftover = entries[-1].with_name(".leftover.1234-5.tmp")
    leftover.write_bytes(b"half")

    def opened(*_: object) -> None:
        raise AssertionError("a build of unchanged files opened a cache entry")

    monkeypatch.setattr("zhi_graph.cache.BuildCache.summary", opened)
    monkeypatch.setattr("zhi_graph.cache.BuildCache.rdf_entry", opened)
    monkeypatch.setattr("zhi_graph.cache.BuildCache.links", opened)
    second = run(docs, out, workers=1)
    assert second.unchanged and second.extracted == 0
    fields = ("documents", "characters", "entities", "relations", "triples")
    assert [getattr(second, f) for f in fields] == [getattr(first, f) for f in fields]
    assert not leftover.exists()
    assert sorted(p for p in (out / ".cache").rglob("*") if p.is_file()) == entries


def test_a_build_of_unchanged_files_imports_no_graph_maker(tmp_path: Path) -> None:
    """Importing is most of what such a build does: what makes and writes graphs, the
    pools and SPARQL are imported only by a build that has documents to convert."""
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A})
    out = tmp_path / "out"
    run(docs, out, workers=1, html=False)
    heavy = [
        "zhi_graph.buildfiles",
        "zhi_graph.rdf.build",
        "zhi_graph.runners",
        "zhi_graph.sparql",
        "zhi_graph.segment",
        "pyoxigraph",
        "jieba",
    ]
    script = (
        "import sys\n"
        "from zhi_graph.cli import app\n"
        "try:\n"
        f"    app(['build', {str(docs)!r}, '-o', {str(out)!r}, '--no-html'])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        f"print(','.join(name for name in {heavy!r} if name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "unchanged" in done.stdout
    assert done.stdout.splitlines()[-1] == ""


@pytest.mark.parametrize(
    "change",
    ["edit", "rename", "no-validate"],
)
def test_a_changed_input_or_option_is_not_taken_for_the_last_build(
    tmp_path: Path, change: str
) -> None:
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A, "b.txt": SICHUAN_B})
    out = tmp_path / "out"
    run(docs, out, workers=1)
    options: dict[str, object] = {"workers": 1}
    if change == "edit":
        write(docs, {"b.txt": SICHUAN_B + "\n省地方志办公室召开会议。"})
    elif change == "rename":
        (docs / "b.txt").rename(docs / "c.txt")
    else:
        options["validate"] = False
    report = run(docs, out, **options)
    assert report.extracted == (0 if change == "no-validate" else 1)
    assert not report.unchanged  # the manifest names the inputs it was made of


def test_documents_are_linked_again_only_when_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []  # documents each linking was given

    class Counted(Linker):
        def __init__(self, resources: Resources) -> None:
            super().__init__(resources)
            self.added = 0

        def add(self, summary: DocumentSummary) -> None:
            self.added += 1
            super().add(summary)

        def relabels(self) -> Relabels:
            calls.append(self.added)
            return super().relabels()

    monkeypatch.setattr("zhi_graph.pipeline.Linker", Counted)
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A, "b.txt": SICHUAN_B})
    out = tmp_path / "out"
    first = run(docs, out, workers=1)
    second = run(docs, out, workers=1)
    assert calls == [2] and second.unchanged
    assert (second.triples, second.entities) == (first.triples, first.entities)
    write(docs, {"c.txt": ZHEJIANG})
    assert not run(docs, out, workers=1).unchanged
    assert calls == [2, 3]


def _summary(name: str, text: str) -> DocumentSummary:
    document = Document(path=Path(name), text=text, sha256=name * 64, encoding="utf-8")
    return DocumentSummary.of(extract_document(document))


@pytest.mark.parametrize(
    "arrival",
    [
        ["a", "b", "c", "d"],
        ["d", "c", "b", "a"],
        ["c", "a", "d"],  # b never comes (a file that could not be read)
        ["b", "d", "c", "a"],
    ],
)
def test_linking_takes_documents_in_the_corpus_order_whatever_order_they_come_in(
    arrival: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    linked: list[str] = []

    class Recording(Linker):
        def add(self, summary: DocumentSummary) -> None:
            linked.append(summary.path)
            super().add(summary)

    monkeypatch.setattr("zhi_graph.pipeline.Linker", Recording)
    texts = {"a": SICHUAN_A, "b": SICHUAN_B, "c": ZHEJIANG, "d": SICHUAN_ARCHIVES}
    summaries = {key: _summary(key, text) for key, text in texts.items()}
    linking = _Linking(list(texts))
    for key in arrival:
        linking.offer(key, summaries[key])
    result = linking.result()
    assert linked == sorted(arrival)  # the corpus's order
    read = [summaries[key] for key in texts if key in arrival]
    relabels = link(read, load_resources())
    assert result == (relabels, _distinct_entities(read, relabels))


def _distinct_entities(summaries: list[DocumentSummary], relabels: Relabels) -> Counter[str]:
    """What the graph holds, by type: one entity per type, scope and name after linking."""
    seen: set[tuple[EntityType, str | None, str]] = set()
    for summary in summaries:
        for entity in summary.entities:
            if entity.key.startswith("region:"):
                seen.add((entity.type, None, entity.key))
            else:
                label = relabels.get(summary.sha256, {}).get(entity.key, entity.label)
                seen.add((entity.type, entity.scope, name_key(label)))
    return Counter(type_.value for type_, _, _ in seen)


def test_an_edited_file_replaces_its_triples(tmp_path: Path) -> None:
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A, "b.txt": SICHUAN_B})
    out = tmp_path / "out"
    run(docs, out, workers=1)
    assert nodes_labelled(union(out), "巴蜀史志")
    write(docs, {"b.txt": "四川省地方志办组织专家赴绵阳市调研。"})
    report = run(docs, out, workers=1)
    assert report.extracted == 1 and not report.unchanged
    graph = union(out)
    assert nodes_labelled(graph, "巴蜀史志") == set()
    assert nodes_labelled(graph, "绵阳市")
    assert len(list(dataset(out).graphs())) == 3  # two documents and the default graph


def test_a_deleted_file_leaves_the_graph(tmp_path: Path) -> None:
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A, "b.txt": SICHUAN_B})
    out = tmp_path / "out"
    run(docs, out, workers=1)
    (docs / "b.txt").unlink()
    report = run(docs, out, workers=1)
    assert report.documents == 1 and report.extracted == 0
    graph = union(out)
    assert nodes_labelled(graph, "巴蜀史志") == set()
    (chengdu,) = nodes_labelled(graph, "成都市")
    assert len(documents_mentioning(graph, chengdu)) == 1
    # What only the deleted file needed is pruned from the cache too.
    assert len(cache_rows(out, "extraction")) == 1
    assert len(cache_rows(out, "rdf")) == 1


def test_a_damaged_cache_entry_is_extracted_again(tmp_path: Path) -> None:
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A})
    out = tmp_path / "out"
    run(docs, out, workers=1)
    with cache_database(out) as database:
        database.execute("UPDATE extraction SET summary = ?", (b"not a pickle",))
    # Nothing changed: the outputs stand and no entry is opened.
    assert run(docs, out, workers=1).unchanged
    # Another file makes the build read every entry: the damaged one is extracted again.
    write(docs, {"b.txt": SICHUAN_B})
    report = run(docs, out, workers=1)
    assert report.extracted == 2
    run(docs, tmp_path / "fresh", workers=1)
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "fresh" / "graph.ttl").read_bytes()


def test_a_new_extractor_version_starts_a_fresh_cache(tmp_path: Path) -> None:
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A})
    out = tmp_path / "out"
    run(docs, out, workers=1)
    old = next(p for p in (out / ".cache").iterdir() if p.is_dir())
    old.rename(out / ".cache" / "0000000000000000")
    report = run(docs, out, workers=1)
    assert report.extracted == 1
    assert [p.name for p in (out / ".cache").iterdir() if p.is_dir()] == [old.name]


def test_the_extractor_fingerprint_is_hashed_again_only_when_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprint is kept under the files' sizes and times: kept while they stay,
    hashed again (to the same value as a fresh hash) once one is written."""
    from zhi_graph import cache

    module = tmp_path / "zhi_graph" / "module.py"
    module.parent.mkdir()
    module.write_text("A = 1\n")
    monkeypatch.setattr(cache, "_extractor_files", lambda: [(module, "zhi_graph/module.py")])
    monkeypatch.setenv("ZHI_GRAPH_CACHE_DIR", str(tmp_path / "user-cache"))
    fingerprint = cache.extractor_fingerprint.__wrapped__
    first = fingerprint()
    read: list[Path] = []
    read_bytes = Path.read_bytes

    def recorded(path: Path) -> bytes:
        read.append(path)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", recorded)
    assert fingerprint() == first
    assert module not in read  # kept, not hashed again
    monkeypatch.undo()
    monkeypatch.setattr(cache, "_extractor_files", lambda: [(module, "zhi_graph/module.py")])
    monkeypatch.setenv("ZHI_GRAPH_CACHE_DIR", str(tmp_path / "user-cache"))
    module.write_text("A = 22\n")
    changed = fingerprint()
    assert changed != first
    monkeypatch.setenv("ZHI_GRAPH_CACHE_DIR", "off")
    assert fingerprint() == changed


def corpus(folder: Path, sample: Path) -> Path:
    text = sample.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    files = {f"{i:02d}.txt": "\n".join(paragraphs[i::6]) for i in range(6)}
    return write(folder, files)


def test_a_process_pool_builds_the_same_bytes(tmp_path: Path, sample_path: Path) -> None:
    docs = corpus(tmp_path / "docs", sample_path)
    one = run(docs, tmp_path / "one", workers=1)
    two = run(docs, tmp_path / "two", workers=2)
    assert (one.workers, two.workers) == (1, 2)
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    # Each document graph was checked on its own; their union conforms too.
    assert validate_file(tmp_path / "two" / "graph.ttl") == []


def _cache_entries(out: Path) -> dict[str, bytes]:
    """The cache's files (the linking's) and the rows of its database, by name and key."""
    files = {
        str(p.relative_to(out)): p.read_bytes()
        for p in (out / ".cache").rglob("*")
        if p.is_file() and p.name not in ("lock", "build.json", DATABASE)
    }
    rows = {
        f"{table}/{key}": value
        for table in ("extraction", "rdf")
        for key, value in cache_rows(out, table).items()
    }
    return files | rows


def test_a_pools_workers_write_the_cache_entries_the_build_keeps(
    tmp_path: Path, sample_path: Path
) -> None:
    docs = corpus(tmp_path / "docs", sample_path)
    run(docs, tmp_path / "one", workers=1)
    first = run(docs, tmp_path / "two", workers=2)
    assert first.workers == 2
    entries = _cache_entries(tmp_path / "two")
    # 6 documents: the extraction (summary and facts) and the RDF (TriG block and run)
    assert len(entries) == 6 * 2 + 1  # and the linking's file
    assert entries == _cache_entries(tmp_path / "one")  # what one process writes
    # The build counted them as its own: the next one prunes none and extracts none.
    second = run(docs, tmp_path / "two", workers=2)
    assert second.extracted == 0 and second.unchanged
    assert _cache_entries(tmp_path / "two") == entries
    # An edited file: that document alone extracted again, its old entry pruned.
    (docs / "00.txt").write_text(SICHUAN_B, encoding="utf-8")
    third = run(docs, tmp_path / "two", workers=2)
    assert third.extracted == 1
    assert len(_cache_entries(tmp_path / "two")) == 6 * 2 + 1


@pytest.mark.parametrize(
    ("runner", "workers", "scheduler", "writers"),
    [
        (InlineRunner(), 1, None, 1),  # --workers 1
        (InlineRunner(), 3, None, 3),  # one file to extract, three workers allowed
        (None, 2, None, 2),  # nothing to extract or convert again: a deleted file
        (None, None, None, default_workers()),  # every core, by default
        (None, 2, "tcp://127.0.0.1:8786", 1),  # a cluster's workers may be other machines
    ],
)
def test_the_graph_files_are_written_by_the_processes_the_build_may_use(
    runner: Runner | None, workers: int | None, scheduler: str | None, writers: int
) -> None:
    assert _writers(runner, workers, scheduler) == writers


def test_an_edit_has_the_graph_files_written_by_a_pool(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = corpus(tmp_path / "docs", sample_path)
    out = tmp_path / "out"
    run(docs, out, workers=2)
    pools: list[int] = []
    write_in = pipeline._graph_in_workers

    def spy(runner: Runner, *args: object) -> bool:
        pools.append(runner.workers)
        return write_in(runner, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_graph_in_workers", spy)
    (docs / "00.txt").write_text(SICHUAN_B, encoding="utf-8")
    edited = run(docs, out, workers=2)
    # One file to extract: no pool for that, but one of two workers for the files.
    assert edited.extracted == 1 and edited.workers == 1
    assert pools == [2]
    run(docs, tmp_path / "fresh", workers=1)
    for name in ("graph.ttl", "graph.trig"):
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real scheduler and two single-threaded workers on loopback."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scratch = tmp_path_factory.mktemp("dask")
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    dask = [sys.executable, "-m", "dask"]
    processes = [
        subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            cwd=scratch,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        for i in range(2):
            processes.append(
                subprocess.Popen(
                    [
                        *dask,
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--local-directory",
                        str(scratch / f"w{i}"),
                        "--name",
                        f"w{i}",
                    ],
                    cwd=scratch,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        from distributed import Client

        deadline = time.monotonic() + 90
        with Client(address, timeout="60s") as client:  # type: ignore[no-untyped-call]
            while len(client.scheduler_info()["workers"]) < 2:
                if time.monotonic() > deadline:
                    pytest.fail("the two Dask workers did not join the scheduler within 90 s")
                time.sleep(0.5)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_dask_cluster_builds_the_same_graph(
    tmp_path: Path, sample_path: Path, dask_cluster: str
) -> None:
    docs = corpus(tmp_path / "docs", sample_path)
    local = run(docs, tmp_path / "local", workers=1)
    remote = run(docs, tmp_path / "dask", scheduler=dask_cluster)
    assert remote.workers == 2 and remote.extracted == local.extracted == 6
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()


def test_an_unreachable_scheduler_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhi_graph import runners
    from zhi_graph.errors import InputError

    monkeypatch.setattr(runners, "CONNECT_TIMEOUT", "2s")
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A})
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        run(docs, tmp_path / "out", scheduler=f"tcp://127.0.0.1:{free_port()}")


@pytest.mark.parametrize("workers", [1, 2])
def test_unreadable_files_are_skipped_with_their_reason_and_not_cached(
    tmp_path: Path, workers: int
) -> None:
    docs = write(tmp_path / "docs", {"a.txt": SICHUAN_A, "b.txt": SICHUAN_B})
    (docs / "c.txt").write_bytes(b"\x00\x01\x02\x03" * 64)
    (docs / "d.md").write_bytes(b"")
    out = tmp_path / "out"

    report = run(docs, out, workers=workers)
    again = run(docs, out, workers=workers)

    assert report.documents == 2 and report.extracted == 2
    assert [s.path for s in report.skipped] == [docs / "c.txt", docs / "d.md"]
    assert report.skipped[0].reason.startswith(f"{docs / 'c.txt'}: looks like a binary file")
    assert "empty" in report.skipped[1].reason
    assert again.skipped == report.skipped and again.extracted == 0 and again.unchanged
    assert (out / "graph.trig").read_text(encoding="utf-8").count("a zhi:Document") == 2
    assert validate_file(out / "graph.ttl") == []
