"""The interactive view: one self-contained HTML file, drawn by vis-network through pyvis.

pyvis holds the nodes and edges (as vis-network takes them) and our own template renders
them (never pyvis's stock one, which loads vis-network and Bootstrap from CDNs, and never
`write_html`, which drops a `lib/` folder in the working directory). The template inlines vis-network's standalone
build (viz/static, which also injects vis-network's CSS) and our own script and style,
so the file works offline, in an `<iframe>` and as an e-mail attachment. A
Content-Security-Policy with the hashes of those two scripts forbids every network fetch
and every other script. Paper text travels only as JSON in `application/json` blocks
(`<`, `>`, `&` and `'` escaped) and reaches the page through textContent and canvas.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from importlib import resources

from jinja2 import DictLoader, Environment, Template
from pyvis.network import Network

from govgraph.graph.views import GOVERNING, View
from govgraph.viz.style import KINDS, STATUSES, fill, font_colour, look, status_label, wrap


@cache
def _asset(folder: str, name: str) -> str:
    return resources.files("govgraph.viz").joinpath(folder, name).read_text("utf-8")


def vis_version() -> str:
    found = re.search(r"@version\s+(\S+)", _asset("static", "vis-network.min.js")[:2000])
    return found.group(1) if found else "unknown"


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


@cache
def csp() -> str:
    scripts = " ".join(_sha256(_asset("static", n)) for n in ("vis-network.min.js", "view.js"))
    return ("default-src 'none'; " f"script-src {scripts}; " "style-src 'unsafe-inline'; "
            "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")


def _options(view: View, big: bool) -> dict:
    common = {
        "interaction": {"hover": True, "tooltipDelay": 120, "multiselect": True,
                        "keyboard": {"enabled": True, "bindToWindow": False}},
        "nodes": {"font": {"size": 14, "face": "system-ui, DejaVu Sans, sans-serif"}, "borderWidth": 1},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
                  "color": {"color": "#718096", "highlight": "#1a202c", "hover": "#1a202c"},
                  "font": {"size": 10, "color": "#4a5568", "strokeWidth": 3, "align": "middle"},
                  "width": 1},
    }
    if view.direction:
        vertical = view.direction == "UD"
        common["layout"] = {"hierarchical": {
            "enabled": True, "direction": view.direction, "sortMethod": "directed",
            "levelSeparation": 150 if vertical else 320, "nodeSpacing": 190 if vertical else 46,
            "treeSpacing": 200, "blockShifting": not big, "edgeMinimization": not big,
            "parentCentralization": True, "shakeTowards": "roots"}}
        common["physics"] = {"enabled": False}
        common["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier",
                                     "forceDirection": "vertical" if vertical else "horizontal", "roundness": 0.4}
    else:
        common["layout"] = {"randomSeed": 7, "improvedLayout": not big}
        common["physics"] = {"enabled": True, "solver": "forceAtlas2Based",
                             "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 130, "avoidOverlap": 0.4},
                             "stabilization": {"enabled": True, "iterations": 250 if big else 400, "fit": True}}
        common["edges"]["smooth"] = {"enabled": True, "type": "continuous"}
    return common


def _cite(passages) -> list[dict]:
    return [{"cite": p.cite(), "quote": p.quote} for p in passages[:8]]


def _display_label(d: dict, big: bool) -> str:
    if d["kind"] == "action":
        return d.get("identifier") or "\n".join(wrap(d["label"], 22, 1)) if big else "\n".join(wrap(d["label"], 24, 2))
    return "\n".join(wrap(d["label"], 26, 3))


def _vis_node(n: str, d: dict, big: bool, focused: bool, ranked: bool) -> dict:
    """A node as vis-network takes it (the dict pyvis's add_node would make)."""
    lk = look(d["kind"])
    background = fill(d["kind"], d.get("status"))
    gg = {"label": d["label"], "kind": d["kind"], "subkind": d["subkind"], "status": d.get("status"),
          "statusLabel": status_label(d.get("status")) if d["kind"] == "action" else "",
          "identifier": d.get("identifier"), "due": d.get("due"), "evidence": _cite(d["evidence"]),
          "bodies": d.get("bodies", []), "themes": d.get("themes", []),
          "link": n if n.startswith(("http://", "https://")) and "#actions" not in n else None}
    if d["kind"] == "actions":
        gg["members"], gg["statuses"] = d["members"], d["statuses"]
    boxed = lk.vis_shape in ("box", "ellipse", "database")
    node = {"size": lk.size,
            "color": {"background": background, "border": "#1a202c" if focused else "#2d3748",
                      "highlight": {"background": background, "border": "#000000"},
                      "hover": {"background": background, "border": "#000000"}},
            "font": {"color": font_colour(d["kind"], d.get("status")) if boxed else "#1a202c"},
            "borderWidth": 4 if focused else 1, "gg": gg}
    if ranked and d["level"] is not None:
        node["level"] = d["level"]
    if boxed:
        node["widthConstraint"] = {"maximum": 200}
    node.update(id=n, label=_display_label(d, big) or n, shape=lk.vis_shape)
    return node


def build_network(view: View) -> Network:
    """The pyvis network of a view. Its node and edge dicts are built here and handed to
    pyvis whole: pyvis's add_node and add_edge look each id up in a list (quadratic at
    thousands of nodes), and draw nothing we do not set ourselves."""
    g = view.graph
    big = g.number_of_nodes() > 250
    net = Network(directed=True, cdn_resources="remote")
    nodes = g.nodes
    order = sorted(nodes, key=lambda n: (nodes[n]["level"] or 0, nodes[n]["kind"], nodes[n]["label"], n))
    focus = set(view.focus)
    for n in order:
        net.nodes.append(_vis_node(n, nodes[n], big, n in focus, bool(view.direction)))
    net.node_ids = order
    net.node_map = dict(zip(order, net.nodes))
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    show_labels = len(edges) <= 160
    for s, o, k, d in edges:
        label = d["label"] + (f" ×{d['count']}" if d["count"] > 1 else "")
        edge = {"dashes": bool(d["derived"]), "width": 1 + min(d["count"], 6) * 0.4 if d["count"] > 1 else 1,
                "gg": {"rel": k, "label": label, "derived": bool(d["derived"]), "count": d["count"],
                       "fromLabel": nodes[s]["label"], "toLabel": nodes[o]["label"], "evidence": _cite(d["evidence"])},
                "from": s, "to": o, "arrows": "to"}
        if show_labels:
            edge["label"] = label
        net.edges.append(edge)
    return net


def page_data(view: View) -> dict:
    g = view.graph
    kinds_present = [k for k in KINDS if any(d["kind"] == k for _n, d in g.nodes(data=True))]
    statuses_present = [s for s in STATUSES if any(d.get("status") == s for _n, d in g.nodes(data=True)
                                                   if d["kind"] in ("action", "actions"))]
    legend = [[look(k).name, look(k).colour, ""] for k in kinds_present if k not in ("action", "actions")]
    legend += [[f"Action: {STATUSES[s][0]}", STATUSES[s][1], ""] for s in statuses_present]
    if any(d["derived"] for _s, _o, d in g.edges(data=True)):
        legend.append(["Dashed arrow: inferred from a plan (lead reports on its work to the governing body)", "#ffffff", "dashed"])
    named = lambda kinds: sorted(([n, d["label"]] for n, d in g.nodes(data=True) if d["kind"] in kinds), key=lambda x: x[1])  # noqa: E731
    return {
        "options": _options(view, g.number_of_nodes() > 250),
        # The kind filter lists kinds by key (action, body, ...), as it always has.
        "kinds": {k: [look(k).name, look(k).colour] for k in sorted(kinds_present)},
        "statuses": {s: list(v) for s, v in STATUSES.items()},
        "presentStatuses": statuses_present,
        "bodies": named(GOVERNING), "themes": named({"theme"}),
        "legend": legend, "focus": view.focus,
    }


def pack(nodes: list[dict], edges: list[dict]) -> tuple[list[dict], list[dict], dict]:
    """The nodes and edges as the page carries them, for view.js's `unpack` to restore
    exactly: each IRI and each passage once. An edge's ends and a node's bodies and themes
    are numbers (a node's place in `nodes`, then `iris`), evidence numbers into
    `passages` ([cite, quote]); what follows from the rest is left out (a colour's
    highlight and hover, an edge's arrow and end labels, a node's link). A big view is
    half the size, and its JSON half the work."""
    ref = {n["id"]: i for i, n in enumerate(nodes)}
    iris: list[str] = []
    passages: dict[tuple[str, str], int] = {}

    def at(iri: str) -> int:
        if iri not in ref:
            ref[iri] = len(ref)
            iris.append(iri)
        return ref[iri]

    def cited(evidence: list[dict]) -> list[int]:
        return [passages.setdefault((p["cite"], p["quote"]), len(passages)) for p in evidence]

    out_nodes = []
    for n in nodes:
        gg = {k: v for k, v in n["gg"].items() if k != "link"}
        gg["bodies"], gg["themes"] = [at(b) for b in gg["bodies"]], [at(t) for t in gg["themes"]]
        gg["evidence"] = cited(gg["evidence"])
        out_nodes.append({**n, "color": {"background": n["color"]["background"], "border": n["color"]["border"]},
                          "gg": gg})
    out_edges = []
    for e in edges:
        gg = {k: v for k, v in e["gg"].items() if k not in ("fromLabel", "toLabel")}
        gg["evidence"] = cited(gg["evidence"])
        out_edges.append({**{k: v for k, v in e.items() if k != "arrows"}, "from": ref[e["from"]], "to": ref[e["to"]],
                          "gg": gg})
    return out_nodes, out_edges, {"iris": iris, "passages": [list(p) for p in passages]}


@cache
def _template() -> Template:
    """The page template, compiled once. Its JSON is compact and left unsorted: a big
    view's data is megabytes, and sorting and spacing it cost time and bytes for no reader."""
    env = Environment(loader=DictLoader({"view.html": _asset("templates", "view.html")}), autoescape=True)
    env.policies["json.dumps_kwargs"] = {"separators": (",", ":"), "ensure_ascii": False}
    return env.get_template("view.html")


def render_html(view: View, *, title: str, caption: str, date: str, version: str) -> str:
    net = build_network(view)
    nodes, edges, refs = pack(net.nodes, net.edges)
    return _template().render(
        nodes=nodes, edges=edges, data={**page_data(view), **refs},
        title=title, caption=caption, date=date, notes=view.notes, version=version,
        vis_version=vis_version(), csp=csp(),
        vis_js=_asset("static", "vis-network.min.js"), view_js=_asset("static", "view.js"),
        view_css=_asset("static", "view.css"),
        node_count=len(net.nodes), edge_count=len(net.edges),
    )
