"""The pages in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against a real
server over a store built from the examples. Screenshots go to test-artifacts/ (or $NEWSTRACE_TEST_ARTIFACTS).

Skips with a message where /usr/bin/chromium is missing; CI installs it in .ci/run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from serving import HOSTILE_TEXT, REPO, build_store, running

from newstrace.api import create_app

CHROMIUM = Path("/usr/bin/chromium")
# From /work/shared/docs/browser-testing.md: without the background-networking flags Chromium keeps
# trying the closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SEED_TEXT = REPO.parent / "shared" / "seed" / "000_c5d289f412430959.txt"
ARTIFACTS = Path(os.environ.get("NEWSTRACE_TEST_ARTIFACTS", REPO / "test-artifacts"))
TIMEOUT_MS = 30_000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does) to run the "
    "browser tests"))


@dataclass
class Tab:
    """A browser page and what it reported: script dialogs, uncaught errors, console messages."""

    page: object
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No script ran a dialog, nothing threw, and the Content-Security-Policy blocked nothing of ours."""
        assert not self.dialogs, f"a script ran: {self.dialogs}"
        assert not self.errors, self.errors
        assert not [m for m in self.console if "Content Security Policy" in m], self.console


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, pipeline) -> Iterator[str]:
    db = build_store(tmp_path_factory.mktemp("web"), pipeline, {"hostile.txt": HOSTILE_TEXT})
    with running(create_app(db, pipeline=pipeline)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        # The system browser, never Playwright's own download (there is no network to fetch it).
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def tab(browser) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page)
    # Registered before anything loads, so a script that runs at parse time is caught too.
    page.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    page.on("console", lambda message: tab.console.append(message.text))
    yield tab
    context.close()


def _shot(locator_or_page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    if hasattr(locator_or_page, "goto"):
        locator_or_page.screenshot(path=str(path), full_page=True)
    else:
        locator_or_page.screenshot(path=str(path))
    assert path.stat().st_size > 1000
    return path


def _analyze(tab: Tab, base_url: str, text: str) -> None:
    page = tab.page
    page.goto(f"{base_url}/ui/analyze")
    page.fill("#analyze-text", text)
    page.click("#analyze-submit")
    page.wait_for_selector("#article-text")


# --- the article view ---------------------------------------------------------------------------------------


def test_seed_article_shows_zarif_as_a_speaker_and_the_drone_strike_as_an_assault(tab, base_url):
    if not SEED_TEXT.exists():
        pytest.skip(f"seed article not found at {SEED_TEXT} (tests that need ../shared skip without it)")
    page = tab.page
    _analyze(tab, base_url, SEED_TEXT.read_text(encoding="utf-8"))
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


def test_links_lead_from_a_statement_to_its_events_and_on_to_responsibility(tab, base_url):
    if not SEED_TEXT.exists():
        pytest.skip(f"seed article not found at {SEED_TEXT}")
    page = tab.page
    _analyze(tab, base_url, SEED_TEXT.read_text(encoding="utf-8"))
    # Find, in the page's own data, a statement reporting an event that has a responsibility record.
    pair = page.evaluate("""() => {
        const records = JSON.parse(document.getElementById('records-data').textContent);
        for (const [id, r] of Object.entries(records)) {
            if (r.kind !== 'statement') continue;
            for (const link of r.links.filter((l) => l.rel === 'reports event')) {
                const claim = records[link.id].links.find((l) => l.rel.startsWith('responsibility'));
                if (claim) return [id, link.id, claim.id];
            }
        }
        return null;
    }""")
    if pair is None:
        pytest.skip("the seed analysis has no statement reporting an event with a responsibility record")
    statement, event, claim = pair
    panel = page.locator("#record-panel")
    page.locator(f'#statements-table button[data-select="{statement}"]').click()
    panel.locator(f'button[data-select="{event}"]').click()
    assert panel.locator(".record").first.get_attribute("data-record") == event
    assert page.locator("#article-text .selected").count() >= 1  # the trigger is marked in the text
    panel.locator(f'button[data-select="{claim}"]').click()
    record = panel.locator(".record").first
    assert record.get_attribute("data-record") == claim and "responsibility" in record.text_content()
    tab.assert_clean()


def test_article_text_with_script_tags_runs_no_script(tab, base_url):
    page = tab.page
    doc = httpx.get(f"{base_url}/documents", params={"q": "onerror"}).json()["items"][0]
    page.goto(f"{base_url}/ui/articles/{doc['id']}")
    text = page.locator("#article-text").inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text
    for segment in page.locator("#article-text .hl").all()[:10]:  # the records panel renders text too
        segment.click()
    _analyze(tab, base_url, HOSTILE_TEXT)
    assert "</script><script>alert(3)</script>" in page.locator("#article-text").inner_text()
    assert page.locator("#analyze-text").input_value().startswith("<script>alert(1)</script>")
    tab.assert_clean()

    # The control: the same listener does see a script that runs (on a blank page, outside our CSP).
    page.goto("about:blank")
    page.set_content("<script>alert(1)</script>")
    assert tab.dialogs == ["1"]


# --- events, stories -----------------------------------------------------------------------------------------


def _wait_drawn(page, selector: str) -> None:
    page.wait_for_selector(f'{selector}[data-ready="true"]', state="attached")


def test_events_page_filters_by_actor_and_draws_timeline_network_and_map(tab, base_url):
    page = tab.page
    page.goto(f"{base_url}/ui/events")
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
    for chart in ("svg#map", "svg#network"):
        box = page.locator(chart).bounding_box()
        assert box["width"] > 200 and box["height"] > 100
    _shot(page.locator("svg#map"), "events-map.png")
    _shot(page.locator("svg#network"), "events-network.png")
    _shot(page, "events-netanyahu.png")
    assert "match" in page.locator("#events-summary").inner_text()
    tab.assert_clean()


def test_unfiltered_events_page_draws_every_chart(tab, base_url):
    page = tab.page
    page.goto(f"{base_url}/ui/events")
    for chart in ("svg#timeline", "svg#network", "svg#map"):
        _wait_drawn(page, chart)
        assert int(page.locator(chart).get_attribute("data-drawn")) > 0
    _shot(page, "events-all.png")
    tab.assert_clean()


def test_stories_page_explains_that_there_are_none_yet(tab, base_url):
    page = tab.page
    page.goto(f"{base_url}/ui/stories")
    message = page.locator("#stories-empty").inner_text()
    assert "No stories yet" in message and "newstrace link" in message
    tab.assert_clean()
