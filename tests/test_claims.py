"""Statements, events, factuality and responsibility on sentences written for these tests."""

from __future__ import annotations


def _event(analysis, trigger_part):
    found = [e for e in analysis.events if trigger_part in e.trigger.text]
    assert found, f"no event with trigger {trigger_part!r} in {[e.trigger.text for e in analysis.events]}"
    return found[0]


def _names(analysis, ids):
    return [analysis.actor(i).name for i in ids]


def test_reported_speech_with_speaker_cue_and_content(pipeline):
    a = pipeline.analyze("The Russian defence ministry said on Monday that its forces had shot down 12 drones.",
                         published="2024-05-06")
    statement = a.statements[0]
    assert statement.cue.text == "said"
    assert statement.content.text.startswith("that its forces had shot down")
    assert statement.date == "2024-05-06"
    assert a.actor(statement.speaker).country == "RUS"


def test_statement_channel_and_direct_quote(pipeline):
    a = pipeline.analyze('"We will not negotiate under fire," the Israeli prime minister said in a statement.',
                         published="2023-10-20")
    statement = a.statements[0]
    assert statement.channel == "statement"
    assert "Netanyahu" in a.actor(statement.speaker).name


def test_hedged_attack_in_a_statement_is_alleged_and_blamed(pipeline):
    a = pipeline.analyze("Kyiv said Russian forces allegedly shelled a hospital in Kherson.", published="2023-02-01")
    shelling = _event(a, "shelled")
    assert shelling.type == "ASSAULT" and shelling.status == "alleged"
    blame = [r for r in a.responsibility if r.event == shelling.id]
    assert blame and blame[0].kind == "blamed"
    assert a.actor(blame[0].responsible[0]).country == "RUS"
    assert a.actor(blame[0].claimant).country == "UKR"


def test_claim_of_responsibility_makes_the_claimant_the_source(pipeline):
    a = pipeline.analyze("Al-Shabaab claimed responsibility for the bombing in Mogadishu on Saturday.",
                         published="2022-10-30")
    bombing = _event(a, "bombing")
    assert bombing.status == "asserted"
    claim = next(r for r in a.responsibility if r.event == bombing.id)
    assert claim.kind == "claimed"
    assert bombing.source == claim.responsible


def test_denial_of_an_attack(pipeline):
    a = pipeline.analyze("Hezbollah denied responsibility for the rocket attack on northern Israel.",
                         published="2023-04-07")
    attack = _event(a, "rocket attack")
    assert any(r.kind == "denied" and r.event == attack.id for r in a.responsibility)


def test_negated_and_conditional_events(pipeline):
    a = pipeline.analyze("The army did not withdraw from the town. Iran threatened to strike if Israel attacked.",
                         published="2024-04-10")
    assert _event(a, "withdraw").status == "negated"
    threat = [e for e in a.events if e.type == "THREATEN"]
    assert threat and _names(a, threat[0].source) == ["Iran"]


def test_verb_event_arguments_date_and_place(pipeline):
    a = pipeline.analyze("Israeli jets struck Hamas positions in Gaza on 12 May 2021.", published="2021-05-13")
    strike = _event(a, "struck")
    assert strike.type == "ASSAULT" and strike.date == "2021-05-12"
    assert a.actor(strike.source[0]).country == "ISR"
    places = {p.id: p for p in a.places}
    assert places[strike.location].country == "PSE"


def test_counts_use_acled_style_numbers(pipeline):
    a = pipeline.analyze("Police arrested dozens of protesters in Tbilisi on Tuesday.", published="2024-05-15")
    arrest = _event(a, "arrested")
    assert arrest.counts is not None and arrest.counts.arrested == 12


def test_embedded_post_byline_attributes_the_post(pipeline):
    text = ("The envoy posted a warning.\nTalks are over unless the shelling stops.\n"
            "— Jane Roe (@janeroe_envoy) March 4, 2022\n")
    a = pipeline.analyze(text)
    post = [s for s in a.statements if s.channel == "tweet"]
    assert post and post[0].date == "2022-03-04"
    assert post[0].content.text == "Talks are over unless the shelling stops."
    assert "Jane Roe" in post[0].speaker_span.text


def test_graded_factuality_of_any_predicate(pipeline):
    text = "The army did not withdraw. Officials may resign. Rebels seized the town."
    a = pipeline.analyze(text, published="2024-01-01")

    def score(word):
        start = text.index(word)
        return pipeline.factuality_of(a, start, start + len(word))

    assert score("withdraw") < 0 < score("resign") < score("seized")
    assert score("seized") >= 2.5


def test_a_claim_of_a_later_mention_names_the_incident(pipeline):
    a = pipeline.analyze("A car bomb exploded near a hotel in Mogadishu on Sunday, killing eight people. "
                         "Al-Shabaab claimed responsibility for the blast.", published="2022-10-30")
    bombs = [e for e in a.events if e.type == "ASSAULT"]
    assert len(bombs) == 1, [(e.type, e.trigger.text) for e in a.events]
    claim = next(r for r in a.responsibility if r.kind == "claimed")
    assert claim.event == bombs[0].id
    assert "blast" in [m.text for m in bombs[0].mentions]
    assert bombs[0].source == claim.responsible


def test_a_subject_that_names_no_one_is_no_speaker(pipeline):
    text = ("A truck bomb exploded near a market in Mosul on Tuesday, killing nine people, police said.\n"
            "No group has claimed responsibility for the bombing.\n"
            "Nobody has claimed the attack either, and no one has said who planted the device.")
    a = pipeline.analyze(text, published="2024-06-12")
    speakers = [s.speaker_span.text for s in a.statements if s.speaker_span]
    assert speakers == ["police"], speakers  # neither "No group", "Nobody" nor "no one" speaks
    unclaimed = [r for r in a.responsibility if r.kind == "unclaimed"]
    assert unclaimed and all(not r.responsible and r.claimant is None for r in unclaimed)
    assert "No group has claimed responsibility" in unclaimed[0].evidence.text


def test_a_group_that_claims_is_still_a_speaker(pipeline):
    # The counterpart of the test above: the rule drops only subjects that name no one.
    a = pipeline.analyze("A militant group said on Tuesday that its fighters planted the bomb.", published="2024-06-12")
    assert [s.speaker_span.text for s in a.statements if s.speaker_span] == ["A militant group"]


def test_calling_off_a_strike_or_backing_down_says_nothing(pipeline):
    text = ("The teachers' union called off a national strike planned for next week after the government raised "
            "wages. The ministry backed down on the reform, and the union called the deal a victory.")
    a = pipeline.analyze(text, published="2024-06-12")
    cues = [s.cue.text for s in a.statements if s.cue]
    assert "called off" not in " ".join(cues) and "backed" not in " ".join(cues), cues
    # "called the deal a victory" names it: still the union's statement.
    assert any(s.cue.text == "called" and "victory" in s.content.text for s in a.statements if s.cue), cues
    strike = [e for e in a.events if "strike" in e.trigger.text]
    assert strike and all(e.type != "ASSAULT" for e in strike)
