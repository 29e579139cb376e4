"""Stories: cross-document linking on a real DuckDB store, with the real spaCy and MiniLM models.

tests/data/kirkuk_reports.jsonl holds four short articles written for these tests: three outlets
report one car bombing in Kirkuk with different tolls (12 and 15 killed) and different perpetrators
blamed (Islamic State by Iraqi officials, the PKK by Kurdish officials); a fourth reports an
unrelated attack in Kandahar on the same day.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.clustering import average_link
from newstrace.corpus import ingest
from newstrace.link import DateWindow, LinkEvent, candidate_pairs, date_window, link_store, trigger_class
from newstrace.store import Store
from newstrace.stories import has_stories, load_story

DATA = Path(__file__).parent / "data" / "kirkuk_reports.jsonl"


def _ingest_and_link(pipeline, paths: list[Path], db: Path):
    with Store(db) as store:
        ingest([str(p) for p in paths], store, pipeline, batch_size=4)
        return link_store(store)


def _partition(db: Path) -> set[frozenset[tuple[str, str]]]:
    with Store(db, read_only=True) as store:
        rows = store.con.execute("SELECT story_id, doc_id, event_id FROM story_reports").fetchall()
    groups: dict[str, set] = {}
    for sid, doc, event in rows:
        groups.setdefault(sid, set()).add((doc, event))
    return {frozenset(g) for g in groups.values()}


def _titles(db: Path) -> dict[str, str]:
    with Store(db, read_only=True) as store:
        return dict(store.con.execute("SELECT id, title FROM documents").fetchall())


def _attack_stories(db: Path) -> list:
    with Store(db, read_only=True) as store:
        ids = [r[0] for r in store.con.execute("SELECT id FROM stories WHERE type = 'ASSAULT'").fetchall()]
        return [load_story(store, sid) for sid in ids]


@pytest.fixture(scope="module")
def linked(pipeline, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("stories") / "stories.duckdb"
    _ingest_and_link(pipeline, [DATA], db)
    return db


def test_three_reports_of_one_attack_make_one_story_with_both_disagreements(linked):
    titles = _titles(linked)
    kirkuk_docs = {d for d, t in titles.items() if "Kandahar" not in t}
    stories = _attack_stories(linked)
    kirkuk = [s for s in stories if {r.document for r in s.reports} & kirkuk_docs]
    assert len(kirkuk) == 1, [(s.id, [r.trigger for r in s.reports]) for s in kirkuk]
    story = kirkuk[0]
    assert {r.document for r in story.reports} == kirkuk_docs
    assert story.n_articles == 3 and story.n_outlets == 3
    assert story.place == "Kirkuk" and story.best_date == "2024-06-09"
    assert (story.killed, story.killed_max) == (12, 15)  # the conservative figure is the lowest reported
    kinds = {d.kind: d for d in story.disagreements}
    assert {"perpetrator", "casualties"} <= set(kinds)
    blamed = {v.value for v in kinds["perpetrator"].values}
    assert any("Islamic State" in v for v in blamed) and any("Kurdistan Workers" in v for v in blamed)
    assert {v.value for v in kinds["casualties"].values} == {"12", "15"}
    assert story.disputed
    # who the story is about, not head counts of its victims ("12 people" is a casualty figure)
    assert not [a for a in story.actors if a.split()[0].isdigit()], story.actors
    # every report points back into its document's text
    with Store(linked, read_only=True) as store:
        texts = dict(store.con.execute("SELECT id, text FROM documents").fetchall())
    for report in story.reports:
        text = texts[report.document]
        assert text[report.sentence_start:report.sentence_end] == report.sentence
        assert report.trigger == text[report.trigger_start:report.trigger_end]


def test_an_unrelated_attack_on_the_same_day_stays_apart(linked):
    titles = _titles(linked)
    kandahar_doc = next(d for d, t in titles.items() if "Kandahar" in t)
    for story in _attack_stories(linked):
        docs = {r.document for r in story.reports}
        if kandahar_doc in docs:
            assert docs == {kandahar_doc}
            assert not any(d.kind == "perpetrator" for d in story.disagreements)


def test_linking_is_incremental_and_matches_a_rebuild(pipeline, tmp_path):
    lines = DATA.read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[2:]) + "\n", encoding="utf-8")
    db = tmp_path / "incremental.duckdb"
    _ingest_and_link(pipeline, [first], db)
    summary = _ingest_and_link(pipeline, [second], db)
    assert summary.joined > 0  # the third Kirkuk report joins the stored story
    incremental = _partition(db)
    with Store(db) as store:
        again = link_store(store)
        assert again.events == 0  # nothing left to link: re-running adds nothing
        link_store(store, rebuild=True)
    assert _partition(db) == incremental


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newstrace.cli", *args], capture_output=True, text=True, timeout=120)


def test_cli_lists_disputed_stories_and_shows_one(linked):
    listed = _cli("stories", "--db", str(linked), "--disputed", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]
    assert rows and all(r["disputed"] and r["disagreements"] for r in rows)
    sid = next(r["id"] for r in rows if r["type"] == "ASSAULT")
    shown = _cli("story", sid, "--db", str(linked))
    assert shown.returncode == 0, shown.stderr
    assert "disagreements:" in shown.stdout and "Northern Wire" in shown.stdout and "Gulf Daily" in shown.stdout
    assert "killed: 12, the conservative figure (reports range 12 to 15)" in shown.stdout
    as_json = json.loads(_cli("story", sid, "--db", str(linked), "--format", "json").stdout)
    assert as_json["id"] == sid and len(as_json["reports"]) >= 3
    by_actor = _cli("stories", "--db", str(linked), "--actor", "IMG", "--type", "ASSAULT", "--format", "json")
    assert by_actor.returncode == 0, by_actor.stderr
    assert [json.loads(line)["id"] for line in by_actor.stdout.splitlines()] == [sid]  # Islamic State's country code
    bad_date = _cli("stories", "--db", str(linked), "--since", "2024-13-45")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
    missing = _cli("story", "Snope", "--db", str(linked))
    assert missing.returncode == 1 and "no story" in missing.stderr


def test_stories_command_explains_a_store_without_links(tmp_path):
    db = tmp_path / "empty.duckdb"
    Store(db).close()
    with Store(db, read_only=True) as store:
        assert has_stories(store)
    result = CliRunner().invoke(app, ["stories", "--db", str(db)])
    assert result.exit_code == 0
    assert "newstrace link" in result.stderr


# --------------------------------------------------------------------------- the parts


def test_average_link_does_not_chain_through_one_middle_item():
    # A~B and B~C are strong, A~C was never scored: single linkage would give one cluster
    labels = average_link(3, [(0, 1, 0.9), (1, 2, 0.85)], threshold=0.62)
    assert labels[0] == labels[1] != labels[2]


def test_average_link_respects_cannot_link_and_fixed_clusters():
    assert len(set(average_link(2, [(0, 1, 0.99)], 0.5, cannot_link=[(0, 1)]))) == 2
    labels = average_link(4, [(0, 2, 0.9), (1, 3, 0.9), (0, 1, 0.9)], 0.5, fixed=[0, 0, 1, 1])
    assert labels[0] == labels[1] and labels[2] == labels[3] and labels[0] != labels[2]


def test_trigger_classes_join_forms_of_one_happening():
    assert trigger_class("killed") == trigger_class("deaths") == trigger_class("killing") == "kill"
    assert trigger_class("car bombing") == trigger_class("airstrike") == "attack"
    assert trigger_class("clashes") == trigger_class("clashed") == trigger_class("clash")
    assert trigger_class("protest") != trigger_class("attack")


def test_blocking_pairs_events_only_when_their_dates_can_meet():
    def event(i: int, value: str) -> LinkEvent:
        return LinkEvent("d", f"E{i}", "ASSAULT", "attack", frozenset({"IRQ"}), "Kirkuk", 35.5, 44.4,
                         date_window(value, None))

    events = [event(0, "2024-06-09"), event(1, "2024-06-10"), event(2, "2024-06-30"), event(3, "2024-06"),
              event(4, "2023")]
    pairs = candidate_pairs(events)
    assert (0, 1) in pairs and (0, 2) not in pairs and (1, 2) not in pairs
    assert {(0, 3), (2, 3)} <= pairs  # a month-precise date meets the days of its month
    assert (3, 4) not in pairs and (0, 4) not in pairs
    assert date_window(None, None) is None
    assert date_window("2024-02", None) == DateWindow(dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month")
