"""The tense of the clause a time expression sits in, read from the spaCy parse.

"Monday" in "talks will resume Monday" is the coming Monday, in "talks resumed Monday" the past
one; "in April" likewise. The parse gives the governing verb of the expression; its auxiliaries
and tag give the tense. An infinitive under "plan", "expect", "schedule" ... looks forward.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from spacy.tokens import Doc, Token

Tense = str  # "past" | "present" | "future"
TenseAt = Callable[[int], Tense | None]

FUTURE_AUXILIARIES = {"will", "shall", "'ll", "wo"}  # "wo" is spaCy's token for the "wo" of "won't"
# Verbs and adjectives whose infinitive or clause complement is about the future.
FORWARD_GOVERNORS = {"expect", "plan", "schedule", "set", "due", "intend", "hope", "aim", "prepare", "likely",
                     "want", "seek", "propose", "agree", "promise", "threaten", "vow", "decide", "try", "ready",
                     "able", "go", "need", "call", "ask", "urge", "poised", "slate", "about"}
MAX_HOPS = 6  # from the expression's token up to its verb; news clauses are shallow


def tense_reader(doc: Doc) -> TenseAt:
    """A function giving the tense of the clause at a character offset of ``doc`` (None if unknown)."""
    starts = [token.idx for token in doc]

    def tense_at(offset: int) -> Tense | None:
        index = bisect_right(starts, offset) - 1
        if index < 0:
            return None
        verb = _governing_verb(doc[index])
        return _tense_of(verb) if verb is not None else None

    return tense_at


def _governing_verb(token: Token) -> Token | None:
    for _ in range(MAX_HOPS):
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ not in {"aux", "auxpass"}):
            return token
        if token.head is token:
            return None
        token = token.head
    return None


def _tense_of(verb: Token, depth: int = 0) -> Tense | None:
    auxiliaries = [child for child in verb.children if child.dep_ in {"aux", "auxpass"}]
    words = {child.lower_ for child in auxiliaries}
    if words & FUTURE_AUXILIARIES:
        return "future"
    if verb.tag_ in {"VB", "VBG", "VBN"} and verb.dep_ in {"xcomp", "ccomp", "advcl", "acomp"} and depth < 2:
        if verb.head.lemma_.lower() in FORWARD_GOVERNORS or "to" in words and verb.head.lemma_ == "be":
            return "future"
        if verb.tag_ == "VB" and "to" in words:
            return _tense_of(verb.head, depth + 1)
    if verb.tag_ == "VBD" or any(child.tag_ == "VBD" for child in auxiliaries):
        return "past"
    if verb.tag_ == "VBN" and words & {"has", "have", "had", "'ve"}:
        return "past"
    if verb.tag_ == "VBG" and words & {"is", "are", "'s", "'re", "am"}:
        return "future"  # "is travelling Thursday": news uses the progressive for plans
    if verb.tag_ in {"VBZ", "VBP"} or words & {"is", "are", "am"}:
        return "present"
    return None
