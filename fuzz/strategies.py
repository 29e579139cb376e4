"""Hypothesis strategies for the fuzz targets: mutated seeds, markup soup and adversarial text.

Random bytes alone rarely get past a parser's first check, so most inputs start from a valid seed
(``fuzz.targets.seeds``) and are mutated by splicing in pieces that parsers handle specially: tags,
entities, CDATA, comments, quotes, gzip and WARC headers, dates, odd Unicode.
"""

from __future__ import annotations

from hypothesis import strategies as st

from fuzz.targets import seeds

# Characters that break naive text handling: controls, zero-width and direction marks, surrogates'
# neighbours, combining marks, CJK and Arabic script, the BOM, line and paragraph separators.
ODD_CHARS = ("\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\xa0", "\u200b", "\u200c", "\u200d",
             "\u200e", "\u202e", "\u2028", "\u2029", "\u2060", "\ufeff", "\ufffd", "\u0301", "\u0338", "伊朗", "طهران",
             "Тегеран", "🇮🇷", "\U0001f4a5", "ǅ", "ß", "İ", "ﬁ", "\r", "\r\n", "\t", "\n\n")
WORDS = ("Iran", "Iraq", "the", "minister", "said", "attack", "attacked", "killed", "denied", "blamed", "Baghdad",
         "Monday", "Jan.", "January", "3", "2020", "2021-01-02", "10/11/12", "ago", "last", "week", "ago", "U.S.",
         "Mr.", "told", "reporters", "according", "to", "claimed", "responsibility", "for", "by", "militants", "on",
         "1990s", "p.m.", "yesterday", "next", "spring", "of", "two", "days", "\u201c", "\u201d", '"', "'", "(", ")",
         "[", "]", ",", ".", ":", ";", "--", "\u2014", "-", "?", "!", "@handle", "#tag", "https://x.org/a?b=c")
MARKUP = ("<p>", "</p>", "<div>", "</div>", "<br>", "<br/>", "<script>", "</script>", "<style>", "</style>",
          "<!--", "-->", "<![CDATA[", "]]>", "<?xml version=\"1.0\"?>", "<!DOCTYPE html>", "&amp;", "&#0;", "&#x110000;",
          "&#9999999999;", "&nbsp;", "&bogus;", "<", ">", "</", "<a href=\"javascript:x\">", "<title>", "</title>",
          "<meta charset=\"utf-16\">", "<meta charset=\"x-bogus\">", "<html>", "<body>", "<article>", "<table>",
          "<TEXT>", "</TEXT>", "<BODY>", "</BODY>", "<REUTERS NEWID=\"1\">", "</REUTERS>", "<TIMEX3 value=\"2020-13-45\">",
          "</TIMEX3>", "<s>", "</s>", "<item>", "</item>", "<entry>", "</entry>", "<description>", "</description>",
          "<content type=\"html\">", "</content>", "<pubDate>Mon, 99 Foo 2020 99:99:99 +9999</pubDate>",
          "<updated>2020-02-30T25:61:00Z</updated>", "<!ENTITY a \"aaaa\">", "&a;", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>",
          "&e;", "WARC/1.0\r\n", "WARC-Type: response\r\n", "Content-Length: 99999999999\r\n", "Content-Length: -1\r\n",
          "Content-Type: application/http; msgtype=response\r\n", "HTTP/1.1 200 OK\r\n", "Content-Encoding: gzip\r\n",
          "Transfer-Encoding: chunked\r\n", "ffffffff\r\n", "0\r\n\r\n", "\r\n\r\n", "\x1f\x8b\x08\x00", '{"text": ',
          '"published": "2020-99-99"', '"published": 7', "null", "[]", "{}", "\\ud800", "\\u0000")

PIECES = st.sampled_from(ODD_CHARS + WORDS + MARKUP)


def _to_bytes(piece: str, encoding: str) -> bytes:
    return piece.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")


@st.composite
def mutated(draw: st.DrawFn, target: str, max_ops: int = 8) -> bytes:
    """A seed of ``target`` with a few splices, deletions, repetitions, truncations and byte flips."""
    data = bytearray(draw(st.sampled_from(seeds()[target])))
    for _ in range(draw(st.integers(0, max_ops))):
        op = draw(st.sampled_from(("insert", "delete", "repeat", "truncate", "flip", "raw")))
        at = draw(st.integers(0, len(data)))
        if op == "insert":
            data[at:at] = _to_bytes(draw(PIECES), draw(st.sampled_from(("utf-8", "utf-8", "latin-1", "utf-16-le"))))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "repeat":
            chunk = bytes(data[at:at + draw(st.integers(1, 32))])
            data[at:at] = chunk * draw(st.integers(1, 200))
        elif op == "truncate":
            del data[at:]
        elif op == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == "raw":
            data[at:at] = draw(st.binary(max_size=32))
    return bytes(data)


def soup(max_pieces: int = 60) -> st.SearchStrategy[str]:
    """Text made of words, markup and odd characters in any order."""
    return st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=max_pieces).map("".join)


def news_text(max_pieces: int = 40) -> st.SearchStrategy[str]:
    """Short news-like text with odd characters and unbalanced quotes and brackets mixed in (for the pipeline)."""
    words = st.sampled_from(WORDS + WORDS + ODD_CHARS)
    return st.lists(words, min_size=1, max_size=max_pieces).map(
        lambda parts: " ".join(parts)).filter(lambda text: bool(text.strip()))


def inputs(target: str) -> st.SearchStrategy[bytes]:
    """Inputs for ``target``: mostly mutated seeds, some soup and some random bytes."""
    if target == "analyze":
        return news_text().map(lambda text: text.encode("utf-8", errors="surrogatepass"))
    if target == "dates":
        return st.one_of(soup(), news_text()).map(lambda text: text.encode("utf-8", errors="surrogatepass"))
    return st.one_of(mutated(target), mutated(target), soup().map(lambda text: text.encode("utf-8", errors="surrogatepass")),
                     st.binary(max_size=256))
