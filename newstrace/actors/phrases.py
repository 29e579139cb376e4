"""Where a mention sits in its sentence: noun phrases, titles before names, place phrases.

Pure functions over the spaCy parse; no lexicon is read here.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from newstrace.actors.candidates import Candidate
from newstrace.spans import ents_of, sent_of

# Prepositions after which a country or capital names a place rather than an actor.
LOCATIVE_PREPS = {"in", "at", "near", "across", "inside", "within", "throughout", "around", "into", "to",
                  "outside", "over", "towards", "toward", "via", "through", "on", "off", "beyond"}
PLACE_HEADS = {"airport", "zone", "embassy", "city", "capital", "province", "district", "border", "street",
               "base", "bases", "port", "square", "region", "area", "camp", "neighbourhood", "neighborhood",
               "suburb", "outskirts", "centre", "center", "palace", "compound", "office", "headquarters",
               "crossing", "checkpoint", "bridge", "refinery", "terminal", "hospital", "prison", "mosque"}
LEADING_JUNK = set("—–-\"'“”‘’([")


def _without_article(span: SpacySpan) -> SpacySpan:
    """ "the Security Council" → "Security Council"."""
    return span[1:] if len(span) > 1 and span[0].lower_ in {"the", "a", "an"} else span


def _body_in_title(name: SpacySpan, taken: list[Candidate]) -> Candidate | None:
    """An organisation named in the title right before a person's name ("Arab League Secretary General X")."""
    doc = name.doc
    for cand in taken:
        if cand.kind in {"organization", "group"} and 0 <= name.start - cand.span.end <= 3 \
                and not any(t.is_punct for t in doc[cand.span.end:name.start]):
            return cand
    return None


def _longest_first(spans: list[SpacySpan]) -> list[SpacySpan]:
    chosen: list[SpacySpan] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if any(i in taken for i in range(span.start, span.end)):
            continue
        chosen.append(span)
        taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def _strip_junk(span: SpacySpan) -> SpacySpan | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].text in LEADING_JUNK or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in LEADING_JUNK or doc[end - 1].tag_ == "POS"):
        end -= 1
    return doc[start:end] if end > start else None


def title_words(name: SpacySpan) -> list[Token]:
    """The title words before a name, "US Secretary of State" in "US Secretary of State Antony Blinken"."""
    head = name.root
    words = [t for t in head.subtree if t.i < name.start]
    block: list[Token] = []
    for token in reversed(words):
        if block and token.i != block[0].i - 1:
            break
        if (token.is_punct and token.text not in {"-", "–"}) or token.lower_ in {"the", "a", "an"}:
            break
        block.insert(0, token)
    while block and (block[0].tag_ == "POS" or block[0].dep_ == "case"):
        block.pop(0)
    return block


def _inside_title(span: SpacySpan) -> bool:
    """An entity that is part of a title before a person's name ("Secretary of State X")."""
    doc = span.doc
    for token in doc[span.end:min(len(doc), span.end + 4)]:
        if token.ent_type_ == "PERSON":
            person = next(e for e in ents_of(doc) if e.start <= token.i < e.end)
            words = title_words(person)
            return bool(words) and words[0].i <= span.start
        if token.is_punct:
            return False
    return False


def _before_place_head(span: SpacySpan) -> bool:
    """ "Rafah crossing": a name directly qualifying a place noun is a place, not a person."""
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    return nxt is not None and nxt.lower_ in PLACE_HEADS


def _surname(name: str) -> str:
    return name.split()[-1] if name.split() else name


def _is_locative(span: SpacySpan) -> bool:
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS


def _modifies_place(span: SpacySpan) -> bool:
    """ "Baghdad's airport", "the Baghdad embassy": a place name that qualifies a place."""
    root = span.root
    if root.dep_ not in {"poss", "compound"}:
        return False
    head = root.head
    return head.lower_ in PLACE_HEADS or head.ent_type_ in {"FAC", "LOC"} or head.lemma_.lower() in PLACE_HEADS


NP_LEFT_DEPS = {"amod", "compound", "nmod", "nummod", "det", "poss", "case"}


def _noun_phrase(head: Token, matched: SpacySpan) -> SpacySpan:
    """The role noun with its left modifiers, article and possessor: "Iraqi lawmakers", "Turkey's
    foreign minister"."""
    start = matched.start
    inside = set(range(matched.start, matched.end))
    low = max(0, matched.start - 6)
    for token in reversed(list(head.doc[low:matched.start])):
        attached = token.head.i in inside or token.head.i == head.i
        if token.dep_ == "case" and token.head.dep_ == "poss" and token.head.head.i in inside:
            attached = True  # the "'s" of "Turkey's foreign minister"
        hyphen = token.text == "-" and token.head.i in inside
        hyphened = attached and _hyphened_first_half(token)
        if (attached and token.dep_ in NP_LEFT_DEPS) or hyphen or hyphened or _coordinated_modifier(token, inside, low):
            start = token.i
            inside.add(token.i)
        else:
            break
    return head.doc[start:matched.end]


# Participles that make the country before them a backer of the group, not its own country: "Iran-backed
# militias" are no Iranian force.
BACKER_PARTICIPLES = {"backed", "funded", "sponsored", "supported", "armed", "trained", "financed", "equipped"}


def _hyphened_first_half(token: Token) -> bool:
    """ "Iran" of "Iran-backed militias", "Saudi" of "Saudi-led coalition": the first half of a hyphened
    modifier."""
    return token.dep_ == "npadvmod" and token.i + 1 < len(token.doc) and token.nbor(1).text == "-"


def backer(token: Token) -> bool:
    """Whether ``token`` names who backs the group in a hyphened modifier ("Iran" in "Iran-backed")."""
    return _hyphened_first_half(token) and token.head.lower_ in BACKER_PARTICIPLES


def _coordinated_modifier(token: Token, inside: set[int], low: int) -> bool:
    """ "Czech" and "and" in "Polish and Czech officials": a conjunct (or its conjunction) of a modifier
    that is itself attached to the phrase."""
    current = token
    for _ in range(4):
        if current.dep_ not in NP_LEFT_DEPS | {"conj", "cc"}:
            return False
        if current.head.i in inside:
            return current is not token or token.dep_ in {"conj", "cc"}
        if not low <= current.head.i < current.i + 6:
            return False
        current = current.head
    return False


def _in_locative_phrase(token: Token) -> bool:
    """ "in Iraq", "in Baghdad's Green Zone": the token names where something is."""
    while token.dep_ in {"poss", "compound", "amod", "nmod", "appos", "conj"} and token.head is not token:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPS


def _previous_sentence_start(token: Token, sentences: int = 1) -> int:
    sent = sent_of(token)
    for _ in range(sentences):
        if sent.start == 0:
            break
        sent = sent_of(token.doc[sent.start - 1])
    return sent.start
