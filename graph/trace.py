"""Dependency tracing with networkx: which boards each action feeds, and how far up.

SPARQL selects the edges; networkx walks them (path lengths are what SPARQL does
badly). The result is materialised as gg:Feed nodes in a derived graph of its own,
rebuilt after every ingest, so `action-feeds` is a plain SELECT.
"""

from __future__ import annotations

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef

from govgraph.graph.queries import internal
from govgraph.graph.sparql import select
from govgraph.graph.store import Store
from govgraph.ingest.emit import digest
from govgraph.ontology.namespace import GG


def derived_graph_name(base: str) -> str:
    return f"{base}graph/derived"


def governance_digraph(store: Store) -> nx.DiGraph:
    """child -> parent edges between bodies and programmes."""
    g = nx.DiGraph()
    for row in select(store, internal("governance_edges")).rows:
        g.add_edge(str(row["child"]), str(row["parent"]))
    return g


def feeds(store: Store) -> dict[str, dict[str, int]]:
    """action -> {body: hops}, hops 1 being the action's own governance body."""
    chain = governance_digraph(store)
    out: dict[str, dict[str, int]] = {}
    for row in select(store, internal("action_governance")).rows:
        action, body = str(row["action"]), str(row["body"])
        reach = out.setdefault(action, {})
        dist = nx.single_source_shortest_path_length(chain, body) if body in chain else {body: 0}
        for node, d in dist.items():
            if d + 1 < reach.get(node, 1 << 30):
                reach[node] = d + 1
    return out


def derived(store: Store, base: str) -> Graph:
    g = Graph()
    for action, reach in feeds(store).items():
        for body, hops in reach.items():
            f = URIRef(f"{base}feed/{digest(action, body)}")
            g.add((f, RDF.type, GG.Feed))
            g.add((f, GG.fromAction, URIRef(action)))
            g.add((f, GG.toBody, URIRef(body)))
            g.add((f, GG.hops, Literal(hops)))
            g.add((URIRef(action), GG.feeds, URIRef(body)))
    return g


def refresh(store: Store, base: str) -> int:
    """Recompute the derived graph; returns how many feeds it holds."""
    g = derived(store, base)
    store.replace_graph(derived_graph_name(base), g)
    return len(set(g.subjects(RDF.type, GG.Feed)))
