"""Cut normalised text into sentences and jieba tokens: NormalizedText -> Segmented."""

from __future__ import annotations

import bisect
import gc
import logging
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import accumulate

import jieba

from .model import NormalizedText, Segmented, Sentence, Token
from .resources import Resources
from .text import patterns


@cache
def _tokenizer(resources: Resources) -> jieba.Tokenizer:
    """A private jieba tokenizer that knows the gazetteer and lexicon names.

    jieba keeps global state; an instance of our own keeps user words from
    leaking into (or in from) other users of jieba in the same process.
    """
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in sorted(set(resources.user_words())):
        if len(word) >= 2:
            tokenizer.add_word(word, freq=None)
    _keep_out_of_collections()
    return tokenizer


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
            found.extend(_cut(text, start, end, paragraph, token_starts))
        if "\n" in match.group():
            paragraph += 1
        start = end
    if text[start:].strip():
        found.extend(_cut(text, start, len(text), paragraph, token_starts))
    if not found:
        found.append(Sentence(0, len(text), 0))
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
        yield Sentence(start, cut, paragraph)
        start = cut
    yield Sentence(start, end, paragraph)


def tokens(text: str, resources: Resources) -> tuple[Token, ...]:
    """jieba's words with their offsets, which jieba itself counts (its pieces tile the text)."""
    words = list(_tokenizer(resources).cut(text, HMM=False))
    ends = list(accumulate(map(len, words)))
    starts = [0, *ends[:-1]] if ends else []
    return tuple(map(Token._make, zip(words, starts, ends, strict=True)))


def _starts(found: tuple[Token, ...]) -> tuple[int, ...]:
    return tuple(t.start for t in found)


def segment(normalized: NormalizedText, resources: Resources) -> Segmented:
    """NormalizedText -> Segmented: sentences and token offsets taken from jieba itself."""
    found = tokens(normalized.text, resources)
    starts = _starts(found)
    return Segmented(
        normalized=normalized,
        sentences=sentences(normalized.text, starts),
        tokens=found,
        token_starts=starts,
        boundaries=frozenset(starts).union((len(normalized.text),)),
    )


@cache
def word_tags() -> dict[str, str]:
    """Part-of-speech tags of jieba's own dictionary (word -> tag), read once.

    Reading the file directly is three times faster than initialising
    ``jieba.posseg``, and only the tags are needed.
    """
    tags: dict[str, str] = {}
    with jieba.get_dict_file() as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags
