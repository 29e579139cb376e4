"""The store connection of one HTTP request (the API's and the pages' ``DB`` dependency).

The server holds no connection to the store: each request opens its own, read-only, and closes it when it
ends. Between requests the file is free, so ``newstrace ingest`` and ``link`` (other processes) and
``POST /ingest`` can take it for a batch, and the next request sees what they wrote without a restart.
A request that finds a writer at work waits for its batch to end, up to the app's ``read_wait`` seconds,
then ``StoreBusyError`` (answered with 503 and Retry-After). See docs/store.md, "Concurrent use".
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from newstrace.store import connect
from newstrace.web.data import RequestStore


def request_store(request: Request) -> Iterator[RequestStore]:
    """A read-only connection to the app's store (``app.state.store.path``) for this request only."""
    state = request.app.state
    con = connect(state.store.path, read_only=True, lock_timeout=state.read_wait)
    try:
        yield RequestStore(con)
    finally:
        con.close()
