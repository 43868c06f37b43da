"""Cut normalised text into sentences and jieba tokens: NormalizedText -> Segmented."""

from __future__ import annotations

import bisect
import gc
import hashlib
import importlib.machinery
import importlib.util
import sys
from collections.abc import Iterator, Sequence
from functools import cache, partial
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import usercache
from .errors import ResourceError
from .gcpause import without_gc
from .model import NormalizedText, Segmented, Sentence, Token
from .records import new_sentence
from .resources import Resources, package_root
from .text import patterns

if TYPE_CHECKING:
    import rjieba


@cache
def _tokenizer(resources: Resources) -> rjieba.Jieba:
    """A private tokenizer that knows the gazetteer and lexicon names.

    rjieba binds jieba-rs, a Rust port of jieba's algorithm with the same
    dictionary: with the HMM off it cuts text into the same words as
    ``jieba.Tokenizer`` about 15 times faster.  An instance of our own keeps
    user words out of other users of rjieba.  The words it adds, and their
    frequencies, are worked out once (``_worked_out``) and kept in the user
    cache (``usercache``) for the next process: they are the same until
    zhi-graph, its data or jieba change, and took 0.2 s of every start.
    """
    key = usercache.key_of(_WORDS, _extractor_fingerprint(), _data_of(resources), _jieba_identity())
    stored = usercache.load(_WORDS, key)
    if isinstance(stored, list):
        tokenizer = _jieba_class()()
        for word, freq in stored:
            tokenizer.add_word(word, freq, None)
    else:
        tokenizer, added = _worked_out(resources)
        usercache.store(_WORDS, key, added)
    # The frequencies and the sorted words served only to build the tokenizer: kept,
    # a warmed process held 184 MB instead of 170, which a build moves onto huge pages.
    word_tags()
    _jieba_dictionary.cache_clear()
    _keep_out_of_collections()
    return tokenizer


_WORDS = "tokenizer-words"
_TAGS = "jieba-tags"


def _worked_out(resources: Resources) -> tuple[rjieba.Jieba, list[tuple[str, int]]]:
    """The tokenizer with the gazetteer and lexicon names, and the words it was given
    (``add_word``'s arguments, in order).

    A word is added with the frequency jieba would suggest for it
    (``_suggested_frequency``), and the dictionary's total is kept equal to
    jieba's (``_BALANCE``), so the routes, and the words, are jieba's
    (tests/test_segment.py compares them).
    """
    dictionary = _jieba_dictionary()
    tokenizer = _jieba_class()()
    added: list[tuple[str, int]] = []
    frequency: dict[str, int] = {}  # the user words added so far
    prefixes: set[str] = set()  # and their proper prefixes
    total = dictionary.total
    balance = 0
    for word in sorted(set(resources.user_words())):
        if len(word) < 2:
            continue
        freq = _suggested_frequency(word, tokenizer, dictionary, frequency, prefixes, total)
        tokenizer.add_word(word, freq, None)
        added.append((word, freq))
        # jieba adds every frequency to its total, jieba-rs takes a replaced word's
        # old frequency off again: _BALANCE gives it back.
        replaced = frequency.get(word, dictionary.frequency.get(word, 0))
        if replaced:
            balance += replaced
            tokenizer.add_word(_BALANCE, balance, None)
            added.append((_BALANCE, balance))
        frequency[word] = freq
        prefixes.update(word[:i] for i in range(1, len(word)))
        total += freq
    return tokenizer, added


def _extractor_fingerprint() -> str:
    """What decides the words added: zhi-graph's code and data (imported here: the
    cache module pulls in the RDF writers, which extraction alone does not need)."""
    from .cache import extractor_fingerprint

    return extractor_fingerprint()


def _data_of(resources: Resources) -> str:
    """What the user cache's key names of the data ``resources`` were loaded from: the
    extractor's fingerprint covers the package's own; any other folder's, its words."""
    if resources.root.resolve() == package_root().resolve():
        return "package"
    words = "\n".join(sorted(set(resources.user_words())))
    return hashlib.sha256(words.encode()).hexdigest()


def _jieba_identity() -> tuple[str, int, int]:
    """jieba's dictionary file, as the user cache's keys name it: path, size, time."""
    path = _jieba_folder() / "dict.txt"
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _jieba_class() -> type[rjieba.Jieba]:
    """rjieba's tokenizer class, without running ``rjieba/__init__.py``.

    That file builds a default tokenizer at import, which we never use: it cost
    0.1-0.3 s of every build's start and 24-32 MB of memory.  The class comes
    from the package's compiled module, loaded alone and registered under its
    own name, so that a later ``import rjieba`` reuses it (the module may be
    initialised only once in a process).
    """
    loaded = sys.modules.get("rjieba.rjieba")
    if loaded is None:
        spec = importlib.util.find_spec("rjieba")
        folders = spec.submodule_search_locations if spec is not None else None
        found = [
            path
            for folder in folders or ()
            for path in sorted(Path(folder).glob("rjieba*"))
            if path.name.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))
        ]
        if not found:
            raise ResourceError(
                "rjieba is not installed; reinstall zhi-graph with pip", Path("rjieba")
            )
        compiled = importlib.util.spec_from_file_location("rjieba.rjieba", found[0])
        assert compiled is not None and compiled.loader is not None
        loaded = importlib.util.module_from_spec(compiled)
        compiled.loader.exec_module(loaded)
        sys.modules["rjieba.rjieba"] = loaded
    jieba_class: type[rjieba.Jieba] = loaded.Jieba
    return jieba_class


# A word no route can use: jieba only looks words up inside runs of Han
# characters, Latin letters and digits, and normalisation removes U+200B. Its
# frequency is the total jieba counts and jieba-rs does not (see _tokenizer).
_BALANCE = "\u200b\u200b"


class _Dictionary(NamedTuple):
    """jieba's own dictionary file: each word's frequency and part-of-speech tag."""

    frequency: dict[str, int]
    tags: dict[str, str]
    total: int
    words: list[str]  # sorted, to tell a prefix of a word from no word at all


@cache
def _jieba_dictionary() -> _Dictionary:
    """Read once from jieba's file (three times faster than initialising
    ``jieba.posseg``, and without importing jieba, whose import takes 0.4 s)."""
    return _parse_dictionary((_jieba_folder() / "dict.txt").read_text(encoding="utf-8"))


def _jieba_folder() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ResourceError("jieba is not installed; reinstall zhi-graph with pip", Path("jieba"))
    return Path(spec.submodule_search_locations[0])


def _parse_dictionary(data: str) -> _Dictionary:
    """jieba's lines, ``word frequency [tag]``; the total counts every line, as jieba's does.

    Every line of jieba's own file has the three fields: they are taken as
    every third whitespace-separated field, about four times faster than
    splitting line by line, which is kept for a file where that fails to line up.
    """
    fields = data.split()
    # Counted, not split: a blank line or one of two fields makes the counts differ.
    if len(fields) == 3 * (data.count("\n") + (not data.endswith("\n"))):
        try:
            frequencies = list(map(int, fields[1::3]))
        except ValueError:
            pass
        else:
            frequency = dict(zip(fields[0::3], frequencies, strict=True))
            # 125,000 words have a tag of two letters or more (nr, ns, vn): one string
            # per tag, not one per word.
            tags = dict(zip(fields[0::3], map(sys.intern, fields[2::3]), strict=True))
            return _Dictionary(frequency, tags, sum(frequencies), sorted(frequency))
    frequency = {}
    tags = {}
    total = 0
    for raw in data.split("\n"):
        parts = raw.strip().split(" ")
        if len(parts) < 2:
            continue
        freq = int(parts[1])
        frequency[parts[0]] = freq
        total += freq
        if len(parts) == 3:
            tags[parts[0]] = sys.intern(parts[2])
    return _Dictionary(frequency, tags, total, sorted(frequency))


def _suggested_frequency(
    word: str,
    tokenizer: rjieba.Jieba,
    dictionary: _Dictionary,
    added: dict[str, int],
    prefixes: set[str],
    total: int,
) -> int:
    """The frequency ``jieba.Tokenizer.suggest_freq(word, False)`` gives ``word``.

    Computed as jieba computes it, in the same floating-point steps: jieba-rs
    works in logarithms and now and then suggests one less. A piece that is
    only the start of a known word counts 0, as in jieba's table.
    """

    def known(piece: str) -> int | None:
        if piece in added:
            return added[piece]
        if piece in dictionary.frequency:
            return dictionary.frequency[piece]
        if piece in prefixes:
            return 0
        i = bisect.bisect_left(dictionary.words, piece)
        if i < len(dictionary.words) and dictionary.words[i].startswith(piece):
            return 0
        return None

    ftotal = float(total)
    freq = 1.0
    for piece in tokenizer.cut(word, False):
        found = known(piece)
        freq *= (1 if found is None else found) / ftotal
    found = known(word)
    return max(int(freq * total) + 1, 1 if found is None else found)


def _keep_out_of_collections() -> None:
    """Move everything alive now (dictionaries, gazetteer) out of the collector's sight.

    They live as long as the process; without this every collection rescans
    about a million objects, which cost a third of extraction time.
    """
    gc.collect()
    gc.freeze()


# The longest sentence: a longer run without 。！？； or a line break (a file of
# one huge line, a table flattened by an export) is cut, so that a mention's
# evidence, which quotes its sentence, stays a sentence and not the whole file.
MAX_SENTENCE = 500


def sentences(text: str, token_starts: Sequence[int] = ()) -> tuple[Sentence, ...]:
    """Sentences end at 。！？； and at line breaks; paragraphs at line breaks.

    A sentence longer than MAX_SENTENCE is cut after its last comma, enumeration
    comma, colon or space within that length, else at the last token start
    (``token_starts``, sorted), else at MAX_SENTENCE.
    """
    found: list[Sentence] = []
    paragraph = 0
    start = 0
    for match in patterns.SENTENCE_END.finditer(text):
        end = match.end()
        if text[start:end].strip():
            if end - start > MAX_SENTENCE:
                found.extend(_cut(text, start, end, paragraph, token_starts))
            else:
                found.append(new_sentence(start, end, paragraph))  # (most are short)
        if "\n" in match.group():
            paragraph += 1
        start = end
    if text[start:].strip():
        found.extend(_cut(text, start, len(text), paragraph, token_starts))
    if not found:
        found.append(new_sentence(0, len(text), 0))
    return tuple(found)


def _cut(
    text: str, start: int, end: int, paragraph: int, token_starts: Sequence[int]
) -> Iterator[Sentence]:
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        soft = patterns.SOFT_BREAK.search(text[start + MAX_SENTENCE // 2 : limit][::-1])
        if soft is not None:
            cut = limit - soft.start()
        else:
            i = bisect.bisect_right(token_starts, limit) - 1
            cut = token_starts[i] if i >= 0 and token_starts[i] > start else limit
        yield new_sentence(start, cut, paragraph)
        start = cut
    yield new_sentence(start, end, paragraph)


def tokens(text: str, resources: Resources) -> tuple[Token, ...]:
    """jieba's words with their offsets, which the tokenizer itself counts (they tile the text)."""
    return tuple(map(_new_token, _tokenizer(resources).tokenize(text, "default", False)))


# Token._make without its Python frame: documents have hundreds of thousands of tokens.
_new_token = partial(tuple.__new__, Token)


def token_starts(text: str, resources: Resources) -> tuple[int, ...]:
    """Where each of jieba's words starts in ``text``.

    The words tile the text, so their lengths give the offsets: cutting words
    and summing their lengths took half the time of ``tokens``, which has the
    tokenizer count offsets and make a tuple of each word (0.6 s of the 10 MB
    benchmark corpus's 3.5 million characters).
    """
    words = _tokenizer(resources).cut(text, False)
    return tuple(accumulate(map(len, words), initial=0))[:-1]


@without_gc
def segment(normalized: NormalizedText, resources: Resources) -> Segmented:
    """NormalizedText -> Segmented: sentences and token offsets taken from jieba itself."""
    starts = token_starts(normalized.text, resources)
    return Segmented(
        normalized=normalized,
        sentences=sentences(normalized.text, starts),
        token_starts=starts,
        boundaries=frozenset(starts).union((len(normalized.text),)),
    )


@cache
def word_tags() -> dict[str, str]:
    """Part-of-speech tags of jieba's own dictionary (word -> tag), from the user cache
    when it has them (read in a third of the time it takes to parse jieba's file)."""
    key = usercache.key_of(_TAGS, _jieba_identity())
    stored = usercache.load(_TAGS, key)
    if isinstance(stored, dict):
        return stored
    tags = _jieba_dictionary().tags
    usercache.store(_TAGS, key, tags)
    return tags
