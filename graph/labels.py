"""Preferred labels: which of a node's names is its label, and other papers' graphs kept
in step with it.

A person, body, organisation or strategy is labelled by the fullest name any paper gives
it, not by the first one read: 'Debbie Dawson', not 'D Dawson'; 'Coventry and
Warwickshire Place Forum', not 'Place Forum' or 'Place Forum – Cov and Warks'. Fullest
means the most words written out (not an initial, an acronym, or an abbreviation of a
word another of its names spells out), then the fewest acronyms and the fewest words as
written (so 'Wellbeing', not 'Well-being'; not 'Council Council'); ties fall to the
longer name, so the label does not depend on which paper came first (only names alike
in every way but word order keep the label they have). A board's home place adds
nothing ('Coventry Health and Wellbeing Board' is the place's Health and Wellbeing
Board, labelled without it), an organisation's does ('Coventry City Council', not 'City
Council'). A programme keeps its first name (its parts are named after it). The store
gives a node its label so far; a paper compares only its own names with it.

Each paper is its own named graph, so when a paper gives a node a fuller name than the
store held, the graphs of earlier papers still call it by the old one; `relabel` turns
their old label into an altLabel (with the reason) and states the new one, exactly one
prefLabel per node across the store, as re-ingesting those papers would.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, SKOS, BNode, Literal, URIRef
from rdflib.namespace import FOAF
from rdflib.term import Node

from govgraph.graph.queries import internal
from govgraph.graph.sparql import select
from govgraph.graph.store import Patchable, Store, Triple
from govgraph.graph.validate import _rdflib as as_rdflib  # oxigraph's terms as rdflib's, each made once
from govgraph.ingest.emit import digest
from govgraph.ingest.names import abbreviates, is_acronym, vocab
from govgraph.ontology.namespace import GG

LABELLED = frozenset({"person", "body", "org", "strategy"})  # families labelled by their fullest name
_WORD = re.compile(r"[A-Za-z0-9&]+(?:['’][A-Za-z]+)?")
_STOP = {"the", "and", "of", "for", "&", "in", "on", "a", "an", "to"}


def _person(name: str) -> tuple[int, ...]:
    """Given names written out, then no abbreviated title ('Cllr'), then fewest initials,
    then titles: 'Debbie Dawson' over 'D Dawson', 'Councillor Caan' over 'Cllr K Caan'."""
    raw = _WORD.findall(name)
    titles = vocab().titles
    i = 0
    while i < len(raw) - 1 and raw[i].lower() in titles:
        i += 1
    given = raw[i:-1]
    short_title = any(abbreviates(t.lower(), full) for t in raw[:i] for full in titles)
    return (sum(len(g) > 1 for g in given), not short_title, -sum(len(g) == 1 for g in given), i)


def _named(name: str, others: Iterable[str]) -> tuple[int, ...]:
    """Words written out (not abbreviations of another name's words), then the words an
    acronym every paper knows (names.toml) stands for, then the fewest acronyms,
    capitalised words (a name, not a phrase) and the fewest words as written."""
    folded = re.sub(r"\bwell[\s-]+being\b", "wellbeing", name, flags=re.IGNORECASE)
    raw = [w for w in _WORD.findall(folded) if w.lower() not in _STOP]
    elsewhere = {w.lower() for o in others for w in _WORD.findall(o) if not is_acronym(w)}
    written = {w.lower(): w for w in raw if len(w) > 1 and not is_acronym(w)
               and not any(abbreviates(w.lower(), o) for o in elsewhere)}
    common = vocab().abbreviations
    acronyms = [w for w in raw if is_acronym(w)]
    known = {x for w in acronyms for x in _WORD.findall(common.get(w, "").lower()) if x not in _STOP} - set(written)
    return (len(written), len(known), -len(acronyms), sum(w[0].isupper() for w in written.values()),
            -len(_WORD.findall(name)))


def fullness(name: str, others: Iterable[str], family: str, place: str | None) -> tuple:
    """How full a name of a node is, beside the node's other names: more is fuller. A
    board's home place adds nothing ('Northshire Health and Wellbeing Board' is the place's
    'Health and Wellbeing Board', the label); an organisation's is part of its name."""
    # The home place alone, not one of a list of places ('Westvale and Eastshire Place Forum').
    home = rf"^(?:the\s+)?{re.escape(place or '')}(?:['’]s)?\s+(?!(?:and|&)\s)"
    bare = re.sub(home, "", name, flags=re.I) if family == "body" and place else name
    score = _person(name) if family == "person" else _named(bare, others)
    return (*score, bare == name, len(bare))


def fullest(names: list[str], family: str, place: str | None) -> str:
    """The name of a person, body, organisation or strategy that reads best as its label;
    of names as full, the first (the label it has)."""
    return max(names, key=lambda n: fullness(n, [o for o in names if o != n], family, place))


# -- keeping other papers' graphs in step ---------------------------------------------------


@dataclass(frozen=True)
class Relabel:
    """A node's label now, its organisation kind, and why each old label names it."""

    label: str
    kind: URIRef | None
    why: dict[str, str]


def relabel(store: Store, doc: str, labels: dict[str, Relabel]) -> int:
    """Graphs other than `doc` that label a node otherwise than `labels` say: rewritten so
    each calls it by the new label, keeping the old one as an altLabel. Only what those
    graphs state of the nodes and of their evidence is read, and only the difference is
    written (a graph re-read and re-written whole after every paper cost more than the
    paper's own write). Returns how many graphs changed."""
    if not labels:
        return 0
    rows = select(store, internal("stale_labels"), [
        {"e": URIRef(iri), "new": Literal(r.label), "doc": URIRef(doc)} for iri, r in labels.items()]).rows
    stale: dict[str, tuple[set[str], set[Triple]]] = {}
    for row in rows:
        nodes, said = stale.setdefault(str(row["g"]), (set(), set()))
        nodes.add(str(row["e"]))
        said.add((row["s"], row["p"], row["o"]))
    for graph, (nodes, said) in stale.items():
        # relabelled() reads and writes only statements of the nodes and of evidence about
        # them, so on these alone it gives the same change as on the whole graph.
        new = relabelled(said, graph, {n: labels[n] for n in nodes})
        _change(store, graph, said - new, new - said)
    return len(stale)


def _change(store: Store, graph: str, gone: set[Triple], added: set[Triple]) -> None:
    """Apply a difference to one graph, atomically: as a difference where the store takes
    one, else by replacing the graph whole."""
    if isinstance(store, Patchable) and not any(isinstance(n, BNode) for t in gone | added for n in t):
        store.change_graph(graph, gone, added)
    else:
        store.replace_graph(graph, (_graph(store, graph) - gone) | added)


def _graph(store: Store, name: str) -> set[Triple]:
    """One named graph's triples, parsed by oxigraph (a SELECT's JSON costs twice as much)."""
    ox.NamedNode(name)  # one IRI, never query text
    body = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}",
                       graph_type="application/n-triples").body
    terms: dict[object, Node] = {}
    return {(as_rdflib(q.subject, terms), as_rdflib(q.predicate, terms), as_rdflib(q.object, terms))
            for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}


def relabelled(triples: set[Triple], graph: str, labels: dict[str, Relabel]) -> set[Triple]:
    """One graph's triples with each node's label, name and organisation kind replaced,
    each statement's evidence following it, and each old label kept as an altLabel with
    the passages that gave it (evidence made as the emitter makes it)."""
    nodes = {URIRef(iri): r for iri, r in labels.items()}
    facts = [t for t in triples if t[0] in nodes]  # what the graph states of the nodes
    evidence = {s for s, p, o in triples if p == RDF.subject and o in nodes}
    about: dict[Node, dict[Node, set[Node]]] = {ev: {} for ev in evidence}  # evidence -> its properties
    for s, p, o in triples:
        if s in about:
            about[s].setdefault(p, set()).add(o)
    out = set(triples)
    for node, r in nodes.items():
        new = Literal(r.label)
        swaps: dict[Node, Node] = {}  # an old value -> the new one
        for s, p, o in facts:
            value = r.kind if p == GG.organisationKind else new if p in (SKOS.prefLabel, FOAF.name) else None
            if s == node and value is not None and o != value:
                out.discard((s, p, o))
                out.add((s, p, value))
                swaps[o] = value
        out.discard((node, SKOS.altLabel, new))
        for ev, props in about.items():
            p, o = _one(props, RDF.predicate), _one(props, RDF.object)
            if _one(props, RDF.subject) != node:
                continue
            if p == SKOS.altLabel and o == new:  # the new label was an altLabel here: now the label
                out.discard((ev, RDF.predicate, p))
                out.add((ev, RDF.predicate, SKOS.prefLabel))
                out -= {(ev, GG.mergeReason, x) for x in props.get(GG.mergeReason, ())}
            elif o in swaps and p in (SKOS.prefLabel, FOAF.name, GG.organisationKind):
                out.discard((ev, RDF.object, o))
                out.add((ev, RDF.object, swaps[o]))
                if p == SKOS.prefLabel:
                    out |= _old_label(node, o, props, r.why.get(str(o), "a name another paper gives in full"))
    return out


def _one(props: dict[Node, set[Node]], p: Node) -> Node | None:
    return next(iter(props.get(p, ())), None)


def _old_label(node: URIRef, old: Node, props: dict[Node, set[Node]], why: str) -> set[Triple]:
    """The old label as an altLabel of `node`, with evidence at the passage that gave it."""
    where = [str(_one(props, p)) for p in (GG.lineStart, GG.lineEnd, GG.quote)]
    ev = URIRef(f"{_one(props, GG.document)}#ev-{digest(str(node), str(SKOS.altLabel), str(old), *where)}")
    out: set[Triple] = {(node, SKOS.altLabel, old), (ev, RDF.predicate, SKOS.altLabel), (ev, RDF.subject, node),
                        (ev, RDF.object, old), (ev, GG.mergeReason, Literal(why))}
    for p, values in props.items():
        if p not in (RDF.predicate, RDF.subject, RDF.object, GG.mergeReason):
            out |= {(ev, p, o) for o in values}
    return out
