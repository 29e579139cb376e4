"""Actors stage: named and described actors, resolved to canonical entries, with coreference.

Mentions come from three sources: our dictionaries (countries, capitals, organisations, people
and their social handles, titles like "POTUS"), spaCy's PERSON/ORG/NORP entities that the
dictionaries lack, and role nouns ("lawmakers", "the minister", "militias") that imply a sector.
Mentions are then grouped into actors; "the minister", "the latter" and unambiguous pronouns are
linked back to an earlier actor.

Beside our hand-written lexicons, the Phoenix / PETRARCH-2 dictionaries (generated files, see
``newstrace/actors/phoenix.py``) add about 26,000 actor records (people with dated roles, IGOs, NGOs,
armed groups) and 5,000 agent nouns. Where both know a phrase, the hand-written entry wins: it is
curated, current (Phoenix stops around 2014-2019) and carries Wikidata ids; Phoenix only fills the
gaps and gives its finer code ("IGOMEAARL") when its country agrees with ours. Every actor carries a
CAMEO-style ``code`` (``newstrace/actors/codes.py``).
"""

from __future__ import annotations

from collections import defaultdict

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newstrace.actor_codes import join_code, normalise_code, parse_code
from newstrace.actors import context as ctx
from newstrace.actors.candidates import Candidate, Entry, _Group, _person_candidate, choose_office
from newstrace.actors.linking import (
    _actor_from_group,
    _fold_modifier_roles,
    _join_appositives,
    _merge_surnames,
    _resolve_definite_roles,
    _resolve_latter,
)
from newstrace.actors.phoenix import (
    Agent,
    PhoenixLexicon,
    Record,
    discarded_tokens,
    enabled_by_default,
    load_phoenix,
)
from newstrace.actors.phrases import (
    _before_place_head,
    _body_in_title,
    _in_locative_phrase,
    _inside_title,
    _is_locative,
    _longest_first,
    _modifies_place,
    _noun_phrase,
    _previous_sentence_start,
    _strip_junk,
    _surname,
    _without_article,
    backer,
    title_words,
)
from newstrace.lexicon import Country, Lexicons, Office, Organization, Role
from newstrace.model import Actor
from newstrace.nlp import is_dateline
from newstrace.spans import ents_of, lower_words, sent_of, text_of, tokens_tagged, tokens_with

PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
PLURAL_PRONOUNS = {"they", "them", "their"}

class ActorFinder:
    """Finds actors in parsed documents; built once per pipeline from the lexicons.

    ``phoenix``: use the Phoenix / PETRARCH-2 lexicons too (default: on unless ``NEWSTRACE_PHOENIX=0``).
    """

    def __init__(self, nlp: Language, lexicons: Lexicons, phoenix: bool | None = None) -> None:
        self.lex = lexicons
        use_phoenix = enabled_by_default() if phoenix is None else phoenix
        self.phoenix: PhoenixLexicon | None = load_phoenix() if use_phoenix else None
        self.country_codes = frozenset(c.code for c in lexicons.countries)
        self.names: dict[str, list[Entry]] = defaultdict(list)
        self.roles: dict[str, Role] = {}
        self.adjectives: dict[str, Country] = {}
        self._index_names()
        # The lower-case role terms, longest first, as title and appositive readers try them (sorted once).
        self.lower_roles_longest_first = [t for t in sorted(self.roles, key=len, reverse=True) if t.islower()]
        self.name_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.role_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        tokenizer_doc = nlp.make_doc
        for phrase in self.names:
            self.name_matcher.add(phrase, [tokenizer_doc(phrase)])
        for term, role in self.roles.items():
            if role.country:  # titles such as POTUS are proper names, matched case-sensitively
                self.name_matcher.add(term, [tokenizer_doc(term)])
            else:
                self.role_matcher.add(term, [tokenizer_doc(term)])

    def _index_names(self) -> None:
        for country in self.lex.countries:
            for name in (country.name, *country.aliases):
                self.names[name].append(Entry("country", country=country))
            for adjective in country.adjectives:
                self.adjectives[adjective] = country
                self.names[adjective].append(Entry("adjective", country=country))
            for capital in country.capitals:
                self.names[capital].append(Entry("capital", country=country))
        for org in self.lex.organizations:
            for name in (org.name, *org.aliases):
                self.names[name].append(Entry("organization", organization=org))
        by_alias: dict[str, list[Office]] = defaultdict(list)
        for office in self.lex.offices:
            for name in {office.name, *office.aliases}:
                by_alias[name].append(office)
        for name, offices in by_alias.items():
            self.names[name].append(Entry("person", offices=tuple(offices)))
        for role in self.lex.roles:
            self.roles[role.term if role.country else role.term.lower()] = role
            if role.country:
                self.names[role.term].append(Entry("title", role=role))

    # --- public ---------------------------------------------------------------------------------

    def find(self, doc: Doc, date: str | None) -> list[Actor]:
        """The actors of ``doc``, as of the ISO date ``date`` (for date-bounded offices and dated roles)."""
        context_countries = self._countries_mentioned(doc)
        words = lower_words(doc)
        candidates = self._dictionary_candidates(doc, date, context_countries)
        candidates = self._with_phoenix_codes(candidates, words, date)
        candidates += self._phoenix_candidates(doc, words, date, candidates)
        candidates += self._entity_candidates(doc, candidates)
        candidates += self._role_candidates(doc, candidates, date)
        candidates += self._nationality_candidates(doc, candidates)
        candidates = self._without_discards(doc, candidates)
        candidates.sort(key=lambda c: c.span.start)
        candidates = _join_appositives(candidates)
        candidates = self._link_handles(candidates, doc)
        candidates += self._pronoun_candidates(doc, candidates) + self._plural_pronoun_candidates(doc, candidates)
        candidates.sort(key=lambda c: c.span.start)
        return self._group(candidates, doc)

    def country_of_token(self, token: Token) -> str | None:
        """The country code a single token names (name, alias, adjective or capital; with Phoenix,
        also its other cities and spellings: "Kandahar", "Kirghiz"), if any."""
        for entry in self.names.get(token.text, []):
            if entry.country is not None:
                return entry.country.code
        # A word our lexicons know as something else ("ISIS", a group) keeps that reading.
        if self.phoenix is not None and token.text[:1].isupper() and token.text not in self.names:
            record = self.phoenix.actors.values.get(token.lower_)
            if isinstance(record, Record) and record.is_place:
                country, _ = parse_code(record.code_on(None), self.country_codes)
                return country
        return None

    # --- candidates from the dictionaries -------------------------------------------------------

    def _countries_mentioned(self, doc: Doc) -> set[str]:
        found = set()
        for _, start, end in self.name_matcher(doc):
            for entry in self.names.get(doc[start:end].text, []):
                if entry.country is not None:
                    found.add(entry.country.code)
        return found

    def _dictionary_candidates(self, doc: Doc, date: str | None, context: set[str]) -> list[Candidate]:
        matches = [(start, end) for _, start, end in self.name_matcher(doc)]
        spans = _longest_first([doc[s:e] for s, e in matches])
        out = []
        for span in spans:
            if ctx.inside_other_name(span) or self._surname_of_other(span):
                continue  # "Berger" in or after "Karl Berger" is not the dictionary's Sandy Berger
            entries = self.names.get(span.text, [])
            candidate = self._candidate_from_entries(span, entries, date, context)
            if candidate is not None and not self._titled_as_another(span, candidate):
                out.append(candidate)
        return out

    def _titled_as_another(self, span: SpacySpan, candidate: Candidate) -> bool:
        """ "Sudanese President Omar al-Bashir": a person our dictionary knows by a shared alias ("al-Bashir",
        a Syrian) is not the one meant when the title around the name gives another country."""
        if candidate.kind != "person" or candidate.country is None:
            return False
        name = next((e for e in ents_of(span.doc) if e.label_ == "PERSON" and e.start <= span.start
                     and span.end <= e.end), span)
        country = self._title_attributes(name)[0]
        return country is not None and country != candidate.country

    def _owner_country(self, span: SpacySpan) -> str | None:
        """The country right before a name: "Rwanda's" or "Russian" in "Rwanda's Senate", "Russian Parliament"."""
        doc = span.doc
        before = span.start - 1
        if before >= 0 and doc[before].tag_ == "POS":
            before -= 1
        return self.country_of_token(doc[before]) if before >= 0 else None

    def _surname_of_other(self, span: SpacySpan) -> bool:
        """A one-word alias that is the surname of a fuller name earlier in the text that our
        dictionaries do not know ("Karl Berger ... Berger")."""
        if len(span) != 1 or not any(e.kind == "person" for e in self.names.get(span.text, [])):
            return False
        for ent in ents_of(span.doc):
            if ent.start >= span.start:
                break
            if ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].text == span.text and ent.text not in self.names:
                return True
        return False

    def _candidate_from_entries(self, span: SpacySpan, entries: list[Entry], date: str | None,
                                context: set[str]) -> Candidate | None:
        kinds = {e.kind for e in entries}
        if "person" in kinds:
            offices = [o for e in entries if e.kind == "person" for o in e.offices]
            office = choose_office(offices, date, context)
            return _person_candidate(span, office, how="alias" if span.text != office.name else "name")
        if "title" in kinds:
            role = next(e.role for e in entries if e.kind == "title")
            holder = self._office_holder(role, date)
            if holder is not None:
                return _person_candidate(span, holder, how="title")
            return Candidate(span, ("title", role.term), span.text, role.kind, role.country, role.sector,
                             role.office, how="title", known=True)
        if "organization" in kinds:
            org = next(e.organization for e in entries if e.kind == "organization")
            owner = self._owner_country(span)
            if owner and org.country in self.country_codes and owner != org.country and len(span) == 1:
                # "Rwanda's Senate", "the Russian Parliament": that country's body, not the one our entry means
                return Candidate(span, ("org", owner, span.text), span.text, "organization", owner, org.sector,
                                 how="role")
            return Candidate(span, ("org", org.name), org.name, org.kind if org.kind in {"group"} else "organization",
                             org.country, org.sector, wikidata=org.wikidata, known=True)
        if "country" in kinds or "capital" in kinds:
            entry = next(e for e in entries if e.kind in {"country", "capital"})
            if _is_locative(span) or _modifies_place(span) or _inside_title(span):
                return None
            if entry.kind == "capital":
                return Candidate(span, ("capital", entry.country.code, span.text), span.text, "state",
                                 entry.country.code, "GOV", how="capital", known=True)
            return Candidate(span, ("country", entry.country.code), entry.country.name, "state",
                             entry.country.code, "GOV", known=True)
        if "adjective" in kinds:
            return self._demonym_candidate(span, entries[0].country)
        return None

    def _demonym_candidate(self, span: SpacySpan, country: Country) -> Candidate | None:
        """A plural demonym used as a noun ("Americans") names that country's people."""
        token = span.root
        if token.tag_ in {"NNS", "NNPS"} or (token.text.endswith("s") and token.dep_ not in {"amod", "compound"}):
            return Candidate(span, ("people", country.code), span.text, "group", country.code, "CVL",
                             how="demonym", known=True)
        return None

    def _office_holder(self, role: Role, date: str | None) -> Office | None:
        holders = [o for o in self.lex.offices if o.country == role.country and o.office == role.office]
        current = [o for o in holders if o.held_on(date)] if date else []
        return max(current, key=lambda o: o.start) if current else None

    # --- candidates from the Phoenix dictionaries ------------------------------------------------

    def _with_phoenix_codes(self, candidates: list[Candidate], words: list[str], date: str | None) -> list[Candidate]:
        """Our entries keep their country and sector; Phoenix's finer code ("IGOMEAARL") is added
        where it knows the same phrase and agrees on the country and sector. A state named by its name or
        capital is coded by its country alone ("POL"), as CAMEO does."""
        for cand in candidates:
            if self.phoenix is not None:
                record = self.phoenix.actors.get(words[cand.span.start:cand.span.end])
                if isinstance(record, Record):
                    code = normalise_code(record.code_on(date))
                    country, sector = parse_code(code, self.country_codes)
                    if code and country == cand.country and (sector == cand.sector or cand.kind == "state"):
                        cand.code = code
                        continue
            if cand.kind == "state" and cand.how in {"name", "capital"}:
                cand.code = cand.country
            elif cand.kind == "person" and cand.country not in self.country_codes:
                body = _body_in_title(cand.span, candidates)  # "Arab League Secretary General X"
                if body is not None and body.country == cand.country:
                    cand.code = body.code
        return candidates

    def _phoenix_candidates(self, doc: Doc, words: list[str], date: str | None,
                            taken: list[Candidate]) -> list[Candidate]:
        """People, bodies and armed groups the Phoenix records know and our lexicons do not. A state's
        own record (its cities, old names, spellings) only lends its country to role phrases."""
        if self.phoenix is None:
            return []
        covered = {i for c in taken for i in range(c.span.start, c.span.end)}
        out = []
        for start, end, record in self.phoenix.actors.matches(words):
            span = doc[start:end]
            if not isinstance(record, Record) or record.is_place or covered.intersection(range(start, end)):
                continue
            if not ctx.looks_like_name(span) or is_dateline(span) or _inside_title(span):
                continue  # "US Secretary of State" before a name is that person's title
            code = normalise_code(record.code_on(date))
            country, sector = parse_code(code, self.country_codes)
            if record.is_person and not record.held_on(date):
                # No dated role covers the date: a title in the text ("President X") says more than
                # the record's fallback code.
                titled_country, titled_sector, _ = self._title_attributes(span)
                if titled_sector and (titled_country or country):
                    country, sector = titled_country or country, titled_sector
                    code = join_code(country, sector)
            if country is None and sector is None:
                continue
            if record.is_person or span.root.ent_type_ == "PERSON":
                kind = "person"
            else:
                kind = "group" if record.source == "M" or sector in {"REB", "MIL"} else "organization"
            # A body keeps the name as the text writes it (the records are upper case); a person the record's.
            name = record.name if kind == "person" else _without_article(span).text
            out.append(Candidate(span, ("phoenix", record.name), name, kind, country, sector, known=True,
                                 how="name", code=code))
        return out

    def _without_discards(self, doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
        """Phrases that are never actors (Phoenix discards: sport, entertainment, history) are dropped."""
        if self.phoenix is None:
            return candidates
        banned = discarded_tokens(doc, self.phoenix.discards)
        return [c for c in candidates if not banned.intersection(range(c.span.start, c.span.end))]

    def _nationality_candidates(self, doc: Doc, taken: list[Candidate]) -> list[Candidate]:
        """People named by nationality and a plain noun ("Indian and Pakistani negotiators"): one
        actor per country, with no sector."""
        covered = {i for c in taken for i in range(c.span.start, c.span.end)}
        out = []
        for token in tokens_tagged(doc, "NNS"):
            if token.i in covered or not ctx.names_people(token):
                continue
            phrase = _noun_phrase(token, doc[token.i:token.i + 1])
            countries = self._countries_of_modifiers(phrase)
            if not countries:
                continue
            for country in countries:
                out.append(Candidate(phrase, ("people", country, token.lemma_.lower()), phrase.text, "group", country,
                                     None, how="role", code=country))
        return out

    def _countries_of_modifiers(self, phrase: SpacySpan) -> list[str]:
        """Countries of the nationality words or country names among a phrase's modifiers, in order."""
        found: list[str] = []
        for token in phrase[:-1]:
            code = self.country_of_token(token)
            if code and code not in found:
                found.append(code)
        return found

    # --- candidates from spaCy entities ---------------------------------------------------------

    def _entity_candidates(self, doc: Doc, taken: list[Candidate]) -> list[Candidate]:
        out = []
        covered = {i for c in taken for i in range(c.span.start, c.span.end)}
        for ent in ents_of(doc):
            if ent.label_ not in {"PERSON", "ORG", "NORP"}:
                continue
            span = _strip_junk(ent)
            if span is None or any(i in covered for i in range(span.start, span.end)):
                continue
            if _inside_title(span) or _before_place_head(span) or is_dateline(span):
                continue
            if len(span) == 1 and self.country_of_token(span[0]):
                continue  # a nationality word ("Hungarian") the parser took for a name
            if ent.label_ == "PERSON" and self._part_of_role_phrase(span):
                continue  # "Riot police were deployed": a capitalised role word, not a name
            if ent.label_ == "PERSON":
                country, sector, office = self._title_attributes(span)
                body = _body_in_title(span, taken)  # "Arab League Secretary General X" takes its country and code
                code = None
                if body is not None and country in {None, body.country}:
                    # as for a group named in the title, the body gives the sector ("Hamas spokesman X": REB)
                    country, sector, code = body.country, body.sector or sector, body.code
                out.append(Candidate(span, ("person", _surname(span.text)), span.text, "person", country,
                                     sector, office, how="name", code=code))
            elif ent.label_ == "ORG" and not span.text.startswith("@"):
                country, sector = self._organization_attributes(span)
                out.append(Candidate(span, ("org", span.text), span.text, "organization", country, sector))
        return out

    def _part_of_role_phrase(self, span: SpacySpan) -> bool:
        """A one- or two-word name that, with the words after it, spells a role noun of our lexicon
        ("Riot police", "Border guards"): sentence-initial capitals make the tagger read it as a name."""
        doc = span.doc
        ends = range(span.end + 1, min(len(doc), span.end + 3) + 1)
        text, starts = text_of(doc), span.start_char
        # The text cut from the cached document text: ``Span.text`` builds a Token per word.
        return any(text[starts:doc[end - 1].idx + len(doc[end - 1])].lower() in self.roles for end in ends)

    def _title_attributes(self, span: SpacySpan) -> tuple[str | None, str | None, str | None]:
        """Country, sector and office from the title before a name: "Iranian General X"."""
        country = sector = office = None
        org_sector = None
        words = title_words(span)
        for token in words:
            code = self.country_of_token(token)
            org = self._organization_of(token)
            if code:
                country = code
            elif org is not None:
                country, org_sector = country or org.country, org.sector
        if words:
            text = span.doc[words[0].i:words[-1].i + 1].text.lower()
            for term in self.lower_roles_longest_first:
                if text.endswith(" " + term) or text == term:
                    role = self.roles[term]
                    sector, office = role.sector, role.office
                    break
            if sector is None:
                sector = self._agent_sector(words)
        if country is None or sector is None:  # "President X of Y", "X, the Y foreign minister"
            later_country, later_sector, later_office = self._roles_after(span)
            country, sector, office = country or later_country, sector or later_sector, office or later_office
        # A spokesman or commander of a named group belongs to that group's sector.
        return country, org_sector or sector, office

    def _agent_sector(self, words: list[Token]) -> str | None:
        """The sector of the last Phoenix agent noun among ``words`` ("Secretary General" → GOV)."""
        if self.phoenix is None or not words:
            return None
        found = self.phoenix.agents.matches([t.lower_ for t in words])
        return found[-1][2].sector if found else None

    def _roles_after(self, name: SpacySpan) -> tuple[str | None, str | None, str | None]:
        """Country, sector and office a name gets from what follows it: "X of Y", "X, the Y foreign
        minister", "X, Y's president"."""
        doc = name.doc
        country = sector = office = None
        after = doc[name.end] if name.end < len(doc) else None
        if after is not None and after.lower_ == "of" and after.i + 1 < len(doc):
            country = self.country_of_token(doc[after.i + 1])
        appositive = ctx.appositive_after(name)
        if appositive is not None:
            for token in appositive:
                country = country or self.country_of_token(token)
            text = appositive.text.lower()
            for term in self.lower_roles_longest_first:
                if text.endswith(" " + term) or text == term:
                    sector, office = self.roles[term].sector, self.roles[term].office
                    break
            sector = sector or self._agent_sector(list(appositive))
        return country, sector, office

    def _organization_attributes(self, span: SpacySpan) -> tuple[str | None, str | None]:
        """Country and sector an unknown organisation's own name gives: "the Latvian Supreme Court"
        → LVA JUD, "the Ghanaian Union of Nurses" → GHA HLH (from its nationality word and the role
        noun in it)."""
        country = next((c for c in map(self.country_of_token, span) if c), None)
        sector = None
        words = [t.lower_ for t in span]
        spans = [(s, e, r.sector) for s, e, r in self._role_matches(words)]
        if spans:
            root = span.root.i - span.start
            on_root = [x for x in spans if x[0] <= root < x[1]]
            sector = (on_root or spans)[-1][2]
        return country, sector

    def _role_matches(self, words: list[str]) -> list[tuple[int, int, Role]]:
        """Hand-written role terms and Phoenix agents in a lower-case token list, longest first."""
        found: list[tuple[int, int, Role]] = []
        for start in range(len(words)):
            for end in range(min(len(words), start + 6), start, -1):
                role = self.roles.get(" ".join(words[start:end]))
                if role is not None and role.term.islower():
                    found.append((start, end, role))
                    break
        if self.phoenix is not None:
            for start, end, agent in self.phoenix.agents.matches(words):
                if isinstance(agent, Agent) and agent.sector and " ".join(words[start:end]) not in ctx.VAGUE_AGENTS:
                    found.append((start, end, Role(" ".join(words[start:end]), agent.sector,
                                                   "group" if agent.plural else "person", None, None)))
        chosen: list[tuple[int, int, Role]] = []
        taken: set[int] = set()
        for item in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
            if not taken.intersection(range(item[0], item[1])):
                chosen.append(item)
                taken.update(range(item[0], item[1]))
        return sorted(chosen, key=lambda f: f[0])

    def _organization_of(self, token: Token) -> Organization | None:
        entries = self.names.get(token.text, [])
        return next((e.organization for e in entries if e.organization is not None), None)

    # --- candidates from role nouns ---------------------------------------------------------------

    def _role_candidates(self, doc: Doc, taken: list[Candidate], date: str | None) -> list[Candidate]:
        covered = {i for c in taken for i in range(c.span.start, c.span.end)}
        out = []
        for span, role, roles_code in self._role_spans(doc):
            if any(i in covered for i in range(span.start, span.end)):
                continue
            head = span[-1]
            if head.pos_ not in {"NOUN", "PROPN"} or self._is_title(head, taken):
                continue
            if not role.term.islower() and span.text != role.term:
                continue  # acronyms and titles (PM, MP, NGO) match only as written
            phrase = _noun_phrase(head, span)
            lemmas = " ".join(t.lemma_.lower() for t in phrase if t.dep_ != "det")
            countries = self._countries_in_phrase(phrase, taken) or self._country_of_of_phrase(head, taken)
            if role.kind == "person" and head.tag_ in {"NNS", "NNPS"}:
                # "12 people", "gunmen": dictionaries list some plural nouns without a plural mark
                role = Role(role.term, role.sector, "group", role.office, role.country)
            for country in countries or [None]:
                key = ("role", role.term if role.kind == "person" else lemmas, country, role.sector)
                holder = self._office_holder(Role(role.term, role.sector, role.kind, role.office, country), date) \
                    if role.kind == "person" and role.office and country and len(countries) == 1 else None
                if holder is not None:  # "Turkey's foreign minister" on that date is a known person
                    out.append(_person_candidate(phrase, holder, how="title"))
                    continue
                out.append(Candidate(phrase, key, phrase.text, role.kind, country, role.sector, role.office,
                                     how="role", role_term=role.term,
                                     code=join_code(country, roles_code or role.sector)))
        return _fold_modifier_roles(out)

    def _role_spans(self, doc: Doc) -> list[tuple[SpacySpan, Role, str | None]]:
        """Role nouns: our roles (matched with their case rules) and Phoenix agents, longest first;
        on the same words our entry wins. Each comes with the agent's role codes (GOVMED) if any."""
        found: list[tuple[SpacySpan, Role, str | None, int]] = []
        for span in self.role_matcher(doc, as_spans=True):
            # The match label is the lexicon term: the span's text may be spaced differently ("pro - government").
            found.append((span, self.roles[span.label_], None, 0))
        if self.phoenix is not None:
            words = lower_words(doc)
            for start, end, agent in self.phoenix.agents.matches(words):
                term = " ".join(words[start:end])
                if not isinstance(agent, Agent) or not agent.sector or term in ctx.VAGUE_AGENTS:
                    continue
                role = Role(term, agent.sector, "group" if agent.plural else "person", None, None)
                found.append((doc[start:end], role, agent.roles, 1))
        chosen: list[tuple[SpacySpan, Role, str | None]] = []
        taken: set[int] = set()
        for span, role, code, _rank in sorted(found, key=lambda f: (-(f[0].end - f[0].start), f[3], f[0].start)):
            if taken.intersection(range(span.start, span.end)):
                continue
            chosen.append((span, role, code))
            taken.update(range(span.start, span.end))
        return sorted(chosen, key=lambda f: f[0].start)

    def _is_title(self, head: Token, taken: list[Candidate]) -> bool:
        """A role noun that is a title before a name ("Foreign Minister Javad Zarif")."""
        nxt = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
        if nxt is None or (nxt.ent_type_ != "PERSON" and not any(c.span.start == nxt.i for c in taken)):
            return head.dep_ == "compound" and head.head.ent_type_ == "PERSON"
        return True

    def _country_of_of_phrase(self, head: Token, taken: list[Candidate]) -> list[str]:
        """ "leaders of Egypt's Muslim Brotherhood", "a court in Guyana", "dissidents from Myanmar":
        the country of the body, state or place an of / in / from phrase after the role noun names."""
        prep = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ in {"of", "in", "from"}), None)
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if pobj is None:
            return []
        # "the mayor of the West Bank city of Nablus": the first country or place in the phrase
        for token in sorted(pobj.subtree, key=lambda t: t.i):
            named = next((c for c in taken if c.span.start <= token.i < c.span.end and c.country in self.country_codes),
                         None)
            if named is not None:
                return [named.country]
            code = self.country_of_token(token)
            if code:
                return [code]
        return []

    def _countries_in_phrase(self, phrase: SpacySpan, taken: list[Candidate]) -> list[str]:
        """The countries a role phrase names: one ("Turkish troops"), several for coordinated
        modifiers ("Polish and Czech officials"), the nearest earlier place for "local"."""
        found: list[str] = []
        for token in phrase:
            if backer(token):
                continue
            code = self.country_of_token(token)
            org = self._organization_of(token)
            if not code and org is not None and org.country:
                code = org.country
            if not code and token.lower_ == "local":
                code = _nearest_previous_country(phrase, self)
            if code and code not in found:
                found.append(code)
        if found:
            return found
        for cand in taken:
            if phrase.start <= cand.span.start and cand.span.end <= phrase.end and cand.country \
                    and not any(backer(t) for t in cand.span):
                return [cand.country]
        return []

    # --- linking ------------------------------------------------------------------------------------

    def _link_handles(self, candidates: list[Candidate], doc: Doc) -> list[Candidate]:
        """An unknown @handle in brackets right after a name is that person's account."""
        for token in (doc[i] for i, word in enumerate(lower_words(doc)) if word.startswith("@")):
            if len(token.text) < 2:
                continue
            if any(c.span.start <= token.i < c.span.end for c in candidates):
                continue
            prev = [c for c in candidates if c.span.end <= token.i and token.i - c.span.end <= 2 and c.kind == "person"]
            if prev and doc[token.i - 1].text == "(":
                owner = prev[-1]
                candidates.append(Candidate(doc[token.i:token.i + 1], owner.key, owner.name, owner.kind,
                                            owner.country, owner.sector, owner.office, owner.wikidata,
                                            owner.known, how="handle"))
        return candidates

    def _pronoun_candidates(self, doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
        """he/she/his/her when exactly one person was mentioned in this or the previous sentence."""
        out = []
        for token in tokens_with(doc, PERSON_PRONOUNS):
            window_start = _previous_sentence_start(token)
            people = {c.key for c in candidates
                      if c.kind == "person" and window_start <= c.span.start < token.i and c.how != "role"}
            if len(people) == 1:
                key = people.pop()
                ref = next(c for c in candidates if c.key == key)
                out.append(Candidate(doc[token.i:token.i + 1], key, ref.name, ref.kind, ref.country, ref.sector,
                                     ref.office, ref.wikidata, ref.known, how="coref"))
        return out

    def _plural_pronoun_candidates(self, doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
        """they/them/their → the nearest group or state that is a subject or object before it in the
        sentence, else the subject of the previous sentence when that is a group or state."""
        out = []
        collective = [c for c in candidates if c.kind in {"group", "state", "organization"}]
        for token in tokens_with(doc, PLURAL_PRONOUNS):
            sent = sent_of(token)
            before = [c for c in collective if sent.start <= c.span.start < token.i
                      and c.span.root.dep_ in {"nsubj", "nsubjpass", "dobj"}]
            if not before:
                prev_start = _previous_sentence_start(token)
                before = [c for c in collective if prev_start <= c.span.start < sent.start
                          and c.span.root.dep_ in {"nsubj", "nsubjpass"}][:1]
            before = [c for c in before if c.country] or before  # "its troops" is vaguer than "Washington"
            if before:
                ref = before[-1]
                out.append(Candidate(doc[token.i:token.i + 1], ref.key, ref.name, ref.kind, ref.country, ref.sector,
                                     ref.office, ref.wikidata, ref.known, how="coref"))
        return out

    def _group(self, candidates: list[Candidate], doc: Doc) -> list[Actor]:
        groups: dict[tuple, _Group] = {}
        resolved = _resolve_definite_roles(candidates)
        resolved = _resolve_latter(resolved, doc)
        resolved = _merge_surnames(resolved)
        for cand in resolved:
            groups.setdefault(cand.key, _Group(cand.key)).candidates.append(cand)
        actors = []
        for group in sorted(groups.values(), key=lambda g: g.candidates[0].span.start):
            actors.append(_actor_from_group(group, f"A{len(actors) + 1}"))
        return actors


def _nearest_previous_country(phrase: SpacySpan, finder: ActorFinder) -> str | None:
    """The last country named before ``phrase`` in this or the previous two sentences: "local"."""
    doc = phrase.doc
    window = _previous_sentence_start(doc[phrase.start], sentences=2)
    for token in reversed(list(doc[window:phrase.start])):
        code = finder.country_of_token(token)
        if code and token.ent_type_ in {"GPE", "LOC", "FAC"} and _in_locative_phrase(token):
            return code
    return None
