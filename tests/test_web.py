"""The workbench pages in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against a
real server over a real, linked store: the bundled examples, three reports of one attack written for these
tests (tests/data/kirkuk_reports.jsonl) and hostile articles. One browser and one store per module.

Every page is checked at 390 px (a phone) and 1400 px: no console error, no uncaught error, no failed request,
nothing wider than the screen. Screenshots go to test-artifacts/ (or $NEWSTRACE_TEST_ARTIFACTS); with
NEWSTRACE_SCREENSHOTS=DIR the page screenshots are (re)written to DIR too (docs/screenshots in the repo).

Skips with a message where /usr/bin/chromium is missing; CI installs it in .ci/run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import httpx
import pytest
from serving import HOSTILE_TEXT, REPO, build_store, running

from newstrace.api import create_app
from newstrace.link import link_store
from newstrace.store import Store

CHROMIUM = Path("/usr/bin/chromium")
# From /work/shared/docs/browser-testing.md: without the background-networking flags Chromium keeps
# trying the closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SEED_TEXT = REPO.parent / "shared" / "seed" / "000_c5d289f412430959.txt"
KIRKUK = REPO / "tests" / "data" / "kirkuk_reports.jsonl"
ARTIFACTS = Path(os.environ.get("NEWSTRACE_TEST_ARTIFACTS", REPO / "test-artifacts"))
SCREENSHOTS = os.environ.get("NEWSTRACE_SCREENSHOTS")
TIMEOUT_MS = 30_000
WIDTHS = (390, 1400)
FACTUAL = ("asserted", "reported")
SHOT_HEIGHT = {False: 1500, True: 1100}  # px of a page kept in a screenshot, phone and desktop (PNGs under 300 KB)

# A scraped article whose every field is hostile (title, outlet, URL); its text is HOSTILE_TEXT.
HOSTILE_RECORD = {"title": "<script>alert(4)</script><img src=x onerror=alert(5)>",
                  "source": "<b onmouseover=alert(6)>Evil Wire</b>", "url": "javascript:alert(7)",
                  "published": "2024-06-12", "text": HOSTILE_TEXT.replace("Monday", "Tuesday")}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does) to run the "
    "browser tests"))


@dataclass
class Tab:
    """A browser page and what it reported: script dialogs, uncaught errors, console errors, failed requests."""

    page: object
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No script ran a dialog, nothing threw, no console error, no request failed or answered an error."""
        assert not self.dialogs, f"a script ran: {self.dialogs}"
        assert not self.errors, self.errors
        assert not self.console, self.console
        assert not self.failed, self.failed

    def assert_fits(self) -> None:
        """Nothing makes the page wider than the screen (tables scroll in their own box)."""
        width = self.page.viewport_size["width"]
        scroll = self.page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{self.page.url}: the page is {scroll} px wide on a {width} px screen"


@dataclass
class Site:
    """The server under test and facts about its store, read before the server opened it."""

    url: str
    disputed_story: str
    kirkuk_docs: dict[str, str]  # id -> title
    counts: dict[str, int]
    stories: int
    # Kirkuk document → its attack: event id, ACLED sub-event type and mentions (start, end, text), from the tables
    incidents: dict[str, tuple[str, str, list[tuple[int, int, str]]]] = field(default_factory=dict)
    largest: dict[str, object] = field(default_factory=dict)  # listing -> largest value of its sort test column


def _expected_counts(db: Path) -> dict[str, int]:
    """Row counts for the export filters, straight from the store's tables (not through the code under test)."""
    with Store(db, read_only=True) as store:
        one = lambda sql: store.con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "events": one("SELECT count(*) FROM events WHERE type = 'ASSAULT' AND status IN ('asserted', 'reported')"),
            "statements": one("SELECT count(*) FROM statements WHERE certainty = 'certain'"),
            "stories": one("SELECT count(*) FROM stories WHERE disputed"),
            "articles": one("SELECT count(*) FROM documents WHERE source ILIKE '%gulf%'"),
        }


LARGEST_SQL = {  # the sort tests' columns, straight from the tables
    "events": "SELECT max(coalesce(n_mentions, 1)) FROM events",
    "articles": "SELECT max(n) FROM (SELECT count(*) AS n FROM events GROUP BY doc_id)",
}


def _largest(db: Path) -> dict[str, object]:
    with Store(db, read_only=True) as store:
        return {listing: store.con.execute(sql).fetchone()[0] for listing, sql in LARGEST_SQL.items()}


@pytest.fixture(scope="module")
def site(tmp_path_factory, pipeline) -> Iterator[Site]:
    scraped = KIRKUK.read_text(encoding="utf-8") + json.dumps(HOSTILE_RECORD) + "\n"
    db = build_store(tmp_path_factory.mktemp("web"), pipeline, {"hostile.txt": HOSTILE_TEXT, "scraped.jsonl": scraped})
    with Store(db) as store:
        link_store(store)
        disputed = store.con.execute("SELECT id FROM stories WHERE disputed ORDER BY n_articles DESC, id").fetchone()[0]
        kirkuk = dict(store.con.execute("SELECT id, title FROM documents WHERE title ILIKE '%kirkuk%'").fetchall())
        stories = store.con.execute("SELECT count(*) FROM stories").fetchone()[0]
        incidents: dict[str, tuple[str, str, list[tuple[int, int, str]]]] = {}
        for doc, event, subtype, start, end, text in store.con.execute(
                'SELECT e.doc_id, e.event_id, e.subtype, m."start", m."end", m.text FROM events e JOIN event_mentions m '
                "ON m.doc_id = e.doc_id AND m.event_id = e.event_id WHERE e.type = 'ASSAULT' "
                'AND e.doc_id IN (SELECT unnest(?)) ORDER BY e.doc_id, m."start"', [list(kirkuk)]).fetchall():
            incidents.setdefault(doc, (event, subtype, []))[2].append((start, end, text))
    counts, largest = _expected_counts(db), _largest(db)
    with running(create_app(db, pipeline=pipeline)) as url:
        yield Site(url, disputed, kirkuk, counts, stories, incidents, largest)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        # The system browser, never Playwright's own download (there is no network to fetch it).
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _tab(browser, width: int = 1280, height: int = 900) -> tuple[object, Tab]:
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page)
    # Registered before anything loads, so a script that runs at parse time is caught too.
    page.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    page.on("console", lambda message: tab.console.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: tab.failed.append(f"{request.url}: {request.failure}"))
    page.on("response", lambda response: tab.failed.append(f"{response.url}: {response.status}")
            if response.status >= 400 else None)
    return context, tab


@pytest.fixture()
def tab(browser) -> Iterator[Tab]:
    context, tab = _tab(browser)
    yield tab
    context.close()


@pytest.fixture()
def phone(browser) -> Iterator[Tab]:
    context, tab = _tab(browser, 390, 844)
    yield tab
    context.close()


def _shot(locator_or_page, name: str, docs: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    if hasattr(locator_or_page, "goto"):
        height = locator_or_page.evaluate("document.documentElement.scrollHeight")
        width = locator_or_page.viewport_size["width"]
        # The top of long pages only: enough to show the layout, small enough to keep in the repo.
        locator_or_page.screenshot(path=str(path), full_page=True,
                                   clip={"x": 0, "y": 0, "width": width, "height": min(height, SHOT_HEIGHT[width > 700])})
    else:
        locator_or_page.screenshot(path=str(path))
    assert path.stat().st_size > 1000
    if docs and SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        (Path(SCREENSHOTS) / name).write_bytes(path.read_bytes())
    return path


def _query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _wait_drawn(page, selector: str) -> None:
    page.wait_for_selector(f'{selector}[data-ready="true"]', state="attached")


# --- every page, at both widths ---------------------------------------------------------------------------------


def _pages(site: Site) -> dict[str, str]:
    first_kirkuk = sorted(site.kirkuk_docs)[0]
    return {"home": "/", "articles": "/ui/articles", "article": f"/ui/articles/{first_kirkuk}", "events": "/ui/events",
            "stories": "/ui/stories", "story": f"/ui/stories/{site.disputed_story}", "statements": "/ui/statements",
            "actors": "/ui/actors", "actor": "/ui/actors/islamic%20state", "analyze": "/ui/analyze"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "articles", "article", "events", "stories", "story", "statements", "actors",
                                  "actor", "analyze"])
def test_every_page_loads_clean_and_fits_the_screen(browser, site, name, width):
    context, tab = _tab(browser, width, 844 if width < 700 else 900)
    try:
        page = tab.page
        response = page.goto(site.url + _pages(site)[name])
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        if name == "events":
            for chart in ("svg#timeline", "svg#network", "svg#map"):
                _wait_drawn(page, chart)
                box = page.locator(chart).bounding_box()
                assert box["width"] > 0.7 * min(width, 600) - 60  # charts keep a readable size on a phone
        tab.assert_fits()
        tab.assert_clean()
        nav = page.locator("#site-nav")
        toggle = page.locator("#nav-toggle")
        if width < 700:  # the navigation collapses behind its Menu button
            assert toggle.is_visible() and not nav.is_visible()
            toggle.click()
            assert nav.is_visible() and toggle.get_attribute("aria-expanded") == "true"
            tab.assert_fits()
            toggle.click()
        else:
            assert nav.is_visible() and not toggle.is_visible()
        current = page.locator('#site-nav a[aria-current="page"]')
        if name == "home":
            assert current.count() == 0 and page.locator('a.brand[aria-current="page"]').count() == 1
        else:
            assert current.count() == 1
            assert current.get_attribute("href") == "/ui/" + {"article": "articles", "story": "stories",
                                                               "actor": "actors"}.get(name, name)
        _shot(page, f"{name}-{width}.png", docs=True)
    finally:
        context.close()


# --- the article view -------------------------------------------------------------------------------------------


def _analyze(tab: Tab, base_url: str, text: str) -> None:
    page = tab.page
    page.goto(f"{base_url}/ui/analyze")
    page.fill("#analyze-text", text)
    page.click("#analyze-submit")
    page.wait_for_selector("#article-text")


def test_seed_article_shows_zarif_as_a_speaker_and_the_drone_strike_as_an_assault(tab, site):
    if not SEED_TEXT.exists():
        pytest.skip(f"seed article not found at {SEED_TEXT} (tests that need ../shared skip without it)")
    page = tab.page
    _analyze(tab, site.url, SEED_TEXT.read_text(encoding="utf-8"))
    speakers = page.locator("#article-text .hl-speaker")
    assert any("Zarif" in t for t in speakers.all_inner_texts()), speakers.all_inner_texts()

    strike = page.locator('#article-text .hl-trigger[data-event-types~="ASSAULT"]', has_text="strike").first
    strike.click()
    panel = page.locator("#record-panel")
    assert "ASSAULT" in panel.inner_text()
    assert "drone strike" in panel.locator(".record-event").first.inner_text()

    page.locator("#article-text .hl-speaker", has_text="Zarif").first.click()
    assert panel.locator(".record-statement").count() >= 1  # its statement, beside the actor record
    _shot(page, "analyze-seed.png")
    tab.assert_clean()


def test_links_lead_from_a_statement_to_its_events_and_on_to_responsibility(tab, site):
    page = tab.page
    doc = next(d for d, title in site.kirkuk_docs.items() if "toll" in title)  # blames the PKK, which denies it
    page.goto(f"{site.url}/ui/articles/{doc}")
    pair = page.evaluate("""() => {
        const records = JSON.parse(document.getElementById('records-data').textContent);
        for (const [id, r] of Object.entries(records)) {
            if (r.kind !== 'event') continue;
            const claim = r.links.find((l) => l.rel.startsWith('responsibility'));
            if (claim) return [id, claim.id];
        }
        return null;
    }""")
    assert pair is not None, "the Kirkuk report that blames the PKK has a responsibility record"
    event, claim = pair
    panel = page.locator("#record-panel")
    page.locator(f'#events-table button[data-select="{event}"]').click()
    assert panel.locator(".record").first.get_attribute("data-record") == event
    assert page.locator("#article-text .selected").count() >= 1  # the trigger is marked in the text
    panel.locator(f'button[data-select="{claim}"]').click()
    record = panel.locator(".record").first
    assert record.get_attribute("data-record") == claim and "responsibility" in record.text_content()
    tab.assert_clean()


def test_highlighted_spans_work_from_the_keyboard_and_open_the_drawer_on_a_phone(phone, site):
    page = phone.page
    doc = sorted(site.kirkuk_docs)[0]
    page.goto(f"{site.url}/ui/articles/{doc}")
    drawer = page.locator("#record-drawer")
    assert not drawer.is_visible() or drawer.bounding_box()["y"] >= page.viewport_size["height"] - 1
    # Tab from the text's first focusable stretch onward, as a keyboard user would, to a trigger.
    page.locator("#article-text .hl").first.focus()
    for _ in range(60):
        if page.evaluate("document.activeElement.classList.contains('hl-trigger')"):
            break
        page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.dataset.items, document.activeElement.textContent]")
    assert focused[0], "no trigger was reached with Tab"
    page.keyboard.press("Enter")
    record = page.locator("#record-panel .record").first
    assert record.get_attribute("data-record") == focused[0].split()[0]
    page.wait_for_timeout(300)  # the drawer slides in
    box = drawer.bounding_box()
    assert box["y"] < page.viewport_size["height"] - 100 and box["y"] + box["height"] <= page.viewport_size["height"] + 1
    assert record.is_visible()
    _shot(page, "article-drawer-390.png", docs=True)
    page.click("#record-close")
    phone.assert_fits()
    phone.assert_clean()


# --- incidents: every mention of one event, one record ------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_every_mention_of_an_incident_is_highlighted_and_opens_its_one_record(browser, site, width):
    context, tab = _tab(browser, width, 844 if width < 700 else 900)
    try:
        page = tab.page
        doc = next(d for d, title in site.kirkuk_docs.items() if "toll" in title)  # "car bombing", "the attack", ...
        event, subtype, mentions = site.incidents[doc]
        assert len(mentions) >= 3
        page.goto(f"{site.url}/ui/articles/{doc}")
        segments = page.locator(f'#article-text .hl-trigger[data-items~="{event}"]')
        assert "".join(segments.all_inner_texts()) == "".join(text for _, _, text in mentions)
        panel = page.locator("#record-panel")
        for _, _, text in mentions:  # each mention opens the same record
            page.locator(f'#article-text .hl-trigger[data-items~="{event}"]', has_text=text).first.click()
            assert event in [r.get_attribute("data-record") for r in panel.locator(".record").all()]
            assert page.locator(f'#article-text .selected[data-items~="{event}"]').count() >= 1
            if width < 700:
                page.click("#record-close")  # on a phone the drawer covers half the text: close it, as a reader does
        page.locator(f'#events-table button[data-select="{event}"]').click()
        record = panel.locator(f'.record[data-record="{event}"]')
        assert page.locator("#article-text .selected").count() == segments.count()  # all its mentions marked
        assert subtype and subtype in record.inner_text()
        items = record.locator("li.mention")
        assert items.count() == len(mentions)
        assert [items.nth(i).locator("q.mention-sentence b").inner_text() for i in range(items.count())] == \
               [text for _, _, text in mentions]
        start, end, text = mentions[-1]
        link = items.nth(items.count() - 1).locator("a.mention-words")
        assert link.get_attribute("href") == f"#span-{start}-{end}"
        link.click()
        page.wait_for_selector("mark.evidence")
        assert "".join(page.locator("mark.evidence").all_text_contents()) == text
        _shot(page, f"article-incident-{width}.png")
        tab.assert_fits()
        tab.assert_clean()
    finally:
        context.close()


def test_the_kirkuk_story_and_events_read_as_one_incident_per_article(tab, site):
    page = tab.page
    subtypes = {subtype for _, subtype, _ in site.incidents.values()}
    assert len(site.incidents) == len(site.kirkuk_docs) == 3 and len(subtypes) == 1
    subtype = subtypes.pop()
    page.goto(f"{site.url}/ui/stories/{site.disputed_story}")
    assert subtype in page.locator("#story-title").inner_text()
    cards = page.locator("#story-cards .report-card")
    assert cards.count() == 3
    for card in cards.all():
        doc = card.get_attribute("data-document")
        event, _, mentions = site.incidents[doc]
        incident = card.locator(".incident-mentions")
        assert incident.count() == 1 and incident.get_attribute("data-event") == event  # one incident per article
        links = incident.locator("a.mention")
        assert [a.inner_text() for a in links.all()] == [text for _, _, text in mentions]
        assert links.first.get_attribute("href") == f"/ui/articles/{doc}#span-{mentions[0][0]}-{mentions[0][1]}"
    tab.assert_fits()

    page.goto(f"{site.url}/ui/events?type=ASSAULT&place=Kirkuk")
    rows = page.locator("#events-rows tbody tr")
    assert rows.count() == 3  # one row per article, not one per mention
    articles = [r.locator("td.title a").get_attribute("href").split("#")[0] for r in rows.all()]
    assert sorted(articles) == sorted(f"/ui/articles/{d}" for d in site.kirkuk_docs)
    for row in rows.all():
        doc = row.locator("td.title a").get_attribute("href").split("/")[-1].split("#")[0]
        assert row.locator("td.subtype").inner_text() == subtype
        assert row.locator("td.mentions").inner_text() == str(len(site.incidents[doc][2]))
    tab.assert_clean()


def test_an_unclaimed_bombing_reads_as_one_incident_with_no_speaker_for_no_group(tab, site):
    """Issue 14's shapes, written for this test: a bombing named five ways and "No group has claimed"."""
    record = json.loads((REPO / "tests" / "data" / "issue14_examples.jsonl").read_text(encoding="utf-8").splitlines()[0])
    page = tab.page
    _analyze(tab, site.url, record["text"])
    assert not [t for t in page.locator("#article-text .hl-speaker").all_inner_texts() if "group" in t.lower()]
    attack_ids = {item for seg in page.locator('#article-text .hl-trigger[data-event-types~="ASSAULT"]').all()
                  for item in seg.get_attribute("data-items").split() if item.startswith("E")}
    assert len(attack_ids) == 1  # every mention of the bombing is one event
    event = attack_ids.pop()
    page.locator(f'#events-table button[data-select="{event}"]').click()
    record_box = page.locator(f'#record-panel .record[data-record="{event}"]')
    assert record_box.locator("li.mention").count() >= 4
    assert "Remote explosive" in page.locator("#events-table td.subtype").first.inner_text()
    assert "unclaimed" in page.locator("#events-table").inner_text()
    tab.assert_clean()


# --- stories ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_from_the_home_page_to_a_disputed_story_and_the_sentence_behind_each_claim(browser, site, width):
    context, tab = _tab(browser, width, 844 if width < 700 else 900)
    try:
        _follow_a_disputed_story(tab, site)
    finally:
        context.close()


def _follow_a_disputed_story(tab: Tab, site: Site) -> None:
    page = tab.page
    page.goto(site.url + "/")
    page.locator("#home-disputed a").first.click()
    page.wait_for_url(f"**/ui/stories/{site.disputed_story}")
    cards = page.locator("#story-cards .report-card")
    assert cards.count() == 3  # one card per article, not per trigger
    assert {c.get_attribute("data-document") for c in cards.all()} == set(site.kirkuk_docs)
    assert "3 articles" in page.locator("#story-counts").inner_text()
    assert "3 outlets" in page.locator("#story-counts").inner_text()
    for card in cards.all():
        assert card.locator("h3").inner_text() in site.kirkuk_docs.values()  # titles, not ids
        assert card.locator(".outlet").inner_text() in {"Northern Wire", "Gulf Daily", "Levant Times"}
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", card.locator(".meta .date").first.inner_text())
        assert card.locator(".status-badge").count() >= 1
        trigger = card.locator("blockquote a.trigger").first
        assert trigger.inner_text() in card.locator("blockquote").first.inner_text()
        assert re.fullmatch(rf"/ui/articles/{card.get_attribute('data-document')}#E\d+", trigger.get_attribute("href"))
    text = page.locator("main").inner_text()
    assert not re.search(r"[0-9a-f]{16}:E\d", text), "evidence shows as raw ids"
    kinds = {d.get_attribute("data-kind") for d in page.locator("#story-disagreements .disagreement").all()}
    assert {"casualties", "perpetrator"} <= kinds
    _shot(page, f"story-kirkuk-{page.viewport_size['width']}.png")
    tab.assert_fits()
    tab.assert_clean()

    # Each claim's evidence link opens its article with the evidence marked.
    claims = page.locator("#story-claims a.evidence")
    assert claims.count() >= 2
    for i in range(claims.count()):
        page.goto(f"{site.url}/ui/stories/{site.disputed_story}")
        link = page.locator("#story-claims a.evidence").nth(i)
        evidence = link.inner_text().strip("“”")
        link.click()
        page.wait_for_selector("mark.evidence")
        marked = "".join(page.locator("mark.evidence").all_text_contents())
        assert marked == evidence
        assert page.locator("mark.evidence").first.is_visible()
        box = page.locator("mark.evidence").first.bounding_box()
        assert 0 <= box["y"] < page.viewport_size["height"]  # scrolled to it
    # A disagreement's link opens the article at that report, its trigger selected.
    page.goto(f"{site.url}/ui/stories/{site.disputed_story}")
    page.locator('#story-disagreements [data-kind="casualties"] a.evidence').first.click()
    page.wait_for_selector("#article-text .selected")
    assert page.locator("#record-panel .record-event").count() == 1
    tab.assert_clean()


def test_stories_list_filters_pages_back_and_forth_and_counts_outlets(tab, site):
    page = tab.page
    page.goto(site.url + "/ui/stories")
    shown = page.locator("article.story").count()
    assert shown == min(20, site.stories)
    kirkuk = page.locator(f"#story-{site.disputed_story}")
    assert "3 articles, 3 outlets" in " ".join(kirkuk.locator(".story-counts").inner_text().split())
    if site.stories > 20:
        page.click("#stories-next")
        assert page.locator("article.story").count() == site.stories - 20
        page.click("#stories-prev")
        assert page.locator("article.story").count() == 20
    # Stories of the examples have no outlet: they say so instead of "0 outlets".
    assert "0 outlets" not in page.locator("main").inner_text()

    page.check("#filter-disputed")
    page.click("#stories-filter-submit")
    page.wait_for_url("**disputed=1**")
    stories = page.locator("article.story")
    assert stories.count() == site.counts["stories"]
    assert all("disputed" in (s.get_attribute("class") or "") for s in stories.all())

    page.goto(site.url + "/ui/stories?type=ACCUSE&actor=Kurdish")
    types = [h.inner_text() for h in page.locator("article.story h2").all()]
    assert types and all(t.startswith("ACCUSE") for t in types)
    page.goto(site.url + "/ui/stories?since=2030-01-01")
    assert page.locator("#stories-none").is_visible()
    tab.assert_clean()


def test_stories_page_explains_that_there_are_none_yet(tab, tmp_path, pipeline):
    db = build_store(tmp_path, pipeline, {"hostile.txt": HOSTILE_TEXT})  # ingested, never linked
    with running(create_app(db, pipeline=pipeline)) as url:
        page = tab.page
        page.goto(f"{url}/ui/stories")
        message = page.locator("#stories-empty").inner_text()
        assert "No stories yet" in message and "newstrace link" in message
        tab.assert_clean()


# --- events and charts --------------------------------------------------------------------------------------------


def test_events_page_filters_by_actor_and_draws_timeline_network_and_map(tab, site):
    page = tab.page
    # the charts' data is fetched after load: let it arrive, or leaving the page aborts it (a failed request)
    page.goto(f"{site.url}/ui/events", wait_until="networkidle")
    every_row = page.locator("#events-rows tbody tr").count()
    page.fill('input[name="actor"]', "Netanyahu")
    page.click("#events-filter-submit")
    page.wait_for_url("**/ui/events?*actor=Netanyahu*")
    sources = page.locator("#events-rows tbody td.source").all_inner_texts()
    assert sources and all("Netanyahu" in s for s in sources)
    assert len(sources) < every_row

    for chart in ("svg#timeline", "svg#network", "svg#map"):
        _wait_drawn(page, chart)
    assert page.locator("svg#map path.country").count() > 100  # the vendored world map, decoded in the page
    assert page.locator("svg#map circle.event-dot").count() >= 1
    assert page.locator("svg#network path.edge").count() >= 1
    assert page.locator("svg#network circle.node-dot").count() >= 2
    assert "Benjamin Netanyahu" in page.locator("svg#network").text_content()
    assert page.locator("svg#timeline rect.bar").count() >= 1
    _shot(page.locator("svg#map"), "events-map.png")
    _shot(page.locator("svg#network"), "events-network.png")
    assert "match" in page.locator("#events-summary").inner_text()
    tab.assert_clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_clicking_a_chart_filters_the_table(browser, site, width):
    context, tab = _tab(browser, width, 844 if width < 700 else 900)
    try:
        _click_charts(tab, site)
    finally:
        context.close()


def _click_charts(tab: Tab, site: Site) -> None:
    page = tab.page
    page.goto(f"{site.url}/ui/events")
    _wait_drawn(page, "svg#map")
    dot = page.locator("svg#map circle.event-dot").last  # drawn last: on top of any neighbour it overlaps
    place = dot.get_attribute("data-place")
    dot.click()
    page.wait_for_url("**place=*")
    page.wait_for_load_state("networkidle")  # the charts of the filtered page, drawn
    assert _query(page)["place"] == place
    places = page.locator("#events-rows tbody td.place").all_inner_texts()
    assert places and all(p == place for p in places)

    page.goto(f"{site.url}/ui/events")
    _wait_drawn(page, "svg#network")
    node = page.locator("svg#network g.node").first
    actor = node.get_attribute("data-actor")
    node.locator("circle").click()
    page.wait_for_url("**actor=*")
    page.wait_for_load_state("networkidle")
    sources = page.locator("#events-rows tbody td.source").all_inner_texts()
    assert sources and all(actor.lower() in s.lower() for s in sources)

    page.goto(f"{site.url}/ui/events")
    _wait_drawn(page, "svg#timeline")
    bar = page.locator("svg#timeline rect.bar").last
    since, until = bar.get_attribute("data-since"), bar.get_attribute("data-until")
    bar.click()
    page.wait_for_url("**since=*")
    page.wait_for_load_state("networkidle")
    assert (_query(page)["since"], _query(page)["until"]) == (since, until)
    dates = page.locator("#events-rows tbody td.date").all_inner_texts()
    assert dates and all(since <= d[:10] <= until for d in dates if len(d) >= 10)
    tab.assert_clean()


def test_dragging_across_the_timeline_picks_a_date_range(tab, site):
    page = tab.page
    page.goto(f"{site.url}/ui/events?scope=all")
    _wait_drawn(page, "svg#timeline")
    bars = page.locator("svg#timeline rect.bar")
    first, last = bars.first.bounding_box(), bars.last.bounding_box()
    y = first["y"] + first["height"] - 2
    page.mouse.move(first["x"] + 1, y)
    page.mouse.down()
    page.mouse.move((first["x"] + last["x"]) / 2, y, steps=4)
    page.mouse.move(last["x"] + last["width"] - 1, y, steps=4)
    page.mouse.up()
    page.wait_for_url("**until=*")
    query = _query(page)
    assert query["since"] == bars.first.get_attribute("data-since") and query["until"] == bars.last.get_attribute("data-until")
    assert query["since"] < query["until"] and query["scope"] == "all"  # the other filters stay
    assert page.locator("#events-rows tbody tr").count() >= 1
    tab.assert_clean()


def test_only_asserted_and_reported_events_count_until_the_switch_is_on(tab, site):
    page = tab.page
    page.goto(f"{site.url}/ui/events")
    statuses = set(page.locator("#events-rows tbody td.status").all_inner_texts())
    assert statuses and statuses <= set(FACTUAL)
    assert "Counting only events that are asserted or reported" in page.locator("#events-scope").inner_text()
    _wait_drawn(page, "svg#timeline")
    assert page.locator("svg#timeline rect.bar-uncertain").count() == 0
    factual_total = int(page.locator("#events-summary").inner_text().split()[0])

    page.check("#filter-scope")  # the switch reloads the page with scope=all
    page.wait_for_url("**scope=all**")
    statuses = set(page.locator("#events-rows tbody td.status").all_inner_texts())
    assert statuses - set(FACTUAL), "the switch shows alleged, denied, negated or hypothetical events too"
    _wait_drawn(page, "svg#timeline")
    assert int(page.locator("#events-summary").inner_text().split()[0]) > factual_total
    # Not-asserted events are drawn apart: hatched bars, dashed edges or hollow dashed dots.
    drawn_apart = sum(page.locator(s).count() for s in (
        "svg#timeline rect.bar-uncertain", "svg#network path.edge-uncertain", "svg#map circle.event-dot-uncertain"))
    assert drawn_apart >= 1
    _shot(page, "events-all-statuses.png")
    tab.assert_clean()


def test_the_map_zooms_and_pans_offline(tab, site):
    page = tab.page
    page.goto(f"{site.url}/ui/events")
    _wait_drawn(page, "svg#map")
    svg = page.locator("svg#map")
    start = svg.get_attribute("viewBox")
    page.click("#map-zoom-in")
    assert float(svg.get_attribute("data-zoom")) > 1.4
    zoomed = svg.get_attribute("viewBox")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    for _ in range(50):  # the wheel is handled asynchronously (wait_for_function would need eval, which CSP forbids)
        if float(svg.get_attribute("data-zoom")) > 1.6:
            break
        page.wait_for_timeout(100)
    assert float(svg.get_attribute("data-zoom")) > 1.6
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 60, box["y"] + box["height"] / 2 - 20, steps=5)
    page.mouse.up()
    assert svg.get_attribute("viewBox") not in (start, zoomed)
    assert "place" not in _query(page)  # a drag is not a click on a place
    page.click("#map-reset")
    assert svg.get_attribute("viewBox").split() == start.split() or float(svg.get_attribute("data-zoom")) == 1
    tab.assert_clean()


def test_table_columns_sort_every_row_and_dates_do_not_wrap(tab, site):
    page = tab.page
    page.goto(f"{site.url}/ui/events?scope=all")
    _wait_drawn(page, "#timeline")  # leave no overview request in flight when the link navigates away
    header = page.locator("#events-rows thead th").nth(1)  # type
    header.locator("a.sort").click()
    page.wait_for_url("**sort=type**")
    _wait_drawn(page, "#timeline")
    header = page.locator("#events-rows thead th").nth(1)
    types = page.locator("#events-rows tbody td.type").all_inner_texts()
    assert types == sorted(types) and header.get_attribute("aria-sort") == "ascending"
    assert _query(page)["scope"] == "all"  # the filters stay
    header.locator("a.sort").press("Enter")
    page.wait_for_url("**order=desc**")
    _wait_drawn(page, "#timeline")
    header = page.locator("#events-rows thead th").nth(1)
    types = page.locator("#events-rows tbody td.type").all_inner_texts()
    assert types == sorted(types, reverse=True) and header.get_attribute("aria-sort") == "descending"
    assert page.locator("#events-rows td.date").first.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    tab.assert_clean()


TABLE_IDS = {"events": "events-rows", "articles": "articles-table"}


class _Table(HTMLParser):
    """The sort keys of a listing table's headings and the texts of its body cells."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.in_body, self.in_cell = table_id, False, False, False
        self.keys: list[str] = []
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "table":
            self.inside = attrs.get("id") == self.table_id
        elif self.inside and tag == "a" and "sort" in (attrs.get("class") or ""):
            self.keys.append(parse_qs(urlsplit(attrs["href"]).query)["sort"][0])
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.in_cell = False
        elif tag == "table":
            self.inside = self.in_body = False

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.rows[-1][-1] += data.strip()


def _column_texts(html: str, listing: str, key: str) -> list[str]:
    table = _Table(TABLE_IDS[listing])
    table.feed(html)
    index = table.keys.index(key)
    return [row[index] for row in table.rows]


@pytest.mark.parametrize(("listing", "key"), [("events", "mentions"), ("articles", "events")])
def test_sorting_orders_all_rows_before_paging(site, listing, key):
    """The server sorts the whole listing: a page sorted in descending order starts with the largest value in
    the store and goes down from there."""
    extra = {"scope": "all"} if listing == "events" else {}
    answer = httpx.get(f"{site.url}/ui/{listing}", params={"sort": key, "order": "desc", **extra})
    assert answer.status_code == 200 and 'aria-sort="descending"' in answer.text
    largest = site.largest[listing]
    cells = _column_texts(answer.text, listing, key)
    assert cells and cells[0] == str(largest), (cells[:5], largest)
    values = [int(c) if c.isdigit() else c for c in cells if c]
    assert values == sorted(values, reverse=True), values


def test_a_malformed_sort_is_an_error_with_a_message(site):
    answer = httpx.get(f"{site.url}/ui/events", params={"sort": "colour"})
    assert answer.status_code == 422 and "sort: 'colour' is not one of date, type" in unescape(answer.text)
    answer = httpx.get(f"{site.url}/ui/actors", params={"sort": "name", "order": "sideways"})
    assert answer.status_code == 422 and "order: 'sideways' is not one of asc, desc" in unescape(answer.text)


def test_articles_show_titles_and_untitled_texts_their_first_line(tab, site):
    page = tab.page
    page.goto(f"{site.url}/ui/articles")
    titles = page.locator("#articles-table td.title a").all_inner_texts()
    assert set(site.kirkuk_docs.values()) <= set(titles)
    assert not [t for t in titles if re.search(r"^/|\.txt$|^[0-9a-f]{16}$", t)], titles  # no paths, no hash ids
    untitled = page.locator("#articles-table td.title", has_text="untitled; first line").first
    first_line = (REPO / "examples" / "01_red_sea_drone.txt").read_text(encoding="utf-8").strip().splitlines()[0]
    shown = [t for t in titles if first_line.startswith(t.rstrip("…"))]
    assert untitled.count() == 1 and shown
    tab.assert_clean()


# --- statements and actors ---------------------------------------------------------------------------------------


def test_statements_filter_by_certainty_and_link_to_their_sentence(tab, site):
    page = tab.page
    page.goto(f"{site.url}/ui/statements")
    page.select_option("#filter-certainty", "doubtful")
    page.click("#statements-filter-submit")
    page.wait_for_url("**certainty=doubtful**")
    rows = page.locator("#statements-table tbody tr")
    assert rows.count() >= 1
    assert {r.locator("td").nth(4).inner_text() for r in rows.all()} == {"doubtful"}
    link = rows.first.locator("td.content a")
    content = link.inner_text()
    link.click()
    page.wait_for_selector("#record-panel .record-statement")
    assert content in page.locator("#record-panel").inner_text()
    assert page.locator("#article-text .selected").count() >= 1
    tab.assert_clean()


def test_actor_page_shows_codes_events_both_ways_and_statements(tab, site):
    page = tab.page
    page.goto(f"{site.url}/ui/actors")
    page.locator("#actors-table a", has_text="Islamic State").first.click()
    page.wait_for_selector("#actor-name")
    assert page.locator("#actor-name").inner_text() == "Islamic State"
    codes = page.locator("#actor-codes").inner_text()
    assert "REB" in codes and "Q2429253" in codes  # sector and Wikidata id
    assert page.locator("#actor-mentions tbody tr").count() == 2  # named in two Kirkuk reports
    assert page.locator("#actor-events tbody tr").count() >= 1
    assert {r.inner_text() for r in page.locator("#actor-events td.role").all()} <= {"source", "target"}
    assert page.locator("#actor-about tbody tr").count() >= 1 or page.locator("#actor-said tbody tr").count() >= 1
    tab.assert_clean()


# --- validation ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "fields"), [
    ("/ui/events?since=notadate&type=BOMBING&status=rumoured", {"since": "not a date", "type": "PLOVER event type",
                                                               "status": "event status"}),
    ("/ui/statements?certainty=sure&until=2024-02-30", {"certainty": "certainty", "until": "not a date"}),
    ("/ui/stories?since=yesterday&type=NOPE", {"since": "not a date", "type": "PLOVER event type"}),
    ("/ui/articles?until=12/06/2024", {"until": "not a date"}),
    ("/ui/actors?sector=XYZ", {"sector": "sector code"}),
])
def test_a_malformed_filter_is_explained_next_to_its_field(tab, site, path, fields):
    page = tab.page
    response = page.goto(site.url + path)
    assert response.status == 422
    for name, words in fields.items():
        message = page.locator(f"#error-{name}")
        assert words in message.inner_text()
        field_box, message_box = page.locator(f"#filter-{name}").bounding_box(), message.bounding_box()
        assert abs(message_box["y"] - (field_box["y"] + field_box["height"])) < 40  # right under its field
        assert page.locator(f"#filter-{name}").get_attribute("aria-invalid") == "true"
    for name in ("since", "until"):
        if page.locator(f"#filter-{name}").count():
            assert page.locator(f"#filter-{name}").get_attribute("type") == "date"  # the browser's date picker
    assert page.locator("table.rows").count() == 0  # nothing searched, not "0 events"
    assert not tab.dialogs and not tab.errors


def test_export_refuses_a_malformed_filter_with_422(site):
    answer = httpx.get(f"{site.url}/export/events.csv", params={"since": "notadate"})
    assert answer.status_code == 422 and "since: 'notadate' is not a date" in answer.json()["detail"]
    answer = httpx.get(f"{site.url}/ui/events/overview", params={"type": "BOMBING"})
    assert answer.status_code == 422 and "PLOVER event type" in answer.json()["detail"]
    assert httpx.get(f"{site.url}/export/events.xlsx").status_code == 404


# --- exports ---------------------------------------------------------------------------------------------------------

EXPORT_CASES = {
    "events": ("/ui/events?type=ASSAULT", ["event_id", "date", "date_precision", "type", "status", "source",
                                           "source_code", "source_country", "target", "target_code", "target_country",
                                           "place", "latitude", "longitude", "fatalities", "sentence",
                                           "article_title", "article_url", "outlet"]),
    "statements": ("/ui/statements?certainty=certain", ["date", "speaker", "content", "channel", "certainty",
                                                         "sentence", "title", "url", "outlet"]),
    "stories": ("/ui/stories?disputed=1", ["story_id", "type", "date", "place", "latitude", "longitude",
                                           "fatalities", "fatalities_max", "n_articles", "n_outlets", "disputed",
                                           "article_urls"]),
    "articles": ("/ui/articles?source=gulf", ["id", "title", "url", "outlet", "published", "events", "statements"]),
}


def _read_export(path: Path, fmt: str) -> tuple[list[str], list[dict]]:
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
        return list(reader.fieldnames or []), list(reader)
    if fmt == "json":
        items = json.loads(path.read_text(encoding="utf-8"))
        return (list(items[0]) if items else []), items
    relation = duckdb.connect().sql(f"SELECT * FROM read_parquet('{path}')")
    return relation.columns, [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


@pytest.mark.parametrize("kind", list(EXPORT_CASES))
def test_each_export_downloads_what_the_page_lists(tab, site, kind, tmp_path):
    page = tab.page
    path, columns = EXPORT_CASES[kind]
    page.goto(site.url + path)
    for fmt in ("csv", "json", "parquet"):
        button = page.locator(f'#{kind}-exports a[data-format="{fmt}"]')
        with page.expect_download() as download:
            button.click()
        saved = tmp_path / f"{kind}.{fmt}"
        download.value.save_as(saved)
        header, rows = _read_export(saved, fmt)
        assert set(columns) <= set(header), (fmt, sorted(set(columns) - set(header)))
        assert len(rows) == site.counts[kind], (kind, fmt)
        if kind == "events":
            assert {r["type"] for r in rows} == {"ASSAULT"} and {r["status"] for r in rows} <= set(FACTUAL)
            kirkuk = [r for r in rows if r["place"] == "Kirkuk"]
            assert kirkuk and all(float(r["latitude"]) > 35 and r["article_url"].startswith("https://") for r in kirkuk)
            assert any(str(r["fatalities"]) in ("12", "15") for r in kirkuk)
            assert all(r["sentence"] for r in rows) and all(r["date_precision"] for r in rows if r["date"])
        if kind == "stories":
            assert all(str(r["disputed"]).lower() in ("true", "1") for r in rows)
    tab.assert_clean()


def test_actor_codes_come_from_the_store_where_it_keeps_them(tmp_path, pipeline):
    """Stores keep each actor's CAMEO-style code (store version 4) and the exports show the stored one."""
    db = build_store(tmp_path, pipeline)
    with running(create_app(db, pipeline=pipeline)) as url:
        rows = list(csv.DictReader(io.StringIO(httpx.get(f"{url}/export/events.csv",
                                                         params={"actor": "United States", "scope": "all"}).text)))
        # the state named by its name: its bare country code, as the pipeline codes it (Actor.code)
        assert rows and all("USA" in r["source_code"].split("; ") for r in rows)
    with Store(db) as store:
        store.con.execute("UPDATE actors SET code = 'USAEXE' WHERE name = 'United States'")
    with running(create_app(db, pipeline=pipeline)) as url:
        rows = list(csv.DictReader(io.StringIO(httpx.get(f"{url}/export/events.csv",
                                                         params={"actor": "United States", "scope": "all"}).text)))
        assert rows and all("USAEXE" in r["source_code"].split("; ") for r in rows)
        page = httpx.get(f"{url}/ui/actors/united%20states")
        assert page.status_code == 200 and "<code>USAEXE</code>" in page.text


def test_a_phone_downloads_what_it_sees(phone, site, tmp_path):
    page = phone.page
    path, columns = EXPORT_CASES["events"]
    page.goto(site.url + path)
    button = page.locator('#events-exports a[data-format="csv"]')
    assert button.is_visible()
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / "events.csv"
    download.value.save_as(saved)
    header, rows = _read_export(saved, "csv")
    assert set(columns) <= set(header) and len(rows) == site.counts["events"]
    phone.assert_fits()
    phone.assert_clean()


# --- hostile text ------------------------------------------------------------------------------------------------------


def test_hostile_titles_text_and_query_parameters_run_nothing(tab, site):
    page = tab.page
    payload = '"><script>alert(8)</script><img src=x onerror=alert(9)>'
    for path in ("/ui/articles", "/ui/events?scope=all", f"/ui/events?actor={payload}&place={payload}",
                 f"/ui/statements?speaker={payload}", f"/ui/stories?actor={payload}", f"/ui/actors?q={payload}",
                 "/", f"/ui/actors/{payload.replace('/', '')}"):
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator('a[href^="javascript:"]').count() == 0
    page.goto(f"{site.url}/ui/events?actor={payload}")
    assert page.locator("#filter-actor").input_value() == payload  # shown back as text
    page.goto(f"{site.url}/ui/articles?source=evil")
    title = page.locator("#articles-table td.title a").first
    assert title.inner_text() == HOSTILE_RECORD["title"]  # the markup shows as text
    title.click()
    page.wait_for_selector("#article-text")
    assert "<script>alert(1)</script>" in page.locator("#article-text").inner_text()
    for segment in page.locator("#article-text .hl").all()[:10]:  # the records panel renders text too
        segment.click()
    assert not tab.dialogs and not tab.errors

    _analyze(tab, site.url, HOSTILE_TEXT)
    assert "</script><script>alert(3)</script>" in page.locator("#article-text").inner_text()
    assert page.locator("#analyze-text").input_value().startswith("<script>alert(1)</script>")
    assert not tab.dialogs and not tab.errors

    # The control: the same listener does see a script that runs (on a blank page, outside our CSP).
    page.goto("about:blank")
    page.set_content("<script>alert(1)</script>")
    assert tab.dialogs == ["1"]


def test_every_sort_column_of_every_listing_answers(site):
    from newstrace.web.listing import SORTS

    for listing, columns in SORTS.items():
        for key in columns:
            for order in ("asc", "desc"):
                answer = httpx.get(f"{site.url}/ui/{listing}", params={"sort": key, "order": order, "scope": "all"})
                assert answer.status_code == 200, (listing, key, order, answer.text[-300:])
                assert f'aria-sort="{"ascending" if order == "asc" else "descending"}"' in answer.text, (listing, key)
