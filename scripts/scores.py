"""Build and score the bundled sample and every hand-written case; print a Markdown table.

    .venv/bin/python scripts/scores.py            # table for the README's "Scores" section
    .venv/bin/python scripts/scores.py --json     # the same numbers as JSON

Each document is built on its own (as ``zhi-graph build FILE -o OUT`` would,
without the shape check, which the tests cover) and scored with
``zhi-graph eval`` against its gold file: the sample against
``data/gold/``, each ``tests/cases/<name>/input.txt`` against its ``gold.json``.
The last row adds up the counts of the tests/cases documents (micro average).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from zhi_graph.evaluate import Evaluation, Score, evaluate
from zhi_graph.model import EntityType
from zhi_graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
ENTITY_TYPES = [t.value for t in EntityType]


def documents(root: Path) -> list[tuple[str, Path, Path]]:
    """(name, input file, gold file): the sample first, then the cases by name."""
    found = [
        (f"sample `{gold.stem}`", root / "data" / "corpus" / f"{gold.stem}.txt", gold)
        for gold in sorted((root / "data" / "gold").glob("*.json"))
    ]
    found += [
        (f"case `{case.name}`", case / "input.txt", case / "gold.json")
        for folder in ("tests/cases", "eval/unseen", "eval/dev", "eval/blind")
        for case in sorted((root / folder).iterdir())
        if (case / "gold.json").exists()
    ]
    return found


def score_one(source: Path, gold: Path) -> Evaluation:
    with tempfile.TemporaryDirectory(prefix="zhi-scores-") as tmp:
        out = Path(tmp) / "out"
        build([source], out, validate=False)
        return evaluate(out, gold)


def add(scores: list[Score]) -> Score:
    return Score(
        sum(s.gold for s in scores),
        sum(s.predicted for s in scores),
        sum(s.true_positive_gold for s in scores),
        sum(s.true_positive_predicted for s in scores),
    )


def row(name: str, entities: dict[str, Score], relations: dict[str, Score]) -> list[str]:
    def f1(scores: dict[str, Score], key: str) -> str:
        s = scores.get(key)
        return "–" if s is None or (s.gold == 0 and s.predicted == 0) else f"{s.f1:.3f}"

    return [
        name,
        f1(entities, "all"),
        *(f1(entities, t) for t in ENTITY_TYPES),
        f1(relations, "receivedAward"),
        f1(relations, "all"),
    ]


def table(results: list[tuple[str, Evaluation]]) -> str:
    header = ["document", "entities", *ENTITY_TYPES, "receivedAward", "relations"]
    rows = [row(name, e.entities, e.relations) for name, e in results]
    cases = [e for name, e in results if name.startswith("case")]
    if cases:
        keys = {k for e in cases for k in e.relations}
        rows.append(
            row(
                "**all cases, micro**",
                {k: add([e.entities[k] for e in cases]) for k in [*ENTITY_TYPES, "all"]},
                {k: add([e.relations[k] for e in cases if k in e.relations]) for k in keys},
            )
        )
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder")
    args = parser.parse_args(argv)
    results = [(name, score_one(src, gold)) for name, src, gold in documents(args.root)]
    if args.json:
        print(json.dumps({name: e.as_dict() for name, e in results}, ensure_ascii=False, indent=2))
    else:
        print("F1 per document (entities: all types, then per type; relations: receivedAward, all)")
        print()
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
