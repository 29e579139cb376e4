"""Checking the filters a user sends (API query parameters, page forms) before any query runs.

One function, ``validate_filters``, shared by the JSON API (which answers 422 with ``{"detail": message}``)
and the web pages (which show each message next to its field): a malformed date, an unknown event type,
status, sector, channel or certainty is the caller's error, never a silent "0 events".

Contract (kept stable; other modules rely on it):

- ``validate_filters(**filters) -> dict[str, str | None]``: keyword arguments only; every value a string
  or None. Known names are checked and normalised (``since``/``until`` stripped; ``type`` and ``sector``
  upper-cased; ``status``, ``channel`` and ``certainty`` lower-cased); ``type`` and ``status`` may list
  several values separated by commas (``asserted,reported``). Empty strings become None. Other names
  (``actor``, ``place``, ``speaker``, ...) pass through stripped, unchecked.
- On any error it raises ``FilterError`` (a ``ValueError``) with ``errors``: field name → message, and
  ``str(error)``: every message joined by "; " (what the API puts in ``detail``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from newstrace.model import Certainty, Channel, EventStatus, PloverType

EVENT_TYPES: tuple[str, ...] = PloverType.__args__
EVENT_STATUSES: tuple[str, ...] = EventStatus.__args__
# Statuses that say the event happened; the charts count only these unless asked for every status.
FACTUAL_STATUSES: tuple[str, ...] = ("asserted", "reported")
CHANNELS: tuple[str, ...] = Channel.__args__
CERTAINTIES: tuple[str, ...] = Certainty.__args__
# PLOVER sector codes as the lexicons use them (see the headers of newstrace/data/organizations.tsv and roles.tsv).
SECTORS: tuple[str, ...] = ("BUS", "COP", "CRM", "CVL", "EDU", "ELI", "GOV", "IGO", "JRN", "JUD", "LAB", "LEG", "MED",
                            "MIL", "NGO", "OPP", "PRM", "PTY", "REB", "REF", "REL", "SPY", "UAF")
DATE_FIELDS = ("since", "until")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class FilterError(ValueError):
    """One or more malformed filters. ``errors`` maps each field to a message a user can act on."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))

    @property
    def field(self) -> str:
        """The first field in error."""
        return next(iter(self.errors))


def check_date(field: str, value: str) -> str:
    """``value`` if it is a real date as YYYY-MM-DD, YYYY-MM or YYYY; ValueError with a message otherwise."""
    match = _PARTIAL_DATE.fullmatch(value)
    try:
        if not match:
            raise ValueError
        year, month, day = (int(g) if g else 1 for g in match.groups())
        dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{field}: {value!r} is not a date; use YYYY-MM-DD (or YYYY-MM, YYYY)") from None
    return value


def _check_choice(field: str, value: str, allowed: Iterable[str], what: str) -> str:
    choices = tuple(allowed)
    wanted = [v.strip() for v in value.split(",")] if field in ("type", "status") else [value]
    bad = [v for v in wanted if v not in choices]
    if bad or not wanted:
        raise ValueError(f"{field}: {', '.join(repr(b) for b in bad) or repr(value)} is not {what}; "
                         f"use one of {', '.join(choices)}")
    return ",".join(wanted)


_CHOICES = {
    "type": (EVENT_TYPES, "a PLOVER event type", str.upper),
    "status": (EVENT_STATUSES, "an event status", str.lower),
    "sector": (SECTORS, "a PLOVER sector code", str.upper),
    "channel": (CHANNELS, "a statement channel", str.lower),
    "certainty": (CERTAINTIES, "a certainty level", str.lower),
}


def validate_filters(**filters: str | None) -> dict[str, str | None]:
    """The filters, checked and normalised (see the module docstring); FilterError naming every bad one."""
    out: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for field, raw in filters.items():
        value = raw.strip() if isinstance(raw, str) else raw
        if value in ("", None):
            out[field] = None
            continue
        if not isinstance(value, str):
            value = str(value)
        try:
            if field in DATE_FIELDS:
                value = check_date(field, value)
            elif field in _CHOICES:
                allowed, what, normalise = _CHOICES[field]
                value = _check_choice(field, normalise(value), allowed, what)
        except ValueError as exc:
            errors[field] = str(exc)
        out[field] = value
    since, until = out.get("since"), out.get("until")
    if since and until and not errors.keys() & set(DATE_FIELDS) and since > until + "~":
        errors["until"] = f"until: {until} is before since ({since})"
    if errors:
        raise FilterError(errors)
    return out


def first_day(value: str | None) -> str | None:
    """The first day a partial date covers (2024-03 → 2024-03-01), for filters that need a whole date."""
    if not value:
        return None
    year, month, day = [*value.split("-"), "01", "01"][:3]
    return f"{year}-{month}-{day}"


def last_day(value: str | None) -> str | None:
    """The last day a partial date covers (2024-02 → 2024-02-29)."""
    if not value:
        return None
    parts = value.split("-")
    if len(parts) == 3:
        return value
    year = int(parts[0])
    month = int(parts[1]) if len(parts) == 2 else 12
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).isoformat()
