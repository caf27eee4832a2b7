"""Settings read from the environment, with defaults that work on a laptop."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_STORE = "govgraph-store"
DEFAULT_BASE = "http://127.0.0.1:8000/id/"


@dataclass(frozen=True)
class Settings:
    """Where the store is and which base IRI the graph mints entities under."""

    store: str = field(default_factory=lambda: os.environ.get("GOVGRAPH_STORE", DEFAULT_STORE))
    update: str | None = field(default_factory=lambda: os.environ.get("GOVGRAPH_UPDATE"))
    base: str = field(default_factory=lambda: os.environ.get("GOVGRAPH_BASE", DEFAULT_BASE))
    query_timeout_s: float = field(
        default_factory=lambda: float(os.environ.get("GOVGRAPH_QUERY_TIMEOUT", "30"))
    )
    row_cap: int = field(default_factory=lambda: int(os.environ.get("GOVGRAPH_ROW_CAP", "100000")))

    @property
    def store_is_remote(self) -> bool:
        return self.store.startswith(("http://", "https://"))

    def store_path(self) -> Path:
        return Path(self.store)
