"""Events stage: PLOVER events with their actor, recipient, date, place and counts.

Triggers are verbs and nouns from ``data/events.tsv`` (single lemmas, and lemma sequences such
as "drone strike" or "call for"). Arguments come from the dependency parse: subject / agent as
source, object / passive subject / "against"-"on" phrases as target; nominal triggers take their
source from modifiers ("US drone strike") and "by" phrases. A definite "the attack" that only
refers back to an earlier event is linked to it instead of becoming a new event.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.factuality import Factuality
from newstrace.lexicon import Country, Lexicons, Trigger
from newstrace.links import DocIndex, conjuncts, resolve_relative
from newstrace.model import Actor, Analysis, Counts, Event
from newstrace.model import Mention as Mention_
from newstrace.spans import sent_of, sentence_span, span_of

TARGET_PREPS = {"against", "on", "at", "upon", "into"}
SOURCE_PREPS = {"by", "from"}
ANAPHOR_SENTENCES = 3  # how far back "the attack" may refer
ANAPHORIC_DETERMINERS = {"the", "this", "that", "these", "those"}
# Verbs whose object or subject is the victim of an assault when the assault is what happens to them
# ("came under fire", "were hit by a strike").
UNDER_VERBS = {"come", "be", "remain", "fall"}
# Feature classes from the most to the least specific: a base or airport before a city before a country.
SPECIFICITY = {"S": 0, "P": 1, "L": 2, "T": 3, "H": 4, "A": 5}
LIGHT_VERBS = {"carry", "launch", "conduct", "stage", "mount", "plot", "plan", "order", "commit", "perpetrate",
               "execute", "unleash", "initiate", "resume", "intensify", "escalate", "step", "prepare", "threaten"}
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
        for trigger in lexicons.triggers:
            words = tuple(t.lower_ for t in nlp.make_doc(trigger.trigger))
            if len(words) == 1:
                self.single.setdefault((trigger.trigger, trigger.pos), trigger)
            else:
                self.multi.setdefault(words[0], []).append((words, trigger))
        for entries in self.multi.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        for cue in lexicons.cues:
            if cue.event and cue.pos == "VERB" and " " not in cue.cue:
                quad = next((t.quad for t in lexicons.triggers if t.type == cue.event), "")
                self.single.setdefault((cue.cue, "VERB"), Trigger(cue.cue, "VERB", cue.event, None, (), quad))
        self.factuality = factuality
        self.adjectives: dict[str, Country] = {a: c for c in lexicons.countries for a in c.adjectives}

    def find(self, doc: Doc, analysis: Analysis) -> tuple[list[Event], dict[int, str]]:
        """Events of ``doc``, and a map from anaphoric trigger tokens to the event they refer to."""
        index = DocIndex(doc, analysis)
        mentions = self._mentions(doc, index)
        events: list[Event] = []
        anaphors: dict[int, str] = {}
        folded: set[int] = set()
        by_head: dict[int, Event] = {}
        for mention in mentions:
            if mention.head.i in folded:
                continue
            antecedent = self._antecedent(mention, events, by_head, index)
            if antecedent is not None:
                anaphors[mention.head.i] = antecedent.id
                continue
            event = self._event(mention, index, analysis, f"E{len(events) + 1}", folded, mentions)
            events.append(event)
            by_head[mention.head.i] = event
        self._fill_locations(doc, events, index)
        return events, anaphors

    # --- triggers -------------------------------------------------------------------------------------

    def _mentions(self, doc: Doc, index: DocIndex) -> list[Mention]:
        found: list[Mention] = []
        taken: set[int] = set()
        for start, end, trigger in self._multiword_matches(doc):
            if any(i in taken for i in range(start, end)):
                continue
            span = doc[start:end]
            head = _head_of(span, trigger.pos)
            if head is None or _inside_name(head, index):
                continue
            found.append(Mention(span, head, trigger))
            taken.update(range(start, end))
        for token in doc:
            if token.i in taken or token.pos_ not in {"VERB", "NOUN"}:
                continue
            trigger = self.single.get((token.lemma_.lower(), token.pos_))
            if trigger is None or _inside_name(token, index) or _is_auxiliary_use(token):
                continue
            found.append(Mention(doc[token.i:token.i + 1], token, trigger))
        return sorted(found, key=lambda m: m.span.start)

    def _multiword_matches(self, doc: Doc) -> list[tuple[int, int, Trigger]]:
        """Multiword triggers matched on either the words or their lemmas, longest first."""
        matches = []
        words = [(t.lower_, t.lemma_.lower()) for t in doc]
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
                    index: DocIndex) -> Event | None:
        """ "the attacks" with no participants of its own refers to the latest event of its type nearby."""
        head = mention.head
        if head.pos_ != "NOUN" or len(mention.span) > 1:
            return None
        det = next((c for c in head.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in ANAPHORIC_DETERMINERS:
            return None
        if any(c.dep_ in {"compound", "poss", "nummod"} for c in head.children) or _noun_arguments(head, index)[0]:
            return None
        window_start = sent_of(head).start
        for _ in range(ANAPHOR_SENTENCES):
            window_start = sent_of(head.doc[max(0, window_start - 1)]).start
        for event in reversed(events):
            if event.type == mention.trigger.type and window_start <= _char_to_token(head.doc, event.trigger.start):
                return event
        return None

    # --- one event ----------------------------------------------------------------------------------------

    def _event(self, mention: Mention, index: DocIndex, analysis: Analysis, event_id: str, folded: set[int],
               mentions: list[Mention]) -> Event:
        head = mention.head
        if head.pos_ == "VERB":
            source, target = _verb_arguments(head, index)
        else:
            source, target = _noun_arguments(head, index)
            target = target or self._fold_relative_clause(mention, index, folded, mentions)
        if mention.trigger.type == "THREATEN" and not target:
            target = _condition_subject(head, index)
        target = self._resolve_described(target, index, analysis)
        status, statement = self.factuality.status(head, analysis.statements)
        time = self._time_of(head, index)
        return Event(
            id=event_id, type=mention.trigger.type, mode=mention.trigger.mode, context=list(mention.trigger.context),
            trigger=span_of(mention.span), sentence=sentence_span(head),
            source=source, target=[t for t in target if t not in source],
            date=time.value if time else analysis.document.published, time=time.id if time else None,
            status=status, statement=statement, confidence=_confidence(source, target, time),
            counts=_counts(head, mentions),
        )

    def _resolve_described(self, ids: list[str], index: DocIndex, analysis: Analysis) -> list[str]:
        """A participant named only by a description with a nationality ("the American contingent")
        stands for that country: link it to the country's actor, adding one if the text has none."""
        out = []
        for actor_id in ids:
            if not actor_id.startswith("adj:"):
                out.append(actor_id)
                continue
            phrase = index.doc[int(actor_id[4:])]
            adjective = next((t for t in phrase.children if t.dep_ in {"amod", "compound"} and t.text in self.adjectives),
                             None)
            if adjective is not None:
                out.append(self._country_actor(adjective, self.adjectives[adjective.text], analysis))
        return out

    def _country_actor(self, token: Token, country: Country, analysis: Analysis) -> str:
        mention = Mention_(start=token.idx, end=token.idx + len(token.text), text=token.text,
                           sentence=sentence_span(token), how="adjective")
        existing = next((a for a in analysis.actors if a.kind == "state" and a.country == country.code
                         and a.name == country.name), None)
        if existing is None:
            existing = Actor(id=f"A{len(analysis.actors) + 1}", name=country.name, country=country.code, sector="GOV",
                             kind="state", known=True)
            analysis.actors.append(existing)
        if all(m.start != mention.start for m in existing.mentions):
            existing.mentions.append(mention)
            existing.mentions.sort(key=lambda m: m.start)
        return existing.id

    def _fold_relative_clause(self, mention: Mention, index: DocIndex, folded: set[int],
                              mentions: list[Mention]) -> list[str]:
        """ "a drone strike, which killed X": the victim of the clause is the strike's target."""
        for child in mention.head.children:
            if child.dep_ != "relcl":
                continue
            inner = next((m for m in mentions if m.head.i == child.i and m.trigger.type == mention.trigger.type), None)
            if inner is None:
                continue
            obj = next((c for c in child.children if c.dep_ in {"dobj", "nsubjpass"}), None)
            actors = index.actors_of(obj)
            if actors:
                folded.add(child.i)
                return actors
        return []

    def _time_of(self, head: Token, index: DocIndex):  # noqa: ANN202 - TimeExpr | None
        """A date in the trigger's own phrase, else the only dated expression of its sentence."""
        own = [t for t in index.times_in(_own_tokens(head)) if t.type in {"DATE", "TIME"} and t.value[:1].isdigit()]
        if own:
            return own[0]
        sentence = [t for t in index.times_in(list(sent_of(head))) if t.type in {"DATE", "TIME"} and t.value[:1].isdigit()]
        return sentence[0] if len({t.value for t in sentence}) == 1 else None

    def _fill_locations(self, doc: Doc, events: list[Event], index: DocIndex) -> None:
        """The place in the trigger's phrase, else a place in its sentence (where-phrases first, the most
        specific first), else one in the sentence before, else the document's most named locative country."""
        places = [p for p in index.analysis.places if not _is_actor_mention(doc, p, index)]
        locative = {p.id for p in places if _is_locative_place(doc, p)}
        counts = Counter(p.country for p in places if p.id in locative and p.country)
        main_country = counts.most_common(1)[0][0] if counts else None
        for event in events:
            head = _token_at_char(doc, event.trigger.start)
            own = [p for p in index.places_in(_own_tokens(head)) if p in places]
            sent = sent_of(head)
            previous = sent_of(doc[sent.start - 1]) if sent.start > 0 else sent
            in_sentence = [p for p in places if sent.start_char <= p.span.start < sent.end_char]
            before = [p for p in places if previous.start_char <= p.span.start < sent.start_char and p.id in locative]
            chosen = own or sorted(in_sentence, key=lambda p: (p.id not in locative, SPECIFICITY.get(p.feature_class or "", 9)))
            chosen = chosen or before
            if chosen:
                event.location = chosen[0].id
            elif main_country:
                event.location = next(p.id for p in places if p.country == main_country and p.id in locative)


# --- argument rules ----------------------------------------------------------------------------------


def _verb_arguments(verb: Token, index: DocIndex) -> tuple[list[str], list[str]]:
    source: list[str] = []
    target: list[str] = []
    for child in verb.children:
        if child.dep_ == "nsubj":
            source += index.actors_of(child)
        elif child.dep_ in {"dobj", "nsubjpass", "dative"}:
            target += index.actors_of(child)
        elif child.dep_ == "agent":
            source += index.actors_of(next((g for g in child.children if g.dep_ == "pobj"), None))
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
            target += index.actors_of(next((g for g in child.children if g.dep_ == "pobj"), None))
    if not source:
        source = _inherited_subject(verb, index)
    return _unique(source), _unique(target)


def _inherited_subject(verb: Token, index: DocIndex) -> list[str]:
    """Subject of "vowed to avenge", "forces that attacked", "a motion demanding" (the one who passed it)."""
    current = verb
    for _ in range(4):
        head = current.head
        if head is current:
            return []
        if current.dep_ in {"xcomp", "conj", "advcl"}:
            subject = next((c for c in head.children if c.dep_ in {"nsubj"}), None)
            if subject is not None:
                return index.actors_of(subject)
            current = head
            continue
        if current.dep_ == "relcl":
            return index.actors_of(head)
        if current.dep_ == "acl":  # "a motion demanding": whoever acts on the motion
            if head.dep_ in {"dobj", "pobj"}:
                governor = head.head if head.dep_ == "dobj" else head.head.head
                subject = next((c for c in governor.children if c.dep_ == "nsubj"), None)
                return index.actors_of(subject)
            return index.actors_of(head)
        return []
    return []


def _noun_arguments(noun: Token, index: DocIndex) -> tuple[list[str], list[str]]:
    source: list[str] = []
    target: list[str] = []
    for child in noun.children:
        if child.dep_ in {"compound", "amod", "poss", "nmod"}:
            source += index.actors_of(child) if child.i in index.actor_at else []
        elif child.dep_ == "prep" and child.lower_ in SOURCE_PREPS:
            source += index.actors_of(next((g for g in child.children if g.dep_ == "pobj"), None))
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
            target += index.actors_of(next((g for g in child.children if g.dep_ == "pobj"), None))
    # "X launched / carried out / plotted attacks": the subject of the light verb is the attacker.
    if not source and noun.dep_ == "dobj" and noun.head.lemma_.lower() in LIGHT_VERBS:
        source += index.actors_of(next((c for c in noun.head.children if c.dep_ == "nsubj"), None))
    # "X came under attack": the subject of the governing verb is the one attacked.
    if noun.dep_ == "pobj" and noun.head.lower_ == "under" and noun.head.head.lemma_ in UNDER_VERBS:
        subject = next((c for c in noun.head.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        target += index.actors_of(subject) or ([f"adj:{subject.i}"] if subject is not None else [])
    return _unique(source), _unique(target)


def _condition_subject(head: Token, index: DocIndex) -> list[str]:
    """The one threatened is the subject of the threat's condition ("... unless the US withdraws")."""
    for token in head.subtree:
        if token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"unless", "if"} for c in token.children):
            subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            return index.actors_of(subject)
    return []


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


def _is_actor_mention(doc: Doc, place, index: DocIndex) -> bool:  # noqa: ANN001
    """ "the US drone strike", "Tehran vowed": a toponym standing for an actor is not where it happened."""
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    return span is not None and any(t.i in index.actor_at for t in span)


def _is_locative_place(doc: Doc, place) -> bool:  # noqa: ANN001
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    while token.dep_ in {"poss", "compound", "amod", "nmod", "appos"} and token.head is not token:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in {"in", "at", "near", "inside", "outside", "across", "around",
                                                            "throughout", "within", "into", "to", "from", "over"}


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


def _confidence(source: list[str], target: list[str], time) -> float:  # noqa: ANN001
    return round(0.4 + 0.25 * bool(source) + 0.2 * bool(target) + 0.15 * (time is not None), 2)


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _char_to_token(doc: Doc, char: int) -> int:
    return _token_at_char(doc, char).i


def _token_at_char(doc: Doc, char: int) -> Token:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else doc[0]


__all__ = ["EventFinder", "conjuncts", "resolve_relative"]
