"""Statements stage: who said (wrote, posted, believes) what, through which channel, how surely.

A cue verb from ``data/cues.tsv`` with a clausal, infinitival, prepositional or object
complement makes a statement; its subject (inherited through participles and coordination) is
the speaker. "according to X" makes X the speaker of the clause it qualifies. Embedded social
posts are recognised by their byline line, "— Name (@handle) Month D, YYYY".
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.lexicon import Cue, Hedge, Lexicons
from newstrace.links import DocIndex, noun_phrase, resolve_relative, subtree_span
from newstrace.model import Analysis, Statement
from newstrace.spans import make_span, sent_of, sentence_span, span_of, text_of
from newstrace.times import find_times

CERTAINTY_ORDER = ["certain", "probable", "possible", "doubtful"]
QUOTES_OPEN = {'"', "“", "‘", "'"}
QUOTES_CLOSE = {'"', "”", "’", "'"}
# Context phrases naming the channel of a statement in the same sentence.
CHANNEL_WORDS = {
    "tweet": "tweet", "twitter": "tweet", "x.com": "tweet", "interview": "interview", "statement": "statement",
    "communique": "statement", "communiqué": "statement", "press release": "statement",
    "press conference": "press conference", "news conference": "press conference", "briefing": "press conference",
    "reporters": "press conference", "journalists": "press conference", "television": "TV", "televised": "TV",
    "tv": "TV", "broadcast": "TV", "letter": "letter",
}
COMPLEMENT_PREPS = {"against", "about", "of", "on", "for", "over"}
# Verbs whose direct object is a person or a count, never the reported content ("added 30 jobs").
# Verbs whose participle, after an object, has that object as its subject ("a report showing that").
EVIDENTIAL_VERBS = {"indicate", "show", "suggest", "prove", "demonstrate", "confirm", "reveal", "detail"}
PLAIN_SAY_VERBS = {"say", "add", "tell", "note", "state", "write", "explain"}
BYLINE = re.compile(r"^[ \t]*[—–-]{1,2}[ \t]*(?P<name>[^()\n]{2,80}?)[ \t]*\((?P<handle>@\w{1,30})\)[ \t]*(?P<date>[^\n]*?)[ \t]*$",
                    re.MULTILINE)
POST_MAX_CHARS = 280  # the length of one post on the common platforms


class StatementFinder:
    """Finds attributions in parsed documents; built once per pipeline."""

    def __init__(self, nlp: Language, lexicons: Lexicons) -> None:
        self.verb_cues: dict[str, Cue] = {}
        self.phrasal_cues: dict[tuple[str, str], Cue] = {}
        for cue in lexicons.cues:
            if cue.pos != "VERB":
                continue
            words = cue.cue.split()
            if len(words) == 1:
                self.verb_cues[cue.cue] = cue
            elif len(words) == 2:
                self.phrasal_cues[(words[0], words[1])] = cue
        self.hedges = {h.cue: h for h in lexicons.hedges}
        self.hedge_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for hedge in lexicons.hedges:
            self.hedge_matcher.add(hedge.cue, [nlp.make_doc(hedge.cue)])

    def find(self, doc: Doc, analysis: Analysis) -> list[Statement]:
        """Every attribution in ``doc`` as a Statement record."""
        index = DocIndex(doc, analysis)
        hedges = self._hedge_spans(doc)
        statements: list[Statement] = []
        for token in doc:
            found = self._from_cue_verb(token, index, hedges, analysis) or self._from_according_to(token, index, hedges)
            if found is None:
                continue
            if any(s.content.start == found.content.start and s.content.end == found.content.end for s in statements):
                continue
            statements.append(found)
        statements += self._embedded_posts(doc, index)
        statements.sort(key=lambda s: (s.sentence.start, s.content.start))
        for number, statement in enumerate(statements, start=1):
            statement.id = f"S{number}"
        return statements

    # --- cue verbs --------------------------------------------------------------------------------

    def _cue_of(self, token: Token) -> Cue | None:
        if token.pos_ not in {"VERB", "AUX"} and token.tag_ not in {"VBG", "VBN"}:
            return None
        lemma = token.lemma_.lower()
        for child in token.children:
            if child.dep_ in {"prt", "prep"} and (lemma, child.lower_) in self.phrasal_cues:
                return self.phrasal_cues[(lemma, child.lower_)]
        return self.verb_cues.get(lemma)

    def _from_cue_verb(self, token: Token, index: DocIndex, hedges: list[SpacySpan],
                       analysis: Analysis) -> Statement | None:
        cue = self._cue_of(token)
        if cue is None:
            return None
        content = _content_of(token, index)
        if content is None:
            return None
        subject = _subject_of(token)
        if subject is None:
            return None
        speaker_np = _speaker_phrase(subject)
        speakers = index.actors_of(subject) or index.actors_in(speaker_np)
        cue_span = _verb_group(token, cue)
        return self._statement(token, cue, cue_span, content, speaker_np, speakers[0] if speakers else None,
                               index, hedges)

    def _from_according_to(self, token: Token, index: DocIndex, hedges: list[SpacySpan]) -> Statement | None:
        """ "according to X": X is the speaker of the clause the phrase qualifies."""
        if token.lower_ != "according":
            return None
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            return None
        clause = token.head
        while clause.dep_ not in {"ROOT", "ccomp", "conj"} and clause.head is not clause:
            clause = clause.head
        exclude = {t.i for t in token.subtree}
        content = subtree_span(clause, exclude)
        if content is None or len(content) < 3:
            return None
        cue = Cue("according to", "ADP", "report", "certain", None, None)
        speaker_np = _speaker_phrase(source)
        speakers = index.actors_of(source) or index.actors_in(speaker_np)
        cue_span = token.doc[token.i:to.i + 1]
        return self._statement(token, cue, cue_span, content, speaker_np, speakers[0] if speakers else None,
                               index, hedges)

    def _statement(self, token: Token, cue: Cue, cue_span: SpacySpan, content: SpacySpan, speaker_np: SpacySpan,
                   speaker: str | None, index: DocIndex, hedges: list[SpacySpan]) -> Statement:
        doc = token.doc
        inside = [h for h in hedges if content.start <= h.start and h.end <= content.end]
        certainty = _weakest([cue.certainty or "certain", *[self._certainty(h) for h in inside]])
        return Statement(
            id="", speaker=speaker, speaker_span=span_of(speaker_np), cue=span_of(cue_span),
            content=span_of(content), kind=_kind(content), channel=_channel(token, cue, content),
            date=_date_of(token, content, index), addressee=_addressee(token, index, content),
            certainty=certainty, hedges=[span_of(h) for h in inside],
            sentence=sentence_span(token),
        )

    def _hedge_spans(self, doc: Doc) -> list[SpacySpan]:
        return [doc[s:e] for _, s, e in self.hedge_matcher(doc)]

    def _certainty(self, span: SpacySpan) -> str:
        hedge: Hedge | None = self.hedges.get(span.text.lower())
        if hedge is None or hedge.certainty not in CERTAINTY_ORDER:
            return "certain"
        return hedge.certainty

    # --- embedded social posts ----------------------------------------------------------------------

    def _embedded_posts(self, doc: Doc, index: DocIndex) -> list[Statement]:
        out = []
        text = text_of(doc)
        for match in BYLINE.finditer(text):
            name_start = match.start("name")
            speaker_span = make_span(text, name_start, match.end("name"))
            speaker = self._actor_for_byline(index, match)
            date = next((f.value for f in find_times(match.group("date"), None) if f.precision == "day"), None)
            for start, end in _post_lines(text, match.start(), match.end()):
                sentence = make_span(text, start, end)
                out.append(Statement(
                    id="", speaker=speaker, speaker_span=speaker_span, cue=make_span(text, match.start(), match.end()),
                    content=sentence, kind="direct", channel="tweet", date=date, certainty="certain",
                    sentence=sentence,
                ))
        return out

    def _actor_for_byline(self, index: DocIndex, match: re.Match) -> str | None:
        doc = index.doc
        for group in ("handle", "name"):
            span = doc.char_span(match.start(group), match.end(group), alignment_mode="expand")
            if span is None:
                continue
            actors = index.actors_in(span)
            if actors:
                return actors[0]
        return None


def _post_lines(text: str, byline_start: int, byline_end: int) -> list[tuple[int, int]]:
    """The post's text: the line before the byline, and a short line after it that continues it."""
    lines = []
    before_end = text.rfind("\n", 0, byline_start)
    if before_end > 0:
        before_start = text.rfind("\n", 0, before_end) + 1
        if text[before_start:before_end].strip():
            lines.append((before_start, before_end))
    after_start = byline_end + 1
    after_end = text.find("\n", after_start)
    after_end = len(text) if after_end < 0 else after_end
    following = text[after_start:after_end].strip()
    if following and len(following) <= POST_MAX_CHARS and "@" in following:
        lines.append((after_start, after_end))
    return lines


# --- parse helpers ----------------------------------------------------------------------------------


def _content_of(verb: Token, index: DocIndex) -> SpacySpan | None:
    """The reported content of a cue verb: its clause, infinitive, prepositional or object complement."""
    children = list(verb.children)
    exclude = {verb.i}
    for dep in ("ccomp", "xcomp"):
        comp = next((c for c in children if c.dep_ == dep), None)
        if comp is not None and comp.pos_ in {"VERB", "AUX", "ADJ", "NOUN"}:
            return subtree_span(comp, exclude | _coordinated_clauses(comp))
    if verb.dep_ in {"parataxis", "ccomp"} and verb.head.i < verb.i:  # "The army withdrew, he said."
        return subtree_span(verb.head, {t.i for t in verb.subtree} | exclude)
    prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in COMPLEMENT_PREPS
                 and any(g.dep_ in {"pcomp", "pobj"} for g in c.children)), None)
    obj = next((c for c in children if c.dep_ == "dobj"), None)
    if (obj is not None and verb.lemma_.lower() not in PLAIN_SAY_VERBS and not _is_person_like(obj)
            and not index.actors_of(obj)):
        return subtree_span(obj, exclude)
    if prep is not None:
        return subtree_span(prep, exclude)
    return None


def _coordinated_clauses(head: Token) -> set[int]:
    """Tokens of clauses coordinated to ``head`` with a subject of their own ("..., but Iran has ...")."""
    out: set[int] = set()
    for child in head.children:
        if child.dep_ == "conj" and any(g.dep_ in {"nsubj", "nsubjpass"} for g in child.children):
            out.update(t.i for t in child.subtree)
            out.update(c.i for c in head.children if c.dep_ in {"cc", "punct"} and c.i < child.i and c.i > head.i)
    return out


def _is_person_like(token: Token) -> bool:
    return token.ent_type_ in {"PERSON", "NORP", "GPE", "ORG"} or token.pos_ == "PRON"


def _subject_of(verb: Token) -> Token | None:
    """The verb's subject, inherited through participles, coordination and infinitives."""
    if verb.lemma_.lower() in EVIDENTIAL_VERBS and verb.dep_ in {"advcl", "acl"} and verb.tag_ == "VBG":
        obj = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        if obj is not None:  # "received intelligence indicating that": the intelligence indicates
            return obj
    current = verb
    for _ in range(4):
        subject = next((c for c in current.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is None:
            agent = next((c for c in current.children if c.dep_ == "agent"), None)
            subject = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
        if subject is not None:
            if subject.dep_ == "nsubjpass" and current is verb:
                return None  # "it was said that" has no speaker in its subject
            return resolve_relative(subject)
        if current.dep_ in {"advcl", "conj", "xcomp", "acl"} and current.head is not current:
            current = current.head
            continue
        return None
    return None


def _speaker_phrase(subject: Token) -> SpacySpan:
    phrase = noun_phrase(subject)
    return phrase if len(phrase) <= 12 else subject.doc[subject.i:subject.i + 1]


def _verb_group(verb: Token, cue: Cue) -> SpacySpan:
    """The cue as PolNeAR marks it: auxiliaries, negation and adverbs before the verb, the verb, its particle."""
    start = verb.i
    for child in sorted((c for c in verb.children if c.i < verb.i), key=lambda c: -c.i):
        if child.dep_ in {"aux", "auxpass", "neg", "advmod"} and child.i == start - 1:
            start = child.i
    end = verb.i + 1
    words = cue.cue.split()
    if len(words) == 2:
        particle = next((c for c in verb.children if c.lower_ == words[1] and c.i == verb.i + 1), None)
        if particle is not None:
            end = particle.i + 1
    return verb.doc[start:end]


def _kind(content: SpacySpan) -> str:
    texts = [t.text for t in content]
    if not any(t in QUOTES_OPEN | QUOTES_CLOSE for t in texts):
        return "indirect"
    if texts[0] in QUOTES_OPEN and texts[-1] in QUOTES_CLOSE:
        return "direct"
    return "partial"


def _channel(verb: Token, cue: Cue, content: SpacySpan) -> str:
    if cue.channel:
        return cue.channel
    sentence = sent_of(verb)
    sent_text = sentence.text.lower()
    before, after = sent_text[: content.start_char - sentence.start_char], sent_text[content.end_char - sentence.start_char:]
    outside = before + " " + after
    for phrase, channel in CHANNEL_WORDS.items():
        if re.search(rf"\b{re.escape(phrase)}\b", outside):
            return channel
    return "unknown"


def _date_of(verb: Token, content: SpacySpan, index: DocIndex) -> str | None:
    """When the statement was made: a date attached to the cue verb outside the content."""
    tokens = [t for t in verb.subtree if not (content.start <= t.i < content.end)]
    times = [t for t in index.times_in(tokens) if t.type in {"DATE", "TIME"} and t.value[:1].isdigit()]
    return times[0].value if times else None


def _addressee(verb: Token, index: DocIndex, content: SpacySpan) -> str | None:
    for child in verb.children:
        if content.start <= child.i < content.end:
            continue
        if child.dep_ in {"dobj", "dative", "iobj"}:
            actors = index.actors_of(child)
            if actors:
                return actors[0]
        if child.dep_ == "prep" and child.lower_ == "to":
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            actors = index.actors_of(obj)
            if actors:
                return actors[0]
    return None


def _weakest(levels: list[str]) -> str:
    return max(levels, key=lambda level: CERTAINTY_ORDER.index(level) if level in CERTAINTY_ORDER else 0)
