"""Routes for govgraph's own commands on this machine, while the server holds the store.

`govgraph serve` holds the embedded store's only handle (see graph/served.py); the CLI's
`ingest`, `query`, `validate`, `export` and `viz` reach the store through these routes.
They answer only a loopback client that sends the token the server wrote into the
store's folder (readable by its owner only); to anyone else they do not exist (404).
They are left out of the OpenAPI document: they are not the public API.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request

from fastapi import APIRouter, Request, Response
from rdflib import Graph
from starlette.concurrency import run_in_threadpool

from govgraph.api.errors import ApiError
from govgraph.errors import QueryError
from govgraph.graph.served import KIND_HEADER, LOCAL_PREFIX, TOKEN_HEADER
from govgraph.graph.store import DATASET_TYPES, Store

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
MAX_GRAPH_BYTES = 512 * 1024 * 1024


def router(store: Store, token: str) -> APIRouter:
    r = APIRouter(prefix=LOCAL_PREFIX, include_in_schema=False)

    def check(request: Request) -> None:
        client = request.client.host if request.client else ""
        sent = request.headers.get(TOKEN_HEADER, "")
        if client not in LOOPBACK or not secrets.compare_digest(sent.encode(), token.encode()):
            raise ApiError(404, "not_found", "no such page")

    @r.post("/query")
    async def query(request: Request) -> Response:
        check(request)
        form = urllib.parse.parse_qs((await request.body()).decode("utf-8"), keep_blank_values=True)
        sparql = (form.get("query") or [""])[0]
        try:
            resp = await run_in_threadpool(
                store.query, sparql,
                results_type=(form.get("results_type") or ["application/sparql-results+json"])[0],
                graph_type=(form.get("graph_type") or ["text/turtle"])[0],
                default_graphs=form.get("default_graph") or None,
                named_graphs=form.get("named_graph") or None,
            )
        except QueryError as exc:
            raise ApiError(400, "bad_query", str(exc)) from exc
        return Response(resp.body, media_type=resp.media_type, headers={KIND_HEADER: resp.kind})

    @r.put("/graph")
    async def replace_graph(request: Request, name: str) -> Response:
        check(request)
        body = await request.body()
        if len(body) > MAX_GRAPH_BYTES:
            raise ApiError(413, "too_large", f"a paper's graph may be at most {MAX_GRAPH_BYTES} bytes")

        def write() -> None:
            g = Graph()
            g.parse(data=body, format="nt")  # parsed whole before the store is touched
            store.replace_graph(name, g)

        await run_in_threadpool(write)
        return Response(status_code=204)

    @r.get("/graphs")
    async def graphs(request: Request) -> Response:
        check(request)
        return Response(json.dumps(await run_in_threadpool(store.graphs)), media_type="application/json")

    @r.get("/dump")
    async def dump(request: Request, media_type: str = "application/n-quads") -> Response:
        check(request)
        media = media_type if media_type in DATASET_TYPES else "application/n-quads"
        return Response(await run_in_threadpool(store.dump, media), media_type=media)

    return r


def forwarder(writer_url: str) -> APIRouter:
    """The same routes in a reader process (api/serving.py): passed as they came to the
    writer, which holds the store and checks the token. A client not on this machine
    gets the same 404 as from the writer itself."""
    r = APIRouter(prefix=LOCAL_PREFIX, include_in_schema=False)

    @r.api_route("/{route:path}", methods=["GET", "POST", "PUT"])
    async def forward(request: Request, route: str) -> Response:
        client = request.client.host if request.client else ""
        if client not in LOOPBACK:
            raise ApiError(404, "not_found", "no such page")
        body = await request.body()
        query = request.url.query
        url = f"{writer_url}{LOCAL_PREFIX}/{route}" + (f"?{query}" if query else "")
        keep = {k: v for k, v in request.headers.items() if k.lower() in (TOKEN_HEADER.lower(), "content-type")}
        req = urllib.request.Request(url, data=body if request.method != "GET" else None, method=request.method,
                                     headers=keep)

        def send() -> tuple[int, bytes, dict[str, str]]:
            try:
                with urllib.request.urlopen(req, timeout=600) as resp:
                    return resp.status, resp.read(), dict(resp.headers.items())
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read(), dict(exc.headers.items())

        status, content, headers = await run_in_threadpool(send)
        passed = {k: v for k, v in headers.items() if k.lower() == KIND_HEADER.lower()}
        return Response(content, status_code=status, media_type=headers.get("Content-Type"), headers=passed)

    return r
