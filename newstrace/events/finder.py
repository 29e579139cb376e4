"""The events stage: one record per trigger mention, with its arguments, status, date, place and counts."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.actors.phoenix import discarded_tokens, enabled_by_default, load_phoenix
from newstrace.events.arguments import (
    Arguments,
    agreed_with_each_other,
    clause_subject,
    condition_subject,
    description_span,
    intention_of,
    name_span,
    nationality,
    noun_arguments,
    object_place,
    object_recipients,
    place_modifier,
    prep_object,
    reciprocal_split,
    signs_an_agreement,
    span_recipients,
    taken_from,
    verb_arguments,
    wanter_and_asked,
    where_recipient,
    withdrawn_from,
)
from newstrace.events.circumstances import counts as _counts
from newstrace.events.circumstances import fill_locations, own_tokens, time_of, weapon_mode
from newstrace.events.incidents import (
    Draft,
    antecedent_of,
    fold_complements,
    fold_requested,
    merge_incidents,
    reference_mention,
)
from newstrace.events.subtypes import ARMED_SECTORS, PROTESTER_WORDS, STATE_SECTORS, subtype_of
from newstrace.events.tokens import first as _first
from newstrace.events.tokens import token_at_char
from newstrace.events.tokens import unique as _unique
from newstrace.events.triggers import Mention, TriggerMatcher
from newstrace.events.vocabulary import (
    COOPERATIVE,
    FAILING_VERBS,
    INTENDED_TYPE,
    MILITARY_NOUNS,
    MILITARY_OBJECTS,
    RECEIVER_VERBS,
)
from newstrace.factuality import Factuality, requesting_word
from newstrace.lexicon import Country, Lexicons
from newstrace.links import DocIndex
from newstrace.model import Actor, Analysis, Event, EventMention
from newstrace.model import Mention as Mention_
from newstrace.spans import sent_of, sentence_span, span_of


class EventFinder:
    """Finds PLOVER events in parsed documents; built once per pipeline."""

    def __init__(self, nlp: Language, lexicons: Lexicons, factuality: Factuality) -> None:
        self.triggers = TriggerMatcher(nlp, lexicons)
        self.factuality = factuality
        self.adjectives: dict[str, Country] = {a: c for c in lexicons.countries for a in c.adjectives}
        # Country names and capitals, to read "called on Israel" (a place to the actors stage) as the state.
        self.country_names: dict[str, Country] = {}
        for country in lexicons.countries:
            for name in (*country.capitals, *country.aliases, country.name):
                self.country_names[name] = country
        self.country_codes: dict[str, Country] = {c.code: c for c in lexicons.countries}
        self.role_sectors: dict[str, str] = {r.term.lower(): r.sector for r in lexicons.roles}
        # Phrases that are never actors ("Manchester United"): described participants respect them too.
        self.discards = load_phoenix().discards if enabled_by_default() else None

    def find(self, doc: Doc, analysis: Analysis) -> tuple[list[Event], dict[int, str]]:
        """Events of ``doc``, one per incident, and a map from anaphoric trigger tokens to the event they
        refer to."""
        index = DocIndex(doc, analysis)
        mentions = _without_attendance_of_events(self.triggers.find(doc, index))
        args = Arguments(index, self, {m.head.i: m.trigger.type for m in mentions})
        drafts: list[Draft] = []
        references: dict[int, tuple[str, EventMention]] = {}
        folded: set[int] = set()
        for mention in mentions:
            if mention.head.i in folded:
                continue
            antecedent = antecedent_of(mention, drafts, args)
            if antecedent is not None:
                references[mention.head.i] = (antecedent.id, reference_mention(mention, antecedent))
                continue
            event = self._event(mention, args, f"D{len(drafts) + 1}", folded, mentions)
            if _label_without_act(mention, event) or _helps_another_act(mention) or _harm_by_accident(mention):
                continue
            places = {p.name for p in index.places_in(own_tokens(mention.head))}
            drafts.append(Draft(event, mention.head, places=places, span_start=mention.span.start,
                                span_end=mention.span.end))
        drafts = _without_background(drafts)
        requester_of = {d.head.i: word.i for d in drafts if (word := requesting_word(d.head)) is not None}
        drafts = fold_complements(fold_requested(drafts, requester_of))
        events, renamed = merge_incidents(drafts, references, index)
        fill_locations(doc, events, index)
        for event in events:
            event.mode = weapon_mode(event, doc)
        _set_subtypes(events, analysis, doc)
        anaphors = {token: renamed[draft] for token, (draft, _) in references.items() if draft in renamed}
        return events, anaphors

    def _event(self, mention: Mention, args: Arguments, event_id: str, folded: set[int],
               mentions: list[Mention]) -> Event:
        """The event record of one trigger mention, typed by what is only intended or asked for."""
        head = mention.head
        index, analysis = args.index, args.index.analysis
        source, target = self._arguments(mention, args, folded, mentions)
        event_type, mode = mention.trigger.type, mention.trigger.mode
        intention = intention_of(head, args)
        if intention is not None and intention[0] == "ask":
            # "X wants Y to pay compensation": X asks Y; the payment itself has not happened.
            event_type, mode = "REQUEST", None
            source, target = wanter_and_asked(intention[1], args)
        elif intention is not None and intention[0] == "refuse":
            if event_type in COOPERATIVE:  # "will not withdraw", "would not provide support": a refusal
                event_type, mode = "REJECT", None
        elif intention is not None and event_type in INTENDED_TYPE:
            event_type, mode = INTENDED_TYPE[event_type], None
        source = self._resolve_described(source, args)
        target = self._resolve_described(target, args)
        status, statement = self.factuality.status(head, analysis.statements)
        failing = _failing_verb(head)
        if failing is not None and event_type in COOPERATIVE:
            # "failed to reach agreement", "failed to agree on a truce": the failure is what happened, a
            # rejection (CAMEO 2.0 verb dictionary: FAIL [120] "reject"), as sure as the failing verb is.
            event_type, mode = "REJECT", None
            status, statement = self.factuality.status(failing, analysis.statements)
        time = time_of(head, index)
        return Event(
            id=event_id, type=event_type, mode=mode, context=list(mention.trigger.context),
            trigger=span_of(mention.span), sentence=sentence_span(head),
            source=source, target=[t for t in target if t not in source],
            date=time.value if time else analysis.document.published, time=time.id if time else None,
            status=status, statement=statement, confidence=_confidence(source, target, time),
            counts=_counts(head, mentions),
        )

    def _arguments(self, mention: Mention, args: Arguments, folded: set[int],
                   mentions: list[Mention]) -> tuple[list[str], list[str]]:
        """Source and target of a trigger, as actor ids or placeholders of described participants."""
        head = _argument_head(mention)
        if head.pos_ == "VERB":
            source, target = verb_arguments(head, args)
            # "lifted sanctions on Iran": the object named in the trigger carries the recipient.
            for obj in (t for t in mention.span if t.head.i == head.i and t.dep_ in {"dobj", "nsubjpass"}):
                # The object is part of the trigger ("voiced opposition"), so not its target even as an actor,
                # except the visitor one receives ("received ministers"; "sent an envoy" is the sender's own).
                met = mention.trigger.type == "CONSULT" and head.lemma_.lower() in RECEIVER_VERBS
                own = set() if met else set(args.index.actors_on(obj))
                target = [t for t in target if not t.endswith(f":{obj.i}") and t not in own] + object_recipients(obj, args)
            target = target or span_recipients(mention.span, head, args)
            if head.lemma_.lower() in RECEIVER_VERBS and mention.trigger.type == "AID":
                # "X received weapons from Y": Y gives, X is the recipient.
                giver = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "from"), None)
                source, target = args.of(prep_object(giver)) if giver is not None else [], source
        else:
            source, target = noun_arguments(head, args)
            if not source and head.dep_ == "dobj" and args.triggers.get(head.head.i) == "SUPPORT":
                # "X and Y signed an agreement": the agreement is between the parties who sign it
                source, target = verb_arguments(head.head, args)
            target = target or self._fold_relative_clause(mention, args, folded, mentions)
        if mention.trigger.type == "THREATEN":  # "... unless the US withdraws": the US is the one threatened
            target = condition_subject(head, args) or target
        if mention.trigger.type == "ACCUSE" and head.pos_ == "VERB":  # "alleged that France helped ..."
            target = target or clause_subject(head, args)
        if mention.trigger.type == "RETREAT" and head.pos_ == "VERB":  # "troops withdrew from Somalia"
            target = target or withdrawn_from(head, args)
        if mention.trigger.type == "COERCE" and mention.trigger.mode == "seize" and head.pos_ == "VERB":
            target = target or taken_from(head, args)  # "recaptured the town from X"
        if (mention.trigger.type in RECIPROCAL_TYPES or signs_an_agreement(head, args)
                or agreed_with_each_other(head)):
            # "X and Y signed a deal", "X and Y met": each side acts on the other
            source, target = reciprocal_split(head, source, target, args)
        target = target or where_recipient(head, args)
        return source, target or (object_place(head, args) if head.pos_ == "VERB" else place_modifier(head, args))

    def _resolve_described(self, ids: list[str], args: Arguments) -> list[str]:
        """Turn described participants into actors: a nationality alone ("the American contingent")
        stands for that country; a country used as a place stands for the state; a described group or
        person ("Muslim hackers") becomes an actor of its own, with the country its adjective names."""
        analysis = args.index.analysis
        out = []
        for actor_id in ids:
            kind, _, number = actor_id.partition(":")
            if not number:
                out.append(actor_id)
                continue
            token = args.index.doc[int(number)]
            if kind == "adj":
                adjective = nationality(token, self.adjectives)
                if adjective is not None:
                    out.append(self._country_actor(adjective, self.adjectives[adjective.text], analysis))
            elif kind == "nat":
                out.append(self._country_actor(token, self.adjectives[token.text], analysis))
            elif kind == "cty":
                span = name_span(token, args.index)
                out.append(self._country_actor(span, self.country_names[span.text], analysis))
            elif kind == "plc":
                place = args.index.place_at[token.i]
                span = name_span(token, args.index)
                out.append(self._country_actor(span, self.country_codes[place.country], analysis, how="place"))
            elif kind == "grp" and not self._discarded(token):
                out.append(self._described_actor(token, analysis))
        return _unique(out)

    def _discarded(self, head: Token) -> bool:
        """Whether the described participant is named by a phrase that is never an actor ("Manchester
        United signed ..."); "Manchester United fans" are still people."""
        return self.discards is not None and head.i in discarded_tokens(head.sent, self.discards)

    def _country_actor(self, item: Token | SpacySpan, country: Country, analysis: Analysis,
                       how: str | None = None) -> str:
        """The state actor of ``country``, given one more mention (added to the analysis if new)."""
        span = span_of(item)
        how = how or ("adjective" if span.text in self.adjectives else "place")
        mention = Mention_(start=span.start, end=span.end, text=span.text, sentence=sentence_span(_first(item)),
                           how=how)
        existing = next((a for a in analysis.actors if a.kind == "state" and a.country == country.code
                         and a.name == country.name), None)
        if existing is None:
            existing = Actor(id=f"A{len(analysis.actors) + 1}", name=country.name, country=country.code, sector="GOV",
                             kind="state", known=True)
            analysis.actors.append(existing)
        _add_mention(existing, mention)
        return existing.id

    def _described_actor(self, head: Token, analysis: Analysis) -> str:
        """A new actor for a described participant ("20,000 Vietnamese boat people"), or the one an earlier
        event already made for the same phrase."""
        phrase = description_span(head)
        span = span_of(phrase)
        existing = next((a for a in analysis.actors if any(m.start == span.start and m.end == span.end
                                                            for m in a.mentions)), None)
        if existing is not None:
            return existing.id
        adjective = nationality(head, self.adjectives)
        country = self.adjectives[adjective.text].code if adjective is not None else None
        sector = self.role_sectors.get(head.lower_) or ("MIL" if head.lower_ in MILITARY_NOUNS else None)
        kind = "person" if head.ent_type_ == "PERSON" and head.tag_ in {"NN", "NNP"} else (
            "organization" if head.ent_type_ == "ORG" else "group")
        actor = Actor(id=f"A{len(analysis.actors) + 1}", name=span.text, country=country, sector=sector, kind=kind,
                      mentions=[Mention_(start=span.start, end=span.end, text=span.text,
                                         sentence=sentence_span(head), how="description")])
        analysis.actors.append(actor)
        return actor.id

    def _fold_relative_clause(self, mention: Mention, args: Arguments, folded: set[int],
                              mentions: list[Mention]) -> list[str]:
        """ "a drone strike, which killed X": the victim of the clause is the strike's target."""
        for child in mention.head.children:
            if child.dep_ != "relcl":
                continue
            inner = next((m for m in mentions if m.head.i == child.i and m.trigger.type == mention.trigger.type), None)
            if inner is None:
                continue
            obj = next((c for c in child.children if c.dep_ in {"dobj", "nsubjpass"}), None)
            actors = args.of(obj)
            if actors:
                folded.add(child.i)
                return actors
        return []


# Acts done with each other: two coordinated parties and no one else named act on each other.
RECIPROCAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}


def _confidence(source: list[str], target: list[str], time) -> float:
    return round(0.4 + 0.25 * bool(source) + 0.2 * bool(target) + 0.15 * (time is not None), 2)


def _add_mention(actor: Actor, mention: Mention_) -> None:
    """Add a mention to an actor unless it has one starting there; mentions stay in text order."""
    if all(m.start != mention.start for m in actor.mentions):
        actor.mentions.append(mention)
        actor.mentions.sort(key=lambda m: m.start)


def _label_without_act(mention: Mention, event: Event) -> bool:
    """ "foreign funding" as a topic, "patrols" in general: a nominal aid or deployment with no giver, no
    receiver and no amount names a kind of act, not one that happened."""
    head = mention.head
    if head.pos_ != "NOUN" or event.type not in {"AID", "MOBILIZE"} or event.source or event.target:
        return False
    return not any(c.dep_ in {"nummod", "quantmod"} or c.like_num for c in head.subtree)


def _helps_another_act(mention: Mention) -> bool:
    """ "helped the army fight the rebels", "views that helped him win": helping someone do something is
    taking part in that act, not aid (CAMEO codes HELP as aid only when what is given is the help itself)."""
    head = mention.head
    return head.pos_ == "VERB" and head.lemma_.lower() == "help" and any(
        c.dep_ in {"xcomp", "ccomp"} and c.pos_ in {"VERB", "AUX"} for c in head.children)


def _argument_head(mention: Mention) -> Token:
    """The word that carries a trigger's phrases: the trigger's head, or for a hyphenated verb the parser
    splits ("re-examine": "re", "-", "examine") its last part, which takes the object."""
    head = mention.head
    parts = [t for t in mention.span if t.i > head.i and t.pos_ == "VERB"]
    if head.pos_ == "VERB" and parts and any(t.text == "-" for t in mention.span):
        return parts[-1]
    return head


# What one attends that is no visit (CAMEO codes attending these as comments or nothing at all).
NOT_VISITED = {"funeral", "ceremony", "service", "inauguration", "commemoration", "memorial", "mass", "wedding",
               "school", "class", "lecture", "concert", "match", "course", "university", "college", "church",
               "mosque", "hearing", "trial"}


def _without_attendance_of_events(mentions: list[Mention]) -> list[Mention]:
    """ "attended a summit", "attended a rally": attending an event is taking part in it, so the event
    attended is the one (with the attender as its source); "attended a funeral / school" is no visit.
    "attended the Beijing Olympics" is a visit (CAMEO ATTEND 042)."""
    heads = {m.head.i for m in mentions}
    out = []
    for mention in mentions:
        head = mention.head
        if head.pos_ == "VERB" and head.lemma_.lower() == "attend" and len(mention.span) == 1:
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is None or obj.i in heads or obj.lemma_.lower() in NOT_VISITED:
                continue
        out.append(mention)
    return out


# Accidents and disasters: people "killed in a plane crash" or "injured by the earthquake" were not attacked.
ACCIDENT_NOUNS = {"crash", "accident", "fall", "collision", "derailment", "earthquake", "quake", "flood", "flooding", "storm",
                  "landslide", "mudslide", "avalanche", "tsunami", "cyclone", "hurricane", "typhoon", "tornado",
                  "stampede", "heatwave", "disease", "outbreak", "epidemic"}


def _harm_by_accident(mention: Mention) -> bool:
    """ "victims killed by the crash", "were injured in a bus accident": a killing or wounding whose only cause
    is an accident or a natural disaster is no assault (ACLED and CASE count those as disasters)."""
    head = mention.head
    if mention.trigger.type != "ASSAULT" or head.pos_ != "VERB":
        return False
    for child in head.children:
        if child.dep_ in {"agent", "prep"} and child.lower_ in {"by", "in", "during"}:
            cause = next((g for g in child.children if g.dep_ == "pobj"), None)
            if cause is not None and cause.lemma_.lower() in ACCIDENT_NOUNS:
                return True
    return False


def _set_subtypes(events: list[Event], analysis: Analysis, doc: Doc) -> None:
    """Each event's ACLED sub-event type, from its type and mode, the document's other events and who acts."""
    for event in events:
        source = analysis.actor(event.source[0]) if event.source else None
        event.subtype = subtype_of(
            event.type, event.mode, event.context, other_types={e.type for e in events if e is not event},
            state_source=(source.sector in STATE_SECTORS) if source and source.sector else None,
            armed_target=_armed_target(event, analysis, doc),
            protester_source=any(a is not None and a.name.lower().split()[-1] in PROTESTER_WORDS
                                 for a in (analysis.actor(i) for i in event.source)))


def _armed_target(event: Event, analysis: Analysis, doc: Doc) -> bool | None:
    """Whether an attack hits armed men (an armed group, soldiers, police) or a military object ("attacked a
    checkpoint", "an attack on an army base"): ACLED calls that a clash, not an attack on civilians."""
    sectors = [a.sector for a in (analysis.actor(i) for i in event.target) if a is not None and a.sector]
    if any(s in ARMED_SECTORS | {"COP", "UAF"} for s in sectors):
        return True
    civilian = False
    for mention in event.mentions:
        head = token_at_char(doc, mention.start)
        attacked = {t.lemma_.lower() for t in _attacked(head)}
        if attacked & MILITARY_OBJECTS:
            return True
        civilian = civilian or bool(attacked & CIVILIAN_OBJECTS)
    return False if sectors or civilian else None


def _attacked(head: Token) -> list[Token]:
    """The words naming what an attack hits: its object or "on/against/at" phrase, with their modifiers."""
    found = []
    for child in head.children:
        phrase = child
        if child.dep_ == "prep" and child.lower_ in {"on", "against", "at", "upon"}:
            phrase = next((g for g in child.children if g.dep_ == "pobj"), None)
        elif child.dep_ not in {"dobj", "nsubjpass"}:
            continue
        if phrase is not None:
            found += [phrase, *(c for c in phrase.children if c.dep_ in {"compound", "amod"})]
    return found


def _without_background(drafts: list[Draft]) -> list[Draft]:
    """ "the curfew imposed in Sudan after the coup", "athletes killed at the 1972 Games", "the coalition fighting
    the rebels", "lifted the curfew it had imposed", "freed a diplomat it arrested": an act named by a participle
    that only describes a noun, or by a past relative clause on what another act is done to, is background to
    the sentence's news when the sentence reports another act; it is not reported as an event of its own."""
    types = {d.head.i: d.event.type for d in drafts}
    background = {id(d) for d in drafts if _describes_a_noun(d.head, d.event.type)
                  or _past_relative_on_an_act(d.head, types) or _reason_for_punishment(d, types)
                  or _earlier_setting(d)}
    main_sentences = {sent_of(d.head).start for d in drafts if id(d) not in background}
    return [d for d in drafts if not (id(d) in background and sent_of(d.head).start in main_sentences)]


# Speech acts: a text or a crowd does them in a present participle ("a statement calling on X").
VERBAL_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
# What is no armed party when fired on or attacked ("opened fire on a bus"): ACLED's "Attack", not a clash.
CIVILIAN_OBJECTS = {"vehicle", "bus", "car", "minibus", "truck", "plane", "train", "hospital", "school", "clinic",
                    "market", "mosque", "church", "temple", "shrine", "worshipper", "passenger", "civilian",
                    "villager", "shop", "restaurant", "cafe", "house", "home", "wedding", "crowd", "village",
                    "student", "pilgrim", "farmer", "journalist", "family", "motorist", "camp-goer", "hotel"}
# "after weeks of talks", "following the deal": prepositions that place the news after or amid an earlier act.
SETTING_PREPS = {"after", "following", "despite", "since", "amid", "amidst", "before", "ahead", "prior"}
SETTING_KEPT = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE"}
# "at the request / invitation / behest of X": whose bidding the sentence's act follows, a setting of it.
BIDDING_NOUNS = {"request", "invitation", "behest", "urging"}
# Acts that punish: what they are "for" is the charge, not news of its own ("arrested for collaborating").
PUNISHING_TYPES = {"COERCE", "SANCTION"}
# Acts that undo an earlier one ("freed a diplomat it arrested"): that earlier act is background.
UNDOING_TYPES = {"RETREAT", "CONCEDE"}
# Groups and states that a present participle identifies ("the coalition fighting the rebels").
GROUP_NOUNS = {"coalition", "force", "troop", "group", "militia", "army", "rebel", "fighter", "alliance", "militant",
               "faction", "movement", "country", "nation", "state", "government", "regime", "power", "insurgent"}


def _failing_verb(head: Token) -> Token | None:
    """ "failed to reach agreement", "failed to agree": the un-negated verb of failing whose infinitive is the act
    (or takes the act's noun as object), else None ("did not fail to agree" is the act)."""
    verb = head if head.pos_ == "VERB" else (head.head if head.dep_ == "dobj" and head.head.pos_ == "VERB" else None)
    if verb is None or verb.dep_ != "xcomp":
        return None
    failing = verb.head
    if failing.lemma_.lower() not in FAILING_VERBS or any(c.dep_ == "neg" for c in failing.children):
        return None
    return failing


def _describes_a_noun(head: Token, event_type: str) -> bool:
    """ "the curfew imposed in May": a past participle modifying a noun; "the coalition fighting the rebels",
    "forces backing the government": a present participle that says which group or state is meant (not a
    crowd protesting, nor a text or a crowd speaking: "a report accusing the army")."""
    if _reduced_relative(head):
        return True
    noun = head.head
    if head.dep_ != "acl" or noun.pos_ not in {"NOUN", "PROPN"}:
        return False
    # The tagger often calls such a participle a past tense ("the journalists jailed for ... were freed").
    if head.tag_ in {"VBN", "VBD"}:
        return True
    named_group = noun.ent_type_ in {"ORG", "NORP", "GPE"} or noun.lemma_.lower() in GROUP_NOUNS
    return head.tag_ == "VBG" and named_group and event_type not in VERBAL_TYPES | {"PROTEST"}


def _earlier_setting(draft: Draft) -> bool:
    """ "following the partial peace deal", "after weeks of talks", "despite the agreement", "since the truce", "ahead
    of the talks": an act named only as the time or circumstance of the sentence's news is background to it. Force and
    protest named so stay events ("after a rocket attack": the attack is news of its own)."""
    head = draft.head
    if head.pos_ != "NOUN" or draft.event.type in SETTING_KEPT or head.dep_ != "pobj":
        return False
    prep = head.head
    if (prep.lower_, prep.head.lower_) in {("of", "ahead"), ("to", "prior")}:
        prep = prep.head  # "ahead of the talks", "prior to the summit": the adverb heads the phrase
    if prep.lower_ == "at" and head.lemma_.lower() in BIDDING_NOUNS:
        return prep.head.pos_ in {"VERB", "AUX"}  # "trains pilots at the request of Baghdad": why the act is done
    return prep.lower_ in SETTING_PREPS and prep.head.pos_ in {"VERB", "AUX"}


def _reason_for_punishment(draft: Draft, trigger_types: dict[int, str]) -> bool:
    """ "was arrested for collaborating with the rebels", "jailed over cooperation with a foreign agency": the
    charge an arrest or sentence is for. Violence charged stays an event ("arrested for attacking a nurse")."""
    head = draft.head
    if head.dep_ not in {"pcomp", "pobj"} or head.head.lower_ not in {"for", "over"} or draft.event.type == "ASSAULT":
        return False
    return trigger_types.get(head.head.head.i) in PUNISHING_TYPES


def _past_relative_on_an_act(head: Token, trigger_types: dict[int, str]) -> bool:
    """ "freed a diplomat it arrested", "announced the release of two men who had been detained", "lifted the
    curfew it had imposed": a relative clause in the past perfect, or one that the act done to its noun undoes
    (a release, a return, a lifted ban), on the object of another trigger (or a noun of its "of" phrase).
    "Police arrested a man who attacked a nurse" keeps the attack: it is news."""
    if head.dep_ != "relcl" or head.tag_ not in {"VBD", "VBN"}:
        return False
    perfect = any(c.dep_ == "aux" and c.lower_ in {"had", "'d"} for c in head.children)
    noun = head.head
    for _ in range(3):
        if noun.dep_ not in {"dobj", "nsubjpass", "pobj", "prep"}:
            return False
        noun = noun.head
        if noun.i in trigger_types:
            return perfect or trigger_types[noun.i] in UNDOING_TYPES
    return False


def _reduced_relative(head: Token) -> bool:
    """ "The prisoners jailed for X were released by Y": a parse that makes the participle the main verb
    and the real one its conjunct (passive, with no subject or "and" of its own) hides a reduced relative
    clause: the participle only describes the subject."""
    if head.dep_ != "ROOT" or head.tag_ not in {"VBD", "VBN"} or any(c.dep_ == "cc" for c in head.children):
        return False
    if not any(c.dep_ == "nsubj" for c in head.children):
        return False
    return any(c.dep_ == "conj" and c.i > head.i and c.tag_ == "VBN"
               and any(g.dep_ == "auxpass" for g in c.children)
               and not any(g.dep_ in {"nsubj", "nsubjpass"} for g in c.children) for c in head.children)
