"""The records the actor finder works with before they become ``Actor`` records."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan

from newstrace.lexicon import Country, Office, Organization, Role


@dataclass
class Entry:
    """What a dictionary phrase can refer to."""

    kind: str  # country, adjective, capital, organization, person, title
    country: Country | None = None
    organization: Organization | None = None
    offices: tuple[Office, ...] = ()
    role: Role | None = None


@dataclass
class Candidate:
    """A mention before it is grouped into an actor."""

    span: SpacySpan
    key: tuple
    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    office: str | None = None
    wikidata: str | None = None
    known: bool = False
    how: str = "name"
    role_term: str | None = None
    code: str | None = None


@dataclass
class _Group:
    key: tuple
    candidates: list[Candidate] = field(default_factory=list)


def choose_office(offices: list[Office], date: str | None, context: set[str]) -> Office:
    """The office row an alias most likely means: held on the date, in a country the text names."""
    def score(office: Office) -> tuple:
        return (office.held_on(date) if date else False, office.country in context, office.start)
    return max(offices, key=score)


def _person_candidate(span: SpacySpan, office: Office, how: str) -> Candidate:
    return Candidate(span, ("person", office.name), office.name, "person", office.country, office.sector,
                     office.office, office.wikidata, known=True, how=how)
