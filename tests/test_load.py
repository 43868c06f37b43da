"""zhi_graph.load: files and folders in, Documents out, InputError for anything else."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from zhi_graph.errors import InputError, ZhiGraphError
from zhi_graph.load import decode, discover, load, load_all

# Chinese, full-width punctuation, digits, Latin and two paragraphs: all encodable in GBK.
TEXT = (
    "河南省地方志工作办公室印发《关于加强综合年鉴编纂工作的意见》（试行）。\n"
    "\n"
    "2024年，全省新建方志馆5个、村史馆12个，“方志中原”APP上线。\n"
)


# The same chronicle in traditional characters, as Taiwan and Hong Kong offices write it.
TRADITIONAL = (
    "臺灣省文獻委員會編纂《臺灣省通志》，歷時十年。\n"
    "\n"
    "2024年，新竹縣政府出版《新竹縣志》續修本，獲評優秀地方志書。\n"
)
# Chinese without a single ASCII character, so no NUL byte in UTF-16.
NO_ASCII = "四川省地方志工作办公室编纂《四川年鉴》，全省地方志系统统一部署。"


@pytest.mark.parametrize(
    ("text", "encoding", "expected_codec"),
    [
        (TEXT, "utf-8", "utf-8-sig"),
        (TEXT, "utf-8-sig", "utf-8-sig"),  # with a byte-order mark, which must not reach the text
        (TEXT, "utf-16", "utf-16-le"),  # Python writes a little-endian mark
        (TEXT, "utf-16-be-bom", "utf-16-be"),
        (TEXT, "utf-16-le", "utf-16-le"),  # no mark: the byte order that reads as Chinese
        (TEXT, "utf-16-be", "utf-16-be"),
        (NO_ASCII, "utf-16-le", "utf-16-le"),  # no mark and no NUL: tried last
        (TEXT, "utf-32", "utf-32-le"),
        (TEXT, "gb18030", "gb18030"),
        (TEXT, "gbk", "gb18030"),
        (TEXT, "gb2312", "gb18030"),
        (NO_ASCII, "gb2312", "gb18030"),
        (TRADITIONAL, "big5", "big5"),  # not read as GBK, which decodes the same bytes
        (TRADITIONAL, "cp950", "big5"),
        (TRADITIONAL, "utf-8", "utf-8-sig"),
    ],
)
def test_encodings_decode_to_the_same_text(
    tmp_path: Path, text: str, encoding: str, expected_codec: str
) -> None:
    if encoding == "utf-16-be-bom":
        data = "\ufeff".encode("utf-16-be") + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    path = tmp_path / "doc.txt"
    path.write_bytes(data)

    document = load(path)

    assert document.text == text
    assert not document.text.startswith("\ufeff")
    assert document.encoding == expected_codec
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.path == path
    assert document.name == "doc.txt"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_only_the_byte_order_mark_is_removed_not_a_zwnbsp_after_it(
    tmp_path: Path, encoding: str
) -> None:
    # Found by Hypothesis: the mark was removed, then the codec removed the next U+FEFF.
    path = tmp_path / "doc.txt"
    path.write_bytes(("\ufeff" + TEXT).encode(encoding))
    assert load(path).text == "\ufeff" + TEXT


def test_crlf_is_kept_so_offsets_match_the_file(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("第一行。\r\n第二行。\r\n".encode())
    assert load(path).text == "第一行。\r\n第二行。\r\n"


def _bad_files() -> list[tuple[str, str, bytes, str]]:
    # (case id, file name, bytes, a word the message must contain)
    return [
        ("empty", "empty.txt", b"", "empty"),
        ("blank", "blank.txt", b"  \r\n\n\t \n", "empty"),
        ("binary-nul", "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary"),
        ("nul-in-text", "nul.md", "方志".encode() + b"\x00" + "馆".encode(), "binary"),
        ("undecodable", "latin.txt", b"\xff\xfe\xfd\xfc caf\xe9 \xff\xff", "decode"),
        ("control-chars", "ctrl.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08 abc", "decode"),
        ("utf-16-odd", "odd.txt", codecs.BOM_UTF16_LE + "方志".encode("utf-16-le")[:3], "decode"),
        ("utf-16-blank", "blank16.txt", " \n\n ".encode("utf-16"), "empty"),
        ("utf-8-bom-only", "bom.txt", codecs.BOM_UTF8, "empty"),
        ("random-bytes", "noise.txt", bytes(range(128, 256)) * 4, "decode"),
    ]


@pytest.mark.parametrize(
    ("name", "data", "word"),
    [case[1:] for case in _bad_files()],
    ids=[case[0] for case in _bad_files()],
)
def test_unreadable_files_raise_input_error_naming_the_file(
    tmp_path: Path, name: str, data: bytes, word: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)

    with pytest.raises(InputError) as caught:
        list(load_all([path]))

    assert str(path) in str(caught.value)
    assert word in str(caught.value)
    assert caught.value.path == path
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda p: load(p), id="load"),
        pytest.param(lambda p: discover([p]), id="discover"),
        pytest.param(lambda p: list(load_all([p])), id="load_all"),
    ],
)
def test_missing_path_raises_input_error_naming_it(
    tmp_path: Path, call: Callable[[Path], object]
) -> None:
    missing = tmp_path / "no-such-report.txt"
    with pytest.raises(InputError, match=r"no-such-report\.txt") as caught:
        call(missing)
    assert isinstance(caught.value, ZhiGraphError)


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("report.doc", "save it as .docx"),
        ("report.wps", "save it as .docx"),
        ("report", ".docx, .htm, .html, .md, .pdf, .txt"),
        ("graph.ttl", ".docx, .htm, .html, .md, .pdf, .txt"),
    ],
)
def test_unsupported_suffix_raises_input_error_naming_the_file(
    tmp_path: Path, name: str, advice: str
) -> None:
    path = tmp_path / name
    path.write_bytes("四川省地方志工作办公室".encode())
    with pytest.raises(InputError) as caught:
        discover([path])
    assert str(path) in str(caught.value)
    assert "unsupported" in str(caught.value)
    assert advice in str(caught.value)


def test_folder_discovery_is_recursive_sorted_and_documents_only(tmp_path: Path) -> None:
    wanted = [
        "a.txt",
        "b.md",
        "f.pdf",
        "nested/deeper/c.txt",
        "nested/deeper/h.html",
        "nested/d.MD",
        "nested/e.TXT",
        "nested/g.docx",
        "nested/i.HTM",
    ]
    ignored = ["j.doc", "nested/txt", "notes.txt.bak", "nested/k.pdf.part", "l.xlsx"]
    for name in [*wanted, *ignored]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes("方志".encode())
    (tmp_path / "empty-folder.txt").mkdir()  # a folder with a document's suffix is not a file

    found = discover([tmp_path])

    assert found == sorted(tmp_path / name for name in wanted)


def test_discovery_deduplicates_and_merges_arguments(tmp_path: Path) -> None:
    for name in ("one/a.txt", "two/b.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes("方志".encode())

    found = discover([tmp_path / "two", tmp_path / "one", tmp_path / "one" / "a.txt"])

    assert found == [tmp_path / "one" / "a.txt", tmp_path / "two" / "b.md"]


@pytest.mark.parametrize(
    ("files", "given", "read"),
    [
        # an earlier build into corpus/out: its page is no document of the corpus
        (["a.txt", "out/.cache/lock", "out/graph.html", "out/graph.ttl"], "", ["a.txt"]),
        (["a.txt", "x/y/out/.cache/lock", "x/y/out/graph.html", "x/b.md"], "", ["a.txt", "x/b.md"]),
        # a folder named like a cache, without a build's graphs, is an ordinary folder
        (["a.txt", "notes/.cache/lock", "notes/c.html"], "", ["a.txt", "notes/c.html"]),
        (["a.txt", "notes/graph.html"], "", ["a.txt", "notes/graph.html"]),
        # a page of a build given by its own name is read: it was asked for
        (["out/.cache/lock", "out/graph.html"], "out/graph.html", ["out/graph.html"]),
        # built into the corpus's own folder (-o corpus/): its documents, not its page
        (["a.txt", ".cache/lock", "graph.html", "sub/graph.html"], "", ["a.txt", "sub/graph.html"]),
    ],
    ids=[
        "output-inside",
        "output-deeper",
        "cache-alone",
        "graphs-alone",
        "file-given",
        "into-root",
    ],
)
def test_discovery_skips_the_output_folders_of_builds(
    tmp_path: Path, files: list[str], given: str, read: list[str]
) -> None:
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes("方志".encode())

    assert discover([tmp_path / given]) == [tmp_path / name for name in read]


def test_a_build_output_folder_given_alone_says_why_nothing_is_read(tmp_path: Path) -> None:
    for name in (".cache/lock", "graph.html", "graph.trig"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(InputError, match="output folders are not read"):
        discover([tmp_path])


def test_folder_without_documents_raises_input_error(tmp_path: Path) -> None:
    (tmp_path / "scan.tiff").write_bytes(b"II*\x00")
    names = r"\(\.docx, \.htm, \.html, \.md, \.pdf, \.txt\)"
    with pytest.raises(InputError, match=rf"no documents {names}") as caught:
        discover([tmp_path])
    assert str(tmp_path) in str(caught.value)


def test_load_all_reads_every_discovered_file_in_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes("乙".encode("gbk"))
    (tmp_path / "a.txt").write_bytes("甲".encode())
    assert [d.text for d in load_all([tmp_path])] == ["甲", "乙"]


def test_every_line_of_the_sample_in_gbk_is_read_as_gbk_not_big5(sample_path: Path) -> None:
    # GBK and Big5 share their byte structure: most GBK lines also decode as Big5.
    lines = [line for line in sample_path.read_text(encoding="utf-8").splitlines() if line]
    checked = 0
    for line in lines:
        try:
            data = line.encode("gbk")
        except UnicodeEncodeError:
            continue
        assert decode(data, sample_path) == (line, "gb18030"), line
        checked += 1
    assert checked > 50


@pytest.mark.parametrize(
    "text",
    ["臺灣省通志", "新竹縣志", "香港地方志中心成立於2019年，編纂《香港志》。", "國家圖書館藏"],
)
def test_short_big5_text_is_read_as_big5(tmp_path: Path, text: str) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    document = load(path)
    assert (document.text, document.encoding) == (text, "big5")
