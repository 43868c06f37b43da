"""Coverage-guided fuzzing of load → normalise → extract → RDF → shapes (atheris).

Each input is one file's bytes. Its first byte picks how it enters:

- 0: the bytes of a ``.txt`` file (encoding detection, then the pipeline);
- 1: the bytes of an ``.html`` file;
- 2: a ``str`` made from the bytes (any code point, lone surrogates too),
  as a Document built in code.

Every run asserts the properties of ``tests/pipeline_properties.py``; a
failed assertion or any exception other than the loader's InputError is a
crash. Bounded, run by hand (see fuzz/README.md)::

    .venv/bin/python fuzz/fuzz_extract.py fuzz/corpus fuzz/seeds \\
        -max_total_time=600 -max_len=4096 -rss_limit_mb=4096

and, for line coverage of the corpus (coverage.py)::

    .venv/bin/python -m coverage run --source=src/zhi_graph \\
        fuzz/fuzz_extract.py --replay fuzz/corpus fuzz/seeds
    .venv/bin/python -m coverage report
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

with atheris.instrument_imports(include=["zhi_graph", "pipeline_properties"]):
    from pipeline_properties import check_bytes, check_text
    from zhi_graph.resources import load_resources

RESOURCES = load_resources()
_SUFFIXES = (".txt", ".html")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0] % 3, data[1:]
    if mode < len(_SUFFIXES):
        check_bytes(body, RESOURCES, name=f"fuzz{_SUFFIXES[mode]}")
    else:
        provider = atheris.FuzzedDataProvider(body)
        check_text(provider.ConsumeUnicode(len(body)), RESOURCES)


def replay(folders: list[str]) -> None:
    """Run every input of the given corpus folders once, without libFuzzer: for
    line coverage with coverage.py, or to re-check a corpus after a change."""
    files = sorted(f for folder in folders for f in Path(folder).iterdir() if f.is_file())
    for file in files:
        test_one_input(file.read_bytes())
    print(f"replayed {len(files)} inputs: no failure")


def main() -> None:
    check_text("成都市。", RESOURCES)  # load jieba before the clock starts
    if sys.argv[1:2] == ["--replay"]:
        replay(sys.argv[2:])
        return
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
