"""Building ``Span`` records from offsets and spaCy objects, so every stage cuts spans the same way."""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.model import Span


def make_span(text: str, start: int, end: int) -> Span:
    """A Span over ``text[start:end]``, trimmed of surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end, text=text[start:end])


def span_of(item: SpacySpan | Token) -> Span:
    """The Span of a spaCy span or token."""
    doc = item.doc
    if isinstance(item, Token):
        return make_span(doc.text, item.idx, item.idx + len(item.text))
    return make_span(doc.text, item.start_char, item.end_char)


def sentence_of(doc: Doc, char: int) -> Span:
    """The Span of the sentence that holds the character offset ``char``."""
    token = token_at(doc, char)
    return span_of(token.sent)


def token_at(doc: Doc, char: int) -> Token:
    """The token that covers (or first follows) the character offset ``char``."""
    lo, hi = 0, len(doc) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if doc[mid].idx <= char:
            lo = mid
        else:
            hi = mid - 1
    return doc[lo]


def tokens_between(doc: Doc, start: int, end: int) -> SpacySpan:
    """The smallest spaCy span covering the characters [start, end)."""
    first = token_at(doc, start)
    last = token_at(doc, max(start, end - 1))
    return doc[first.i:last.i + 1]
