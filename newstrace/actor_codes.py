"""CAMEO-style actor codes: reading them (country, sector) and writing them for our actors.

A CAMEO actor code is a 3-letter country code followed by 3-letter role codes ("USAGOV", "SDNREB",
"KGZGOVBUS"), or an international code ("IGOUNO", "IGOMEAARL" for the Arab League, "NGO", "IMGMUSALQ").
Our records keep ``country`` (ISO 3166-1 alpha-3, or UNO / EUR / IGO / NGO / IMG / MNC for bodies that
belong to no one state) and ``sector`` (one PLOVER sector code) beside the full ``code``.
"""

from __future__ import annotations

# CAMEO's own country codes where they differ from the ISO 3166 alpha-3 codes we use.
CAMEO_TO_ISO = {"TMP": "TLS", "KSV": "KOS", "ROM": "ROU", "ZAR": "COD", "SRP": "SRB"}


# Role codes that name a sector (PLOVER / CAMEO); religious and ethnic codes (MUS, CHR, JEW, ...) do not.
SECTOR_CODES = frozenset({
    "GOV", "MIL", "REB", "OPP", "PTY", "LEG", "JUD", "COP", "SPY", "UAF", "CVL", "PPL", "JRN", "MED", "REF",
    "BUS", "LAB", "EDU", "ELI", "AGR", "HLH", "DEV", "ENV", "HRI", "CRM", "SEP", "MOD", "RAD", "INS", "NGM",
    "PRM", "IGO", "NGO", "REL",
})
# International prefixes: what ``country`` and ``sector`` such a code gives.
INTERNATIONAL = {"IGO": ("IGO", "IGO"), "NGO": ("NGO", "NGO"), "IMG": ("IMG", "REB"), "MNC": ("MNC", "BUS"),
                 "NGM": ("NGO", "NGO")}
# Our non-state ``country`` values and the CAMEO prefix they write.
CODE_PREFIX = {"UNO": "IGOUNO", "EUR": "IGOEUREEC", "IGO": "IGO", "NGO": "NGO", "IMG": "IMG", "MNC": "MNC"}
NULL_CODES = frozenset({"", "---", "###"})


def parse_code(code: str | None, countries: frozenset[str] | set[str]) -> tuple[str | None, str | None]:
    """``(country, sector)`` of a CAMEO code: "KGZGOV" → (KGZ, GOV), "IGOUNOKID" → (UNO, IGO),
    "---LEG" → (None, LEG), "ELI" → (None, ELI). ``countries`` are the country codes we know."""
    if not code or code in NULL_CODES:
        return None, None
    head, rest = code[:3], code[3:]
    if head in INTERNATIONAL:
        country, sector = INTERNATIONAL[head]
        if head == "IGO" and rest.startswith("UNO"):
            country = "UNO"
        elif head == "IGO" and rest.startswith("EUREEC"):
            country = "EUR"
        return country, sector
    head = CAMEO_TO_ISO.get(head, head)
    if head in countries:
        country = head
    elif head == "---":
        country = None
    elif head in SECTOR_CODES:  # a code with no country: "ELI", "GOV"
        country, rest = None, code
    else:  # a region or a code we cannot place ("MEA", "WEU"): no country, but keep its sectors
        country = None
    return country, _first_sector(rest)


def _first_sector(roles: str) -> str | None:
    for i in range(0, len(roles) - 2, 3):
        part = roles[i:i + 3]
        if part in SECTOR_CODES:
            return part
    return None


def normalise_code(code: str | None) -> str | None:
    """A CAMEO code with CAMEO's own country codes replaced by ours ("TMPGOV" → "TLSGOV"); None for null codes."""
    if not code or code in NULL_CODES:
        return None
    head = code[:3]
    return CAMEO_TO_ISO.get(head, head) + code[3:]


def actor_code(country: str | None, sector: str | None) -> str | None:
    """The CAMEO-style code of an actor we only know by country and sector: USA + GOV → "USAGOV",
    UNO + IGO → "IGOUNO", None + LEG → "---LEG"; None when neither is known."""
    if not country and not sector:
        return None
    prefix = CODE_PREFIX.get(country or "", country or "---")
    if sector and (sector in {"IGO", "NGO"} and prefix.startswith(sector)):
        return prefix  # "IGOUNO", not "IGOUNOIGO"
    if country == "IMG" and sector == "REB":
        return prefix
    return prefix + (sector or "")


def join_code(country: str | None, role: str) -> str:
    """A country with an agent's role codes: POL + "GOV" → "POLGOV"; no country → "---GOV"."""
    return CODE_PREFIX.get(country or "", country or "---") + role


def record_code(country: str | None, sector: str | None, kind: str | None) -> str | None:
    """The code of an actor record: a state named by its name or capital is its bare country code
    ("RUS"), as in CAMEO; anything else is country and sector ("RUSGOV")."""
    return actor_code(country, None if kind == "state" else sector)


def record_code_sql(alias: str = "a") -> str:
    """SQL for ``record_code`` over an actors row ``alias`` (columns country, sector, kind): what a store
    written before actors carried codes shows, and what its migration fills in."""
    country, sector, kind = f"{alias}.country", f"{alias}.sector", f"{alias}.kind"
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CODE_PREFIX.items())
    prefix = f"coalesce(CASE {country} {cases} END, {country}, '---')"
    role = (f"CASE WHEN {kind} = 'state' OR {sector} IS NULL THEN '' "
            f"WHEN {sector} IN ('IGO', 'NGO') AND starts_with({prefix}, {sector}) THEN '' "
            f"WHEN {country} = 'IMG' AND {sector} = 'REB' THEN '' ELSE {sector} END")
    known = f"({country} IS NOT NULL OR ({sector} IS NOT NULL AND {kind} IS DISTINCT FROM 'state'))"
    return f"CASE WHEN {known} THEN {prefix} || {role} END"
