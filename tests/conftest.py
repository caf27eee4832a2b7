"""Shared fixtures: paths from __file__, a corpus store built once per session."""

from __future__ import annotations

import pytest

from govgraph.graph.build import ingest_paths
from govgraph.graph.store import OxigraphStore

from support import BASE, EXAMPLES, PLAN


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite tests/golden/*/*/expected.ttl")


@pytest.fixture(scope="session")
def corpus_store() -> OxigraphStore:
    store = OxigraphStore(None)
    report = ingest_paths([EXAMPLES], store, BASE)
    assert report.ok, report.errors
    return store


@pytest.fixture(scope="session")
def plan_store() -> OxigraphStore:
    store = OxigraphStore(None)
    report = ingest_paths([PLAN], store, BASE)
    assert report.ok, report.errors
    return store
