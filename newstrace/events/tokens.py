"""Small helpers over tokens and id lists shared by the events modules."""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan


def unique(ids: list[str]) -> list[str]:
    """The ids without repeats, in first-seen order."""
    return list(dict.fromkeys(ids))


def first(item: Token | SpacySpan) -> Token:
    """The token itself, or a span's first token."""
    return item if isinstance(item, Token) else item[0]


def char_to_token(doc: Doc, char: int) -> int:
    """Index of the token at character ``char``."""
    return token_at_char(doc, char).i


def token_at_char(doc: Doc, char: int) -> Token:
    """The token at character ``char`` (the first token when none is there)."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else doc[0]
