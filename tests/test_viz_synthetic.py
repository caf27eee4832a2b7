"""Synthetic stores for the view tests: a whole region (about 2,000 entities) and a
hostile one whose labels and quotes are markup. Also the size test for a big view."""

from __future__ import annotations

import json
import re
import time

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from govgraph.graph.store import OxigraphStore
from govgraph.graph import views
from govgraph.viz import render_view

GG = Namespace("https://w3id.org/govgraph/ns#")
BASE = "http://127.0.0.1:8000/id/"
STATUSES = ["complete", "in_progress", "not_started", "slipped", "unknown"]
HOSTILE = [
    "<script>window.__pwned = 'script'</script>Board",
    '<img src=x onerror="window.__pwned = \'img\'">Committee',
    "\"quoted\" & <b>bold</b> \\N group",
]


def _evidence(g: Graph, doc: URIRef, i: int, s, p, o, quote: str) -> None:
    ev = URIRef(f"{doc}#ev-{i}")
    g.add((ev, RDF.type, GG.Evidence))
    g.add((ev, RDF.subject, s))
    g.add((ev, RDF.predicate, p))
    g.add((ev, RDF.object, o))
    g.add((ev, GG.document, doc))
    g.add((ev, GG.lineStart, Literal(i + 1)))
    g.add((ev, GG.lineEnd, Literal(i + 2)))
    g.add((ev, GG.quote, Literal(quote)))


def region(bodies: int = 100, plans: int = 20, themes_per_plan: int = 8, actions_per_theme: int = 10,
           outcomes: int = 120) -> Graph:
    """A region of bodies in a reporting tree, plans with themes and actions, and outcomes:
    with the defaults, 100 + 20 + 160 + 1,600 + 120 = 2,000 entities."""
    g = Graph()
    doc = URIRef(f"{BASE}doc/synthetic")
    g.add((doc, RDF.type, GG.Document))
    g.add((doc, GG.sourceFile, Literal("synthetic-region.txt")))
    n = 0
    body = [URIRef(f"{BASE}body/b{i}") for i in range(bodies)]
    for i, b in enumerate(body):
        g.add((b, RDF.type, GG.Board if i % 3 == 0 else GG.Committee))
        g.add((b, RDF.type, GG.Body))
        g.add((b, SKOS.prefLabel, Literal(f"Synthetic Board {i}")))
        if i:
            parent = body[(i - 1) // 4]
            g.add((b, GG.reportsTo, parent))
            _evidence(g, doc, n, b, GG.reportsTo, parent, f"Board {i} reports to Board {(i - 1) // 4}")
            n += 1
    outcome = [URIRef(f"{BASE}outcome/o{i}") for i in range(outcomes)]
    for i, o in enumerate(outcome):
        g.add((o, RDF.type, GG.Outcome))
        g.add((o, SKOS.prefLabel, Literal(f"Outcome {i}: people live well for longer")))
    k = 0
    for p in range(plans):
        plan = URIRef(f"{BASE}strategy/p{p}")
        g.add((plan, RDF.type, GG.Plan))
        g.add((plan, SKOS.prefLabel, Literal(f"Plan {p}")))
        g.add((plan, GG.owner, body[p % bodies]))
        for t in range(themes_per_plan):
            theme = URIRef(f"{BASE}doc/synthetic/theme/{p}-{t}")
            g.add((theme, RDF.type, GG.Theme))
            g.add((theme, SKOS.prefLabel, Literal(f"Theme {p}.{t}")))
            g.add((plan, GG.hasTheme, theme))
            g.add((theme, GG.ledBy, body[(p * 7 + t) % bodies]))
            g.add((theme, GG.aimsAt, outcome[(p * themes_per_plan + t) % outcomes]))
            for a in range(actions_per_theme):
                act = URIRef(f"{BASE}doc/synthetic/action/{p}-{t}-{a}")
                g.add((act, RDF.type, GG.Action))
                g.add((act, DCTERMS.identifier, Literal(f"{p}.{t}.{a}")))
                g.add((act, SKOS.prefLabel, Literal(f"Deliver improvement {k} across the system")))
                g.add((act, GG.theme, theme))
                g.add((act, GG.inPlan, plan))
                g.add((act, GG.status, GG[STATUSES[k % 5]]))
                gov = body[(k * 13) % bodies]
                g.add((act, GG.governedBy, gov))
                g.add((act, GG.serves, outcome[k % outcomes]))
                _evidence(g, doc, n, act, GG.governedBy, gov, f"action {k} governed by board")
                n += 1
                k += 1
    return g


def hostile() -> Graph:
    """Bodies and an action whose labels and evidence are HTML, script and DOT syntax."""
    g = Graph()
    doc = URIRef(f"{BASE}doc/hostile")
    g.add((doc, GG.sourceFile, Literal("<img src=x onerror=\"window.__pwned='file'\">.txt")))
    top = URIRef(f"{BASE}body/top")
    g.add((top, RDF.type, GG.Board))
    g.add((top, SKOS.prefLabel, Literal("Health and Wellbeing Board")))
    for i, label in enumerate(HOSTILE):
        b = URIRef(f"{BASE}body/hostile-{i}")
        g.add((b, RDF.type, GG.Committee))
        g.add((b, SKOS.prefLabel, Literal(label)))
        g.add((b, GG.reportsTo, top))
        _evidence(g, doc, i, b, GG.reportsTo, top, label)
        _evidence(g, doc, 10 + i, b, SKOS.prefLabel, Literal(label), label)
    act = URIRef(f"{BASE}doc/hostile/action/1")
    g.add((act, RDF.type, GG.Action))
    g.add((act, SKOS.prefLabel, Literal(HOSTILE[0])))
    g.add((act, GG.status, GG.slipped))
    g.add((act, GG.governedBy, top))
    _evidence(g, doc, 20, act, GG.governedBy, top, HOSTILE[1])
    return g


def store_of(graph: Graph, name: str) -> OxigraphStore:
    store = OxigraphStore(None)
    store.replace_graph(f"{BASE}doc/{name}", graph)
    return store


def test_region_has_two_thousand_entities_and_draws_quickly() -> None:
    store = store_of(region(), "synthetic")
    started = time.perf_counter()
    html = render_view(store, "dependencies", base=BASE, fmt="html", limit=2500)
    elapsed = time.perf_counter() - started
    nodes = json.loads(re.search(rb'<script type="application/json" id="gg-nodes">(.*?)</script>', html).group(1))
    assert sum(n["gg"]["kind"] == "action" for n in nodes) == 1600
    assert elapsed < 30, f"a 2,000-entity view took {elapsed:.1f}s"
    assert len(html) < 8_000_000


def test_whole_region_is_grouped_to_stay_readable() -> None:
    store = store_of(region(), "synthetic")
    csv = render_view(store, "dependencies", base=BASE, fmt="csv").decode()
    assert "actions: Theme 0.0" in csv  # each theme's actions collapse into one group
    assert "Deliver improvement 0 across" not in csv


class Counting:
    """A store that counts the rows its answers carry (views read CSV: a line a row)."""

    def __init__(self, inner: OxigraphStore) -> None:
        self.inner = inner
        self.rows = 0

    def query(self, sparql: str, **kw):
        resp = self.inner.query(sparql, **kw)
        self.rows += resp.body.count(b"\n")
        return resp


def test_a_focus_view_reads_its_neighbourhood_not_the_store() -> None:
    one = region()
    two = Graph()
    for t in one:
        two.add(t)
    for s, p, o in one:  # a second region like the first, under other IRIs
        two.add(tuple(URIRef(str(x).replace("/id/", "/id/copy/")) if isinstance(x, URIRef) and "/id/" in str(x) else x
                      for x in (s, p, o)))
    centre = f"{BASE}body/b3"
    reads = []
    drawn = []
    for g in (one, two):
        store = Counting(store_of(g, "synthetic"))
        v = views.build(store, "focus", focus_on=centre, depth=2)
        reads.append(store.rows)
        drawn.append((sorted(v.graph.nodes), sorted(v.graph.edges(keys=True))))
    assert drawn[0] == drawn[1] and len(drawn[0][0]) > 100
    # Twice the store, the same rows read, but for the list of papers (one paper longer).
    assert reads[0] > 1000 and reads[1] <= reads[0] + 2
    started = time.process_time()
    views.build(store, "focus", focus_on=centre, depth=2)
    assert time.process_time() - started < 5
