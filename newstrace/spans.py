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


def text_of(doc: Doc) -> str:
    """The document text. spaCy's ``doc.text`` joins every token on each call; this keeps the string."""
    text = doc.user_data.get("newstrace_text")
    if text is None:
        text = doc.user_data["newstrace_text"] = doc.text
    return text


def lower_words(doc: Doc) -> list[str]:
    """The lower-cased token texts, computed once per document: every ``for token in doc`` builds a
    Token object per word, which the stages would otherwise pay for on each pass."""
    words = doc.user_data.get("newstrace_lower")
    if words is None:
        strings = doc.vocab.strings
        words = doc.user_data["newstrace_lower"] = [strings[int(x)] for x in doc.to_array("LOWER")]
    return words


def token_texts(doc: Doc) -> list[str]:
    """The token texts, computed once per document from the ORTH array (no Token objects)."""
    texts = doc.user_data.get("newstrace_texts")
    if texts is None:
        strings = doc.vocab.strings
        texts = doc.user_data["newstrace_texts"] = [strings[int(x)] for x in doc.to_array("ORTH")]
    return texts


def ents_of(doc: Doc) -> tuple[SpacySpan, ...]:
    """The named entities, read once per document: spaCy's ``doc.ents`` builds every Span (and a
    Token per word) on each call. The stages never change a document's entities after parsing."""
    ents = doc.user_data.get("newstrace_ents")
    if ents is None:
        ents = doc.user_data["newstrace_ents"] = doc.ents
    return ents


def lower_lemmas(doc: Doc) -> list[str]:
    """The lower-cased lemmas, computed once per document from the lemma array (no Token objects)."""
    lemmas = doc.user_data.get("newstrace_lower_lemmas")
    if lemmas is None:
        strings = doc.vocab.strings
        lemmas = doc.user_data["newstrace_lower_lemmas"] = [strings[int(x)].lower() for x in doc.to_array("LEMMA")]
    return lemmas


def tokens_with(doc: Doc, wanted: set[str] | frozenset[str]) -> list[Token]:
    """The tokens whose lower-cased text is in ``wanted``, in order."""
    return [doc[i] for i, word in enumerate(lower_words(doc)) if word in wanted]


def tokens_tagged(doc: Doc, tag: str) -> list[Token]:
    """The tokens with the fine-grained tag ``tag`` ("NNS"), in order, read from the tag array."""
    wanted = doc.vocab.strings.add(tag)
    return [doc[int(i)] for i in (doc.to_array("TAG") == wanted).nonzero()[0]]


def span_of(item: SpacySpan | Token) -> Span:
    """The Span of a spaCy span or token."""
    text = text_of(item.doc)
    if isinstance(item, Token):
        return make_span(text, item.idx, item.idx + len(item.text))
    return make_span(text, item.start_char, item.end_char)


def sentence_of(doc: Doc, char: int) -> Span:
    """The Span of the sentence that holds the character offset ``char``."""
    return sentence_span(token_at(doc, char))


def sent_of(token: Token) -> SpacySpan:
    """The sentence of ``token``. spaCy's ``token.sent`` scans the document on every call; this
    builds the sentence index once per document and keeps it in ``doc.user_data``."""
    doc = token.doc
    cached = doc.user_data.get("newstrace_sentences")
    if cached is None:
        sentences = list(doc.sents)
        owner = [0] * len(doc)
        for number, sentence in enumerate(sentences):
            for i in range(sentence.start, sentence.end):
                owner[i] = number
        cached = doc.user_data["newstrace_sentences"] = (sentences, owner)
    sentences, owner = cached
    return sentences[owner[token.i]]


def sentence_span(token: Token) -> Span:
    """The model Span of the sentence holding ``token``."""
    sentence = sent_of(token)
    return make_span(text_of(token.doc), sentence.start_char, sentence.end_char)


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
