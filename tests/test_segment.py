"""zhi_graph.segment: sentences and paragraphs, and jieba tokens whose offsets are exact."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import marshal
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jieba
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhi_graph import usercache
from zhi_graph.load import load
from zhi_graph.model import Segmented
from zhi_graph.resources import Resources, load_resources
from zhi_graph.segment import (
    _data_of,
    _jieba_dictionary,
    _parse_dictionary,
    sentences,
    token_starts,
    tokens,
)
from zhi_graph.text.normalize import normalize
from zhi_graph.usercache import FOLDER_VARIABLE


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
    segment_text: Callable[[str], Segmented], resources: Resources, text: str
) -> None:
    segmented = segment_text(text)
    normalized = segmented.text
    # The offsets the tokenizer counts itself, against those summed from word lengths.
    counted = tokens(normalized, resources)
    assert counted, "no tokens"
    assert segmented.token_starts == tuple(token.start for token in counted)
    position = 0
    for token, made in zip(counted, segmented.tokens, strict=True):
        assert normalized[token.start : token.end] == token.text == made.text
        assert token.start == position, "tokens leave a gap or overlap"
        position = token.end
    assert position == len(normalized)


# Any text but lone surrogates (the pipeline replaces those before it segments).
_SEGMENTABLE = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from("四川省成都市地方志办公室年鉴编纂，。、“”《》\n\r\t 　2024"),
    ),
    max_size=200,
)


@given(_SEGMENTABLE)
def test_offsets_summed_from_word_lengths_are_the_tokenizers_own(text: str) -> None:
    resources = load_resources()
    assert token_starts(text, resources) == tuple(token.start for token in tokens(text, resources))


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


# --- rjieba against jieba. segment cuts with rjieba (jieba-rs) because it is much
# faster; the extractor's rules were written against jieba's words. A rjieba or
# jieba upgrade that cuts differently must fail here, not shift entities quietly.


@pytest.fixture(scope="module")
def jieba_with_user_words(resources: Resources) -> jieba.Tokenizer:
    """jieba itself, given the user words the way segment gave them before rjieba."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in sorted(set(resources.user_words())):
        if len(word) >= 2:
            tokenizer.add_word(word, freq=None)
    return tokenizer


TRICKY = [
    # user words that are also jieba words: their frequency is replaced, and the
    # total must move as jieba's does (搜出 and 何新 are cut apart otherwise)
    "花观景青石路硚口搜出安庆市从海道",
    "浙江横店影视职业学院如东县杭锦旗太原旅游职业学院E座惠安何新Z",
    "CCTV出新郎溪%”台北医学惠济区D盘石门县步榴福祉abc",
    "打定）  余亿元渝北区竡蛬#博湖县广西职业技术学院平定县",
    # words a frequency suggested one higher than jieba-rs would (龙游 19 -> 20)
    "龙泉驿区龙游龙湖龙湾区龙里县龙门县",
    # Latin letters, digits and the marks jieba keeps inside a run
    "AT&T和C++、c#，T恤A股AA制3.5%的5A级景区，ABC-123 地方志",
    "设在国家AAAAA级旅游景区的喜马拉雅FM电台，IP地址192.168.0.1",
    # outside jieba's Han range, astral characters, combining marks, odd spaces
    "㐀䶵鿕鿖鿿𠀀𪚥😀成都市\u0301é\u00a0\u3000\t\u2028\x1c\x85五",
    "\r\n \n\n　《甘孜州年鉴（2023）》\t第 3 页",
    "",
]


@pytest.mark.parametrize("text", TRICKY)
def test_rjieba_cuts_as_jieba_does(
    resources: Resources, jieba_with_user_words: jieba.Tokenizer, text: str
) -> None:
    words = list(jieba_with_user_words.cut(text, HMM=False))
    assert [t.text for t in tokens(text, resources)] == words


def test_rjieba_cuts_the_sample_as_jieba_does(
    resources: Resources, jieba_with_user_words: jieba.Tokenizer, sample_path: Path
) -> None:
    text = normalize(load(sample_path)).text
    words = list(jieba_with_user_words.cut(text, HMM=False))
    found = [t.text for t in tokens(text, resources)]
    assert len(found) > 5000
    assert found == words


# --- jieba's dictionary file, read without jieba.


@pytest.mark.parametrize(
    ("data", "frequency", "tags", "total"),
    [
        pytest.param(
            "地方 120 n\n志 30 n\n", {"地方": 120, "志": 30}, {"地方": "n", "志": "n"}, 150
        ),
        pytest.param(
            "地方 120 n\n地方 7 v\n",
            {"地方": 7},
            {"地方": "v"},
            127,
            id="a repeated word: the last",
        ),
        pytest.param("地方 120\n志 30 n\n", {"地方": 120, "志": 30}, {"志": "n"}, 150, id="no tag"),
        pytest.param(
            "地方 120\n志 30 n x\n",
            {"地方": 120, "志": 30},
            {},
            150,
            id="fields that line up wrongly",
        ),
        pytest.param("\n地方 120 n\n\n", {"地方": 120}, {"地方": "n"}, 120, id="blank lines"),
        pytest.param(
            "地方 120 n\n志 30 v",
            {"地方": 120, "志": 30},
            {"地方": "n", "志": "v"},
            150,
            id="no line break at the end",
        ),
        pytest.param(
            "地方 120 n\r\n志 30 v\r\n",
            {"地方": 120, "志": 30},
            {"地方": "n", "志": "v"},
            150,
            id="CRLF",
        ),
    ],
)
def test_the_dictionary_file_is_read_line_by_line_in_effect(
    data: str, frequency: dict[str, int], tags: dict[str, str], total: int
) -> None:
    read = _parse_dictionary(data)
    assert (read.frequency, read.tags, read.total) == (frequency, tags, total)
    assert read.words == sorted(frequency)


def test_jieba_s_own_dictionary_is_read_as_jieba_reads_it() -> None:
    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()
    reference.initialize()
    read = _jieba_dictionary()
    assert read.total == reference.total
    assert all(read.frequency[w] == f for w, f in reference.FREQ.items() if f)


def _after_warm_up(lines: str, folder: Path) -> list[str]:
    """What a fresh Python prints running ``lines`` after ``pipeline.warm_up``."""
    script = "import sys\nfrom zhi_graph.pipeline import warm_up\nwarm_up()\n" + lines
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=folder
    )
    return done.stdout.split()


def test_extraction_does_not_import_jieba(tmp_path: Path) -> None:
    # jieba's import takes 0.4 s of every build's start; only its file is needed
    assert _after_warm_up("print('jieba' in sys.modules)\n", tmp_path) == ["False"]


def test_extraction_does_not_build_rjiebas_default_tokenizer(tmp_path: Path) -> None:
    # rjieba's __init__ builds a tokenizer we never use (0.1-0.3 s, 24-32 MB); the
    # class comes from its compiled module, which a later `import rjieba` reuses.
    lines = (
        "print('rjieba' in sys.modules)\n"
        "import rjieba\n"
        "from zhi_graph.segment import _jieba_class\n"
        "print(rjieba.Jieba is _jieba_class(), rjieba.cut('成都市地方志办公室') != [])\n"
    )
    assert _after_warm_up(lines, tmp_path) == ["False", "True", "True"]


def test_warm_up_keeps_jieba_s_tags_but_not_its_frequencies(tmp_path: Path) -> None:
    # the frequencies only build the tokenizer: kept, they cost every worker 14 MB;
    # the tags are read without parsing the file again (no miss since the clear)
    lines = (
        "from zhi_graph import segment\n"
        "print(segment._jieba_dictionary.cache_info().currsize)\n"
        "print(segment.word_tags()['方志'])\n"
        "print(segment._jieba_dictionary.cache_info().misses)\n"
    )
    assert _after_warm_up(lines, tmp_path) == ["0", "n", "0"]


# Counts how often jieba's file is parsed, warms up, and prints the words of argv[1].
_WARM_UP_AND_CUT = """
import sys
from zhi_graph import segment
from zhi_graph.resources import load_resources
parsed = []
parse = segment._parse_dictionary
segment._parse_dictionary = lambda data: parsed.append(1) or parse(data)
from zhi_graph.pipeline import warm_up
warm_up()
print(len(parsed))
print("|".join(t.text for t in segment.tokens(sys.argv[1], load_resources())))
"""


def _warm_up_with_user_cache(folder: str) -> list[str]:
    """What a fresh Python prints after its warm-up, its user cache in ``folder``:
    how often it parsed jieba's file, and the words of a sentence."""
    done = subprocess.run(
        [sys.executable, "-c", _WARM_UP_AND_CUT, "成都市地方志办公室编纂的《成都年鉴》"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, FOLDER_VARIABLE: folder},
    )
    return done.stdout.split()


def test_the_added_words_and_jieba_s_tags_serve_the_next_process(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    first = _warm_up_with_user_cache(str(folder))
    assert first[0] == "1"  # worked out from jieba's file
    assert first[1] == "成都市|地方志办公室|编纂|的|《|成都|年鉴|》"
    assert sorted(p.name for p in folder.iterdir()) == [
        "extractor-fingerprint.marshal",  # (what keys the other two)
        "jieba-tags.marshal",
        "tokenizer-words.marshal",
    ]
    _, added = marshal.loads((folder / "tokenizer-words.marshal").read_bytes())
    assert len(added) > 1000 and all(isinstance(f, int) for _, f in added)
    second = _warm_up_with_user_cache(str(folder))
    assert second == ["0", first[1]]  # the same words, and jieba's file not read


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"not marshal data"),
        lambda path: path.write_bytes(path.read_bytes()[:100]),
        lambda path: path.write_bytes(marshal.dumps(("another key", []))),
        lambda path: path.write_bytes(marshal.dumps(["no key"])),
    ],
)
def test_a_damaged_or_stale_user_cache_is_worked_out_again(
    tmp_path: Path, damage: Callable[[Path], object]
) -> None:
    folder = tmp_path / "cache"
    first = _warm_up_with_user_cache(str(folder))
    for path in folder.iterdir():
        damage(path)
    assert _warm_up_with_user_cache(str(folder)) == first  # worked out again, the same
    assert _warm_up_with_user_cache(str(folder)) == ["0", first[1]]  # and kept again


def test_a_user_cache_that_is_off_or_cannot_be_written_keeps_nothing(tmp_path: Path) -> None:
    assert _warm_up_with_user_cache(usercache.OFF)[0] == "1"
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    first = _warm_up_with_user_cache(str(blocked))
    assert first[0] == "1"
    assert _warm_up_with_user_cache(str(blocked)) == first
    assert blocked.read_text() == "not a folder"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"ZHI_GRAPH_CACHE_DIR": "/x/y"}, Path("/x/y")),
        ({"ZHI_GRAPH_CACHE_DIR": "off"}, None),
        ({"XDG_CACHE_HOME": "/c"}, Path("/c/zhi-graph")),
        ({"HOME": "/home/u"}, Path("/home/u/.cache/zhi-graph")),
        ({"ZHI_GRAPH_CACHE_DIR": "/x", "XDG_CACHE_HOME": "/c"}, Path("/x")),
    ],
)
def test_the_user_cache_folder_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: Path | None
) -> None:
    for name in ("ZHI_GRAPH_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert usercache.folder() == expected


def test_words_from_another_data_folder_are_kept_under_another_key(
    resources: Resources, tmp_path: Path
) -> None:
    """The extractor's fingerprint covers the package's data only: resources loaded
    from another folder are keyed by their words."""
    assert _data_of(resources) == "package"
    elsewhere = dataclasses.replace(resources, root=tmp_path)
    assert _data_of(elsewhere) not in ("package", "")
    more = dict(resources.triggers)
    more["extra"] = ("一个新词语",)
    assert _data_of(dataclasses.replace(elsewhere, triggers=more)) != _data_of(elsewhere)
