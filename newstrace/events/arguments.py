"""Source and target of a trigger from the dependency parse, as actor ids or placeholders of described
participants, and whether the act is only intended, refused or asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from newstrace.events.tokens import unique as _unique
from newstrace.events.vocabulary import (
    CROWD_WORDS,
    FUTURE_AUX,
    INTENTION_WORDS,
    JOINING_VERBS,
    LIGHT_VERBS,
    MILITARY_NOUNS,
    NEGATIVE_PRONOUNS,
    NOT_AGENT_VERBS,
    OBJECT_CONTROL,
    PEOPLE_NOUNS,
    PRONOUN_WORDS,
    QUANTITY_WORDS,
    RECEIVER_VERBS,
    RECIPIENT_PREPS,
    SOURCE_PREPS,
    TARGET_PREPS,
    UNDER_VERBS,
    WANT_VERBS,
    WHERE_PREPS,
)
from newstrace.lexicon import Country
from newstrace.links import DocIndex, conjuncts, noun_phrase, resolve_relative

if TYPE_CHECKING:
    from newstrace.events.finder import EventFinder


class Arguments:
    """The actors a phrase names in one document: the actors stage's records first, else what the
    phrase describes. Descriptions come back as placeholders (``grp:``, ``cty:``, ``adj:``, ``nat:`` and
    a token index) that ``EventFinder._resolve_described`` turns into actors once an event keeps them."""

    def __init__(self, index: DocIndex, finder: EventFinder, triggers: dict[int, str]) -> None:
        self.index = index
        self.finder = finder
        self.triggers = triggers  # token index of each event trigger -> its event type

    def of(self, token: Token | None) -> list[str]:
        """Actor ids (or placeholders) for the noun phrase headed by ``token`` and its conjuncts; a negated
        phrase ("no group", "nobody") names no one."""
        if token is None or names_no_one(token):
            return []
        token = resolve_relative(token)
        found: list[str] = []
        for head in coordinated(token, self.index):
            found += self._one(head)
        return _unique(found)

    def country(self, token: Token) -> list[str]:
        """A country or capital named by ``token``'s phrase, as a placeholder for its state."""
        span = name_span(token, self.index)
        return [f"cty:{token.i}"] if span is not None and span.text in self.finder.country_names else []

    def place_country(self, token: Token) -> list[str]:
        """The country of a place the gazetteer resolved ("in Alaska", "in Zurich"), as a placeholder
        for its state."""
        place = self.index.place_at.get(token.i)
        return [f"plc:{token.i}"] if place is not None and place.country in self.finder.country_codes else []

    def _one(self, head: Token) -> list[str]:
        """The actor one phrase head names: a record, a country used as a place, an owner or a description."""
        actors = self.index.actors_on(head)  # several for "Indian and Pakistani negotiators"
        if actors:
            return actors
        if head.pos_ in {"PRON", "DET", "NUM"} or head.lower_ in QUANTITY_WORDS:
            if head.lower_ in PRONOUN_WORDS:
                return []
            # "thousands rallied": a crowd counted without saying of whom is still the one who acts
            crowd = head.lower_ in CROWD_WORDS and head.dep_ in {"nsubj", "nsubjpass"}
            return self._part_of(head) or ([f"grp:{head.i}"] if crowd else [])
        if head.pos_ == "PROPN" or head.ent_type_ in {"GPE", "LOC"}:
            country = self.country(head)
            if country:
                return country
        owner = self._owner(head)
        if head.i in self.triggers:  # "backed the Moroccan proposal", "condemned the Israeli strikes"
            return owner or self._author_of_act(head)
        if owner:
            return owner
        return self._description(head) or self._named_in_compound(head)

    def _author_of_act(self, head: Token) -> list[str]:
        """The one whose act another act is about, named by a modifier of its trigger noun: an actor
        ("the Hamas offer") or a nationality ("the Moroccan proposal")."""
        for child in head.children:
            if child.dep_ in {"compound", "amod", "nmod"}:
                found = self.index.actors_on(child)
                if found:
                    return found
                if child.text in self.finder.adjectives:
                    return [f"nat:{child.i}"]
        return []

    def _named_in_compound(self, head: Token) -> list[str]:
        """ "the US State department", "the Kremlin press office": an office or body with no record of its own
        belongs to the state or organisation its name begins with."""
        if head.pos_ != "NOUN":
            return []
        words = [c for c in head.children if c.dep_ == "compound"]
        words += [g for c in words for g in c.children if g.dep_ == "compound"]
        for word in sorted(words, key=lambda t: t.i):
            found = self.index.actors_on(word)
            if found:
                return found
        return []

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
                found = self.of(prep_object(child))
                if found:
                    return found
        return []

    def _description(self, head: Token) -> list[str]:
        """A phrase naming people or armed forces becomes a described actor; any other phrase with a
        nationality ("an Indian proposal") stands for that country."""
        adjective = nationality(head, self.finder.adjectives)
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


def nationality(head: Token, adjectives: dict[str, Country]) -> Token | None:
    """The first nationality adjective modifying ``head`` ("Israeli jets", "French and Egyptian warships")."""
    for child in head.children:
        if child.dep_ in {"amod", "compound", "nmod"}:
            for word in [child, *conjuncts(child)]:
                if word.text in adjectives:
                    return word
    return None


def name_span(token: Token, index: DocIndex) -> SpacySpan | None:
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


def description_span(head: Token) -> SpacySpan:
    """The described participant's noun phrase ("20,000 Vietnamese boat people"), without edge punctuation."""
    phrase = noun_phrase(head)
    start, end = phrase.start, phrase.end
    doc = head.doc
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end - 1 > head.i and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def verb_arguments(verb: Token, args: Arguments) -> tuple[list[str], list[str]]:
    """Source (subject, agent) and target (object, passive subject, recipient phrase) of a verb trigger."""
    source: list[str] = []
    target: list[str] = []
    for child in verb.children:
        if child.dep_ == "nsubj":
            source += args.of(child) or document_author(child, args)
        elif child.dep_ in {"dobj", "nsubjpass"}:
            target += args.of(child)
        elif child.dep_ == "dative":  # "gave Y aid", or a "to Y" the parser reads as the indirect object
            target += args.of(prep_object(child) if child.pos_ == "ADP" else child)
        elif child.dep_ == "agent":
            source += args.of(prep_object(child))
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS | RECIPIENT_PREPS:
            target += args.of(prep_object(child)) or _reporter_aimed_at(child, args)
    if verb.dep_ == "acl" and verb.tag_ == "VBN":  # "civilians imprisoned for ...": they are the target
        target += args.of(verb.head)
    if not source:
        source = _inherited_subject(verb, args) or _launched_from(verb, args) or _by_means(verb, args)
    if not target:
        target = _embedded_recipient(verb, args)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if not target and obj is not None:  # "demanded the removal of X", "rejected X's proposal"
        target = args.of(prep_object(next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), obj)))
    if not target and obj is not None:  # "ratified an agreement with X", "signed a deal with X"
        target = _phrase_actors(obj, RECIPIENT_PREPS | TARGET_PREPS, args)
    return _unique(source), _unique(target)


def object_place(verb: Token, args: Arguments) -> list[str]:
    """ "re-examine the reactors in Syria", "attend the Tokyo Olympics": the country the object of a verb
    trigger is placed in or named after, as the recipient when no one is named."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return (where_recipient(obj, args) or place_modifier(obj, args)) if obj is not None else []


def signs_an_agreement(verb: Token, args: Arguments) -> bool:
    """ "Chile and Peru signed a fisheries accord": signing or ratifying an agreement (SUPPORT, CAMEO 057) is
    done with the other party, like the agreement itself."""
    return verb.pos_ == "VERB" and any(c.dep_ == "dobj" and args.triggers.get(c.i) == "AGREE" for c in verb.children)


# Documents that speak for whoever issued them: "a report released in Kigali alleged ...".
AUTHORED_DOCUMENTS = {"report", "statement", "communique", "communiqué", "study", "document", "dossier", "declaration",
                      "letter", "memo"}


def document_author(subject: Token, args: Arguments) -> list[str]:
    """ "a report by Amnesty alleged", "a Pentagon report said", "a report released in the Kenyan capital
    alleged": a document that accuses, asks or announces speaks for its author: the one it is by, from or of,
    an actor or nationality on it, else (as event coders read it) the country it was released in."""
    if subject.lemma_.lower() not in AUTHORED_DOCUMENTS:
        return []
    for child in subject.children:
        if child.dep_ in {"compound", "amod", "nmod", "poss"}:
            found = args.index.actors_on(child) or _described_country(subject, args)
            if found:
                return found
        if child.dep_ == "prep" and child.lower_ in SOURCE_PREPS | {"of"}:
            found = args.of(prep_object(child))
            if found:
                return found
    for clause in (c for c in subject.children if c.dep_ == "acl"):  # "released / published / issued ..."
        agent = next((c for c in clause.children if c.dep_ == "agent"), None)
        found = args.of(prep_object(agent)) if agent is not None else []
        for prep in (c for c in clause.children if c.dep_ == "prep" and c.lower_ in WHERE_PREPS and not found):
            place = prep_object(prep)
            if place is not None:
                found = args.country(place) or args.place_country(place) or _described_country(place, args)
        if found:
            return found
    return []


def span_recipients(span: SpacySpan, head: Token, args: Arguments) -> list[str]:
    """ "advised against travel to Mali": whom a multiword trigger's other words are aimed at."""
    found: list[str] = []
    for token in span:
        if token.i != head.i and token.pos_ == "NOUN":
            found += _phrase_actors(token, RECIPIENT_PREPS | TARGET_PREPS, args)
    return found


def place_modifier(head: Token, args: Arguments) -> list[str]:
    """ "the Geneva summit", "the Beijing Games": the country of a place that names where an event is held."""
    for child in head.children:
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            found = args.country(child) or args.place_country(child)
            if found:
                return found
    return []


def _phrase_actors(head: Token, preps: set[str], args: Arguments) -> list[str]:
    """Actors named by ``head``'s prepositional phrases with one of ``preps``."""
    found: list[str] = []
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            found += args.of(prep_object(child))
    return found


def clause_subject(verb: Token, args: Arguments) -> list[str]:
    """ "alleged that France helped ...", "accused ... saying Iran had ...": the subject of the clause an
    accusation states is the one accused. Only with an accuser: a headline's "Alleged ..." accuses no one."""
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return []
    for child in verb.children:
        if child.dep_ == "ccomp":
            subject = next((c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            found = args.of(subject)
            if found:
                return found
    return []


def reciprocal_split(head: Token, source: list[str], target: list[str],
                     args: Arguments) -> tuple[list[str], list[str]]:
    """ "Brazil and the US signed a deal", "X, Y and Z met": in a reciprocal act (meeting, agreeing,
    cooperating) whose subject is coordinated parties and no one else is named, the parties act on each
    other: the first is the source, the others the target."""
    # A place the act is done in ("signed an agreement in Jeddah") does not stop the parties acting on each other.
    if any(not t.startswith(("cty:", "plc:")) for t in target) or len(source) < 2 or not _coordinated_subject(head, args):
        return source, target
    return source[:1], source[1:]


# Nouns of mutual agreement: "X and Y reached a ceasefire agreement" is agreed with each other, whatever its type.
AGREEMENT_NOUNS = {"agreement", "deal", "accord", "pact", "treaty", "truce", "understanding"}


def agreed_with_each_other(head: Token) -> bool:
    """Whether a noun trigger names an agreement between parties ("a ceasefire agreement", "a truce")."""
    return head.pos_ == "NOUN" and head.lemma_.lower() in AGREEMENT_NOUNS


def taken_from(verb: Token, args: Arguments) -> list[str]:
    """ "recaptured the town from Islamic State", "seized land from farmers": whom a seizure takes from."""
    return _phrase_actors(verb, {"from"}, args)


def _coordinated_subject(head: Token, args: Arguments) -> bool:
    """Whether the nearest subject above the trigger names several parties ("X and Y", "Indian and
    Pakistani negotiators"), not one party and its own parts ("the US's commitments")."""
    current = head
    for _ in range(4):
        subject = next((c for c in current.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return len(coordinated(subject, args.index)) > 1 or len(args.index.actors_on(subject)) > 1
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def coordinated(token: Token, index: DocIndex) -> list[Token]:
    """``token`` and the phrase heads coordinated with it: its conjuncts ("Iran and Iraq"), a list the
    parser hung as an apposition ("the US, Russia, and Switzerland"), and conjuncts attached inside a
    name the parser split ("Barack Obama and Vladimir Putin" with "Obama" under "Barack")."""
    heads = [token, *conjuncts(token)]
    for child in token.children:  # names only: "X, a leader and vice president" is one person
        listed = [child, *conjuncts(child)]
        if child.dep_ == "appos" and len(listed) > 1 and all(t.pos_ == "PROPN" for t in [token, *listed]):
            heads += listed
    actor = index.actor_at.get(token.i)
    if actor is not None:
        for inner in token.subtree:
            if inner.i != token.i and inner.pos_ == "PROPN" and index.actor_at.get(inner.i) == actor:
                heads += [c for c in conjuncts(inner) if c.pos_ == "PROPN" and index.actor_at.get(c.i) != actor]
    return _unique(heads)


def _embedded_recipient(verb: Token, args: Arguments) -> list[str]:
    """ "agreed to provide aid to X", "threatened to attack X", "promised to reform X": the one the promised,
    agreed or threatened act is aimed at is the recipient of the promise, agreement or threat."""
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            found = verb_arguments(child, args)[1]
            obj = next((c for c in child.children if c.dep_ == "dobj"), None)
            found = found or (object_recipients(obj, args) if obj is not None else where_recipient(child, args))
            if found:
                return found
    return []


def where_recipient(head: Token, args: Arguments) -> list[str]:
    """A country or capital the act is done in stands for its recipient when none is named."""
    return _country_after(head, WHERE_PREPS, args)


def _country_after(head: Token, preps: set[str], args: Arguments) -> list[str]:
    """The country (or the country of the place) a proper name names after one of ``preps`` of ``head``."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            pobj = prep_object(child)
            if pobj is not None and pobj.pos_ == "PROPN":
                found = args.country(pobj) or args.place_country(pobj)
                if found:
                    return found
    return []


def _inherited_subject(verb: Token, args: Arguments) -> list[str]:
    """Subject of "vowed to avenge", "forces that attacked", "a motion demanding" (the one who passed it),
    and of "X said it would withdraw" (a pronoun the actors stage left unresolved stands for the speaker).
    A clause with a subject of its own ("after thousands rallied", "nobody claimed it") inherits none; the
    object of a verb of persuading or ordering does the act it is moved to ("convinced X to withdraw")."""
    own = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if own is not None and own.lower_ not in PRONOUN_WORDS:
        return []
    current = verb
    for _ in range(5):
        head = current.head
        if head.i == current.i:
            return []
        if current.dep_ in {"xcomp", "conj", "advcl", "acomp", "ccomp"}:
            if current.dep_ == "ccomp" and not _pronoun_subject(current):
                return []
            persuaded = _persuaded(current, head)
            if persuaded is not None:
                return args.of(persuaded)
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
            doers = args.of(head) if head.pos_ in {"NOUN", "PROPN"} else []
            if doers:  # "fired tear gas at students protesting": people doing the act are its subject
                return doers
            if head.dep_ in {"dobj", "pobj"}:
                governor = head.head if head.dep_ == "dobj" else head.head.head
                subject = next((c for c in governor.children if c.dep_ == "nsubj"), None)
                return args.of(subject)
            return args.of(head)
        return []
    return []


def _persuaded(clause: Token, governor: Token) -> Token | None:
    """The one moved to act: "convinced / urged / ordered X to withdraw", "called on X to withdraw"."""
    if clause.dep_ != "xcomp" or governor.lemma_.lower() not in OBJECT_CONTROL:
        return None
    for child in governor.children:
        if child.dep_ == "dobj":
            return child
        if child.dep_ == "prep" and child.lower_ == "on" and governor.lemma_.lower() == "call":
            return prep_object(child)
    return None


def _pronoun_subject(verb: Token) -> bool:
    """Whether the clause's subject is a personal pronoun ("... it would withdraw")."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and subject.lower_ in PRONOUN_WORDS


def noun_arguments(noun: Token, args: Arguments) -> tuple[list[str], list[str]]:
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
            source += args.of(prep_object(child))
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS | RECIPIENT_PREPS | {"for"}:
            target += args.of(prep_object(child)) or _topic_place(child, args)
    governor = _governing_verb(noun, args)
    if governor is not None:
        # "X launched attacks", "X gave Y aid", "Y received aid": the governing verb's participants.
        subject = next((c for c in governor.children if c.dep_ == "nsubj"), None)
        actors = args.of(subject) if subject is not None else _inherited_subject(governor, args)
        if governor.lemma_.lower() in RECEIVER_VERBS:  # "X received aid from Y"
            target = target or actors
            giver = next((c for c in governor.children if c.dep_ == "prep" and c.lower_ == "from"), None)
            source = source or (args.of(prep_object(giver)) if giver is not None else [])
        else:
            source = source or actors
            target = (target or _verb_recipients(governor, args) or _joined_object(noun, governor, args)
                      or _phrase_actors(governor, {"for"}, args) or where_recipient(governor, args))
    source = source or _claimant(noun, args)
    if noun.dep_ == "nsubjpass":  # "a rocket was fired at X from Y", "an offensive was launched by Y"
        verb = noun.head
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        source = source or (args.of(prep_object(agent)) if agent is not None else _launched_from(verb, args))
        target = target or _phrase_actors(verb, TARGET_PREPS, args) or next(
            (found for c in verb.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
             and (found := _reporter_aimed_at(c, args))), [])
    # "X came under attack": the subject of the governing verb is the one attacked.
    if noun.dep_ == "pobj" and noun.head.lower_ == "under" and noun.head.head.lemma_ in UNDER_VERBS:
        subject = next((c for c in noun.head.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        target += args.of(subject)
    return _unique(source), _unique(target)


def _reporter_aimed_at(prep: Token, args: Arguments) -> list[str]:
    """ "Israel said a rocket was fired at it": an unresolved "it" that an attack is aimed at, in a clause
    someone reports, is the one reporting it."""
    pobj = prep_object(prep)
    if pobj is None or pobj.lower_ != "it" or prep.lower_ not in TARGET_PREPS or args.of(pobj):
        return []
    clause = prep.head
    for _ in range(4):
        if clause.dep_ == "ccomp":
            reporter = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
            return args.of(reporter) if reporter is not None and reporter.lower_ not in PRONOUN_WORDS else []
        if clause.head.i == clause.i:
            return []
        clause = clause.head
    return []


def _launched_from(verb: Token, args: Arguments) -> list[str]:
    """ "rockets were fired from Gaza", "shells fired from Syrian territory": in a passive act with no agent,
    the state it came from is the source, as event coders read it."""
    if not any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children) and not (
            verb.dep_ == "acl" and verb.tag_ == "VBN"):
        return []
    # The parser often hangs the "from" phrase on the object of "fired at X from Y".
    aimed_at = [prep_object(c) for c in verb.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS]
    phrases = [*verb.children, *(c for obj in aimed_at if obj is not None for c in obj.children)]
    for child in phrases:
        if child.dep_ == "prep" and child.lower_ == "from":
            pobj = prep_object(child)
            if pobj is None:
                continue
            found = args.country(pobj) or args.place_country(pobj) or _described_country(pobj, args)
            if found:
                return found
    return []


def _by_means(verb: Token, args: Arguments) -> list[str]:
    """ "killed in Israeli air strikes", "wounded in a US drone strike": a passive harm with no agent was done
    by whoever the attack or weapon it happened in is said to be of."""
    if not any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children):
        return []
    for child in verb.children:
        if child.dep_ != "prep" or child.lower_ not in {"in", "by", "during"}:
            continue
        means = prep_object(child)
        if means is None or not (means.i in args.triggers or means.lemma_.lower() in MILITARY_NOUNS):
            continue
        modifiers = [c for c in means.children if c.dep_ in {"compound", "amod", "nmod", "poss"}]
        modifiers += [g for c in modifiers for g in c.children if g.dep_ in {"compound", "amod", "nmod"}]
        for word in modifiers:
            found = args.index.actors_on(word) or ([f"nat:{word.i}"] if word.text in args.finder.adjectives else [])
            if found:
                return found
    return []


def _described_country(head: Token, args: Arguments) -> list[str]:
    """ "from Syrian territory": a nationality on a place word stands for its country."""
    return [f"adj:{head.i}"] if nationality(head, args.finder.adjectives) is not None else []


def _joined_object(noun: Token, governor: Token, args: Arguments) -> list[str]:
    """ "X engaged Y in a firefight", "drew Y into talks": the joining verb's object is the other side."""
    if noun.dep_ != "pobj" or noun.head.head.i != governor.i:
        return []
    return args.of(next((c for c in governor.children if c.dep_ == "dobj"), None))


CLAIM_VERBS = {"claim", "accept", "admit", "take", "bear", "acknowledge"}


def _claimant(noun: Token, args: Arguments) -> list[str]:
    """ "X claimed responsibility for the attack": the one who claims an act did it."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "for" or prep.head.lemma_.lower() != "responsibility":
        return []
    verb = prep.head.head
    if prep.head.dep_ != "dobj" or verb.lemma_.lower() not in CLAIM_VERBS:
        return []
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return args.of(subject) if subject is not None else _inherited_subject(verb, args)


def withdrawn_from(verb: Token, args: Arguments) -> list[str]:
    """ "troops withdrew from Somalia", "pulled out of Kidal": the state a retreat leaves is its recipient."""
    return _country_after(verb, {"from", "of"}, args)


def _topic_place(prep: Token, args: Arguments) -> list[str]:
    """ "a summit on the unrest in Iran", "an attack on a market in Baghdad": when what the act is on or
    about names no actor, the country it is placed in stands for the recipient."""
    obj = prep_object(prep)
    if obj is None or prep.lower_ not in {"on", "about", "against", "at"}:
        return []
    return where_recipient(obj, args)


def object_recipients(obj: Token, args: Arguments) -> list[str]:
    """Who the object of a verb trigger is aimed at ("sanctions on Iran", "the curfew in X")."""
    found: list[str] = []
    for child in obj.children:
        if child.dep_ == "prep" and child.lower_ in TARGET_PREPS | RECIPIENT_PREPS | {"for"}:
            found += args.of(prep_object(child))
    return found or where_recipient(obj, args)


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
            found = args.of(child if child.dep_ == "dative" and child.pos_ != "ADP" else prep_object(child))
            if found:
                return found
    return []


def intention_of(head: Token, args: Arguments) -> tuple[str, Token] | None:
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
        return ("refuse" if negated(verb) else "own"), verb
    if verb.dep_ == "xcomp" and governor.lemma_.lower() in INTENTION_WORDS and not negated(governor):
        return "own", verb
    return None


def wanter_and_asked(verb: Token, args: Arguments) -> tuple[list[str], list[str]]:
    """The one who wants (subject of "want") and the one asked (subject of the wanted act)."""
    wanter = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    asked = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    source = args.of(wanter) if wanter is not None else _inherited_subject(verb.head, args)
    return source, args.of(asked)


def negated(verb: Token) -> bool:
    """Whether the verb carries a negation ("not", "never", "n't")."""
    return any(c.dep_ == "neg" for c in verb.children)


def condition_subject(head: Token, args: Arguments) -> list[str]:
    """The one threatened is the subject of the threat's condition ("... unless the US withdraws")."""
    for token in head.subtree:
        if token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"unless", "if"} for c in token.children):
            subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            return args.of(subject)
    return []


def prep_object(prep: Token) -> Token | None:
    """The object of a preposition, if the parse gives one."""
    return next((g for g in prep.children if g.dep_ == "pobj"), None)


def names_no_one(token: Token) -> bool:
    """ "No group", "nobody", "none of the factions": a phrase that says no one did it."""
    if token.lower_ in NEGATIVE_PRONOUNS:
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)
