"""One benchmark measurement per process, so each reports its own peak memory.

    python bench/stages.py STAGE JSON-ARGS   -> prints one JSON object on the last line

run.py starts these and reads the child's peak RSS from os.wait4.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

BASE = "http://127.0.0.1:8000/id/"
ROOT = Path(__file__).resolve().parent.parent


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def ingest(a: dict) -> dict:
    from govgraph.graph.build import ingest_paths
    from govgraph.graph.store import OxigraphStore

    paths = [Path(p) for p in a["paths"]]
    size = sum(f.stat().st_size for p in paths for f in ([p] if p.is_file() else p.rglob("*.txt")))
    store = OxigraphStore(Path(a["store"]))
    t = time.perf_counter()
    report = ingest_paths(paths, store, BASE)
    secs = time.perf_counter() - t
    quads = len(store.dump("application/n-quads").splitlines())
    if a.get("dump"):
        Path(a["dump"]).write_bytes(store.dump("application/n-quads"))
    store.close()
    return {"secs": secs, "mb_s": size / 1e6 / secs, "bytes": size, "quads": quads,
            "papers": len(report.papers), "errors": len(report.errors)}


def _timed(fn, budget: float, max_reps: int, min_reps: int = 3) -> list[float]:
    """Timings of `fn`: after one warm-up run (kept as a sample when it is slow, so slow
    queries cost fewer runs), until `min_reps` samples, then up to `max_reps` or `budget` s.
    A run slower than `budget` ends the sampling at the first sample: a query that takes
    seconds is measured, not averaged for minutes."""
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    out: list[float] = [first] if first > budget / 2 else []
    start = time.perf_counter()
    while len(out) < min_reps or (len(out) < max_reps and time.perf_counter() - start < budget):
        if out and out[-1] > budget:
            break
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


# Measured beside the competency queries: the pages an interactive user asks for where a
# query lists the whole store, each at its largest (the paper, the entity with the most
# evidence). (label, query, variable bound, SPARQL that picks its value)
PAGES = [
    ("evidence, one paper", "evidence", "document",
     "PREFIX gg: <https://w3id.org/govgraph/ns#> SELECT ?v (COUNT(?ev) AS ?n) "
     "WHERE { ?ev gg:document ?v } GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1"),
    ("evidence, one entity", "evidence", "subject",
     "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT ?v (COUNT(?ev) AS ?n) "
     "WHERE { ?ev rdf:subject ?v } GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1"),
]


def _page_value(run_select, pick: str):
    """The value a page binds (an IRI), or None when the tier has none."""
    from rdflib import URIRef

    rows = run_select(pick)
    return URIRef(str(rows[0]["v"])) if rows else None


def _engine(a: dict):
    """For one engine: run (a query to its whole answer), count (the rows of an answer) and
    pick (rows as dicts, to choose the value a page binds)."""
    if a["engine"] == "rdflib":
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        ds.parse(a["nquads"], format="nquads")
        return (lambda s: list(ds.query(s))), len, (lambda s: [r.asdict() for r in ds.query(s)])
    if a["engine"] == "embedded":
        from govgraph.graph.store import OxigraphStore

        store = OxigraphStore(Path(a["store"]), read_only=True)
    else:
        from govgraph.graph.remote import RemoteStore

        store = RemoteStore(a["url"] + "/query", timeout_s=a.get("cap", 120))

    def run(sparql: str) -> bytes:
        return store.query(sparql).body

    def count(body: bytes) -> int:
        return len(json.loads(body)["results"]["bindings"])

    def pick(sparql: str) -> list[dict]:
        return [{k: v["value"] for k, v in b.items()} for b in json.loads(run(sparql))["results"]["bindings"]]

    return run, count, pick


def queries(a: dict) -> None:
    """p50/p95 (ms) and rows of every competency query (and page) on one engine over one
    N-Quads file, one JSON line per query as it finishes (run.py stops a query at its cap).

    A query's time is the time to its whole answer as the engine gives it: SPARQL JSON
    bytes from the embedded store and from the server (what /queries and /sparql send),
    rows materialised from rdflib."""
    from govgraph.graph import queries as q
    from govgraph.graph.sparql import with_bindings

    t = time.perf_counter()
    run, count, pick = _engine(a)
    _emit({"_load_s": time.perf_counter() - t})
    todo = [(n, q.load(n)) for n in q.names()]
    for label, name, var, choose in PAGES:
        value = _page_value(pick, choose)
        if value is not None:
            todo.append((label, with_bindings(q.load(name), {var: value})))
    skip = set(a.get("skip", []))
    for label, sparql in todo:
        if label not in skip:
            _emit({"name": label, **_measure(run, count, sparql, a)})


def _measure(run, count, sparql: str, a: dict) -> dict:
    """One query's p50/p95 wall time, CPU p50 and rows (or the error an engine gives)."""
    last: list = [None]
    cpu: list[float] = []

    def once() -> None:
        # The CPU this process spends too: on cores other work shares, the part of the
        # wall time that is the query's own (meaningless for the server engine).
        c = time.process_time()
        last[0] = run(sparql)
        cpu.append(time.process_time() - c)

    try:
        xs = _timed(once, a["budget"], a["reps"], a.get("min_reps", 3))
        rows = count(last[0])
    except Exception as exc:  # noqa: BLE001 - a baseline engine that cannot run a query is reported
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"p50": statistics.median(xs) * 1e3, "p95": pct(xs, 0.95) * 1e3, "n": len(xs),
            "cpu_p50": statistics.median(cpu[-len(xs):]) * 1e3, "rows": rows}


def _emit(obj: dict) -> None:
    """One result line, flushed at once (run.py reads them as they come)."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def load_embedded(a: dict) -> dict:
    import pyoxigraph as ox

    t = time.perf_counter()
    s = ox.Store(a["store"])
    s.bulk_load(path=a["nquads"], format=ox.RdfFormat.N_QUADS)
    s.optimize()
    s.flush()
    return {"secs": time.perf_counter() - t}


def record_trace(a: dict) -> dict:
    """The SPARQL one GET /trace/{id} sends to the store (replayed against oxigraph serve)."""
    from fastapi.testclient import TestClient

    from govgraph.api.app import create_app
    from govgraph.graph.store import OxigraphStore
    from govgraph.settings import Settings

    inner = OxigraphStore(Path(a["store"]), read_only=True)
    sent: list[str] = []

    class Recording:
        def __getattr__(self, name):
            return getattr(inner, name)

        def query(self, sparql, **kw):
            sent.append(sparql)
            return inner.query(sparql, **kw)

    settings = Settings(store=a["store"], update=None, base=BASE, query_timeout_s=30, row_cap=100000)
    with TestClient(create_app(settings, Recording())) as client:
        sent.clear()
        r = client.get(f"/trace/{a['path']}")
    return {"status": r.status_code, "queries": list(sent), "bytes": len(r.content)}


def views(a: dict) -> dict:
    import pyoxigraph as ox

    from govgraph.graph import views as gv
    from govgraph.graph.store import OxigraphStore
    from govgraph.viz import render_view

    store = OxigraphStore(None)
    store._store.bulk_load(path=a["nquads"], format=ox.RdfFormat.N_QUADS)
    n = a["size"]
    t = time.perf_counter()
    v = gv.build(store, a["view"], limit=n)
    build = time.perf_counter() - t
    xs = _timed(lambda: render_view(store, a["view"], base=BASE, fmt="html", limit=n), a["budget"], 5, 1)
    html = render_view(store, a["view"], base=BASE, fmt="html", limit=n)
    return {"secs": statistics.median(xs), "build_s": build, "nodes": v.graph.number_of_nodes(),
            "html_bytes": len(html), "quads": len(store._store)}


STAGES = {"ingest": ingest, "queries": queries, "load_embedded": load_embedded,
          "record_trace": record_trace, "views": views}

if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)
    result = STAGES[sys.argv[1]](json.loads(sys.argv[2])) or {}
    # This process's own high-water RSS (VmHWM restarts at exec; ru_maxrss would not).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            result["_peak_mb"] = int(line.split()[1]) / 1024
    sys.stdout.write("\n" + json.dumps(result) + "\n")
