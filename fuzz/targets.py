"""Fuzz targets: every parser entry point of newstrace, each as ``check(data: bytes)`` that enforces its contract.

The contract, for every input:

- a corpus reader (``newstrace.sources.iter_articles``) yields ``RawArticle``s and ``SourceError``s only, and no
  ``SourceError`` is the catch-all "unexpected error" one (that one means a reader raised, i.e. a bug that the
  guard in ``_read_guarded`` hid); every article has text and an origin inside the file read;
- the date normaliser returns expressions whose offsets lie inside the text, with a value; ``parse_date``
  returns a date or raises ``InputError``;
- the pipeline returns an ``Analysis`` that validates, whose every span lies inside the text and holds
  ``text[start:end]``, or raises ``InputError``.

Anything else (an exception, a broken span) is a ``ContractViolation``. Hangs are caught by the runners
(``fuzz/run.py``: libFuzzer's ``-timeout`` or an alarm; ``tests/test_fuzz.py``: a subprocess deadline).

``SEEDS`` holds a few valid inputs per target, the starting corpus for mutation; ``tests/test_fuzz.py``
and ``fuzz/run.py`` build structure-aware inputs on top of these with hypothesis.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from newstrace import sources, times
from newstrace.model import Analysis, Span
from newstrace.pipeline import InputError, Pipeline, parse_date

UNEXPECTED = "unexpected error"


class ContractViolation(AssertionError):  # noqa: N818  # an assertion failure, named for what it means
    """A parser broke its contract on some input."""


# --------------------------------------------------------------------------- corpus readers


@functools.cache
def _workdir() -> str:
    """One private folder per process for the files the readers are given (a reader reads paths, not bytes)."""
    return tempfile.mkdtemp(prefix="newstrace-fuzz-")


def read_as(data: bytes, suffix: str, max_record_bytes: int = sources.DEFAULT_MAX_RECORD_BYTES) -> list[sources.Item]:
    """Write ``data`` to a file ending in ``suffix``, read it with ``iter_articles`` and check every item."""
    path = os.path.join(_workdir(), "input" + suffix)
    with open(path, "wb") as fh:
        fh.write(data)
    try:
        items = list(sources.iter_articles([path], max_record_bytes=max_record_bytes))
    except Exception as exc:
        raise ContractViolation(f"iter_articles raised {type(exc).__name__}: {exc}") from exc
    finally:
        os.unlink(path)
    check_items(items, path, may_be_empty=suffix.startswith(".warc"))
    return items


def check_items(items: list[Any], path: str, may_be_empty: bool = False) -> None:
    """Every item is a RawArticle with text or a SourceError with a one-line reason, both naming ``path``.

    Only an archive may give nothing at all (a WARC of requests, redirects and images holds no article).
    """
    if not items and not may_be_empty:
        raise ContractViolation("a reader yielded nothing: a file gives at least one article or one error")
    for item in items:
        if isinstance(item, sources.SourceError):
            if not item.reason or "\n" in item.reason:
                raise ContractViolation(f"bad error reason {item.reason!r}")
            if item.reason.startswith(UNEXPECTED):
                raise ContractViolation(f"a reader raised (hidden by the guard): {item.reason}")
        elif isinstance(item, sources.RawArticle):
            if not isinstance(item.text, str) or not item.text.strip():
                raise ContractViolation(f"article without text from {item.origin}")
            if item.published is not None:
                dt.date.fromisoformat(item.published)  # a ValueError here is a violation too
        else:
            raise ContractViolation(f"a reader yielded a {type(item).__name__}")
        if not item.origin.startswith(path):
            raise ContractViolation(f"origin {item.origin!r} is not inside {path!r}")


def _reader(suffix: str) -> Callable[[bytes], None]:
    def check(data: bytes) -> None:
        read_as(data, suffix)
    check.__doc__ = f"Read the bytes as a {suffix} file."
    return check


def check_warc_gz(data: bytes) -> None:
    """The bytes, gzip-compressed, as a .warc.gz archive (the raw bytes go through ``warc`` too)."""
    read_as(gzip.compress(data, compresslevel=1), ".warc.gz")


# --------------------------------------------------------------------------- dates


def check_dates(data: bytes) -> None:
    """The date normaliser over the bytes as text, with and without an anchor date."""
    text = data.decode("utf-8", errors="replace")
    check_date_text(text)


def check_date_text(text: str) -> None:
    """``find_times``, ``infer_published``, ``parse_date`` and the readers' ``_iso_date`` on ``text``."""
    for anchor in (None, dt.date(2021, 1, 2), dt.date(1, 1, 1), dt.date(9999, 12, 31)):
        try:
            found = times.find_times(text, anchor)
        except Exception as exc:
            raise ContractViolation(f"find_times raised {type(exc).__name__}: {exc} (anchor {anchor})") from exc
        for item in found:
            if not (0 <= item.start < item.end <= len(text)) or not item.value:
                raise ContractViolation(f"time expression {item} out of the text or without value")
    try:
        inferred = times.infer_published(text)
    except Exception as exc:
        raise ContractViolation(f"infer_published raised {type(exc).__name__}: {exc}") from exc
    if inferred is not None and not isinstance(inferred, dt.date):
        raise ContractViolation(f"infer_published gave {inferred!r}")
    for value in (text, text[:10], text.strip()):
        try:
            parsed = parse_date(value)
        except InputError:
            parsed = None
        except Exception as exc:
            raise ContractViolation(f"parse_date({value!r}) raised {type(exc).__name__}: {exc}") from exc
        if parsed is not None and not isinstance(parsed, dt.date):
            raise ContractViolation(f"parse_date gave {parsed!r}")
        iso = sources._iso_date(value)
        if iso is not None:
            dt.date.fromisoformat(iso)


# --------------------------------------------------------------------------- the pipeline


@functools.cache
def pipeline() -> Pipeline:
    """One pipeline per process (loading takes a second or two)."""
    return Pipeline()


def check_analyze(data: bytes) -> None:
    """The whole pipeline on the bytes as text."""
    check_analysis_of(pipeline(), data.decode("utf-8", errors="replace"))


def check_analysis_of(nlp_pipeline: Pipeline, text: str, published: str | None = None) -> Analysis | None:
    """Analyse ``text``: an InputError is fine (None); otherwise the Analysis must validate, every span in place."""
    try:
        analysis = nlp_pipeline.analyze(text, published=published)
    except InputError:
        return None
    except Exception as exc:
        raise ContractViolation(f"analyze raised {type(exc).__name__}: {exc}") from exc
    check_analysis(analysis, text)
    return analysis


def check_analysis(analysis: Analysis, text: str) -> None:
    """The analysis round-trips through its JSON schema and every span holds ``text[start:end]``."""
    if analysis.document.text != text:
        raise ContractViolation("the document text is not the input text")
    Analysis.model_validate_json(analysis.model_dump_json())
    for where, span in _spans(analysis, "analysis"):
        if not (0 <= span.start <= span.end <= len(text)):
            raise ContractViolation(f"{where}: offsets {span.start}:{span.end} outside a text of {len(text)}")
        if span.text != text[span.start:span.end]:
            raise ContractViolation(f"{where}: span text {span.text!r} != text[{span.start}:{span.end}] "
                                    f"{text[span.start:span.end]!r}")


def _spans(value: Any, where: str) -> Iterator[tuple[str, Span]]:
    """Every Span (Mention included) inside a model, with a path naming where it sits."""
    if isinstance(value, Span):
        yield where, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _spans(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _spans(item, f"{where}[{i}]")


# --------------------------------------------------------------------------- registry and seeds


TARGETS: dict[str, Callable[[bytes], None]] = {
    "html": _reader(".html"),
    "feed": _reader(".rss"),
    "xml": _reader(".xml"),  # sniffed: feed, TimeML or an error
    "warc": _reader(".warc"),
    "warc_gz": check_warc_gz,
    "jsonl": _reader(".jsonl"),
    "reuters": _reader(".sgm"),
    "timeml": _reader(".tml"),
    "text": _reader(".txt"),
    "dates": check_dates,
    "analyze": check_analyze,
}

_STORY = ("Iran's foreign minister said on Monday that the attack on the base near Baghdad on Jan. 3, 2020 "
          "was \u201ca crime\u201d. The United States blamed Tehran, officials said two days ago.")


def _warc_seed() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    page = f"<html><head><title>Talks</title></head><body><article><p>{_STORY}</p></article></body></html>".encode()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    record = writer.create_warc_record("https://news.example.org/a", "response", payload=io.BytesIO(page),
                                       http_headers=headers, warc_headers_dict={"WARC-Date": "2020-01-04T10:00:00Z"})
    writer.write_record(record)
    return out.getvalue()


@functools.cache
def seeds() -> dict[str, list[bytes]]:
    """A few valid inputs per target: the corpus that mutation starts from."""
    html = (f"<!DOCTYPE html><html><head><title>Talks | News</title><meta property=\"article:published_time\" "
            f"content=\"2020-01-04\"></head><body><nav>Home</nav><article><h1>Talks</h1><p>{_STORY}</p>"
            f"<p>{_STORY}</p></article></body></html>").encode()
    rss = (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>News</title><item><title>Talks</title>"
           f"<link>https://news.example.org/a</link><pubDate>Sat, 04 Jan 2020 10:00:00 +0000</pubDate>"
           f"<description>&lt;p&gt;{_STORY}&lt;/p&gt;</description></item></channel></rss>").encode()
    atom = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>News</title>"
            f"<entry><title>Talks</title><id>urn:x</id><updated>2020-01-04T10:00:00Z</updated>"
            f"<content type=\"html\">&lt;p&gt;{_STORY}&lt;/p&gt;</content></entry></feed>").encode()
    timeml = (f"<?xml version=\"1.0\"?><TimeML><DOCID>x1</DOCID><DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"2020-01-04\" "
              f"functionInDocument=\"CREATION_TIME\">January 4, 2020</TIMEX3></DCT><TITLE>Talks</TITLE><TEXT>{_STORY} "
              f"<TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2020-01-03\">Friday</TIMEX3></TEXT></TimeML>").encode()
    reuters = (f"<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS TOPICS=\"YES\" NEWID=\"7\">\n"
               f"<DATE>26-FEB-1987 15:01:01.79</DATE>\n"
               f"<TEXT>&#2;\n<TITLE>TALKS</TITLE>\n<DATELINE>    GENEVA, Feb 26 - </DATELINE><BODY>{_STORY}\n Reuter\n&#3;"
               f"</BODY></TEXT>\n</REUTERS>\n").encode()
    jsonl = (f'{{"text": "{_STORY}", "published": "2020-01-04", "title": "Talks", "id": "a"}}\n'
             f'{{"text": "Second story.", "published": null}}\nnot json\n').encode().replace("\u201c".encode(), b"'")
    warc = _warc_seed()
    story = _STORY.encode()
    return {
        "html": [html], "feed": [rss, atom], "xml": [atom, timeml], "warc": [warc], "warc_gz": [warc],
        "jsonl": [jsonl], "reuters": [reuters], "timeml": [timeml], "text": [story, story.decode().encode("utf-16")],
        "dates": [b"on Monday, Jan. 3, 2020, two days ago, last week, 10/11/12, the 1990s, 3 p.m.", story],
        "analyze": [story],
    }
