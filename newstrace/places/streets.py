"""Streets, squares and bridges: named by the press, listed by no gazetteer we ship.

"Royal Street", "Hyland-Croy Road", "Commerce Dr.", "Washington Square": a capitalised name that ends in
a street word. Geoparsing gold standards (GeoWebNews, LGL) count them as toponyms. No package we use lists
streets, so each is placed at the town it lies in: the town named right after it ("Royal Street in New
Orleans", "Elm Street, Decatur"), else the town the article names most often. A street with neither is
left out. The record keeps the street's own name, the town's coordinates and country, no GeoNames id,
feature class ``R`` (roads) or ``S`` (squares, bridges), and gazetteer ``street``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newstrace.places.entry import GazetteerEntry

ROAD_WORDS = {"Street", "St.", "Avenue", "Ave.", "Road", "Rd.", "Boulevard", "Blvd.", "Lane", "Drive", "Dr.",
              "Highway", "Parkway", "Pkwy.", "Pike", "Turnpike"}
SPOT_WORDS = {"Square", "Plaza", "Bridge"}
STREET_WORDS = ROAD_WORDS | SPOT_WORDS
MAX_WORDS = 4  # words of the name before the street word


def street_spans(doc: Doc, texts: list[str]) -> list[SpacySpan]:
    """ "Royal Street", "East Elm Street", "23rd Street", "Hyland-Croy Road": capitalised (or ordinal) words
    followed by a street word, with at least one name word ("Orchard St." but not "St. Clair")."""
    out = []
    for n, text in enumerate(texts):  # token texts: making spaCy token objects for every word is slow
        if text not in STREET_WORDS or n == 0:
            continue
        token = doc[n]
        if token.is_sent_start:
            continue
        start = token.i
        while start > 0 and token.i - start < MAX_WORDS and not doc[start].is_sent_start and _name_word(doc[start - 1]):
            start -= 1
        while start < token.i and doc[start].text == "-":
            start += 1
        if start < token.i and any(t.text[:1].isupper() or _ordinal(t.text) for t in doc[start:token.i]) \
                and not _title_or_saint(doc, start, token.i):
            out.append(doc[start:token.i + 1])
    return out


PLURAL_WORDS = {"streets", "avenues", "roads", "boulevards", "lanes", "drives"}


def listed_street_spans(doc: Doc, texts: list[str]) -> list[SpacySpan]:
    """ "Bourbon and Dauphine streets", "at State and Hubbard streets": each name of a list before a plural
    street word is a street (``texts``: the token texts)."""
    out = []
    for n, text in enumerate(texts):
        if text not in PLURAL_WORDS:  # lower case: "Galaxy Lanes" is a name
            continue
        token = doc[n]
        names, i = [], token.i - 1
        # one-word names separated by "," or "and", each after a separator but the first
        while i >= 0 and doc[i].text[:1].isupper() and doc[i].is_alpha and not doc[i + 1].is_sent_start:
            names.append(doc[i:i + 1])
            if i >= 1 and doc[i - 1].text in {",", "and"}:
                i -= 2
            else:
                break
        first = names[-1].start if names else 0
        before = doc[first - 1] if first > 0 else None
        if len(names) >= 2 and not (before is not None and before.text[:1].isupper() and before.is_alpha):
            out += names
    return out


def _title_or_saint(doc: Doc, start: int, word: int) -> bool:
    """ "Reverend Dr. Smith", "Raynola St. Clair": an abbreviated street word before a capitalised word is
    a title or a saint's name."""
    after = doc[word + 1] if word + 1 < len(doc) else None
    return doc[word].text.endswith(".") and after is not None and after.text[:1].isupper() and after.is_alpha


def _name_word(token) -> bool:
    """A word that may be part of a street's name: capitalised ("Browns Bridge Road"), an ordinal ("23rd"),
    or a hyphen."""
    return (token.text[:1].isupper() and token.is_alpha and token.text not in ROAD_WORDS) \
        or _ordinal(token.text) or token.text == "-"


def _ordinal(text: str) -> bool:
    return text[:-2].isdigit() and text[-2:].lower() in {"st", "nd", "rd", "th"}


def feature_class(name: str) -> str:
    """GeoNames class of a street (``R``) or of a square or bridge (``S``)."""
    return "S" if name.split()[-1] in SPOT_WORDS else "R"


def focus_town(entries: Sequence[GazetteerEntry]) -> GazetteerEntry | None:
    """The town (or district) that the article names most often, in the country and, where it can, the
    first-level region that it names most often; a large town counts for more than a village (a street
    is likelier in New Orleans than in a hamlet)."""
    countries = Counter(e.country for e in entries if e.country)
    if not countries:
        return None
    country = countries.most_common(1)[0][0]
    towns = Counter(e for e in entries if e.level >= 3 and e.source != "street" and e.lat is not None
                    and e.country == country)
    regions = Counter(e.admin1 for e in entries if e.country == country and e.admin1)
    region = regions.most_common(1)[0][0] if regions else None
    return max(towns, key=lambda e: (e.admin1 == region, towns[e] * math.log10(e.population + 10)), default=None)


def placed(name: str, town: GazetteerEntry) -> GazetteerEntry:
    """The gazetteer entry of street ``name``: at ``town``, in its country and region."""
    return GazetteerEntry(name, town.country, town.lat, town.lon, None, feature_class(name), 0, "street", town.admin1)
