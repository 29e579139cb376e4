"""One incident, one event (issue 14, items 1 and 5): the mentions of one attack in an article become one
event record with all its mentions, in the JSON record and in a real DuckDB store; sub-event types follow
from PLOVER type, mode and context. The articles are written for these tests.
"""

from __future__ import annotations

from pathlib import Path

from newstrace.events.subtypes import BY_TYPE, BY_TYPE_MODE, CASE_CODES, subtype_of
from newstrace.queries import stats
from newstrace.store import STORE_VERSION, Store

CAR_BOMB = "\n\n".join([
    "Car bomb kills 11 near Tikrit market",
    "TIKRIT, Iraq, June 9 (Wire) - A car bomb exploded near a busy vegetable market in Tikrit on Sunday, "
    "killing 11 people and wounding 24 others, police said.",
    "The blast set several shops on fire, a police officer said. No group has claimed responsibility for the attack.",
    "Militants have carried out similar attacks in Salahuddin province in recent months. "
    "The bombing was the deadliest in the city this year.",
]) + "\n"

TWO_ATTACKS = """A roadside bomb killed three soldiers in Kandahar on Monday, officials said.
In a separate incident, a suicide bomber killed five people at a mosque in Kunduz on Monday.
"""

PROTEST_AND_ARRESTS = """Thousands of people rallied in Tbilisi on Saturday against a new media law.
Police detained 20 protesters after the rally, the interior ministry said.
"""


def _assaults(analysis):
    return [e for e in analysis.events if e.type == "ASSAULT"]


def test_the_mentions_of_one_car_bombing_are_one_event(pipeline):
    a = pipeline.analyze(CAR_BOMB, published="2024-06-09")
    incident = next(e for e in a.events if "car bomb" in e.trigger.text.lower())
    texts = [m.text.lower() for m in incident.mentions]
    # headline, lead, its consequences and the later references all name this one attack
    for word in ("kills", "car bomb", "killing", "wounding", "blast", "attack", "bombing"):
        assert any(word in t for t in texts), (word, texts)
    assert texts.count("car bomb") == 2
    # the main mention is the lead's, not the headline's
    assert incident.trigger.start > CAR_BOMB.index("TIKRIT")
    assert [m.how for m in incident.mentions if m.how == "main"] == ["main"]
    assert incident.mode == "explosives" and incident.subtype == "Remote explosive/landmine/IED"
    assert (incident.counts.killed, incident.counts.injured) == (11, 24)
    # "similar attacks" are other attacks: one more event, which "the bombing" does not join
    assert len(_assaults(a)) == 2
    similar = next(e for e in _assaults(a) if e is not incident)
    assert [m.text for m in similar.mentions] == ["attacks"]


def test_every_mention_keeps_its_offsets_and_sentence(pipeline):
    a = pipeline.analyze(CAR_BOMB, published="2024-06-09")
    for event in a.events:
        assert event.mentions, event.id
        assert any((m.start, m.end) == (event.trigger.start, event.trigger.end) for m in event.mentions)
        for m in event.mentions:
            assert CAR_BOMB[m.start:m.end] == m.text
            assert m.sentence.start <= m.start and m.end <= m.sentence.end
            assert CAR_BOMB[m.sentence.start:m.sentence.end] == m.sentence.text
        assert [m.start for m in event.mentions] == sorted(m.start for m in event.mentions)


def test_the_claim_sentence_names_the_incident(pipeline):
    a = pipeline.analyze(CAR_BOMB, published="2024-06-09")
    incident = next(e for e in a.events if "car bomb" in e.trigger.text.lower())
    assert [(r.event, r.kind) for r in a.responsibility] == [(incident.id, "unclaimed")]


def test_two_attacks_in_two_places_stay_two_events(pipeline):
    a = pipeline.analyze(TWO_ATTACKS, published="2024-06-10")
    assaults = _assaults(a)
    assert len(assaults) == 2
    places = {e.location: next(p.name for p in a.places if p.id == e.location) for e in assaults if e.location}
    assert len(places) == 2 and any(name.startswith("Kunduz") for name in places.values())
    assert {e.subtype for e in assaults} == {"Remote explosive/landmine/IED", "Suicide bomb"}


def test_protest_with_arrests_has_acled_subtypes(pipeline):
    a = pipeline.analyze(PROTEST_AND_ARRESTS, published="2024-06-08")
    by_type = {e.type: e for e in a.events}
    # ACLED codes a protest met by arrests as one "Protest with intervention"; the arrests alone are "Arrests"
    assert by_type["PROTEST"].subtype == "Protest with intervention"
    assert by_type["COERCE"].subtype == "Protest with intervention"
    assert subtype_of("COERCE", "arrest") == "Arrests"
    # "the rally" is the rally already reported, not a second protest
    assert [e.type for e in a.events].count("PROTEST") == 1
    assert len(by_type["PROTEST"].mentions) == 2


def test_the_subtype_table_names_acled_sub_event_types():
    named = set(BY_TYPE_MODE.values()) | set(BY_TYPE.values())
    assert named <= set(CASE_CODES)
    assert subtype_of("ASSAULT", "drone") == "Air/drone strike"
    assert subtype_of("ASSAULT", None, armed_target=True) == "Armed clash"
    assert subtype_of("ASSAULT", "crowd-control", other_types={"PROTEST"}) == "Excessive force against protesters"
    assert subtype_of("PROTEST", "demo") == "Peaceful protest"
    assert subtype_of("COERCE", "seize", state_source=True) == "Government regains territory"
    assert subtype_of("CONSULT", "visit") is None


def test_the_store_keeps_one_row_per_incident_and_its_mentions(pipeline, tmp_path: Path):
    a = pipeline.analyze(CAR_BOMB, published="2024-06-09")
    incident = next(e for e in a.events if "car bomb" in e.trigger.text.lower())
    with Store(tmp_path / "s.duckdb") as store:
        store.write_batch([("car-bomb", a, {})], [])
        n_events = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
        row = store.con.execute("SELECT subtype, n_mentions, killed, injured FROM events WHERE event_id = ?",
                                [incident.id]).fetchone()
        mentions = store.con.execute(
            'SELECT mention_no, "start", "end", text, how, type FROM event_mentions WHERE event_id = ? ORDER BY mention_no',
            [incident.id]).fetchall()
        by_type = {row[0]: row[1] for row in stats(store)["events per type"][1]}
    assert n_events == len(a.events)
    assert row == ("Remote explosive/landmine/IED", len(incident.mentions), 11, 24)
    assert [(m[1], m[2], m[3], m[4]) for m in mentions] == [(m.start, m.end, m.text, m.how) for m in incident.mentions]
    assert [m[0] for m in mentions] == list(range(1, len(mentions) + 1))
    assert by_type["ASSAULT"] == len(_assaults(a)) == 2  # stats count incidents


def test_a_version_2_store_gains_incident_mentions(pipeline, tmp_path: Path):
    a = pipeline.analyze(TWO_ATTACKS, published="2024-06-10")
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        store.write_batch([("two", a, {})], [])
        # make it what version 2 wrote: no sub-event types, no mention table
        store.con.execute("DROP TABLE event_mentions")
        store.con.execute("ALTER TABLE events DROP COLUMN subtype")
        store.con.execute("ALTER TABLE events DROP COLUMN n_mentions")
        store.con.execute("UPDATE meta SET value = '2' WHERE key = 'store_version'")
    with Store(db) as store:
        assert store.version() == STORE_VERSION
        events = store.con.execute("SELECT event_id, trigger_start, n_mentions FROM events ORDER BY event_id").fetchall()
        mentions = store.con.execute('SELECT event_id, "start", how FROM event_mentions ORDER BY event_id').fetchall()
    assert [(e[0], e[1], "main") for e in events] == mentions
    assert all(e[2] == 1 for e in events)


# --- acts that another event agrees to, threatens, refuses or asks for; background acts ----------------------


def _events(analysis):
    return [(e.type, e.trigger.text) for e in analysis.events]


def test_an_act_agreed_to_is_a_content_mention_of_the_agreement(pipeline):
    a = pipeline.analyze("The rebels agreed to release twenty hostages on Monday.", published="2024-03-04")
    assert _events(a) == [("AGREE", "agreed")]
    assert [(m.text, m.how, m.type) for m in a.events[0].mentions] == [
        ("agreed", "main", "AGREE"), ("release", "content", "RETREAT")]


def test_an_act_threatened_is_part_of_the_threat(pipeline):
    a = pipeline.analyze("The militia threatened to shell the army barracks in Sirte.", published="2024-03-04")
    assert _events(a) == [("THREATEN", "threatened")]
    assert ("shell", "content") in [(m.text, m.how) for m in a.events[0].mentions]


def test_a_rejected_offer_and_what_it_offered_are_the_rejection(pipeline):
    a = pipeline.analyze("The prime minister rejected an offer from the rebels to extend the truce.",
                         published="2024-03-04")
    assert _events(a) == [("REJECT", "rejected")]
    assert {m.text: m.how for m in a.events[0].mentions} == {"rejected": "main", "offer": "content",
                                                           "truce": "content"}


def test_a_denied_attack_stays_an_attack(pipeline):
    a = pipeline.analyze("Hamas denied carrying out the bombing in Jerusalem.", published="2024-03-04")
    assert {e.type for e in a.events} == {"REJECT", "ASSAULT"}


def test_two_coordinated_acts_stay_two_events(pipeline):
    a = pipeline.analyze("The rebels threatened the town and attacked a convoy on the road.", published="2024-03-04")
    assert {e.type for e in a.events} == {"THREATEN", "ASSAULT"}


def test_acts_deep_in_a_request_are_requested(pipeline):
    a = pipeline.analyze("The envoy urged both sides to reach an agreement on the border.", published="2024-03-04")
    assert _events(a) == [("REQUEST", "urged")]
    assert ("agreement", "requested") in [(m.text, m.how) for m in a.events[0].mentions]


def test_an_act_a_request_is_an_inquiry_into_stays_an_event(pipeline):
    a = pipeline.analyze("The union called for an inquiry into the killing of two miners.", published="2024-03-04")
    assert any(e.type == "ASSAULT" for e in a.events), _events(a)


def test_a_past_relative_clause_on_what_is_acted_on_is_background(pipeline):
    a = pipeline.analyze("The army freed a journalist it had arrested last year.", published="2024-03-04")
    assert _events(a) == [("RETREAT", "freed")]
    b = pipeline.analyze("Police arrested a man who attacked a nurse.", published="2024-03-04")
    assert {e.type for e in b.events} == {"COERCE", "ASSAULT"}  # the arrest does not undo the attack: it is news
    c = pipeline.analyze("The governor lifted the curfew that he had imposed on the port.", published="2024-03-04")
    assert [e.type for e in c.events] == ["CONCEDE"], _events(c)


def test_a_participle_naming_a_group_is_background_but_a_crowd_protesting_is_not(pipeline):
    a = pipeline.analyze("The Saudi-led coalition fighting the Houthis declared a two-week truce.",
                         published="2024-03-04")
    assert not any(e.type == "ASSAULT" for e in a.events), _events(a)
    b = pipeline.analyze("Police arrested hundreds of students protesting against the new law.", published="2024-03-04")
    assert {e.type for e in b.events} >= {"COERCE", "PROTEST"}, _events(b)


def test_the_charge_an_arrest_is_for_is_no_event_but_violence_charged_is(pipeline):
    a = pipeline.analyze("The journalist was arrested for collaborating with the rebels.", published="2024-03-05")
    assert [e.type for e in a.events] == ["COERCE"], _events(a)
    b = pipeline.analyze("The man was arrested for attacking a nurse.", published="2024-03-05")
    assert {e.type for e in b.events} == {"COERCE", "ASSAULT"}, _events(b)


def test_firing_tear_gas_and_water_cannon_is_one_act_of_crowd_control(pipeline):
    a = pipeline.analyze("Riot police fired water cannon and tear gas as students held a march in Dhaka.",
                         published="2024-03-07")
    force = [e for e in a.events if e.type == "ASSAULT"]
    assert len(force) == 1, _events(a)
    assert force[0].mode == "crowd-control" and force[0].subtype == "Excessive force against protesters"
    assert {m.text for m in force[0].mentions} >= {"fired", "water cannon", "tear gas"}
    assert any(e.type == "PROTEST" and e.trigger.text == "march" for e in a.events), _events(a)
    b = pipeline.analyze("Soldiers fired live rounds at the car near the checkpoint.", published="2024-03-07")
    assert all(e.mode != "crowd-control" for e in b.events), _events(b)


def test_crowd_control_is_force_against_protesters_even_when_no_protest_is_named():
    assert subtype_of("ASSAULT", "crowd-control") == "Excessive force against protesters"
    assert subtype_of("ASSAULT", "firearms") == "Armed clash"


def test_a_tank_attack_is_shelling(pipeline):
    a = pipeline.analyze("Four villagers were killed on Sunday in a tank attack near the river.", published="2024-03-07")
    assert [(e.mode, e.subtype) for e in a.events] == [("heavy-weapons", "Shelling/artillery/missile attack")]


def test_the_purpose_of_an_act_is_part_of_it(pipeline):
    a = pipeline.analyze("The foreign minister met the Sudanese president on Monday to discuss the border.",
                         published="2024-03-07")
    assert _events(a) == [("CONSULT", "met")]
    assert ("discuss", "content") in [(m.text, m.how) for m in a.events[0].mentions]
    b = pipeline.analyze("Farmers blocked roads near Lyon to press their demands for higher prices.",
                         published="2024-03-07")
    assert [e.type for e in b.events] == ["PROTEST"], _events(b)
    c = pipeline.analyze("Police fired tear gas to disperse the crowd.", published="2024-03-07")
    assert "COERCE" in [e.type for e in c.events] or any(m.type == "COERCE" for e in c.events for m in e.mentions)


def test_gunmen_firing_on_a_bus_is_an_attack_not_a_clash(pipeline):
    a = pipeline.analyze("Gunmen opened fire on a bus near Quetta on Monday, killing six passengers.",
                         published="2024-03-08")
    assert [e.subtype for e in a.events if e.type == "ASSAULT"] == ["Attack"], _events(a)
    b = pipeline.analyze("Gunmen opened fire on an army checkpoint near Quetta on Monday.", published="2024-03-08")
    assert [e.subtype for e in b.events if e.type == "ASSAULT"] == ["Armed clash"], _events(b)
    assert subtype_of("ASSAULT", "firearms", armed_target=False) == "Attack"


def test_a_raid_that_arrests_people_takes_no_ground(pipeline):
    a = pipeline.analyze("Soldiers detained 14 men in overnight raids across the province.", published="2024-03-08")
    assert {e.subtype for e in a.events} == {"Arrests"}, [(e.type, e.trigger.text, e.subtype) for e in a.events]


def test_a_ban_defied_is_what_the_defiance_rejects(pipeline):
    a = pipeline.analyze("Students in Nairobi defied a ban on rallies on Monday.", published="2024-03-08")
    assert not any(e.type == "COERCE" for e in a.events), _events(a)
    assert any(m.text == "ban" and m.how == "content" for e in a.events for m in e.mentions), _events(a)


def test_a_diplomatic_act_named_as_the_setting_is_background_but_an_attack_is_not(pipeline):
    a = pipeline.analyze("Following the peace deal, the president released 200 prisoners.", published="2024-03-08")
    assert [e.type for e in a.events] == ["RETREAT"], _events(a)
    b = pipeline.analyze("After a rocket attack on the base, the army shelled two villages.", published="2024-03-08")
    assert len([e for e in b.events if e.type == "ASSAULT"]) >= 1
    assert any("attack" in m.text for e in b.events for m in e.mentions), _events(b)


def test_what_the_blast_destroyed_is_a_consequence_of_the_bombing(pipeline):
    a = pipeline.analyze("A car bomb exploded near a market in Baghdad on Monday, killing 12 people. The blast "
                         "destroyed several shops.", published="2024-03-09")
    attacks = [e for e in a.events if e.type == "ASSAULT"]
    assert len(attacks) == 1, _events(a)
    assert attacks[0].mode == "explosives"
    assert any(m.text == "destroyed" and m.how == "consequence" for m in attacks[0].mentions), _events(a)


def test_stones_thrown_and_tear_gas_in_response_are_two_acts_with_their_doers(pipeline):
    a = pipeline.analyze("Protesters threw stones at the parliament in Nairobi on Tuesday. Police responded with "
                         "tear gas and water cannon.", published="2024-03-09")
    names = {actor.id: actor.name for actor in a.actors}
    doers = {e.mode: [names[s] for s in e.source] for e in a.events if e.type == "ASSAULT"}
    assert doers == {"primitive": ["Protesters"], "crowd-control": ["Police"]}, _events(a)
