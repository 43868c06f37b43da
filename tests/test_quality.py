"""Extraction quality: the figures the build issue asks for, so a regression fails CI.

The sample document is the development set; the cases under tests/cases/ were
written by hand for other provinces and are never tuned on one by one, so they
guard the extractor's generality.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zhi_graph.evaluate import Evaluation, evaluate
from zhi_graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "corpus" / "000_56e6aeb4e85b6bad.txt"
SAMPLE_GOLD = ROOT / "data" / "gold" / "000_56e6aeb4e85b6bad.json"
CASES = sorted(
    p
    for folder in (ROOT / "tests" / "cases", ROOT / "eval" / "unseen")
    for p in folder.iterdir()
    if (p / "gold.json").exists()
)


def _score(document: Path, gold: Path, tmp: Path) -> Evaluation:
    build([document], tmp, validate=False)
    return evaluate(tmp, gold)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    return _score(SAMPLE, SAMPLE_GOLD, tmp_path_factory.mktemp("sample"))


def test_sample_entities_overall(sample: Evaluation) -> None:
    assert sample.entities["all"].f1 >= 0.95


@pytest.mark.parametrize(
    "entity_type", ["Region", "Institution", "Publication", "Venue", "Award", "Person"]
)
def test_sample_entities_per_type(sample: Evaluation, entity_type: str) -> None:
    assert sample.entities[entity_type].f1 >= 0.90


def test_sample_received_award_with_years(sample: Evaluation) -> None:
    assert sample.relations["receivedAward"].f1 >= 0.95


def test_sample_every_region_has_its_parent(sample: Evaluation) -> None:
    part_of = sample.relations["partOf"]
    assert part_of.recall == 1.0
    assert part_of.precision == 1.0


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_unseen_genre_documents(case: Path, tmp_path: Path) -> None:
    result = _score(case / "input.txt", case / "gold.json", tmp_path)
    assert result.entities["all"].f1 >= 0.85, result.missed_entities
    if result.relations.get("receivedAward") and result.relations["receivedAward"].gold:
        assert result.relations["receivedAward"].f1 >= 0.85, result.missed_relations
