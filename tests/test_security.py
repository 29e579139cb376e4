"""Web safety with real parts: the Jinja templates rendered with hostile records, a real uvicorn server over a
real DuckDB store holding a hostile article, raw HTTP for path traversal, and a real headless Chromium that
must run none of the article's scripts. Covers escaping, static files, CSRF, the ingest switch and token,
Host names, and the security headers on every kind of response."""

from __future__ import annotations

import html.parser
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serving import build_store, running
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from newstrace.api import CSRF_COOKIE, CSRF_FIELD, LOOPBACK_HOSTS, create_app, safe_url
from newstrace.pipeline import Article
from newstrace.web import TEMPLATES_DIR
from newstrace.web.article import article_view
from newstrace.web.listing import PageFilters

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Each payload sets window.__pwned (or opens a dialog) if the browser ever runs it.
PAYLOADS = [
    "<script>window.__pwned = 1</script>",
    '"><img src=x onerror="window.__pwned = 2">',
    "'><svg onload=window.__pwned=3>",
    "</textarea><script>window.__pwned = 4</script>",
    "</script><script>window.__pwned = 5</script>",
    '<iframe srcdoc="<script>parent.__pwned = 6</script>"></iframe>',
    "<a href=\"javascript:window.__pwned = 7\">click</a>",
    "{{ 7 * 7 }} {% raw %} <!-- comment",
    "<style>body{display:none}</style><form action=//evil.example><button>go</button></form>",
]
HOSTILE_BODY = (
    f"{PAYLOADS[0]} Iran's foreign minister Javad Zarif said on Monday that {PAYLOADS[1]} the drone strike near "
    f"Baghdad was a provocation. {PAYLOADS[2]} Israeli forces shelled Gaza on Tuesday, officials said. {PAYLOADS[3]} "
    f"{PAYLOADS[4]} The United Nations urged restraint. {PAYLOADS[5]} {PAYLOADS[6]} {PAYLOADS[7]} {PAYLOADS[8]} "
    "\u2028 \"quotes\" & 'apostrophes' stay text."
)
HOSTILE_TITLE = "</title><script>window.__pwned = 10</script>\"><img src=x onerror=window.__pwned=11>"
HOSTILE_SOURCE = "<b onmouseover=window.__pwned=12>Outlet</b>"
HOSTILE_URL = "javascript:window.__pwned=13"
OUR_SCRIPTS = {"/static/app.js", "/static/article.js", "/static/events.js", "/static/tables.js", "/static/viz.js"}
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options",
                    "cross-origin-resource-policy")
# Every tag our own templates write; any other tag in a page came from the data.
TEMPLATE_TAGS = {t.lower() for f in TEMPLATES_DIR.glob("*.html") for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", f.read_text())}


# --- fixtures -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline) -> Path:
    record = {"text": HOSTILE_BODY, "title": HOSTILE_TITLE, "source": HOSTILE_SOURCE, "url": HOSTILE_URL,
              "published": "2024-03-05"}
    return build_store(tmp_path_factory.mktemp("security"), pipeline, {"hostile.jsonl": json.dumps(record) + "\n"})


def _boom() -> None:
    raise RuntimeError("a bug in a route")


@pytest.fixture(scope="module")
def base_url(db, pipeline) -> Iterator[str]:
    app = create_app(db, pipeline=pipeline, allowed_hosts=list(LOOPBACK_HOSTS))
    app.add_api_route("/test-only/boom", _boom)  # an unhandled exception: the 500 path
    with running(app) as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def hostile_id(client) -> str:
    items = client.get("/documents", params={"q": "provocation"}).json()["items"]
    (doc,) = [d for d in items if d["title"] == HOSTILE_TITLE]
    return doc["id"]


# --- what a safe page looks like ---------------------------------------------------------------------------


class _Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text of the records data block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data_blocks: list[str] = []
        self.text: list[str] = []  # what the page shows, entities decoded
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_data = tag == "script" and dict(attrs).get("type") == "application/json"

    def handle_endtag(self, tag: str) -> None:
        self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data_blocks.append(data)
        else:
            self.text.append(data)


def assert_safe_html(page: str) -> _Tags:
    """No tag, attribute, script or link in ``page`` that the data could have put there."""
    parsed = _Tags()
    parsed.feed(page)
    for tag, attrs in parsed.tags:
        assert tag in TEMPLATE_TAGS, f"<{tag}> is not written by any template: it came from the data"
        handlers = [a for a in attrs if a.startswith("on")]
        assert not handlers, f"<{tag}> has event handler attributes {handlers}"
        if tag == "script":
            assert attrs.get("src") in OUR_SCRIPTS or (attrs.get("type"), attrs.get("id")) == ("application/json",
                                                                                               "records-data"), attrs
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:text/html", "vbscript:")), f"<{tag} {name}={value}>"
    for block in parsed.data_blocks:  # JSON for the page's script: nothing in it may close the block
        assert "<" not in block and ">" not in block
        json.loads(block)
    return parsed


def assert_security_headers(response: httpx.Response) -> None:
    """The security headers, with a policy that runs only our own script files."""
    for name in SECURITY_HEADERS:
        assert response.headers.get(name), f"{response.request.url} ({response.status_code}) lacks {name}"
    csp = response.headers["content-security-policy"]
    directives = dict([*d.strip().split(" ", 1), ""][:2] for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] in {"no-referrer", "same-origin"}


# --- templates, rendered directly -----------------------------------------------------------------------------


def test_templates_escape_hostile_records(db, pipeline):
    env = create_app(db).state.templates  # the app's own Jinja environment
    analysis = pipeline.analyze_article(Article(text=HOSTILE_BODY, published="2024-03-05", title=HOSTILE_TITLE,
                                                source=HOSTILE_SOURCE, url=HOSTILE_URL))
    view = article_view(analysis)
    assert any(seg.marks for seg in view.segments)  # highlights too: their title attributes carry labels
    evil = " ".join(PAYLOADS)
    row = {"id": evil, "title": HOSTILE_TITLE, "source": HOSTILE_SOURCE, "outlet": HOSTILE_SOURCE, "origin": evil,
           "published": evil, "events": evil, "statements": evil, "untitled": False}
    event = {"date": evil, "type": evil, "source": evil, "target": evil, "trigger": evil, "place": evil,
             "status": evil, "doc_id": evil, "event_id": evil, "title": HOSTILE_TITLE, "outlet": HOSTILE_SOURCE}
    report = {"document": evil, "event": evil, "outlet": HOSTILE_SOURCE, "status": evil, "trigger": evil, "date": evil}
    card = {"document": evil, "title": HOSTILE_TITLE, "outlet": HOSTILE_SOURCE, "published": evil, "statuses": [evil],
            "reports": [report], "sentences": [{"parts": [{"text": evil, "report": None}, {"text": evil, "report": report}],
                                                "reports": [report]}]}
    story = {"id": evil, "type": evil, "mode": evil, "best_date": evil, "place": evil, "summary": evil,
             "disagreements": [{"kind": evil, "summary": evil}], "actors": [evil], "disputed": True, "cards": [card],
             "counts": {"articles": 1, "outlets": 1, "unknown_outlets": 0},
             "claims": [{"kind": evil, "claimant": evil, "responsible": [evil], "evidence": evil, "href": "/ui/x",
                         "title": HOSTILE_TITLE, "outlet": HOSTILE_SOURCE}],
             "disagreement_views": [{"kind": evil, "summary": evil, "values": [
                 {"value": evil, "refs": [{"text": HOSTILE_TITLE, "href": "/ui/x", "outlet": evil, "claimant": evil}]}]}]}
    filters = PageFilters(given={"actor": evil, "place": evil, "type": evil, "q": evil, "source": evil, "since": evil},
                          errors={"since": evil, "type": evil})
    paging = {"prev_url": "/ui/x?q=%3Cscript%3E", "next_url": "/ui/articles?q=%3Cscript%3E", "first": 1, "last": 2}
    exports = [{"format": "csv", "href": "/export/events.csv?actor=%3Cscript%3E"}]
    statement = {"date": evil, "speaker": evil, "speaker_country": evil, "cue": evil, "content": evil, "channel": evil,
                 "certainty": evil, "doc_id": evil, "statement_id": evil, "title": HOSTILE_TITLE, "outlet": evil}
    actor_row = {"key": evil, "name": evil, "code": evil, "country": evil, "sector": evil, "kind": evil,
                 "documents": 1, "mentions": 1, "as_source": 0, "as_target": 0}
    actor = {**actor_row, "other_names": [evil], "wikidata": evil, "offices": [evil],
             "per_month": [{"month": evil, "source": 1, "target": 0, "source_pct": 100, "target_pct": 0}],
             "events": [{**event, "role": evil}], "said": [statement], "about": [statement],
             "articles": [{"published": evil, "doc_id": evil, "actor_id": evil, "title": HOSTILE_TITLE, "outlet": evil,
                           "n_mentions": 1, "sentence": evil}]}
    pages = {
        "article.html": {"view": view, "stored": True, "url": safe_url(HOSTILE_URL)},
        "analyze.html": {"view": view, "text": evil, "published": evil, "error": evil, "csrf_token": evil},
        "articles.html": {"rows": [row], "filters": filters, "paging": paging, "exports": exports},
        "events.html": {"rows": [event], "filters": filters, "types": ["ASSAULT"], "statuses": ["asserted"],
                        "factual": ["asserted"], "paging": paging, "exports": exports, "overview_query": evil},
        "stories.html": {"stories": [story], "has_table": True, "filters": filters, "paging": paging, "types": [evil],
                         "exports": exports},
        "story.html": {"story": story},
        "statements.html": {"rows": [statement], "filters": filters, "paging": paging, "channels": [evil],
                            "certainties": [evil], "exports": exports},
        "actors.html": {"rows": [actor_row], "filters": filters, "paging": paging, "sectors": [evil]},
        "actor.html": {"actor": actor},
        "message.html": {"title": HOSTILE_TITLE, "message": evil},
        "home.html": {"counts": {evil: 1}, "stories": True, "disputed": [story]},
    }
    for name, context in pages.items():
        page = env.get_template(name).render(request=None, **context)
        shown = "".join(assert_safe_html(page).text)
        assert PAYLOADS[0] in shown, name  # shown as text, not dropped
    article = env.get_template("article.html").render(request=None, **pages["article.html"])
    assert "&lt;/title&gt;&lt;script&gt;window.__pwned = 10" in article  # the title shows, as text
    assert "{{ 7 * 7 }}" in article  # data is never evaluated as a template


# --- pages over HTTP ------------------------------------------------------------------------------------------


def test_served_pages_escape_stored_and_reflected_hostile_text(client, hostile_id):
    evil = PAYLOADS[1] + PAYLOADS[0]
    pages = [f"/ui/articles/{hostile_id}", "/ui/articles", "/ui/events", "/ui/stories", "/",
             f"/ui/articles?q={evil}", f"/ui/events?actor={evil}&place={evil}",
             f"/ui/articles/{PAYLOADS[1]}"]  # no '/' in it, so the article route answers (404 page, id echoed)
    for path in pages:
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        assert response.headers["content-type"].startswith("text/html")
        assert_safe_html(response.text)
        assert_security_headers(response)
    article = client.get(f"/ui/articles/{hostile_id}").text
    assert PAYLOADS[0] in "".join(assert_safe_html(article).text)
    assert 'href="javascript' not in article.lower()  # the javascript: URL is not made a link
    listing = client.get("/ui/articles").text
    assert "&lt;b onmouseover=window.__pwned=12&gt;Outlet&lt;/b&gt;" in listing
    # JSON answers that echo input are JSON, never sniffed as HTML
    missing = client.get(f"/documents/{PAYLOADS[0]}")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/json"


def test_no_script_of_a_hostile_article_runs_in_chromium(base_url, hostile_id):
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    dialogs: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            evil = PAYLOADS[1] + PAYLOADS[0]
            page.goto(f"{base_url}/ui/articles/{hostile_id}")
            assert HOSTILE_TITLE in page.locator("h1").inner_text()
            assert PAYLOADS[0] in page.locator("#article-text").inner_text()
            segments = page.locator("#article-text .hl")
            assert segments.count() > 0
            for i in range(min(segments.count(), 25)):  # the records panel writes labels and fields too
                segments.nth(i).click()
                assert page.evaluate("() => window.__pwned") is None
            for path in ("/ui/articles", f"/ui/articles?q={evil}", f"/ui/events?actor={evil}", "/ui/events",
                         f"/ui/articles/{PAYLOADS[1]}", "/ui/stories"):
                page.goto(base_url + path)
                page.wait_for_load_state("load")
                assert page.evaluate("() => window.__pwned") is None, path
            page.goto(f"{base_url}/ui/analyze")
            page.fill("#analyze-text", HOSTILE_BODY)
            page.fill("#analyze-published", PAYLOADS[1])
            page.click("#analyze-submit")
            page.wait_for_selector("#analyze-error")  # the bad date is reported, with the payload as text
            assert PAYLOADS[1] in page.locator("#analyze-error").inner_text()
            page.fill("#analyze-published", "")
            page.click("#analyze-submit")
            page.wait_for_selector("#article-text")
            assert PAYLOADS[4] in page.locator("#article-text").inner_text()
            assert page.evaluate("() => window.__pwned") is None
            assert not dialogs and not errors, (dialogs, errors)

            # The control: outside our pages the same payloads do run in this browser.
            page.goto("about:blank")
            page.set_content(PAYLOADS[1])
            page.wait_for_function("() => window.__pwned === 2")
        finally:
            browser.close()


# --- static files ---------------------------------------------------------------------------------------------


def _raw_get(base_url: str, raw_path: str, host: str | None = None) -> tuple[int, bytes]:
    """A raw HTTP/1.1 request, so the path reaches the server exactly as written (clients normalise '..')."""
    address, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((address, int(port)), timeout=10) as s:
        s.sendall(f"GET {raw_path} HTTP/1.1\r\nHost: {host or address}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1]), reply


@pytest.mark.parametrize("raw_path", [
    "/static/../api.py", "/static/../../pyproject.toml", "/static/%2e%2e/api.py", "/static/%2E%2E/%2E%2E/pyproject.toml",
    "/static/..%2fapi.py", "/static/.%2e/api.py", "/static/..%5capi.py", "/static/%252e%252e/api.py",
    "/static/vendor/../../api.py", "/static/....//api.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
    "/static/app.css%00.py", "/static/", "/static/vendor/", "/static/../../../../../../etc/passwd",
])
def test_static_files_stay_in_their_folder(base_url, raw_path):
    status, reply = _raw_get(base_url, raw_path)
    assert status in {400, 404}, reply[:300]
    for secret in (b"create_app", b"[project]", b"root:x:0:0", b"newstrace.api"):
        assert secret not in reply, raw_path
    head = reply.split(b"\r\n\r\n", 1)[0].lower()
    if status == 404:  # answered by the app (a 400 may come from the HTTP parser itself)
        assert b"content-security-policy:" in head and b"x-content-type-options: nosniff" in head


def test_static_files_are_served_with_their_type_and_the_headers(client):
    response = client.get("/static/article.js")
    assert response.status_code == 200 and "textContent" in response.text
    assert response.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert_security_headers(response)


# --- headers on every kind of response ----------------------------------------------------------------------


def test_every_kind_of_response_carries_the_security_headers(client, base_url):
    responses = [
        client.get("/"), client.get("/events"), client.get("/static/app.css"), client.get("/no/such/route"),
        client.get("/static/nope.js"), client.get("/ui/articles/nope"), client.get("/analyze"),  # 405
        client.get("/events", params={"limit": 0}),  # 422
        client.get("/events", params={"cursor": "bad"}),  # 400
        client.post("/analyze", content=b"x" * 1_100_000, headers={"content-type": "application/json"}),  # 413
        client.post("/analyze", json={"text": "x"}, headers={"Origin": "http://evil.example"}),  # 403
        client.get("/", headers={"Host": "evil.example"}),  # 400: not a name of this server
        client.get("/test-only/boom"),  # 500
        client.get("/openapi.json"),
    ]
    statuses = [r.status_code for r in responses]
    assert statuses == [200, 200, 200, 404, 404, 404, 405, 422, 400, 413, 403, 400, 500, 200]
    for response in responses:
        assert_security_headers(response)
    assert "RuntimeError" not in responses[-2].text and "a bug" not in responses[-2].text  # no traceback leaks


def test_requests_for_other_host_names_are_refused(base_url):
    port = base_url.rsplit(":", 1)[1]
    for host, expected in ((f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200), ("evil.example", 400),
                           (f"rebind.evil.example:{port}", 400), ("127.0.0.1.evil.example", 400)):
        status, _ = _raw_get(base_url, "/health", host=host)
        assert status == expected, host


# --- CSRF ---------------------------------------------------------------------------------------------------


def _form_token(client: httpx.Client) -> str:
    page = client.get("/ui/analyze")
    cookie = page.headers["set-cookie"].lower()
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "samesite=strict" in cookie and "httponly" in cookie and "path=/ui" in cookie
    return re.search(rf'name="{CSRF_FIELD}" value="([0-9a-f]+)"', page.text).group(1)


def test_the_analyze_form_needs_its_token_and_this_origin(base_url):
    text = "Protesters marched in Tbilisi on Monday."
    with httpx.Client(base_url=base_url, timeout=60) as browser, httpx.Client(base_url=base_url, timeout=60) as other:
        token = _form_token(browser)
        same = {"Origin": base_url, "Sec-Fetch-Site": "same-origin"}
        ok = browser.post("/ui/analyze", data={"text": text, CSRF_FIELD: token}, headers=same)
        assert ok.status_code == 200 and 'id="article-text"' in ok.text
        refused = {
            "no token": browser.post("/ui/analyze", data={"text": text}, headers=same),
            "wrong token": browser.post("/ui/analyze", data={"text": text, CSRF_FIELD: "0" * 64}, headers=same),
            "token without its cookie": other.post("/ui/analyze", data={"text": text, CSRF_FIELD: token}, headers=same),
            "another origin": browser.post("/ui/analyze", data={"text": text, CSRF_FIELD: token},
                                           headers={"Origin": "http://evil.example"}),
            "another port": browser.post("/ui/analyze", data={"text": text, CSRF_FIELD: token},
                                         headers={"Origin": "http://127.0.0.1:1"}),
            "opaque origin": browser.post("/ui/analyze", data={"text": text, CSRF_FIELD: token}, headers={"Origin": "null"}),
            "cross-site fetch": browser.post("/ui/analyze", data={"text": text, CSRF_FIELD: token},
                                             headers={"Sec-Fetch-Site": "cross-site"}),
            "same-site fetch": browser.post("/ui/analyze", data={"text": text, CSRF_FIELD: token},
                                            headers={"Sec-Fetch-Site": "same-site"}),
        }
        for why, response in refused.items():
            assert response.status_code == 403, why
            assert 'id="article-text"' not in response.text, why
        assert "Form refused" in refused["no token"].text
        # The JSON API: API clients (no Origin) are served, a browser page of another origin is not.
        assert browser.post("/analyze", json={"text": text}).status_code == 200
        assert browser.post("/analyze", json={"text": text}, headers={"Origin": "http://evil.example"}).status_code == 403


def test_the_analyze_form_sheds_load_with_503_and_retry_after(db, pipeline):
    long_text = "Israeli forces shelled Gaza on Tuesday, officials said. " * 400
    with running(create_app(db, pipeline=pipeline, analyze_timeout=0.01, max_pending=1)) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        assert c.post("/analyze", json={"text": long_text}).status_code == 504  # still running on the worker
        busy = c.post("/ui/analyze", data={"text": "Protesters marched in Tbilisi.", CSRF_FIELD: _form_token(c)})
        assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
        assert "Too many analyses" in busy.text
        assert_security_headers(busy)


def test_a_cross_origin_page_cannot_submit_the_form_in_chromium(base_url):
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    attack = (f'<form method="post" action="{base_url}/ui/analyze"><input name="text" value="Forged text in Kabul.">'
              f'<input name="{CSRF_FIELD}" value="{"0" * 64}"><button id="go">go</button></form>')
    evil_site = Starlette(routes=[Route("/", lambda _: HTMLResponse(attack))])
    with running(evil_site) as evil_url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            # The user has our page open, so holds our cookie; the attacker's page is on another port of the
            # same address: another origin, but the same site, so a SameSite cookie alone would not stop it.
            page.goto(f"{base_url}/ui/analyze")
            page.goto(evil_url)
            with page.expect_navigation():
                page.click("#go")
            body = page.locator("body").inner_text()
            assert "cross-origin request refused" in body, body[:300]
            assert "Forged" not in body
        finally:
            browser.close()


# --- the ingest endpoint --------------------------------------------------------------------------------------


def test_ingest_is_off_by_default_even_with_a_token(db):
    app = create_app(db, token="s3cret")  # a token alone does not switch ingest on
    assert app.state.store.read_only
    with running(app) as url, httpx.Client(base_url=url, timeout=30) as c:
        body = {"articles": [{"text": "Protesters marched in Tbilisi on Monday."}]}
        assert c.post("/ingest", json=body, headers={"Authorization": "Bearer s3cret"}).status_code == 404
        assert "/ingest" not in c.get("/openapi.json").json()["paths"]


def test_ingest_wants_exactly_its_token(db, pipeline, tmp_path):
    writable = tmp_path / "writable.duckdb"
    writable.write_bytes(db.read_bytes())
    body = {"articles": [{"text": "Protesters marched in Tbilisi on Monday, police said.", "source": "wire"}]}
    with running(create_app(writable, allow_ingest=True, token="s3cret-token", pipeline=pipeline)) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        refused = {
            "no token": {},
            "empty": {"Authorization": "Bearer"},
            "wrong": {"Authorization": "Bearer wrong"},
            "prefix": {"Authorization": "Bearer s3cret"},
            "longer": {"Authorization": "Bearer s3cret-token-and-more"},
            "basic scheme": {"Authorization": "Basic czNjcmV0LXRva2Vu"},
            "raw": {"Authorization": "s3cret-token"},
        }
        for why, headers in refused.items():
            response = c.post("/ingest", json=body, headers=headers)
            assert response.status_code == 401, why
            assert response.headers["www-authenticate"] == "Bearer"
        assert c.post("/ingest", params={"token": "s3cret-token"}, json=body).status_code == 401
        cross = c.post("/ingest", json=body, headers={"Authorization": "Bearer s3cret-token", "Origin": "http://evil.example"})
        assert cross.status_code == 403
        assert c.get("/documents", params={"source": "wire"}).json()["items"] == []  # nothing got in
        ok = c.post("/ingest", json=body, headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200 and ok.json()["ingested"] == 1
