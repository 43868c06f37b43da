"""Refresh the generated parts of README.md from a fresh build of the sample.

    .venv/bin/python scripts/update_readme.py           # rewrite README.md in place
    .venv/bin/python scripts/update_readme.py --check   # exit 1 if README.md is out of date

Two parts are generated: the ```text block right after each ```sparql block
(the first rows the query returns on the sample) and the table in the
"Scores" section (the output of scripts/scores.py).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from rdflib import Graph

from zhi_graph.pipeline import build

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scores

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ROWS = 15  # rows shown per query
WIDTH = 60  # characters shown per value

QUERY_AND_OUTPUT = re.compile(r"(^```sparql\n(.*?)^```\n+```text\n)(.*?)(^```)", re.M | re.S)
SCORES = re.compile(r"(^## Scores\n.*?)(^\| document \|.*?\n)(?=\n|\Z)", re.M | re.S)


def shown(rows: list[tuple[object, ...]]) -> str:
    lines = [
        " | ".join(
            "" if v is None else (s if len(s := str(v)) <= WIDTH else s[:WIDTH] + "…") for v in row
        )
        for row in rows[:ROWS]
    ]
    count = f"{len(rows)} row{'' if len(rows) == 1 else 's'}"
    lines.append(f"… ({count})" if len(rows) > ROWS else f"({count})")
    return "\n".join(lines) + "\n"


def refresh(text: str) -> str:
    with tempfile.TemporaryDirectory(prefix="zhi-readme-") as tmp:
        out = Path(tmp) / "out"
        build([Path("data/corpus")], out, validate=False)
        graph = Graph().parse(out / "graph.ttl", format="turtle")

        def output(match: re.Match[str]) -> str:
            rows = [tuple(row) for row in graph.query(match.group(2))]  # type: ignore[arg-type]
            return match.group(1) + shown(rows) + match.group(4)

        text = QUERY_AND_OUTPUT.sub(output, text)
    results = [(name, scores.score_one(src, gold)) for name, src, gold in scores.documents(ROOT)]
    table = scores.table(results) + "\n"
    return SCORES.sub(lambda m: m.group(1) + table, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether it is current")
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # the README's examples build from the project folder
    old = README.read_text(encoding="utf-8")
    new = refresh(old)
    if args.check:
        print("README.md is up to date" if new == old else "README.md is out of date")
        return 0 if new == old else 1
    README.write_text(new, encoding="utf-8")
    print("README.md refreshed" if new != old else "README.md was already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
