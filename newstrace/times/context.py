"""The tense of the clause a time expression sits in, read from the spaCy parse.

"Monday" in "talks will resume Monday" is the coming Monday, in "talks resumed Monday" the past
one; "in April" likewise. The parse gives the governing verb of the expression; its auxiliaries
and tag give the tense. An infinitive under "plan", "expect", "schedule" ... looks forward.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

Tense = str  # "past" | "present" | "future"
TenseAt = Callable[[int, int], Tense | None]

FUTURE_AUXILIARIES = {"will", "shall", "'ll", "wo", "would"}  # "wo" is spaCy's token for the "wo" of "won't"
# Verbs and adjectives whose infinitive or clause complement is about the future.
FORWARD_GOVERNORS = {"expect", "plan", "schedule", "set", "due", "intend", "hope", "aim", "prepare", "likely",
                     "want", "seek", "propose", "agree", "promise", "threaten", "vow", "decide", "try", "ready",
                     "able", "go", "need", "call", "ask", "urge", "poised", "slate", "about"}
# Participles that put what they govern in the time ahead of the telling: "the summit set for April".
SCHEDULING_VERBS = {"schedule", "set", "plan", "slate", "expect"}
MAX_HOPS = 6  # from the expression's token up to its verb; news clauses are shallow
# Words just before an expression that point forward whatever the verb: "extended until Tuesday",
# "as early as Monday", "ahead of the weekend".
FORWARD_CUE = re.compile(r"\b(?:until|till|as\s+(?:soon|early)\s+as|ahead\s+of|starting|no\s+later\s+than|by|"
                         r"effective|payable|due)"
                         r"\s+(?:the\s+|on\s+|at\s+)?$", re.IGNORECASE)
CUE_CHARS = 24
NOUN_MODIFIER_DEPS = {"compound", "nmod", "amod", "poss", "nummod", "appos"}


def tense_reader(doc: Doc, text: str) -> TenseAt:
    """A function giving the tense of the clause of the expression at ``start:end`` of ``doc``
    (whose text is ``text``): None when unknown, or when the expression only modifies a noun
    ("the Jan. 14 deadline")."""
    starts: list[int] = []  # token offsets, built on the first question: most texts ask few

    def tense_at(start: int, end: int) -> Tense | None:
        if not starts:
            starts.extend(doc.to_array(IDX).tolist())
        cue = FORWARD_CUE.search(text[max(0, start - CUE_CHARS):start]) is not None
        first = bisect_right(starts, start) - 1
        last = max(first, bisect_left(starts, end) - 1)
        if first < 0:
            return "future" if cue else None
        tokens = doc[first:last + 1]
        head = next((t for t in tokens if not (first <= t.head.i <= last)), tokens.root)
        if head.dep_ in NOUN_MODIFIER_DEPS and head.head.pos_ in {"NOUN", "PROPN"}:
            return "future" if cue else None
        verb = _governing_verb(head)
        if verb is not None and _past_perfect(verb):
            return "past"  # "had filed reports by Wednesday", "until Thursday they had not ..."
        if cue:
            return "future"
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


def _tense_of(verb: Token) -> Tense | None:
    auxiliaries = [child for child in verb.children if child.dep_ in {"aux", "auxpass"}]
    words = {child.lower_ for child in auxiliaries}
    if words & FUTURE_AUXILIARIES:
        return "future"
    if verb.tag_ == "VBN" and verb.lemma_.lower() in SCHEDULING_VERBS and not _past_perfect(verb):
        return "future"  # "the summit set for April", "the session was planned for early March"
    if verb.tag_ in {"VB", "VBG", "VBN"} and verb.dep_ in {"xcomp", "ccomp", "advcl", "acomp"}:
        if verb.head.lemma_.lower() in FORWARD_GOVERNORS or ("to" in words and verb.head.lemma_ == "be"):
            # "is expected to close Monday", "is to resume Tuesday" look forward, "had been due to expire
            # Friday" back
            return None if _past_perfect(verb.head) else "future"
        if "to" in words:
            return None  # an infinitive: its time need not be the main verb's
    return _tense_of_plain(verb)


def _past_perfect(verb: Token) -> bool:
    return any(child.lower_ == "had" and child.dep_ in {"aux", "auxpass"} for child in verb.children)


def _tense_of_plain(verb: Token) -> Tense | None:
    auxiliaries = [child for child in verb.children if child.dep_ in {"aux", "auxpass"}]
    words = {child.lower_ for child in auxiliaries}
    if words & FUTURE_AUXILIARIES:
        return "future"
    if verb.tag_ == "VBD" or any(child.tag_ == "VBD" for child in auxiliaries):
        return "past"
    if verb.dep_ in {"acl", "relcl"} and "to" in words:
        return "future"  # "guidelines to be published in early November", "the talks to resume in June"
    if verb.tag_ == "VBN" and (words & {"has", "have", "had", "'ve"} or verb.dep_ == "acl"):
        return "past"  # "has signed", and "the year ended March 31"
    if verb.tag_ == "VBG" and words & {"is", "are", "'s", "'re", "am"}:
        return "future"  # "is travelling Thursday": news uses the progressive for plans
    if verb.tag_ in {"VBZ", "VBP"} or words & {"is", "are", "am"}:
        return "present"
    return None
