"""Hostile text, end to end (issue 7): a paper whose labels carry markup goes through the
real ingest and comes out inert on every page the server draws; REST filters reach
SPARQL only as bound values; request bodies are capped.

(Escaping of hand-made hostile graphs, the query page's examples, update refusal and the
query time limit are pinned in tests/test_api_*.py; views in a real browser in
tests/test_viz_browser.py.)
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from govgraph.api.app import MAX_REQUEST_BYTES, create_app
from govgraph.errors import QueryError
from govgraph.graph.build import ingest_paths
from govgraph.graph.sparql import select, with_bindings
from govgraph.graph.store import OxigraphStore
from govgraph.settings import Settings
from govgraph.viz import render_view
from support import BASE, PLAN
from test_api_support import assert_error

THEME = 'Vision and <script>alert("theme")</script> strategy'
ACTION = 'Develop <img src=x onerror=alert("action")> a clear system strategy'
RAW = ("<script>alert(", "<img src=x", "<svg onload")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    text = PLAN.read_text("utf-8").replace("Vision and strategy", THEME).replace(
        "Develop a clear system strategy", ACTION)
    text += '\nThe Place Forum <svg onload=alert("gov")> reports to the Health and Wellbeing Board.\n'
    paper = tmp_path_factory.mktemp("hostile") / "hostile-plan.txt"
    paper.write_text(text, "utf-8")
    store = OxigraphStore(None)
    report = ingest_paths([paper], store, BASE)
    assert report.ok, report.errors
    return store


@pytest.fixture(scope="module")
def client(hostile: OxigraphStore) -> TestClient:
    settings = Settings(store=":memory:", base=BASE)

    def views(view: str, focus: str | None, depth: int, as_at=None) -> str:
        return render_view(hostile, view, focus=focus, depth=depth, base=BASE, fmt="html", as_at=as_at).decode()

    return TestClient(create_app(settings, hostile, views=views))


def labels_with_markup(store: OxigraphStore) -> list[str]:
    rows = select(store, "SELECT DISTINCT ?l WHERE { ?s ?p ?l FILTER(isLiteral(?l) && CONTAINS(STR(?l), \"<\")) }")
    return [str(r["l"]) for r in rows.rows]


def test_the_hostile_labels_reach_the_graph(hostile: OxigraphStore) -> None:
    found = " ".join(labels_with_markup(hostile))
    assert '<script>alert("theme")</script>' in found and '<img src=x onerror=alert("action")>' in found


def script_sources(csp: str) -> set[str]:
    """Where a page may run script from: script-src, else default-src (empty: no policy)."""
    directives = {d.split()[0]: set(d.split()[1:]) for d in csp.split(";") if d.strip()}
    return directives.get("script-src", directives.get("default-src", set()))


def html_pages(hostile: OxigraphStore) -> list[str]:
    rows = select(hostile, f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}")) }}').rows
    paths = sorted({str(r["s"]).split("#")[0][len(BASE) - len("/id/"):] for r in rows})
    return ["/", "/query", "/docs", *paths]


def test_every_page_the_server_draws_keeps_paper_text_inert(client: TestClient, hostile: OxigraphStore) -> None:
    escaped = 0
    pages = html_pages(hostile)
    assert len(pages) > 50
    for path in pages:
        resp = client.get(path, headers={"Accept": "text/html"})
        assert resp.status_code == 200, (path, resp.status_code)
        assert resp.headers["content-type"].startswith("text/html"), path
        scripts = script_sources(resp.headers.get("content-security-policy", ""))
        assert scripts and not scripts & {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"}, (path, scripts)
        for raw in RAW:
            assert raw not in resp.text, (path, raw)
        escaped += "&lt;script&gt;alert(" in resp.text or "&lt;img src=x" in resp.text
    assert escaped >= 2  # the theme's and the action's pages show the text, escaped


@pytest.mark.parametrize("url", ["/viz/governance", "/viz/dependencies",
                                 "/viz/focus?focus=Health%20and%20Wellbeing%20Board&depth=3"])
def test_views_keep_paper_text_inert(client: TestClient, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 200
    assert "default-src 'none'" in resp.headers["content-security-policy"]
    assert "connect-src" not in resp.headers["content-security-policy"]  # nothing may be sent anywhere
    for raw in RAW:
        assert raw not in resp.text, raw


@pytest.mark.parametrize("name", ["actions", "bodies", "evidence", "programmes"])
def test_answers_carry_labels_as_data(client: TestClient, name: str) -> None:
    resp = client.get(f"/queries/{name}")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/json")
    csv = client.get(f"/queries/{name}", params={"format": "csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")  # never sniffed as HTML


# ---- filters are values ----------------------------------------------------------------

INJECTIONS = [
    'x" } ; DROP ALL ; #',
    "x> } UNION { ?s ?p ?o } #",
    "health-and-wellbeing-board> ?p ?o } DELETE WHERE { ?s ?p ?o } #",
    "') || true || ('",
    "\\u0022 . } } #",
    "<script>alert(1)</script>",
    "x" * 5000,
    "%00\x00",
]
FILTERS = [("/actions", "body"), ("/actions", "theme"), ("/meetings", "body"), ("/queries/overdue", "as_at")]


@pytest.mark.parametrize(("route", "param"), FILTERS)
@pytest.mark.parametrize("value", INJECTIONS, ids=range(len(INJECTIONS)))
def test_rest_filters_reach_sparql_only_as_bound_values(client: TestClient, hostile: OxigraphStore, route: str,
                                                        param: str, value: str) -> None:
    before = hostile.dump("application/n-quads")
    resp = client.get(route, params={param: value})
    if route == "/queries/overdue" and resp.status_code == 404:
        pytest.skip("no overdue query in this checkout")
    assert resp.status_code in (200, 400, 404), (resp.status_code, resp.text[:300])
    if resp.status_code == 200:
        assert resp.json() == [] or route == "/queries/overdue"  # matched nothing: no pattern was opened up
    else:
        assert_error(resp, resp.status_code)
    assert hostile.dump("application/n-quads") == before


def test_a_bound_value_is_one_term_never_query_text() -> None:
    store = OxigraphStore(None)
    g = Graph()
    for value in INJECTIONS:
        g.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(value)))
    store.replace_graph("http://example.org/g", g)
    q = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    for value in INJECTIONS:
        rows = select(store, q, {"o": Literal(value)}).rows
        assert [str(r["o"]) for r in rows] == [value]  # the one triple: the value matched as itself
    for bad in ("http://example.org/x> ?p ?o } ; DROP ALL ; #", "http://example.org/a b", 'http://x/"} #'):
        with pytest.raises(QueryError):
            with_bindings(q, {"s": URIRef(bad)})
        with pytest.raises(QueryError):  # in any row of several
            with_bindings(q, [{"s": URIRef("http://example.org/s")}, {"s": URIRef(bad)}])
    rows = select(store, q, [{"o": Literal(v)} for v in INJECTIONS]).rows
    assert sorted(str(r["o"]) for r in rows) == sorted(INJECTIONS)


# ---- request limits --------------------------------------------------------------------


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    big = b"x" * (MAX_REQUEST_BYTES + 1)
    assert_error(client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"}),
                 413, "too_large")

    def chunks():  # no Content-Length: cut off just past the limit
        for _ in range(50):
            yield b"#" * 100_000

    assert_error(client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}),
                 413, "too_large")
    assert client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "application/sparql-query"}).json()[
        "boolean"] is True
