import sys
from pathlib import Path

import pytest

from zhi_graph import hugepages, pipeline
from zhi_graph.hugepages import (
    HUGE_PAGE,
    Backed,
    Mover,
    back_with_huge_pages,
    private_anonymous_ranges,
)

MIB = 1024 * 1024


def _line(low: int, high: int, perms: str = "rw-p", name: str = "") -> str:
    return f"{low:012x}-{high:012x} {perms} 00000000 00:00 0          {name}".rstrip()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # anonymous memory: its whole 2 MiB pages
        (_line(0, 8 * MIB), [(0, 8 * MIB)]),
        # rounded inwards to 2 MiB boundaries
        (_line(1 * MIB, 7 * MIB), [(2 * MIB, 6 * MIB)]),
        # too small to hold one aligned huge page
        (_line(1 * MIB, 3 * MIB), []),
        # the heap counts as anonymous memory
        (_line(0, 4 * MIB, name="[heap]"), [(0, 4 * MIB)]),
        # the stack and the kernel's mappings do not
        (_line(0, 4 * MIB, name="[stack]"), []),
        (_line(0, 4 * MIB, name="[vvar]"), []),
        # a file's pages, shared memory, read-only and guard pages do not
        (_line(0, 4 * MIB, name="/usr/lib/libc.so.6"), []),
        (_line(0, 4 * MIB, perms="rw-s"), []),
        (_line(0, 4 * MIB, perms="r--p"), []),
        (_line(0, 4 * MIB, perms="---p"), []),
        # a path with spaces is still a path
        (_line(0, 4 * MIB, name="/tmp/a file (deleted)"), []),
        ("", []),
    ],
)
def test_only_private_anonymous_memory_is_moved(line: str, expected: list[tuple[int, int]]) -> None:
    assert private_anonymous_ranges(line) == expected


def test_every_range_of_a_maps_file_is_read() -> None:
    maps = "\n".join(
        [_line(0, 4 * MIB), _line(4 * MIB, 6 * MIB, name="/lib/x.so"), _line(6 * MIB, 10 * MIB)]
    )
    assert private_anonymous_ranges(maps) == [(0, 4 * MIB), (6 * MIB, 10 * MIB)]


def _anon_huge_kib() -> int:
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("AnonHugePages:"):
            return int(line.split()[1])
    raise AssertionError("no AnonHugePages line in smaps_rollup")


def _transparent_huge_pages() -> str:
    """The kernel's setting: always, madvise or never ('' when the kernel has none)."""
    setting = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    if not setting.exists():
        return ""
    return setting.read_text().split("[")[1].split("]")[0]


def test_loaded_tables_end_up_on_huge_pages_and_keep_their_contents() -> None:
    table = {f"词{i}": i for i in range(400_000)}  # a dictionary's size, tens of MB
    backed = back_with_huge_pages()
    assert backed.collapsed <= backed.marked
    assert backed.marked % HUGE_PAGE == 0 and backed.collapsed % HUGE_PAGE == 0
    if not sys.platform.startswith("linux"):
        assert backed == Backed(0, 0)
        return
    assert backed.marked > 0  # the table itself is tens of MB of anonymous memory
    if _transparent_huge_pages() in ("always", "madvise") and backed.collapsed:
        assert _anon_huge_kib() * 1024 >= HUGE_PAGE
    assert all(table[f"词{i}"] == i for i in range(0, 400_000, 997))


def test_a_build_moves_to_huge_pages_only_with_enough_to_extract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Backed] = []

    def recorded() -> Backed:
        calls.append(Backed(0, 0))
        return Backed(0, 0)

    monkeypatch.setattr(hugepages, "back_with_huge_pages", recorded)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("四川省地方志工作办公室在成都市召开会议。", encoding="utf-8")
    size = (docs / "a.txt").stat().st_size

    monkeypatch.setattr(pipeline, "HUGE_PAGES_FROM", size + 1)
    pipeline.build([docs], tmp_path / "small", html=False, workers=1)
    assert calls == []

    monkeypatch.setattr(pipeline, "HUGE_PAGES_FROM", size)
    pipeline.build([docs], tmp_path / "large", html=False, workers=1)
    assert len(calls) == 2  # before extracting, and before the RDF tasks
    # nothing left to extract: nothing to move
    pipeline.build([docs], tmp_path / "large", html=False, workers=1)
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("every", "work", "moves"),
    [
        (100, [], 1),  # at once
        (100, [99], 1),
        (100, [100], 2),
        (100, [60, 60], 2),  # counted from the last move
        (100, [60, 60, 60], 2),
        (100, [60, 60, 60, 60], 3),
        (100, [250], 2),  # one move however far past
    ],
)
def test_a_mover_moves_again_after_every_so_much_work(
    monkeypatch: pytest.MonkeyPatch, every: int, work: list[int], moves: int
) -> None:
    calls: list[None] = []

    def counted() -> Backed:
        calls.append(None)
        return Backed(HUGE_PAGE, HUGE_PAGE)

    monkeypatch.setattr(hugepages, "back_with_huge_pages", counted)
    mover = Mover(every)
    for done in work:
        mover.grown(done)
    assert len(calls) == moves
    assert mover.moved == moves * HUGE_PAGE


def test_a_build_on_huge_pages_writes_the_same_bytes(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    paragraphs = [p for p in sample_path.read_text(encoding="utf-8").split("\n") if p.strip()]
    for i in range(4):
        (docs / f"{i}.txt").write_text("\n".join(paragraphs[i::4]), encoding="utf-8")
    monkeypatch.setattr(pipeline, "HUGE_PAGES_FROM", sys.maxsize)
    pipeline.build([docs], tmp_path / "plain", html=False, workers=1)
    monkeypatch.setattr(pipeline, "HUGE_PAGES_FROM", 0)
    for workers in (1, 2):  # this process; each worker of a pool
        out = tmp_path / f"huge-{workers}"
        assert pipeline.build([docs], out, html=False, workers=workers).workers == workers
        for name in ("graph.ttl", "graph.trig"):
            assert (tmp_path / "plain" / name).read_bytes() == (out / name).read_bytes()
