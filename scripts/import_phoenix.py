"""Turn the Phoenix / PETRARCH-2 dictionaries into newstrace's generated lexicon files.

    python scripts/import_phoenix.py [--source ../shared/lexicons/phoenix] [--out newstrace/data]

Reads ``Phoenix.{Countries,International,MilNonState}.actors.txt``, ``Phoenix.agents.txt`` and
``Phoenix.discards.txt`` (MIT licence, (c) 2014 Open Event Data; format in their ``dictionaries.rst``)
and writes ``phoenix_actors.tsv``, ``phoenix_agents.tsv`` and ``phoenix_discards.tsv`` with the licence
kept in each header. Phrases are stored as spaCy tokens (lower case, space-joined) of our model's
tokenizer, so that matching at run time is a dictionary lookup over ``token.lower_`` with no
tokenizing at load. The output depends only on the input files and the tokenizer: re-running it
gives byte-identical files (rows are sorted, no timestamps).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ACTOR_FILES = {"C": "Phoenix.Countries.actors.txt", "I": "Phoenix.International.actors.txt",
               "M": "Phoenix.MilNonState.actors.txt"}
SOURCE_NOTE = ("github.com/openeventdata/petrarch2, petrarch2/data/dictionaries, "
               "commit 676801cd9cb2924bbbad09f86d15c9323e7097bf (2019-03-18)")
MIT_NOTICE = """The MIT License (MIT)

Copyright (c) 2014 Open Event Data

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."""

_BRACKET = re.compile(r"\[([^\]]*)\]")
_CODE = re.compile(r"^[A-Z0-9\-#]{3,}$")
_DATE = re.compile(r"^\d{6}$|^\d{8}$")
# Two-digit years up to this one are 20xx (the dictionaries were last revised in 2014-2019).
YEAR_PIVOT = 20


@dataclass
class Block:
    """One actor record: a primary phrase, its synonyms and its (dated) codes."""

    source: str
    phrases: list[str] = field(default_factory=list)
    default: str | None = None
    dated: list[tuple[str, str, str]] = field(default_factory=list)  # (code, start, end) ISO dates, '' = open


def read_text(path: Path) -> str:
    """Latin-1 where a file is not UTF-8 (Phoenix.Countries has a few such bytes)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def iso_date(raw: str) -> str | None:
    """YYMMDD or YYYYMMDD as YYYY-MM-DD; None for malformed dates."""
    if not _DATE.match(raw):
        return None
    if len(raw) == 6:
        yy = int(raw[:2])
        raw = f"{2000 + yy if yy <= YEAR_PIVOT else 1900 + yy}{raw[2:]}"
    return f"{raw[:4]}-{raw[4:6]}-{raw[6:8]}"


def parse_restriction(body: str, block: Block, problems: list[str]) -> None:
    """One ``[CODE]`` / ``[CODE <date]`` / ``[CODE >date]`` / ``[CODE date-date]`` into ``block``."""
    parts = body.split()
    if not parts:
        return
    code = parts[0]
    if not _CODE.match(code):
        problems.append(f"bad code {body!r}")
        return
    if len(parts) == 1:
        if block.default is None:
            block.default = code
        return
    when = "".join(parts[1:])
    if when.startswith("<"):
        start, end = "", iso_date(when[1:])
        ok = end is not None
    elif when.startswith(">"):
        start, end = iso_date(when[1:]), ""
        ok = start is not None
    elif "-" in when:
        a, b = when.split("-", 1)
        start, end = iso_date(a), iso_date(b)
        ok = start is not None and end is not None
    else:
        ok = False
    if not ok:
        problems.append(f"bad date in {body!r}")
        return
    block.dated.append((code, start or "", end or ""))


def phrase_variants(raw: str) -> list[str]:
    """A dictionary phrase as text: underscores to spaces; a stray '+' splits two phrases; a
    parenthesised acronym ("ARMY (AAIA)") also gives the phrase without it."""
    out = []
    for part in raw.split("+"):
        text = " ".join(part.replace("_", " ").split())
        if not text:
            continue
        out.append(text)
        bare = " ".join(re.sub(r"\([^)]*\)", " ", text).split())
        if bare and bare != text:
            out.append(bare)
    return out


def read_actor_blocks(path: Path, source: str, problems: list[str]) -> list[Block]:
    """The records of one .actors file (dictionaries.rst, "Actor Dictionary")."""
    blocks: list[Block] = []
    current: Block | None = None
    for raw_line in read_text(path).splitlines():
        if not raw_line.strip() or raw_line.lstrip().startswith("#"):
            continue
        line = _strip_comment(raw_line)
        if not line.strip():
            continue
        if line[0] in " \t":  # a date restriction of the current record
            if current is not None:
                for body in _BRACKET.findall(line):
                    parse_restriction(body, current, problems)
            continue
        phrase_part = line.split("[", 1)[0].strip()
        if line.startswith("+"):
            if current is not None:
                current.phrases += phrase_variants(phrase_part[1:])
        else:
            current = Block(source, phrase_variants(phrase_part))
            blocks.append(current)
        for body in _BRACKET.findall(line):
            if current is not None:
                parse_restriction(body, current, problems)
    return [b for b in blocks if b.phrases and (b.default or b.dated)]


# --------------------------------------------------------------------------- agents


def read_agents(path: Path, problems: list[str]) -> list[tuple[str, str, str]]:
    """(phrase, code, number) rows: "minister" ~GOV sg, "ministers" ~GOV pl ... with plurals and
    !SUBSTITUTION! sets expanded as dictionaries.rst says."""
    subs: dict[str, list[str]] = {}
    rows: list[tuple[str, str, str]] = []
    for raw_line in read_text(path).splitlines():
        line = _strip_comment(raw_line).strip()
        if not line or line.startswith("<"):
            continue
        if line.startswith("!") and "=" in line and "[" not in line:
            name, values = line.split("=", 1)
            subs[name.strip()] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        match = re.match(r"^(.*?)\s*(\{[^}]*\})?\s*\[([^\]]*)[\]}]?", line)
        if not match or not match.group(3).strip():
            problems.append(f"agents: no code in {line!r}")
            continue
        root, plural_spec, code = match.group(1).strip(), match.group(2), match.group(3).strip()
        code = code.split()[0]
        for word in _substituted(root, subs):
            rows.append((word, code, "sg" if "!" not in root else _number_of(word)))
            for plural in _plurals(word, plural_spec, "!" in root):
                rows.append((plural, code, "pl"))
    return rows


def _substituted(root: str, subs: dict[str, list[str]]) -> list[str]:
    marker = re.search(r"![A-Z]+!", root)
    if not marker:
        return [root]
    return [w for value in subs.get(marker.group(0), []) for w in _substituted(root.replace(marker.group(0), value, 1), subs)]


def _number_of(word: str) -> str:
    last = word.replace("_", " ").split()[-1].upper() if word.strip() else ""
    return "pl" if last in {"MEN", "WOMEN", "MINISTERS", "MINISTRIES"} or last.endswith("PEOPLE") else "sg"


def _plurals(word: str, spec: str | None, substituted: bool) -> list[str]:
    """Regular plurals unless ``{}`` nulls them or ``{X}`` gives them; none after a substitution."""
    if substituted:
        return []
    if spec is not None:
        inner = spec.strip("{}").strip()
        return [p for p in inner.split() if p]
    if word.endswith("_"):
        return []
    if word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        return [word[:-1] + "IES"]
    if word.endswith(("SS", "SH", "CH", "X")):
        return [word + "ES"]
    if word.endswith("S"):
        return []
    return [word + "S"]


def read_discards(path: Path) -> list[tuple[str, str]]:
    """(phrase, scope) rows; scope "story" for '+' entries, else "sentence"."""
    rows = []
    for raw_line in read_text(path).splitlines():
        line = _strip_comment(raw_line).strip()
        if not line or not re.search(r"[A-Za-z]", line):
            continue
        scope = "story" if line.startswith("+") else "sentence"
        text = " ".join(line.lstrip("+").replace("_", " ").split())
        if text:
            rows.append((text, scope))
    return rows


# --------------------------------------------------------------------------- tokens and output


class Tokenizer:
    """Our model's tokenizer, as the matcher will see the text: phrases title-cased first, since
    spaCy's exceptions ("U.S.", "Gov.") are case-sensitive and news writes names that way."""

    def __init__(self) -> None:
        from newstrace.nlp import load_model

        self._tokenizer = load_model().tokenizer

    def tokens(self, phrases: list[str]) -> list[str]:
        """Each phrase as its lower-case tokens joined by single spaces."""
        out = []
        for doc in self._tokenizer.pipe([_title(p) for p in phrases], batch_size=1000):
            out.append(" ".join(t.lower_ for t in doc if not t.is_space))
        return out


PARTICLES = {"of", "the", "and", "for", "in", "on", "to", "de", "del", "la", "le", "du", "des", "van", "von"}


def _title(phrase: str) -> str:
    """ "UNITED_NATIONS_SECRETARY_OF_STATE" → "United Nations Secretary of State" (numbers kept as written)."""
    words = []
    for n, w in enumerate(phrase.split()):
        if any(c.isdigit() for c in w):
            words.append(w)
        elif n and w.lower() in PARTICLES:
            words.append(w.lower())
        else:
            words.append(w[:1].upper() + w[1:].lower())
    return " ".join(words)


NOT_NAMES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "the", "a", "an", "of",
    "and"})


def _namelike(tokens: str) -> bool:
    """A phrase that can name an actor: some word that is not a number, a date word or a function word
    ("21 June" and "313" are group names in the dictionaries, but in news they are dates and numbers)."""
    return any(t.isalpha() and t not in NOT_NAMES and len(t) > 1 for t in tokens.split())


def _clean(cell: str) -> str:
    return cell.replace("\t", " ").replace("|", "/").strip()


def _header(name: str, what: str, columns: str) -> list[str]:
    lines = [f"# {name}: {what}",
             "# GENERATED by scripts/import_phoenix.py from the Phoenix / PETRARCH-2 dictionaries; do not edit by hand:",
             f"# source {SOURCE_NOTE}.",
             "# Phrases are spaCy tokens of newstrace's model, lower case, joined by single spaces.",
             "# version: 1"]
    lines += ["# " + line if line else "#" for line in MIT_NOTICE.splitlines()]
    lines.append(f"# columns: {columns}")
    return lines


def actor_rows(blocks: list[Block], tok: Tokenizer) -> list[str]:
    """One row per record: name, phrases, default code, dated codes, source file."""
    all_phrases = sorted({p for b in blocks for p in b.phrases})
    tokens = dict(zip(all_phrases, tok.tokens(all_phrases), strict=True))
    rows = set()
    for b in blocks:
        phrases = sorted({tokens[p] for p in b.phrases if _namelike(tokens[p])})
        if not phrases:
            continue
        dated = "|".join(f"{c}@{s}@{e}" for c, s, e in b.dated)
        rows.add("\t".join([_clean(_title(b.phrases[0])), "|".join(phrases), b.default or "", dated, b.source]))
    return sorted(rows)


def build(source: Path, out: Path) -> dict[str, int]:
    """Write the three generated files from the dictionaries in ``source``; counts for the report."""
    problems: list[str] = []
    tok = Tokenizer()
    counts: dict[str, int] = {}
    # Two files, each under the repository's 2 MB limit for a committed file.
    for out_name, sources, what in (
            ("phoenix_countries.tsv", "C", "actor records of states: countries, their cities, institutions and "
                                           "people with dated roles"),
            ("phoenix_international.tsv", "IM", "actor records of IGOs, NGOs, multinationals and armed groups")):
        blocks = [b for key in sources for b in read_actor_blocks(source / ACTOR_FILES[key], key, problems)]
        actors = actor_rows(blocks, tok)
        header = _header(out_name, what, "name, phrases (|-separated token strings), default code, dated codes "
                         "(CODE@start@end, ISO dates, empty = open), source (C Countries, I International, "
                         "M MilNonState)")
        (out / out_name).write_text("\n".join(header + actors) + "\n", encoding="utf-8")
        counts[f"{out_name} records"] = len(actors)

    agent_rows = read_agents(source / "Phoenix.agents.txt", problems)
    agent_text = sorted({p for p, _, _ in agent_rows})
    agent_tokens = dict(zip(agent_text, tok.tokens([p.replace("_", " ") for p in agent_text]), strict=True))
    agents = sorted({f"{agent_tokens[p]}\t{c}\t{n}" for p, c, n in agent_rows if agent_tokens[p]})
    header = _header("phoenix_agents.tsv", "agent nouns that give a sector (minister ~GOV, rebels ~REB)",
                     "phrase, code (~XXX: role codes after the country; XXX~: before it), number (sg/pl)")
    (out / "phoenix_agents.tsv").write_text("\n".join(header + agents) + "\n", encoding="utf-8")

    discard_rows = read_discards(source / "Phoenix.discards.txt")
    discard_tokens = dict(zip([p for p, _ in discard_rows], tok.tokens([p for p, _ in discard_rows]), strict=True))
    discards = sorted({f"{discard_tokens[p]}\t{s}" for p, s in discard_rows if discard_tokens[p]})
    header = _header("phoenix_discards.tsv", "phrases that are never actors (sport, entertainment, history)",
                     "phrase, scope (sentence or story, as in Phoenix; newstrace drops actors that overlap either)")
    (out / "phoenix_discards.tsv").write_text("\n".join(header + discards) + "\n", encoding="utf-8")
    for problem in sorted(set(problems)):
        print(f"skipped: {problem}", file=sys.stderr)
    return counts | {"agent rows": len(agents), "discards": len(discards), "skipped": len(set(problems))}


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "lexicons" / "phoenix")
    parser.add_argument("--out", type=Path, default=REPO / "newstrace" / "data")
    args = parser.parse_args(argv)
    missing = [n for n in [*ACTOR_FILES.values(), "Phoenix.agents.txt", "Phoenix.discards.txt"]
               if not (args.source / n).exists()]
    if missing:
        parser.error(f"{args.source}: missing {', '.join(missing)}")
    counts = build(args.source, args.out)
    print(", ".join(f"{v} {k}" for k, v in counts.items()))



if __name__ == "__main__":
    main()
