"""The SPARQL 1.1 Protocol, query operation, read-only: GET and POST /sparql.

    GET  /sparql?query=Q[&default-graph-uri=G]*[&named-graph-uri=G]*
    POST /sparql   application/x-www-form-urlencoded  query=Q&default-graph-uri=...
    POST /sparql   application/sparql-query           body Q, graph URIs in the URL

Updates (an `update` parameter, an application/sparql-update body, or update text in
`query`) are refused with 403 and change nothing. The default graph is the union of
every document's graph unless `default-graph-uri` names some.

This is the hot path, so it is bare ASGI (`Protocol`) that the app calls before any of
FastAPI's middleware or routing (api/app.py), which together cost more than the query:
it reads the request straight from the ASGI scope, awaits the query on the executor's
pool (one thread hop), and sends one head and one body, the store's bytes as they are
when the client wants SPARQL JSON. A request that names an Origin goes the long way,
through the CORS middleware, to the same `Protocol` (`Endpoint`). FastAPI cannot
document it, so `openapi()` writes its OpenAPI entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from govgraph.api.conneg import FORMAT_NAMES, HTML, choose, negotiate_query
from govgraph.api.errors import EXPECTED, ApiError, response_for, responses, unexpected
from govgraph.api.execute import TRUNCATED_HEADER, Executor
from govgraph.api.terms import is_iri

MAX_QUERY_BYTES = 1_000_000

# A query's answer as it goes out: the body, and its headers but Vary and Content-Length.
Answer = tuple[bytes, list[tuple[bytes, bytes]]]

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass
class ProtocolRequest:
    query: str | None = None
    update: bool = False
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None
    accept: str | None = None


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ApiError(400, "bad_request", f"give exactly one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


def _refuse_update() -> None:
    raise ApiError(
        403,
        "updates_refused",
        "this endpoint is read-only: SPARQL Update is refused — change the graph with 'govgraph ingest'",
    )


async def _body(receive: Receive, declared: str | None) -> bytes:
    """The request body, refused with 413 once it passes MAX_QUERY_BYTES: at once when
    Content-Length says so, else as soon as the chunks read pass it."""
    if declared is not None and declared.isdigit() and int(declared) > MAX_QUERY_BYTES:
        raise ApiError(413, "too_large", f"a request body may be at most {MAX_QUERY_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away: what came is all there is
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_QUERY_BYTES:
            raise ApiError(413, "too_large", f"a request body may be at most {MAX_QUERY_BYTES} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "bad_request", "the request body is not UTF-8 text") from None


def _form(body: bytes) -> dict[str, list[str]]:
    """application/x-www-form-urlencoded, every value of every field."""
    out: dict[str, list[str]] = {}
    try:
        pairs = parse_qsl(_text(body), keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise ApiError(400, "bad_request", "the form is not UTF-8 percent-encoded text") from None
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name, the first of repeated ones (as Starlette)."""
    out: dict[str, str] = {}
    for k, v in scope["headers"]:
        out.setdefault(k.decode("latin-1"), v.decode("latin-1"))
    return out


def _params(scope: Scope) -> dict[str, list[str]]:
    """The URL's parameters, every value of each, read as Starlette's QueryParams reads them."""
    out: dict[str, list[str]] = {}
    for k, v in parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True):
        out.setdefault(k, []).append(v)
    return out


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


async def read_protocol(scope: Scope, receive: Receive, headers: dict[str, str]) -> ProtocolRequest:
    """Parse a protocol request from the URL and (for POST) the body. Reading the body is
    the only async work; the query itself runs in a worker thread."""
    params = _params(scope)
    req = ProtocolRequest(
        default_graphs=params.get("default-graph-uri", []),
        named_graphs=params.get("named-graph-uri", []),
        format=_first(params.get("format")) or _first(params.get("output")) or None,
        accept=headers.get("accept"),
    )
    if "update" in params:
        _refuse_update()
    if scope["method"] != "POST":
        req.query = _one(params.get("query", []), "query")
        return req
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == FORM:
        form = _form(await _body(receive, headers.get("content-length")))
        if "update" in form:
            _refuse_update()
        req.query = _one(form.get("query", []) + params.get("query", []), "query")
        req.default_graphs = req.default_graphs + form.get("default-graph-uri", [])
        req.named_graphs = req.named_graphs + form.get("named-graph-uri", [])
        req.format = req.format or next(iter(form.get("format", []) + form.get("output", [])), None) or None
    elif ctype == SPARQL_QUERY:
        req.query = _text(await _body(receive, headers.get("content-length")))
    elif ctype == SPARQL_UPDATE:
        _refuse_update()
    else:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"POST a query as {FORM} (query=...) or as {SPARQL_QUERY}, not {ctype or 'an untyped body'}",
        )
    return req


_PARAMS = [
    {"name": "query", "in": "query", "required": True, "schema": {"type": "string"},
     "description": "The SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE). (A browser that sends none gets "
     "the query page instead.)"},
    {"name": "default-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
     "description": "Graphs whose union is the default graph (default: every graph)."},
    {"name": "named-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
     "description": "Graphs available to GRAPH patterns (default: every graph)."},
    {"name": "format", "in": "query", "required": False,
     "schema": {"type": "string", "enum": FORMAT_NAMES},
     "description": "Answer format, overriding Accept (for links and clients that cannot set headers)."},
]
_ANSWERS = {
    "200": {
        "description": "Solutions (SELECT/ASK) or a graph (CONSTRUCT/DESCRIBE), by Accept or `format`.",
        "content": {m: {"schema": {"type": "string"}} for m in (
            "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
            "text/tab-separated-values", "text/turtle", "application/n-triples",
            "application/ld+json", "application/rdf+xml", "text/html")},
    }
}
_POST_BODY = {
    "required": True,
    "content": {
        FORM: {"schema": {"type": "object", "required": ["query"], "properties": {
            "query": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
        }}},
        SPARQL_QUERY: {"schema": {"type": "string"}},
    },
}


class Protocol:
    """GET and POST /sparql as bare ASGI: the caller has checked the path."""

    def __init__(self, executor: Executor, query_page: Callable[[], Response]) -> None:
        self.executor, self.query_page = executor, query_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        # Without an Origin the CORS middleware only adds Origin to Vary: say so here too,
        # so that both ways give the same answer.
        vary_origin = "origin" not in headers
        try:
            answer = await self.handle(scope, receive, headers)
        except EXPECTED as exc:
            answer = response_for(exc)
        except Exception:  # noqa: BLE001 - FastAPI's error middleware is not around this path
            answer = unexpected()
        if isinstance(answer, Response):  # an error, or the query page
            if vary_origin:
                answer.headers.add_vary_header("Origin")
            await answer(scope, receive, send)
            return
        body, extra = answer
        extra.append((b"vary", b"Accept, Origin" if vary_origin else b"Accept"))
        extra.append((b"content-length", str(len(body)).encode("latin-1")))
        await send({"type": "http.response.start", "status": 200, "headers": extra})
        await send({"type": "http.response.body", "body": body})

    async def handle(self, scope: Scope, receive: Receive, headers: dict[str, str]) -> Response | Answer:
        method = scope["method"]
        if method not in ("GET", "HEAD", "POST"):
            raise ApiError(405, "method_not_allowed", f"{method} is not supported here — use GET or POST",
                           {"Allow": "GET, HEAD, POST"})
        req = await read_protocol(scope, receive, headers)
        if (method != "POST" and req.query is None
                and choose(req.accept, [HTML, "application/json"]) == (HTML, True)):
            return await run_in_threadpool(self.query_page)  # it reads the example queries' files
        return await self.answer(req)

    async def answer(self, req: ProtocolRequest) -> Answer:
        if req.query is None:
            raise ApiError(400, "bad_request", "missing 'query' — send a SPARQL query as the 'query' parameter")
        if not req.query.strip():
            raise ApiError(400, "bad_query", "the query is empty — send a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE")
        for name, graphs in (("default-graph-uri", req.default_graphs), ("named-graph-uri", req.named_graphs)):
            for g in graphs:
                if not is_iri(g):
                    raise ApiError(400, "bad_parameter", f"{name}: {g!r} is not an absolute IRI")
        choice = negotiate_query(req.accept, req.format)
        ex = self.executor
        key = (req.query, choice.results_type, choice.graph_type, tuple(req.default_graphs),
               tuple(req.named_graphs))
        ans = await ex.arun_timed(key, ex.job(req.query, choice.results_type, choice.graph_type,
                                              req.default_graphs, req.named_graphs))
        media = ans.media_type
        if media.startswith("text/") or media.endswith("+xml") or media.endswith("json"):
            media += "; charset=utf-8"
        headers = [(b"content-type", media.encode("latin-1"))]
        if ans.truncated:
            headers.append((TRUNCATED_HEADER.lower().encode("latin-1"),
                            f"answer cut to the first {ex.row_cap} rows".encode("latin-1")))
        return ans.body, headers


class Endpoint:
    """`Protocol` as the innermost middleware, for the requests the app sends through
    its middleware (those with an Origin: CORS answers them); every other path goes on
    to `app`."""

    def __init__(self, app: ASGIApp, protocol: Protocol) -> None:
        self.app, self.protocol = app, protocol

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql":
            await self.app(scope, receive, send)
            return
        await self.protocol(scope, receive, send)


def openapi() -> dict:
    """The OpenAPI path item for /sparql (error answers get the one error shape in app.py)."""
    errors = {str(status): {"description": answer["description"]}
              for status, answer in responses(400, 403, 406, 413, 415, 503).items()}
    return {
        "get": {
            "tags": ["SPARQL"],
            "summary": "SPARQL query (GET)",
            "description": "SPARQL 1.1 Protocol query operation via GET. Read-only.",
            "operationId": "sparql_get_sparql_get",
            "parameters": _PARAMS,
            "responses": {**_ANSWERS, **errors},
        },
        "post": {
            "tags": ["SPARQL"],
            "summary": "SPARQL query (POST)",
            "description": "SPARQL 1.1 Protocol query operation via POST, form-encoded or as "
            "application/sparql-query. An update is refused with 403.",
            "operationId": "sparql_post_sparql_post",
            "parameters": _PARAMS[1:],
            "requestBody": _POST_BODY,
            "responses": {**_ANSWERS, **errors},
        },
    }
