"""Helpers the API tests share (no tests here): apps over the session's corpus store,
and a real uvicorn server on a free loopback port for the SPARQL clients."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator

import uvicorn
from fastapi import FastAPI

from govgraph.api.app import create_app
from govgraph.graph.store import Store
from govgraph.settings import Settings
from support import BASE, free_port

ERROR_KEYS = {"status", "code", "message"}


def settings(**overrides) -> Settings:
    values = {"store": ":memory:", "update": None, "base": BASE, "query_timeout_s": 10.0, "row_cap": 100_000}
    values.update(overrides)
    return Settings(**values)


def make_app(store: Store, **overrides) -> FastAPI:
    return create_app(settings(**overrides), store)


def assert_error(resp, status: int, code: str | None = None) -> dict:
    """The one error shape, pinned: exactly {"error": {"status", "code", "message"}}."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json"), resp.headers["content-type"]
    body = resp.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == ERROR_KEYS, body
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """uvicorn serving `app` on 127.0.0.1 in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
