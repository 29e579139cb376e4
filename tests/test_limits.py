"""Per-document resource limits (docs/reliability.md, "Resource limits"): hostile inputs are refused with a
clear reason, in bounded memory and time.

The memory tests run the reader in a subprocess and compare its peak RSS before and after reading; the
inputs (a WARC.gz gzip bomb that inflates to 4 GB, an HTML page with a million tags) are built at test time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from newstrace.nlp import MAX_SENTENCE_TOKENS
from newstrace.pipeline import AnalysisTimeoutError, InputError, Pipeline
from newstrace.sources import MAX_HTML_TAGS, SourceError, iter_articles

REPO = Path(__file__).resolve().parent.parent
MB = 1_000_000

# Reads the inputs named on the command line and prints each item and the peak RSS growth (kB) it caused.
READER = """
import json, resource, sys
from newstrace.sources import iter_articles
list(iter_articles([sys.argv[1]]))  # imports and caches before the measurement
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
items = [{"kind": type(i).__name__, "reason": getattr(i, "reason", None)} for i in iter_articles(sys.argv[2:])]
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"items": items, "rss_growth_kb": grown}))
"""


def read_in_subprocess(warmup: Path, *paths: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", READER, str(warmup), *map(str, paths)], capture_output=True, text=True,
                          timeout=120, cwd=REPO, check=False)  # a hang fails here, whatever pytest does
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def gzip_bomb_member(head: bytes, zeros: int) -> bytes:
    """One gzip member: ``head`` and then ``zeros`` zero bytes, about 1,000 times smaller than it inflates.

    The same fully flushed deflate segment of 1 MB of zeros is repeated, so building 4 GB takes no time; the
    trailer's CRC is left zero because no reader gets that far (the bomb check stops long before).
    """
    def segment(data: bytes) -> bytes:
        deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        return deflater.compress(data) + deflater.flush(zlib.Z_FULL_FLUSH)

    block = segment(bytes(MB))
    final = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush(zlib.Z_FINISH)
    size = len(head) + zeros
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + segment(head) + block * (zeros // MB) + final
            + b"\x00\x00\x00\x00" + (size % 2**32).to_bytes(4, "little"))


def warc_head(length: int) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:bomb>\r\nWARC-Date: 2020-01-01T00:00:00Z\r\n"
            b"WARC-Target-URI: https://news.example.org/bomb\r\nContent-Type: application/http; msgtype=response\r\n"
            b"Content-Length: " + str(length).encode() + b"\r\n\r\n" + http)


def small_page(path: Path) -> Path:
    path.write_text("<html><body><article><p>Negotiators met in Geneva on Thursday to resume the talks.</p>"
                    "</article></body></html>", encoding="utf-8")
    return path


def test_warc_gz_decompression_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    zeros = 4_000 * MB  # inflates to 4 GB from about 4 MB
    bomb = tmp_path / "bomb.warc.gz"
    bomb.write_bytes(gzip_bomb_member(warc_head(zeros + 44), zeros))
    assert bomb.stat().st_size < 10 * MB
    result = read_in_subprocess(small_page(tmp_path / "warmup.html"), bomb)
    [item] = result["items"]
    assert item["kind"] == "SourceError" and "decompression bomb" in item["reason"], item
    assert result["rss_growth_kb"] < 100_000, result  # under 100 MB while 4 GB were on offer


@pytest.mark.parametrize("tag", ["p", "b"])
def test_html_with_a_million_tags_is_refused_in_bounded_memory(tmp_path: Path, tag: str) -> None:
    # <p> a million times makes a million siblings (lxml: ~20 s, +550 MB); <b> a million nested elements.
    page = tmp_path / "tags.html"
    page.write_text("<html><body><article><p>Talks resumed in Geneva on Thursday.</p>" + f"<{tag}>" * MB
                    + "text</article></body></html>", encoding="utf-8")
    result = read_in_subprocess(small_page(tmp_path / "warmup.html"), page)
    [item] = result["items"]
    assert item["kind"] == "SourceError" and f"over {MAX_HTML_TAGS:,} HTML tags" in item["reason"], item
    assert result["rss_growth_kb"] < 100_000, result


def test_html_with_many_tags_under_the_limit_is_still_read(tmp_path: Path) -> None:
    page = tmp_path / "many.html"
    page.write_text("<html><body><article><p>Talks resumed in Geneva on Thursday, officials said.</p>"
                    + "<span></span>" * (MAX_HTML_TAGS // 2) + "</article></body></html>", encoding="utf-8")
    items = list(iter_articles([str(page)]))
    assert not any(isinstance(i, SourceError) for i in items), items


def test_text_over_max_chars_is_refused_before_the_parse(pipeline: Pipeline) -> None:
    text = "Talks resumed. " * (pipeline.max_chars // 15 + 1)
    with pytest.raises(InputError, match="over the limit of 1,000,000"):
        pipeline.analyze(text)


def test_a_long_run_without_whitespace_is_refused(pipeline: Pipeline) -> None:
    # spaCy's tokenizer takes time quadratic in such a run when it is punctuation: 4,000 marks take seconds.
    text = "Iran said " + ".," * 2000 + " on Monday."
    with pytest.raises(InputError, match="run of 4,000 characters without whitespace at character 10"):
        pipeline.analyze(text)
    assert pipeline.analyze("Iran said " + "x" * pipeline.max_token_chars + " on Monday.")  # at the limit: fine


def test_time_budget_stops_between_stages(pipeline: Pipeline) -> None:
    saved = pipeline.max_seconds
    pipeline.max_seconds = 0.0  # any stage at all takes longer than this
    try:
        with pytest.raises(AnalysisTimeoutError, match="stopped after the nlp stage") as caught:
            pipeline.analyze("Iran attacked the base on Monday, the minister said.")
    finally:
        pipeline.max_seconds = saved
    assert isinstance(caught.value, InputError)  # callers that handle InputError handle this too
    assert pipeline.analyze("Iran attacked the base on Monday, the minister said.").events


def test_sentences_are_capped(pipeline: Pipeline) -> None:
    text = " ".join(["the minister said Iran attacked a base in Baghdad on Monday and officials denied it"] * 60)
    doc = pipeline.nlp(text)
    assert len(doc) > 3 * MAX_SENTENCE_TOKENS
    assert max(len(sentence) for sentence in doc.sents) <= MAX_SENTENCE_TOKENS
    # Ordinary prose is cut where the parser cuts it: the cap only acts on runs with no sentence end.
    prose = "Iran attacked the base on Monday. The minister said talks would resume. " * 3
    assert [s.text for s in pipeline.nlp(prose).sents] == [s.text for s in pipeline.nlp.get_pipe("parser")(
        pipeline.nlp.get_pipe("newstrace_line_breaks")(_tagged(pipeline, prose))).sents]


def _tagged(pipeline: Pipeline, text: str):
    doc = pipeline.nlp.make_doc(text)
    for name in ("tok2vec", "tagger"):
        doc = pipeline.nlp.get_pipe(name)(doc)
    return doc
