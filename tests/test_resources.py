"""zhi_graph.resources: the township table read at once or line by line, to the same divisions;
villages looked up in their province's file when first asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhi_graph import resources
from zhi_graph.errors import ResourceError
from zhi_graph.resources import Division, Divisions, Villages, load_townships

GAZETTEER = resources.package_root() / "data" / "gazetteer"
HEADER = "code\tname\tparent\tshort_names\n"
COUNTY = Division("330382", "乐清市", "county", "330300", ("乐清",), ())


def _read(path: Path, by_line: bool) -> dict[str, Division]:
    divisions = {COUNTY.adcode: COUNTY}
    if by_line:
        resources._load_townships_by_line(path, divisions)
    else:
        load_townships(path, divisions)
    return divisions


def test_the_shipped_townships_read_at_once_as_line_by_line() -> None:
    path = GAZETTEER / "townships.tsv"
    divisions = resources.load_divisions(GAZETTEER / "divisions.tsv", GAZETTEER / "countries.tsv")
    by_line = dict(divisions)
    resources._load_townships_by_line(path, by_line)
    load_townships(path, divisions)
    assert list(divisions.items()) == list(by_line.items())
    assert sum(d.level == "township" for d in divisions.values()) > 38_000


@pytest.mark.parametrize(
    "rows",
    [
        "330382101\t柳市镇\t330382\t柳市\n",  # as the project writes them: read at once
        "330382101\t柳市镇\t330382\t\n",  # no short name
        "330382101\t柳市镇\t330382\t柳市|柳川\n",
        "330382101\t柳市镇\t330382\t柳市",  # no line break at the end
        "# a comment\n330382101\t柳市镇\t330382\t柳市\n",
        "\n330382101\t柳市镇\t330382\t柳市\n\n",
        "330382101\t 柳市镇 \t330382\t柳市\n",  # spaces around a cell
        "330382101\t柳市镇\t330382\t柳市||\n",  # an empty short name
        "330382101\t柳市镇\t330382\n",  # a cell missing
    ],
)
def test_any_township_file_reads_as_line_by_line(rows: str, tmp_path: Path) -> None:
    path = tmp_path / "townships.tsv"
    path.write_text(HEADER + rows, encoding="utf-8")
    assert _read(path, by_line=False) == _read(path, by_line=True)
    assert _read(path, by_line=False)["330382101"].parent == COUNTY.adcode


@pytest.mark.parametrize(
    ("rows", "line"),
    [
        ("330382101\t柳市镇\t330382\t柳市\n33038210\t虹桥镇\t330382\t虹桥\n", 3),  # 8 digits
        ("330382101\t柳市镇\t330382\t柳市\n330383101\t某镇\t330383\t\n", 3),  # no such county
    ],
)
def test_a_bad_township_row_is_named_by_its_line(rows: str, line: int, tmp_path: Path) -> None:
    path = tmp_path / "townships.tsv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(ResourceError, match=f"line {line}: bad township row"):
        _read(path, by_line=False)


# --- villages ---------------------------------------------------------------------

VILLAGE_HEADER = "township\tvillages\n"
# Two townships of 乐清市 (330382): a village name both have, one only the first has,
# one that starts with digits, and one that another's name ends with.
VILLAGE_ROWS = "330382101\t201东村|202上东村|203520社区\n330382102\t201东村|205西岙村\n"


def _villages(tmp_path: Path, text: str = VILLAGE_HEADER + VILLAGE_ROWS) -> Villages:
    (tmp_path / "33.tsv").write_text(text, encoding="utf-8")
    return Villages(tmp_path)


@pytest.mark.parametrize(
    ("township", "name", "code"),
    [
        ("330382101", "东村", "330382101201"),
        ("330382101", "上东村", "330382101202"),
        ("330382101", "520社区", "330382101203"),
        ("330382102", "东村", "330382102201"),
        ("330382102", "西岙村", "330382102205"),
        ("330382102", "上东村", None),  # the other township's
        ("330382101", "东", None),  # part of a name
        ("330382101", "20社区", None),  # digits of the code and a name's start
        ("330382103", "东村", None),  # no such township
        ("110101001", "东村", None),  # no file for the province
    ],
)
def test_a_village_is_found_in_its_township(
    tmp_path: Path, township: str, name: str, code: str | None
) -> None:
    assert _villages(tmp_path).in_township(township, name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("西岙村", "330382102205"),
        ("上东村", "330382101202"),
        ("东村", None),  # two townships of the county have one
    ],
)
def test_a_village_is_found_in_its_county_when_only_one_has_its_name(
    tmp_path: Path, name: str, code: str | None
) -> None:
    assert _villages(tmp_path).in_county("330382", name) == code


def test_a_village_division_is_made_when_first_looked_up(tmp_path: Path) -> None:
    divisions = Divisions(_villages(tmp_path))
    assert "330382102205" not in divisions
    village = divisions["330382102205"]
    assert village == Division("330382102205", "西岙村", "village", "330382102", (), ())
    assert "330382102205" in divisions
    assert divisions.get("330382102299") is None
    with pytest.raises(KeyError):
        divisions["330382102299"]
    with pytest.raises(KeyError):
        divisions["not a code"]


def test_the_shipped_villages_answer_for_every_province() -> None:
    divisions = resources.load_resources().divisions
    village = divisions["410425103220"]
    assert (village.name, village.level, village.parent) == ("临沣寨村", "village", "410425103")
    assert resources.load_resources().ancestors("410425103220") == [
        "410425103",
        "410425",
        "410400",
        "410000",
    ]


@pytest.mark.parametrize(
    ("rows", "line"),
    [
        ("330382101\t201东村\n330382102\t东村\n", 3),  # no number
        ("330382101\t201东村\n33038210\t201东村\n", 3),  # an 8-digit township
        ("330382101\t201东村||202西村\n", 2),  # an empty unit
        ("330382101\t201东村\n\n", 3),  # a blank line
    ],
)
def test_a_bad_village_row_is_named_by_its_line(rows: str, line: int, tmp_path: Path) -> None:
    villages = _villages(tmp_path, VILLAGE_HEADER + rows)
    with pytest.raises(ResourceError, match=f"33.tsv: line {line}: not a township code"):
        villages.in_township("330382101", "东村")
