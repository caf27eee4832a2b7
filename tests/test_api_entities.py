"""Entity pages: every minted IRI dereferences (HTML, Turtle, JSON-LD by Accept), unknown
ones are 404, labels from papers are escaped, pages carry a CSP and can be embedded."""

from __future__ import annotations

import json

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from govgraph.graph.store import OxigraphStore
from support import BASE
from test_api_support import assert_error, make_app

GG = rdflib.Namespace("https://w3id.org/govgraph/ns#")
HWBB = f"{BASE}body/health-and-wellbeing-board"



def path_of(iri: str) -> str:
    return "/id/" + iri[len(BASE):].split("#")[0]


def test_html_for_a_browser(client) -> None:
    resp = client.get(path_of(HWBB), headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    html = resp.text
    assert "<h1>Health and Wellbeing Board</h1>" in html
    assert ">Board</" in html  # its kind, linked
    assert "<svg" in html  # the neighbourhood drawing
    assert "Embed this view" in html and "&lt;iframe" in html
    assert "/viz/focus?focus=" in html
    # evidence: a quote with its document and lines
    assert "<blockquote>" in html and "000_bffd6dc40caf8094" in html and "line" in html
    # relations are links to other entity pages
    assert 'href="/id/doc/000_bffd6dc40caf8094/action/1-1"' in html
    csp = resp.headers["content-security-policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp and "frame-ancestors *" in csp
    assert "Accept" in resp.headers["vary"]


@pytest.mark.parametrize("accept,fmt,media", [
    ("text/turtle", "turtle", "text/turtle"),
    ("application/ld+json", "json-ld", "application/ld+json"),
    ("application/n-triples", "nt", "application/n-triples"),
    ("application/rdf+xml", "xml", "application/rdf+xml"),
    ("*/*", "turtle", "text/turtle"),
    (None, "turtle", "text/turtle"),
])
def test_linked_data_by_accept(client, accept, fmt, media) -> None:
    resp = client.get(path_of(HWBB), headers={"Accept": accept} if accept else {})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith(media)
    g = Graph().parse(data=resp.content, format=fmt)
    me = URIRef(HWBB)
    assert (me, RDF.type, GG.Board) in g
    assert (me, SKOS.prefLabel, Literal("Health and Wellbeing Board")) in g
    # the evidence that cites it comes along
    assert any(g.subjects(RDF.subject, me))


@pytest.mark.parametrize("fmt,media", [("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("html", "text/html")])
def test_format_parameter(client, fmt, media) -> None:
    resp = client.get(path_of(HWBB), params={"format": fmt}, headers={"Accept": "text/html"})
    assert resp.headers["content-type"].startswith(media)


def test_unknown_entities_are_404(client) -> None:
    for accept in ("text/html", "text/turtle", "application/ld+json"):
        assert_error(client.get("/id/body/no-such-body", headers={"Accept": accept}), 404, "not_found")
    assert_error(client.get("/id/", headers={"Accept": "text/html"}), 404)
    assert_error(client.get(path_of(HWBB), headers={"Accept": "image/png"}), 406, "not_acceptable")
    assert_error(client.get(path_of(HWBB), params={"format": "pdf"}), 400, "bad_parameter")


def test_every_minted_iri_dereferences(client, corpus_store) -> None:
    data = json.loads(corpus_store.query(
        f"SELECT DISTINCT ?e WHERE {{ {{ ?e ?p ?o }} UNION {{ ?s ?p ?e }} FILTER(STRSTARTS(STR(?e), \"{BASE}\")) }}"
    ).body)
    pages = {path_of(b["e"]["value"]) for b in data["results"]["bindings"]}
    assert len(pages) > 100
    failures = []
    for page in sorted(pages):
        resp = client.get(page, headers={"Accept": "text/html"})
        if resp.status_code != 200 or "<h1>" not in resp.text:
            failures.append((page, resp.status_code))
    assert not failures, failures[:10]


def test_cors_on_entity_pages(client) -> None:
    resp = client.get(path_of(HWBB), headers={"Origin": "https://example.org", "Accept": "application/ld+json"})
    assert resp.headers["access-control-allow-origin"] == "*"


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def hostile_client() -> TestClient:
    """A graph whose labels and quotes are markup, as a paper could hold."""
    store = OxigraphStore(None)
    g = Graph()
    body, other, ev = URIRef(f"{BASE}body/evil"), URIRef(f"{BASE}body/other"), URIRef(f"{BASE}doc/d#ev-1")
    g.add((body, RDF.type, GG.Board))
    g.add((body, SKOS.prefLabel, Literal(HOSTILE)))
    g.add((body, SKOS.altLabel, Literal("javascript:alert(1)")))
    g.add((body, GG.reportsTo, other))
    g.add((body, GG.ledBy, URIRef("javascript:alert(1)")))
    g.add((other, SKOS.prefLabel, Literal(HOSTILE)))
    g.add((ev, RDF.type, GG.Evidence))
    g.add((ev, RDF.subject, body))
    g.add((ev, RDF.predicate, GG.reportsTo))
    g.add((ev, RDF.object, other))
    g.add((ev, GG.document, URIRef(f"{BASE}doc/d")))
    g.add((ev, GG.lineStart, Literal(3)))
    g.add((ev, GG.lineEnd, Literal(3)))
    g.add((ev, GG.quote, Literal(HOSTILE)))
    store.replace_graph(f"{BASE}doc/d", g)
    return TestClient(make_app(store))


@pytest.mark.parametrize("url", ["/id/body/evil", "/id/body/other", "/viz/focus?focus=evil", "/"])
def test_labels_from_papers_are_escaped(hostile_client, url) -> None:
    resp = hostile_client.get(url, headers={"Accept": "text/html"})
    assert resp.status_code == 200
    html = resp.text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    if url != "/":
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_query_page_examples_are_inert_json(client) -> None:
    html = client.get("/query").text
    start = html.index('<script type="application/json" id="example-data">')
    block = html[start:html.index("</script>", start)]
    assert "<" not in block[block.index(">") + 1:]
