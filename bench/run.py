"""govgraph's benchmark: `make bench` (all tiers, about 15 min) or `make bench QUICK=1` (no 1M
tier, under 3 min); `python bench/run.py --quick --only api` runs the API section alone
(about 20 s), `--tiers 100k,1M` those query tiers alone.

Measures, against baselines taken in the same run, and prints one table:
  ingest of the corpus and of generated papers (wall time, MB/s);
  every competency query's rows and p50/p95 (and CPU p50) on the embedded store, rdflib's
  in-memory graph and an Oxigraph server, over the corpus and synthetic regions of 10k,
  100k and 1M quads, each query stopped at a time cap and reported as over it; and the
  pages of the evidence listing a user asks for (one paper's, one entity's);
  API requests/s and p50/p99 latency (8 concurrent clients) for a simple SELECT and for
  /trace/{id}, against `oxigraph serve` answering the same SPARQL;
  view build time and HTML size at 200, 2,000 and 10,000 nodes;
  peak memory (RSS) of each.
Everything runs on 127.0.0.1; every load test is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import clone_nquads, write_papers  # noqa: E402

PY = sys.executable
SEED = 20240611
ROWS: list[tuple] = []  # (section, measure, value, baseline, ratio, target, verdict, peak MB)
# Time caps, so that a full run ends (in about 20 min): one competency query's runs, and
# rdflib's load, each of its queries and all its queries per tier (rdflib holds a region in
# Python objects: at 1M quads its load takes minutes and some queries would take hours).
CAP_S = 30
RDFLIB_CAP_S = 20
RDFLIB_LOAD_CAP_S = 300
RDFLIB_TOTAL_S = {"corpus": 90, "10k": 60, "100k": 120, "1M": 300}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def stage(name: str, args: dict) -> tuple[dict, float]:
    """Run one stage in a child process; its JSON answer and its peak RSS in MB."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([PY, str(HERE / "stages.py"), name, json.dumps(args)], stdout=out, stderr=err,
                                text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        out, err = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"stage {name} failed:\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    return result, result.pop("_peak_mb", usage.ru_maxrss / 1024)


class Capped:
    """The queries stage under time caps: `cap` s for one query's runs, `load_cap` s to
    load the store, `total` s for the whole stage. A query over its cap is stopped (its
    process killed, and started again on the queries after it while the total allows)
    and reported as over the cap; the queries after a stopped stage are 'not run'."""

    def __init__(self, args: dict, cap: float, load_cap: float = 600, total: float = 3600) -> None:
        self.args, self.cap, self.load_cap, self.total = args, cap, load_cap, total
        self.results: dict[str, dict | None] = {}
        self.load_s = 0.0
        self.peak_mb = 0.0

    def run(self) -> "Capped":
        import queue

        started = time.monotonic()
        skip: list[str] = []
        while True:
            proc = subprocess.Popen([PY, str(HERE / "stages.py"), "queries", json.dumps({**self.args, "skip": skip})],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            lines: queue.Queue = queue.Queue()
            threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
            loaded, stopped = False, None
            t_load = time.monotonic()
            while True:
                left = self.total - (time.monotonic() - started)
                allowed = self.load_cap if not loaded else self.cap + 3 * self.args["budget"]
                try:
                    line = lines.get(timeout=max(min(left, allowed), 0.1))
                except queue.Empty:
                    stopped = "total" if left < allowed else "load" if not loaded else "query"
                    break
                if line is None:
                    break
                if not line.strip():
                    continue
                got = json.loads(line)
                if "_load_s" in got:
                    loaded, self.load_s = True, got["_load_s"]
                elif "name" in got:
                    self.results[got["name"]] = got
                    skip.append(got["name"])
                elif "_peak_mb" in got:
                    self.peak_mb = max(self.peak_mb, got["_peak_mb"])
            if stopped is None:
                proc.wait()
                return self
            self.peak_mb = max(self.peak_mb, _vmhwm(proc.pid))
            proc.kill()
            proc.wait()
            if stopped == "load":
                self.load_s = -(time.monotonic() - t_load)  # negative: the load was stopped
                return self
            if stopped == "total":
                return self  # the queries not answered are reported as not run
            # The query being run when the cap struck is the first one not yet answered.
            current = _next_query(skip)
            if current is None:
                return self
            self.results[current] = {"capped": self.cap}
            skip.append(current)
            if self.total - (time.monotonic() - started) < self.load_s + self.cap:
                return self  # no time left to load the store again


def _pump(stream, lines) -> None:
    """Every line of a child's output into a queue, then None."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def _next_query(done: list[str]) -> str | None:
    from stages import PAGES

    from govgraph.graph import queries as q

    for name in q.names() + [p[0] for p in PAGES]:
        if name not in done:
            return name
    return None


def _vmhwm(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_bin() -> str:
    exe = Path(PY).with_name("oxigraph")
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not found:
        sys.exit("bench: the Oxigraph server is needed — pip install oxigraph")
    return found


class Server:
    """A server subprocess on loopback; `peak_mb` reads its high-water RSS."""

    def __init__(self, cmd: list[str], port: int, env: dict | None = None) -> None:
        self.port = port
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{cmd[0]} exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{cmd} did not start")

    def peak_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def oxigraph_serve(location: Path, nquads: Path | None = None, timeout_s: float | None = None) -> Server:
    if nquads is not None:
        subprocess.run([oxigraph_bin(), "load", "--location", str(location), "--file", str(nquads)],
                       check=True, capture_output=True)
    port = free_port()
    limit = ["--timeout-s", f"{timeout_s:g}"] if timeout_s else []
    return Server([oxigraph_bin(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                   "--union-default-graph", *limit], port)


# ---------------------------------------------------------------- load test


def load_test(port: int, paths: list[str], seconds: float, clients: int = 8) -> dict:
    """`clients` threads, each on one keep-alive connection, cycling through `paths` (one
    'request' = every path in turn) for `seconds`. Returns requests/s, p50, p99 (ms)."""
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.monotonic() < stop:
            t = time.perf_counter()
            for p in paths:
                conn.request("GET", p, headers={"Accept": "application/sparql-results+json, application/json"})
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    errors[0] += 1
            mine.append(time.perf_counter() - t)
        conn.close()
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat.sort()
    return {"rps": len(lat) / wall, "p50": statistics.median(lat) * 1e3,
            "p99": lat[min(len(lat) - 1, int(0.99 * (len(lat) - 1)))] * 1e3, "n": len(lat), "errors": errors[0]}


def _ms(r: dict | None) -> str:
    if r is None:
        return "not run (time budget)"
    if "capped" in r:
        return f"> {r['capped']:.0f} s (cap)"
    if "error" in r:
        if "timeout" in r["error"].lower() or "timed out" in r["error"].lower():
            return "> cap (server timeout)"
        return "fails (" + r["error"].split(":")[0] + ")"
    return f"{r['p50']:.1f} ms"


def q(path: str, sparql: str) -> str:
    return f"{path}?{urllib.parse.urlencode({'query': sparql})}"


# ---------------------------------------------------------------- the table


def add(section: str, measure: str, value: str, baseline: str = "", ratio: float | None = None,
        target: str = "", ok: bool | None = None, peak: float | None = None) -> None:
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    ROWS.append((section, measure, value, baseline, f"{ratio:.2f}x" if ratio is not None else "", target,
                 verdict, f"{peak:.0f}" if peak is not None else ""))


def print_table() -> None:
    head = ("section", "measure", "govgraph", "baseline", "ratio", "target", "", "peak MB")
    widths = [max(len(str(r[i])) for r in ROWS + [head]) for i in range(len(head))]
    line = "  ".join("{:%d}" % w for w in widths)
    print(line.format(*head))
    print("  ".join("-" * w for w in widths))
    last = None
    for r in ROWS:
        if last is not None and r[0] != last:
            print()
        print(line.format(*r))
        last = r[0]


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the 1M tier; shorter runs (< 3 min)")
    ap.add_argument("--keep", type=Path, default=None, help="work folder to keep (default: a temp folder)")
    ap.add_argument("--tiers", default=None,
                    help="only these query tiers, comma-separated (corpus,10k,100k,1M): no API or views")
    ap.add_argument("--only", choices=["api"], default=None,
                    help="run one section: 'api' ingests the corpus and load-tests the API (about 20 s)")
    args = ap.parse_args()
    quick = args.quick
    work = args.keep or Path(tempfile.mkdtemp(prefix="govgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    servers: list[Server] = []
    try:
        if args.only == "api":
            api(work, ingest_corpus(work), quick, servers)
        else:
            run(work, quick, servers, args.tiers.split(",") if args.tiers else None)
    finally:
        for s in servers:
            s.stop()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\n({'quick' if quick else 'full'} run, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, {time.monotonic() - started:.0f} s; "
          f"peak MB = the measuring process's high-water RSS)")
    print_table()


def ingest_corpus(work: Path) -> Path:
    """The corpus in an embedded store (and work/corpus.nq), for a run of the API section alone."""
    log("ingest: corpus")
    stage("ingest", {"paths": [str(ROOT / "examples" / "coventry")], "store": str(work / "corpus-0"),
                     "dump": str(work / "corpus.nq")})
    return work / "corpus-0"


def run(work: Path, quick: bool, servers: list[Server], only_tiers: list[str] | None = None) -> None:
    corpus = ROOT / "examples" / "coventry"
    # 1. Ingest: the corpus, and generated papers, each into a fresh embedded store.
    log("ingest: corpus")
    best = None
    for i in range(1 if quick else 3):
        res, peak = stage("ingest", {"paths": [str(corpus)], "store": str(work / f"corpus-{i}"),
                                     "dump": str(work / "corpus.nq")})
        if best is None or res["secs"] < best[0]["secs"]:
            best = (res, peak)
    res, peak = best
    corpus_store = work / f"corpus-0"
    add("ingest", f"corpus ({res['papers']} papers, {res['bytes'] / 1e3:.0f} kB, {res['quads']} quads)",
        f"{res['secs']:.2f} s, {res['mb_s'] * 1e3:.0f} kB/s, {res['quads'] / res['secs']:.0f} quads/s", target="< 2 s", ok=res["secs"] < 2, peak=peak)
    log("ingest: generated papers")
    councils = 4
    papers = write_papers(work / "papers", SEED, councils)
    gen, peak = stage("ingest", {"paths": [str(p) for p in papers], "store": str(work / "generated"),
                                 "dump": str(work / "generated.nq")})
    add("ingest", f"generated ({councils} councils, {len(papers)} papers, {gen['bytes'] / 1e3:.0f} kB, {gen['quads']} quads)",
        f"{gen['secs']:.2f} s, {gen['mb_s'] * 1e3:.0f} kB/s, {gen['quads'] / gen['secs']:.0f} quads/s", peak=peak)

    # 2. Tiers: the corpus, then the generated region cloned to 10k, 100k (and 1M) quads.
    base_nq = (work / "generated.nq").read_text("utf-8")
    per = len(base_nq.splitlines())
    tiers: dict[str, Path] = {"corpus": work / "corpus.nq"}
    sizes = [("10k", 10_000), ("100k", 100_000)] + ([] if quick and not only_tiers else [("1M", 1_000_000)])
    for label, n in sizes:
        if only_tiers and label not in only_tiers:
            continue
        path = work / f"tier-{label}.nq"
        path.write_text(clone_nquads(base_nq, -(-n // per), target=n), "utf-8")
        tiers[label] = path
    budget, reps, min_reps = (0.3, 15, 2) if quick else (1.0, 30, 3)
    tier_results: dict[str, dict] = {}
    for label, nq in tiers.items():
        if only_tiers and label not in only_tiers:
            continue
        log(f"queries: tier {label}")
        store = work / f"embedded-{label}"
        if label == "corpus":
            store = corpus_store
        else:
            loaded, peak = stage("load_embedded", {"store": str(store), "nquads": str(nq)})
            add(f"load {label}", "bulk load into the embedded store", f"{loaded['secs']:.2f} s", peak=peak)
        big = label == "1M"
        common = {"nquads": str(nq), "budget": budget, "reps": reps, "min_reps": min_reps}
        cap = CAP_S if big else 60
        emb = Capped({**common, "engine": "embedded", "store": str(store)}, cap).run()
        srv = oxigraph_serve(work / f"server-{label}", nq, timeout_s=cap)
        servers.append(srv)
        ser = Capped({**common, "engine": "server", "url": f"http://127.0.0.1:{srv.port}", "cap": cap}, cap).run()
        ser_peak = srv.peak_mb()
        srv.stop()
        servers.remove(srv)
        rdf = None
        if label == "10k" or not quick:
            # rdflib's load and slow queries are stopped at their caps and reported as such.
            rdf = Capped({**common, "engine": "rdflib", "min_reps": 1}, RDFLIB_CAP_S,
                         load_cap=RDFLIB_LOAD_CAP_S, total=30 if quick else RDFLIB_TOTAL_S[label]).run()
        section = f"queries {label}"
        query_rows(section, big, emb, ser, rdf, tier_results.get("10k", {}))
        tier_results[label] = emb.results
        rdf_note = "; rdflib not measured at this size"
        if rdf:
            load = f"load {rdf.load_s:.0f} s" if rdf.load_s >= 0 else f"load > {RDFLIB_LOAD_CAP_S} s (cap)"
            rdf_note = f"; rdflib {rdf.peak_mb:.0f} MB ({load})"
        add(section, "peak memory: embedded / server / rdflib", f"{emb.peak_mb:.0f} MB",
            f"server {ser_peak:.0f} MB" + rdf_note)

    if only_tiers:
        return
    # 3. API vs oxigraph serve, on the corpus.
    api(work, corpus_store, quick, servers)

    # 4. Views on generated data.
    log("views")
    for n in [200, 2000] + ([] if quick else [10_000]):
        # A region just big enough for n nodes of the view (about 66 per copy of the
        # four generated councils), so the time is what a region of that size costs.
        view_nq = work / f"views-{n}.nq"
        view_nq.write_text(clone_nquads(base_nq, max(1, -(-n // 66))), "utf-8")
        v, vpeak = stage("views", {"nquads": str(view_nq), "size": n, "view": "dependencies",
                                   "budget": 0.5 if quick else 2.0})
        add("views", f"dependencies, {v['nodes']} nodes ({v['quads'] // 1000}k quads)",
            f"{v['secs']:.2f} s ({v['build_s']:.2f} s graph/views), {v['html_bytes'] / 1e6:.2f} MB HTML",
            target="< 1 s" if n == 2000 else "", ok=(v["secs"] < 1) if n == 2000 else None, peak=vpeak)
    if quick:
        add("views", "10,000 nodes", "not measured in a quick run")


def alternate(port_a: int, paths_a: list[str], port_b: int, paths_b: list[str], seconds: float,
              rounds: int = 3) -> tuple[dict, dict, float]:
    """Load tests of A and B taken in turn, `rounds` times, so that a change in the
    machine's other load falls on both: the ratio is the median of the rounds' A/B ratios;
    requests/s over all rounds, p50 and p99 the median of the rounds'."""
    runs = [(load_test(port_a, paths_a, seconds / rounds), load_test(port_b, paths_b, seconds / rounds))
            for _ in range(rounds)]

    def combined(rs: list[dict]) -> dict:
        return {"rps": sum(r["n"] for r in rs) / sum(r["n"] / r["rps"] for r in rs),
                "p50": statistics.median(r["p50"] for r in rs), "p99": statistics.median(r["p99"] for r in rs),
                "errors": sum(r["errors"] for r in rs)}

    ratio = statistics.median(a["rps"] / b["rps"] for a, b in runs)
    return combined([a for a, _ in runs]), combined([b for _, b in runs]), ratio


def query_rows(section: str, big: bool, emb: Capped, ser: Capped, rdf: Capped | None, base: dict) -> None:
    """One table row per competency query (and per page): rows answered, p50/p95 on the
    embedded store, the baselines' p50. At 1M quads each must answer in p50 < 50 ms, but
    the full evidence listing, whose answer is every relation in the store (no target),
    and one paper's evidence, whose cost is per relation of the paper: it must not grow
    with the store (`base` holds the 10k tier's results)."""
    from stages import PAGES

    from govgraph.graph import queries as q

    for name in q.names() + [p[0] for p in PAGES]:
        e, s = emb.results.get(name), ser.results.get(name)
        r = rdf.results.get(name) if rdf else None
        if e is None and s is None and name not in q.names():
            continue  # a page with nothing to bind in this tier
        answered = e if e and "rows" in e else s if s and "rows" in s else None
        rows = f", {answered['rows']:,} rows" if answered else ""
        # The verdict reads the CPU p50: the query's own time, whatever else the cores run.
        p50 = e["cpu_p50"] if e and "cpu_p50" in e else None
        if not big:
            target, ok = "", None
        elif name == "evidence":
            target, ok = "(lists every relation)", None
        elif name == "evidence, one paper":
            # Its cost is per relation of the paper, not per quad of the store.
            small = base.get(name, {}).get("cpu_p50")
            target = "cpu <= 1.5x at 10k" + (f" ({small:.0f})" if small else "")
            ok = p50 is not None and small is not None and p50 <= 1.5 * small
        else:
            target, ok = "cpu p50 < 50 ms", p50 is not None and p50 < 50
        add(section, f"{name}{rows}: p50 / p95",
            f"{e['p50']:.1f} / {e['p95']:.1f} ms, cpu {e['cpu_p50']:.1f}" if e and "p50" in e else _ms(e),
            f"server {_ms(s)}" + (f"; rdflib {_ms(r)}" if rdf else ""),
            ratio=s["p50"] / e["p50"] if s and e and "p50" in s and "p50" in e and e["p50"] else None,
            target=target, ok=ok)


def api(work: Path, store: Path, quick: bool, servers: list[Server]) -> None:
    try:
        import govgraph.api.app  # noqa: F401
    except ImportError:
        add("api", "API", "not measured: api/app.py is not there yet")
        return
    log("api: recording the SPARQL behind one /trace request")
    from govgraph.graph.sparql import select
    from govgraph.graph.store import OxigraphStore

    st = OxigraphStore(store, read_only=True)
    action = str(select(st, "PREFIX gg: <https://w3id.org/govgraph/ns#> SELECT ?a WHERE { ?a a gg:Action ; "
                            "gg:governedBy ?b } ORDER BY ?a LIMIT 1").rows[0]["a"])
    st.close()
    del st
    path = action.removeprefix("http://127.0.0.1:8000/id/")
    rec, _ = stage("record_trace", {"store": str(store), "path": path})
    simple = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
              "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } LIMIT 20")
    seconds = 4.5 if quick else 15  # per side, over three alternating rounds
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVGRAPH_")}
    gg = Server([str(Path(PY).with_name("govgraph")), "serve", "--store", str(store), "--host", "127.0.0.1",
                 "--port", str(port)], port, env=env)
    servers.append(gg)
    ox = oxigraph_serve(work / "server-api", work / "corpus.nq")
    servers.append(ox)
    cases = [
        ("simple SELECT (GET /sparql)", [q("/sparql", simple)], [q("/query", simple)]),
        (f"/trace/{{id}} ({len(rec['queries'])} queries behind it)", [f"/trace/{path}"],
         [q("/query", s) for s in rec["queries"]]),
    ]
    for label, ours, theirs in cases:
        log(f"api: {label}")
        a, b, ratio = alternate(gg.port, ours, ox.port, theirs, seconds)
        add("api (8 clients)", label,
            f"{a['rps']:.0f} req/s, p50 {a['p50']:.1f} ms, p99 {a['p99']:.1f} ms" + (f", {a['errors']} errors" if a["errors"] else ""),
            f"oxigraph serve {b['rps']:.0f} req/s, p50 {b['p50']:.1f}, p99 {b['p99']:.1f}",
            ratio=ratio, target=">= 0.7x", ok=ratio >= 0.7)
    add("api (8 clients)", "peak memory: govgraph serve / oxigraph serve", f"{gg.peak_mb():.0f} MB",
        f"{ox.peak_mb():.0f} MB")
    for s in (gg, ox):
        s.stop()
        servers.remove(s)


if __name__ == "__main__":
    main()
