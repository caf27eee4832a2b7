"""Browser pages: the SPARQL query page (YASGUI, vendored) and the offline API docs."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from govgraph.api.html import esc, json_script, page
from govgraph.graph import queries


def examples() -> list[dict[str, str]]:
    """The competency queries, in the order the contract lists them by name."""
    out = []
    for name in queries.names():
        text = queries.load(name)
        out.append({"name": name, "question": queries.describe(text), "query": text})
    return out


def query_page() -> HTMLResponse:
    ex = examples()
    options = "".join(
        f'<option value="{esc(e["name"])}">{esc(e["name"])} — {esc(e["question"])}</option>' for e in ex
    )
    formats = " ".join(
        f'<a href="/sparql" data-format="{f}" class="download">{label}</a>'
        for f, label in (("csv", "CSV"), ("tsv", "TSV"), ("json", "JSON"), ("xml", "XML"), ("ttl", "Turtle"), ("jsonld", "JSON-LD"))
    )
    body = f"""
<h1>Query the graph</h1>
<div class="toolbar">
  <label>Competency question:
    <select id="examples"><option value="">— choose an example —</option>{options}</select></label>
  <span>Download the current query's answer: {formats}</span>
</div>
<p class="question" id="question"></p>
<div id="yasgui" data-endpoint="/sparql"></div>
<script type="application/json" id="example-data">{json_script(ex)}</script>
"""
    head = '<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">'
    return page("govgraph — SPARQL", body, head=head, scripts=("/static/yasgui/yasgui.min.js", "/static/query.js"))


def docs_page() -> HTMLResponse:
    body = '<div id="swagger-ui" data-openapi="/openapi.json"></div>'
    head = '<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">'
    return page(
        "govgraph — API", body, head=head,
        scripts=("/static/swagger-ui/swagger-ui-bundle.js", "/static/docs.js"),
    )


def home_page(base_path: str) -> HTMLResponse:
    rows = "".join(
        f'<tr><td><a href="/queries/{esc(e["name"])}">{esc(e["name"])}</a></td><td>{esc(e["question"])}</td>'
        f'<td><a href="/queries/{esc(e["name"])}?format=csv">CSV</a></td></tr>'
        for e in examples()
    )
    body = f"""
<h1>govgraph</h1>
<p>A linked-data graph of how boards, plans and actions connect, extracted from board papers.
Query it with SPARQL at <a href="/sparql">/sparql</a> (any SPARQL 1.1 client works), use the REST API
documented at <a href="/docs">/docs</a>, or follow an entity from <a href="/bodies">/bodies</a> to its page
under <span class="iri">{esc(base_path)}</span>.</p>
<h2>Competency questions</h2>
<table><thead><tr><th>query</th><th>question</th><th></th></tr></thead><tbody>{rows}</tbody></table>
"""
    return page("govgraph", body)


def router(base_path: str) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/", response_class=HTMLResponse)
    def home() -> HTMLResponse:
        return home_page(base_path)

    @r.get("/query", response_class=HTMLResponse)
    def query() -> HTMLResponse:
        return query_page()

    @r.get("/docs", response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return docs_page()

    return r
