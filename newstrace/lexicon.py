"""Loading the lexicons under ``newstrace/data/``: tab-separated files written by us.

Each file's format is described in ``newstrace/data/README.md``. A malformed row is an error
naming the file and line: a silently dropped dictionary entry is a silent extraction error.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path


class LexiconError(ValueError):
    """A lexicon file does not follow its documented format."""


DATA_DIR = Path(str(resources.files("newstrace") / "data"))


def read_tsv(name: str, columns: tuple[str, ...], data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    """Rows of ``data_dir/name`` as dicts keyed by ``columns``; '#' lines are comments."""
    path = data_dir / name
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise LexiconError(f"{path}:{number}: expected {len(columns)} columns {columns}, found {len(cells)}")
        rows.append({col: cell.strip() for col, cell in zip(columns, cells, strict=True)})
    return rows


def split_multi(cell: str) -> list[str]:
    """The values of a '|'-separated cell."""
    return [part.strip() for part in cell.split("|") if part.strip()]


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    capitals: tuple[str, ...]


@dataclass(frozen=True)
class Organization:
    name: str
    aliases: tuple[str, ...]
    country: str | None
    sector: str | None
    kind: str
    wikidata: str | None


@dataclass(frozen=True)
class Office:
    """One office held by one person over a period (ISO-like date strings, end empty if current)."""

    name: str
    aliases: tuple[str, ...]
    country: str | None
    sector: str | None
    office: str
    start: str
    end: str
    wikidata: str | None

    def held_on(self, day: str | None) -> bool:
        """Whether the office was held on the ISO date ``day`` (unknown dates count as held)."""
        if not day:
            return True
        starts = self.start or "0000"
        ends = self.end or "9999"
        return starts[: len(day)] <= day and day[: len(ends)] <= ends


@dataclass(frozen=True)
class Role:
    term: str
    sector: str
    kind: str
    office: str | None
    country: str | None


@dataclass(frozen=True)
class GazetteerPlace:
    name: str
    aliases: tuple[str, ...]
    country: str | None
    lat: float
    lon: float
    feature_class: str
    geonames_id: int | None


@dataclass(frozen=True)
class Cue:
    """An attribution cue: a reporting verb, a nominal cue or a prepositional one ("according to")."""

    cue: str
    pos: str
    type: str
    certainty: str | None
    channel: str | None
    event: str | None


@dataclass(frozen=True)
class Trigger:
    """A word or lemma sequence that names a PLOVER event."""

    trigger: str
    pos: str
    type: str
    mode: str | None
    context: tuple[str, ...]
    quad: str


@dataclass(frozen=True)
class Hedge:
    """A factuality cue and the certainty and event status it sets."""

    cue: str
    kind: str
    certainty: str | None
    status: str | None
    scope: str


@dataclass
class Lexicons:
    """All dictionaries the pipeline uses, with lookup indexes built once."""

    countries: list[Country]
    organizations: list[Organization]
    offices: list[Office]
    roles: list[Role]
    places: list[GazetteerPlace]
    cues: list[Cue] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    hedges: list[Hedge] = field(default_factory=list)
    country_by_code: dict[str, Country] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.country_by_code = {c.code: c for c in self.countries}


def _opt(cell: str) -> str | None:
    return cell or None


def load_countries(data_dir: Path = DATA_DIR) -> list[Country]:
    """Countries with their names, adjectives and capitals."""
    rows = read_tsv("countries.tsv", ("code", "name", "aliases", "adjectives", "capitals"), data_dir)
    return [Country(r["code"], r["name"], tuple(split_multi(r["aliases"])), tuple(split_multi(r["adjectives"])),
                    tuple(split_multi(r["capitals"]))) for r in rows]


def load_organizations(data_dir: Path = DATA_DIR) -> list[Organization]:
    """Named organisations: IGOs, armed groups, parties, state institutions."""
    rows = read_tsv("organizations.tsv", ("name", "aliases", "country", "sector", "kind", "wikidata"), data_dir)
    return [Organization(r["name"], tuple(split_multi(r["aliases"])), _opt(r["country"]), _opt(r["sector"]),
                         r["kind"] or "organization", _opt(r["wikidata"])) for r in rows]


def load_offices(data_dir: Path = DATA_DIR) -> list[Office]:
    """People and the offices they held, date-bounded."""
    cols = ("name", "aliases", "country", "sector", "office", "start", "end", "wikidata")
    return [Office(r["name"], tuple(split_multi(r["aliases"])), _opt(r["country"]), _opt(r["sector"]), r["office"],
                   r["start"], r["end"], _opt(r["wikidata"])) for r in read_tsv("people.tsv", cols, data_dir)]


def load_roles(data_dir: Path = DATA_DIR) -> list[Role]:
    """Role nouns and titles that imply a sector."""
    rows = read_tsv("roles.tsv", ("term", "sector", "kind", "office", "country"), data_dir)
    return [Role(r["term"], r["sector"], r["kind"] or "group", _opt(r["office"]), _opt(r["country"])) for r in rows]


def load_places(data_dir: Path = DATA_DIR) -> list[GazetteerPlace]:
    """Our gazetteer of zones, districts, bases and disputed places."""
    cols = ("name", "aliases", "country", "lat", "lon", "feature_class", "geonames_id")
    places = []
    for r in read_tsv("places.tsv", cols, data_dir):
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
        except ValueError as exc:
            raise LexiconError(f"places.tsv: bad coordinates for {r['name']!r}: {r['lat']}, {r['lon']}") from exc
        places.append(GazetteerPlace(r["name"], tuple(split_multi(r["aliases"])), _opt(r["country"]), lat, lon,
                                     r["feature_class"] or "L", int(r["geonames_id"]) if r["geonames_id"] else None))
    return places


def load_cues(data_dir: Path = DATA_DIR) -> list[Cue]:
    """Attribution cues with their type, implied certainty, channel and the event they constitute."""
    rows = read_tsv("cues.tsv", ("cue", "pos", "type", "certainty", "channel", "events"), data_dir)
    return [Cue(r["cue"], r["pos"], r["type"], _opt(r["certainty"]), _opt(r["channel"]), _opt(r["events"]))
            for r in rows]


def load_triggers(data_dir: Path = DATA_DIR) -> list[Trigger]:
    """PLOVER event triggers."""
    rows = read_tsv("events.tsv", ("trigger", "pos", "type", "mode", "context", "quad"), data_dir)
    return [Trigger(r["trigger"], r["pos"], r["type"], _opt(r["mode"].split("|")[0] if r["mode"] else ""),
                    tuple(split_multi(r["context"])), r["quad"]) for r in rows]


def load_hedges(data_dir: Path = DATA_DIR) -> list[Hedge]:
    """Factuality cues: hedges, modals, negation, conditions, futures, denials, evidentials."""
    rows = read_tsv("hedges.tsv", ("cue", "kind", "certainty", "status", "scope"), data_dir)
    return [Hedge(r["cue"], r["kind"], _opt(r["certainty"]), _opt(r["status"]), r["scope"]) for r in rows]


@functools.lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    """Every lexicon, read once per process."""
    return Lexicons(load_countries(), load_organizations(), load_offices(), load_roles(), load_places(),
                    load_cues(), load_triggers(), load_hedges())
