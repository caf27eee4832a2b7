"""Exporting the dataset, and writing files so a crash never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from govgraph.graph.store import Store
from govgraph.ontology import PREFIXES


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dataset(store: Store) -> Dataset:
    ds = Dataset()
    ds.parse(data=store.dump("application/n-quads"), format="nquads")
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


def union_graph(store: Store) -> Graph:
    """Every graph's triples in one graph (for Turtle, JSON-LD and validation)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o, _ in dataset(store).quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def export_bytes(store: Store, fmt: str) -> bytes:
    if fmt == "nq":
        return store.dump("application/n-quads")
    if fmt == "trig":
        return dataset(store).serialize(format="trig").encode()
    if fmt == "jsonld":
        return dataset(store).serialize(format="json-ld", indent=1).encode()
    return union_graph(store).serialize(format="turtle").encode()
