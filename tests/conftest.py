"""Shared fixtures: paths from __file__, stores built once per session."""

from __future__ import annotations

import pytest

from govgraph.graph.store import OxigraphStore
from support import EXAMPLES, PLAN, ingested


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite tests/golden/*/*/expected.ttl")


@pytest.fixture(scope="session")
def corpus_store() -> OxigraphStore:
    return ingested(EXAMPLES)


@pytest.fixture(scope="session")
def plan_store() -> OxigraphStore:
    return ingested(PLAN)


@pytest.fixture(scope="module")
def client(corpus_store: OxigraphStore):
    """The API over the corpus, for tests that do not build their own app."""
    from fastapi.testclient import TestClient
    from test_api_support import make_app

    return TestClient(make_app(corpus_store))
