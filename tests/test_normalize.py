"""zhi_graph.text.normalize: what must change, what must not, and that offsets map back."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from zhi_graph.model import Document, NormalizedText
from zhi_graph.text.normalize import normalize

# A line long enough (>= 30 characters) to be running text rather than a heading.
LONG = "各省辖市结合实际细化落实志鉴编纂审查验收和资料征集等规范性文"


def doc(text: str) -> Document:
    return Document(path=Path("doc.txt"), text=text, sha256="0" * 64, encoding="utf-8")


def norm(text: str) -> str:
    return normalize(doc(text)).text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("第一段。\n— 3 —\n第二段。", "第一段。\n第二段。", id="em-dash-page"),
        pytest.param("第一段。\n- 12 -\n第二段。", "第一段。\n第二段。", id="hyphen-page"),
        pytest.param("第一段。\n第 3 页\n第二段。", "第一段。\n第二段。", id="di-ye-page"),
        pytest.param("第一段。\n第 3 页 共 20 页\n第二段。", "第一段。\n第二段。", id="page-of"),
        pytest.param("第一段。\n  17  \n第二段。", "第一段。\n第二段。", id="bare-number"),
        pytest.param("第一段。\r\n— 3 —\r\n第二段。", "第一段。\n第二段。", id="crlf-page"),
        pytest.param(
            "第一段。\n\u3000— 4 —\u3000\n第二段。", "第一段。\n第二段。", id="ideographic"
        ),
        pytest.param(
            "第一段。\n— 5 —",
            "第一段。\n",
            id="page-on-last-line",
        ),
    ],
)
def test_page_number_lines_are_removed(raw: str, expected: str) -> None:
    assert norm(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "第3页的内容不是页码行。",  # page words inside a sentence
        "全省建成方志馆 - 12 - 个",  # dashes inside a line
        "2024\n年度报告",  # four digits are a year, not a page
    ],
)
def test_page_like_text_inside_lines_is_kept(raw: str) -> None:
    assert any(ch.isdigit() for ch in norm(raw))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024 年 1 月 6 日", "2024年1月6日"),
        ("全省 方志 馆", "全省方志馆"),
        ("入藏图书 1.2 万册", "入藏图书1.2万册"),
        ("（ 2023 ）", "（2023）"),
        ("Hello World", "Hello World"),
        ("GB/T 2260 code", "GB/T 2260 code"),
        ("浏览 Open Data Portal 平台", "浏览Open Data Portal平台"),
    ],
)
def test_spaces_around_cjk_and_digits_go_spaces_between_latin_words_stay(
    raw: str, expected: str
) -> None:
    assert norm(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("主持：王建国\u3000李明", "主持：王建国\t李明", id="two-names"),
        pytest.param("联系人：综合处\u3000冯丽娜", "联系人：综合处\t冯丽娜", id="unit-and-name"),
        pytest.param("主持：王建国\u3000\u3000李明", "主持：王建国\t李明", id="a-run-is-one-gap"),
        pytest.param("出席：王\u3000强，李建国", "出席：王强，李建国", id="padded-name"),
        pytest.param("\u3000\u3000各市地方志办公室：", "各市地方志办公室：", id="an-indent"),
        pytest.param("会\u3000议\u3000纪\u3000要", "会议纪要", id="a-spaced-title"),
        pytest.param(
            "列\u3000\u3000席：宣传部调研员\u3000杨\u3000帆\n",
            "列席：宣传部调研员\t杨帆\n",
            id="a-spaced-label-and-a-padded-name-on-a-line-of-columns",
        ),
        pytest.param("1\u3000《南京年鉴》\u3000南京市", "1\t《南京年鉴》\t南京市", id="columns"),
        pytest.param(
            "主 任 委 员：       郑国强    辽宁大学教授",
            "主任委员：\t郑国强\t辽宁大学教授",
            id="a-gap-of-four-spaces-parts-cells-letter-spacing-goes",
        ),
        pytest.param(
            "1\u3000安顺年鉴（2024）\u3000年鉴\u3000方志出版社\n2\u3000威宁年鉴（2024）\u3000年鉴\n",
            "1\t安顺年鉴（2024）\t年鉴\t方志出版社\n2\t威宁年鉴（2024）\t年鉴\n",
            id="rows-of-columns-are-not-joined",
        ),
        pytest.param(
            "三、工作动态（2025年第3期）………………………………………7\n贵州省地方志办公室文件\n",
            "三、工作动态（2025年第3期）………………………………………7\n贵州省地方志办公室文件\n",
            id="an-entry-of-contents-is-not-joined",
        ),
        pytest.param("全省 方志 馆", "全省方志馆", id="ordinary-spaces-still-go"),
        pytest.param(
            "8 邵 启 明 南开大学 副教授\n",
            "8\t邵启明\t南开大学\t副教授\n",
            id="a-row-whose-columns-plain-spaces-part",
        ),
        pytest.param(
            "4 资料补充 大峪街道 2022 年 9 月\n",
            "4\t资料补充\t大峪街道2022年9月\n",
            id="a-rows-words-parted-its-dates-joined",
        ),
        pytest.param("2024 年 工作 总结\n", "2024年工作总结\n", id="a-year-opens-no-row"),
        pytest.param(
            "4 月 11 日，2025 年全省地方志工作会议在广州召开。会议总结 2024 年工作\n",
            "4月11日，2025年全省地方志工作会议在广州召开。会议总结2024年工作\n",
            id="a-date-opening-a-sentence-opens-no-row",
        ),
        pytest.param(
            "35   项城市   项城年鉴（2024）   方志出版社\n",
            "35\t项城市\t项城年鉴（2024）\t方志出版社\n",
            id="a-row-whose-first-cell-opens-with-a-counting-word",
        ),
        pytest.param("序号 姓名 单位及职务\n", "序号\t姓名\t单位及职务\n", id="a-header-row"),
        pytest.param(
            "1\u3000福州市地方志办公室\n12 月 3 日\n",
            "1\t福州市地方志办公室\n12月3日\n",
            id="a-row-number-parted-a-dates-number-not",
        ),
        pytest.param(
            "8 邱美玲 漳州市地方志办公室志书科副科\n长\n9 魏清泉 漳浦县地方志办公室主任\n",
            "8\t邱美玲\t漳州市地方志办公室志书科副科长\n9\t魏清泉\t漳浦县地方志办公室主任\n",
            id="a-cell-wrapped-onto-the-next-line",
        ),
        pytest.param(
            "4 《儋州年鉴（2023）》 儋州市地方志办\n公室 方志出版社 二等奖\n",
            "4\t《儋州年鉴（2023）》\t儋州市地方志办公室\t方志出版社\t二等奖\n",
            id="a-row-wrapped-in-its-middle",
        ),
        pytest.param(
            "4 九江年鉴（2024） 九江市地方志办公室 江西高校出版 二等奖\n社\n",
            "4\t九江年鉴（2024）\t九江市地方志办公室\t江西高校出版\t二等奖\n社\n",
            id="nothing-runs-into-a-grade-cell",
        ),
    ],
)
def test_an_ideographic_space_between_words_parts_them(raw: str, expected: str) -> None:
    assert norm(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(LONG + "\n\n件，共有", LONG + "件，共有", id="word-split-by-blank-line"),
        pytest.param(LONG + "\n件，共有", LONG + "件，共有", id="word-split-by-newline"),
        pytest.param(LONG + "\n\n— 2 —\n\n件，共有", LONG + "件，共有", id="split-by-page-break"),
        pytest.param("全省共有，\n\n接着", "全省共有，接着", id="line-ending-in-comma"),
    ],
)
def test_lines_a_page_break_split_are_joined(raw: str, expected: str) -> None:
    assert norm(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "一、健全制度体系\n\n" + LONG + "件。",  # a short heading
        "守正创新 提质增效\n\n" + LONG + "件。",  # a heading with a space
        LONG + "。\n\n下一段。",  # a long line that ends its sentence
        LONG + "！\n\n下一段。",
        LONG + "：\n\n下一段。",
        # a long line without a full stop, then the next item of a list or section
        "一等奖：《青岛年鉴（2023）》《淄博年鉴（2023）》《崂山年鉴（2023）》《东营年鉴》\n\n"
        "二等奖：《寿光年鉴（2023）》",
        LONG + "》\n\n（四）全国表彰",
        LONG + "》\n\n三、拓展阵地",
        LONG + "》\n\n2. 制度配套",
        LONG + "》\n\n第二部分　交流合作",
        # an honour roll's note, then a label's line of winners, then a paragraph
        "（人力资源社会保障部、中国地方志指导小组2024年12月表彰，皖赣两省部分）\n\n"
        "先进集体：合肥市地方志办公室",
        "先进工作者：芜湖市地方志办公室　汪建国；赣州市地方志办公室　钟丽萍\n\n他说。",
        LONG + "\n\n以上5项为一等奖。",
        # a short heading after a blank line, and a counted label's line of winners
        LONG + "）\n\n三等奖（6项）\n《沅陵县志》",
        LONG + "）\n\n附件2\n名单",
        "优秀等次（5个）：" + LONG + "\n\n良好等次（6个）：岳阳市地方志办公室",
    ],
)
def test_headings_and_finished_paragraphs_keep_their_break(raw: str) -> None:
    assert "\n\n" in norm(raw)


@pytest.mark.parametrize(
    "follows",
    ["1.2万部志鉴图书。", "2024年出版。", "十分重要。", "三等奖获得者。"],
    ids=["decimal", "year", "numeral-word", "grade-without-colon"],
)
def test_a_line_that_only_looks_like_a_list_item_is_joined(follows: str) -> None:
    assert norm(LONG + "\n\n" + follows) == LONG + follows


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("全省,共计;有:吗?是!", "全省，共计；有：吗？是！", id="cjk-punctuation"),
        pytest.param("方志(试行)", "方志（试行）", id="brackets-cjk-inside"),
        pytest.param(
            "方志(2023)",
            "方志（2023）",
            id="brackets-digits-inside",
        ),
        pytest.param("a,b (c) d;e", "a,b (c) d;e", id="latin-untouched"),
        pytest.param("全省１２３个，ＡＢＣ", "全省123个，ABC", id="full-width-alnum"),
        pytest.param("「方志」『馆』", "“方志”‘馆’", id="corner-quotes"),
        pytest.param("《四川年鉴》“方志四川”", "《四川年鉴》“方志四川”", id="canonical-untouched"),
        pytest.param("ab\u200bc\u00ad方志\u2060馆\ufeff", "abc方志馆", id="invisible"),
        pytest.param("第一行\r\n第二行\r\n", "第一行\n第二行\n", id="crlf"),
    ],
)
def test_width_and_marks_are_unified(raw: str, expected: str) -> None:
    assert norm(raw) == expected


# Pairs (original, normalized) the width step may produce; everything else is copied.
_MAPPED = {("「", "“"), ("」", "”"), ("『", "‘"), ("』", "’"), ("\u3000", " ")}


def _width_mapped(original: str, normalized: str) -> bool:
    same = unicodedata.normalize("NFKC", original) == unicodedata.normalize("NFKC", normalized)
    return same or (original, normalized) in _MAPPED


ALIGNMENT_INPUTS = [
    "四川省地方志工作简报\r\n\r\n资政参阅专刊 第 85 期\r\n\r\n2025 年 1 月 6 日\r\n",
    LONG + "\n\n— 2 —\n\n件，全省“有章可循”的格局基本形成。\n",
    "浙江省地方志办公室(简称「省方志办」)印发《关于加强镇村志编纂工作的意见》。\n第 3 页\n",
    "全省１２３个方志馆,\u3000ＡＰＰ上线\u200b。\n- 7 -\n广西壮族自治区 地方志办公室 成立。",
    "\ufeff首行\n\n\n  \n第二段 (2023) 完。\n\n17\n\n第三段,结束",
]


@pytest.mark.parametrize("raw", ALIGNMENT_INPUTS)
def test_every_normalized_character_maps_back_to_the_original(raw: str) -> None:
    document = doc(raw)
    n = normalize(document)

    assert len(n.origin) == len(n.text) + 1
    assert n.origin[-1] == len(raw)
    assert list(n.origin) == sorted(set(n.origin)), "origin must be strictly increasing"
    for i, c in enumerate(n.text):
        start, end = n.to_original(i, i + 1)
        assert (start, end) == (n.origin[i], n.origin[i] + 1)
        original = document.text[start]
        assert original == c or _width_mapped(original, c), (i, c, original)


@pytest.mark.parametrize("raw", ALIGNMENT_INPUTS)
def test_every_span_quotes_the_original_from_first_to_last_character(raw: str) -> None:
    document = doc(raw)
    n = normalize(document)
    for s in range(len(n.text)):
        for e in range(s + 1, min(len(n.text), s + 12) + 1):
            start, end = n.to_original(s, e)
            quote = document.text[start:end]
            kept = "".join(document.text[k] for k in n.origin[s:e])
            # the quote holds the normalized span's characters in order, plus only what
            # normalisation dropped between them
            assert len(kept) == e - s
            assert kept[0] == quote[0] and kept[-1] == quote[-1]
            pairs = zip(kept, n.text[s:e], strict=True)
            assert all(a == b or _width_mapped(a, b) for a, b in pairs)


@pytest.mark.parametrize(
    ("raw", "word", "quote"),
    [
        (LONG + "\n\n件，共有", "规范性文件", "规范性文\n\n件"),
        (LONG + "\r\n\r\n— 2 —\r\n\r\n件，共有", "规范性文件", "规范性文\r\n\r\n— 2 —\r\n\r\n件"),
        ("截至 2024 年 12 月，全省", "2024年12月", "2024 年 12 月"),
        ("全省１２３个", "123个", "１２３个"),
        ("成立「方志」小组", "“方志”", "「方志」"),
        ("第一段。\n— 3 —\n第二段。", "第二段", "第二段"),
    ],
)
def test_to_original_of_a_span_quotes_the_original(raw: str, word: str, quote: str) -> None:
    n: NormalizedText = normalize(doc(raw))
    at = n.text.index(word)
    start, end = n.to_original(at, at + len(word))
    assert raw[start:end] == quote


def test_empty_span_maps_to_a_point() -> None:
    n = normalize(doc("第一段。\n— 3 —\n第二段。"))
    at = n.text.index("第二段")
    start, end = n.to_original(at, at)
    assert start == end == "第一段。\n— 3 —\n".__len__()
    assert n.to_original(len(n.text), len(n.text)) == (len(n.document.text),) * 2


def test_normalize_is_idempotent_on_canonical_text() -> None:
    once = norm("2024 年,「方志」(试行)１２３\n— 3 —\n" + LONG + "\n\n件。")
    assert norm(once) == once


LAID_OUT = (
    "附件1\n\n获奖名单\n\n"
    "   序号    成果名称                     类别        编纂单位                   等次\n"
    "   1       延边朝鲜族自治州志           志书        延边朝鲜族自治州地方       一等奖\n"
    "           （1986—2015）                           志编纂委员会办公室\n"
    "   2       长春市志（1986—2020）       志书        长春市地方志编纂委员       一等奖\n"
    "                                                    会办公室\n"
    "\n— 9 —\n\n"
    "   3       集安市志（1988—2020）       志书        集安市地方志办公室         三等奖\n"
    "\n注：获奖成果按类别排列。\n"
)


def test_a_laid_out_tables_wrapped_cells_are_put_back_together() -> None:
    rows = [line for line in norm(LAID_OUT).splitlines() if line[:1].isdigit()]
    assert rows == [
        "1\t延边朝鲜族自治州志（1986—2015）\t志书\t延边朝鲜族自治州地方志编纂委员会办公室\t一等奖",
        "2\t长春市志（1986—2020）\t志书\t长春市地方志编纂委员会办公室\t一等奖",
        "3\t集安市志（1988—2020）\t志书\t集安市地方志办公室\t三等奖",
    ]
    assert "注：获奖成果按类别排列。" in norm(LAID_OUT)


def test_a_laid_out_tables_characters_map_back_and_spans_quote_them_all() -> None:
    document = doc(LAID_OUT)
    n = normalize(document)
    assert len(n.origin) == len(n.text) + 1
    for i, c in enumerate(n.text):
        original = document.text[n.origin[i]]
        assert original == c or c == "\t" or _width_mapped(original, c), (i, c, original)
    name = "延边朝鲜族自治州地方志编纂委员会办公室"
    at = n.text.index(name)
    start, end = n.to_original(at, at + len(name))
    quote = document.text[start:end]
    # both lines the name was cut over, and every character of it in order
    assert quote.startswith("延边朝鲜族自治州地方") and quote.endswith("志编纂委员会办公室")


def test_a_table_whose_cells_do_not_wrap_is_left_to_the_other_steps() -> None:
    raw = "序号  名称      单位\n1     甲年鉴    乙办公室\n2     丙年鉴    丁办公室\n"
    assert normalize(doc(raw)).origin == tuple(sorted(set(normalize(doc(raw)).origin)))


def test_a_tab_tables_cells_continued_on_the_line_below_are_put_back() -> None:
    raw = (
        "序号\t地区\t年鉴名称\t编纂单位\t出版社\n"
        "郑州市（2部）\n"
        "1\t管城回族区\t管城回族区年鉴\t郑州市管城回族区地方\t河南人民出版社\n"
        "\t\t（2024）\t史志研究室\n"
        "2\t中牟县\t中牟年鉴（2024）\t中牟县史志办公室\t中州古籍出版社\n"
    )
    assert norm(raw).splitlines() == [
        "序号\t地区\t年鉴名称\t编纂单位\t出版社",
        "郑州市（2部）",
        "1\t管城回族区\t管城回族区年鉴（2024）\t郑州市管城回族区地方史志研究室\t河南人民出版社",
        "2\t中牟县\t中牟年鉴（2024）\t中牟县史志办公室\t中州古籍出版社",
    ]


def test_a_tables_cells_written_a_line_each_become_its_rows() -> None:
    raw = (
        "（一）一等奖（2项）\n\n序号\n作品名称\n作者/编纂单位\n"
        "1\n《青州市志（1986—2020）》\n青州市史志研究中心\n"
        "2\n《风筝都的记忆——潍坊风筝文\n化口述史》\n王秀芝（潍坊学院）\n\n"
        "序号 姓名 工作单位及职务\n1 王海燕 潍坊市史志研究院年鉴编辑部主任\n"
        "2\n孙立群\n潍坊市史志研究院史志研究部四级主\n任科员\n3 赵文静 青州市史志研究中心主任\n"
    )
    lines = norm(raw).splitlines()
    assert "序号\t作品名称\t作者/编纂单位" in lines
    assert "1\t《青州市志（1986—2020）》\t青州市史志研究中心" in lines
    assert "2\t《风筝都的记忆——潍坊风筝文化口述史》\t王秀芝（潍坊学院）" in lines
    assert "2\t孙立群\t潍坊市史志研究院史志研究部四级主任科员" in lines
    assert "3\t赵文静\t青州市史志研究中心主任" in lines


GRADED_LAID_OUT = (
    "序号   成果名称                       编纂（出版）单位                  主编\n"
    "                                     一等奖（2 项）\n"
    " 1     《内蒙古自治区志·草原志       内蒙古自治区林业和草原局          刘振东\n"
    "       （1991—2020）》                内蒙古人民出版社\n"
    " 2     《鄂尔多斯市志（1991—2020）》 鄂尔多斯市地方志办公室            高俊峰\n"
    "                                      方志出版社\n"
    "                                     二等奖（1 项）\n"
    " 3     《百灵庙镇志》                 达尔罕茂明安联合旗百灵庙镇        孟和巴雅尔\n"
    "                                      人民政府\n"
    "\n"
    "序号  论文题目                          作者        作者单位\n"
    " 1    苏木镇志编纂中口述资料的采集      包金山      鄂温克族自治旗地方志办公室\n"
    "      与运用                            乌日娜      鄂温克族自治旗伊敏苏木人民\n"
    "                                                    政府\n"
)


def test_a_laid_out_tables_rows_grades_and_stacked_names_are_kept_apart() -> None:
    # a number right-aligned in its column (" 1"), a cell that filled its column and
    # kept one space before the next, grade lines centred between rows, two bodies or
    # two authors one above the other in a cell
    assert norm(GRADED_LAID_OUT).splitlines() == [
        "序号\t成果名称\t编纂（出版）单位\t主编",
        "一等奖（2项）",
        "1\t《内蒙古自治区志·草原志（1991—2020）》\t内蒙古自治区林业和草原局\t内蒙古人民出版社\t刘振东",
        "2\t《鄂尔多斯市志（1991—2020）》\t鄂尔多斯市地方志办公室\t方志出版社\t高俊峰",
        "二等奖（1项）",
        "3\t《百灵庙镇志》\t达尔罕茂明安联合旗百灵庙镇人民政府\t孟和巴雅尔",
        "",
        "序号\t论文题目\t作者\t作者单位",
        "1\t苏木镇志编纂中口述资料的采集与运用\t包金山\t乌日娜\t鄂温克族自治旗地方志办公室"
        "\t鄂温克族自治旗伊敏苏木人民政府",
    ]


def test_a_cell_per_line_tables_grades_page_breaks_and_stacked_bodies() -> None:
    raw = (
        "序号\n成果名称\n编纂（出版）单位\n主编\n一等奖（2 项）\n"
        "1\n呼和浩特年鉴（2024）\n呼和浩特市地方志办公室\n远方出版社\n其木格\n"
        "2\n康巴什年鉴（2024）\n鄂尔多斯市康巴什区地方志办\n公室\n方志出版社\n杨　帆\n\n"
        "— 3 —\n\n"
        "3\n东乌珠穆沁旗年鉴\n（2024）\n东乌珠穆沁旗地方志办公室\n内蒙古文化出版社\n额尔敦\n"
        "二等奖（1 项）\n"
        "4\n临河年鉴（2024）\n巴彦淖尔市临河区地方志办公室\n远方出版社\n贾志军\n"
    )
    lines = [line for line in norm(raw).splitlines() if line]
    assert lines == [
        "序号\t成果名称\t编纂（出版）单位\t主编",
        "一等奖（2项）",
        "1\t呼和浩特年鉴（2024）\t呼和浩特市地方志办公室\t远方出版社\t其木格",
        "2\t康巴什年鉴（2024）\t鄂尔多斯市康巴什区地方志办公室\t方志出版社\t杨帆",
        "3\t东乌珠穆沁旗年鉴（2024）\t东乌珠穆沁旗地方志办公室\t内蒙古文化出版社\t额尔敦",
        "二等奖（1项）",
        "4\t临河年鉴（2024）\t巴彦淖尔市临河区地方志办公室\t远方出版社\t贾志军",
    ]


def test_a_cell_per_line_table_with_a_column_of_grades_keeps_them_in_its_rows() -> None:
    # the grade is a row's last cell, not a heading over the rows after it; a page's
    # break (its number gone) inside a row does not end it
    raw = (
        "二、志书类\n\n序号\n成果名称\n编纂单位\n出版单位\n等次\n"
        "1\n新会区志（1979—2020）\n江门市新会区地方志办公室\n广东人民出版社\n二等奖\n"
        "2\n大埔县志（1988—2020）\n大埔县地方志编纂委员会\n\n— 5 —\n\n方志出版社\n二等奖\n"
        "3\n珠江水运志\n广东省交通运输厅\n广东人民出版社\n三等奖\n"
    )
    assert [line for line in norm(raw).splitlines() if line[:1].isdigit()] == [
        "1\t新会区志（1979—2020）\t江门市新会区地方志办公室\t广东人民出版社\t二等奖",
        "2\t大埔县志（1988—2020）\t大埔县地方志编纂委员会\t方志出版社\t二等奖",
        "3\t珠江水运志\t广东省交通运输厅\t广东人民出版社\t三等奖",
    ]


GROUPED_LAID_OUT = (
    "序号   年 鉴 名 称                      编 纂 单 位                          出 版 单 位\n"
    "\n北京市\n"
    " 1     北京年鉴（2024）                  北京市地方志编纂委员会办公室         北京出版社\n"
    " 2     海淀年鉴（2024）                  北京市海淀区地方志编纂委员会办       方志出版社\n"
    "                                         公室\n"
    "内蒙古自治区\n"
    " 3     锡林郭勒盟年鉴（2024）            锡林郭勒盟史志研究室                 远方出版社\n"
    "中央和国家机关部门及行业年鉴\n"
    " 4     中国水利年鉴（2024）              水利部                               中国水利\n"
    "                                                                             水电出版社\n"
    "\n"
    "序号   年 鉴 名 称                          编 纂 单 位\n"
    " 1     北京年鉴（2023）                      北京市地方志编纂委员会办公室\n"
    " 2     石家庄年鉴（2023）                    石家庄市地方志办公室\n"
)


def test_a_laid_out_tables_group_lines_and_letter_spaced_header_keep_its_rows_apart() -> None:
    # a line naming a province or a kind of work may run across the columns and ends
    # the row above; a header whose names are letter-spaced keeps its wide gaps as
    # tabs; a right-aligned number in a table with no wrapped cell is a cell too
    assert [line for line in norm(GROUPED_LAID_OUT).splitlines() if line] == [
        "序号\t年鉴名称\t编纂单位\t出版单位",
        "北京市",
        "1\t北京年鉴（2024）\t北京市地方志编纂委员会办公室\t北京出版社",
        "2\t海淀年鉴（2024）\t北京市海淀区地方志编纂委员会办公室\t方志出版社",
        "内蒙古自治区",
        "3\t锡林郭勒盟年鉴（2024）\t锡林郭勒盟史志研究室\t远方出版社",
        "中央和国家机关部门及行业年鉴",
        "4\t中国水利年鉴（2024）\t水利部\t中国水利水电出版社",
        "序号\t年鉴名称\t编纂单位",
        "1\t北京年鉴（2023）\t北京市地方志编纂委员会办公室",
        "2\t石家庄年鉴（2023）\t石家庄市地方志办公室",
    ]


def test_a_cell_per_line_tables_group_lines_are_no_cells() -> None:
    # 江苏省 between two rows groups the rows under it; 其木格 under a full row is the
    # row's last cell (a person's name is no place)
    raw = (
        "序号\n年鉴名称\n编纂单位\n出版单位\n江苏省\n"
        "12\n苏州年鉴（2024）\n苏州市地方志办公室\n古吴轩出版社\n"
        "13\n昆山年鉴（2024）\n昆山市地方志办公室\n江苏凤凰科学技术出\n版社\n"
        "浙江省\n"
        "14\n宁波年鉴（2024）\n宁波市地方志办公室\n宁波出版社\n\n"
        "序号\n成果名称\n编纂（出版）单位\n主编\n"
        "1\n呼和浩特年鉴（2024）\n呼和浩特市地方志办公室\n远方出版社\n其木格\n"
        "2\n包头年鉴（2024）\n包头市地方志办公室\n内蒙古人民出版社\n王丽娟\n"
    )
    assert [line for line in norm(raw).splitlines() if line] == [
        "序号\t年鉴名称\t编纂单位\t出版单位",
        "江苏省",
        "12\t苏州年鉴（2024）\t苏州市地方志办公室\t古吴轩出版社",
        "13\t昆山年鉴（2024）\t昆山市地方志办公室\t江苏凤凰科学技术出版社",
        "浙江省",
        "14\t宁波年鉴（2024）\t宁波市地方志办公室\t宁波出版社",
        "序号\t成果名称\t编纂（出版）单位\t主编",
        "1\t呼和浩特年鉴（2024）\t呼和浩特市地方志办公室\t远方出版社\t其木格",
        "2\t包头年鉴（2024）\t包头市地方志办公室\t内蒙古人民出版社\t王丽娟",
    ]


def test_a_documents_title_over_two_lines_is_one() -> None:
    raw = "潍坊市史志研究院\n关于公布第三届潍坊市史志优秀成果\n评选结果的通知\n\n各县（市、区）：\n"
    assert "关于公布第三届潍坊市史志优秀成果评选结果的通知" in norm(raw).splitlines()


def test_a_list_of_two_items_to_a_line_becomes_one_to_a_line() -> None:
    raw = (
        "河北省（3 名）\n"
        "4．郝建新（石家庄市地方志办公室）        5．田佳慧（围场满族蒙古族自治县史志办公室）\n"
        "6．王树林（河北省地方志办公室）\n"
        "浙江省（1 名）\n"
        "17．沈立新（浙江省人民政府地方志办公\n室）\n"
        "共评出 3 个一等奖、  5 个二等奖。\n"
    )
    assert norm(raw).splitlines() == [
        "河北省（3名）",
        "4．郝建新（石家庄市地方志办公室）",
        "5．田佳慧（围场满族蒙古族自治县史志办公室）",
        "6．王树林（河北省地方志办公室）",
        "浙江省（1名）",
        "17．沈立新（浙江省人民政府地方志办公室）",
        "共评出3个一等奖、5个二等奖。",
    ]


CENTRED_ROWS = (
    "序号   成果名称                   编纂单位                   等次\n"
    "       《广西通志·民族志（1991—   广西壮族自治区地方志编纂委\n"
    " 1                                                           一等奖\n"
    "       2015）》                   员会办公室\n"
    "       《龙胜各族自治县志（1991—\n"
    " 2                                龙胜各族自治县地方志办公室 一等奖\n"
    "       2015）》\n"
    "                                  龙胜各族自治县龙脊镇人民政\n"
    " 3     《龙脊村志》                                          三等奖\n"
    "                                  府\n"
)


def test_a_laid_out_tables_rows_numbered_in_the_middle_of_their_lines() -> None:
    # cells centred in a row's height: its number stands on a middle line, and the
    # lines between two numbers go on the row above while they finish its cells
    assert [line for line in norm(CENTRED_ROWS).splitlines() if line] == [
        "序号\t成果名称\t编纂单位\t等次",
        "1\t《广西通志·民族志（1991—2015）》\t广西壮族自治区地方志编纂委员会办公室\t一等奖",
        "2\t《龙胜各族自治县志（1991—2015）》\t龙胜各族自治县地方志办公室\t一等奖",
        "3\t《龙脊村志》\t龙胜各族自治县龙脊镇人民政府\t三等奖",
    ]


def test_a_page_set_to_a_fixed_width_runs_its_lines_on() -> None:
    # an official document's 28 characters a line: lines under 30 characters that fill
    # the width run on into the next; a short heading does not
    body = (
        "为深入贯彻落实国务院《地方志工作条例》和《广西地方志\n"
        "事业发展“十四五”规划》，充分发挥示范作用。\n"
    )
    filler = (
        "全区地方志系统坚持以人民为中心推进志鉴编纂工作取得成\n效明显，全年出版志书年鉴等成果共计三百余部。\n"
        * 10
    )
    lines = norm("一、评选基本情况\n" + body + filler).splitlines()
    assert lines[0] == "一、评选基本情况"
    assert lines[1] == (
        "为深入贯彻落实国务院《地方志工作条例》和《广西地方志事业发展“十四五”规划》，"
        "充分发挥示范作用。"
    )
    # (alone, the two lines show no page width: a line under 30 characters stays)
    assert norm(body).startswith("为深入贯彻落实国务院《地方志工作条例》和《广西地方志\n")


def test_a_cell_per_line_table_with_blank_lines_between_its_cells() -> None:
    # plain pdftotext leaves a blank line between cells; the page's number goes, the
    # first row's number (1, the next row's number close below) stays
    raw = (
        "序号\n\n年鉴名称\n\n编纂单位\n\n等次\n\n— 4 —\n\n"
        "1\n\n南京年鉴（2024）\n\n南京市地方志编纂委\n员会办公室\n\n特等\n\n"
        "2\n\n张家港年鉴（202\n4）\n\n张家港市地方志办公\n室\n\n特等\n\n"
        "3\n\n无锡年鉴（2024）\n\n无锡市地方志办公室\n\n一等\n"
    )
    assert [line for line in norm(raw).splitlines() if line] == [
        "序号\t年鉴名称\t编纂单位\t等次",
        "1\t南京年鉴（2024）\t南京市地方志编纂委员会办公室\t特等",
        "2\t张家港年鉴（2024）\t张家港市地方志办公室\t特等",
        "3\t无锡年鉴（2024）\t无锡市地方志办公室\t一等",
    ]


CENTRED_HEADER = (
    "序号          成果名称                    编纂单位               等次\n"
    " 1    《桂平市志（1991—2015）》     桂平市地方志办公室           一等奖\n"
    " 2    《广西壮族自治区交通运输志    广西壮族自治区交通运输       二等奖\n"
    "      （1991—2020）》               厅\n"
    " 3    《黄姚镇志》                  昭平县黄姚镇人民政府         二等奖\n"
)


def test_a_laid_out_tables_header_names_centred_over_their_columns() -> None:
    # the cells start left of the names over them: the first row with a cell in every
    # column shows where each column starts
    assert norm(CENTRED_HEADER).splitlines() == [
        "序号\t成果名称\t编纂单位\t等次",
        "1\t《桂平市志（1991—2015）》\t桂平市地方志办公室\t一等奖",
        "2\t《广西壮族自治区交通运输志（1991—2020）》\t广西壮族自治区交通运输厅\t二等奖",
        "3\t《黄姚镇志》\t昭平县黄姚镇人民政府\t二等奖",
    ]


def test_a_roll_written_several_to_a_line_runs_on_where_the_page_width_cut_an_item() -> None:
    # 28 characters a line under a wide margin: a name whose bracket opens on the next
    # line, a name cut in two, a bracket the next line closes
    roll = (
        "          段红梅（陆良县地方志办公室主任）　　徐立明（宣威市地方志办公室一级科员）"
        "　　普文军\n"
        "          （玉溪市地方志编纂委员会办公室综合科科长）　　刀丽芳（新\n"
        "          平彝族傣族自治县地方志办公室副主任）　　钱永福（通海县地\n"
        "          方志办公室主任）　　尹国栋（保山市地方志编纂委员会办公室　　蒋\n"
        "          晓华（彝良县地方志办公室四级主任科员）\n"
    )
    filler = "          全区地方志系统坚持以人民为中心推进志鉴编纂工作取得成\n" * 10
    text = norm(filler + "\n" + roll)
    for name in ("普文军（玉溪市", "刀丽芳（新平彝族", "钱永福（通海县地方志", "蒋晓华（彝良县"):
        assert name in text
