"""Mentions of one incident within a document become one event record.

A report names one attack many times: "Car bomb kills 9" (headline), "a car bomb exploded ..., killing nine
people and wounding 20", "the blast destroyed shops", "the attack". Each trigger first becomes a draft event
(``finder``); ``merge_incidents`` then joins the drafts that name the same real-world event, in text order,
when nothing they say contradicts it (another doer, another place named in the phrase, another date, another
status) and one of these links holds:

- same sentence: both are in one sentence ("exploded ..., killing nine");
- reference: the later one is a definite or demonstrative noun ("the bombing", "this attack");
- consequence: the later one is a verb whose subject is a mention of the incident ("the blast killed 12");
- headline: the earlier one is in the headline and the later one is the first of its type in the body.

A mention marked as other or earlier ("similar attacks", "a previous strike"), or a bare plural ("attacks")
never joins. The event keeps every mention (``Event.mentions``) with what it says by itself; its fields are
merged from them (sources and targets joined, the highest counts, the most specific mode) and its trigger and
sentence are those of the most informative mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from newstrace.events.arguments import Arguments, noun_arguments
from newstrace.events.tokens import char_to_token as _char_to_token
from newstrace.events.triggers import Mention
from newstrace.events.vocabulary import ANAPHOR_SENTENCES, ANAPHORIC_DETERMINERS
from newstrace.links import DocIndex
from newstrace.model import Counts, Event, EventMention, Span
from newstrace.spans import sent_of, sentence_span, span_of, text_of

# Words that mark a mention as another event than the one just reported.
OTHER_EVENT_WORDS = {"similar", "other", "previous", "earlier", "another", "past", "recent", "further", "new",
                     "second", "third", "more", "such", "last", "prior", "former", "separate", "fresh", "subsequent",
                     "next", "future", "repeated", "many", "several", "frequent"}
FACTUAL = {"asserted", "reported", "alleged"}
# Types whose mentions in one sentence are one incident ("exploded ..., killing nine and wounding 20"); two
# requests or meetings named in one sentence are two acts.
MATERIAL_INCIDENTS = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"}
# Modifiers that tell an event apart from the one just reported ("the 3 January US drone strike").
IDENTIFYING_DEPS = {"compound", "nummod", "poss", "npadvmod", "nmod", "appos", "amod"}
# Modes by which one attack may be named: a "car bomb" may be a "suicide bombing" or a "blast".
MODE_FAMILIES = {"air": {"aerial", "airstrike", "drone"}, "explosive": {"explosives", "suicide-attack", "grenade"},
                 "heavy": {"heavy-weapons", "artillery", "missile"}}
# Verbs that tell what an incident did ("the blast killed 12", "the attack destroyed homes").
CONSEQUENCE_VERBS = {"kill", "wound", "injure", "destroy", "damage", "hit", "leave", "claim", "cause", "level",
                     "flatten", "raze", "shatter", "rock", "target"}


@dataclass
class Draft:
    """An event record of one trigger mention, before mentions of one incident are joined."""

    event: Event
    head: Token
    how: str = "main"
    places: set[str] = field(default_factory=set)  # names of places in the trigger's own phrase
    span_start: int = 0  # token offsets of the trigger words
    span_end: int = 0
    requested: list[EventMention] = field(default_factory=list)  # acts this request asks for


# A request's mode, from the type of the act it asks for (PLOVER REQUEST modes, as events.tsv uses them).
REQUEST_MODES = {"CONSULT": "meet", "AID": "assist", "CONCEDE": "yield", "RETREAT": "yield"}


def fold_requested(drafts: list[Draft], requester_of: dict[int, int]) -> list[Draft]:
    """ "X called for a ceasefire", "urged Y to withdraw": an act a REQUEST asks for is what is requested,
    not an event of its own. It stays as a mention of the request (``how`` "requested", its own type, status
    hypothetical), and gives the request its mode where it has none. ``requester_of``: token index of a
    draft's trigger -> token index of the word that requests it."""
    by_head = {d.head.i: d for d in drafts}
    kept = []
    for draft in drafts:
        request = by_head.get(requester_of.get(draft.head.i, -1))
        if request is None or request.event.type != "REQUEST" or request is draft:
            kept.append(draft)
            continue
        mention = _mention_of(draft)
        mention.how = "requested"
        request.requested.append(mention)
        if request.event.mode is None:
            request.event.mode = REQUEST_MODES.get(draft.event.type)
    return kept


# Events that announce, offer, threaten, refuse or ask for another act: "agreed to resign", "threatened to shell
# the bases", "refused to withdraw", "rejected an offer of a ceasefire", "urged X to reach an agreement". The
# act is what they are about.
GOVERNING_TYPES = {"AGREE", "THREATEN", "REJECT", "REQUEST", "CONCEDE"}
# How the act's word hangs below the governing word: its infinitive, object, "of/to/for/on" phrase, compound,
# or (for a request) its "that" clause.
CONTENT_DEPS = {"xcomp", "dobj", "pobj", "prep", "pcomp", "compound", "conj", "nsubjpass"}
CONTENT_PREPS = {"of", "to", "for", "on"}
FORCE_TYPES = {"ASSAULT", "COERCE"}
# A refused or denied attack stays an attack: responsibility denials ("denied carrying out the bombing") need it.
NOT_REFUSED_CONTENT = {"ASSAULT"}


def fold_complements(drafts: list[Draft]) -> list[Draft]:
    """ "agreed to resign", "threatened to shell the bases", "refused to release the hostages", "rejected
    accusations of fraud", "rejected an offer to extend the ceasefire", "urged X to reach an agreement": the act
    an AGREE, THREATEN, REJECT or REQUEST event is about has not happened as such; PLOVER codes the governing
    event. It stays as a mention of that event (``how`` "content", or "requested" under a request; its own
    type and status), with what it asked for, if anything. Acts named as what a request is into, over or about
    ("an inquiry into the killing") or in a relative or adverbial clause are not folded: they happened. The
    purpose of any act ("met Assad to discuss the war") is likewise its `content`."""
    by_head = {d.head.i: d for d in drafts}
    governor_of: dict[int, Draft] = {}
    purposes: set[int] = set()
    for draft in drafts:
        governor = _governing_draft(draft, by_head)
        if governor is None and (governor := _purpose_governor(draft, by_head)) is not None:
            purposes.add(id(draft))
        if governor is not None:
            governor_of[id(draft)] = governor
    kept = []
    for draft in drafts:
        governor = governor_of.get(id(draft))
        if governor is None:
            kept.append(draft)
            continue
        for _ in range(len(drafts)):  # "rejected an offer to extend the ceasefire": to the outermost event
            if id(governor) not in governor_of or governor is draft:
                break
            governor = governor_of[id(governor)]
        if governor is draft:  # two drafts that each govern the other (a parse cycle): keep both
            kept.append(draft)
            continue
        mention = _mention_of(draft)
        requested = governor.event.type == "REQUEST" and id(draft) not in purposes
        mention.how = "requested" if requested else "content"
        governor.requested.extend([mention, *draft.requested])
        if governor.event.type in {"REJECT", "REQUEST"} and governor.event.mode is None:
            governor.event.mode = REQUEST_MODES.get(draft.event.type)
    return kept


def _governing_draft(draft: Draft, by_head: dict[int, Draft]) -> Draft | None:
    """The AGREE, THREATEN, REJECT or REQUEST draft whose infinitive, object or object's phrase the draft's
    trigger is (the first draft met going up decides)."""
    current = draft.head
    for _ in range(5):
        parent = current.head
        governor = by_head.get(parent.i)
        if parent is current or not _content_step(current, governor):
            return None
        if governor is not None and governor.event.type == "AGREE" and current.dep_ == "compound":
            governor = None  # "an evacuation deal", "a ceasefire pact": the act the deal sets going, not an offer
        if governor is not None and governor is not draft:
            return governor if _folds_into(draft, governor) else None
        current = parent
    return None


def _purpose_governor(draft: Draft, by_head: dict[int, Draft]) -> Draft | None:
    """ "provided 6 million euros to support projects", "met Assad to discuss the war", "blocked roads to press
    their demands": what another act is done for is part of that act (a `content` mention), not an act of its
    own. Force stays (taking ground or dispersing a crowd is read by the subtypes)."""
    head = draft.head
    if head.pos_ != "VERB" or draft.event.type in FORCE_TYPES or head.dep_ not in {"advcl", "acl", "relcl"}:
        return None
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in head.children):
        return None
    governor = head.head
    if governor.i not in by_head and governor.pos_ == "NOUN" and governor.dep_ in {"dobj", "nsubjpass"}:
        governor = governor.head  # "mobilised funds to support": the noun is what another act moves
    found = by_head.get(governor.i)
    return found if found is not None and found is not draft else None


def _content_step(token: Token, governor: Draft | None) -> bool:
    """Whether ``token`` hangs below its head as part of what the head is about."""
    if token.dep_ == "conj" and governor is not None:
        return False  # "threatened X and attacked Y": two acts
    if token.dep_ == "prep":
        return token.lower_ in CONTENT_PREPS
    if token.dep_ == "ccomp":  # "demanded that Israel ease restrictions"
        return governor is not None and governor.event.type == "REQUEST"
    infinitive = token.dep_ == "acl" and token.tag_ == "VB"  # "an offer to extend", "a call to free"
    return token.dep_ in CONTENT_DEPS or infinitive


def _folds_into(draft: Draft, governor: Draft) -> bool:
    kind = governor.event.type
    if kind not in GOVERNING_TYPES:
        return False
    if kind == "REJECT":
        return draft.event.type not in NOT_REFUSED_CONTENT
    if kind == "CONCEDE":  # "accepted the demands": yielding to a request; "apologised for the raid" keeps the raid
        return draft.event.type == "REQUEST"
    return True


def antecedent_of(mention: Mention, drafts: list[Draft], args: Arguments) -> Event | None:
    """ "the attacks" with no participants of its own refers to the latest event of its type nearby (not to
    a mention of other or generic acts: "similar attacks")."""
    head = mention.head
    if head.pos_ != "NOUN" or len(mention.span) > 1:
        return None
    det = next((c for c in head.children if c.dep_ == "det"), None)
    if det is None or det.lower_ not in ANAPHORIC_DETERMINERS or _marked_other(head):
        return None
    if any(c.dep_ in {"compound", "poss", "nummod"} for c in head.children) or noun_arguments(head, args)[0]:
        return None
    window_start = sent_of(head).start
    for _ in range(ANAPHOR_SENTENCES):
        window_start = sent_of(head.doc[max(0, window_start - 1)]).start
    for draft in reversed(drafts):
        if _marked_other(draft.head) or _bare_plural(draft.head):
            continue
        event = draft.event
        if event.type == mention.trigger.type and window_start <= _char_to_token(head.doc, event.trigger.start):
            return event
    return None


def reference_mention(mention: Mention, event: Event) -> EventMention:
    """The mention record of an anaphor ("the attack") that refers back to ``event``."""
    span = span_of(mention.span)
    return EventMention(start=span.start, end=span.end, text=span.text, sentence=sentence_span(mention.head),
                        type=event.type, mode=mention.trigger.mode, status=event.status, statement=event.statement,
                        how="reference")


def merge_incidents(drafts: list[Draft], references: dict[int, tuple[str, EventMention]],
                    index: DocIndex) -> tuple[list[Event], dict[str, str]]:
    """Join the drafts that name one incident. Returns the events (numbered E1... in text order of their
    first mention) and a map from each draft's id to the id of its event. ``references`` (anaphor token ->
    (draft id, mention)) add the anaphors' mentions; their tokens count as mentions for consequence links."""
    doc = index.doc
    headline_end = _headline_end(doc)
    incidents: list[list[Draft]] = []
    of_token: dict[int, int] = {}  # token index of a mention -> incident number
    draft_incident: dict[str, int] = {}
    for draft in drafts:
        number = _incident_for(draft, incidents, of_token, references, draft_incident, headline_end)
        if number is None:
            incidents.append([draft])
            number = len(incidents) - 1
        else:
            incidents[number].append(draft)
        draft_incident[draft.event.id] = number
        of_token[draft.head.i] = number
    events: list[Event] = []
    renamed: dict[str, str] = {}
    extra: dict[int, list[EventMention]] = {}
    for _token, (draft_id, mention) in references.items():
        if draft_id in draft_incident:
            extra.setdefault(draft_incident[draft_id], []).append(mention)
    for number, members in enumerate(incidents):
        event = _merged(members, extra.get(number, []), headline_end, f"E{number + 1}")
        for member in members:
            renamed[member.event.id] = event.id
        events.append(event)
    return events, renamed


def _incident_for(draft: Draft, incidents: list[list[Draft]], of_token: dict[int, int],
                  references: dict[int, tuple[str, EventMention]], draft_incident: dict[str, int],
                  headline_end: int) -> int | None:
    """The incident (its number) the draft is a mention of, or None for a new one."""
    head = draft.head
    if head.dep_ == "appos" and head.head.i in of_token:  # "a drone attack on X, the second this month"
        draft.how = "reference"
        return of_token[head.head.i]
    instrument = _instrument_of(draft, of_token, incidents)  # "fired rubber bullets": one act, its weapon
    if instrument is not None:
        draft.how = "same-sentence"
        return instrument
    such = _such_apposition(draft, incidents)  # "..., the second such strike this month"
    if such is not None:
        draft.how = "reference"
        return such
    if _marked_other(head):
        return None
    sentence = sent_of(head)
    generic = _bare_plural(head)
    subject_incident = None if generic else _subject_incident(head, of_token, references, draft_incident)
    for number in range(len(incidents) - 1, -1, -1):
        members = incidents[number]
        if subject_incident == number and all(_compatible(draft, member, consequence=True) for member in members):
            draft.how = "consequence"  # "the blast destroyed shops": what it did, not how it was done
            return number
        if _marked_other(members[0].head) or not all(_compatible(draft, member) for member in members):
            continue
        same_sentence = any(sent_of(m.head).start == sentence.start for m in members)
        if same_sentence and draft.event.type in MATERIAL_INCIDENTS:
            draft.how = "same-sentence"
            return number
        if generic or all(_bare_plural(m.head) for m in members):
            continue  # "attacks", "rubber bullets": kinds of acts join only within their sentence
        if _referring(draft):
            draft.how = "reference"
            return number
        if _headline_pair(draft, members, incidents, headline_end):
            draft.how = "headline"
            return number
    return None


def _compatible(draft: Draft, member: Draft, consequence: bool = False) -> bool:
    """Nothing the two mentions say makes them two events: same type, status kind, doer, place and date.
    A ``consequence`` ("the blast destroyed shops") names what the incident did, so its mode ("destroy")
    is no second way of attacking."""
    a, b = draft.event, member.event
    if a.type != b.type or (not consequence and a.mode and b.mode and _mode_family(a.mode) != _mode_family(b.mode)):
        return False  # a drone strike and rocket fire are two attacks
    if (a.status in FACTUAL) != (b.status in FACTUAL) or (a.status not in FACTUAL and a.status != b.status):
        return False
    if a.source and b.source and not set(a.source) & set(b.source):
        return False
    if a.type not in MATERIAL_INCIDENTS and a.target and b.target and not set(a.target) & set(b.target):
        return False  # "met X" and "met Y" are two meetings; an attack's victims add up
    if draft.places and member.places and not draft.places & member.places:
        return False
    return not (a.time and b.time and not _same_period(a.date, b.date))


def _same_period(first: str | None, second: str | None) -> bool:
    """ "2024-06-09" and "2024" (this year) may name one day; "2024-06-09" and "2024-06-02" do not."""
    if not first or not second:
        return True
    return first.startswith(second) or second.startswith(first)


def _mode_family(mode: str | None) -> str | None:
    """Modes that one attack may be described by ("car bomb" explosives, "suicide bombing") share a family."""
    return next((family for family, modes in MODE_FAMILIES.items() if mode in modes), mode)


def _subject_incident(head: Token, of_token: dict[int, int], references: dict[int, tuple[str, EventMention]],
                      draft_incident: dict[str, int]) -> int | None:
    """ "The blast killed 12": the incident whose mention is the subject of a verb of consequence."""
    if head.pos_ != "VERB" or head.lemma_.lower() not in CONSEQUENCE_VERBS:
        return None
    subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return None
    if subject.i in of_token:
        return of_token[subject.i]
    if subject.i in references:
        return draft_incident.get(references[subject.i][0])
    return None


def _referring(draft: Draft) -> bool:
    """A definite or demonstrative noun that adds nothing to tell it apart ("the bombing", "this attack",
    "the drone strike"), not one with its own date, doer or place ("the 3 January US drone strike")."""
    head = draft.head
    if head.pos_ != "NOUN":
        return False
    det = next((c for c in head.children if c.dep_ == "det"), None)
    if det is None or det.lower_ not in ANAPHORIC_DETERMINERS:
        return False
    trigger_words = set(range(draft.span_start, draft.span_end))
    return not any(c.dep_ in IDENTIFYING_DEPS and c.i not in trigger_words for c in head.children)


def _headline_pair(draft: Draft, members: list[Draft], incidents: list[list[Draft]], headline_end: int) -> bool:
    """The headline's event and the first event of its type in the body."""
    if draft.head.idx < headline_end or not all(m.head.idx < headline_end for m in members):
        return False
    return not any(m.event.type == draft.event.type and m.head.idx >= headline_end
                   for incident in incidents for m in incident)


def _instrument_of(draft: Draft, of_token: dict[int, int], incidents: list[list[Draft]]) -> int | None:
    """A trigger that is the object of an earlier trigger of the same type, or governs one as its object
    ("fired rubber bullets", "used tear gas"), names the same act, whatever modes the two words give."""
    head = draft.head
    linked = [head.head] if head.dep_ in {"dobj", "nsubjpass"} else []
    linked += [c for c in head.children if c.dep_ in {"dobj", "nsubjpass"}]
    for token in linked:
        number = of_token.get(token.i)
        if number is not None and any(m.event.type == draft.event.type and m.event.status == draft.event.status
                                      for m in incidents[number]):
            return number
    return None


def _such_apposition(draft: Draft, incidents: list[list[Draft]]) -> int | None:
    """ "a drone attack on X, the second such strike this month", "... in the first such attack since":
    "such" names the act just reported in the sentence (the parser often attaches the phrase elsewhere)."""
    head = draft.head
    if not any(c.dep_ == "amod" and c.lower_ == "such" for c in head.children):
        return None
    sentence = sent_of(head).start
    for number in range(len(incidents) - 1, -1, -1):
        if any(m.event.type == draft.event.type and sent_of(m.head).start == sentence for m in incidents[number]):
            return number
    return None


def _marked_other(head: Token) -> bool:
    """ "similar attacks", "another strike", "previous raids": a mention of other events than this one."""
    return any(c.dep_ in {"amod", "det", "advmod", "predet"} and c.lower_ in OTHER_EVENT_WORDS for c in head.children)


def _bare_plural(head: Token) -> bool:
    """ "attacks", "rubber bullets": a plural noun with no determiner names a kind of act, or several."""
    return head.pos_ == "NOUN" and head.tag_ == "NNS" and not any(
        c.dep_ in {"det", "poss", "nummod"} for c in head.children)


def _headline_end(doc: Doc) -> int:
    """Where the headline ends: the first line, when it is a line of its own without final punctuation."""
    text = text_of(doc)
    first = text.lstrip()
    offset = len(text) - len(first)
    line_end = text.find("\n", offset)
    if line_end < 0:
        return 0
    line = text[offset:line_end].strip()
    if not line or line[-1] in ".!?\"'" or line.startswith("["):
        return 0
    return line_end


def _merged(members: list[Draft], references: list[EventMention], headline_end: int, event_id: str) -> Event:
    """One event from the drafts of an incident: the main mention's record, with the others' evidence."""
    main = max(members, key=lambda d: _informativeness(d, headline_end))
    for member in members:  # the mention the others joined gets the link by which it is the same incident
        if member is not main and member.how == "main":
            member.how = "headline" if member.head.idx < headline_end else (
                "same-sentence" if sent_of(member.head).start == sent_of(main.head).start else "reference")
    main.how = "main"
    base = main.event
    ordered = sorted(members, key=lambda d: d.event.trigger.start)
    source = _union([base.source] + [d.event.source for d in ordered])
    target = [t for t in _union([base.target] + [d.event.target for d in ordered]) if t not in source]
    timed = base if base.time else next((d.event for d in ordered if d.event.time), base)
    mentions = [_mention_of(d) for d in ordered] + references + [m for d in ordered for m in d.requested]
    return base.model_copy(update={
        "id": event_id,
        "mode": base.mode or next((d.event.mode for d in ordered if d.event.mode), None),
        "context": _union([base.context] + [d.event.context for d in ordered]),
        "source": source, "target": target, "date": timed.date, "time": timed.time,
        "confidence": max(d.event.confidence for d in members),
        "counts": _max_counts([d.event.counts for d in ordered]),
        "mentions": sorted(mentions, key=lambda m: m.start),
    })


def _informativeness(draft: Draft, headline_end: int) -> tuple:
    """Body before headline, a mode (what kind of attack) before none, participants before none, then
    the earliest."""
    event = draft.event
    return (draft.head.idx >= headline_end, event.mode is not None, bool(event.source or event.target),
            -event.trigger.start)


def _mention_of(draft: Draft) -> EventMention:
    """The mention record of a draft: what its trigger says by itself."""
    event = draft.event
    return EventMention(start=event.trigger.start, end=event.trigger.end, text=event.trigger.text,
                        sentence=Span(**event.sentence.model_dump()), type=event.type, mode=event.mode,
                        status=event.status, statement=event.statement, source=list(event.source),
                        target=list(event.target), counts=event.counts, how=draft.how)


def _union(lists: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(item for items in lists for item in items))


def _max_counts(all_counts: list[Counts | None]) -> Counts | None:
    """The highest figure per field (later reports of one incident mostly raise the toll)."""
    present = [c for c in all_counts if c is not None]
    if not present:
        return None
    values = {f: max((getattr(c, f) for c in present if getattr(c, f) is not None), default=None)
              for f in ("killed", "injured", "arrested")}
    return Counts(**values)
