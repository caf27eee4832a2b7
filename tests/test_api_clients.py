"""Analysts' clients work unchanged against a real server: SPARQLWrapper and rdflib's
SPARQLStore, over HTTP to uvicorn on a loopback port. Also measures throughput."""

from __future__ import annotations

import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, POST, TSV, TURTLE, XML, JSONLD, SPARQLWrapper

from govgraph.graph import queries
from test_api_support import live_server, make_app

GG = "https://w3id.org/govgraph/ns#"
BOARDS = f"PREFIX gg: <{GG}> SELECT DISTINCT ?b WHERE {{ ?b a gg:Board }} ORDER BY ?b"
CONSTRUCT = f"PREFIX gg: <{GG}> CONSTRUCT {{ ?b a gg:Board }} WHERE {{ ?b a gg:Board }}"


@pytest.fixture(scope="module")
def server(corpus_store) -> Iterator[str]:
    with live_server(make_app(corpus_store)) as url:
        yield url


@pytest.fixture(scope="module")
def boards(corpus_store) -> list[str]:
    import json

    data = json.loads(corpus_store.query(BOARDS).body)
    return [b["b"]["value"] for b in data["results"]["bindings"]]


def wrapper(server: str, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    return sw


@pytest.mark.parametrize("method", [None, POST])
def test_sparqlwrapper_select_json_and_xml(server, boards, method) -> None:
    res = wrapper(server, BOARDS, JSON, method).query().convert()
    assert [b["b"]["value"] for b in res["results"]["bindings"]] == boards
    doc = wrapper(server, BOARDS, XML, method).query().convert()
    assert [u.firstChild.data for u in doc.getElementsByTagName("uri")] == boards


@pytest.mark.parametrize("fmt,sep", [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_tsv(server, boards, fmt, sep) -> None:
    text = wrapper(server, BOARDS, fmt).query().convert().decode()
    lines = text.strip().splitlines()
    assert lines[0].lstrip("?") == "b" and len(lines) == len(boards) + 1


def test_sparqlwrapper_ask(server) -> None:
    assert wrapper(server, f"ASK {{ ?s a <{GG}Board> }}", JSON).query().convert()["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML, JSONLD])
def test_sparqlwrapper_construct(server, boards, fmt) -> None:
    g = wrapper(server, CONSTRUCT, fmt).query().convert()
    if not isinstance(g, Graph):
        g = Graph().parse(data=g, format={TURTLE: "turtle", N3: "n3", JSONLD: "json-ld"}[fmt])
    assert sorted({str(s) for s in g.subjects()}) == boards


def test_sparqlwrapper_every_competency_query(server) -> None:
    for name in queries.names():
        res = wrapper(server, queries.load(name), JSON).query().convert()
        assert "results" in res, name


def test_sparqlwrapper_update_is_refused(server, corpus_store) -> None:
    before = corpus_store.dump("application/n-quads")
    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setMethod(POST)
    sw.setQuery("DROP ALL")
    with pytest.raises(urllib.error.HTTPError) as refused:  # SPARQLWrapper passes a 403 through as is
        sw.query()
    assert refused.value.code == 403
    assert corpus_store.dump("application/n-quads") == before


def test_rdflib_sparqlstore(server, boards) -> None:
    store = SPARQLStore(f"{server}/sparql")
    g = Graph(store=store)
    rows = list(g.query(BOARDS))
    assert [str(r.b) for r in rows] == boards
    assert g.query(f"ASK {{ ?s a <{GG}Board> }}").askAnswer is True
    built = g.query(CONSTRUCT).graph
    assert sorted({str(s) for s in built.subjects()}) == boards
    label = list(g.objects(URIRef(boards[0]), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")))
    assert label and isinstance(label[0], Literal)
    post = SPARQLStore(f"{server}/sparql", method="POST")
    assert len(list(Graph(store=post).query(BOARDS))) == len(boards)


def test_entity_iris_dereference_for_rdflib(server, boards) -> None:
    # a linked-data client fetching an entity by its path on the server
    path = boards[0].split("/id/", 1)[1]
    resp = httpx.get(f"{server}/id/{path}", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=resp.text, format="turtle")
    assert (URIRef(boards[0]), None, None) in g


def test_throughput_of_a_simple_select_with_8_clients(server, record_property) -> None:
    """8 concurrent clients, a bounded number of requests; prints requests per second."""
    query = f"PREFIX gg: <{GG}> SELECT ?b ?l WHERE {{ ?b a gg:Board ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }} LIMIT 10"
    per_client = 40

    def run(_: int) -> int:
        ok = 0
        with httpx.Client(base_url=server, timeout=30) as c:
            for _ in range(per_client):
                r = c.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
                ok += r.status_code == 200
        return ok

    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        done = sum(pool.map(run, range(8)))
    elapsed = time.perf_counter() - started
    rate = done / elapsed
    record_property("select_requests_per_second", round(rate, 1))
    print(f"\nthroughput: {done} SELECTs by 8 clients in {elapsed:.2f} s = {rate:.0f} requests/s")
    assert done == 8 * per_client
    assert rate > 20
