"""The HTTP API and the web pages: one FastAPI app over a store, ``create_app(db_path, ...)``.

API (OpenAPI at ``/openapi.json``): ``POST /analyze`` returns what ``newstrace analyze`` prints;
``GET /documents``, ``/documents/{id}``, ``/events``, ``/events/overview``, ``/statements``, ``/actors``,
``/stories``, ``/stories/{id}`` read the store with the CLI's filters, ``limit`` + ``cursor`` paging and
``format=json|csv``; ``POST /ingest`` exists only with ``allow_ingest`` and wants a bearer token.
Pages live under ``/ui/`` and their downloads under ``/export/`` (``newstrace.web.pages``; see docs/web.md).

Why it is built this way:

- Requests read the store through one read-only connection, each through its own cursor (connections
  are not thread-safe), and the app lets go of the file whenever ``newstrace ingest`` or ``link`` (other
  processes) or ``POST /ingest`` waits to write a batch; the next request opens it again and sees what
  they wrote. A request waits for a writer's batch up to ``read_wait`` seconds, then gets 503 with
  Retry-After (``newstrace.web.connection``; docs/store.md, "Concurrent use").
- The pipeline is loaded once per process, on the first analysis, and runs on a single worker thread,
  so analyses queue instead of competing for the CPU. A caller waits at most ``analyze_timeout``
  seconds (then 504; the server keeps serving) and a full queue answers 503.
- Request bodies are read up to ``max_body`` bytes before anything parses them: a larger one gets a
  413 with a JSON reason, whether or not it announced its length.
- Pages escape everything (Jinja2 autoescaping), run only JavaScript files of this package under a
  Content-Security-Policy without 'unsafe-inline', and get their data as JSON. Every response, errors
  and static files included, carries the security headers (``SECURITY_HEADERS``).
- Cross-site request forgery: a browser's state-changing request (POST, PUT, PATCH, DELETE) from another
  origin is refused with 403 (its ``Origin`` or ``Sec-Fetch-Site`` header says so), and the Analyze form
  also carries a token signed with a per-process key and bound to a SameSite=Strict cookie. API clients
  send no ``Origin`` and are not affected; ``POST /ingest`` wants its bearer token, which a browser never
  adds to a cross-site request.
- ``allowed_hosts`` (the CLI sets the loopback names when it binds to loopback) refuses requests for
  any other ``Host``: a DNS-rebinding page cannot talk to a server on 127.0.0.1 under its own name.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import hmac
import io
import json
import re
import secrets
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import parse_qs, urlsplit

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newstrace import __version__
from newstrace.filters import FilterError, first_day, last_day, validate_filters
from newstrace.model import Analysis, PloverType
from newstrace.pipeline import Article, InputError, Pipeline, parse_date
from newstrace.queries import EventFilter, write_rows
from newstrace.store import Store, StoreBusyError
from newstrace.web import STATIC_DIR, TEMPLATES_DIR
from newstrace.web import data as webdata
from newstrace.web.article import article_view
from newstrace.web.connection import SharedReader, request_store
from newstrace.web.pages import add_page_routes, render_page, safe_url  # noqa: F401  (safe_url: part of this module's API)

DEFAULT_MAX_BODY = 1_000_000  # bytes; an article is rarely over 100 kB
DEFAULT_ANALYZE_TIMEOUT = 60.0  # seconds a caller waits for an analysis (the first one also loads the model)
DEFAULT_MAX_PENDING = 8  # analyses queued or running before new ones are refused with 503
MAX_PAGE = 1000
DEFAULT_READ_WAIT = 15.0  # seconds a request waits for another process's write to end (then 503)
MAX_ARTICLE_CHARS = 500_000  # under the body limit once JSON-encoded; the pipeline's own cap is higher
EVENT_STATUSES = ("asserted", "reported", "alleged", "planned", "denied", "negated", "hypothetical")
PLOVER_TYPES = PloverType.__args__

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # Not "no-referrer": under it a browser sends "Origin: null" with our own form posts, and the CSRF check
    # reads that header. Other sites still get no referrer (no article URL leaks through a link).
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    # Other sites may neither embed our responses (a JSON listing read through <script src>) nor keep a
    # handle on our windows.
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_COOKIE = "newstrace_csrf"
CSRF_FIELD = "csrf_token"
_NONCE = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)

T = TypeVar("T")


# --- the analysis worker ---------------------------------------------------------------------------------


class AnalysisTimeoutError(Exception):
    """The caller's wait ran out; the work itself goes on in the worker."""


class BusyError(Exception):
    """Too many analyses queued."""


class Analyzer:
    """One pipeline per process, loaded on first use, behind one worker thread.

    ``run`` queues a job; the caller waits at most ``timeout`` seconds. A job still queued when its
    caller gives up is dropped; one already running finishes (a thread cannot be stopped) while the
    server goes on answering other requests.
    """

    def __init__(self, pipeline: Pipeline | None, timeout: float, max_pending: int) -> None:
        self.timeout = timeout
        self.max_pending = max_pending
        self._pipeline = pipeline
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="newstrace-analyze")
        self._lock = threading.Lock()
        self._pending = 0

    @property
    def loaded(self) -> bool:
        """Whether the pipeline is in memory."""
        return self._pipeline is not None

    @property
    def pending(self) -> int:
        """Jobs queued or running."""
        return self._pending

    def _call(self, job: Callable[[Pipeline], T]) -> T:
        if self._pipeline is None:  # only the single worker thread gets here, so no race
            self._pipeline = Pipeline()
        return job(self._pipeline)

    def _done(self, _: concurrent.futures.Future) -> None:
        with self._lock:
            self._pending -= 1

    async def run(self, job: Callable[[Pipeline], T], timeout: float | None = None) -> T:
        """Run ``job(pipeline)`` on the worker; BusyError when the queue is full, AnalysisTimeoutError after
        ``timeout`` seconds (default: the analyzer's)."""
        with self._lock:
            if self._pending >= self.max_pending:
                raise BusyError
            self._pending += 1
        future = self._executor.submit(self._call, job)
        future.add_done_callback(self._done)  # counts the job until it really ends, not until its caller leaves
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout or self.timeout)
        except TimeoutError:
            raise AnalysisTimeoutError from None

    def close(self) -> None:
        """Drop queued jobs; a running one finishes on its own."""
        self._executor.shutdown(wait=False, cancel_futures=True)


# --- request and response bodies --------------------------------------------------------------------------


class ArticleIn(BaseModel):
    """An article to analyse."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_ARTICLE_CHARS, description="The article text (plain text).")
    published: str | None = Field(None, max_length=80, description=(
        "Publication date: ISO 8601 (2016-12-13, 2016-12-13T09:43:00Z), RFC 2822 (Tue, 13 Dec 2016 09:43:00 GMT) or "
        "a day, month name and year (Dec 13, 2016); inferred from the text when absent. An ambiguous or malformed "
        "date is a 422."), examples=["2021-01-02", "Tue, 13 Dec 2016 09:43:00 GMT"])
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=200, description="The outlet.")


class IngestIn(BaseModel):
    """Articles to analyse and store."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=200)


class IngestOut(BaseModel):
    """What an ingest did (as ``newstrace ingest`` reports it)."""

    ingested: int
    skipped: int
    duplicates: int
    near_duplicates: int
    failed: int
    errors: list[str]


class PageOut(BaseModel):
    """One page of a listing; pass ``next_cursor`` back as ``cursor`` for the next (null: no more)."""

    items: list[dict[str, Any]]
    next_cursor: str | None = None


class HealthOut(BaseModel):
    """Whether the server is up, and how busy its analysis worker is."""

    status: Literal["ok"] = "ok"
    version: str
    documents: int
    pipeline_loaded: bool
    pending_analyses: int


class ErrorOut(BaseModel):
    """An error, with its reason."""

    detail: Any


# --- middleware ------------------------------------------------------------------------------------------


async def _send_json(send: Callable, status: int, payload: dict, headers: list | None = None) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuses request bodies over ``max_body`` bytes with 413 before any parser sees them.

    The body is read into memory up to the limit (it is small) and replayed to the app, so a client
    that sends more than it announced, or sends chunks without a length, is stopped all the same.
    """

    def __init__(self, app: Callable, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        reason = {"detail": f"request body is over the limit of {self.max_body:,} bytes"}
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _send_json(send, 413, reason)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body:
                await _send_json(send, 413, reason)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SameOriginMiddleware:
    """Refuses a state-changing request that a browser sends on behalf of another origin (403).

    Browsers name the page's origin in ``Origin`` on every cross-origin POST, and modern ones say in
    ``Sec-Fetch-Site`` how the request relates to its target; a request without either (curl, httpx, an
    API client) is not a forgery and passes. The origin must name the host the request was sent to,
    scheme aside, so the check holds behind a TLS-terminating proxy that forwards ``Host``.
    """

    def __init__(self, app: Callable) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS and not self.same_origin(Headers(scope=scope)):
            await _send_json(send, 403, {"detail": "cross-origin request refused: send it from this site's own pages "
                                                   "or without an Origin header"})
            return
        await self.app(scope, receive, send)

    @staticmethod
    def same_origin(headers: Headers) -> bool:
        """Whether the request's own headers show it comes from this site (or from no browser page at all)."""
        site = headers.get("sec-fetch-site")  # set by the browser; a page cannot forge it
        if site is not None and site not in {"same-origin", "none"}:  # "none": the user typed or bookmarked it
            return False
        origin = headers.get("origin")
        if origin is None:
            return True
        if origin == "null":  # an opaque origin (sandboxed frame, data: page), or a privacy-minded browser
            return site == "same-origin"
        host = headers.get("host", "").lower()
        return bool(host) and urlsplit(origin).netloc.lower() == host


class CsrfTokens:
    """Tokens for the HTML forms: a random nonce in a SameSite=Strict, HttpOnly cookie and, in the form, the
    nonce signed with a key that lives only in this process. Another site can neither read the form nor
    forge the signature, and a browser does not send a Strict cookie along with a cross-site request."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def nonce(self, request: Request) -> str:
        """The caller's nonce from its cookie, or a fresh one."""
        given = request.cookies.get(CSRF_COOKIE, "")
        return given if _NONCE.fullmatch(given) else secrets.token_urlsafe(32)

    def token(self, nonce: str) -> str:
        """The form token for a nonce."""
        return hmac.new(self._key, nonce.encode(), hashlib.sha256).hexdigest()

    def valid(self, request: Request, token: str) -> bool:
        """Whether ``token`` (from a submitted form) belongs to the nonce in the request's cookie."""
        nonce = request.cookies.get(CSRF_COOKIE, "")
        return bool(_NONCE.fullmatch(nonce)) and hmac.compare_digest(self.token(nonce), token)

    @staticmethod
    def set_cookie(response: Response, nonce: str) -> None:
        """Send the nonce cookie (pages only, never to scripts, never along with another site's request)."""
        response.set_cookie(CSRF_COOKIE, nonce, path="/ui", httponly=True, samesite="strict")


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy, nosniff and friends to every response."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in SECURITY_HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)


# --- the process -----------------------------------------------------------------------------------------

M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's malloc arenas, as MALLOC_ARENA_MAX does, for a long-running server; True if applied.

    glibc gives each thread that allocates under contention an arena of its own (up to 8 per core), and
    freed memory stays in the arena it came from. A server's request threads, DuckDB's threads and the
    analysis worker then hold a few hundred MB that no request uses, and RSS creeps up under load (see
    docs/reliability.md, Load). A user's MALLOC_ARENA_MAX wins; elsewhere than glibc this does nothing.
    """
    import ctypes
    import ctypes.util
    import os

    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to cap
        return False


# --- the app ---------------------------------------------------------------------------------------------


def create_app(db_path: str | Path, allow_ingest: bool = False, token: str | None = None, *,
               pipeline: Pipeline | None = None, analyze_timeout: float = DEFAULT_ANALYZE_TIMEOUT,
               max_body: int = DEFAULT_MAX_BODY, max_pending: int = DEFAULT_MAX_PENDING,
               allowed_hosts: list[str] | None = None, read_wait: float = DEFAULT_READ_WAIT) -> FastAPI:
    """The app over the store at ``db_path`` (read-only unless ``allow_ingest``).

    ``token`` is the bearer token ``POST /ingest`` wants (required with ``allow_ingest``); ``pipeline``
    may be passed in to share one already loaded (otherwise it loads on the first analysis).
    ``allowed_hosts``: the ``Host`` names the app answers to (None: any; see ``LOOPBACK_HOSTS``).
    ``read_wait``: seconds a request waits while another process writes to the store (then 503).
    Raises ``StoreError`` for a missing or unusable store and ValueError for ingest without a token.
    """
    if allow_ingest and not token:
        raise ValueError("ingest needs a bearer token (set NEWSTRACE_TOKEN)")
    # Checks (or, for ingest, creates) the store now, then lets go of the file: requests open their own.
    store = Store(db_path, read_only=not allow_ingest, hold=False)
    reader = SharedReader(store.path, read_wait)
    analyzer = Analyzer(pipeline, analyze_timeout, max_pending)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        analyzer.close()
        reader.close()

    app = FastAPI(title="newstrace", version=__version__, lifespan=lifespan,
                  description="Events, statements and responsibility read from news, with a source for every item.",
                  docs_url=None, redoc_url=None)  # the interactive docs load from a CDN: not here
    app.state.store = store
    app.state.reader = reader
    app.state.analyzer = analyzer
    app.state.templates = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    app.state.csrf = CsrfTokens()
    # The last added runs first: the headers go on every answer, including the other middlewares' refusals.
    app.add_middleware(BodyLimitMiddleware, max_body=max_body)
    app.add_middleware(SameOriginMiddleware)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeadersMiddleware)
    # StaticFiles serves only files under this folder (it refuses paths that resolve outside it).
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_error_handlers(app)
    _add_api_routes(app)
    if allow_ingest:
        _add_ingest_route(app, token or "")
    _add_page_routes(app)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(webdata.CursorError)
    async def bad_cursor(_: Request, exc: webdata.CursorError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(FilterError)
    async def bad_filter(_: Request, exc: FilterError) -> JSONResponse:
        # A malformed date or an unknown type, status or sector: the caller's error, never a silent empty list.
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(InputError)
    async def bad_input(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(StoreBusyError)
    async def store_busy(_: Request, exc: StoreBusyError) -> JSONResponse:
        return JSONResponse({"detail": f"the store is busy: {exc}; retry shortly"}, status_code=503,
                            headers={"Retry-After": "5"})

    @app.exception_handler(BusyError)
    async def busy(_: Request, __: BusyError) -> JSONResponse:
        return JSONResponse({"detail": "too many analyses queued; retry shortly"}, status_code=503,
                            headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def internal_error(_: Request, __: Exception) -> JSONResponse:
        # Starlette answers this one outside every middleware, so the security headers are added here.
        headers = {name.decode(): value.decode() for name, value in SECURITY_HEADERS}
        return JSONResponse({"detail": "internal server error"}, status_code=500, headers=headers)

    @app.exception_handler(AnalysisTimeoutError)
    async def timed_out(request: Request, __: AnalysisTimeoutError) -> JSONResponse:
        seconds = request.app.state.analyzer.timeout
        return JSONResponse({"detail": f"the analysis took longer than {seconds:g} s; the server is still up, "
                                       "retry or send a shorter text"}, status_code=504)


# A request's view of the store: its own cursor of the app's shared read-only connection (newstrace.web.connection);
# the pages get the same dependency.
_request_store = request_store
DB = Annotated[webdata.RequestStore, Depends(_request_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Rows per page.")]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page.")]
Format = Annotated[Literal["json", "csv"], Query(description="json (items + next_cursor) or csv (next cursor "
                                                             "in the X-Next-Cursor header).")]
Text = Annotated[str | None, Query(max_length=200)]
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut}, 422: {"model": ErrorOut}, 503: {"model": ErrorOut}}
DATE_HELP = " (YYYY-MM-DD, YYYY-MM or YYYY; anything else is a 422)."
PAGE_RESPONSES: dict[int | str, dict[str, Any]] = {**ERRORS, 200: {"content": {"text/csv": {}}}}


def event_filter(
    actor: Annotated[str | None, Query(max_length=200, description="Source actor: country code (IRN) or part of a name.")] = None,
    target: Annotated[str | None, Query(max_length=200, description="Target actor: country code or part of a name.")] = None,
    type: Annotated[str | None, Query(max_length=40, description="PLOVER type, e.g. ASSAULT.")] = None,
    status: Annotated[str | None, Query(max_length=40, description=", ".join(EVENT_STATUSES))] = None,
    since: Annotated[str | None, Query(max_length=40, description="Earliest event date" + DATE_HELP)] = None,
    until: Annotated[str | None, Query(max_length=40, description="Latest event date" + DATE_HELP)] = None,
    place: Annotated[str | None, Query(max_length=200, description="Place name or country code.")] = None,
) -> EventFilter:
    """The filters of ``newstrace events``, checked (``newstrace.filters``): a FilterError is a 422."""
    checked = validate_filters(type=type, status=status, since=since, until=until)
    return EventFilter(actor, target, checked["type"], checked["status"], checked["since"], checked["until"], place)


Filter = Annotated[EventFilter, Depends(event_filter)]


def _page_response(page: webdata.Page, fmt: str) -> Response:
    if fmt == "csv":
        out = io.StringIO()
        write_rows(page.columns, page.rows, "csv", out)
        headers = {"X-Next-Cursor": page.next_cursor} if page.next_cursor else {}
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
    return _json({"items": page.items(), "next_cursor": page.next_cursor})


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False, default=str), status_code=status,
                    media_type="application/json")


def _add_api_routes(app: FastAPI) -> None:
    @app.get("/health", response_model=HealthOut, tags=["server"])
    def health(request: Request, db: DB) -> Response:
        """Whether the server is up; documents in the store; the analysis worker's load."""
        analyzer: Analyzer = request.app.state.analyzer
        return _json({"status": "ok", "version": __version__, "documents": webdata.counts(db)["documents"],
                      "pipeline_loaded": analyzer.loaded, "pending_analyses": analyzer.pending})

    @app.post("/analyze", response_model=Analysis, tags=["analysis"],
              responses={413: {"model": ErrorOut}, 422: {"model": ErrorOut}, 503: {"model": ErrorOut},
                         504: {"model": ErrorOut}})
    async def analyze(request: Request, article: ArticleIn) -> Response:
        """Analyse one article: the same JSON as ``newstrace analyze`` (nothing is stored)."""
        parse_date(article.published)  # a bad date is the caller's error (422), found before queueing
        item = Article(text=article.text, published=article.published or None, title=article.title,
                       url=article.url, source=article.source)
        analysis = await request.app.state.analyzer.run(lambda p: p.analyze_article(item))
        return Response(analysis.model_dump_json(), media_type="application/json")

    @app.get("/documents", response_model=PageOut, responses=PAGE_RESPONSES, tags=["store"])
    def documents(db: DB, source: Text = None,
                  since: Annotated[str | None, Query(max_length=40, description="Published on or after" + DATE_HELP)] = None,
                  until: Annotated[str | None, Query(max_length=40, description="Published on or before" + DATE_HELP)] = None,
                  q: Annotated[str | None, Query(max_length=200, description="Words in the title or text.")] = None,
                  limit: Limit = 100, cursor: Cursor = None, format: Format = "json") -> Response:
        """Stored documents, newest first (without their text; see /documents/{id})."""
        checked = validate_filters(since=since, until=until)
        page = webdata.documents_page(db, source=source, since=checked["since"], until=checked["until"], q=q,
                                      limit=limit, offset=webdata.decode_cursor(cursor))
        return _page_response(page, format)

    @app.get("/documents/{doc_id}", response_model=Analysis, responses={404: {"model": ErrorOut}}, tags=["store"])
    def document(db: DB, doc_id: Annotated[str, PathParam(max_length=100)]) -> Response:
        """One stored document and every record read from it, in the shape of ``newstrace analyze``."""
        analysis = webdata.stored_analysis(db, doc_id)
        if analysis is None:
            raise HTTPException(404, f"no document {doc_id!r} in the store")
        return Response(analysis.model_dump_json(), media_type="application/json")

    @app.get("/events", response_model=PageOut, responses=PAGE_RESPONSES, tags=["store"])
    def events(db: DB, f: Filter, limit: Limit = 100, cursor: Cursor = None, format: Format = "json") -> Response:
        """Events, newest first, filtered as ``newstrace events`` filters them."""
        return _page_response(webdata.events_page(db, f, limit, webdata.decode_cursor(cursor)), format)

    @app.get("/events/overview", tags=["store"])
    def events_overview(db: DB, f: Filter) -> Response:
        """What the events page draws, over every matching event: events per day (or week) and type, the actor
        network (edges with cooperation/conflict counts) and events per place with coordinates."""
        return _json(webdata.events_overview(db, f))

    @app.get("/statements", response_model=PageOut, responses=PAGE_RESPONSES, tags=["store"])
    def statements(db: DB, speaker: Annotated[str | None, Query(max_length=200, description=(
                       "Country code or part of the speaker's name."))] = None,
                   limit: Limit = 100, cursor: Cursor = None, format: Format = "json") -> Response:
        """Statements (who said what), as ``newstrace statements`` lists them."""
        return _page_response(webdata.statements_page(db, speaker, limit, webdata.decode_cursor(cursor)), format)

    @app.get("/actors", response_model=PageOut, responses=PAGE_RESPONSES, tags=["store"])
    def actors(db: DB, limit: Limit = 20, cursor: Cursor = None, format: Format = "json",
               sector: Annotated[str | None, Query(max_length=40, description=(
                   "PLOVER sector code, e.g. GOV or MIL (an unknown code is a 422)."))] = None) -> Response:
        """Actors named in the most documents first, as ``newstrace actors`` lists them."""
        checked = validate_filters(sector=sector)
        return _page_response(webdata.actors_page(db, limit, webdata.decode_cursor(cursor), checked["sector"]), format)

    @app.get("/stories", response_model=PageOut, responses=PAGE_RESPONSES, tags=["store"])
    def stories(
        db: DB, limit: Limit = 100, cursor: Cursor = None, format: Format = "json",
        actor: Annotated[str | None, Query(max_length=200, description="Country code (IRN) or part of an actor's name.")] = None,
        since: Annotated[str | None, Query(max_length=40, description="Stories ending on or after" + DATE_HELP)] = None,
        until: Annotated[str | None, Query(max_length=40, description="Stories starting on or before" + DATE_HELP)] = None,
        type: Annotated[str | None, Query(max_length=40, description="PLOVER type, e.g. ASSAULT.")] = None,
        disputed: Annotated[bool, Query(description="Only stories whose reports disagree.")] = False,
    ) -> Response:
        """Stories (one real-world event and its reports, written by `newstrace link`), disputed ones first,
        with the filters of `newstrace stories`."""
        checked = validate_filters(since=since, until=until, type=type)
        filters = {"actor": actor, "since": first_day(checked["since"]), "until": last_day(checked["until"]),
                   "event_type": checked["type"], "disputed": disputed}
        return _page_response(webdata.stories_page(db, limit, webdata.decode_cursor(cursor), filters), format)

    @app.get("/stories/{story_id}", responses={404: {"model": ErrorOut}}, tags=["store"])
    def story(db: DB, story_id: Annotated[str, PathParam(max_length=100)]) -> Response:
        """One story with its reports."""
        item = webdata.story(db, story_id)
        if item is None:
            raise HTTPException(404, f"no story {story_id!r} in the store")
        return _json(item)


BEARER = HTTPBearer(auto_error=False, description="The token in NEWSTRACE_TOKEN when the server started.")


def _add_ingest_route(app: FastAPI, token: str) -> None:
    def authorised(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]) -> None:
        given = credentials.credentials if credentials else ""
        # Constant time, over digests of equal length, so that timing tells neither the token nor its length.
        if not hmac.compare_digest(hashlib.sha256(given.encode()).digest(), hashlib.sha256(token.encode()).digest()):
            raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})

    @app.post("/ingest", response_model=IngestOut, dependencies=[Depends(authorised)], tags=["store"],
              responses={401: {"model": ErrorOut}, 413: {"model": ErrorOut}, 503: {"model": ErrorOut},
                         504: {"model": ErrorOut}})
    async def ingest(request: Request, body: IngestIn) -> Response:
        """Analyse articles and add them to the store (idempotent: a text already stored is a duplicate)."""
        for article in body.articles:
            parse_date(article.published)
        analyzer: Analyzer = request.app.state.analyzer
        path: Path = request.app.state.store.path
        summary = await analyzer.run(lambda p: _ingest(path, p, body.articles),
                                     timeout=analyzer.timeout * len(body.articles))
        return _json(summary)


def _ingest(db_path: Path, pipeline: Pipeline, articles: list[ArticleIn]) -> dict[str, Any]:
    """Ingest posted articles through ``newstrace.corpus.ingest`` (as a JSONL file, its ordinary input), on
    the worker thread, opening the store for writing only while a batch is read or written: requests and
    other processes take turns with it as with ``newstrace ingest``."""
    from newstrace.corpus import ingest

    writer = Store(db_path, hold=False)
    with tempfile.TemporaryDirectory(prefix="newstrace-post-") as folder:
        path = Path(folder) / "posted.jsonl"
        path.write_text("".join(a.model_dump_json(exclude_none=True) + "\n" for a in articles), encoding="utf-8")
        summary = ingest([str(path)], writer, pipeline)
    return {"ingested": summary.ingested, "skipped": summary.skipped, "duplicates": summary.duplicates,
            "near_duplicates": summary.near_duplicates, "failed": summary.failed, "errors": summary.errors}


# --- pages -----------------------------------------------------------------------------------------------


def _render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return render_page(request, template, status, **context)


def _add_page_routes(app: FastAPI) -> None:
    # The workbench pages and exports live in newstrace.web.pages; the Analyze form stays here with its CSRF check.
    add_page_routes(app, _request_store)

    @app.get("/ui", include_in_schema=False)
    def ui_root() -> RedirectResponse:
        return RedirectResponse("/")

    def analyze_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        csrf: CsrfTokens = request.app.state.csrf
        nonce = csrf.nonce(request)
        response = _render(request, "analyze.html", status, csrf_token=csrf.token(nonce), **context)
        csrf.set_cookie(response, nonce)
        if status == 503:
            response.headers["Retry-After"] = "5"
        return response

    @app.get("/ui/analyze", include_in_schema=False)
    def analyze_form(request: Request) -> HTMLResponse:
        return analyze_page(request, text="", published="", error=None, view=None)

    @app.post("/ui/analyze", include_in_schema=False)
    async def analyze_submit(request: Request) -> HTMLResponse:
        # A plain urlencoded form: parsed here, so the app needs no multipart library.
        form = parse_qs((await request.body()).decode("utf-8", errors="replace"), keep_blank_values=True)
        if not request.app.state.csrf.valid(request, form.get(CSRF_FIELD, [""])[0]):
            return _render(request, "message.html", 403, title="Form refused",
                           message="This form did not come from this site's own Analyze page, or the page is older "
                                   "than the server: open the Analyze page again and resend it.")
        text = form.get("text", [""])[0].replace("\r\n", "\n")  # browsers send CRLF; offsets should match the paste
        published = form.get("published", [""])[0].strip()
        status, error, view = 200, None, None
        try:
            parse_date(published)
            if len(text) > MAX_ARTICLE_CHARS:
                raise InputError(f"text is over the limit of {MAX_ARTICLE_CHARS:,} characters")
            item = Article(text=text, published=published or None)
            analysis = await request.app.state.analyzer.run(lambda p: p.analyze_article(item))
            view = article_view(analysis)
        except InputError as exc:
            status, error = 422, str(exc)
        except BusyError:
            status, error = 503, "Too many analyses are queued; try again in a few seconds."
        except AnalysisTimeoutError:
            status, error = 504, "The analysis took too long; try a shorter text."
        return analyze_page(request, status, text=text, published=published, error=error, view=view)
