"""The HTTP API as a client sees it: a real uvicorn server on 127.0.0.1, real HTTP requests (httpx), a real
DuckDB store built from the bundled examples; schemathesis fuzzes every operation in /openapi.json."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from serving import EXAMPLES, HOSTILE_TEXT, build_store, running

from newstrace.api import create_app
from newstrace.queries import EventFilter, event_rows, statement_rows, top_actors
from newstrace.store import Store

ARTICLE = ("KABUL, August 16, 2021 — Taliban fighters seized the presidential palace on Sunday, "
           "officials said. The United Nations urged restraint.")
LISTINGS = ("/documents", "/events", "/statements", "/actors", "/stories")


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline) -> Path:
    return build_store(tmp_path_factory.mktemp("api"), pipeline, {"hostile.txt": HOSTILE_TEXT})


@pytest.fixture(scope="module")
def base_url(db, pipeline) -> str:
    with running(create_app(db, pipeline=pipeline)) as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url) -> httpx.Client:
    with httpx.Client(base_url=base_url, timeout=60) as c:
        yield c


def _walk(client: httpx.Client, path: str, **params) -> list[dict]:
    """Every item of a listing, page by page through next_cursor."""
    items, cursor = [], None
    while True:
        page = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})}).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def _as_json(columns: list[str], rows: list[tuple]) -> list[dict]:
    return [{c: (v.isoformat() if hasattr(v, "isoformat") else v) for c, v in zip(columns, r, strict=True)} for r in rows]


# --- the description ------------------------------------------------------------------------------------


def test_openapi_describes_every_endpoint_and_no_page(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/analyze", "/documents", "/documents/{doc_id}", "/events", "/events/overview", "/statements", "/actors",
            "/stories", "/stories/{story_id}", "/health"} <= paths
    assert "/ingest" not in paths  # only with --allow-ingest
    assert not any(p.startswith("/ui") for p in paths)
    assert client.get("/docs").status_code == 404  # Swagger UI loads from a CDN: not served


# --- analysis ----------------------------------------------------------------------------------------------


def test_analyze_returns_what_the_cli_prints(client, pipeline):
    response = client.post("/analyze", json={"text": ARTICLE, "published": "2021-08-16"})
    assert response.status_code == 200
    got = response.json()
    expected = pipeline.analyze(ARTICLE, published="2021-08-16").model_dump(mode="json")
    got.pop("timings"), expected.pop("timings")
    assert got == expected
    assert got["events"] and got["actors"]


@pytest.mark.parametrize("body", [
    {"text": ARTICLE, "published": "16/08/2021"},
    {"text": ARTICLE, "published": "2021-13-45"},
    {"text": "   \n  "},
    {"text": ""},
    {"published": "2021-08-16"},
    {"text": ARTICLE, "unknown": 1},
])
def test_bad_analysis_requests_are_422_with_a_reason(client, body):
    response = client.post("/analyze", json=body)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_a_bad_date_names_the_problem(client):
    detail = client.post("/analyze", json={"text": ARTICLE, "published": "16/08/2021"}).json()["detail"]
    assert "bad published date" in detail


def test_scraped_dates_are_read_and_ambiguous_ones_refused(client):
    for published in ("Tue, 17 Aug 2021 09:43:00 GMT", "Aug 17, 2021", "2021-08-17T23:30:00-05:00"):
        response = client.post("/analyze", json={"text": ARTICLE, "published": published})
        assert response.status_code == 200 and response.json()["document"]["published"] == "2021-08-17", published
    ambiguous = client.post("/analyze", json={"text": ARTICLE, "published": "12/01/2016"})
    assert ambiguous.status_code == 422 and "'12/01/2016'" in ambiguous.json()["detail"]
    assert "ambiguous" in ambiguous.json()["detail"]


def test_oversized_bodies_get_413_whether_announced_or_streamed(client):
    big = b'{"text": "' + b"x" * 1_100_000 + b'"}'
    announced = client.post("/analyze", content=big, headers={"content-type": "application/json"})
    assert announced.status_code == 413
    assert "over the limit" in announced.json()["detail"]

    def chunks():  # no Content-Length: the server must count what arrives
        for i in range(0, len(big), 65536):
            yield big[i:i + 65536]

    streamed = client.post("/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert client.get("/health").status_code == 200


def test_slow_analyses_get_504_a_full_queue_503_and_the_server_stays_up(db, pipeline):
    long_text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))) * 4
    app = create_app(db, pipeline=pipeline, analyze_timeout=0.01, max_pending=1)
    with running(app) as url, httpx.Client(base_url=url, timeout=30) as c:
        first = c.post("/analyze", json={"text": long_text})
        assert first.status_code == 504
        assert "still up" in first.json()["detail"]
        # The first analysis is still running on the single worker: the queue (of one) is full.
        second = c.post("/analyze", json={"text": long_text})
        assert second.status_code == 503
        assert second.headers["retry-after"]
        assert c.get("/events", params={"limit": 1}).status_code == 200
        deadline = time.monotonic() + 30
        while c.get("/health").json()["pending_analyses"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert c.get("/health").json()["pending_analyses"] == 0


# --- listings ------------------------------------------------------------------------------------------------


def test_event_filters_are_the_clis(client, db):
    with Store(db, read_only=True) as store:
        store.con.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")  # see RequestStore
        for f in (EventFilter(), EventFilter(actor="Netanyahu"), EventFilter(type="assault"),
                  EventFilter(place="Gaza", status="asserted"), EventFilter(since="2024-01-01", until="2024-03-31"),
                  EventFilter(target="IRN")):
            params = {k: v for k, v in vars(f).items() if v and k != "limit"}
            assert _walk(client, "/events", **params, limit=1000) == _as_json(*event_rows(store, f)), params
        assert _walk(client, "/statements", speaker="Netanyahu") == _as_json(*statement_rows(store, "Netanyahu"))
        assert _walk(client, "/actors") == _as_json(*top_actors(store, 1000))


# A malformed filter is the caller's error: 422 with a message naming the field and the value, never 200 with
# no items (which reads as "nothing happened").
BAD_FILTERS = [
    ("/events", {"since": "notadate"}, "since", "notadate"),
    ("/events", {"until": "2024-13-45"}, "until", "2024-13-45"),
    ("/events", {"type": "BOMBING"}, "type", "BOMBING"),
    ("/events", {"status": "rumoured"}, "status", "rumoured"),
    ("/events", {"status": "asserted,rumoured"}, "status", "rumoured"),
    ("/events", {"since": "2024-05-01", "until": "2024-04-01"}, "until", "before since"),
    ("/events", {"type": "BOMBING", "format": "csv"}, "type", "BOMBING"),  # the CSV export, too
    ("/events/overview", {"type": "BOMBING"}, "type", "BOMBING"),
    ("/events/overview", {"since": "last week"}, "since", "last week"),
    ("/documents", {"since": "yesterday"}, "since", "yesterday"),
    ("/documents", {"until": "2024-02-30"}, "until", "2024-02-30"),
    ("/documents", {"until": "2024-02-30", "format": "csv"}, "until", "2024-02-30"),
    ("/stories", {"since": "notadate"}, "since", "notadate"),
    ("/stories", {"until": "16/08/2021"}, "until", "16/08/2021"),
    ("/stories", {"type": "BOMBING"}, "type", "BOMBING"),
    ("/actors", {"sector": "XYZ"}, "sector", "XYZ"),
    ("/actors", {"sector": "XYZ", "format": "csv"}, "sector", "XYZ"),
]


@pytest.mark.parametrize(("path", "params", "field", "named"), BAD_FILTERS)
def test_malformed_filters_are_422_with_a_message(client, path, params, field, named):
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.startswith(f"{field}:") and named in detail


def test_well_formed_filters_still_answer_and_are_normalised(client):
    for path, params in (("/events", {"type": "assault"}), ("/events", {"status": "Asserted"}),
                         ("/events", {"since": "2024", "until": "2024-03"}), ("/documents", {"since": "2020-01"}),
                         ("/stories", {"since": "2024-06", "type": "assault"}), ("/actors", {"sector": "gov"})):
        assert client.get(path, params=params).status_code == 200, (path, params)
    assert _walk(client, "/events", type="assault") == _walk(client, "/events", type="ASSAULT") != []
    assert _walk(client, "/events", status="Asserted") == _walk(client, "/events", status="asserted") != []


def test_sector_filter_keeps_only_that_sector(client, db):
    government = _walk(client, "/actors", sector="GOV")
    assert government and {a["sector"] for a in government} == {"GOV"}
    with Store(db, read_only=True) as store:
        assert government == _as_json(*top_actors(store, 1000, "GOV"))
        assert len(government) < len(_as_json(*top_actors(store, 1000)))


def test_actor_filter_keeps_only_that_actor(client):
    items = client.get("/events", params={"actor": "Netanyahu"}).json()["items"]
    assert items and all("Netanyahu" in e["source"] for e in items)


def test_cursor_pages_cover_every_row_once(client):
    everything = client.get("/events", params={"limit": 1000}).json()
    assert everything["next_cursor"] is None
    paged = _walk(client, "/events", limit=7)
    assert paged == everything["items"]
    assert len({(e["doc_id"], e["event_id"]) for e in paged}) == len(paged) > 7


@pytest.mark.parametrize("path", LISTINGS)
def test_bad_cursors_and_limits_are_client_errors(client, path):
    assert client.get(path, params={"cursor": "not-a-cursor"}).status_code == 400
    assert client.get(path, params={"cursor": "eyJvIjogLTF9"}).status_code == 400  # {"o": -1}
    assert client.get(path, params={"limit": 0}).status_code == 422
    assert client.get(path, params={"limit": 100_000}).status_code == 422


def test_csv_has_the_same_rows_and_the_cursor_in_a_header(client):
    response = client.get("/events", params={"format": "csv", "limit": 5})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    as_json = client.get("/events", params={"limit": 5}).json()
    assert [(r["doc_id"], r["event_id"]) for r in rows] == [(e["doc_id"], e["event_id"]) for e in as_json["items"]]
    assert response.headers["x-next-cursor"] == as_json["next_cursor"]


def test_documents_list_and_one_document_as_an_analysis(client, db):
    docs = _walk(client, "/documents")
    with Store(db, read_only=True) as store:
        assert len(docs) == store.counts()["documents"]
        doc_id = docs[0]["id"]
        n_events = store.query("SELECT count(*) FROM events WHERE doc_id = ?", [doc_id])[1][0][0]
    assert "text" not in docs[0]
    analysis = client.get(f"/documents/{doc_id}").json()
    assert analysis["document"]["id"] == doc_id
    assert len(analysis["events"]) == n_events
    text = analysis["document"]["text"]
    for event in analysis["events"]:  # spans point into the text, as in `newstrace analyze`
        assert text[event["trigger"]["start"]:event["trigger"]["end"]] == event["trigger"]["text"]
    assert client.get("/documents/nope").status_code == 404
    assert client.get("/documents", params={"q": "Tbilisi"}).json()["items"]


def test_stories_are_an_empty_list_until_linking_exists(client):
    assert client.get("/stories").json() == {"items": [], "next_cursor": None}
    assert client.get("/stories/s1").status_code == 404


def test_events_overview_feeds_the_charts(client):
    overview = client.get("/events/overview", params={"actor": "Netanyahu"}).json()
    assert overview["total"] == len(client.get("/events", params={"actor": "Netanyahu"}).json()["items"])
    assert overview["network"]["edges"][0]["source"] == "Benjamin Netanyahu"
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in overview["map"]["points"])
    assert overview["quad"]["ASSAULT"] == 4


# --- security ---------------------------------------------------------------------------------------------


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/ui/events", "/events", "/static/viz.js"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        csp = headers["content-security-policy"]
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        assert "default-src 'none'" in csp


@pytest.mark.parametrize("raw_path", ["/static/%2e%2e/api.py", "/static/..%2fapi.py", "/static/%2e%2e/%2e%2e/pyproject.toml",
                                      "/static/vendor/../../api.py"])
def test_static_files_stay_in_their_folder(base_url, raw_path):
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:  # a raw request: clients normalise '..'
        s.sendall(f"GET {raw_path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1])
    assert status in {400, 404}, reply[:200]
    assert b"create_app" not in reply and b"[project]" not in reply


def test_vendored_map_is_served_from_the_package(client):
    response = client.get("/static/vendor/world-atlas/countries-110m.json")
    assert response.status_code == 200
    assert response.json()["type"] == "Topology"


def test_hostile_article_text_is_escaped_in_the_page(client):
    doc = client.get("/documents", params={"q": "onerror"}).json()["items"][0]
    html = client.get(f"/ui/articles/{doc['id']}").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    data_block = re.search(r'<script type="application/json" id="records-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data_block and ">" not in data_block


# --- ingest ------------------------------------------------------------------------------------------------


def test_ingest_exists_only_when_allowed_and_wants_the_token(db, pipeline, tmp_path):
    writable = tmp_path / "writable.duckdb"
    shutil.copy(db, writable)
    with pytest.raises(ValueError, match="token"):
        create_app(writable, allow_ingest=True)
    body = {"articles": [{"text": ARTICLE, "published": "2021-08-16", "title": "Kabul", "source": "wire"}]}
    with running(create_app(writable, allow_ingest=True, token="s3cret", pipeline=pipeline)) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        assert "/ingest" in c.get("/openapi.json").json()["paths"]
        assert c.post("/ingest", json=body).status_code == 401
        refused = c.post("/ingest", json=body, headers={"Authorization": "Bearer wrong"})
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        ok = c.post("/ingest", json=body, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json()["ingested"] == 1
        again = c.post("/ingest", json=body, headers={"Authorization": "Bearer s3cret"}).json()
        assert again["ingested"] == 0 and again["duplicates"] == 1
        assert c.get("/documents", params={"source": "wire"}).json()["items"][0]["title"] == "Kabul"
        bad = c.post("/ingest", json={"articles": [{"text": ARTICLE, "published": "soon"}]},
                     headers={"Authorization": "Bearer s3cret"})
        assert bad.status_code == 422
        sneaky = {"articles": [{"text": "Protesters marched in Tbilisi on Monday.", "url": "javascript:alert(1)"}]}
        assert c.post("/ingest", json=sneaky, headers={"Authorization": "Bearer s3cret"}).json()["ingested"] == 1
        doc = c.get("/documents", params={"q": "marched"}).json()["items"][0]
        assert 'href="javascript' not in c.get(f"/ui/articles/{doc['id']}").text  # only http(s) URLs become links


def test_linked_stories_are_served_disputed_first_and_escaped(pipeline, tmp_path):
    from newstrace.corpus import ingest
    from newstrace.link import link_store
    from newstrace.store import Store

    lines = (Path(__file__).parent / "data" / "kirkuk_reports.jsonl").read_text(encoding="utf-8").splitlines()
    hostile = json.loads(lines[1])
    hostile["source"] = "<b>Gulf</b> Daily"
    corpus = tmp_path / "reports.jsonl"
    corpus.write_text("\n".join([lines[0], json.dumps(hostile), *lines[2:]]) + "\n", encoding="utf-8")
    linked = tmp_path / "linked.duckdb"
    with Store(linked) as store:
        ingest([str(corpus)], store, pipeline)
        link_store(store)
    with running(create_app(linked)) as url, httpx.Client(base_url=url, timeout=60) as c:
        items = c.get("/stories").json()["items"]
        assert items[0]["disputed"] and not items[-1]["disputed"]
        attack = next(i for i in items if i["type"] == "ASSAULT" and i["disputed"])
        one = c.get(f"/stories/{attack['id']}").json()
        assert one["reports"] and {d["kind"] for d in one["disagreements"]} & {"perpetrator", "casualties"}
        disputed = c.get("/stories", params={"disputed": "true"}).json()["items"]
        assert disputed and all(i["disputed"] for i in disputed)
        in_kandahar = c.get("/stories", params={"actor": "gunmen", "type": "assault"}).json()["items"]
        assert in_kandahar and all("Gunmen" in i["actors"] for i in in_kandahar)
        assert c.get("/stories", params={"since": "2024-06-12"}).json()["items"] == []
        assert c.get("/stories", params={"since": "2024-13-45"}).status_code == 422
        page = c.get("/ui/stories").text
        assert "&lt;b&gt;Gulf&lt;/b&gt; Daily" in page and "<b>Gulf</b>" not in page
        assert "Disputed" in page and 'data-kind="casualties"' in page


# --- the command -------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command_binds_localhost_and_prints_its_url(db):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "NEWSTRACE_TOKEN"}
    server = subprocess.Popen([sys.executable, "-m", "newstrace.cli", "serve", "--db", str(db), "--port", str(port)],
                              stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        line = server.stderr.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "newstrace serve did not come up"
                time.sleep(0.1)
        assert health.json()["documents"] >= 3
    finally:
        server.send_signal(signal.SIGINT)  # stopped by its own PID, as a user's Ctrl-C would
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_serve_refuses_ingest_without_a_token(db):
    env = {k: v for k, v in os.environ.items() if k != "NEWSTRACE_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "newstrace.cli", "serve", "--db", str(db), "--allow-ingest"],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2
    assert "NEWSTRACE_TOKEN" in result.stderr


# --- schemathesis ------------------------------------------------------------------------------------------

FUZZ_EXAMPLES = 30  # per operation and mode: enough to find a crash on a path, small enough to stay quick


def test_generated_requests_get_no_server_error(base_url):
    """Every operation in /openapi.json, with valid and with invalid generated requests: never a 5xx."""
    # One test looping over the operations (not schemathesis' pytest fixture, which pytest 9 breaks).
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
            def no_server_error(case) -> None:
                response = case.call(base_url=base_url, timeout=60)
                assert response.status_code < 500, (f"{case.method} {case.formatted_path} query={case.query} "
                                                     f"body={str(case.body)[:200]}: {response.status_code} {response.text[:300]}")

            try:
                no_server_error()
            except Unsatisfiable:
                # An operation without inputs (GET /health) has no invalid request to make.
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
