"""Every parser in ingest/ against hostile text and bytes (issue 7).

- Any text yields records, each span within the paper's lines, or a located
  `SourceError` — never another exception — from every extractor on its own (a bug in one
  is not hidden by another's returning early).
- Any bytes, under any suffix a folder walk picks up, give a paper or a `SourceError`.
- Long lines of one repeated shape (the shapes that were once quadratic) are read in
  linear time.
"""

from __future__ import annotations

import dataclasses
import importlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govgraph.errors import SourceError
from govgraph.graph.build import build_graph
from govgraph.ingest.records import Span
from govgraph.ingest.source import PAPER_SUFFIXES, Source, read_source, source_from_text

# Cue words of each kind of paper, so hypothesis reaches past the first `if`.
CUES = [
    # plans
    "Action No.", "Action", "Lead", "Governance Body", "From", "To", "Progress", "RAG", "Success measures",
    "1.1", "2.3.1", "Theme 1 – Things", "ACTION COMPLETE", "Red", "Amber", "revised to June 2019", "<p>x</p>",
    "Lead responsibility –", "Outcomes we will achieve:", "Page 3",
    # meetings and cover sheets
    "MINUTES", "Minutes of the Health and Wellbeing Board", "Present:", "Apologies:", "RESOLVED that",
    "Agenda", "Date:", "Venue:", "Report of", "Report to", "Report author", "Meeting closed",
    "Monday, 4 March 2019 at 2.00 pm", "Public report", "Recommendations:",
    # reviews, governance, glossary, people
    "Recommendation 1", "The Care Quality Commission", "reports to", "is accountable to", "is chaired by",
    "is a sub-group of", "oversees", "Health and Wellbeing Board (HWBB)", "CCG", "NHS England",
    "Cllr Jane Smith", "Dr A B Jones, Director of Public Health", "- Coventry City Council", " - Gail Quinton",
    # strategies, programmes, indicators
    "Strategy 2019-2024", "Programme", "Workstream", "Priority 1", "Objective", "Indicator", "2018/19",
    "Target", "Baseline", "Actual", "12.5%", "1,234",
    # hostile
    "", "**", "#", "<script>alert(1)</script>", "\u202e", "\x0b", "’", "–",
]
LINES = st.tuples(st.sampled_from(["\t", " ", ": "]), st.lists(st.sampled_from(CUES), max_size=9)).map(
    lambda t: t[0].join(t[1]))
TEXT = st.lists(st.one_of(LINES, st.text(max_size=60)), max_size=40).map("\n".join)


def _parsers() -> dict[str, object]:
    """Each extractor, called on its own: name -> function(Source) -> records."""
    from govgraph.ingest.cover import extract_reports
    from govgraph.ingest.glossary import abbreviations, people_lists, spelling_variants
    from govgraph.ingest.governance import relations
    from govgraph.ingest.meeting import extract_meetings
    from govgraph.ingest.people import mentions
    from govgraph.ingest.plan import extract_plan, plan_title
    from govgraph.ingest.review import extract_review

    found = {
        "plan": lambda src: extract_plan(src, frozenset(), []),
        "plan_title": plan_title,
        "meeting": extract_meetings,
        "cover": extract_reports,
        "review": lambda src: extract_review(src, plan_title(src)),
        "governance": relations,
        "glossary.abbreviations": abbreviations,
        "glossary.people_lists": people_lists,
        "people": lambda src: [m for n, line in enumerate(src.lines, 1) for m in mentions(line, Span(n, n, line))],
        "glossary.spelling_variants": lambda src: spelling_variants(src, {"Health and Wellbeing Board", "CCG"}),
    }
    optional = {  # modules that may not exist yet in every checkout
        "strategy": ("govgraph.ingest.strategy", "extract_strategies"),
        "programme": ("govgraph.ingest.programme", "extract_programmes"),
        "indicators": ("govgraph.ingest.indicators", "extract_indicators"),
    }
    for name, (module, fn) in optional.items():
        try:
            found[name] = getattr(importlib.import_module(module), fn)
        except (ImportError, AttributeError):
            pass
    return found


PARSERS = _parsers()


def spans(value: object) -> list[Span]:
    """Every Span inside records, nested records and lists of them."""
    if isinstance(value, Span):
        return [value]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in spans(v)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in spans(getattr(value, f.name))]
    return []


def check(name: str, src: Source) -> None:
    n = max(len(src.lines), 1)
    try:
        out = PARSERS[name](src)
    except SourceError as exc:  # a located error is an answer too
        assert exc.line is None or 1 <= exc.line <= n, exc
        return
    for sp in spans(out):
        assert 1 <= sp.first <= sp.last <= n, (name, sp)


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_any_text_gives_each_parser_records_in_range_or_a_located_error(name: str, text: str) -> None:
    check(name, source_from_text(text))


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_each_parser_reads_an_empty_paper(name: str) -> None:
    check(name, source_from_text(""))


# ---- bytes through the readers --------------------------------------------------------

PREFIXES = st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"<!DOCTYPE html><html>",
                            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"Action No.\tAction\tLead\n"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from(sorted(PAPER_SUFFIXES)), head=PREFIXES, body=st.binary(max_size=2000))
def test_any_bytes_under_any_suffix_give_a_paper_or_a_located_error(tmp_path: Path, suffix: str, head: bytes,
                                                                     body: bytes) -> None:
    f = tmp_path / f"paper{suffix}"
    f.write_bytes(head + body)
    try:
        src = read_source(f)
    except SourceError as exc:
        assert exc.path == str(f) and exc.problem
        return
    assert all(isinstance(line, str) for line in src.lines)
    if src.pages is not None:
        assert len(src.pages) == len(src.lines)


# ---- long lines in linear time ---------------------------------------------------------

# Shapes that once made a parser quadratic on one long line ('D D D ...': 126 s for 20 KB).
SHAPES = ["D", "D ", "Dd ", "Mr ", "Cllr ", "D\t", "(D", "D (", "A&", "1.", "Theme 1 ", "and ", "x" * 7 + " "]


@pytest.mark.parametrize("unit", SHAPES, ids=[repr(s) for s in SHAPES])
def test_a_long_line_of_one_shape_reads_in_linear_time(unit: str) -> None:
    def cost(size: int) -> float:
        src = source_from_text(unit * (size // len(unit)))
        started = time.perf_counter()
        build_graph(src, "https://example.org/id/")
        return time.perf_counter() - started

    small, big = cost(16_000), cost(64_000)
    assert big < 5, f"{big:.1f} s for 64 KB of {unit!r}"
    assert big < 8 * small + 0.5, f"{small:.2f} s for 16 KB but {big:.2f} s for 64 KB: worse than linear"
