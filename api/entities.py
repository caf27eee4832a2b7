"""Entity pages: every IRI the graph mints under the base dereferences here.

    GET {base path}{rest}     e.g. /id/body/health-and-wellbeing-board

HTML for a browser (label, kind, every relation as a link, the evidence quotes with
document and lines, a drawing of its neighbourhood, an embed snippet); Turtle, JSON-LD,
N-Triples or RDF/XML by Accept (or `?format=`). 404 for an IRI the graph never uses.
The HTML is script-free and embeddable; every label is escaped.
"""

from __future__ import annotations

import math
from enum import Enum
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response
from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from govgraph.api.conneg import GRAPH_ALIASES, HTML, JSON, JSONLD, NTRIPLES, RDFXML, TURTLE, choose
from govgraph.api.errors import ApiError, responses
from govgraph.api.execute import Executor, rq
from govgraph.api.html import esc, page, safe_href
from govgraph.api.terms import Site, class_label, compact, predicate_label
from govgraph.graph.sparql import with_bindings

OFFERED = [TURTLE, HTML, JSONLD, NTRIPLES, RDFXML]
FORMATS = {"html": HTML, "ttl": TURTLE, "turtle": TURTLE, "jsonld": JSONLD, "json-ld": JSONLD,
           "nt": NTRIPLES, "ntriples": NTRIPLES, "rdfxml": RDFXML, "xml": RDFXML}
EntityFormat = Enum("EntityFormat", {k.replace("-", "_"): k for k in FORMATS}, type=str)
ALIASES = {**GRAPH_ALIASES, "application/xhtml+xml": HTML}
GG = "https://w3id.org/govgraph/ns#"
MAX_NEIGHBOURS = 20


@dataclass
class Link:
    predicate: str
    node: Node
    label: str | None


@dataclass
class EvidenceRow:
    predicate: str
    obj: Node
    document: str
    line_start: str | None
    line_end: str | None
    quote: str | None


@dataclass
class Entity:
    iri: str
    label: str | None
    kinds: list[str]
    out: list[Link]
    incoming: list[Link]
    evidence: list[EvidenceRow]


def load(executor: Executor, iri: URIRef) -> Entity:
    exists = executor.select(rq("entity_exists"), {"e": iri}).rows[0]["boolean"].toPython()
    if not exists:
        raise ApiError(404, "not_found", f"the graph says nothing about <{iri}> — see /bodies or /actions for entities")
    out: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for row in executor.select(rq("entity_out"), {"s": iri}).rows:
        key = (str(row["p"]), row["o"].n3())
        if key not in seen:
            seen.add(key)
            out.append(Link(str(row["p"]), row["o"], str(row["label"]) if "label" in row else None))
    incoming: list[Link] = []
    seen = set()
    for row in executor.select(rq("entity_in"), {"o": iri}).rows:
        key = (str(row["p"]), str(row["s"]))
        if key not in seen:
            seen.add(key)
            incoming.append(Link(str(row["p"]), row["s"], str(row["label"]) if "label" in row else None))
    evidence = [
        EvidenceRow(str(r["p"]), r["o"], str(r["document"]), _opt(r.get("lineStart")), _opt(r.get("lineEnd")),
                    _opt(r.get("quote")))
        for r in executor.select(rq("entity_evidence"), {"s": iri}).rows
    ]
    label = None
    for p in ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
              "http://xmlns.com/foaf/0.1/name", "http://purl.org/dc/terms/title"):
        label = next((str(link.node) for link in out if link.predicate == p), None)
        if label:
            break
    kinds = [str(link.node) for link in out if link.predicate == str(RDF.type)]
    return Entity(str(iri), label, kinds, out, incoming, evidence)


def _opt(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].split("#")[-1] or iri


# ---- HTML -------------------------------------------------------------------------


def node_html(site: Site, node: Node, label: str | None) -> str:
    if isinstance(node, Literal):
        text = esc(node)
        if node.datatype is not None:
            text += f' <span class="muted">({esc(compact(str(node.datatype)))})</span>'
        return text
    iri = str(node)
    shown = esc(label or compact(iri))
    href = site.page(iri) or safe_href(iri)
    return f'<a href="{href}">{shown}</a>' if href else shown


def neighbourhood_svg(site: Site, entity: Entity) -> str:
    """A small radial drawing: the entity in the middle, what it links to around it.
    Plain SVG with links, no script."""
    seen: dict[str, tuple[str, str, bool]] = {}
    for link in entity.out:
        if isinstance(link.node, URIRef) and link.predicate != str(RDF.type) and str(link.node) not in seen:
            seen[str(link.node)] = (link.label or _local_name(str(link.node)), predicate_label(link.predicate), True)
    for link in entity.incoming:
        if str(link.node) not in seen:
            seen[str(link.node)] = (link.label or _local_name(str(link.node)), predicate_label(link.predicate), False)
    items = list(seen.items())[:MAX_NEIGHBOURS]
    w, h, cx, cy = 760, 460, 380, 230
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
             f'aria-label="{esc("Neighbourhood of " + (entity.label or entity.iri))}">']
    rx, ry = 190, 185
    label_edges = len(items) <= 10
    for i, (iri, (label, rel, outward)) in enumerate(items):
        angle = 2 * math.pi * i / max(1, len(items)) - math.pi / 2
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        arrow = "→" if outward else "←"
        parts.append(f'<line class="edge" x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}">'
                     f'<title>{esc(rel)} {arrow}</title></line>')
        if label_edges:
            parts.append(f'<text class="edge-label" x="{(cx + x) / 2:.1f}" y="{(cy + y) / 2 - 3:.1f}" '
                         f'text-anchor="middle">{esc(_short(rel, 22))} {arrow}</text>')
        side = "middle" if abs(x - cx) < 30 else ("start" if x > cx else "end")
        tx = x + (0 if side == "middle" else (11 if side == "start" else -11))
        ty = y + (4 if side != "middle" else (-12 if y < cy else 20))
        href = site.page(iri) or safe_href(iri)
        node = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7"><title>{esc(label)} ({esc(rel)} {arrow})</title></circle>'
                f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{side}">{esc(_short(label))}</text>')
        parts.append(f'<a href="{href}">{node}</a>' if href else node)
    title = entity.label or _local_name(entity.iri)
    parts.append(f'<circle class="focus" cx="{cx}" cy="{cy}" r="11"><title>{esc(title)}</title></circle>'
                 f'<text x="{cx}" y="{cy + 26}" text-anchor="middle" font-weight="bold">{esc(_short(title, 40))}</text>')
    parts.append("</svg>")
    more = len(seen) - len(items)
    note = f'<p class="muted">and {more} more, listed below.</p>' if more > 0 else ""
    return '<div class="graph">' + "".join(parts) + "</div>" + note


def entity_page(site: Site, entity: Entity, origin: str) -> Response:
    title = entity.label or _local_name(entity.iri)
    kinds = ", ".join(esc(class_label(k)) for k in entity.kinds) or "entity"
    here = site.page(entity.iri) or ""
    rows_out = "".join(
        f"<tr><th>{esc(predicate_label(link.predicate))}</th><td>{node_html(site, link.node, link.label)}</td></tr>"
        for link in entity.out
    )
    rows_in = "".join(
        f"<tr><td>{node_html(site, link.node, link.label)}</td><th>{esc(predicate_label(link.predicate))}</th></tr>"
        for link in entity.incoming
    )
    labels = {str(link.node): link.label for link in entity.out if link.label}
    rows_ev = "".join(
        "<tr><td>{stmt}</td><td><blockquote>{quote}</blockquote></td><td>{doc}<br>{lines}</td></tr>".format(
            stmt=f"{esc(predicate_label(ev.predicate))}: {node_html(site, ev.obj, labels.get(str(ev.obj)))}",
            quote=esc(ev.quote or ""),
            doc=node_html(site, URIRef(ev.document), _local_name(ev.document)),
            lines=esc(f"line {ev.line_start}" if ev.line_start == ev.line_end else f"lines {ev.line_start}–{ev.line_end}"),
        )
        for ev in entity.evidence
    )
    embed_src = f"{origin.rstrip('/')}/viz/focus?focus={quote(entity.iri, safe='')}&depth=1"
    snippet = (f'<iframe src="{embed_src}" width="100%" height="520" style="border:0" '
               f'title="govgraph: {esc(title)}"></iframe>')
    trace = (f' · <a href="/trace/{esc(quote(entity.iri[len(site.base):], safe="/"))}">trace (JSON)</a>'
             if GG + "Action" in entity.kinds and site.is_local(entity.iri) else "")
    body = f"""
<h1>{esc(title)}</h1>
<p class="kind">{kinds}</p>
<p class="iri">{esc(entity.iri)}</p>
<p>As data: <a href="{esc(here)}?format=ttl">Turtle</a> · <a href="{esc(here)}?format=jsonld">JSON-LD</a>{trace}</p>
<h2>Neighbourhood</h2>
{neighbourhood_svg(site, entity)}
<h2>Statements</h2>
<table><tbody>{rows_out or '<tr><td class="muted">none</td></tr>'}</tbody></table>
<h2>Referred to by</h2>
<table><tbody>{rows_in or '<tr><td class="muted">nothing</td></tr>'}</tbody></table>
<h2>Evidence</h2>
<table><thead><tr><th>statement</th><th>quote</th><th>document</th></tr></thead>
<tbody>{rows_ev or '<tr><td class="muted" colspan="3">no passage cites this entity</td></tr>'}</tbody></table>
<h2>Embed this view</h2>
<pre class="snippet">{esc(snippet)}</pre>
"""
    return page(f"{title} — govgraph", body, embeddable=True, headers={"Vary": "Accept"})


# ---- route ------------------------------------------------------------------------


def router(executor: Executor, site: Site) -> APIRouter:
    r = APIRouter(tags=["Entities"])

    @r.get(
        site.base_path + "{path:path}",
        summary="An entity, as a page or as linked data",
        description=f"Dereferences every IRI minted under {site.base}: HTML for browsers; Turtle, JSON-LD, "
        "N-Triples or RDF/XML by Accept, or by `format`.",
        responses={**responses(400, 404, 406, 503), 200: {"content": {m: {} for m in OFFERED}}},
        response_class=Response,
    )
    def entity(
        request: Request,
        path: Annotated[str, Path(description="The IRI's path after the base, e.g. `body/health-and-wellbeing-board`.")],
        format: Annotated[EntityFormat | None, Query(description="html, ttl, jsonld, nt or rdfxml; overrides Accept.")] = None,
    ) -> Response:
        if format is not None:
            media = FORMATS[format.value]
        else:
            media, _ = choose(request.headers.get("accept"), OFFERED, ALIASES)
            if media is None:
                raise ApiError(406, "not_acceptable", f"entities come as {', '.join(OFFERED)}")
        if not path:
            raise ApiError(404, "not_found", "give an entity's path, e.g. body/SLUG — GET /bodies lists bodies")
        iri = site.iri(site.base + path)
        if media == HTML:
            return entity_page(site, load(executor, iri), str(request.base_url))
        exists = executor.select(rq("entity_exists"), {"e": iri}).rows[0]["boolean"].toPython()
        if not exists:
            raise ApiError(404, "not_found", f"the graph says nothing about <{iri}>")
        ans = executor.query(with_bindings(rq("entity_describe"), {"s": iri}), JSON, media)
        return Response(ans.body, media_type=f"{media}; charset=utf-8", headers={"Vary": "Accept"})

    return r
