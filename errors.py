"""govgraph's exceptions: one tree, raised by library code, turned into exit codes by cli.py.

    GovGraphError                     anything a user can act on (exit 1)
    ├── SourceError                   a paper cannot be read or parsed (names file and line)
    ├── StoreError                    the store cannot be opened, read or written
    ├── QueryError                    a query is unknown, malformed or fails
    └── ValidationFailed              the graph violates a SHACL shape
"""

from __future__ import annotations

from dataclasses import dataclass


class GovGraphError(Exception):
    """An error the user can fix; its message says what is wrong and what to do."""


@dataclass
class SourceError(GovGraphError):
    """A problem with one paper, located at a line when one applies."""

    path: str
    problem: str
    hint: str = ""
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        tail = f" — {self.hint}" if self.hint else ""
        return f"{where}: error: {self.problem}{tail}"


class StoreError(GovGraphError):
    """The store could not be opened, queried or written."""


class QueryError(GovGraphError):
    """A query is unknown or invalid."""


class ValidationFailed(GovGraphError):
    """The graph does not conform to the shapes; `lines` holds one message per problem."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__(f"{len(lines)} shape violation(s)")
