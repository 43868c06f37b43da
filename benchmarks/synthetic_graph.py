"""A synthetic zhi-graph of any size, shaped like what ``zhi_graph.rdf.build`` writes.

    .venv/bin/python benchmarks/synthetic_graph.py out/synthetic.trig --triples 1000000

or, from another benchmark::

    from synthetic_graph import write_synthetic      # benchmarks/ on sys.path
    stats = write_synthetic(Path("big.trig"), n_triples=1_000_000, seed=0)

The graph is TriG with one named graph per synthetic document, exactly the
shape a build of many briefings has (see ``docs/design.md``, "RDF"):

- **regions** with real codes, names, short names and levels from
  ``data/gazetteer/divisions.tsv``, ``zhi:partOf`` their real parent;
  each document is about one province and names some of its prefectures and
  counties (the sample's first documents are Sichuan's, so 成都市 510100 and
  四川省地方志工作办公室 exist in every graph of a few thousand triples or more);
- **institutions**: each named region's chronicle office
  (``{region}地方志工作办公室``, ``zhi:locatedIn`` it), national bodies,
  and real universities of the province from ``data/lexicon/universities.jsonl``;
- **publications**: yearbook editions (``{short name}年鉴（{year}）``,
  ``zhi:aboutRegion``, ``zhi:publishedBy`` the office), policy documents
  ``zhi:issuedBy`` an office, periodicals;
- **venues**: chronicle museums (``zhi:locatedIn``), university branch
  museums (``zhi:hostedBy`` the university, ``zhi:operatedBy`` the
  provincial office), online accounts (``zhi:operatedBy``, no location);
- **awards**: national (中国精品年鉴 conferred by 中国地方志工作办公室, …),
  provincial (``{province}精品年鉴`` conferred by the provincial office) and
  prefectural (``{prefecture}爱国主义教育基地``), with **award conferrals**
  (``zhi:AwardConferral``, recipient, award, ``zhi:year`` 2015–2024 for most);
- **provenance**: every entity has 1–3 ``zhi:Mention`` nodes per document
  that names it (text, offsets, evidence sentence), and every relation a
  ``zhi:RelationStatement`` with its evidence sentence, document and offsets.

Entities named by several documents of a province have their triples (type,
label, aliases, codes) in each of those documents' graphs, as a real build
does. Types are asserted as the pipeline asserts them (specific class and top
class); ``zhi_graph.store`` materialises the superclasses when loading.
The same ``(n_triples, seed)`` always writes the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from zhi_graph.resources import package_root

ZHI = "https://w3id.org/zhi-graph/ontology#"
ID = "https://w3id.org/zhi-graph/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
SCHEMA_NAME = ox.NamedNode("https://schema.org/name")
XSD = "http://www.w3.org/2001/XMLSchema#"
NON_NEGATIVE = ox.NamedNode(f"{XSD}nonNegativeInteger")
G_YEAR = ox.NamedNode(f"{XSD}gYear")
LEVELS = {"province": "ProvinceLevel", "prefecture": "PrefectureLevel", "county": "CountyLevel"}
FIRST_PROVINCE = "510000"  # Sichuan, the sample's province, comes first
YEARS = range(2015, 2025)


def zhi(name: str) -> ox.NamedNode:
    return ox.NamedNode(ZHI + name)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def entity(kind: str, label: str) -> ox.NamedNode:
    """The IRI rdf/iri.py gives an entity of this type and label."""
    return ox.NamedNode(f"{ID}{kind}/{_digest(label)}")


@dataclass(frozen=True, slots=True)
class Division:
    adcode: str
    name: str
    level: str
    parent: str
    short: str


@dataclass
class SyntheticStats:
    """What ``write_synthetic`` wrote."""

    path: Path
    triples: int
    documents: int
    entities: int
    conferrals: int
    seconds: float
    provinces: list[str] = field(default_factory=list)


def _divisions() -> dict[str, Division]:
    path = package_root() / "data" / "gazetteer" / "divisions.tsv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = csv.DictReader(stream, delimiter="\t")
        return {
            r["adcode"]: Division(
                r["adcode"],
                r["name"],
                r["level"],
                r["parent"],
                (r["short_names"].split("|")[0] if r["short_names"] else r["name"]),
            )
            for r in rows
        }


def _universities() -> dict[str, list[str]]:
    """Real university names by province code."""
    by_province: dict[str, list[str]] = {}
    path = package_root() / "data" / "lexicon" / "universities.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            region = str(item.get("region") or "")
            if region:
                by_province.setdefault(region[:2] + "0000", []).append(item["label"])
    return by_province


class _Document:
    """The quads of one synthetic document's named graph, with running offsets."""

    SENTENCE = "{a}与{b}相关工作取得新进展，{a}在{year}年推进{b}建设，成效明显。"

    def __init__(self, number: int, rng: random.Random) -> None:
        self.rng = rng
        self.key = _digest(f"synthetic document {number}")
        self.iri = ox.NamedNode(f"{ID}document/{self.key}")
        self.quads: list[ox.Quad] = []
        self.offset = 0
        self.described: set[str] = set()
        self.parts: set[str] = set()
        self.add(self.iri, RDF_TYPE, zhi("Document"))
        self.add(self.iri, SCHEMA_NAME, ox.Literal(f"synthetic_{number:05d}.txt"))
        self.add(self.iri, zhi("sha256"), ox.Literal(hashlib.sha256(self.key.encode()).hexdigest()))
        self.add(self.iri, zhi("sourcePath"), ox.Literal(f"synthetic/synthetic_{number:05d}.txt"))

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.quads.append(ox.Quad(s, p, o, self.iri))

    def sentence(self, a: str, b: str) -> tuple[int, int, str]:
        text = self.SENTENCE.format(a=a, b=b, year=self.rng.choice(YEARS))
        start = self.offset
        self.offset += len(text) + 1
        return start, start + len(text), text

    def _span(self, node: ox.NamedNode, start: int, end: int, evidence: str) -> None:
        self.add(node, zhi("inDocument"), self.iri)
        self.add(node, zhi("startOffset"), ox.Literal(str(start), datatype=NON_NEGATIVE))
        self.add(node, zhi("endOffset"), ox.Literal(str(end), datatype=NON_NEGATIVE))
        self.add(node, zhi("evidence"), ox.Literal(evidence, language="zh"))

    def describe(
        self,
        node: ox.NamedNode,
        classes: tuple[str, ...],
        label: str,
        aliases: tuple[str, ...] = (),
        extra: tuple[tuple[str, ox.NamedNode | ox.Literal], ...] = (),
    ) -> ox.NamedNode:
        """Entity triples and 1–3 mentions, once per document."""
        if node.value in self.described:
            return node
        self.described.add(node.value)
        for name in classes:
            self.add(node, RDF_TYPE, zhi(name))
        self.add(node, RDFS_LABEL, ox.Literal(label, language="zh"))
        for alias in aliases:
            if alias != label:
                self.add(node, SKOS_ALT, ox.Literal(alias, language="zh"))
        for prop, value in extra:
            self.add(node, zhi(prop), value)
        for _ in range(self.rng.choice((1, 1, 2, 2, 3))):
            start, end, evidence = self.sentence(label, "地方志")
            mention = ox.NamedNode(f"{ID}document/{self.key}/mention/{start}-{start + len(label)}")
            self.add(mention, RDF_TYPE, zhi("Mention"))
            self.add(mention, zhi("mentionOf"), node)
            self.add(mention, zhi("text"), ox.Literal(label))
            self._span(mention, start, start + len(label), evidence)
        return node

    def relate(
        self,
        subject: ox.NamedNode,
        predicate: str,
        obj: ox.NamedNode,
        words: tuple[str, str],
        year: int | None = None,
    ) -> None:
        """The direct triple and its statement node (a conferral for receivedAward)."""
        self.add(subject, zhi(predicate), obj)
        key = f"{predicate} {subject.value} {obj.value} {year or ''}"
        node = ox.NamedNode(f"{ID}document/{self.key}/statement/{_digest(key)}")
        if predicate == "receivedAward":
            self.add(node, RDF_TYPE, zhi("AwardConferral"))
            self.add(node, zhi("recipient"), subject)
            self.add(node, zhi("award"), obj)
            if year:
                self.add(node, zhi("year"), ox.Literal(str(year), datatype=G_YEAR))
        self.add(node, RDF_TYPE, zhi("RelationStatement"))
        self.add(node, zhi("subject"), subject)
        self.add(node, zhi("predicate"), zhi(predicate))
        self.add(node, zhi("object"), obj)
        self._span(node, *self.sentence(*words))

    def finish(self) -> list[ox.Quad]:
        self.add(self.iri, zhi("characterCount"), ox.Literal(str(self.offset), datatype=NON_NEGATIVE))
        return self.quads


class _World:
    """Names and IRIs shared by every document."""

    def __init__(self, seed: int) -> None:
        self.divisions = _divisions()
        self.universities = _universities()
        self.children: dict[str, list[str]] = {}
        for division in self.divisions.values():
            if division.parent:
                self.children.setdefault(division.parent, []).append(division.adcode)
        provinces = sorted(
            (d.adcode for d in self.divisions.values() if d.level == "province"),
            key=lambda code: (code != FIRST_PROVINCE, code),
        )
        self.provinces = [p for p in provinces if self.children.get(p)]
        self.rng = random.Random(seed)

    def region(self, doc: _Document, adcode: str) -> ox.NamedNode:
        division = self.divisions[adcode]
        node = ox.NamedNode(f"{ID}region/{adcode}")
        extra: list[tuple[str, ox.NamedNode | ox.Literal]] = [("adcode", ox.Literal(adcode))]
        if division.level in LEVELS:
            extra.append(("level", zhi(LEVELS[division.level])))
        aliases = (division.short,) if division.short != division.name else ()
        doc.describe(node, ("Region",), division.name, aliases, tuple(extra))
        if division.parent and division.parent in self.divisions:
            parent = self.region(doc, division.parent)
            if node.value not in doc.parts:
                doc.parts.add(node.value)
                doc.add(node, zhi("partOf"), parent)  # from the gazetteer: no statement
        return node

    def office(self, doc: _Document, adcode: str) -> ox.NamedNode:
        division = self.divisions[adcode]
        label = f"{division.name}地方志工作办公室"
        node = entity("institution", label)
        if node.value not in doc.described:
            doc.describe(node, ("Institution",), label, (f"{division.short}地方志办",))
            doc.relate(node, "locatedIn", self.region(doc, adcode), (label, division.name))
        return node

    def national(self, doc: _Document, label: str, alias: str) -> ox.NamedNode:
        return doc.describe(entity("institution", label), ("Institution",), label, (alias,))

    def award(
        self, doc: _Document, label: str, conferrer: ox.NamedNode | None, by: str = ""
    ) -> ox.NamedNode:
        node = entity("award", label)
        if node.value not in doc.described:
            doc.describe(node, ("Award",), label)
            if conferrer is not None:
                doc.relate(node, "conferredBy", conferrer, (by, label))
        return node

    def document(self, number: int) -> list[ox.Quad]:
        rng = self.rng
        doc = _Document(number, rng)
        province = self.provinces[number % len(self.provinces)]
        p = self.divisions[province]
        provincial_office = self.office(doc, province)
        national_office = self.national(doc, "中国地方志工作办公室", "中志办")
        national_fine = self.award(doc, "中国精品年鉴", national_office, "中国地方志工作办公室")
        national_result = self.award(doc, "全国地方志优秀成果（年鉴类）", None)
        provincial_fine = self.award(
            doc, f"{p.name}精品年鉴", provincial_office, f"{p.name}地方志工作办公室"
        )
        social_science = self.award(doc, f"{p.name}社会科学优秀成果二等奖", None)
        prefectures = [c for c in self.children.get(province, []) if c in self.divisions]
        chosen = rng.sample(prefectures, min(len(prefectures), rng.randint(6, 12)))
        if number == 0 and "510100" in prefectures and "510100" not in chosen:
            chosen[0] = "510100"
        places: list[str] = []
        for prefecture in chosen:
            places.append(prefecture)
            counties = self.children.get(prefecture, [])
            places += rng.sample(counties, min(len(counties), rng.randint(1, 3)))
        online_words = ("微信公众号", "网", "云", "抖音号")
        for adcode in places:
            division = self.divisions[adcode]
            office = self.office(doc, adcode)
            region = self.region(doc, adcode)
            # Yearbooks: one or two editions, often awarded.
            for year in rng.sample(YEARS, rng.randint(1, 2)):
                label = f"{division.short}年鉴（{year}）"
                book = doc.describe(entity("publication", label), ("Publication", "Yearbook"), label)
                doc.relate(book, "aboutRegion", region, (label, division.name))
                doc.relate(book, "publishedBy", office, (label, office_label(division)))
                draw = rng.random()
                if draw < 0.35:
                    doc.relate(
                        book, "receivedAward", provincial_fine, (label, f"{p.name}精品年鉴"), year
                    )
                elif draw < 0.42:
                    doc.relate(book, "receivedAward", national_fine, (label, "中国精品年鉴"), None)
                elif draw < 0.46:
                    doc.relate(
                        book, "receivedAward", national_result, (label, "全国地方志优秀成果"), year
                    )
            # A policy document of the office.
            if rng.random() < 0.5:
                label = f"{division.name}关于推进地方志事业高质量发展的{rng.choice(('意见', '实施方案', '办法'))}"
                policy = doc.describe(
                    entity("publication", label), ("Publication", "PolicyDocument"), label
                )
                doc.relate(policy, "issuedBy", office, (label, office_label(division)))
            # A chronicle museum, sometimes designated a base.
            if rng.random() < 0.6:
                label = f"{division.name}方志馆"
                museum = doc.describe(entity("venue", label), ("Venue",), label)
                doc.relate(museum, "locatedIn", region, (label, division.name))
                if rng.random() < 0.3:
                    prefecture = adcode if division.level == "prefecture" else division.parent
                    base_label = f"{self.divisions[prefecture].name}爱国主义教育基地"
                    base = self.award(doc, base_label, None)
                    doc.relate(museum, "receivedAward", base, (label, base_label), rng.choice(YEARS))
            # An online account of the office.
            if rng.random() < 0.5:
                label = f"方志{division.short}{rng.choice(online_words)}"
                account = doc.describe(entity("venue", label), ("Venue",), label)
                doc.relate(account, "operatedBy", office, (label, office_label(division)))
        # University branch museums of the provincial museum.
        universities = self.universities.get(province, [])
        for university in rng.sample(universities, min(len(universities), rng.randint(1, 4))):
            host = doc.describe(entity("institution", university), ("Institution",), university)
            label = f"{p.name}方志馆{university}分馆"
            branch = doc.describe(entity("venue", label), ("Venue",), label)
            doc.relate(branch, "hostedBy", host, (label, university))
            doc.relate(branch, "operatedBy", provincial_office, (label, f"{p.name}地方志工作办公室"))
            doc.relate(branch, "locatedIn", self.region(doc, province), (label, p.name))
        # A gazetteer of the province, awarded a social-science prize.
        label = f"{p.short}{rng.choice(('交通', '水利', '教育', '农业', '文化'))}志（{rng.choice(YEARS)}）"
        gazetteer = doc.describe(entity("publication", label), ("Publication", "Gazetteer"), label)
        doc.relate(gazetteer, "publishedBy", provincial_office, (label, p.name))
        if rng.random() < 0.5:
            doc.relate(
                gazetteer, "receivedAward", social_science, (label, "社会科学优秀成果"), rng.choice(YEARS)
            )
        return doc.finish()


def office_label(division: Division) -> str:
    return f"{division.name}地方志工作办公室"


def synthetic_quads(n_triples: int, seed: int = 0) -> Iterator[list[ox.Quad]]:
    """Documents' quads, one list per document, until about ``n_triples`` are made."""
    world = _World(seed)
    made = 0
    number = 0
    while made < n_triples:
        quads = world.document(number)
        made += len(quads)
        number += 1
        yield quads


def write_synthetic(path: Path, n_triples: int = 1_000_000, seed: int = 0) -> SyntheticStats:
    """Write a TriG file of about ``n_triples`` (one named graph per document)."""
    started = time.perf_counter()
    documents = conferrals = 0
    entities: set[str] = set()
    quads: list[ox.Quad] = []
    conferral_type = zhi("AwardConferral")
    for document in synthetic_quads(n_triples, seed):
        documents += 1
        for quad in document:
            if quad.predicate == RDFS_LABEL:
                entities.add(quad.subject.value)
            elif quad.object == conferral_type:
                conferrals += 1
        quads += document
    path.parent.mkdir(parents=True, exist_ok=True)
    # No "id:" prefix: document-scoped IRIs would need escaped slashes (id:document\/…).
    prefixes = {"zhi": ZHI, "region": f"{ID}region/", "xsd": XSD}
    ox.serialize(quads, path, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    return SyntheticStats(
        path, len(quads), documents, len(entities), conferrals, time.perf_counter() - started
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="TriG file to write")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    stats = write_synthetic(args.path, args.triples, args.seed)
    print(
        f"wrote {stats.path}: {stats.triples:,} triples, {stats.documents} documents, "
        f"{stats.entities:,} entities, {stats.conferrals:,} award conferrals "
        f"in {stats.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
