"""The improvement plan, checked against a careful reading of the paper."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from govgraph.graph import queries
from govgraph.graph.build import ingest_paths
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from govgraph.ingest.plan import extract_plan
from govgraph.ingest.source import read_source, source_from_text
from support import BASE, PLAN

VARIANT = Path(__file__).resolve().parent / "golden" / "plan" / "variant-markdown" / "input.txt"


@pytest.fixture(scope="module")
def actions(plan_store: OxigraphStore) -> dict[str, dict[str, str]]:
    t = select(plan_store, queries.load("actions"))
    return {str(r["id"]): dict(zip(t.columns, t.values(r))) for r in t.rows}


def test_all_actions_and_themes() -> None:
    plan = extract_plan(read_source(PLAN))
    assert plan is not None
    ids = [a.number.value for a in plan.actions]
    assert len(ids) == 34 and len(set(ids)) == 34
    assert "2.2.1" in ids and "7.3" not in ids  # the paper skips 7.3
    assert [t.title.value for t in plan.themes] == [
        "Vision and strategy", "Engagement and Involvement", "Performance, pace and drive",
        "Flow and use of capacity", "Market development", "Workforce",
        "Information sharing and system navigation",
    ]
    assert Counter(a.theme.value for a in plan.actions if a.theme) == {
        "1": 7, "2": 4, "3": 3, "4": 8, "5": 5, "6": 2, "7": 5,
    }


@pytest.mark.parametrize(
    ("aid", "field", "expected"),
    [
        ("1.1", "status", "complete"),  # "ACTION COMPLETE" after a page break
        ("1.4", "governanceBody", "STP Board"),  # governance cell continues on the next page
        ("1.4", "due", "March 2019"),
        ("4.5", "due", "November 2018"),
        ("4.5", "revisedDue", "March 2019"),
        ("4.5", "status", "slipped"),
        ("5.2", "status", "slipped"),  # "plan production has slipped"
        ("5.4", "due", "July 2018"),  # "July" and "2018" on two pages
        ("6.1", "revisedDue", "Aug 2019"),
        ("3.2", "start", "Not yet commenced"),
        ("3.2", "status", "complete"),
        ("7.1", "status", "in_progress"),
        ("4.3", "lead", "Adult Joint Commissioning Board"),  # AJCB from the abbreviations table
        ("2.2", "lead", "Coventry and Rugby Clinical Commissioning Group | Jenni Northcote"),
        ("3.1", "governanceBody", "Urgent and Emergency Care"),
        ("1.6", "theme", "Vision and strategy"),
    ],
)
def test_action_fields(actions: dict[str, dict[str, str]], aid: str, field: str, expected: str) -> None:
    got = actions[aid][field]
    if " | " in expected:
        assert set(got.split(" | ")) == set(expected.split(" | "))
    else:
        assert got == expected


def test_status_counts(actions: dict[str, dict[str, str]]) -> None:
    assert Counter(a["status"] for a in actions.values()) == {"complete": 20, "in_progress": 10, "slipped": 4}


def test_health_and_wellbeing_board_is_one_node(plan_store: OxigraphStore) -> None:
    t = select(plan_store, queries.load("bodies"))
    hwb = [r for r in t.rows if str(r["label"]) == "Health and Wellbeing Board"]
    assert len(hwb) == 1
    alts = set(str(hwb[0]["altLabels"]).split(" | "))
    assert {"HWBB", "Health and Well Being Board", "Health and Well-Being Board"} <= alts
    labels = [str(r["label"]) for r in t.rows]
    assert not any("well being" in lab.lower() or "well-being" in lab.lower() for lab in labels)


def test_place_forum_spellings_merge(plan_store: OxigraphStore) -> None:
    t = select(plan_store, queries.load("bodies"))
    forum = [r for r in t.rows if "Place Forum" in str(r["label"])]
    assert len(forum) == 1 and "Place Forum – Cov and Warks" in str(forum[0]["altLabels"])


def test_variant_layout_parses_the_same_way() -> None:
    plan = extract_plan(read_source(VARIANT))
    assert plan is not None
    got = {a.number.value: a for a in plan.actions}
    assert list(got) == ["P1.1", "P1.2", "P1.3", "P2.1"]
    assert got["P1.1"].start.value == "2023-11-01" and got["P1.1"].due.value == "2024-01-31"
    assert [m.text for m in got["P1.1"].leads] == ["NNFT", "Dr Amara Okafor"]
    assert got["P1.2"].status.value == "not_started"
    assert got["P1.3"].revised_due.value == "June 2024" and got["P1.3"].status.value == "slipped"
    assert got["P2.1"].status.value == "complete"
    assert [t.title.value for t in plan.themes] == ["Keeping people well at home", "Discharge"]
    assert plan.owner is not None and plan.owner.text == "Northshire Health and Well-being Board"


def test_variant_resolves_bodies_across_spellings() -> None:
    store = OxigraphStore(None)
    assert ingest_paths([VARIANT], store, BASE).ok
    bodies = {str(r["label"]): str(r.get("altLabels", "")) for r in select(store, queries.load("bodies")).rows}
    # "UCDB" and the full name are one board; the home place's HWB spellings are one board.
    assert sum("Urgent Care Delivery Board" in b for b in bodies) == 1
    assert sum("Wellbeing Board" in b or "Well-being Board" in b for b in bodies) == 1


def test_table_without_action_rows_is_not_a_plan() -> None:
    src = source_from_text("Minutes\n\nRef\tAction\tLead\tDeadline\tUpdate\tRAG\n\nNothing else.\n")
    assert extract_plan(src) is None


def test_the_plan_inside_a_meeting_pack_reads_like_the_plan_alone() -> None:
    """The pack's appendix is the same plan, extracted with its ids damaged: page
    footers where ids stood ('Page 121'), '4' for 4.4, a page number for 5.4."""
    alone = extract_plan(read_source(PLAN))
    diagnostics: list[str] = []
    pack = extract_plan(read_source(PLAN.parent / "001_a1962bd04f6d0873.txt"), diagnostics=diagnostics)
    assert alone is not None and pack is not None
    assert [a.number.value for a in pack.actions] == [a.number.value for a in alone.actions]
    assert pack.title.value == alone.title.value  # one plan node for both versions
    assert len(diagnostics) == 5 and all(":warning: " not in d and "warning: action id" in d for d in diagnostics)
    same = sum(
        (a.due and a.due.value, [m.text for m in a.governance], a.status.value)
        == (b.due and b.due.value, [m.text for m in b.governance], b.status.value)
        for a, b in zip(alone.actions, pack.actions)
    )
    assert same == 34


def test_sections_nobody_reads_are_counted_not_dropped() -> None:
    from govgraph.ingest.extract import extract

    text = VARIANT.read_text("utf-8") + "\nHousing update\n\nThe housing board met twice and discussed rents.\n"
    diagnostics = extract(source_from_text(text, "variant.txt")).diagnostics
    assert len(diagnostics) == 1
    assert diagnostics[0].startswith("variant.txt:") and "1 of 4 sections not read" in diagnostics[0]
    assert "'Housing update'" in diagnostics[0]


def test_id_repairs_are_located_like_compiler_errors() -> None:
    diagnostics: list[str] = []
    pack = PLAN.parent / "001_a1962bd04f6d0873.txt"
    extract_plan(read_source(pack), diagnostics=diagnostics)
    path, line, rest = diagnostics[0].split(":", 2)
    assert path == str(pack) and line == "2629" and rest.startswith(" warning: action id")
