"""When, where and how many: an event's date, place and casualty / arrest counts."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from spacy.tokens import Doc, Token

from newstrace.events.tokens import token_at_char as _token_at_char
from newstrace.events.triggers import Mention
from newstrace.events.vocabulary import (
    COUNT_VERBS,
    SPECIFICITY,
    VAGUE_COUNTS,
)
from newstrace.links import DocIndex
from newstrace.model import Counts, Event
from newstrace.spans import sent_of


def time_of(head: Token, index: DocIndex):
    """A date in the trigger's own phrase, else the only dated expression of its sentence."""
    own = [t for t in index.times_in(own_tokens(head)) if t.type in {"DATE", "TIME"} and t.value[:1].isdigit()]
    if own:
        return own[0]
    sentence = [t for t in index.times_in(list(sent_of(head))) if t.type in {"DATE", "TIME"} and t.value[:1].isdigit()]
    return sentence[0] if len({t.value for t in sentence}) == 1 else None



def fill_locations(doc: Doc, events: list[Event], index: DocIndex) -> None:
    """The place in the trigger's phrase, else a place in its sentence (where-phrases first, the most
    specific first), else one in the sentence before, else the document's most named locative country."""
    places = [p for p in index.analysis.places if not _is_actor_mention(doc, p, index)]
    locative = {p.id for p in places if _is_locative_place(doc, p)}
    counts = Counter(p.country for p in places if p.id in locative and p.country)
    main_country = counts.most_common(1)[0][0] if counts else None
    for event in events:
        head = _token_at_char(doc, event.trigger.start)
        own = [p for p in index.places_in(own_tokens(head)) if p in places]
        sent = sent_of(head)
        previous = sent_of(doc[sent.start - 1]) if sent.start > 0 else sent
        in_sentence = [p for p in places if sent.start_char <= p.span.start < sent.end_char]
        before = [p for p in places if previous.start_char <= p.span.start < sent.start_char and p.id in locative]
        chosen = own or sorted(in_sentence, key=lambda p: (p.id not in locative, SPECIFICITY.get(p.feature_class or "", 9)))
        chosen = chosen or before
        if chosen:
            event.location = chosen[0].id
        elif main_country:
            event.location = next(p.id for p in places if p.country == main_country and p.id in locative)



def own_tokens(head: Token) -> list[Token]:
    """The trigger's own phrase: its subtree without embedded clauses."""
    tokens = [head]
    stack = [head]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.dep_ in {"relcl", "ccomp", "advcl", "acl", "conj", "cc", "parataxis", "xcomp"}:
                continue
            tokens.append(child)
            stack.append(child)
    return tokens


def _is_actor_mention(doc: Doc, place, index: DocIndex) -> bool:
    """ "the US drone strike", "Tehran vowed": a toponym standing for an actor is not where it happened."""
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    return span is not None and any(t.i in index.actor_at for t in span)


def _is_locative_place(doc: Doc, place) -> bool:
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    while token.dep_ in {"poss", "compound", "amod", "nmod", "appos"} and token.head is not token:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in {"in", "at", "near", "inside", "outside", "across", "around",
                                                            "throughout", "within", "into", "to", "from", "over"}


def counts(head: Token, mentions: list[Mention]) -> Counts | None:
    """Killed / injured / arrested figures next to the trigger or a count verb in its sentence."""
    values: dict[str, int] = {}
    for token in sent_of(head):
        field = COUNT_VERBS.get(token.lemma_.lower())
        if field is None:
            continue
        number = None
        for child in token.children:
            if child.dep_ in {"dobj", "nsubjpass"}:
                number = _number_of(child)
        if number is not None:
            values.setdefault(field, number)
    return Counts(**values) if values else None


def _number_of(noun: Token) -> int | None:
    candidates = [noun, *[c for c in noun.children if c.dep_ in {"nummod", "amod", "quantmod"}]]
    for token in candidates:
        text = token.lower_.replace(",", "")
        if text.isdigit():
            return int(text)
        if text in VAGUE_COUNTS:
            return VAGUE_COUNTS[text]
        for child in token.children:
            if child.dep_ in {"nummod", "quantmod"} and child.lower_.replace(",", "").isdigit():
                return int(child.lower_.replace(",", ""))
    return None


# How an attack was carried out, read from the words around its mentions (PLOVER ASSAULT modes): the
# specific weapons name the mode whatever the trigger said ("a grenade explosion", "suicide bombers blew
# themselves up", "dropped chlorine"); the general ones only where the trigger named none.
SPECIFIC_WEAPONS: tuple[tuple[str, frozenset[str]], ...] = (
    ("chemical", frozenset({"chlorine", "sarin", "phosgene", "chemical weapon", "chemical attack", "toxic gas",
                            "poisonous gas", "poison gas", "mustard gas", "sulfur mustard", "nerve agent"})),
    ("suicide-attack", frozenset({"suicide bomber", "suicide bombing", "suicide attack", "suicide attacker",
                                  "suicide vest", "suicide car", "suicide vehicle", "blow themselves",
                                  "blow himself", "blow herself"})),
    ("grenade", frozenset({"grenade", "hand grenade"})),
)
GENERAL_WEAPONS: tuple[tuple[str, frozenset[str]], ...] = (
    ("aerial", frozenset({"airstrike", "air strike", "air raid", "warplane", "jet", "helicopter", "aircraft"})),
    ("heavy-weapons", frozenset({"artillery", "mortar", "shelling", "rocket", "missile", "shell", "tank fire",
                                 "tank shell", "tank attack"})),
    ("explosives", frozenset({"ied", "landmine", "explosive", "roadside bomb", "car bomb", "explosive device"})),
)


# Modes that only say what an attack did: "the missile destroyed the warship" is a missile attack (ACLED
# "Looting/property destruction" is destruction without such weapons).
WEAPONLESS_MODES = {"destroy"}


def weapon_mode(event: Event, doc: Doc) -> str | None:
    """The ASSAULT mode the words of the incident's sentences name, or the event's own mode."""
    if event.type != "ASSAULT":
        return event.mode
    words = _sentence_words(event, doc)
    for mode, names in SPECIFIC_WEAPONS:
        if words & names:
            return mode
    if event.mode is not None and event.mode not in WEAPONLESS_MODES:
        return event.mode
    return next((mode for mode, names in GENERAL_WEAPONS if words & names), event.mode)


def _sentence_words(event: Event, doc: Doc) -> set[str]:
    """Lemmas and lemma pairs of the sentences of an incident's mentions."""
    words: set[str] = set()
    starts = {m.sentence.start for m in event.mentions} or {event.sentence.start}
    for start in starts:
        sentence = sent_of(_token_at_char(doc, start))
        lemmas = [t.lemma_.lower() for t in sentence]
        words.update(lemmas)
        words.update(f"{a} {b}" for a, b in pairwise(lemmas))
    return words
