"""The spaCy model is the pinned package, loaded once, with our sentence rules."""

from __future__ import annotations

import hashlib
from pathlib import Path

from newstrace.nlp import MODEL_PACKAGE, load_model

# Recorded in docs/dependencies.md when the model package was adopted.
WEIGHT_SHA256 = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
}


def test_model_weights_are_the_recorded_ones():
    package_dir = Path(__import__(MODEL_PACKAGE).__file__).parent
    model_dir = next(package_dir.glob("en_core_web_sm*-3.8.0"))
    for name, digest in WEIGHT_SHA256.items():
        assert hashlib.sha256((model_dir / name).read_bytes()).hexdigest() == digest, name


def test_model_is_loaded_once():
    assert load_model() is load_model()
    assert load_model().meta["version"] == "3.8.0"


def test_line_breaks_end_sentences_and_short_lines_stay_whole():
    doc = load_model()("A headline without a stop\n— Jane Roe (@jroe) March 4, 2022\nThe army said it withdrew. Talks went on.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences == ["A headline without a stop", "— Jane Roe (@jroe) March 4, 2022",
                         "The army said it withdrew.", "Talks went on."]


def test_dateline_is_not_part_of_the_first_sentence():
    doc = load_model()("BEIRUT, March 3, 2024 — Rebels said they attacked the base. Officials denied it.")
    first = next(iter(doc.sents)).text
    assert first.startswith("BEIRUT") and first.rstrip().endswith("—")


def test_short_dateline_line_still_splits():
    doc = load_model()("GAZA, May 2, 2024 — Militants fired rockets at Israel on Thursday.")
    assert len(list(doc.sents)) == 2


def test_a_dotted_abbreviation_hyphened_to_a_word_is_split():
    doc = load_model()("The U.S.-led coalition backed U.N.-brokered talks; e.g. the U.S. said so.")
    words = [t.text for t in doc]
    assert words[:5] == ["The", "U.S.", "-", "led", "coalition"], words
    assert "U.N." in words and "brokered" in words and words.count("U.S.") == 2, words
