"""``zhi-graph ontology-docs``: a human-readable HTML page of ``ontology/zhi.ttl``.

Every class, property and individual with its Chinese and English labels and
comments, super-terms, domains, ranges and characteristics, cross-linked; the
page layout is ``data/templates/ontology.html`` (inline CSS, no external
asset, so the page works offline).

Why not pyLODE: pyLODE 3.4.1, the current release, fails on import when
installed from PyPI (it reads a ``pyproject.toml`` that its wheel does not
ship), and it pulls in httpx for fetching remote ontologies, which zhi-graph
never does.  The page here is small, deterministic (no date in it, so a test
can compare the committed page with a fresh one) and shows both languages of
every label side by side, which is what readers of a Chinese-English
vocabulary need.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path
from string import Template

from .atomicfiles import atomic_write
from .errors import OutputError, ResourceError
from .resources import package_root
from .vocabulary import Term, Vocabulary, vocabulary

KINDS = (
    ("class", "Classes", "类"),
    ("object property", "Object properties", "对象属性"),
    ("datatype property", "Datatype properties", "数据属性"),
    ("individual", "Individuals", "个体"),
)


def template_path() -> Path:
    return package_root() / "data" / "templates" / "ontology.html"


def _anchor(name: str) -> str:
    return name.split(":", 1)[-1] if name.startswith("zhi:") else name.replace(":", "-")


def _ref(name: str, known: set[str]) -> str:
    """A prefixed name, linked to its section when the ontology defines it."""
    text = f"<code>{html.escape(name)}</code>"
    return f'<a href="#{html.escape(_anchor(name))}">{text}</a>' if name in known else text


def _refs(names: tuple[str, ...] | list[str], known: set[str]) -> str:
    return ", ".join(_ref(n, known) for n in names)


def _paragraphs(text: str, lang: str) -> str:
    return "\n".join(
        f'<p lang="{lang}">{html.escape(p.strip())}</p>' for p in text.split("\n\n") if p.strip()
    )


def _term(
    term: Term, known: set[str], subterms: list[str], domain_of: list[str], range_of: list[str]
) -> str:
    zh, en = term.label("zh"), term.label("en")
    rows = []

    def row(title: str, value: str) -> None:
        if value:
            rows.append(f"<dt>{title}</dt><dd>{value}</dd>")

    row("label (zh)", f'<span lang="zh">{html.escape(zh)}</span>' if zh else "")
    row("label (en)", f'<span lang="en">{html.escape(en)}</span>' if en else "")
    super_title = "subclass of" if term.kind == "class" else "subproperty of"
    row(super_title, _refs(term.superterms, known))
    row("subclasses" if term.kind == "class" else "subproperties", _refs(subterms, known))
    row("domain", _refs(term.domain, known))
    row("range", _refs(term.range, known))
    row("characteristics", ", ".join(term.characteristics))
    row("domain of", _refs(domain_of, known))
    row("range of", _refs(range_of, known))
    row("see also", _refs(term.see_also, known))
    comments = [
        f'<p class="comment" lang="{lang}">{html.escape(text)}</p>'
        for lang in ("en", "zh")
        if (text := term.comment(lang))
    ]
    return "\n".join(
        [
            f'<article class="term" id="{html.escape(_anchor(term.name))}">',
            f"<h3><code>{html.escape(term.name)}</code>"
            f'<span class="labels"><span lang="zh">{html.escape(zh)}</span>'
            f'{" · " if zh and en else ""}<span lang="en">{html.escape(en)}</span></span></h3>',
            f'<p class="iri">{html.escape(term.iri)}</p>',
            *comments,
            f'<dl class="meta">{"".join(rows)}</dl>',
            "</article>",
        ]
    )


def render(vocab: Vocabulary) -> str:
    """The whole page as HTML text."""
    try:
        template = Template(template_path().read_text(encoding="utf-8"))
    except OSError as exc:
        raise ResourceError(
            f"cannot read the page template ({exc.strerror})", template_path()
        ) from exc
    known = {t.name for t in vocab.terms}
    subterms: defaultdict[str, list[str]] = defaultdict(list)
    domain_of: defaultdict[str, list[str]] = defaultdict(list)
    range_of: defaultdict[str, list[str]] = defaultdict(list)
    for term in vocab.terms:
        for parent in term.superterms:
            subterms[parent].append(term.name)
        for cls in term.domain:
            domain_of[cls].append(term.name)
        for cls in term.range:
            range_of[cls].append(term.name)
    nav, sections, counts = [], [], []
    for kind, title, title_zh in KINDS:
        terms = vocab.of_kind(kind)
        if not terms:
            continue
        counts.append(f"{len(terms)} {title.lower()}")
        anchor = kind.replace(" ", "-")
        nav.append(f'<h2><a href="#{anchor}">{title}</a></h2>\n<ul>')
        nav.extend(
            f'<li><a href="#{html.escape(_anchor(t.name))}"><code>{html.escape(t.name)}</code></a> '
            f'<span lang="zh">{html.escape(t.label("zh"))}</span></li>'
            for t in terms
        )
        nav.append("</ul>")
        sections.append(f'<section class="kind" id="{anchor}">')
        sections.append(f'<h2>{title} <span lang="zh">{title_zh}</span></h2>')
        sections.extend(
            _term(t, known, subterms[t.name], domain_of[t.name], range_of[t.name]) for t in terms
        )
        sections.append("</section>")
    text = dict(vocab.title)
    description = dict(vocab.description)
    return template.substitute(
        title_en=html.escape(text.get("en", "")),
        title_zh=html.escape(text.get("zh", "")),
        namespace=html.escape(vocab.namespace),
        version=html.escape(vocab.version),
        counts=", ".join(counts),
        description_en=html.escape(description.get("en", "")),
        description_zh=html.escape(description.get("zh", "")),
        conventions=_paragraphs(vocab.conventions, "en"),
        nav="\n".join(nav),
        sections="\n".join(sections),
    )


def write_docs(destination: Path, ontology: Path | None = None) -> Path:
    """Write the page of the ontology (by default the packaged ``ontology/zhi.ttl``)."""
    page = render(vocabulary(ontology)).encode("utf-8")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(destination, page)
    except OSError as exc:
        raise OutputError(
            f"cannot write the page ({exc.strerror}); give a writable location", destination
        ) from exc
    return destination
