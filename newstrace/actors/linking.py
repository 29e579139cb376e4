"""Linking mentions into actors: appositions, "the minister", "the latter", surnames, grouping."""

from __future__ import annotations

from spacy.tokens import Doc

from newstrace.actor_codes import actor_code, join_code
from newstrace.actors.candidates import Candidate, _Group
from newstrace.actors.phrases import _previous_sentence_start, _surname
from newstrace.model import Actor, Mention
from newstrace.spans import sent_of, sentence_span, span_of, tokens_with


def _join_appositives(candidates: list[Candidate]) -> list[Candidate]:
    """ "Karl Berger, the Austrian foreign minister,": a role phrase in apposition to a person is a
    mention of that person, who takes its country and sector where the name gave none."""
    people = [c for c in candidates if c.kind == "person" and c.how != "role"]
    out = []
    for cand in candidates:
        root = cand.span.root
        owner = None
        if cand.how == "role" and cand.kind == "person" and root.dep_ == "appos":
            owner = next((p for p in people if p.span.start <= root.head.i < p.span.end), None)
        if owner is None:
            out.append(cand)
            continue
        owner.country = owner.country or cand.country
        owner.sector = owner.sector or cand.sector
        owner.office = owner.office or cand.office
        out.append(Candidate(cand.span, owner.key, owner.name, owner.kind, owner.country, owner.sector, owner.office,
                             owner.wikidata, owner.known, how="appos", code=owner.code))
    return out


# A role word that modifies another and makes it non-state: "rebel commanders" are rebels.
OVERRIDING_SECTORS = {"REB", "OPP", "CRM"}


def _fold_modifier_roles(out: list[Candidate]) -> list[Candidate]:
    """ "Opposition lawmakers": a role word modifying another role noun belongs to that phrase; a
    rebel, opposition or criminal modifier gives the phrase its sector ("rebel commanders": REB)."""
    kept = []
    for cand in out:
        inner = [o for o in out if o is not cand and cand.span.start <= o.span.start and o.span.end <= cand.span.end
                 and len(cand.span) > len(o.span)]
        override = next((o.sector for o in inner if o.sector in OVERRIDING_SECTORS), None)
        if override and cand.sector != override:
            cand.sector = override
            cand.key = (*cand.key[:3], override)
            cand.code = join_code(cand.country, override)
        outer = any(o is not cand and o.span.start <= cand.span.start and cand.span.end <= o.span.end
                    and len(o.span) > len(cand.span) for o in out)
        if not outer:
            kept.append(cand)
    return kept


def _resolve_definite_roles(candidates: list[Candidate]) -> list[Candidate]:
    """ "the minister" → the latest person before it whose office ends with that role word."""
    out = []
    for i, cand in enumerate(candidates):
        first = cand.span[0]
        if cand.how == "role" and cand.kind != "person" and first.lower_ in {"the", "this", "that"} and not cand.country:
            head = cand.span.root.lemma_.lower()
            earlier = [c for c in candidates[:i] if c.how == "role" and c.span.root.lemma_.lower() == head]
            if earlier:  # "the interior ministry ... The ministry denied"
                ref = earlier[-1]
                out.append(Candidate(cand.span, ref.key, ref.name, ref.kind, ref.country, ref.sector, ref.office,
                                     ref.wikidata, ref.known, how="coref"))
                continue
        if cand.how == "role" and cand.kind == "person" and first.lower_ in {"the", "this", "that"} and not cand.country:
            term = (cand.role_term or "").lower()
            earlier = [c for c in candidates[:i] if c.kind == "person" and c.how != "role" and c.office
                       and (c.office == term or c.office.endswith(" " + term))]
            if earlier:
                ref = earlier[-1]
                out.append(Candidate(cand.span, ref.key, ref.name, ref.kind, ref.country, ref.sector, ref.office,
                                     ref.wikidata, ref.known, how="coref"))
                continue
        out.append(cand)
    return out


def _resolve_latter(candidates: list[Candidate], doc: Doc) -> list[Candidate]:
    """ "The latter" as a subject → the second of two coordinated actors in the previous sentence."""
    out = list(candidates)
    for token in tokens_with(doc, {"latter"}):
        if token.i == 0 or doc[token.i - 1].lower_ != "the":
            continue
        if token.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        prev_start = _previous_sentence_start(token)
        in_prev = [c for c in candidates if prev_start <= c.span.start < sent_of(token).start]
        coordinated = [c for c in in_prev if c.span.root.dep_ == "conj"]
        if coordinated:
            ref = coordinated[-1]
            out.append(Candidate(doc[token.i - 1:token.i + 1], ref.key, ref.name, ref.kind, ref.country,
                                 ref.sector, ref.office, ref.wikidata, ref.known, how="coref"))
    return sorted(out, key=lambda c: c.span.start)


def _merge_surnames(candidates: list[Candidate]) -> list[Candidate]:
    """An unknown one-word person name that is the surname of a fuller name in the text is that person."""
    full = {}
    for cand in candidates:
        if cand.kind == "person" and len(cand.name.split()) > 1:
            full.setdefault(_surname(cand.name), cand)
    out = []
    for cand in candidates:
        if cand.kind == "person" and not cand.known and len(cand.name.split()) == 1 and cand.name in full:
            ref = full[cand.name]
            cand = Candidate(cand.span, ref.key, ref.name, ref.kind, ref.country or cand.country,
                             ref.sector or cand.sector, ref.office or cand.office, ref.wikidata, ref.known,
                             how="surname")
        out.append(cand)
    return out


def _actor_from_group(group: _Group, actor_id: str) -> Actor:
    cands = group.candidates
    named = [c for c in cands if c.how not in {"coref", "handle"}] or cands
    best = max(named, key=lambda c: (c.known, len(c.name)))
    mentions = []
    for cand in cands:
        span = span_of(cand.span)
        mentions.append(Mention(start=span.start, end=span.end, text=span.text,
                                sentence=sentence_span(cand.span[0]),
                                how=cand.how))
    country = next((c.country for c in cands if c.country), None)
    sector = next((c.sector for c in cands if c.sector), None)
    code = next((c.code for c in sorted(named, key=lambda c: not c.known) if c.code), None)
    return Actor(
        id=actor_id,
        name=best.name,
        country=country,
        sector=sector,
        code=code or actor_code(country, sector),
        kind=best.kind if best.kind in {"person", "organization", "state", "group"} else "group",
        office=next((c.office for c in cands if c.office), None),
        mentions=mentions,
        wikidata=best.wikidata,
        known=best.known,
    )
