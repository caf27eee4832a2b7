"""The store protocol and its embedded implementation.

A store is deliberately narrow, like an HTTP transport: replace one document's named
graph atomically, answer a SPARQL query in a serialisation, list graphs, close.
Everything else (selection, tracing, validation) is built on top of these four.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterable, Protocol, Sequence, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from govgraph.errors import QueryError, StoreError
from govgraph.ontology import PREFIXES

# Media types a store can answer in, most preferred first.
RESULTS_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
DATASET_TYPES: dict[str, ox.RdfFormat] = {
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


# From this many triples a new graph is bulk loaded: below it the loader's fixed cost (a
# file per index) outweighs what it saves (measured: 1,400 triples cost the same both
# ways, 43,000 cost 0.2 s bulk loaded and 0.5 s in a transaction).
BULK_MIN_TRIPLES = 2000


@dataclass(frozen=True)
class QueryResponse:
    """A serialised answer: `kind` is 'solutions', 'boolean' or 'graph'."""

    body: bytes
    media_type: str
    kind: str


class Store(Protocol):
    """What every store offers; the embedded, in-memory and remote ones behave alike."""

    def replace_graph(self, name: str, data: Graph | Collection[Triple]) -> None:
        """Make `data` (a Graph or a set of triples) the whole content of named graph
        `name`, atomically."""

    def query(
        self,
        sparql: str,
        *,
        results_type: str = "application/sparql-results+json",
        graph_type: str = "text/turtle",
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResponse:
        """Answer a read-only query; the default graph is the union of all graphs
        unless `default_graphs` names some."""

    def graphs(self) -> list[str]:
        """The names of the named graphs held."""

    def dump(self, media_type: str) -> bytes:
        """The whole dataset, serialised (N-Quads or TriG)."""

    def close(self) -> None:
        """Release the store (and its folder lock)."""


Triple = tuple[Node, Node, Node]


@runtime_checkable
class Patchable(Protocol):
    """A store that also changes part of a graph in one transaction, so that a small
    change to a large graph (a later paper's fuller label) costs what the change costs."""

    def change_graph(self, name: str, gone: Collection[Triple], added: Collection[Triple]) -> None:
        """Remove `gone` from named graph `name` and add `added`, atomically. IRIs and
        literals only: a blank node names nothing outside one request."""


def as_graph(data: Graph | Iterable[Triple]) -> Graph:
    """The data as an rdflib Graph (ingest hands stores a set of triples)."""
    if isinstance(data, Graph):
        return data
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for t in data:
        g.add(t)
    return g


def replace_update(name: str, data: Graph | Iterable[Triple]) -> str:
    """One SPARQL Update that drops a graph and inserts its new content: atomic on any
    conforming server, and on the embedded store."""
    body = as_graph(data).serialize(format="nt")
    return f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body}\n}} }}"


def _nt_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def ntriples(data: Iterable[Triple]) -> bytes | None:
    """The triples as N-Triples, or None when they hold a blank node (whose identity a
    diff cannot follow). Written here rather than by rdflib's serializer, which costs
    three times as much; the store checks the IRIs as it parses the text."""
    lines = []
    for s, p, o in data:
        if isinstance(o, Literal):
            obj = _nt_string(o) + (f"@{o.language}" if o.language else f"^^<{o.datatype}>" if o.datatype else "")
        elif isinstance(o, URIRef):
            obj = f"<{o}>"
        else:
            return None
        if not isinstance(s, URIRef):
            return None
        lines.append(f"<{s}> <{p}> {obj} .\n")
    return "".join(lines).encode("utf-8")


def diff_update(name: str, gone: Iterable[ox.Triple], added: Iterable[ox.Triple]) -> str:
    """One SPARQL Update (one transaction) that turns a graph's old triples into its new."""
    dropped = " .\n".join(str(t) for t in gone)
    inserted = " .\n".join(str(t) for t in added)
    return (f"DELETE DATA {{ GRAPH <{name}> {{\n{dropped}\n}} }} ;\n"
            f"INSERT DATA {{ GRAPH <{name}> {{\n{inserted}\n}} }}")


_UPDATE_RE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def looks_like_update(sparql: str) -> bool:
    """True when the text is a SPARQL Update rather than a query (used to refuse it)."""
    stripped = re.sub(r"(?m)#.*$", "", sparql)
    return bool(_UPDATE_RE.match(stripped))


def _remove_bulk_leftovers(path: Path) -> None:
    """Delete the files a killed bulk load left: oxigraph writes them as bulk-*.sst beside
    the database and removes them once RocksDB has taken them in (linked under its own
    names) or the load failed. Only the process holding the store's lock loads, and that
    is now this one, so any still here belong to no load: unlisted data, or second names
    of files RocksDB holds (which would keep them on disk after a compaction)."""
    for leftover in path.glob("bulk-*.sst"):
        leftover.unlink(missing_ok=True)


class OxigraphStore:
    """The embedded default: pyoxigraph on disk (or in memory when `path` is None)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._writing = threading.Lock()  # a replace reads the old graph, then writes the change
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                if not (path / "CURRENT").exists():
                    raise StoreError(
                        f"{path}: no govgraph store here — run 'govgraph ingest PAPERS --store {path}' first"
                    )
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
                _remove_bulk_leftovers(path)
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"{path}: the store is in use by another govgraph process (an ingest still running?) — "
                    "wait for it to finish and try again"
                ) from exc
            raise StoreError(f"{path}: cannot open the store ({exc})") from exc

    def replace_graph(self, name: str, data: Graph | Collection[Triple]) -> None:
        # Each write below is one transaction, durable through the write-ahead log even if
        # the process is killed; memtables are flushed once, on close. Only the difference
        # between the old and the new graph is written: RocksDB's transactional writes are
        # the dearest part of an ingest, and re-ingesting an unchanged paper writes nothing.
        try:
            graph = ox.NamedNode(name)
            body = ntriples(data)
            with self._writing:
                old = {q.triple for q in self._store.quads_for_pattern(None, None, None, graph)}
                if not body or any(isinstance(n, ox.BlankNode) for t in old for n in (t.subject, t.object)):
                    # Blank nodes, or an emptied graph (which DROP also unlists).
                    self._store.update(replace_update(name, as_graph(data)))
                elif not old and len(data) >= BULK_MIN_TRIPLES:
                    # A graph new to the store, and large: written as sorted files that
                    # RocksDB takes in one atomic step (IngestExternalFiles records every
                    # column family's files in one MANIFEST edit; oxigraph's loader ingests
                    # only on commit and deletes its files on a parse error), at a third of
                    # the cost of a transaction's writes. Queries read from a snapshot, so
                    # none sees part of it; a killed load leaves only unlisted bulk-*.sst files.
                    self._store.bulk_load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
                elif not old:
                    self._store.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
                else:
                    new = {q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}
                    if new != old:
                        self._store.update(diff_update(name, old - new, new - old))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.path}: could not write graph <{name}>: {exc}") from exc

    def change_graph(self, name: str, gone: Collection[Triple], added: Collection[Triple]) -> None:
        try:
            graph = ox.NamedNode(name)
            texts = ntriples(gone), ntriples(added)
            if texts[0] is None or texts[1] is None:
                raise ValueError("a blank node cannot be changed in place")
            old, new = ([t for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)] for text in texts)
            with self._writing:
                self._store.update(diff_update(graph.value, old, new))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.path}: could not write graph <{name}>: {exc}") from exc

    def query(
        self,
        sparql: str,
        *,
        results_type: str = "application/sparql-results+json",
        graph_type: str = "text/turtle",
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResponse:
        if looks_like_update(sparql):
            raise QueryError("updates are not allowed here — the store is read-only for queries")
        kwargs: dict = {}
        try:
            if default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            else:
                kwargs["use_default_graph_as_union"] = True
            if named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        except ValueError as exc:
            raise QueryError(f"not a graph IRI: {exc}") from exc
        try:
            result = self._store.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise QueryError(f"query failed: {exc}") from exc
        if isinstance(result, ox.QueryTriples):
            fmt = GRAPH_TYPES.get(graph_type, ox.RdfFormat.TURTLE)
            media = graph_type if graph_type in GRAPH_TYPES else "text/turtle"
            return QueryResponse(result.serialize(format=fmt), media, "graph")
        fmt_r = RESULTS_TYPES.get(results_type, ox.QueryResultsFormat.JSON)
        media = results_type if results_type in RESULTS_TYPES else "application/sparql-results+json"
        kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
        return QueryResponse(result.serialize(format=fmt_r), media, kind)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, media_type: str) -> bytes:
        fmt = DATASET_TYPES.get(media_type, ox.RdfFormat.N_QUADS)
        return self._store.dump(format=fmt)

    def close(self) -> None:
        # pyoxigraph releases its lock when the object is collected.
        if self._store is not None and self.path is not None and not self.read_only:
            try:
                self._store.flush()
            except OSError:
                pass  # the write-ahead log already holds every committed write
        self._store = None  # type: ignore[assignment]


def open_store(spec: str | None, *, read_only: bool = False, update: str | None = None,
               via_server: bool = True) -> Store:
    """Open the store a user named: a folder (embedded), ':memory:', or a SPARQL URL.
    While `govgraph serve` holds a folder, the folder is reached through that server
    (graph/served.py) unless `via_server` is False (the server itself opens it)."""
    if spec is None or spec == ":memory:":
        return OxigraphStore(None)
    if spec.startswith(("http://", "https://")):
        from govgraph.graph.remote import RemoteStore

        return RemoteStore(spec, update)
    if via_server:
        from govgraph.graph.served import served_store

        served = served_store(Path(spec))
        if served is not None:
            return served
    return OxigraphStore(Path(spec), read_only=read_only)
