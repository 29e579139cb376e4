"""Small tests on the words around a mention: is this a name, does it name people, what follows it.

Kept apart from ``ActorFinder`` so that its rules stay readable; none of these look at a lexicon.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from newstrace.spans import ents_of

# Lower-case words that may sit inside a capitalised name: "Organization of American States",
# "Abu Bakr al-Baghdadi", "Ban Ki-moon".
NAME_PARTICLES = {"of", "the", "and", "for", "de", "del", "der", "la", "le", "les", "al", "el", "bin", "ibn", "van",
                  "von", "da", "du", "des", "di", "y", "in", "on", "to", "'s", "-", "&", "ul", "ud", "bint", "abu"}

# Phoenix agent nouns whose sector news use leaves open, or that name things more often than
# people (our roles.tsv leaves the same words out on purpose).
VAGUE_AGENTS = frozenset({
    "business", "businesses", "blog", "blogs", "aerospace", "aerospaces", "college", "colleges", "airway", "airways",
    "chamber", "chambers", "carrier", "carriers", "deputy", "deputies", "doc", "authority", "leader", "leaders",
    "officer", "officers", "adviser", "advisers", "advisor", "advisors", "observer", "observers", "source",
    "sources", "member", "members", "party", "parties", "group", "groups", "community", "communities", "actor",
    "actors", "echelon", "echelons", "assemblage", "assemblages", "child", "childs", "childrens", "customer",
    "customers", "engineer", "engineers", "constituent", "constituents", "exile", "exiles", "detainee", "detainees",
})

# Plural nouns that name people: "negotiators", "delegates", "nationals". A word ending like these
# that names things is listed in NOT_PEOPLE.
PEOPLE_SUFFIXES = ("ors", "ers", "ists", "ians", "ants", "ents", "ates", "ives", "ees", "men", "women")
PEOPLE_WORDS = {"people", "nationals", "citizens", "leaders", "officials", "forces", "troops", "residents",
                "sides", "delegations", "youths", "children", "families", "villagers", "workers", "crews"}
NOT_PEOPLE = {"papers", "numbers", "waters", "borders", "centers", "orders", "powers", "matters", "letters",
              "headquarters", "containers", "tankers", "computers", "towers", "quarters", "others", "shares",
              "layers", "barriers", "corners", "chambers", "members", "weapons", "aircraft", "rates", "states",
              "estates", "debates", "updates", "talents", "events", "incidents",
              "percents", "archives", "initiatives", "alternatives", "objectives", "incentives", "perspectives",
              "fees", "committees", "guarantees", "trainees", "samples", "flyers",
              "filters", "offers", "answers", "transfers", "clusters", "counters", "monitors", "sectors", "factors",
              "motors", "corridors", "doors", "floors", "mirrors", "errors", "terrors", "colors", "colours",
              "honors", "honours", "favors", "favours", "tumors", "rumors", "rumours", "elements", "governments",
              "statements", "agreements", "settlements", "movements", "documents", "payments", "amendments",
              "arguments", "comments", "segments", "investments", "deployments", "shipments", "assessments"}


def looks_like_name(span: SpacySpan) -> bool:
    """Capitalised as a name is: every word capitalised but for particles ("Arab League", "Ban Ki-moon"),
    and a lone word a proper noun or part of an entity (not "Police" opening a sentence)."""
    words = [t for t in span if t.is_alpha]
    if not words or not any(t.text[:1].isupper() for t in words):
        return False
    if any(not t.text[:1].isupper() and t.lower_ not in NAME_PARTICLES for t in words):
        return False
    if len(span) == 1:
        token = span[0]
        return token.pos_ == "PROPN" or bool(token.ent_type_) or token.text.isupper()
    return True


def names_people(token: Token) -> bool:
    """Whether a plural noun names people ("negotiators", "nationals"), going by its ending."""
    word = token.lower_
    if word in PEOPLE_WORDS:
        return True
    return word.endswith(PEOPLE_SUFFIXES) and word not in NOT_PEOPLE and len(word) > 4


def inside_other_name(span: SpacySpan) -> bool:
    """A dictionary alias that is only part of a longer person's name in the text: "Berger" in
    "Karl Berger" (the alias belongs to someone else)."""
    if len(span) != 1:
        return False
    token = span[0]
    if token.ent_type_ != "PERSON":
        return False
    entity = next((e for e in ents_of(token.doc) if e.start <= token.i < e.end), None)
    return entity is not None and len(entity) > 1 and entity.start < token.i


def appositive_after(name: SpacySpan) -> SpacySpan | None:
    """The appositive right after a name, without its commas: "the Austrian foreign minister" in
    "Karl Berger, the Austrian foreign minister, said"."""
    doc = name.doc
    if name.end >= len(doc) or doc[name.end].text != ",":
        return None
    for child in name.root.children:
        if child.dep_ == "appos" and child.i > name.end:
            tokens = sorted(child.subtree, key=lambda t: t.i)
            tokens = [t for t in tokens if t.i > name.end]
            end = tokens[0].i
            for t in tokens:
                if t.text == "," or t.dep_ in {"relcl", "acl", "prep"}:
                    break
                end = t.i
            return doc[tokens[0].i:end + 1]
    return None
