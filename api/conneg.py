"""Content negotiation: the Accept header, with a `format` parameter for links and
clients that cannot set headers.

A `format` parameter, when given, wins over Accept: it is the explicit choice a
download link or a SPARQLWrapper call makes (SPARQLWrapper sends both, consistently).
Without one, Accept decides by q-value, a specific type beating a wildcard; with
neither, SPARQL JSON for solutions and Turtle for graphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from govgraph.api.errors import ApiError
from govgraph.graph.store import GRAPH_TYPES, RESULTS_TYPES

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"

# Other names clients use for the same serialisations.
RESULTS_ALIASES = {
    "application/json": JSON,
    "application/xml": XML,
    "text/xml": XML,
}
GRAPH_ALIASES = {
    "application/x-turtle": TURTLE,
    "text/n3": TURTLE,
    "text/rdf+n3": TURTLE,
    "text/plain": NTRIPLES,
    "application/json": JSONLD,
    "application/xml": RDFXML,
    "text/xml": RDFXML,
}

# format=NAME -> (results media type, graph media type)
FORMATS: dict[str, tuple[str, str]] = {
    "json": (JSON, JSONLD),
    "xml": (XML, RDFXML),
    "csv": (CSV, TURTLE),
    "tsv": (TSV, TURTLE),
    "ttl": (JSON, TURTLE),
    "turtle": (JSON, TURTLE),
    "n3": (JSON, TURTLE),
    "nt": (JSON, NTRIPLES),
    "ntriples": (JSON, NTRIPLES),
    "n-triples": (JSON, NTRIPLES),
    "jsonld": (JSON, JSONLD),
    "json-ld": (JSON, JSONLD),
    "rdfxml": (XML, RDFXML),
    "rdf+xml": (XML, RDFXML),
    "rdf": (XML, RDFXML),
}
for _m in RESULTS_TYPES:
    FORMATS[_m] = (_m, TURTLE)
for _m in GRAPH_TYPES:
    FORMATS[_m] = (JSON, _m)
FORMATS["application/sparql-results+json"] = (JSON, JSONLD)
FORMATS["application/sparql-results+xml"] = (XML, RDFXML)

FORMAT_NAMES = sorted(k for k in FORMATS if "/" not in k)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, in the order given (parameters other than q dropped)."""
    out: list[tuple[str, float]] = []
    for part in (header or "").split(","):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(b[2:])))
                except ValueError:
                    q = 0.0
        out.append((media, q))
    return out


def _quality(offered: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """(q, specificity) of an offered type: the most specific matching range decides."""
    kind = offered.split("/")[0]
    best: tuple[int, float] | None = None
    for media, q in ranges:
        if media == offered:
            spec = 2
        elif media == f"{kind}/*":
            spec = 1
        elif media == "*/*":
            spec = 0
        else:
            continue
        if best is None or spec > best[0]:
            best = (spec, q)
    return (0.0, -1) if best is None else (best[1], best[0])


def choose(header: str | None, offered: list[str], aliases: dict[str, str] | None = None) -> tuple[str | None, bool]:
    """The best offered type for an Accept header, and whether the client named it
    specifically (not by a wildcard). (None, False) when nothing offered is acceptable.
    An absent header accepts the first offered type."""
    ranges = parse_accept(header)
    if not ranges:
        return offered[0], False
    # an alias (application/json) counts as the type it stands for
    if aliases:
        ranges = ranges + [(aliases[m], q) for m, q in ranges if m in aliases]
    best, best_key = None, (0.0, -1)
    for media in offered:
        q, spec = _quality(media, ranges)
        if q > 0 and (q, spec) > best_key:
            best, best_key = media, (q, spec)
    return best, best_key[1] == 2


@dataclass(frozen=True)
class Choice:
    results_type: str
    graph_type: str


@lru_cache(maxsize=256)  # clients send a handful of distinct headers; parsing them is per request
def negotiate_query(accept: str | None, fmt: str | None) -> Choice:
    """What to answer a SPARQL query in, for either kind of answer."""
    if fmt:
        # a name, a media type, or (as SPARQLWrapper sends for JSON-LD) a list of media types
        for key in (k.split(";")[0].strip().lower() for k in fmt.split(",")):
            if key in FORMATS:
                return Choice(*FORMATS[key])
        raise ApiError(400, "bad_parameter", f"unknown format {fmt!r} — use one of: {', '.join(FORMAT_NAMES)}")
    results, r_explicit = choose(accept, list(RESULTS_TYPES), RESULTS_ALIASES)
    graph, g_explicit = choose(accept, list(GRAPH_TYPES), GRAPH_ALIASES)
    if results is None and graph is None:
        raise ApiError(
            406,
            "not_acceptable",
            f"cannot answer in {accept!r} — results come as {', '.join(RESULTS_TYPES)}; graphs as {', '.join(GRAPH_TYPES)}",
        )
    # A client that names only result types still gets a graph for CONSTRUCT (and vice versa).
    return Choice(results or JSON, graph or TURTLE)
