"""zhi_graph.resources: the township table read at once or line by line, to the same divisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhi_graph import resources
from zhi_graph.errors import ResourceError
from zhi_graph.resources import Division, load_townships

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
