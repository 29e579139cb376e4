"""The workbench pages under ``/ui/`` and the export downloads under ``/export/``.

Every listing page reads its filters through ``listing.read_filters`` (the checks of
``newstrace.filters``): a malformed one is shown next to its field and the page answers 422 with
no rows, instead of a silent "0 events". Pages page with previous/next links (an opaque offset
cursor, as the API's), and carry export buttons whose links repeat the page's filters.
"""

# No ``from __future__ import annotations`` here: FastAPI must see the store dependency (``DB``, made in
# ``add_page_routes``) as a real annotation when each route is defined.
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from newstrace.filters import CERTAINTIES, CHANNELS, EVENT_STATUSES, EVENT_TYPES, FACTUAL_STATUSES, SECTORS
from newstrace.web import data as webdata
from newstrace.web.actor import actor_profile
from newstrace.web.article import article_view
from newstrace.web.exports import FORMATS, KINDS, render, story_filter_args
from newstrace.web.listing import (
    ACTOR_FIELDS,
    ARTICLE_FIELDS,
    EVENT_FIELDS,
    STATEMENT_FIELDS,
    STORY_FIELDS,
    PageFilters,
    actors_sql,
    articles_sql,
    event_filter,
    events_sql,
    read_filters,
    sorted_by,
    statements_sql,
)
from newstrace.web.story import story_view

PAGE_SIZE = 50
STORIES_PAGE_SIZE = 20
FIELDS = {"events": EVENT_FIELDS, "statements": STATEMENT_FIELDS, "stories": STORY_FIELDS, "articles": ARTICLE_FIELDS}
NAV = (("/ui/articles", "Articles"), ("/ui/events", "Events"), ("/ui/stories", "Stories"),
       ("/ui/statements", "Statements"), ("/ui/actors", "Actors"), ("/ui/analyze", "Analyze"))


Cursor = Annotated[str | None, Query(max_length=200)]


def safe_url(url: str | None) -> str | None:
    """A document's URL if it is http(s); autoescaping does not stop ``javascript:`` links."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def render_page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from its template, with the navigation (the current section marked) and ``safe_url``."""
    path = request.url.path
    current = next((href for href, _ in NAV if path == href or path.startswith(href + "/")), None)
    html = request.app.state.templates.get_template(template).render(
        request=request, nav=NAV, current=current, safe_url=safe_url, **context)
    return HTMLResponse(html, status_code=status)


def pager(base: str, filters: PageFilters, page: webdata.Page, offset: int, limit: int) -> dict[str, Any]:
    """Previous/next links (keeping the filters) and the range of rows shown."""
    previous = None
    if offset > 0:
        back = max(0, offset - limit)
        previous = f"{base}?{filters.query(cursor=webdata.encode_cursor(back) if back else None)}"
    following = f"{base}?{filters.query(cursor=page.next_cursor)}" if page.next_cursor else None
    return {"prev_url": previous, "next_url": following, "first": offset + 1 if page.rows else 0,
            "last": offset + len(page.rows)}


def exports_for(kind: str, filters: PageFilters) -> list[dict[str, str]]:
    """The export buttons of a page: one per format, with the page's filters (exports keep their own order:
    newest first)."""
    query = filters.query(sort=None, order=None)
    return [{"format": fmt, "href": f"/export/{kind}.{fmt}" + (f"?{query}" if query else "")} for fmt in FORMATS]


def _listing(db: webdata.RequestStore, sql: str, params: list, cursor: str | None, limit: int) -> tuple[webdata.Page, int]:
    offset = webdata.decode_cursor(cursor)
    return webdata.paged(db, sql, params, limit, offset), offset


def _listed(db: webdata.RequestStore, filters: PageFilters, query: Callable[[], tuple[str, list]], cursor: str | None,
            listing: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One page of a listing, in the page's sort order, and its paging links; nothing while the filters have
    errors (``query`` is only built for valid filters)."""
    if filters.errors:
        return [], {}
    sql, params = query()
    page, offset = _listing(db, sorted_by(sql, filters, listing), params, cursor, PAGE_SIZE)
    return page.items(), pager(f"/ui/{listing}", filters, page, offset, PAGE_SIZE)


def add_page_routes(app: FastAPI, request_store: Callable[[Request], Iterator[webdata.RequestStore]]) -> None:
    """Register the pages and the export downloads on ``app``; ``request_store`` is the app's dependency that
    gives a request its view of the store (the API's own, so pages and API read the store alike)."""
    db = Annotated[webdata.RequestStore, Depends(request_store)]
    for add in (_add_home, _add_articles, _add_events, _add_stories, _add_statements_and_actors, _add_exports):
        add(app, db)


def _add_home(app: FastAPI, DB: Any) -> None:  # noqa: N803 (a type)
    @app.get("/", include_in_schema=False)
    def home(request: Request, db: DB) -> HTMLResponse:
        disputed: list[dict[str, Any]] = []
        if webdata.has_table(db, "stories"):
            page = webdata.stories_page(db, 5, 0, {"disputed": True})
            disputed = page.items()
        return render_page(request, "home.html", counts=webdata.counts(db), stories=webdata.has_table(db, "stories"),
                           disputed=disputed)


def _add_articles(app: FastAPI, DB: Any) -> None:  # noqa: N803 (a type)
    @app.get("/ui/articles", include_in_schema=False)
    def articles_page(request: Request, db: DB, cursor: Cursor = None) -> HTMLResponse:
        filters = read_filters(request.query_params, ARTICLE_FIELDS, "articles")
        rows, paging = _listed(db, filters, lambda: articles_sql(filters), cursor, "articles")
        return render_page(request, "articles.html", 422 if filters.errors else 200, rows=rows, filters=filters,
                           paging=paging, exports=exports_for("articles", filters))

    @app.get("/ui/articles/{doc_id}", include_in_schema=False)
    def article_page(request: Request, db: DB, doc_id: Annotated[str, Path(max_length=100)]) -> HTMLResponse:
        analysis = webdata.stored_analysis(db, doc_id)
        if analysis is None:
            return render_page(request, "message.html", 404, title="Not found",
                               message=f"There is no document {doc_id} in this store.")
        return render_page(request, "article.html", view=article_view(analysis), stored=True,
                           url=safe_url(analysis.document.url))


def _add_events(app: FastAPI, DB: Any) -> None:  # noqa: N803 (a type)
    @app.get("/ui/events", include_in_schema=False)
    def events_page(request: Request, db: DB, cursor: Cursor = None) -> HTMLResponse:
        filters = read_filters(request.query_params, EVENT_FIELDS, "events")
        rows, paging = _listed(db, filters, lambda: events_sql(event_filter(filters)), cursor, "events")
        return render_page(request, "events.html", 422 if filters.errors else 200, rows=rows, filters=filters,
                           paging=paging, types=EVENT_TYPES, statuses=EVENT_STATUSES, factual=FACTUAL_STATUSES,
                           exports=exports_for("events", filters),
                           overview_query=filters.query(sort=None, order=None))

    @app.get("/ui/events/overview", include_in_schema=False)
    def events_overview(request: Request, db: DB) -> Response:
        filters = read_filters(request.query_params, EVENT_FIELDS)
        if filters.errors:
            return JSONResponse({"detail": "; ".join(filters.errors.values()), "errors": filters.errors}, 422)
        overview = webdata.events_overview(db, event_filter(filters))
        overview["scope"] = "chosen" if filters.get("status") else filters.get("scope") or "factual"
        overview["factual"] = list(FACTUAL_STATUSES)
        return JSONResponse(overview)


def _add_stories(app: FastAPI, DB: Any) -> None:  # noqa: N803 (a type)
    @app.get("/ui/stories", include_in_schema=False)
    def stories_page(request: Request, db: DB, cursor: Cursor = None) -> HTMLResponse:
        filters = read_filters(request.query_params, STORY_FIELDS)
        stories: list[dict[str, Any]] = []
        paging: dict[str, Any] = {}
        has_table = webdata.has_table(db, "stories")
        if not filters.errors:
            offset = webdata.decode_cursor(cursor)
            page = webdata.stories_page(db, STORIES_PAGE_SIZE, offset, story_filter_args(filters))
            stories = [story_view(db, item) for item in page.items()]
            paging = pager("/ui/stories", filters, page, offset, STORIES_PAGE_SIZE)
        return render_page(request, "stories.html", 422 if filters.errors else 200, stories=stories, filters=filters,
                           paging=paging, has_table=has_table, types=EVENT_TYPES,
                           exports=exports_for("stories", filters))

    @app.get("/ui/stories/{story_id}", include_in_schema=False)
    def story_page(request: Request, db: DB, story_id: Annotated[str, Path(max_length=100)]) -> HTMLResponse:
        item = webdata.story(db, story_id)
        if item is None:
            return render_page(request, "message.html", 404, title="Not found",
                               message=f"There is no story {story_id} in this store.")
        return render_page(request, "story.html", story=story_view(db, item))


def _add_statements_and_actors(app: FastAPI, DB: Any) -> None:  # noqa: N803 (a type)
    @app.get("/ui/statements", include_in_schema=False)
    def statements_page(request: Request, db: DB, cursor: Cursor = None) -> HTMLResponse:
        filters = read_filters(request.query_params, STATEMENT_FIELDS, "statements")
        rows, paging = _listed(db, filters, lambda: statements_sql(filters), cursor, "statements")
        return render_page(request, "statements.html", 422 if filters.errors else 200, rows=rows, filters=filters,
                           paging=paging, channels=CHANNELS, certainties=CERTAINTIES,
                           exports=exports_for("statements", filters))

    @app.get("/ui/actors", include_in_schema=False)
    def actors_page(request: Request, db: DB, cursor: Cursor = None) -> HTMLResponse:
        filters = read_filters(request.query_params, ACTOR_FIELDS, "actors")
        rows, paging = _listed(db, filters, lambda: actors_sql(db, filters), cursor, "actors")
        return render_page(request, "actors.html", 422 if filters.errors else 200, rows=rows, filters=filters,
                           paging=paging, sectors=SECTORS)

    @app.get("/ui/actors/{key:path}", include_in_schema=False)
    def actor_page(request: Request, db: DB, key: Annotated[str, Path(max_length=300)]) -> HTMLResponse:
        profile = actor_profile(db, key)
        if profile is None:
            return render_page(request, "message.html", 404, title="Not found",
                               message=f"No actor {key} in this store.")
        return render_page(request, "actor.html", actor=profile)


def _add_exports(app: FastAPI, DB: Any) -> None:  # noqa: N803 (a type)
    @app.get("/export/{kind}.{fmt}", tags=["export"], responses={422: {"description": "a malformed filter"}})
    def export(request: Request, db: DB, kind: Annotated[str, Path(description=", ".join(KINDS))],
               fmt: Annotated[str, Path(description=", ".join(FORMATS))]) -> Response:
        """Every row a page lists under its filters (the page's own query parameters), as CSV, JSON (an array
        of objects) or Parquet, with ACLED/GDELT-style columns (see docs/web.md)."""
        if kind not in KINDS or fmt not in FORMATS:
            return JSONResponse({"detail": f"no export {kind}.{fmt}: kinds {', '.join(KINDS)}; formats "
                                           f"{', '.join(FORMATS)}"}, 404)
        filters = read_filters(request.query_params, FIELDS[kind])
        if filters.errors:
            return JSONResponse({"detail": "; ".join(filters.errors.values()), "errors": filters.errors}, 422)
        body = render(db, kind, fmt, filters)
        return Response(body, media_type=FORMATS[fmt],
                        headers={"Content-Disposition": f'attachment; filename="newstrace-{kind}.{fmt}"'})
