"""Places stage: toponyms with coordinates and country, and where each event happened.

- :mod:`newstrace.places.gazetteer`: names → candidate places (our lexicon, countries, continents,
  administrative regions, GeoNames towns);
- :mod:`newstrace.places.towns`: the compiled cache of GeoNames towns;
- :mod:`newstrace.places.finder`: toponym mentions in a parsed document and their resolution;
- :mod:`newstrace.places.context`: what the syntax around a name says (place, person, longer name);
- :mod:`newstrace.places.streets`: streets, squares and bridges, placed at their town;
- :mod:`newstrace.places.locate`: the place of an event;
- :mod:`newstrace.places.importer`: rebuilds ``data/admin_regions.tsv`` (developers only).
"""

from newstrace.places.finder import PlaceFinder
from newstrace.places.gazetteer import Gazetteer, GazetteerEntry
from newstrace.places.locate import article_focus, locate_event

__all__ = ["Gazetteer", "GazetteerEntry", "PlaceFinder", "article_focus", "locate_event"]
