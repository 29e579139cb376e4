"""Sources: every input format becomes RawArticles (or SourceErrors), never an exception.

All inputs are small files written here; only the last test reads the shared Reuters corpus.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace.sources import RawArticle, SourceError, count_inputs, iter_articles, list_inputs

REPO = Path(__file__).resolve().parent.parent
SHARED_REUTERS = REPO.parent / "shared" / "eval" / "corpus" / "reuters21578"

STORY = ("<p>Negotiators from both sides met in Geneva on Thursday to resume talks on a ceasefire, "
         "the foreign ministry said in a statement.</p>"
         "<p>The minister said the talks would continue next week. Officials described the atmosphere "
         "as constructive and said a joint statement was expected by Friday.</p>")


def page(title: str, *, date: str | None = "2021-03-04", extra: str = "") -> bytes:
    """A small news page: navigation, an article with metadata, a table and comments around it."""
    meta = f'<meta property="article:published_time" content="{date}T10:00:00Z">' if date else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Example News</title>'
            f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="Example News">'
            f'<meta name="author" content="Jane Roe">{meta}'
            '<link rel="canonical" href="https://news.example.org/2021/talks"></head><body>'
            '<nav><a href="/">Home</a> | <a href="/world">World</a></nav>'
            f'<article><h1>{title}</h1>{STORY}{extra}<table><tr><td>Tabulated figures 12345</td></tr></table></article>'
            '<div class="comments"><p>Reader comment: first!</p></div><footer>Copyright Example News</footer>'
            '</body></html>').encode()


def articles(items: list) -> list[RawArticle]:
    return [i for i in items if isinstance(i, RawArticle)]


def errors(items: list) -> list[SourceError]:
    return [i for i in items if isinstance(i, SourceError)]


# --------------------------------------------------------------------------- WARC helpers


class _Repeat(io.RawIOBase):
    """``size`` bytes of one repeated byte, produced on demand: a huge payload that never sits in memory."""

    def __init__(self, size: int, byte: bytes = b"a") -> None:
        self.left, self.byte = size, byte

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:
        n = min(len(buffer), self.left)
        buffer[:n] = self.byte * n
        self.left -= n
        return n


def http_response(writer: WARCWriter, url: str, payload, *, status: str = "200 OK",
                  content_type: str = "text/html; charset=utf-8", extra_headers: list | None = None,
                  date: str = "2020-05-06T07:08:09Z") -> None:
    headers = [("Content-Type", content_type), *(extra_headers or [])]
    stream = io.BytesIO(payload) if isinstance(payload, bytes) else payload
    record = writer.create_warc_record(url, "response", payload=stream, length=None,
                                       http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
                                       warc_headers_dict={"WARC-Date": date})
    writer.write_record(record)


def write_warc(path: Path, *, gz: bool = True, big: int = 0) -> Path:
    """Three article pages, plus records that must be skipped (a 404, an image, a request), and optionally a huge page."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        http_response(writer, "https://news.example.org/a", page("Talks resume in Geneva"))
        http_response(writer, "https://news.example.org/missing", page("Not found"), status="404 Not Found")
        http_response(writer, "https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200),
                      content_type="image/png")
        if big:
            http_response(writer, "https://news.example.org/huge", io.BufferedReader(_Repeat(big)))
        http_response(writer, "https://news.example.org/b", page("Ceasefire holds", date=None),
                      date="2020-05-07T01:02:03Z")
        request = writer.create_warc_record("https://news.example.org/b", "request", payload=io.BytesIO(b""),
                                            http_headers=StatusAndHeaders("GET /b HTTP/1.1", [("Host", "x")],
                                                                          is_http_request=True))
        writer.write_record(request)
        http_response(writer, "https://news.example.org/c", page("Envoys leave"))
    return path


# --------------------------------------------------------------------------- one format at a time


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes("Talks resumed in Geneva – the ministry said.\n".encode("cp1252"))
    [item] = list(iter_articles([str(path)]))
    assert isinstance(item, RawArticle)
    assert item.text == "Talks resumed in Geneva – the ministry said.\n"
    assert (item.title, item.url, item.published, item.origin) == (None, None, None, str(path))


def test_html_page_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "talks.html"
    path.write_bytes(page("Talks resume in Geneva"))
    [item] = list(iter_articles([str(path)]))
    assert isinstance(item, RawArticle), item
    assert "Negotiators from both sides met in Geneva" in item.text
    assert "joint statement was expected" in item.text
    for boilerplate in ("Home", "Reader comment", "Tabulated figures", "Copyright"):
        assert boilerplate not in item.text
    assert item.title == "Talks resume in Geneva"
    assert item.published == "2021-03-04"
    assert item.author == "Jane Roe"
    assert item.source == "Example News"
    assert item.url == "https://news.example.org/2021/talks"
    assert item.origin == str(path)


def test_html_page_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.htm"
    path.write_bytes(page("Huge", extra="<p>" + "word " * 50_000 + "</p>"))
    [item] = list(iter_articles([str(path)], max_record_bytes=100_000))
    assert isinstance(item, SourceError)
    assert item.reason.startswith("page is ") and "over the limit of 100,000" in item.reason
    assert item.path == str(path) and item.offset is None


def test_jsonl_lines_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": "First story.", "title": "One", "url": "https://x.org/1", "published": "2021-01-02T08:00:00Z",
                    "source": "Wire", "id": "a1"}),
        "{not json",
        "",
        json.dumps({"text": "Second story.", "published": "2021-02-30"}),
        json.dumps({"title": "no text"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "Third story."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_articles([str(path)]))
    assert [i.origin for i in items] == [f"{path}#{n}" for n in (1, 2, 4, 5, 6, 7)]
    first, bad_json, bad_date, no_text, not_object, third = items
    assert isinstance(first, RawArticle)
    assert (first.text, first.title, first.url, first.published, first.source, first.id) == \
        ("First story.", "One", "https://x.org/1", "2021-01-02", "Wire", "a1")
    assert isinstance(bad_json, SourceError) and bad_json.offset == "2" and "invalid JSON" in bad_json.reason
    assert isinstance(bad_date, SourceError) and "bad published date" in bad_date.reason
    assert isinstance(no_text, SourceError) and "'text'" in no_text.reason
    assert isinstance(not_object, SourceError)
    assert isinstance(third, RawArticle) and third.text == "Third story."


def test_jsonl_line_over_the_limit_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": "short"}) + "\n", encoding="utf-8")
    first, second = iter_articles([str(path)], max_record_bytes=1000)
    assert isinstance(first, SourceError) and first.origin == f"{path}#1" and "over the limit" in first.reason
    assert isinstance(second, RawArticle) and second.text == "short" and second.origin == f"{path}#2"


RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example Wire</title><link>https://wire.example.org/</link><description>News</description>
<item><title>Envoys meet in Oslo</title><link>https://wire.example.org/a</link><guid>wire-a</guid>
<pubDate>Tue, 02 Mar 2021 23:30:00 -0500</pubDate><dc:creator>Sam Poe</dc:creator>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>Envoys from both governments met in Oslo on Tuesday.</p><p>They agreed to meet again.</p>]]>
</content:encoded></item>
<item><title>Rebels withdraw</title><link>https://wire.example.org/b</link><pubDate>Wed, 03 Mar 2021 08:00:00 GMT</pubDate>
<description>&lt;b&gt;Rebels&lt;/b&gt; said they had withdrawn from the town.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title><id>urn:feed</id><updated>2021-04-05T00:00:00Z</updated>
<entry><title>Talks end</title><id>urn:e1</id><link href="https://atom.example.org/e1"/>
<published>2021-04-04T22:00:00-07:00</published><author><name>Ann Lee</name></author>
<content type="html">&lt;p&gt;The talks ended without agreement, the mediator said.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_feed_entries(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    path.write_bytes(RSS)
    first, second = iter_articles([str(path)])
    assert isinstance(first, RawArticle) and isinstance(second, RawArticle)
    # Full content wins over the teaser; HTML becomes text with paragraph breaks.
    assert first.text == "Envoys from both governments met in Oslo on Tuesday.\n\nThey agreed to meet again."
    assert (first.title, first.url, first.author, first.source, first.id) == \
        ("Envoys meet in Oslo", "https://wire.example.org/a", "Sam Poe", "Example Wire", "wire-a")
    assert first.published == "2021-03-02"  # the writer's day, not the UTC day (03-03 04:30Z)
    assert first.origin == f"{path}#1"
    assert second.text == "Rebels said they had withdrawn from the town."  # the summary, as text
    assert (second.published, second.origin) == ("2021-03-03", f"{path}#2")


def test_atom_feed_sniffed_from_xml(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(ATOM)
    [entry] = iter_articles([str(path)])
    assert isinstance(entry, RawArticle), entry
    assert entry.text == "The talks ended without agreement, the mediator said."
    assert (entry.title, entry.url, entry.published, entry.source, entry.author) == \
        ("Talks end", "https://atom.example.org/e1", "2021-04-04", "Atom News", "Ann Lee")


def test_feed_with_broken_xml_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><ite')
    [item] = iter_articles([str(path)])
    assert isinstance(item, SourceError)
    assert item.path == str(path) and item.origin == str(path)
    assert item.reason.startswith("broken feed XML: ") and len(item.reason) > len("broken feed XML: ")


def test_xml_that_is_no_feed_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?><inventory><item/></inventory>', encoding="utf-8")
    [item] = iter_articles([str(path)])
    assert isinstance(item, SourceError) and "<inventory>" in item.reason


def test_warc_gz_html_responses_only(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz")
    items = list(iter_articles([str(path)]))
    assert not errors(items)
    a, b, _ = items
    assert [x.url for x in items] == [f"https://news.example.org/{k}" for k in "abc"]
    assert (a.title, a.published) == ("Talks resume in Geneva", "2021-03-04")  # the page's own date
    assert b.published == "2020-05-07"  # no date in the page: the crawl date
    assert "Negotiators from both sides" in a.text and "Reader comment" not in a.text
    assert all(x.id and x.id.startswith("<urn:uuid:") for x in items)
    # Origins are the records' byte offsets, the same ones warcio (and CDX indexes) give.
    assert [x.origin for x in items] == [f"{path}#{warcio_offsets(path)[x.url]}" for x in items]


def warcio_offsets(path: Path) -> dict[str, int]:
    """The offset warcio itself gives each response record, by URL."""
    offsets = {}
    with path.open("rb") as fh:
        archive = ArchiveIterator(fh)
        for record in archive:
            if record.rec_type == "response":
                offsets[record.rec_headers.get_header("WARC-Target-URI")] = archive.get_record_offset()
    return offsets


def test_plain_warc(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc", gz=False)
    items = list(iter_articles([str(path)]))
    assert [x.title for x in articles(items)] == ["Talks resume in Geneva", "Ceasefire holds", "Envoys leave"]
    assert not errors(items)
    assert [x.origin for x in items] == [f"{path}#{warcio_offsets(path)[x.url]}" for x in items]


@pytest.mark.parametrize("cut", [0.95, 0.6, 0.3])
def test_truncated_warc_gz_yields_records_then_one_error(tmp_path: Path, cut: float) -> None:
    whole = write_warc(tmp_path / "whole.warc.gz").read_bytes()
    complete = articles(list(iter_articles([str(tmp_path / "whole.warc.gz")])))
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole[:int(len(whole) * cut)])
    items = list(iter_articles([str(path)]))
    *good, last = items
    assert good and all(isinstance(x, RawArticle) for x in good)
    assert [x.text for x in good] == [x.text for x in complete[:len(good)]]
    assert isinstance(last, SourceError)
    assert "truncated or corrupt at byte" in last.reason and last.offset is not None and int(last.offset) > 0


def test_corrupt_gzip_member_stops_the_archive_with_an_error(tmp_path: Path) -> None:
    data = bytearray(write_warc(tmp_path / "whole.warc.gz").read_bytes())
    last = max(warcio_offsets(tmp_path / "whole.warc.gz").values())
    for i in range(last + 30, last + 60):  # damage the deflate data of the last member
        data[i] ^= 0x5A
    path = tmp_path / "corrupt.warc.gz"
    path.write_bytes(bytes(data))
    items = list(iter_articles([str(path)]))
    assert len(articles(items)) == 2
    assert isinstance(items[-1], SourceError) and "corrupt" in items[-1].reason


def test_oversized_warc_record_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    # 60 MB (60 KB compressed): holding it, or even most of it, would show in the 50 MB peak.
    path = write_warc(tmp_path / "big.warc.gz", big=60_000_000)
    list(iter_articles([str(write_warc(tmp_path / "warmup.warc.gz"))]))  # imports and caches outside the measurement
    tracemalloc.start()
    try:
        items = list(iter_articles([str(path)], max_record_bytes=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000, f"peak {peak:,} bytes"
    refused = errors(items)
    assert len(refused) == 1 and "over the limit of 1,000,000" in refused[0].reason
    assert refused[0].offset is not None and refused[0].origin == f"{path}#{refused[0].offset}"
    assert [x.url for x in articles(items)] == [f"https://news.example.org/{k}" for k in "abc"]  # the rest still lands


def test_http_gzip_bomb_inflates_only_to_the_limit(tmp_path: Path) -> None:
    inflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"<p>" + b"a" * 1_000_000
    bomb = b"".join(inflater.compress(chunk) for _ in range(50)) + inflater.flush()  # 50 MB as ~50 KB
    path = tmp_path / "bomb.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        http_response(writer, "https://news.example.org/bomb", bomb, extra_headers=[("Content-Encoding", "gzip")])
        http_response(writer, "https://news.example.org/ok", gzip.compress(page("Fine")),
                      extra_headers=[("Content-Encoding", "gzip")])
    list(iter_articles([str(write_warc(tmp_path / "warmup.warc.gz"))]))
    tracemalloc.start()
    try:
        refused, fine = iter_articles([str(path)], max_record_bytes=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000, f"peak {peak:,} bytes"
    assert isinstance(refused, SourceError) and "over the limit" in refused.reason
    assert isinstance(fine, RawArticle) and fine.title == "Fine"


REUTERS = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="1" NEWID="101">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TOPICS><D>trade</D></TOPICS>
<UNKNOWN>&#5;&#5;&#5;C T
&#22;&#22;&#1;f0000&#31;reute</UNKNOWN>
<TEXT>&#2;
<TITLE>PORT TALKS &lt;SEAPORT&gt; RESUME</TITLE>
<AUTHOR>    By Ana Pérez, Reuters</AUTHOR>
<DATELINE>    LISBON, Feb 26 - </DATELINE><BODY>Dock workers and the port authority resumed
talks on Thursday, a union official said.
    The café owners' group said it backed the talks.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TEST" CGISPLIT="TRAINING-SET" OLDID="2" NEWID="102">
<DATE> 2-MAR-1987 09:00:00.00</DATE>
<TEXT TYPE="BRIEF">&#2;
******<TITLE>MINISTERS AGREE NEW GRAIN QUOTAS
</TITLE>Blah blah blah.
&#3;

</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TEST" CGISPLIT="TRAINING-SET" OLDID="3" NEWID="103">
<DATE> 2-MAR-1987 09:05:00.00</DATE>
<TEXT TYPE="UNPROC">&#2;
WEEKLY FIGURES
 Item one..........12 vs......10
 Reuter
&#3;</TEXT>
</REUTERS>
"""


def test_reuters_sgml(tmp_path: Path) -> None:
    path = tmp_path / "reut2-test.sgm"
    path.write_bytes(REUTERS.encode("latin-1"))
    full, brief, unproc = iter_articles([str(path)])
    assert isinstance(full, RawArticle) and isinstance(brief, RawArticle) and isinstance(unproc, RawArticle)
    assert full.text == ("LISBON, Feb 26 - Dock workers and the port authority resumed\ntalks on Thursday, a union official "
                         "said.\n    The café owners' group said it backed the talks.")
    assert (full.title, full.published, full.source, full.author, full.origin, full.id) == \
        ("PORT TALKS <SEAPORT> RESUME", "1987-02-26", "Reuters", "Ana Pérez", f"{path}#101", "101")
    assert brief.text == brief.title == "MINISTERS AGREE NEW GRAIN QUOTAS"
    assert (brief.published, brief.origin) == ("1987-03-02", f"{path}#102")
    assert unproc.text == "WEEKLY FIGURES\n Item one..........12 vs......10"
    assert unproc.title is None


TIMEML = """<?xml version="1.0" ?>
<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<DOCID>TEST0001</DOCID>
<DCT><TIMEX3 tid="t0" type="TIME" value="1998-11-20T19:30" functionInDocument="CREATION_TIME">1998-11-20</TIMEX3></DCT>
<TITLE>TALKS   RESUME</TITLE>
<TEXT>
The envoy <EVENT eid="e1" class="OCCURRENCE">arrived</EVENT>
<TIMEX3 tid="t1" type="DATE" value="1998-11-19">yesterday</TIMEX3> &amp; met officials.
</TEXT>
</TimeML>
"""

TIMEML_SENTENCES = ('<?xml version="1.0" encoding="utf-8"?><TimeML><DOCID>42</DOCID><DCT><TIMEX3 functionInDocument='
                    '"CREATION_TIME" tid="t0" type="DATE" value="2005-02-17">2005-02-17</TIMEX3></DCT><TEXT><s id="0">Plane '
                    'unveiled</s><s id="1">It can fly far .</s></TEXT></TimeML>')


def test_timeml(tmp_path: Path) -> None:
    path = tmp_path / "doc.tml"
    path.write_text(TIMEML, encoding="utf-8")
    sentences = tmp_path / "sentences.tml"
    sentences.write_text(TIMEML_SENTENCES, encoding="utf-8")
    doc, split = iter_articles([str(path), str(sentences)])
    assert isinstance(doc, RawArticle) and isinstance(split, RawArticle)
    assert doc.text == "The envoy arrived\nyesterday & met officials."
    assert (doc.published, doc.title, doc.id, doc.origin) == ("1998-11-20", "TALKS RESUME", "TEST0001", str(path))
    assert split.text == "Plane unveiled\nIt can fly far ."  # one line per <s>, not "unveiledIt"
    assert split.published == "2005-02-17"


# --------------------------------------------------------------------------- folders, stdin, options


def make_corpus(root: Path) -> None:
    """A folder of every format, with bad files, hidden files and files of unknown types."""
    (root / "feeds").mkdir(parents=True)
    (root / "pages" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.txt").write_text("ignored", encoding="utf-8")
    (root / ".hidden.txt").write_text("ignored", encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4 whatever")
    (root / "a-2021-05-06.txt").write_text("A story about talks.", encoding="utf-8")
    (root / "b_20210707_wire.txt").write_text("Another story.", encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (root / "empty.txt").write_bytes(b"")
    (root / "lines.jsonl").write_text(json.dumps({"text": "From JSONL."}) + "\n", encoding="utf-8")
    (root / "feeds" / "wire.rss").write_bytes(RSS)
    (root / "pages" / "talks.html").write_bytes(page("Talks resume in Geneva"))
    (root / "pages" / "deeper" / "doc.tml").write_text(TIMEML, encoding="utf-8")
    (root / "reut.sgm").write_bytes(REUTERS.encode("latin-1"))
    write_warc(root / "crawl.warc.gz")


def test_directory_reads_everything_and_reports_bad_files(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus")
    items = list(iter_articles([str(tmp_path / "corpus")]))
    bad = {Path(e.path).name: e.reason for e in errors(items)}
    assert bad == {"binary.txt": "binary file, not text", "empty.txt": "empty file"}
    landed = articles(items)
    assert len(landed) == 2 + 1 + 2 + 1 + 1 + 3 + 3  # txt, jsonl, rss, html, tml, sgm, warc
    names = [Path(x.origin.split("#")[0]).relative_to(tmp_path / "corpus").as_posix() for x in items]
    assert names == sorted(names, key=lambda n: n.split("/"))  # sorted walk, folder by folder
    assert not any("ignored" in x.text for x in landed)
    found = list_inputs([str(tmp_path / "corpus")])
    assert found.skipped == {"hidden": 2, ".pdf": 1}
    assert count_inputs([str(tmp_path / "corpus")]) == len(found.files) == 10


def test_origins_are_unique_and_stable(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus")
    first = [x.origin for x in iter_articles([str(tmp_path / "corpus")])]
    second = [x.origin for x in iter_articles([str(tmp_path / "corpus") + "/"])]
    assert first == second
    assert len(set(first)) == len(first)


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus")
    once = [x.origin for x in iter_articles([str(tmp_path / "corpus")])]
    twice = [x.origin for x in iter_articles([str(tmp_path / "corpus"), str(tmp_path / "corpus" / "reut.sgm")])]
    assert once == twice


def test_published_from_filename_and_source_override(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus")
    corpus = tmp_path / "corpus"
    paths = [str(corpus / "a-2021-05-06.txt"), str(corpus / "b_20210707_wire.txt"), str(corpus / "feeds" / "wire.rss")]
    plain = articles(list(iter_articles(paths)))
    assert [x.published for x in plain[:2]] == [None, None]
    dated = articles(list(iter_articles(paths, published_from_filename=True, source="My Outlet")))
    assert [x.published for x in dated] == ["2021-05-06", "2021-07-07", "2021-03-02", "2021-03-03"]  # own dates win
    assert {x.source for x in dated} == {"My Outlet"}


def test_missing_path_and_unknown_explicit_file(tmp_path: Path) -> None:
    html_without_extension = tmp_path / "page.download"
    html_without_extension.write_bytes(page("Sniffed"))
    not_warc = tmp_path / "data.gz"
    not_warc.write_bytes(gzip.compress(b"just some text"))
    missing, sniffed, compressed = iter_articles([str(tmp_path / "nope.txt"), str(html_without_extension), str(not_warc)])
    assert isinstance(missing, SourceError) and missing.reason == "no such file"
    assert isinstance(sniffed, RawArticle) and sniffed.title == "Sniffed"
    assert isinstance(compressed, SourceError) and "not a WARC" in compressed.reason


@pytest.mark.parametrize("name", ["x.txt", "x.html", "x.jsonl", "x.rss", "x.xml", "x.warc", "x.warc.gz", "x.sgm", "x.tml"])
def test_garbage_in_any_format_is_an_error_not_an_exception(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 8 + b"\x1f\x8b\x08" + bytes(100))
    items = list(iter_articles([str(path)]))
    assert items and all(isinstance(x, SourceError) for x in items)


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"One story from a pipe.\nSecond line.\n")
    [item] = iter_articles(["-"])
    assert isinstance(item, RawArticle) and item.text.startswith("One story") and item.origin == "<stdin>"
    assert count_inputs(["-"]) is None


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b'{"text": "First."}\n\n{"text": "Second.", "published": "2020-01-02"}\n')
    first, second = iter_articles(["-"])
    assert (first.text, first.origin) == ("First.", "<stdin>#1")
    assert (second.text, second.published, second.origin) == ("Second.", "2020-01-02", "<stdin>#3")


# --------------------------------------------------------------------------- the real corpus


def test_real_reuters_files() -> None:
    files = [SHARED_REUTERS / f"reut2-00{n}.sgm" for n in range(3)]
    if not all(f.exists() for f in files):
        pytest.skip(f"shared Reuters-21578 corpus not found at {SHARED_REUTERS} (tests that need ../shared skip without it)")
    items = list(iter_articles([str(f) for f in files]))
    landed = articles(items)
    assert len(items) == 3000  # 1000 <REUTERS> blocks per file
    assert len(landed) >= 2990
    assert len({x.origin for x in items}) == len(items)
    assert all(x.published and x.published.startswith("1987-") for x in landed)
    assert items[0].origin == f"{files[0]}#1" and items[0].published == "1987-02-26"
    assert all(x.source == "Reuters" and x.text.strip() for x in landed)
    assert not any(x.text.rstrip().endswith(("Reuter", "REUTER")) for x in landed if x.text != x.title)
    assert not any("&lt;" in x.text or "&#" in x.text or "\x03" in x.text for x in landed)
