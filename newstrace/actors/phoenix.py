"""The generated Phoenix / PETRARCH-2 lexicons (``newstrace/data/phoenix_*.tsv``) at run time.

The files hold phrases already split into our tokenizer's lower-case tokens (see
``scripts/import_phoenix.py``), so loading is reading strings into dictionaries (about 0.2 s): no
spaCy matcher has to be compiled, and matching a document is a walk over ``token.lower_`` with a
prefix set that stops as soon as no phrase can continue. The files are read once per process.

Set ``NEWSTRACE_PHOENIX=0`` (or build ``ActorFinder(..., phoenix=False)``) to run without them; the
``events-codes`` evaluation uses that to measure what they add.
"""

from __future__ import annotations

import functools
import gc
import os
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from newstrace.actor_codes import SECTOR_CODES
from newstrace.lexicon import DATA_DIR, LexiconError
from newstrace.spans import lower_words

ACTOR_FILES = ("phoenix_countries.tsv", "phoenix_international.tsv")
AGENT_FILE = "phoenix_agents.tsv"
DISCARD_FILE = "phoenix_discards.tsv"
ENV_SWITCH = "NEWSTRACE_PHOENIX"


def enabled_by_default() -> bool:
    """Whether the Phoenix lexicons are on unless a caller says otherwise (``NEWSTRACE_PHOENIX=0`` turns them off)."""
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Record:
    """One actor record: its name, a default code and codes valid between dates (ISO, '' = open)."""

    name: str
    default: str | None
    dated: tuple[tuple[str, str, str], ...]
    source: str  # C Countries, I International, M MilNonState

    def code_on(self, day: str | None) -> str | None:
        """The code on ISO date ``day``: the last dated code whose period holds it, else the default;
        with no date, the default, else the latest dated code."""
        if day:
            held = [c for c, start, end in self.dated if (not start or start <= day[:10]) and (not end or day[:10] <= end)]
            if held:
                return held[-1]
            return self.default
        if self.default:
            return self.default
        return max(self.dated, key=lambda d: d[1])[0] if self.dated else None

    def held_on(self, day: str | None) -> bool:
        """Whether a dated code (not the fallback) covers ISO date ``day``."""
        return bool(day) and any((not start or start <= day[:10]) and (not end or day[:10] <= end)
                                 for _, start, end in self.dated)

    @property
    def is_person(self) -> bool:
        """Records with dated roles are people; a state's dated record ("[KGZ >911221]") has a bare
        country code among its codes."""
        codes = [self.default or "", *(c for c, _, _ in self.dated)]
        return bool(self.dated) and not any(len(c) == 3 for c in codes)

    @property
    def is_place(self) -> bool:
        """A state's or territory's record (country, its cities and regions, nationality words): codes
        with no sector ("AFG", "PSEGZA" for Gaza), not institutions or people ("AFGMIL", "KGZGOV")."""
        codes = [c for c in (self.default, *(c for c, _, _ in self.dated)) if c and c != "---"]
        return self.source == "C" and bool(codes) and not any(
            code[i:i + 3] in SECTOR_CODES for code in codes for i in range(3, len(code) - 2, 3))


@dataclass(frozen=True)
class Agent:
    """An agent noun: its code (``~GOV``: after the country; ``IGO~``: before it) and number."""

    code: str
    plural: bool

    @property
    def roles(self) -> str:
        """The role codes without the tilde."""
        return self.code.strip("~")

    @property
    def sector(self) -> str | None:
        """The first role code (GOV in ~GOVMED)."""
        return self.roles[:3] or None


class PhraseTable:
    """Phrase → value lookups with leftmost-longest matching over a token list. Keys are the tokens
    joined by single spaces: strings, unlike tuples, cost the garbage collector nothing."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.prefixes: set[str] = set()

    def add(self, phrase: str, value: object) -> None:
        """Add a phrase (tokens joined by spaces) unless an earlier one has the same tokens (first wins)."""
        if not phrase or phrase in self.values:
            return
        self.values[phrase] = value
        cut = phrase.find(" ")
        while cut != -1:
            self.prefixes.add(phrase[:cut])
            cut = phrase.find(" ", cut + 1)

    def get(self, words: list[str]) -> object | None:
        """The value of exactly these tokens, if any."""
        return self.values.get(" ".join(words))

    def matches(self, words: list[str]) -> list[tuple[int, int, object]]:
        """Non-overlapping (start, end, value), leftmost and then longest first."""
        out = []
        values, prefixes = self.values, self.prefixes
        i, n = 0, len(words)
        while i < n:
            first = words[i]
            if first not in prefixes:  # most words: no longer phrase starts here, so only the word itself
                if first in values:
                    out.append((i, i + 1, values[first]))
                i += 1
                continue
            best = None
            key = ""
            for j in range(i, n):
                key = words[j] if j == i else f"{key} {words[j]}"
                if key in self.values:
                    best = (i, j + 1, self.values[key])
                if key not in self.prefixes:
                    break
            if best is not None:
                out.append(best)
                i = best[1]
            else:
                i += 1
        return out

    def __len__(self) -> int:
        return len(self.values)


@dataclass
class PhoenixLexicon:
    """The three generated lexicons: actor records, agent nouns and discards."""

    actors: PhraseTable
    agents: PhraseTable
    discards: PhraseTable
    records: list[Record]


def discarded_tokens(tokens: Doc | Span, discards: PhraseTable) -> set[int]:
    """Indices of the tokens a discard phrase covers ("Manchester United", "World Cup"). A one-word
    phrase that is part of a longer person's name is the name, not the discard ("Marianne Bowler" is
    not the cricket "bowler")."""
    # The cached lower-cased words, so only the one-word matches become Token objects.
    doc, offset = (tokens.doc, tokens.start) if isinstance(tokens, Span) else (tokens, 0)
    words = lower_words(doc)[offset:offset + len(tokens)]
    found: set[int] = set()
    for start, end, _ in discards.matches(words):
        if end - start == 1 and _in_longer_person_name(doc[offset + start]):
            continue
        found.update(range(offset + start, offset + end))
    return found


def _in_longer_person_name(token: Token) -> bool:
    if token.ent_type_ != "PERSON":
        return False
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return token.ent_iob_ == "I" or (following is not None and following.ent_iob_ == "I")


def _rows(path: Path, columns: int) -> list[list[str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != columns:
            raise LexiconError(f"{path}:{number}: expected {columns} columns, found {len(cells)}")
        rows.append(cells)
    return rows


def _dated(cell: str) -> tuple[tuple[str, str, str], ...]:
    out = []
    for part in cell.split("|") if cell else []:
        code, start, end = part.split("@")
        out.append((code, start, end))
    return tuple(out)


@functools.lru_cache(maxsize=2)
def load_phoenix(data_dir: Path = DATA_DIR) -> PhoenixLexicon:
    """The generated Phoenix files, read once per process (about 0.2 s: the phrases are stored
    pre-tokenized, so this is string splitting; a pickled cache measured only 0.08 s faster)."""
    return _read_phoenix(data_dir)


def _read_phoenix(data_dir: Path) -> PhoenixLexicon:
    """Parse the generated files into lookup tables. The collector is paused meanwhile: the tables
    add ~60,000 objects, and with a spaCy model loaded each collection it triggers walks the whole
    heap (measured: 0.2 s with it paused, over 2 s without)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        actors, records = PhraseTable(), []
        for name in ACTOR_FILES:
            for label, phrases, default, dated, source in _rows(data_dir / name, 5):
                record = Record(label, default or None, _dated(dated), source)
                records.append(record)
                for phrase in phrases.split("|"):
                    actors.add(phrase, record)
        agents = PhraseTable()
        for phrase, code, number in _rows(data_dir / AGENT_FILE, 3):
            agents.add(phrase, Agent(code, number == "pl"))
        discards = PhraseTable()
        for phrase, scope in _rows(data_dir / DISCARD_FILE, 2):
            discards.add(phrase, scope)
        return PhoenixLexicon(actors, agents, discards, records)
    finally:
        if paused:
            gc.enable()
