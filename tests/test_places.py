"""Places on sentences written for these tests: gazetteers, disambiguation and provenance."""

from __future__ import annotations

import math


def _km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def _place(analysis, text):
    found = [p for p in analysis.places if p.span.text == text]
    assert found, f"no place {text!r} in {[p.span.text for p in analysis.places]}"
    return found[0]


def test_tripoli_beside_libya_is_in_libya(pipeline):
    a = pipeline.analyze("Fighting in Libya spread to Tripoli on Friday.", published="2019-04-12")
    tripoli = _place(a, "Tripoli")
    assert tripoli.country == "LBY"
    b = pipeline.analyze("Rockets hit Tripoli in northern Lebanon.", published="2019-04-12")
    assert _place(b, "Tripoli").country == "LBN"


def test_our_gazetteer_knows_zones_and_disputed_places(pipeline):
    a = pipeline.analyze("Shelling hit the Gaza Strip and the Golan Heights.", published="2023-10-10")
    gaza = _place(a, "Gaza Strip")
    assert gaza.country == "PSE" and _km(gaza.lat, gaza.lon, 31.4, 34.4) < 40
    assert _place(a, "Golan Heights").country == "SYR"


def test_city_has_geonames_id_and_coordinates(pipeline):
    a = pipeline.analyze("Delegates gathered in Geneva.", published="2023-01-01")
    geneva = _place(a, "Geneva")
    assert geneva.country == "CHE" and geneva.geonames_id == 2660646
    assert _km(geneva.lat, geneva.lon, 46.2, 6.15) < 10


def test_dateline_in_capitals_resolves(pipeline):
    a = pipeline.analyze("NAIROBI, June 3 — Talks opened in the Kenyan capital.", published="2023-06-03")
    assert _place(a, "NAIROBI").country == "KEN"


def test_us_states_and_ap_abbreviations_resolve(pipeline):
    a = pipeline.analyze("Floods hit Fargo, N.D., and towns across Minnesota.", published="2011-04-01")
    assert _place(a, "N.D.").name == "North Dakota"
    minnesota = _place(a, "Minnesota")
    assert minnesota.country == "USA" and _km(minnesota.lat, minnesota.lon, 46.3, -94.3) < 161
    assert _place(a, "Fargo").country == "USA"
