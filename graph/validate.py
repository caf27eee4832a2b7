"""SHACL validation, with each violation pointed back at the paper and line that
produced the offending node.

Our shapes use a small part of SHACL Core: class targets, single-predicate paths,
counts, datatype, node kind, class, sh:in, sh:or of such checks and numeric ranges.
`problems` checks that part directly over an index of the triples (a 40k-triple paper in
tens of milliseconds, where pyshacl takes seconds, which mattered because every paper is
checked before it is written). A shape that uses anything else goes to pyshacl, which
stays the reference: tests/test_validate.py checks that the two agree on broken graphs.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from govgraph.graph.store import Store, Triple
from govgraph.ontology import PREFIXES, shapes
from govgraph.ontology.namespace import GG

EMPTY: frozenset[Node] = frozenset()


# ---- the triples, indexed ---------------------------------------------------------------


class Index:
    """Out-edges, instances and subclasses of some triples (a paper's graph and the
    vocabulary: the vocabulary's rdfs:subClassOf lets a target class reach subclasses)."""

    def __init__(self, sources: Iterable[Iterable[Triple]]) -> None:
        out: dict[Node, dict[Node, set[Node]]] = {}
        for triples in sources:
            for s, p, o in triples:
                edges = out.get(s)
                if edges is None:
                    out[s] = {p: {o}}
                elif p in edges:
                    edges[p].add(o)
                else:
                    edges[p] = {o}
        self.out = out
        self.by_type: dict[Node, set[Node]] = defaultdict(set)
        self.children: dict[Node, set[Node]] = defaultdict(set)
        rdf_type, sub_class_of = RDF.type, RDFS.subClassOf  # a namespace attribute costs a call
        for s, edges in out.items():
            for t in edges.get(rdf_type, EMPTY):
                self.by_type[t].add(s)
            for parent in edges.get(sub_class_of, EMPTY):
                self.children[parent].add(s)
        self._below: dict[Node, frozenset[Node]] = {}

    def values(self, node: Node, path: Node) -> set[Node] | frozenset[Node]:
        return self.out.get(node, {}).get(path, EMPTY)

    def value(self, node: Node, path: Node) -> Node | None:
        return next(iter(self.values(node, path)), None)

    def subclasses(self, cls: Node) -> frozenset[Node]:
        """`cls` and every class below it (rdfs:subClassOf*)."""
        if cls not in self._below:
            seen, todo = {cls}, [cls]
            while todo:
                for child in self.children.get(todo.pop(), ()):
                    if child not in seen:
                        seen.add(child)
                        todo.append(child)
            self._below[cls] = frozenset(seen)
        return self._below[cls]

    def instances(self, cls: Node) -> set[Node]:
        return {n for c in self.subclasses(cls) for n in self.by_type.get(c, ())}

    def is_instance(self, node: Node, cls: Node) -> bool:
        return not self.subclasses(cls).isdisjoint(self.values(node, RDF.type))


# ---- the shapes, compiled ---------------------------------------------------------------

# A check of one value node: None when it passes, else what is wrong.
Check = Callable[[Index, Node], "str | None"]


def curie(node: Node) -> str:
    """A short form for messages: gg:Action, "3"^^xsd:integer."""
    text = str(node)
    if isinstance(node, Literal):
        tag = f"@{node.language}" if node.language else f"^^{curie(node.datatype)}" if node.datatype else ""
        return f'"{text}"{tag}'
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>" if isinstance(node, URIRef) else node.n3()


def _datatype(dt: URIRef) -> Check:
    def check(_: Index, v: Node) -> str | None:
        if isinstance(v, Literal) and not v.ill_typed:
            actual = v.datatype or (RDF.langString if v.language else XSD.string)
            if actual == dt:
                return None
        return f"{curie(v)} is not a literal of datatype {curie(dt)}"
    return check


NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,), SH.Literal: (Literal,), SH.BlankNode: (BNode,), SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}


def _node_kind(kind: Node) -> Check:
    types = NODE_KINDS[kind]
    return lambda _, v: None if isinstance(v, types) else f"{curie(v)} is not of node kind {curie(kind)}"


def _class(cls: Node) -> Check:
    def check(index: Index, v: Node) -> str | None:
        if not isinstance(v, Literal) and index.is_instance(v, cls):
            return None
        return f"{curie(v)} is not a {curie(cls)}"
    return check


def _in(allowed: list[Node]) -> Check:
    members = set(allowed)
    listed = ", ".join(curie(a) for a in allowed)
    return lambda _, v: None if v in members else f"{curie(v)} is not one of {listed}"


def _any_of(alternatives: list[list[Check]]) -> Check:
    def check(index: Index, v: Node) -> str | None:
        if any(all(c(index, v) is None for c in alt) for alt in alternatives):
            return None
        return f"{curie(v)} matches none of the sh:or alternatives"
    return check


RANGES = {SH.minInclusive: (operator.ge, ">="), SH.maxInclusive: (operator.le, "<="),
          SH.minExclusive: (operator.gt, ">"), SH.maxExclusive: (operator.lt, "<")}


def _range(kind: Node, bound: Node) -> Check:
    op, sign = RANGES[kind]
    limit = bound.value if isinstance(bound, Literal) else None

    def check(_: Index, v: Node) -> str | None:
        try:
            if isinstance(v, Literal) and not v.ill_typed and op(v.value, limit):
                return None
        except TypeError:
            pass  # not comparable: a violation, as in SHACL
        return f"{curie(v)} is not {sign} {curie(bound)}"
    return check


class Unsupported(Exception):
    """A shape uses SHACL beyond what `compiled` checks: pyshacl checks it instead."""


VALUE_CHECKS = {SH.datatype, SH.nodeKind, SH["class"], SH["in"], SH["or"], *RANGES}
IGNORED = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue}  # no effect on validity


def value_checks(sg: Graph, shape: Node, allowed: set[Node]) -> list[Check]:
    """The value checks a shape states; Unsupported when it states anything else in sh:."""
    checks: list[Check] = []
    for p, o in sg.predicate_objects(shape):
        if p in VALUE_CHECKS:
            if p == SH.datatype:
                checks.append(_datatype(o))  # type: ignore[arg-type]
            elif p == SH.nodeKind:
                if o not in NODE_KINDS:
                    raise Unsupported(f"sh:nodeKind {o}")
                checks.append(_node_kind(o))
            elif p == SH["class"]:
                checks.append(_class(o))
            elif p == SH["in"]:
                checks.append(_in(list(Collection(sg, o))))
            elif p == SH["or"]:
                checks.append(_any_of([value_checks(sg, alt, IGNORED) for alt in Collection(sg, o)]))
            else:
                checks.append(_range(p, o))
        elif str(p).startswith(str(SH)) and p not in allowed:
            raise Unsupported(f"{curie(p)} on {shape}")
    return checks


@dataclass(frozen=True)
class PropertyRule:
    path: URIRef
    min_count: int | None
    max_count: int | None
    checks: tuple[Check, ...]
    message: str | None


@dataclass(frozen=True)
class ShapeRule:
    shape: Node
    classes: tuple[Node, ...]
    checks: tuple[Check, ...]
    properties: tuple[PropertyRule, ...]
    message: str | None


NODE_SHAPE_TERMS = IGNORED | {SH.targetClass, SH.property, SH.message}
PROPERTY_TERMS = IGNORED | {SH.path, SH.minCount, SH.maxCount, SH.message}


def _message(sg: Graph, shape: Node) -> str | None:
    msg = sg.value(shape, SH.message)
    return str(msg) if msg is not None else None


def _count(sg: Graph, shape: Node, p: URIRef) -> int | None:
    value = sg.value(shape, p)
    return int(value) if value is not None else None


def compile_shapes(sg: Graph) -> list[ShapeRule]:
    """Every node shape with its targets and property rules; Unsupported if any shape goes
    beyond class targets, single-predicate paths, counts and VALUE_CHECKS."""
    rules = []
    found = set(sg.subjects(RDF.type, SH.NodeShape)) | {s for t in (
        SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf) for s in sg.subjects(t, None)}
    for shape in sorted(found, key=str):
        if (shape, RDF.type, RDFS.Class) in sg or (shape, SH.path, None) in sg:
            raise Unsupported(f"{shape}: implicit class target or a property shape with a target")
        properties = []
        for prop in sg.objects(shape, SH.property):
            path = sg.value(prop, SH.path)
            if not isinstance(path, URIRef):
                raise Unsupported(f"{shape}: a complex sh:path")
            properties.append(PropertyRule(path, _count(sg, prop, SH.minCount), _count(sg, prop, SH.maxCount),
                                           tuple(value_checks(sg, prop, PROPERTY_TERMS)), _message(sg, prop)))
        rules.append(ShapeRule(shape, tuple(sg.objects(shape, SH.targetClass)),
                               tuple(value_checks(sg, shape, NODE_SHAPE_TERMS)), tuple(properties),
                               _message(sg, shape)))
    return rules


@cache
def compiled() -> list[ShapeRule] | None:
    """Our shapes compiled, or None when they need pyshacl."""
    try:
        return compile_shapes(shapes())
    except Unsupported:
        return None


# ---- checking ---------------------------------------------------------------------------

Violation = tuple[Node, "URIRef | None", str]  # focus node, path, message


def violations(index: Index, rules: list[ShapeRule]) -> list[Violation]:
    found: list[Violation] = []
    for rule in rules:
        focus = set().union(*(index.instances(c) for c in rule.classes))
        for node in focus:
            for check in rule.checks:
                msg = check(index, node)
                if msg is not None:
                    found.append((node, None, rule.message or msg))
            for prop in rule.properties:
                values = index.values(node, prop.path)
                n = len(values)
                if prop.min_count is not None and n < prop.min_count:
                    found.append((node, prop.path, prop.message or f"has {n} value(s), needs at least {prop.min_count}"))
                if prop.max_count is not None and n > prop.max_count:
                    found.append((node, prop.path, prop.message or f"has {n} values, allows at most {prop.max_count}"))
                for v in values:
                    for check in prop.checks:
                        msg = check(index, v)
                        if msg is not None:
                            found.append((node, prop.path, prop.message or msg))
    return found


def pyshacl_violations(index: Index) -> list[Violation]:
    """The reference check, for shapes the fast path cannot read."""
    from pyshacl import validate

    g = Graph()
    for s, edges in index.out.items():
        for p, objects in edges.items():
            for o in objects:
                g.add((s, p, o))
    conforms, report, _ = validate(g, shacl_graph=shapes(), inference="none", advanced=False)
    if conforms:
        return []
    out: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        out.append((report.value(result, SH.focusNode), path if isinstance(path, URIRef) else None,
                    str(report.value(result, SH.resultMessage))))
    return out


def _sources(index: Index) -> dict[Node, tuple[str, int]]:
    """node -> (source file, first line) where the paper introduces it: the evidence of
    its rdf:type, else the earliest evidence about it."""
    files = {doc: str(f) for doc in index.by_type.get(GG.Document, ()) for f in index.values(doc, GG.sourceFile)}
    found: dict[Node, tuple[str, int]] = {}
    typed: dict[Node, tuple[str, int]] = {}
    for ev in index.by_type.get(GG.Evidence, ()):
        subj, doc, line = (index.value(ev, p) for p in (RDF.subject, GG.document, GG.lineStart))
        if subj is None or doc is None or not isinstance(line, Literal) or not isinstance(line.value, int):
            continue  # the shapes report what is missing or ill-typed here
        here = (files.get(doc, str(doc)), line.value)
        found[ev] = here
        if index.value(ev, RDF.predicate) == RDF.type:
            typed[subj] = here
        if subj not in found or here[1] < found[subj][1]:
            found[subj] = here
    found.update(typed)
    return found


def problems(*graphs: Iterable[Triple]) -> list[str]:
    """One line per violation of the union of `graphs` (rdflib Graphs or any triples):
    'file:line: shape violation: <node> path: message', in file and line order."""
    index = Index(graphs)
    rules = compiled()
    found = violations(index, rules) if rules is not None else pyshacl_violations(index)
    if not found:
        return []
    where = _sources(index)
    lines: dict[tuple[str, int], set[str]] = defaultdict(set)
    for node, path, msg in found:
        loc = where.get(node, ("<graph>", 0))
        prefix = f"{loc[0]}:{loc[1]}" if loc[1] else loc[0]
        lines[loc].add(f"{prefix}: shape violation: <{node}> {curie(path) if path else ''}: {msg}")
    return [line for key in sorted(lines) for line in sorted(lines[key])]


def store_triples(store: Store) -> Iterator[Triple]:
    """Every triple of every graph, as rdflib terms, parsed by oxigraph (rdflib's own
    N-Quads parser and a union Graph cost ten times as much)."""
    terms: dict[object, Node] = {}
    for q in ox.parse(store.dump("application/n-quads"), format=ox.RdfFormat.N_QUADS):
        yield tuple(_rdflib(t, terms) for t in (q.subject, q.predicate, q.object))  # type: ignore[misc]


def _rdflib(t: ox.NamedNode | ox.BlankNode | ox.Literal, terms: dict[object, Node]) -> Node:
    found = terms.get(t)
    if found is None:
        if isinstance(t, ox.NamedNode):
            found = URIRef(t.value)
        elif isinstance(t, ox.BlankNode):
            found = BNode(t.value)
        elif t.language:
            found = Literal(t.value, lang=t.language)
        else:
            dt = t.datatype.value
            found = Literal(t.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
        terms[t] = found
    return found


def validate_store(store: Store) -> list[str]:
    return problems(store_triples(store))
