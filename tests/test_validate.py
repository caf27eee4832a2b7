"""SHACL validation: the corpus conforms, and a violation points at the paper and line."""

from __future__ import annotations

from govgraph.graph.build import build_graph
from govgraph.graph.export import union_graph
from govgraph.graph.store import OxigraphStore
from govgraph.graph.validate import problems, validate_store
from govgraph.ingest.source import read_source
from govgraph.ontology import vocabulary
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

    real = build.build_graph

    def broken(src, base, st=None):
        g, resolver, diagnostics = real(src, base, st)
        g.remove((None, GG.status, None))  # every action loses its status
        return g, resolver, diagnostics

    monkeypatch.setattr(build, "build_graph", broken)
    report = ingest_paths([PLAN], store, BASE)
    assert not report.ok and isinstance(report.errors[0], ValidationFailed)
    assert all(line.startswith(f"{PLAN.name}:") for line in report.errors[0].lines)
    assert store.dump("application/n-quads") == before
