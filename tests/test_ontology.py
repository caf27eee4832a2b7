"""The vocabulary, its closed namespace and the shapes agree."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import SH

from govgraph.ontology import NS, shapes, vocabulary
from govgraph.ontology.codegen import render_namespace
from support import ROOT


def test_namespace_in_sync() -> None:
    assert (ROOT / "ontology" / "namespace.py").read_text() == render_namespace(), (
        "regenerate: python -m govgraph.ontology.codegen > ontology/namespace.py"
    )


def test_every_gg_term_a_shape_names_is_defined() -> None:
    defined = set(vocabulary().subjects())
    named = {o for o in shapes().objects() if isinstance(o, URIRef) and str(o).startswith(NS)}
    named -= {s for s in shapes().subjects()}  # the shapes themselves
    assert named - defined == set()


def test_shapes_cover_every_class_family() -> None:
    targets = {str(o)[len(NS):] for o in shapes().objects(None, SH.targetClass) if str(o).startswith(NS)}
    assert {"Body", "Organisation", "Programme", "Strategy", "Theme", "Action", "Recommendation",
            "Meeting", "AgendaItem", "Resolution", "Report", "Document", "Evidence", "Indicator"} <= targets


def test_action_status_is_a_concept_scheme() -> None:
    g = vocabulary()
    rows = g.query("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?n WHERE { ?c skos:inScheme <https://w3id.org/govgraph/ns#ActionStatus> ; skos:notation ?n }""")
    assert {str(r[0]) for r in rows} == {"complete", "in_progress", "not_started", "slipped", "unknown"}
