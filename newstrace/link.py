"""Cross-document linking: the event records of all documents grouped into stories, one real-world
event each (``newstrace link``).

Three steps, each cheap enough to keep the cost linear in the number of events:

1. **Blocking.** An event is compared only with events of the same PLOVER type that share an actor,
   a place or a trigger class and whose dates can be the same day. Dates are bucketed by their
   precision: a day-precise date falls in week buckets (±2 days), a month-precise date in a month
   bucket and a year in a year bucket; a finer date also visits the coarser buckets, as a guest
   that pairs with the natives there only. A bucket larger than ``MAX_BLOCK`` compares each event
   with its ``WINDOW`` nearest neighbours in time, never all pairs.
2. **Scoring.** A pair scores in [0, 1] from the sentence-embedding similarity, the trigger class,
   the actors, the place distance and the date gap (``pair_score``). Precise dates more than a week
   apart forbid the link outright.
3. **Clustering.** Average linkage over the scored pairs (``clustering.average_link``): two groups
   merge only while their average pair score stays above ``THRESHOLD``, so one weak link cannot
   chain two events together.

Linking is incremental: only events without a story are read, compared with the stored events of
their blocks, and either join an existing story or start new ones. Stories already stored are not
merged with each other; ``rebuild=True`` re-links everything.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from newstrace.clustering import average_link
from newstrace.lexicon import read_tsv, split_multi
from newstrace.store import Store
from newstrace.stories import refresh_stories

THRESHOLD = 0.62
MAX_BLOCK = 200
WINDOW = 40
DATE_TOLERANCE_DAYS = 2
CANNOT_LINK_DAYS = 7
NEAR_KM = 50.0
WEIGHTS = {"text": 0.30, "trigger": 0.20, "actors": 0.15, "place": 0.20, "date": 0.15}
DOC_DATE_WINDOW_DAYS = 7  # an event with no date of its own happened within a week before publication


# --------------------------------------------------------------------------- trigger classes


@dataclass(frozen=True)
class TriggerLexicon:
    """Words that name the same happening, mapped to one class (``data/event_lemmas.tsv``)."""

    classes: dict[str, str]
    reporting: frozenset[str]


@functools.lru_cache(maxsize=1)
def trigger_lexicon() -> TriggerLexicon:
    """The trigger equivalence classes, loaded once."""
    classes: dict[str, str] = {}
    reporting = set()
    for row in read_tsv("event_lemmas.tsv", ("canonical", "variants", "reporting")):
        canonical = row["canonical"]
        for word in [canonical, *split_multi(row["variants"])]:
            if classes.get(word, canonical) != canonical:
                raise ValueError(f"event_lemmas.tsv: {word!r} is in two classes")
            classes[word] = canonical
        if row["reporting"] == "1":
            reporting.add(canonical)
    return TriggerLexicon(classes, frozenset(reporting))


def _stems(word: str) -> list[str]:
    """The word and its plausible stems, most specific first (a light suffix stripper)."""
    out = [word]
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    for suffix in ("es", "s", "ing", "ed", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            out.append(word[: -len(suffix)])
    return out


def trigger_class(text: str) -> str:
    """The class of a trigger word or phrase: its lexicon class, else a light stem of its last word."""
    lexicon = trigger_lexicon()
    phrase = " ".join(text.lower().split())
    if phrase in lexicon.classes:
        return lexicon.classes[phrase]
    words = phrase.split() or [""]
    for word in (words[-1], words[0]):
        for stem in _stems(word):
            if stem in lexicon.classes:
                return lexicon.classes[stem]
    stems = _stems(words[-1])
    return stems[1] if len(stems) > 1 and not words[-1].endswith("ss") else stems[0]


def is_reporting(trigger: str) -> bool:
    """Whether a trigger class is a verb of saying (each outlet quotes its own speakers)."""
    return trigger in trigger_lexicon().reporting


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateWindow:
    """When an event can have happened: a closed day range and how it was known."""

    start: dt.date
    end: dt.date
    precision: str  # day | week | month | year | published

    @property
    def precise(self) -> bool:
        return self.precision == "day"


def date_window(value: str | None, published: dt.date | None) -> DateWindow | None:
    """The window of a TimeML value (2020-01-03, 2020-W01, 2020-01, 2020), else of the publication date."""
    if value:
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]) and (len(value) == 10 or value[10] == "T"):
                day = dt.date.fromisoformat(value[:10])
                return DateWindow(day, day, "day")
            if match := re.fullmatch(r"(\d{4})-W(\d{2})", value):
                start = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
                return DateWindow(start, start + dt.timedelta(days=6), "week")
            if match := re.fullmatch(r"(\d{4})-(\d{2})", value):
                start = dt.date(int(match[1]), int(match[2]), 1)
                following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
                return DateWindow(start, following - dt.timedelta(days=1), "month")
            if re.fullmatch(r"\d{4}", value):
                return DateWindow(dt.date(int(value), 1, 1), dt.date(int(value), 12, 31), "year")
        except ValueError:
            pass
    if published:
        return DateWindow(published - dt.timedelta(days=DOC_DATE_WINDOW_DAYS), published, "published")
    return None


def date_gap_days(a: DateWindow, b: DateWindow) -> int:
    """Days between two windows (0 when they overlap)."""
    if a.end < b.start:
        return (b.start - a.end).days
    if b.end < a.start:
        return (a.start - b.end).days
    return 0


def _buckets(window: DateWindow) -> tuple[list[str], list[str]]:
    """(native, guest) time buckets of a window: see the module docstring."""
    months = {f"m{d.year}-{d.month:02d}" for d in (window.start, window.end)}
    years = {f"y{d.year}" for d in (window.start, window.end)}
    if window.precision == "year":
        return sorted(years), []
    if window.precision == "month":
        return sorted(months), sorted(years)
    epoch = dt.date(1970, 1, 5)  # a Monday: bucket n holds the days of week n
    first = (window.start - dt.timedelta(days=DATE_TOLERANCE_DAYS) - epoch).days // 7
    last = (window.end + dt.timedelta(days=DATE_TOLERANCE_DAYS) - epoch).days // 7
    return [f"w{n}" for n in range(first, last + 1)], sorted(months | years)


# --------------------------------------------------------------------------- link items


@dataclass
class LinkEvent:
    """What linking knows of one event record."""

    doc_id: str
    event_id: str
    type: str
    trigger: str
    actors: frozenset[str]
    place: str | None
    lat: float | None
    lon: float | None
    window: DateWindow | None
    vector: np.ndarray | None = None
    story: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def ref(self) -> tuple[str, str]:
        return (self.doc_id, self.event_id)


def block_keys(event: LinkEvent) -> tuple[list[str], list[str]]:
    """(native, guest) blocking keys: type × (actor | place | trigger) × time bucket."""
    if event.window is None:
        return [], []
    entities = [f"a:{a}" for a in sorted(event.actors)]
    if event.place:
        entities.append(f"p:{event.place.lower()}")
    native, guest = _buckets(event.window)
    make = lambda names, buckets: [f"{event.type}|{e}|{b}" for e in names for b in buckets]  # noqa: E731
    # The trigger class is a global key (every "attack" of a week, worldwide), so it is only used to
    # find partners for events that have no actor and no place: they are its natives, all others guests.
    trigger = [f"t:{event.trigger}"]
    if not entities:
        return make(trigger, native), make(trigger, guest)
    return make(entities, native), make(entities, guest) + make(trigger, native + guest)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _place_score(a: LinkEvent, b: LinkEvent) -> float:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        if a.place and b.place:
            return 1.0 if a.place.lower() == b.place.lower() else 0.0
        return 0.5  # unknown: neither for nor against
    km = haversine_km(a.lat, a.lon, b.lat, b.lon)
    if km <= NEAR_KM:
        return 1.0
    return max(0.0, 1.0 - (km - NEAR_KM) / 250.0)


def _actor_score(a: LinkEvent, b: LinkEvent) -> float:
    if not a.actors or not b.actors:
        return 0.5
    return len(a.actors & b.actors) / len(a.actors | b.actors)


def _date_score(a: LinkEvent, b: LinkEvent) -> float:
    if a.window is None or b.window is None:
        return 0.5
    gap = date_gap_days(a.window, b.window)
    if gap <= DATE_TOLERANCE_DAYS - 1:
        return 1.0 if a.window.precise and b.window.precise else 0.8
    return max(0.0, 1.0 - gap / CANNOT_LINK_DAYS)


def cannot_link(a: LinkEvent, b: LinkEvent) -> bool:
    """Two events that cannot be one: precise dates more than a week apart, or another type."""
    if a.type != b.type:
        return True
    if a.window and b.window and a.window.precise and b.window.precise:
        return date_gap_days(a.window, b.window) > CANNOT_LINK_DAYS
    return False


def pair_score(a: LinkEvent, b: LinkEvent) -> float:
    """How likely two event records report one real-world event, in [0, 1]."""
    text = float(a.vector @ b.vector) if a.vector is not None and b.vector is not None else 0.5
    text = min(1.0, max(0.0, text))
    same_trigger = 1.0 if a.trigger == b.trigger else 0.0
    if is_reporting(a.trigger) and a.doc_id != b.doc_id and text < 0.8:
        return 0.0
    score = (WEIGHTS["text"] * text + WEIGHTS["trigger"] * same_trigger + WEIGHTS["actors"] * _actor_score(a, b)
             + WEIGHTS["place"] * _place_score(a, b) + WEIGHTS["date"] * _date_score(a, b))
    return round(score, 4)


def candidate_pairs(events: Sequence[LinkEvent], skip: Callable[[int, int], bool] | None = None) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share a block (see the module docstring)."""
    natives: dict[str, list[int]] = defaultdict(list)
    guests: dict[str, list[int]] = defaultdict(list)
    for i, event in enumerate(events):
        native, guest = block_keys(event)
        for key in native:
            natives[key].append(i)
        for key in guest:
            guests[key].append(i)
    pairs: set[tuple[int, int]] = set()

    def add(i: int, j: int) -> None:
        if i != j:
            pair = (i, j) if i < j else (j, i)
            if skip is None or not skip(*pair):
                pairs.add(pair)

    for key, members in natives.items():
        visitors = guests.get(key, [])
        everyone = members + visitors
        if len(everyone) <= MAX_BLOCK:
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    add(i, j)
                for j in visitors:
                    add(i, j)
            continue
        # a crowded bucket: neighbours in time only, which keeps the cost linear
        is_native = set(members)
        everyone.sort(key=lambda k: events[k].window.start)  # type: ignore[union-attr]
        for x, i in enumerate(everyone):
            for j in everyone[x + 1: x + 1 + WINDOW]:
                if i in is_native or j in is_native:
                    add(i, j)
    return pairs


def cluster_events(events: Sequence[LinkEvent], threshold: float = THRESHOLD) -> tuple[list[int], dict[int, float]]:
    """A cluster label per event (events with the same ``story`` start together and two stored stories
    never merge), and each event's best pair score to its cluster."""
    stories: dict[str, int] = {}
    fixed = [stories.setdefault(e.story, len(stories)) if e.story else -1 for e in events]
    both_stored = lambda i, j: events[i].story is not None and events[j].story is not None  # noqa: E731
    pairs = candidate_pairs(events, skip=both_stored)
    scored: list[tuple[int, int, float]] = []
    blocked: list[tuple[int, int]] = []
    for i, j in pairs:
        if cannot_link(events[i], events[j]):
            blocked.append((i, j))
            continue
        score = pair_score(events[i], events[j])
        if score > 0:
            scored.append((i, j, score))
    labels = average_link(len(events), scored, threshold, blocked, fixed=fixed)
    best: dict[int, float] = {}
    for i, j, score in scored:
        if labels[i] == labels[j]:
            best[i] = max(best.get(i, 0.0), score)
            best[j] = max(best.get(j, 0.0), score)
    return labels, best


# --------------------------------------------------------------------------- the store


@dataclass
class LinkSummary:
    """What one ``link`` run did."""

    events: int = 0
    joined: int = 0
    new_stories: int = 0
    touched_stories: int = 0
    stories_total: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        """The one-line report the CLI prints."""
        return (f"linked {self.events} new events: {self.joined} joined stored stories, {self.new_stories} new stories; "
                f"{self.stories_total} stories in the store ({self.seconds:.1f} s)")


Progress = Callable[[str, int, int], None]

_EVENT_COLUMNS = """e.doc_id, e.event_id, e.type, e.trigger_text, e.source, e.target, e.date, e.place_name, e.lat, e.lon,
    d.published, substr(d.text, e.sent_start + 1, e.sent_end - e.sent_start) AS sentence"""


def _actor_keys(store: Store, doc_ids: Sequence[str]) -> dict[tuple[str, str], str]:
    """A document-independent key per (document, actor id): the Wikidata id, else country + sector, else the name."""
    rows = store.con.execute(
        "SELECT doc_id, actor_id, name, country, sector, wikidata FROM actors WHERE doc_id IN (SELECT unnest(?))",
        [list(doc_ids)]).fetchall()
    keys = {}
    for doc_id, actor_id, name, country, sector, wikidata in rows:
        keys[(doc_id, actor_id)] = wikidata or (f"{country}{sector or ''}" if country else (name or actor_id).lower())
    return keys


def _link_events(store: Store, rows: list[tuple], stories: dict[tuple[str, str], str] | None = None) -> list[LinkEvent]:
    keys = _actor_keys(store, sorted({r[0] for r in rows}))
    out = []
    for doc_id, event_id, etype, trigger, source, target, date, place, lat, lon, published, sentence in rows:
        actors = frozenset(keys.get((doc_id, a), a) for a in [*(source or []), *(target or [])])
        out.append(LinkEvent(doc_id, event_id, etype, trigger_class(trigger or ""), actors, place, lat, lon,
                             date_window(date, published), story=(stories or {}).get((doc_id, event_id)),
                             extra={"sentence": sentence or trigger or ""}))
    return out


def _stored_vectors(store: Store, events: list[LinkEvent], computed: dict[tuple[str, str], np.ndarray]) -> None:
    """Attach each event's stored sentence vector, else one computed by an earlier pass of this run."""
    if not events:
        return
    refs = [e.ref for e in events]
    rows = store.con.execute(
        "SELECT v.doc_id, v.event_id, v.vector FROM (SELECT unnest(?) AS doc_id, unnest(?) AS event_id) q "
        "JOIN event_vectors v USING (doc_id, event_id)", [[r[0] for r in refs], [r[1] for r in refs]]).fetchall()
    stored = {(d, e): np.asarray(v, dtype=np.float32) for d, e, v in rows}
    for event in events:
        event.vector = stored.get(event.ref)
        if event.vector is None and event.ref in computed:
            event.vector = computed[event.ref]
            event.extra["new_vector"] = True


def _compute_vectors(events: list[LinkEvent], computed: dict[tuple[str, str], np.ndarray],
                     progress: Progress | None) -> None:
    """Embed the sentences of events still without a vector (kept in ``computed`` for a later pass)."""
    missing = [e for e in events if e.vector is None]
    if not missing:
        return
    from newstrace.embed import encode

    batch = 256
    for start in range(0, len(missing), batch):
        part = missing[start:start + batch]
        for event, vector in zip(part, encode([e.extra["sentence"] for e in part]), strict=True):
            event.vector = vector
            event.extra["new_vector"] = True
            computed[event.ref] = vector
        if progress:
            progress("embedding", min(start + batch, len(missing)), len(missing))


MAX_PASSES = 5  # link runs that can overlap one another's writes before this one gives up


class LinkConflictError(RuntimeError):
    """Other link runs kept changing the stories while this one was computing."""


def link_store(store: Store, rebuild: bool = False, progress: Progress | None = None,
               threshold: float = THRESHOLD) -> LinkSummary:
    """Link the events that have no story yet (all of them with ``rebuild``) and update the stories.

    With a store that does not hold its connection (``Store(hold=False)``), the file is open only while
    reading and while writing, not while sentences are embedded and events clustered, so ``serve`` keeps
    answering and ``ingest`` keeps writing. Events ingested meanwhile are linked by the next run. If
    another link run wrote stories in between, this run reads and clusters again (the embeddings it
    computed are kept), so that no event gets two stories.
    """
    started = time.perf_counter()
    summary = LinkSummary()
    if rebuild:
        with store.session() as con:
            con.execute("BEGIN")
            for table in ("stories", "story_reports", "link_keys"):
                con.execute(f"DELETE FROM {table}")
            con.execute("COMMIT")
    computed: dict[tuple[str, str], np.ndarray] = {}
    for _ in range(MAX_PASSES):
        summary = LinkSummary()
        clock = time.perf_counter()
        with store.session():
            new, stored, state = _read_for_linking(store, computed)
            if not new:
                summary.stories_total = store.con.execute("SELECT count(*) FROM stories").fetchone()[0]
                summary.seconds = time.perf_counter() - started
                return summary
        summary.events = len(new)
        summary.timings["read"] = time.perf_counter() - clock
        clock = time.perf_counter()
        events = stored + new
        _compute_vectors(events, computed, progress)
        summary.timings["embed"] = time.perf_counter() - clock
        clock = time.perf_counter()
        labels, best = cluster_events(events, threshold)
        summary.timings["cluster"] = time.perf_counter() - clock
        with store.session():
            if _link_state(store) != state:
                continue  # another link run wrote stories since this one read: read and cluster again
            clock = time.perf_counter()
            touched = _assign_stories(events, labels, summary)
            _write_links(store, events, best, len(stored))
            summary.timings["write"] = time.perf_counter() - clock
            clock = time.perf_counter()
            refresh_stories(store, touched, progress)
            summary.timings["stories"] = time.perf_counter() - clock
            summary.touched_stories = len(touched)
            summary.stories_total = store.con.execute("SELECT count(*) FROM stories").fetchone()[0]
        summary.seconds = time.perf_counter() - started
        return summary
    raise LinkConflictError(f"other link runs changed the stories of {store.path} {MAX_PASSES} times while this one "
                            "was computing; run `newstrace link` again")


def _read_for_linking(store: Store, computed: dict[tuple[str, str], np.ndarray],
                      ) -> tuple[list[LinkEvent], list[LinkEvent], tuple]:
    """The events without a story, the stored events of their blocks (both with the vectors at hand), and
    the state of the links they were read at."""
    state = _link_state(store)
    new_rows = store.con.execute(
        f"SELECT {_EVENT_COLUMNS} FROM events e JOIN documents d ON d.id = e.doc_id "
        "WHERE NOT EXISTS (SELECT 1 FROM story_reports r WHERE r.doc_id = e.doc_id AND r.event_id = e.event_id) "
        "ORDER BY e.doc_id, e.event_id").fetchall()
    new = _link_events(store, new_rows)
    if not new:
        return [], [], state
    stored = _stored_neighbours(store, new)
    _stored_vectors(store, stored + new, computed)
    return new, stored, state


def _link_state(store: Store) -> tuple:
    """What changes whenever a link run writes: the number of reports and the latest link time."""
    return store.con.execute("SELECT count(*), max(linked_at) FROM story_reports").fetchone()


def _stored_neighbours(store: Store, new: list[LinkEvent]) -> list[LinkEvent]:
    """Every stored member of every story that shares a blocking key with a new event."""
    keys = sorted({k for e in new for part in block_keys(e) for k in part})
    if not keys:
        return []
    story_ids = [r[0] for r in store.con.execute(
        "SELECT DISTINCT r.story_id FROM link_keys k JOIN story_reports r USING (doc_id, event_id) "
        "WHERE k.key IN (SELECT unnest(?))", [keys]).fetchall()]
    if not story_ids:
        return []
    rows = store.con.execute(
        f"SELECT {_EVENT_COLUMNS}, r.story_id FROM story_reports r "
        "JOIN events e ON e.doc_id = r.doc_id AND e.event_id = r.event_id JOIN documents d ON d.id = e.doc_id "
        "WHERE r.story_id IN (SELECT unnest(?)) ORDER BY e.doc_id, e.event_id", [story_ids]).fetchall()
    stories = {(r[0], r[1]): r[-1] for r in rows}
    return _link_events(store, [r[:-1] for r in rows], stories)


def story_id(members: Iterable[tuple[str, str]]) -> str:
    """A stable story id: a hash of its first member's reference."""
    first = min(members)
    return "S" + hashlib.sha1(f"{first[0]}:{first[1]}".encode()).hexdigest()[:12]


def _assign_stories(events: list[LinkEvent], labels: list[int], summary: LinkSummary) -> set[str]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    touched: set[str] = set()
    for members in groups.values():
        existing = {events[i].story for i in members if events[i].story}
        new_members = [i for i in members if events[i].story is None]
        if not new_members:
            continue
        if existing:
            sid = existing.pop()
            summary.joined += len(new_members)
        else:
            sid = story_id(events[i].ref for i in members)
            summary.new_stories += 1
        for i in new_members:
            events[i].story = sid
        touched.add(sid)
    return touched


def _write_links(store: Store, events: list[LinkEvent], best: dict[int, float], n_stored: int) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    reports, keys, vectors = [], [], []
    for i, event in enumerate(events):
        if i < n_stored:
            continue
        reports.append((event.story, event.doc_id, event.event_id, best.get(i), now))
        for part in block_keys(event):
            keys.extend((k, event.doc_id, event.event_id) for k in part)
        if event.extra.get("new_vector") and event.vector is not None:
            vectors.append((event.doc_id, event.event_id, event.vector.tolist()))
    store.con.execute("BEGIN")
    try:
        _insert(store, "story_reports (story_id, doc_id, event_id, score, linked_at)", reports)
        _insert(store, "link_keys", keys)
        _insert(store, "event_vectors", vectors)
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise


def _insert(store: Store, table: str, rows: list[tuple]) -> None:
    """Bulk insert as one statement of column lists (``executemany`` runs one statement per row)."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    marks = ", ".join("unnest(?)" for _ in columns)
    store.con.execute(f"INSERT INTO {table} SELECT {marks}", [list(c) for c in columns])
