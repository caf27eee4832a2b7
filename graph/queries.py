"""Named queries as files: queries/NAME.rq for users, graph/rq/NAME.rq for internals.

One loader serves the CLI, the API and the docs; each file opens with a comment that
states its question, which `describe` returns.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from govgraph.errors import QueryError


def _dir(package: str, sub: str | None = None):
    root = resources.files(package)
    return root.joinpath(sub) if sub else root


@cache
def internal(name: str) -> str:
    return _dir("govgraph.graph", "rq").joinpath(f"{name}.rq").read_text("utf-8")


def names() -> list[str]:
    """The competency queries that ship with govgraph."""
    return sorted(p.name[:-3] for p in _dir("govgraph.queries").iterdir() if p.name.endswith(".rq"))


def load(name_or_path: str) -> str:
    """A shipped query by name, or a .rq file by path."""
    if name_or_path.endswith(".rq"):
        path = Path(name_or_path)
        try:
            return path.read_text("utf-8")
        except OSError as exc:
            raise QueryError(f"{path}: cannot read the query file ({exc.strerror}) — check the path") from exc
    res = _dir("govgraph.queries").joinpath(f"{name_or_path}.rq")
    if not res.is_file():
        raise QueryError(
            f"no query named {name_or_path!r} — choose one of: {', '.join(names())}, or give a .rq file"
        )
    return res.read_text("utf-8")


def describe(sparql: str) -> str:
    """The question a query answers: its leading comment lines."""
    lines = []
    for line in sparql.splitlines():
        if line.startswith("#"):
            lines.append(line.lstrip("# ").rstrip())
        elif line.strip():
            break
    return " ".join(lines)
