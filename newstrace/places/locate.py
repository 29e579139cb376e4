"""Where an event happened: the most specific place tied to its trigger, else its sentence's, else
the article's focus.

"met Blinken in Tel Aviv" is in Tel Aviv even though "Tel Aviv" can also stand for Israel's government:
a place after a locative preposition ("in", "near", "outside") is a location, whatever else it names.
Elsewhere a toponym that stands for an actor ("Tehran vowed", "the US drone strike") is not where
the event happened, and a demonym ("Russian forces") never is. A country is chosen only when nothing
more specific is named.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.model import Place
from newstrace.spans import sent_of

# Not "on" ("sanctions on Tehran"), "from" (where someone came from) nor "to" ("in response to").
LOCATIVE_PREPOSITIONS = {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "within",
                         "into", "off", "along", "over", "outskirts"}
# Nouns that "of" ties to a place: "the town of Kobani", "the outskirts of Kirkuk", "south of Gaza".
PLACE_NOUNS = {"town", "city", "village", "province", "region", "district", "county", "state", "suburb",
               "governorate", "municipality", "capital", "port", "island", "area", "outskirts", "centre",
               "center", "south", "north", "east", "west", "coast", "border", "streets", "heart"}
CLAUSE_DEPS = {"relcl", "ccomp", "advcl", "acl", "conj", "cc", "parataxis", "xcomp"}
SPECIFICITY = {"continents": 0, "countries": 1, "admin1": 2, "admin2": 3}
# A specific place is the article's focus only when named this often; else its country is.
FOCUS_MIN_MENTIONS = 2


def specificity(place: Place) -> int:
    """0 continent, 1 country, 2 region, 3 district (or an unresolved name), 4 town, spot, base or area."""
    if place.gazetteer in SPECIFICITY:
        return SPECIFICITY[place.gazetteer]
    if place.gazetteer == "demonym":
        return 1
    if not place.gazetteer:
        return 3
    return 2 if place.feature_class == "A" else 4


def place_tokens(doc: Doc, place: Place) -> SpacySpan | None:
    """The tokens of a place mention."""
    return doc.char_span(place.span.start, place.span.end, alignment_mode="expand")


def is_locative(span: SpacySpan) -> bool:
    """ "in Tel Aviv", "near the town of Kobani", "south of Gaza": a place by its syntax."""
    token = _climb(span.root)
    while token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lower_ in PLACE_NOUNS:
        token = _climb(token.head.head)
    return token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPOSITIONS


def _climb(token: Token) -> Token:
    """From a name's root to the head of the place phrase it sits in ("Tel Aviv, Israel", "the Kirkuk
    province", "Gaza City"), not to an event noun it modifies ("the US drone strike")."""
    while token.head is not token and (token.dep_ == "appos" or (
            token.dep_ in {"compound", "nmod", "poss", "amod"}
            and (token.head.lower_ in PLACE_NOUNS or token.head.pos_ == "PROPN"))):
        token = token.head
    return token


def _modifies(span: SpacySpan, trigger: Token) -> bool:
    """ "the Kirkuk bombing": the place is a modifier of the trigger noun (or of a noun modifying it)."""
    token = span.root
    while token.dep_ in {"compound", "nmod", "amod", "poss"} and token.head is not token:
        token = token.head
        if token.i == trigger.i:
            return True
    return False


def own_phrase(head: Token) -> set[int]:
    """Token indices of the trigger's own phrase: its subtree without embedded clauses."""
    tokens, stack = {head.i}, [head]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.dep_ in CLAUSE_DEPS:
                continue
            tokens.add(child.i)
            stack.append(child)
    return tokens


def _usable(doc: Doc, place: Place, actor_tokens: Container[int]) -> tuple[SpacySpan, bool] | None:
    """The place's tokens and whether it is locative, or None where it cannot be where an event is."""
    if place.gazetteer == "demonym":
        return None
    # Each place's tokens and syntax are read once per document, not once per event.
    read = doc.user_data.setdefault("newstrace_place_syntax", {})
    key = (place.span.start, place.span.end)
    if key not in read:
        span = place_tokens(doc, place)
        read[key] = (span, span is not None and is_locative(span))
    span, locative = read[key]
    if span is None or (not locative and any(t.i in actor_tokens for t in span)):
        return None
    return span, locative


def locate_event(trigger: Token, places: Sequence[Place], focus: Place | None = None,
                 actor_tokens: Container[int] = frozenset()) -> str | None:
    """The id of the place where the event whose trigger is ``trigger`` happened, or None.

    1. the most specific place syntactically tied to the trigger: a locative phrase or modifier in the
       trigger's own phrase ("met Blinken in Tel Aviv", "the Kirkuk bombing");
    2. else the most specific place of its sentence, locative ones first;
    3. else ``focus`` (see :func:`article_focus`).
    ``actor_tokens``: token indices that the actors stage read as actors ("Tehran vowed").
    """
    doc = trigger.doc
    phrase = own_phrase(trigger)
    sentence = sent_of(trigger)
    tied, in_sentence = [], []
    for place in places:
        usable = _usable(doc, place, actor_tokens)
        if usable is None:
            continue
        span, locative = usable
        if not sentence.start <= span.start < sentence.end:
            continue
        distance = min(abs(t.i - trigger.i) for t in span)
        if any(t.i in phrase for t in span) and (locative or _modifies(span, trigger)):
            tied.append((-specificity(place), distance, place.id))
        in_sentence.append((not locative, -specificity(place), distance, place.id))
    if tied:
        return min(tied)[-1]
    if in_sentence:
        return min(in_sentence)[-1]
    return focus.id if focus is not None else None


def article_focus(doc: Doc, places: Sequence[Place], actor_tokens: Container[int] = frozenset()) -> Place | None:
    """The place an article is about: its most often named country (as a location), narrowed to the
    most often named region or town in it where one is named at least twice."""
    usable = [(p, u[1]) for p in places if (u := _usable(doc, p, actor_tokens)) is not None]
    # Places named as locations ("in Gaza") first; where there are none, any place not standing for an actor.
    located = [p for p, locative in usable if locative] or [p for p, _ in usable]
    countries = Counter(p.country for p in located if p.country)
    if not countries:
        return None
    country = countries.most_common(1)[0][0]
    inside = [p for p in located if p.country == country]
    specific = Counter(p.name for p in inside if specificity(p) >= 2)
    if specific:
        name, count = max(specific.items(), key=lambda kv: (kv[1], -_first_index(inside, kv[0])))
        if count >= FOCUS_MIN_MENTIONS:
            return next(p for p in inside if p.name == name)
    country_level = [p for p in inside if specificity(p) == 1]
    return country_level[0] if country_level else inside[0]


def _first_index(places: Sequence[Place], name: str) -> int:
    return next(i for i, p in enumerate(places) if p.name == name)
