"""Regular expressions used across stages, compiled once and named."""

from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")

# A line that holds only a page number: "— 3 —", "- 12 -", "第 3 页", or a bare
# number after a finished sentence or a blank line (not 全省共有\n58\n个).
_SP = r"[ \t\u3000]*"
PAGE_NUMBER_LINE = re.compile(
    rf"^(?:{_SP}[—–\-－―]+{_SP}\d{{1,4}}{_SP}[—–\-－―]+"
    rf"|{_SP}第{_SP}\d{{1,4}}{_SP}页(?:{_SP}共{_SP}\d{{1,4}}{_SP}页)?"
    rf"|(?<=[。！？；”\n]\n){_SP}\d{{1,3}}){_SP}(?:\n|\Z)",
    re.MULTILINE,
)
HALF_WIDTH_PAIR = re.compile(r"\([^()\n]{0,40}\)")
# Characters unify_width may change: full-width alphanumerics, ideographic space,
# corner quotes, half-width marks.
WIDTH_CANDIDATE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000「」『』＂〔［］,;:!?]")
HORIZONTAL_SPACE_RUN = re.compile(r"[ \t\u3000\u00a0]+")
COLUMN_GAP = re.compile(r"[ \u00a0]*[\t\u3000][ \t\u3000\u00a0]*")
# Lone surrogates: a str can hold them, no UTF encoding can write them.
SURROGATE = re.compile("[\ud800-\udfff]")
INVISIBLE = re.compile("[\r\u200b\u200c\u200d\u2060\ufeff\u00ad]")
NEWLINE = re.compile("\n")
LINE_BREAK_RUN = re.compile(r"\n[ \t\u3000]*(?:\n[ \t\u3000]*)*")
# A line that opens an item of a list or a section: （四）, 二、, 3. (not 1.2万), 第二部分,
# 二等奖： — a line before it that runs on without a full stop still ends there.
_NUMERAL = "一二三四五六七八九十百"
LIST_ITEM_START = re.compile(
    rf"[ \t\u3000]*(?:[（(][{_NUMERAL}]{{1,3}}[）)]|[{_NUMERAL}]{{1,3}}、|\d{{1,2}}[.．、](?!\d)"
    rf"|第[{_NUMERAL}\d]{{1,3}}[部章节篇]"
    r"|(?:特等|一等|二等|三等|四等|优秀|金|银|铜|提名|鼓励)奖[：:]"
    # 以上5项为一等奖。: the line that grades the rows of a table above it
    r"|以上\s*\d{1,3}\s*[项部种个名件])"
)

# Sentence ends inside a paragraph.
SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]?|；|\n+")
# Where an over-long sentence may be cut (after the mark).
SOFT_BREAK = re.compile(r"[，、：,:\s]")

# What may open a name before the name proper: 第三届南亚东南亚国际书展, 2024山东书展.
ORDINAL_LEAD = re.compile(r"第[一二三四五六七八九十百零\d]+届|(?:19|20)\d{2}年?")

# A line that grades the rows of a results list under it (二等奖（4 项）, （一）一等奖), or
# groups them with their count (郑州市（8部）).
GRADE_LINE = re.compile(
    r"(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）)?[ \t]*"
    r"[\u4e00-\u9fff]{0,8}(?:等奖|优秀奖|金奖|银奖|铜奖|提名奖|特别奖)(?:（[^（）\n]{1,8}）)?"
    r"|[\u4e00-\u9fff、]{2,16}（\d{1,3} *[项部个名篇种家]）"
)

# A table's header row once its cells are parted by tabs (序号	成果名称	…), one of its
# numbered rows, and the name of a column of people (作者, 主编, 姓名).
TAB_HEADER_ROW = re.compile(r"^(?:序号|编号)\t", re.MULTILINE)
TAB_ROW = re.compile(r"\d{1,3}\t")
PEOPLE_COLUMN = re.compile(r"(?:第一)?(?:作者|姓名|主编|编者|撰稿人?|获奖者|获奖人)(?:姓名)?")

# An award's edition or batch (第三届, 第六批), which its label leaves out.
EDITION = re.compile(r"第[一二三四五六七八九十百零\d]+[届次批]|首届")

# A year as a date (2024年12月), not a period named in a title (2024年度…案例).
YEAR = re.compile(r"((?:19|20)\d{2})年(?!度)")
TITLE = re.compile(r"《([^《》\n]{1,80})》")
INNER_TITLE = re.compile(r"〈([^〈〉\n]{1,80})〉")
QUOTED = re.compile(r"“([^“”\n]{1,40})”")
ABBREVIATION = re.compile(r"（(?:以下)?简称[：:]?“([^“”]{1,12})”）")
LATIN_ABBREVIATION = re.compile(r"（([A-Z][A-Za-z0-9&]{1,11})）")

# A document's number (琼志办〔2025〕9号), on its masthead's line above its title; and how
# many lines above a notice's title its masthead may take.
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔(?:19|20)\d{2}〕\s*\d{1,4}\s*号")
MASTHEAD_LINES = 4
# A line holding only a date, as a document's signature or masthead carries it.
# (二〇二四年十二月十日, as official documents sign, too)
DATE_LINE = re.compile(
    r"^\s*((?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日(?:印发)?\s*$",
    re.MULTILINE,
)
# How many lines of bodies' names may sign a document jointly, above its date.
SIGNATURE_LINES = 4
