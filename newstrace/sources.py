"""Sources: turn input paths (files, folders, stdin) into a stream of articles for corpus ingest.

Formats, by extension (and by sniffing the first bytes where the extension does not settle it):

- ``.txt``: one article per file, decoded like ``newstrace.ingest`` does;
- ``.html`` / ``.htm``: main text, title, date, author and site name by trafilatura;
- ``.jsonl``: one article per line (``text``, and optional ``title``, ``url``, ``published``,
  ``source``, ``author``, ``id``);
- RSS / Atom feeds (``.rss``, ``.atom``, or ``.xml`` whose root is ``rss``, ``feed`` or ``rdf:RDF``);
- WARC archives (``.warc``, ``.warc.gz``): HTML ``response`` records with HTTP status 200;
- Reuters-21578 SGML (``.sgm``): one article per ``<REUTERS>`` block;
- TimeML (``.tml``, or ``.xml`` whose root is ``TimeML``): the ``<TEXT>`` and its creation time;
- folders (recursive, sorted; hidden files and unknown extensions are skipped and counted);
- ``-``: stdin, as JSONL when every non-empty line is a JSON object, else as one text.

Nothing here raises for bad input: a file or record that cannot be read becomes a ``SourceError``
and the stream goes on with the next record or file. Memory stays bounded: multi-record formats
are read record by record, and no record over ``max_record_bytes`` is ever held in memory.

Every record has an ``origin``, ``path`` or ``path#fragment``, unique and stable across runs over
the same inputs (the fragment is the JSONL line number, the feed entry number, the WARC record's
byte offset, or the Reuters NEWID); corpus ingest uses it to skip what it has already stored.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import html
import json
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from newstrace.dates import DateError, parse_published
from newstrace.ingest import MAX_FILE_BYTES, _looks_binary, decode_text
from newstrace.pipeline import InputError

DEFAULT_MAX_RECORD_BYTES = 5_000_000
STDIN = "-"
STDIN_ORIGIN = "<stdin>"

# Extension → format. Longest suffixes first so that ".warc.gz" wins over ".gz".
_EXTENSIONS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"), (".warc", "warc"), (".txt", "text"), (".html", "html"), (".htm", "html"),
    (".jsonl", "jsonl"), (".rss", "feed"), (".atom", "feed"), (".xml", "xml"), (".sgm", "reuters"),
    (".tml", "timeml"),
)
_SNIFF_BYTES = 65_536
# A line of a WARC header block longer than this is corrupt data (or a bomb), not a header.
_WARC_LINE_CAP = 1_000_000
# Compressed bytes warcio reads at a time: one block inflates to at most ~1032x its size, so this
# bounds what a gzip bomb can take at once (~4 MB; ~15 MB peak with zlib's buffers) while keeping reads cheap.
_WARC_BLOCK = 4096
# A gzip member that inflates past this many bytes at more than _BOMB_RATIO times its compressed size is a
# decompression bomb: real pages compress 3-30x. Memory is bounded by _WARC_BLOCK either way; this bounds
# time: a record over the record limit is skipped by inflating it (to find the next one), which for a
# 100 GB bomb would take minutes, so the archive is refused here instead (after ~0.3 s of inflating).
_BOMB_MIN_BYTES = 256_000_000
_BOMB_RATIO = 100
# HTML elements a page may have. A long news page has a few thousand; lxml and trafilatura take ~20 s and
# ~550 MB for a million, so a page over this is refused before it is parsed (counted by one regex pass).
MAX_HTML_TAGS = 100_000
_TAG = re.compile(rb"<[A-Za-z]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FILENAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(-?)(\d\d)\2(\d\d)(?!\d)")
_MONTHS = {month: number for number, month in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}


@dataclass
class RawArticle:
    """One article as read from its source, before analysis."""

    text: str
    title: str | None
    url: str | None
    published: str | None  # ISO YYYY-MM-DD or None
    source: str | None  # the outlet
    author: str | None
    origin: str  # "path" or "path#fragment": unique and stable per record
    id: str | None = None  # the record's own identifier where the format has one (JSONL id, NEWID, WARC-Record-ID, ...)


@dataclass
class SourceError:
    """An input (file or record) that could not be read, with a one-line reason."""

    origin: str
    path: str
    offset: str | None  # the fragment of ``origin`` after '#', or None for a whole file
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass
class InputFile:
    """A file to read and the format it will be read as (``None`` where the path does not exist)."""

    path: str
    format: str | None


@dataclass
class InputList:
    """The files behind some input paths, in reading order, and what folders held that was skipped."""

    files: list[InputFile] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # by extension ("hidden" for hidden files)


Item = RawArticle | SourceError


# --------------------------------------------------------------------------- public API


def iter_articles(paths: list[str], *, published_from_filename: bool = False, source: str | None = None,
                  max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> Iterator[Item]:
    """Articles (and errors) from every input under ``paths``, in order; never raises for bad input.

    ``published_from_filename`` dates a record that has no date of its own from a YYYY-MM-DD or
    YYYYMMDD in its file name; ``source`` overrides the outlet of every record.
    """
    for item in list_inputs(paths).files:
        filename_date = _date_from_filename(item.path) if published_from_filename else None
        for record in _read_guarded(item, max_record_bytes):
            if isinstance(record, RawArticle):
                record.published = record.published or filename_date
                record.source = source or record.source
            yield record


def count_inputs(paths: Iterable[str]) -> int | None:
    """Number of files that ``iter_articles`` will read (for progress bars); None when stdin is one of them.

    A cheap estimate of the records: multi-record files (JSONL, feeds, WARC, SGML) count once.
    """
    paths = list(paths)
    if STDIN in paths:
        return None
    return len(list_inputs(paths).files)


def list_inputs(paths: Iterable[str]) -> InputList:
    """The files behind ``paths``, with their formats: folders are walked recursively in sorted order.

    Inside folders, hidden files and folders and files of unknown extensions are skipped (and counted
    in ``skipped``); a file named explicitly is always read, its format sniffed if the extension is unknown.
    """
    found = InputList()
    if isinstance(paths, str):  # one path given bare: not a sequence of one-letter paths
        paths = [paths]
    seen: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            files = [InputFile(STDIN, "stdin")]
        elif os.path.isdir(path := os.path.normpath(raw)):  # "./a/" and "a" are one input, with the same origins
            files = _walk(path, found.skipped)
        else:
            files = [InputFile(path, (_format_by_extension(path) or "sniff") if os.path.exists(path) else None)]
        for file in files:  # a file named twice (or also inside a named folder) is read once: origins stay unique
            if file.path not in seen:
                seen.add(file.path)
                found.files.append(file)
    return found


# --------------------------------------------------------------------------- finding files


def _walk(folder: str, skipped: Counter[str]) -> list[InputFile]:
    """Known files below ``folder``, sorted by their path components; hidden and unknown ones are counted."""
    files: list[InputFile] = []
    for root, dirs, names in os.walk(folder):
        hidden = [d for d in dirs if d.startswith(".")]
        if hidden:
            skipped["hidden"] += len(hidden)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.startswith("."):
                skipped["hidden"] += 1
                continue
            path = os.path.join(root, name)
            kind = _format_by_extension(name)
            if kind is None:
                skipped[_extension(name)] += 1
            else:
                files.append(InputFile(path, kind))
    return sorted(files, key=lambda f: Path(f.path).parts)


def _format_by_extension(name: str) -> str | None:
    lower = name.lower()
    return next((kind for suffix, kind in _EXTENSIONS if lower.endswith(suffix)), None)


def _extension(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix or "(none)"


# --------------------------------------------------------------------------- dispatch


def _read_guarded(item: InputFile, limit: int) -> Iterator[Item]:
    """The records of one input file; any unexpected failure becomes one SourceError and ends the file."""
    display = STDIN_ORIGIN if item.path == STDIN else item.path
    try:
        if item.format is None:
            yield _error(display, None, "no such file")
            return
        kind = item.format
        if kind in ("sniff", "xml"):
            kind = _sniff(item.path, kind)
            if kind.startswith("error:"):
                yield _error(display, None, kind.removeprefix("error:"))
                return
        yield from _READERS[kind](item.path, limit)
    except OSError as exc:
        yield _error(display, None, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # a bug or a library failing on odd input must not stop the whole corpus
        yield _error(display, None, f"unexpected error reading the file: {type(exc).__name__}: {_one_line(str(exc))}")


def _sniff(path: str, kind: str) -> str:
    """The format of a file whose extension does not settle it, from its first bytes."""
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if head.startswith(b"\x1f\x8b"):
        try:
            inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)  # bounded: never a bomb
        except zlib.error as exc:
            return f"error:corrupt gzip data ({exc})"
        return "warc" if inflated.startswith(b"WARC/") else "error:compressed file that is not a WARC archive"
    if head.startswith(b"WARC/"):
        return "warc"
    root = _xml_root(head)
    if root in ("rss", "feed", "rdf"):
        return "feed"
    if root == "timeml":
        return "timeml"
    if root == "html":
        return "html"
    if kind == "xml":
        return f"error:XML file that is neither an RSS/Atom feed nor TimeML (root element <{root}>)" if root else \
            "error:not an XML file (no root element found)"
    if root == "reuters" or head.lstrip().startswith(b"<!DOCTYPE lewis"):
        return "reuters"
    return "text"


def _xml_root(head: bytes) -> str | None:
    """The lower-cased local name of the first element in ``head``, past declarations and comments."""
    text = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    text = re.sub(r"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", "", text, flags=re.DOTALL | re.IGNORECASE)
    match = re.search(r"<([A-Za-z_][\w.:-]*)", text)
    return match.group(1).split(":")[-1].lower() if match else None


# --------------------------------------------------------------------------- plain text and stdin


def _read_text(path: str, limit: int) -> Iterator[Item]:
    """A .txt file: one article, the whole file."""
    data = yield from _file_bytes(path, limit, "file")
    if data is None:
        return
    try:
        text = decode_text(data)
    except InputError as exc:
        yield _error(path, None, str(exc))
        return
    if not text.strip():  # only whitespace beyond ASCII, e.g. one no-break space (found by fuzzing)
        yield _error(path, None, "no text (whitespace only)")
        return
    yield _article(text, origin=path)


def _read_stdin(_path: str, limit: int) -> Iterator[Item]:
    """Stdin: JSONL when every non-empty line is a JSON object, otherwise one text."""
    cap = max(MAX_FILE_BYTES, limit)
    data = sys.stdin.buffer.read(cap + 1)
    if len(data) > cap:
        yield _error(STDIN_ORIGIN, None, f"stdin is over the limit of {cap:,} bytes")
        return
    try:
        text = decode_text(data)
    except InputError as exc:
        yield _error(STDIN_ORIGIN, None, str(exc))
        return
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    records = [_json_object(line) for _, line in lines]
    if lines and all(isinstance(r, dict) for r in records):
        for (number, line), record in zip(lines, records, strict=True):
            yield _jsonl_item(record, STDIN_ORIGIN, number, len(line.encode("utf-8")), limit)
    elif not text.strip():
        yield _error(STDIN_ORIGIN, None, "no text (whitespace only)")
    else:
        yield _article(text, origin=STDIN_ORIGIN)


def _json_object(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


# --------------------------------------------------------------------------- JSONL


def _read_jsonl(path: str, limit: int) -> Iterator[Item]:
    """A .jsonl file, streamed line by line; a line over ``limit`` bytes is refused without being held."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
        problem = _text_problem(head)
        if problem:
            yield _error(path, None, problem)
            return
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            # UTF-16 lines cannot be split on b"\n": decode the whole (bounded) file the way ingest does.
            yield from _jsonl_utf16(path, fh, head, limit)
            return
        fh.seek(0)
        found = False
        for number, line in enumerate(_capped_lines(fh, limit), start=1):
            if line is None:
                found = True
                yield _error(f"{path}#{number}", path, f"line is over the limit of {limit:,} bytes", str(number))
                continue
            if not line.strip():
                continue
            found = True
            try:
                text = decode_text(line)
            except InputError as exc:
                yield _error(f"{path}#{number}", path, str(exc), str(number))
                continue
            yield _jsonl_line(text, path, number, len(line), limit)
        if not found:
            yield _error(path, None, "no articles in JSONL file")


def _jsonl_utf16(path: str, fh: BinaryIO, head: bytes, limit: int) -> Iterator[Item]:
    cap = max(MAX_FILE_BYTES, limit)
    data = head + fh.read(cap + 1 - len(head))
    if len(data) > cap:
        yield _error(path, None, f"UTF-16 JSONL file is over the limit of {cap:,} bytes")
        return
    try:
        text = decode_text(data)
    except InputError as exc:
        yield _error(path, None, str(exc))
        return
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            found = True
            yield _jsonl_line(line, path, number, len(line.encode("utf-8")), limit)
    if not found:  # a byte order mark and nothing else (found by fuzzing): the file must still be accounted for
        yield _error(path, None, "no articles in JSONL file")


def _capped_lines(fh: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Lines of ``fh``; a line longer than ``limit`` is skipped in chunks and given as None."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def _jsonl_line(text: str, path: str, number: int, size: int, limit: int) -> Item:
    """One JSONL line → an article, or a SourceError naming the line."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return _error(f"{path}#{number}", path, f"invalid JSON ({exc.msg} at column {exc.colno})", str(number))
    return _jsonl_item(record, path, number, size, limit)


def _jsonl_item(record: object, path: str, number: int, size: int, limit: int) -> Item:
    origin = f"{path}#{number}"
    if size > limit:
        return _error(origin, path, f"line is over the limit of {limit:,} bytes", str(number))
    if not isinstance(record, dict):
        return _error(origin, path, "each JSONL line must be an object with a 'text' field", str(number))
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return _error(origin, path, "missing or empty 'text' field", str(number))
    published = record.get("published")
    try:  # the forms scraped news carries (newstrace.dates), kept as YYYY-MM-DD
        iso = parse_published(published).isoformat() if published not in (None, "") else None
    except DateError as exc:
        return _error(origin, path, str(exc), str(number))
    return RawArticle(text=text, title=_str_or_none(record.get("title")), url=_str_or_none(record.get("url")),
                      published=iso, source=_str_or_none(record.get("source")),
                      author=_str_or_none(record.get("author")), origin=origin, id=_str_or_none(record.get("id")))


# --------------------------------------------------------------------------- HTML


def _read_html(path: str, limit: int) -> Iterator[Item]:
    """An .html page: trafilatura's main text and metadata (no comments, no tables)."""
    data = yield from _file_bytes(path, limit, "page")
    if data is None:
        return
    problem = _text_problem(data)
    if problem:
        yield _error(path, None, problem)
        return
    try:
        page = _html_input(data)
    except InputError as exc:  # a UTF-16 byte order mark over bytes that are not UTF-16
        yield _error(path, None, str(exc))
        return
    yield _html_article(page, origin=path, path=path)


def _html_input(data: bytes, charset: str | None = None) -> bytes | str:
    """What to give trafilatura: text where the encoding is known for sure, else bytes for it to detect."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    if charset:
        try:
            return data.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name in a header: let trafilatura detect it
            pass
    return data


def _html_article(page: bytes | str, *, origin: str, path: str, offset: str | None = None, url: str | None = None,
                  fallback_date: str | None = None) -> Item:
    """Main text and metadata of one HTML page, or a SourceError when trafilatura finds no text."""
    import trafilatura

    tags = _count_tags(page)
    if tags > MAX_HTML_TAGS:
        return _error(origin, path, f"page has over {MAX_HTML_TAGS:,} HTML tags ({tags:,}); refused unparsed", offset)

    # No extensive date search: a date guessed from the body text would pose as the publication date,
    # while the pipeline already infers one from the text and flags it as inferred.
    date_params = {"original_date": True, "extensive_search": False, "max_date": dt.date.today().isoformat()}
    doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False, include_tables=False,
                                      date_extraction_params=date_params)
    if doc is None or not (doc.text or "").strip():
        return _error(origin, path, "no article text found in the page", offset)
    return RawArticle(text=doc.text, title=doc.title or None, url=url or doc.url or None,
                      published=_iso_date(doc.date) or fallback_date, source=doc.sitename or None,
                      author=doc.author or None, origin=origin)


def _count_tags(markup: bytes | str, stop: int = MAX_HTML_TAGS) -> int:
    """Start tags in ``markup``, counted up to one past ``stop`` (a cheap upper bound: ``<b`` in a script counts too)."""
    data = markup if isinstance(markup, bytes) else markup.encode("utf-8", errors="replace")
    count = 0
    for count, _ in enumerate(_TAG.finditer(data), start=1):  # the count is what we want
        if count > stop:
            break
    return count


def _html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (a feed entry), with line breaks where blocks end."""
    import lxml.etree
    import lxml.html

    if not markup.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):  # e.g. a fragment with an XML declaration: drop tags crudely
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    for element in root.iter():
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
    text = "".join(root.itertext())
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "table",
               "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "hr"}


# --------------------------------------------------------------------------- RSS / Atom


def _read_feed(path: str, limit: int) -> Iterator[Item]:
    """An RSS or Atom feed: one article per entry, from its full content if it has any, else its summary."""
    import io

    import feedparser

    data = yield from _file_bytes(path, max(MAX_FILE_BYTES, limit), "feed")
    if data is None:
        return
    problem = _text_problem(data)
    if problem:
        yield _error(path, None, problem)
        return
    # A file object, never a string: feedparser fetches strings that look like URLs.
    try:
        feed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # feedparser 6.0.14 raises on some declarations, e.g. a bogus byte in encoding="..."
        yield _error(path, None, f"broken feed: the feed parser failed ({type(exc).__name__}: {_one_line(str(exc))[:160]})")
        return
    if not feed.entries:
        if feed.get("bozo"):
            yield _error(path, None, f"broken feed XML: {_one_line(str(feed.get('bozo_exception')))}")
        else:
            yield _error(path, None, "feed has no entries")
        return
    outlet = feed.feed.get("title") or None
    # A broken feed that still gave entries (feedparser's loose parser) is read; its damage explains empty entries.
    damage = f"; the feed's XML is broken: {_one_line(str(feed.get('bozo_exception')))}" if feed.get("bozo") else ""
    for number, entry in enumerate(feed.entries, start=1):
        yield _feed_item(entry, path, number, outlet, limit, damage)


def _feed_item(entry: Any, path: str, number: int, outlet: str | None, limit: int, damage: str = "") -> Item:
    """One feed entry → an article, or a SourceError naming the entry."""
    origin = f"{path}#{number}"
    body, kind = _entry_body(entry)
    if len(body.encode("utf-8")) > limit:
        return _error(origin, path, f"entry is over the limit of {limit:,} bytes", str(number))
    if "plain" not in kind and (tags := _count_tags(body)) > MAX_HTML_TAGS:
        return _error(origin, path, f"entry has over {MAX_HTML_TAGS:,} HTML tags ({tags:,}); refused unparsed", str(number))
    text = body.strip() if "plain" in kind else _html_to_text(body)
    if not text:
        return _error(origin, path, f"entry has no text (neither content nor summary){damage}", str(number))
    title = entry.get("title") or None
    if title and "html" in (entry.get("title_detail") or {}).get("type", ""):
        title = _html_to_text(title) or None
    link = entry.get("link") or ""
    # feedparser falls back to an Atom entry's id for its link; ids such as "urn:..." are not addresses.
    url = link if link.startswith(("http://", "https://")) else None
    return RawArticle(text=text, title=title, url=url, published=_entry_date(entry), source=outlet,
                      author=entry.get("author") or None, origin=origin, id=entry.get("id") or None)


def _entry_body(entry: Any) -> tuple[str, str]:
    """The entry's full content if it has any, else its summary, with its MIME type."""
    for content in entry.get("content") or []:
        if (content.get("value") or "").strip():
            return content["value"], content.get("type") or "text/html"
    detail = entry.get("summary_detail") or {}
    return entry.get("summary") or "", detail.get("type") or "text/html"


def _entry_date(entry: Any) -> str | None:
    """The entry's publication (else update) date as the feed wrote it, else feedparser's UTC date.

    feedparser converts dates to UTC, which moves a late-evening story to the next day; relative dates
    in the text ("yesterday") count from the writer's day, so the date as written is preferred.
    """
    for key in ("published", "updated"):
        date = _written_date(entry.get(key))
        parsed = entry.get(f"{key}_parsed")
        if date is None and parsed:
            date = f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
        if date:
            return date
    return None


def _written_date(raw: str | None) -> str | None:
    """The calendar date of an ISO 8601 (Atom) or RFC 822 (RSS) timestamp, in its own time zone."""
    if not raw:
        return None
    date = _iso_date(raw)
    if date is None:
        try:
            date = email.utils.parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError, IndexError):
            return None
    return date


# --------------------------------------------------------------------------- WARC


class CorruptArchiveError(Exception):
    """A WARC archive that ends early or holds data that does not decompress."""


class DecompressionBombError(CorruptArchiveError):
    """A gzip member of a WARC archive that inflates far beyond any real page (a decompression bomb)."""


class _PayloadError(Exception):
    """One record's HTTP body that cannot be decoded; the archive around it is fine."""


def _read_warc(path: str, limit: int) -> Iterator[Item]:
    """HTML ``response`` records with HTTP 200 from a WARC(.gz) archive, streamed record by record.

    A record over ``limit`` bytes is refused without being read into memory; a truncated or corrupt
    archive yields the records before the damage and then one SourceError with the byte offset reached.
    """
    with open(path, "rb") as fh:
        if not fh.read(1):
            yield _error(path, None, "empty file")
            return
        fh.seek(0)
        archive = _strict_archive_iterator()(fh, block_size=_WARC_BLOCK)
        records = iter(archive)
        offset, count = 0, 0
        while True:
            try:
                record = next(records, None)
                if record is None:
                    return
                offset = archive.offset  # where this record starts (compressed offset in a .warc.gz, as in CDX)
                count += 1
                page = _warc_page(record, limit)
                _drain(record)
            except Exception as exc:  # warcio raises several types for damaged archives; all mean the same here
                yield _warc_damage(path, fh.tell(), count, exc)
                return
            if page is not None:
                yield _warc_item(record, page, path, offset)


def _warc_damage(path: str, reached: int, count: int, exc: Exception) -> SourceError:
    """The error that ends a damaged archive, naming the byte offset reached."""
    detail = re.sub(r"[^\x20-\x7e]", "?", _one_line(str(exc)))[:160] or type(exc).__name__
    if isinstance(exc, DecompressionBombError):
        return _error(f"{path}#{reached}", path, f"archive refused at byte {reached:,}: {detail}", str(reached))
    if count == 0 and type(exc).__name__ == "ArchiveLoadFailed":  # warcio found no WARC/ARC header at all
        return _error(path, None, f"not a WARC archive ({detail})")
    return _error(f"{path}#{reached}", path, f"archive is truncated or corrupt at byte {reached:,}: {detail}", str(reached))


def _warc_page(record: Any, limit: int) -> bytes | str | None:  # str: why the page is refused
    """The HTML payload of a 200 ``response`` record, a reason to refuse it, or None for any other record.

    Raises CorruptArchiveError (or warcio's own errors) where the archive itself is damaged.
    """
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    if "html" not in (record.http_headers.get_header("content-type") or "").lower():
        return None
    if record.length and record.length > limit:
        return f"record is {record.length:,} bytes, over the limit of {limit:,}"
    body = record.raw_stream.read(limit + 1)
    if record.raw_stream.limit > 0 and len(body) <= limit:
        # warcio gave less than the record's Content-Length: the archive ends inside this record.
        raise CorruptArchiveError("archive ends inside a record")
    try:
        payload = _decode_http_payload(body, record.http_headers, limit)
    except _PayloadError as exc:
        return str(exc)  # the page is damaged, not the archive: the next record is still readable
    return payload if len(payload) <= limit else f"page is over the limit of {limit:,} bytes"


def _warc_item(record: Any, page: bytes | str, path: str, offset: int) -> Item:
    """An article from a WARC record's HTML payload (or a SourceError with the reason it was refused)."""
    origin = f"{path}#{offset}"
    if isinstance(page, str):
        return _error(origin, path, page, str(offset))
    content_type = (record.http_headers.get_header("content-type") or "").lower()
    url = record.rec_headers.get_header("WARC-Target-URI")
    crawl_date = _iso_date(record.rec_headers.get_header("WARC-Date"))
    try:
        item = _html_article(_html_input(page, _charset(content_type)), origin=origin, path=path, offset=str(offset),
                             url=url, fallback_date=crawl_date)
    except Exception as exc:  # one odd page must not end the archive
        return _error(origin, path, f"unexpected error extracting the page: {type(exc).__name__}: {exc}", str(offset))
    if isinstance(item, RawArticle):
        item.id = record.rec_headers.get_header("WARC-Record-ID")
    return item


def _drain(record: Any) -> None:
    """Read the rest of a record in chunks (never all at once) and check it was all there."""
    while record.raw_stream.read(65_536):
        pass
    if record.raw_stream.limit > 0:
        raise CorruptArchiveError("archive ends inside a record")


def _decode_http_payload(body: bytes, headers: Any, limit: int) -> bytes:
    """The HTTP body without transfer and content encodings; decompression stops past ``limit`` bytes."""
    if (headers.get_header("transfer-encoding") or "").lower() == "chunked":
        body = _dechunk(body)
    encoding = (headers.get_header("content-encoding") or "").lower().strip()
    if encoding in ("br", "zstd", "compress"):
        raise _PayloadError(f"HTTP content encoding {encoding!r} not supported")
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        try:
            inflater = zlib.decompressobj(wbits)
            # max_length: a compressed bomb inflates only to just past the limit, never in full.
            return inflater.decompress(body, limit + 1)
        except zlib.error as exc:
            if encoding == "deflate":  # servers often send raw deflate without the zlib header
                try:
                    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, limit + 1)
                except zlib.error:
                    pass
            raise _PayloadError(f"HTTP body does not decompress as {encoding} ({exc})") from None
    return body  # identity, or a bogus name such as "utf-8" that servers send for plain bodies (warcio does the same)


def _dechunk(body: bytes) -> bytes:
    """Undo HTTP chunked transfer encoding; a body that is not really chunked is returned as it is."""
    parts: list[bytes] = []
    pos = 0
    while pos < len(body):
        end = body.find(b"\r\n", pos)
        try:
            size = int(body[pos:end].split(b";")[0], 16) if end >= 0 else -1
        except ValueError:
            size = -1
        if size < 0:
            return body if not parts else b"".join(parts) + body[pos:]
        if size == 0:
            break
        parts.append(body[end + 2:end + 2 + size])
        pos = end + 2 + size + 2
    return b"".join(parts)


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type)
    return match.group(1) if match else None


@functools.cache
def _strict_archive_iterator() -> type:
    """warcio's ArchiveIterator, but damage raises instead of ending the archive quietly.

    warcio 1.8.1 prints a corrupt gzip block's zlib error to stderr and carries on as if the archive had
    ended, and says nothing when a gzip member is cut short; header lines are read without a length
    cap. This subclass swaps in a reader that raises CorruptArchiveError for all three. (Built on first use
    so that importing this module does not import warcio.)
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.bufferedreaders import DecompressingBufferedReader

    class StrictReader(DecompressingBufferedReader):
        # True once any gzip data has inflated: from then on a block that does not inflate is damage, not
        # (as warcio assumes for each member's first block) an uncompressed file.
        gzip_seen = False
        # Compressed bytes in and inflated bytes out of the current gzip member, for the bomb check.
        member_in = 0
        member_out = 0

        def _decompress(self, data: bytes) -> bytes:
            if self.decompressor is not None and data and self.gzip_seen:
                try:
                    out = self.decompressor.decompress(data)
                except zlib.error as exc:
                    raise CorruptArchiveError(f"corrupt gzip data ({exc})") from None
            else:
                out = super()._decompress(data)
            if self.decompressor is not None:
                self._count(max(0, len(data) - len(self.decompressor.unused_data or b"")), len(out))
            return out

        def _count(self, used: int, inflated: int) -> None:
            self.member_in += used
            self.member_out += inflated
            if self.member_out > _BOMB_MIN_BYTES and self.member_out > _BOMB_RATIO * self.member_in:
                raise DecompressionBombError(
                    f"decompression bomb: a gzip member inflates past {self.member_out:,} bytes from "
                    f"{self.member_in:,} (over {_BOMB_RATIO}:1; the limit is {_BOMB_MIN_BYTES:,} bytes at that ratio)")

        def read_next_member(self) -> bool:
            self.member_in = self.member_out = 0
            return super().read_next_member()

        def _process_read(self, data: bytes) -> None:
            if not data and self.decompressor is not None and self.gzip_seen and not self.decompressor.eof:
                raise CorruptArchiveError("gzip data ends inside a member (truncated file)")
            super()._process_read(data)
            if self.decompressor is not None and self.buff_size:
                self.gzip_seen = True

        def readline(self, length: int | None = None) -> bytes:
            cap = _WARC_LINE_CAP if length is None else min(length, _WARC_LINE_CAP)
            line = super().readline(cap)
            if len(line) >= _WARC_LINE_CAP and not line.endswith(b"\n"):
                raise CorruptArchiveError(f"header line longer than {_WARC_LINE_CAP:,} bytes")
            return line

    class StrictArchiveIterator(ArchiveIterator):
        def __init__(self, fileobj: BinaryIO, block_size: int) -> None:
            super().__init__(fileobj, block_size=block_size)
            # The record generator reads self.reader lazily, so replacing it before iterating is enough.
            self.reader = StrictReader(self.fh, block_size=block_size)

    return StrictArchiveIterator


# --------------------------------------------------------------------------- Reuters-21578 SGML


def _read_reuters(path: str, limit: int) -> Iterator[Item]:
    """A Reuters-21578 .sgm file (Latin-1): one article per ``<REUTERS>`` block, streamed."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
        problem = _text_problem(head)
        if problem:
            yield _error(path, None, problem)
            return
        fh.seek(0)
        count = 0
        for number, (block, problem) in enumerate(_reuters_blocks(fh, limit), start=1):
            count += 1
            yield _reuters_item(block, path, number, problem)
        if not count:
            yield _error(path, None, "no <REUTERS> records found")


def _reuters_blocks(fh: BinaryIO, limit: int) -> Iterator[tuple[str, str | None]]:
    """Each ``<REUTERS ...>...</REUTERS>`` block as text, with a problem that refuses it (or None).

    A block over ``limit`` bytes is given as its opening line only, so it never sits in memory.
    """
    lines: list[str] = []
    size = 0
    inside = over = False
    while line_bytes := fh.readline(1 << 20):
        line = line_bytes.decode("latin-1")  # Reuters-21578 is Latin-1; every byte decodes
        if not inside:
            start = line.find("<REUTERS")
            if start < 0:
                continue
            inside, over, lines, size = True, False, [], 0
            line = line[start:]
        size += len(line_bytes)
        if size > limit and lines:
            over = True
            del lines[1:]  # keep only the opening line, which names the record
        elif not over:
            lines.append(line)
        if "</REUTERS>" in line:
            inside = False
            yield "".join(lines), (f"record is over the limit of {limit:,} bytes" if over else None)
    if inside:
        yield "".join(lines), "file ends inside a <REUTERS> record (no </REUTERS>)"


def _reuters_item(block: str, path: str, number: int, problem: str | None) -> Item:
    """One ``<REUTERS>`` block → an article: the dateline and body, or the headline alone for briefs."""
    newid = _search(r'NEWID="(\d+)"', block) or str(number)
    origin = f"{path}#{newid}"
    if problem:
        return _error(origin, path, problem, newid)
    text_match = re.search(r"<TEXT([^>]*)>(.*?)</TEXT>", block, flags=re.DOTALL)
    inner = text_match.group(2) if text_match else ""
    kind = _search(r'TYPE="(\w+)"', text_match.group(1)) if text_match else None
    title = " ".join(_sgml_text(_search(r"<TITLE>(.*?)</TITLE>", inner) or "").split()) or None
    text = _reuters_text(inner, kind, title)
    if not text:
        return _error(origin, path, "record has no text", newid)
    author = " ".join(_sgml_text(_search(r"<AUTHOR>(.*?)</AUTHOR>", inner) or "").split())
    author = re.sub(r"^by\s+|,?\s*reuters?$", "", author, flags=re.IGNORECASE) or None
    return RawArticle(text=text, title=title, url=None, published=_reuters_date(_search(r"<DATE>(.*?)</DATE>", block)),
                      source="Reuters", author=author, origin=origin, id=newid)


def _reuters_text(inner: str, kind: str | None, title: str | None) -> str:
    """The story: "DATELINE - body" without the sign-off; a brief's headline; an unprocessed story's raw text."""
    body = _search(r"<BODY>(.*?)(?:</BODY>|$)", inner)
    if body is not None:
        dateline = " ".join(_sgml_text(_search(r"<DATELINE>(.*?)</DATELINE>", inner) or "").split())
        text = _strip_signature(_sgml_text(body).strip())
        return f"{dateline} {text}" if dateline and text else text
    if kind == "BRIEF":
        return title or ""  # a brief is a headline only; its body is the placeholder "Blah blah blah."
    return _strip_signature(_sgml_text(re.sub(r"<[^>]+>", "", inner)).strip())  # UNPROC: raw text, no markup


def _sgml_text(raw: str) -> str:
    """SGML character data as text: entities resolved, wire-service control characters dropped."""
    return _CONTROL_CHARS.sub("", html.unescape(raw)).replace("\r", "")


def _strip_signature(body: str) -> str:
    """Drop the trailing "Reuter" sign-off that ends nearly every story."""
    return re.sub(r"(?:\s*\bREUTER\b)+\s*$", "", body, flags=re.IGNORECASE)  # sometimes doubled


def _reuters_date(value: str | None) -> str | None:
    """'26-FEB-1987 15:01:01.79' → '1987-02-26'."""
    match = re.search(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})", value or "")
    if not match or match.group(2).upper() not in _MONTHS:
        return None
    try:
        return dt.date(int(match.group(3)), _MONTHS[match.group(2).upper()], int(match.group(1))).isoformat()
    except ValueError:
        return None


# --------------------------------------------------------------------------- TimeML


def _read_timeml(path: str, limit: int) -> Iterator[Item]:
    """A TimeML document: the text of ``<TEXT>``; published from the CREATION_TIME TIMEX3 (the DCT)."""
    import lxml.etree

    data = yield from _file_bytes(path, limit, "file")
    if data is None:
        return
    problem = _text_problem(data)
    if problem:
        yield _error(path, None, problem)
        return
    # No entity expansion and no network: a document cannot make the parser fetch or blow up anything.
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        root = lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        yield _error(path, None, f"invalid XML: {_one_line(str(exc))}")
        return
    text_el = next(iter(root.iter("TEXT")), None)
    if text_el is None:
        yield _error(path, None, "no <TEXT> element")
        return
    text = _timeml_text(text_el)
    if not text:
        yield _error(path, None, "empty <TEXT> element")
        return
    dct = next((t.get("value") for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    title = " ".join((root.findtext(".//TITLE") or "").split()) or None
    doc_id = (root.findtext(".//DOCID") or "").strip() or None
    yield RawArticle(text=text, title=title, url=None, published=_iso_date(dct), source=None, author=None,
                     origin=path, id=doc_id)


def _timeml_text(text_el: Any) -> str:
    """The text of ``<TEXT>``; sentence-per-element files (``<s>`` children, no whitespace between) get a line each."""
    sentences = [s for s in text_el if s.tag == "s"]
    if sentences:
        return "\n".join(" ".join("".join(s.itertext()).split()) for s in sentences).strip()
    return "".join(text_el.itertext()).strip()


# --------------------------------------------------------------------------- shared helpers


_READERS: dict[str, Callable[[str, int], Iterator[Item]]] = {
    "text": _read_text, "html": _read_html, "jsonl": _read_jsonl, "feed": _read_feed, "warc": _read_warc,
    "reuters": _read_reuters, "timeml": _read_timeml, "stdin": _read_stdin,
}


def _file_bytes(path: str, limit: int, what: str) -> Generator[Item, None, bytes | None]:
    """The bytes of a one-record file, or None after yielding a SourceError (too big or unreadable).

    Used as ``data = yield from _file_bytes(...)``; the size is checked before anything is read.
    """
    size = os.path.getsize(path)
    if size > limit:
        yield _error(path, None, f"{what} is {size:,} bytes, over the limit of {limit:,}")
        return None
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)  # the file may have grown since stat
    if len(data) > limit:
        yield _error(path, None, f"{what} is over the limit of {limit:,} bytes")
        return None
    return data


def _text_problem(data: bytes) -> str | None:
    """decode_text's reason for refusing ``data`` as text where it is empty or binary; None if it looks like text."""
    if not data.strip():
        return "empty file"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return "binary file, not text" if _looks_binary(data[:8192]) else None


def _date_from_filename(path: str) -> str | None:
    """A YYYY-MM-DD or YYYYMMDD date in the file's name (not its folders), if it is a real date."""
    for match in _FILENAME_DATE.finditer(os.path.basename(path)):
        try:
            return dt.date(int(match.group(1)), int(match.group(3)), int(match.group(4))).isoformat()
        except ValueError:
            continue
    return None


def _iso_date(value: object) -> str | None:
    """'2021-03-04', '2021-03-04T10:00Z' or '20210304...' → '2021-03-04'; anything else → None."""
    if value is None:
        return None
    match = re.match(r"\s*(\d{4})-?(\d{2})-?(\d{2})(?!\d)", str(value))
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError:
        return None


def _article(text: str, *, origin: str) -> RawArticle:
    return RawArticle(text=text, title=None, url=None, published=None, source=None, author=None, origin=origin)


def _error(origin: str, path: str | None, reason: str, offset: str | None = None) -> SourceError:
    return SourceError(origin=origin, path=path or origin, offset=offset, reason=reason)


def _search(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text, flags=re.DOTALL)
    return match.group(1) if match else None


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())
