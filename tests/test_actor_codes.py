"""Actor coding at dictionary scale (issue 13): CAMEO-style codes, the Phoenix / PETRARCH-2 lexicons,
dated roles, nationality agents, roles in context, IGOs, discards, exports and the events-codes task.

Every sentence here was written for these tests, in the shapes newswire event coders see.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, SHARED, require_shared

from newstrace.actor_codes import actor_code, parse_code, record_code, record_code_sql
from newstrace.actors import ActorFinder
from newstrace.actors.phoenix import ACTOR_FILES, load_phoenix
from newstrace.evaluation import run_task
from newstrace.evaluation.actor_codes import parse_petrarch_validation
from newstrace.model import Actor
from newstrace.queries import GDELT_COLUMNS, export, gdelt_row, plover_record
from newstrace.store import STORE_VERSION, Store
from newstrace.web.data import RequestStore
from newstrace.web.listing import actor_code_sql

SAMPLE = REPO / "tests" / "data" / "actor_codes_sample.xml"
PHOENIX = SHARED / "lexicons" / "phoenix"
COUNTRIES = {"USA", "KGZ", "PSE", "POL"}


def _actors(analysis, **where):
    return [a for a in analysis.actors if all(getattr(a, k) == v for k, v in where.items())]


def _one(analysis, **where):
    found = _actors(analysis, **where)
    assert found, f"no actor with {where} in {[(a.name, a.country, a.sector, a.code) for a in analysis.actors]}"
    return found[0]


# --- codes -----------------------------------------------------------------------------------------


def test_codes_read_and_write_cameo_shapes():
    assert parse_code("KGZGOVBUS", COUNTRIES) == ("KGZ", "GOV")
    assert parse_code("IGOUNOKID", COUNTRIES) == ("UNO", "IGO")
    assert parse_code("IGOMEAARL", COUNTRIES) == ("IGO", "IGO")
    assert parse_code("---LEG", COUNTRIES) == (None, "LEG")
    assert parse_code("PSEREBHMS", COUNTRIES) == ("PSE", "REB")
    assert parse_code("---", COUNTRIES) == (None, None)
    assert actor_code("USA", "GOV") == "USAGOV"
    assert actor_code("UNO", "IGO") == "IGOUNO"
    assert actor_code(None, "LEG") == "---LEG"
    assert actor_code(None, None) is None
    assert record_code("RUS", "GOV", "state") == "RUS"  # a state named by its name: bare country, as CAMEO


def test_actor_records_get_a_code_when_none_is_given():
    assert Actor(id="A1", name="Kenyan teachers", country="KEN", sector="EDU", kind="group").code == "KENEDU"
    assert Actor(id="A2", name="Russia", country="RUS", sector="GOV", kind="state").code == "RUS"
    assert Actor(id="A3", name="x", kind="group", code="IGOMEAARL").code == "IGOMEAARL"


# --- agents and nationality words --------------------------------------------------------------------


def test_coordinated_nationalities_give_one_actor_per_country(pipeline):
    a = pipeline.analyze("Senior Hungarian and Slovak officials agreed on Monday to reopen the border crossing.",
                         published="2011-05-02")
    hun, svk = _one(a, country="HUN"), _one(a, country="SVK")
    assert (hun.sector, hun.code, svk.sector, svk.code) == ("GOV", "HUNGOV", "GOV", "SVKGOV")
    agree = next(e for e in a.events if e.type == "AGREE")
    # they agree with each other: one side is the source, the other the target
    assert {agree.source[0], *agree.target} == {hun.id, svk.id} and len(agree.source) == 1


def test_two_nationalities_of_negotiators_meet(pipeline):
    a = pipeline.analyze("Iranian and Iraqi negotiators met in Basra on Sunday.", published="2012-02-05")
    meeting = next(e for e in a.events if e.type == "CONSULT")
    sides = ([a.actor(i).country for i in meeting.source], [a.actor(i).country for i in meeting.target])
    assert sides == (["IRN"], ["IRQ"])  # they meet each other


def test_nationality_and_agent_give_country_and_sector(pipeline):
    a = pipeline.analyze("Israeli police detained two Palestinian students outside the school.", published="2012-02-02")
    assert _one(a, country="ISR").sector == "COP"
    students = _one(a, country="PSE")
    assert students.sector == "EDU" and students.code == "PSEEDU"


def test_bodys_ministers_send_aid_to_a_country(pipeline):
    a = pipeline.analyze("European Union foreign ministers agreed on Monday to send 30 million euros of aid to Armenia.",
                         published="2010-05-03")
    # the aid is its own event, or the content of the agreement to send it (issue 14: one act, one event)
    aid = next(e for e in a.events if e.type == "AID" or any(m.type == "AID" for m in e.mentions))
    assert [a.actor(i).country for i in aid.source] == ["EUR"]
    assert [(a.actor(i).country, a.actor(i).code) for i in aid.target] == [("ARM", "ARM")]


def test_rebel_modifier_makes_commanders_rebels(pipeline):
    a = pipeline.analyze("Somali rebel commanders said they would attack the port.", published="2012-02-02")
    commanders = _one(a, country="SOM")
    assert (commanders.sector, commanders.code) == ("REB", "SOMREB")


def test_unknown_court_and_union_take_country_and_sector_from_their_names(pipeline):
    a = pipeline.analyze("The Latvian Supreme Court struck down the new language law on Thursday.",
                         published="2012-02-02")
    court = _one(a, country="LVA")
    assert (court.sector, court.code) == ("JUD", "LVAJUD")
    a = pipeline.analyze("The Ghanaian Union of Teachers called off a national strike.", published="2012-02-02")
    union = _one(a, country="GHA")
    assert union.sector == "EDU"


# --- dated roles -------------------------------------------------------------------------------------


def test_dated_role_resolves_against_the_article_date(pipeline):
    text = "Kurmanbek Bakiyev met the regional governor on Tuesday."
    before = _one(pipeline.analyze(text, published="1995-04-18"), country="KGZ")
    during = _one(pipeline.analyze(text, published="2006-04-18"), country="KGZ")
    assert (before.sector, before.code) == ("ELI", "KGZELI")
    assert (during.sector, during.code) == ("GOV", "KGZGOV")


def test_title_in_the_text_beats_a_records_fallback_code(pipeline):
    # No dated role of this record covers mid-2003; the title in the sentence says what he is.
    a = pipeline.analyze("President Kurmanbek Bakiyev met the regional governor on Tuesday.", published="2003-06-10")
    assert _one(a, country="KGZ").sector == "GOV"


# --- roles in context ------------------------------------------------------------------------------


def test_president_of_country_and_later_surname(pipeline):
    a = pipeline.analyze("President Jan Kowalczyk of Poland criticised the plan. Kowalczyk said it was unfair.",
                         published="2012-02-02")
    person = _one(a, kind="person", country="POL")
    assert person.sector == "GOV" and person.code == "POLGOV"
    assert [m.text for m in person.mentions] == ["Jan Kowalczyk", "Kowalczyk"]


def test_countrys_president_and_nationality_title(pipeline):
    a = pipeline.analyze("Estonia's President Mart Tamm praised the deal. Kyrgyz President Almaz Tokoev did not.",
                         published="2012-02-02")
    assert (_one(a, name="Mart Tamm").country, _one(a, name="Mart Tamm").sector) == ("EST", "GOV")
    assert (_one(a, name="Almaz Tokoev").country, _one(a, name="Almaz Tokoev").sector) == ("KGZ", "GOV")


def test_appositive_role_joins_the_person_and_the_surname_inherits(pipeline):
    a = pipeline.analyze("Karl Berger, the Austrian foreign minister, said Vienna would help. "
                         "Berger later met Italian diplomats.", published="2012-02-02")
    berger = _one(a, name="Karl Berger")
    assert (berger.country, berger.sector, berger.code) == ("AUT", "GOV", "AUTGOV")
    assert [m.text for m in berger.mentions] == ["Karl Berger", "the Austrian foreign minister", "Berger"]
    assert not [x for x in a.actors if x.country == "USA"]  # not the dictionary's other Berger


def test_countrys_body_is_that_countrys(pipeline):
    a = pipeline.analyze("Lawmakers in Rwanda's Senate rejected the bill on Monday.", published="2015-06-09")
    assert not _actors(a, country="USA")


# --- IGOs, NGOs, armed groups ----------------------------------------------------------------------


def test_igo_codes(pipeline):
    a = pipeline.analyze("The Arab League and ECOWAS condemned the coup, and the UN called for calm.",
                         published="2012-02-02")
    league = _one(a, name="Arab League")
    assert (league.sector, league.code) == ("IGO", "IGOMEAARL")
    assert _one(a, name="United Nations").code == "IGOUNO"
    assert _one(a, country="IGO", name="Economic Community of West African States").code.startswith("IGO")


def test_official_titled_by_a_body_takes_its_code(pipeline):
    a = pipeline.analyze("Arab League Secretary General Omar Haddad began a mediation mission between Sudan and Chad.",
                         published="2012-02-02")
    official = _one(a, name="Omar Haddad")
    assert (official.country, official.code) == ("IGO", "IGOMEAARL")


def test_phoenix_armed_group_is_a_rebel_group(pipeline):
    a = pipeline.analyze("The Anarchist Street Patrol claimed the arson attack in Athens.", published="2012-02-02")
    group = _one(a, country="GRC")
    assert (group.sector, group.kind) == ("REB", "group")


# --- discards and the switch -------------------------------------------------------------------------


def test_discarded_phrases_are_not_actors(pipeline):
    doc = pipeline.nlp("Manchester United signed a new striker on Monday.")
    names = [a.name for a in pipeline.actors.find(doc, "2012-02-02")]
    assert "Manchester United" not in names
    plain = ActorFinder(pipeline.nlp, pipeline.lexicons, phoenix=False)
    assert "Manchester United" in [a.name for a in plain.find(doc, "2012-02-02")]


def test_phoenix_switch_turns_the_imported_dictionaries_off(pipeline):
    doc = pipeline.nlp("Kurmanbek Bakiyev met the regional governor on Tuesday.")
    plain = ActorFinder(pipeline.nlp, pipeline.lexicons, phoenix=False)
    assert plain.phoenix is None
    person = next(a for a in plain.find(doc, "2006-04-18") if "Bakiyev" in a.name)
    assert person.country is None
    assert pipeline.actors.phoenix is not None


# --- exports -----------------------------------------------------------------------------------------


def test_exports_fill_actor_codes():
    actors = {("d1", "A1"): {"name": "Hungarian officials", "country": "HUN", "sector": "GOV", "kind": "group",
                             "wikidata": None},
              ("d1", "A2"): {"name": "Slovakia", "country": "SVK", "sector": "GOV", "kind": "state",
                             "wikidata": None, "code": "SVK"}}
    event = {"doc_id": "d1", "event_id": "E1", "type": "AGREE", "mode": None, "context": [], "date": None,
             "published": None, "source": ["A1"], "target": ["A2"], "place_name": None, "place_country": None,
             "lat": None, "lon": None, "trigger_text": "agreed", "status": "asserted", "confidence": 0.9,
             "url": None, "outlet": None, "trigger_start": 0, "trigger_end": 6, "sent_start": 0, "sent_end": 10,
             "day": None}
    record = plover_record(event, actors)
    assert [x["code"] for x in record["actor"]] == ["HUNGOV"]
    assert [x["code"] for x in record["recipient"]] == ["SVK"]
    row = dict(zip(GDELT_COLUMNS, gdelt_row(event, actors), strict=True))
    assert (row["Actor1Code"], row["Actor2Code"]) == ("HUNGOV", "SVK")


# --- lexicon files and the importer --------------------------------------------------------------------


def test_generated_lexicons_keep_the_mit_notice_and_load():
    data = REPO / "newstrace" / "data"
    for name in (*ACTOR_FILES, "phoenix_agents.tsv", "phoenix_discards.tsv"):
        head = (data / name).read_text(encoding="utf-8")[:3000]
        assert "GENERATED by scripts/import_phoenix.py" in head and "Copyright (c) 2014 Open Event Data" in head
        assert (data / name).stat().st_size < 2_000_000
    lexicon = load_phoenix()
    assert len(lexicon.records) > 20_000 and len(lexicon.agents) > 2_000 and len(lexicon.discards) > 300


def test_importer_reproduces_the_committed_files(tmp_path):
    require_shared(PHOENIX / "Phoenix.Countries.actors.txt")
    subprocess.run([sys.executable, str(REPO / "scripts" / "import_phoenix.py"), "--source", str(PHOENIX),
                    "--out", str(tmp_path)], check=True, capture_output=True, cwd=REPO)
    for name in (*ACTOR_FILES, "phoenix_agents.tsv", "phoenix_discards.tsv"):
        assert (tmp_path / name).read_bytes() == (REPO / "newstrace" / "data" / name).read_bytes(), name


def test_importer_reads_the_dictionary_format(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    import import_phoenix

    source = tmp_path / "phoenix"
    source.mkdir()
    (source / "Phoenix.Countries.actors.txt").write_text(
        "# test\nRURITANIA_  [RUR]\n+RURITANIAN_\n\nANNA_KOVACS_  # note\n+A._KOVACS\n"
        "\t[RURELI 800101-051231]\n\t[RURGOV >060101]\n", encoding="utf-8")
    (source / "Phoenix.International.actors.txt").write_text("GRAND_COUNCIL_OF_TESTS_ [IGOTST]\n", encoding="utf-8")
    (source / "Phoenix.MilNonState.actors.txt").write_text("RED_TEST_BRIGADE_ [RURREB]\n21_JUNE [RURREB]\n",
                                                          encoding="utf-8")
    (source / "Phoenix.agents.txt").write_text("!PERSON! = MAN, WOMAN\nTEST_INSPECTOR [~COP]\nPOLICE!PERSON! [~COP]\n"
                                               "JURY {} [~JUD]\n", encoding="utf-8")
    (source / "Phoenix.discards.txt").write_text("+TEST CUP # sport\nGRAND FINAL\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    import_phoenix.build(source, out)
    countries = (out / "phoenix_countries.tsv").read_text(encoding="utf-8")
    assert "Anna Kovacs\ta. kovacs|anna kovacs\t\tRURELI@1980-01-01@2005-12-31|RURGOV@2006-01-01@\tC" in countries
    groups = (out / "phoenix_international.tsv").read_text(encoding="utf-8")
    assert "red test brigade" in groups and "21 june" not in groups  # a date is not a group name
    agents = (out / "phoenix_agents.tsv").read_text(encoding="utf-8")
    for row in ("test inspector\t~COP\tsg", "test inspectors\t~COP\tpl", "policeman\t~COP\tsg", "jury\t~JUD\tsg"):
        assert row in agents
    assert "juries" not in agents  # {} nulls the plural
    discards = (out / "phoenix_discards.tsv").read_text(encoding="utf-8")
    assert "test cup\tstory" in discards and "grand final\tsentence" in discards


# --- the events-codes task ---------------------------------------------------------------------------


def test_validation_reader_keeps_codes_and_dates():
    sentences = parse_petrarch_validation(SAMPLE.read_text(encoding="utf-8"))
    first = sentences[0]
    assert first.date == "2011-05-02" and [(c.source, c.target) for c in first.codings] == [("HUNGOV", "---"),
                                                                                           ("SVKGOV", "---")]
    assert first.text.startswith("Senior Hungarian") and "\n" not in first.text
    assert sentences[-1].codings == []  # noevents


def test_events_codes_on_written_sentences_meets_its_floor(pipeline, capsys):
    result = run_task("events-codes", [SAMPLE], None, pipeline)
    assert result.n_docs == 8, result.errors
    ours, plain = result.metrics, result.peers["no-phoenix"]
    with capsys.disabled():
        print(f"\n[eval floor] events-codes on {result.n_docs} written sentences: "
              f"source {ours['source_country_accuracy']} (no Phoenix {plain['source_country_accuracy']}), "
              f"target {ours['target_country_accuracy']}, code {ours['code_accuracy']}, sector {ours['sector_accuracy']}")
    assert ours["source_country_accuracy"] >= 0.75
    assert ours["target_country_accuracy"] >= 0.70
    assert ours["code_accuracy"] >= 0.70
    assert ours["code_accuracy"] > plain["code_accuracy"]


@pytest.mark.parametrize("limit", [20])
def test_events_codes_on_the_validation_records(pipeline, limit, capsys):
    path = require_shared(SHARED / "eval" / "events" / "petrarch2-gsr-validation")
    result = run_task("events-codes", [Path(path)], limit, pipeline)
    assert result.n_docs > 0 and "no-phoenix" in result.peers
    with capsys.disabled():
        print(f"\n[eval floor] events-codes on {result.n_docs} validation sentences: "
              f"source {result.metrics['source_country_accuracy']}, code {result.metrics['code_accuracy']}")
    assert result.metrics["source_country_accuracy"] >= 0.5


# --- the store's actor codes ---------------------------------------------------------------------------


STORED = ("The Pakistani Taliban claimed responsibility for a suicide bombing in Peshawar on Monday. "
          "Senior Hungarian and Slovak officials agreed on Tuesday to reopen the border crossing.")


def _stored_codes(store: Store) -> dict[str, str | None]:
    return dict(store.con.execute("SELECT name || '/' || actor_id, code FROM actors").fetchall())


def test_the_store_keeps_each_actors_code_and_the_exports_use_it(pipeline, tmp_path: Path):
    a = pipeline.analyze(STORED, published="2012-03-05")
    db = tmp_path / "codes.duckdb"
    with Store(db) as store:
        store.write_batch([("doc", a, {})], [])
        codes = _stored_codes(store)
        assert codes == {f"{x.name}/{x.id}": x.code for x in a.actors}
        assert "PAKREB" in codes.values() and "HUNGOV" in codes.values()
        # a code no country + sector gives (a group's own code) must reach the exports as stored
        store.con.execute("UPDATE actors SET code = 'PAKREBTTP' WHERE code = 'PAKREB'")
        plover, gdelt = tmp_path / "events.jsonl", tmp_path / "events.tsv"
        export(store, "plover", plover)
        export(store, "gdelt", gdelt)
        web_codes = RequestStore(store.con.cursor()).query(
            f"SELECT {actor_code_sql(RequestStore(store.con.cursor()))} FROM actors a")[1]
    records = [json.loads(line) for line in plover.read_text().splitlines()]
    assert "PAKREBTTP" in [x["code"] for r in records for x in r["actor"]]
    rows = list(csv.DictReader(gdelt.open(), delimiter="\t"))
    assert "PAKREBTTP" in {r["Actor1Code"] for r in rows}
    assert "PAKREBTTP" in {r[0] for r in web_codes}


def test_a_version_3_store_gains_actor_codes(pipeline, tmp_path: Path):
    a = pipeline.analyze(STORED, published="2012-03-05")
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        store.write_batch([("doc", a, {})], [])
        expected = {k: record_code(*v) for k, v in (
            (r[0], r[1:]) for r in store.con.execute(
                "SELECT name || '/' || actor_id, country, sector, kind FROM actors").fetchall())}
        store.con.execute("ALTER TABLE actors DROP COLUMN code")  # what version 3 wrote
        store.con.execute("UPDATE meta SET value = '3' WHERE key = 'store_version'")
    with Store(db, read_only=True) as store:  # read as it is: the code is derived from country and sector
        old = dict(RequestStore(store.con.cursor()).query(
            f"SELECT name || '/' || actor_id, {actor_code_sql(RequestStore(store.con.cursor()))} FROM actors a")[1])
    assert old == expected
    with Store(db) as store:  # opened for writing: migrated, the column filled the same way
        assert store.version() == STORE_VERSION == 4
        assert _stored_codes(store) == expected
    assert {"PAKREB", "HUNGOV", "SVKGOV"} <= set(expected.values())


@pytest.mark.parametrize("country,sector,kind", [
    ("USA", "GOV", "person"), ("RUS", "GOV", "state"), ("UNO", "IGO", "organization"), ("EUR", "GOV", "group"),
    ("IMG", "REB", "group"), (None, "LEG", "group"), (None, None, "person"), ("NGO", "NGO", "organization"),
    (None, "GOV", "state"), ("KEN", None, "group")])
def test_the_stores_derived_code_matches_the_pipelines(country, sector, kind):
    con = duckdb.connect()
    con.execute("CREATE TABLE actors (country VARCHAR, sector VARCHAR, kind VARCHAR)")
    con.execute("INSERT INTO actors VALUES (?, ?, ?)", [country, sector, kind])
    assert con.execute(f"SELECT {record_code_sql('a')} FROM actors a").fetchone()[0] == record_code(country, sector, kind)


# --- event arguments: who acts on whom -------------------------------------------------------------------


def _event(analysis, kind: str):
    found = [e for e in analysis.events if e.type == kind]
    assert found, f"no {kind} in {[(e.type, e.trigger.text) for e in analysis.events]}"
    return found[0]


def _countries(analysis, ids: list[str]) -> list[str | None]:
    return [analysis.actor(i).country for i in ids]


def test_a_list_of_states_that_meet_act_on_each_other(pipeline):
    a = pipeline.analyze("Germany, France, and Italy met in Rome on Friday.", published="2012-03-05")
    meeting = _event(a, "CONSULT")
    assert (_countries(a, meeting.source), _countries(a, meeting.target)) == (["DEU"], ["FRA", "ITA"])


def test_two_leaders_whose_names_the_parser_splits_both_meet(pipeline):
    a = pipeline.analyze("Angela Merkel and Nicolas Sarkozy will meet in Brussels to discuss the debt crisis.",
                         published="2011-03-05")
    meeting = next(e for e in a.events if e.trigger.text == "meet")
    assert (_countries(a, meeting.source), _countries(a, meeting.target)) == (["DEU"], ["FRA"])


def test_an_attack_with_coordinated_attackers_is_not_split(pipeline):
    a = pipeline.analyze("Britain and the United States bombed rebel positions on Monday.", published="2012-03-05")
    raid = _event(a, "ASSAULT")
    assert {"GBR", "USA"} <= set(_countries(a, raid.source))


def test_an_agreement_with_a_party_names_it_as_the_target(pipeline):
    a = pipeline.analyze("Georgia ratified a trade agreement with the European Union on Friday.", published="2014-07-18")
    ratified = next(e for e in a.events if e.trigger.text == "ratified")
    assert (_countries(a, ratified.source), _countries(a, ratified.target)) == (["GEO"], ["EUR"])


def test_the_object_of_engaged_in_a_battle_is_the_other_side(pipeline):
    a = pipeline.analyze("Somali militants engaged Kenyan soldiers in a gun battle near the border.",
                         published="2012-03-05")
    battle = _event(a, "ASSAULT")
    assert (_countries(a, battle.source), _countries(a, battle.target)) == (["SOM"], ["KEN"])


def test_the_subject_of_an_alleged_clause_is_accused(pipeline):
    a = pipeline.analyze("A UN report alleged that Eritrea had armed the insurgents.", published="2012-03-05")
    accusation = _event(a, "ACCUSE")
    assert _countries(a, accusation.target) == ["ERI"]


def test_who_claims_responsibility_for_an_attack_did_it(pipeline):
    a = pipeline.analyze("The Pakistani Taliban claimed responsibility for a suicide bombing in Peshawar.",
                         published="2012-03-05")
    bombing = _event(a, "ASSAULT")
    assert [a.actor(i).code for i in bombing.source] == ["PAKREB"]


def test_a_place_the_act_is_done_in_stands_for_its_country(pipeline):
    a = pipeline.analyze("Chinese warships conducted naval drills in Alaska.", published="2012-03-05")
    drills = _event(a, "MOBILIZE")
    assert (_countries(a, drills.source), _countries(a, drills.target)) == (["CHN"], ["USA"])


def test_warrants_for_people_make_them_the_target(pipeline):
    a = pipeline.analyze("A court in Kenya issued arrest warrants for three Ugandan businessmen.",
                         published="2012-03-05")
    warrants = next(e for e in a.events if "warrants" in e.trigger.text)
    assert (_countries(a, warrants.source), _countries(a, warrants.target)) == (["KEN"], ["UGA"])


def test_a_discarded_name_does_not_come_back_as_a_described_participant(pipeline):
    a = pipeline.analyze("Manchester United signed a new striker on Monday.", published="2012-03-05")
    assert "Manchester United" not in [x.name for x in a.actors]
    fans = pipeline.analyze("Riot police dispersed Manchester United supporters after the match.",
                            published="2012-03-05")
    assert any("supporters" in x.name for x in fans.actors)  # the people of a discarded name still are


def test_a_passive_attack_fired_from_a_country_has_it_as_source(pipeline):
    a = pipeline.analyze("Two mortar shells were fired at Turkish border posts from Syrian territory on Friday.",
                         published="2012-10-05")
    shelling = _event(a, "ASSAULT")
    assert (_countries(a, shelling.source), _countries(a, shelling.target)) == (["SYR"], ["TUR"])


def test_a_passive_nominal_attack_takes_its_agent_and_aim(pipeline):
    a = pipeline.analyze("An offensive was launched against the rebels by Chadian troops.", published="2012-10-05")
    offensive = _event(a, "ASSAULT")
    assert [a.actor(i).code for i in offensive.source] == ["TCDMIL"]
    assert [a.actor(i).sector for i in offensive.target] == ["REB"]


def test_a_passive_killing_in_a_nations_shelling_has_that_nation_as_source(pipeline):
    a = pipeline.analyze("Three fishermen were killed in Israeli tank shelling near the border on Friday.",
                         published="2012-10-05")
    shelling = _event(a, "ASSAULT")
    assert _countries(a, shelling.source) == ["ISR"]


def test_an_attack_aimed_at_it_in_a_reported_clause_is_aimed_at_the_reporter(pipeline):
    a = pipeline.analyze("Turkey said a mortar shell was fired at it from Syrian territory on Friday.",
                         published="2012-10-05")
    shelling = _event(a, "ASSAULT")
    assert (_countries(a, shelling.source), _countries(a, shelling.target)) == (["SYR"], ["TUR"])


def test_a_one_word_discard_inside_a_persons_name_is_the_name(pipeline):
    a = pipeline.analyze("Judge Helen Bowler ordered the suspect held until trial.", published="2014-06-04")
    ordered = next(e for e in a.events if e.trigger.text == "ordered")
    assert [a.actor(i).name for i in ordered.source] == ["Helen Bowler"]
    plain = pipeline.analyze("The bowler was banned for two matches after the final.", published="2014-06-04")
    assert "bowler" not in [x.name.lower() for x in plain.actors]


def test_parties_holding_talks_talk_with_each_other(pipeline):
    a = pipeline.analyze("Chile and Peru held talks on the fisheries dispute on Monday.", published="2014-06-04")
    talks = _event(a, "CONSULT")
    assert (_countries(a, talks.source), _countries(a, talks.target)) == (["CHL"], ["PER"])


def test_what_an_act_is_on_placed_in_a_country_makes_that_country_the_target(pipeline):
    a = pipeline.analyze("Gunmen carried out an attack on a market in Baghdad.", published="2014-06-04")
    assert _countries(a, _event(a, "ASSAULT").target) == ["IRQ"]
    a = pipeline.analyze("Merkel is scheduled to attend a summit on the crisis in Yemen.", published="2014-06-04")
    summit = next(e for e in a.events if e.trigger.text == "summit")
    assert (_countries(a, summit.source), _countries(a, summit.target)) == (["DEU"], ["YEM"])


def test_the_state_a_retreat_leaves_is_its_target(pipeline):
    a = pipeline.analyze("Hundreds of Ethiopian troops withdrew from Somalia on Monday.", published="2009-01-12")
    retreat = _event(a, "RETREAT")
    assert (_countries(a, retreat.source), _countries(a, retreat.target)) == (["ETH"], ["SOM"])


# --- CAMEO verb phrases and who speaks for a document (i13c) ----------------------------------------------


def test_helping_a_people_is_aid_and_helping_someone_do_something_is_not(pipeline):
    a = pipeline.analyze("Norway helped the Afghan refugees on Monday.", published="2012-03-05")
    aid = _event(a, "AID")
    assert (_countries(a, aid.source), _countries(a, aid.target)) == (["NOR"], ["AFG"])
    a = pipeline.analyze("Norway helped the army fight the rebels.", published="2012-03-05")
    assert not [e for e in a.events if e.trigger.text == "helped"]


def test_attending_a_summit_named_after_a_city_visits_that_country(pipeline):
    a = pipeline.analyze("The Chilean president prepared to attend the Geneva summit.", published="2012-03-05")
    summit = _event(a, "CONSULT")  # the summit attended is the event, its attender the source
    assert (summit.trigger.text, _countries(a, summit.source), _countries(a, summit.target)) == (
        "summit", ["CHL"], ["CHE"])
    a = pipeline.analyze("The Chilean president prepared to attend the Tokyo Olympics.", published="2012-03-05")
    visit = next(e for e in a.events if e.trigger.text == "attend")
    assert (visit.mode, _countries(a, visit.source), _countries(a, visit.target)) == ("visit", ["CHL"], ["JPN"])
    a = pipeline.analyze("Thousands attended the funeral of the slain journalist in Ankara.", published="2012-03-05")
    assert not a.events  # a funeral attended is no visit


def test_receiving_envoys_hosts_a_visit_and_receiving_assurances_is_an_agreement_from_the_giver(pipeline):
    a = pipeline.analyze("Kenyan protesters received ministers from the Ugandan government.", published="2012-03-05")
    visit = _event(a, "CONSULT")
    assert (visit.mode, _countries(a, visit.source), _countries(a, visit.target)) == ("visit", ["KEN"], ["UGA"])
    a = pipeline.analyze("Estonian farmers received assurances from the Latvian government.", published="2012-03-05")
    assurance = _event(a, "AGREE")
    assert (_countries(a, assurance.source), _countries(a, assurance.target)) == (["LVA"], ["EST"])


def test_refusing_to_give_permission_is_a_rejection_of_the_one_asking(pipeline):
    a = pipeline.analyze("Merkel said she would not give permission to Turkey to buy the tanks.",
                         published="2014-06-04")
    refusal = _event(a, "REJECT")
    assert (_countries(a, refusal.source), _countries(a, refusal.target)) == (["DEU"], ["TUR"])


def test_a_travel_warning_reduces_relations_and_an_office_belongs_to_the_state_naming_it(pipeline):
    a = pipeline.analyze("The US State department advised against travel to Mali.", published="2014-06-04")
    warning = _event(a, "SANCTION")
    assert (_countries(a, warning.source), _countries(a, warning.target)) == (["USA"], ["MLI"])


def test_a_document_speaks_for_its_author_or_the_country_it_was_released_in(pipeline):
    a = pipeline.analyze("A report published Monday in the Kenyan capital alleged that Uganda had armed the militia.",
                         published="2012-03-05")
    accusation = _event(a, "ACCUSE")
    assert (_countries(a, accusation.source), _countries(a, accusation.target)) == (["KEN"], ["UGA"])
    a = pipeline.analyze("A report by Amnesty International alleged that Uganda had armed the militia.",
                         published="2012-03-05")
    assert [a.actor(i).sector for i in _event(a, "ACCUSE").source] == ["NGO"]


def test_a_participle_describing_the_subject_is_background_to_the_main_act(pipeline):
    for text, leader in (("The journalists jailed for insulting Ankara were freed on Monday by Erdogan himself.", "TUR"),
                         ("The activists imprisoned for protesting against Beijing were released yesterday by Xi himself",
                          "CHN")):
        a = pipeline.analyze(text, published="2016-06-04")
        assert not [e for e in a.events if e.type == "COERCE"], text
        assert _countries(a, _event(a, "RETREAT").source) == [leader]


def test_reexamining_is_an_investigation(pipeline):
    a = pipeline.analyze("The German inspectors want to re-examine the reactors in Syria.", published="2012-03-05")
    inquiry = _event(a, "ACCUSE")
    assert (inquiry.mode, _countries(a, inquiry.source), _countries(a, inquiry.target)) == ("investigate", ["DEU"], ["SYR"])


def test_people_killed_in_an_accident_or_disaster_were_not_attacked(pipeline):
    for text in ("Police said twelve pilgrims were killed in a bus crash near Mecca.",
                 "Rescuers are searching for the victims killed by the earthquake in Nepal."):
        a = pipeline.analyze(text, published="2015-05-04")
        assert not [e for e in a.events if e.type == "ASSAULT"], text
    a = pipeline.analyze("Three soldiers were killed in a rebel attack near the border.", published="2015-05-04")
    assert _event(a, "ASSAULT")  # an attack still is one


def test_injuring_people_is_an_assault_unless_an_accident_did_it(pipeline):
    a = pipeline.analyze("Gunmen injured three policemen at a checkpoint in Peshawar.", published="2015-05-04")
    assert [a.actor(i).sector for i in _event(a, "ASSAULT").target] == ["COP"]
    a = pipeline.analyze("Five tourists were injured in a bus accident near Cusco.", published="2015-05-04")
    assert not [e for e in a.events if e.type == "ASSAULT"]
    a = pipeline.analyze("A car bomb exploded in Kabul on Monday, killing 11 people and injuring 20.",
                         published="2015-05-04")
    assert len([e for e in a.events if e.type == "ASSAULT"]) == 1  # the injuries are the bombing's


def test_parties_signing_an_agreement_sign_it_with_each_other(pipeline):
    a = pipeline.analyze("Chile and Peru signed a fisheries accord on Monday.", published="2014-06-04")
    signing = _event(a, "SUPPORT")
    assert (_countries(a, signing.source), _countries(a, signing.target)) == (["CHL"], ["PER"])
    accord = _event(a, "AGREE")  # the accord signed is between them too
    assert (_countries(a, accord.source), _countries(a, accord.target)) == (["CHL"], ["PER"])
    a = pipeline.analyze("Ethiopia and Eritrea signed an agreement in Jeddah.", published="2018-09-16")
    signing = _event(a, "SUPPORT")
    assert (_countries(a, signing.source), _countries(a, signing.target)) == (["ETH"], ["ERI"])


def test_voicing_opposition_or_giving_backing_is_aimed_at_whose_act_it_is_about(pipeline):
    a = pipeline.analyze("The Kenyan president voiced opposition to the Ugandan plan.", published="2014-06-04")
    criticism = _event(a, "ACCUSE")
    assert (_countries(a, criticism.source), _countries(a, criticism.target)) == (["KEN"], ["UGA"])
    a = pipeline.analyze("Spain gave its backing to the Moroccan proposal.", published="2014-06-04")
    backing = _event(a, "SUPPORT")
    assert (_countries(a, backing.source), _countries(a, backing.target)) == (["ESP"], ["MAR"])


def test_a_title_naming_another_country_beats_a_shared_surname_alias(pipeline):
    a = pipeline.analyze("Sudanese President Omar al-Bashir arrived in Cairo on Tuesday.", published="2015-06-04")
    assert _one(a, name="Omar al-Bashir").code == "SDNGOV"
    a = pipeline.analyze("Syrian Prime Minister Mohammed al-Bashir met Turkish officials.", published="2025-01-04")
    assert _one(a, name="Mohammed al-Bashir").country == "SYR"  # the dictionary's own man keeps his record


def test_people_doing_an_act_named_by_a_participle_after_them_are_its_source(pipeline):
    a = pipeline.analyze("Police in Nairobi fired tear gas at students protesting against fee increases.",
                         published="2015-06-04")
    protest = _event(a, "PROTEST")
    assert [a.actor(i).name for i in protest.source] == ["students"]
    a = pipeline.analyze("The parliament passed a motion demanding the withdrawal of foreign troops.",
                         published="2015-06-04")
    assert [a.actor(i).sector for i in _event(a, "REQUEST").source] == ["LEG"]  # a motion: whoever passed it


def test_parties_reaching_a_ceasefire_agreement_agree_with_each_other_wherever_they_meet(pipeline):
    a = pipeline.analyze("Colombia and the FARC rebels reached a ceasefire agreement in Havana.", published="2016-06-23")
    ceasefire = next(e for e in a.events if "agreement" in e.trigger.text)
    assert (_countries(a, ceasefire.source), [a.actor(i).code for i in ceasefire.target]) == (["COL"], ["COLREB"])


def test_a_seizure_takes_from_whom_it_is_taken(pipeline):
    a = pipeline.analyze("Kurdish forces recaptured the town from Syrian rebels.", published="2016-06-23")
    seizure = _event(a, "COERCE")
    assert [a.actor(i).code for i in seizure.target] == ["SYRREB"]


def test_sending_an_envoy_visits_where_it_goes(pipeline):
    a = pipeline.analyze("The Arab League dispatched an envoy to Damascus on Monday.", published="2012-01-04")
    visit = _event(a, "CONSULT")
    assert ([a.actor(i).code for i in visit.source], _countries(a, visit.target)) == (["IGOMEAARL"], ["SYR"])
