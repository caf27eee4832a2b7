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
    queries cost fewer runs), until `min_reps` samples, then up to `max_reps` or `budget` s."""
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    out: list[float] = [first] if first > budget / 2 else []
    start = time.perf_counter()
    while len(out) < min_reps or (len(out) < max_reps and time.perf_counter() - start < budget):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def queries(a: dict) -> dict:
    """p50/p95 (ms) of every competency query on one engine over one N-Quads file."""
    from govgraph.graph import queries as q
    from govgraph.graph.sparql import select

    engine, nq = a["engine"], a["nquads"]
    t = time.perf_counter()
    if engine == "embedded":
        import pyoxigraph as ox

        from govgraph.graph.store import OxigraphStore

        store = OxigraphStore(Path(a["store"]), read_only=True)
        run = lambda s: select(store, s)  # noqa: E731
    elif engine == "server":
        from govgraph.graph.remote import RemoteStore

        store = RemoteStore(a["url"] + "/query")
        run = lambda s: select(store, s)  # noqa: E731
    else:
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        ds.parse(nq, format="nquads")
        run = lambda s: list(ds.query(s))  # noqa: E731
    load = time.perf_counter() - t
    out = {"load_s": load, "queries": {}}
    deadline = time.perf_counter() + a.get("total_budget", 1e9)
    for name in q.names():
        if time.perf_counter() > deadline:
            out["queries"][name] = None
            continue
        sparql = q.load(name)
        try:
            xs = _timed(lambda: run(sparql), a["budget"], a["reps"], a.get("min_reps", 3))
        except Exception as exc:  # noqa: BLE001 - a baseline engine that cannot run a query is reported
            out["queries"][name] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
            continue
        out["queries"][name] = {"p50": statistics.median(xs) * 1e3, "p95": pct(xs, 0.95) * 1e3, "n": len(xs)}
    return out


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
    result = STAGES[sys.argv[1]](json.loads(sys.argv[2]))
    # This process's own high-water RSS (VmHWM restarts at exec; ru_maxrss would not).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            result["_peak_mb"] = int(line.split()[1]) / 1024
    sys.stdout.write("\n" + json.dumps(result) + "\n")
