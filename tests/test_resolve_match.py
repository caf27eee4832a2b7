"""The resolver's one ranked matcher: the node it picks and the reason it gives come
from the same test; strategies resolve by their words and their edition (period)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govgraph.graph import queries
from govgraph.graph.resolve import Resolver
from govgraph.graph.sparql import select
from govgraph.ingest.records import Mention, Span
from support import ingested

AT = Span(1, 1, "x")


def resolver() -> Resolver:
    return Resolver("https://example.org/id/", place="Northshire")


@pytest.mark.parametrize(("first", "kind", "second", "reason"), [
    ("Health and Wellbeing Board", "board", "Wellbeing and Health Board", "same words"),  # word order
    ("Warwickshire Place Forum", "forum", "Warks Place Forum", "same words, some abbreviated"),
    ("Jane Smith", "person", "J Smith", "same person: initials"),
    ("Northshire Safeguarding Children Partnership", "partnership", "Northshire Safegaurding Children Partnership",
     "fuzzy match 97/100"),  # a typo
    ("Northshire Safeguarding Adults Partnership", "partnership", "Northshire Safeguarding Adult Partnership",
     "same words, some abbreviated"),
    ("Proactive and Preventative workstream", "workstream", "Preventative and Proactive", "same words"),
])
def test_each_kind_of_match_names_its_reason(first: str, kind: str, second: str, reason: str) -> None:
    r = resolver()
    a = r(Mention(first, kind, AT))
    b = r(Mention(second, kind, AT))
    assert b.iri == a.iri
    assert b.reason == reason
    assert r.merges[-1].reason == reason


def strategy(r: Resolver, name: str, period: str | None = None, kind: str = "strategy"):
    return r(Mention(name, kind, AT, period=period))


def test_strategy_word_order_and_qualifiers_are_one_node() -> None:
    r = resolver()
    hwbs = strategy(r, "Northshire Health and Wellbeing Strategy", "2016-2019")
    assert strategy(r, "Joint Wellbeing and Health Strategy", "2016-19").iri == hwbs.iri
    carers = strategy(r, "Northshire Carers Strategy")
    assert strategy(r, "Strategy for Carers").iri == carers.iri
    assert strategy(r, "Northshire Carer Strategy").reason == "same words, another form"
    assert "2016-2019" in str(hwbs.iri)  # an edition's IRI holds its period


def test_similar_strategies_stay_apart() -> None:
    r = resolver()
    names = ["Health and Wellbeing Strategy", "Marmot Strategy", "Carers Strategy", "Young Carers Strategy",
             "Mental Health Strategy", "Men's Health Strategy", "Housing Strategy", "Housing and Homelessness Strategy"]
    assert len({strategy(r, n).iri for n in names}) == len(names)
    # A plan and a framework of the same words are two things, and neither is the body.
    place = [strategy(r, "Place Plan", kind="plan"), strategy(r, "Place Framework", kind="framework"),
             r(Mention("Place Forum", "forum", AT))]
    assert len({x.iri for x in place}) == 3


def test_editions() -> None:
    r = resolver()
    old = strategy(r, "Northshire Health and Wellbeing Strategy", "2016-2019")
    # A refresh for a new period is another edition, its own node.
    new = strategy(r, "Health and Wellbeing Strategy", "2019-2022")
    assert new.iri != old.iri
    # The same edition however its period is written.
    assert strategy(r, "Health and Wellbeing Strategy", "2016-19").iri == old.iri
    # A name without a period: the latest edition, and the reason says it guessed.
    undated = strategy(r, "Wellbeing and Health Strategy")
    assert undated.iri == new.iri
    assert undated.reason == "same words; no period named: the latest edition, 2019-2022"
    # A plan refreshed within its period ('Year 3 Refresh') is the same plan.
    camhs = strategy(r, "CAMHS Local Transformation Plan", "2015-2020", "plan")
    assert strategy(r, "CAMHS Transformation Plan", "2015/20", "plan").iri == camhs.iri
    # An undated node takes the first period a paper gives it; then a new period is new.
    rough = strategy(r, "Rough Sleeping Strategy")
    dated = strategy(r, "Strategy for Rough Sleeping", "2019-2022")
    assert dated.iri == rough.iri and dated.reason == "same words; the period named here"
    assert strategy(r, "Rough Sleeping Strategy", "2023-2026").iri != rough.iri


def test_a_plan_named_with_its_period_is_split_from_it() -> None:
    r = resolver()
    bcf = r(Mention("Northshire Better Care Fund Plan 2019/20", "any", AT))
    assert bcf.label == "Northshire Better Care Fund Plan"
    assert strategy(r, "Better Care Fund Plan", "2019-2020", "plan").iri == bcf.iri


# -- across papers written for this test ----------------------------------------------------

PRESENTS = """\
# Northshire County Council

## Northshire Carers Strategy 2020-2025

The Northshire Carers Strategy 2020-2025 was approved by the Northshire Carers Partnership Board.

Our priorities are:

- Identifying carers early
- Breaks for carers
"""

NAMES = """\
# Northshire Health and Wellbeing Board

Minutes

The Board heard how the Strategy for Carers 2020-25 is going. The work is in line with the
Northshire Carers Strategy, and the Northshire Young Carers Strategy will follow.
"""

REFRESH = """\
# Northshire County Council

## Northshire Carers Strategy 2025-2030

The refreshed Northshire Carers Strategy 2025-2030 was approved by the Northshire Carers Partnership Board.

Our priorities are:

- Identifying carers early
- Carers in work
"""


def test_one_node_per_strategy_and_edition_across_papers(tmp_path: Path) -> None:
    papers = []
    for name, text in (("a_presents.md", PRESENTS), ("b_names.md", NAMES), ("c_refresh.md", REFRESH)):
        (tmp_path / name).write_text(text, "utf-8")
        papers.append(tmp_path / name)
    store = ingested(*papers)  # each paper is checked against the shapes before it lands
    rows = {(str(r["label"]), str(r.get("period", ""))): r for r in select(store, queries.load("strategies")).rows}
    assert set(rows) == {("Northshire Carers Strategy", "2020-2025"), ("Northshire Carers Strategy", "2025-2030"),
                         ("Northshire Young Carers Strategy", "")}
    def priorities(key: tuple[str, str]) -> set[str]:
        return set(str(rows[key]["priority"]).split(" | "))

    assert priorities(("Northshire Carers Strategy", "2020-2025")) == {"Breaks for carers", "Identifying carers early"}
    assert priorities(("Northshire Carers Strategy", "2025-2030")) == {"Carers in work", "Identifying carers early"}
    # 'Identifying carers early' of each edition is its own node: priorities never collide.
    t = select(store, """PREFIX gg: <https://w3id.org/govgraph/ns#>
                         SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s gg:hasPriority ?p }""")
    assert int(t.rows[0]["n"]) == 4
    # The second paper's names are auditable: which node, and why.
    t = select(store, queries.internal("aliases"))
    why = {str(r["alias"]): str(r["reason"]) for r in t.rows}
    assert why["Strategy for Carers"] == "same words"
    assert "Northshire Carers Strategy" not in why  # the 2020-25 edition by its own label
