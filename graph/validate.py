"""SHACL validation (pyshacl), with each violation pointed back at the paper and line
that produced the offending node."""

from __future__ import annotations

from collections import defaultdict

from pyshacl import validate
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from govgraph.graph.export import union_graph
from govgraph.graph.store import Store
from govgraph.ontology import shapes
from govgraph.ontology.namespace import GG


def _sources(g: Graph) -> dict[str, tuple[str, int]]:
    """node -> (source file, first line) where the paper introduces it: the evidence of
    its rdf:type, else the earliest evidence about it."""
    files = {doc: str(f) for doc, f in g.subject_objects(GG.sourceFile)}
    found: dict[str, tuple[str, int]] = {}
    typed: dict[str, tuple[str, int]] = {}
    for ev in g.subjects(RDF.type, GG.Evidence):
        subj = g.value(ev, RDF.subject)
        doc = g.value(ev, GG.document)
        line = g.value(ev, GG.lineStart)
        if subj is None or doc is None or line is None:
            continue
        here = (files.get(doc, str(doc)), int(line))
        found[str(ev)] = here
        key = str(subj)
        if g.value(ev, RDF.predicate) == RDF.type:
            typed[key] = here
        if key not in found or here[1] < found[key][1]:
            found[key] = here
    found.update(typed)
    return found


def problems(g: Graph) -> list[str]:
    """One line per violation: 'file:line: shape violation: <node>: message'."""
    conforms, report, _ = validate(g, shacl_graph=shapes(), inference="none", advanced=False)
    if conforms:
        return []
    where = _sources(g)
    lines: dict[str, list[str]] = defaultdict(list)
    for result in report.subjects(RDF.type, SH.ValidationResult):
        node = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        msg = report.value(result, SH.resultMessage)
        loc = where.get(str(node))
        prefix = f"{loc[0]}:{loc[1]}" if loc else "<graph>"
        lines[prefix].append(f"{prefix}: shape violation: <{node}> {path if isinstance(path, URIRef) else ''}: {msg}")
    return [line for key in sorted(lines) for line in lines[key]]


def validate_store(store: Store) -> list[str]:
    return problems(union_graph(store))
