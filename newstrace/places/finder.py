"""Finding toponyms in a parsed document and resolving each to one gazetteer entry.

Mentions come from four places: spaCy's GPE/LOC/FAC entities, a longest-match lookup of capitalised
word sequences in the gazetteer (towns the small model does not tag), demonyms and adjectives of
countries and continents ("Russian", "European": geoparsing gold standards count them as toponyms)
and wire-story datelines ("KABUL, Aug. 16 —"). A gazetteer-only match is kept when the parse and the
context make a place likely: not inside a person's or organisation's name, a proper noun, and either a
country or region, a name of several words, a big town, a town after "in"/"near" or before ", State",
or a town in the article's own country.

Resolution is in two passes: each name alone first; then again with the article's focus — the
countries and first-level regions its other toponyms resolved to — so that "Alexandria" in a story that
names Rapides Parish is the Louisiana town, not the Egyptian city. "Alexandria, Va." and "Pandi,
Bulacan" take the region after the comma.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newstrace.lexicon import Lexicons, read_tsv, split_multi
from newstrace.model import Place
from newstrace.places import streets
from newstrace.places.context import (
    COMPASS_WORDS,
    TOPONYM_LABELS,
    capitalised,
    common_word,
    county_spans,
    dateline_spans,
    ends_entity,
    english_words,
    full_name_words,
    is_language,
    is_whole_entity,
    is_whole_entity_or_none,
    locative,
    municipal,
    named_after,
    qualified_by_next,
    reads_as_person,
    split_at_commas,
)
from newstrace.places.gazetteer import Gazetteer, GazetteerEntry, km
from newstrace.places.towns import ascii_fold
from newstrace.spans import ents_of, lower_words, sentence_span, span_of, text_of
from newstrace.times import find_times
from newstrace.times.words import MONTHS, WEEKDAYS

# A gazetteer match inside one of these entities is part of a name ("Jordan" in "Michael Jordan").
NAME_LABELS = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE", "FAC"}
NOT_PLACE_LABELS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
MAX_NAME_TOKENS = 6
# Lower-case words that may sit inside a place name: "Stratford-upon-Avon", "Ras al-Ain", "Isle of Man".
NAME_CONNECTORS = {"of", "de", "del", "la", "le", "el", "al", "upon", "on", "and", "du", "da", "dos", "das",
                   "-", "'", "’", "'s", "’s", "sur", "an", "am", "im", "bin", "ibn", "es", "ash", "ad", "ar", "as", "the"}
# A single-word town that nothing else supports is kept only from this size on.
BIG_TOWN = 100_000
MISTAGGED_MIN_POPULATION = 15_000
ANY_DATE = dt.date(2000, 1, 1)  # what the time rules read does not depend on the date they count from
# Scoring of candidates (see _score): log10 of the population plus these bonuses.
BONUS_OWN = 30.0
BONUS_QUALIFIED = 20.0
BONUS_FOCUS_COUNTRY = 2.0
BONUS_FOCUS_REGION = 3.0
FOCUS_REGION_FULL_AT = 2
BONUS_COUNTRY = 3.0
BONUS_REGION = 1.0
BONUS_CAPITAL = 3.0
# Neighbouring toponyms: each other name of the article with a town or district within NEIGHBOUR_KM of a
# candidate adds BONUS_NEIGHBOUR to it (at most NEIGHBOUR_CAP names), so that "Springfield" beside "Urbana"
# and "Clark County" is the Ohio town, not the larger one in Massachusetts.
BONUS_NEIGHBOUR = 1.5
PENALTY_ALTERNATE = 1.5
NEIGHBOUR_CAP = 3
NEIGHBOUR_KM = 100.0
NEIGHBOUR_MAX_NAMESAKES = 20
# A town named like the region it lies in ("Kharkiv", "Aleppo", "New York") is the usual referent of the
# name when it holds at least this share of the region's people.
NAMESAKE_SHARE = 0.1
ABBREVIATED_WORDS = {"St.": "Saint", "St": "Saint", "Ste.": "Sainte", "Ft.": "Fort", "Mt.": "Mount", "Pt.": "Point"}
@dataclass
class Mention:
    """A candidate toponym: its tokens, how it was found and what it may refer to."""

    span: SpacySpan
    how: str  # an NER label, "GAZ" (gazetteer lookup), "DEMONYM" or "DATELINE"
    candidates: list[GazetteerEntry] = field(default_factory=list)
    entry: GazetteerEntry | None = None
    focused: bool = False  # resolved into a country or region the rest of the article names
    needs_support: bool = False  # a gazetteer-only town: kept only with support from context
    strict: bool = False  # tagged as an organisation: a big town is not support enough
    embedded: bool = False  # inside a longer name: the name's syntax says nothing about the town
    in_region: bool = False  # resolved into a first-level region the rest of the article names
    foreign: bool = False  # a town in a country none of the article's other toponyms lies in
    # A street named after a place ("Lancaster Avenue"): that place's candidates, as evidence of where the
    # article is (see Neighbours), not as a toponym.
    inner: list[GazetteerEntry] = field(default_factory=list)

    @property
    def name(self) -> str:
        # The span's text, cut from the cached document text (``span.text`` builds a Token per word).
        return text_of(self.span.doc)[self.span.start_char:self.span.end_char]


class _Words:
    """The token texts and flags of a document, read once (indexing spaCy tokens is slow)."""

    def __init__(self, doc: Doc) -> None:
        cached = doc.user_data.get("newstrace_place_words")
        if cached is None:
            # Read from the attribute arrays: no spaCy Token object is made.
            strings = doc.vocab.strings
            rows = doc.to_array(["ORTH", "LOWER", "IDX", "SENT_START"]).tolist()
            texts = [strings[row[0]] for row in rows]
            lowers = [strings[row[1]] for row in rows]
            starts = [row[2] for row in rows]
            capitalised = [text[:1].isupper() for text in texts]
            sent_starts = [row[3] == 1 for row in rows]
            cached = doc.user_data["newstrace_place_words"] = (texts, lowers, starts, capitalised, sent_starts)
        self.texts, self.lowers, self.starts, self.capitalised, self.sent_starts = cached
        self.doc_text = text_of(doc)

    def text(self, start: int, stop: int) -> str:
        """The document text of tokens ``start`` to ``stop`` (exclusive)."""
        return self.doc_text[self.starts[start]:self.starts[stop - 1] + len(self.texts[stop - 1])]


@dataclass
class Focus:
    """How often the article's toponyms fall in each country and first-level region, per name."""

    countries: Counter = field(default_factory=Counter)
    regions: Counter = field(default_factory=Counter)
    by_name: dict[str, tuple[Counter, Counter]] = field(default_factory=dict)

    @classmethod
    def of(cls, mentions: list[Mention]) -> Focus:
        """The focus of the resolved ``mentions``."""
        focus = cls()
        for m in mentions:
            if m.entry is None:
                continue
            countries, regions = focus.by_name.setdefault(m.name, (Counter(), Counter()))
            if m.entry.country:
                countries[m.entry.country] += 1
            if m.entry.admin1:
                regions[m.entry.admin1] += 1
        for countries, regions in focus.by_name.values():
            focus.countries.update(countries)
            focus.regions.update(regions)
        return focus

    def without(self, name: str) -> tuple[Counter, Counter]:
        """The focus left when the mentions of ``name`` itself are taken out (no self-reinforcement), also
        those of longer or shorter forms of it ("Springfield City", "City of Richmond")."""
        family = [n for n in self.by_name if _same_name(n, name)]
        countries, regions = self.countries, self.regions
        for n in family:
            countries, regions = countries - self.by_name[n][0], regions - self.by_name[n][1]
        return countries, regions


def _same_name(a: str, b: str) -> bool:
    """Whether one name is the other with words added ("Springfield City", "City of Richmond")."""
    short, long = sorted((a, b), key=len)
    return short == long or f" {short} " in f" {long} "


class Neighbours:
    """Where the article's names may lie: the towns and districts among each name's candidates, in a grid
    of one-degree cells, to count the other names that have a candidate near a given one."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.cells: dict[tuple[int, int], list[tuple[str, float, float]]] = {}
        seen: set[str] = set()
        for m in mentions:
            if m.name in seen or m.how == "DEMONYM":
                continue
            seen.add(m.name)
            name = m.span[:-1].text if m.how == "STREET" else m.name
            local = [e for e in m.inner or m.candidates if e.level >= 3 and e.lat is not None and e.lon is not None]
            # A name that dozens of towns share ("Washington", "Franklin") says little about where any one is.
            if len(local) > NEIGHBOUR_MAX_NAMESAKES:
                continue
            for e in local:
                self.cells.setdefault((math.floor(e.lat), math.floor(e.lon)), []).append((name, e.lat, e.lon))

    def count(self, entry: GazetteerEntry, name: str) -> int:
        """How many other names (not longer forms of ``name``: "City of Richmond") have a town or district
        within ``NEIGHBOUR_KM`` of ``entry``."""
        if entry.level < 3 or entry.lat is None or entry.lon is None or not self.cells:
            return 0
        lat, lon = math.floor(entry.lat), math.floor(entry.lon)
        near: set[str] = set()
        for dlat in (-1, 0, 1):
            for dlon in (-1, 0, 1):
                for other, olat, olon in self.cells.get((lat + dlat, lon + dlon), ()):
                    if other not in near and not _same_name(other, name) and \
                            km(entry.lat, entry.lon, olat, olon) <= NEIGHBOUR_KM:
                        near.add(other)
        return len(near)


class PlaceFinder:
    """Finds and resolves toponyms in parsed documents."""

    def __init__(self, nlp: Language, lexicons: Lexicons, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.demonyms: dict[str, GazetteerEntry] = {}
        for country in lexicons.countries:
            entry = next((e for e in gazetteer.by_name.get(country.name, []) if e.source == "countries"), None)
            for adjective in country.adjectives:
                if entry is not None:
                    self.demonyms[adjective] = entry
        for row in read_tsv("place_names.tsv", ("names", "place")):
            # Our own row first, then the broadest and most populous place of that name ("Florida": the US state).
            entry = max(gazetteer.by_name.get(row["place"], []), default=None,
                        key=lambda e: (e.source == "newstrace", -e.level, e.population))
            for adjective in split_multi(row["names"]):
                if entry is not None:
                    self.demonyms.setdefault(adjective, entry)
        self.adjective_country = {adj: e.country for adj, e in self.demonyms.items() if e.country}
        self.demonym_starts = {name.split()[0] for name in self.demonyms}
        self.organisations = {n for o in lexicons.organizations for n in (o.name, *o.aliases)}
        self.english_words = english_words(nlp, ("noun", "verb", "adj", "adv"))
        self.english_modifiers = english_words(nlp, ("verb", "adj", "adv"))  # "West", "Central", "Coast"
        self.english_nouns = english_words(nlp, ("noun",))  # "Valley", "Trail", "Council"

    def find(self, doc: Doc) -> list[Place]:
        """Place records for every toponym mention in ``doc``."""
        person_words = full_name_words(doc)
        judged = [(m, self._plausible(m, person_words)) for m in self._mentions(doc)]
        mentions = _one_sense_per_discourse(_coordinated_with_places(judged), person_words, self.organisations)
        self._resolve(mentions)
        kept = [m for m in mentions if (m.entry is not None or m.how in TOPONYM_LABELS | {"DATELINE", "STREET"})
                and (not m.needs_support or self._supported(m)) and not self._stray_town(m)]
        self._place_streets(kept)
        kept = [m for m in kept if m.entry is not None or m.how != "STREET"]
        return [self._record(doc, m, f"P{n}") for n, m in enumerate(kept, start=1)]

    # --- finding ------------------------------------------------------------------------------------

    def _mentions(self, doc: Doc) -> list[Mention]:
        found = [Mention(s, "GAZ") for s in self._gazetteer_spans(doc)]
        found += [Mention(s, "DEMONYM") for s in self._demonym_spans(doc)]
        for ent in ents_of(doc):
            if ent.label_ in TOPONYM_LABELS | {"FAC"}:
                found += [Mention(part, ent.label_) for part in split_at_commas(ent)]
        found += [Mention(s, "DATELINE") for s in dateline_spans(doc, self.gazetteer.knows)]
        # A street the gazetteer knows by its whole name ("Downing Street", "Washington Square") is its entry.
        texts = _Words(doc).texts
        found += [Mention(s, "STREET") for s in streets.street_spans(doc, texts) + streets.listed_street_spans(doc, texts)
                  if len(s) == 1 or not self.gazetteer.knows(s.text)]
        found += [Mention(s, "COUNTY") for s in county_spans(doc, self.gazetteer.knows, texts)]
        chosen: list[Mention] = []
        taken: set[int] = set()
        for m in found:
            m.candidates = self._candidates(m) if len(m.span) else []
            if m.how == "STREET" and len(m.span) > 1:
                m.inner = self.gazetteer.candidates(m.span[:-1].text)
        # A word of a longer name ("Kanawha Valley", "Marburg virus") gives way to the entity around it.
        diseases = {m.span.text for m in found if m.how != "DEMONYM" and len(m.span) and named_after(m.span)}
        # One sense per article: a disease named after a place ("Marburg virus") is the disease wherever the
        # bare name recurs ("Because Marburg kills more slowly"), unless the syntax says place ("in Marburg").
        found = [m for m in found if m.how == "DEMONYM" or not len(m.span)
                 or ((m.span.text not in diseases or locative(m.span)) and not named_after(m.span))]
        found = [m for m in found if m.how != "GAZ" or not m.candidates or not self._word_inside_name(m)]
        # Names the gazetteer knows first ("Mississippi" inside an unknown "Mississippi State"), then the
        # longest; of two equal spans a demonym ("Canadian" is rarely the Texas town), then the gazetteer's.
        # A street's name wins over the town or person inside it ("Mayfield Road", "Franklin Avenue"), a
        # dateline over the same name found by the gazetteer.
        rank = {"DEMONYM": 0, "DATELINE": 0, "COUNTY": 0, "STREET": 0, "GAZ": 1}
        for m in sorted(found, key=lambda m: (not m.candidates and m.how != "STREET",
                                              -(m.span.end_char - m.span.start_char),
                                              rank.get(m.how, 2), m.span.start)):
            if len(m.span) == 0 or any(i in taken for i in range(m.span.start, m.span.end)):
                continue
            chosen.append(m)
            taken.update(range(m.span.start, m.span.end))
        return self._joined_at_commas(sorted(chosen, key=lambda m: m.span.start))

    def _joined_at_commas(self, mentions: list[Mention]) -> list[Mention]:
        """ "Washington, D.C.": two mentions that make one name the gazetteer knows, comma and all."""
        out: list[Mention] = []
        for m in mentions:
            last = out[-1] if out else None
            if last is not None and m.span.start == last.span.end + 1 and m.span.doc[last.span.end].text == ",":
                joined = m.span.doc[last.span.start:m.span.end]
                candidates = self.gazetteer.candidates(joined.text) or \
                    self.gazetteer.candidates(f"{last.span.text} {m.span.text}")  # "Washington D.C."
                if candidates:
                    out[-1] = Mention(joined, "GAZ", candidates)
                    continue
            out.append(m)
        return out

    def _gazetteer_spans(self, doc: Doc) -> list[SpacySpan]:
        """Longest capitalised word sequences (connectors allowed inside) that the gazetteer knows."""
        words = _Words(doc)
        out = []
        i, n = 0, len(words.texts)
        while i < n:
            stop = self._longest_name_at(words, i) if words.capitalised[i] else None
            if stop is None:
                i += 1
                continue
            out.append(doc[i:stop])
            i = stop
        return out

    def _longest_name_at(self, words: _Words, start: int) -> int | None:
        """The end of the longest known name starting at token ``start``, if any."""
        end, n = start + 1, len(words.texts)
        while end < n and end - start < MAX_NAME_TOKENS and not words.sent_starts[end] and \
                (words.capitalised[end] or words.lowers[end] in NAME_CONNECTORS):
            end += 1
        for stop in range(end, start, -1):
            if not words.capitalised[stop - 1]:
                continue
            text = words.text(start, stop)
            if "\n" in text:
                continue
            if self.gazetteer.knows(text) or (text.isupper() and len(text) >= 4 and self.gazetteer.knows(text.title())):
                return stop
        return None

    def _demonym_spans(self, doc: Doc) -> list[SpacySpan]:
        words = _Words(doc)
        out = []
        for i, first in enumerate(words.texts):
            if first not in self.demonym_starts:
                continue
            for length in (3, 2, 1):
                if i + length <= len(words.texts) and words.text(i, i + length) in self.demonyms:
                    out.append(doc[i:i + length])
                    break
        return out

    def _candidates(self, m: Mention) -> list[GazetteerEntry]:
        if m.how == "DEMONYM":
            return [self.demonyms[m.name]]
        if m.how == "COUNTY":
            return self.gazetteer.candidates(f"{m.name} County")
        if m.how == "STREET":
            return []  # placed at its town after resolution (see _place_streets)
        name = m.name
        found = self.gazetteer.candidates(name)
        if not found and name.isupper() and len(name) >= 4:  # datelines: "NEW YORK, May 2 —", "GAZA,"
            found = self.gazetteer.candidates(name.title())
        if not found and m.span.end < len(m.span.doc) and m.span.doc[m.span.end].text == ".":
            found = self.gazetteer.candidates(name + ".")  # "W.Va." parsed as "W.Va" and "."
        if not found:
            found = self._compound_candidates(m.span)
        return found

    def _compound_candidates(self, span: SpacySpan) -> list[GazetteerEntry]:
        """ "Baghdad's International Airport" → the gazetteer's "Baghdad International Airport"."""
        doc = span.doc
        if span.start >= 2 and doc[span.start - 1].tag_ == "POS":
            return self.gazetteer.candidates(f"{doc[span.start - 2].text} {span.text}")
        return []

    # --- which matches are toponyms -----------------------------------------------------------------

    def _plausible(self, m: Mention, person_words: frozenset[str] = frozenset()) -> bool:
        """Whether a mention may be a toponym (NER mentions and datelines always are); a gazetteer-only
        town is marked to need support from its context (see ``_supported``)."""
        if m.how == "DEMONYM":
            return not is_language(m.span)
        if m.how in TOPONYM_LABELS and not m.candidates and len(m.span) == 1:
            # A one-word name no gazetteer knows is a place only where the syntax says so.
            return locative(m.span)
        if m.how != "GAZ":
            return True
        labels = {t.ent_type_ for t in m.span} - {""}
        ours = any(e.source == "newstrace" for e in m.candidates)  # our own list: "the Pacific", "the Sahel"
        if not m.candidates or (labels & NOT_PLACE_LABELS and not self._mistagged_town(m)):
            return False  # "in Manbij" tagged DATE is still the town; "in May", "in Ramadan" are not
        if m.name in self.organisations:
            # A seat of government our own list also names is a place where the syntax says so ("barred
            # from the White House"), the government elsewhere ("The White House announced").
            return ours and locative(m.span)
        level = min(e.level for e in m.candidates)
        # A country, continent or region, or a country's capital ("Tbilisi has denied"): kept like a country.
        broad = level <= 2 or m.name in self.gazetteer.capital_of
        tagged = bool(labels & TOPONYM_LABELS) and is_whole_entity(m.span)
        if len(m.span) == 1 and level >= 2 and not ours and \
                reads_as_person(m.span[0], person_words, self.english_modifiers, tagged):
            # "coach Ripley", "Sheriff Welch", "John Scott ... Scott", "Ripley said"; "West", "Central" as words.
            return is_whole_entity_or_none(m.span) and \
                (locative(m.span, person=True) or qualified_by_next(m.span, self.gazetteer))
        if tagged:
            return True  # the model and the gazetteer agree
        if ours and labels == {"NORP"}:
            return True  # a place of our own list that the model read as a people ("eastern Ghouta")
        if labels & (NAME_LABELS - {"ORG", "FAC"}):
            # A person's name ("Jordan" in "Michael Jordan"), unless the context says place ("in Logan") or
            # the name is a capital that the model read as a person ("Tbilisi rejected it").
            if municipal(m.span) and m.name not in person_words and m.span[0].lower_ not in self.english_words:
                return True  # "Huntsville High School", "Epsom police chief" read as people by the model
            return is_whole_entity(m.span) and (locative(m.span) or qualified_by_next(m.span, self.gazetteer)
                                                 or (m.name in self.gazetteer.capital_of and m.name not in person_words))
        if labels & {"ORG", "FAC"}:
            # Gold standards count the place in "the Mansfield Police Department" or "Air Zimbabwe", and
            # the small model tags many towns it does not know as organisations ("Lethbridge"): a town
            # needs support. A name's last word is its head noun, not a place ("Royal Street").
            whole = is_whole_entity(m.span)
            # A region may end a name ("Small Business BC"), and so may a town after "of" ("University of
            # Toronto", "United Way of Metropolitan Atlanta").
            after_of = "of" in [t.lower_ for t in m.span.doc[max(0, m.span.start - 2):m.span.start]]
            if not whole and ends_entity(m.span) and level >= 3 and not after_of:
                return False
            if broad:
                return True
            m.needs_support, m.strict, m.embedded = True, whole, not whole
            return len(m.span) > 1 or not common_word(m.span[0])
        if len(m.span) > 1 or (broad and m.span[0].text.isupper()):  # "UK", "EU"
            return True
        if common_word(m.span[0]):
            return False
        if broad:
            return True
        m.needs_support = True
        return m.span[0].pos_ == "PROPN"

    def _stray_town(self, m: Mention) -> bool:
        """A small town abroad that only its name points to: in an article whose other toponyms all lie in
        other countries, "Bains" (in "Bains and Grants Town") or "Dade" (in "Miami-Dade") is a namesake's
        word, not the French or Chinese village."""
        if not m.foreign or m.entry is None or m.entry.population >= BIG_TOWN or m.how == "DATELINE":
            return False
        return not self._supported_by_syntax(m)

    def _mistagged_town(self, m: Mention) -> bool:
        """A town the model tagged DATE or CARDINAL ("in Manbij"): a proper noun in a locative phrase that
        no time rule reads (not "Spring", "Christmas") and that a town of some size (15,000+) bears as its
        own name (not "Ramadan", an alternate name of a Saudi town, nor the village of Lent)."""
        span = m.span
        if not all(t.is_alpha and t.pos_ == "PROPN" and t.lower_ not in MONTHS and t.lower_ not in WEEKDAYS
                   for t in span):
            return False
        if not any(e.population >= MISTAGGED_MIN_POPULATION and _main_name(e, m.name) for e in m.candidates):
            return False
        return locative(span) and not find_times(m.name, ANY_DATE)

    def _word_town(self, m: Mention) -> bool:
        """A one-word gazetteer-only town whose name is also an English word ("Energy", "Media")."""
        return m.needs_support and len(m.span) == 1 and m.span[0].lower_ in self.english_words

    def _supported_by_syntax(self, m: Mention) -> bool:
        """A locative context ("in X", "the town of X") or a region after the name ("X, Utah")."""
        return not m.embedded and (locative(m.span) or qualified_by_next(m.span, self.gazetteer))

    def _word_inside_name(self, m: Mention) -> bool:
        """ "Midland Trail", "Kanawha Valley", "Dublin City Council": an English noun that the gazetteer knows
        as a small town, written beside other capitalised words it does not make a known name with, is a
        word of that longer name (a street's, an organisation's), not the town. Countries, regions and big
        towns are kept ("China Daily", "Texas Rangers", "Toronto Police": WordNet lists them as nouns too)."""
        if len(m.span) != 1:
            return False
        token = m.span[0]
        if token.lower_ not in self.english_nouns or (token.ent_type_ in TOPONYM_LABELS and is_whole_entity(m.span)):
            return False
        if min(e.level for e in m.candidates) <= 2 or max(e.population for e in m.candidates) >= BIG_TOWN:
            return False
        doc = token.doc
        beside = [doc[token.i - 1]] if token.i > 0 and not token.is_sent_start else []
        beside += [doc[token.i + 1]] if token.i + 1 < len(doc) else []
        # "In Euclid," does not count: a capitalised stop word or a sentence's first word is no name's word.
        if any(capitalised(w) and w.is_alpha and not w.is_stop and not w.is_sent_start for w in beside):
            return True
        # "University of California", "Institute of Technology": the head noun of a name built with "of".
        return token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "of" and capitalised(doc[token.i + 2])

    def _supported(self, m: Mention) -> bool:
        """Support for a gazetteer-only town: a locative context ("in X", "X, State", "the town of X"),
        a place in the article's own country or region, or (when not tagged as an organisation) a big town."""
        entry = m.entry
        if entry is None:
            return False
        if entry.source == "newstrace":
            return True
        if not m.embedded and (locative(m.span) or qualified_by_next(m.span, self.gazetteer)):
            return True
        if municipal(m.span) and not (len(m.span) == 1 and m.span[0].lower_ in self.english_words):
            return True  # "the Richmond Police Department", "Whitestown Town Hall", "Dublin Mayor ..."
        if len(m.span) == 1 and m.span[0].lower_ in self.english_words and entry.population < BIG_TOWN \
                and not m.in_region:
            return False  # "Police", "Court", "Wilson", "Mason": an English word or name, not the small town
        if m.focused:
            return True
        return not m.strict and (entry.level <= 2 or entry.population >= BIG_TOWN) and not m.span[0].is_sent_start

    # --- resolution ---------------------------------------------------------------------------------

    def _resolve(self, mentions: list[Mention]) -> None:
        empty: tuple[Counter, Counter] = (Counter(), Counter())
        qualifiers = self._qualifiers(mentions)
        for m in mentions:
            m.entry = self._best(m, empty)
        # A gazetteer-only town named like an English word ("Energy", "Marine") does not vote for the focus
        # unless its syntax says place: such names would otherwise make up an article's focus between them.
        focus = Focus.of([m for m in mentions if not self._word_town(m) or self._supported_by_syntax(m)])
        neighbours = Neighbours(mentions)
        times_named = Counter(m.name for m in mentions)
        for i, m in enumerate(mentions):
            countries, regions = focus.without(m.name)
            qualifier = qualifiers.get(i)
            m.entry = self._best(m, (countries, regions),
                                 _regions_of(mentions[qualifier]) if qualifier is not None else (), neighbours,
                                 times_named[m.name])
            m.in_region = bool(m.entry and m.entry.admin1 and regions.get(m.entry.admin1))
            m.foreign = bool(countries and m.entry and m.entry.source == "geonames" and m.entry.country
                             and not countries.get(m.entry.country))
            m.focused = m.in_region or \
                bool(m.entry and m.entry.country and countries.get(m.entry.country) and m.entry.population >= 5000)
        _regions_in_lists(mentions)
        # The qualifier is the region or country the town lies in: "Blakely, Georgia" is the US state.
        for i, q in qualifiers.items():
            town = mentions[i].entry
            within = [e for e in _regions_of(mentions[q]) if town is not None and _contains(e, town)]
            if within and mentions[q].entry not in within:
                region = max(within, key=lambda e: e.level)
                for other in mentions:  # and so is every other "Georgia" of the article
                    if other.name == mentions[q].name and region in other.candidates:
                        other.entry = region
        _qualified_sense_throughout(mentions, qualifiers)

    def _place_streets(self, mentions: list[Mention]) -> None:
        """Each street at the town named right after it ("Royal Street in New Orleans"), else at the town
        the article's other toponyms name most often (see :mod:`newstrace.places.streets`)."""
        town = streets.focus_town([m.entry for m in mentions if m.entry is not None and m.how != "DEMONYM"])
        for m, after in zip(mentions, [*mentions[1:], None], strict=False):
            if m.how != "STREET":
                continue
            here = after.entry if after is not None and after.entry is not None and after.entry.level >= 3 \
                and after.how != "STREET" and _qualifier_between(m.span, after.span) else town
            m.entry = streets.placed(m.name, here) if here is not None else None

    def _qualifiers(self, mentions: list[Mention]) -> dict[int, int]:
        """ "Alexandria, La.", "Pandi, Bulacan", "Tripoli in northern Lebanon": mention index → the index
        of the country or region that follows it."""
        out = {}
        for i, (m, after) in enumerate(itertools.pairwise(mentions)):
            if m.how != "DEMONYM" and after.how != "DEMONYM" and _qualifier_between(m.span, after.span) \
                    and any(e.level in (1, 2) for e in after.candidates):
                out[i] = i + 1
        return out

    def _best(self, m: Mention, focus: tuple[Counter, Counter], qualifier: Sequence[GazetteerEntry] = (),
              neighbours: Neighbours | None = None, times_named: int = 1) -> GazetteerEntry | None:
        if not m.candidates:
            return None
        name = m.name.title() if m.name.isupper() and len(m.name) > 3 else m.name  # datelines: "WASHINGTON"
        if m.how == "COUNTY":
            name = f"{name} County"
        capital_country = self.gazetteer.capital_of.get(name)
        if capital_country and not focus[0].get(capital_country) and any(
                e.level >= 3 and e.country != capital_country and _main_name(e, name)
                and e.admin1 and focus[1].get(e.admin1) for e in m.candidates):
            # "Dublin Arts Council" in a story that names Ohio and not Ireland: a namesake town in a region the
            # article names competes with the capital on size and focus alone.
            capital_country = None

        # Neighbours choose between towns and districts only: not for a name that may be a country or region
        # ("Mexico", "New Brunswick"), nor for a town listed under an alternate name ("Washington" for South River).
        by_neighbours = neighbours is not None and len(m.candidates) > 1 and min(e.level for e in m.candidates) >= 3

        # A town listed under an alternate name ("Venice" for a US city) gives way to towns of that very name.
        some_main = any(e.source == "geonames" and _main_name(e, name) for e in m.candidates)

        def score(entry: GazetteerEntry) -> float:
            main = _main_name(entry, name)
            near = neighbours.count(entry, m.name) if by_neighbours and main else 0
            alternate = some_main and entry.source == "geonames" and not main
            return _score(entry, focus, qualifier, capital_country) + BONUS_NEIGHBOUR * min(near, NEIGHBOUR_CAP) \
                - (PENALTY_ALTERNATE if alternate else 0.0)
        best = max(m.candidates, key=score)
        if best.source == "countries" and focus[0] and not focus[0].get(best.country):
            # "Georgia" in a story that names only US places is the state, "Palestine" in one about East
            # Texas the town: a country the article does not otherwise name gives way to a region of that
            # name in a country it names at least twice, or to a town in a region it names at least twice
            # and at least as often as the name itself ("China" named ten times in a story on trade that
            # mentions Houston, Texas, is the country).
            least = max(2, times_named)
            home = [e for e in m.candidates if (e.source == "admin1" and focus[0].get(e.country, 0) >= least)
                    or (e.level >= 3 and e.admin1 and focus[1].get(e.admin1, 0) >= least)]
            if home:
                best = max(home, key=score)
        if best.level not in (2, 3):
            return best
        # Only a town of that very name ("Kharkiv"; "New York City" for "New York"): "D.C." is the District.
        return _namesake_town(best, [e for e in m.candidates if _main_name(e, name) or e.name == f"{name} City"])

    def _record(self, doc: Doc, m: Mention, place_id: str) -> Place:
        text_span = span_of(m.span)
        entry = m.entry
        return Place(
            id=place_id, span=text_span,
            sentence=sentence_span(m.span[0]),
            name=entry.name if entry else text_span.text,
            country=entry.country if entry else None,
            lat=_round(entry.lat) if entry else None, lon=_round(entry.lon) if entry else None,
            geonames_id=entry.geonames_id if entry else None,
            feature_class=entry.feature_class if entry else None,
            gazetteer=("demonym" if m.how == "DEMONYM" else entry.source) if entry else "",
        )


def _coordinated_with_places(judged: list[tuple[Mention, bool]]) -> list[tuple[Mention, bool]]:
    """ "in Cairo and Alexandria", "Toowoomba and Wagga Wagga": a known name coordinated with a confident
    toponym is one too, even where the small model read it as a person."""
    confident = {i for m, ok in judged if ok and m.candidates and not m.needs_support
                 for i in range(m.span.start, m.span.end)}
    out = []
    for m, ok in judged:
        if not ok and m.how == "GAZ" and m.candidates and is_whole_entity_or_none(m.span):
            root = m.span.root
            partners = [root.head] if root.dep_ == "conj" else []
            partners += [c for c in root.children if c.dep_ == "conj"]
            ok = any(p.i in confident for p in partners)
        out.append((m, ok))
    return out


def _one_sense_per_discourse(judged: list[tuple[Mention, bool]], person_words: frozenset[str],
                             organisations: set[str]) -> list[Mention]:
    """The mentions kept, with a name rejected in one place (the small model read "Alexandria woman" as a
    person) kept where the same name is a confident toponym elsewhere in the article and never part of a
    person's full name nor an organisation's name ("the White House" is a place only where the syntax says so)."""
    confident = {m.name for m, ok in judged if ok and not m.needs_support and m.candidates} - person_words - organisations
    return [m for m, ok in judged
            if ok or (m.how == "GAZ" and m.name in confident and m.candidates and is_whole_entity_or_none(m.span))]


def _qualified_sense_throughout(mentions: list[Mention], qualifiers: dict[int, int]) -> None:
    """ "SPRINGFIELD, Ill. — ... the (Springfield) State Journal-Register": a town that the article once
    places with its region is that town at every other, unqualified mention of its name."""
    placed: dict[str, GazetteerEntry] = {}
    for i, q in qualifiers.items():
        town = mentions[i].entry
        if town is not None and town.level >= 3 and any(_contains(e, town) for e in _regions_of(mentions[q])):
            placed.setdefault(_sense_key(mentions[i].name), town)
    for i, m in enumerate(mentions):
        town = placed.get(_sense_key(m.name))
        if town is not None and i not in qualifiers and m.entry is not town and town in m.candidates:
            m.entry = town


def _sense_key(name: str) -> str:
    """ "SPRINGFIELD" (a dateline) and "Springfield" are one name."""
    return name.title() if name.isupper() else name


def _regions_in_lists(mentions: list[Mention]) -> None:
    """ "Michigan, Oregon, New York and Ohio", "New Jersey and New York", "New York state": a name that may
    be a first-level region or its namesake town is the region when listed beside regions of the same
    country, or when "state" follows it."""
    for i, m in enumerate(mentions):
        if m.entry is None or m.entry.level == 2 or m.how == "DEMONYM":
            continue
        regions = [e for e in m.candidates if e.source == "admin1"]
        if not regions:
            continue
        doc = m.span.doc
        if m.span.end < len(doc) and doc[m.span.end].lower_ == "state" and \
                (m.span.end + 1 == len(doc) or not doc[m.span.end + 1].text[:1].isupper()):
            m.entry = max(regions, key=lambda e: (e.country == m.entry.country, e.population))
            continue
        listed = [n.entry for n in (mentions[i - 1] if i else None, mentions[i + 1] if i + 1 < len(mentions) else None)
                  if n is not None and n.entry is not None and n.entry.source == "admin1" and _listed_beside(m.span, n.span)]
        same = [e for e in regions if any(e.country == other.country for other in listed)]
        if same:
            m.entry = max(same, key=lambda e: e.population)


def _listed_beside(a: SpacySpan, b: SpacySpan) -> bool:
    """Whether only a comma, "and" or "or" stand between two names."""
    first, second = (a, b) if a.start < b.start else (b, a)
    between = lower_words(a.doc)[first.end:second.start]
    return between in ([","], ["and"], ["or"], [",", "and"], [",", "or"], ["&"])


def _qualifier_between(span: SpacySpan, after: SpacySpan) -> bool:
    """Whether only ", " or "in" (and a compass adjective) stand between a place and the next one."""
    between = lower_words(span.doc)[span.end:after.start]
    if between == [","]:
        return True
    return bool(between) and between[0] == "in" and all(w in COMPASS_WORDS for w in between[1:])


def _regions_of(m: Mention) -> list[GazetteerEntry]:
    """The countries and first-level regions a qualifying name ("Georgia", "La.") may be."""
    return [e for e in m.candidates if e.level in (1, 2)]


def _contains(region: GazetteerEntry, place: GazetteerEntry) -> bool:
    """Whether ``place`` lies in ``region`` (a country or first-level region)."""
    if region is place:
        return False
    return place.admin1 == region.admin1 if region.level == 2 else place.country == region.country


def _score(entry: GazetteerEntry, focus: tuple[Counter, Counter], qualifier: Sequence[GazetteerEntry],
           capital_country: str | None) -> float:
    """How plausible ``entry`` is: its size (log population), then agreement with its qualifier
    ("X, State"), with the article's countries and regions, and being a country or that country's capital."""
    countries, regions = focus
    score = math.log10(entry.population + 10)
    if entry.source == "newstrace":
        score += BONUS_OWN
    if any(_contains(region, entry) for region in qualifier):
        score += BONUS_QUALIFIED
    if entry.country and countries.get(entry.country):
        score += BONUS_FOCUS_COUNTRY
    if entry.admin1 and regions.get(entry.admin1):
        # One other name in a region ("New York" beside "Boston") is weak evidence; several are strong.
        score += BONUS_FOCUS_REGION * min(1.0, regions[entry.admin1] / FOCUS_REGION_FULL_AT)
    if entry.source == "countries":
        score += BONUS_COUNTRY
    if entry.source == "admin1":
        score += BONUS_REGION
    if capital_country and entry.country == capital_country and entry.source == "geonames":
        score += BONUS_CAPITAL
    return score


def _main_name(entry: GazetteerEntry, name: str) -> bool:
    """Whether ``name`` is the entry's own name (or its ASCII folding, or the name with "St." for "Saint"),
    not one of its alternate names."""
    return entry.name == name or ascii_fold(entry.name) == name or _unabbreviated(name) == _unabbreviated(entry.name)


def _unabbreviated(name: str) -> str:
    """ "St. Petersburg" → "Saint Petersburg", "Ft. Worth" → "Fort Worth": the press abbreviates these words
    where GeoNames spells them out, or the other way round."""
    first, _, rest = name.partition(" ")
    return f"{ABBREVIATED_WORDS.get(first, first)} {rest}" if rest else name


def _namesake_town(region: GazetteerEntry, candidates: list[GazetteerEntry]) -> GazetteerEntry:
    """The town a region is named after, where it is a good share of the region; else the region."""
    towns = [e for e in candidates if e.source == "geonames" and e.admin1 == region.admin1
             and e.population >= NAMESAKE_SHARE * region.population]
    return max(towns, key=lambda e: e.population) if towns else region


def _round(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 5)


