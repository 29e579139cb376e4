"""Events stage: PLOVER events with their actor, recipient, date, place and counts.

Triggers are verbs and nouns from ``data/events.tsv`` (single lemmas, and lemma sequences such
as "drone strike" or "call for"). Arguments come from the dependency parse: subject / agent as
source, object / passive subject / "against"-"on" phrases as target; nominal triggers take their
source from modifiers ("US drone strike"), "by" phrases and the verb that governs them ("X launched
attacks"). A participant the actors stage has no record for is read from its description: the body a
"leaders of X" phrase belongs to, a country named where an act is done ("called on Israel"), a
nationality ("Israeli jets") or a group noun ("Muslim hackers"). A definite "the attack" that only
refers back to an earlier event is linked to it instead of becoming a new event.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.factuality import Factuality
from newstrace.lexicon import Country, Lexicons, Trigger
from newstrace.links import DocIndex, conjuncts, noun_phrase, resolve_relative
from newstrace.model import Actor, Analysis, Counts, Event
from newstrace.model import Mention as Mention_
from newstrace.places import article_focus, locate_event
from newstrace.spans import sent_of, sentence_span, span_of

TARGET_PREPS = {"against", "on", "at", "upon", "into"}
# Prepositions that introduce whom an act is addressed to or done with ("appealed to X", "talks with X",
# "mediation between X and Y"): the recipient, when the phrase names an actor.
RECIPIENT_PREPS = {"to", "with", "between", "among", "toward", "towards"}
SOURCE_PREPS = {"by", "from"}
# Where an act is done: a country or capital named there stands for the recipient when the text names
# no other ("lifted the curfew in X", "arrived in X on a visit"), as event coders read it.
WHERE_PREPS = {"in", "inside", "throughout", "across"}
# Personal pronouns and possessives: the actors stage resolves some; the rest name no one by themselves.
PRONOUN_WORDS = {"it", "its", "they", "them", "their", "we", "us", "our", "he", "him", "his", "she", "her", "i"}
# Nouns for people that imply no sector (roles.tsv leaves them out) but still name a participant.
PEOPLE_NOUNS = {"people", "person", "persons", "man", "men", "woman", "women", "child", "children", "youth",
                "youths", "family", "families", "follower", "followers", "supporter", "supporters", "member",
                "members", "leader", "leaders", "representative", "representatives", "delegate", "delegates",
                "delegation", "nationals", "immigrant", "immigrants", "prisoner", "prisoners", "detainee",
                "detainees", "captive", "captives", "inmate", "inmates", "victim", "victims", "inhabitants",
                "community", "communities", "side", "sides", "group", "groups", "faction", "factions", "population",
                "crowd", "crowds", "mob", "fundamentalists", "extremists", "hardliners"}
# Quantities and parts that stand for the group they count ("hundreds of troops", "a third of the rebels").
QUANTITY_WORDS = {"dozens", "hundreds", "thousands", "millions", "scores", "tens", "number", "third", "half", "quarter",
                  "majority", "minority", "rest", "part", "bulk", "most", "some", "many", "all", "none", "both", "each",
                  "several", "few", "one", "two", "three"}
# Weapons platforms that stand for the armed forces operating them ("Israeli jets struck").
MILITARY_NOUNS = {"jet", "jets", "warplane", "warplanes", "plane", "planes", "aircraft", "helicopter", "helicopters",
                  "gunship", "gunships", "tank", "tanks", "warship", "warships", "gunboat", "gunboats", "vessel",
                  "vessels", "navy", "artillery", "drone", "drones", "bomber", "bombers", "fighter", "fighters"}
# Verbs whose subject undergoes, witnesses or comments on the act named by their object rather than doing it
# ("survived an attack", "condemned the strike"): their subject is not the act's source.
NOT_AGENT_VERBS = {"survive", "suffer", "face", "witness", "see", "watch", "escape", "fear", "report", "describe",
                   "blame", "condemn", "deny", "investigate", "mourn", "recall", "remember", "discuss", "oppose",
                   "welcome", "criticize", "criticise", "protest", "reject", "support", "endorse", "praise",
                   "demand", "urge", "seek", "request", "predict", "expect", "await", "prevent", "avert", "follow",
                   "cover", "mark", "commemorate", "claim", "admit", "acknowledge", "confirm", "need", "want",
                   "hope", "call", "ask", "propose", "study", "consider", "review", "monitor", "accept", "receive",
                   "join", "resist", "repel", "thwart", "foil", "fight", "avoid"}
# PLOVER codes an announced or planned act by what announcing it is (manual, AGREE / CONCEDE / THREATEN
# sections): future cooperation is AGREE, a future retreat CONCEDE, an intended use of force THREATEN.
INTENDED_TYPE = {"CONSULT": "AGREE", "SUPPORT": "AGREE", "COOPERATE": "AGREE", "AID": "AGREE", "RETREAT": "CONCEDE",
                 "ASSAULT": "THREATEN", "COERCE": "THREATEN", "SANCTION": "THREATEN"}
FUTURE_AUX = {"will", "would", "shall", "'ll", "wo"}  # "wo" is the first token of "won't"
# Types whose announced refusal ("will not withdraw", "would not provide aid") is a REJECT.
COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
# Words whose infinitive complement is what their subject means to do ("plans to impose", "ready to send").
INTENTION_WORDS = {"want", "plan", "intend", "aim", "decide", "wish", "ready", "willing", "prepared", "determined",
                   "poised", "resolve", "mean"}
# "X wants Y to do Z": X asks Y.
WANT_VERBS = {"want", "wish", "expect", "like"}
# Ending a coercive or hostile act ("lift the ban", "call off the strike", "halt the fighting"): PLOVER codes
# lifting curfews and restrictions and suspending protests as CONCEDE, and lifting sanctions or ending
# fighting as RETREAT (as events.tsv does for "lift sanctions" and "ceasefire").
REVERSED = {"COERCE": ("CONCEDE", None), "PROTEST": ("CONCEDE", None), "SANCTION": ("RETREAT", None),
            "ASSAULT": ("RETREAT", "ceasefire")}
ENDING_VERBS = {"lift", "ease", "end", "remove", "revoke", "repeal", "relax", "rescind", "scrap", "cancel", "shorten",
                "loosen", "halt", "stop", "suspend", "abandon", "overturn", "annul", "drop"}
QUADS = {"CONCEDE": "verbal-cooperation", "RETREAT": "material-cooperation"}  # of the REVERSED types
# Verbs of command and approval: with an act as object ("ordered patrols", "approved the extradition"),
# they only say who makes that act happen.
ORDER_VERBS = {"order", "authorize", "authorise", "approve"}
# Dependents of a verb that can supply the other words of a multiword verb trigger.
PARTNER_DEPS = {"dobj", "nsubjpass", "prep", "prt", "dative", "oprd", "acomp"}
# "declined to comment": a refusal to speak is a statement, not a REJECT event.
SPEECH_VERBS = {"comment", "say", "elaborate", "discuss", "confirm", "speak", "answer", "respond", "disclose",
                "reveal", "identify", "name", "specify", "detail"}
# Things that are published, not set free ("released a report", "a press release").
DOCUMENT_NOUNS = {"report", "statement", "video", "footage", "data", "figure", "detail", "list", "photo",
                  "photograph", "image", "picture", "result", "finding", "film", "book", "transcript", "document",
                  "letter", "communique", "text", "recording", "tape", "audio", "album", "song", "study", "survey",
                  "poll", "budget", "guideline", "guidance", "version", "update", "information", "name", "record",
                  "map", "plan", "proposal", "draft", "memo", "memoir", "manifesto", "declaration", "schedule"}
# (preposition, verb) pairs by which the subject takes part in the act the preposition's object names
# ("arrived on a visit", "went on strike", "took part in talks", "engaged in fighting").
JOINING_VERBS = {("on", "arrive"), ("on", "go"), ("on", "come"), ("on", "travel"), ("on", "embark"), ("for", "arrive"),
                 ("for", "leave"), ("for", "travel"), ("for", "fly"), ("for", "return"), ("in", "take"),
                 ("in", "participate"), ("in", "engage"), ("in", "join"), ("in", "involve"), ("into", "enter")}
# Verbs whose subject is the one who gets what their object names ("received aid"): the act's recipient.
RECEIVER_VERBS = {"receive", "get", "obtain", "accept", "win", "gain", "secure"}
ANAPHOR_SENTENCES = 3  # how far back "the attack" may refer
ANAPHORIC_DETERMINERS = {"the", "this", "that", "these", "those"}
# Verbs whose object or subject is the victim of an assault when the assault is what happens to them
# ("came under fire", "were hit by a strike").
UNDER_VERBS = {"come", "be", "remain", "fall"}
LIGHT_VERBS = {"carry", "launch", "conduct", "stage", "mount", "plot", "plan", "order", "authorize", "authorise", "approve",
               "commit", "perpetrate", "execute", "unleash", "initiate", "resume", "intensify", "escalate", "step",
               "prepare", "threaten"}
COUNT_VERBS = {"kill": "killed", "injure": "injured", "wound": "injured", "arrest": "arrested", "detain": "arrested"}
VAGUE_COUNTS = {"dozens": 12, "scores": 12, "dozen": 12, "hundreds": 100, "thousands": 1000, "several": 3,
                "a few": 3, "few": 3, "some": 3, "many": 10, "tens": 10}


@dataclass
class Mention:
    """An event trigger found in the text, before it becomes a record."""

    span: SpacySpan
    head: Token
    trigger: Trigger


class EventFinder:
    """Finds PLOVER events in parsed documents; built once per pipeline."""

    def __init__(self, nlp: Language, lexicons: Lexicons, factuality: Factuality) -> None:
        self.single: dict[tuple[str, str], Trigger] = {}
        # Multiword triggers by their first word: a dictionary walk over lemmas is several times
        # faster than spaCy's token Matcher with hundreds of lemma patterns.
        self.multi: dict[str, list[tuple[tuple[str, ...], Trigger]]] = {}
        # Multiword verb triggers also match through the parse ("lifted the night curfew", "laid down their
        # arms"): verb lemma -> (the words its particle, preposition or object must supply, trigger).
        self.verb_pairs: dict[str, list[tuple[tuple[str, ...], Trigger]]] = {}
        for trigger in lexicons.triggers:
            words = tuple(t.lower_ for t in nlp.make_doc(trigger.trigger))
            if len(words) == 1:
                self.single.setdefault((trigger.trigger, trigger.pos), trigger)
            else:
                self.multi.setdefault(words[0], []).append((words, trigger))
            if len(words) in {2, 3} and trigger.pos == "VERB":
                self.verb_pairs.setdefault(words[0], []).append((words[1:], trigger))
        for pairs in self.verb_pairs.values():
            pairs.sort(key=lambda entry: -len(entry[0]))
        for entries in self.multi.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        for cue in lexicons.cues:
            if cue.event and cue.pos == "VERB" and " " not in cue.cue:
                quad = next((t.quad for t in lexicons.triggers if t.type == cue.event), "")
                self.single.setdefault((cue.cue, "VERB"), Trigger(cue.cue, "VERB", cue.event, None, (), quad))
        self.factuality = factuality
        self.adjectives: dict[str, Country] = {a: c for c in lexicons.countries for a in c.adjectives}
        # Country names and capitals, to read "called on Israel" (a place to the actors stage) as the state.
        self.country_names: dict[str, Country] = {}
        for country in lexicons.countries:
            for name in (*country.capitals, *country.aliases, country.name):
                self.country_names[name] = country
        self.role_sectors: dict[str, str] = {r.term.lower(): r.sector for r in lexicons.roles}

    def find(self, doc: Doc, analysis: Analysis) -> tuple[list[Event], dict[int, str]]:
        """Events of ``doc``, and a map from anaphoric trigger tokens to the event they refer to."""
        index = DocIndex(doc, analysis)
        mentions = self._mentions(doc, index)
        args = Arguments(index, self, {m.head.i: m.trigger.type for m in mentions})
        events: list[Event] = []
        anaphors: dict[int, str] = {}
        folded: set[int] = set()
        by_head: dict[int, Event] = {}
        for mention in mentions:
            if mention.head.i in folded:
                continue
            antecedent = self._antecedent(mention, events, by_head, args)
            if antecedent is not None:
                anaphors[mention.head.i] = antecedent.id
                continue
            event = self._event(mention, args, f"E{len(events) + 1}", folded, mentions)
            events.append(event)
            by_head[mention.head.i] = event
        self._fill_locations(doc, events, index)
        return events, anaphors

    # --- triggers -------------------------------------------------------------------------------------

    def _mentions(self, doc: Doc, index: DocIndex) -> list[Mention]:
        """Trigger mentions in text order: multiword triggers first, then verbs with their separated
        partner words, then single words; each token belongs to one mention."""
        found: list[Mention] = []
        taken: set[int] = set()
        tokens = list(doc)  # spaCy builds a new Token object on every access: walk the document once
        for start, end, trigger in self._multiword_matches(tokens):
            if any(i in taken for i in range(start, end)):
                continue
            span = doc[start:end]
            head = _head_of(span, trigger.pos)
            if head is None or _inside_name(head, index) or _not_an_act(head, trigger):
                continue
            found.append(Mention(span, head, trigger))
            taken.update(range(start, end))
        for verb, partner, trigger in self._verb_pair_matches(tokens, taken):
            if _inside_name(verb, index) or _not_an_act(verb, trigger):
                continue
            span = doc[min(verb.i, partner.i):max(verb.i, partner.i) + 1]
            found.append(Mention(span, verb, trigger))
            taken.update({verb.i, partner.i} | {c.i for c in verb.children if c.dep_ in {"prt", "dobj"} and c.i < span.end})
        for token in tokens:
            if token.i in taken or token.pos_ not in {"VERB", "NOUN"}:
                continue
            trigger = self.single.get((token.lemma_.lower(), token.pos_))
            if trigger is None or _inside_name(token, index) or _is_auxiliary_use(token) or _not_an_act(token, trigger):
                continue
            found.append(Mention(doc[token.i:token.i + 1], token, trigger))
        return sorted(_without_orders(self._reversals(found)), key=lambda m: m.span.start)

    def _reversals(self, found: list[Mention]) -> list[Mention]:
        """ "lifted the ban", "called off the strike", "halted the fighting": ending a coercive or hostile
        act is a concession or a retreat (PLOVER manual, CONCEDE and RETREAT), named by verb and object."""
        by_head = {m.head.i: m for m in found}
        out = []
        dropped: set[int] = set()
        for mention in found:
            head = mention.head
            verb = head.head
            reversed_type = REVERSED.get(mention.trigger.type)
            if (reversed_type is None or head.pos_ != "NOUN" or head.dep_ not in {"dobj", "nsubjpass"}
                    or verb.lemma_.lower() not in ENDING_VERBS or verb.pos_ != "VERB"):
                out.append(mention)
                continue
            dropped.add(verb.i)  # the verb's own reading ("suspend" as a sanction) gives way to the pair
            doc = head.doc
            span = doc[min(verb.i, mention.span.start):max(verb.i + 1, mention.span.end)]
            trigger = Trigger(span.text.lower(), "VERB", reversed_type[0], reversed_type[1], mention.trigger.context,
                              QUADS[reversed_type[0]])
            out.append(Mention(span, verb, trigger))
        return [m for m in out if not (m.head.i in dropped and by_head.get(m.head.i) is m)]

    def _verb_pair_matches(self, tokens: list[Token], taken: set[int]) -> list[tuple[Token, Token, Trigger]]:
        """Multiword verb triggers whose words the text separates: the verb with its object ("lifted the
        curfew", "the curfew was lifted"), preposition ("gave 600 rifles to") or particle and object ("laid
        down their arms"). Returns the verb, the last partner word and the trigger."""
        matches = []
        for verb in tokens:
            entries = self.verb_pairs.get(verb.lemma_.lower()) if verb.pos_ == "VERB" and verb.i not in taken else None
            if not entries:
                continue
            partners: dict[str, Token] = {}
            for child in verb.children:
                if child.i in taken or child.dep_ not in PARTNER_DEPS:
                    continue
                for word in (child.lower_, child.lemma_.lower()):
                    partners.setdefault(word, child)
                if child.dep_ in {"dobj", "nsubjpass"}:  # "shared intelligence information"
                    for compound in (c for c in child.children if c.dep_ == "compound"):
                        partners.setdefault(compound.lower_, child)
            for rest, trigger in entries:
                if all(word in partners for word in rest):
                    matches.append((verb, max((partners[w] for w in rest), key=lambda t: t.i), trigger))
                    break
        return matches

    def _multiword_matches(self, tokens: list[Token]) -> list[tuple[int, int, Trigger]]:
        """Multiword triggers matched on either the words or their lemmas, longest first."""
        matches = []
        words = [(t.lower_, t.lemma_.lower()) for t in tokens]
        for i, (lower, lemma) in enumerate(words):
            entries = self.multi.get(lower, []) + (self.multi.get(lemma, []) if lemma != lower else [])
            for pattern, trigger in entries:
                end = i + len(pattern)
                if end <= len(words) and all(p in words[i + k] for k, p in enumerate(pattern)):
                    matches.append((i, end, trigger))
                    break
        return sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0]))

    # --- anaphora -----------------------------------------------------------------------------------------

    def _antecedent(self, mention: Mention, events: list[Event], by_head: dict[int, Event],
                    args: Arguments) -> Event | None:
        """ "the attacks" with no participants of its own refers to the latest event of its type nearby."""
        head = mention.head
        if head.pos_ != "NOUN" or len(mention.span) > 1:
            return None
        det = next((c for c in head.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in ANAPHORIC_DETERMINERS:
            return None
        if any(c.dep_ in {"compound", "poss", "nummod"} for c in head.children) or _noun_arguments(head, args)[0]:
            return None
        window_start = sent_of(head).start
        for _ in range(ANAPHOR_SENTENCES):
            window_start = sent_of(head.doc[max(0, window_start - 1)]).start
        for event in reversed(events):
            if event.type == mention.trigger.type and window_start <= _char_to_token(head.doc, event.trigger.start):
                return event
        return None

    # --- one event ----------------------------------------------------------------------------------------

    def _event(self, mention: Mention, args: Arguments, event_id: str, folded: set[int],
               mentions: list[Mention]) -> Event:
        """The event record of one trigger mention, typed by what is only intended or asked for."""
        head = mention.head
        index, analysis = args.index, args.index.analysis
        source, target = self._arguments(mention, args, folded, mentions)
        event_type, mode = mention.trigger.type, mention.trigger.mode
        intention = _intention(head, args)
        if intention is not None and intention[0] == "ask":
            # "X wants Y to pay compensation": X asks Y; the payment itself has not happened.
            event_type, mode = "REQUEST", None
            source, target = _wanter_and_asked(intention[1], args)
        elif intention is not None and intention[0] == "refuse":
            if event_type in COOPERATIVE:  # "will not withdraw", "would not provide support": a refusal
                event_type, mode = "REJECT", None
        elif intention is not None and event_type in INTENDED_TYPE:
            event_type, mode = INTENDED_TYPE[event_type], None
        source = self._resolve_described(source, args)
        target = self._resolve_described(target, args)
        status, statement = self.factuality.status(head, analysis.statements)
        time = self._time_of(head, index)
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
        head = mention.head
        if head.pos_ == "VERB":
            source, target = _verb_arguments(head, args)
            # "lifted sanctions on Iran": the object named in the trigger carries the recipient.
            for obj in (t for t in mention.span if t.head.i == head.i and t.dep_ in {"dobj", "nsubjpass"}):
                target = [t for t in target if not t.endswith(f":{obj.i}")] + _object_recipients(obj, args)
            if head.lemma_.lower() in RECEIVER_VERBS and mention.trigger.type == "AID":
                # "X received weapons from Y": Y gives, X is the recipient.
                giver = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "from"), None)
                source, target = args.of(_pobj(giver)) if giver is not None else [], source
        else:
            source, target = _noun_arguments(head, args)
            target = target or self._fold_relative_clause(mention, args, folded, mentions)
        if mention.trigger.type == "THREATEN":  # "... unless the US withdraws": the US is the one threatened
            target = _condition_subject(head, args) or target
        return source, target or _where_recipient(head, args)

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
                adjective = _nationality(token, self.adjectives)
                if adjective is not None:
                    out.append(self._country_actor(adjective, self.adjectives[adjective.text], analysis))
            elif kind == "nat":
                out.append(self._country_actor(token, self.adjectives[token.text], analysis))
            elif kind == "cty":
                span = _name_span(token, args.index)
                out.append(self._country_actor(span, self.country_names[span.text], analysis))
            elif kind == "grp":
                out.append(self._described_actor(token, analysis))
        return _unique(out)

    def _country_actor(self, item: Token | SpacySpan, country: Country, analysis: Analysis) -> str:
        """The state actor of ``country``, given one more mention (added to the analysis if new)."""
        span = span_of(item)
        mention = Mention_(start=span.start, end=span.end, text=span.text, sentence=sentence_span(_first(item)),
                           how="adjective" if span.text in self.adjectives else "place")
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
        phrase = _description_span(head)
        span = span_of(phrase)
        existing = next((a for a in analysis.actors if any(m.start == span.start and m.end == span.end
                                                            for m in a.mentions)), None)
        if existing is not None:
            return existing.id
        adjective = _nationality(head, self.adjectives)
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

    def _time_of(self, head: Token, index: DocIndex):
        """A date in the trigger's own phrase, else the only dated expression of its sentence."""
        own = [t for t in index.times_in(_own_tokens(head)) if t.type in {"DATE", "TIME"} and t.value[:1].isdigit()]
        if own:
            return own[0]
        sentence = [t for t in index.times_in(list(sent_of(head))) if t.type in {"DATE", "TIME"} and t.value[:1].isdigit()]
        return sentence[0] if len({t.value for t in sentence}) == 1 else None

    def _fill_locations(self, doc: Doc, events: list[Event], index: DocIndex) -> None:
        """Each event's place: see :func:`newstrace.places.locate_event`."""
        places = index.analysis.places
        focus = article_focus(doc, places, index.actor_at)
        for event in events:
            event.location = locate_event(_token_at_char(doc, event.trigger.start), places, focus, index.actor_at)


# --- arguments ---------------------------------------------------------------------------------------


class Arguments:
    """The actors a phrase names in one document: the actors stage's records first, else what the
    phrase describes. Descriptions come back as placeholders (``grp:``, ``cty:``, ``adj:``, ``nat:`` and
    a token index) that ``EventFinder._resolve_described`` turns into actors once an event keeps them."""

    def __init__(self, index: DocIndex, finder: EventFinder, triggers: dict[int, str]) -> None:
        self.index = index
        self.finder = finder
        self.triggers = triggers  # token index of each event trigger -> its event type

    def of(self, token: Token | None) -> list[str]:
        """Actor ids (or placeholders) for the noun phrase headed by ``token`` and its conjuncts."""
        if token is None:
            return []
        token = resolve_relative(token)
        found: list[str] = []
        for head in [token, *conjuncts(token)]:
            found += self._one(head)
        return _unique(found)

    def country(self, token: Token) -> list[str]:
        """A country or capital named by ``token``'s phrase, as a placeholder for its state."""
        span = _name_span(token, self.index)
        return [f"cty:{token.i}"] if span is not None and span.text in self.finder.country_names else []

    def _one(self, head: Token) -> list[str]:
        """The actor one phrase head names: a record, a country used as a place, an owner or a description."""
        actor = _direct_actor(head, self.index)
        if actor is not None:
            return [actor]
        if head.pos_ in {"PRON", "DET", "NUM"} or head.lower_ in QUANTITY_WORDS:
            return self._part_of(head) if head.lower_ not in PRONOUN_WORDS else []
        if head.pos_ == "PROPN" or head.ent_type_ in {"GPE", "LOC"}:
            country = self.country(head)
            if country:
                return country
        owner = self._owner(head)
        if owner or head.i in self.triggers:
            return owner
        return self._description(head)

    def _owner(self, head: Token) -> list[str]:
        """ "X's delegation", "praised X's efforts", "demanded X's withdrawal": what is X's stands for X;
        "leaders of X", "members from X": the body a group of people is part of."""
        if head.pos_ != "NOUN":
            return []
        # A pronoun owner ("their arms") is mostly the doer itself, not the one acted on.
        poss = next((c for c in head.children if c.dep_ == "poss" and c.lower_ not in PRONOUN_WORDS), None)
        if poss is not None:
            return self.of(poss)
        return self._part_of(head) if head.lower_ in PEOPLE_NOUNS else []

    def _part_of(self, head: Token) -> list[str]:
        """ "hundreds of UN troops", "some of the rebels", "leaders of X": the actors of the "of" phrase."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in {"of", "from"}:
                found = self.of(_pobj(child))
                if found:
                    return found
        return []

    def _description(self, head: Token) -> list[str]:
        """A phrase naming people or armed forces becomes a described actor; any other phrase with a
        nationality ("an Indian proposal") stands for that country."""
        adjective = _nationality(head, self.finder.adjectives)
        # A religious or ethnic group word ("Muslim hackers", "Shiite militiamen"), not a country's adjective.
        group_modifier = adjective is None and any(c.dep_ in {"amod", "compound"} and c.ent_type_ == "NORP"
                                                   for c in head.children)
        if head.pos_ in {"NOUN", "PROPN"} and (
                head.ent_type_ in {"NORP", "PERSON", "ORG"} or head.lower_ in PEOPLE_NOUNS
                or head.lower_ in self.finder.role_sectors
                or (head.lower_ in MILITARY_NOUNS and adjective is not None)
                or (group_modifier and head.tag_ in {"NNS", "NNPS"})):
            return [f"grp:{head.i}"]
        return [f"adj:{head.i}"] if adjective is not None else []


def _direct_actor(head: Token, index: DocIndex) -> str | None:
    """The actor whose mention covers ``head`` or one of its name modifiers (as ``DocIndex.actors_of``)."""
    actor = index.actor_at.get(head.i)
    if actor is None:
        actor = next((index.actor_at[c.i] for c in head.children
                      if c.dep_ in {"compound", "amod", "nmod", "appos"} and c.i in index.actor_at), None)
    return actor


def _nationality(head: Token, adjectives: dict[str, Country]) -> Token | None:
    """The first nationality adjective modifying ``head`` ("Israeli jets", "French and Egyptian warships")."""
    for child in head.children:
        if child.dep_ in {"amod", "compound", "nmod"}:
            for word in [child, *conjuncts(child)]:
                if word.text in adjectives:
                    return word
    return None


def _name_span(token: Token, index: DocIndex) -> SpacySpan | None:
    """The name ``token`` ends: the place that covers it, else the token with its compound words."""
    place = index.place_at.get(token.i)
    doc = token.doc
    if place is not None:
        span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
        if span is not None:
            return span[1:] if len(span) > 1 and span[0].lower_ == "the" else span
    start = token.i
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == token.i:
        start -= 1
    return doc[start:token.i + 1]


def _description_span(head: Token) -> SpacySpan:
    """The described participant's noun phrase ("20,000 Vietnamese boat people"), without edge punctuation."""
    phrase = noun_phrase(head)
    start, end = phrase.start, phrase.end
    doc = head.doc
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end - 1 > head.i and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def _verb_arguments(verb: Token, args: Arguments) -> tuple[list[str], list[str]]:
    """Source (subject, agent) and target (object, passive subject, recipient phrase) of a verb trigger."""
    source: list[str] = []
    target: list[str] = []
    for child in verb.children:
        if child.dep_ == "nsubj":
            source += args.of(child)
        elif child.dep_ in {"dobj", "nsubjpass"}:
            target += args.of(child)
        elif child.dep_ == "dative":  # "gave Y aid", or a "to Y" the parser reads as the indirect object
            target += args.of(_pobj(child) if child.pos_ == "ADP" else child)
        elif child.dep_ == "agent":
            source += args.of(_pobj(child))
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS | RECIPIENT_PREPS:
            target += args.of(_pobj(child))
    if verb.dep_ == "acl" and verb.tag_ == "VBN":  # "civilians imprisoned for ...": they are the target
        target += args.of(verb.head)
    if not source:
        source = _inherited_subject(verb, args)
    if not target:
        target = _embedded_recipient(verb, args)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if not target and obj is not None:  # "demanded the removal of X", "rejected X's proposal"
        target = args.of(_pobj(next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), obj)))
    return _unique(source), _unique(target)


def _embedded_recipient(verb: Token, args: Arguments) -> list[str]:
    """ "agreed to provide aid to X", "threatened to attack X", "promised to reform X": the one the promised,
    agreed or threatened act is aimed at is the recipient of the promise, agreement or threat."""
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            found = _verb_arguments(child, args)[1]
            obj = next((c for c in child.children if c.dep_ == "dobj"), None)
            found = found or (_object_recipients(obj, args) if obj is not None else _where_recipient(child, args))
            if found:
                return found
    return []


def _where_recipient(head: Token, args: Arguments) -> list[str]:
    """A country or capital the act is done in stands for its recipient when none is named."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in WHERE_PREPS:
            pobj = _pobj(child)
            if pobj is not None and pobj.pos_ == "PROPN":
                found = args.country(pobj)
                if found:
                    return found
    return []


def _inherited_subject(verb: Token, args: Arguments) -> list[str]:
    """Subject of "vowed to avenge", "forces that attacked", "a motion demanding" (the one who passed it),
    and of "X said it would withdraw" (a pronoun the actors stage left unresolved stands for the speaker)."""
    current = verb
    for _ in range(5):
        head = current.head
        if head.i == current.i:
            return []
        if current.dep_ in {"xcomp", "conj", "advcl", "acomp", "ccomp"}:
            if current.dep_ == "ccomp" and not _pronoun_subject(current):
                return []
            # "X is expected to attend": the passive subject of a raising verb does the infinitive's act.
            deps = {"nsubj", "nsubjpass"} if current.dep_ == "xcomp" else {"nsubj"}
            subject = next((c for c in head.children if c.dep_ in deps), None)
            if subject is not None and not (subject.lower_ in PRONOUN_WORDS and not args.of(subject)):
                return args.of(subject)
            current = head
            continue
        if current.dep_ == "relcl":
            return args.of(head)
        if current.dep_ == "acl":  # "a motion demanding": whoever acts on the motion
            if current.tag_ == "VBN":  # "the curfew imposed in X": the phrase is what was acted on
                return []
            if head.dep_ in {"dobj", "pobj"}:
                governor = head.head if head.dep_ == "dobj" else head.head.head
                subject = next((c for c in governor.children if c.dep_ == "nsubj"), None)
                return args.of(subject)
            return args.of(head)
        return []
    return []


def _pronoun_subject(verb: Token) -> bool:
    """Whether the clause's subject is a personal pronoun ("... it would withdraw")."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and subject.lower_ in PRONOUN_WORDS


def _noun_arguments(noun: Token, args: Arguments) -> tuple[list[str], list[str]]:
    """Source (modifiers, "by"/"from" phrases, the governing verb's subject) and target of a nominal trigger."""
    index = args.index
    source: list[str] = []
    target: list[str] = []
    # "a mediation mission between X and Y": a trigger that qualifies another noun shares its phrases.
    phrase_preps = [c for c in noun.head.children if c.dep_ == "prep"] if noun.dep_ == "compound" else []
    for child in [*noun.children, *phrase_preps]:
        if child.dep_ in {"compound", "amod", "poss", "nmod"}:
            if child.i in index.actor_at:
                source += index.actors_of(child)
            elif child.text in args.finder.adjectives:  # "Israeli air strikes"
                source.append(f"nat:{child.i}")
        elif child.dep_ == "prep" and child.lower_ in SOURCE_PREPS:
            source += args.of(_pobj(child))
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS | RECIPIENT_PREPS | {"for"}:
            target += args.of(_pobj(child))
    governor = _governing_verb(noun, args)
    if governor is not None:
        # "X launched attacks", "X gave Y aid", "Y received aid": the governing verb's participants.
        subject = next((c for c in governor.children if c.dep_ == "nsubj"), None)
        actors = args.of(subject) if subject is not None else _inherited_subject(governor, args)
        if governor.lemma_.lower() in RECEIVER_VERBS:  # "X received aid from Y"
            target = target or actors
            giver = next((c for c in governor.children if c.dep_ == "prep" and c.lower_ == "from"), None)
            source = source or (args.of(_pobj(giver)) if giver is not None else [])
        else:
            source = source or actors
            target = target or _verb_recipients(governor, args) or _where_recipient(governor, args)
    # "X came under attack": the subject of the governing verb is the one attacked.
    if noun.dep_ == "pobj" and noun.head.lower_ == "under" and noun.head.head.lemma_ in UNDER_VERBS:
        subject = next((c for c in noun.head.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        target += args.of(subject)
    return _unique(source), _unique(target)


def _object_recipients(obj: Token, args: Arguments) -> list[str]:
    """Who the object of a verb trigger is aimed at ("sanctions on Iran", "the curfew in X")."""
    found: list[str] = []
    for child in obj.children:
        if child.dep_ == "prep" and child.lower_ in TARGET_PREPS | RECIPIENT_PREPS | {"for"}:
            found += args.of(_pobj(child))
    return found or _where_recipient(obj, args)


def _governing_verb(noun: Token, args: Arguments) -> Token | None:
    """The verb whose object the nominal trigger is ("launched attacks", "gave 5 million dollars of aid"),
    when that verb is not an event of its own nor one whose subject only undergoes or comments on it."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ == "dobj":
        noun = noun.head.head  # "dollars of aid", "days of war games"
    if noun.dep_ == "pobj" and (noun.head.lower_, noun.head.head.lemma_.lower()) in JOINING_VERBS:
        return noun.head.head  # "arrived on a visit", "took part in the talks"
    if noun.dep_ != "dobj":
        return None
    verb = noun.head
    lemma = verb.lemma_.lower()
    if lemma in LIGHT_VERBS or lemma in RECEIVER_VERBS:
        return verb
    if verb.pos_ != "VERB" or verb.i in args.triggers or lemma in NOT_AGENT_VERBS:
        return None
    return verb


def _verb_recipients(verb: Token, args: Arguments) -> list[str]:
    """Whom a verb's act goes to: its indirect object or a "to"/"on"/"against" phrase."""
    for child in verb.children:
        if child.dep_ == "dative" or (child.dep_ == "prep" and child.lower_ in TARGET_PREPS | RECIPIENT_PREPS):
            found = args.of(child if child.dep_ == "dative" and child.pos_ != "ADP" else _pobj(child))
            if found:
                return found
    return []


def _intention(head: Token, args: Arguments) -> tuple[str, Token] | None:
    """Whether the act is only intended: ("own", verb) when its doer announces or plans it ("will withdraw",
    "plans to impose"), ("refuse", verb) when the doer says it will not ("would not provide support"),
    ("ask", verb) when someone wants another to do it ("X wants Y to pay"). An act
    that is the object of another event ("threatened to strike", "agreed to provide") is left to that event."""
    verb = head if head.pos_ == "VERB" else _governing_verb(head, args)
    if verb is None:
        return None
    governor = verb.head
    if verb.dep_ in {"xcomp", "ccomp"} and governor.i in args.triggers:
        return None
    if verb.dep_ == "ccomp" and governor.lemma_.lower() in WANT_VERBS and any(
            c.dep_ == "nsubj" for c in verb.children) and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return "ask", verb
    if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in verb.children):
        return ("refuse" if _negated(verb) else "own"), verb
    if verb.dep_ == "xcomp" and governor.lemma_.lower() in INTENTION_WORDS and not _negated(governor):
        return "own", verb
    return None


def _wanter_and_asked(verb: Token, args: Arguments) -> tuple[list[str], list[str]]:
    """The one who wants (subject of "want") and the one asked (subject of the wanted act)."""
    wanter = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    asked = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    source = args.of(wanter) if wanter is not None else _inherited_subject(verb.head, args)
    return source, args.of(asked)


def _negated(verb: Token) -> bool:
    """Whether the verb carries a negation ("not", "never", "n't")."""
    return any(c.dep_ == "neg" for c in verb.children)


def _condition_subject(head: Token, args: Arguments) -> list[str]:
    """The one threatened is the subject of the threat's condition ("... unless the US withdraws")."""
    for token in head.subtree:
        if token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"unless", "if"} for c in token.children):
            subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            return args.of(subject)
    return []


def _pobj(prep: Token) -> Token | None:
    """The object of a preposition, if the parse gives one."""
    return next((g for g in prep.children if g.dep_ == "pobj"), None)


def _own_tokens(head: Token) -> list[Token]:
    """The trigger's own phrase: its subtree without embedded clauses."""
    tokens = [head]
    stack = [head]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.dep_ in {"relcl", "ccomp", "advcl", "acl", "conj", "cc", "parataxis", "xcomp"}:
                continue
            tokens.append(child)
            stack.append(child)
    return tokens


def _head_of(span: SpacySpan, pos: str) -> Token | None:
    if pos == "VERB":
        return next((t for t in span if t.pos_ == "VERB"), None)
    nouns = [t for t in span if t.pos_ in {"NOUN", "PROPN"}]
    return nouns[-1] if nouns else None


def _inside_name(token: Token, index: DocIndex) -> bool:
    """A trigger word inside an organisation's name ("Islamic Jihad") is not an event."""
    actor_id = index.actor_at.get(token.i)
    if actor_id is None:
        return False
    actor = index.analysis.actor(actor_id)
    return actor is not None and actor.kind == "organization"


def _without_orders(found: list[Mention]) -> list[Mention]:
    """ "The government ordered patrols", "the court approved the extradition": an order or approval whose
    object is itself an act is how that act is done (its source comes from the verb), not an event of its own."""
    acts = {m.head.i for m in found if m.head.pos_ == "NOUN"}
    return [m for m in found if not (m.head.lemma_.lower() in ORDER_VERBS and m.head.pos_ == "VERB"
                                     and any(c.dep_ == "dobj" and c.i in acts for c in m.head.children))]


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


def _is_auxiliary_use(token: Token) -> bool:
    """ "force the hand", "the hand of": verbs that are idioms or modifiers here, not events."""
    return token.dep_ == "amod" and token.tag_ == "VBN" and token.head.pos_ == "NOUN"


def _counts(head: Token, mentions: list[Mention]) -> Counts | None:
    """Killed / injured / arrested figures next to the trigger or a count verb in its sentence."""
    values: dict[str, int] = {}
    for token in sent_of(head):
        field = COUNT_VERBS.get(token.lemma_.lower())
        if field is None:
            continue
        number = None
        for child in token.children:
            if child.dep_ in {"dobj", "nsubjpass"}:
                number = _number_of(child)
        if number is not None:
            values.setdefault(field, number)
    return Counts(**values) if values else None


def _number_of(noun: Token) -> int | None:
    candidates = [noun, *[c for c in noun.children if c.dep_ in {"nummod", "amod", "quantmod"}]]
    for token in candidates:
        text = token.lower_.replace(",", "")
        if text.isdigit():
            return int(text)
        if text in VAGUE_COUNTS:
            return VAGUE_COUNTS[text]
        for child in token.children:
            if child.dep_ in {"nummod", "quantmod"} and child.lower_.replace(",", "").isdigit():
                return int(child.lower_.replace(",", ""))
    return None


def _confidence(source: list[str], target: list[str], time) -> float:
    return round(0.4 + 0.25 * bool(source) + 0.2 * bool(target) + 0.15 * (time is not None), 2)


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _first(item: Token | SpacySpan) -> Token:
    """The token itself, or a span's first token."""
    return item if isinstance(item, Token) else item[0]


def _add_mention(actor: Actor, mention: Mention_) -> None:
    """Add a mention to an actor unless it has one starting there; mentions stay in text order."""
    if all(m.start != mention.start for m in actor.mentions):
        actor.mentions.append(mention)
        actor.mentions.sort(key=lambda m: m.start)


def _char_to_token(doc: Doc, char: int) -> int:
    return _token_at_char(doc, char).i


def _token_at_char(doc: Doc, char: int) -> Token:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else doc[0]


__all__ = ["EventFinder", "conjuncts", "resolve_relative"]
