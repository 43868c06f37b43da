"""Huge files and huge lines: every stage stays linear in the input.

A file of one enormous line (a PDF export, a flattened table) once made
several stages scan the whole line for each tab, trigger word or region name,
and made every mention quote the whole line as its sentence. These tests
would take many minutes if that came back. They are marked ``slow`` and run
in CI (``pytest -m 'not slow'`` leaves them out while developing).
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from pipeline_properties import check_text
from zhi_graph.resources import load_resources
from zhi_graph.segment import MAX_SENTENCE, sentences

# No 。！？； and no line break; tabs and ideographic spaces (table-row checks),
# an abbreviation (office merging), award triggers (award zones), regions.
UNIT = (
    "《四川年鉴（2023）》获评全国地方志优秀成果\u3000成都市地方志工作办公室（以下简称“市志办”）"
    "\t绵阳市、德阳市入选第二批示范点，2024年8月印发《意见》“钦州方志”APP上线 abc 123 "
)

pytestmark = pytest.mark.slow


def test_a_line_of_200_000_characters_keeps_every_promise_in_linear_time() -> None:
    text = UNIT * (200_000 // len(UNIT))
    started = time.perf_counter()
    triples = check_text(text, load_resources())  # offsets, quotes, shapes, re-parsing
    elapsed = time.perf_counter() - started
    assert triples > 50_000
    # About 15 s here; the quadratic stages took over ten minutes on this text.
    assert elapsed < 120, elapsed


def test_sentences_of_a_huge_line_are_cut_after_a_comma_or_at_a_token() -> None:
    text = UNIT * 100
    found = sentences(text)
    assert all(s.end - s.start <= MAX_SENTENCE for s in found)
    assert [s.start for s in found[1:]] == [s.end for s in found[:-1]]
    assert found[0].start == 0 and found[-1].end == len(text)
    assert all(text[s.end - 1] in "，、：,: \t\u3000" for s in found[:-1])


# A 50 MiB file of one line, loaded and normalised in a fresh process so that
# its peak memory is its own: about 25 s and 1.6 GiB here.
FIFTY_MB = f"""
import resource, time
from pathlib import Path
from zhi_graph.load import load_bytes
from zhi_graph.segment import sentences
from zhi_graph.text.normalize import normalize
unit = {UNIT!r}.encode()
size = 50 * 1024 * 1024
data = (unit * (size // len(unit) + 1))[:size]
data = data[: len(data.decode("utf-8", "ignore").encode())]
started = time.perf_counter()
document = load_bytes(Path("one-line.txt"), data)
normalized = normalize(document)
found = sentences(normalized.text)
assert "\\n" not in document.text and len(document.text) > 20_000_000
assert len(normalized.origin) == len(normalized.text) + 1
assert max(s.end - s.start for s in found) <= 500
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_a_50_mb_single_line_file_loads_and_normalises_in_bounded_time_and_memory() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FIFTY_MB], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    seconds, max_rss_kib = done.stdout.split()
    assert float(seconds) < 180
    assert int(max_rss_kib) < 3 * 1024 * 1024  # 3 GiB
