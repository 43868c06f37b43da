"""zhi_graph.cli: exit codes, what is printed, and what is (not) written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from zhi_graph.cli import app

GUANGXI = (
    "《桂林年鉴（2022）》由广西人民出版社出版发行。南宁市、柳州市、桂林市参加。\n"
    "钦州市地方志办公室开设“钦州方志”微信公众号。宾阳县完成二轮修志。\n"
)


def one_line_error(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# --- build -----------------------------------------------------------------


def test_build_sample_writes_turtle_and_trig_and_prints_summary(
    sample_build: tuple[Result, Path],
) -> None:
    result, out = sample_build
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        ".cache",
        "graph.html",
        "graph.trig",
        "graph.ttl",
    ]
    assert (out / "graph.ttl").stat().st_size > 0
    assert (out / "graph.trig").stat().st_size > 0
    summary = result.stdout
    assert re.search(r"^1 document\(s\), [\d,]+ characters, [\d,]+ triples in ", summary, re.M)
    for word in (
        "Region",
        "Institution",
        "Publication",
        "Venue",
        "Award",
        "Person",
        "aboutRegion",
        "partOf",
        "receivedAward",
    ):
        assert word in summary
    assert f"wrote {out / 'graph.ttl'}" in summary
    assert f"wrote {out / 'graph.trig'}" in summary
    assert f"wrote {out / 'graph.html'}" in summary
    assert re.search(r"page \d+\.\d\d s\)", summary)
    assert result.stderr == ""


def test_build_folder_builds_every_document(runner: CliRunner, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_text(GUANGXI, encoding="utf-8")
    (docs / "sub" / "b.md").write_bytes(GUANGXI.replace("钦州", "北海").encode("gb18030"))
    (docs / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # a format folders skip
    out = tmp_path / "out"

    result = runner.invoke(app, ["build", str(docs), "--out", str(out), "--no-validate"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2 document(s)")
    assert (out / "graph.trig").read_text(encoding="utf-8").count("a zhi:Document") == 2


def test_build_into_a_folder_of_the_corpus_reads_its_own_page_in_no_later_build(
    runner: CliRunner, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(GUANGXI, encoding="utf-8")
    out = docs / "out"
    first = runner.invoke(app, ["build", str(docs), "--out", str(out), "--no-validate"])
    assert first.exit_code == 0, first.output
    assert (out / "graph.html").is_file()

    again = runner.invoke(app, ["build", str(docs), "--out", str(out), "--no-validate"])

    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("1 document(s)")
    assert "graph.html" not in (out / "graph.trig").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "data", "word"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b" \n\n ", "empty"),
        ("scan.txt", b"\x00\x01\x02PK\x03\x04" + bytes(100), "binary"),
        ("latin1.txt", b"\xff\xfe\xfd caf\xe9 \xff", "decode"),
        ("report.pdf", b"%PDF-1.7 ...", "damaged or not a PDF"),
        ("report.doc", b"\xd0\xcf\x11\xe0", "unsupported file type .doc; save it as .docx"),
        ("missing.txt", None, "no such file"),
    ],
)
def test_build_rejects_bad_input_with_one_line_naming_the_file_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, name: str, data: bytes | None, word: str
) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    out = tmp_path / "out"

    result = runner.invoke(app, ["build", str(path), "--out", str(out)])

    assert result.exit_code == 2
    line = one_line_error(result)
    assert str(path) in line
    assert word in line
    assert result.stdout == ""
    assert not out.exists() or list(out.iterdir()) == []


# Files a folder may hold that are not readable documents: each is skipped by name.
UNREADABLE = {
    "empty.txt": (b"", "empty"),
    "latin1.txt": (b"\xff\xfe\xfd caf\xe9 \xff", "decode"),
    "image.md": (b"\x89PNG\r\n\x1a\n" + bytes(64), "binary"),
    "scan.pdf": (b"%PDF-1.7 ...", "damaged or not a PDF"),
    "report.docx": (b"PK\x03\x04 not a zip", "docx"),
}


def test_build_skips_unreadable_files_by_name_builds_the_rest_and_exits_7(
    runner: CliRunner, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(GUANGXI, encoding="utf-8")
    (docs / "b.txt").write_bytes(GUANGXI.replace("钦州", "北海").encode("big5", "replace"))
    for name, (data, _) in UNREADABLE.items():
        (docs / name).write_bytes(data)
    out = tmp_path / "out"

    result = runner.invoke(app, ["build", str(docs), "--out", str(out)])

    assert result.exit_code == 7, result.output
    assert result.stdout.startswith("2 document(s)")
    assert f"wrote {out / 'graph.ttl'}" in " ".join(result.stdout.split())
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == len(UNREADABLE)
    for line, (name, (_, word)) in zip(skipped, sorted(UNREADABLE.items()), strict=True):
        assert line.startswith(f"skipped {docs / name}: "), line
        assert word in line, line
    note = "5 file(s) skipped; the graph holds the other 2 (exit code 7)"
    assert note in " ".join(result.stderr.split())
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    assert trig.count("a zhi:Document") == 2
    assert "empty.txt" not in trig


def test_skipped_files_are_not_cached_and_a_later_build_reads_them(
    runner: CliRunner, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(GUANGXI, encoding="utf-8")
    (docs / "b.txt").write_bytes(b"")
    out = tmp_path / "out"
    args = ["build", str(docs), "--out", str(out), "--no-html"]

    first = runner.invoke(app, args)
    again = runner.invoke(app, args)
    (docs / "b.txt").write_text(GUANGXI.replace("钦州", "北海"), encoding="utf-8")
    fixed = runner.invoke(app, args)

    assert first.exit_code == 7 and f"skipped {docs / 'b.txt'}: " in first.stderr
    assert again.exit_code == 7 and f"skipped {docs / 'b.txt'}: " in again.stderr
    assert "(0 read, 1 from the cache" in " ".join(again.stdout.split())
    assert fixed.exit_code == 0, fixed.output
    assert fixed.stderr == ""
    assert fixed.stdout.startswith("2 document(s)")
    assert "(1 read, 1 from the cache" in " ".join(fixed.stdout.split())


def test_build_where_no_file_can_be_read_exits_2_names_each_and_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_bytes(b"")
    (docs / "b.txt").write_bytes(b"\xff\xfe\xfd caf\xe9 \xff")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("older output", encoding="utf-8")

    result = runner.invoke(app, ["build", str(docs), "--out", str(out)])

    assert result.exit_code == 2
    line = one_line_error(result)
    assert "none of the 2 files could be read" in line
    assert f"{docs / 'a.txt'}: the file is empty" in line
    assert f"{docs / 'b.txt'}: " in line and "decode" in line
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["keep.txt"]


def test_build_error_names_a_file_whose_name_looks_like_markup(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "doc[red].txt"
    path.write_bytes(b"")
    result = runner.invoke(app, ["build", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert str(path) in one_line_error(result)


def test_build_without_arguments_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["build", "--help"])
    assert result.exit_code == 0
    assert "Example: zhi-graph build" in result.stdout


# --- eval ------------------------------------------------------------------


def test_eval_prints_precision_recall_f1_tables(
    runner: CliRunner, sample_build: tuple[Result, Path], sample_gold: Path
) -> None:
    _, out = sample_build
    result = runner.invoke(app, ["eval", str(out), "--gold", str(sample_gold)])

    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "document: 000_56e6aeb4e85b6bad.txt" in text
    assert "entities" in text and "relations" in text
    for column in ("gold", "pred", "P", "R", "F1"):
        assert re.search(rf"\b{column}\b", text)
    rows = re.findall(
        r"^\W*(\w+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│\s*([\d.]+)\s*│\s*([\d.]+)\s*│"
        r"\s*([\d.]+)",
        text,
        re.M,
    )
    names = [r[0] for r in rows]
    for name in ("Region", "Person", "all", "partOf", "receivedAward"):
        assert name in names
    for _, _, _, p, r, f1 in rows:
        assert 0.0 <= float(p) <= 1.0 and 0.0 <= float(r) <= 1.0 and 0.0 <= float(f1) <= 1.0


def test_eval_json_prints_json(
    runner: CliRunner, sample_build: tuple[Result, Path], sample_gold: Path
) -> None:
    _, out = sample_build
    result = runner.invoke(app, ["eval", str(out), "--gold", str(sample_gold), "--json"])

    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["document"] == "000_56e6aeb4e85b6bad.txt"
    assert set(scores) == {"document", "entities", "relations"}
    region = scores["entities"]["Region"]
    assert set(region) == {"gold", "predicted", "precision", "recall", "f1"}
    assert region["gold"] > 0
    assert "all" in scores["relations"]
    # a build of the very document the gold describes must score well
    assert scores["entities"]["all"]["f1"] > 0.5


def test_eval_show_errors_lists_misses(
    runner: CliRunner, sample_build: tuple[Result, Path], sample_gold: Path
) -> None:
    _, out = sample_build
    result = runner.invoke(
        app, ["eval", str(out / "graph.trig"), "--gold", str(sample_gold), "--show-errors", "3"]
    )
    assert result.exit_code == 0, result.output
    for title in ("missed entities", "spurious entities", "missed relations", "spurious relations"):
        assert title in result.stdout


@pytest.mark.parametrize(
    ("gold", "graph", "message"),
    [
        ("not json", None, "not a gold annotation file"),
        (None, "empty-out/", "no graph.trig in this folder"),
        # the document itself where its build was wanted: rdflib's traceback, once
        (None, "input.txt", "is a document, not a graph; build it first"),
        (None, "graph.rdfs", "unknown graph file suffix '.rdfs'"),
        (None, "broken.nq", "cannot parse the graph as NQUADS"),
        (None, "broken.trig", "cannot parse the graph as TRIG"),
    ],
    ids=["bad-gold", "no-build", "document-not-graph", "bad-suffix", "bad-nquads", "bad-trig"],
)
def test_eval_input_errors_exit_2_naming_the_file(
    runner: CliRunner,
    sample_build: tuple[Result, Path],
    sample_gold: Path,
    tmp_path: Path,
    gold: str | None,
    graph: str | None,
    message: str,
) -> None:
    _, out = sample_build
    gold_path = sample_gold
    if gold is not None:
        gold_path = tmp_path / "gold.json"
        gold_path.write_text(gold, encoding="utf-8")
    given = out
    if graph is not None:
        given = tmp_path / graph
        if graph.endswith("/"):
            given.mkdir()
        else:
            given.write_text("四川省地方志办公室 <a> <b> {\n", encoding="utf-8")

    result = runner.invoke(app, ["eval", str(given), "--gold", str(gold_path)])

    assert result.exit_code == 2, result.output
    line = one_line_error(result)
    assert str(gold_path if gold is not None else given) in line
    assert message in line


# --- validate --------------------------------------------------------------


def test_validate_good_graph_exits_0(runner: CliRunner, sample_build: tuple[Result, Path]) -> None:
    _, out = sample_build
    result = runner.invoke(app, ["validate", str(out / "graph.ttl")])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{out / 'graph.ttl'}: conforms"


@pytest.fixture(scope="module")
def small_graph(runner: CliRunner, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    doc = root / "guangxi.txt"
    doc.write_text(GUANGXI, encoding="utf-8")
    result = runner.invoke(app, ["build", str(doc), "--out", str(root / "out")])
    assert result.exit_code == 0, result.output
    return root / "out" / "graph.ttl"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param('zhi:adcode "450300"', 'zhi:adcode "45030X"', "45030X", id="bad-adcode"),
        pytest.param(
            'zhi:adcode "450300"', 'zhi:adcode "450100"', "450100", id="adcode-disagrees-with-iri"
        ),
    ],
)
def test_validate_corrupted_graph_exits_5_and_prints_the_violation(
    runner: CliRunner, small_graph: Path, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    text = small_graph.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.ttl"
    bad.write_text(text.replace(old, new), encoding="utf-8")

    result = runner.invoke(app, ["validate", str(bad)])

    assert result.exit_code == 5
    assert "桂林市" in result.stdout
    assert expected in result.stdout
    assert "region/450300" in result.stdout
    # rich wraps this summary at 80 columns (soft_wrap is not set), so compare words
    assert re.search(r"bad\.ttl: \d+ violation\(s\)", " ".join(result.stderr.split()))


def test_validate_small_graph_conforms(runner: CliRunner, small_graph: Path) -> None:
    result = runner.invoke(app, ["validate", str(small_graph)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("this is not rdf at all {", id="garbage"),
        pytest.param(
            "@prefix zhi: <https://w3id.org/zhi-graph/ontology#> .\nzhi:a zhi:b",
            id="truncated",
        ),
    ],
)
def test_validate_unparseable_file_is_an_error_naming_it(
    runner: CliRunner, tmp_path: Path, content: str
) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}: cannot parse the graph")


def test_build_no_html_writes_no_page(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GUANGXI, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "a.txt"), "-o", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [".cache", "graph.trig", "graph.ttl"]


def test_build_no_html_removes_the_page_of_another_graph(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(GUANGXI, encoding="utf-8")
    out = tmp_path / "out"
    build = ["build", str(source), "-o", str(out)]
    assert runner.invoke(app, build).exit_code == 0
    assert (out / "graph.html").is_file()
    # Nothing changed: the page still draws this graph and stays.
    assert runner.invoke(app, [*build, "--no-html"]).exit_code == 0
    assert (out / "graph.html").is_file()
    source.write_text(GUANGXI + "\n四川省成都市地方志办公室编纂《成都年鉴》。\n", encoding="utf-8")
    result = runner.invoke(app, [*build, "--no-html"])
    assert result.exit_code == 0, result.output
    assert not (out / "graph.html").exists()


# Runs the command line with rdflib made unimportable: an import of it, in this
# process or in a worker forked from it, raises ModuleNotFoundError.
WITHOUT_RDFLIB = """
import sys
sys.modules["rdflib"] = None
from zhi_graph.cli import app
app()
"""


@pytest.mark.parametrize(
    ("workers", "page"), [("1", "--no-html"), ("2", "--no-html"), ("1", "--html")]
)
def test_build_never_imports_rdflib(tmp_path: Path, workers: str, page: str) -> None:
    """rdflib takes a tenth of a second to import, and a build writes its N-Triples
    itself: neither a first build (extraction, RDF, the shape check) nor a build of
    unchanged files imports it, in the main process or in the workers."""
    source = tmp_path / "in"
    source.mkdir()
    for i, line in enumerate(GUANGXI.splitlines()):
        (source / f"{i}.txt").write_text(line + "\n", encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-c", WITHOUT_RDFLIB, "build", str(source), "-o", str(out)]
    # A first build extracts, converts and checks (in the workers, with two); the
    # second reads every document from the cache.
    for said in (f"2 read, 0 from the cache, {workers} worker(s)", "0 read, 2 from the cache"):
        done = subprocess.run(
            [*command, "--workers", workers, page],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert said in " ".join(done.stdout.split())
    assert (out / "graph.html").exists() == (page == "--html")


# --- viz -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "shown"),
    [
        ([], r"wrote {target} \((\d+) of \1 entities, \d+ relation\(s\); [\d,]+ KiB\)"),
        (
            ["--focus", "成都市", "--depth", "2"],
            r"wrote {target} \(\d+ of \d+ entities, \d+ relation\(s\); [\d,]+ KiB\)",
        ),
        (
            ["--types", "Publication,Award", "--min-degree", "2"],
            r"wrote {target} \(\d+ of \d+ entities, \d+ relation\(s\); [\d,]+ KiB\)",
        ),
        (
            ["--map"],
            r"wrote {target} \(\d+ region\(s\), \d+ award conferral\(s\) counted; [\d,]+ KiB\)",
        ),
    ],
)
def test_viz_writes_one_page_and_says_what_it_shows(
    runner: CliRunner,
    sample_build: tuple[Result, Path],
    tmp_path: Path,
    arguments: list[str],
    shown: str,
) -> None:
    target = tmp_path / "page.html"
    result = runner.invoke(app, ["viz", str(sample_build[1]), "-o", str(target), *arguments])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(shown.format(target=re.escape(str(target))), result.stdout.strip())
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temporary file left


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--focus", "不存在市"], "no entity is named '不存在市' in the graph"),
        (["--types", "Publication,Foo"], "unknown type 'Foo' in --types"),
        (["--min-degree", "-1"], "--min-degree must be 0 or more"),
    ],
)
def test_viz_bad_cuts_exit_2_and_write_nothing(
    runner: CliRunner,
    sample_build: tuple[Result, Path],
    tmp_path: Path,
    arguments: list[str],
    message: str,
) -> None:
    target = tmp_path / "page.html"
    result = runner.invoke(app, ["viz", str(sample_build[1]), "-o", str(target), *arguments])
    assert result.exit_code == 2, result.output
    assert message in one_line_error(result)
    assert not target.exists()


def test_viz_of_a_folder_without_a_graph_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["viz", str(tmp_path), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert "run `zhi-graph build` first" in one_line_error(result)


def test_viz_into_an_unwritable_place_exits_4(
    runner: CliRunner, sample_build: tuple[Result, Path], tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = runner.invoke(
        app, ["viz", str(sample_build[1]), "-o", str(tmp_path / "file" / "x.html")]
    )
    assert result.exit_code == 4
    assert "cannot write the file" in one_line_error(result)
