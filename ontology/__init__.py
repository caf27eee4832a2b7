"""The govgraph vocabulary and shapes, as packaged Turtle files."""

from __future__ import annotations

from functools import cache
from importlib import resources

from rdflib import Graph

NS = "https://w3id.org/govgraph/ns#"

PREFIXES = {
    "gg": NS,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "qb": "http://purl.org/linked-data/cube#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def read_text(name: str) -> str:
    return resources.files("govgraph.ontology").joinpath(name).read_text("utf-8")


@cache
def vocabulary() -> Graph:
    """Our terms (govgraph.ttl)."""
    return Graph().parse(data=read_text("govgraph.ttl"), format="turtle")


@cache
def shapes() -> Graph:
    """The SHACL shapes the built graph must pass (shapes.ttl)."""
    return Graph().parse(data=read_text("shapes.ttl"), format="turtle")


def expand(curie: str) -> str:
    """'gg:Action' -> full IRI."""
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIXES:
        raise KeyError(f"unknown prefix in {curie!r}")
    return PREFIXES[prefix] + local
