"""Trigger words: single lemmas, multiword triggers, verb pairs separated by the parse, and the
readings that make a trigger word no event."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.events.senses import sense_of
from newstrace.events.vocabulary import (
    AID_GOODS,
    CUT_TYPES,
    CUTTING_VERBS,
    DEFIED_RULES,
    DISPOSED_WEAPONS,
    DISRUPT_VERBS,
    EASED_TYPES,
    EASING_VERBS,
    ENDING_VERBS,
    GIVING_VERBS,
    HALTING_VERBS,
    HELPERS,
    ORDER_VERBS,
    PARTNER_DEPS,
    PROMISING_VERBS,
    QUADS,
    REVERSED,
    TRUCE_WORDS,
    VIOLATING_VERBS,
    WEAPON_NOUNS,
)
from newstrace.lexicon import Lexicons, Trigger
from newstrace.links import DocIndex
from newstrace.spans import lower_lemmas, lower_words


@dataclass
class Mention:
    """An event trigger found in the text, before it becomes a record."""

    span: SpacySpan
    head: Token
    trigger: Trigger



class TriggerMatcher:
    """Finds trigger mentions of ``data/events.tsv`` (and event cues of ``cues.tsv``) in a parsed document."""

    def __init__(self, nlp: Language, lexicons: Lexicons) -> None:
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
        self.single_lemmas = {lemma for lemma, _ in self.single}  # the only lemmas a single-word trigger has

    def find(self, doc: Doc, index: DocIndex) -> list[Mention]:
        """Trigger mentions in text order: multiword triggers first, then verbs with their separated
        partner words, then single words; each token belongs to one mention."""
        found: list[Mention] = []
        taken: set[int] = set()
        # spaCy builds a new Token object on every access: each pass below reads the cached lemmas
        # and makes Token objects only of the words whose lemma can matter to it.
        lemmas = lower_lemmas(doc)
        for start, end, trigger in self._multiword_matches(doc):
            if any(i in taken for i in range(start, end)):
                continue
            span = doc[start:end]
            head = _head_of(span, trigger.pos)
            trigger = None if head is None or _inside_name(head, index) else sense_of(head, trigger, self.is_trigger)
            if trigger is None:
                continue
            found.append(Mention(span, head, trigger))
            taken.update(range(start, end))
        pair_verbs = [doc[i] for i, lemma in enumerate(lemmas) if lemma in self.verb_pairs]
        for verb, partner, trigger in self._verb_pair_matches(pair_verbs, taken):
            trigger = None if _inside_name(verb, index) else sense_of(verb, trigger, self.is_trigger)
            if trigger is None:
                continue
            span = doc[min(verb.i, partner.i):max(verb.i, partner.i) + 1]
            found.append(Mention(span, verb, trigger))
            taken.update({verb.i, partner.i} | {c.i for c in verb.children if c.dep_ in {"prt", "dobj"} and c.i < span.end})
        for token in [doc[i] for i, lemma in enumerate(lemmas) if lemma in self.single_lemmas]:
            if token.i in taken or token.pos_ not in {"VERB", "NOUN"}:
                continue
            trigger = self.single.get((token.lemma_.lower(), token.pos_))
            if trigger is None or _inside_name(token, index) or _is_auxiliary_use(token):
                continue
            trigger = sense_of(token, trigger, self.is_trigger)
            if trigger is None:
                continue
            found.append(Mention(doc[token.i:token.i + 1], token, trigger))
        givers = [doc[i] for i, lemma in enumerate(lemmas) if lemma in GIVING_VERBS]
        gifts = [m for m in _gifts(givers, found) if sense_of(m.head, m.trigger, self.is_trigger) is not None]
        takers = [doc[i] for i, lemma in enumerate(lemmas) if lemma in DISRUPT_VERBS or lemma == "destroy"]
        found = _disrupted_weapons(takers, found) + gifts
        return sorted(_without_orders(self._reversals(found)), key=lambda m: m.span.start)

    def is_trigger(self, token: Token) -> str | None:
        """The type of ``token`` when it is a single-word trigger (as a verb or noun), else None."""
        trigger = self.single.get((token.lemma_.lower(), token.pos_))
        return trigger.type if trigger is not None else None

    def _reversals(self, found: list[Mention]) -> list[Mention]:
        """ "lifted the ban", "called off the strike", "halted the fighting": ending a coercive or hostile
        act is a concession or a retreat (PLOVER manual, CONCEDE and RETREAT), named by verb and object."""
        by_head = {m.head.i: m for m in found}
        out = []
        dropped: set[int] = set()
        for mention in found:
            head = mention.span.root if len(mention.span) > 1 and mention.head.pos_ == "NOUN" else mention.head
            if head.dep_ == "compound" and head.head.lemma_.lower() in EFFORT_NOUNS:
                head = head.head  # "ended mediation efforts", "halted the bombing campaign"
            verb = head.head
            reversed_type = REVERSED.get(mention.trigger.type)
            if mention.trigger.type == "ASSAULT" and head.lemma_.lower() in WEAPON_NOUNS:
                reversed_type = None  # "dropped a bomb" is the attack, "halted the offensive" ends one
            ends = _ends_an_act(verb) or (mention.trigger.type in EASED_TYPES and _eases(verb))
            if mention.trigger.type in CUT_TYPES:
                reversed_type, ends = CUT_TYPES[mention.trigger.type], _cuts(verb, mention.trigger.type)
            if _violated_truce(verb, mention):  # "violated the ceasefire 80 times"
                reversed_type, ends = ("ASSAULT", None), True
            elif _violated_rule(verb, head, mention):  # "violated a ban on arms exports"
                reversed_type, ends = ("REJECT", None), True
            if reversed_type is None or head.pos_ != "NOUN" or head.dep_ not in {"dobj", "nsubjpass"} or not ends:
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

    def _multiword_matches(self, doc: Doc) -> list[tuple[int, int, Trigger]]:
        """Multiword triggers matched on either the words or their lemmas, longest first."""
        matches = []
        words = list(zip(lower_words(doc), lower_lemmas(doc), strict=True))
        for i, (lower, lemma) in enumerate(words):
            entries = self.multi.get(lower, []) + (self.multi.get(lemma, []) if lemma != lower else [])
            for pattern, trigger in entries:
                end = i + len(pattern)
                if end <= len(words) and all(p in words[i + k] for k, p in enumerate(pattern)):
                    matches.append((i, end, trigger))
                    break
        return sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0]))


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


def _is_auxiliary_use(token: Token) -> bool:
    """ "force the hand", "the hand of": verbs that are idioms or modifiers here, not events."""
    return token.dep_ == "amod" and token.tag_ == "VBN" and token.head.pos_ == "NOUN"


def _ends_an_act(verb: Token) -> bool:
    """ "lifted", "called off", "struck down": a verb that ends or annuls the act its object names."""
    if verb.pos_ != "VERB":
        return False
    lemma = verb.lemma_.lower()
    if lemma in ENDING_VERBS:
        return True
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt"}
    if "off" in particles and lemma in {"call", "break", "put"}:
        return True
    return lemma in {"strike", "throw"} and bool(particles & {"down", "out"})


def _eases(verb: Token) -> bool:
    """ "cut tariffs", "reduced the curfew", "rolled back tariffs": easing a sanction or restriction."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in EASING_VERBS:
        return False
    return verb.lemma_.lower() != "roll" or any(c.dep_ == "prt" and c.lower_ == "back" for c in verb.children)


def _gifts(tokens: list[Token], found: list[Mention]) -> list[Mention]:
    """ "provided $2 million in assistance to Fiji", "gave 600 rifles to the marines", "sent food to the
    refugees": a verb of giving whose object is money or relief or war goods, and that names a receiver or
    an amount, is one AID event (the verb with its object). Pledges and offers are promises (AGREE) already."""
    taken = {t.i for m in found for t in m.span}
    gifts = []
    for verb in tokens:
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or lemma not in GIVING_VERBS or lemma in PROMISING_VERBS or verb.i in taken:
            continue
        gift = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"} and _is_gift(c)), None)
        if gift is None or gift.i in taken:
            continue
        receiver = any(c.dep_ == "dative" or (c.dep_ == "prep" and c.lower_ in {"to", "for", "into"})
                       for c in verb.children)
        amount = gift.ent_type_ == "MONEY" or any(c.dep_ == "nummod" or c.like_num for c in gift.children)
        if not (receiver or amount):
            continue
        span = verb.doc[verb.i:gift.i + 1] if gift.i > verb.i else verb.doc[verb.i:verb.i + 1]
        context = ("military",) if gift.lemma_.lower() in WEAPON_NOUNS | {"tank", "helicopter", "missile"} else ()
        gifts.append(Mention(span, verb, Trigger(span.text.lower(), "VERB", "AID", None, context,
                                                 "material-cooperation")))
    return gifts


def _is_gift(obj: Token) -> bool:
    """Money ("$2 million", "1.5 million euros") or goods of relief or war ("600 rifles", "13 tons of medicine")."""
    if obj.ent_type_ == "MONEY" or obj.lemma_.lower() in {"$", "dollar", "euro", "pound", "yen", "yuan", "rupee"}:
        return True
    words = {obj.lemma_.lower()} | {g.lemma_.lower() for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
                                    for g in c.children if g.dep_ == "pobj"}
    return bool(words & (AID_GOODS | HELPERS))


# Nouns a trigger may qualify that name the effort of doing it ("mediation efforts", "bombing campaign").
EFFORT_NOUNS = {"effort", "campaign", "mission", "process", "initiative", "drive"}


def _violated_truce(verb: Token, mention: Mention) -> bool:
    """ "violated the ceasefire", "breached the truce agreement": a verb of breaking with a truce as object."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in VIOLATING_VERBS:
        return False
    return bool({t.lemma_.lower() for t in mention.span} & TRUCE_WORDS)


def _violated_rule(verb: Token, head: Token, mention: Mention) -> bool:
    """ "violated a ban on missile tests", "flouted the curfew", "breached UN sanctions": a verb of breaking with a
    restriction or sanction as object."""
    return (verb.pos_ == "VERB" and verb.lemma_.lower() in VIOLATING_VERBS and mention.trigger.type in {"COERCE", "SANCTION"}
            and head.lemma_.lower() in DEFIED_RULES)


def _cuts(verb: Token, kind: str) -> bool:
    """ "suspended military aid", "cut cooperation", "called off the talks", "cancelled a planned visit": a verb
    that stops or reduces a cooperative act (only halting verbs for talks and visits, which may just end)."""
    if verb.pos_ != "VERB":
        return False
    lemma = verb.lemma_.lower()
    allowed = HALTING_VERBS if kind == "CONSULT" else CUTTING_VERBS
    if kind == "CONSULT" and lemma == "end":  # "ended its mediation efforts"; "ended two days of talks" is over
        return any(c.dep_ in {"dobj", "nsubjpass"} and c.lemma_.lower() in EFFORT_NOUNS for c in verb.children)
    if lemma in {"break", "call"}:  # "broke off talks", "called off the visit"
        return lemma in allowed and any(c.dep_ == "prt" and c.lower_ == "off" for c in verb.children)
    return lemma in allowed


def _disrupted_weapons(tokens: list[Token], found: list[Mention]) -> list[Mention]:
    """ "Police found a cache of weapons", "troops defused two bombs", "seized 12 firearms", "air defences
    intercepted missiles": taking weapons away is one COERCE event (mode ``confiscate``, ACLED "Disrupted
    weapons use"), not a seizure of ground, and the found bomb is no attack."""
    by_head = {m.head.i: m for m in found}
    dropped: set[int] = set()
    added: list[Mention] = []
    for verb in tokens:
        weapon = _disrupted_weapon(verb)
        if weapon is None:
            continue
        # every weapon the object names ("a cache of rifles and two explosive devices") was found, not used
        dropped.update({verb.i, weapon.i} | {t.i for t in weapon.subtree if t.lemma_.lower() in WEAPON_NOUNS})
        span = verb.doc[min(verb.i, weapon.i):max(verb.i, weapon.i) + 1]
        added.append(Mention(span, verb, Trigger(span.text.lower(), "VERB", "COERCE", "confiscate", (),
                                                 "material-conflict")))
    kept = [m for m in found if not (m.head.i in dropped and by_head.get(m.head.i) is m)
            and not any(t.i in dropped for t in m.span)]
    return kept + added


def _disrupted_weapon(verb: Token) -> Token | None:
    """The weapon a verb of finding, seizing or defusing takes away, if it does."""
    lemma = verb.lemma_.lower()
    if verb.pos_ != "VERB" or lemma not in DISRUPT_VERBS | {"destroy"}:
        return None
    if lemma == "shoot" and not any(c.dep_ == "prt" and c.lower_ == "down" for c in verb.children):
        return None
    for obj in (c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}):
        weapon = obj
        if obj.lemma_.lower() in QUANTITY_HEADS:  # "a cache of weapons", "a huge amount of ammunition"
            weapon = next((g for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
                           for g in c.children if g.dep_ == "pobj"), obj)
        words = {weapon.lemma_.lower(), obj.lemma_.lower()}
        allowed = DISPOSED_WEAPONS if lemma == "destroy" else WEAPON_NOUNS
        if words & allowed:
            return obj
    return None


# Nouns that hold or count what their "of" phrase names.
QUANTITY_HEADS = {"cache", "stash", "amount", "quantity", "number", "batch", "haul", "consignment", "lot", "pile",
                  "arsenal", "dozens", "hundreds", "thousands", "box", "crate"}
