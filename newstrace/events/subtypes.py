"""ACLED-style sub-event types: what ACLED users call an event, from its PLOVER type, mode and context.

``subtype_of`` gives each event the ACLED sub-event type (codebook names: "Armed clash", "Air/drone strike",
"Peaceful protest", "Arrests", ...) that its PLOVER type and mode imply, refined by what else the document
reports (force used where a protest is reported is "Excessive force against protesters"; a protest where
arrests or force are reported is "Protest with intervention") and by who acts (a state force taking ground
"Government regains territory"). Verbal events (meetings, appeals, accusations) have no ACLED sub-event
type: None. The table is documented in docs/events.md ("Sub-event types"); change both together.
``CASE_CODES`` names each sub-event type as CASE 2021 task 2 does (the evaluation uses it).
"""

from __future__ import annotations

from collections.abc import Iterable

# (PLOVER type, mode) -> ACLED sub-event type. Modes are the PLOVER manual's, with the spellings events.tsv
# uses (drone, airstrike, aerial, grenade, ...).
BY_TYPE_MODE: dict[tuple[str, str], str] = {
    ("ASSAULT", "abduct"): "Abduction/forced disappearance",
    ("ASSAULT", "sexual"): "Sexual violence",
    ("ASSAULT", "suicide-attack"): "Suicide bomb",
    ("ASSAULT", "explosives"): "Remote explosive/landmine/IED",
    ("ASSAULT", "heavy-weapons"): "Shelling/artillery/missile attack",
    ("ASSAULT", "artillery"): "Shelling/artillery/missile attack",
    ("ASSAULT", "missile"): "Shelling/artillery/missile attack",
    ("ASSAULT", "aerial"): "Air/drone strike",
    ("ASSAULT", "airstrike"): "Air/drone strike",
    ("ASSAULT", "drone"): "Air/drone strike",
    ("ASSAULT", "grenade"): "Grenade",
    ("ASSAULT", "chemical"): "Chemical weapon",
    ("ASSAULT", "cbrn"): "Chemical weapon",
    ("ASSAULT", "firearms"): "Armed clash",
    ("ASSAULT", "destroy"): "Looting/property destruction",
    ("ASSAULT", "mob"): "Mob violence",
    ("ASSAULT", "beat"): "Attack",
    ("ASSAULT", "primitive"): "Attack",
    ("ASSAULT", "torture"): "Attack",
    ("ASSAULT", "execute"): "Attack",
    ("ASSAULT", "assassinate"): "Attack",
    ("PROTEST", "riot"): "Violent demonstration",
    ("COERCE", "arrest"): "Arrests",
    ("COERCE", "confiscate"): "Disrupted weapons use",
    ("COERCE", "restrict"): "Other",
    ("COERCE", "ban"): "Other",
    ("COERCE", "censor"): "Other",
    ("COERCE", "curfew"): "Other",
    ("COERCE", "martial-law"): "Other",
    ("COERCE", "deport"): "Other",
    ("COERCE", "withhold"): "Other",
    ("RETREAT", "withdraw"): "Non-violent transfer of territory",
    ("RETREAT", "release"): "Agreement",
    ("RETREAT", "return"): "Agreement",
    ("RETREAT", "ceasefire"): "Agreement",
    ("RETREAT", "disarm"): "Agreement",
    ("RETREAT", "resign"): "Other",
    ("MOBILIZE", "base"): "Headquarters or base established",
    ("MOBILIZE", "troops"): "Change to group/activity",
    ("MOBILIZE", "police"): "Change to group/activity",
    ("MOBILIZE", "weapons"): "Change to group/activity",
}
# A type's sub-event type when its mode decides none. Verbal types (CONSULT, REQUEST, ACCUSE, ...) have none.
BY_TYPE: dict[str, str] = {
    "AGREE": "Agreement", "CONCEDE": "Agreement", "RETREAT": "Non-violent transfer of territory",
    "PROTEST": "Peaceful protest", "MOBILIZE": "Change to group/activity", "COERCE": "Arrests", "ASSAULT": "Attack",
}
TERRITORY_MODES = frozenset({"occupy", "seize", "capture", "territory"})
FORCE = frozenset({"COERCE", "ASSAULT"})
# What protesters do by word or defiance is their protest ("protesters defied the ban", "demanded").
VERBAL_PROTEST = frozenset({"REQUEST", "REJECT", "ACCUSE", "SUPPORT", "THREATEN", "PROTEST", "MOBILIZE"})
# Who protests: a source named so makes its act a demonstration.
PROTESTER_WORDS = frozenset({"protester", "protesters", "protestor", "protestors", "demonstrator", "demonstrators",
                             "rioter", "rioters", "marcher", "marchers", "crowd", "crowds", "mob", "mobs", "striker",
                             "strikers"})
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY"})  # a state force acts
ARMED_SECTORS = frozenset({"MIL", "REB"})  # an armed group is attacked

CASE_CODES: dict[str, str] = {
    "Armed clash": "ARMED_CLASH", "Government regains territory": "GOV_REGAINS_TERIT",
    "Non-state actor overtakes territory": "NON_STATE_ACTOR_OVERTAKES_TER", "Chemical weapon": "CHEM_WEAP",
    "Air/drone strike": "AIR_STRIKE", "Suicide bomb": "SUIC_BOMB", "Shelling/artillery/missile attack": "ART_MISS_ATTACK",
    "Remote explosive/landmine/IED": "REM_EXPLOS", "Grenade": "GRENADE", "Sexual violence": "SEX_VIOL",
    "Attack": "ATTACK", "Abduction/forced disappearance": "ABDUCT_DISSAP", "Peaceful protest": "PEACE_PROTEST",
    "Protest with intervention": "PROTEST_WITH_INTER", "Excessive force against protesters": "FORCE_AGAINST_PROTEST",
    "Violent demonstration": "VIOL_DEMONSTR", "Mob violence": "MOB_VIOL", "Agreement": "AGREEMENT",
    "Arrests": "ARREST", "Change to group/activity": "CHANGE_TO_GROUP_ACT", "Disrupted weapons use": "DISR_WEAP",
    "Headquarters or base established": "HQ_ESTABLISHED", "Looting/property destruction": "PROPERTY_DISTRUCT",
    "Non-violent transfer of territory": "NON_VIOL_TERRIT_TRANSFER", "Other": "OTHER",
}


def subtype_of(plover_type: str, mode: str | None = None, context: Iterable[str] = (), *,
               other_types: Iterable[str] = (), state_source: bool | None = None,
               armed_target: bool | None = None, protester_source: bool = False) -> str | None:
    """The ACLED sub-event type of an event, or None for a verbal event.

    ``other_types``: PLOVER types of the document's other events; ``state_source``: the source is a state
    force (GOV, MIL, COP, SPY); ``armed_target``: the target is an armed group (MIL, REB). First match wins:
    force where a protest is reported; a protest met by force; territory taken; the (type, mode) table;
    chemical context; an attack on armed men is a clash; the type's default. ``protester_source``: the
    source is protesters, rioters or a crowd: what they do is a demonstration (violent when they use
    force, "Mob violence" for a mob), whatever its PLOVER type."""
    others = set(other_types)
    mode = (mode or "").lower()
    contexts = {c.lower() for c in context}
    if protester_source and plover_type in FORCE:
        return "Mob violence" if mode == "mob" else "Violent demonstration"
    if protester_source and plover_type in VERBAL_PROTEST:
        return "Protest with intervention" if others & FORCE else "Peaceful protest"
    if plover_type == "ASSAULT" and ("PROTEST" in others or mode == "crowd-control"):
        return "Excessive force against protesters"  # tear gas and water cannon are fired at crowds
    if plover_type == "COERCE" and "PROTEST" in others:
        return "Protest with intervention"
    if plover_type == "PROTEST" and mode != "riot" and others & FORCE:
        return "Protest with intervention"
    if plover_type in FORCE and (mode in TERRITORY_MODES or (mode == "confiscate" and "military" in contexts)):
        return "Government regains territory" if state_source else "Non-state actor overtakes territory"
    if plover_type == "ASSAULT" and mode == "firearms" and armed_target is False:
        return "Attack"  # gunmen opening fire on a bus: one-sided violence against civilians, no clash
    found = BY_TYPE_MODE.get((plover_type, mode))
    if found is None and plover_type == "ASSAULT" and "cbrn" in contexts:
        found = "Chemical weapon"
    if found is None and plover_type == "ASSAULT" and not mode and armed_target:
        found = "Armed clash"
    return found or BY_TYPE.get(plover_type)
