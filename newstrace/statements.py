"""Statements stage: who said (wrote, posted, believes) what, through which channel, how surely.

A cue verb from ``data/cues.tsv`` with a clausal, infinitival, prepositional or object
complement makes a statement; its subject (inherited through participles and coordination) is
the speaker. A cue verb next to a direct quotation ("“...,” she said", "he said: “...”") takes
the whole quotation as its content, and a quotation right after its sentence ("“A,” she said.
“B.”") continues it. "according to X" makes X the speaker of the clause it qualifies. Layout
attributions need no verb: embedded social posts are recognised by their byline line,
"— Name (@handle) Month D, YYYY", quotations signed with a dash by "“...” — Name", and speaker
turns of transcripts and headlines by "NAME: text".

As in PolNeAR, attributions do not nest: a cue inside a direct quotation (or another statement's
direct content) belongs to the quoted speaker's words, not to the article, and makes no statement;
nor does a cue verb inside the reported clause of another ("she said she expects ..."), unless it
is another speaker's accusation or denial ("Iran said Washington accused it of ...").
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.lexicon import Cue, Hedge, Lexicons
from newstrace.links import DocIndex, noun_phrase, subtree_span
from newstrace.model import Analysis, Statement
from newstrace.spans import (
    lower_lemmas,
    lower_words,
    make_span,
    sent_of,
    sentence_span,
    span_of,
    text_of,
    token_texts,
    tokens_between,
)
from newstrace.times import find_times

# Words whose cue reading is remembered at most (about 10 MB); the cache is emptied past it.
MAX_REMEMBERED_FORMS = 100_000

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
# The channel words as whole-word patterns, compiled once, in CHANNEL_WORDS's order (the first found wins).
CHANNEL_PATTERNS = [(re.compile(rf"\b{re.escape(phrase)}\b"), channel) for phrase, channel in CHANNEL_WORDS.items()]
COMPLEMENT_PREPS = {"against", "about", "of", "on", "for", "over"}
# Prepositions that introduce the content of particular verbs, when their object is itself words
# ("responded to the charges", "agreed with the assessment"); "responded to the attack" is no
# attribution.
VERB_PREPS = {"respond": {"to"}, "reply": {"to"}, "react": {"to"}, "answer": {"to"}, "agree": {"with"},
              "disagree": {"with"}}
# Verbs whose participle, after an object, has that object as its subject ("a report showing that").
EVIDENTIAL_VERBS = {"indicate", "show", "suggest", "prove", "demonstrate", "confirm", "reveal", "detail"}
# Verbs whose direct object is the addressee or a count, never the reported content ("told him",
# "added 30 jobs").
NO_OBJECT_VERBS = {"add", "tell"}
# Verbs whose direct object, when it names a party, is the person addressed ("urged the council"),
# not the content; after "said" such an object is an inverted subject the parser misread.
ADDRESSEE_VERBS = {"say", "ask", "inform", "notify", "brief", "urge", "warn", "assure", "reassure", "remind",
                   "invite", "encourage", "advise", "instruct", "order", "command", "thank", "congratulate", "beg",
                   "implore", "press", "caution", "alert", "answer", "reply", "email", "call", "lobby", "petition",
                   "exhort", "convince", "persuade"}
# A bare relative or interrogative object ("whatever he wanted") says nothing by itself.
WH_WORDS = {"what", "whatever", "which", "who", "whom"}
# Verbs that name or characterise their object: the content is the object with what is said of it
# ("called the plan “a disaster”", "described him as a liar", "likened RT to the BBC").
NAMING_VERBS = {"call", "label", "term", "dub", "brand", "describe", "characterize", "characterise", "cite",
                "liken", "compare", "portray", "depict", "deem", "hail", "praise", "denounce", "condemn"}
NAMING_DEPS = {"dobj", "oprd", "ccomp", "xcomp", "acomp", "attr"}
PERSONAL_PRONOUNS = {"me", "you", "him", "her", "us", "them", "i", "he", "she", "we", "they", "himself", "herself",
                     "themselves", "everyone", "everybody", "someone", "somebody", "anyone", "anybody"}
BYLINE = re.compile(r"^[ \t]*(?P<dash>[―—–-]{1,2})[ \t]*(?P<name>[^()\n]{2,80}?)[ \t]*\((?P<handle>@\w{1,30})\)"
                    r"[ \t]*(?P<date>[^\n]*?)[ \t]*$", re.MULTILINE)
POST_MAX_CHARS = 280  # the length of one post on the common platforms

# Double quotation marks; single ones are left out: they nest inside double ones and double as
# apostrophes. "''" and "``" are the typewriter forms some wires use.
QUOTE_MARK = re.compile(r"“|”|„|«|»|''|``|\"")
OPENING_MARKS = {"“", "„", "«", "``"}
CLOSING_MARKS = {"”", "»"}
QUOTE_TOKENS = {'"', "“", "”", "''", "``", "«", "»", "„"}
# A quotation "signed" by its author after a dash, at the end of its line: "“...” ― Name".
SIGNED_QUOTE = re.compile(r"(?P<close>[”\"»]|'')[^\S\n]*\n?[^\S\n]*(?P<dash>[―—–]|--)[^\S\n]*"
                          r"(?P<name>[A-Z][^\s()@:;,!?“”\"]*(?:[^\S\n]+[A-Z][^\s()@:;,!?“”\"]*){0,4}?)"
                          r"\.?[^\S\n]*$", re.MULTILINE)
# A speaker turn of a transcript or a headline: "NAME: text" at the start of a line.
SPEAKER_LINE = re.compile(r"^[ \t]*[\"“]?(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*"
                          r"(?P<colon>:)[ \t]+(?P<content>[^\s][^\n]*?)[ \t]*$", re.MULTILINE)
# Line labels that look like speaker turns but are not ("UPDATE: ...", "WATCH: ...").
LINE_LABELS = {
    "update", "updated", "note", "editor", "editors", "watch", "read", "related", "photo", "photos", "video",
    "source", "sources", "correction", "clarification", "breaking", "exclusive", "analysis", "opinion",
    "listen", "see", "also", "more", "caption", "credit", "image", "file", "live", "developing", "warning",
    "subscribe", "follow", "contact", "email", "tags", "topics", "advertisement", "sign", "share",
}
# Cue types of nested statements that are kept: who accuses or denies inside another's words.
NESTED_KEPT_TYPES = {"accuse", "deny"}
SPEAKER_ENTITIES = {"PERSON", "ORG", "NORP", "GPE"}
MAX_SPEAKER_TOKENS = 40  # a longer subject is a parse error: keep its noun phrase only
# Cue types whose object is no attribution without a clause: "found that ..." reports a finding,
# "found a job" does not; "knows that ..." vs "knows the city".
CLAUSE_ONLY_TYPES = {"learn", "think"}
# Verbs that introduce speech only as the tag of a quotation ("he continued: “...”").
QUOTE_TAG_VERBS = {"continue": Cue("continue", "VERB", "say", "certain", None, None)}
# A particle that makes a cue verb another verb, unless cues.tsv lists the pair ("weigh in", "hit back"):
# "called off a strike", "backed down", "pressed on with", "called in the army" say nothing.
OTHER_VERB_PARTICLES = {"off", "down", "away", "on", "back", "in"}
# A subject that names no one: "No group has claimed responsibility", "nobody claimed", "none of the
# factions said". The sentence records that no one spoke (responsibility's `unclaimed`), not a speaker.
NO_ONE_WORDS = {"nobody", "none", "noone", "no-one", "nothing", "neither"}
# A quotation tag's speaker read off the words, when the parse has none: a short noun phrase.
NOMINAL_POS = {"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "PART"}
MAX_TAG_TOKENS = 8
# Tokens allowed between a cue verb and the quotation it introduces ("told reporters on Monday: “...”").
MAX_GAP_TO_QUOTE = 8
NEXT_LINE = re.compile(r"[^\s][^\n]*")  # the next non-empty line, from its first character


class Quotes:
    """The document's direct quotations as character regions, paired once per document.

    Marks pair within a line; a quotation still open at the end of its line runs to that end, as
    a quotation over several paragraphs leaves each one open.
    """

    def __init__(self, text: str) -> None:
        self.regions = _pair_quotes(text)
        self.starts = [start for start, _ in self.regions]
        self.by_start = {start: (start, end) for start, end in self.regions}
        self.by_end = {end: (start, end) for start, end in self.regions}

    def starting_at(self, char: int) -> tuple[int, int] | None:
        """The quotation whose opening mark is at ``char``."""
        return self.by_start.get(char)

    def ending_at(self, char: int) -> tuple[int, int] | None:
        """The quotation whose closing mark ends at ``char``."""
        return self.by_end.get(char)

    def containing(self, char: int) -> tuple[int, int] | None:
        """The quotation whose inside holds ``char`` (marks excluded)."""
        i = bisect.bisect_right(self.starts, char) - 1
        if i < 0:
            return None
        start, end = self.regions[i]
        return (start, end) if start < char < end - 1 else None


def _pair_quotes(text: str) -> list[tuple[int, int]]:
    """Quotation regions (opening mark to closing mark inclusive), in text order, not nested."""
    regions: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        open_at: int | None = None
        for mark in QUOTE_MARK.finditer(text, line.start(), line.end()):
            symbol = mark.group()
            # A closing mark that starts its line opens a quotation all the same (a common typo).
            at_line_start = not text[line.start():mark.start()].strip()
            if symbol in OPENING_MARKS or (open_at is None and (symbol not in CLOSING_MARKS or at_line_start)):
                if open_at is not None:  # an unclosed quotation ends where the next one opens
                    regions.append((open_at, mark.start()))
                open_at = mark.start()
            elif open_at is not None:
                regions.append((open_at, mark.end()))
                open_at = None
        if open_at is not None:
            regions.append((open_at, len(line.group().rstrip()) + line.start()))
    return [(start, end) for start, end in regions if re.search(r"\w", text[start:end])]


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
        # Every first word a token's lemma must have to be a cue (see _candidate_indices).
        self.cue_lemmas = set(self.verb_cues) | {first for first, _ in self.phrasal_cues} | set(QUOTE_TAG_VERBS)
        self.form_cues: dict[str, Cue | None] = {}
        self.speech_nouns = {cue.cue for cue in lexicons.cues if cue.pos == "NOUN" and " " not in cue.cue}
        self.hedges = {h.cue: h for h in lexicons.hedges}
        self.hedge_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for hedge in lexicons.hedges:
            self.hedge_matcher.add(hedge.cue, [nlp.make_doc(hedge.cue)])

    def find(self, doc: Doc, analysis: Analysis) -> list[Statement]:
        """Every attribution in ``doc`` as a Statement record."""
        index = DocIndex(doc, analysis)
        hedges = self._hedge_spans(doc)
        quotes = Quotes(text_of(doc))
        statements: list[Statement] = []
        by_verb: dict[int, Statement] = {}
        for i in self._candidate_indices(doc):
            token = doc[i]
            found = self._from_cue_verb(token, index, hedges, quotes) or self._from_according_to(token, index, hedges)
            if found:
                by_verb[token.i] = found[0]
                if _nested(token, self._cue_of(token), found[0], by_verb):
                    continue
            for statement in found:
                if any(s.content.start == statement.content.start and s.content.end == statement.content.end
                       for s in statements):
                    continue
                statements.append(statement)
        layout = self._embedded_posts(doc, index) + self._signed_quotes(doc, index, quotes)
        layout += self._speaker_turns(doc, index)
        statements = _outermost(statements, layout, quotes) + layout
        statements.sort(key=lambda s: (s.sentence.start, s.content.start))
        for number, statement in enumerate(statements, start=1):
            statement.id = f"S{number}"
        return statements

    # --- cue verbs --------------------------------------------------------------------------------

    def _candidate_indices(self, doc: Doc) -> list[int]:
        """The indices of the tokens that can start a statement: a cue lemma, a cue form the
        lemmatizer missed, or "according". Checked on cached strings, so the other tokens never
        become Token objects (building them dominated this stage)."""
        lemmas = lower_lemmas(doc)
        return [i for i, (word, lemma) in enumerate(zip(lower_words(doc), lemmas, strict=True))
                if lemma in self.cue_lemmas or word == "according" or self._cue_of_form(word) is not None]

    def _cue_of(self, token: Token) -> Cue | None:
        """The cue a verb is, phrasal ("call for") before single ("call"), or None."""
        if token.pos_ not in {"VERB", "AUX"} and token.tag_ not in {"VBG", "VBN"}:
            return None
        lemma = token.lemma_.lower()
        for child in token.children:
            if child.dep_ in {"prt", "prep"} and (lemma, child.lower_) in self.phrasal_cues:
                return self.phrasal_cues[(lemma, child.lower_)]
        if any(c.dep_ == "prt" and c.lower_ in OTHER_VERB_PARTICLES for c in token.children):
            return None
        return self.verb_cues.get(lemma) or self._cue_by_form(token)

    def _cue_by_form(self, token: Token) -> Cue | None:
        """A cue verb the lemmatizer got wrong ("hopes" -> "hop"): its form less a regular ending."""
        if token.pos_ != "VERB":
            return None
        return self._cue_of_form(token.lower_)

    def _cue_of_form(self, word: str) -> Cue | None:
        """The cue verb ``word`` is a regular form of, or None; remembered per word."""
        if word in self.form_cues:
            return self.form_cues[word]
        if len(self.form_cues) >= MAX_REMEMBERED_FORMS:  # a corpus brings words without end: keep memory flat
            self.form_cues.clear()
        self.form_cues[word] = found = self._stem_cue(word)
        return found

    def _stem_cue(self, word: str) -> Cue | None:
        """The cue whose stem ``word`` is, less a regular ending ("hopes" -> "hope"), or None."""
        for ending in ("s", "es", "d", "ed", "ing"):
            if word.endswith(ending) and len(word) > len(ending) + 2:
                stem = word[: -len(ending)]
                cue = self.verb_cues.get(stem) or self.verb_cues.get(stem + "e")
                if cue is not None:
                    return cue
        return None

    def _from_cue_verb(self, token: Token, index: DocIndex, hedges: list[SpacySpan],
                       quotes: Quotes) -> list[Statement]:
        """The statements a cue verb makes: one per content (a quotation before the verb and one
        after it make two: "“A,” she said. “B.”"), none without a speaker or a content."""
        cue = self._cue_of(token)
        tag_only = cue is None and token.lemma_.lower() in QUOTE_TAG_VERBS
        if tag_only:  # "he continued: “...”": a cue only as the tag of a quotation
            cue = QUOTE_TAG_VERBS[token.lemma_.lower()]
        if cue is None:
            return []
        cue_span = _verb_group(token, cue)
        subject = _subject_of(token)
        if subject is None or (_own_subject(subject, token) and _quoted_away(subject, token, quotes)):
            # The parser missed the speaker of a quotation tag ("“...,” police Chief Jane Doe said
            # Monday"), or took a word of the quotation for it.
            tag = _tag_speaker(token, cue_span, quotes)
            if tag is None:
                return []
            speaker_np, own, speakers = tag, True, index.actors_in(tag)
        elif names_no_one(subject):
            return []  # "No group has claimed ...": a record that no one spoke, with no speaker to give
        else:
            speaker_np, own = _speaker_phrase(subject, token), _own_subject(subject, token)
            speakers = index.actors_of(subject) or index.actors_in(_head_phrase(subject))
        contents = _quoted_contents(token, cue_span, speaker_np if own else None, quotes)
        if not contents and not tag_only:
            parsed = _content_of(token, cue, index, self.speech_nouns)
            contents = [parsed] if parsed is not None else []
        if contents:
            cue_span = self._cue_extent(token, cue_span, contents[0])
        return [self._statement(token, cue, cue_span, content, speaker_np, speakers[0] if speakers else None,
                                index, hedges) for content in contents]

    def _cue_extent(self, verb: Token, cue_span: SpacySpan, content: SpacySpan) -> SpacySpan:
        """The cue as PolNeAR marks it, beyond the verb group: the verb it is the infinitive of
        ("went on to discuss", "appeared to suggest") and the preposition that introduces the
        content ("spoke of [the museum]", "railed against [the provisions]")."""
        doc = verb.doc
        start, end = cue_span.start, cue_span.end
        head = verb.head
        if (verb.dep_ == "xcomp" and head.i < verb.i and head.pos_ in {"VERB", "AUX"} and self._cue_of(head) is None
                and all(t.dep_ in {"aux", "advmod", "prt", "neg"} for t in doc[head.i + 1:start])):
            start = min(start, _verb_group(head, None).start)
        if end < len(doc) and doc[end].dep_ == "prep" and doc[end].head == verb and content.start == end + 1:
            end += 1
        return doc[start:end]

    def _from_according_to(self, token: Token, index: DocIndex, hedges: list[SpacySpan]) -> list[Statement]:
        """ "according to X": X is the speaker of the clause the phrase qualifies."""
        if token.lower_ != "according":
            return []
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            return []
        clause = token.head
        while clause.dep_ not in {"ROOT", "ccomp", "conj"} and clause.head != clause:
            clause = clause.head
        exclude = {t.i for t in token.subtree}
        content = subtree_span(clause, exclude)
        if content is None or len(content) < 3:
            return []
        cue = Cue("according to", "ADP", "report", "certain", None, None)
        speaker_np = _speaker_phrase(source, token)
        speakers = index.actors_of(source) or index.actors_in(_head_phrase(source))
        cue_span = token.doc[token.i:to.i + 1]
        return [self._statement(token, cue, cue_span, content, speaker_np, speakers[0] if speakers else None,
                                index, hedges)]

    def _statement(self, token: Token, cue: Cue, cue_span: SpacySpan, content: SpacySpan, speaker_np: SpacySpan,
                   speaker: str | None, index: DocIndex, hedges: list[SpacySpan]) -> Statement:
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

    # --- layout attributions: posts, signed quotations, speaker turns -------------------------------

    def _embedded_posts(self, doc: Doc, index: DocIndex) -> list[Statement]:
        """Embedded social posts: the dash of the byline is the cue, its name the speaker."""
        out = []
        text = text_of(doc)
        for match in BYLINE.finditer(text):
            speaker_span = make_span(text, match.start("name"), match.end("name"))
            speaker = self._actor_at(index, match, ("handle", "name"))
            date = next((f.value for f in find_times(match.group("date"), None) if f.precision == "day"), None)
            for start, end in _post_lines(text, match.start(), match.end()):
                sentence = make_span(text, start, end)
                out.append(Statement(
                    id="", speaker=speaker, speaker_span=speaker_span,
                    cue=make_span(text, match.start("dash"), match.end("dash")),
                    content=sentence, kind="direct", channel="tweet", date=date, certainty="certain",
                    sentence=sentence,
                ))
        return out

    def _signed_quotes(self, doc: Doc, index: DocIndex, quotes: Quotes) -> list[Statement]:
        """ "“...” ― Name": a quotation signed after a dash (readers' comments, epigraphs, vox pops)."""
        out = []
        text = text_of(doc)
        for match in SIGNED_QUOTE.finditer(text):
            region = quotes.ending_at(match.end("close"))
            if region is None or len(match.group("name").split()) > 5:
                continue
            content = make_span(text, *region)
            out.append(Statement(
                id="", speaker=self._actor_at(index, match, ("name",)),
                speaker_span=make_span(text, match.start("name"), match.end("name")),
                cue=make_span(text, match.start("dash"), match.end("dash")), content=content, kind="direct",
                certainty="certain", sentence=make_span(text, region[0], match.end()),
            ))
        return out

    def _speaker_turns(self, doc: Doc, index: DocIndex) -> list[Statement]:
        """ "WALLACE: ..." in a transcript, "Name: ..." in a headline: the colon is the cue."""
        out = []
        text = text_of(doc)
        for match in SPEAKER_LINE.finditer(text):
            name = doc.char_span(match.start("name"), match.end("name"), alignment_mode="expand")
            if name is None or not _names_speaker(name, index):
                continue
            content = make_span(text, match.start("content"), match.end("content"))
            out.append(Statement(
                id="", speaker=self._actor_at(index, match, ("name",)), speaker_span=span_of(name),
                cue=make_span(text, match.start("colon"), match.end("colon")), content=content,
                kind="direct", certainty="certain", sentence=make_span(text, match.start("name"), match.end()),
            ))
        return out

    def _actor_at(self, index: DocIndex, match: re.Match, groups: tuple[str, ...]) -> str | None:
        """The first actor mentioned in one of the named groups of ``match``, tried in order."""
        doc = index.doc
        for group in groups:
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


def _names_speaker(name: SpacySpan, index: DocIndex) -> bool:
    """Whether the words before a line's colon name a speaker: a name, or a capitalised surname
    as transcripts write it, and not a label such as "UPDATE"."""
    words = [t for t in name if not t.is_punct]
    if not words or words[0].lower_ in LINE_LABELS or any(t.like_num for t in words):
        return False
    if all(t.is_upper and len(t.text) > 1 for t in words):
        return not any(t.ent_type_ in {"GPE", "LOC"} for t in words)  # "WASHINGTON:" is a dateline
    return all(t.pos_ == "PROPN" for t in words) and (any(t.ent_type_ in SPEAKER_ENTITIES for t in words)
                                                      or bool(index.actors_in(name)))


def _nested(verb: Token, cue: Cue | None, statement: Statement, by_verb: dict[int, Statement]) -> bool:
    """Whether a cue verb lies inside the content of an enclosing cue verb's statement ("she said
    she expects ...", "officials said the video shows ..."). PolNeAR does not nest attributions:
    the enclosing statement carries these words. Only an accusation or denial by another speaker
    ("Iran said Washington accused it of ...") stays a statement of its own, as responsibility
    records need to know who blames whom.

    A coordinated verb ("said A and warned B") shares the clause of the one it is coordinated
    with, not its content: it is not nested."""
    if verb.dep_ == "conj":
        return False
    for ancestor in verb.ancestors:
        outer = by_verb.get(ancestor.i)
        if outer is None or not (outer.content.start <= verb.idx < outer.content.end):
            continue
        other_speaker = statement.speaker is not None and statement.speaker != outer.speaker
        return not (other_speaker and cue is not None and cue.type in NESTED_KEPT_TYPES)
    return False


def _outermost(statements: list[Statement], layout: list[Statement], quotes: Quotes) -> list[Statement]:
    """The cue-word statements whose cue lies outside every quotation and every direct content.

    Words inside a quotation are the quoted speaker's; the reporting verbs among them ("“I think
    ...”") are part of what was said, not attributions the article makes. The same holds inside
    a post or a transcript turn (``layout``, all kept: a quote mark opening a transcript paragraph
    belongs to the excerpt, not to the turn).
    """
    direct = sorted((s.content.start, s.content.end) for s in statements + layout if s.kind == "direct")
    starts = [start for start, _ in direct]
    kept = []
    for statement in statements:
        cue = statement.cue
        if cue is None:
            kept.append(statement)
            continue
        if quotes.containing(cue.start) is not None:
            continue
        i = bisect.bisect_right(starts, cue.start) - 1
        if i >= 0 and direct[i][0] < cue.start < direct[i][1]:
            continue
        kept.append(statement)
    return kept


# --- quotations next to a cue verb ----------------------------------------------------------------


def _own_subject(subject: Token, verb: Token) -> bool:
    """Whether ``subject`` is the verb's own ("she said", "was told by her"), not inherited."""
    return subject.head == verb or (subject.head.dep_ == "agent" and subject.head.head == verb)


def _quoted_contents(verb: Token, cue_span: SpacySpan, subject: SpacySpan | None, quotes: Quotes) -> list[SpacySpan]:
    """The quotations a cue verb introduces: one closing right before its tag (the verb group and
    its own subject: "“...,” she said"), one opening right after it ("she said: “...”"), and, when
    only the first is there, one opening right after the sentence ("“A,” she said. “B.”").

    ``subject`` is the verb's own subject phrase, None when inherited ("he said ..., adding"): then
    the quotation before belongs to the verb it was inherited from."""
    doc = verb.doc
    tag = subject if subject is not None else cue_span
    left = min(cue_span.start, tag.start)
    right = max(cue_span.end, tag.end)
    before = _quote_before(doc, left, quotes) if subject is not None else None
    after = _quote_after(verb, right, quotes) or _after_colon(doc, right)
    if before is not None and after is None:
        after = _quote_after_sentence(doc, right, quotes)
    found = [r for r in (before, after) if r is not None and not (r[0] <= verb.idx < r[1])]
    return [tokens_between(doc, start, end) for start, end in found]


def _after_colon(doc: Doc, right: int) -> tuple[int, int] | None:
    """ "The governor added:" and a paragraph: what follows the colon, on its line or the next."""
    if right >= len(doc) or doc[right].text != ":":
        return None
    text = text_of(doc)
    start = doc[right].idx + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if not text[start:line_end].strip():  # the colon ends its line: the next paragraph
        match = NEXT_LINE.search(text, line_end)
        if match is None:
            return None
        start, line_end = match.start(), match.end()
    region = make_span(text, start, line_end)
    return (region.start, region.end) if region.text else None


def _quoted_away(subject: Token, verb: Token, quotes: Quotes) -> bool:
    """Whether the parser's subject lies inside a quotation that does not hold the verb."""
    region = quotes.containing(subject.idx)
    return region is not None and not (region[0] <= verb.idx < region[1])


def _tag_speaker(verb: Token, cue_span: SpacySpan, quotes: Quotes) -> SpacySpan | None:
    """The speaker of a quotation tag read off the words: a short noun phrase between a closing
    quotation and the verb ("“...,” police Chief Jane Doe said"), or right after the verb that
    follows a quotation ("“...,” said the ruling")."""
    doc = verb.doc
    start = cue_span.start
    while start > 0 and cue_span.start - start < MAX_TAG_TOKENS and (_nominal(doc[start - 1])
                                                                     or doc[start - 1].text == ","):
        start -= 1  # commas set off an apposition: "Jane Doe, the police chief, said"
    while start < cue_span.start and doc[start].text == ",":
        start += 1
    if start < cue_span.start and _quote_before(doc, start, quotes) is not None:
        return doc[start:cue_span.start]
    end = cue_span.end
    while end < len(doc) and end - cue_span.end < MAX_TAG_TOKENS and _nominal(doc[end]):
        end += 1
    if end > cue_span.end and _quote_before(doc, cue_span.start, quotes) is not None:
        return doc[cue_span.end:end]
    return None


def _nominal(token: Token) -> bool:
    """A word that can belong to a plain noun phrase ("the city's police Chief Jane Doe")."""
    return token.pos_ in NOMINAL_POS and token.text not in QUOTE_TOKENS and not token.is_space


def _quote_before(doc: Doc, left: int, quotes: Quotes) -> tuple[int, int] | None:
    """The quotation whose closing mark comes right before token ``left`` (a comma may follow it)."""
    i = left - 1
    while i >= 0 and ((doc[i].is_space and "\n" not in doc[i].text) or doc[i].text == ","):
        i -= 1  # a quotation ending the paragraph before is not this verb's
    if i < 0 or doc[i].text not in QUOTE_TOKENS:
        return None
    return quotes.ending_at(doc[i].idx + len(doc[i].text))


def _quote_after(verb: Token, right: int, quotes: Quotes) -> tuple[int, int] | None:
    """The quotation opening after the verb group, its speaker and a few words that hang off the
    verb ("told reporters on Monday"), behind a comma or colon, or right after the verb."""
    doc = verb.doc
    i, gap = right, 0
    while i < len(doc) and gap <= MAX_GAP_TO_QUOTE:
        token = doc[i]
        if token.text in QUOTE_TOKENS:
            region = quotes.starting_at(token.idx)
            if region is None:
                return None
            before = doc[i - 2] if doc[i - 1].is_space and i >= 2 else doc[i - 1]
            if before.text == ":" or (before.text == "," and "\n" not in doc[i - 1].text):
                return region  # "said, “...”", "said:\n\n“...”"
            # Right after the verb, a short quotation is often a phrase of the clause ("said
            # “rigged” polls were ..."): only a whole quoted sentence is the content.
            return region if i == right and _whole_sentence(doc, region) else None
        if token.text in {".", "?", "!", ";"} or token.pos_ in {"VERB", "AUX"} or token.dep_ in {"ccomp", "xcomp"}:
            return None
        if not (token.is_punct or token.is_space or verb in token.ancestors):
            return None
        gap += 0 if token.is_punct or token.is_space else 1
        i += 1
    return None


def _whole_sentence(doc: Doc, region: tuple[int, int]) -> bool:
    """Whether a quotation holds a few words and ends its sentence or line."""
    text = text_of(doc)
    if len(re.findall(r"\w+", text[region[0]:region[1]])) < 4:
        return False
    rest = text[region[1]:region[1] + 3].lstrip(" \t")
    return not rest or rest[0] in ".?!;\n" or text[region[1] - 2] in ".?!,"


def _quote_after_sentence(doc: Doc, right: int, quotes: Quotes) -> tuple[int, int] | None:
    """ "“A,” she said. “B.”": the quotation that opens right after the tag's full stop."""
    i = right
    if i < len(doc) and doc[i].text == ".":
        i += 1
    else:
        return None
    if i < len(doc) and doc[i].text in QUOTE_TOKENS:
        return quotes.starting_at(doc[i].idx)
    return None


# --- parse helpers ----------------------------------------------------------------------------------


def _content_of(verb: Token, cue: Cue, index: DocIndex, speech_nouns: set[str]) -> SpacySpan | None:
    """The reported content of a cue verb: its clause, infinitive, prepositional or object complement.
    ``speech_nouns`` are the nominal cues ("comment", "claim"), objects that are words themselves."""
    children = list(verb.children)
    exclude = {verb.i}
    phrasal = _phrasal_content(verb, cue)
    if phrasal is not None:
        return phrasal
    for dep in ("ccomp", "xcomp"):
        comp = next((c for c in children if c.dep_ == dep), None)
        if comp is not None and comp.pos_ in {"VERB", "AUX", "ADJ", "NOUN"}:
            return subtree_span(comp, exclude | _coordinated_clauses(comp))
    # "tweeted on Friday that ...": a that-clause the parser hung off the verb as an adverbial.
    that_clause = next((c for c in children if c.dep_ in {"advcl", "dep"} and c.i > verb.i
                        and c.left_edge.lower_ == "that"), None)
    if that_clause is not None:
        return subtree_span(that_clause, exclude | _coordinated_clauses(that_clause))
    if (verb.dep_ == "ccomp" and verb.head.i < verb.i) or verb.dep_ == "parataxis" or _as_clause(verb):
        # "The army withdrew, he said." / "The army, he said, withdrew." / "as he noted, ..."
        return subtree_span(verb.head, {t.i for t in verb.subtree} | exclude)
    named = _named_content(verb) if verb.lemma_.lower() in NAMING_VERBS else None
    if named is not None:
        return named
    passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
    if passive is not None and _agent_of(verb) is not None:  # "The plan was first reported by X"
        return subtree_span(passive, exclude)
    return _object_content(verb, cue, index, speech_nouns)


def _object_content(verb: Token, cue: Cue, index: DocIndex, speech_nouns: set[str]) -> SpacySpan | None:
    """A cue verb's object as its content ("noted the rule"), else its prepositional complement
    ("spoke of the museum", "responded to the charges")."""
    children = list(verb.children)
    obj = next((c for c in children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is not None and cue.type not in CLAUSE_ONLY_TYPES and _object_is_content(verb, obj, index):
        return subtree_span(obj, {verb.i})
    prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in COMPLEMENT_PREPS
                 and any(g.dep_ in {"pcomp", "pobj"} for g in c.children)), None)
    if prep is None:
        prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in VERB_PREPS.get(verb.lemma_.lower(), ())
                     and any(g.dep_ == "pobj" and g.lemma_.lower() in speech_nouns for g in c.children)), None)
    if prep is None:
        return None
    # "spoke of [the museum]": a preposition right after the verb goes with the cue; after an
    # object it stays with the content ("cautioned him [against falling for ...]").
    return subtree_span(prep, {verb.i} | ({prep.i} if prep.i == verb.i + 1 else set()))


def _phrasal_content(verb: Token, cue: Cue) -> SpacySpan | None:
    """ "called on [Trump to stop]", "pointed to [the polls]": what follows the cue's preposition."""
    words = cue.cue.split()
    if len(words) != 2:
        return None
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == words[1]), None)
    objects = [g for g in prep.children if g.dep_ in {"pobj", "pcomp"}] if prep is not None else []
    if not objects:
        return None
    parts = objects + [c for c in verb.children if c.dep_ in {"xcomp", "ccomp"} and c.i > prep.i]
    return verb.doc[min(p.left_edge.i for p in parts):max(p.right_edge.i for p in parts) + 1]


def _as_clause(verb: Token) -> bool:
    """ "as one adviser pointed out, ...": the verb comments on the clause it hangs off."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)


def _object_is_content(verb: Token, obj: Token, index: DocIndex) -> bool:
    """Whether a cue verb's direct object is what was said ("noted the rule", "mentioned Machado"),
    not the person spoken to ("told him", "urged the council") or a count ("added 30 jobs")."""
    lemma = verb.lemma_.lower()
    if lemma in NO_OBJECT_VERBS:
        return False
    if lemma in ADDRESSEE_VERBS:
        return not _is_person_like(obj) and not index.actors_of(obj)
    return obj.lower_ not in WH_WORDS


def _named_content(verb: Token) -> SpacySpan | None:
    """ "called [the charges unsubstantiated]", "described [Mr. Obama as a climate evangelist]": the
    object and its predicate, from the first to the last of them after the verb."""
    parts = [c for c in verb.children if c.i > verb.i and (c.dep_ in NAMING_DEPS
                                                          or (c.dep_ == "prep" and c.lower_ in {"as", "to"}))]
    if not parts or not any(c.dep_ in NAMING_DEPS for c in parts):
        return None
    start = min(c.left_edge.i for c in parts)
    end = max(c.right_edge.i for c in parts) + 1
    return verb.doc[start:end]


def _coordinated_clauses(head: Token) -> set[int]:
    """Tokens of clauses coordinated to ``head`` with a subject of their own ("..., but Iran has ...")."""
    out: set[int] = set()
    for child in head.children:
        if child.dep_ == "conj" and any(g.dep_ in {"nsubj", "nsubjpass"} for g in child.children):
            out.update(t.i for t in child.subtree)
            out.update(c.i for c in head.children if c.dep_ in {"cc", "punct"} and c.i < child.i and c.i > head.i)
    return out


def _is_person_like(token: Token) -> bool:
    """Whether a noun names a party (the addressee of "told"), not content ("noted it")."""
    return token.ent_type_ in {"PERSON", "NORP", "GPE", "ORG"} or token.lower_ in PERSONAL_PRONOUNS


def names_no_one(subject: Token) -> bool:
    """Whether a subject says that no one did it: "nobody", "none of the factions", "no group", "no one"."""
    if subject.lower_ in NO_ONE_WORDS:
        return True
    return any(c.dep_ in {"det", "neg"} and c.lower_ == "no" for c in subject.children)


def _subject_of(verb: Token) -> Token | None:
    """The verb's subject, inherited through participles, coordination and infinitives. A relative
    pronoun is returned as is ("who"): it is the speaker's span; its antecedent is the actor."""
    if verb.lemma_.lower() in EVIDENTIAL_VERBS and verb.dep_ in {"advcl", "acl"} and verb.tag_ == "VBG":
        obj = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        if obj is not None:  # "received intelligence indicating that": the intelligence indicates
            return obj
    current = verb
    for _ in range(4):
        subject = _agent_of(current)  # "was first reported by the Post": the Post is the source
        if subject is None:
            subject = next((c for c in current.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None:
            if subject.dep_ == "nsubjpass" and current is verb:
                return None  # "it was said that" has no speaker in its subject
            return subject
        if current.dep_ in {"advcl", "conj", "xcomp", "acl"} and current.head != current:
            current = current.head
            continue
        if current.dep_ == "pcomp" and current.head.head.pos_ in {"VERB", "AUX"}:
            current = current.head.head  # "won support by telling them ...": the one who won it tells
            continue
        return None
    return None


def _agent_of(verb: Token) -> Token | None:
    """The noun of a passive verb's "by" phrase."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None


def _speaker_phrase(subject: Token, cue: Token) -> SpacySpan:
    """The speaker as PolNeAR marks it: the subject's whole phrase, with its appositions, relative
    clauses and prepositional phrases ("Jane Doe, a spokeswoman for the ministry,"), but never the
    cue. An overlong phrase is a parse error: then the noun phrase alone."""
    exclude = {t.i for t in cue.subtree} if subject in cue.ancestors else set()
    exclude.add(cue.i)
    phrase = subtree_span(subject, exclude)
    if phrase is not None and len(phrase) <= MAX_SPEAKER_TOKENS and not (phrase.start <= cue.i < phrase.end):
        return phrase
    return _head_phrase(subject)


def _head_phrase(subject: Token) -> SpacySpan:
    """The subject's noun phrase without its clauses and prepositional phrases: where the speaker
    actor is looked up ("the office of the governor" is not the governor; "an eyewitness who spoke
    to the Punch" is not the Punch)."""
    phrase = noun_phrase(subject)
    return phrase if len(phrase) <= 12 else subject.doc[subject.i:subject.i + 1]


def _verb_group(verb: Token, cue: Cue | None) -> SpacySpan:
    """The cue as PolNeAR marks it: auxiliaries, negation and adverbs before the verb, the verb, its particle."""
    start = verb.i
    for child in sorted((c for c in verb.children if c.i < verb.i), key=lambda c: -c.i):
        if child.dep_ in {"aux", "auxpass", "neg", "advmod"} and child.i == start - 1:
            start = child.i
    end = verb.i + 1
    if any(c.dep_ == "agent" and c.i == end for c in verb.children):
        end += 1  # "was reported by": PolNeAR's cue ends with the "by" of the source
    words = cue.cue.split() if cue is not None else []
    if len(words) == 2:
        particle = next((c for c in verb.children if c.lower_ == words[1] and c.i == verb.i + 1), None)
        if particle is not None:
            end = particle.i + 1
    return verb.doc[start:end]


def _kind(content: SpacySpan) -> str:
    texts = token_texts(content.doc)[content.start:content.end]
    if not any(t in QUOTES_OPEN | QUOTES_CLOSE | QUOTE_TOKENS for t in texts):
        return "indirect"
    if texts[0] in QUOTES_OPEN | QUOTE_TOKENS and texts[-1] in QUOTES_CLOSE | QUOTE_TOKENS:
        return "direct"
    return "partial"


def _channel(verb: Token, cue: Cue, content: SpacySpan) -> str:
    if cue.channel:
        return cue.channel
    sentence = sent_of(verb)
    sent_text = text_of(verb.doc)[sentence.start_char:sentence.end_char].lower()  # = sentence.text, no Tokens
    # A quotation may run past the cue's sentence: clamp its offsets to the sentence.
    before = sent_text[: max(0, content.start_char - sentence.start_char)]
    after = sent_text[max(0, content.end_char - sentence.start_char):]
    outside = before + " " + after
    for pattern, channel in CHANNEL_PATTERNS:
        if pattern.search(outside):
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
