"""The HTTP service: `create_app(settings, store)` builds it; no module-global app.

    /sparql            SPARQL 1.1 Protocol, query operation, read-only   (api/sparql.py)
    /queries, /bodies, /actions, /meetings, /indicators, /trace/{id}      (api/rest.py, api/trace.py)
    {base path}...     entity pages: HTML, Turtle, JSON-LD               (api/entities.py)
    /viz/{view}        embeddable views, rendered by the `views` hook the CLI passes in
    /, /query, /docs   browser pages; /openapi.json; /healthz

Every route only reads; every store call goes through one Executor (time limit, row
cap); every error has one JSON shape (api/errors.py); CORS is open so other sites can
embed and query.
"""

from __future__ import annotations

import contextlib
from datetime import date
from importlib import resources
from typing import Annotated, Callable

from fastapi import FastAPI, Path, Query
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from govgraph import __version__
from govgraph.api import entities, errors, local, pages, rest, sparql, trace
from govgraph.api.execute import TRUNCATED_HEADER, Executor
from govgraph.api.html import esc, page
from govgraph.api.terms import Site
from govgraph.graph.store import Store
from govgraph.settings import Settings

# (view, focus, depth, as_at) -> a self-contained HTML page. The CLI passes viz's
# renderer in, so api never imports viz (the layers contract keeps them side by side).
ViewRenderer = Callable[[str, "str | None", int, "date | None"], str]
VIEWS = ("governance", "dependencies", "focus")

# Views come from viz/ (pyvis): inline script and styles, nothing from another host.
CSP_VIEW = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors *"
)

DESCRIPTION = """\
A linked-data graph of how health and care boards, plans and actions connect, extracted
from board papers. Everything here is read-only.

* **SPARQL**: `GET|POST /sparql` speaks the SPARQL 1.1 Protocol; point SPARQLWrapper,
  rdflib's SPARQLStore or YASGUI at it. Open it in a browser for the query page.
* **REST**: the competency queries by name, and bodies, actions, meetings, indicators,
  and traces from an action to its boards and outcomes with evidence.
* **Entities**: every IRI the graph mints dereferences — HTML, Turtle or JSON-LD.

Every error is `{"error": {"status", "code", "message"}}`.
"""


# No request the public routes take is larger (a SPARQL query, a form); /_local takes a
# paper's graph and checks its token before it reads the body.
MAX_REQUEST_BYTES = sparql.MAX_QUERY_BYTES


class BodyLimit:
    """Refuse a body over `limit` bytes before reading it: at once when Content-Length
    says so (413 in the one error shape), and a chunked body is cut off just past the
    limit, so the route that reads it refuses it with no more than that in memory."""

    def __init__(self, app, limit: int = MAX_REQUEST_BYTES, exempt: str = "/_local/") -> None:
        self.app, self.limit, self.exempt = app, limit, exempt

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            resp = errors.error_response(413, "too_large", f"a request body may be at most {self.limit} bytes")
            await resp(scope, receive, send)
            return
        seen = 0

        async def capped():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    message = {**message, "more_body": False}
            return message

        await self.app(scope, capped, send)


class App(FastAPI):
    """FastAPI with /sparql answered first: a request there that names no Origin goes
    straight to the protocol handler, past every middleware (none of them would change
    its answer: CORS only adds Origin to Vary, which the handler does itself, and the
    handler keeps to the size limit). The rest, and /sparql with an Origin, go the
    usual way."""

    sparql: sparql.Protocol | None = None

    async def __call__(self, scope, receive, send) -> None:
        if (self.sparql is not None and scope["type"] == "http" and scope["path"] == "/sparql"
                and not any(k == b"origin" for k, _ in scope["headers"])):
            await self.sparql(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


class Health(BaseModel):
    status: str
    graphs: int


def _openapi(app: FastAPI) -> Callable[[], dict]:
    """FastAPI's schema, minus the 422 it documents by default: validation errors are
    answered with 400 in the one error shape."""
    original = app.openapi

    def build() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schema["paths"] = {"/sparql": sparql.openapi(), **schema.get("paths", {})}
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
        for ops in schema.get("paths", {}).values():
            for op in ops.values():
                if not isinstance(op, dict):
                    continue
                answers = op.setdefault("responses", {})
                if "422" in answers:
                    del answers["422"]
                    answers.setdefault("400", {"description": "Bad parameter"})
                for status, answer in answers.items():
                    if status[0] in "45":  # every error is the one JSON shape, whatever the route's type
                        answer["content"] = error
        comps = schema.get("components", {}).get("schemas", {})
        comps.pop("HTTPValidationError", None)
        comps.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    return build


def create_app(settings: Settings, store: Store, views: ViewRenderer | None = None,
               local_token: str | None = None, on_shutdown: Callable[[], None] | None = None,
               local_writer: str | None = None) -> FastAPI:
    """The service over `store`. `views`, when given, renders /viz/VIEW pages.
    `local_token`, when given, opens the store to govgraph's own commands on this
    machine that send it (api/local.py): the server then holds the store's only handle.
    `local_writer`, in a reader process (api/serving.py), is the URL of the process that
    holds it, where /_local requests are passed on.
    `on_shutdown` runs when the server stops, even on SIGTERM."""
    executor = Executor(store, settings.query_timeout_s, settings.row_cap)
    site = Site(settings.base)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        executor.close()
        if on_shutdown is not None:
            on_shutdown()

    app = App(
        title="govgraph",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.executor = executor
    app.state.settings = settings
    errors.install(app)
    # /sparql, the busiest path, is answered before routing (api/sparql.py): straight from
    # App.__call__, or (with an Origin) as the innermost middleware, inside CORS.
    app.sparql = sparql.Protocol(executor, pages.query_page)
    app.add_middleware(sparql.Endpoint, protocol=app.sparql)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=[TRUNCATED_HEADER],
        max_age=3600,
    )
    app.add_middleware(BodyLimit)
    static = resources.files("govgraph.api").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    routers = [
        pages.router(site.base_path),
        rest.router(executor, site),
        trace.router(executor, site),
    ]
    if local_token:
        routers.append(local.router(store, local_token))
    elif local_writer:
        routers.append(local.forwarder(local_writer))
    for router in routers:
        app.include_router(router)

    @app.get("/healthz", response_model=Health, tags=["Service"], summary="200 when the store answers",
             responses=errors.responses(503))
    def healthz() -> Health:
        executor.run(lambda: store.query("ASK { }"))
        return Health(status="ok", graphs=len(executor.run(store.graphs)))

    @app.get(
        "/viz/{view}",
        tags=["Views"],
        summary="An embeddable interactive view",
        description="A self-contained HTML page for an `<iframe>`: `governance`, `dependencies`, or `focus` "
        "(everything within `depth` hops of `focus`, an entity IRI or name). It loads nothing from any other host.",
        response_class=HTMLResponse,
        responses=errors.responses(400, 404, 503),
    )
    def viz(
        view: Annotated[str, Path(description="governance, dependencies or focus")],
        focus: Annotated[str | None, Query(description="Entity IRI, path or name to centre on.")] = None,
        depth: Annotated[int, Query(ge=0, le=6, description="Hops around the focus.")] = 2,
        as_at: Annotated[str | None, Query(
            pattern=rest.DAY, description="Draw the graph as at this day (YYYY-MM-DD): only what papers dated "
            "on or before it state.", json_schema_extra={"format": "date"})] = None,
    ) -> HTMLResponse:
        day = rest._day(as_at, "as_at")  # noqa: SLF001 - the one reading of a day the API has
        if view not in VIEWS:
            raise errors.ApiError(404, "not_found", f"no view {view!r} — choose one of: {', '.join(VIEWS)}")
        if view == "focus" and not focus:
            raise errors.ApiError(400, "bad_parameter", "the focus view needs ?focus=ENTITY")
        if views is not None:
            html = executor.run(lambda: views(view, focus, depth, day))
            return HTMLResponse(html, headers={"Content-Security-Policy": CSP_VIEW, "X-Content-Type-Options": "nosniff"})
        if view == "focus":
            # Without the viz renderer, the entity's own neighbourhood drawing stands in.
            ent = entities.load(executor, site.iri(focus or "", "body"))
            title = ent.label or ent.iri
            return page(f"{title} — govgraph", f"<h1>{esc(title)}</h1>" + entities.neighbourhood_svg(site, ent),
                        embeddable=True)
        raise errors.ApiError(404, "not_found", f"the {view!r} view needs the viz renderer, which this server was started without")

    # Last: with a base path of "/" the entity route would catch everything else.
    routers.append(entities.router(executor, site))
    app.include_router(routers[-1])
    errors.index_methods(app, routers)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    return app
