"""Shared fixtures: paths from __file__, stores built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from govgraph.graph.build import ingest_paths
from govgraph.graph.store import OxigraphStore
from support import BASE, EXAMPLES, PLAN


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite tests/golden/*/*/expected.ttl")


def ingested(path: Path) -> OxigraphStore:
    store = OxigraphStore(None)
    report = ingest_paths([path], store, BASE)
    assert report.ok, report.errors
    return store


@pytest.fixture(scope="session")
def corpus_store() -> OxigraphStore:
    return ingested(EXAMPLES)


@pytest.fixture(scope="session")
def plan_store() -> OxigraphStore:
    return ingested(PLAN)
