"""What the syntax around a name says: place ("in Kirkuk", "X, Utah", "a Charleston man"), person
("Sheriff Welch", "Ripley said"), a word of a longer name ("Midland Trail"), a disease or a saint
("Marburg virus", "St. Patrick's Day"), a language ("in Russian"); datelines; span trimming.
Used by :mod:`newstrace.places.finder`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.spans import ents_of, text_of

if TYPE_CHECKING:
    from newstrace.places.gazetteer import Gazetteer

# Toponym entity labels; FAC (buildings, airports) only when a gazetteer knows the name.
TOPONYM_LABELS = {"GPE", "LOC"}
COMPASS_WORDS = {"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
                 "northeastern", "northwestern", "southeastern", "southwestern", "the"}
LOCATIVE_PREPOSITIONS = {"in", "at", "near", "outside", "inside", "from", "to", "into", "across", "around",
                         "throughout", "within", "toward", "towards", "via", "through", "outskirts", "south",
                         "north", "east", "west", "of"}
# "A Charleston man", "the Saratoga native": a name before one of these is where someone lives or comes from.
RESIDENT_NOUNS = {"man", "woman", "native", "resident", "couple", "teen", "teenager", "boy", "girl", "family",
                  "youth", "mother", "father"}
# Prepositions that say place even before a name the model reads as a person's ("in Logan", "near Welch").
PLACE_PREPOSITIONS = {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "within",
                      "outskirts"}
# Verbs and nouns of going somewhere: "to" or "from" after one names a place, even a name the model
# reads as a person's ("driving to Castlegar").
MOTION_WORDS = {"travel", "drive", "go", "fly", "head", "return", "move", "relocate", "trip", "journey", "flight",
                "commute", "road", "route", "walk", "march", "sail", "ship", "deport", "evacuate", "flee",
                "escape", "transfer", "bus", "train", "visit", "arrive"}
# Nouns for parts of a place: "Aleppo's eastern districts", "Kabul's outskirts".
PLACE_PARTS = {"district", "districts", "outskirts", "suburbs", "suburb", "centre", "center", "downtown", "north",
               "south", "east", "west", "streets", "neighbourhoods", "neighborhoods", "port", "airport", "old"}
PLACE_NOUNS = {"town", "city", "village", "province", "region", "district", "county", "state", "suburb",
               "governorate", "municipality", "capital", "port", "island", "township", "borough", "area"}
PERSON_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sheriff", "officer", "chief", "judge", "rep", "sen", "gov",
                 "mayor", "lt", "sgt", "capt", "det", "deputy", "coach", "president", "senator", "governor",
                 "sir", "lord", "lady", "prof", "professor", "father", "rev", "pastor", "detective"}
SPEECH_VERBS = {"say", "tell", "add", "note", "explain", "write", "ask", "reply", "argue", "claim", "insist",
                "recall", "warn", "acknowledge", "admit", "believe", "think", "want", "hope"}
# A name right after one of these is a saint's ("St. Patrick's Day"), before one of these a disease's.
SAINT_TITLES = {"St.", "St", "Saint", "Ste.", "Ste", "San", "Santa", "Sankt"}
PATHOGEN_WORDS = {"virus", "viruses", "ebolavirus", "fever", "disease", "haemorrhagic", "hemorrhagic"}
DATELINE = re.compile(r"^[ \t]*([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}),", re.MULTILINE)
# "HUDSON -- Officials ...", "Headline. FREMONT — Violet ...", "CHATTANOOGA (AP) —": a dateline with a dash,
# also after a headline on the same line; kept only where the gazetteer knows the name.
DASH_DATELINE = re.compile(r"(?:^[ \t]*|(?<=[.!?] ))([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})"
                           r"(?: \([A-Z][A-Za-z]*\))? ?(?:—|–|--|-) ", re.MULTILINE)


def named_after(span: SpacySpan) -> bool:
    """ "St. Patrick's Day", "Marburg virus", "Lassa fever": a saint's name or a disease named after a
    place, not the place."""
    doc = span.doc
    before = doc[span.start - 1].text if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return (len(span) == 1 and before in SAINT_TITLES) or after in PATHOGEN_WORDS


def is_whole_entity_or_none(span: SpacySpan) -> bool:
    return all(t.ent_iob_ == "O" for t in span) or is_whole_entity(span)


def english_words(nlp: Language, parts_of_speech: tuple[str, ...]) -> frozenset[str]:
    """The English words of these parts of speech that the model's lemmatizer knows (WordNet's lemmas)."""
    try:
        index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        return frozenset(word for pos in parts_of_speech for word in index.get(pos, ()))
    except (KeyError, ValueError, AttributeError):
        return frozenset()


def full_name_words(doc: Doc) -> frozenset[str]:
    """Words of the full names of people in the document ("John Scott": "John", "Scott")."""
    return frozenset(t.text for ent in ents_of(doc) if ent.label_ == "PERSON" and len(ent) > 1 for t in ent)


def reads_as_person(token: Token, person_words: frozenset[str], modifiers: frozenset[str], tagged: bool) -> bool:
    """A one-word name used as a person's ("Sheriff Welch", a surname of the article, and where the model
    did not tag it as a place, "Ripley said") or a capitalised English adjective, verb or adverb ("West";
    unless the model tags it as a place and it is no compass word)."""
    if token.text in person_words:
        return True
    if token.lower_ in modifiers and not token.text.isupper() and (not tagged or token.lower_ in COMPASS_WORDS):
        return True  # "BC" is no word; "Charleston" tagged as a place is not the dance
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is not None and before.text.rstrip(".").lower() in PERSON_TITLES:
        return True
    return not tagged and token.dep_ == "nsubj" and token.head.lemma_ in SPEECH_VERBS


def ends_entity(span: SpacySpan) -> bool:
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is None or after.ent_iob_ != "I"


def capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


def common_word(token: Token) -> bool:
    """A capitalised function word or a short all-capital acronym ("The", "May", "IT", "AP")."""
    return token.is_stop or (token.text.isupper() and len(token.text) <= 3) or token.like_num


def is_language(span: SpacySpan) -> bool:
    """ "in Russian", "speaks Arabic": a language, not the country."""
    token = span[-1]
    if token.ent_type_ == "LANGUAGE":
        return True
    return token.dep_ == "pobj" and token.head.lower_ == "in" and not any(c.dep_ != "det" for c in token.children)


def is_whole_entity(span: SpacySpan) -> bool:
    """Whether an entity of the parse covers exactly ``span``, "the" aside (not a longer name around it)."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    before = doc[span.start - 1] if span.start > 0 else None
    starts = span[0].ent_iob_ == "B" or (before is not None and before.lower_ == "the" and before.ent_iob_ == "B")
    return starts and (after is None or after.ent_iob_ != "I")


def locative(span: SpacySpan, person: bool = False) -> bool:
    """ "in Kirkuk", "near the town of Kobani", "outside Homs": a place by its syntax. A name the model
    tags or the context reads as a person's (``person``) needs a preposition of place ("from Welch" or
    "into Bell's back" is said of people),
    and a possessor is a place only before a part of a place ("in Aleppo's eastern districts")."""
    doc = span.doc
    root = span.root
    while root.dep_ in {"compound", "nmod", "appos", "poss", "conj"} and root.head is not root:
        if root.dep_ == "poss" and root.head.lower_ not in PLACE_PARTS:
            return False
        root = root.head
    prepositions = PLACE_PREPOSITIONS if person or span[0].ent_type_ == "PERSON" else LOCATIVE_PREPOSITIONS
    if root.dep_ == "pobj" and root.head.lower_ in prepositions:
        return root.head.lower_ != "of" or root.head.head.lower_ in PLACE_NOUNS
    if root.dep_ == "pobj" and root.head.lower_ in {"to", "from", "into"} and \
            root.head.head.lemma_.lower() in MOTION_WORDS:
        return True  # "travelling to Cirencester", "a trip to Saipan", "flights from Lelystad"

    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in prepositions - {"of", "to", "from"}:
        return True
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.lemma_.lower() in RESIDENT_NOUNS and span.root.head == after:
        return True  # "a Charleston man", "the Saratoga native"
    return before is not None and before.lower_ == "of" and span.start > 1 and doc[span.start - 2].lower_ in PLACE_NOUNS


def qualified_by_next(span: SpacySpan, gazetteer: Gazetteer) -> bool:
    """ "Logan, Utah", "Pandi, Bulacan", "Kafr Nabl in Idlib": followed by a comma or "in" and a known
    country or region."""
    doc = span.doc
    if span.end + 1 >= len(doc) or doc[span.end].lower_ not in {",", "in"}:
        return False
    nxt = doc[span.end + 1]
    for length in (3, 2, 1):
        text = doc[nxt.i:nxt.i + length].text
        if any(e.level in (1, 2) for e in gazetteer.by_name.get(text, ())):
            return True
    return False


def split_at_commas(ent: SpacySpan) -> list[SpacySpan]:
    """ "Pandi, Bulacan" tagged as one entity is two toponyms."""
    parts, start = [], ent.start
    for token in ent:
        if token.text == ",":
            parts.append(SpacySpan(ent.doc, start, token.i, label=ent.label_))
            start = token.i + 1
    parts.append(SpacySpan(ent.doc, start, ent.end, label=ent.label_))
    return [t for t in (trim(p) for p in parts if len(p)) if t is not None]


def dateline_spans(doc: Doc, known: Callable[[str], bool]) -> list[SpacySpan]:
    """ "KABUL, August 16 —": the capitalised place that opens a wire story's line (``known``: whether the
    gazetteer knows a name)."""
    out = []
    text = text_of(doc)
    for match in DATELINE.finditer(text):
        span = doc.char_span(match.start(1), match.end(1), label="GPE")
        if span is not None:
            out.append(span)
    for match in DASH_DATELINE.finditer(text):
        span = doc.char_span(match.start(1), match.end(1), label="GPE")
        if span is not None and len(span.text) >= 4 and (known(span.text) or known(span.text.title())):
            out.append(span)
    return out


def trim(ent: SpacySpan) -> SpacySpan | None:
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ == "the"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
        end -= 1
    return SpacySpan(doc, start, end, label=ent.label_) if end > start else None


# A town's own institutions: "the Richmond Police Department", "Mount Pleasant City Council", "Whitestown
# Town Hall", "Huntsville High School", "Dublin Mayor Marilee ...".
MUNICIPAL_WORDS = {"police", "mayor", "council", "fire", "sheriff", "schools", "jail", "courthouse", "parks",
                   "township", "selectmen", "aldermen"}
MUNICIPAL_PAIRS = {("city", "council"), ("town", "council"), ("town", "hall"), ("city", "hall"),
                   ("high", "school"), ("public", "library"), ("city", "schools"), ("county", "jail")}


def municipal(span: SpacySpan) -> bool:
    """Whether the name is followed by a word for a town's own institutions (see ``MUNICIPAL_WORDS``)."""
    doc = span.doc
    after = [t.lower_ for t in doc[span.end:span.end + 2]]
    return bool(after) and (after[0] in MUNICIPAL_WORDS or tuple(after) in MUNICIPAL_PAIRS)


PARTY_LETTERS = {"D", "R", "I"}


def county_spans(doc: Doc, known: Callable[[str], bool], texts: list[str]) -> list[SpacySpan]:
    """Names that stand for a county of that name (``known``: whether the gazetteer knows "X County";
    ``texts``: the token texts): a legislator's district after the party letter ("Delegate Harold
    Michael, D-Hardy") and the names of a list before "counties" ("Clarke, Madison, Oconee and
    Oglethorpe counties")."""
    out = []
    for n, text in enumerate(texts):
        if text == "counties":
            i = n - 1
            while i >= 0 and (texts[i] in {",", "and"} or (texts[i][:1].isupper() and texts[i].isalpha())):
                if texts[i][:1].isupper() and known(f"{texts[i]} County"):
                    out.append(doc[i:i + 1])
                i -= 1
        elif n >= 2 and texts[n - 1] == "-" and texts[n - 2] in PARTY_LETTERS and text[:1].isupper() \
                and known(f"{text} County"):
            out.append(doc[n:n + 1])
    return out
