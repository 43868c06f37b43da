"""Throughput of zhi-graph against plain jieba on a synthetic corpus (run by hand).

    .venv/bin/python benchmarks/throughput.py                  # ~3 MB, writes benchmarks/results.md
    .venv/bin/python benchmarks/throughput.py --size-mb 1 --profile 20

One run generates a corpus of chronicle-office documents (briefings, news
digests, award lists, notices, meeting reports) from sentence templates filled
with real names drawn from ``data/gazetteer/divisions.tsv`` and
``data/lexicon/``, a third of them the genre's connecting prose (``PROSE``), with
a fixed seed, so every run sees the same text; writes it as
many ``.txt`` files to a temporary folder, and measures in order:

1. ``jieba``: ``Tokenizer.lcut`` (default mode, HMM on) over every text, with
   a tokenizer of its own initialised before the clock starts;
2. extraction: ``zhi_graph.pipeline.extract_document`` over the loaded
   documents, with resources loaded and the segmenter warmed up beforehand;
3. ``build`` without validation and 4. ``build`` with validation (files
   read, extracted, turned into RDF and written, as ``zhi-graph build`` does).

Throughput is in characters (code points) per second.  Memory is the peak
resident set size of the process during each step (Linux ``VmHWM``, reset
between steps), or the process-wide peak where it cannot be reset.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import platform
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jieba

from zhi_graph.errors import ZhiGraphError
from zhi_graph.load import load
from zhi_graph.model import Document
from zhi_graph.pipeline import build, extract_document
from zhi_graph.resources import load_resources, package_root

HERE = Path(__file__).resolve().parent
SEED = 20251125

# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Place:
    code: str  # the county's adcode
    province: str
    province_short: str
    city: str
    city_short: str
    county: str
    county_short: str


@dataclass(frozen=True)
class Names:
    places: list[Place]
    awards: list[str]
    institutions: list[str]
    platforms: list[str]
    universities: dict[str, list[str]]  # province adcode prefix -> names
    surnames: list[str]


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def read_names(root: Path) -> Names:
    """Real names from the data files: region chains, national bodies, awards, universities."""
    with (root / "data" / "gazetteer" / "divisions.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    by_code = {r["adcode"]: r for r in rows}

    def short(row: dict[str, str]) -> str:
        return (
            (row["short_names"].split("|")[0] or row["name"]) if row["short_names"] else row["name"]
        )

    places = []
    for county in rows:
        if county["level"] != "county" or county["name"].endswith("区"):
            continue
        city = by_code.get(county["parent"])
        if city is None or city["level"] != "prefecture":
            continue
        province = by_code.get(city["parent"])
        if province is None:
            continue
        places.append(
            Place(
                county["adcode"],
                province["name"],
                short(province),
                city["name"],
                short(city),
                county["name"],
                short(county),
            )
        )
    lexicon = root / "data" / "lexicon"
    universities: dict[str, list[str]] = {"": []}  # "" holds them all
    for entry in _jsonl(lexicon / "universities.jsonl"):
        label = str(entry["label"])
        universities[""].append(label)
        universities.setdefault(str(entry.get("region", ""))[:2], []).append(label)
    surnames = [
        line.strip()
        for line in (lexicon / "surnames.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#") and len(line.strip()) == 1
    ]
    return Names(
        places=places,
        awards=[str(e["label"]) for e in _jsonl(lexicon / "national_awards.jsonl")],
        institutions=[str(e["label"]) for e in _jsonl(lexicon / "national_institutions.jsonl")],
        platforms=[str(e["label"]) for e in _jsonl(lexicon / "platforms.jsonl")],
        universities=universities,
        surnames=surnames,
    )


GIVEN = "建国立新文华明辉海燕晓东志强红梅永军丽娟国庆玉兰春生秋菊德胜树林家豪雨涵"
TOPICS = [
    "乡镇（街道）志编纂",
    "地情资料征集",
    "年鉴编纂质量提升",
    "方志馆建设",
    "数字方志建设",
    "旧志整理",
    "地方志资源开发利用",
    "党史与地方志融合发展",
    "村志编纂",
    "方志文化进校园",
]
GRADES = ["特等奖", "一等奖", "二等奖", "三等奖"]

HEADERS = {
    "briefing": [
        "{province}地方志工作简报",
        "第 {n} 期",
        "{province}地方志工作办公室",
        "{y} 年 {m} 月 {d} 日",
    ],
    "news": ["{province_short}地方志工作动态", "{y} 年第 {m} 期（总第 {n} 期）", "【本期要目】"],
    "awards": ["关于公布{y}年度{province}地方志优秀成果评选结果的通知"],
    "notice": ["{province}地方志工作办公室文件", "{province_short}志办发〔{y}〕{m}号"],
    "meeting": [
        "{province_short}{city_short}两地地方志工作交流座谈会纪要",
        "（{y} 年 {m} 月 {d} 日）",
    ],
}

SENTENCES = {
    "briefing": [
        "{y}年{m}月，{province}地方志工作办公室在{city}召开全省{topic}工作推进会，{city}地方志办公室、{county}地方志办公室作交流发言。",
        "《{city_short}年鉴（{y}）》获第{nth}届全国地方志优秀成果（年鉴类）{grade}，《{county_short}年鉴（{y1}）》入选“{province_short}精品年鉴”。",
        "{city}史志办公室依托{university}建成{city_short}方志馆{university_short}分馆，年均接待读者{k}万人次。",
        "近年来，{county}坚持“一本志书、一个平台、一支队伍”思路，先后编纂出版《{county}志（1986—{y1}）》《{county_short}大事记》。",
        "{province}地方志工作办公室主任{person}出席会议并讲话，要求各地把{topic}作为重点任务抓紧抓实。",
        "“方志{province_short}”微信公众号全年推送信息{k}00余条，入驻{platform}，阅读量累计{k}00万次。",
        "{city}制定出台《{city}地方志资料建设工作暂行管理办法》《{city}{topic}实施方案》等制度文件。",
    ],
    "news": [
        "{y} 年 {m} 月，{institution}公布第{nth}批“{award}”名单，{province}{n}个项目入选。",
        "《{county}志》出版发行。该志由{county}地方志编纂委员会编纂，{press}出版，共{k}0万字。",
        "{city_short}方志馆获评“{province}爱国主义教育基地”，该馆位于{city}{county}，由{city}地方志办公室运营。",
        "{county}第二轮县志通过终审，{province}方志办副主任{person}主持评审会。",
        "《{province_short}方志》编辑部与{university}联合举办{topic}学术研讨会，来自{platform}的专家{person}作专题报告。",
        "{province_short}方志办印发《{province}县级综合年鉴编纂质量规范》，自{y}年{m}月1日起施行。",
    ],
    "awards": [
        "{nth}、《{city_short}年鉴（{y1}）》（{city}地方志办公室）",
        "{nth}、《{county}志》（{county}地方志编纂委员会办公室）——{grade}",
        "经各地推荐、专家评审，《{county_short}大事记（{y0}—{y1}）》等{k}部成果获{province}地方志优秀成果{grade}。",
        "{city}{county}《{county_short}村志》荣获“{award}”。",
    ],
    "notice": [
        "各市（州）地方志办公室，省直有关部门：",
        "为贯彻落实《全国地方志事业发展规划纲要（2021—2035年）》，推进{topic}，现将《{province}{topic}工作方案》印发给你们，请认真贯彻执行。",
        "各地要加强与{institution}、{city}档案馆的沟通协作，依托{platform}做好成果展示。",
        "联系人：{person}，电话：028-{k}{k}{k}{k}{k}{k}。",
        "附件：{province}{topic}工作方案",
    ],
    "meeting": [
        "{y}年{m}月{d}日，{province}地方志办公室与{city}史志办公室在{county}召开座谈会，双方就{topic}进行深入交流。",
        "会议指出，{province_short}{city_short}两地山水相连、人文相亲，要以《{city_short}年鉴》和{city_short}数字方志馆为载体，共享地情资源。",
        "{university}教授{person}介绍了{topic}的经验，{city}{county}在会上作典型发言。",
        "会后，与会人员参观了{county_short}方志馆和{county}档案馆。",
    ],
}

PRESSES = ["方志出版社", "中华书局", "人民出版社", "社会科学文献出版社"]

# The connecting prose of each genre: what its documents say between the names
# (aims, methods, figures, closing formulas).  Real briefings are mostly such
# text: the development document (``shared/corpus/``) names an entity once in
# 22 characters, the hand-written test documents once in 20 to 26; sentences
# of names alone (``SENTENCES``) name one every 13 to 16.  ``documents`` mixes
# the two: with a third of the sentences prose (``PROSE_SHARE``), a 1 MB corpus
# names an entity once in 22.5 characters and its graph has 0.60 triples a
# character, against 22.3 and 0.61 for the development document.
PROSE = {
    "briefing": [
        "各地坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实全国地方志工作会议精神，推动地方志事业高质量发展。",
        "一是抓好规划落实。对照规划纲要确定的目标任务，逐项梳理进展情况，建立任务清单和责任清单，确保各项任务按时保质完成。",
        "二是强化质量管控。严格执行志书、年鉴编纂出版有关规定，落实“三审三校”制度，把好政治关、史实关、体例关和文字关。",
        "三是加强队伍建设。通过以会代训、跟班学习、专家指导等方式提升编纂人员业务能力，全年举办各类培训班{k}期，培训{k}00余人次。",
        "下一步，{province_short}地方志系统将坚持守正创新，进一步完善工作机制，推动修志编鉴、资源开发和方志文化传播协调发展。",
        "工作中也存在一些困难和问题：部分地区专业力量不足，资料收集难度较大，成果转化利用水平有待提高。",
        "截至目前，全省已累计完成{topic}任务{k}{k}项，完成率达到{k}{k}%，较上年提高{k}个百分点。",
        "现将有关情况刊载如下，供参阅。",
    ],
    "news": [
        "据悉，该书资料翔实、体例规范，全面记述了当地自然、政治、经济、文化和社会的历史与现状，具有较高的存史价值。",
        "与会专家一致认为，书稿观点正确、资料丰富、结构合理、特色鲜明，同意通过评审，并就进一步修改完善提出了具体意见。",
        "活动现场，工作人员向参观群众发放宣传资料{k}00余份，现场解答群众咨询{k}0余次。",
        "本次培训采取专题讲座与交流研讨相结合的方式，围绕资料收集、框架设计、条目撰写等内容进行了系统讲解。",
        "大家纷纷表示，将把所学所获运用到实际工作中，切实提高{topic}工作水平。",
        "此次活动进一步扩大了地方志的社会影响力，受到社会各界广泛好评。",
    ],
    "awards": [
        "为充分发挥优秀成果的示范引领作用，激励广大地方志工作者多出精品力作，经研究，决定对获奖成果予以通报表扬。",
        "希望受到表扬的单位和个人珍惜荣誉、再接再厉，在新的起点上取得新的更大成绩。",
        "本次评选共收到各地报送成果{k}{k}项，经资格审查、初评、复评和公示等程序，最终评出获奖成果{k}0项。",
        "各地要以此为契机，认真总结经验，进一步提升成果质量，推动地方志事业繁荣发展。",
        "评选工作坚持公开、公平、公正原则，严格按照评选办法规定的标准和程序进行。",
    ],
    "notice": [
        "一、总体要求",
        "坚持政府主导、部门协同、社会参与，坚持统筹规划、分类指导、稳步推进，确保编纂工作质量和进度。",
        "二、主要任务",
        "各地要结合实际制定具体实施方案，明确时间节点和责任分工，于{m}月底前将工作进展情况报送我办。",
        "三、保障措施",
        "各级地方志工作机构要加强组织领导，落实经费保障，配齐配强编纂力量，建立健全工作考核机制。",
        "执行中遇到的问题，请及时反馈。",
        "特此通知。",
    ],
    "meeting": [
        "会议听取了各地工作情况汇报，总结了上一阶段工作成效，分析了当前面临的形势和任务，研究部署了下一阶段重点工作。",
        "与会人员一致表示，将以此次会议为契机，进一步加强交流合作，共同推动地方志事业繁荣发展。",
        "会议强调，要把握正确方向，坚持实事求是，以高度的责任感和使命感做好{topic}各项工作。",
        "座谈中，大家围绕资料共享、人才培养、成果转化等议题畅所欲言，提出了许多具有建设性的意见和建议。",
        "双方商定，今后每年轮流举办一次交流活动，建立常态化联络机制。",
    ],
}
#: The share of sentences ``documents`` takes from ``PROSE`` by default.
PROSE_SHARE = 0.35


def _fill(template: str, rng: random.Random, names: Names, place: Place) -> str:
    y = rng.randint(2015, 2025)
    # A university of the same province where the gazetteer knows one.
    university = rng.choice(names.universities.get(place.code[:2]) or names.universities[""])
    values = {
        **{k: v for k, v in place.__dict__.items() if k != "code"},
        "y": y,
        "y0": y - rng.randint(5, 30),
        "y1": y - 1,
        "m": rng.randint(1, 12),
        "d": rng.randint(1, 28),
        "n": rng.randint(2, 180),
        "k": rng.randint(1, 9),
        "nth": "一二三四五六七八九十"[rng.randint(0, 9)],
        "grade": rng.choice(GRADES),
        "topic": rng.choice(TOPICS),
        "award": rng.choice(names.awards),
        "institution": rng.choice(names.institutions),
        "platform": rng.choice(names.platforms),
        "press": rng.choice(PRESSES),
        "university": university,
        "university_short": university[:4],
        "person": rng.choice(names.surnames) + "".join(rng.sample(GIVEN, rng.randint(1, 2))),
    }
    return template.format(**values)


def documents(
    names: Names, size_bytes: int, seed: int, prose_share: float = PROSE_SHARE
) -> Iterator[tuple[str, str]]:
    """(file name, text) pairs adding up to about ``size_bytes`` of UTF-8, each
    sentence taken from the genre's ``PROSE`` with probability ``prose_share`` (0:
    names only, the corpus the benchmarks used until 2026-11-26), else from its
    ``SENTENCES``."""
    rng = random.Random(seed)
    # With no prose the generator draws exactly as it did before there was any, so the
    # names-only corpus of a seed is the same text as in the earlier reports.
    prose = prose_share > 0
    genres = list(SENTENCES)
    written = 0
    i = 0
    while written < size_bytes:
        genre = genres[i % len(genres)]
        place = rng.choice(names.places)
        lines = [_fill(h, rng, names, place) for h in HEADERS[genre]] + [""]
        target = rng.randint(2_000, 12_000)  # characters, like real briefings
        length = 0
        while length < target:
            paragraph = "".join(
                _fill(
                    rng.choice(
                        PROSE[genre] if prose and rng.random() < prose_share else SENTENCES[genre]
                    ),
                    rng,
                    names,
                    rng.choice([place, *rng.sample(names.places, 1)]),
                )
                for _ in range(rng.randint(2, 6))
            )
            lines += [paragraph, ""]
            length += len(paragraph)
        text = "\n".join(lines)
        written += len(text.encode("utf-8"))
        yield f"{i:05d}_{genre}.txt", text
        i += 1


# --------------------------------------------------------------------------- measuring


def _reset_peak() -> bool:
    """Reset the peak RSS (Linux >= 4.0); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@dataclass
class Step:
    name: str
    seconds: float
    characters: int
    peak_mib: float
    note: str = ""

    @property
    def rate(self) -> float:
        return self.characters / self.seconds if self.seconds else 0.0


def measure(name: str, characters: int, work: Callable[[], str | None]) -> Step:
    resettable = _reset_peak()
    started = time.perf_counter()
    note = work() or ""
    seconds = time.perf_counter() - started
    peak = _peak_mib()
    if not resettable:
        note = (note + "; " if note else "") + "peak is process-wide"
    return Step(name, seconds, characters, peak, note)


def _short(filename: str) -> str:
    path = filename.replace(os.sep, "/")
    for marker in ("/zhi_graph/", "/site-packages/"):
        at = path.rfind(marker)
        if at >= 0:
            return path[at + 1 :].removeprefix("site-packages/")
    return path


def hotspots(profiler: cProfile.Profile, top: int, only: str | None, key: int) -> list[str]:
    """The ``top`` functions by cumulative (key=3) or own (key=2) time, optionally one package's."""
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.items():
        name = _short(filename)
        if only is None or name.startswith(only):
            rows.append(
                (cumulative if key == 3 else own, own, cumulative, calls, name, line, function)
            )
    rows.sort(reverse=True)
    lines = [f"{'cumulative s':>12} {'own s':>7} {'calls':>9}  function"]
    lines += [
        f"{c:12.2f} {o:7.2f} {n:9,}  {name}:{line} {function}"
        for _, o, c, n, name, line, function in rows[:top]
    ]
    return lines


def profile_extraction(docs: list[Document], seconds: float, top: int) -> list[str]:
    """Profile extraction for ``seconds``: zhi_graph's hotspots by cumulative and by own time."""
    resources = load_resources()
    profiler = cProfile.Profile()
    done = 0
    chars = 0
    started = time.perf_counter()
    profiler.enable()
    while time.perf_counter() - started < seconds:
        doc = docs[done % len(docs)]
        extract_document(doc, resources)
        done += 1
        chars += len(doc.text)
    profiler.disable()
    elapsed = time.perf_counter() - started
    return [
        f"{done} documents, {chars:,} characters in {elapsed:.1f} s under the profiler",
        "",
        f"top {top} zhi_graph functions by cumulative time:",
        *hotspots(profiler, top, "zhi_graph/", 3),
        "",
        f"top {top} zhi_graph functions by own time:",
        *hotspots(profiler, top, "zhi_graph/", 2),
    ]


def profile_build(corpus: Path, out: Path, files: int, top: int) -> list[str]:
    """Profile ``build --no-validate`` of the first ``files`` documents: where the RDF time goes."""
    subset = out / "profile-corpus"
    subset.mkdir()
    for path in sorted(corpus.glob("*.txt"))[:files]:
        shutil.copy(path, subset / path.name)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    report = build([subset], out / "profile-out", validate=False)
    profiler.disable()
    elapsed = time.perf_counter() - started
    return [
        f"{report.documents} documents, {report.characters:,} characters, "
        f"{report.triples:,} triples in {elapsed:.1f} s under the profiler",
        "",
        f"top {top} functions by cumulative time:",
        *hotspots(profiler, top, None, 3),
    ]


def table(steps: list[Step]) -> str:
    lines = [
        "| step | seconds | characters/s | peak RSS (MiB) | note |",
        "|---|---:|---:|---:|---|",
    ]
    for s in steps:
        lines.append(
            f"| {s.name} | {s.seconds:.2f} | {s.rate:,.0f} | {s.peak_mib:,.0f} | {s.note} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=3.0, help="corpus size in MB of UTF-8")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--profile",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="also profile extraction this long (default: only when it is slower "
        "than half of jieba, for 20 s)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=HERE / "results.md",
        help="Markdown file to write (default: benchmarks/results.md)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus and output")
    args = parser.parse_args(argv)

    root = package_root()
    names = read_names(root)
    work = Path(tempfile.mkdtemp(prefix="zhi-bench-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for name, text in documents(names, int(args.size_mb * 1_000_000), args.seed):
        (corpus / name).write_text(text, encoding="utf-8")
    paths = sorted(corpus.glob("*.txt"))
    docs = [load(p) for p in paths]
    texts = [d.text for d in docs]
    characters = sum(map(len, texts))
    size = sum(p.stat().st_size for p in paths)
    print(
        f"corpus: {len(paths)} files, {size / 1e6:.2f} MB, {characters:,} characters in {corpus}",
        file=sys.stderr,
    )

    # Everything loaded before the clocks start.
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    resources = load_resources()
    extract_document(docs[0], resources)  # builds the cached segmenter and tag table

    steps: list[Step] = []

    def run_jieba() -> str:
        tokens = sum(len(tokenizer.lcut(t)) for t in texts)
        return f"{tokens:,} tokens"

    def run_extract() -> str:
        results = [extract_document(d, resources) for d in docs]
        return (
            f"{sum(len(r.entities) for r in results):,} entities, "
            f"{sum(len(r.relations) for r in results):,} relations"
        )

    def run_build(validate: bool) -> Callable[[], str]:
        def go() -> str:
            out = work / ("out-validated" if validate else "out")
            try:
                report = build([corpus], out, validate=validate)
            except ZhiGraphError as error:
                return f"FAILED: {str(error)[:120]}"
            rdf = report.seconds_total - report.seconds_extract - report.seconds_validate
            return (
                f"{report.triples:,} triples; extraction {report.seconds_extract:.1f} s, "
                f"validation {report.seconds_validate:.1f} s, RDF + writing {rdf:.1f} s"
            )

        return go

    for name, fn in [
        ("jieba `Tokenizer.lcut`", run_jieba),
        ("zhi-graph extraction", run_extract),
        ("`build --no-validate`", run_build(False)),
        ("`build` (validated)", run_build(True)),
    ]:
        print(f"running {name} …", file=sys.stderr)
        steps.append(measure(name, characters, fn))

    ratio = steps[1].rate / steps[0].rate
    summary = table(steps)
    report = [
        "# Throughput",
        "",
        f"`benchmarks/throughput.py --size-mb {args.size_mb:g} --seed {args.seed}`: "
        f"{len(paths)} synthetic documents, {size / 1e6:.2f} MB, {characters:,} characters. "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"jieba {getattr(jieba, '__version__', '?')}.",
        "",
        summary,
        "",
        f"Extraction runs at **{ratio:.2f}×** the speed of plain jieba "
        f"({steps[1].rate:,.0f} vs {steps[0].rate:,.0f} characters/s).",
    ]
    seconds = args.profile or (20.0 if ratio < 0.5 else 0.0)
    if seconds:
        print(f"profiling extraction for {seconds:g} s …", file=sys.stderr)
        report += [
            "",
            "## Extraction hotspots (cProfile)",
            "",
            "```",
            *profile_extraction(docs, seconds, 10),
            "```",
        ]
        print("profiling a small build …", file=sys.stderr)
        report += [
            "",
            "## Build hotspots (cProfile, `build --no-validate` of 10 documents)",
            "",
            "```",
            *profile_build(corpus, work, 10, 25),
            "```",
        ]
    text = "\n".join(report) + "\n"
    print(text)
    args.results.write_text(text, encoding="utf-8")
    print(f"wrote {args.results}", file=sys.stderr)
    if args.keep:
        print(f"kept {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
