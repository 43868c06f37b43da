"""Shared fixtures: resources loaded once, the pipeline run on a string, the sample build.

Stages are run exactly as ``zhi_graph.pipeline`` runs them, but each record is
returned so that a test can look at the stage it is about. Text goes through a
real file under ``tmp_path`` so that loading and decoding are part of every run.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner, Result

from zhi_graph.cli import app
from zhi_graph.load import load
from zhi_graph.model import (
    Document,
    ExtractionResult,
    NormalizedText,
    Recognized,
    Resolved,
    Segmented,
)
from zhi_graph.recognize import recognize
from zhi_graph.relate import relate
from zhi_graph.resolve import resolve
from zhi_graph.resources import Resources, load_resources
from zhi_graph.segment import segment
from zhi_graph.store import GraphStore, open_store
from zhi_graph.text.normalize import normalize
from zhi_graph.usercache import FOLDER_VARIABLE

# What the user cache keeps (zhi_graph.usercache) goes to a folder of the test
# run's own, for the processes the tests start too: a developer's ~/.cache
# neither serves the tests nor gets their files.
_USER_CACHE = tempfile.mkdtemp(prefix="zhi-graph-tests-cache-")
os.environ[FOLDER_VARIABLE] = _USER_CACHE
atexit.register(shutil.rmtree, _USER_CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "corpus" / "000_56e6aeb4e85b6bad.txt"
SAMPLE_GOLD = ROOT / "data" / "gold" / "000_56e6aeb4e85b6bad.json"

WriteDoc = Callable[..., Path]

# Property tests (tests/test_pipeline_properties.py): a few hundred examples
# per property in CI; `pytest --hypothesis-profile=thorough` for a long run by
# hand. No deadline: an example's time depends on the machine's load.
for _name, _examples in (("ci", 150), ("thorough", 5000)):
    settings.register_profile(
        _name, max_examples=_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
settings.load_profile("ci")


@pytest.fixture(scope="session")
def resources() -> Resources:
    return load_resources()


@pytest.fixture(scope="session")
def sample_path() -> Path:
    assert SAMPLE.is_file(), SAMPLE
    return SAMPLE


@pytest.fixture(scope="session")
def sample_gold() -> Path:
    assert SAMPLE_GOLD.is_file(), SAMPLE_GOLD
    return SAMPLE_GOLD


@pytest.fixture
def write_doc(tmp_path: Path) -> WriteDoc:
    """Write text (UTF-8) or raw bytes to a fresh file under tmp_path; return its path."""
    numbers = count()

    def write(content: str | bytes, name: str | None = None) -> Path:
        path = tmp_path / (name or f"doc{next(numbers)}.txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
        return path

    return write


@pytest.fixture
def load_text(write_doc: WriteDoc) -> Callable[[str], Document]:
    def run(text: str) -> Document:
        return load(write_doc(text))

    return run


@pytest.fixture
def normalize_text(load_text: Callable[[str], Document]) -> Callable[[str], NormalizedText]:
    def run(text: str) -> NormalizedText:
        return normalize(load_text(text))

    return run


@pytest.fixture
def segment_text(
    normalize_text: Callable[[str], NormalizedText], resources: Resources
) -> Callable[[str], Segmented]:
    def run(text: str) -> Segmented:
        return segment(normalize_text(text), resources)

    return run


@pytest.fixture
def recognize_text(
    segment_text: Callable[[str], Segmented], resources: Resources
) -> Callable[[str], Recognized]:
    def run(text: str) -> Recognized:
        return recognize(segment_text(text), resources)

    return run


@pytest.fixture
def resolve_text(
    recognize_text: Callable[[str], Recognized], resources: Resources
) -> Callable[[str], Resolved]:
    def run(text: str) -> Resolved:
        return resolve(recognize_text(text), resources)

    return run


@pytest.fixture
def extract_text(
    resolve_text: Callable[[str], Resolved], resources: Resources
) -> Callable[[str], ExtractionResult]:
    def run(text: str) -> ExtractionResult:
        return relate(resolve_text(text), resources)

    return run


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def sample_build(
    runner: CliRunner, sample_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Result, Path]:
    """`zhi-graph build` on the sample document, once per session: (CLI result, output folder)."""
    out = tmp_path_factory.mktemp("sample-build") / "out"
    result = runner.invoke(app, ["build", str(sample_path), "--out", str(out)])
    return result, out


@pytest.fixture(scope="module")
def sample_out(sample_build: tuple[Result, Path]) -> Path:
    """The sample build's output folder, once the build is known to have succeeded."""
    result, out = sample_build
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def reference(sample_out: Path) -> GraphStore:
    """The sample graph queried in-process: what the endpoint's answers are compared with."""
    return open_store(sample_out)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Playwright); skipped locally, failed in CI, when missing."""
    # Imported here: test_viz_browser imports this module.
    from test_viz_browser import CHROMIUM_ARGS, chromium, missing

    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright not installed; pip install -e '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# Two small documents for exports: named graphs per document, an award won in two
# years and once undated, relations no sentence states (parent regions).
EXPORT_DOCUMENTS = {
    "a.txt": (
        "《桂林年鉴（2022）》由广西人民出版社出版发行。南宁市、柳州市、桂林市参加。\n"
        "钦州市地方志办公室开设“钦州方志”微信公众号。宾阳县完成二轮修志。\n"
    ),
    "b.txt": (
        "2023年，《柳州年鉴（2022）》入选“广西精品年鉴”。\n"
        "2024年，《柳州年鉴（2022）》获评“广西精品年鉴”。\n"
        "《梧州年鉴》获评“广西精品年鉴”。柳州市地方志办公室位于柳州市城中区。\n"
    ),
}


@pytest.fixture(scope="session")
def two_document_build(runner: CliRunner, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`zhi-graph build` on two small documents, once per session: the output folder."""
    root = tmp_path_factory.mktemp("two-documents")
    paths = []
    for name, text in EXPORT_DOCUMENTS.items():
        (root / name).write_text(text, encoding="utf-8")
        paths.append(str(root / name))
    out = root / "out"
    result = runner.invoke(app, ["build", *paths, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


# Text that a browser would run if a page wrote it as HTML: titles, a file name.
HOSTILE_TEXT = (
    "《<script>alert('title')</script>年鉴（2023）》荣获“中国精品年鉴”。\n"
    "四川省地方志工作办公室编纂《<img src=x onerror=alert('book')>志》。\n"
    "《javascript:alert('link')年鉴（2022）》入选“四川省精品年鉴”。\n"
)
HOSTILE_FILE = "<img src=x onerror=alert('file')>.txt"


@pytest.fixture(scope="session")
def hostile_build(runner: CliRunner, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`zhi-graph build` of a document whose titles and file name are HTML: the output folder."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "in").mkdir()
    (folder / "in" / HOSTILE_FILE).write_text(HOSTILE_TEXT, encoding="utf-8")
    result = runner.invoke(app, ["build", str(folder / "in"), "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return folder / "out"


@pytest.fixture(scope="module", params=["sample", "two-documents"])
def build_folder(
    request: pytest.FixtureRequest,
    sample_build: tuple[Result, Path],
    two_document_build: Path,
) -> Path:
    """Each export test runs on the sample's build and on the two-document build."""
    if request.param == "sample":
        result, out = sample_build
        assert result.exit_code == 0, result.output
        return out
    return two_document_build
