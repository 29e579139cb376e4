"""Factuality: how the text presents an event — asserted, reported, alleged, planned, denied, negated
or hypothetical — from the statement that carries it and the cues that scope over its trigger.

A cue scopes over a trigger when it modifies the trigger or one of the words that govern it, up
to the clause of the reporting verb ("Americans *might* come under attack", "the *alleged*
attacks", "*purportedly* planned attacks"). Negation is followed only down objects and
complements, never from a clause to its subject ("the strike was not approved" negates the
approval, not the strike).

``Factuality.score`` grades any predicate (verb, event noun, adjective), not only event triggers, on
the unified factuality scale [-3, 3] of FactBank, UW and MEANTIME: 3 the text commits to it having
happened, 0 it leaves it open, -3 it says it did not happen. The score is the predicate's own cues
(negation, modals, hedges, a bare or "any" noun) under the frames of the words that govern it, walked
up the parse: "failed to X" negates X, "wanted/planned/agreed to X" leaves X open by degrees, "said
that X" keeps X, "if X" and "whether X" leave it open, "prevented X" puts it in doubt, and adverbial
and relative clauses mostly escape their governor's negation and modals.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

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

# Graded factuality on the unified scale [-3, 3] (FactBank, UW, MEANTIME): how committed the text is to
# a predicate having happened. 3 fact, 0 unknown (planned, hypothetical), -3 did not happen.
FACT = 3.0
NEGATED = -2.4
MODAL_SCORES = {"will": 2.4, "'ll": 2.4, "wo": 2.4, "shall": 2.2, "would": 1.7, "'d": 1.7, "must": 1.8,
                "may": 1.4, "can": 1.4, "ca": 1.4, "might": 1.1, "should": 1.1, "ought": 1.1, "could": 0.9}
CERTAINTY_SCORES = {"certain": 3.0, "probable": 2.0, "possible": 1.2, "doubtful": 0.0}
INTENTION = 1.4  # planned, expected, proposed: not yet real
COMMITMENT = 2.0  # agreed, decided, scheduled: not yet real, but settled
DESIRE = 0.9  # wanted, tried, asked for: not yet real, and in doubt
OBJECT_BONUS = 0.5  # an object of such a verb is less in doubt than its clause ("offered a deal")
CONDITION = 0.9  # "if", "unless"
PURPOSE = 1.5  # "in order to", "until", "so that"
RESULT = 2.2  # "rose 3% to close at ...": an infinitive after a past-tense verb mostly happened
QUESTION = 0.5  # "whether"
DENIED = 1.2  # "denied that ...": put in doubt, not negated
REPORTED = 2.8  # what a source says, as the text presents it
# Words whose infinitive or gerund complement happens when they do ("managed to", "began to").
IMPLICATIVES = {"manage", "continue", "begin", "start", "resume", "keep", "help", "remember", "dare", "get",
                "happen", "tend", "use", "serve", "come", "proceed", "finish", "complete", "find", "succeed",
                "see", "make", "let", "cause", "lead", "force", "compel", "enough"}
DESIRES = {"try", "attempt", "strive", "struggle", "endeavor", "endeavour", "effort", "bid", "want", "wish", "hope",
           "ask", "urge", "beg", "request", "demand", "appeal", "call", "press", "push", "lobby", "like", "love", "need"}
COMMITMENTS = {"agree", "decide", "decision", "agreement", "vote", "promise", "pledge", "vow", "commit", "schedule",
               "set", "slate", "due", "design", "order", "sign", "contract", "deal", "approve", "authorize", "elect"}
# Verbs that keep their object from happening ("blocked the sale", "stopped firing", "kept them from leaving").
PREVENTIVE = {"stop", "block", "halt", "suspend", "ban", "bar", "prohibit", "forbid", "oppose", "resist", "delay",
              "postpone", "defer", "deter", "discourage", "hinder", "impede", "obstruct", "protect", "refrain", "keep",
              "save", "spare", "veto", "outlaw", "freeze", "shelve", "preclude", "stave"}
PREVENTED = 0.8
# Gerunds after these are mostly not (yet) real: "the idea of selling", "committed to reducing", "talk about leaving".
GERUND_PREPOSITIONS = {"of", "to", "about", "for", "toward", "towards"}
GERUND = 1.7
NEGATIVE_NOUNS = {"failure", "refusal", "inability", "reluctance"}  # "failure to act"
# Words by which someone asks for, proposes or presses for an act ("called for a ceasefire", "urged X to
# withdraw", "rejected calls for a truce", "convinced X to leave"): the act they name has not happened.
REQUESTING = {"call", "urge", "demand", "ask", "appeal", "press", "push", "seek", "propose", "suggest", "lobby",
              "plead", "request", "recommend", "advocate", "convince", "persuade", "encourage", "implore", "beg",
              "petition", "proposal", "plea", "bid", "pressure", "exhort", "invite"}
REQUEST_DEPS = {"dobj", "xcomp", "ccomp"}
# Verbs of asking and wanting whose "for" phrase is not yet real ("called for talks").
FOR_INTENTION = {"call", "push", "press", "appeal", "plan", "hope", "wait", "prepare", "ask", "lobby", "plead"}
CONDITION_MARKS = {"if", "unless", "whether", "lest", "provided", "providing", "supposing", "assuming"}
PURPOSE_MARKS = {"until", "till", "so", "for", "order", "lest"}
# What the word alone says: a bare or compounded noun often names a kind of event rather than one that
# happened ("trade talks", "violence"); "any" stands under a negation or question; adjectives name states.
GENERIC_NOUN = 2.3
INDEFINITE_NOUN = 2.7
NPI_SCORE = 0.5
ADJECTIVE = 2.4
NEGATIVE_SUBJECTS = {"nobody", "nothing", "none", "noone"}
NEGATIVE_PREPOSITIONS = {"without", "instead"}
# Prepositions whose object is taken as given whatever the clause says ("would not comment before the ruling").
PRESUPPOSING_PREPOSITIONS = {"after", "before", "during", "since", "because", "despite", "amid", "following"}
# A frame is how an embedding word passes factuality down to the predicate below it: (kind, cap).
Frame = tuple[str, float]
MAX_DEPTH = 8
ARGUMENT_WEIGHT = 0.5  # how much of its verb's uncertainty an object takes ("would hold talks")
# Clauses and modifiers outside their governor's negation: how much of its modality and of its own
# context they take (an adverbial clause under "if" is conditional; a relative clause mostly stands).
ISLANDS = {"adverbial": (0.25, 0.8), "relative": (0.2, 0.4), "subject": (0.25, 0.5), "modifier": (0.2, 0.5)}


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
        # Single-word attribution verbs (cues.tsv): what they make of the factuality of their complement.
        self.cue_frames: dict[str, Frame] = {}
        for cue in lexicons.cues:
            if cue.pos == "VERB" and " " not in cue.cue:
                self.cue_frames.setdefault(cue.cue, _cue_frame(cue.type, cue.certainty))

    def status(self, trigger: Token, statements: list[Statement]) -> tuple[str, str | None]:
        """The event status and the id of the statement that reports the event, if any."""
        statement = _carrying_statement(trigger, statements)
        found = set(self._cue_statuses(trigger, statement))
        if _requested(trigger):
            found.add("hypothetical")
        if statement is not None:
            found.add(STATEMENT_STATUS.get(_cue_lemma(trigger, statement), "reported"))
            if statement.certainty in {"possible", "doubtful"}:
                found.add("alleged")
        for status in STATUS_ORDER:
            if status in found:
                return status, statement.id if statement else None
        return "asserted", None

    # --- graded factuality of any predicate ---------------------------------------------------------

    def score_at(self, doc: Doc, start: int, end: int, statements: Sequence[Statement] = ()) -> float | None:
        """The factuality score in [-3, 3] of the predicate at characters ``start:end`` of ``doc``
        (its syntactic head), or None when the offsets hold no token."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return self.score(span.root, statements)

    def score(self, token: Token, statements: Sequence[Statement] = ()) -> float:
        """How committed the text is to ``token`` (a verb, noun or adjective naming an event or state)
        having happened, on the scale [-3, 3] of FactBank-style factuality: 3 fact, about 2 probable
        or reported with a future modal, about 1 possible, planned or wanted, below 0 negated.
        ``statements`` (the analysis's) add the frame of a reporting cue that does not govern the
        predicate in the parse ("..., he claimed." across sentences, "according to")."""
        value = self._value(token, 0)
        frame = self._statement_frame(token, statements)
        if frame is not None:
            value = _compose(value, _apply(frame, FACT))
        return max(-3.0, min(3.0, value))

    def _statement_frame(self, token: Token, statements: Sequence[Statement]) -> Frame | None:
        """The frame of the cue of the innermost statement holding ``token``, unless the cue governs it."""
        holding = [(s.content.end - s.content.start, s.cue) for s in statements
                   if s.cue is not None and s.content.start <= token.idx < s.content.end]
        if not holding:
            return None
        cue = min(holding, key=lambda pair: pair[0])[1]
        if any(cue.start <= t.idx < cue.end for t in (token, *token.ancestors)):
            return None  # the parse already put the predicate under its cue
        span = token.doc.char_span(cue.start, cue.end, alignment_mode="expand")
        verbs = [t for t in span if t.pos_ in {"VERB", "NOUN"}] if span is not None else []
        frame = self.cue_frames.get(verbs[-1].lemma_.lower()) if verbs else None
        return frame if frame is not None and frame[0] != "intention" else None

    def _value(self, token: Token, depth: int) -> float:
        local = self._local(token)
        if depth >= MAX_DEPTH:
            return local
        return _compose(local, self._context(token, depth))

    def _local(self, token: Token) -> float:
        """The cues on the predicate itself: negation, modal auxiliaries, hedging adverbs and adjectives."""
        return NEGATED if _negated(token) else min(_base(token), self._modality(token))

    def _modality(self, token: Token) -> float:
        """Modal auxiliaries, hedging adverbs and adjectives on the predicate (negation left aside)."""
        value = FACT
        for child in token.children:
            if child.dep_ in {"aux", "auxpass"} and child.lower_ in MODAL_SCORES:
                value = min(value, MODAL_SCORES[child.lower_])
            elif child.dep_ in {"advmod", "amod"}:
                value = min(value, self._hedge_score(child))
        return value

    def _hedge_score(self, token: Token) -> float:
        hedge = self.single.get(token.lower_) or self.single.get(token.lemma_.lower())
        if hedge is None or hedge.kind not in {"hedge", "report", "future"}:
            return FACT
        if hedge.status == "planned":
            return INTENTION
        return CERTAINTY_SCORES.get(hedge.certainty or "certain", FACT)

    def _context(self, token: Token, depth: int) -> float:
        """What the words above the predicate allow: its governor's frame applied to the governor's value."""
        head = token.head
        dep = token.dep_
        if head is token or dep == "ROOT" or depth >= MAX_DEPTH:
            return FACT
        if dep == "conj":
            return self._conjunct_context(token, head, depth)
        if dep in {"pobj", "pcomp"} and head.dep_ in {"prep", "agent", "dative"} and head.head is not head:
            return self._prepositional_context(token, head, depth)
        relation = _relation(token)
        if relation in ISLANDS:
            return self._island(head, relation, depth, self._modality(head))
        frame = self._frame(head, relation, token)
        if frame[0] == "purpose" and head.tag_ == "VBD":
            frame = ("purpose", RESULT)
        return _apply(frame, self._value(head, depth + 1))

    def _prepositional_context(self, token: Token, prep: Token, depth: int) -> float:
        """An event noun or gerund in a prepositional phrase: "without warning", "calls for talks", "on whether"."""
        governor = prep.head
        if _marks(token) & {"whether", "if"}:
            frame: Frame = ("question", QUESTION)
        elif prep.lower_ in NEGATIVE_PREPOSITIONS:
            frame = ("negative", 0.0)
        elif prep.lower_ in {"for", "toward", "towards"} and governor.lemma_.lower() in FOR_INTENTION:
            frame = ("intention", INTENTION)
        elif prep.lower_ == "from" and self._frame(governor, "arg")[0] == "prevented":
            frame = ("prevented", PREVENTED)  # "kept them from leaving"
        elif token.dep_ == "pcomp" and prep.lower_ in GERUND_PREPOSITIONS:
            frame = ("purpose", GERUND)  # "the idea of selling", "committed to reducing", "talk about leaving"
        elif prep.lower_ in PRESUPPOSING_PREPOSITIONS:
            return self._island(governor, "modifier", depth, self._modality(governor))
        elif governor.pos_ in {"NOUN", "PROPN"}:
            return self._island(governor, "modifier", depth, self._local(governor))
        else:
            frame = self._frame(governor, "arg")
        return _apply(frame, self._value(governor, depth + 1))

    def _island(self, head: Token, relation: str, depth: int, local: float) -> float:
        """Adverbial and relative clauses and modifiers are outside their governor's negation and take
        only some of its modality and context."""
        modal_weight, context_weight = ISLANDS[relation]
        return _compose(_weaken(local, modal_weight), _weaken(self._context(head, depth + 1), context_weight))

    def _conjunct_context(self, token: Token, head: Token, depth: int) -> float:
        """A conjunct shares its first conjunct's frame, and its modal when it has no subject or auxiliary
        of its own ("will meet and sign"); negation carries over only with "or"/"nor"."""
        context = self._context(head, depth + 1)
        if any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass", "neg"} for c in token.children):
            return context
        if any(c.dep_ in {"cc", "preconj"} and c.lower_ in {"or", "nor", "neither"} for c in head.children):
            return _compose(self._local(head), context)
        return _compose(self._modality(head), context)

    def _frame(self, governor: Token, relation: str, dependent: Token | None = None) -> Frame:
        """How ``governor`` passes factuality to a dependent in ``relation``."""
        if relation in {"condition", "purpose", "question", "pass"}:
            return (relation, 0.0)
        lemma = governor.lemma_.lower()
        verb = governor.pos_ in {"VERB", "AUX"}
        if relation == "arg" and not verb:
            return ("arg", ARGUMENT_WEIGHT)
        if relation == "infinitive":
            if lemma in NEGATIVE_NOUNS or (lemma in {"have", "be"} and any(c.lower_ == "yet" for c in governor.children)):
                return ("negative", 0.0)  # "failure to act", "has yet to act"
            if lemma in IMPLICATIVES:
                return ("pass", 0.0)
        frame: Frame | None = None
        hedge = (self.with_to.get(governor.lower_) or self.with_to.get(lemma)) if relation == "infinitive" else None
        hedge = hedge or self.single.get(lemma)
        if hedge is not None and (hedge.scope == "verb" or relation == "infinitive") and (
                hedge.kind != "report" or relation == "infinitive"):  # "said to have", not "said that"
            frame = _hedge_frame(hedge)
        elif verb and lemma in self.cue_frames:
            frame = self.cue_frames[lemma]
        elif verb and lemma in PREVENTIVE:
            frame = ("negative", 0.0)
        if frame is None:
            if relation == "infinitive" or (relation == "arg" and lemma in DESIRES):
                frame = ("intention", INTENTION)
            else:
                return ("arg", ARGUMENT_WEIGHT) if relation == "arg" else ("pass", 0.0)
        if frame[0] == "negative" and not (relation == "infinitive" and dependent is not None and dependent.tag_ == "VB"):
            return ("prevented", PREVENTED)  # "prevented the attack", "stopped firing": not "failed to fire"
        if relation == "arg" and frame[0] != "intention":
            return ("arg", ARGUMENT_WEIGHT)  # "denied the report", "said the attack ...": the object stands
        if relation == "infinitive" and frame[0] == "report":
            frame = ("intention", INTENTION)  # "told them to leave"
        if frame[0] == "intention":
            cap = DESIRE if lemma in DESIRES else COMMITMENT if lemma in COMMITMENTS else frame[1]
            # An object is less in doubt than a clause: "offered a deal", "sought talks".
            return ("intention", cap + OBJECT_BONUS if relation == "arg" else cap)
        return frame

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
        if hedge is None or (hedge.scope != "verb" and lemma not in self.with_to):
            return None
        return hedge.status or None


# --- graded factuality: helpers -------------------------------------------------------------------------


def _negated(token: Token) -> bool:
    """Negation on the predicate: "not", "never", "no" (on a noun), "no one" or "nothing" as its subject."""
    for child in token.children:
        if child.dep_ == "neg" or (child.lower_ == "never" and child.dep_ == "advmod"):
            return True
        if child.dep_ == "det" and child.lower_ == "no":
            return True
        if child.dep_ in {"nsubj", "nsubjpass"} and (child.lower_ in NEGATIVE_SUBJECTS or _negated_noun(child)):
            return True  # "no one was hurt", "nothing happened", "neither they nor he could be reached"
        if child.dep_ in {"cc", "preconj"} and child.lower_ == "nor" and child.i < token.i:
            return True  # "nor do analysts expect"
    return token.dep_ in {"compound", "amod"} and _negated_noun(token.head)  # "no takeover bids"


def _base(token: Token) -> float:
    """What the word alone says (see GENERIC_NOUN)."""
    if token.pos_ == "NOUN":
        determiners = [c.lower_ for c in token.children if c.dep_ in {"det", "poss"}]
        if "any" in determiners:
            return NPI_SCORE
        if token.dep_ == "compound":
            return GENERIC_NOUN
        if not determiners and token.tag_ == "NN":
            return GENERIC_NOUN
        return INDEFINITE_NOUN if determiners and determiners[0] in {"a", "an"} else FACT
    if token.pos_ == "ADJ":
        return ADJECTIVE
    return FACT


def _negated_noun(token: Token) -> bool:
    return any((c.dep_ == "det" and c.lower_ == "no") or (c.dep_ == "preconj" and c.lower_ == "neither")
               for c in token.children)


def _marks(token: Token) -> set[str]:
    return {c.lower_ for c in token.children if c.dep_ in {"mark", "advmod", "aux"}}


def _relation(token: Token) -> str:
    """The kind of link from a predicate to its governor, as far as factuality goes."""
    dep = token.dep_
    marks = _marks(token)
    infinitive = "to" in marks and token.tag_ == "VB"
    if dep == "advcl":
        if marks & CONDITION_MARKS:
            return "condition"
        if marks & PURPOSE_MARKS or infinitive:
            return "purpose"
        return "adverbial"
    if dep == "ccomp":
        return "question" if marks & {"whether", "if"} else "complement"
    if dep == "xcomp" or infinitive:
        return "infinitive"
    if dep == "relcl":
        return "relative"
    if dep in {"nsubj", "nsubjpass", "csubj", "expl"}:
        return "subject"
    if dep in {"compound", "amod", "poss", "nmod", "appos"}:
        return "modifier"
    if dep in {"acl", "advmod", "prep", "parataxis", "dep", "npadvmod"}:
        return "adverbial"
    return "arg"


def _cue_frame(kind: str, certainty: str | None) -> Frame:
    """The frame of an attribution verb by its type (cues.tsv): what its complement's factuality becomes."""
    if kind in {"intend", "promise", "threaten", "ask"}:
        return ("intention", INTENTION)
    if kind == "deny":
        return ("deny", 0.0)
    if kind in {"learn", "think"} and certainty == "certain":
        return ("factive", FACT)  # "learned that", "knew that"
    if kind in {"think", "feel", "warn"}:
        return ("belief", CERTAINTY_SCORES.get(certainty or "possible", 1.2))
    return ("report", min(REPORTED, CERTAINTY_SCORES.get(certainty or "certain", FACT)))


def _hedge_frame(hedge: Hedge) -> Frame:
    if hedge.kind == "negation":
        return ("negative", 0.0)
    if hedge.kind == "denial":
        return ("deny", 0.0)
    if hedge.kind in {"future", "condition", "question"} or hedge.status in {"planned", "hypothetical"}:
        return ("intention", INTENTION)
    if hedge.kind in {"hedge", "report", "modal"}:
        return ("belief", CERTAINTY_SCORES.get(hedge.certainty or "certain", FACT))
    return ("pass", 0.0)


def _weaken(value: float, weight: float) -> float:
    return FACT - weight * (FACT - value)


def _apply(frame: Frame, governor: float) -> float:
    """The context a governor with factuality ``governor`` gives its dependent through ``frame``."""
    kind, cap = frame
    if kind == "factive":
        return FACT
    if kind == "pass":
        return governor
    if kind == "arg":
        return _weaken(governor, cap)
    if kind == "negative":
        return -2.0 * governor / FACT if governor >= 0 else 1.0
    if kind == "deny":
        return min(DENIED, governor) if governor >= 0 else 2.0
    if kind == "prevented":
        return min(cap, governor) if governor >= 0 else 1.5
    if kind in {"report", "belief"}:
        return min(cap, governor) if governor >= 0 else 0.5
    if kind == "intention":
        return min(cap, governor) if governor >= 0 else -1.0
    if kind in {"condition", "purpose", "question"}:
        # "will not lift the sanctions until inspectors certify": the governor's negation stays above.
        cap = cap or {"condition": CONDITION, "purpose": PURPOSE, "question": QUESTION}[kind]
        return min(cap, governor) if governor >= 0 else cap
    return governor


def _compose(local: float, context: float) -> float:
    """A predicate's own cues under the context its governors give it."""
    if local >= 0 and context >= 0:
        return min(local, context)
    if local < 0 and context < 0:
        return 0.5
    return local * context / FACT if local < 0 else context * local / FACT


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


def _requested(trigger: Token) -> bool:
    """Whether the act is only asked for or proposed (see ``requesting_word``)."""
    return requesting_word(trigger) is not None


def requesting_word(trigger: Token) -> Token | None:
    """The word by which the act is asked for or proposed, if it is: the act is the object, infinitive or
    "for" phrase of a word of requesting ("called for a ceasefire", "urged Y to withdraw", "demanded that Y
    leave", "calls for a truce")."""
    current = trigger
    for _ in range(4):
        head = current.head
        if head is current:
            return None
        via_for = current.dep_ in {"pobj", "pcomp"} and head.dep_ == "prep" and head.lower_ in {"for", "on"}
        governor = head.head if via_for else head
        if (via_for or current.dep_ in REQUEST_DEPS) and governor.lemma_.lower() in REQUESTING:
            # "called off", "pushed back": a particle makes another verb
            return None if any(c.dep_ == "prt" for c in governor.children) else governor
        if current.dep_ not in {"conj", "amod", "compound"}:
            return None
        current = head
    return None


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
