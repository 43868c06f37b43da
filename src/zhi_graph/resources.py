"""Load and validate every data file zhi-graph uses, once, into a ``Resources`` object.

Stages never open files: they receive the loaded ``Resources``.  Each loader
raises ``ResourceError`` naming the file and line that is wrong.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import ResourceError
from .gcpause import without_gc
from .model import EntityType, PublicationSubtype


def package_root() -> Path:
    """Folder holding ``data/`` and ``ontology/``: the source tree, or the installed copy."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parent.parent):
        if (candidate / "data").is_dir() and (candidate / "ontology").is_dir():
            return candidate
    raise ResourceError(
        "cannot find the data/ and ontology/ folders; reinstall zhi-graph with pip", here
    )


@dataclass(frozen=True, slots=True)
class Division:
    adcode: str
    name: str
    level: str  # province | prefecture | county | township | village | country
    parent: str | None
    short_names: tuple[str, ...]
    former_names: tuple[str, ...]
    lng: float | None = None
    lat: float | None = None

    @property
    def province(self) -> str:
        return self.adcode[:2] + "0000" if self.level != "country" else self.adcode


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    type: EntityType
    label: str
    aliases: tuple[str, ...] = ()
    subtype: PublicationSubtype | None = None
    region: str | None = None
    #: the bodies that confer an award (together, when several)
    conferred_by: tuple[str, ...] = ()
    online: bool = False


@dataclass(frozen=True, slots=True)
class Suffix:
    text: str
    strong: bool
    online: bool = False


@dataclass(frozen=True, slots=True)
class Template:
    form: str
    level: str
    label: str
    aliases: tuple[str, ...]

    @property
    def names_region(self) -> bool:
        """True when the form contains the region's own name ({R}), not a level character."""
        return "{R}" in self.form

    @property
    def around_region(self) -> tuple[str, str]:
        """The literal text before and after {R} in the form."""
        before, _, after = self.form.partition("{R}")
        return before, after

    def fill(self, region: str) -> tuple[str, tuple[str, ...]]:
        return self.label.replace("{R}", region), tuple(
            a.replace("{R}", region) for a in self.aliases
        )


@dataclass(frozen=True, slots=True)
class SubtypeRule:
    where: str  # "title" (end of the title) or "after" (word after 》)
    pattern: re.Pattern[str]
    subtype: PublicationSubtype


@dataclass(frozen=True, eq=False)
class Resources:
    """Everything loaded from data/; compared and hashed by identity (it is loaded once)."""

    root: Path
    divisions: Divisions
    # surface form -> [(adcode, kind)] where kind is full | short | former
    region_names: dict[str, list[tuple[str, str]]]
    ambiguous_short_names: frozenset[str]
    lexicon: tuple[LexiconEntry, ...]
    suffixes: dict[EntityType, tuple[Suffix, ...]]
    venue_descriptors: tuple[str, ...]
    subtype_rules: tuple[SubtypeRule, ...]
    triggers: dict[str, tuple[str, ...]]
    templates: tuple[Template, ...]
    chronicle_offices: tuple[Template, ...]
    surnames: frozenset[str]
    # One-character words after a name that do not end one (王强|作报告).
    after_name: frozenset[str]
    person_titles: tuple[str, ...]
    # Roles written before a colon and the people who hold them (主持：王强).
    meeting_roles: tuple[str, ...]
    # Characters of transliterated minority names (那顺乌日图), which have no surname.
    transliteration_chars: frozenset[str]
    generic_names: frozenset[str]
    # Endings that make a region's name the name of its chronicle office (link.py).
    chronicle_office_forms: frozenset[str] = frozenset()
    # A designation's ending and the body of its region that gives it ({R}委宣传部).
    designation_givers: tuple[tuple[str, str], ...] = ()
    _children: dict[str, dict[str, str]] = field(default_factory=dict)

    def township_short_names(self, county: str) -> dict[str, str]:
        """Short forms of the townships under ``county`` (柳市 -> 柳市镇's code)."""
        if not self._children:
            for code, division in self.divisions.items():
                if division.level == "township" and division.parent:
                    for short in division.short_names:
                        self._children.setdefault(division.parent, {})[short] = code
        return self._children.get(county, {})

    def division(self, adcode: str) -> Division:
        return self.divisions[adcode]

    def ancestors(self, adcode: str) -> list[str]:
        chain: list[str] = []
        current = self.divisions[adcode].parent
        while current is not None and current in self.divisions:
            chain.append(current)
            current = self.divisions[current].parent
        return chain

    def user_words(self) -> Iterator[str]:
        """Names jieba should keep whole: regions, lexicon labels, suffixes."""
        yield from (
            name
            for name, places in self.region_names.items()
            if any(self.divisions[code].level != "township" for code, _ in places)
        )
        for entry in self.lexicon:
            yield entry.label
            yield from entry.aliases
        for suffixes in self.suffixes.values():
            for suffix in suffixes:
                yield suffix.text
        for words in self.triggers.values():
            yield from words


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with path.open(encoding="utf-8") as handle:
            for number, raw in enumerate(handle, 1):
                line = raw.rstrip("\n")
                if line.strip() and not line.lstrip().startswith("#"):
                    yield number, line
    except OSError as exc:
        raise ResourceError(f"cannot read data file ({exc.strerror})", path) from exc


def _word_list(path: Path) -> tuple[str, ...]:
    return tuple(line.strip() for _, line in _lines(path))


def _tsv(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    for number, line in _lines(path):
        cells = line.split("\t")
        if len(cells) < columns:
            cells += [""] * (columns - len(cells))
        yield number, cells


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part for part in cell.split("|") if part)


def load_townships(path: Path, divisions: dict[str, Division]) -> None:
    """Add township-level units (9-digit statistical codes) under their counties.

    The file holds 41,000 rows, read by every process that extracts: when all of
    them are written as the project writes them (checked by one expression over
    the file), they are taken without the per-line checks, which took 0.13 s of
    every start; otherwise line by line, so that an error names its line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""  # the line-by-line reading says what is wrong
    header, _, body = text.partition("\n")
    if header == _TOWNSHIP_HEADER and _TOWNSHIP_ROWS.fullmatch(body):
        rows = [line.split("\t") for line in body.splitlines()]
        if all(parent in divisions for _, _, parent, _ in rows):
            for code, name, parent, short in rows:
                short_names = tuple(short.split("|")) if short else ()
                divisions[code] = Division(code, name, "township", parent, short_names, ())
            return
    _load_townships_by_line(path, divisions)


_TOWNSHIP_HEADER = "code\tname\tparent\tshort_names"
# Rows as the project writes them: no blank or comment line, no space around a cell,
# no empty short name, each row ended by a line break.
_TOWNSHIP_ROWS = re.compile(r"(?:\d{9}\t[^\s#|]+\t\d{6}\t(?:[^\s|]+(?:\|[^\s|]+)*)?\n)*")


def _load_townships_by_line(path: Path, divisions: dict[str, Division]) -> None:
    for number, cells in _tsv(path, 4):
        code, name, parent, short = (c.strip() for c in cells[:4])
        if code == "code":
            continue
        if not re.fullmatch(r"\d{9}", code) or parent not in divisions:
            raise ResourceError(f"line {number}: bad township row; fix it", path)
        divisions[code] = Division(code, name, "township", parent, _split(short), ())


VILLAGE_LEVEL = "village"
#: How deep each level of ``Division.level`` lies, a country being the top.
LEVEL_DEPTH = {
    "country": 0,
    "province": 1,
    "prefecture": 2,
    "county": 3,
    "township": 4,
    VILLAGE_LEVEL: 5,
}
_VILLAGE_HEADER = "township\tvillages"
# A township's row: its code, then each village's last three digits and name.
_VILLAGE_ROW_TEXT = r"\d{9}\t\d{3}[^\s|]+(?:\|\d{3}[^\s|]+)*"
_VILLAGE_ROW = re.compile(_VILLAGE_ROW_TEXT)
_VILLAGE_ROWS = re.compile(f"(?:{_VILLAGE_ROW_TEXT}\n)*(?:{_VILLAGE_ROW_TEXT})?")


class Villages:
    """Village-level units (村, 社区, 嘎查), read a province's file when first asked for.

    The 607,000 units are too many to read at every start (the 41,000
    townships cost 0.1 s), or even to split into records when a province is
    first asked about: a document names a handful, after their township
    (堂街镇临沣寨村) or county, so a name is looked for in its township's row
    as it stands.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._rows: dict[str, dict[str, str]] = {}  # province -> township -> its row's cell
        self._counties: dict[str, dict[str, list[str]]] = {}  # province -> county -> townships

    def _province(self, code: str) -> dict[str, str]:
        province = code[:2]
        rows = self._rows.get(province)
        if rows is None:
            rows = self._rows[province] = self._read(self._folder / f"{province}.tsv")
            counties: dict[str, list[str]] = {}
            for township in rows:
                counties.setdefault(township[:6], []).append(township)
            self._counties[province] = counties
        return rows

    @staticmethod
    def _read(path: Path) -> dict[str, str]:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}  # no village of that province is known (台湾, 香港, 澳门)
        except (OSError, UnicodeDecodeError) as exc:
            raise ResourceError(f"cannot read the villages ({exc}); regenerate it", path) from exc
        header, _, body = text.partition("\n")
        if header != _VILLAGE_HEADER or not _VILLAGE_ROWS.fullmatch(body):
            lines = text.splitlines()
            number = 1 if lines[:1] != [_VILLAGE_HEADER] else len(lines) + 1
            if number > 1:
                number = next(
                    (n for n, line in enumerate(lines[1:], 2) if not _VILLAGE_ROW.fullmatch(line)),
                    number,
                )
            raise ResourceError(
                f"line {number}: not a township code, a tab and NNNname|NNNname…; "
                "regenerate the file with scripts/build_gazetteer.py",
                path,
            )
        return dict(line.split("\t") for line in body.splitlines())

    def in_township(self, township: str, name: str) -> str | None:
        """The code of the unit of ``township`` called ``name``, if there is one."""
        cell = self._province(township).get(township)
        if cell is None:
            return None
        # Each unit is "|NNNname" (the first without its bar): found in the cell as it is.
        at = cell.find(name, 3)
        while at >= 0:
            end = at + len(name)
            if (at == 3 or cell[at - 4] == "|") and (end == len(cell) or cell[end] == "|"):
                return township + cell[at - 3 : at]
            at = cell.find(name, at + 1)
        return None

    def in_county(self, county: str, name: str) -> str | None:
        """The code of the unit of ``county`` called ``name``, if exactly one of its
        townships has one (a name repeated in the county names no one unit)."""
        self._province(county)
        found = None
        for township in self._counties[county[:2]].get(county, ()):
            code = self.in_township(township, name)
            if code is not None:
                if found is not None:
                    return None
                found = code
        return found

    def division(self, code: str) -> Division | None:
        """The unit with 12-digit ``code``, if there is one."""
        if len(code) != 12 or not code.isdigit():
            return None
        township, number = code[:9], code[9:]
        for unit in self._province(township).get(township, "").split("|"):
            if unit[:3] == number:
                return Division(code, unit[3:], VILLAGE_LEVEL, township, (), ())
        return None


class Divisions(dict[str, Division]):
    """Divisions by code; a village's is made when first looked up (``Villages``).

    Only the units of a few villages are ever looked up, in whichever process
    needs them (a worker recognising, another writing the graph), so they are
    added on the way rather than loaded up front.  Indexing and ``get`` find
    any village; ``in`` only those looked up already (it stays dict's own:
    loading the townships asks it 41,000 times).
    """

    def __init__(self, villages: Villages | None = None) -> None:
        super().__init__()
        self.villages = villages

    def __missing__(self, code: str) -> Division:
        division = self.villages.division(code) if self.villages is not None else None
        if division is None:
            raise KeyError(code)
        self[code] = division
        return division

    def get(self, code: str, default: Division | None = None) -> Division | None:  # type: ignore[override]
        try:
            return self[code]
        except KeyError:
            return default


def load_divisions(path: Path, countries: Path, villages: Path | None = None) -> Divisions:
    """Province- to county-level divisions and countries; villages, if given their folder,
    on demand (``Divisions``)."""
    divisions = Divisions(Villages(villages) if villages is not None else None)
    try:
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except OSError as exc:
        raise ResourceError(f"cannot read the gazetteer ({exc.strerror})", path) from exc
    for number, row in enumerate(rows, 2):
        try:
            adcode = row["adcode"].strip()
            if not re.fullmatch(r"\d{6}", adcode):
                raise ValueError(f"bad adcode {adcode!r}")
            divisions[adcode] = Division(
                adcode=adcode,
                name=row["name"].strip(),
                level=row["level"].strip(),
                parent=row["parent"].strip() or None,
                short_names=_split(row.get("short_names") or ""),
                former_names=_split(row.get("former_names") or ""),
                lng=float(row["lng"]) if row.get("lng") else None,
                lat=float(row["lat"]) if row.get("lat") else None,
            )
        except (KeyError, ValueError) as exc:
            raise ResourceError(f"line {number}: {exc}; fix the row", path) from exc
    for number, cells in _tsv(countries, 3):
        iso2, name, short = cells[0].strip(), cells[1].strip(), cells[2].strip()
        if iso2 == "iso2":
            continue
        if not re.fullmatch(r"[A-Z]{2}", iso2) or not name:
            raise ResourceError(f"line {number}: bad country row; fix it", countries)
        divisions[iso2] = Division(iso2, name, "country", None, _split(short), ())
    return divisions


def _index_region_names(divisions: dict[str, Division]) -> dict[str, list[tuple[str, str]]]:
    """Every name of every division; townships only by full name (their short
    forms are looked up right after their county's name, see ``township_short_names``)."""
    index: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for adcode, division in divisions.items():
        index[division.name].append((adcode, "full"))
        if division.level == "township":
            continue
        for short in division.short_names:
            index[short].append((adcode, "short"))
        for former in division.former_names:
            index[former].append((adcode, "former"))
    return dict(index)


def _names(value: object) -> tuple[str, ...]:
    """A JSON field holding one name or a list of them."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise TypeError(f"expected a name or a list of names, got {value!r}")


def load_lexicon(folder: Path) -> tuple[LexiconEntry, ...]:
    entries: list[LexiconEntry] = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in _lines(path):
            try:
                raw = json.loads(line)
                entries.append(
                    LexiconEntry(
                        type=EntityType(raw["type"]),
                        label=raw["label"],
                        aliases=tuple(raw.get("aliases", ())),
                        subtype=PublicationSubtype(raw["subtype"]) if raw.get("subtype") else None,
                        region=raw.get("region"),
                        conferred_by=_names(raw.get("conferred_by")),
                        online=bool(raw.get("online", False)),
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ResourceError(f"line {number}: {exc}; fix the JSON entry", path) from exc
    return tuple(entries)


def _suffixes(path: Path) -> tuple[Suffix, ...]:
    rows = [
        Suffix(cells[0].strip(), cells[1].strip() != "weak", cells[2].strip() == "online")
        for _, cells in _tsv(path, 3)
    ]
    # Longest first, so that 地方志工作办公室 wins over 办公室.
    return tuple(sorted(rows, key=lambda s: -len(s.text)))


def _subtype_rules(path: Path) -> tuple[SubtypeRule, ...]:
    rules: list[SubtypeRule] = []
    for number, cells in _tsv(path, 3):
        where, pattern, subtype = (c.strip() for c in cells[:3])
        try:
            compiled = re.compile(pattern + "$" if where == "title" else "^" + pattern)
            rules.append(SubtypeRule(where, compiled, PublicationSubtype(subtype)))
        except (re.error, ValueError) as exc:
            raise ResourceError(f"line {number}: {exc}; fix the rule", path) from exc
    return tuple(rules)


def _templates(path: Path, with_aliases: bool) -> tuple[Template, ...]:
    rows: list[Template] = []
    for _, cells in _tsv(path, 4 if with_aliases else 3):
        aliases = _split(cells[3].strip()) if with_aliases else ()
        rows.append(Template(cells[0].strip(), cells[1].strip(), cells[2].strip(), aliases))
    return tuple(sorted(rows, key=lambda t: -len(t.form)))


@cache
@without_gc  # a million objects that all live on: each collection in between was waste
def load_resources(root: Path | None = None) -> Resources:
    """Load every data file under ``root`` (default: the installed package's data)."""
    root = root or package_root()
    data = root / "data"
    gazetteer = data / "gazetteer"
    divisions = load_divisions(
        gazetteer / "divisions.tsv", gazetteer / "countries.tsv", gazetteer / "villages"
    )
    townships = gazetteer / "townships.tsv"
    if townships.exists():
        load_townships(townships, divisions)
    ambiguous_path = gazetteer / "ambiguous_short_names.txt"
    ambiguous = frozenset(_word_list(ambiguous_path)) if ambiguous_path.exists() else frozenset()
    triggers = {
        path.stem: tuple(sorted(_word_list(path), key=lambda w: -len(w)))
        for path in sorted((data / "triggers").glob("*.txt"))
    }
    return Resources(
        root=root,
        divisions=divisions,
        region_names=_index_region_names(divisions),
        ambiguous_short_names=ambiguous,
        lexicon=load_lexicon(data / "lexicon"),
        suffixes={
            EntityType.INSTITUTION: _suffixes(data / "suffixes" / "institution.tsv"),
            EntityType.VENUE: _suffixes(data / "suffixes" / "venue.tsv"),
            EntityType.AWARD: _suffixes(data / "suffixes" / "award.tsv"),
        },
        venue_descriptors=tuple(
            sorted(_word_list(data / "suffixes" / "venue_descriptor.txt"), key=lambda w: -len(w))
        ),
        subtype_rules=_subtype_rules(data / "suffixes" / "publication.tsv"),
        triggers=triggers,
        templates=_templates(data / "lexicon" / "templates.tsv", True),
        chronicle_offices=_templates(data / "lexicon" / "chronicle_offices.tsv", False),
        surnames=frozenset(_word_list(data / "lexicon" / "surnames.txt")),
        after_name=frozenset(_word_list(data / "lexicon" / "after_name.txt")),
        person_titles=tuple(
            sorted(_word_list(data / "lexicon" / "titles.txt"), key=lambda w: -len(w))
        ),
        meeting_roles=tuple(
            sorted(_word_list(data / "lexicon" / "meeting_roles.txt"), key=lambda w: -len(w))
        ),
        generic_names=frozenset(_word_list(data / "lexicon" / "generic_names.txt")),
        transliteration_chars=frozenset(
            "".join(_word_list(data / "lexicon" / "transliteration_chars.txt"))
        ),
        chronicle_office_forms=frozenset(
            _word_list(data / "lexicon" / "chronicle_office_forms.txt")
        ),
        designation_givers=tuple(
            (cells[0].strip(), cells[1].strip())
            for _, cells in _tsv(data / "lexicon" / "designation_givers.tsv", 2)
        ),
    )
