"""GET /trace/{id}: the chain from an action up to every body it feeds, and across to the
outcomes and recommendations it serves, with the evidence (document, lines, quote) for
every hop.

SPARQL selects the upward edges (as graph/trace does); the walk is a breadth-first
search here, so each body's `hops` agrees with the `action-feeds` query (1 = the
action's own governance body). Works from any entity, not only actions: from a body it
shows the chain above that body.
"""

from __future__ import annotations

from collections import deque
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field
from rdflib import Literal, URIRef

from govgraph.api.errors import ApiError, responses
from govgraph.api.execute import Executor, rq
from govgraph.api.terms import Site, predicate_label, value

GG = "https://w3id.org/govgraph/ns#"


class Evidence(BaseModel):
    document: str
    page: str | None = Field(None, description="The document's page on this server.")
    lineStart: int | None
    lineEnd: int | None
    quote: str | None


class Node(BaseModel):
    iri: str
    label: str | None
    page: str | None


class Hop(BaseModel):
    """One edge of the chain, in the direction of the trace (`from` -> `to`)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Node = Field(alias="from")
    to: Node
    relation: str = Field(description="The relation as the paper states it, e.g. 'governed by', 'oversees'.")
    predicate: str
    stated: str = Field(description="How the graph states it: 'from -> to', or 'to -> from' (e.g. X oversees Y).")
    hops: int = Field(description="Shortest number of hops from the traced entity to `to`.")
    evidence: list[Evidence]


class Reach(BaseModel):
    body: Node
    hops: int


class Trace(BaseModel):
    entity: Node
    id: str | None
    title: str | None
    isAction: bool
    governance: list[Hop] = Field(description="Every edge up the governance chain, nearest first.")
    feeds: list[Reach] = Field(description="Every body or programme reached, with its distance.")
    outcomes: list[Hop] = Field(description="Outcomes and recommendations served, directly or via the theme.")


def _int(term) -> int | None:
    try:
        return int(term) if term is not None else None
    except ValueError:
        return None


class Tracer:
    def __init__(self, executor: Executor, site: Site) -> None:
        self.ex = executor
        self.site = site
        self._labels: dict[str, str | None] = {}

    def node(self, iri: str) -> Node:
        if iri not in self._labels:
            rows = self.ex.select(rq("labels"), {"node": URIRef(iri)}).rows
            self._labels[iri] = value(rows[0]["label"]) if rows else None
        return Node(iri=iri, label=self._labels[iri], page=self.site.page(iri))

    def evidence(self, s: str, p: str, o) -> list[Evidence]:
        obj = o if isinstance(o, Literal) else URIRef(str(o))
        rows = self.ex.select(rq("evidence"), {"s": URIRef(s), "p": URIRef(p), "o": obj}).rows
        return [
            Evidence(document=str(r["document"]), page=self.site.page(str(r["document"])),
                     lineStart=_int(r.get("lineStart")), lineEnd=_int(r.get("lineEnd")), quote=value(r.get("quote")))
            for r in rows
        ]

    def hop(self, frm: str, to: str, p: str, stated: bool, hops: int) -> Hop:
        ev = self.evidence(frm, p, to) if stated else self.evidence(to, p, frm)
        return Hop(**{"from": self.node(frm)}, to=self.node(to), relation=predicate_label(p), predicate=p,
                   stated="from -> to" if stated else "to -> from", hops=hops, evidence=ev)

    def trace(self, iri: URIRef) -> Trace:
        if not self.ex.select(rq("entity_exists"), {"e": iri}).rows[0]["boolean"].toPython():
            raise ApiError(404, "not_found", f"nothing in the graph is called <{iri}> — GET /actions lists actions")
        start = str(iri)
        one = self.ex.select(rq("action_one"), {"action": iri}).rows
        up: dict[str, list[tuple[str, str, bool]]] = {}
        for row in self.ex.select(rq("trace_edges")).rows:
            up.setdefault(str(row["child"]), []).append(
                (str(row["parent"]), str(row["p"]), bool(row["stated"].toPython())))
        dist = {start: 0}
        order = deque([start])
        edges: list[tuple[str, str, str, bool]] = []
        while order:
            child = order.popleft()
            for parent, p, stated in sorted(up.get(child, [])):
                if parent not in dist:
                    dist[parent] = dist[child] + 1
                    order.append(parent)
                edges.append((child, parent, p, stated))
        governance = [self.hop(c, par, p, st, dist[par]) for c, par, p, st in edges]
        governance.sort(key=lambda h: (h.hops, h.from_.iri, h.to.iri))
        feeds = sorted((Reach(body=self.node(n), hops=d) for n, d in dist.items() if n != start),
                       key=lambda r: (r.hops, r.body.label or r.body.iri))
        outcomes = []
        for row in self.ex.select(rq("trace_outcomes"), {"action": iri}).rows:
            frm, p, to = str(row["from"]), str(row["p"]), str(row["to"])
            hops = 1 if frm == start else 2
            outcomes.append(self.hop(frm, to, p, True, hops))
        outcomes.sort(key=lambda h: (h.hops, h.predicate, h.to.label or h.to.iri))
        return Trace(
            entity=self.node(start),
            id=value(one[0].get("id")) if one else None,
            title=value(one[0].get("title")) if one else None,
            isAction=bool(one),
            governance=governance,
            feeds=feeds,
            outcomes=outcomes,
        )


def router(executor: Executor, site: Site) -> APIRouter:
    r = APIRouter(tags=["REST"])

    @r.get(
        "/trace/{id:path}",
        response_model=Trace,
        summary="Trace an action up to its boards and outcomes, with evidence",
        description="`id` is the action's IRI, or its path under the base (e.g. "
        "`doc/000_bffd6dc40caf8094/action/1-1`). Every hop carries the passages that state it.",
        responses=responses(400, 404, 503),
    )
    def trace(id: Annotated[str, Path(description="IRI or path under the base of an action (or any entity).")]) -> Trace:
        return Tracer(executor, site).trace(site.iri(id))

    return r
