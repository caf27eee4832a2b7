"""Views on the corpus, their print and table forms, and the file contract (no browser)."""

from __future__ import annotations

import csv
import gc
import html
import io
import re
import shutil
import struct
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from govgraph.errors import GovGraphError, QueryError
from govgraph.graph import views
from govgraph.viz import VIEWS, format_for, render_view, write_view
from govgraph.viz.printing import quote
from support import BASE
from test_viz_synthetic import HOSTILE, hostile, store_of

HWB = f"{BASE}body/health-and-wellbeing-board"
FORUM = f"{BASE}body/coventry-and-warwickshire-place-forum"
PLAN_DOC = f"{BASE}doc/000_bffd6dc40caf8094"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed (apt-get install graphviz)")


def test_public_names() -> None:
    assert VIEWS == ("governance", "dependencies", "focus")


def test_governance_shows_the_board_and_who_reports_to_it(corpus_store) -> None:
    g = views.governance(corpus_store).graph
    assert g.nodes[HWB]["label"] == "Health and Wellbeing Board"
    assert g.nodes[HWB]["level"] == 0  # top of the hierarchy
    reporting = {s for s, _o, k in g.in_edges(HWB, keys=True) if k in ("reportsTo", "accountableTo", "reportsOnPlan")}
    assert FORUM in reporting
    assert {f"{BASE}body/local-workforce-action-board", f"{BASE}body/digital-transformation-board"} <= reporting
    for s in reporting:
        assert g.nodes[s]["level"] > g.nodes[HWB]["level"]
    edge = g.edges[FORUM, HWB, "reportsOnPlan"]
    assert edge["derived"] and edge["evidence"], "an inferred relation still cites its passages"


def test_dependencies_trace_every_plan_action_to_boards_and_outcomes(corpus_store) -> None:
    g = views.dependencies(corpus_store).graph
    actions = [n for n in g if n.startswith(PLAN_DOC + "/action/")]
    assert len(actions) == 34
    for a in actions:
        reach = {g.nodes[n]["kind"] for n in views.nx.descendants(g, a)}
        assert "theme" in reach and "plan" in reach, a
        assert reach & {"body", "programme", "organisation"}, f"{a} reaches no governance body"
    a11 = f"{PLAN_DOC}/action/1-1"
    assert g.has_edge(a11, HWB, key="governedBy")
    assert any(g.nodes[o]["kind"] == "outcome" for o in g.successors(a11))
    assert g.nodes[a11]["status"] == "complete"
    assert g.nodes[a11]["level"] < g.nodes[HWB]["level"]
    outcome_levels = {g.nodes[n]["level"] for n in g if g.nodes[n]["kind"] == "outcome"}
    assert min(outcome_levels) > max(g.nodes[n]["level"] for n in g if g.nodes[n]["kind"] == "body")


@pytest.mark.parametrize("name", ["Health and Wellbeing Board", "health and wellbeing board", HWB, "body/health-and-wellbeing-board"])
def test_focus_on_a_body_by_label_or_iri(corpus_store, name: str) -> None:
    csv_text = render_view(corpus_store, "focus", focus=name, depth=1, base=BASE, fmt="csv").decode()
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    neighbours = {r["from_iri"] for r in rows if r["to_iri"] == HWB} | {r["to_iri"] for r in rows if r["from_iri"] == HWB}
    assert FORUM in neighbours
    assert {r["from_iri"] for r in rows} | {r["to_iri"] for r in rows} <= neighbours | {HWB, ""}


def test_focus_on_an_action(corpus_store) -> None:
    v = views.build(corpus_store, "focus", focus_on=f"{PLAN_DOC}/action/1-1", depth=1)
    assert v.focus == [f"{PLAN_DOC}/action/1-1"]
    assert HWB in v.graph and v.graph.nodes[HWB]["distance"] == 1
    by_title = views.build(corpus_store, "focus", focus_on="Develop a clear system strategy with a single "
                           "supporting narrative for the whole system", depth=1)
    assert f"{PLAN_DOC}/action/1-1" in by_title.focus


def test_user_errors_say_what_to_do(corpus_store) -> None:
    with pytest.raises(QueryError, match="did you mean 'Health and Wellbeing Board'"):
        render_view(corpus_store, "focus", focus="Health and Welbeing Bord", base=BASE)
    with pytest.raises(QueryError, match="needs --focus"):
        render_view(corpus_store, "focus", base=BASE)
    with pytest.raises(QueryError, match="choose one of: governance, dependencies, focus"):
        render_view(corpus_store, "map", base=BASE)
    with pytest.raises(QueryError, match="no entity in the store has the IRI"):
        render_view(corpus_store, "focus", focus=f"{BASE}body/nowhere", base=BASE)
    with pytest.raises(QueryError, match="--depth"):
        render_view(corpus_store, "focus", focus=HWB, depth=0, base=BASE)
    with pytest.raises(GovGraphError, match="end the file name"):
        format_for(Path("view.docx"))


def test_the_collector_is_paused_while_drawing_and_left_as_found(corpus_store) -> None:
    class Watching:  # records whether the cyclic collector runs while the store is read
        def __init__(self) -> None:
            self.running: list[bool] = []

        def query(self, sparql: str, **kw):
            self.running.append(gc.isenabled())
            return corpus_store.query(sparql, **kw)

    store = Watching()
    assert gc.isenabled()
    assert render_view(store, "dependencies", base=BASE).startswith(b"<!doctype html>")
    assert store.running and not any(store.running)
    assert gc.isenabled()
    with pytest.raises(QueryError):
        render_view(store, "focus", focus="Health and Welbeing Bord", base=BASE)
    assert gc.isenabled()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        views.build(store, "governance")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_fit_groups_actions_then_trims(corpus_store) -> None:
    v = views.build(corpus_store, "dependencies", limit=70)
    kinds = {d["kind"] for _n, d in v.graph.nodes(data=True)}
    assert "actions" in kinds
    themes = sum(1 for _n, d in v.graph.nodes(data=True) if d["kind"] == "theme")
    assert sum(1 for _n, d in v.graph.nodes(data=True) if d["kind"] == "action") <= themes  # only lone actions stay
    group = next(d for _n, d in v.graph.nodes(data=True) if d["kind"] == "actions")
    assert sum(group["statuses"].values()) == len(group["members"])
    assert v.graph.number_of_nodes() <= 70
    assert any("grouped by theme" in n for n in v.notes)


def test_write_view_is_atomic_and_picks_the_format(corpus_store, tmp_path: Path) -> None:
    out = tmp_path / "gov.html"
    write_view(corpus_store, "governance", out, base=BASE)
    write_view(corpus_store, "governance", tmp_path / "gov.csv", base=BASE)
    write_view(corpus_store, "governance", tmp_path / "gov.table.html", base=BASE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gov.csv", "gov.html", "gov.table.html"]
    assert out.read_bytes().startswith(b"<!doctype html>")
    assert b"<table>" in (tmp_path / "gov.table.html").read_bytes()
    with pytest.raises(GovGraphError, match="does not exist"):
        write_view(corpus_store, "governance", tmp_path / "missing" / "gov.html", base=BASE)
    assert not list(Path.cwd().glob("lib")), "pyvis's write_html would drop lib/ here"


def test_html_is_self_contained(corpus_store) -> None:
    page = render_view(corpus_store, "dependencies", base=BASE).decode()
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.I), "nothing is fetched"
    assert "cdnjs" not in page and "bootstrap" not in page.lower()
    assert "default-src 'none'" in html.unescape(page)
    assert "vis-network 10." in page and "Apache-2.0 or MIT" in page
    # Licence note vendored beside the library.
    static = Path(views.__file__).resolve().parent.parent / "viz" / "static"
    assert "Apache" in (static / "LICENSE-vis-network.txt").read_text() and "MIT" in (static / "LICENSE-vis-network.txt").read_text()


def test_labels_are_data_in_every_format() -> None:
    store = store_of(hostile(), "hostile")
    page = render_view(store, "governance", base=BASE).decode()
    for label in HOSTILE:
        assert label not in page  # never verbatim: < > & are escaped in JSON and HTML
    assert "<script>window.__pwned" not in page
    assert "\\u003cscript\\u003e" in page
    tbl = render_view(store, "governance", base=BASE, fmt="table").decode()
    assert "&lt;script&gt;window.__pwned" in tbl and "<script>" not in tbl
    assert "<img" not in tbl
    assert quote('a"b\\N') == '"a\\"b\\\\N"'


def test_csv_neutralises_formulas() -> None:
    from rdflib import RDF, Graph, Literal, URIRef
    from rdflib.namespace import SKOS

    g = Graph()
    b = URIRef(f"{BASE}body/f")
    g.add((b, RDF.type, views_ns("Board")))
    g.add((b, SKOS.prefLabel, Literal("=HYPERLINK(\"http://evil\")")))
    rows = list(csv.reader(io.StringIO(render_view(store_of(g, "f"), "governance", base=BASE, fmt="csv").decode())))
    assert rows[1][0].startswith("'=")


def views_ns(local: str):
    from rdflib import URIRef

    return URIRef(views.GG + local)


@needs_dot
def test_print_exports_are_real_files(corpus_store, tmp_path: Path) -> None:
    svg = render_view(corpus_store, "governance", base=BASE, fmt="svg", date="2026-01-31")
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    text = " ".join(t for t in root.itertext())
    assert "Health and Wellbeing" in text and "2026-01-31" in text and "source: papers" in text
    assert svg == render_view(corpus_store, "governance", base=BASE, fmt="svg", date="2026-01-31"), "deterministic"
    png = render_view(corpus_store, "focus", focus="Health and Wellbeing Board", base=BASE, fmt="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width > 600 and height > 100
    pdf = tmp_path / "deps.pdf"
    write_view(corpus_store, "dependencies", pdf, base=BASE)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "Pages:           1" in info
        w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert max(w, h) <= 842.5 and min(w, h) <= 596.5, "fits an A4 page"
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
        assert (tmp_path / "page.png").read_bytes()[:4] == b"\x89PNG"


@needs_dot
def test_print_escapes_labels() -> None:
    store = store_of(hostile(), "hostile")
    svg = render_view(store, "governance", base=BASE, fmt="svg")
    root = ElementTree.fromstring(svg)  # still well-formed XML
    text = " ".join(root.itertext())
    assert "<script>window.__pwned" in text  # shown as text …
    assert not root.findall(".//{http://www.w3.org/2000/svg}script")  # … never as an element
    assert b"\\N group" in svg or b"N group" in svg
