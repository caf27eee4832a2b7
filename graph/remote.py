"""Any SPARQL 1.1 server as a store: the Protocol for queries, Update for writes."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Sequence

from rdflib import Graph

from govgraph.errors import QueryError, StoreError
from govgraph.graph.store import GRAPH_TYPES, QueryResponse, looks_like_update, replace_update

_TIMEOUT_S = 120


class RemoteStore:
    """A SPARQL server's query endpoint, with its update endpoint for writes."""

    def __init__(self, query_url: str, update_url: str | None = None) -> None:
        self.query_url = query_url
        self.update_url = update_url

    def _post(self, url: str, data: dict[str, str | list[str]], accept: str) -> tuple[bytes, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        req = urllib.request.Request(
            url,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        try:
            with urllib.request.urlopen(req, timeout=_TIMEOUT_S) as resp:
                return resp.read(), resp.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            if 400 <= exc.code < 500:
                raise QueryError(f"{url}: the server refused the request ({exc.code}): {detail}") from exc
            raise StoreError(f"{url}: server error {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{url}: cannot reach the SPARQL server ({exc}) — is it running?") from exc

    def replace_graph(self, name: str, data: Graph) -> None:
        if not self.update_url:
            raise StoreError(
                f"{self.query_url}: no update endpoint — pass --update URL (e.g. Oxigraph's /update)"
            )
        self._post(self.update_url, {"update": replace_update(name, data)}, "*/*")

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
        data: dict[str, str | list[str]] = {"query": sparql}
        if default_graphs:
            data["default-graph-uri"] = list(default_graphs)
        if named_graphs:
            data["named-graph-uri"] = list(named_graphs)
        body, media = self._post(self.query_url, data, f"{results_type}, {graph_type};q=0.9")
        if media in GRAPH_TYPES:
            kind = "graph"
        elif b'"boolean"' in body[:200] or b"<boolean>" in body[:400]:
            kind = "boolean"
        else:
            kind = "solutions"
        return QueryResponse(body, media, kind)

    def graphs(self) -> list[str]:
        import json

        body, _ = self._post(
            self.query_url,
            {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"},
            "application/sparql-results+json",
        )
        return [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]

    def dump(self, media_type: str) -> bytes:
        body, _ = self._post(
            self.query_url,
            {"query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"},
            "application/n-triples",
        )
        return body

    def close(self) -> None:
        pass
