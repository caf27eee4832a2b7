"""Any SPARQL 1.1 server as a store: the Protocol for queries, Update for writes.

    RemoteStore("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update")  # oxigraph serve
    RemoteStore("http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql")  # Virtuoso

Queries go as URL-encoded POSTs (every server takes them); a paper's graph is replaced
by one update request (`DROP SILENT GRAPH` then `INSERT DATA`), which a conforming
server applies atomically. Answers are normalised to the media type the caller asked
for, re-serialised by pyoxigraph when a server prefers another, so every store answers
alike. The server must treat its default graph as the union of the named graphs, as the
embedded store does (Oxigraph: `--union-default-graph`; Virtuoso does by default); a
server that does not is detected and named in the error.
"""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Collection, Sequence

import pyoxigraph as ox
from rdflib import Graph

from govgraph.errors import GovGraphError, QueryError, StoreError
from govgraph.graph.store import (
    DATASET_TYPES,
    GRAPH_TYPES,
    RESULTS_TYPES,
    QueryResponse,
    Triple,
    as_graph,
    looks_like_update,
)

_TIMEOUT_S = 120
_FORM = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)
_ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
_COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_NOT_AN_ENDPOINT = (404, 405, 406, 415)
# Formats servers get wrong at the edges are written here from one they get right, as the
# embedded store writes them: Virtuoso 7 quotes every CSV field, heads TSV columns without
# '?', and drops language tags from JSON-LD.
_WRITTEN_FROM = {"text/csv": "application/sparql-results+json",
                 "text/tab-separated-values": "application/sparql-results+json",
                 "application/ld+json": "application/n-triples"}
# Triples per INSERT DATA operation: Virtuoso's parser runs out of stack near 5,000.
_CHUNK = 2000


def replace_request(name: str, data: Graph | Collection[Triple], *, virtuoso: bool = False) -> str:
    """One update request: drop the graph, then insert its content in operations of
    at most _CHUNK triples (still one request, so applied as one on a conforming server).
    For Virtuoso, `sql:big-data-const 1` passes each block as data rather than SQL text,
    which it otherwise caps at 10,000 lines (about 2,000 triples)."""
    lines = as_graph(data).serialize(format="nt").splitlines()
    ops = [f"DROP SILENT GRAPH <{name}>"]
    for i in range(0, len(lines), _CHUNK):
        block = "\n".join(lines[i : i + _CHUNK])
        ops.append(f"INSERT DATA {{ GRAPH <{name}> {{\n{block}\n}} }}")
    prologue = "define sql:big-data-const 1\n" if virtuoso else ""
    return prologue + " ;\n".join(ops)


# Graphs a Virtuoso server holds for itself; they are not govgraph's, so graphs() and
# dump() leave them out (queries over the union default graph still see them). Two are
# named after the server's DefaultHost (http://localhost:8890/DAV/ and .../sparql).
_SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                  "http://www.w3.org/2002/07/owl#")
_SYSTEM_GRAPH_PATHS = re.compile(r"https?://[^/]+/(?:DAV/|sparql)")


def _system(graph: str) -> bool:
    return graph in _SYSTEM_GRAPHS or _SYSTEM_GRAPH_PATHS.fullmatch(graph) is not None


def query_form(sparql: str) -> str:
    """'solutions', 'boolean' or 'graph', from the query's form (comments and prologue skipped)."""
    m = _FORM.match(re.sub(r"(?m)#.*$", "", sparql))
    if m is None:
        return "solutions"  # let the server report the syntax error
    form = m.group(1).upper()
    return {"SELECT": "solutions", "ASK": "boolean"}.get(form, "graph")


def _term(b: dict) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = b["type"]
    if kind == "uri":
        return ox.NamedNode(b["value"])
    if kind == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if b.get("datatype"):
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


class RemoteStore:
    """A SPARQL server's query endpoint, with its update endpoint for writes."""

    def __init__(self, query_url: str, update_url: str | None = None, *, timeout_s: float = _TIMEOUT_S) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.timeout_s = timeout_s
        self._union_checked = False
        self._server = ""  # the Server header last seen, to recognise Virtuoso

    # ------------------------------------------------------------------ transport

    def _send(self, req: urllib.request.Request, *, writing: bool) -> tuple[bytes, str]:
        url = req.full_url.split("?")[0]
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
                self._server = resp.headers.get("Server", "")
                return resp.read(), resp.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:500]
            if writing and "permission" in detail.lower():
                raise StoreError(
                    f"{url}: the server does not let this account update ({exc.code}: {detail[:200]}) — "
                    'grant it (Virtuoso: isql-vt 1111 dba PASSWORD exec="GRANT SPARQL_UPDATE TO \\"SPARQL\\";")'
                ) from exc
            if exc.code in (401, 403):
                raise StoreError(
                    f"{url}: the server refused access ({exc.code}: {detail}) — "
                    + ("give the account the right to update (Virtuoso: grant SPARQL_UPDATE)" if writing
                       else "check the endpoint's access rules")
                ) from exc
            if exc.code in _NOT_AN_ENDPOINT:
                which = "update" if writing else "query"
                raise StoreError(
                    f"{url}: this is not a SPARQL {which} endpoint ({exc.code}) — check the URL "
                    "(Oxigraph: /query and /update; Fuseki: /DATASET/query and /DATASET/update; "
                    "Virtuoso: /sparql for both)"
                ) from exc
            if 400 <= exc.code < 500 and not writing:
                raise QueryError(f"{url}: the server refused the query ({exc.code}): {detail}") from exc
            what = "could not write" if writing else "failed answering"
            raise StoreError(f"{url}: the server {what} ({exc.code}): {detail}") from exc
        except (TimeoutError, socket.timeout) as exc:
            raise StoreError(
                f"{url}: the SPARQL server did not answer within {self.timeout_s:g} s — is it overloaded?"
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(
                f"{url}: cannot reach the SPARQL server ({reason}) — start it, or check the "
                "--store/--update URLs (GOVGRAPH_STORE, GOVGRAPH_UPDATE)"
            ) from exc

    def _query(self, sparql: str, accept: str, default_graphs=None, named_graphs=None) -> tuple[bytes, str]:
        data: dict[str, str | list[str]] = {"query": sparql}
        if default_graphs:
            data["default-graph-uri"] = list(default_graphs)
        if named_graphs:
            data["named-graph-uri"] = list(named_graphs)
        req = urllib.request.Request(
            self.query_url,
            data=urllib.parse.urlencode(data, doseq=True).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        return self._send(req, writing=False)

    def _rows(self, sparql: str) -> list[dict]:
        body, _ = self._query(sparql, "application/sparql-results+json")
        return json.loads(body)["results"]["bindings"]

    def _ask(self, sparql: str) -> bool:
        body, _ = self._query(sparql, "application/sparql-results+json")
        answer = json.loads(body)
        if "boolean" not in answer:  # e.g. Virtuoso run without its packaged virtuoso.ini
            raise StoreError(f"{self.query_url}: the server answered an ASK query without true or false "
                             "— check its SPARQL configuration (Virtuoso: start it with its packaged virtuoso.ini)")
        return bool(answer["boolean"])

    def _check_union(self) -> None:
        """Once the store holds data, check that its default graph sees the named graphs."""
        if self._union_checked:
            return
        if not self._ask("ASK { GRAPH ?g { ?s ?p ?o } }"):
            return  # nothing stored yet: nothing to check
        if not self._ask("ASK { ?s ?p ?o }"):
            raise StoreError(
                f"{self.query_url}: the server's default graph does not include the named graphs, "
                "so queries would find nothing — serve it as their union "
                "(oxigraph serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph true)"
            )
        self._union_checked = True

    # ------------------------------------------------------------------ the store protocol

    def _seen_virtuoso(self) -> bool:
        """Whether the last answer came from Virtuoso (by its Server header)."""
        return self._server.lower().startswith("virtuoso")

    def _is_virtuoso(self) -> bool:
        if not self._server:
            try:
                self._ask("ASK {}")
            except GovGraphError:
                pass  # the write itself will report the problem
        return self._seen_virtuoso()

    def replace_graph(self, name: str, data: Graph | Collection[Triple]) -> None:
        if not self.update_url:
            raise StoreError(
                f"{self.query_url}: no update endpoint — pass --update URL "
                "(Oxigraph: http://HOST:7878/update; Virtuoso: the same /sparql URL)"
            )
        try:
            request = replace_request(name, data, virtuoso=self._is_virtuoso())
        except Exception as exc:  # rdflib refuses to write a term N-Triples cannot hold
            raise StoreError(f"{self.update_url}: could not write graph <{name}>: {exc}") from exc
        req = urllib.request.Request(
            self.update_url,
            data=request.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8", "Accept": "*/*"},
        )
        self._send(req, writing=True)

    def query(
        self,
        sparql: str,
        *,
        results_type: str = "application/sparql-results+json",
        graph_type: str = "text/turtle",
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResponse:
        if looks_like_update(sparql):
            raise QueryError("updates are not allowed here — the store is read-only for queries")
        if not default_graphs:
            self._check_union()
        kind = query_form(sparql)
        results_type = results_type if results_type in RESULTS_TYPES else "application/sparql-results+json"
        graph_type = graph_type if graph_type in GRAPH_TYPES else "text/turtle"
        want = graph_type if kind == "graph" else results_type
        # Ask for what we want (or what it is written from); accept anything we can convert from.
        ask = _WRITTEN_FROM.get(want, want)
        others = GRAPH_TYPES if kind == "graph" else {t: f for t, f in RESULTS_TYPES.items() if t != "text/csv"}
        accept = ", ".join([ask] + [f"{t};q=0.5" for t in others if t != ask])
        body, media = self._query(sparql, accept, default_graphs, named_graphs)
        # Virtuoso writes even the asked format its own way (N-Triples with tabs, SPARQL
        # JSON with extra keys and spacing): rewritten too, so its bytes are the embedded store's.
        if media != want or self._seen_virtuoso():
            body = self._convert(body, media, want, kind)
        return QueryResponse(body, want, kind)

    def _convert(self, body: bytes, media: str, want: str, kind: str) -> bytes:
        try:
            if kind == "graph":
                src = GRAPH_TYPES.get(media) or ox.RdfFormat.from_media_type(media)
                if src is None:
                    raise ValueError(f"unknown RDF media type {media}")
                triples = (q.triple for q in ox.parse(body, format=src))
                return ox.serialize(triples, format=GRAPH_TYPES[want])
            src_r = RESULTS_TYPES.get(media)
            if src_r is None or src_r == ox.QueryResultsFormat.CSV:
                raise ValueError(f"cannot read results in {media}")
            return ox.parse_query_results(body, format=src_r).serialize(format=RESULTS_TYPES[want])
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"{self.query_url}: the server answered in {media}, which govgraph cannot convert to {want} ({exc})"
            ) from exc

    def graphs(self) -> list[str]:
        rows = self._rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(b["g"]["value"] for b in rows if b["g"]["type"] == "uri" and not _system(b["g"]["value"]))

    def dump(self, media_type: str) -> bytes:
        """Every quad, graph names kept: a SELECT over all named graphs, re-serialised."""
        fmt = DATASET_TYPES.get(media_type, ox.RdfFormat.N_QUADS)
        rows = self._rows(_ALL_QUADS)
        # Some servers cut every answer at a row limit (Virtuoso: ResultSetMaxRows,
        # 10,000 by default) without saying so: count, and page in a stable order if cut.
        total = int(self._rows(_COUNT_QUADS)[0]["n"]["value"])
        if len(rows) < total:
            page, rows = len(rows), []
            try:
                while len(rows) < total:
                    got = self._rows(f"{_ALL_QUADS} ORDER BY ?g ?s ?p ?o LIMIT {page} OFFSET {len(rows)}")
                    if not got:
                        break
                    rows.extend(got)
            except GovGraphError as exc:
                raise StoreError(
                    f"{self.query_url}: the server cut the dump at {page} of {total} quads and refused to "
                    "page past it — raise its row limit (Virtuoso: ResultSetMaxRows and MaxSortedTopRows "
                    f"in virtuoso.ini [SPARQL] and [Parameters]) ({exc})"
                ) from exc
        quads = [ox.Quad(_term(b["s"]), _term(b["p"]), _term(b["o"]), _term(b["g"]))
                 for b in rows if not _system(b["g"]["value"])]
        return ox.serialize(quads, format=fmt)

    def close(self) -> None:
        pass
