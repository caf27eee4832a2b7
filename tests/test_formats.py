"""PDF and Word papers give the facts their text versions give.

Fixtures are made from the corpus: tests/fixtures/formats/writers.py writes each paper as
a PDF (reportlab: wrapped paragraphs, bold, bullets, real ruled tables with header rows
repeated on each page, a running header and page-numbered footer) and as a .docx
(python-docx: real tables, list styles, bold runs), named with the text paper's stem so
both give the same document IRI.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from fixtures.formats.writers import facts, write_docx, write_pdf
from govgraph.graph import queries
from govgraph.graph.build import ingest_paths
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from govgraph.ingest.source import read_source
from support import BASE, EXAMPLES, PLAN

PACK = EXAMPLES / "001_a1962bd04f6d0873.txt"
REVIEW = EXAMPLES / "003_d6604f90980adc01.txt"
PACK_LINES = 400  # the agenda, the minutes of the last meeting and a report's cover sheet


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Text, PDF and Word versions of the plan, the first pages of the meeting pack and the review."""
    out = tmp_path_factory.mktemp("formats")
    made: dict[str, Path] = {}
    pack = out / "text" / PACK.name
    pack.parent.mkdir()
    pack.write_text("\n".join(PACK.read_text("utf-8").splitlines()[:PACK_LINES]) + "\n", "utf-8")
    for name, text_path in (("plan", PLAN), ("pack", pack), ("review", REVIEW)):
        text = text_path.read_text("utf-8")
        made[f"{name}.txt"] = text_path
        made[f"{name}.pdf"] = write_pdf(text, out / f"{text_path.stem}.pdf", text_path.stem)
        if name != "review":
            (out / "docx").mkdir(exist_ok=True)
            made[f"{name}.docx"] = write_docx(text, out / "docx" / f"{text_path.stem}.docx")
    return made


@pytest.mark.parametrize("paper,suffix", [("plan", ".pdf"), ("plan", ".docx"), ("pack", ".pdf"), ("pack", ".docx"),
                                          ("review", ".pdf")])
def test_a_paper_as_pdf_or_docx_gives_the_facts_of_its_text(papers: dict[str, Path], paper: str, suffix: str) -> None:
    want, want_evidence = facts(papers[f"{paper}.txt"])
    got, got_evidence = facts(papers[f"{paper}{suffix}"])
    assert want, "the text paper should give facts"
    recall = len(want & got) / len(want)
    missing = sorted(str(t) for t in want - got)[:10]
    assert recall >= 0.95, f"{recall:.1%} of the text's facts; missing e.g. {missing}"
    assert len(got - want) <= 0.05 * len(want), sorted(str(t) for t in got - want)[:10]
    assert got_evidence >= 0.95 * want_evidence


def _actions(path: Path) -> list[tuple[str, ...]]:
    store = OxigraphStore(None)
    assert ingest_paths([path], store, BASE).ok
    result = select(store, queries.load("actions"))
    return sorted(tuple(str(row.get(c, "")) for c in result.columns) for row in result.rows)


def test_the_actions_query_answers_the_same_from_pdf_and_docx(papers: dict[str, Path]) -> None:
    want = _actions(papers["plan.txt"])
    assert len(want) == 34
    assert _actions(papers["plan.pdf"]) == want
    assert _actions(papers["plan.docx"]) == want


def test_pdf_lines_carry_their_page_and_drop_running_headers(papers: dict[str, Path]) -> None:
    src = read_source(papers["pack.pdf"])
    assert src.pages is not None and len(src.pages) == len(src.lines)
    assert list(src.pages) == sorted(src.pages) and src.pages[0] == 1
    stem = papers["pack.pdf"].stem
    assert not any(line.strip() == stem or re.fullmatch(r"Page \d+", line.strip()) for line in src.lines)
    assert not any("intentionally left blank" in line.lower() for line in src.lines)
    # The minutes start on a later page than the agenda, and evidence can say which.
    minutes = next(n for n, line in enumerate(src.lines, 1) if line.startswith("Minutes of the Meeting"))
    assert src.page(minutes) and src.page(minutes) > 1 and src.page(1) == 1


def test_tables_come_through_as_tab_rows(papers: dict[str, Path]) -> None:
    for suffix in (".pdf", ".docx"):
        lines = read_source(papers[f"plan{suffix}"]).lines
        header = [line for line in lines if line.startswith("Action No.\tAction required")]
        assert header, suffix
        assert len(header[0].split("\t")) == 9
        row = next(line for line in lines if line.startswith("1.1\t"))
        assert row.split("\t")[1] == "Develop a clear system strategy with a single supporting narrative for the whole system"


def test_ingest_speed_per_page(papers: dict[str, Path]) -> None:
    """PDF reading costs well under a second a page (measured ~0.1 s/page on 2 cores)."""
    t0 = time.perf_counter()
    src = read_source(papers["plan.pdf"])
    seconds = time.perf_counter() - t0
    pages = max(src.pages or [1])
    assert pages >= 10
    assert seconds / pages < 1.0, f"{seconds / pages:.2f} s/page"


def test_evidence_from_a_pdf_names_its_page(papers: dict[Path, Path]) -> None:
    from govgraph.graph.build import build_graph
    from govgraph.ontology.namespace import GG
    from rdflib import RDF
    from rdflib.namespace import PROV

    src = read_source(papers["plan.pdf"])
    g, _, _ = build_graph(src, "https://example.org/id/")
    evidence = list(g.subjects(RDF.type, GG.Evidence))
    paged = [ev for ev in evidence if g.value(ev, GG.page) is not None]
    assert len(paged) == len(evidence)
    for ev in paged[:200]:
        first = int(g.value(ev, GG.lineStart))
        page = int(g.value(ev, GG.page))
        assert page == src.page(first)
        assert any(str(o).endswith(f"#page={page}") for o in g.objects(ev, PROV.wasDerivedFrom))
