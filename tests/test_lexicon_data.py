"""Shape and content checks for the general-knowledge lexicon under data/lexicon."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

LEX = Path(__file__).resolve().parent.parent / "data" / "lexicon"

VALID_TYPES = {"Region", "Institution", "Publication", "Venue", "Award", "Person"}
JSONL_FILES = sorted(LEX.glob("*.jsonl"))
EXPECTED_JSONL = {
    "national_institutions.jsonl": "Institution",
    "platforms.jsonl": "Venue",
    "national_awards.jsonl": "Award",
    "universities.jsonl": "Institution",
}
TXT_FILES = ["surnames.txt", "titles.txt"]

# Names local to the seed document: the extractor must find them by rules,
# so they may appear nowhere in the lexicon.
FORBIDDEN = [
    "成都方志馆",
    "方志四川",
    "巴蜀史志",
    "四川省情网",
    "眉山史志馆",
    "南充市方志馆",
    "四川方志云",
    "若水",
    "蜀韵纪事",
]

# GB/T 2260 province-level prefixes (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82)
ADCODE = re.compile(r"(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])\d{4}")


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - message only
            raise AssertionError(f"{path.name}:{n}: not JSON: {exc}") from exc
        assert isinstance(obj, dict), f"{path.name}:{n}: not an object"
        rows.append(obj)
    return rows


def test_expected_files_exist() -> None:
    for name in [*EXPECTED_JSONL, *TXT_FILES, "SOURCES.md"]:
        assert (LEX / name).is_file(), name


@pytest.mark.parametrize("path", JSONL_FILES, ids=lambda p: p.name)
def test_jsonl_entries_are_well_formed(path: Path) -> None:
    rows = load(path)
    assert rows, f"{path.name} is empty"
    for obj in rows:
        where = f"{path.name}: {obj.get('label')!r}"
        assert obj.get("type") in VALID_TYPES, where
        label = obj.get("label")
        assert isinstance(label, str) and label.strip() == label != "", where
        aliases = obj.get("aliases", [])
        assert isinstance(aliases, list), where
        assert all(isinstance(a, str) and a.strip() == a != "" for a in aliases), where
        assert obj["label"] not in aliases, where
        assert len(set(aliases)) == len(aliases), where
        if "region" in obj:
            assert isinstance(obj["region"], str), where
            assert ADCODE.fullmatch(obj["region"]), where


@pytest.mark.parametrize("path", JSONL_FILES, ids=lambda p: p.name)
def test_no_duplicate_labels_and_sorted(path: Path) -> None:
    labels = [obj["label"] for obj in load(path)]
    dupes = sorted({x for x in labels if labels.count(x) > 1})
    assert not dupes, f"{path.name}: duplicate labels {dupes}"
    assert labels == sorted(labels), f"{path.name} is not sorted by label"


@pytest.mark.parametrize("name,typ", sorted(EXPECTED_JSONL.items()))
def test_file_types(name: str, typ: str) -> None:
    assert {obj["type"] for obj in load(LEX / name)} == {typ}


@pytest.mark.parametrize("name", sorted(EXPECTED_JSONL))
def test_no_name_used_twice_within_file(name: str) -> None:
    owner: dict[str, str] = {}
    for obj in load(LEX / name):
        for form in [obj["label"], *obj.get("aliases", [])]:
            assert form not in owner, (
                f"{name}: {form!r} names {owner.get(form)!r} and {obj['label']!r}"
            )
            owner[form] = obj["label"]


def test_conferred_by_points_at_a_known_institution() -> None:
    names = {
        form
        for obj in load(LEX / "national_institutions.jsonl")
        for form in [obj["label"], *obj.get("aliases", [])]
    }
    for obj in load(LEX / "national_awards.jsonl"):
        if "conferred_by" in obj:
            given = obj["conferred_by"]
            bodies = [given] if isinstance(given, str) else given
            assert bodies, obj
            assert all(body in names for body in bodies), obj


def test_key_entries_present() -> None:
    inst = {o["label"]: o for o in load(LEX / "national_institutions.jsonl")}
    assert "中志办" in inst["中国地方志工作办公室"]["aliases"]
    assert "中宣部" in inst["中共中央宣传部"]["aliases"]
    assert {"中共中央", "党中央"} <= set(inst["中国共产党中央委员会"]["aliases"])
    venues = {o["label"] for o in load(LEX / "platforms.jsonl")}
    assert {"抖音", "快手", "微博", "哔哩哔哩", "学习强国", "北京国际图书博览会"} <= venues
    awards = {o["label"]: o for o in load(LEX / "national_awards.jsonl")}
    assert awards["中国精品年鉴"]["conferred_by"] == "中国地方志工作办公室"
    assert awards["经典中国国际出版工程"]["conferred_by"] == "中共中央宣传部"
    # a joint honour: both bodies
    assert awards["全国地方志系统先进集体"]["conferred_by"] == [
        "人力资源和社会保障部",
        "中国地方志指导小组",
    ]


def test_universities_cover_the_national_list() -> None:
    rows = {o["label"]: o for o in load(LEX / "universities.jsonl")}
    assert len(rows) >= 2700
    assert all("region" in o for o in rows.values())
    assert rows["西华师范大学"]["region"] == "511300"
    assert rows["北京大学"]["region"] == "110000"
    assert rows["中国石油大学（华东）"]["region"] == "370200"
    assert rows["石河子大学"]["region"] == "659001"


@pytest.mark.parametrize("name", TXT_FILES)
def test_txt_lists(name: str) -> None:
    lines = (LEX / name).read_text(encoding="utf-8").splitlines()
    items = [x for x in lines if x and not x.startswith("#")]
    assert items and all(x == x.strip() and " " not in x for x in items)
    assert len(items) == len(set(items)), f"{name} has duplicates"


def test_surnames() -> None:
    names = set((LEX / "surnames.txt").read_text(encoding="utf-8").split())
    assert len(names) >= 500
    assert {"王", "李", "张", "刘", "陈", "欧阳", "诸葛", "司马", "冀", "黄", "高"} <= names
    assert all(1 <= len(n) <= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", n) for n in names)


def test_titles() -> None:
    titles = set((LEX / "titles.txt").read_text(encoding="utf-8").split())
    expected = set(
        [
            "书记",
            "副书记",
            "省长",
            "副省长",
            "主任",
            "副主任",
            "秘书长",
            "组长",
            "常务副组长",
            "院长",
            "馆长",
            "部长",
            "厅长",
            "局长",
            "主席",
            "副主席",
            "市长",
            "县长",
            "区长",
            "党组书记",
        ]
    )
    assert expected <= titles


def test_no_local_names_from_the_seed_document() -> None:
    hits = []
    for path in sorted(LEX.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        hits += [f"{path.relative_to(LEX)}: {s}" for s in FORBIDDEN if s in text]
    assert not hits, hits
