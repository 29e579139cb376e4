"""Readers of the evaluation sets: tiny inline samples in each format (written for these tests,
no dataset text), then a file or two of the real sets where ``<repo>/../shared`` is present."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from newstrace.evaluation import readers as rd

REPO = Path(__file__).resolve().parent.parent
SHARED_EVAL = REPO.parent / "shared" / "eval"


def shared(sub: str) -> Path:
    """A path under ../shared/eval, or skip the test with a clear message."""
    path = SHARED_EVAL / sub
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path} (tests reading ../shared skip without it)")
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return path


# --------------------------------------------------------------------------- helpers


def test_join_tokens_and_bio_spans() -> None:
    text, offsets = rd.join_tokens([["Troops", "left"], ["Talks", "began", "."]])
    assert text == "Troops left\nTalks began ."
    assert [text[s:e] for s, e in offsets] == ["Troops", "left", "Talks", "began", "."]
    tags = ["B-S", "I-S", "O", "I-T", "B-T", "B-R", "I-R"]
    assert rd.bio_spans(tags) == [("S", 0, 2), ("T", 3, 4), ("T", 4, 5), ("R", 5, 7)]


def test_split_preference_and_interleave(tmp_path: Path) -> None:
    for name in ("a/train.conll", "a/dev.conll", "a/test.conll", "b/train.conll", "b/dev.conll", "c/x.conll"):
        write(tmp_path / name, "")
    chosen = [f.relative_to(tmp_path).as_posix() for f in rd.find_files(tmp_path, ["*.conll"])]
    assert chosen == ["a/test.conll", "b/dev.conll", "c/x.conll"]
    assert list(rd.interleave([[1, 2, 3], [10], [20, 21]])) == [1, 10, 20, 2, 21, 3]


def test_missing_path_raises() -> None:
    with pytest.raises(FileNotFoundError):
        rd.find_files(Path("/nonexistent/eval/data"), ["*.xml"])


# --------------------------------------------------------------------------- TimeML

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>SAMPLE001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2001-03-05" functionInDocument="CREATION_TIME">March 5, 2001</TIMEX3></DCT>
<TITLE>Sample</TITLE>
<TEXT>
The council <EVENT eid="e1">met</EVENT> <TIMEX3 tid="t1" type="DATE" value="2001-03-02">on Friday</TIMEX3> &amp; will meet
again in <TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks</TIMEX3>.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0"/>
</TimeML>
"""


def test_parse_timeml_offsets_types_values_and_dct() -> None:
    doc = rd.parse_timeml(TIMEML)
    assert doc.doc_id == "SAMPLE001" and doc.dct == "2001-03-05" and doc.published == "2001-03-05"
    assert "&" in doc.text and "<EVENT" not in doc.text
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("on Friday", "DATE", "2001-03-02"), ("two weeks", "DURATION", "P2W")
    ]
    assert all(doc.text[t.start:t.end] == t.text for t in doc.timexes)


def test_read_tempeval3_reports_and_skips_a_broken_file(tmp_path: Path) -> None:
    write(tmp_path / "good.tml", TIMEML)
    write(tmp_path / "bad.tml", "<TimeML><TEXT>unclosed")
    errors: list[rd.ReadError] = []
    docs = list(rd.read_tempeval3(tmp_path, errors))
    assert [d.doc_id for d in docs] == ["SAMPLE001"]
    assert len(errors) == 1 and errors[0].path.endswith("bad.tml")
    with pytest.raises(ET.ParseError):
        list(rd.read_tempeval3(tmp_path / "bad.tml"))


# --------------------------------------------------------------------------- GritTa geo XML

LGL_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <title>t</title>
    <dltime>2010-05-06 10:00:00</dltime>
    <text><![CDATA[Flooding hit Springfield and Lake County on Monday.]]></text>
    <toponyms>
      <toponym><start>13</start><end>24</end><phrase>Springfield</phrase>
        <gaztag geonameid="111"><name>Springfield</name><lat>39.8</lat><lon>-89.6</lon>
          <country geonameid="6252001">United States</country></gaztag></toponym>
      <toponym><start>29</start><end>40</end><phrase>Lake County</phrase></toponym>
    </toponyms>
  </article>
</articles>
"""

GWN_STYLE = """<articles><article file="7"><title>t</title><link>x</link>
<text>Residents of Northtown met officials.</text>
<toponyms>
  <toponym><extractedName>Northtown</extractedName><type>Literal</type><start>13</start><end>22</end>
    <geonamesID>222</geonamesID><latitude>10.5</latitude><longitude>20.25</longitude></toponym>
  <toponym><extractedName>Residents</extractedName><type>Non_Lit_Expression</type><start>0</start><end>9</end></toponym>
  <toponym><extractedName>officials</extractedName><type>Literal</type><start>-40</start><end>-31</end></toponym>
</toponyms></article></articles>
"""

GEOVIRUS_STYLE = """<articles><article><source>x</source>
<text>Cases rose in Eastville and Westport.</text>
<locations>
  <location><name>Eastville</name><start>15</start><end>24</end><lat>1.5</lat><lon>2.5</lon><page>p</page></location>
  <location><name>Westport</name><start>28</start><end>37</end><lat>3</lat><lon>4</lon><page>p</page></location>
</locations></article></articles>
"""


def test_parse_gritta_lgl_style() -> None:
    (doc,) = rd.parse_gritta(LGL_STYLE, "lgl")
    assert doc.published == "2010-05-06"
    first, second = doc.toponyms
    assert (first.geonames_id, first.lat, first.lon, first.country) == (111, 39.8, -89.6, "United States")
    assert doc.text[second.start:second.end] == "Lake County" and second.lat is None


def test_parse_gritta_gwn_keeps_toponym_types_and_drops_bad_offsets() -> None:
    (doc,) = rd.parse_gritta(GWN_STYLE, "GWN")
    assert [(t.name, t.kind, t.geonames_id) for t in doc.toponyms] == [("Northtown", "Literal", 222)]
    assert doc.dropped == 1  # negative offsets


def test_parse_gritta_geovirus_realigns_off_by_one_offsets() -> None:
    (doc,) = rd.parse_gritta(GEOVIRUS_STYLE, "GeoVirus")
    assert [doc.text[t.start:t.end] for t in doc.toponyms] == ["Eastville", "Westport"]
    assert doc.realigned == 2


def test_read_gritta_interleaves_files(tmp_path: Path) -> None:
    write(tmp_path / "a.xml", LGL_STYLE.replace("</articles>", LGL_STYLE.split("<articles>")[1]))
    write(tmp_path / "b.xml", GEOVIRUS_STYLE)
    assert [d.corpus for d in rd.read_gritta(tmp_path)] == ["a", "b", "a"]


# --------------------------------------------------------------------------- PolNeAR brat

TEXT_A = "The minister said the plan would work.\nCritics doubted it, aides added later."
ANN_A = (
    "T1\tSource 0 12\tThe minister\n"
    "T2\tCue 13 17\tsaid\n"
    "T3\tContent 18 37\tthe plan would work\n"
    "T4\tAttribution 13 17\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tCue 47 54;65 70\tdoubted added\n"
    "T6\tContent 55 57\tit\n"
    "T7\tAttribution 47 54\tdoubted\n"
    "E2\tAttribution-no-source:T7 Content:T6 Cue:T5\n"
    "T8\tDiscuss 0 3\tThe\n"
    "T9\tContent 33 46\twork.\n"
    "Critics\n"
    "E3\tAttribution:T4 Content:T3 Content2:T9 Cue:T2 Source:T1\n"
)


def test_brat_records_join_span_texts_with_newlines() -> None:
    records = rd.brat_records(ANN_A)
    assert "T9\tContent 33 46\twork.\nCritics" in records
    assert not any(r.startswith("Critics") for r in records)


def test_parse_brat_attributions_roles_fragments_and_no_source() -> None:
    first, second, third = rd.parse_brat_attributions(ANN_A)
    assert [TEXT_A[s:e] for s, e in first.source + first.cue + first.content] == ["The minister", "said", "the plan would work"]
    assert second.source == [] and second.cue == [(47, 54), (65, 70)]
    assert third.content == [(18, 37), (33, 46)]  # Content2 is another content fragment


def test_read_polnear_split_folder_first_annotator(tmp_path: Path) -> None:
    split = tmp_path / "dev"
    write(split / "text" / "pub_2016-10-01_sample.txt", TEXT_A)
    write(split / "attributions" / "pub_2016-10-01_sample_aaaa.ann", ANN_A)
    write(split / "attributions" / "pub_2016-10-01_sample_bbbb.ann", "")
    write(split / "attributions" / "pub_2016-10-02_orphan_aaaa.ann", ANN_A)  # no text: reported
    errors: list[rd.ReadError] = []
    docs = list(rd.read_polnear(tmp_path, errors))
    assert [(d.doc_id, d.annotator, d.published, len(d.attributions)) for d in docs] == [
        ("pub_2016-10-01_sample", "aaaa", "2016-10-01", 3)
    ]
    assert len(errors) == 1 and "orphan" in errors[0].path
    (single,) = rd.read_polnear(split / "attributions" / "pub_2016-10-01_sample_aaaa.ann")
    assert single.text == TEXT_A


def test_read_polnear_keeps_carriage_returns_in_offsets(tmp_path: Path) -> None:
    write(tmp_path / "text" / "p_2016-01-01_x.txt", "A\r\nB said hi")
    ann = "T1\tSource 3 4\tB\nT2\tCue 5 9\tsaid\nT3\tContent 10 12\thi\nE1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
    write(tmp_path / "attributions" / "p_2016-01-01_x_abcd.ann", ann)
    (doc,) = rd.read_polnear(tmp_path)
    (a,) = doc.attributions
    assert doc.text[slice(*a.source[0])] == "B" and doc.text[slice(*a.content[0])] == "hi"


# --------------------------------------------------------------------------- factuality CoNLL

CONLL = (
    "0\tRebels\t_\tNNS\t1\tnsubj\trebel\n"
    "1\tmay\t_\tMD\t2\taux\tmay\n"
    "2\tattack\t0.8\tVB\t2\tROOT\tattack\n"
    "3\t.\t_\t.\t2\tpunct\t.\n"
    "\n"
    "0\tTalks\t_\tNNS\t1\tnsubj\ttalk\n"
    "1\tfailed\t-3.0\tVBD\t1\tROOT\tfail\n"
)


def test_parse_factuality_conll() -> None:
    first, second = rd.parse_factuality_conll(CONLL, "toy/dev")
    assert first.text == "Rebels may attack ."
    (p,) = first.predicates
    assert (first.text[p.start:p.end], p.value, p.token) == ("attack", 0.8, 2)
    assert [(second.text[q.start:q.end], q.value) for q in second.predicates] == [("failed", -3.0)]


def test_parse_factuality_conll_rejects_short_rows() -> None:
    with pytest.raises(ValueError):
        rd.parse_factuality_conll("0\tonly\n")


# --------------------------------------------------------------------------- ConfliBERT


def test_parse_conflibert_class_and_ner() -> None:
    rows = rd.parse_conflibert_class("Troops shelled the town.\t4\nThe two sides held talks.\t1\n")
    assert [(r.text, r.label) for r in rows] == [("Troops shelled the town.", 4), ("The two sides held talks.", 1)]
    assert len(rd.parse_conflibert_class("sentence\tlabel\nA b.\t0\n")) == 1  # header skipped
    with pytest.raises(ValueError):
        rd.parse_conflibert_class("A b.\t0\nno label here\n")
    ner = "Army B-S\nunits I-S\nhit O\nrebels B-T\n. O\n\nX B-R\nand I-R\nY I-R\nmet O\n"
    first, second = rd.parse_conflibert_ner(ner)
    assert [first.text[s:e] for s, e in first.sources] == ["Army units"]
    assert [first.text[s:e] for s, e in first.targets] == ["rebels"]
    assert [second.text[s:e] for s, e in second.reciprocal] == ["X and Y"]


def test_read_conflibert_prefers_test_files(tmp_path: Path) -> None:
    write(tmp_path / "cameo_class_train.tsv", "A.\t0\n")
    write(tmp_path / "cameo_class_test.tsv", "B.\t3\n")
    assert [s.text for s in rd.read_conflibert_class(tmp_path)] == ["B."]


# --------------------------------------------------------------------------- CASE 2021


def test_parse_case2021_reads_columns_by_header() -> None:
    data = "id\tEventSnippet\tSubType\n7\tPolice detained ten people.\tARREST\n8\tA \"quoted\" word.\tOTHER\n"
    rows = rd.parse_case2021(data)
    assert [(r.snippet_id, r.text, r.label) for r in rows] == [
        ("7", "Police detained ten people.", "ARREST"), ("8", 'A "quoted" word.', "OTHER")
    ]
    with pytest.raises(ValueError):
        rd.parse_case2021("a\tb\n1\t2\n")


# --------------------------------------------------------------------------- RAMS / WikiEvents

RAMS_RECORD = {
    "doc_key": "toy1",
    "sentences": [["Gunmen", "attacked", "a", "convoy"], ["near", "Northtown", "."]],
    "evt_triggers": [[1, 1, [["conflict.attack.n/a", 1.0]]]],
    "gold_evt_links": [[[1, 1], [0, 0], "evt004arg01attacker"], [[1, 1], [2, 3], "evt004arg02target"],
                       [[1, 1], [5, 5], "evt004arg04place"]],
}

WIKI_RECORD = {
    "doc_id": "toy2",
    "tokens": ["Rebels", "shelled", "Ashby", ".", "Two", "died", "."],
    "text": "Rebels shelled Ashby.Two died.",
    "sentences": [[[["Rebels", 0, 6], ["shelled", 7, 14], ["Ashby", 15, 20], [".", 20, 21]], "Rebels shelled Ashby."],
                  [[["Two", 22, 25], ["died", 26, 30], [".", 30, 31]], "Two died."]],
    "entity_mentions": [{"id": "m1", "start": 0, "end": 1, "text": "Rebels"}, {"id": "m2", "start": 2, "end": 3, "text": "Ashby"},
                        {"id": "m3", "start": 4, "end": 5, "text": "Two"}],
    "relation_mentions": [],
    "event_mentions": [
        {"id": "e1", "event_type": "Conflict.Attack.Unspecified", "trigger": {"start": 1, "end": 2, "text": "shelled"},
         "arguments": [{"entity_id": "m1", "role": "Attacker", "text": "Rebels"},
                       {"entity_id": "m2", "role": "Place", "text": "Ashby"}]},
        {"id": "e2", "event_type": "Life.Die.Unspecified", "trigger": {"start": 5, "end": 6, "text": "died"},
         "arguments": [{"entity_id": "m3", "role": "Victim", "text": "Two"}]},
    ],
}


def test_rams_record() -> None:
    doc = rd.rams_doc(RAMS_RECORD)
    (event,) = doc.events
    assert doc.text[slice(*event.trigger)] == "attacked"
    assert [(a.role, a.text) for a in event.arguments] == [("attacker", "Gunmen"), ("target", "a convoy"), ("place", "Northtown")]
    assert all(doc.text[a.start:a.end] == a.text for a in event.arguments)


def test_wikievents_record_rebuilds_text_from_offsets() -> None:
    doc = rd.wikievents_doc(WIKI_RECORD)
    assert doc.text == "Rebels shelled Ashby.\nTwo died."
    first, second = doc.events
    assert doc.text[slice(*first.trigger)] == "shelled"
    assert [(a.role, a.text) for a in first.arguments] == [("attacker", "Rebels"), ("place", "Ashby")]
    assert [(a.role, doc.text[a.start:a.end]) for a in second.arguments] == [("victim", "Two")]


def test_read_event_args_detects_formats_and_skips_coref_files(tmp_path: Path) -> None:
    write(tmp_path / "rams" / "dev.jsonlines", json.dumps(RAMS_RECORD) + "\n")
    write(tmp_path / "wiki" / "dev.jsonl", json.dumps(WIKI_RECORD) + "\n")
    write(tmp_path / "wiki" / "coref_dev.jsonlines", json.dumps({"doc_key": "toy2", "clusters": []}) + "\n")
    write(tmp_path / "bad" / "dev.jsonl", '{"neither": 1}\n')
    errors: list[rd.ReadError] = []
    docs = list(rd.read_event_args([tmp_path / "rams", tmp_path / "wiki", tmp_path / "bad"], errors))
    assert [d.corpus for d in docs] == ["rams", "wikievents"]
    assert len(errors) == 1 and "bad" in errors[0].path


# --------------------------------------------------------------------------- ECB+

ECB_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Document doc_name="9_1ecb.xml" doc_id="DOC1">
<token t_id="1" sentence="0" number="0">http://example</token>
<token t_id="2" sentence="1" number="0">Police</token>
<token t_id="3" sentence="1" number="1">arrested</token>
<token t_id="4" sentence="1" number="2">a</token>
<token t_id="5" sentence="1" number="3">man</token>
<token t_id="6" sentence="2" number="0">The</token>
<token t_id="7" sentence="2" number="1">arrest</token>
<token t_id="8" sentence="2" number="2">followed</token>
<token t_id="9" sentence="2" number="3">a</token>
<token t_id="10" sentence="2" number="4">raid</token>
<Markables>
<ACTION_OCCURRENCE m_id="11"><token_anchor t_id="3"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="12"><token_anchor t_id="7"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="13"><token_anchor t_id="10"/></ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="14"><token_anchor t_id="5"/></HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="20" RELATED_TO="" TAG_DESCRIPTOR="t9_arrest" instance_id="ACT900"/>
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT900"><source m_id="11"/><source m_id="12"/><target m_id="20"/></CROSS_DOC_COREF>
</Relations>
</Document>
"""


def test_parse_ecb_xml_mentions_and_clusters() -> None:
    doc = rd.parse_ecb_xml(ECB_XML, "9_1ecb.xml", keep={1, 2})
    assert doc.doc_id == "9_1ecb" and doc.topic == "9" and doc.sentences == [1, 2]
    assert doc.text == "Police arrested a man\nThe arrest followed a raid"
    assert [(m.text, m.cluster) for m in doc.mentions] == [
        ("arrested", "ACT900"), ("arrest", "ACT900"), ("raid", "9_1ecb#13")
    ]
    only_first = rd.parse_ecb_xml(ECB_XML, "9_1ecb.xml", keep={1})
    assert [m.text for m in only_first.mentions] == ["arrested"]


def test_read_ecbplus_uses_the_sentence_table(tmp_path: Path) -> None:
    write(tmp_path / "ECB+" / "9" / "9_1ecb.xml", ECB_XML)
    write(tmp_path / "ECB+" / "9" / "9_2ecb.xml", ECB_XML.replace("9_1ecb", "9_2ecb"))
    write(tmp_path / rd.ECB_SENTENCES_CSV, "Topic,File,Sentence Number\n9,1ecb,2\n")
    (doc,) = rd.read_ecbplus(tmp_path)  # 9_2ecb has no listed sentence: left out
    assert doc.sentences == [2] and [m.text for m in doc.mentions] == ["arrest", "raid"]
    assert len(list(rd.read_ecbplus(tmp_path, annotated_only=False))) == 2


# --------------------------------------------------------------------------- the real sets


def test_real_tempeval3_file() -> None:
    folder = shared("time/tempeval3/TBAQ-cleaned")
    first = sorted(folder.rglob("*.tml"))[0]
    (doc,) = rd.read_tempeval3(first)
    assert doc.published and doc.timexes
    assert all(doc.text[t.start:t.end] == t.text for t in doc.timexes)


def test_real_gritta_offsets_line_up() -> None:
    folder = shared("geo/gritta_geoparsing")
    errors: list[rd.ReadError] = []
    docs = list(rd.read_gritta(folder, errors))
    assert not errors and {d.corpus for d in docs} >= {"lgl"}
    assert all(d.text[t.start:t.end] == t.name for d in docs[:60] for t in d.toponyms)


def test_real_polnear_dev_article() -> None:
    folder = shared("attribution/polnear/data/dev")
    doc = next(rd.read_polnear(folder))
    assert doc.published and doc.attributions
    assert all(e <= len(doc.text) for a in doc.attributions for s, e in a.source + a.cue + a.content)


def test_real_factuality_dev() -> None:
    folder = shared("factuality")
    sentences = list(rd.read_factuality(folder))
    assert {s.corpus.split("/")[1] for s in sentences} == {"dev"}  # the dev split is preferred
    assert all(-3 <= p.value <= 3 for s in sentences for p in s.predicates)


def test_real_conflibert_and_case() -> None:
    folder = shared("events/conflibert-cameo")
    assert {s.label for s in rd.read_conflibert_class(folder)} == {0, 1, 2, 3, 4}
    assert any(s.sources for s in rd.read_conflibert_ner(folder))
    snippets = list(rd.read_case2021(shared("events/case2021-task2")))
    assert snippets and all(s.label for s in snippets)


def test_real_rams_and_wikievents() -> None:
    docs = list(rd.read_event_args([shared("events/rams-devtest"), shared("events/wikievents-devtest")]))
    assert {d.corpus for d in docs} == {"rams", "wikievents"}
    for doc in docs[:50]:
        for event in doc.events:
            assert all(doc.text[a.start:a.end] == a.text for a in event.arguments if doc.corpus == "rams")


def test_real_ecbplus_topic() -> None:
    folder = shared("crossdoc/ecbplus")
    docs = list(rd.read_ecbplus(next(p for p in (folder / "ECB+").iterdir() if p.name == "1")))
    assert docs and all(m.text for d in docs for m in d.mentions)
