"""Property tests: any text yields records or a located error, never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govgraph.graph.build import build_graph
from govgraph.ingest.extract import extract
from govgraph.ingest.source import source_from_text
from govgraph.ontology.namespace import GG

CELLS = st.sampled_from(["Action No.", "Action", "Lead", "Governance Body", "From", "To", "Progress", "RAG",
                         "1.1", "2.3", "Theme 1 – Things", "ACTION COMPLETE", "Red", "**", "<p>", "March 2019",
                         "revised to June 2019", "", "HWBB", "Dr A B", "Council"])
LINES = st.lists(CELLS, min_size=0, max_size=9).map("\t".join)
TEXT = st.lists(st.one_of(LINES, st.text(max_size=80)), max_size=40).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_any_text_yields_records_with_spans_in_range(text: str) -> None:
    src = source_from_text(text)
    ex = extract(src)
    g, _, _ = build_graph(src, "https://example.org/id/")
    n = max(len(src.lines), 1)
    for first in g.objects(None, GG.lineStart):
        assert 1 <= int(first) <= n
    for last in g.objects(None, GG.lineEnd):
        assert 1 <= int(last) <= n
    assert ex.doc_id
