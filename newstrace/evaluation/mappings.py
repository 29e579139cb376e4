"""How newstrace's output is mapped onto each benchmark's label set.

The tables here are documented in ``docs/evaluation.md``; change both together.
"""

from __future__ import annotations

from collections.abc import Iterable

from newstrace.events import subtypes

# --------------------------------------------------------------------------- ConfliBERT 5 classes

CONFLIBERT_CLASSES: dict[int, str] = {
    0: "statement / appeal (CAMEO 01-02)",
    1: "verbal cooperation (CAMEO 03-05)",
    2: "material cooperation (CAMEO 06-08)",
    3: "verbal conflict (CAMEO 09-13, 16)",
    4: "material conflict (CAMEO 14-15, 17-20)",
}

# PLOVER type -> ConfliBERT class, following the CAMEO root codes each PLOVER type collects
# (CAMEO2PLOVER-2021): REQUEST collects CAMEO 02 "appeal" (class 0) and 10 "demand" (class 3);
# appeals are the more frequent reading of "call on / urge", so REQUEST -> 0. SANCTION is CAMEO 16
# "reduce relations", which the ConfliBERT coders put in class 3 (verbal conflict).
PLOVER_TO_CONFLIBERT: dict[str, int] = {
    "REQUEST": 0,
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "CONCEDE": 2, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
# A sentence in which we find no event is most often a plain statement (CAMEO 01).
NO_EVENT_CLASS = 0


# CAMEO 10 "demand": a REQUEST whose trigger is a demand is verbal conflict (class 3), not an appeal.
DEMAND_WORDS = ("demand", "insist")


def conflibert_class(plover_type: str | None, trigger: str | None = None) -> int:
    """The ConfliBERT class (0-4) of a PLOVER event type (and its trigger text, which tells a demand from
    an appeal); ``NO_EVENT_CLASS`` for None/unknown."""
    if plover_type == "REQUEST" and trigger and trigger.lower().startswith(DEMAND_WORDS):
        return 3
    return PLOVER_TO_CONFLIBERT.get(plover_type or "", NO_EVENT_CLASS)


# --------------------------------------------------------------------------- CASE 2021 task 2

CASE_LABELS: tuple[str, ...] = (
    "ABDUCT_DISSAP", "AGREEMENT", "AIR_STRIKE", "ARMED_CLASH", "ARREST", "ART_MISS_ATTACK", "ATTACK",
    "CHANGE_TO_GROUP_ACT", "CHEM_WEAP", "DISR_WEAP", "FORCE_AGAINST_PROTEST", "GOV_REGAINS_TERIT",
    "GRENADE", "HQ_ESTABLISHED", "MOB_VIOL", "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER",
    "OTHER", "PEACE_PROTEST", "PROPERTY_DISTRUCT", "PROTEST_WITH_INTER", "REM_EXPLOS", "SEX_VIOL",
    "SUIC_BOMB", "VIOL_DEMONSTR", "ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB",
)

# A document's main event -> CASE label: the ACLED sub-event type the pipeline gives it
# (``newstrace.events.subtypes``, whose table CASE's names follow), else these labels for what ACLED does
# not code (verbal events are diplomacy).
CASE_BY_TYPE: dict[str, str] = {
    "CONSULT": "DIPLO", "SUPPORT": "DIPLO", "COOPERATE": "DIPLO", "AID": "DIPLO", "REQUEST": "DIPLO",
    "REJECT": "DIPLO", "THREATEN": "DIPLO", "SANCTION": "DIPLO", "ACCUSE": "DIPLO",
}
MATERIAL_CONFLICT = frozenset({"PROTEST", "MOBILIZE", "COERCE", "ASSAULT"})
CASE_NO_EVENT = "OTHER"


def case_label(
    plover_type: str | None,
    mode: str | None = None,
    context: Iterable[str] = (),
    *,
    other_types: Iterable[str] = (),
    responsibility: bool = False,
    state_source: bool | None = None,
    armed_target: bool | None = None,
    subtype: str | None = None,
) -> str:
    """The CASE 2021 task-2 label for a document whose main event has this type, mode and context.

    ``other_types``: PLOVER types of the document's other events; ``responsibility``: the document
    has a claim/denial/blame of responsibility; ``state_source``: the main event's source actor is
    a state force (GOV/MIL/COP); ``armed_target``: its target is an armed group (MIL/REB); ``subtype``:
    the event's sub-event type as the pipeline gave it (else computed from the other arguments).
    Rules, first match wins: responsibility -> ATTRIB; crime or disaster context; an accusation beside
    material conflict -> ATTRIB; the event's ACLED sub-event type (``subtypes.subtype_of``); verbal
    events -> DIPLO; no event -> OTHER.
    """
    contexts = {c.lower() for c in context}
    others = set(other_types)
    if responsibility:
        return "ATTRIB"
    by_context = _context_label(contexts)
    if plover_type is None or by_context:
        return by_context or CASE_NO_EVENT
    if plover_type == "ACCUSE" and others & MATERIAL_CONFLICT:
        return "ATTRIB"
    if plover_type == "RETREAT" and (mode or "").lower() == "access":
        return "DIPLO"  # opening access is a diplomatic concession, not territory
    # the pipeline's sub-event type when given (it also knows the attacked objects), else from the arguments
    subtype = subtype or subtypes.subtype_of(plover_type, mode, contexts, other_types=others,
                                             state_source=state_source, armed_target=armed_target)
    if subtype is not None:
        return subtypes.CASE_CODES[subtype]
    return CASE_BY_TYPE.get(plover_type, CASE_NO_EVENT)


def _context_label(contexts: set[str]) -> str | None:
    if any(c == "crime" or c.startswith("crime_") for c in contexts):
        return "ORG_CRIME"
    if contexts & {"man_made_disaster", "accident"}:
        return "MAN_MADE_DISASTER"
    if contexts & {"enviro_disaster", "natural_disaster", "disaster"}:
        return "NATURAL_DISASTER"
    return None


# --------------------------------------------------------------------------- factuality [-3, 3]

# Event status -> score, where the status alone decides it.
STATUS_SCORE: dict[str, float] = {
    "negated": -3.0,
    "denied": -3.0,
    "hypothetical": 0.0,
    "planned": 0.0,
    "alleged": 1.0,
}
# Otherwise (asserted, reported) the certainty of the statement that carries the event decides.
CERTAINTY_SCORE: dict[str, float] = {"certain": 3.0, "probable": 2.0, "possible": 1.0, "doubtful": -1.0}
DEFAULT_FACTUALITY = 3.0  # a predicate we say nothing about is taken as asserted


def factuality_score(status: str | None = "asserted", certainty: str | None = "certain") -> float:
    """Our event status and statement certainty on the unified factuality scale [-3, 3]."""
    if status in STATUS_SCORE:
        return STATUS_SCORE[status]
    return CERTAINTY_SCORE.get(certainty or "certain", DEFAULT_FACTUALITY)


# --------------------------------------------------------------------------- argument roles

# Gold argument role (RAMS / WikiEvents, lower case) -> the slot of our Event that fills it.
# Roles not listed are not scored (we do not extract them).
ARG_ROLE_MAP: dict[str, str] = {
    "attacker": "source", "killer": "source", "injurer": "source", "communicator": "source",
    "giver": "source", "jailer": "source", "damager": "source", "destroyer": "source",
    "damagerdestroyer": "source", "demonstrator": "source", "participant": "source",
    "target": "target", "victim": "target", "recipient": "target", "detainee": "target",
    "place": "place",
}


def our_role(gold_role: str) -> str | None:
    """Which of our event slots (source, target, place) a gold role is scored against, if any."""
    return ARG_ROLE_MAP.get(gold_role.lower())
