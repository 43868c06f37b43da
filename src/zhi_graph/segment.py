"""Cut normalised text into sentences and jieba tokens: NormalizedText -> Segmented."""

from __future__ import annotations

import gc
import logging
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


def sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences end at 。！？； and at line breaks; paragraphs at line breaks."""
    found: list[Sentence] = []
    paragraph = 0
    start = 0
    for match in patterns.SENTENCE_END.finditer(text):
        end = match.end()
        if text[start:end].strip():
            found.append(Sentence(start, end, paragraph))
        if "\n" in match.group():
            paragraph += 1
        start = end
    if text[start:].strip():
        found.append(Sentence(start, len(text), paragraph))
    if not found:
        found.append(Sentence(0, len(text), 0))
    return tuple(found)


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
        sentences=sentences(normalized.text),
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
