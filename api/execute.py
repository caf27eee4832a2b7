"""Running queries for the server: a time limit, a row cap, and any serialisation.

The store cannot cancel a query, so each one runs on a small pool of worker threads and
the request waits at most `query_timeout_s` for it (queueing time included). A query
that overruns is answered with 503 at once; its thread finishes in the background and
its answer is dropped. pyoxigraph releases the GIL while it evaluates, so an overrunning
query never stalls the event loop, and because the pool is bounded, a burst of runaway
queries queues up (and times out) instead of starving the machine. Async routes await
the pool (`arun`): one thread hop per request, the event loop never blocks.

Answers are fetched from the store as SPARQL JSON (solutions, booleans) or N-Triples
(graphs), cut to `row_cap` rows or triples, and re-serialised by pyoxigraph into the
format the client asked for. A cut answer carries the header `GovGraph-Truncated`.
SPARQL JSON goes out as the store wrote it, unparsed, whenever its size alone proves
it holds no more than `row_cap` rows (`within_cap`): the common, small answer costs
no Python objects per row.

Handing a query to a worker thread and back costs more CPU than a small query itself
(a thread wake-up each way, and the GIL passed twice). So /sparql remembers how long
each query took the last time it ran, in CPU time (`arun_timed`): one that took under
`INLINE_S` on the same data runs on the event loop, without the hop. Nothing of the answer is
kept: the query runs every time. What it learnt is forgotten whenever the data
changes (the store's `generation`), and is never used with a store that has none
(a remote store answers over the network: that always goes to a worker).
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Callable, Hashable, Mapping, Sequence, TypeVar

import pyoxigraph as ox
from rdflib.term import Node

from govgraph.api.conneg import JSON, NTRIPLES
from govgraph.api.errors import ApiError
from govgraph.graph.sparql import Bindings, Table, select, with_bindings
from govgraph.graph.store import GRAPH_TYPES, RESULTS_TYPES, Store, looks_like_update

T = TypeVar("T")

PREFIXES = {
    "gg": "https://w3id.org/govgraph/ns#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "qb": "http://purl.org/linked-data/cube#",
    "schema": "https://schema.org/",
}

TRUNCATED_HEADER = "GovGraph-Truncated"

# A query that took less than this the last time (on the same data) runs without the
# thread hop: at most this long, the event loop answers no one else.
INLINE_S = 0.002
_COSTS_KEPT = 4096


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    kind: str  # solutions | boolean | graph
    truncated: bool = False


_PROLOGUE = re.compile(
    r"\s+|#[^\n]*|PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>", re.IGNORECASE)
_UPDATE_WORD = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def is_update(sparql: str) -> bool:
    """True when the text, after its prologue (comments, PREFIX, BASE), starts as an update."""
    pos = 0
    while m := _PROLOGUE.match(sparql, pos):
        if m.end() == pos:
            break
        pos = m.end()
    return bool(_UPDATE_WORD.match(sparql, pos)) or looks_like_update(sparql)


def refuse_update(sparql: str) -> None:
    if is_update(sparql):
        raise ApiError(
            403,
            "updates_refused",
            "this endpoint is read-only: SPARQL Update is refused — change the graph with 'govgraph ingest'",
        )


def convert_graph(ntriples: bytes, media_type: str, cap: int) -> tuple[bytes, bool]:
    """N-Triples cut to `cap` triples and serialised as `media_type`."""
    lines = ntriples.splitlines(keepends=True)
    lines = [line for line in lines if line.strip()]
    truncated = len(lines) > cap
    if truncated:
        lines = lines[:cap]
    data = b"".join(lines)
    if media_type == NTRIPLES:
        return data, truncated
    triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    fmt = GRAPH_TYPES[media_type]
    kwargs = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
    return ox.serialize(triples, format=fmt, **kwargs), truncated


def within_cap(sparql_json: bytes, cap: int) -> bool:
    """True when a SPARQL JSON answer this size cannot hold more than `cap` rows: every
    row is at least `{}` and rows are comma-separated, so cap + 1 rows take at least
    3 * cap + 2 bytes. (Whitespace only adds bytes; a boolean answer has no rows.)"""
    return len(sparql_json) < 3 * cap + 2


def convert_results(sparql_json: bytes, media_type: str, cap: int) -> tuple[bytes, bool]:
    """SPARQL JSON results cut to `cap` rows and serialised as `media_type`."""
    truncated = False
    if not within_cap(sparql_json, cap):
        data = json.loads(sparql_json)
        if "results" in data and len(data["results"].get("bindings", [])) > cap:
            data["results"]["bindings"] = data["results"]["bindings"][:cap]
            truncated = True
            sparql_json = json.dumps(data).encode("utf-8")
    if media_type == JSON:
        return sparql_json, truncated
    parsed = ox.parse_query_results(sparql_json, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULTS_TYPES[media_type]), truncated


@cache
def rq(name: str) -> str:
    """One of the API's own queries, api/rq/NAME.rq."""
    return resources.files("govgraph.api").joinpath("rq", f"{name}.rq").read_text("utf-8")


class Executor:
    """The server's single way to the store: bounded, timed, capped."""

    def __init__(self, store: Store, timeout_s: float, row_cap: int, workers: int = 4) -> None:
        self.store = store
        self.timeout_s = timeout_s
        self.row_cap = row_cap
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._costs: dict[Hashable, float] = {}  # query -> seconds its last run took, on...
        self._costs_of: int | None = None  # ...this generation of the store

    def _workers(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="govgraph-query")
            return self._pool

    async def arun(self, fn: Callable[[], T]) -> T:
        """`run` for async routes: awaits the worker, so the event loop stays free."""
        future = self._workers().submit(fn)
        try:
            async with asyncio.timeout(self.timeout_s) as limit:
                return await asyncio.wrap_future(future)
        except TimeoutError:
            if not limit.expired():
                raise  # the query's own TimeoutError (a remote store's socket), not ours
            future.cancel()
            raise self._overrun() from None

    async def arun_timed(self, key: Hashable, fn: Callable[[], T]) -> T:
        """`arun`, but on the event loop itself when `key` (the query and everything that
        shapes its answer) last took under INLINE_S on the same data (module docstring)."""
        gen = getattr(self.store, "generation", None)
        if gen is None:
            return await self.arun(fn)
        if gen != self._costs_of or len(self._costs) > _COSTS_KEPT:
            self._costs.clear()
            self._costs_of = gen
        if self._costs.get(key, INLINE_S) < INLINE_S:
            began = time.perf_counter()
            out = fn()
            self._costs[key] = time.perf_counter() - began
            return out

        def timed() -> T:
            # On a worker, this thread's CPU time, not the wall clock: the wall time counts
            # the wait for the GIL, which the event loop holds while it is busy. (On the
            # loop, the wall clock: reading it costs no system call.)
            began = time.thread_time()
            out = fn()
            self._costs[key] = time.thread_time() - began
            return out

        return await self.arun(timed)

    def run(self, fn: Callable[[], T]) -> T:
        future = self._workers().submit(fn)
        try:
            return future.result(timeout=self.timeout_s)
        except FutureTimeout:
            future.cancel()  # drops it if still queued; a running query finishes unseen
            raise self._overrun() from None

    def _overrun(self) -> ApiError:
        return ApiError(
            503,
            "query_timeout",
            f"the query did not finish within {self.timeout_s:g} s — narrow it (add LIMIT or more specific patterns)",
            {"Retry-After": "10"},
        )

    def job(
        self,
        sparql: str,
        results_type: str,
        graph_type: str,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> Callable[[], Answer]:
        """The work of answering a query, capped and serialised, for `run` or `arun` to
        do on a worker. An update is refused here, at once."""
        refuse_update(sparql)

        def work() -> Answer:
            resp = self.store.query(sparql, results_type=JSON, graph_type=NTRIPLES,
                                    default_graphs=default_graphs or None, named_graphs=named_graphs or None)
            if resp.kind == "graph":
                body, cut = convert_graph(resp.body, graph_type, self.row_cap)
                return Answer(body, graph_type, "graph", cut)
            body, cut = convert_results(resp.body, results_type, self.row_cap)
            return Answer(body, results_type, resp.kind, cut)

        return work

    def query(self, sparql: str, results_type: str, graph_type: str) -> Answer:
        """A query over the default graph, answered on a worker and waited for (sync routes)."""
        return self.run(self.job(sparql, results_type, graph_type))

    def rows(self, sparql: str, bindings: Bindings | None = None) -> list[dict[str, dict]]:
        """A SELECT's rows as SPARQL JSON bindings (`{var: {"type", "value", ...}}`), capped,
        run in this thread: for a route whose whole answer is one job on a worker (one
        hop, one time limit), and which needs strings, not rdflib terms."""
        rows = json.loads(self.store.query(with_bindings(sparql, bindings)).body)["results"]["bindings"]
        return rows[: self.row_cap]

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Table:
        """A SELECT for the REST and entity routes (user input only as `bindings`)."""
        table = self.run(lambda: select(self.store, sparql, bindings))
        if len(table.rows) > self.row_cap:
            return Table(table.columns, table.rows[: self.row_cap])
        return table

    def close(self) -> None:
        """Stop the workers (queued queries are dropped); a later query starts new ones."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
