"""Review reports' recommendations, their link to the plan that answers them, and
governance stated in prose."""

from __future__ import annotations

import pytest

from govgraph.graph import queries
from govgraph.graph.build import build_graph, ingest_paths
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from govgraph.ingest.governance import relations
from govgraph.ingest.review import extract_review
from govgraph.ingest.plan import plan_title
from govgraph.ingest.source import read_source, source_from_text
from support import BASE, EXAMPLES, PLAN

REVIEW = EXAMPLES / "003_d6604f90980adc01.txt"


def test_review_recommendations_from_the_corpus() -> None:
    src = read_source(REVIEW)
    review = extract_review(src, plan_title(src))
    assert review is not None
    # "Areas for improvement" (lines 646-665) lists 15 items in two runs of bullets.
    assert len(review.recommendations) == 15
    assert review.recommendations[0].value.startswith("Ensure there is effective joint strategic planning")
    assert review.by is not None and review.by.text == "CQC"
    assert review.title.value == "Coventry: Local system review report Health and Wellbeing Board"


@pytest.mark.parametrize("order", [(PLAN, REVIEW), (REVIEW, PLAN)])
def test_plan_themes_answer_the_reviews_recommendations_in_either_order(order: tuple) -> None:
    store = OxigraphStore(None)
    for paper in order:
        assert ingest_paths([paper], store, BASE).ok
    rows = select(store, queries.load("recommendations")).rows
    # The plan quotes 16 recommendations, the review makes 15: nearly all are one node.
    assert 15 <= len(rows) <= 18
    answered = [r for r in rows if str(r.get("addressedBy", ""))]
    assert len(answered) >= 14
    social = [r for r in rows if str(r["text"]).startswith("Roll out and evaluate a programme of social prescribing")]
    assert len(social) == 1 and str(social[0]["addressedBy"]) == "Market development"


def test_a_review_without_recommendations_is_no_review() -> None:
    src = source_from_text("Peer review of housing\n\nWe looked at things.\n\n- A finding, not a recommendation.\n")
    assert extract_review(src, plan_title(src)) is None


VARIANT = """Northshire Health and Wellbeing Board
Governance arrangements 2024

The Children's Partnership Board reports to the Northshire Health and Wellbeing Board and is chaired by Cllr Jane Smith.
The Mental Health Delivery Group is a sub-group of the Children's Partnership Board.
The Integrated Care Board is accountable to NHS England.
The Health and Wellbeing Board oversees the Better Care Fund Programme.
Winter plans are overseen by the Urgent Care Board, which meets monthly.
"""


def test_governance_prose_in_a_paper_we_wrote() -> None:
    rels = {(r.subject.text, r.predicate, r.object.text) for r in relations(source_from_text(VARIANT))}
    assert rels == {
        ("Children's Partnership Board", "gg:reportsTo", "Northshire Health and Wellbeing Board"),
        ("Children's Partnership Board", "gg:chairedBy", "Cllr Jane Smith"),
        ("Mental Health Delivery Group", "gg:partOf", "Children's Partnership Board"),
        ("Integrated Care Board", "gg:accountableTo", "NHS England"),
        ("Health and Wellbeing Board", "gg:oversees", "Better Care Fund Programme"),
    }


# Governance told less directly: a name with its acronym in brackets, a verb opened by
# "and" far from its subject, a programme named without a head noun, and sub-groups listed.
INDIRECT = """\
The Rough Sleeping (RS) Board was established to oversee Housing First delivery in the city.
The Place Board met on 3 May and, having agreed its outcomes (Compact), is overseeing the delivery of the Year of Activity 2020.
The Safer Streets Group was established to oversee the programme in Westshire.
Following a review of the membership of the Children's Trust Board, the sub-groups that will drive forward the priorities are:

- Early Help;
- Education and Skills (a group that spans two counties)
- Youth Justice

The following priorities were agreed:

- Reducing Exclusions
"""


def test_governance_told_indirectly() -> None:
    rels = relations(source_from_text(INDIRECT))
    got = {(r.subject.text, r.predicate, r.object.text, r.object.kind) for r in rels}
    assert got == {
        ("Rough Sleeping Board", "gg:oversees", "Housing First", "programme"),
        ("Place Board", "gg:oversees", "Year of Activity 2020", "programme"),
        ("Early Help", "gg:partOf", "Children's Trust Board", "board"),
        ("Education and Skills", "gg:partOf", "Children's Trust Board", "board"),
        ("Youth Justice", "gg:partOf", "Children's Trust Board", "board"),
    }
    # "the programme" names nothing; priorities after the list are no sub-groups.
    lines = INDIRECT.splitlines()
    for r in rels:
        assert r.span.quote in "\n".join(lines[r.span.first - 1 : r.span.last])


def test_governance_prose_lands_in_the_governance_query() -> None:
    store = OxigraphStore(None)
    g, _, _ = build_graph(source_from_text(VARIANT, "variant.txt", "variant"), BASE)
    store.replace_graph(f"{BASE}doc/variant", g)
    rows = select(store, queries.load("governance")).rows
    got = {(str(r["fromLabel"]), str(r["relation"]), str(r["toLabel"])) for r in rows}
    # "Northshire Health and Wellbeing Board" and "Health and Wellbeing Board" are one
    # node: Northshire is the paper's home place, which a board's label goes without.
    assert ("Children's Partnership Board", "reportsTo", "Health and Wellbeing Board") in got
    assert ("Health and Wellbeing Board", "oversees", "Better Care Fund Programme") in got
    assert ("Mental Health Delivery Group", "partOf", "Children's Partnership Board") in got
    assert ("Children's Partnership Board", "chairedBy", "Cllr Jane Smith") in got
