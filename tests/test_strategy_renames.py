"""Two names of one strategy or body, and whose a strategy is, read from papers written for
these tests (another county, other bodies): a sentence that renames a thing ('renamed
... as', 'now known as', '(formerly ...)'), an acronym a paper gives a plan in brackets,
a title whose last part alone names no plan, a name that must not swallow an
organisation's, an acronym inside a strategy's name, and the owner a paper states."""

from __future__ import annotations

from pathlib import Path

import pytest

from govgraph.graph import queries
from govgraph.graph.build import ingest_paths
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from govgraph.graph.validate import validate_store
from govgraph.ingest.extract import extract, home_place
from govgraph.ingest.glossary import renamings
from govgraph.ingest.records import Strategy
from govgraph.ingest.source import source_from_text
from govgraph.ingest.strategy import names_in
from support import BASE

REVIEW = """\
# Review of health and care in Northshire

Northshire County Council

- The Northshire Health Improvement Plan (NHIP), renamed by the Northshire Partnership Board as the Healthy Lives, Healthy Places programme, was the overarching framework for integration.
- The Joint Commissioning Board, now known as the Integrated Commissioning Board, met monthly.
- The Joint Commissioning Board reports to the Northshire Health and Wellbeing Board.
- The Northshire HWB strategy, containing the board's vision, was aligned with the Healthy Lives, Healthy Places programme.
"""

PACK = """\
# Northshire Health and Wellbeing Board

Contributors:

- Federation of Small Businesses
  - Ann Lee, Director

Progress in delivery of the Healthy Lives Healthy Places plan (HLHP) is reported to the Board.

Employers are supported through the Federation of Small Businesses and Healthy Workplace Charter.

The production of a Joint Strategic Needs Assessment, along with a Joint Health and Wellbeing Strategy, is a statutory requirement placed upon the Northshire Health and Wellbeing Board.

The Board's Carers Strategy was refreshed in 2020.

Workforce plans will be aligned to the HLHP Plan.

Appendix Two: Northshire Care Review – Local Health and Care Services - Northshire Improvement plan, May 2021
"""

DEMENTIA = """\
# Northshire County Council

## Northshire Dementia Strategy 2021-2024

Owner: Northshire Dementia Partnership Board

Our priorities are:

- Diagnosing dementia early
- Living well at home
"""

PAPERS = {"review.md": REVIEW, "pack.md": PACK, "dementia.md": DEMENTIA}


def strategies(text: str) -> dict[str, Strategy]:
    ex = extract(source_from_text(text, "paper.md", "paper"))
    return {s.title.value: s for s in ex.records if isinstance(s, Strategy)}


@pytest.mark.parametrize(("line", "old", "new", "how"), [
    # A plan renamed as a programme is still a plan: the programme's plan.
    ("The Northshire Health Improvement Plan (NHIP), renamed by the Northshire Partnership Board as the Healthy "
     "Lives, Healthy Places programme, was", "Northshire Health Improvement Plan", "Healthy Lives, Healthy Places Plan",
     "renamed by the Northshire Partnership Board as"),
    ("the Joint Commissioning Board, now known as the Integrated Commissioning Board, met", "Joint Commissioning Board",
     "Integrated Commissioning Board", "now known as"),
    ("the Westvale Care Partnership (formerly the Westvale Care Forum) agreed", "Westvale Care Forum",
     "Westvale Care Partnership", "formerly"),
    ("The Eastshire Carers Plan has been renamed the Eastshire Carers Compact.", "Eastshire Carers Plan",
     "Eastshire Carers Compact", "renamed"),
])
def test_a_sentence_gives_two_names_of_one_thing(line: str, old: str, new: str, how: str) -> None:
    got = renamings(line, 7)
    assert (old, new, f"another name: '{how}'") in [(a.short, a.long, a.how) for a in got]
    assert (new, old) in [(a.short, a.long) for a in got]  # the new name is known as the node's too
    assert all(a.span.first == 7 and a.span.quote in line for a in got)


@pytest.mark.parametrize("line", [
    "The STP had been recently renamed by the STP board as the Better Lives programme",  # an acronym: the glossary's
    "a new plan was developed in Northshire – branded locally as Healthy Lives",  # no name before the cue
    "The report was renamed.",
])
def test_no_two_names(line: str) -> None:
    assert renamings(line, 1) == []


def test_the_names_of_one_plan_are_one_node_whichever_paper_comes_first(tmp_path: Path) -> None:
    answers = []
    for order in (["review.md", "pack.md", "dementia.md"], ["dementia.md", "pack.md", "review.md"]):
        store = OxigraphStore(None)
        for name in order:
            (tmp_path / name).write_text(PAPERS[name], "utf-8")
            report = ingest_paths([tmp_path / name], store, BASE)  # one command per paper
            assert report.ok, report.errors
        assert validate_store(store) == []
        rows = {str(r["label"]): r for r in select(store, queries.load("strategies")).rows}
        aliases = {(str(r["label"]), str(r["alias"])) for r in select(store, queries.internal("aliases")).rows}
        bodies = {str(r["label"]): str(r.get("altLabels", "")) for r in select(store, queries.load("bodies")).rows}
        answers.append((rows.keys(), aliases, bodies))
        # The renamed plan (review), the programme's plan (pack) and its acronym's plan: one node.
        plan = "Healthy Lives Healthy Places plan"
        assert {(plan, "Northshire Health Improvement Plan"), (plan, "HLHP Plan")} <= aliases
        assert not any("Improvement Plan" in label or "HLHP" in label for label in rows)
        # The body renamed: its new name is the label, the old one an altLabel.
        assert bodies["Integrated Commissioning Board"] == "Joint Commissioning Board"
        # 'The Northshire HWB strategy' is the Joint Health and Wellbeing Strategy, and the
        # duty placed on the board makes it the board's.
        assert ("Joint Health and Wellbeing Strategy", "Northshire HWB strategy") in aliases
        assert str(rows["Joint Health and Wellbeing Strategy"]["owner"]) == "Northshire Health and Wellbeing Board"
    assert answers[0] == answers[1]


def test_the_acronym_a_paper_gives_a_plan_names_it() -> None:
    got = strategies(PACK)
    plan = got["Healthy Lives Healthy Places plan"]
    assert [(a.value, a.reason) for a in plan.alt] == [("HLHP Plan", "the acronym the paper gives it: 'HLHP'")]
    assert "HLHP Plan" not in got


def test_a_title_whose_last_part_names_no_plan_is_the_name() -> None:
    got = strategies(PACK)
    title = "Northshire Care Review – Local Health and Care Services - Northshire Improvement plan"
    assert title in got and got[title].period is not None and got[title].period.value == "2021"
    assert got[title].title.span.quote == f"{title}, May 2021"
    assert not [n for n in names_in("Appendix Two: Northshire Improvement plan", "Northshire")]


def test_a_name_never_swallows_an_organisation_the_paper_names() -> None:
    got = strategies(PACK)
    assert "Healthy Workplace Charter" in got  # the contributors list names the Federation
    text = "supported through the Federation of Small Businesses and Healthy Workplace Charter"
    assert [n.name for n in names_in(text, "Northshire")] == ["Federation of Small Businesses and Healthy Workplace Charter"]
    assert [n.name for n in names_in(text, "Northshire", frozenset({"Federation of Small Businesses"}))] == [
        "Healthy Workplace Charter"]


def test_an_acronym_in_a_name_is_the_words_it_stands_for() -> None:
    (hwb,) = [n for n in names_in("- The Northshire HWB strategy, containing the board's vision", "Northshire")]
    assert hwb.name == "Northshire HWB strategy"
    # The strategy named after its body, by the body's acronym.
    assert [o.text for o in strategies(REVIEW)["Northshire HWB strategy"].owner] == ["Northshire Health and Wellbeing Board"]
    assert names_in("- The Northshire strategy was agreed", "Northshire") == []  # the place alone names none


def test_whose_strategy_the_paper_says() -> None:
    got = strategies(PACK)
    # 'a statutory requirement placed upon the Northshire Health and Wellbeing Board'
    assert [o.text for o in got["Joint Health and Wellbeing Strategy"].owner] == ["Northshire Health and Wellbeing Board"]
    # "The Board's Carers Strategy": the board the paper names most.
    assert [o.text for o in got["Carers Strategy"].owner] == ["Northshire Health and Wellbeing Board"]
    # 'Owner:' under the strategy's title.
    dementia = strategies(DEMENTIA)["Northshire Dementia Strategy"]
    assert [o.text for o in dementia.owner] == ["Northshire Dementia Partnership Board"]
    assert dementia.owner[0].span.first == 5


def test_lead_under_a_priority_is_the_priority_s() -> None:
    text = DEMENTIA + "\n### Priority 1: Diagnosing dementia early\n\nLead: Northshire Memory Service\n"
    dementia = strategies(text.replace("Owner: Northshire Dementia Partnership Board\n", ""))["Northshire Dementia Strategy"]
    assert dementia.owner == []


@pytest.mark.parametrize(("text", "place"), [
    ("The City Council approved the plan.\nThe City Council met.\nWestvale Health and Wellbeing Board", "Westvale"),
    ("Report to the Westvale and Eastshire Clinical Commissioning Group\nWestvale City Council", "Westvale"),
    ("The City Council approved the plan.", None),
])
def test_home_place_is_a_place_not_a_word_opening_a_sentence(text: str, place: str | None) -> None:
    assert home_place(source_from_text(text)) == place
