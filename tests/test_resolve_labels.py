"""Preferred labels and places across papers written for these tests: a node is labelled
by its fullest name whichever paper is read first, earlier papers' graphs follow a later
paper's fuller name (one prefLabel per node), and a bare name is the one node named the
same with a list of places that includes the paper's home place."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from govgraph.graph import queries
from govgraph.graph.build import ingest_paths
from govgraph.graph.labels import Relabel, fullest, relabelled
from govgraph.graph.resolve import Resolver
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from govgraph.graph.validate import validate_store
from govgraph.ingest.records import Mention, Span
from govgraph.ontology.namespace import GG
from support import BASE

AT = Span(1, 1, "x")

FIRST = """\
# Westvale City Council

Report to the Westvale Health and Wellbeing Board

Contributors:

- Westvale City Council
  - J Okafor, Director of Public Health
- University Hospitals Westvale
  - R Patel, Chief Executive

The Place Forum reports to the Westvale Health and Wellbeing Board.
"""

SECOND = """\
# Westvale City Council

Report to the Westvale Health and Wellbeing Board

Contributors:

- Westvale City Council
  - Joanne Okafor, Director of Public Health
- University Hospitals Westvale
  - Rita Patel, Chief Executive

The Westvale and Eastshire Place Forum reports to the Westvale Health and Wellbeing Board.
"""


def store_of(folder: Path, *papers: tuple[str, str]) -> OxigraphStore:
    """A store that ingested each paper by its own command, in this order."""
    store = OxigraphStore(None)
    for name, text in papers:
        (folder / name).write_text(text, "utf-8")
        report = ingest_paths([folder / name], store, BASE)
        assert report.ok, report.errors
    return store


def labels(store: OxigraphStore) -> dict[str, set[tuple[str, ...]]]:
    return {q: {tuple(str(r.get(c, "")) for c in ("label", "altLabels", "role", "organisation"))
                for r in select(store, queries.load(q)).rows}
            for q in ("people", "bodies", "organisations")}


def test_the_fullest_name_is_the_label_whichever_paper_comes_first(tmp_path: Path) -> None:
    ab = store_of(tmp_path, ("a.md", FIRST), ("b.md", SECOND))
    ba = store_of(tmp_path, ("b.md", SECOND), ("a.md", FIRST))
    assert labels(ab) == labels(ba)
    assert validate_store(ab) == [] and validate_store(ba) == []  # one prefLabel per node
    people = {row[0] for row in labels(ab)["people"]}
    assert people == {"Joanne Okafor", "Rita Patel"}
    # 'Place Forum' in a Westvale paper is the one forum named with a wider place that holds Westvale.
    assert ("Westvale and Eastshire Place Forum", "Place Forum", "", "") in labels(ab)["bodies"]


def test_an_earlier_paper_keeps_its_name_as_an_altlabel_with_the_reason(tmp_path: Path) -> None:
    store = store_of(tmp_path, ("a.md", FIRST), ("b.md", SECOND))
    rows = select(store, queries.internal("aliases")).rows
    got = {(str(r["label"]), str(r["alias"]), str(r["reason"]), str(r["file"])) for r in rows}
    # a.md was written before b.md named them in full: its graph now says so.
    assert ("Joanne Okafor", "J Okafor", "same person: initials", "a.md") in got
    assert ("Rita Patel", "R Patel", "same person: initials", "a.md") in got
    t = select(store, """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?g ?l WHERE { GRAPH ?g { ?p skos:prefLabel ?l } FILTER (STRSTARTS(?l, "J") || STRSTARTS(?l, "Jo")) }""")
    assert {str(r["l"]) for r in t.rows} == {"Joanne Okafor"}


class WholeGraphs:
    """A store that replaces graphs only whole (as the remote and served stores do)."""

    def __init__(self) -> None:
        self.inner = OxigraphStore(None)

    def __getattr__(self, name: str):
        if name == "change_graph":
            raise AttributeError(name)
        return getattr(self.inner, name)


class Counting(OxigraphStore):
    """The embedded store, counting the triples each difference writes."""

    def __init__(self) -> None:
        super().__init__(None)
        self.changed: list[int] = []

    def change_graph(self, name, gone, added) -> None:
        self.changed.append(len(gone) + len(added))
        super().change_graph(name, gone, added)


def test_an_earlier_graph_changes_by_the_difference_as_if_rewritten_whole(tmp_path: Path) -> None:
    """Relabelling reads and writes only what an earlier graph states of the renamed nodes
    and their evidence: the store ends as when the graph is read and replaced whole."""
    patched, whole = Counting(), WholeGraphs()
    for store in (patched, whole):
        for name, text in (("a.md", FIRST), ("b.md", SECOND)):
            (tmp_path / name).write_text(text, "utf-8")
            assert ingest_paths([tmp_path / name], store, BASE).ok
    assert patched.changed and max(patched.changed) < 100  # a few statements, not a.md's graph
    dump = sorted(patched.dump("application/n-quads").splitlines())
    assert dump == sorted(whole.dump("application/n-quads").splitlines())
    assert len(dump) > 10 * max(patched.changed)


def test_one_paper_labels_a_person_by_the_fullest_name_it_gives() -> None:
    r = Resolver(BASE, place="Westvale")
    first = r(Mention("D Lowe", "person", AT))
    later = r(Mention("Dana Lowe", "person", AT))
    assert later.iri == first.iri and later.label == "Dana Lowe"
    final = r.final(first, "D Lowe")
    assert final.label == "Dana Lowe" and final.reason == "same person: initials"


@pytest.mark.parametrize(("names", "family", "label"), [
    (["D Lowe", "Dana Lowe"], "person", "Dana Lowe"),
    (["Cllr M Reid", "Councillor Reid"], "person", "Councillor Reid"),  # neither abbreviated nor an initial
    (["Dr Amy Bell", "A Bell", "Amy Bell"], "person", "Dr Amy Bell"),
    (["EWCCG", "Eastshire and Westvale CCG", "Eastshire and Westvale Clinical Commissioning Group"], "org",
     "Eastshire and Westvale Clinical Commissioning Group"),
    (["Westvale City Council", "City Council"], "org", "Westvale City Council"),  # an organisation's place is its name
    (["Westvale City Council", "Westvale City Council Council"], "org", "Westvale City Council"),
    (["Health and Well-being Board", "Health & Wellbeing Board", "Health and Wellbeing Board"], "body",
     "Health and Wellbeing Board"),
    (["Health and Wellbeing Board", "Westvale Health and Wellbeing Board"], "body", "Health and Wellbeing Board"),
    (["Place Forum – W and E", "Westvale and Eastshire Place Forum", "Place Forum"], "body",
     "Westvale and Eastshire Place Forum"),
    (["Healthy Lives, Healthy Places Board", "Healthy Lives Healthy Places Board"], "body",
     "Healthy Lives, Healthy Places Board"),
])
def test_fullest(names: list[str], family: str, label: str) -> None:
    assert fullest(names, family, "Westvale") == label
    assert fullest(list(reversed(names)), family, "Westvale") == label


def test_a_bare_name_and_the_wider_place() -> None:
    r = Resolver(BASE, place="Westvale")
    wide = r(Mention("Westvale and Eastshire Place Forum", "forum", AT))
    bare = r(Mention("Place Forum", "forum", AT))
    assert bare.iri == wide.iri and bare.reason == "the same name with its places (eastshire, westvale)"
    assert r(Mention("Place Forum – Westvale and Eastshire", "forum", AT)).iri == wide.iri


def test_a_place_of_its_own_is_another_body() -> None:
    r = Resolver(BASE, place="Westvale")
    own = r(Mention("Westvale Place Forum", "forum", AT))
    east = r(Mention("Eastshire Place Forum", "forum", AT))
    wide = r(Mention("Westvale and Eastshire Place Forum", "forum", AT))
    assert len({own.iri, east.iri, wide.iri}) == 3
    assert r(Mention("Place Forum", "forum", AT)).iri == own.iri  # the home place's own


def test_two_wider_places_leave_a_bare_name_alone() -> None:
    r = Resolver(BASE, place="Westvale")
    one = r(Mention("Westvale and Eastshire Place Forum", "forum", AT))
    two = r(Mention("Westvale and Northby Place Forum", "forum", AT))
    bare = r(Mention("Place Forum", "forum", AT))
    assert bare.iri not in (one.iri, two.iri)


def test_a_bare_node_is_named_later_with_its_places() -> None:
    r = Resolver(BASE, place="Westvale")
    bare = r(Mention("Place Forum", "forum", AT))
    wide = r(Mention("Westvale and Eastshire Place Forum", "forum", AT))
    assert wide.iri == bare.iri and wide.label == "Westvale and Eastshire Place Forum"


def test_relabelled_graph_keeps_the_old_label_and_its_passage() -> None:
    doc = f"{BASE}doc/a"
    node, ev = URIRef(f"{BASE}person/j-okafor"), URIRef(f"{doc}#ev-1")
    from rdflib import RDF, SKOS
    from rdflib.namespace import FOAF
    triples = {
        (node, SKOS.prefLabel, Literal("J Okafor")), (node, FOAF.name, Literal("J Okafor")),
        (ev, RDF.type, GG.Evidence), (ev, RDF.subject, node), (ev, RDF.predicate, SKOS.prefLabel),
        (ev, RDF.object, Literal("J Okafor")), (ev, GG.document, URIRef(doc)), (ev, GG.lineStart, Literal(8)),
        (ev, GG.lineEnd, Literal(8)), (ev, GG.quote, Literal("  - J Okafor, Director of Public Health")),
    }
    out = relabelled(triples, doc, {str(node): Relabel("Joanne Okafor", None, {"J Okafor": "same person: initials"})})
    assert (node, SKOS.prefLabel, Literal("Joanne Okafor")) in out and (node, FOAF.name, Literal("Joanne Okafor")) in out
    assert (node, SKOS.altLabel, Literal("J Okafor")) in out
    assert not [t for t in out if t[2] == Literal("J Okafor") and t[1] in (SKOS.prefLabel, FOAF.name)]
    alt = next(s for s, p, o in out if p == RDF.predicate and o == SKOS.altLabel)
    assert (alt, GG.mergeReason, Literal("same person: initials")) in out
    assert (alt, GG.lineStart, Literal(8)) in out and (ev, RDF.object, Literal("Joanne Okafor")) in out
