"""One contract, every store: embedded on disk, in memory, a real Oxigraph server (the
`oxigraph` console script from PyPI) started here on a free loopback port, and a real
Virtuoso 7 (Debian's `virtuoso-opensource`, which .ci/run installs; tests/virtuoso.py).

Each store must replace a graph atomically and idempotently, answer in every media
type, list its graphs, dump quads with their graph names, refuse updates, turn a
syntax error into a QueryError, and give the same answer to every competency query
over the corpus. The CLI must work against the server, and a server that is down
must give a clear StoreError.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from govgraph.errors import QueryError, StoreError
from govgraph.graph import queries
from govgraph.graph.build import ingest_paths
from govgraph.graph.remote import RemoteStore
from govgraph.graph.sparql import select, with_bindings
from govgraph.graph.store import BULK_MIN_TRIPLES, GRAPH_TYPES, RESULTS_TYPES, OxigraphStore, Patchable, Store
from support import BASE, EXAMPLES, ROOT, free_port, stop_process
from virtuoso import shared as shared_virtuoso
from virtuoso import virtuoso_binary

# ---------------------------------------------------------------- a real server, on loopback


def oxigraph_binary() -> str | None:
    """The `oxigraph` console script from the PyPI package, beside this Python or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


class OxigraphServer:
    """`oxigraph serve` on a free loopback port, with its data in `location`."""

    def __init__(self, location: Path, *, union: bool = True) -> None:
        self.port = free_port()
        base = f"http://127.0.0.1:{self.port}"
        self.query_url, self.update_url = f"{base}/query", f"{base}/update"
        cmd = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"]
        self.proc = subprocess.Popen(cmd + (["--union-default-graph"] if union else []),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.proc.stderr.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("oxigraph serve did not start within 20 s")

    def stop(self) -> None:
        stop_process(self.proc, 10)
        if self.proc.stderr:
            self.proc.stderr.close()


KINDS = ["disk", "memory", "remote", "virtuoso"]
EX = "http://example.org/"
G1, G2 = f"{EX}graph/one", f"{EX}graph/two"


# Triples no store will write: oxigraph rejects the IRI's bad percent escape, which
# Virtuoso takes; Virtuoso rejects an xsd:integer that is not a number, which oxigraph
# takes. Written together, each store refuses the whole request. (Built when a test asks:
# rdflib logs the bad number as it is made.)
def poison() -> list[tuple[URIRef, URIRef, object]]:
    return [(URIRef(EX + "x"), URIRef(EX + "p"), URIRef(EX + "bad-escape-%zz")),
            (URIRef(EX + "x"), URIRef(EX + "count"), Literal("abc", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")))]


def _graph(*triples: tuple[str, str, object]) -> Graph:
    g = Graph()
    for s, p, o in triples:
        g.add((URIRef(EX + s), URIRef(EX + p), o if isinstance(o, Literal) else URIRef(EX + o)))
    return g


A = _graph(("a", "name", Literal("Alpha Board")), ("a", "reportsTo", "b"), ("b", "name", Literal("Beta", lang="en")))
B = _graph(("c", "name", Literal("Gamma \"quoted\"\nline")), ("c", "count", Literal(3)))


def _needs_server() -> None:
    if oxigraph_binary() is None:
        pytest.skip("the Oxigraph server is not installed — pip install oxigraph")


def _needs_virtuoso() -> None:
    if virtuoso_binary() is None:
        pytest.skip("Virtuoso is not installed — apt-get install virtuoso-opensource")


def make_store(kind: str, tmp: Path, servers: list[OxigraphServer]) -> Store:
    if kind == "disk":
        return OxigraphStore(tmp / "store")
    if kind == "memory":
        return OxigraphStore(None)
    if kind == "virtuoso":
        # One server for the session (it takes seconds to start): emptied for each user.
        _needs_virtuoso()
        url = shared_virtuoso(tmp / "virtuoso").url
        st = RemoteStore(url, url)
        for g in st.graphs():
            st.replace_graph(g, [])
        return st
    _needs_server()
    server = OxigraphServer(tmp / "oxigraph")
    servers.append(server)
    return RemoteStore(server.query_url, server.update_url)


@pytest.fixture(params=KINDS)
def store(request, tmp_path):
    servers: list[OxigraphServer] = []
    st = make_store(request.param, tmp_path, servers)
    yield st
    st.close()
    for s in servers:
        s.stop()


@pytest.fixture(scope="module")
def corpus_stores(tmp_path_factory):
    """The corpus ingested into each kind of store (each through the same pipeline)."""
    servers: list[OxigraphServer] = []
    out: dict[str, Store] = {}
    for kind in KINDS:
        if (kind == "remote" and oxigraph_binary() is None) or (kind == "virtuoso" and virtuoso_binary() is None):
            continue
        st = make_store(kind, tmp_path_factory.mktemp(f"corpus-{kind}"), servers)
        report = ingest_paths([EXAMPLES], st, BASE)
        assert report.ok, report.errors
        out[kind] = st
    yield out
    for st in out.values():
        st.close()
    for s in servers:
        s.stop()


def triples_in(store: Store, graph: str) -> set[tuple[str, str, str]]:
    rows = select(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    return {(r["s"].n3(), r["p"].n3(), r["o"].n3()) for r in rows}


def expected(g: Graph) -> set[tuple[str, str, str]]:
    return {(s.n3(), p.n3(), o.n3()) for s, p, o in g}


# ---------------------------------------------------------------- writing


def test_replace_graph_replaces_whole_content(store):
    store.replace_graph(G1, A)
    assert triples_in(store, G1) == expected(A)
    store.replace_graph(G1, B)
    assert triples_in(store, G1) == expected(B)


def test_replace_graph_takes_a_set_of_triples_and_keeps_what_stays(store):
    """Ingest hands stores a set of triples; a graph that keeps some triples, drops some
    and gains some (with a literal that needs escaping) ends up exactly the new set."""
    store.replace_graph(G1, A)
    kept = next(t for t in A if t[1] == URIRef(EX + "reportsTo"))
    new = {kept, (URIRef(EX + "d"), URIRef(EX + "name"), Literal("back\\slash, tab\t, ünïcode ☃"))} | set(B)
    store.replace_graph(G1, new)
    assert triples_in(store, G1) == {(s.n3(), p.n3(), o.n3()) for s, p, o in new}


def test_replace_graph_is_idempotent(store):
    store.replace_graph(G1, A)
    store.replace_graph(G2, B)
    before = store.dump("application/n-quads")
    store.replace_graph(G1, A)
    store.replace_graph(G2, B)
    assert sorted(store.dump("application/n-quads").splitlines()) == sorted(before.splitlines())


def test_replace_graph_leaves_other_graphs_alone(store):
    store.replace_graph(G1, A)
    store.replace_graph(G2, B)
    store.replace_graph(G1, Graph())
    assert triples_in(store, G1) == set()
    assert triples_in(store, G2) == expected(B)


def test_failed_replace_leaves_the_old_graph(store):
    """The drop and the insert are one request: when the insert cannot be applied, the
    drop is not applied either."""
    store.replace_graph(G1, A)
    with pytest.raises(StoreError):
        store.replace_graph(G1, poison())
    assert triples_in(store, G1) == expected(A)


def _many(n: int) -> list[tuple[URIRef, URIRef, Literal]]:
    return [(URIRef(f"{EX}n{i}"), URIRef(EX + "name"), Literal(f"node {i}")) for i in range(n)]


def test_a_large_new_graph_lands_whole_or_not_at_all(store):
    """A graph new to the store and larger than BULK_MIN_TRIPLES (the embedded store bulk
    loads it): a bad term as its last triple leaves no part of it; without it, all lands."""
    good = _many(BULK_MIN_TRIPLES + 500)
    with pytest.raises(StoreError):
        store.replace_graph(G1, [*good, *poison()])
    assert triples_in(store, G1) == set() and store.graphs() == []
    if isinstance(store, OxigraphStore) and store.path is not None:
        assert not list(store.path.glob("bulk-*.sst"))  # the loader's files are gone too
    store.replace_graph(G1, good)
    assert triples_in(store, G1) == {(s.n3(), p.n3(), o.n3()) for s, p, o in good}


@pytest.mark.parametrize("kind", ["disk", "memory"])
def test_change_graph_writes_the_difference_atomically(kind, tmp_path):
    """The embedded store changes part of a graph in place: what is gone goes, what is
    added comes, the rest and other graphs stay; a bad IRI changes nothing."""
    store = make_store(kind, tmp_path, [])
    assert isinstance(store, Patchable)
    store.replace_graph(G1, A)
    store.replace_graph(G2, B)
    gone = next(t for t in A if t[1] == URIRef(EX + "reportsTo"))
    added = (URIRef(EX + "a"), URIRef(EX + "altName"), Literal("Alpha \"quoted\""))
    store.change_graph(G1, {gone}, {added})
    assert triples_in(store, G1) == expected(A) - {tuple(t.n3() for t in gone)} | {tuple(t.n3() for t in added)}
    assert triples_in(store, G2) == expected(B)
    before = triples_in(store, G1)
    with pytest.raises(StoreError):
        store.change_graph(G1, {added}, {(URIRef(EX + "x"), URIRef(EX + "p"), URIRef(EX + "bad-escape-%zz"))})
    assert triples_in(store, G1) == before
    store.close()


def test_graphs_lists_named_graphs(store):
    assert store.graphs() == []
    store.replace_graph(G2, B)
    store.replace_graph(G1, A)
    assert store.graphs() == [G1, G2]


@pytest.mark.parametrize("media, fmt", [("application/n-quads", ox.RdfFormat.N_QUADS),
                                        ("application/trig", ox.RdfFormat.TRIG)])
def test_dump_keeps_graph_names(store, media, fmt):
    store.replace_graph(G1, A)
    store.replace_graph(G2, B)
    quads = {(q.subject, q.predicate, q.object, q.graph_name) for q in ox.parse(store.dump(media), format=fmt)}
    want = set()
    for name, g in ((G1, A), (G2, B)):
        for q in ox.parse(g.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES):
            want.add((q.subject, q.predicate, q.object, ox.NamedNode(name)))
    assert quads == want


# ---------------------------------------------------------------- reading

SELECT = f"PREFIX ex: <{EX}> SELECT ?s ?name WHERE {{ ?s ex:name ?name }} ORDER BY ?s"
ASK = f"PREFIX ex: <{EX}> ASK {{ ex:a ex:reportsTo ex:b }}"
CONSTRUCT = f"PREFIX ex: <{EX}> CONSTRUCT {{ ?s ex:label ?n }} WHERE {{ ?s ex:name ?n }}"


@pytest.mark.parametrize("media", list(RESULTS_TYPES))
def test_select_in_every_results_type(store, media):
    store.replace_graph(G1, A)
    store.replace_graph(G2, B)
    resp = store.query(SELECT, results_type=media)
    assert (resp.media_type, resp.kind) == (media, "solutions")
    reference = OxigraphStore(None)
    reference.replace_graph(G1, A)
    reference.replace_graph(G2, B)
    want = reference.query(SELECT, results_type=media).body
    if media == "text/csv":  # no CSV parser here: govgraph writes the bytes, as the embedded store does
        assert resp.body == want
    else:
        fmt = RESULTS_TYPES[media]
        got_rows = [tuple(str(t) for t in s) for s in ox.parse_query_results(resp.body, format=fmt)]
        want_rows = [tuple(str(t) for t in s) for s in ox.parse_query_results(want, format=fmt)]
        assert got_rows == want_rows and len(got_rows) == 3


@pytest.mark.parametrize("media", [m for m in RESULTS_TYPES if m != "text/csv"])
def test_ask_in_every_results_type(store, media):
    store.replace_graph(G1, A)
    resp = store.query(ASK, results_type=media)
    assert (resp.media_type, resp.kind) == (media, "boolean")
    assert bool(ox.parse_query_results(resp.body, format=RESULTS_TYPES[media])) is True


@pytest.mark.parametrize("media", list(GRAPH_TYPES))
def test_construct_in_every_graph_type(store, media):
    store.replace_graph(G1, A)
    store.replace_graph(G2, B)
    resp = store.query(CONSTRUCT, graph_type=media)
    assert (resp.media_type, resp.kind) == (media, "graph")
    rdflib_format = {"text/turtle": "turtle", "application/n-triples": "nt",
                     "application/ld+json": "json-ld", "application/rdf+xml": "xml"}[media]
    got = Graph().parse(data=resp.body, format=rdflib_format)
    want = Graph()
    for s, _p, o in list(A) + list(B):
        if str(_p).endswith("name"):
            want.add((s, URIRef(EX + "label"), o))
    assert isomorphic(got, want)


def test_default_graphs_narrow_the_query(store):
    store.replace_graph(G1, A)
    store.replace_graph(G2, B)
    rows = json.loads(store.query(SELECT, default_graphs=[G2]).body)["results"]["bindings"]
    assert [r["s"]["value"] for r in rows] == [EX + "c"]


@pytest.mark.parametrize("update", [
    f"INSERT DATA {{ <{EX}x> <{EX}p> <{EX}y> }}",
    "DROP ALL",
    f"PREFIX ex: <{EX}> DELETE WHERE {{ ?s ?p ?o }}",
    f"# a comment first\nCLEAR GRAPH <{G1}>",
])
def test_update_is_refused(store, update):
    store.replace_graph(G1, A)
    with pytest.raises(QueryError, match="updates are not allowed"):
        store.query(update)
    assert triples_in(store, G1) == expected(A)


def test_syntax_error_is_a_query_error(store):
    with pytest.raises(QueryError):
        store.query("SELECT ?s WHERE { ?s ?p }")


# ---------------------------------------------------------------- the corpus


def _cell(term) -> str:
    """A cell, comparable across stores: blank nodes anonymous, and GROUP_CONCAT lists
    (" | ") sorted, since SPARQL leaves the order of a group's values to the store."""
    if term is None:
        return ""
    if term.n3().startswith("_:"):
        return "_:b"
    if isinstance(term, Literal) and " | " in term:
        return " | ".join(sorted(str(term).split(" | ")))
    return term.n3()


def _rows(store: Store, sparql: str) -> list[tuple[str, ...]]:
    table = select(store, sparql)
    return sorted(tuple(_cell(r.get(c)) for c in table.columns) for r in table.rows)


@pytest.mark.parametrize("name", queries.names())
def test_competency_queries_agree(corpus_stores, name):
    sparql = queries.load(name)
    answers = {kind: _rows(st, sparql) for kind, st in corpus_stores.items()}
    reference = answers["memory"]
    for kind, rows in answers.items():
        assert rows == reference, f"{name}: {kind} differs from the in-memory store"


# Known: as at a day, these find nothing on Virtuoso 7 (their nested FILTER EXISTS over the
# bound day; not yet rewritten). The test fails if either starts to agree.
VIRTUOSO_AS_AT_GAPS = {("virtuoso", "governance"), ("virtuoso", "people")}


@pytest.mark.parametrize("name", [n for n in queries.names() if "?asAt" in queries.load(n)])
def test_queries_as_at_a_day_agree(corpus_stores, name):
    """The same with ?asAt bound, as `--as-at` and `?as_at=` bind it."""
    day = {"asAt": Literal("2019-04-10", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))}
    answers = {kind: _rows(st, with_bindings(queries.load(name), day)) for kind, st in corpus_stores.items()}
    assert answers["memory"], f"{name}: no rows as at 2019-04-10"
    differ = {kind for kind, rows in answers.items() if rows != answers["memory"]}
    known = VIRTUOSO_AS_AT_GAPS & {(k, name) for k in differ}
    assert {(k, name) for k in differ} == known, f"{name} as at 2019-04-10: {sorted(differ)} differ from the in-memory store"
    assert {k for k, n in VIRTUOSO_AS_AT_GAPS if n == name and k in answers} <= differ, (
        f"{name} as at a day now agrees on Virtuoso: take it out of VIRTUOSO_AS_AT_GAPS and docs/stores.md")
    if known:
        pytest.xfail(f"{name} as at a day: no rows on Virtuoso 7 (docs/stores.md)")


def test_corpus_answers_most_questions(corpus_stores):
    answered = [n for n in queries.names() if select(corpus_stores["memory"], queries.load(n)).rows]
    assert len(answered) >= len(queries.names()) - 3, answered


def test_corpus_graphs_and_dump_agree(corpus_stores):
    graphs = {kind: st.graphs() for kind, st in corpus_stores.items()}
    assert len({tuple(g) for g in graphs.values()}) == 1
    dumps = {kind: len(st.dump("application/n-quads").splitlines()) for kind, st in corpus_stores.items()}
    assert len(set(dumps.values())) == 1, dumps


# ---------------------------------------------------------------- the CLI and a server that is down


def _cli(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("govgraph")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "govgraph"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVGRAPH_")}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def test_cli_against_a_server(tmp_path):
    _needs_server()
    server = OxigraphServer(tmp_path / "oxigraph")
    try:
        remote = ["--store", server.query_url, "--update", server.update_url]
        embedded = ["--store", str(tmp_path / "embedded")]
        for where in (remote, embedded):
            done = _cli("ingest", str(EXAMPLES), "--quiet", *where)
            assert done.returncode == 0, done.stderr
        for name in ("actions", "governance", "action-feeds"):
            got = _cli("query", name, "--format", "csv", *remote)
            want = _cli("query", name, "--format", "csv", *embedded)
            assert got.returncode == 0, got.stderr
            assert sorted(got.stdout.splitlines()) == sorted(want.stdout.splitlines())
        exported = _cli("export", "--format", "nq", *remote)
        assert exported.returncode == 0, exported.stderr
        assert f"<{BASE}doc/" in exported.stdout
        bad = _cli("query", str(ROOT / "tests" / "nonexistent.rq"), *remote)
        assert bad.returncode == 1 and "Traceback" not in bad.stderr
    finally:
        server.stop()


def test_server_down_is_a_clear_store_error():
    url = f"http://127.0.0.1:{free_port()}/query"
    st = RemoteStore(url, url.replace("/query", "/update"))
    with pytest.raises(StoreError, match=r"127\.0\.0\.1.*cannot reach the SPARQL server.*start it"):
        st.query("ASK {}")
    with pytest.raises(StoreError, match="cannot reach"):
        st.replace_graph(G1, A)
    done = _cli("query", "actions", "--store", url)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert url in done.stderr and "cannot reach the SPARQL server" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_no_update_endpoint_says_what_to_pass(tmp_path):
    _needs_server()
    server = OxigraphServer(tmp_path / "oxigraph")
    try:
        with pytest.raises(StoreError, match="--update"):
            RemoteStore(server.query_url).replace_graph(G1, A)
    finally:
        server.stop()


def test_server_without_union_default_graph_is_named(tmp_path):
    _needs_server()
    server = OxigraphServer(tmp_path / "oxigraph", union=False)
    try:
        st = RemoteStore(server.query_url, server.update_url)
        st.replace_graph(G1, A)
        with pytest.raises(StoreError, match="--union-default-graph"):
            st.query(SELECT)
    finally:
        server.stop()


def test_wrong_url_is_not_an_endpoint(tmp_path):
    _needs_server()
    server = OxigraphServer(tmp_path / "oxigraph")
    try:
        st = RemoteStore(server.query_url.replace("/query", "/nothing-here"))
        with pytest.raises(StoreError, match="not a SPARQL query endpoint"):
            st.query("ASK {}")
    finally:
        server.stop()


def test_an_ask_answer_without_a_boolean_is_a_clear_store_error(tmp_path):
    """Virtuoso started without its packaged virtuoso.ini answers ASK as a one-row table;
    govgraph names the server and what to check, instead of failing on the missing key."""
    import http.server
    import threading

    class Odd(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": {"type": "literal", "value": "1"}}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Odd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        with pytest.raises(StoreError, match=r"127\.0\.0\.1.*ASK query without true or false"):
            RemoteStore(url).query(SELECT)
    finally:
        server.shutdown()


def test_entity_pages_and_trace_on_every_store(corpus_stores):
    """The API's own queries (api/rq) run on every store: an entity page in Turtle holds
    the same triples, and /trace the same answer, as on the in-memory store."""
    from fastapi.testclient import TestClient
    from test_api_support import make_app

    body = select(corpus_stores["memory"], "PREFIX gg: <https://w3id.org/govgraph/ns#> "
                  "SELECT ?b WHERE { ?b a gg:Board } ORDER BY ?b LIMIT 1").rows[0]["b"]
    action = select(corpus_stores["memory"], "PREFIX gg: <https://w3id.org/govgraph/ns#> "
                    "SELECT ?a WHERE { ?a a gg:Action ; gg:governedBy ?g } ORDER BY ?a LIMIT 1").rows[0]["a"]
    answers = {}
    for kind, st in corpus_stores.items():
        client = TestClient(make_app(st))
        page = client.get(str(body).removeprefix(BASE.removesuffix("id/")), headers={"Accept": "text/turtle"})
        trace = client.get("/trace/" + str(action).removeprefix(BASE))
        assert page.status_code == 200 and trace.status_code == 200, (kind, page.text[:300], trace.text[:300])
        answers[kind] = (Graph().parse(data=page.text, format="turtle"), trace.json())
    g_ref, t_ref = answers["memory"]
    for kind, (g, t) in answers.items():
        assert isomorphic(g, g_ref), f"{kind}: the entity page differs from the in-memory store's"
        assert t == t_ref, f"{kind}: /trace differs from the in-memory store's"
