"""Static views for printed board packs: SVG, PDF and PNG from Graphviz's `dot`.

The layout is deterministic (nodes and edges are written in a sorted order, and dot
itself is deterministic), sized to an A4 page (portrait for a top-down hierarchy,
landscape for a left-to-right one), with the title, a legend, the date and a
"source: papers …" caption at the top. Every label is data: quoted-string labels have
backslashes and quotes escaped (so `\\N` or `"` in a paper cannot reach dot's syntax) and
the HTML-like header label is HTML-escaped.
"""

from __future__ import annotations

import shutil
import subprocess
from html import escape

from govgraph.errors import GovGraphError
from govgraph.graph.views import View
from govgraph.viz.style import STATUSES, fill, font_colour, look, status_label, wrap

A4 = (8.27, 11.69)
MARGIN = 0.4
FONT = "DejaVu Sans"
FORMATS = {"svg": "svg", "pdf": "pdf", "png": "png"}


def quote(text: str, *, lines: bool = False) -> str:
    """A DOT quoted string holding `text` literally; with `lines`, newlines become line breaks."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ")
    return '"' + body.replace("\n", "\\n" if lines else " ") + '"'


def _node_label(d: dict) -> str:
    lines = wrap(d["label"], 22, 3)
    if d["kind"] in ("action", "actions") and d.get("status"):
        if d["kind"] == "actions" and d.get("statuses"):
            lines.append(", ".join(f"{n} {status_label(s).lower()}" for s, n in sorted(d["statuses"].items())))
        else:
            lines.append(f"[{status_label(d['status'])}]")
    return "\n".join(lines)


def _header(view: View, title: str, caption: str, date: str) -> str:
    kinds = sorted({d["kind"] for _n, d in view.graph.nodes(data=True)})
    cells = []
    for k in kinds:
        lk = look(k)
        cells.append(f'<TD BGCOLOR="{lk.colour}" WIDTH="14"> </TD><TD ALIGN="LEFT">{escape(lk.name)} ({lk.dot_shape})</TD>')
    if any(k in ("action", "actions") for k in kinds):
        for s, (name, colour) in STATUSES.items():
            cells.append(f'<TD BGCOLOR="{colour}" WIDTH="14"> </TD><TD ALIGN="LEFT">Action: {escape(name)}</TD>')
    rows = ["<TR>" + "".join(cells[i:i + 3]) + "</TR>" for i in range(0, len(cells), 3)]
    lines_note = '<TR><TD COLSPAN="6" ALIGN="LEFT">Solid arrow: stated in a paper. Dashed arrow: inferred from a plan (lead → governing body).</TD></TR>'
    notes = "".join(f'<TR><TD COLSPAN="6" ALIGN="LEFT">{escape(n)}</TD></TR>' for n in view.notes)
    alone = sorted(d["label"] for n, d in view.graph.nodes(data=True) if view.graph.degree(n) == 0)
    if alone and view.direction:
        listed = "; ".join(alone[:40]) + (f"; and {len(alone) - 40} more" if len(alone) > 40 else "")
        notes += ('<TR><TD COLSPAN="6" ALIGN="LEFT" BALIGN="LEFT">'
                  + "<BR/>".join(escape(line) for line in wrap(f"Also named, with no relation drawn here: {listed}.", 110, 6))
                  + "</TD></TR>")
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">'
        f'<TR><TD COLSPAN="6" ALIGN="LEFT"><FONT POINT-SIZE="22"><B>{escape(title)}</B></FONT></TD></TR>'
        f'<TR><TD COLSPAN="6" ALIGN="LEFT">{escape(date)} · {escape(caption)}</TD></TR>'
        f'{"".join(rows)}{lines_note}{notes}</TABLE>>'
    )


def dot_source(view: View, title: str, caption: str, date: str, *, rankdir: str | None = None,
               landscape: bool | None = None) -> str:
    """The DOT text for a view, deterministic for the same view, title, caption and date.
    `rankdir` (TB or LR) and `landscape` default to the view's own direction."""
    g = view.graph
    rankdir = rankdir or ("LR" if view.direction == "LR" else "TB")
    landscape = (rankdir == "LR") if landscape is None else landscape
    width, height = (A4[1], A4[0]) if landscape else A4
    out = [
        "digraph govgraph {",
        f'  graph [rankdir={rankdir}, size="{width - 2 * MARGIN:.2f},{height - 2 * MARGIN:.2f}", '
        f'margin={MARGIN}, center=true, '
        f'fontname={quote(FONT)}, fontsize=12, labelloc=t, labeljust=l, nodesep=0.25, ranksep=0.5, '
        f'newrank=true, outputorder=edgesfirst];',
        f'  node [fontname={quote(FONT)}, fontsize=12, style="filled", penwidth=1, margin="0.08,0.04"];',
        f'  edge [fontname={quote(FONT)}, fontsize=9, color="#4a5568", arrowsize=0.7];',
        f"  label={_header(view, title, caption, date)};",
    ]
    drawn = [n for n in g.nodes if not (view.direction and g.degree(n) == 0)]
    order = sorted(drawn, key=lambda n: (g.nodes[n]["level"] if g.nodes[n]["level"] is not None else 0,
                                           g.nodes[n]["kind"], g.nodes[n]["label"], n))
    ids = {n: f"n{i}" for i, n in enumerate(order)}
    for n in order:
        d = g.nodes[n]
        lk = look(d["kind"])
        attrs = [f"label={quote(_node_label(d), lines=True)}", f"shape={lk.dot_shape}",
                 f"fillcolor={quote(fill(d['kind'], d.get('status')))}",
                 f"fontcolor={quote(font_colour(d['kind'], d.get('status')))}",
                 f"tooltip={quote(d['label'])}"]
        if d["kind"] == "action":
            attrs.append('style="rounded,filled"')
        if n.startswith(("http://", "https://")) and "#actions" not in n:
            attrs.append(f"URL={quote(n)}")
        if n in view.focus:
            attrs.append("penwidth=3")
        out.append(f"  {ids[n]} [{', '.join(attrs)}];")
    if view.direction:
        by_level: dict[int, list[str]] = {}
        for n in order:
            by_level.setdefault(g.nodes[n]["level"] or 0, []).append(ids[n])
        for level, members in sorted(by_level.items()):
            out.append(f"  {{ rank=same; {'; '.join(members)}; }}")
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], e[2]))
    for s, o, _k, d in edges:
        times = f"×{d['count']}" if d["count"] > 1 else ""
        # Inferred edges are many and alike: the legend names them, the count stays.
        label = times if d["derived"] else f"{d['label']} {times}".strip()
        style = "dashed" if d["derived"] else "solid"
        out.append(f"  {ids[s]} -> {ids[o]} [label={quote(label)}, style={style}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot(args: list[str], source: str) -> bytes:
    try:
        done = subprocess.run(args, input=source.encode("utf-8"), capture_output=True, timeout=300, check=False)
    except subprocess.TimeoutExpired as exc:
        raise GovGraphError("Graphviz took over 5 minutes — draw a smaller view (use --focus)") from exc
    if done.returncode != 0 or not done.stdout:
        raise GovGraphError(f"Graphviz failed: {done.stderr.decode('utf-8', 'replace').strip()[:300]}")
    return done.stdout


def best_source(exe: str, view: View, title: str, caption: str, date: str) -> str:
    """The page set-up that prints largest on A4: the view's own direction first, turned
    (top-down <-> left-to-right) or on a landscape page only when that prints it at least
    a quarter larger. dot is deterministic, so the choice is too."""
    natural = "LR" if view.direction == "LR" else "TB"
    candidates = [(natural, natural == "LR"), (natural, natural != "LR")]
    if view.direction:
        other = "TB" if natural == "LR" else "LR"
        candidates += [(other, other == "LR"), (other, other != "LR")]
    best, best_scale = None, 0.0
    for rankdir, landscape in candidates:
        src = dot_source(view, title, caption, date, rankdir=rankdir, landscape=landscape)
        plain = _dot([exe, "-Tplain", "-Gsize=1000,1000"], src).split(b"\n", 1)[0].split()
        w, h = float(plain[2]), float(plain[3])
        pw, ph = (A4[1], A4[0]) if landscape else A4
        scale = min(1.0, (pw - 2 * MARGIN) / w, (ph - 2 * MARGIN) / h)
        if best is None or scale > best_scale * 1.25:
            best, best_scale = src, scale
    assert best is not None
    return best


def render(view: View, fmt: str, title: str, caption: str, date: str) -> bytes:
    """Run dot; raises GovGraphError when Graphviz is missing or fails."""
    if fmt not in FORMATS:
        raise GovGraphError(f"cannot print a view as {fmt!r} — choose svg, pdf or png")
    exe = shutil.which("dot")
    if exe is None:
        raise GovGraphError(
            "Graphviz's 'dot' is not installed, so .svg/.pdf/.png views cannot be drawn — "
            "install it (Debian: apt-get install graphviz) or write an .html view instead"
        )
    args = [exe, f"-T{FORMATS[fmt]}"]
    if fmt == "png":
        args.append("-Gdpi=150")
    return _dot(args, best_source(exe, view, title, caption, date))
