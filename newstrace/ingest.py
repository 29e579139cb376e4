"""Ingest: read articles from files or stdin, with clear errors for input newstrace cannot take.

Text files are decoded as UTF-8 (with or without BOM), UTF-16 with a BOM, then Windows-1252;
anything else, binary files and empty files are refused with a one-line reason naming the file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newstrace.pipeline import Article, InputError, parse_date

# Bytes that never occur in text: a file with any NUL or many C0 controls is binary.
_TEXT_CONTROLS = {9, 10, 12, 13}
MAX_FILE_BYTES = 50_000_000


@dataclass
class Source:
    """Where an article came from, for error messages: 'file.jsonl:12'."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class ArticleError(InputError):
    """An input error tied to the file (and line) it came from."""

    def __init__(self, source: Source, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


def decode_text(data: bytes) -> str:
    """Decode article bytes, trying the encodings news files come in; InputError if none fits."""
    if not data.strip():
        raise InputError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("starts with a UTF-16 byte order mark but is not valid UTF-16") from None
    if _looks_binary(data):
        raise InputError("binary file, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("text encoding not recognised (tried UTF-8, UTF-16 with BOM, Windows-1252)")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    return controls > len(sample) * 0.05


def read_bytes(path: str) -> bytes:
    """The bytes of a file, or of stdin for '-'; unreadable or oversized files are InputErrors."""
    if path == "-":
        return sys.stdin.buffer.read()
    file = Path(path)
    if not file.exists():
        raise InputError("no such file")
    if file.is_dir():
        raise InputError("is a directory (give the files inside it)")
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}")
    try:
        return file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None


def read_articles(path: str, published: str | None = None) -> Iterator[Article | ArticleError]:
    """Articles in ``path`` (.txt, .jsonl or '-'), in order; a bad one yields an ArticleError."""
    source = Source("<stdin>" if path == "-" else path)
    try:
        text = decode_text(read_bytes(path))
    except InputError as exc:
        yield ArticleError(source, str(exc))
        return
    if path.endswith(".jsonl"):
        yield from _jsonl_articles(text, source, published)
    else:
        yield Article(text=text, published=published, id=None)


def _jsonl_articles(text: str, source: Source, default_published: str | None) -> Iterator[Article | ArticleError]:
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = True
        where = Source(source.path, number)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ArticleError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        article = _article_from_record(record, where, default_published)
        yield article
    if not found:
        yield ArticleError(source, "no articles in JSONL file")


def _article_from_record(record: object, where: Source, default_published: str | None) -> Article | ArticleError:
    if not isinstance(record, dict):
        return ArticleError(where, "each JSONL line must be an object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return ArticleError(where, "missing or empty 'text' field")
    published = record.get("published") or default_published
    try:
        parse_date(published)
    except InputError as exc:
        return ArticleError(where, str(exc))
    return Article(
        text=text, published=published,
        title=_str_or_none(record.get("title")), url=_str_or_none(record.get("url")),
        source=_str_or_none(record.get("source")),
        id=_str_or_none(record.get("id")),
    )


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)
