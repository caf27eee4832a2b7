"""SPARQL 1.1 Protocol conformance for /sparql: both methods, every format, graphs
parameters, refusals and errors, the time limit and the row cap."""

from __future__ import annotations

import csv
import io
import json
import time
from xml.etree import ElementTree

import pytest
import rdflib
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from govgraph.api.execute import convert_results, within_cap
from govgraph.graph.store import OxigraphStore
from test_api_support import assert_error, make_app

GG = "https://w3id.org/govgraph/ns#"
BOARDS = f"PREFIX gg: <{GG}> SELECT DISTINCT ?b WHERE {{ ?b a gg:Board }} ORDER BY ?b"
ASK = f"PREFIX gg: <{GG}> ASK {{ ?b a gg:Board }}"
CONSTRUCT = f"PREFIX gg: <{GG}> CONSTRUCT {{ ?b a gg:Board }} WHERE {{ ?b a gg:Board }}"
SPARQL_QUERY = "application/sparql-query"



@pytest.fixture(scope="module")
def boards(corpus_store) -> list[str]:
    data = json.loads(corpus_store.query(BOARDS).body)
    found = [b["b"]["value"] for b in data["results"]["bindings"]]
    assert found
    return found


def send(client: TestClient, method: str, query: str, accept: str | None = None, params: dict | None = None):
    headers = {"Accept": accept} if accept else {}
    if method == "GET":
        return client.get("/sparql", params={"query": query, **(params or {})}, headers=headers)
    if method == "POST-form":
        return client.post("/sparql", data={"query": query, **(params or {})}, headers=headers)
    headers["Content-Type"] = SPARQL_QUERY
    return client.post("/sparql", content=query.encode(), params=params, headers=headers)


METHODS = ["GET", "POST-form", "POST-direct"]


def solutions(media: str, body: bytes) -> list[str]:
    """The ?b column of an answer, whatever its format."""
    text = body.decode("utf-8")
    if media == "application/sparql-results+json":
        return [b["b"]["value"] for b in json.loads(text)["results"]["bindings"]]
    if media == "application/sparql-results+xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        return [e.text for e in ElementTree.fromstring(text).iter(f"{ns}uri")]
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["b"]
        return [r[0] for r in rows[1:]]
    lines = text.splitlines()
    assert lines[0] == "?b"
    return [line.strip("<>") for line in lines[1:] if line]


RESULT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"]
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("media", RESULT_TYPES)
def test_select_in_every_results_format_by_accept(client, boards, method, media) -> None:
    resp = send(client, method, BOARDS, accept=media)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].split(";")[0] == media
    assert solutions(media, resp.content) == boards


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask(client, method, media) -> None:
    resp = send(client, method, ASK, accept=media)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith(media)
    if media.endswith("json"):
        assert resp.json() == {"head": {}, "boolean": True}
    else:
        assert "<boolean>true</boolean>" in resp.text


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("media", list(GRAPH_TYPES))
def test_construct_in_every_graph_format_by_accept(client, boards, method, media) -> None:
    resp = send(client, method, CONSTRUCT, accept=media)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].split(";")[0] == media
    g = rdflib.Graph().parse(data=resp.content, format=GRAPH_TYPES[media])
    assert sorted(str(s) for s in g.subjects()) == boards


def test_describe(client, boards) -> None:
    resp = send(client, "GET", f"DESCRIBE <{boards[0]}>", accept="text/turtle")
    assert resp.status_code == 200
    g = rdflib.Graph().parse(data=resp.text, format="turtle")
    assert (rdflib.URIRef(boards[0]), rdflib.RDF.type, rdflib.URIRef(GG + "Board")) in g


@pytest.mark.parametrize("fmt,media", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
])
def test_format_parameter_for_results_wins_over_a_browser_accept(client, boards, fmt, media) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    resp = send(client, "GET", BOARDS, accept=browser, params={"format": fmt})
    assert resp.headers["content-type"].startswith(media)
    assert solutions(media, resp.content) == boards


@pytest.mark.parametrize("fmt,media", [
    ("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
    ("xml", "application/rdf+xml"), ("json", "application/ld+json"),
])
def test_format_parameter_for_graphs(client, fmt, media) -> None:
    resp = send(client, "POST-form", CONSTRUCT, params={"format": fmt})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith(media)


def test_defaults_without_accept_and_wildcards(client) -> None:
    assert send(client, "GET", BOARDS).headers["content-type"].startswith("application/sparql-results+json")
    assert send(client, "GET", BOARDS, accept="*/*").headers["content-type"].startswith("application/sparql-results+json")
    assert send(client, "GET", CONSTRUCT, accept="*/*").headers["content-type"].startswith("text/turtle")
    # q-values decide
    resp = send(client, "GET", BOARDS, accept="application/sparql-results+json;q=0.5, text/csv")
    assert resp.headers["content-type"].startswith("text/csv")
    # application/json is an alias of SPARQL JSON
    assert send(client, "GET", BOARDS, accept="application/json").headers["content-type"].startswith(
        "application/sparql-results+json")


def test_default_and_named_graph_uris(client, corpus_store) -> None:
    graphs = [g for g in corpus_store.graphs() if "/doc/" in g]
    one = graphs[0]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(resp) -> int:
        assert resp.status_code == 200, resp.text
        return int(resp.json()["results"]["bindings"][0]["n"]["value"])

    everything = n(send(client, "GET", count))
    only_one = n(send(client, "GET", count, params={"default-graph-uri": one}))
    assert 0 < only_one < everything
    assert n(send(client, "POST-direct", count, params={"default-graph-uri": one})) == only_one
    assert n(send(client, "POST-form", count, params={"default-graph-uri": one})) == only_one
    # two default graphs: their union
    two = client.get("/sparql", params=[("query", count), ("default-graph-uri", graphs[0]),
                                        ("default-graph-uri", graphs[1])])
    assert n(two) > only_one
    # named graphs restrict what GRAPH ?g sees
    names = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    resp = send(client, "GET", names, params={"named-graph-uri": one})
    assert [b["g"]["value"] for b in resp.json()["results"]["bindings"]] == [one]


def test_a_browser_without_a_query_gets_the_editor_page(client) -> None:
    resp = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    assert "/static/yasgui/yasgui.min.js" in resp.text
    assert "script-src 'self'" in resp.headers["content-security-policy"]
    for name in ("actions", "action-feeds", "evidence"):
        assert f'value="{name}"' in resp.text
    assert client.get("/static/yasgui/yasgui.min.js").status_code == 200
    assert client.get("/static/yasgui/LICENSE").status_code == 200
    assert client.get("/static/query.js").status_code == 200


# ---- refusals and errors -------------------------------------------------------------


def test_updates_are_refused_and_change_nothing(client, corpus_store) -> None:
    before = corpus_store.dump("application/n-quads")
    drop = "DROP ALL"
    insert = "PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c }"
    assert_error(client.post("/sparql", data={"update": drop}), 403, "updates_refused")
    assert_error(client.post("/sparql", content=insert, headers={"Content-Type": "application/sparql-update"}),
                 403, "updates_refused")
    assert_error(client.get("/sparql", params={"update": drop}), 403, "updates_refused")
    for method in METHODS:
        assert_error(send(client, method, drop), 403, "updates_refused")
        assert_error(send(client, method, "# a comment\n" + insert), 403, "updates_refused")
    assert corpus_store.dump("application/n-quads") == before


@pytest.mark.parametrize("method", METHODS)
def test_a_syntax_error_is_400_with_the_parsers_message(client, method) -> None:
    err = assert_error(send(client, method, "SELECT ?x WHERE { ?x ?y"), 400, "bad_query")
    assert "syntax error" in err["message"].lower()
    assert "1:" in err["message"]  # the parser's position


def test_request_errors(client) -> None:
    assert_error(client.get("/sparql", headers={"Accept": "application/json"}), 400, "bad_request")
    assert_error(client.get("/sparql", params={"query": "  "}), 400, "bad_query")
    assert_error(client.get("/sparql", params=[("query", BOARDS), ("query", ASK)]), 400, "bad_request")
    assert_error(client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}), 415,
                 "unsupported_media_type")
    assert_error(send(client, "GET", BOARDS, accept="image/png"), 406, "not_acceptable")
    assert_error(send(client, "GET", BOARDS, params={"format": "pdf"}), 400, "bad_parameter")
    assert_error(client.post("/sparql", content=b"\xff\xfe", headers={"Content-Type": SPARQL_QUERY}), 400)
    assert_error(client.put("/sparql", content=b"x"), 405, "method_not_allowed")


def test_cors_lets_other_sites_query(client) -> None:
    resp = client.get("/sparql", params={"query": ASK}, headers={"Origin": "https://example.org"})
    assert resp.headers["access-control-allow-origin"] == "*"
    pre = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]


# ---- limits ---------------------------------------------------------------------------


def test_the_row_cap_cuts_answers_and_says_so(corpus_store) -> None:
    client = TestClient(make_app(corpus_store, row_cap=3))
    resp = send(client, "GET", "SELECT * WHERE { ?s ?p ?o }", accept="text/csv")
    assert resp.status_code == 200
    assert len(resp.text.strip().splitlines()) == 1 + 3
    assert "3" in resp.headers["govgraph-truncated"]
    resp = send(client, "GET", "CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
    assert len(resp.text.strip().splitlines()) == 3
    assert "govgraph-truncated" in resp.headers
    small = send(client, "GET", "SELECT * WHERE { ?s ?p ?o } LIMIT 2")
    assert "govgraph-truncated" not in small.headers


@pytest.mark.parametrize("media", RESULT_TYPES)
def test_the_row_cap_holds_at_its_edge_in_every_results_format(corpus_store, boards, media) -> None:
    """An answer of exactly `cap` rows goes out whole and unmarked; one row more is cut
    and marked."""
    exact = TestClient(make_app(corpus_store, row_cap=len(boards)))
    resp = send(exact, "GET", BOARDS, accept=media)
    assert solutions(media, resp.content) == boards
    assert "govgraph-truncated" not in resp.headers
    under = TestClient(make_app(corpus_store, row_cap=len(boards) - 1))
    resp = send(under, "GET", BOARDS, accept=media)
    assert solutions(media, resp.content) == boards[:-1]
    assert str(len(boards) - 1) in resp.headers["govgraph-truncated"]


@given(rows=st.integers(0, 400), cap=st.integers(1, 300), spaced=st.booleans())
def test_an_answer_is_passed_through_only_when_its_size_proves_it_within_the_cap(rows, cap, spaced) -> None:
    # The smallest possible SPARQL JSON rows ({}), compact or spaced out: the worst case
    # for a bound on rows from bytes.
    data = {"head": {"vars": []}, "results": {"bindings": [{}] * rows}}
    body = json.dumps(data, separators=(", ", ": ") if spaced else (",", ":")).encode()
    if within_cap(body, cap):
        assert rows <= cap
    if rows == cap + 1:
        assert not within_cap(body, cap)
    cut, truncated = convert_results(body, "application/sparql-results+json", cap)
    assert truncated == (rows > cap)
    assert len(json.loads(cut)["results"]["bindings"]) == min(rows, cap)


def test_a_runaway_query_is_cut_off_and_the_service_keeps_answering(corpus_store) -> None:
    client = TestClient(make_app(corpus_store, query_timeout_s=0.2))
    slow = (f"PREFIX gg: <{GG}> SELECT (COUNT(*) AS ?n) WHERE {{ ?a a gg:Evidence . ?b a gg:Evidence . "
            "?c a gg:Theme }")
    started = time.monotonic()
    err = assert_error(send(client, "GET", slow), 503, "query_timeout")
    assert time.monotonic() - started < 2
    assert "0.2 s" in err["message"]
    assert client.get("/healthz").status_code == 200
    assert send(client, "GET", ASK).status_code == 200


def test_an_empty_store_answers_with_no_rows() -> None:
    client = TestClient(make_app(OxigraphStore(None)))
    resp = send(client, "GET", BOARDS)
    assert resp.json()["results"]["bindings"] == []
    assert client.get("/healthz").json() == {"status": "ok", "graphs": 0}
