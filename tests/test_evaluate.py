"""Scoring follows the annotation guide: sets of canonical entities, names normalised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import URIRef

from zhi_graph.errors import InputError
from zhi_graph.evaluate import NamedEntity, load_gold, score
from zhi_graph.model import EntityType
from zhi_graph.text.keys import name_key


def _entity(type_: EntityType, *names: str) -> NamedEntity:
    return NamedEntity(type_, names[0], frozenset(name_key(n) for n in names))


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("《成都年鉴（2023）》", "成都年鉴(2023)"),
        ("成都年鉴(2023)", "成都年鉴(2023)"),
        ("“方志四川”", "方志四川"),
        ("喜马拉雅 FM 电台", "喜马拉雅FM电台"),
        ("〈四川省志〉质量体系建设纲要（试行）", "四川省志质量体系建设纲要(试行)"),
    ],
)
def test_name_key_normalises_as_the_guide_says(raw: str, key: str) -> None:
    assert name_key(raw) == key


def test_alias_match_counts_and_type_must_agree() -> None:
    gold = [
        _entity(EntityType.INSTITUTION, "四川省地方志工作办公室", "省地方志办"),
        _entity(EntityType.REGION, "甘孜藏族自治州", "甘孜州"),
    ]
    predicted = {
        URIRef("urn:a"): _entity(EntityType.INSTITUTION, "四川省地方志办公室", "省地方志办"),
        URIRef("urn:b"): _entity(EntityType.VENUE, "甘孜州"),
    }
    result = score("doc", gold, [], predicted, set())
    assert result.entities["Institution"].f1 == 1.0
    assert result.entities["Region"].recall == 0.0
    assert result.entities["Venue"].precision == 0.0


@pytest.mark.parametrize(
    ("predicted_year", "gold_year", "correct"),
    [(2023, 2023, True), (2024, 2023, False), (None, 2023, False), (2023, None, True)],
)
def test_year_must_match_where_gold_has_one(
    predicted_year: int | None, gold_year: int | None, correct: bool
) -> None:
    gold = [
        _entity(EntityType.PUBLICATION, "广安年鉴（2023）"),
        _entity(EntityType.AWARD, "四川省精品年鉴"),
    ]
    a, b = URIRef("urn:a"), URIRef("urn:b")
    predicted = {a: gold[0], b: gold[1]}
    relations = [("receivedAward", "广安年鉴（2023）", "四川省精品年鉴", gold_year)]
    result = score("doc", gold, relations, predicted, {("receivedAward", a, b, predicted_year)})
    assert (result.relations["receivedAward"].f1 == 1.0) is correct


def test_gold_parents_become_part_of_relations(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text(
        json.dumps(
            {
                "document": "x.txt",
                "entities": [
                    {"type": "Region", "label": "四川省"},
                    {"type": "Region", "label": "成都市", "parent": "四川省"},
                ],
                "relations": [],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    _, entities, relations = load_gold(path)
    assert len(entities) == 2
    assert relations == [("partOf", "成都市", "四川省", None)]


def test_a_file_that_is_not_gold_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.json"):
        load_gold(path)
