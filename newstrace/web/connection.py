"""The store connection of one HTTP request (the API's and the pages' ``DB`` dependency).

DuckDB lets one process write a file or many read it, never both at once. The server reads through one
read-only connection that it opens when a request needs it and shares among the requests that follow
(each through its own cursor: connections are not thread-safe), and it lets go of the file as soon as a
writer (``newstrace ingest`` or ``link`` in another process, or ``POST /ingest``) says it is waiting
(``store.writer_waiting``): requests in flight finish, new ones wait, the writer writes its batch, and
the next request opens the file again and sees what was written, without a restart. A request waits
for a writer at most ``read_wait`` seconds, then ``StoreBusyError`` (503 with Retry-After).

Nothing is stale: while the server has the file open no other process can write to it, and after a
write the server always opens it anew. See docs/store.md, "Concurrent use".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
from fastapi import Request

from newstrace.store import connect, writer_waiting
from newstrace.web.data import RequestStore

WATCH_EVERY = 0.02  # seconds between two looks for a waiting writer while requests wait or the server idles


class SharedReader:
    """One read-only connection to the store, shared by requests, given up whenever a writer waits."""

    def __init__(self, path: str | Path, read_wait: float) -> None:
        self.path = Path(path)
        self.read_wait = read_wait
        self._con: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._state = threading.Condition()
        self._closed = False
        self._watcher: threading.Thread | None = None

    def acquire(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one request (give it back with ``release``); ``store.StoreBusyError`` when a writer
        kept the file for more than ``read_wait`` seconds."""
        deadline = time.monotonic() + self.read_wait
        with self._state:
            while True:
                left = deadline - time.monotonic()
                if writer_waiting(self.path) and left > 0:
                    # Let the writer in: no new reads; the last request in flight closes the connection.
                    self._close_if_unused()
                    self._state.wait(min(WATCH_EVERY, left))
                    continue
                if self._con is None:
                    self._con = connect(self.path, read_only=True, lock_timeout=max(left, 0.0))
                    self._start_watcher()
                self._users += 1
                return self._con.cursor()

    def release(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Give back a request's cursor; the connection closes now if a writer waits."""
        with self._state:
            cursor.close()
            self._users -= 1
            if writer_waiting(self.path):
                self._close_if_unused()
            self._state.notify_all()

    def close(self) -> None:
        """Close the connection and stop watching (the server is shutting down)."""
        with self._state:
            self._closed = True
            self._users = 0
            self._close_if_unused()
            self._state.notify_all()

    def _close_if_unused(self) -> None:
        if self._con is not None and self._users == 0:
            self._con.close()
            self._con = None

    def _start_watcher(self) -> None:
        """While the connection is open, look for a waiting writer even when no request comes."""
        if self._watcher is None or not self._watcher.is_alive():
            self._watcher = threading.Thread(target=self._watch, name="newstrace-store-watch", daemon=True)
            self._watcher.start()

    def _watch(self) -> None:
        while True:
            time.sleep(WATCH_EVERY)
            with self._state:
                if self._closed or self._con is None:
                    self._watcher = None
                    return
                if writer_waiting(self.path):
                    self._close_if_unused()
                    self._state.notify_all()


def request_store(request: Request) -> Iterator[RequestStore]:
    """This request's cursor of the app's shared read-only connection (``app.state.reader``)."""
    reader: SharedReader = request.app.state.reader
    cursor = reader.acquire()
    try:
        yield RequestStore(cursor)
    finally:
        reader.release(cursor)
