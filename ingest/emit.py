"""Records -> RDF, driven by `mapping.toml`, with evidence for every triple.

Every triple an extractor yields gets a gg:Evidence node (a reified rdf:Statement)
naming the document, first and last line, and a quote that stands at those lines;
prov:wasDerivedFrom points at the RFC 5147 line fragment of the document.
Names (Mentions) are resolved by a callable the caller passes in, so this module
needs no store: ingest stays pure.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from string import Formatter
from typing import Iterable, Protocol

from rdflib import RDF, SKOS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV
from rdflib.term import Node

from govgraph.ingest.records import Alias, Cell, Extraction, Mention, Span, field_names
from govgraph.ingest.text import slug
from govgraph.ontology import expand
from govgraph.ontology.namespace import GG

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_NON_WORD = re.compile(r"\W+")

# Terms every evidence node uses, looked up once: a namespace attribute costs a call,
# and a paper's graph has about ten of them per fact.
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.subject, RDF.predicate, RDF.object
_EVIDENCE, _DOCUMENT, _QUOTE, _PAGE = GG.Evidence, GG.document, GG.quote, GG.page
_LINE_START, _LINE_END = GG.lineStart, GG.lineEnd
_DERIVED_FROM = PROV.wasDerivedFrom
_PREF_LABEL, _ALT_LABEL = SKOS.prefLabel, SKOS.altLabel
_MERGE_REASON = GG.mergeReason
_EVIDENCE_PREDICATES = frozenset({_TYPE, _SUBJECT, _PREDICATE, _OBJECT, _DOCUMENT, _LINE_START, _LINE_END, _QUOTE,
                                  _DERIVED_FROM})
_PAGED_EVIDENCE = _EVIDENCE_PREDICATES | {_PAGE}


@lru_cache(maxsize=1 << 16)
def _literal(value: str | int) -> Literal:
    """A plain string or integer literal. Evidence repeats line numbers and quotes, and
    building a Literal costs more than the rest of a triple."""
    return Literal(value)


@lru_cache(maxsize=1024)
def _term(curie: str) -> URIRef:
    """A term of mapping.toml ('gg:partOf'), as an IRI."""
    return URIRef(expand(curie))


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a Mention resolves to: one node, its types and label, and its parent if the
    name said one ('X workstream of Y')."""

    iri: URIRef
    types: tuple[URIRef, ...]
    label: str
    parent: "Resolved | None" = None
    kind: URIRef | None = None  # gg:organisationKind for organisations
    reason: str | None = None  # why the name became this node, when it differs from the label


class Resolver(Protocol):
    def __call__(self, m: Mention) -> Resolved | None:
        """The node a name stands for, made if new."""

    def lookup(self, m: Mention) -> Resolved | None:
        """The node a name already has, or None."""

    def text_node(self, type_name: str, text: str, default: URIRef) -> URIRef:
        """The node for a text (e.g. a recommendation) another paper already gave nearly
        the same words, else `default`."""

    def add_text(self, type_name: str, iri: str, text: str) -> None:
        """Remember a node by its text, for `text_node` to find."""

    def final(self, r: Resolved, written: str | None) -> Resolved:
        """The node as the whole paper names it (its label, kind), and why `written` names it."""


@cache
def mapping() -> dict:
    return tomllib.loads(resources.files("govgraph.ingest").joinpath("mapping.toml").read_text("utf-8"))


@cache
def _template_fields(template: str) -> tuple[str, ...]:
    """The fields an IRI template names: 'meeting/{meeting}/item/{number}' -> meeting, number."""
    return tuple(name for _, name, _, _ in Formatter().parse(template) if name)


def digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def doc_iri(base: str, doc_id: str) -> URIRef:
    return URIRef(f"{base}doc/{doc_id}")


Triple = tuple[Node, Node, Node]


class Triples(set):
    """A document's triples: a set, not an rdflib Graph (filling a Graph costs ~10 µs a
    triple, most of the emitter's time; the store and the shape check take triples as
    they are), that also answers `(s, p, None) in triples`."""

    def __init__(self) -> None:
        super().__init__()
        self._stated: set[tuple[Node, Node]] = set()  # (s, p) of each triple added one by one
        self._evidence: dict[Node, frozenset[Node]] = {}  # an evidence node: the predicates it was made with

    def add(self, t: Triple) -> None:
        super().add(t)
        self._stated.add((t[0], t[1]))

    def update(self, *others: Iterable[Triple]) -> None:  # type: ignore[override]
        for triples in others:
            for t in triples:
                self.add(t)

    def add_evidence(self, ev: Node, predicates: frozenset[Node], triples: list[Triple]) -> None:
        """An evidence node's triples, all with subject `ev` and these predicates: a
        fact's ten triples are indexed as one entry."""
        super().update(triples)
        self._evidence[ev] = predicates

    def __contains__(self, t: object) -> bool:
        s, p, o = t  # type: ignore[misc]
        if o is not None:
            return super().__contains__(t)
        return (s, p) in self._stated or p in self._evidence.get(s, ())


class Emitter:
    """Builds one document's graph."""

    def __init__(self, base: str, extraction: Extraction, resolve: Resolver) -> None:
        self.base = base
        self.ex = extraction
        self.doc = doc_iri(base, extraction.doc_id)
        self.resolve = resolve
        self.g = Triples()
        self.named: list[tuple[Resolved, str | None, Span]] = []  # stated by `names`, once all are read
        self.evidenced: set[URIRef] = set()  # evidence nodes made: a fact stated again by its passage adds nothing

    # -- evidence -------------------------------------------------------------

    def fact(self, s: Node, p: URIRef, o: Node, span: Span) -> URIRef:
        """Add a triple and the passage that states it; returns the evidence node."""
        doc = self.doc
        first, last = span.first, span.last
        ev = URIRef(f"{doc}#ev-{digest(s, p, o, str(first), str(last), span.quote)}")  # terms are strings
        if ev in self.evidenced:
            return ev
        self.evidenced.add(ev)
        self.g.add((s, p, o))
        triples = [
            (ev, _TYPE, _EVIDENCE),
            (ev, _SUBJECT, s),
            (ev, _PREDICATE, p),
            (ev, _OBJECT, o),
            (ev, _DOCUMENT, doc),
            (ev, _LINE_START, _literal(first)),
            (ev, _LINE_END, _literal(last)),
            (ev, _QUOTE, _literal(span.quote)),
            (ev, _DERIVED_FROM, URIRef(f"{doc}#line={first - 1},{last}")),
        ]
        page = self.page_of(first)
        if page is not None:
            triples.append((ev, _PAGE, _literal(page)))
            triples.append((ev, _DERIVED_FROM, URIRef(f"{doc}#page={page}")))
        self.g.add_evidence(ev, _PAGED_EVIDENCE if page is not None else _EVIDENCE_PREDICATES, triples)
        return ev

    def page_of(self, line: int) -> int | None:
        """The page a line stands on in a paginated paper (PDF), else None."""
        pages = self.ex.pages
        if not pages or not 1 <= line <= len(pages):
            return None
        return pages[line - 1] or None

    # -- documents ------------------------------------------------------------

    def document(self, title: str, line_count: int, file_name: str) -> None:
        g = self.g
        g.add((self.doc, RDF.type, GG.Document))
        g.add((self.doc, DCTERMS.title, Literal(title)))
        g.add((self.doc, SKOS.prefLabel, Literal(title)))
        g.add((self.doc, GG.sourceFile, Literal(file_name)))
        g.add((self.doc, GG.lineCount, Literal(line_count)))
        if self.ex.date is not None:  # the day the paper speaks for, and where it says so
            self.fact(self.doc, DCTERMS.date, Literal(self.ex.date.value, datatype=XSD.date), self.ex.date.span)

    # -- records --------------------------------------------------------------

    def iri_for(self, type_name: str, values: dict[str, str], label: str) -> URIRef:
        """The IRI mapping.toml's template makes of a record's values (a value of the
        record named as one of the template's own fields wins) and its label."""
        template = mapping()[type_name]["iri"]
        fields: dict[str, str] = {}
        for name in _template_fields(template):  # only what the template uses is made
            if name in values:
                fields[name] = values[name] if name == "value" else slug(values[name])
            elif name == "doc":
                fields[name] = str(self.doc)
            elif name == "slug":
                fields[name] = slug(label)
            elif name == "hash":
                fields[name] = digest(_NON_WORD.sub(" ", label.lower()).strip())
        path = template.format(**fields)
        return URIRef(path if path.startswith("http") else self.base + path)

    def record(self, rec: object) -> URIRef | None:
        type_name = type(rec).__name__
        spec = mapping()[type_name]
        if spec.get("edge"):
            return self.edge(rec)
        label_cell: Cell = getattr(rec, spec["label"])
        if "node" in spec:
            # A thing named across papers (a strategy, a programme): the resolver gives its
            # one node, types and preferred label; another spelling becomes an altLabel with why.
            found = self.entity(getattr(rec, spec["node"]))
            if found is None:
                return None
            node = found
        else:
            scalar = {name: value.value for name in field_names(type(rec))
                      if isinstance(value := getattr(rec, name), Cell)}
            node = self.iri_for(type_name, scalar, label_cell.value)
            for cls in spec["class"]:
                self.fact(node, _TYPE, _term(cls), rec.span)  # type: ignore[attr-defined]
            self.fact(node, _PREF_LABEL, _literal(label_cell.value), label_cell.span)
            if "texts" in spec:  # found later by its text (a scheme's metric naming an indicator)
                self.resolve.add_text(spec["texts"], str(node), label_cell.value)
        self.fact(node, _DERIVED_FROM, self.doc, rec.span)  # type: ignore[attr-defined]
        for name, fspec in spec.get("fields", {}).items():
            value = getattr(rec, name)
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    self.link(node, fspec, item)
        return node

    def edge(self, rec: object) -> None:
        """A stated relation: both ends resolved, one triple with its evidence."""
        s = self.entity(rec.subject)  # type: ignore[attr-defined]
        o = self.entity(rec.object)  # type: ignore[attr-defined]
        if s is not None and o is not None and s != o:
            self.fact(s, _term(rec.predicate), o, rec.span)  # type: ignore[attr-defined]
        return None

    def link(self, node: URIRef, fspec: dict, item: object) -> None:
        p = _term(fspec["p"])
        if isinstance(item, Mention):
            target = self.entity(item)
            if target is None:
                return
            obj: Node = target
            span = item.span
        elif isinstance(item, Cell):
            obj = self.cell_object(fspec, item)
            span = item.span
        else:
            made = self.record(item)
            if made is None:
                return
            obj = made
            span = item.span  # type: ignore[attr-defined]
        if fspec.get("inverse"):
            ev = self.fact(obj, p, node, span)  # type: ignore[arg-type]
        else:
            ev = self.fact(node, p, obj, span)
        if isinstance(item, Alias) and item.reason:  # another name the paper gives it, and why
            self.g.add((ev, _MERGE_REASON, _literal(item.reason)))

    def cell_object(self, fspec: dict, cell: Cell) -> Node:
        if "iri" in fspec:
            t = fspec["iri"].replace("{doc}", str(self.doc)).replace("{value}", cell.value)
            return _term(t) if ":" in t and not t.startswith("http") else URIRef(t)
        if "node" in fspec:
            return self.cell_node(fspec["node"], cell)
        if fspec.get("type") == "date" and ISO.fullmatch(cell.value):
            return Literal(cell.value, datatype=XSD.date)
        return _literal(cell.value)

    def cell_node(self, type_name: str, cell: Cell) -> URIRef:
        spec = mapping()[type_name]
        node = self.iri_for(type_name, {}, cell.value)
        if spec.get("match"):
            node = self.resolve.text_node(type_name, cell.value, node)
        if "link_to" in spec:
            found = self.resolve.text_node(spec["link_to"], cell.value, node)
            if found != node:
                return found  # a node another record made (an indicator): link to it, its label its own
        for cls in spec["class"]:
            self.fact(node, _TYPE, _term(cls), cell.span)
        # A node a record already labelled otherwise (an indicator a scheme's metric names
        # in other capitals) keeps its label; this spelling is another.
        value = _literal(cell.value)
        labelled = (node, _PREF_LABEL, None) in self.g and (node, _PREF_LABEL, value) not in self.g
        self.fact(node, _ALT_LABEL if labelled else _PREF_LABEL, value, cell.span)
        if "value" in spec:
            self.fact(node, _term(spec["value"]), value, cell.span)
        return node

    # -- entities -------------------------------------------------------------

    def entity(self, m: Mention) -> URIRef | None:
        r = self.resolve(m)
        if r is None:
            return None
        self.describe(r, m)
        if m.role or m.organisation:
            self.membership(r.iri, m)
        return r.iri

    def describe(self, r: Resolved, m: Mention, written: bool = True) -> None:
        for t in r.types:
            self.fact(r.iri, _TYPE, t, m.span)
        # Its names wait for the whole paper: 'D Dawson' read first is 'Debbie Dawson' further on.
        self.named.append((r, m.text.strip() if written else None, m.span))
        if r.parent is not None:
            self.describe(r.parent, m, written=False)
            self.fact(r.iri, GG.partOf, r.parent.iri, m.span)

    def names(self) -> None:
        """Each node's label where the paper names it, and each other name it gives it with
        why: stated once every name is read, so the label is the fullest."""
        person = FOAF.Person
        for r, written, span in self.named:
            final = self.resolve.final(r, written)
            label = _literal(final.label)
            self.fact(r.iri, _PREF_LABEL, label, span)
            if person in r.types:
                self.fact(r.iri, FOAF.name, label, span)
            if written is not None and written != final.label:
                ev = self.fact(r.iri, _ALT_LABEL, _literal(written), span)
                if final.reason:
                    self.g.add((ev, _MERGE_REASON, _literal(final.reason)))
            if final.kind is not None:
                self.fact(r.iri, GG.organisationKind, final.kind, span)

    def membership(self, person: URIRef, m: Mention) -> None:
        org_iri = self.entity(m.organisation) if m.organisation else None
        key = f"{person}|{org_iri or ''}|{m.role or ''}"
        ms = URIRef(f"{self.base}membership/{digest(key)}")
        self.fact(ms, RDF.type, ORG.Membership, m.span)
        self.fact(ms, ORG.member, person, m.span)
        if org_iri is not None:
            self.fact(ms, ORG.organization, org_iri, m.span)
        if m.role:
            role = URIRef(f"{self.base}role/{slug(m.role)}")
            self.fact(role, RDF.type, ORG.Role, m.span)
            self.fact(role, SKOS.prefLabel, Literal(m.role), m.span)
            self.fact(ms, ORG.role, role, m.span)


def emit(base: str, extraction: Extraction, resolve: Resolver, line_count: int, file_name: str) -> set[Triple]:
    """The whole graph of one document, as a set of triples."""
    em = Emitter(base, extraction, resolve)
    em.document(extraction.title, line_count, file_name)
    for rec in extraction.records:
        em.record(rec)
    for person in extraction.people:
        em.entity(person)
    em.names()
    for ab in extraction.abbreviations:
        r = resolve.lookup(Mention(ab.long, "any", ab.span))
        if r is not None and ab.short != r.label:
            ev = em.fact(r.iri, SKOS.altLabel, Literal(ab.short), ab.span)
            em.g.add((ev, GG.mergeReason, Literal(ab.how)))
    return em.g

