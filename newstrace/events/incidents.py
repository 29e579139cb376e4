"""Mentions of one incident within a document: a definite "the attack" that refers back to an earlier
event joins it instead of becoming an event of its own."""

from __future__ import annotations

from newstrace.events.arguments import Arguments, noun_arguments
from newstrace.events.tokens import char_to_token as _char_to_token
from newstrace.events.triggers import Mention
from newstrace.events.vocabulary import (
    ANAPHOR_SENTENCES,
    ANAPHORIC_DETERMINERS,
)
from newstrace.model import Event
from newstrace.spans import sent_of


def antecedent_of(mention: Mention, events: list[Event], by_head: dict[int, Event],
                args: Arguments) -> Event | None:
    """ "the attacks" with no participants of its own refers to the latest event of its type nearby."""
    head = mention.head
    if head.pos_ != "NOUN" or len(mention.span) > 1:
        return None
    det = next((c for c in head.children if c.dep_ == "det"), None)
    if det is None or det.lower_ not in ANAPHORIC_DETERMINERS:
        return None
    if any(c.dep_ in {"compound", "poss", "nummod"} for c in head.children) or noun_arguments(head, args)[0]:
        return None
    window_start = sent_of(head).start
    for _ in range(ANAPHOR_SENTENCES):
        window_start = sent_of(head.doc[max(0, window_start - 1)]).start
    for event in reversed(events):
        if event.type == mention.trigger.type and window_start <= _char_to_token(head.doc, event.trigger.start):
            return event
    return None
