"""Selection on top of any store: run a SELECT, get rows of rdflib terms.

User input reaches SPARQL only as bound values: `bindings` become a trailing VALUES
clause built from each term's N-Triples form, never from pasted text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from govgraph.errors import QueryError
from govgraph.graph.store import Store


@dataclass(frozen=True)
class Table:
    """A SELECT's answer: the columns in order and one dict per row."""

    columns: list[str]
    rows: list[dict[str, Node]]

    def values(self, row: Mapping[str, Node]) -> list[str]:
        return [str(row[c]) if c in row else "" for c in self.columns]


def term(b: dict) -> Node:
    """One value of a SPARQL JSON answer as an rdflib term."""
    kind = b["type"]
    if kind == "uri":
        return URIRef(b["value"])
    if kind == "bnode":
        return BNode(b["value"])
    dt = b.get("datatype")
    return Literal(b["value"], lang=b.get("xml:lang"), datatype=URIRef(dt) if dt else None)


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


Bindings = Mapping[str, Node] | Sequence[Mapping[str, Node]]


def with_bindings(sparql: str, bindings: Bindings | None) -> str:
    """Bind each variable to one term with a VALUES block opening the outer WHERE, so
    the binding constrains the pattern before any GROUP BY (a trailing VALUES clause
    would only join after aggregation). A list of mappings, each binding the same
    variables, binds one row each."""
    if not bindings:
        return sparql
    rows = [bindings] if isinstance(bindings, Mapping) else list(bindings)
    names = list(rows[0])
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    for row in rows:
        if list(row) != names:
            raise ValueError(f"every row must bind {names}, not {list(row)}")
        for value in row.values():
            if isinstance(value, URIRef):
                try:
                    ox.NamedNode(str(value))  # a bound IRI is one term, never SPARQL text
                except ValueError as exc:
                    raise QueryError(f"not an IRI: {str(value)[:200]!r}") from exc
    head = " ".join(f"?{k}" for k in names)
    block = " ".join("(" + " ".join(row[k].n3() for k in names) + ")" for row in rows)
    values = f"VALUES ({head}) {{ {block} }}"
    m = _WHERE.search(sparql)
    if m is None:
        return f"{sparql}\n{values}"
    return f"{sparql[: m.end()]} {values} {sparql[m.end() :]}"


def select(store: Store, sparql: str, bindings: Bindings | None = None) -> Table:
    """Run a SELECT and parse its SPARQL JSON answer."""
    resp = store.query(with_bindings(sparql, bindings))
    data = json.loads(resp.body)
    if "boolean" in data:
        return Table(["boolean"], [{"boolean": Literal(data["boolean"])}])
    columns = data["head"].get("vars", [])
    rows = [{k: term(v) for k, v in b.items()} for b in data["results"]["bindings"]]
    return Table(columns, rows)


def ask(store: Store, sparql: str) -> bool:
    return bool(json.loads(store.query(sparql).body)["boolean"])
