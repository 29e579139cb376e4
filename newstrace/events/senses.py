"""Which uses of a trigger word are acts: a noun or light verb is an event only in an eventive use.

A trigger word can name an act ("police patrolled the border"), label something else ("a patrol car",
"riot police"), name a topic ("a draft law on foreign funding") or have a sense that is no political act
at all ("the court struck down the law", "fired his defence minister"). ``sense_of`` returns the trigger a
use stands for, re-typed where the sense differs (a labour "strike" is a PROTEST), or None.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from newstrace.events.vocabulary import DISASTERS, DOCUMENT_NOUNS, GIVING_VERBS, HELPERS, SPEECH_VERBS
from newstrace.lexicon import Trigger

# Nouns a trigger may qualify and still name an act ("a bombing campaign", "strike action", "aid convoys").
EVENTIVE_HEADS = {"campaign", "operation", "action", "incident", "attempt", "wave", "spree", "raid", "mission",
                  "convoy", "shipment", "package", "delivery", "flight", "drop", "effort", "exercise", "drill"}
FORCE_TYPES = {"ASSAULT", "COERCE"}
# "a law on foreign funding", "talks about a ceasefire": a trigger that is the topic of these nouns names
# what they are about, not an act that happened.
TOPIC_PREPS = {"on", "about", "over", "regarding", "concerning"}
TOPIC_HEADS = {"law", "bill", "legislation", "draft", "debate", "rule", "regulation", "policy", "decree", "report",
               "discussion", "vote", "referendum", "dispute", "row", "question", "issue", "ban", "restriction",
               "limit", "moratorium", "study", "statement", "article", "talk", "negotiation", "consultation",
               "guideline", "code", "amendment", "provision", "clause", "measure", "proposal", "plan", "summit",
               "conference", "meeting", "hearing", "session", "seminar", "forum", "inquiry", "investigation",
               "resolution", "book", "film", "documentary", "lecture", "speech", "exhibition"}
# "concern about a deal", "pessimistic about the talks", "hope for a ceasefire", "declined to comment on the
# agreement": an act named as what someone feels or comments about is a topic, not news of the act. Violence
# named so ("condolences over the attack") stays an event: it happened.
ATTITUDE_PREPS = TOPIC_PREPS | {"at", "of", "for", "with", "towards", "toward", "in"}
ATTITUDE_NOUNS = {"concern", "worry", "fear", "hope", "optimism", "pessimism", "doubt", "skepticism", "scepticism",
                  "confidence", "anxiety", "alarm", "frustration", "disappointment", "satisfaction", "prospect",
                  "possibility", "chance", "likelihood", "comment", "question", "appreciation", "gratitude",
                  "thanks", "sympathy", "sorrow", "condolence", "regret"}
ATTITUDE_ADJECTIVES = {"concerned", "worried", "fearful", "hopeful", "optimistic", "pessimistic", "doubtful",
                       "skeptical", "sceptical", "confident", "anxious", "unsure", "uncertain", "wary", "upbeat",
                       "positive", "cautious"}
ATTITUDE_VERBS = {"comment", "speculate"}
REAL_VIOLENCE = {"ASSAULT", "COERCE"}
# "to fight COVID-19", "fighting extradition", "battle corruption": struggles against what is no adversary.
NOT_ADVERSARIES = {"covid", "covid-19", "coronavirus", "virus", "pandemic", "epidemic", "disease", "ebola", "malaria",
                   "hiv", "aids", "cancer", "polio", "cholera", "measles", "outbreak", "infection", "spread",
                   "poverty", "hunger", "famine", "malnutrition", "corruption", "crime", "trafficking", "smuggling",
                   "fraud", "extradition", "deportation", "charge", "case", "ruling", "lawsuit", "conviction",
                   "sentence", "verdict", "climate", "change", "fire", "wildfire", "blaze", "flood", "inflation",
                   "unemployment", "addiction", "disinformation", "misinformation", "racism", "discrimination",
                   "pollution", "impunity", "illiteracy", "abuse", "bill", "law", "decision", "plan", "proposal",
                   "tax", "cut", "emission", "terrorism", "extremism", "cause", "radicalization", "radicalisation",
                   "deforestation", "drought", "desertification", "injustice", "inequality"}
# People a "help" may go to, when no name is given ("help the refugees").
HELPED_PEOPLE = {"refugee", "victim", "people", "civilian", "family", "child", "survivor", "farmer", "country",
                 "government", "ally", "rebel", "dissident", "migrant", "resident", "community", "population", "nation",
                 "state", "region", "neighbour", "neighbor", "partner", "army", "force", "troop", "displaced"}
# CAMEO 1661-1663, PLOVER SANCTION expel: withdrawing peacekeepers, observers or aid workers is a sanction.
INTERNATIONAL_PRESENCE = {"peacekeeper", "peacekeeping", "observer", "monitor", "inspector", "ambassador", "envoy",
                          "diplomat", "mission", "aid", "agency", "worker", "staff", "delegation"}
PEACEKEEPERS = {"peacekeeper", "peacekeeping"}
DEMANDS = {"demand", "request", "condition", "term", "ultimatum"}
REFUGEES = {"refugee", "migrant", "asylum-seeker", "evacuee", "displaced", "orphan"}
# What "return" takes that is no giving back.
NOT_RETURNED = {"fire", "call", "verdict", "favour", "favor", "serve", "ball", "result", "profit", "yield", "visit",
                "greeting", "salute", "compliment", "gaze", "look", "smile", "home", "power", "seat", "vote", "value"}
# Verbs of weighing an option: the act considered is neither done nor promised ("is considering sending aid").
DELIBERATION_VERBS = {"consider", "weigh", "mull", "contemplate", "debate", "ponder", "explore", "study"}
STRUGGLE_WORDS = {"fight", "fighting", "battle", "combat"}
# A labour strike: words around "strike" that name workers, pay or the way strikes are called.
LABOUR_WORDS = {"general", "national", "nationwide", "hunger", "labour", "labor", "worker", "union", "teacher",
                "doctor", "nurse", "miner", "employee", "staff", "transport", "rail", "port", "dock", "wildcat",
                "indefinite", "day-long", "one-day", "24-hour", "48-hour", "72-hour", "warning", "sit-down", "pay",
                "wage", "pension", "salary", "truck", "trucker", "driver", "pilot", "student", "public", "sector",
                "farmer", "lawyer", "judge", "taxi", "bus", "airport", "factory"}
LABOUR_VERBS = {"call", "join", "hold", "stage", "declare", "end", "suspend", "organise", "organize", "begin",
                "go", "break", "extend", "postpone", "cancel", "announce", "start", "continue", "threaten"}
STRIKE_GRIEVANCES = {"pay", "wage", "salary", "pension", "condition", "job", "contract", "reform", "cut", "price"}
# "fired his defence minister": dismissing someone is no assault.
DISMISSED = {"minister", "official", "chief", "head", "coach", "manager", "employee", "staff", "worker", "general",
             "commander", "director", "secretary", "aide", "adviser", "advisor", "governor", "judge", "prosecutor",
             "ambassador", "deputy", "cabinet", "board", "ceo", "executive", "editor", "spokesman", "spokeswoman"}
# "came under fire", "returned fire", "an exchange of fire": the noun "fire" as shooting.
SHOOTING_FIRE_HEADS = {"under", "return", "exchange", "open", "draw", "trade", "hold", "cease"}
# What police fire at crowds ("fired tear gas", "fired rubber bullets", "fired water cannon").
CROWD_CONTROL = {"gas", "teargas", "cannon", "canister", "spray"}
LESS_LETHAL = {"bullet", "pellet", "round", "grenade", "shell"}  # only with one of these words: "rubber bullets"
LESS_LETHAL_MODIFIERS = {"rubber", "plastic", "stun", "sound", "tear", "gas", "pepper", "rubber-coated", "blank"}
# "hosting US troops", "hosts refugees": hosting that is no visit or meeting.
NOT_VISITS = {"troop", "soldier", "force", "base", "refugee", "personnel", "weapon", "missile", "camp", "migrant",
              "facility", "server", "event", "game", "olympics", "tournament", "show", "program", "programme"}
# "press on with", "push ahead with": going on with something is no request.
GO_ON_PARTICLES = {"on", "ahead", "forward"}
# "meet a target", "met the deadline", "meet security challenges": meeting what is no one is no meeting.
MET_GOALS = {"target", "goal", "deadline", "need", "requirement", "obligation", "standard", "criterion", "criteria",
             "expectation", "quota", "cost", "commitment", "challenge", "threat", "benchmark", "objective"}


def sense_of(token: Token, trigger: Trigger, is_trigger: Callable[[Token], str | None]) -> Trigger | None:
    """The trigger this use of ``token`` stands for, or None when it names no act here.

    ``is_trigger`` gives the type of another token when it is itself a trigger word, else None (a label on
    an act still names an act: "bomb attack")."""
    if trigger.pos == "NOUN" and (_label_use(token, is_trigger) or _topic_use(token)):
        return None
    if trigger.type not in REAL_VIOLENCE and _attitude_topic(token):
        return None
    if token.lemma_.lower() in STRUGGLE_WORDS and trigger.type == "ASSAULT" and _struggle_against_no_one(token):
        return None
    if trigger.type == "MOBILIZE" and trigger.pos == "NOUN" and _unit_acted_on(token, is_trigger):
        return None
    lemma = token.lemma_.lower()
    if lemma == "strike" and trigger.type == "ASSAULT" and len(trigger.trigger.split()) == 1:
        if _struck_down(token):
            return None
        if _labour_strike(token):
            return Trigger(trigger.trigger, trigger.pos, "PROTEST", "strike", (), "material-conflict")
    if trigger.type == "ASSAULT" and trigger.pos == "VERB" and _killed_by_a_disaster(token):
        return None
    if lemma == "fire" and trigger.type == "ASSAULT" and not _shooting(token):
        return None
    if lemma == "fire" and trigger.pos == "VERB" and _fires_crowd_control(token):
        return Trigger(trigger.trigger, trigger.pos, "ASSAULT", "crowd-control", trigger.context, trigger.quad)
    if lemma == "host" and _hosting_no_visit(token):
        return None
    if trigger.type == "REQUEST" and trigger.pos == "NOUN" and _fund_given_to(token):
        return None
    if lemma == "meet" and trigger.type == "CONSULT" and trigger.pos == "VERB" and _met_goal(token):
        return None
    if lemma in {"press", "push"} and any(c.dep_ == "prt" and c.lower_ in GO_ON_PARTICLES for c in token.children):
        return None
    if _considered_option(token):
        return None
    if lemma == "agree" and trigger.pos == "VERB" and _opinion(token):
        return None
    if trigger.type == "RETREAT" and trigger.mode == "withdraw" and _withdraws_presence(token):
        return Trigger(trigger.trigger, trigger.pos, "SANCTION", "expel", ("diplomatic",), "material-conflict")
    if trigger.type == "MOBILIZE" and trigger.pos == "VERB":
        helpers = _sends_help(token)
        if helpers is not None:
            return Trigger(trigger.trigger, trigger.pos, "AID", None, helpers, "material-cooperation")
    if lemma == "accept" and trigger.type == "AGREE":
        accepted = _accepted(token)
        if accepted is not None:
            return accepted
    if lemma == "seek" and not _seeks_an_act(token, is_trigger):
        return None
    if lemma == "help" and not _helps_an_actor(token):
        return None
    if lemma == "return" and trigger.pos == "VERB" and not _returns_something(token):
        return None
    if _not_an_act(token, trigger):
        return None
    return trigger


def _label_use(token: Token, is_trigger: Callable[[Token], str | None]) -> bool:
    """ "riot police", "a patrol car", "protest leaders": a trigger noun qualifying a noun that is no act."""
    if token.dep_ != "compound" or token.head.pos_ not in {"NOUN", "PROPN"}:
        return False
    head = token.head
    return head.lemma_.lower() not in EVENTIVE_HEADS and is_trigger(head) is None


def _unit_acted_on(token: Token, is_trigger: Callable[[Token], str | None]) -> bool:
    """ "attacked a police patrol", "an ambush on a patrol": the patrol is the unit attacked, not a deployment
    ("ordered patrols" still is one)."""
    if token.dep_ in {"dobj", "nsubjpass"}:
        return is_trigger(token.head) in FORCE_TYPES
    return (token.dep_ == "pobj" and token.head.lower_ in {"on", "against", "at"}
            and is_trigger(token.head.head) in FORCE_TYPES)


def _topic_use(token: Token) -> bool:
    """ "a draft law on foreign funding", "talks about a ceasefire": the act is what a text or debate is about."""
    if token.dep_ != "pobj" or token.head.lower_ not in TOPIC_PREPS:
        return False
    governor = token.head.head
    return governor.pos_ == "NOUN" and governor.lemma_.lower() in TOPIC_HEADS


def _attitude_topic(token: Token) -> bool:
    """ "concern about the deal", "skeptical of the talks", "optimism at a bipartisan agreement", "declined to
    comment on the negotiations", "pessimism over holding negotiations": the act is what a feeling or a
    comment is about (also through "the possibility of": "pessimistic about the possibility of a deal")."""
    current = token
    for _ in range(4):
        if current.dep_ in {"dobj", "pcomp"} and current.head.dep_ in {"pcomp", "pobj"}:
            current = current.head  # "over holding negotiations": through the gerund
            continue
        if current.dep_ not in {"pobj", "pcomp"} or current.head.lower_ not in ATTITUDE_PREPS:
            return False
        governor = current.head.head
        lemma = governor.lemma_.lower()
        if (governor.pos_ == "NOUN" and lemma in ATTITUDE_NOUNS) or (
                governor.pos_ == "ADJ" and governor.lower_ in ATTITUDE_ADJECTIVES) or (
                governor.pos_ == "VERB" and lemma in ATTITUDE_VERBS):
            return True
        current = governor
    return False


def _struggle_against_no_one(token: Token) -> bool:
    """ "funding to fight Ebola", "fighting extradition", "the battle against corruption": the struggle's object
    is a disease, a crime, a case or a problem, not an armed adversary."""
    objects = [c for c in token.children if c.dep_ == "dobj"]
    objects += [g for c in token.children if c.dep_ == "prep" and c.lower_ in {"against", "with"}
                for g in c.children if g.dep_ == "pobj"]
    return any(_names_a_problem(o) for o in objects)


def _names_a_problem(phrase: Token) -> bool:
    words = {phrase.lower_, phrase.lemma_.lower()} | {c.lower_ for c in phrase.children if c.dep_ == "compound"}
    return bool(words & NOT_ADVERSARIES) and phrase.ent_type_ not in {"NORP", "GPE", "ORG", "PERSON"}


def _seeks_an_act(token: Token, is_trigger: Callable[[Token], str | None]) -> bool:
    """ "sought aid from Japan", "seeks the release of", "is seeking talks": asking for an act (PLOVER REQUEST);
    not "seeks to reduce costs" or "seeking re-election"."""
    if any(c.dep_ == "prep" and c.lower_ == "from" for c in token.children):
        return True
    return any(c.dep_ == "dobj" and is_trigger(c) is not None for c in token.children)


def _helps_an_actor(token: Token) -> bool:
    """ "helped Iran", "help the refugees", "helped the rebels with weapons": aid to someone (PLOVER AID); not
    "helped push prices up" or "help identify the victims" (no one named as helped)."""
    obj = next((c for c in token.children if c.dep_ == "dobj"), None)
    if obj is None or any(c.dep_ in {"xcomp", "ccomp"} for c in token.children):
        return False
    return obj.ent_type_ in {"GPE", "NORP", "ORG", "PERSON"} or obj.lemma_.lower() in HELPED_PEOPLE


def _accepted(token: Token) -> Trigger | None:
    """ "accepted the demands of the protesters" is yielding (CAMEO 083, PLOVER CONCEDE); "accepted 1,000
    refugees" is giving refuge (CAMEO 075, PLOVER AID asylum)."""
    for obj in (c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}):
        lemma = obj.lemma_.lower()
        if lemma in DEMANDS:
            return Trigger("accept", "VERB", "CONCEDE", None, (), "verbal-cooperation")
        if lemma in REFUGEES:
            return Trigger("accept", "VERB", "AID", None, ("asylum",), "material-cooperation")
    return None


def _considered_option(token: Token) -> bool:
    """ "is considering sending aid", "weighed imposing sanctions", "mulls new sanctions": an option weighed."""
    current = token
    for _ in range(2):
        if current.dep_ not in {"xcomp", "dobj", "ccomp"}:
            return False
        governor = current.head
        if governor.pos_ == "VERB" and governor.lemma_.lower() in DELIBERATION_VERBS:
            return True
        current = governor
    return False


def _opinion(token: Token) -> bool:
    """ "Ministers say they agree with the plan": holding the same view, in the present, is no agreement to act
    (not "agreed with Iran on a swap", "agree to talks")."""
    if token.tag_ not in {"VBP", "VBZ"}:
        return False
    preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
    acts = any(c.dep_ in {"xcomp", "dobj"} for c in token.children)
    return "with" in preps and not acts and not preps & {"to", "on", "upon"}


def _withdraws_presence(token: Token) -> bool:
    """ "withdrew peacekeepers from the border", "pulled out its observers": ending a presence abroad."""
    for obj in (c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}):
        words = {obj.lemma_.lower()} | {c.lemma_.lower() for c in obj.children if c.dep_ == "compound"}
        if words & INTERNATIONAL_PRESENCE:
            return True
    return False


def _sends_help(token: Token) -> tuple[str, ...] | None:
    """ "deployed election observers", "sent rescue teams": help, not force (AID; peacekeepers with the
    peacekeeping context). None when the object is troops or none is named."""
    for obj in (c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}):
        lemma = obj.lemma_.lower()
        if lemma in PEACEKEEPERS:
            return ("peacekeeping",)
        if lemma in HELPERS or lemma.split("-")[-1] in HELPERS:
            return ()
    return None


def _returns_something(token: Token) -> bool:
    """ "returned six artefacts to Iraq", "will return the weapons", "returned the bodies": giving back what was
    taken (CAMEO 0842); not "returned home", "returned to talks" or "returned the call"."""
    obj = next((c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    if obj is None or obj.pos_ == "PRON" or obj.lemma_.lower() in NOT_RETURNED:
        return False
    return obj.pos_ in {"NOUN", "PROPN"}


def _struck_down(token: Token) -> bool:
    """ "struck down the law", "struck out the clause": annulling, not hitting."""
    return token.pos_ == "VERB" and any(c.dep_ == "prt" and c.lower_ in {"down", "out"} for c in token.children)


def _labour_strike(token: Token) -> bool:
    """A strike by workers: named by who strikes, what for, or how it is called ("a national strike",
    "teachers went on strike", "called off the strike", "a strike over pay")."""
    words = {c.lemma_.lower() for c in token.children if c.dep_ in {"amod", "compound", "nmod", "npadvmod", "nsubj"}}
    if words & LABOUR_WORDS:
        return True
    if token.dep_ in {"amod", "acl"} and token.head.lemma_.lower() in LABOUR_WORDS:  # "striking teachers"
        return True
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in {"over", "for", "against", "by"}:
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.lemma_.lower() in STRIKE_GRIEVANCES | LABOUR_WORDS:
                return True
    if token.pos_ == "NOUN":
        head = token.head
        if token.dep_ == "pobj" and head.lower_ == "on" and head.head.lemma_.lower() in {"go", "be", "remain", "stay"}:
            return True
        return token.dep_ in {"dobj", "nsubjpass"} and head.lemma_.lower() in LABOUR_VERBS
    return False


def _shooting(token: Token) -> bool:
    """ "fired rockets at", "opened fire", "came under fire": fire as shooting (not "fired a minister")."""
    if token.pos_ == "VERB":
        obj = next((c for c in token.children if c.dep_ == "dobj"), None)
        if obj is None:
            return any(c.dep_ == "prep" and c.lower_ in {"at", "on", "into", "upon"} for c in token.children)
        return not (obj.lemma_.lower() in DISMISSED or obj.ent_type_ in {"PERSON", "ORG"} or obj.pos_ == "PRON")
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of":
        head = head.head
    return head.lemma_.lower() in SHOOTING_FIRE_HEADS or head.lower_ in SHOOTING_FIRE_HEADS


def _killed_by_a_disaster(token: Token) -> bool:
    """ "killed in a car crash", "injured by the earthquake", "the floods killed 12": harm with no attacker."""
    causes = [c for c in token.children if c.dep_ == "nsubj"]
    causes += [g for c in token.children if c.dep_ in {"prep", "agent"} and c.lower_ in {"in", "by", "after", "from"}
               for g in c.children if g.dep_ == "pobj"]
    return any(c.lemma_.lower() in DISASTERS or c.lower_ in DISASTERS for c in causes)


def _fires_crowd_control(token: Token) -> bool:
    """ "fired tear gas and water cannon": the shooting is crowd control, one act with what it fires."""
    obj = next((c for c in token.children if c.dep_ == "dobj"), None)
    if obj is None:
        return False
    for fired in (obj, *obj.conjuncts):
        lemma = fired.lemma_.lower()
        modifiers = {c.lemma_.lower() for c in fired.children if c.dep_ in {"compound", "amod"}}
        if lemma in CROWD_CONTROL or (lemma in LESS_LETHAL and modifiers & LESS_LETHAL_MODIFIERS):
            return True
    return False


def _hosting_no_visit(token: Token) -> bool:
    """ "bases hosting US troops", "a country that hosts refugees": hosting is a visit only for talks or guests."""
    if token.dep_ in {"acl", "amod"}:
        return True
    obj = next((c for c in token.children if c.dep_ == "dobj"), None)
    return obj is not None and obj.lemma_.lower() in NOT_VISITS


def _met_goal(token: Token) -> bool:
    """Whether "meet" takes a goal, deadline or need ("meet these targets", "the deadline was met"), not people
    ("met the envoy")."""
    return any(c.dep_ in {"dobj", "nsubjpass"} and c.lemma_.lower() in MET_GOALS for c in token.children)


def _fund_given_to(token: Token) -> bool:
    """ "contributed $90 million to the UN appeal", "funds donated to the flood appeal": an appeal that money goes
    to is the fund it raised, not news of an appeal."""
    prep = token.head
    return token.dep_ == "pobj" and prep.lower_ == "to" and prep.head.lemma_.lower() in GIVING_VERBS


def _not_an_act(token: Token, trigger: Trigger) -> bool:
    """Trigger words used for something that is no PLOVER event: declining to comment is a statement
    ("declined to comment"), and releasing or handing over a report is publishing, not freeing anyone."""
    if trigger.type == "REJECT":
        return any(c.dep_ == "xcomp" and c.lemma_.lower() in SPEECH_VERBS for c in token.children)
    if trigger.type == "RETREAT" and trigger.mode in {"release", None}:
        related = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass", "compound", "pobj", "prep"}]
        related += [g for c in related if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        if token.dep_ in {"acl", "amod", "relcl"}:  # "a report released on Tuesday"
            related.append(token.head)
        return any(t.lemma_.lower() in DOCUMENT_NOUNS or t.lower_ in {"press", "news"} for t in related)
    return False
