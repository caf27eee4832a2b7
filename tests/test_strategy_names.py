"""Strategies named in passing, found by cue (a capitalised name ending in Strategy,
Framework, Plan, Compact, Charter or Concordat), on sentences written for these tests:
another place, markdown, word-order variants, and the fragments that must not be read."""

from __future__ import annotations

import pytest

from govgraph.ingest.source import source_from_text
from govgraph.ingest.strategy import extract_strategies, names_in


@pytest.mark.parametrize(("text", "expected"), [
    ("This work is in line with the Westshire Health and Wellbeing Strategy.",
     [("Westshire Health and Wellbeing Strategy", "Strategy", None, None)]),
    ("Delivery is overseen under the Westshire Carers Strategy 2021-24 (see below).",
     [("Westshire Carers Strategy", "Strategy", "2021-2024", None)]),
    ("It supports the Northshire Dementia Strategy (2019-2022) and the Northshire Autism Strategy.",
     [("Northshire Dementia Strategy", "Strategy", "2019-2022", None), ("Northshire Autism Strategy", "Strategy", None, None)]),
    ("Partners signed the Westshire Armed Forces Covenant and the Westshire Employers Charter.",
     [("Westshire Employers Charter", "Strategy", None, None)]),
    ("The Council’s Local Housing Compact was agreed in May.",
     [("Local Housing Compact", "Strategy", None, "Council")]),
    ("- Northshire Active Travel Plan 2020 – 2030",
     [("Northshire Active Travel Plan", "Plan", "2020-2030", None)]),
    ("## Westshire Digital Inclusion Framework", [("Westshire Digital Inclusion Framework", "Framework", None, None)]),
    ("the Westshire Concordat for Better Mental Health programme",
     [("Westshire Concordat for Better Mental Health", "Strategy", None, None)]),
    ("Progress in delivery of the Westshire and Northshire Integrated Care plan is reported",
     [("Westshire and Northshire Integrated Care plan", "Plan", None, None)]),
    ("Needs Assessment Update and Northshire Carers Strategy Refresh",
     [("Northshire Carers Strategy", "Strategy", None, None)]),
    ("aligned to the Northshire BCF and the Northshire Carers Strategy", [("Northshire Carers Strategy", "Strategy", None, None)]),
    ("Analysis of Adult Social Care Outcomes Framework data", [("Adult Social Care Outcomes Framework", "Framework", None, None)]),
    ("how the Strategy for Carers 2020-25 is going", [("Strategy for Carers", "Strategy", "2020-2025", None)]),
])
def test_names_found_by_cue(text: str, expected: list[tuple]) -> None:
    got = [(n.name, n.kind, n.period, n.owner) for n in names_in(text, "Westshire")]
    assert got == expected
    assert all(n.quote in text for n in names_in(text, "Westshire"))


@pytest.mark.parametrize("text", [
    "The Strategy was approved in March.",  # the strategy alone
    "Finally, the Plan will set out our aims.",
    "This Action Plan has been developed in response to the review.",  # only generic words
    "as a Strategic Framework for the ICS is developed",
    "Jane Smith, Chief Strategy Officer, Westshire CCG",  # a post
    "The Plan Steering Group met twice.",  # a body
    "Report to the Strategy Board on 3 May",
    "a shared Westshire strategy for the whole system",  # the place alone, lower-case head
    "the draft outcome framework and the high-level plan for the year",  # no capitalised name
    "Underpinning the Transformation Strategy needs to be a Financial Recovery plan",
    "work on a strategy for Digital Health and Care",  # a description, not a name
])
def test_fragments_that_name_no_strategy(text: str) -> None:
    assert names_in(text, "Westshire") == []


def test_a_name_never_runs_across_table_cells() -> None:
    assert [n.name for n in names_in("Carers Lead\tNorthshire Carers Strategy", None)] == ["Northshire Carers Strategy"]


PAPER = """\
# Westshire Health and Wellbeing Board

## Westshire Carers Strategy 2021-2024

The Westshire Carers Strategy 2021-2024 was approved by the Westshire Carers Partnership Board.

Our priorities are:

- Identifying carers early
- Breaks for carers

The strategy supports the Westshire Joint Health and Wellbeing Strategy and the
Westshire Dementia Strategy. The Carers Strategy will be reviewed in 2023; the
Westshire Young Carers Strategy sits beside it.
"""


def test_in_passing_names_join_the_strategy_they_shorten_and_no_other() -> None:
    found = {s.title.value: s for s in extract_strategies(source_from_text(PAPER))}
    assert set(found) == {"Westshire Carers Strategy", "Westshire Joint Health and Wellbeing Strategy",
                          "Westshire Dementia Strategy", "Westshire Young Carers Strategy"}
    carers = found["Westshire Carers Strategy"]
    # 'The Carers Strategy' is the presented one with its place dropped: the same key.
    assert [p.title.value for p in carers.priorities] == ["Identifying carers early", "Breaks for carers"]
    # Named only in passing: no priorities borrowed from the strategy around them.
    assert found["Westshire Dementia Strategy"].priorities == []
    # 'Young Carers Strategy' is its own strategy: 'The Carers Strategy' (line 13) is the
    # 2021-24 one, whose words it has exactly, not the longer name it ends.
    assert found["Westshire Young Carers Strategy"].alt == []
    assert [(a.value, a.span.first) for a in carers.alt] == [("Carers Strategy", 13)]
