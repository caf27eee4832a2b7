"""Naming things for people: predicate labels, compact IRIs, local links, and turning
what a user typed (an IRI, a path under the base, a slug) into a checked IRI."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import RDFS, URIRef
from rdflib.term import Node

from govgraph.api.errors import ApiError
from govgraph.ontology import PREFIXES, vocabulary

WELL_KNOWN = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "kind",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#value": "text",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "also called",
    "http://www.w3.org/2004/02/skos/core#notation": "notation",
    "http://purl.org/dc/terms/title": "title",
    "http://purl.org/dc/terms/identifier": "identifier",
    "http://purl.org/dc/terms/date": "date",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "derived from",
    "http://www.w3.org/ns/org#member": "member",
    "http://www.w3.org/ns/org#organization": "organisation",
    "http://www.w3.org/ns/org#role": "role",
    "http://xmlns.com/foaf/0.1/name": "name",
    "https://schema.org/location": "place",
}

# Characters that can never stand in an IRI (RFC 3987) — and that would break out of <...>.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@cache
def _vocab_labels() -> dict[str, str]:
    g = vocabulary()
    out: dict[str, str] = {}
    for s, label in g.subject_objects(RDFS.label):
        out.setdefault(str(s), str(label))
    return out


def predicate_label(iri: str) -> str:
    return WELL_KNOWN.get(iri) or _vocab_labels().get(iri) or compact(iri)


def class_label(iri: str) -> str:
    return _vocab_labels().get(iri) or compact(iri)


def compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def value(term: Node | None) -> str | None:
    """A term as JSON: IRIs and literals as their string, unbound as None."""
    return None if term is None else str(term)


@dataclass(frozen=True)
class Site:
    """Where entities live: the base IRI they are minted under and the route path that
    serves them on this server."""

    base: str

    @property
    def base_path(self) -> str:
        path = urlsplit(self.base).path or "/"
        return path if path.endswith("/") else path + "/"

    def is_local(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def page(self, iri: str) -> str | None:
        """The site-relative link that dereferences a minted IRI (None for others)."""
        if not self.is_local(iri):
            return None
        rest = iri[len(self.base):]
        if "#" in rest:  # evidence nodes live on their document's page
            rest = rest.split("#", 1)[0]
        return self.base_path + rest

    def iri(self, ref: str, kind: str | None = None) -> URIRef:
        """An IRI from what a user gave: a full IRI, a path under the base, or (when
        `kind` is given) a bare slug such as 'health-and-wellbeing-board'."""
        ref = ref.strip()
        if re.match(r"^https?:/[^/]", ref):  # a proxy or client squashed '//' in a path
            ref = ref.replace(":/", "://", 1)
        if ref.startswith(("http://", "https://")):
            iri = ref
        elif ref.startswith(self.base_path.lstrip("/")) and self.base_path != "/":
            iri = self.base + ref[len(self.base_path.lstrip("/")):]
        elif kind and "/" not in ref:
            iri = f"{self.base}{kind}/{ref}"
        else:
            iri = self.base + ref.lstrip("/")
        if not ref or not is_iri(iri):
            # Not an IRI, so the graph cannot hold it: "not found", with a hint.
            raise ApiError(404, "not_found", f"{ref!r} names nothing in the graph: give an IRI or a path such as body/SLUG")
        return URIRef(iri)

    def try_iri(self, ref: str, kind: str | None = None) -> URIRef | None:
        """As `iri`, but None for text that cannot name an entity (a filter then matches nothing)."""
        try:
            return self.iri(ref, kind)
        except ApiError:
            return None


def is_iri(text: str) -> bool:
    """An absolute IRI the store accepts (checked by pyoxigraph's own parser)."""
    if _BAD_IRI.search(text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
