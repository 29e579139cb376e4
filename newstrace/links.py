"""Token-level lookups over an analysis: which actor, time or place a token belongs to.

Later stages (statements, events, responsibility) read earlier records only through the model;
this index just maps the records' character spans back onto the spaCy tokens they cover.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.model import Analysis, Place, Span, TimeExpr

# Dependents that belong to a noun phrase itself, not to clauses or prepositions hanging off it.
NP_MODIFIERS = {"compound", "amod", "nmod", "poss", "det", "nummod", "quantmod", "appos"}


class DocIndex:
    """Maps tokens to the actors, times and places whose spans cover them."""

    def __init__(self, doc: Doc, analysis: Analysis) -> None:
        self.doc = doc
        self.analysis = analysis
        self.actor_at: dict[int, str] = {}
        # Every actor at a token: "Indian and Pakistani negotiators" is one phrase for two actors.
        self.actors_at: dict[int, list[str]] = {}
        self.mention_at: dict[int, Span] = {}
        for actor in analysis.actors:
            for mention in actor.mentions:
                for i in _token_indices(doc, mention.start, mention.end):
                    self.actor_at.setdefault(i, actor.id)
                    self.mention_at.setdefault(i, mention)
                    here = self.actors_at.setdefault(i, [])
                    if actor.id not in here:
                        here.append(actor.id)
        self.time_at: dict[int, TimeExpr] = {}
        for time in analysis.times:
            for i in _token_indices(doc, time.span.start, time.span.end):
                self.time_at.setdefault(i, time)
        self.place_at: dict[int, Place] = {}
        for place in analysis.places:
            for i in _token_indices(doc, place.span.start, place.span.end):
                self.place_at.setdefault(i, place)

    def actors_of(self, token: Token | None) -> list[str]:
        """Actor ids a noun phrase headed by ``token`` names, following coordination ("X and Y")."""
        if token is None:
            return []
        token = resolve_relative(token)
        found: list[str] = []
        for head in [token, *conjuncts(token)]:
            for actor in self.actors_on(head):
                if actor not in found:
                    found.append(actor)
        return found

    def actors_on(self, head: Token) -> list[str]:
        """Actor ids whose mentions cover ``head``, else the first of its name modifiers that one covers."""
        here = self.actors_at.get(head.i)
        if here:
            return list(here)
        return next((list(self.actors_at[c.i]) for c in head.children
                     if c.dep_ in {"compound", "amod", "nmod", "appos"} and c.i in self.actors_at), [])

    def actors_in(self, span: SpacySpan) -> list[str]:
        """Actor ids with a mention inside ``span``, in order of appearance."""
        found: list[str] = []
        for i in range(span.start, span.end):  # indices only: iterating the span builds a Token per word
            actor = self.actor_at.get(i)
            if actor is not None and actor not in found:
                found.append(actor)
        return found

    def times_in(self, tokens: list[Token]) -> list[TimeExpr]:
        """Time expressions covering any of ``tokens``, in text order, each once."""
        return _records_covering(tokens, self.time_at)

    def times_between(self, start: int, end: int) -> list[TimeExpr]:
        """Time expressions covering any token from ``start`` to ``end`` (exclusive), in text order,
        each once: :meth:`times_in` for a stretch of the document, without building its Tokens."""
        found: dict[str, TimeExpr] = {}
        for i in range(start, end):
            record = self.time_at.get(i)
            if record is not None:
                found.setdefault(record.id, record)
        return list(found.values())

    def places_in(self, tokens: list[Token]) -> list[Place]:
        """Places covering any of ``tokens``, in text order, each once."""
        return _records_covering(tokens, self.place_at)


def _records_covering(tokens: list[Token], at: dict) -> list:
    """The records of a token index that cover any of ``tokens``, in text order, each once."""
    found: dict[str, object] = {}
    for token in sorted(tokens, key=lambda t: t.i):
        record = at.get(token.i)
        if record is not None:
            found.setdefault(record.id, record)
    return list(found.values())


def _token_indices(doc: Doc, start: int, end: int) -> list[int]:
    """The indices of the tokens that characters ``start`` to ``end`` touch; remembered per document,
    since each stage's index maps the same mentions again."""
    cache = doc.user_data.setdefault("newstrace_token_indices", {})
    found = cache.get((start, end))
    if found is None:
        span = doc.char_span(start, end, alignment_mode="expand")
        found = cache[(start, end)] = list(range(span.start, span.end)) if span is not None else []
    return found


def conjuncts(token: Token) -> list[Token]:
    """Tokens coordinated with ``token`` ("Iran and Iraq")."""
    return [c for c in token.conjuncts if c.i != token.i]


def resolve_relative(token: Token) -> Token:
    """A relative pronoun stands for the noun its clause modifies ("Iran, which Washington blamed")."""
    if token.tag_ in {"WDT", "WP"} and token.head.dep_ in {"relcl", "acl"}:
        return token.head.head
    return token


def subtree_span(token: Token, exclude: set[int] | None = None) -> SpacySpan | None:
    """The contiguous span of ``token``'s subtree, trimmed of edge punctuation and excluded tokens;
    None when nothing is left."""
    exclude = exclude or set()
    tokens = [t for t in token.subtree if t.i not in exclude]
    if not tokens:
        return None
    start, end = min(t.i for t in tokens), max(t.i for t in tokens) + 1
    doc = token.doc
    while start < end - 1 and ((doc[start].is_punct and doc[start].text not in {'"', "“", "'"}) or doc[start].is_space):
        start += 1
    while end - 1 > start and ((doc[end - 1].is_punct and doc[end - 1].text not in {'"', "”", "'"}) or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def noun_phrase(token: Token) -> SpacySpan:
    """``token`` with its noun-phrase modifiers (no clauses or prepositional phrases)."""
    tokens = [token]
    stack = [token]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.dep_ in NP_MODIFIERS or (child.dep_ == "case" and child.tag_ == "POS"):
                tokens.append(child)
                stack.append(child)
    start, end = min(t.i for t in tokens), max(t.i for t in tokens) + 1
    return token.doc[start:end]
