"""One candidate place for a name (shared by the gazetteer and its compiled caches)."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = {"continents": 0, "countries": 1, "admin1": 2, "admin2": 3}  # any other source: 4


@dataclass(frozen=True)
class GazetteerEntry:
    """One candidate place for a name."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    feature_class: str
    population: int
    source: str  # newstrace, countries, continents, admin1, admin2, geonames (towns)
    admin1: str = ""  # GeoNames admin-1 code "CC.code", where known

    @property
    def level(self) -> int:
        """How specific the place is: 0 continent, 1 country, 2 region, 3 district, 4 town or spot."""
        return LEVELS.get(self.source, 4)
