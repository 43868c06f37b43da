"""zhi_graph.formats: PDF, Word and HTML files read into the text the pipeline sees.

The PDF and DOCX fixtures are made here, with reportlab (its built-in CJK font
STSong-Light, so no font file is needed) and python-docx. A PDF laid out line
by line (``typeset``) lets the tests say exactly which text is a header, a
page number, an indented first line or a full line running on to the next.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from PIL import Image, ImageDraw
from rdflib import Graph
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, SimpleDocTemplate
from typer.testing import CliRunner

from zhi_graph.cli import app
from zhi_graph.errors import InputError
from zhi_graph.formats import html as html_format
from zhi_graph.formats import lines
from zhi_graph.formats import pdf as pdf_format
from zhi_graph.load import load
from zhi_graph.model import EntityType, ExtractionResult
from zhi_graph.pipeline import build, extract, extract_document
from zhi_graph.rdf.dataset import build_dataset, union_graph
from zhi_graph.resources import Resources

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

SIZE = 12  # points: every CJK character and full-width mark of STSong-Light is 12 pt wide
LEFT = 90
FULL = 35  # characters in a full line, so the right margin is at 90 + 35 * 12 = 510
INDENT = 2  # a paragraph's first line is indented by two characters
TOP, LEADING = 760, 18
LINES_PER_PAGE = 4

TITLE = "四川省地方志工作简报"
PARAGRAPHS = [
    # Only CJK characters and full-width marks, so that line widths are exact.
    "成都市地方志办公室组织编纂的年鉴入选精品年鉴名录，全市地方志系统坚持质量至上的工作标准，"
    "加强制度规划，强化机制保障。",
    "全省地方志系统以争创精品年鉴为抓手，推出了一批主题鲜明、特色突出、内容厚重、质量上乘、"
    "制作精良的志鉴书籍，获奖数量逐年递增，为讲好中国故事注入了新的活力，为推动全省地方志事业"
    "高质量发展打下坚实基础。",
    "德阳市制定《书刊编纂工作流程》等规范性文件。",
    "四川省地方志工作办公室主动与高校对接，先后在四川大学、重庆大学等高校建立四川省方志馆高校"
    "分馆，其中三个为川渝共建，进一步扩大了方志文化的社会影响，形成了覆盖全省的方志文化阵地。",
    "眉山市建立部门志书、地情书、影像资料、重大事件常态化报送制度，保障了资料的完整与准确。",
    "雅安市印发《雅安市地方综合年鉴编纂规范》，对年鉴编纂工作从资料收集、组稿、审校和结果考评"
    "进行纵向一体的管理，保障年鉴编纂质量，受到中国地方志工作办公室的肯定。",
]

Line = tuple[int, str]  # (indent in characters, text)


def wrap(paragraph: str) -> list[Line]:
    """A paragraph set as a typesetter would: an indented first line, then full lines."""
    found = [(INDENT, paragraph[: FULL - INDENT])]
    rest = paragraph[FULL - INDENT :]
    while rest:
        found.append((0, rest[:FULL]))
        rest = rest[FULL:]
    assert len(found[-1][1]) <= FULL - 4, f"make the last line of {paragraph[:8]} short"
    return found


def body_lines() -> list[Line]:
    """The title (centred) and the paragraphs, a line each as typeset."""
    return [(12, TITLE)] + [line for p in PARAGRAPHS for line in wrap(p)]


def pages_of(all_lines: list[Line]) -> list[list[Line]]:
    return [all_lines[i : i + LINES_PER_PAGE] for i in range(0, len(all_lines), LINES_PER_PAGE)]


Furniture = Callable[[int, int], str]  # (page number, page count) -> text


def typeset(
    path: Path,
    pages: list[list[Line]],
    header: Furniture | None = None,
    footer: Furniture | None = None,
) -> Path:
    """A PDF drawn line by line: the header and footer at fixed places on every page."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width = A4[0]
    for number, page in enumerate(pages, start=1):
        pdf.setFont(FONT, 9)
        if header is not None:
            pdf.drawCentredString(width / 2, 800, header(number, len(pages)))
        if footer is not None:
            pdf.drawCentredString(width / 2, 40, footer(number, len(pages)))
        pdf.setFont(FONT, SIZE)
        y = TOP
        for indent, text in page:
            pdf.drawString(LEFT + indent * SIZE, y, text)
            y -= LEADING
        pdf.showPage()
    pdf.save()
    return path


EXPECTED_TEXT = "\n".join([TITLE, *PARAGRAPHS]) + "\n"


def page_starts(pages: list[list[Line]]) -> tuple[int, ...]:
    """Where each page's first line is in EXPECTED_TEXT."""
    starts, at = [], 0
    for page in pages:
        at = EXPECTED_TEXT.index(page[0][1], at)
        starts.append(at)
    return tuple(starts)


# --- PDF: the layout undone -----------------------------------------------------

FURNITURE: list[tuple[str, Furniture | None, Furniture | None]] = [
    ("header, - 3 -", lambda n, t: TITLE, lambda n, t: f"- {n} -"),
    ("header, — 3 —", lambda n, t: TITLE, lambda n, t: f"— {n} —"),
    ("第3页", None, lambda n, t: f"第{n}页"),
    ("第 3 页 共 4 页", None, lambda n, t: f"第 {n} 页 共 {t} 页"),
    ("3/4", None, lambda n, t: f"{n}/{t}"),
    ("bare number", None, lambda n, t: str(n)),
    ("page number in the header", lambda n, t: f"{TITLE}　第{n}页", None),
    (
        "odd and even headers, footer",
        lambda n, t: TITLE if n % 2 else "资政参阅专刊",
        lambda n, t: f"四川省地方志工作办公室编印　{n}",
    ),
    ("no furniture", None, None),
]


@pytest.mark.parametrize(
    ("header", "footer"),
    [case[1:] for case in FURNITURE],
    ids=[case[0] for case in FURNITURE],
)
def test_pdf_text_is_the_paragraphs_without_headers_footers_and_page_numbers(
    tmp_path: Path, header: Furniture | None, footer: Furniture | None
) -> None:
    pages = pages_of(body_lines())
    assert len(pages) == 4
    path = typeset(tmp_path / "briefing.pdf", pages, header, footer)

    document = load(path)

    # Every paragraph on one line: broken lines and page breaks joined without
    # spaces, the title kept although it repeats the running header.
    assert document.text == EXPECTED_TEXT
    assert document.pages == page_starts(pages)
    assert document.media_type == "application/pdf"
    assert document.encoding == ""


def test_a_paragraph_crossing_a_page_break_is_joined_and_its_pages_recorded(
    tmp_path: Path,
) -> None:
    pages = pages_of(body_lines())
    document = load(typeset(tmp_path / "b.pdf", pages, lambda n, t: TITLE, lambda n, t: str(n)))
    crossing = PARAGRAPHS[1]
    start = document.text.index(crossing)
    assert start < document.pages[1] < start + len(crossing)  # page 2 begins inside it
    assert document.page_at(start) == 1
    assert document.page_at(start + len(crossing) - 1) == 2
    assert document.page_at(len(document.text) - 2) == 4


def test_a_blank_page_starts_where_the_next_page_does(tmp_path: Path) -> None:
    pages = pages_of(body_lines())
    with_blank = [pages[0], [], *pages[1:]]
    document = load(
        typeset(tmp_path / "blank.pdf", with_blank, lambda n, t: TITLE, lambda n, t: str(n))
    )
    starts = page_starts(pages)
    assert document.text == EXPECTED_TEXT
    assert document.pages == (starts[0], starts[1], *starts[1:])
    assert document.page_at(starts[1]) == 3  # the blank page 2 holds nothing
    assert document.page_at(starts[1] - 1) == 1


def test_pdf_keeps_paragraph_breaks_without_indents_by_short_lines_and_gaps(
    tmp_path: Path,
) -> None:
    # No first-line indents: paragraphs end with a short line, or a blank line's gap.
    first = "四川省地方志工作办公室" * 5  # 55 characters: a full line and a short one
    second = "成都市地方志办公室" * 4  # 36: a full line and a one-character line
    third = "德阳市" * 5
    lines_ = [(0, first[:FULL]), (0, first[FULL:]), (0, second[:FULL]), (0, second[FULL:])]
    path = tmp_path / "flush.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(FONT, SIZE)
    y = TOP
    for _, text in lines_:
        pdf.drawString(LEFT, y, text)
        y -= LEADING
    pdf.drawString(LEFT, y - LEADING, third)  # after a blank line
    pdf.showPage()
    pdf.save()
    assert load(path).text == f"{first}\n{second}\n{third}\n"


@pytest.mark.parametrize(
    ("before", "after", "joined"),
    [
        ("四川省地方志工作", "办公室", "四川省地方志工作办公室"),  # Chinese: no space
        ("《成都年鉴", "（2023）》", "《成都年鉴（2023）》"),
        ("获评", "“中国精品年鉴”", "获评“中国精品年鉴”"),
        ("CNKI", "系列数据库", "CNKI系列数据库"),
        ("截至2024", "年底", "截至2024年底"),
        ("Local chroni-", "cles of Sichuan", "Local chronicles of Sichuan"),  # hyphenation
        ("Sino-", "Tibetan", "Sino-Tibetan"),  # a compound keeps its hyphen
        ("Local", "Chronicles", "Local Chronicles"),  # Latin words keep their space
        ("2024", "10", "2024 10"),
        ("", "方志", "方志"),
    ],
)
def test_join_undoes_a_line_break(before: str, after: str, joined: str) -> None:
    assert lines.join(before, after) == joined


def test_pdf_rejoins_a_latin_word_hyphenated_at_a_line_end(tmp_path: Path) -> None:
    # A full line ending in "chroni-": pad it with CJK characters to the margin.
    tail = "the Local Chroni-"
    pad = int((FULL * SIZE - pdfmetrics.stringWidth(tail, FONT, SIZE)) // SIZE)
    first = "方" * pad + tail
    second = "cles Office of Sichuan Province."
    pages = [[(0, "四" * FULL), (0, first), (0, second)]]
    document = load(typeset(tmp_path / "latin.pdf", pages))
    assert document.text == "四" * FULL + first[:-1] + second + "\n"


@pytest.mark.parametrize(
    ("extracted", "meant"),
    [
        ("四川省地⽅志⼯作办公室", "四川省地方志工作办公室"),  # Kangxi radicals U+2F45, U+2F2F
        ("部⻔⻘年⺠俗", "部门青年民俗"),  # CJK Radicals Supplement: no NFKC mapping
        ("《\u2329四川省志\u232a》", "《〈四川省志〉》"),  # deprecated angle brackets
        ("浙江⸺甘孜", "浙江——甘孜"),  # a two-em dash for two em dashes
        ("方志中国", "方志中国"),  # what must not change
    ],
)
def test_stand_in_characters_of_pdf_text_maps_are_replaced(extracted: str, meant: str) -> None:
    assert extracted.translate(pdf_format.stand_ins()) == meant


def chromium() -> str:
    """Chromium, and the Noto CJK fonts it needs for Chinese (Debian chromium, fonts-noto-cjk)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    fonts = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
    if found is None or not fonts.is_file():
        message = "chromium or fonts-noto-cjk missing; apt-get install chromium fonts-noto-cjk"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def test_a_pdf_printed_by_chromium_gives_the_text_entities(
    tmp_path: Path, sample_path: Path, resources: Resources
) -> None:
    """A real producer: justified text, a shared-glyph text map, @page header and footer."""
    browser = chromium()
    # Chromium writes 户 as 戶 in its text map (the glyph it shapes for 户 under the
    # SC locale); the text side gets the same characters, so that the comparison
    # is about layout and the other stand-ins.
    paragraphs = [p.replace("户", "戶") for p in sample_paragraphs(sample_path)]
    page = tmp_path / "briefing.html"
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    page.write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
        "@page { size: A4; margin: 25mm 20mm;"
        ' @top-center { content: "四川省地方志工作简报"; font-size: 9pt }'
        ' @bottom-center { content: "- " counter(page) " -"; font-size: 9pt } }'
        "body { font-family: 'Noto Serif CJK SC'; font-size: 12pt }"
        "p { text-indent: 2em; text-align: justify; margin: 0 0 6pt; line-height: 1.5 }"
        f"</style></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    printed = tmp_path / "briefing.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={printed}", page.as_uri()],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    as_text = tmp_path / "briefing.txt"
    as_text.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")

    document = load(printed)

    assert len(document.pages) >= 8
    assert not re.search("[\u2e80-\u2fdf]", document.text)  # no radical stand-ins left
    assert "- 2 -" not in document.text
    assert document.text.count("四川省地方志工作简报") == 1  # the title, not the header
    # The same paragraphs; only spaces that fell on line ends differ (20 个, 20个).
    assert [p.replace(" ", "") for p in document.text.splitlines()] == [
        p.replace(" ", "") for p in paragraphs
    ]
    expected = {(e.type.value, e.label) for e in extract(as_text, resources).entities}
    found = {(e.type.value, e.label) for e in extract_document(document, resources).entities}
    assert found == expected


# --- PDF: page provenance in the graph ----------------------------------------


def select(graph: Graph, query: str) -> list[tuple[str, ...]]:
    """The rows of a SPARQL SELECT, each value as a string."""
    return [tuple(map(str, row)) for row in graph.query(query)]  # type: ignore[arg-type]


def test_page_numbers_are_in_the_provenance_and_offsets_index_the_extracted_text(
    tmp_path: Path,
) -> None:
    pages = pages_of(body_lines())
    (tmp_path / "in").mkdir()
    source = typeset(tmp_path / "in" / "briefing.pdf", pages, lambda n, t: TITLE, None)
    # build validates against the shapes and raises on any violation
    report = build([source], tmp_path / "out", workers=1)
    assert report.documents == 1
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    document = load(source)

    rows = select(
        graph,
        """
        PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
        SELECT ?text ?start ?end ?page WHERE {
          ?m a zhi:Mention ; zhi:text ?text ; zhi:startOffset ?start ; zhi:endOffset ?end ;
             zhi:page ?page .
        }""",
    )
    mentions = [(t, int(s), int(e), int(p)) for t, s, e, p in rows]
    assert mentions
    for text, start, end, page in mentions:
        assert document.text[start:end] == text
        assert page == document.page_at(start)
    pages_of_text = {(text, page) for text, _, _, page in mentions}
    assert ("成都市", 1) in pages_of_text  # first paragraph
    assert ("德阳市", 2) in pages_of_text  # third paragraph, on page 2
    assert ("雅安市", 4) in pages_of_text  # last paragraph, on page 4

    statements = select(
        graph,
        """
        PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
        SELECT ?start ?page ?evidence WHERE {
          ?st a zhi:RelationStatement ; zhi:startOffset ?start ; zhi:page ?page ;
              zhi:evidence ?evidence .
        }""",
    )
    assert len(statements) > 0
    for offset, number, evidence in statements:
        assert document.page_at(int(offset)) == int(number)
        assert document.text[int(offset) :].startswith(evidence)

    facts = select(
        graph,
        """
        PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
        PREFIX schema: <https://schema.org/>
        SELECT ?count ?format ?characters WHERE {
          ?doc a zhi:Document ; zhi:pageCount ?count ; schema:encodingFormat ?format ;
               zhi:characterCount ?characters .
        }""",
    )
    assert facts == [("4", "application/pdf", str(len(EXPECTED_TEXT)))]


def test_documents_without_pages_have_no_page_provenance(
    tmp_path: Path, sample_build: tuple[object, Path]
) -> None:
    _, out = sample_build
    graph = Graph().parse(out / "graph.ttl")
    asked = graph.query(
        """
        PREFIX zhi: <https://w3id.org/zhi-graph/ontology#>
        PREFIX schema: <https://schema.org/>
        ASK { { ?x zhi:page ?p } UNION { ?d zhi:pageCount ?c }
              UNION { ?d schema:encodingFormat ?f FILTER (?f != "text/plain") } }"""
    )
    assert asked.askAnswer is False


# --- PDF: what cannot be read -----------------------------------------------------


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """Pages that are only pictures of text, as a scanner makes them."""
    image = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(image).rectangle((40, 40, 360, 60), fill=0)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        pdf.drawImage(ImageReader(image), 50, 400, width=400, height=200)
        pdf.showPage()
    pdf.save()
    return path


def encrypted_pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt="secret")
    pdf.setFont(FONT, SIZE)
    pdf.drawString(LEFT, TOP, "四川省地方志工作办公室")
    pdf.showPage()
    pdf.save()
    return path


def blank_pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(100, 100, 200, 200)
    pdf.showPage()
    pdf.save()
    return path


def truncated_pdf(path: Path) -> Path:
    whole = typeset(path, pages_of(body_lines())).read_bytes()
    path.write_bytes(whole[: len(whole) // 3])
    return path


def junk_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    return path


def text_named_pdf(path: Path) -> Path:
    path.write_text("四川省地方志工作办公室\n", encoding="utf-8")
    return path


UNREADABLE_PDFS: list[tuple[str, Callable[[Path], Path], tuple[str, ...]]] = [
    ("scanned", scanned_pdf, ("no text layer", "2 page(s) are images", "OCR")),
    ("encrypted", encrypted_pdf, ("encrypted with a password",)),
    ("no text", blank_pdf, ("contains no text",)),
    ("truncated", truncated_pdf, ("damaged",)),
    ("junk", junk_pdf, ("damaged",)),
    ("text named .pdf", text_named_pdf, ("not a PDF",)),
]


@pytest.mark.parametrize(
    ("make", "words"),
    [case[1:] for case in UNREADABLE_PDFS],
    ids=[case[0] for case in UNREADABLE_PDFS],
)
def test_unreadable_pdfs_raise_input_error_naming_the_file(
    tmp_path: Path, make: Callable[[Path], Path], words: tuple[str, ...]
) -> None:
    path = make(tmp_path / "报告.pdf")
    with pytest.raises(InputError) as caught:
        load(path)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: ")
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize(
    "make", [scanned_pdf, truncated_pdf, encrypted_pdf], ids=["scanned", "truncated", "encrypted"]
)
def test_cli_build_of_an_unreadable_pdf_exits_2_with_one_line(
    runner: CliRunner, tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path / "scan.pdf")
    result = runner.invoke(app, ["build", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines_ = result.stderr.strip().splitlines()
    assert len(lines_) == 1 and lines_[0].startswith(f"error: {path}: "), result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


# --- Word ---------------------------------------------------------------------------


def word_file(path: Path) -> Path:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉：四川省地方志工作简报"
    document.sections[0].footer.paragraphs[0].text = "页脚：第1页"
    document.add_heading("2024年度四川省精品年鉴名单", level=1)
    document.add_paragraph("经评审，下列年鉴入选“四川省精品年鉴”：")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [("序号", "年鉴", "编纂单位"), ("1", "《雅安年鉴（2024）》", "雅安市地方志办公室")],
        strict=False,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    last = table.rows[2].cells
    last[0].text = "2"
    last[1].text = "《德阳年鉴（2024）》"
    last[2].text = "德阳市地方志"
    last[2].add_paragraph("编纂中心")  # two paragraphs in one cell: still one row
    merged = document.add_table(rows=2, cols=2)
    merged.cell(0, 0).merge(merged.cell(1, 0)).text = "眉山市"
    merged.cell(0, 1).text = "《眉山年鉴》"
    merged.cell(1, 1).text = "《青神年鉴》"
    ending = document.add_paragraph("特此通报。")
    ending.add_run().add_break(WD_BREAK.LINE)
    ending.add_run("四川省地方志工作办公室")
    document.add_paragraph("")  # empty paragraphs are not lines
    document.save(str(path))
    return path


def test_docx_paragraphs_and_table_rows_in_order_without_header_and_footer(
    tmp_path: Path,
) -> None:
    document = load(word_file(tmp_path / "名单.docx"))
    assert document.text == (
        "2024年度四川省精品年鉴名单\n"
        "经评审，下列年鉴入选“四川省精品年鉴”：\n"
        "序号\t年鉴\t编纂单位\n"
        "1\t《雅安年鉴（2024）》\t雅安市地方志办公室\n"
        "2\t《德阳年鉴（2024）》\t德阳市地方志编纂中心\n"
        "眉山市\t《眉山年鉴》\n"
        "《青神年鉴》\n"  # the merged cell's text is read once, in its first row
        "特此通报。\n四川省地方志工作办公室\n"
    )
    assert document.media_type.endswith("wordprocessingml.document")
    assert document.pages == ()


def test_docx_table_rows_yield_their_entities(tmp_path: Path, resources: Resources) -> None:
    result = extract(word_file(tmp_path / "名单.docx"), resources)
    labels = {(e.type, e.label) for e in result.entities}
    assert (EntityType.PUBLICATION, "雅安年鉴（2024）") in labels
    assert (EntityType.PUBLICATION, "德阳年鉴（2024）") in labels


def truncated_docx(path: Path) -> Path:
    whole = word_file(path).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def zip_without_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "方志")
    return path


def doc_renamed(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))  # an OLE2 (.doc) header
    return path


def empty_docx(path: Path) -> Path:
    docx.Document().save(str(path))
    return path


@pytest.mark.parametrize(
    ("make", "word"),
    [
        (truncated_docx, "damaged or not a .docx"),
        (zip_without_document, "damaged or not a .docx"),
        (doc_renamed, "damaged or not a .docx"),
        (empty_docx, "contains no text"),
    ],
    ids=["truncated", "zip without a document", "old .doc renamed", "empty"],
)
def test_unreadable_docx_raises_input_error_naming_the_file(
    tmp_path: Path, make: Callable[[Path], Path], word: str
) -> None:
    path = make(tmp_path / "通知.docx")
    with pytest.raises(InputError) as caught:
        load(path)
    assert caught.value.path == path
    assert word in str(caught.value)


# --- HTML ------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>标题不算正文</title>
<style>p { color: red } /* 上海市 */</style>
<script>var office = "北京市地方志办公室"; if (a < b) {}</script></head>
<body>
<nav><a href="/">首页</a> <a href="/bj">北京市地方志办公室</a></nav>
<article>
<h1>四川省地方志工作简报</h1>
<p>成都市地方志办公室
组织编纂的年鉴入选&ldquo;中国精品年鉴&rdquo;。</p>
<p>Local  chronicles
of Sichuan &amp; Chongqing</p>
<div>德阳市<br>眉山市<span hidden>隐藏的天津市</span><b>青神县</b></div>
<div style="display: none">看不见的重庆市</div>
<table><tr><th>序号</th><th>年鉴</th></tr>
<tr><td>1</td><td><p>《雅安年鉴</p><p>（2024）》</p></td></tr></table>
<ul><li>遂宁市</li><li>内江市</li></ul>
<pre>  第一行
  第二行</pre>
</article>
<footer>版权所有：广州市地方志办公室</footer>
</body></html>
"""

PAGE_TEXT = (
    "四川省地方志工作简报\n"
    "成都市地方志办公室组织编纂的年鉴入选“中国精品年鉴”。\n"
    "Local chronicles of Sichuan & Chongqing\n"
    "德阳市\n"
    "眉山市青神县\n"
    "序号\t年鉴\n"
    "1\t《雅安年鉴（2024）》\n"
    "遂宁市\n"
    "内江市\n"
    "第一行\n"  # <pre> keeps its line breaks (lines are trimmed, like every line)
    "第二行\n"
)


def test_html_visible_text_in_reading_order(tmp_path: Path) -> None:
    path = tmp_path / "news.html"
    path.write_text(PAGE, encoding="utf-8")
    document = load(path)
    assert document.text == PAGE_TEXT
    assert document.media_type == "text/html"
    for hidden in ("标题不算正文", "上海市", "北京市", "天津市", "重庆市", "广州市", "首页"):
        assert hidden not in document.text


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ('<meta charset="gbk"><p>四川省方志馆</p>'.encode("gbk"), "gb18030"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=GB2312">'
            "<p>四川省方志馆</p>".encode("gb2312"),
            "gb18030",
        ),
        ('<?xml version="1.0" encoding="big5"?><p>四川省方志館</p>'.encode("big5"), "big5hkscs"),
        ("<p>四川省方志馆</p>".encode("utf-8-sig"), "utf-8-sig"),
        ("<p>四川省方志馆</p>".encode("utf-16"), "utf-16"),
        ("<p>四川省方志馆</p>".encode("gb18030"), "gb18030"),  # undeclared: detected
        ('<meta charset="utf-8"><p>四川省方志馆</p>'.encode("gbk"), "gb18030"),  # declared wrongly
        ('<meta charset="no-such-charset"><p>四川省方志馆</p>'.encode(), "utf-8-sig"),
    ],
    ids=["meta gbk", "http-equiv gb2312", "xml big5", "utf-8 bom", "utf-16 bom", "undeclared",
         "wrong declaration", "unknown declaration"],
)  # fmt: skip
def test_html_is_decoded_by_bom_declaration_or_detection(
    tmp_path: Path, data: bytes, encoding: str
) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(data)
    document = load(path)
    assert document.text.strip() in ("四川省方志馆", "四川省方志館")
    assert document.encoding == encoding


def test_html_without_visible_text_raises_input_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>空</title></head><body><script>x()</script></body>")
    with pytest.raises(InputError, match="shows no text") as caught:
        load(path)
    assert caught.value.path == path


def test_html_decode_is_exposed_for_other_readers() -> None:
    assert (
        html_format.decode(b'<meta charset="gbk">' + "方志".encode("gbk"), Path("x.html"))[1]
        == "gb18030"
    )


# --- the same document in every format --------------------------------------------


def sample_paragraphs(sample_path: Path) -> list[str]:
    return [line.strip() for line in sample_path.read_text("utf-8").splitlines() if line.strip()]


def sample_pdf(paragraphs: list[str], path: Path) -> Path:
    """The sample set as a typical briefing: indented paragraphs, running header, page numbers."""
    style = ParagraphStyle(
        "body", fontName=FONT, fontSize=SIZE, leading=18, firstLineIndent=2 * SIZE,
        wordWrap="CJK", spaceAfter=6,
    )  # fmt: skip

    def furniture(pdf: canvas.Canvas, template: SimpleDocTemplate) -> None:
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(A4[0] / 2, A4[1] - 42, "四川省地方志工作简报　资政参阅专刊")
        pdf.drawCentredString(A4[0] / 2, 34, f"- {template.page} -")

    # STSong-Light's CMap has no code for U+00B7 (·); its GB middle dot is U+30FB,
    # which pdfminer maps back to U+00B7, as GB-encoded PDFs do.
    story = [Paragraph(html.escape(p.replace("·", "・")), style) for p in paragraphs]
    SimpleDocTemplate(str(path), pagesize=A4).build(
        story, onFirstPage=furniture, onLaterPages=furniture
    )
    return path


def sample_pdf_in_two_columns(paragraphs: list[str], path: Path) -> Path:
    """The sample in two columns with a narrow gutter, footer 第N页."""
    style = ParagraphStyle(
        "body", fontName=FONT, fontSize=10.5, leading=16, firstLineIndent=21,
        wordWrap="CJK", spaceAfter=4,
    )  # fmt: skip

    def furniture(pdf: canvas.Canvas, template: BaseDocTemplate) -> None:
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(A4[0] / 2, A4[1] - 40, "四川省地方志工作简报")
        pdf.drawCentredString(A4[0] / 2, 30, f"第{template.page}页")

    width, height = A4
    margin, gutter = 56, 18  # the gutter is under two characters wide
    column = (width - 2 * margin - gutter) / 2
    frames = [
        Frame(margin, margin, column, height - 2 * margin),
        Frame(margin + column + gutter, margin, column, height - 2 * margin),
    ]
    template = PageTemplate(frames=frames, onPage=furniture)
    story = [Paragraph(html.escape(p.replace("·", "・")), style) for p in paragraphs]
    BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[template]).build(story)
    return path


def sample_docx(paragraphs: list[str], path: Path) -> Path:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "四川省地方志工作简报"
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def sample_html(paragraphs: list[str], path: Path) -> Path:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    path.write_text(
        '<html><head><meta charset="utf-8"><title>简报</title>'
        "<script>var nav = '北京市地方志办公室';</script></head><body>"
        '<nav><a href="/">上海市地方志办公室</a></nav>'
        f"<main>{body}</main><footer>版权所有：广州市地方志办公室</footer></body></html>",
        encoding="utf-8",
    )
    return path


Entities = set[tuple[str, str]]


@pytest.fixture(scope="session")
def sample_in_every_format(
    sample_path: Path, resources: Resources, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[ExtractionResult, Entities]]:
    folder = tmp_path_factory.mktemp("formats")
    paragraphs = sample_paragraphs(sample_path)
    paths = {
        "txt": sample_path,
        "pdf": sample_pdf(paragraphs, folder / "sample.pdf"),
        "pdf in two columns": sample_pdf_in_two_columns(paragraphs, folder / "columns.pdf"),
        "docx": sample_docx(paragraphs, folder / "sample.docx"),
        "html": sample_html(paragraphs, folder / "sample.html"),
    }
    found = {}
    for kind, path in paths.items():
        document = load(path)
        result = extract_document(document, resources)
        found[kind] = (result, {(e.type.value, e.label) for e in result.entities})
    return found


@pytest.mark.parametrize("kind", ["pdf", "pdf in two columns", "docx", "html"])
def test_the_same_document_as_pdf_docx_html_and_txt_gives_the_same_entities(
    sample_in_every_format: dict[str, tuple[ExtractionResult, Entities]], kind: str
) -> None:
    _, expected = sample_in_every_format["txt"]
    result, found = sample_in_every_format[kind]
    document = result.document
    assert len(expected) > 250
    assert found == expected, (
        f"missing {sorted(expected - found)[:10]}, extra {sorted(found - expected)[:10]}"
    )
    if kind.startswith("pdf"):
        assert len(document.pages) >= 5
        assert not re.search(r"- \d+ -|第\d+页", document.text)
        assert "资政参阅专刊　" not in document.text
        assert document.text.count("四川省地方志工作简报") == 1  # the title, not the header


def test_the_readme_query_for_pages_answers_on_the_sample_as_pdf(
    sample_in_every_format: dict[str, tuple[ExtractionResult, Entities]],
) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r"^```rq\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    assert queries
    result, _ = sample_in_every_format["pdf"]
    graph = union_graph(build_dataset([result]))
    for query in queries:
        rows = select(graph, query)
        assert len(rows) >= 10, query
        pages = {int(row[-1]) for row in rows}
        assert pages <= set(range(1, len(result.document.pages) + 1))
        assert len(pages) > 1


# --- folders mixing formats ---------------------------------------------------------


def test_cli_builds_a_folder_mixing_formats(runner: CliRunner, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "word").mkdir(parents=True)
    (docs / "a.txt").write_text("眉山市地方志办公室编纂《眉山年鉴》。\n", encoding="utf-8")
    typeset(docs / "b.pdf", pages_of(body_lines()), lambda n, t: TITLE, lambda n, t: str(n))
    word_file(docs / "word" / "c.docx")
    (docs / "d.htm").write_text(PAGE, encoding="utf-8")
    (docs / "e.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # not read: folders take what they can

    result = runner.invoke(app, ["build", str(docs), "--out", str(tmp_path / "out")])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("4 document(s), ")
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    formats = select(
        graph,
        """
        PREFIX schema: <https://schema.org/>
        SELECT ?name ?format WHERE { ?d schema:name ?name ; schema:encodingFormat ?format }
        ORDER BY ?name""",
    )
    assert formats == [
        ("a.txt", "text/plain"),
        ("b.pdf", "application/pdf"),
        ("c.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("d.htm", "text/html"),
    ]


def test_cli_help_names_the_formats(runner: CliRunner) -> None:
    result = runner.invoke(app, ["build", "--help"])
    assert result.exit_code == 0
    for suffix in (".txt", ".md", ".pdf", ".docx", ".html"):
        assert suffix in result.stdout


@pytest.mark.parametrize("make", [word_file, scanned_pdf], ids=["docx", "pdf"])
def test_the_document_hash_is_of_the_file_bytes(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path / "x")
    if make is scanned_pdf:
        path = typeset(tmp_path / "x.pdf", pages_of(body_lines()))
    else:
        path = path.rename(tmp_path / "x.docx")
    assert load(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# (text, looks like text): at most max(2, 1%) control characters, where tab, line
# feed, form feed and carriage return are not control characters.
LOOKS_LIKE_TEXT = [
    ("方志" * 50 + "\t\n\f\r" * 40, True),
    ("方志" * 50 + "\x0b\x1f", True),  # two are allowed
    ("方志" * 50 + "\x0b\x1f\x00", False),
    ("方志" * 50 + "\x0e", True),
    ("\x08\x0b\x0e\x1f" + "方志" * 200, True),  # 1% of 404 characters: four
    ("\x08\x0b\x0e\x1f\x01" + "方志" * 200, False),
    ("\x7f\x20" * 100, True),  # DEL and space are not below 32
]


@pytest.mark.parametrize(("text", "expected"), LOOKS_LIKE_TEXT)
def test_looks_like_text_counts_control_characters(text: str, expected: bool) -> None:
    from zhi_graph.formats.plain import looks_like_text

    assert looks_like_text(text, odd_characters=True) is expected
