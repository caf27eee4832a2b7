"""Every fact is traceable: each evidence quote stands at its cited lines."""

from __future__ import annotations

from govgraph.graph import queries
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from support import EXAMPLES


def test_every_quote_stands_at_its_lines(corpus_store: OxigraphStore) -> None:
    files = {f"doc/{p.stem}": p.read_text("utf-8").splitlines() for p in EXAMPLES.glob("*.txt")}
    t = select(corpus_store, queries.load("evidence"))
    assert len(t.rows) > 1000
    for r in t.rows:
        doc = str(r["document"]).split("/id/")[1]
        lines = files[doc]
        first, last = int(r["lineStart"]), int(r["lineEnd"])
        assert 1 <= first <= last <= len(lines)
        assert str(r["quote"]).strip() in "\n".join(lines[first - 1 : last]), (doc, first, r["quote"])


def test_every_action_fact_has_evidence(plan_store: OxigraphStore) -> None:
    missing = select(plan_store, """
        PREFIX gg: <https://w3id.org/govgraph/ns#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?a ?p ?o WHERE {
          ?a a gg:Action ; ?p ?o .
          FILTER (?p != gg:feeds)
          FILTER NOT EXISTS { ?ev rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?o }
        }""")
    assert missing.rows == []
