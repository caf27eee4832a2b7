"""SHACL validation: the corpus conforms, and a violation points at the paper and line."""

from __future__ import annotations

from rdflib import RDF, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import ORG

from govgraph.graph.build import build_graph
from govgraph.graph.export import union_graph
from govgraph.graph.store import OxigraphStore
from govgraph.graph.validate import problems, validate_store
from govgraph.ingest.source import read_source
from govgraph.ontology import NS, vocabulary
from govgraph.ontology.namespace import GG
from support import BASE, PLAN


def test_the_corpus_conforms(corpus_store: OxigraphStore) -> None:
    assert validate_store(corpus_store) == []


def test_a_violation_names_the_paper_and_line() -> None:
    g, _, _ = build_graph(read_source(PLAN), BASE)
    action = next(a for a in g.subjects(GG.status, None) if str(a).endswith("/action/4-5"))
    g.remove((action, GG.status, None))  # an action with no status breaks gg:ActionShape
    lines = problems(g + vocabulary())
    assert lines, "the broken graph passed"
    hit = [line for line in lines if "/action/4-5" in line]
    assert hit and hit[0].startswith(f"{PLAN.name}:")
    line_no = int(hit[0].split(":")[1])
    assert "4.5" in PLAN.read_text("utf-8").splitlines()[line_no - 1]
    assert "status" in hit[0]


def test_union_graph_holds_every_paper(corpus_store: OxigraphStore) -> None:
    g = union_graph(corpus_store)
    assert len(set(g.subject_objects(GG.sourceFile))) == 4


def test_a_paper_that_breaks_a_shape_is_not_written(tmp_path, monkeypatch) -> None:
    """Checked before the write: the store keeps the paper's old graph, and the report
    names the file and line."""
    import govgraph.graph.build as build
    from govgraph.errors import ValidationFailed
    from govgraph.graph.build import ingest_paths

    store = OxigraphStore(None)
    assert ingest_paths([PLAN], store, BASE).ok
    before = store.dump("application/n-quads")

    real = build.build_triples

    def broken(src, base, st=None):
        triples, resolver, diagnostics = real(src, base, st)
        kept = {t for t in triples if t[1] != GG.status}  # every action loses its status
        return kept, resolver, diagnostics

    monkeypatch.setattr(build, "build_triples", broken)
    report = ingest_paths([PLAN], store, BASE)
    assert not report.ok and isinstance(report.errors[0], ValidationFailed)
    assert all(line.startswith(f"{PLAN.name}:") for line in report.errors[0].lines)
    assert store.dump("application/n-quads") == before


# ---- the fast check agrees with pyshacl -------------------------------------------------



def _first(g: Graph, cls: URIRef) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


def _break(g: Graph) -> None:
    """One breach of each kind of constraint the shapes use, on real nodes of the plan."""
    actions = sorted(g.subjects(RDF.type, GG.Action))
    g.remove((actions[0], GG.status, None))                                     # sh:minCount
    g.add((actions[1], GG.status, URIRef(NS + "maybe")))                      # sh:in
    g.add((actions[2], GG.start, Literal(7)))                                   # sh:or of datatypes
    g.add((actions[3], GG.governedBy, Literal("a board")))                      # sh:nodeKind sh:IRI
    g.add((actions[4], GG.theme, actions[5]))                                   # sh:class
    g.add((_first(g, GG.Body), SKOS.prefLabel, Literal("second label")))        # sh:maxCount
    g.add((_first(g, GG.Body), SKOS.altLabel, URIRef("http://example.org/x")))  # sh:nodeKind sh:Literal
    evidence = sorted(g.subjects(RDF.type, GG.Evidence))
    g.set((evidence[0], GG.lineStart, Literal(0)))                              # sh:minInclusive
    g.set((evidence[1], GG.lineEnd, Literal("ten", datatype=XSD.integer)))      # ill-typed: sh:datatype
    g.set((evidence[2], GG.document, URIRef("http://example.org/not-a-doc")))   # sh:class
    g.set((evidence[3], GG.quote, Literal("quote", lang="en")))                 # sh:datatype xsd:string
    board = URIRef("http://example.org/board")
    g.add((board, RDF.type, GG.Board))                                          # target via rdfs:subClassOf
    g.add((_first(g, ORG.Membership), ORG.member, Literal("someone")))          # sh:class on a literal


def test_the_fast_check_reads_every_shape_we_ship() -> None:
    """If a shape uses SHACL beyond what graph/validate.py compiles, every paper's check
    falls back to pyshacl (seconds, not milliseconds): extend the compiler instead."""
    from govgraph.graph.validate import compiled

    assert compiled() is not None


def test_the_fast_check_agrees_with_pyshacl() -> None:
    from govgraph.graph.validate import Index, compiled, pyshacl_violations, violations

    g, _, _ = build_graph(read_source(PLAN), BASE)
    _break(g)
    index = Index([g, vocabulary()])
    fast = {(node, path) for node, path, _ in violations(index, compiled())}
    reference = {(node, path) for node, path, _ in pyshacl_violations(index)}
    assert len(reference) >= 13, reference
    assert fast == reference, (fast - reference, reference - fast)
