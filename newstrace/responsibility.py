"""Responsibility: for each attack, who claims it, who is blamed and by whom, who denies it.

Patterns, each general news usage:
- claimed: "X claimed responsibility for E", "X claimed E", "X admitted carrying out E";
- blamed: "X blamed Y for E", "X accused Y of E", "X blamed E on Y", and inside X's statement
  "Y is responsible for E" / "Y was behind E"; an attack that only X's statement reports, with a
  perpetrator, is blamed on that perpetrator by X;
- denied: "X denied responsibility for / involvement in E", "X denied carrying out E";
- unclaimed: "No group has claimed responsibility for E", "nobody claimed E" (no one responsible, no claimant).
Every mention of an incident ("the blast", "the attack") names its event.
Backers are read from "Y, backed by Z" and "Z-backed Y"; a hedge on "backed" makes them alleged.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newstrace.links import DocIndex
from newstrace.model import Analysis, Event, Responsibility, Statement
from newstrace.spans import lower_lemmas, lower_words, make_span, sent_of, text_of

ASSAULT_TYPES = {"ASSAULT"}
CLAIM_VERBS = {"claim", "admit", "acknowledge"}
CLAIM_OBJECTS = {"responsibility", "credit"}
BLAME_VERBS = {"blame", "accuse", "hold", "fault"}
DENY_VERBS = {"deny", "reject", "dismiss"}
DENY_OBJECTS = {"responsibility", "involvement", "role", "link", "links", "part"}
RESPONSIBLE_WORDS = {"responsible", "behind", "culpable", "guilty"}
RESPONSIBILITY_VERBS = CLAIM_VERBS | BLAME_VERBS | DENY_VERBS
HEDGE_WORDS = {"purportedly", "allegedly", "reportedly", "supposedly", "apparently", "suspected", "alleged"}


def find_responsibility(doc: Doc, analysis: Analysis, anaphors: dict[int, str]) -> list[Responsibility]:
    """Responsibility records for the ASSAULT events of ``analysis``."""
    index = DocIndex(doc, analysis)
    events = {e.id: e for e in analysis.events if e.type in ASSAULT_TYPES}
    event_at = _event_tokens(doc, analysis, anaphors, events)
    records: list[Responsibility] = []
    for i, lemma in enumerate(lower_lemmas(doc)):
        if lemma not in RESPONSIBILITY_VERBS:  # the only tokens the three readers look at
            continue
        token = doc[i]
        for found in _claims(token, index, event_at) + _blames(token, index, event_at) + _denials(token, index, event_at):
            if not _duplicate(found, records):
                records.append(found)
    for statement in analysis.statements:
        for found in _blamed_inside(statement, doc, index, event_at):
            if not _duplicate(found, records):
                records.append(found)
    for event in events.values():
        found = _reported_perpetrator(event, analysis, doc)
        if found is not None and not _duplicate(found, records):
            records.append(found)
    for record in records:
        if record.kind == "claimed":
            _add_claimant_as_source(events[record.event], record)
    records.sort(key=lambda r: (r.evidence.start, r.event))
    for number, record in enumerate(records, start=1):
        record.id = f"R{number}"
    return records


def _event_tokens(doc: Doc, analysis: Analysis, anaphors: dict[int, str], events: dict[str, Event]) -> dict[int, str]:
    """Token index → ASSAULT event id, for triggers and for anaphors that refer back to one."""
    at: dict[int, str] = {}
    for event in events.values():
        for mention in [event.trigger, *event.mentions]:  # every mention of the incident names it
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            for token in span or []:
                at.setdefault(token.i, event.id)
    for token_i, event_id in anaphors.items():
        if event_id in events:
            at[token_i] = event_id
    return at


def _event_in(token: Token | None, event_at: dict[int, str]) -> tuple[str, Token] | None:
    """The attack an argument phrase names: its head, or an attack inside the phrase."""
    if token is None:
        return None
    for candidate in [token, *token.subtree]:
        if candidate.i in event_at:
            return event_at[candidate.i], candidate
    return None


def _pobj(token: Token, preps: set[str]) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            return next((g for g in child.children if g.dep_ in {"pobj", "pcomp"}), None)
    return None


def _no_one(subject: Token) -> bool:
    """ "No group", "nobody", "none of the factions": a subject that says no one did it."""
    if subject.lower_ in {"nobody", "none", "noone", "no-one"}:
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children)


def _subject(verb: Token) -> Token | None:
    current = verb
    for _ in range(3):
        subject = next((c for c in current.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
        if current.dep_ in {"conj", "xcomp", "advcl"}:
            current = current.head
            continue
        return None
    return None


def _record(kind: str, event_id: str, responsible: list[str], claimant: str | None, evidence_tokens: list[Token],
            backers: list[str] | None = None, alleged: bool = False) -> Responsibility | None:
    if not responsible and kind not in {"denied", "unclaimed"}:
        return None
    doc = evidence_tokens[0].doc
    start = min(t.idx for t in evidence_tokens)
    end = max(t.idx + len(t.text) for t in evidence_tokens)
    sent = sent_of(evidence_tokens[0])
    return Responsibility(id="", event=event_id, kind=kind, responsible=responsible, claimant=claimant,
                          backers=backers or [], alleged=alleged, evidence=make_span(text_of(doc), start, end),
                          sentence=make_span(text_of(doc), sent.start_char, sent.end_char))


def _claims(token: Token, index: DocIndex, event_at: dict[int, str]) -> list[Responsibility]:
    if token.lemma_.lower() not in CLAIM_VERBS or token.pos_ != "VERB":
        return []
    obj = next((c for c in token.children if c.dep_ in {"dobj", "xcomp", "ccomp"}), None)
    if obj is None:
        return []
    target = _pobj(obj, {"for"}) if obj.lemma_.lower() in CLAIM_OBJECTS else obj  # or "admitted carrying out E"
    found = _event_in(target, event_at)
    subject = _subject(token)
    if found is not None and subject is not None and _no_one(subject):
        # "No group has claimed responsibility for the attack": a record that nobody has claimed it
        record = _record("unclaimed", found[0], [], None, [subject.left_edge, subject, token, found[1]])
        return [record] if record else []
    claimants = index.actors_of(subject)
    if found is None or not claimants:
        return []
    record = _record("claimed", found[0], claimants, claimants[0], [subject, token, found[1]])
    return [record] if record else []


def _blames(token: Token, index: DocIndex, event_at: dict[int, str]) -> list[Responsibility]:
    if token.lemma_.lower() not in BLAME_VERBS or token.pos_ != "VERB":
        return []
    obj = next((c for c in token.children if c.dep_ == "dobj"), None)
    subject = _subject(token)
    claimant = (index.actors_of(subject) or [None])[0]
    found = _event_in(_pobj(token, {"for", "of", "over"}), event_at)
    complement = next((c for c in token.children if c.lower_ == "responsible"), None)
    if found is None and complement is not None:  # "held Y responsible for E"
        found = _event_in(_pobj(complement, {"for"}), event_at)
    responsible = index.actors_of(obj)
    if found is None and obj is not None:  # "blamed the attack on Y"
        found = _event_in(obj, event_at)
        responsible = index.actors_of(_pobj(token, {"on"}))
    if found is None or not responsible:
        return []
    evidence = [t for t in (subject, token, obj, found[1]) if t is not None]
    record = _record("blamed", found[0], responsible, claimant, evidence, *_backers(obj, index))
    return [record] if record else []


def _denials(token: Token, index: DocIndex, event_at: dict[int, str]) -> list[Responsibility]:
    if token.lemma_.lower() not in DENY_VERBS or token.pos_ != "VERB":
        return []
    subject = _subject(token)
    deniers = index.actors_of(subject)
    if not deniers:
        return []
    obj = next((c for c in token.children if c.dep_ in {"dobj", "ccomp", "xcomp"}), None)
    if obj is None:
        return []
    if obj.lemma_.lower() in DENY_OBJECTS:
        found = _event_in(_pobj(obj, {"for", "in", "with"}), event_at)
    else:
        found = _event_in(obj, event_at)
    if found is None:
        return []
    record = _record("denied", found[0], deniers, deniers[0], [subject, token, found[1]])
    return [record] if record else []


def _blamed_inside(statement: Statement, doc: Doc, index: DocIndex, event_at: dict[int, str]) -> list[Responsibility]:
    """ "X claims Y are responsible for E", "X said Y was behind E"."""
    content = doc.char_span(statement.content.start, statement.content.end, alignment_mode="expand")
    if content is None:
        return []
    out = []
    words = lower_words(doc)  # cached: only the responsibility words become Token objects
    for token in [doc[i] for i in range(content.start, content.end) if words[i] in RESPONSIBLE_WORDS]:
        predicate = token
        found = _event_in(_pobj(token, {"for", "of"}) if token.lower_ != "behind" else
                          next((c for c in token.children if c.dep_ == "pobj"), None), event_at)
        if found is None:
            continue
        clause = predicate.head if predicate.dep_ in {"acomp", "prep", "attr"} else predicate
        subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        responsible = index.actors_of(subject)
        if not responsible:
            continue
        kind = "claimed" if statement.speaker in responsible else "blamed"
        backers, alleged = _backers(subject, index)
        speaker = [t for t in doc if statement.speaker_span and t.idx == statement.speaker_span.start]
        evidence = [*speaker, subject, token, found[1]]
        record = _record(kind, found[0], responsible, statement.speaker, evidence, backers, alleged)
        if record:
            out.append(record)
    return out


def _reported_perpetrator(event: Event, analysis: Analysis, doc: Doc) -> Responsibility | None:
    """An attack only a statement reports, with a perpetrator: the speaker blames the perpetrator."""
    if event.statement is None or not event.source or event.status not in {"reported", "alleged", "planned"}:
        return None  # a negated, denied or hypothetical attack is not blamed on anyone
    holding = [s for s in analysis.statements if s.content.start <= event.trigger.start < s.content.end and s.speaker]
    statement = min(holding, key=lambda s: s.content.end - s.content.start) if holding else None
    if statement is None or statement.speaker in event.source:
        return None
    return Responsibility(id="", event=event.id, kind="blamed", responsible=list(event.source),
                          claimant=statement.speaker, alleged=event.status in {"alleged", "reported", "planned"},
                          evidence=statement.content, sentence=event.sentence)


def _backers(token: Token | None, index: DocIndex) -> tuple[list[str], bool]:
    """ "militias, purportedly backed by Iran" / "Iran-backed militias": the backers and whether alleged."""
    if token is None:
        return [], False
    backers: list[str] = []
    alleged = False
    for child in token.subtree:
        if child.lemma_.lower() in {"back", "support", "sponsor", "arm", "fund"} and child.tag_ == "VBN":
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            pobj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
            if pobj is None and child.i > 1 and child.doc[child.i - 1].text == "-":  # "Iran-backed"
                pobj = child.doc[child.i - 2]
            backers += index.actors_of(pobj)
            alleged = alleged or any(c.lower_ in HEDGE_WORDS for c in child.children)
    return list(dict.fromkeys(backers)), alleged


def _add_claimant_as_source(event: Event, record: Responsibility) -> None:
    """Who claims an attack is its source; the event's confidence rises with the known source."""
    had_source = bool(event.source)
    for actor in record.responsible:
        if actor not in event.source:
            event.source.append(actor)
    if not had_source:
        event.confidence = min(1.0, round(event.confidence + 0.25, 2))


def _duplicate(found: Responsibility, records: list[Responsibility]) -> bool:
    return any(r.event == found.event and r.kind == found.kind and set(r.responsible) == set(found.responsible)
               for r in records)

