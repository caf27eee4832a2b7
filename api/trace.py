"""GET /trace/{id}: the chain from an action up to every body it feeds, and across to the
outcomes and recommendations it serves, with the evidence (document, lines, quote) for
every hop.

SPARQL selects the edges above the entity; the walk is a breadth-first search here, so
each body's `hops` agrees with the `action-feeds` query (1 = the action's own
governance body). Works from any entity, not only actions: from a body it shows the
chain above that body.

The models below document the answer's shape. The route builds it as plain dicts in one
job on a worker and writes the JSON itself: per-node and per-hop queries, and pydantic
validating every answer, each cost more than the store's own work.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field
from rdflib import URIRef

from govgraph.api.errors import ApiError, responses
from govgraph.api.execute import Executor, rq
from govgraph.api.terms import Site, predicate_label
from govgraph.graph.sparql import select, term


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


def _int(b: dict | None) -> int | None:
    try:
        return int(b["value"]) if b is not None else None
    except ValueError:
        return None


def _text(b: dict | None) -> str | None:
    return None if b is None else b["value"]


class Tracer:
    """One trace, built on a worker thread in five queries whatever its size (the edges
    above the entity, what it serves, whether it is an action, then every label and
    every passage at once), as plain dicts in the `Trace` schema's shape."""

    def __init__(self, executor: Executor, site: Site) -> None:
        self.ex = executor
        self.site = site

    def node(self, iri: str, labels: dict[str, str]) -> dict:
        return {"iri": iri, "label": labels.get(iri), "page": self.site.page(iri)}

    def labels(self, nodes: list[str]) -> dict[str, str]:
        """Each node's best label: the lowest rank, then the first in order."""
        best: dict[str, tuple[int, str]] = {}
        for row in self.ex.rows(rq("labels"), [{"node": URIRef(n)} for n in nodes]):
            node, ranked = row["node"]["value"], (int(row["rank"]["value"]), row["label"]["value"])
            if node not in best or ranked < best[node]:
                best[node] = ranked
        return {node: label for node, (_, label) in best.items()}

    def evidence(self, triples: list[tuple[str, str, dict]]) -> dict[tuple[str, str, str], list[dict]]:
        """The passages stating each (subject, predicate, object) triple, by document and line."""
        out: dict[tuple[str, str, str], list[dict]] = {}
        if not triples:
            return out
        bound = [{"s": URIRef(s), "p": URIRef(p), "o": term(o)} for s, p, o in triples]
        for r in self.ex.rows(rq("evidence"), bound):
            doc = r["document"]["value"]
            out.setdefault((r["s"]["value"], r["p"]["value"], r["o"]["value"]), []).append({
                "document": doc, "page": self.site.page(doc), "lineStart": _int(r.get("lineStart")),
                "lineEnd": _int(r.get("lineEnd")), "quote": _text(r.get("quote"))})
        return out

    def trace(self, iri: URIRef) -> dict:
        start = str(iri)
        one = self.ex.rows(rq("action_one"), {"action": iri})
        up: dict[str, list[tuple[str, str, bool]]] = {}
        for row in self.ex.rows(rq("trace_edges"), {"start": iri}):
            # Virtuoso 7 gives BIND(true AS ?stated) back as the integer 1.
            up.setdefault(row["child"]["value"], []).append(
                (row["parent"]["value"], row["p"]["value"], row["stated"]["value"] in ("true", "1")))
        outs = self.ex.rows(rq("trace_outcomes"), {"action": iri})
        # Breadth first, so each body's `hops` agrees with the action-feeds query.
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
        served = [(r["from"]["value"], r["p"]["value"], r["to"]) for r in outs]
        nodes = list(dict.fromkeys([*dist, *(f for f, _, _ in served), *(t["value"] for _, _, t in served)]))
        labels = self.labels(nodes)
        if not (one or edges or served or labels) and not self._exists(iri):
            raise ApiError(404, "not_found", f"nothing in the graph is called <{iri}> — GET /actions lists actions")
        # A hop's evidence is for the triple as the graph states it (X oversees Y: to -> from).
        triples = [(c, p, {"type": "uri", "value": par}) if st else (par, p, {"type": "uri", "value": c})
                   for c, par, p, st in edges]
        triples += served
        passages = self.evidence(list({(s, p, o["value"]): (s, p, o) for s, p, o in triples}.values()))

        def hop(frm: str, to: str, p: str, stated: bool, hops: int) -> dict:
            s, o = (frm, to) if stated else (to, frm)
            return {"from": self.node(frm, labels), "to": self.node(to, labels), "relation": predicate_label(p),
                    "predicate": p, "stated": "from -> to" if stated else "to -> from", "hops": hops,
                    "evidence": passages.get((s, p, o), [])}

        governance = [hop(c, par, p, st, dist[par]) for c, par, p, st in edges]
        governance.sort(key=lambda h: (h["hops"], h["from"]["iri"], h["to"]["iri"]))
        feeds = [{"body": self.node(n, labels), "hops": d} for n, d in dist.items() if n != start]
        feeds.sort(key=lambda r: (r["hops"], r["body"]["label"] or r["body"]["iri"]))
        outcomes = [hop(f, t["value"], p, True, 1 if f == start else 2) for f, p, t in served]
        outcomes.sort(key=lambda h: (h["hops"], h["predicate"], h["to"]["label"] or h["to"]["iri"]))
        return {
            "entity": self.node(start, labels),
            "id": _text(one[0].get("id")) if one else None,
            "title": _text(one[0].get("title")) if one else None,
            "isAction": bool(one),
            "governance": governance,
            "feeds": feeds,
            "outcomes": outcomes,
        }

    def _exists(self, iri: URIRef) -> bool:
        return bool(select(self.ex.store, rq("entity_exists"), {"e": iri}).rows[0]["boolean"].toPython())


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
    async def trace(id: Annotated[str, Path(description="IRI or path under the base of an action (or any entity).")],
                    ) -> Response:
        iri = site.iri(id)
        # The whole trace, JSON included, is one job on a worker: one hop, one time limit.
        body = await executor.arun(lambda: _json(Tracer(executor, site).trace(iri)))
        return Response(body, media_type="application/json")

    return r


def _json(data: dict) -> bytes:
    """As FastAPI's JSONResponse writes it (the `Trace` model documents the shape)."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
