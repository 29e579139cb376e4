"""Readers for the gold-standard evaluation sets (formats as found under ``shared/eval``).

Every reader takes a file or a folder in the dataset's own format, so another split of the same set
can be scored unchanged. A folder is searched for the dataset's files; where files are named by
split, ``test`` files are preferred over ``dev`` files, and those over all others (per folder).
A file that fails to parse is reported in the ``errors`` list (when one is given; otherwise the
exception propagates) and skipped. All offsets are character offsets, end exclusive, into the
``text`` the reader returns, which is what the pipeline is run on.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
Offsets = tuple[int, int]
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass
class ReadError:
    """A dataset file (or line) that could not be read."""

    path: str
    message: str


# --------------------------------------------------------------------------- helpers


def split_preference(files: Iterable[Path]) -> list[Path]:
    """Per folder, keep ``test`` files if any, else ``dev`` files, else all; sorted."""
    by_dir: dict[Path, list[Path]] = {}
    for f in files:
        by_dir.setdefault(f.parent, []).append(f)
    chosen: list[Path] = []
    for group in by_dir.values():
        for split in ("test", "dev"):
            hits = [f for f in group if re.search(rf"(^|[_\-.]){split}($|[_\-.])", f.stem)]
            if hits:
                chosen.extend(hits)
                break
        else:
            chosen.extend(group)
    return sorted(chosen)


def find_files(path: Path, patterns: Iterable[str], prefer_split: bool = True) -> list[Path]:
    """The dataset files at ``path``: the file itself, or matches of ``patterns`` below a folder."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"no such file or folder: {path}")
    found = {f for pattern in patterns for f in path.rglob(pattern) if f.is_file()}
    return split_preference(found) if prefer_split else sorted(found)


def _guarded(path: Path, errors: list[ReadError] | None, parse: Callable[[Path], list[T]]) -> list[T]:
    try:
        return parse(path)
    except Exception as exc:  # any parse failure is reported, then the file is skipped
        if errors is None:
            raise
        errors.append(ReadError(str(path), f"{type(exc).__name__}: {exc}"))
        return []


def interleave(groups: Iterable[Iterable[T]]) -> Iterator[T]:
    """Round-robin over several sequences, so that a document cap samples each one."""
    iterators = [iter(g) for g in groups]
    while iterators:
        alive = []
        for it in iterators:
            try:
                yield next(it)
            except StopIteration:
                continue
            alive.append(it)
        iterators = alive


def _read_text(path: Path) -> str:
    """UTF-8 text with line endings kept as they are (offsets count ``\\r``)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def join_tokens(sentences: list[list[str]]) -> tuple[str, list[Offsets]]:
    """Text from tokenised sentences (tokens joined by spaces, sentences by newlines) + offsets."""
    parts: list[str] = []
    offsets: list[Offsets] = []
    pos = 0
    for si, sentence in enumerate(sentences):
        if si:
            parts.append("\n")
            pos += 1
        for ti, token in enumerate(sentence):
            if ti:
                parts.append(" ")
                pos += 1
            offsets.append((pos, pos + len(token)))
            parts.append(token)
            pos += len(token)
    return "".join(parts), offsets


def bio_spans(tags: list[str]) -> list[tuple[str, int, int]]:
    """``(label, first_token, last_token + 1)`` for each B-/I- chunk (a stray I- opens a chunk)."""
    spans: list[tuple[str, int, int]] = []
    label, start = None, 0
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label
        if label is not None and not continues:
            spans.append((label, start, i))
            label = None
        if prefix in ("B", "I") and not continues:
            label, start = kind, i
    return spans


# --------------------------------------------------------------------------- TempEval-3 TimeML


@dataclass
class GoldTimex:
    """A TIMEX3 inside ``<TEXT>``."""

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimeDoc:
    """A TimeML document: the ``<TEXT>`` content, its creation time and its time expressions."""

    doc_id: str
    text: str
    dct: str | None
    timexes: list[GoldTimex] = field(default_factory=list)

    @property
    def published(self) -> str | None:
        """The DCT as YYYY-MM-DD, or None."""
        m = _ISO_DATE.match(self.dct or "")
        return m.group(1) if m else None


def parse_timeml(xml: str, doc_id: str = "") -> TimeDoc:
    """Parse one TimeML document (TempEval-3 TBAQ-cleaned / platinum)."""
    root = ET.fromstring(xml)
    text_el = root.find(".//TEXT")
    if text_el is None:
        raise ValueError("no <TEXT> element")
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    _flatten(text_el, parts, timexes, 0)
    dct_el = root.find("./DCT/TIMEX3")
    if dct_el is None:
        dct_el = next((t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    return TimeDoc(
        doc_id=(root.findtext("DOCID") or doc_id).strip(),
        text="".join(parts),
        dct=dct_el.get("value") if dct_el is not None else None,
        timexes=timexes,
    )


def _flatten(elem: ET.Element, parts: list[str], timexes: list[GoldTimex], pos: int) -> int:
    """Append the text of ``elem``'s content to ``parts``; record TIMEX3 offsets; return new pos."""
    if elem.text:
        parts.append(elem.text)
        pos += len(elem.text)
    for child in elem:
        start = pos
        pos = _flatten(child, parts, timexes, pos)
        if child.tag == "TIMEX3" and pos > start:
            covered = "".join(parts)[start:pos]
            timexes.append(GoldTimex(start, pos, covered, child.get("type", ""), child.get("value", "")))
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    return pos


def read_tempeval3(path: Path, errors: list[ReadError] | None = None) -> Iterator[TimeDoc]:
    """TimeML documents from a ``.tml`` file or every ``.tml`` below a folder."""
    for f in find_files(path, ["*.tml"], prefer_split=False):
        yield from _guarded(f, errors, lambda p: [parse_timeml(_read_text(p), p.stem)])


# --------------------------------------------------------------------------- GritTa geoparsing XML

# GeoWebNews annotation types that are toponyms (Gritta et al. 2019: literal and associative toponyms,
# demonyms included, as TR-News and LGL also link them). Languages,
# homonyms, non-toponyms and "expressions" (common nouns like "lot") are not.
GWN_TOPONYM_TYPES = frozenset({
    "Literal", "Mixed", "Metonymic", "Literal_Modifier", "Non_Literal_Modifier",
    "Embedded_Literal", "Embedded_Non_Lit", "Coercion", "Demonym",
})


@dataclass
class GoldToponym:
    """A gold toponym, with its resolution where the corpus gives one."""

    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    country: str | None = None  # country name, as the corpus writes it (LGL, TR-News)
    kind: str = ""


@dataclass
class GeoDoc:
    """One article of LGL, TR-News, GeoWebNews or GeoVirus."""

    doc_id: str
    corpus: str
    text: str
    published: str | None
    toponyms: list[GoldToponym] = field(default_factory=list)
    realigned: int = 0
    dropped: int = 0


def _num(value: str | None, kind: type = float) -> float | int | None:
    try:
        return kind(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def realign(text: str, start: int, end: int, name: str, window: int = 5) -> Offsets | None:
    """Offsets whose text equals ``name``: as given, else the nearest within ``window`` chars."""
    if 0 <= start < end <= len(text) and text[start:end] == name:
        return start, end
    if not name or start < -window:
        return None
    for shift in sorted(range(-window, window + 1), key=abs):
        s = start + shift
        if s >= 0 and text[s:s + len(name)] == name:
            return s, s + len(name)
    return None


def parse_gritta(xml: str, corpus: str) -> list[GeoDoc]:
    """All articles of one GritTa-collection XML file (schema detected per article)."""
    root = ET.fromstring(xml)
    docs = []
    for i, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        dltime = art.findtext("dltime") or ""
        m = _ISO_DATE.match(dltime.strip())
        doc = GeoDoc(
            doc_id=art.get("docid") or art.get("file") or f"{corpus}-{i}",
            corpus=corpus,
            text=text,
            published=m.group(1) if m else None,
        )
        for raw in _raw_toponyms(art):
            span = realign(text, raw.start, raw.end, raw.name)
            if span is None:
                doc.dropped += 1
                continue
            doc.realigned += span != (raw.start, raw.end)
            raw.start, raw.end = span
            doc.toponyms.append(raw)
        docs.append(doc)
    return docs


def _raw_toponyms(art: ET.Element) -> list[GoldToponym]:
    out: list[GoldToponym] = []
    for t in art.iter("toponym"):
        if t.find("extractedName") is not None:  # GeoWebNews
            kind = (t.findtext("type") or "").strip()
            if kind not in GWN_TOPONYM_TYPES:
                continue
            out.append(GoldToponym(
                int(t.findtext("start")), int(t.findtext("end")), t.findtext("extractedName") or "",
                _num(t.findtext("latitude")), _num(t.findtext("longitude")),
                _num(t.findtext("geonamesID"), int), None, kind,
            ))
        else:  # LGL / TR-News
            gaz = t.find("gaztag")
            out.append(GoldToponym(
                int(t.findtext("start")), int(t.findtext("end")), t.findtext("phrase") or "",
                _num(gaz.findtext("lat")) if gaz is not None else None,
                _num(gaz.findtext("lon")) if gaz is not None else None,
                _num(gaz.get("geonameid"), int) if gaz is not None else None,
                (gaz.findtext("country") or None) if gaz is not None else None,
            ))
    for loc in art.iter("location"):  # GeoVirus
        out.append(GoldToponym(
            int(loc.findtext("start")), int(loc.findtext("end")), loc.findtext("name") or "",
            _num(loc.findtext("lat")), _num(loc.findtext("lon")),
        ))
    return out


def read_gritta(path: Path, errors: list[ReadError] | None = None) -> Iterator[GeoDoc]:
    """Articles of every GritTa XML file at ``path``, interleaved across files."""
    files = find_files(path, ["*.xml"], prefer_split=False)
    per_file = [_guarded(f, errors, lambda p: parse_gritta(_read_text(p), p.stem)) for f in files]
    yield from interleave(per_file)


# --------------------------------------------------------------------------- PolNeAR brat


@dataclass
class GoldAttribution:
    """One attribution relation: fragment lists per role (empty source = no-source attribution)."""

    source: list[Offsets] = field(default_factory=list)
    cue: list[Offsets] = field(default_factory=list)
    content: list[Offsets] = field(default_factory=list)


@dataclass
class AttributionDoc:
    """One PolNeAR article with the attributions of one annotator."""

    doc_id: str
    text: str
    published: str | None
    annotator: str
    attributions: list[GoldAttribution] = field(default_factory=list)


_BRAT_RECORD = re.compile(r"^[TERAMN#]\d+\t")
_BRAT_T = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t(.*))?$", re.DOTALL)


def brat_records(ann: str) -> list[str]:
    """Lines of a brat .ann file, with span texts that contain newlines joined back."""
    records: list[str] = []
    for line in ann.split("\n"):
        line = line.rstrip("\r")
        if _BRAT_RECORD.match(line) or not records:
            records.append(line)
        else:
            records[-1] += "\n" + line
    return [r for r in records if r.strip()]


def parse_brat_attributions(ann: str) -> list[GoldAttribution]:
    """Attributions from a PolNeAR .ann (``Attribution`` and ``Attribution-no-source`` events)."""
    spans: dict[str, list[Offsets]] = {}
    out: list[GoldAttribution] = []
    records = brat_records(ann)
    for rec in records:
        m = _BRAT_T.match(rec)
        if m:
            frags = [tuple(int(x) for x in frag.split()) for frag in m.group(3).split(";")]
            spans[m.group(1)] = [(s, e) for s, e in frags]
    for rec in records:
        if not rec.startswith("E"):
            continue
        _, _, args = rec.partition("\t")
        pairs = [a.split(":", 1) for a in args.split() if ":" in a]
        if not pairs or not pairs[0][0].startswith("Attribution"):
            continue
        attribution = GoldAttribution()
        for role, tid in pairs[1:]:
            bucket = getattr(attribution, re.sub(r"\d+$", "", role).lower(), None)
            if bucket is not None:
                bucket.extend(spans.get(tid, []))
        out.append(attribution)
    return out


def _polnear_dirs(path: Path) -> list[Path]:
    if (path / "text").is_dir() and (path / "attributions").is_dir():
        return [path]
    return sorted(p.parent for p in path.rglob("attributions") if p.is_dir() and (p.parent / "text").is_dir())


def read_polnear(path: Path, errors: list[ReadError] | None = None) -> Iterator[AttributionDoc]:
    """PolNeAR articles from a split folder (``text/`` + ``attributions/``), a folder holding such
    folders, or a single ``.ann`` file (its text is looked up in ``../text/``). One annotator per
    article: the first ``.ann`` by name."""
    path = Path(path)
    dirs = [] if path.is_file() else _polnear_dirs(path)
    anns = [path] if path.is_file() else [a for d in dirs for a in sorted((d / "attributions").glob("*.ann"))]
    first: dict[tuple[Path, str], Path] = {}
    for ann in anns:
        base = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        first.setdefault((ann.parent.parent, base), ann)
    for (root, base), ann in first.items():
        yield from _guarded(ann, errors, lambda p, r=root, b=base: [_polnear_doc(p, r, b)])


def _polnear_doc(ann: Path, root: Path, base: str) -> AttributionDoc:
    text = _read_text(root / "text" / f"{base}.txt")
    m = re.search(r"_(\d{4}-\d{2}-\d{2})_", base)
    return AttributionDoc(
        doc_id=base,
        text=text,
        published=m.group(1) if m else None,
        annotator=ann.stem[len(base) + 1:],
        attributions=parse_brat_attributions(_read_text(ann)),
    )


# --------------------------------------------------------------------------- factuality CoNLL


@dataclass
class FactPredicate:
    """An annotated event token with its factuality score in [-3, 3]."""

    start: int
    end: int
    value: float
    token: int


@dataclass
class FactSentence:
    """One sentence of the unified-factuality CoNLL format."""

    sent_id: str
    corpus: str
    text: str
    tokens: list[Offsets]
    predicates: list[FactPredicate] = field(default_factory=list)


def parse_factuality_conll(data: str, corpus: str = "") -> list[FactSentence]:
    """Sentences of a unified-factuality CoNLL file (index, word, value|_, POS, head, dep, lemma)."""
    out: list[FactSentence] = []
    for block in re.split(r"\n\s*\n", data.strip()):
        rows = [line.split("\t") for line in block.splitlines() if line.strip()]
        if not rows:
            continue
        if any(len(r) < 3 for r in rows):
            raise ValueError(f"sentence {len(out)}: fewer than 3 tab-separated columns")
        text, offsets = join_tokens([[r[1] for r in rows]])
        sentence = FactSentence(f"{corpus}:{len(out)}", corpus, text, offsets)
        for i, row in enumerate(rows):
            if row[2].strip() not in ("_", ""):
                start, end = offsets[i]
                sentence.predicates.append(FactPredicate(start, end, float(row[2]), i))
        out.append(sentence)
    return out


def read_factuality(path: Path, errors: list[ReadError] | None = None) -> Iterator[FactSentence]:
    """Sentences from a ``.conll`` file or the preferred split of each folder below ``path``."""
    files = find_files(path, ["*.conll"])
    per_file = [
        _guarded(f, errors, lambda p: parse_factuality_conll(_read_text(p), f"{p.parent.name}/{p.stem}"))
        for f in files
    ]
    yield from interleave(per_file)


# --------------------------------------------------------------------------- ConfliBERT CAMEO


@dataclass
class ClassSentence:
    """A CAMEO-manual sentence with its class 0-4."""

    sent_id: str
    text: str
    label: int


@dataclass
class ActorSentence:
    """A tokenised sentence with source (S), target (T) and reciprocal (R) actor spans."""

    sent_id: str
    text: str
    sources: list[Offsets] = field(default_factory=list)
    targets: list[Offsets] = field(default_factory=list)
    reciprocal: list[Offsets] = field(default_factory=list)


def parse_conflibert_class(data: str, name: str = "") -> list[ClassSentence]:
    """``sentence<TAB>label`` lines; a first line without an integer label is taken as a header."""
    out = []
    for n, line in enumerate(data.splitlines()):
        if not line.strip():
            continue
        text, sep, label = line.rpartition("\t")
        if not sep or not label.strip().lstrip("-").isdigit():
            if n == 0:
                continue
            raise ValueError(f"line {n + 1}: no integer label after a tab")
        out.append(ClassSentence(f"{name}:{n + 1}", text, int(label)))
    return out


def parse_conflibert_ner(data: str, name: str = "") -> list[ActorSentence]:
    """``token tag`` lines, blank line between sentences; tags B-/I- S, T, R and O."""
    out = []
    for block in re.split(r"\n\s*\n", data.strip()):
        rows = [line.rsplit(None, 1) for line in block.splitlines() if line.strip()]
        if not rows:
            continue
        if any(len(r) != 2 for r in rows):
            raise ValueError(f"sentence {len(out) + 1}: a line is not 'token tag'")
        text, offsets = join_tokens([[r[0] for r in rows]])
        sentence = ActorSentence(f"{name}:{len(out) + 1}", text)
        for label, first, last in bio_spans([r[1] for r in rows]):
            bucket = {"S": sentence.sources, "T": sentence.targets, "R": sentence.reciprocal}.get(label)
            if bucket is not None:
                bucket.append((offsets[first][0], offsets[last - 1][1]))
        out.append(sentence)
    return out


def read_conflibert_class(path: Path, errors: list[ReadError] | None = None) -> Iterator[ClassSentence]:
    """Class sentences from a ``.tsv`` file or ``*class*.tsv`` below a folder (test split first)."""
    for f in find_files(path, ["*class*.tsv"]):
        yield from _guarded(f, errors, lambda p: parse_conflibert_class(_read_text(p), p.stem))


def read_conflibert_ner(path: Path, errors: list[ReadError] | None = None) -> Iterator[ActorSentence]:
    """Actor-span sentences from a BIO file or ``*ner*.txt`` below a folder (test split first)."""
    for f in find_files(path, ["*ner*.txt"]):
        yield from _guarded(f, errors, lambda p: parse_conflibert_ner(_read_text(p), p.stem))


# --------------------------------------------------------------------------- CASE 2021 task 2


@dataclass
class CaseSnippet:
    """A news snippet with its fine-grained event type."""

    snippet_id: str
    text: str
    label: str


def parse_case2021(data: str) -> list[CaseSnippet]:
    """TSV with the header ``id  EventSnippet  SubType`` (column order read from the header)."""
    rows = list(csv.reader(data.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    if "EventSnippet" not in header or "SubType" not in header:
        raise ValueError(f"unexpected header {header!r}")
    i_text, i_label = header.index("EventSnippet"), header.index("SubType")
    i_id = header.index("id") if "id" in header else None
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(i_text, i_label):
            raise ValueError(f"line {n}: {len(row)} columns")
        snippet_id = row[i_id] if i_id is not None else str(n)
        out.append(CaseSnippet(snippet_id, row[i_text], row[i_label].strip()))
    return out


def read_case2021(path: Path, errors: list[ReadError] | None = None) -> Iterator[CaseSnippet]:
    """Snippets from a CASE 2021 task 2 ``.tsv`` file or every ``.tsv`` below a folder."""
    for f in find_files(path, ["*.tsv"]):
        yield from _guarded(f, errors, lambda p: parse_case2021(_read_text(p)))


# --------------------------------------------------------------------------- RAMS / WikiEvents


@dataclass
class GoldArgument:
    """An event argument: role name (lower case, no ``evtNNNargMM`` prefix) and span."""

    role: str
    start: int
    end: int
    text: str


@dataclass
class GoldEvent:
    """A gold event with its trigger span and arguments."""

    type: str
    trigger: Offsets
    arguments: list[GoldArgument] = field(default_factory=list)


@dataclass
class ArgDoc:
    """A document with gold events (RAMS: exactly one per document)."""

    doc_id: str
    corpus: str
    text: str
    events: list[GoldEvent] = field(default_factory=list)


def rams_doc(record: dict) -> ArgDoc:
    """One RAMS jsonlines record (inclusive token indices over the flattened sentences)."""
    text, offsets = join_tokens(record["sentences"])
    doc = ArgDoc(record["doc_key"], "rams", text)
    for t_start, t_end, types in record["evt_triggers"]:
        trigger = (offsets[t_start][0], offsets[t_end][1])
        event = GoldEvent(types[0][0] if types else "", trigger)
        for (ls, le), (a_s, a_e), role in record.get("gold_evt_links", []):
            if (offsets[ls][0], offsets[le][1]) == trigger:
                s, e = offsets[a_s][0], offsets[a_e][1]
                event.arguments.append(GoldArgument(re.sub(r"^evt\d+arg\d+", "", role), s, e, text[s:e]))
        doc.events.append(event)
    return doc


def wikievents_doc(record: dict) -> ArgDoc:
    """One WikiEvents jsonl record; the text is rebuilt from the sentences' own char offsets."""
    text, offsets = _wikievents_text(record["sentences"])
    mentions = {m["id"]: m for m in record.get("entity_mentions", [])}
    doc = ArgDoc(record["doc_id"], "wikievents", text)
    for ev in record.get("event_mentions", []):
        trig = ev["trigger"]
        event = GoldEvent(ev.get("event_type", ""), (offsets[trig["start"]][0], offsets[trig["end"] - 1][1]))
        for arg in ev.get("arguments", []):
            m = mentions.get(arg["entity_id"])
            if m is None:
                continue
            s, e = offsets[m["start"]][0], offsets[m["end"] - 1][1]
            event.arguments.append(GoldArgument(arg["role"].lower(), s, e, text[s:e]))
        doc.events.append(event)
    return doc


def _wikievents_text(sentences: list) -> tuple[str, list[Offsets]]:
    """Place each sentence string at its first token's offset (gaps become newlines)."""
    text = ""
    offsets: list[Offsets] = []
    for tokens, sentence in sentences:
        gap = tokens[0][1] - len(text) if tokens else 0
        if gap < 0:
            raise ValueError("sentence offsets go backwards")
        text += "\n" * gap + sentence
        offsets.extend((tok[1], tok[2]) for tok in tokens)
    return text, offsets


def parse_event_args_jsonl(data: str, name: str = "") -> list[ArgDoc]:
    """RAMS (``gold_evt_links``) or WikiEvents (``event_mentions``) records, one per line."""
    out = []
    for n, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        if "gold_evt_links" in record or "evt_triggers" in record:
            out.append(rams_doc(record))
        elif "event_mentions" in record:
            out.append(wikievents_doc(record))
        else:
            raise ValueError(f"{name} line {n}: neither a RAMS nor a WikiEvents record")
    return out


def read_event_args(paths: Path | Iterable[Path], errors: list[ReadError] | None = None) -> Iterator[ArgDoc]:
    """Documents of RAMS / WikiEvents files at one or several paths, interleaved across files.

    In folders, ``*.jsonl`` and ``*.jsonlines`` are read, except coreference files (``coref*``).
    """
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    files = [
        f for p in paths for f in find_files(p, ["*.jsonl", "*.jsonlines"])
        if p.is_file() or not f.name.startswith("coref")
    ]
    yield from interleave(_guarded(f, errors, lambda p: parse_event_args_jsonl(_read_text(p), p.name)) for f in files)


# --------------------------------------------------------------------------- ECB+


@dataclass
class CorefMention:
    """A gold event mention (ACTION_* or NEG_ACTION_*) with its gold cluster id."""

    mention_id: str
    doc_id: str
    topic: str
    start: int
    end: int
    text: str
    tag: str
    cluster: str
    tokens: list[int] = field(default_factory=list)


@dataclass
class CorefDoc:
    """An ECB+ document reduced to its annotated sentences."""

    doc_id: str
    topic: str
    text: str
    sentences: list[int]
    mentions: list[CorefMention] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    word_offsets: list[Offsets] = field(default_factory=list)
    word_sentence: list[int] = field(default_factory=list)


ECB_SENTENCES_CSV = "ECBplus_coreference_sentences.csv"


def read_ecb_sentences(csv_text: str) -> dict[str, set[int]]:
    """``{"<topic>_<file>": {sentence numbers}}`` from ECBplus_coreference_sentences.csv."""
    out: dict[str, set[int]] = {}
    for row in csv.DictReader(csv_text.splitlines()):
        key = f"{row['Topic'].strip()}_{row['File'].strip()}"
        out.setdefault(key, set()).add(int(row["Sentence Number"]))
    return out


def parse_ecb_xml(xml: str, doc_name: str, keep: set[int] | None = None) -> CorefDoc:
    """One ECB+ CAT XML document; ``keep`` restricts it to those sentence numbers."""
    root = ET.fromstring(xml)
    doc_id = (root.get("doc_name") or doc_name).removesuffix(".xml")
    topic = doc_id.split("_", 1)[0]
    sentences: dict[int, list[tuple[int, str]]] = {}
    for tok in root.iter("token"):
        sent = int(tok.get("sentence", "0"))
        if keep is None or sent in keep:
            sentences.setdefault(sent, []).append((int(tok.get("t_id")), tok.text or ""))
    order = sorted(sentences)
    text, offsets = join_tokens([[w for _, w in sentences[s]] for s in order])
    ids = [tid for s in order for tid, _ in sentences[s]]
    position = {tid: i for i, tid in enumerate(ids)}
    doc = CorefDoc(doc_id, topic, text, order, words=[w for s in order for _, w in sentences[s]],
                   word_offsets=offsets, word_sentence=[s for s in order for _ in sentences[s]])
    clusters = _ecb_clusters(root, doc_id)
    markables = root.find("Markables")
    for m in markables if markables is not None else []:
        if not (m.tag.startswith("ACTION_") or m.tag.startswith("NEG_ACTION_")):
            continue
        anchors = [int(a.get("t_id")) for a in m.iter("token_anchor")]
        if not anchors or any(t not in position for t in anchors):
            continue
        idx = sorted(position[t] for t in anchors)
        start, end = offsets[idx[0]][0], offsets[idx[-1]][1]
        m_id = m.get("m_id")
        doc.mentions.append(CorefMention(
            f"{doc_id}:{m_id}", doc_id, topic, start, end, text[start:end], m.tag,
            clusters.get(m_id, f"{doc_id}#{m_id}"), idx,
        ))
    return doc


def _ecb_clusters(root: ET.Element, doc_id: str) -> dict[str, str]:
    """Cluster id per mention m_id: the cross-document instance, else a document-local chain."""
    instance = {m.get("m_id"): m.get("instance_id") for m in root.iter() if m.get("instance_id")}
    out: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in relations if relations is not None else []:
        target = rel.find("target")
        target_id = target.get("m_id") if target is not None else None
        if rel.tag == "CROSS_DOC_COREF":
            cluster = rel.get("note") or instance.get(target_id) or f"{doc_id}#x{rel.get('r_id')}"
        elif rel.tag == "INTRA_DOC_COREF":
            cluster = instance.get(target_id) or f"{doc_id}#chain{target_id}"
        else:
            continue
        for src in rel.iter("source"):
            out.setdefault(src.get("m_id"), cluster)
    return out


def read_ecbplus(path: Path, errors: list[ReadError] | None = None, annotated_only: bool = True) -> Iterator[CorefDoc]:
    """ECB+ documents (``<topic>_<n>ecb[plus].xml``) below ``path``, cut to the sentences listed
    in ECBplus_coreference_sentences.csv (found in ``path``, below it or in its parent) unless
    ``annotated_only`` is false or no such file exists. Documents with no kept sentence are skipped."""
    path = Path(path)
    keep = _ecb_sentence_table(path) if annotated_only else None
    files = [f for f in find_files(path, ["*.xml"], prefer_split=False) if re.match(r"\d+_\d+ecb", f.name)]
    files.sort(key=lambda f: (int(f.name.split("_")[0]), f.name))
    for f in files:
        key = f.stem
        if keep is not None and key not in keep:
            continue
        sentences = keep[key] if keep is not None else None
        docs = _guarded(f, errors, lambda p, s=sentences: [parse_ecb_xml(_read_text(p), p.name, s)])
        yield from (d for d in docs if d.sentences)


def _ecb_sentence_table(path: Path) -> dict[str, set[int]] | None:
    root = path if path.is_dir() else path.parent
    for candidate in [root / ECB_SENTENCES_CSV, root.parent / ECB_SENTENCES_CSV, *root.rglob(ECB_SENTENCES_CSV)]:
        if candidate.is_file():
            return read_ecb_sentences(_read_text(candidate))
    return None


# --------------------------------------------------------------------------- NewsWCL50 (cross-document)


def read_newswcl50(path: Path, errors: list[ReadError] | None = None) -> Iterator[CorefDoc]:
    """NewsWCL50 in the Diverse_CDCR_datasets conversion: ``NewsWCL50.conll`` (tokens per document and
    sentence) and ``event_mentions.json`` (mentions with ``doc_id``, ``sent_id``, ``tokens_number`` and
    ``coref_chain``), both in ``path``. Documents without a mention are skipped."""
    root = Path(path) if Path(path).is_dir() else Path(path).parent
    conll, mentions_file = root / "NewsWCL50.conll", root / "event_mentions.json"
    for required in (conll, mentions_file):
        if not required.is_file():
            if errors is not None:
                errors.append(ReadError(str(required), "missing NewsWCL50 file"))
            return
    docs = _guarded(conll, errors, lambda p: [_conll_documents(_read_text(p))])
    mentions = _guarded(mentions_file, errors, lambda p: [json.loads(_read_text(p))])
    if not docs or not mentions:
        return
    by_doc: dict[str, list[dict]] = {}
    for m in mentions[0]:
        by_doc.setdefault(m["doc_id"], []).append(m)
    for doc_id, sentences in docs[0].items():
        if doc_id in by_doc:
            yield _wcl_document(doc_id, sentences, by_doc[doc_id])


def _conll_documents(text: str) -> dict[str, dict[int, list[str]]]:
    """``{doc_id: {sentence: [tokens]}}`` from a CoNLL file whose first column is ``topic/sub/doc``."""
    docs: dict[str, dict[int, list[str]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 4:
            continue
        doc_id = cells[0].rsplit("/", 1)[-1]
        docs.setdefault(doc_id, {}).setdefault(int(cells[1]), []).append(cells[3])
    return docs


def _wcl_document(doc_id: str, sentences: dict[int, list[str]], mentions: list[dict]) -> CorefDoc:
    order = sorted(sentences)
    text, offsets = join_tokens([sentences[s] for s in order])
    first_index, index = {}, 0
    for s in order:
        first_index[s] = index
        index += len(sentences[s])
    topic = doc_id.split("_", 1)[0]
    doc = CorefDoc(doc_id, topic, text, order, words=[w for s in order for w in sentences[s]], word_offsets=offsets,
                   word_sentence=[s for s in order for _ in sentences[s]])
    for m in mentions:
        sentence = int(m["sent_id"])
        if sentence not in first_index:
            continue
        idx = sorted(first_index[sentence] + int(t) for t in m["tokens_number"] if int(t) < len(sentences[sentence]))
        if not idx:
            continue
        start, end = offsets[idx[0]][0], offsets[idx[-1]][1]
        doc.mentions.append(CorefMention(f"{doc_id}:{m['mention_id']}", doc_id, topic, start, end, text[start:end],
                                         m.get("mention_type", "EVENT"), m["coref_chain"], idx))
    return doc
