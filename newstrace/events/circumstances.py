"""When, where and how many: an event's date, place and casualty / arrest counts."""

from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Doc, Token

from newstrace.events.tokens import token_at_char as _token_at_char
from newstrace.events.triggers import Mention
from newstrace.events.vocabulary import (
    COUNT_VERBS,
    VAGUE_COUNTS,
)
from newstrace.links import DocIndex
from newstrace.model import Counts, Event
from newstrace.places import article_focus, locate_event
from newstrace.spans import lower_lemmas, sent_of


def time_of(head: Token, index: DocIndex):
    """A date in the trigger's own phrase, else the only dated expression of its sentence."""
    own = [t for t in index.times_in(own_tokens(head)) if t.type in {"DATE", "TIME"} and t.value[:1].isdigit()]
    if own:
        return own[0]
    sent = sent_of(head)
    sentence = [t for t in index.times_between(sent.start, sent.end) if t.type in {"DATE", "TIME"} and t.value[:1].isdigit()]
    return sentence[0] if len({t.value for t in sentence}) == 1 else None



def fill_locations(doc: Doc, events: list[Event], index: DocIndex) -> None:
    """Each incident's place, read at its main mention: see :func:`newstrace.places.locate_event`."""
    places = index.analysis.places
    focus = article_focus(doc, places, index.actor_at)
    for event in events:
        event.location = locate_event(_token_at_char(doc, event.trigger.start), places, focus, index.actor_at)


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


def counts(head: Token, mentions: list[Mention]) -> Counts | None:
    """Killed / injured / arrested figures next to the trigger or a count verb in its sentence."""
    values: dict[str, int] = {}
    sentence, lemmas = sent_of(head), lower_lemmas(head.doc)
    for i in range(sentence.start, sentence.end):
        field = COUNT_VERBS.get(lemmas[i])  # the cached lemmas: only count verbs become Token objects
        if field is None:
            continue
        token = sentence.doc[i]
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
