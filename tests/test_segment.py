"""zhi_graph.segment: sentences and paragraphs, and jieba tokens whose offsets are exact."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from zhi_graph.model import Segmented
from zhi_graph.resources import Resources
from zhi_graph.segment import sentences, tokens


def _split(text: str) -> list[tuple[str, int]]:
    return [(text[s.start : s.end].strip(), s.paragraph) for s in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "全省新建方志馆。出版年鉴！成效如何？成绩显著；任务艰巨",
            [
                ("全省新建方志馆。", 0),
                ("出版年鉴！", 0),
                ("成效如何？", 0),
                ("成绩显著；", 0),
                ("任务艰巨", 0),
            ],
            id="cjk-ends",
        ),
        pytest.param(
            "一、健全制度体系\n省史志办出台办法。各地细化落实。\n\n二、坚持精品引领\n年鉴入选",
            [
                ("一、健全制度体系", 0),
                ("省史志办出台办法。", 1),
                ("各地细化落实。", 1),
                ("二、坚持精品引领", 2),
                ("年鉴入选", 3),
            ],
            id="paragraphs",
        ),
        pytest.param(
            "会议强调：“要修好志。”随后闭幕。",
            [("会议强调：“要修好志。”", 0), ("随后闭幕。", 0)],
            id="closing-quote-stays",
        ),
        pytest.param(
            "真的吗?!是的。。好",
            [("真的吗?!", 0), ("是的。。", 0), ("好", 0)],
            id="runs-of-marks",
        ),
        pytest.param("\n\n  \n", [("", 0)], id="blank"),
    ],
)
def test_sentences_split_at_ends_and_newlines(text: str, expected: list[tuple[str, int]]) -> None:
    assert _split(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "第一句。第二句\n\n第三句；第四句！",
        "编者按：奋楫者先。\n\n现将情况刊载如下，供参阅。\n",
        "没有句号的一行",
    ],
)
def test_sentences_are_ordered_disjoint_and_cover_all_text(text: str) -> None:
    found = sentences(text)
    for previous, current in itertools.pairwise(found):
        assert previous.end <= current.start
        assert previous.paragraph <= current.paragraph
        assert text[previous.end : current.start].strip() == ""
    covered = "".join(text[s.start : s.end] for s in found)
    assert "".join(covered.split()) == "".join(text.split())


TOKEN_TEXTS = [
    "甘孜藏族自治州地方志办公室编纂出版《甘孜州年鉴（2023）》。",
    "2024 年，广西壮族自治区地方志办公室开通“广西地情”微信公众号。\n\n— 3 —\n\n第二段",
    "Zhejiang 浙江省 ABC-123 地方志，“方志浙江”APP上线。",
]


@pytest.mark.parametrize("text", TOKEN_TEXTS)
def test_token_offsets_quote_the_text_and_tile_it(
    segment_text: Callable[[str], Segmented], text: str
) -> None:
    segmented = segment_text(text)
    normalized = segmented.text
    assert segmented.tokens, "no tokens"
    position = 0
    for token in segmented.tokens:
        assert normalized[token.start : token.end] == token.text
        assert token.start == position, "tokens leave a gap or overlap"
        position = token.end
    assert position == len(normalized)


@pytest.mark.parametrize(
    "name",
    [
        "甘孜藏族自治州",
        "广西壮族自治区",
        "景宁畲族自治县",
        "西双版纳傣族自治州",
        "中国地方志工作办公室",  # a lexicon label
    ],
)
def test_gazetteer_and_lexicon_names_stay_one_token(resources: Resources, name: str) -> None:
    text = f"近日，{name}召开会议。"
    words = [t.text for t in tokens(text, resources)]
    assert name in words


def test_segment_records_keep_the_normalized_text(
    segment_text: Callable[[str], Segmented],
) -> None:
    segmented = segment_text("2024 年 1 月，全省方志馆 5 个。\n— 2 —\n下一段")
    assert segmented.text == "2024年1月，全省方志馆5个。\n下一段"
    assert segmented.sentence_at(segmented.text.index("下一段")).paragraph == 1
    assert segmented.sentence_at(0).start == 0


def test_an_empty_text_has_no_tokens(resources: Resources) -> None:
    assert tokens("", resources) == ()
