"""Factuality: how the text presents an event — asserted, reported, alleged, planned, denied, negated
or hypothetical — from the statement that carries it and the cues that scope over its trigger.

A cue scopes over a trigger when it modifies the trigger or one of the words that govern it, up
to the clause of the reporting verb ("Americans *might* come under attack", "the *alleged*
attacks", "*purportedly* planned attacks"). Negation is followed only down objects and
complements, never from a clause to its subject ("the strike was not approved" negates the
approval, not the strike).
"""

from __future__ import annotations

from spacy.tokens import Token

from newstrace.lexicon import Hedge, Lexicons
from newstrace.model import Statement

# Strongest first: the first status found in this order wins.
STATUS_ORDER = ["denied", "negated", "hypothetical", "alleged", "planned", "reported", "asserted"]
MODIFIER_DEPS = {"aux", "auxpass", "neg", "advmod", "amod", "mark", "det", "npadvmod"}
DOWNWARD_DEPS = {"dobj", "xcomp", "ccomp", "pobj", "prep", "pcomp", "acomp", "attr", "oprd", "conj"}
STATEMENT_STATUS = {"deny": "denied"}
# "claimed responsibility for the attack", "blamed X for the attacks": the attack itself is taken as given.
PRESUPPOSING_HEADS = {"responsibility", "credit", "blame", "accuse", "claim", "condemn", "involvement", "role",
                      "investigate", "investigation", "denounce", "retaliation", "response", "revenge"}


class Factuality:
    """Decides an event's status from hedge cues and the statements around it."""

    def __init__(self, lexicons: Lexicons) -> None:
        self.single: dict[str, Hedge] = {}
        self.with_to: dict[str, Hedge] = {}
        for hedge in lexicons.hedges:
            words = hedge.cue.split()
            if len(words) == 1:
                self.single[hedge.cue] = hedge
            elif len(words) == 2 and words[1] == "to":
                self.with_to[words[0]] = hedge

    def status(self, trigger: Token, statements: list[Statement]) -> tuple[str, str | None]:
        """The event status and the id of the statement that reports the event, if any."""
        statement = _carrying_statement(trigger, statements)
        found = set(self._cue_statuses(trigger, statement))
        if statement is not None:
            found.add(STATEMENT_STATUS.get(_cue_lemma(trigger, statement), "reported"))
            if statement.certainty in {"possible", "doubtful"}:
                found.add("alleged")
        for status in STATUS_ORDER:
            if status in found:
                return status, statement.id if statement else None
        return "asserted", None

    def _cue_statuses(self, trigger: Token, statement: Statement | None) -> list[str]:
        statuses = []
        for governor in _governors(trigger, statement):
            for child in governor.children:
                if child.dep_ not in MODIFIER_DEPS:
                    continue
                statuses += self._statuses_of(child, governor is trigger)
                for grandchild in child.children:  # "purportedly planned attacks"
                    if grandchild.dep_ == "advmod":
                        statuses += self._statuses_of(grandchild, False)
            hedge = self._verb_hedge(governor, trigger)
            if hedge:
                statuses.append(hedge)
        return statuses

    def _statuses_of(self, token: Token, on_trigger: bool) -> list[str]:
        hedge = self.single.get(token.lower_) or self.single.get(token.lemma_.lower())
        if hedge is None or not hedge.status:
            return []
        if hedge.kind == "negation" and token.dep_ != "neg" and not (on_trigger and token.dep_ == "det"):
            return []
        if hedge.kind == "condition" and token.dep_ != "mark":
            return []
        return [hedge.status]

    def _verb_hedge(self, governor: Token, trigger: Token) -> str | None:
        """ "plan to attack", "plotting attacks", "vowed to avenge": intentions make events planned."""
        if governor is trigger or governor.pos_ != "VERB":
            return None
        lemma = governor.lemma_.lower()
        hedge = self.with_to.get(lemma) or self.single.get(lemma)
        if hedge is None or hedge.scope != "verb" and lemma not in self.with_to:
            return None
        return hedge.status or None


def _presupposing_head(trigger: Token) -> Token | None:
    """The claim, blame or response word whose "for"/"of" phrase holds a nominal event, if any."""
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj":
        return None
    prep = trigger.head
    if prep.lower_ in {"for", "of", "over", "in", "to"} and prep.head.lemma_.lower() in PRESUPPOSING_HEADS:
        return prep.head
    return None


def _governors(trigger: Token, statement: Statement | None) -> list[Token]:
    """The trigger and the words above it, up to its clause (or the reporting verb's complement)."""
    chain = [trigger]
    current = trigger
    stop_at = statement.content.start if statement is not None else None
    for _ in range(8):
        if current.dep_ in {"nsubj", "nsubjpass", "ROOT"} or current.head is current:
            break
        if current.dep_ not in DOWNWARD_DEPS and current.dep_ not in {"advcl", "relcl", "acl"}:
            break
        if current.dep_ == "conj" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in current.children):
            break  # a coordinated clause with its own subject has its own polarity and modality
        parent = current.head
        if stop_at is not None and parent.idx < stop_at:
            break
        chain.append(parent)
        if current.dep_ in {"ccomp", "advcl", "relcl"}:
            break
        current = parent
    return chain


def _carrying_statement(trigger: Token, statements: list[Statement]) -> Statement | None:
    """The innermost statement whose content reports the trigger. A claim or blame presupposes its
    attack ("claimed responsibility for the attack"), so its own statement does not count; an
    enclosing one ("Zarif added that ... blamed for past attacks") still does."""
    holding = sorted((s for s in statements if s.content.start <= trigger.idx < s.content.end),
                     key=lambda s: s.content.end - s.content.start)
    head = _presupposing_head(trigger)
    for statement in holding:
        if head is not None and _introduces(statement, head):
            continue
        return statement
    return None


def _introduces(statement: Statement, head: Token) -> bool:
    in_cue = statement.cue is not None and statement.cue.start <= head.idx < statement.cue.end
    return in_cue or statement.content.start == head.idx


def _cue_lemma(trigger: Token, statement: Statement) -> str:
    if statement.cue is None:
        return ""
    doc = trigger.doc
    span = doc.char_span(statement.cue.start, statement.cue.end, alignment_mode="expand")
    verbs = [t for t in span if t.pos_ == "VERB"] if span is not None else []
    return verbs[-1].lemma_.lower() if verbs else ""
