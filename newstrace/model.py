"""The newstrace data model: one typed, JSON-serialisable record per extracted item.

Every extracted item carries character offsets into ``Document.text`` (``Span``, end exclusive)
and the span of the sentence it came from, so that any output can be checked against its source.
Bump ``SCHEMA_VERSION`` whenever a field is added, renamed or changes meaning, and regenerate
``docs/schema.json`` (``newstrace schema > docs/schema.json``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from newstrace.actor_codes import record_code

SCHEMA_VERSION = "1.4.0"

Sector = str  # PLOVER sector code: GOV, MIL, REB, LEG, JUD, PTY, CVL, MED, BUS, IGO, SPY, COP, ...
ActorKind = Literal["person", "organization", "state", "group"]
Precision = Literal["time", "day", "week", "month", "season", "quarter", "year", "decade", "century", "ref", "duration", "set"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]
StatementKind = Literal["direct", "indirect", "mixed", "partial"]
Channel = Literal["tweet", "statement", "interview", "press conference", "TV", "letter", "unknown"]
Certainty = Literal["certain", "probable", "possible", "doubtful"]
EventStatus = Literal["asserted", "reported", "alleged", "planned", "denied", "negated", "hypothetical"]
# "unclaimed": the text says no one has claimed the event ("No group has claimed responsibility").
ResponsibilityKind = Literal["claimed", "blamed", "denied", "unclaimed"]
PloverType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Record):
    """A stretch of the document text: ``text == document.text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Mention(Span):
    """One occurrence of an actor in the text, with the sentence it sits in."""

    sentence: Span
    how: str = Field("", description="how the mention was linked to its actor: name, alias, title, coref, role, ...")


class Document(_Record):
    id: str = Field(description="sha256 of the NFC-normalised text with whitespace runs collapsed, first 16 hex digits")
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = Field(None, description="ISO date YYYY-MM-DD")
    published_inferred: bool = Field(False, description="true when the date was read from the text")
    input_id: str | None = Field(None, description="the id given with the input (jsonl), if any")


class Actor(_Record):
    id: str
    name: str
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 or PLOVER IGO code (UNO, EUR, IGO, ...)")
    sector: Sector | None = None
    code: str | None = Field(
        None, description="CAMEO-style actor code: country (or IGO/NGO/IMG prefix) and role codes, e.g. USAGOV, "
        "PSEREB, IGOUNO, IGOMEAARL, '---LEG' when the country is unknown; a state named by its name is its bare "
        "country code (POL). Filled from country and sector when not given.")
    kind: ActorKind
    office: str | None = Field(None, description="office held at the document date, when known")
    mentions: list[Mention] = Field(default_factory=list)
    wikidata: str | None = None
    known: bool = Field(False, description="true when the actor was found in newstrace's dictionaries")

    @model_validator(mode="after")
    def _fill_code(self) -> Actor:
        """Actors made elsewhere (events, older stores) get a code from their country and sector."""
        if self.code is None:
            self.code = record_code(self.country, self.sector, self.kind)
        return self


class TimeExpr(_Record):
    id: str
    span: Span
    sentence: Span
    value: str = Field(description="TimeML-style value: 2020-01-03, 2020-01, 2020-W02, P3D, PAST_REF, ...")
    precision: Precision
    type: TimeType
    anchored: bool = Field(False, description="true when the value was computed from the publication date")


class Place(_Record):
    id: str
    span: Span
    sentence: Span
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    feature_class: str | None = Field(None, description="GeoNames feature class: A, P, S, L, T, H, ...")
    gazetteer: str = Field("", description="which gazetteer resolved it")


class Statement(_Record):
    id: str
    speaker: str | None = Field(None, description="actor id")
    speaker_span: Span | None = None
    cue: Span | None = None
    content: Span
    kind: StatementKind
    channel: Channel = "unknown"
    date: str | None = None
    addressee: str | None = Field(None, description="actor id")
    certainty: Certainty = "certain"
    hedges: list[Span] = Field(default_factory=list)
    sentence: Span


class Counts(_Record):
    killed: int | None = None
    injured: int | None = None
    arrested: int | None = None


# How a mention joined its incident (docs/events.md, "Incidents"): "main" is the mention whose trigger and
# sentence the event shows; the others are read as the same real-world event.
# "requested": an act the event (a REQUEST) asks for ("called for a ceasefire"), kept as what is requested;
# "content": an act the event (AGREE, THREATEN, REJECT) agrees to, threatens or refuses ("agreed to resign").
MentionLink = Literal["main", "same-sentence", "reference", "consequence", "headline", "requested", "content"]


class EventMention(Span):
    """One mention of an incident in the document: its trigger, its sentence, and what it says by itself."""

    sentence: Span
    type: PloverType
    mode: str | None = None
    status: EventStatus = "asserted"
    statement: str | None = Field(None, description="id of the statement that reports this mention")
    source: list[str] = Field(default_factory=list, description="actor ids this mention names as source")
    target: list[str] = Field(default_factory=list, description="actor ids this mention names as target")
    counts: Counts | None = None
    how: MentionLink = "main"


class Event(_Record):
    """One incident: a real-world event, with every mention of it in the document. Its fields merge what
    the mentions say; ``trigger`` and ``sentence`` are those of its main (most informative) mention."""

    id: str
    type: PloverType
    mode: str | None = None
    subtype: str | None = Field(None, description="ACLED sub-event type (docs/events.md, Sub-event types)")
    context: list[str] = Field(default_factory=list)
    trigger: Span
    sentence: Span
    source: list[str] = Field(default_factory=list, description="actor ids (PLOVER actor)")
    target: list[str] = Field(default_factory=list, description="actor ids (PLOVER recipient)")
    date: str | None = None
    time: str | None = Field(None, description="id of the TimeExpr the date comes from")
    location: str | None = Field(None, description="place id")
    status: EventStatus = "asserted"
    statement: str | None = Field(None, description="id of the statement that reports it")
    confidence: float = 0.5
    counts: Counts | None = Field(None, description="the highest figure any mention gives, per field")
    mentions: list[EventMention] = Field(default_factory=list, description="every mention of the incident, in text order")


class Responsibility(_Record):
    id: str
    event: str
    kind: ResponsibilityKind
    responsible: list[str] = Field(default_factory=list, description="actor ids")
    claimant: str | None = Field(None, description="actor id of who makes the claim or blame")
    backers: list[str] = Field(default_factory=list, description="actor ids said to back the responsible ones")
    alleged: bool = False
    evidence: Span
    sentence: Span


class Report(_Record):
    """One event record of one document, as a report of a story, with the sentence it came from."""

    document: str
    event: str
    status: EventStatus
    outlet: str | None = None
    title: str | None = None
    trigger: str | None = None
    date: str | None = None
    place: str | None = None
    killed: int | None = None
    injured: int | None = None
    sentence: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None


class Claim(_Record):
    """Who claims, is blamed for, or denies a story's event, in one report, with the evidence text."""

    document: str
    event: str
    kind: ResponsibilityKind
    responsible: list[str] = Field(default_factory=list, description="actor names")
    responsible_keys: list[str] = Field(default_factory=list, description="cross-document actor keys")
    claimant: str | None = None
    alleged: bool = False
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None


class DisagreementValue(_Record):
    """One side of a disagreement: a value and the reports (``doc:event (outlet), per claimant``) giving it."""

    value: str
    reports: list[str] = Field(default_factory=list)


class Disagreement(_Record):
    """Reports of one story that contradict each other on one point."""

    kind: Literal["perpetrator", "denial", "casualties", "date", "place", "status"]
    field: str | None = Field(None, description="for casualties: killed or injured")
    summary: str
    values: list[DisagreementValue] = Field(default_factory=list)


class Story(_Record):
    """One real-world event reported by one or more documents (written by ``newstrace link``)."""

    id: str
    type: PloverType
    mode: str | None = None
    summary: str | None = Field(None, description="the first report's sentence, as a caption")
    actors: list[str] = Field(default_factory=list, description="actor names, most reported first")
    actor_keys: list[str] = Field(default_factory=list, description="country codes and cross-document actor keys")
    date_from: str | None = None
    date_to: str | None = None
    best_date: str | None = Field(None, description="the day most reports give (ties: the earliest)")
    place: str | None = None
    place_country: str | None = None
    lat: float | None = None
    lon: float | None = None
    n_reports: int = 0
    n_articles: int = 0
    n_outlets: int = 0
    killed: int | None = Field(None, description="conservative aggregate: the lowest figure reported")
    killed_max: int | None = None
    injured: int | None = Field(None, description="conservative aggregate: the lowest figure reported")
    injured_max: int | None = None
    disputed: bool = False
    reports: list[Report] = Field(default_factory=list)
    responsibility: list[Claim] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)


class Analysis(_Record):
    """Everything newstrace reads out of one document."""

    schema_version: str = SCHEMA_VERSION
    document: Document
    actors: list[Actor] = Field(default_factory=list)
    times: list[TimeExpr] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    responsibility: list[Responsibility] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict, description="seconds per stage")

    def actor(self, actor_id: str | None) -> Actor | None:
        """The actor with this id, or None."""
        return next((a for a in self.actors if a.id == actor_id), None)


def json_schema() -> dict:
    """The JSON Schema of an ``Analysis``, with ``Story`` under ``$defs`` (published as docs/schema.json)."""
    schema = Analysis.model_json_schema()
    # stories are not part of one document's analysis, but they share the versioned schema
    story = Story.model_json_schema()
    schema.setdefault("$defs", {}).update(story.pop("$defs", {}))
    schema["$defs"]["Story"] = story
    schema["$id"] = f"https://newstrace.example/schema/{SCHEMA_VERSION}/analysis.json"
    schema["title"] = "newstrace Analysis"
    return schema
