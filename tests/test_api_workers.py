"""`govgraph serve --workers N`: reader processes answer from snapshots the serving
process publishes after each write (graph/served.py, api/serving.py), and /sparql runs
a query it has seen take under INLINE_S, on the same data, without the thread hop
(api/execute.py).

The requirement these pin: a write through the server (an ingest) is visible to the
next query on every worker; a reader never opens a folder another process writes; no
snapshot a reader may still use is deleted; a killed server leaves no reader behind.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from govgraph.api.execute import INLINE_S, Executor
from govgraph.graph.served import SNAPSHOTS, FollowingStore, Snapshots, WriterStore
from govgraph.graph.store import OxigraphStore
from support import BASE, EXAMPLES, PLAN, free_port

REVIEW = EXAMPLES / "003_d6604f90980adc01.txt"
REVIEW_GRAPH = BASE + "doc/003_d6604f90980adc01"
ASK_REVIEW = f"ASK {{ GRAPH <{REVIEW_GRAPH}> {{ ?s ?p ?o }} }}"


def still_running(pids: list[int], within_s: float = 20) -> list[int]:
    """Those of `pids` still running after `within_s` (a process told to stop, or the
    resource tracker whose pipe closed, takes a moment to exit; a zombie has exited)."""
    def running(pid: int) -> bool:
        try:
            return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
        except OSError:
            return False

    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline and any(running(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if running(p)]


def gg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govgraph", *args], capture_output=True, text=True, timeout=300)


def children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


def owner(conn: http.client.HTTPConnection, server_port: int, pids: set[int]) -> int | None:
    """The process (of `pids`) that holds the server's end of `conn`, read from /proc."""
    client_port = conn.sock.getsockname()[1]
    want = (f"0100007F:{server_port:04X}", f"0100007F:{client_port:04X}")
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        if (f[1], f[2]) == want:
            inode = f[9]
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return None


def ask(conn: http.client.HTTPConnection, query: str) -> bool:
    conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                 headers={"Accept": "application/sparql-results+json"})
    resp = conn.getresponse()
    body = resp.read()
    assert resp.status == 200, body
    return json.loads(body)["boolean"]


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="finds each connection's worker through /proc")
def test_an_ingest_through_the_server_is_seen_by_the_next_query_on_every_worker(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert gg("ingest", str(PLAN), "--store", str(store), "-q").returncode == 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "govgraph", "serve", "--store", str(store), "--port", str(port),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    conns: list[http.client.HTTPConnection] = []
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        workers = children(proc.pid)
        # Keep-alive connections until both workers hold some: each stays with its worker.
        seen: dict[int, list[http.client.HTTPConnection]] = {}
        for _ in range(60):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            assert ask(conn, ASK_REVIEW) is False
            conns.append(conn)
            pid = owner(conn, port, workers)
            if pid is not None:
                seen.setdefault(pid, []).append(conn)
            if len(seen) == 2:
                break
        assert len(seen) == 2, f"connections reached only {list(seen)} of the workers {workers}"
        assert not (set(seen) & {proc.pid})  # the writer answers no public request

        # Ingest, keeping each connection busy meanwhile (uvicorn closes one idle for 5 s).
        ingest = subprocess.Popen([sys.executable, "-m", "govgraph", "ingest", str(REVIEW), "--store", str(store),
                                   "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while ingest.poll() is None:
            for on_it in seen.values():
                ask(on_it[0], ASK_REVIEW)
            time.sleep(0.5)
        assert ingest.returncode == 0, ingest.stderr.read()
        for pid, on_it in seen.items():
            assert ask(on_it[0], ASK_REVIEW) is True, f"worker {pid} still answers from before the ingest"

        snaps = store / SNAPSHOTS
        assert {p.name for p in snaps.glob("reader-*")} == {f"reader-{pid}" for pid in seen}
    finally:
        for conn in conns:
            conn.close()
        proc.terminate()
        proc.wait(timeout=30)
    assert not (store / SNAPSHOTS).exists() and not (store / "govgraph-serve.json").exists()
    assert not still_running(workers)


def test_a_killed_server_leaves_no_worker_and_the_store_opens(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert gg("ingest", str(PLAN), "--store", str(store), "-q").returncode == 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "govgraph", "serve", "--store", str(store), "--port", str(port),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(300):
        if len(children(proc.pid)) >= 3 and list((store / SNAPSHOTS).glob("reader-*")):
            break
        time.sleep(0.1)
    workers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Readers are told to stop when the server dies (the resource tracker goes by itself).
    assert not still_running(workers)
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # nobody holds the port any more
    # The next server clears the killed one's snapshots; commands open the store meanwhile.
    assert gg("ingest", str(REVIEW), "--store", str(store), "-q").returncode == 0
    r = gg("query", "recommendations", "--store", str(store), "--format", "csv")
    assert r.returncode == 0 and r.stdout.count("\n") > 16, r.stderr
    Snapshots(store).close()
    assert not (store / SNAPSHOTS).exists()


def test_a_reader_follows_each_write_and_snapshots_go_when_no_reader_holds_them(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    assert gg("ingest", str(PLAN), "--store", str(folder), "-q").returncode == 0
    writer = WriterStore(OxigraphStore(folder), Snapshots(folder))
    reader = FollowingStore(folder / SNAPSHOTS)
    try:
        def has(store, name: str) -> bool:
            return json.loads(store.query(f"ASK {{ GRAPH <{name}> {{ ?s ?p ?o }} }}").body)["boolean"]

        first = reader.generation
        assert not has(reader, "http://example.org/g1")
        writer.replace_graph("http://example.org/g1", [(_iri("s"), _iri("p"), _iri("o"))])
        assert reader.generation == first + 1 and has(reader, "http://example.org/g1")
        assert has(writer, "http://example.org/g1")
        assert reader.graphs() == writer.graphs()

        # A query still running on the old handle keeps its snapshot through two writes.
        held = reader._handle()  # noqa: SLF001 - what a running query holds
        writer.replace_graph("http://example.org/g2", [(_iri("s"), _iri("p"), _iri("o2"))])
        assert has(reader, "http://example.org/g2")  # a new handle, on the newest snapshot
        writer.replace_graph("http://example.org/g3", [(_iri("s"), _iri("p"), _iri("o3"))])
        assert has(reader, "http://example.org/g3")
        assert (folder / SNAPSHOTS / str(held.generation)).exists()
        assert json.loads(held.store.query("ASK { GRAPH <http://example.org/g1> { ?s ?p ?o } }").body)["boolean"]
        assert not json.loads(held.store.query("ASK { GRAPH <http://example.org/g3> { ?s ?p ?o } }").body)["boolean"]
        reader._done(held)  # noqa: SLF001

        # Once nothing holds them, the next write deletes every older snapshot.
        writer.replace_graph("http://example.org/g4", [(_iri("s"), _iri("p"), _iri("o4"))])
        assert has(reader, "http://example.org/g4")
        writer.replace_graph("http://example.org/g5", [(_iri("s"), _iri("p"), _iri("o5"))])
        kept = sorted(int(p.name) for p in (folder / SNAPSHOTS).iterdir() if p.name.isdigit())
        assert kept == [writer.snapshots.generation - 1, writer.snapshots.generation], kept
        with pytest.raises(Exception, match="does not write"):
            reader.replace_graph("http://example.org/g6", [])
    finally:
        reader.close()
        writer.close()
    assert not (folder / SNAPSHOTS).exists()


def _iri(local: str):
    from rdflib import URIRef

    return URIRef(f"http://example.org/{local}")


def test_a_query_known_to_be_fast_on_the_same_data_runs_without_the_thread_hop(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    assert gg("ingest", str(PLAN), "--store", str(folder), "-q").returncode == 0
    store = WriterStore(OxigraphStore(folder))
    ex = Executor(store, timeout_s=10, row_cap=100_000)
    hops = []
    real = ex.arun

    async def counted(fn):
        hops.append(fn)
        return await real(fn)

    ex.arun = counted  # type: ignore[method-assign]
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g1> { ?s ?p ?o } }"
    key = (query, "json")

    async def answer() -> bytes:
        job = ex.job(query, "application/sparql-results+json", "text/turtle")
        return (await ex.arun_timed(key, job)).body

    try:
        first = asyncio.run(answer())
        assert len(hops) == 1  # never seen: on a worker, within the time limit
        if ex._costs[key] >= INLINE_S:  # noqa: SLF001 - a loaded machine: it stays on the worker
            pytest.skip("the query took over INLINE_S of CPU on this machine")
        assert asyncio.run(answer()) == first and len(hops) == 1  # the same answer, inline
        store.replace_graph("http://example.org/g1", [(_iri("s"), _iri("p"), _iri("o"))])
        after = asyncio.run(answer())
        assert len(hops) == 2 and after != first  # new data: measured again, on a worker
        # A store without generations (a remote one) always goes to a worker.
        plain = Executor(store.inner, timeout_s=10, row_cap=100_000)
        plain.arun = counted  # type: ignore[method-assign]
        for _ in range(2):
            asyncio.run(plain.arun_timed(key, plain.job(query, "application/sparql-results+json", "text/turtle")))
        assert len(hops) == 4
    finally:
        ex.close()
        store.close()
