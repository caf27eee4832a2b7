"""The accessible equivalent of a view: the same entities and relations as tables.

`csv_bytes` gives one CSV (a row per relation, then a row per entity with no relation)
for spreadsheets; `html_table` gives a standalone HTML page with two captioned tables,
headers scoped for screen readers, every value escaped.
"""

from __future__ import annotations

import csv
import io
from html import escape

from govgraph.graph.views import View
from govgraph.viz.style import look, status_label

COLUMNS = ["from", "from_kind", "from_status", "relation", "to", "to_kind", "to_status",
           "derived", "count", "evidence", "from_iri", "to_iri"]


def _evidence(passages) -> str:
    return "; ".join(f"{p.cite()}: “{p.quote}”" for p in passages[:3])


def relation_rows(view: View) -> list[dict[str, str]]:
    g = view.graph
    rows = []
    # Ties in label fall back to the IRIs, so the rows never depend on the graph's order.
    for s, o, _k, d in sorted(g.edges(keys=True, data=True),
                              key=lambda e: (g.nodes[e[0]]["label"], e[2], g.nodes[e[1]]["label"], e[0], e[1])):
        a, b = g.nodes[s], g.nodes[o]
        rows.append({
            "from": a["label"], "from_kind": a["subkind"], "from_status": status_label(a.get("status")),
            "relation": d["label"], "to": b["label"], "to_kind": b["subkind"],
            "to_status": status_label(b.get("status")), "derived": "yes" if d["derived"] else "",
            "count": str(d["count"]), "evidence": _evidence(d["evidence"]),
            "from_iri": s if "#actions" not in s else "", "to_iri": o if "#actions" not in o else "",
        })
    for n, a in sorted(g.nodes(data=True), key=lambda x: (x[1]["label"], x[0])):
        if g.degree(n) == 0:
            rows.append({**{c: "" for c in COLUMNS}, "from": a["label"], "from_kind": a["subkind"],
                         "from_status": status_label(a.get("status")),
                         "evidence": _evidence(a["evidence"]), "from_iri": n})
    return rows


def csv_bytes(view: View) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for row in relation_rows(view):
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        w.writerow({k: ("'" + v if v[:1] in ("=", "+", "-", "@") else v) for k, v in row.items()})
    return buf.getvalue().encode("utf-8")


def _link(label: str, iri: str) -> str:
    if iri.startswith(("http://", "https://")):
        return f'<a href="{escape(iri)}">{escape(label)}</a>'
    return escape(label)


def html_table(view: View, title: str, caption: str) -> str:
    g = view.graph
    ents = sorted(g.nodes(data=True), key=lambda x: (x[1]["level"] if x[1]["level"] is not None else 0, x[1]["kind"],
                                                     x[1]["label"], x[0]))
    ent_rows = "\n".join(
        "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            _link(d["label"], n), escape(d["subkind"]), escape(status_label(d.get("status"))),
            escape(d.get("due") or ""), escape(_evidence(d["evidence"])))
        for n, d in ents)
    rel_rows = "\n".join(
        "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            escape(r["from"]), escape(r["relation"] + (" (inferred)" if r["derived"] else "")),
            escape(r["to"]), escape(r["count"]), escape(r["evidence"]))
        for r in relation_rows(view) if r["relation"])
    notes = "".join(f"<p>{escape(n)}</p>" for n in view.notes)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>body{{font:14px/1.4 system-ui,sans-serif;margin:1rem}}table{{border-collapse:collapse;margin:1rem 0}}
th,td{{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}}caption{{font-weight:bold;text-align:left}}</style>
</head><body><h1>{escape(title)}</h1><p>{escape(caption)}</p>{notes}
<table><caption>Entities ({len(ents)})</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Due</th><th scope="col">Source</th></tr></thead>
<tbody>
{ent_rows}
</tbody></table>
<table><caption>Relations</caption>
<thead><tr><th scope="col">From</th><th scope="col">Relation</th><th scope="col">To</th><th scope="col">Count</th><th scope="col">Source</th></tr></thead>
<tbody>
{rel_rows}
</tbody></table>
<p>Kinds: {escape(", ".join(sorted({look(d["kind"]).name for _n, d in ents})))}</p>
</body></html>
"""
