"""Strategies, frameworks and plans, checked against a careful reading of the Health
and Well-being Board pack and against variant papers written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from govgraph.graph import queries
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from govgraph.ingest.extract import extract
from govgraph.ingest.records import Strategy
from govgraph.ingest.source import read_source, source_from_text
from govgraph.ingest.strategy import extract_strategies, norm_period, title_of
from support import EXAMPLES, ingested_text

PACK = EXAMPLES / "001_a1962bd04f6d0873.txt"


@pytest.fixture(scope="module")
def pack() -> dict[str, Strategy]:
    """The pack's strategies as extract() reads them: the CQC plan (2540-2908) is the plan
    extractor's, and the names of organisations its other records give are known."""
    return {s.title.value: s for s in extract(read_source(PACK)).records if isinstance(s, Strategy)}


def priorities(s: Strategy) -> list[str]:
    return [p.title.value for p in s.priorities]


PRESENTED = {
    "Coventry Joint Health and Wellbeing Strategy": 913,  # the refresh; also 171, 979
    "Coventry Health and Wellbeing Strategy": 935,  # 2016-19: lines 189, 935, 1060
    "CAMHS Local Transformation Plan": 348,
    "Coventry Physical Activity Framework": 493,  # appendix 555/559
    "Better Health Better Care Better Value plan": 1223,
    "Marmot City Progress Report: Q3 2018-2019 and Annual Outcome Indicators": 1261,
    "Clinical Strategy": 1527,
    "Place Forum Outcomes Framework": 1798,
    "Place Plan": 2003,
    "Housing and Homelessness Strategy": 2055,
}
# Named only in passing, each at the first line that names it (a careful reading).
IN_PASSING = {
    "Housing and Homeless strategy": 254,  # the resolver folds it into the 2019-24 strategy (ratio 93)
    "Prevention Concordat for Better Mental Health": 313,
    "Suicide Prevention Strategy": 328,
    "Child and Adolescent Mental Health Services (CAMHS) Transformation Plan": 350,  # resolved to the CAMHS LTP
    "Coventry and Warwickshire Children and Adolescent Mental Health Services Local Transformation Plan": 374,
    "Workforce Development Strategy": 386,  # the Safeguarding Adults Board's
    "Spatial Investment and Delivery Plan": 624,  # the WMCA's
    "Coventry Sports Strategy": 632,
    "Coventry Sport Strategy": 661,  # the same 2014-24 strategy: the resolver merges them
    "Cultural Strategy": 662,
    "Education Sport, Participation and Wellbeing Strategy": 667,
    "Destination Management Plan": 671,
    "Early Years Statutory Framework": 725,
    # 'through the Chamber of Commerce and Workforce Wellbeing Charter': the Chamber is the
    # indicator table's organisation (1355), not part of the name. (A reader sees the
    # Workplace Wellbeing Charter of line 1326; the words differ.)
    "Workforce Wellbeing Charter": 949,
    "NHS Long Term Plan": 1231,
    "Coventry and Warwickshire Health and Wellbeing Concordat": 1244,
    "Workplace Wellbeing Charter": 1326,
    "Marmot Action Plan": 1363,  # the plan of the Marmot progress report (1261): not joined
    # 'the previous BHBCBV plan': the resolver reads BHBCBV as the initials of the name the
    # paper writes (1223), and joins them.
    "BHBCBV plan": 1490,
    "NHS Quality & Outcomes Framework": 1857,
    "Year of Wellbeing Plan": 2031,
    "Housing Strategy": 2079,  # 'The Housing Strategy and Homelessness Strategy have been combined'
    "Rough Sleeping Strategy": 2086,
    "Better Care Plan": 2784,  # in the action plan's cells: 'the Better Care Plan 2019/2020'
    "Integrated Urgent Care Recovery Plan": 2785,
}


def test_pack_strategies(pack: dict[str, Strategy]) -> None:
    assert {k: s.title.span.first for k, s in pack.items() if k in PRESENTED} == PRESENTED
    assert {k: s.title.span.first for k, s in pack.items() if k not in PRESENTED} == IN_PASSING


def test_names_in_passing_fold_into_the_strategy_they_shorten(pack: dict[str, Strategy]) -> None:
    def alts(title: str) -> dict[str, str]:
        return {a.value: getattr(a, "reason", "") for a in pack[title].alt}

    # Line 1716 'It shares the Outcomes Framework' beside the Place Forum's (1723), not the
    # NHS Quality & Outcomes Framework (1857): the nearer one is meant.
    assert alts("Place Forum Outcomes Framework") == {"Outcomes Framework": "a shorter name the same paper gives it"}
    # Line 332 breaks the name after 'for Better'; line 326 says 'the Prevention Concordat'.
    assert set(alts("Prevention Concordat for Better Mental Health")) == {"Prevention Concordat", "Prevention Concordat for Better"}
    # 'Better Care Plan' drops words from the middle of the BHBCBV plan's name: another plan.
    assert "Better Care Plan" not in alts("Better Health Better Care Better Value plan")
    # 'the Better Health Better Care Better Value plan (STP)' (1225): 'the STP plan' (1566)
    # and 'the STP Plan' (1740) are that plan.
    assert alts("Better Health Better Care Better Value plan")["STP Plan"] == "the acronym the paper gives it: 'STP'"
    assert "STP plan" in alts("Better Health Better Care Better Value plan")
    # The undated names of the Health and Wellbeing Strategy go to the edition the paper
    # names without a period in its title (the refresh), the dated ones to 2016-19.
    assert alts("Coventry Health and Wellbeing Strategy") == {"Health and Wellbeing Strategy": "same words"}
    # 'CQC Local System Review Action Plan' (2731) and 'Local Health and Social Care System
    # Coventry Improvement Plan 2018' (2536) are the paper's own action plan: no second node.
    assert not any("CQC" in k or "Improvement Plan" in k for k in pack)


def test_physical_activity_framework(pack: dict[str, Strategy]) -> None:
    f = pack["Coventry Physical Activity Framework"]
    assert f.kind.value == "Framework"
    assert f.period is not None and f.period.value == "2019-2024"  # line 493
    # Lines 555 and 559-561: the appendix's own name for it.
    assert "Coventry on the Move framework" in [a.value for a in f.alt]
    # Line 768: 'The Health and Wellbeing Board will lead the oversight of the framework'
    assert [o.text for o in f.owner] == ["Health and Wellbeing Board"]
    assert f.status is not None and f.status.value == "for approval"  # line 501
    # Lines 513-516 list the four priorities; lines 640, 679, 709, 754 head them.
    assert priorities(f) == ["Enhance our places and spaces for all", "Improve how we communicate",
                             "Movement for life", "Develop leadership and skills at all levels"]
    # Each has three objectives (lines 644-646, 685-687, 713-715, 758-760).
    assert [len(p.objectives) for p in f.priorities] == [3, 3, 3, 3]
    assert f.priorities[1].objectives[1].text.value == "Develop the role of digital media and use this to create new opportunities"
    # 'WHAT DOES SUCCESS LOOK LIKE?' (line 675) then line 677.
    assert f.priorities[0].outcomes[0].span.first == 677


def test_health_and_wellbeing_strategies(pack: dict[str, Strategy]) -> None:
    old = pack["Coventry Health and Wellbeing Strategy"]
    assert old.period is not None and old.period.value == "2016-2019"
    # Lines 189-193 (and again 937-941, 1066-1070): three priorities, one node each.
    assert priorities(old) == [
        "Working together as a Marmot City: reducing health and wellbeing inequalities",
        "Improving the health and wellbeing of individuals with multiple complex needs",
        "Developing an integrated health and care system that provides the right help and support to enable people to live their lives well",
    ]
    new = pack["Coventry Joint Health and Wellbeing Strategy"]
    assert new.status is not None and new.status.value == "refresh"
    assert new.priorities == []  # still to be agreed (line 1015)


def test_marmot_action_plans(pack: dict[str, Strategy]) -> None:
    plan = pack["Marmot City Progress Report: Q3 2018-2019 and Annual Outcome Indicators"]
    assert plan.kind.value == "Plan"
    # 'Action Plan: <priority>' at lines 1270, 1319, 1365; numbered aims 1-13 in their tables.
    assert priorities(plan) == [
        "Tackling inequalities disproportionately affecting young people",
        "Ensuring that all Coventry people, including vulnerable residents, can benefit from 'good growth', "
        "which will bring jobs, housing and other benefits to the city",
        "To work strategically to reduce levels of poverty in Coventry, including actions to address child poverty",
    ]
    assert [len(p.objectives) for p in plan.priorities] == [4, 5, 4]
    assert plan.priorities[2].objectives[3].span.first == 1374  # '<p>13. Work of the Welfare Reform ...'


def test_other_strategies(pack: dict[str, Strategy]) -> None:
    housing = pack["Housing and Homelessness Strategy"]
    # Line 2070: 'the Council approved a new ... Strategy ... covering the period 2019-2024'
    assert housing.period is not None and housing.period.value == "2019-2024"
    assert housing.status is not None and housing.status.value == "approved"
    assert [o.text for o in housing.owner] == ["Coventry City Council"]
    assert len(housing.priorities) == 4  # lines 2072-2077: '4 themes'
    clinical = pack["Clinical Strategy"]  # lines 1527-1560
    assert priorities(clinical) == ["Frailty", "Mental Health and Emotional Wellbeing", "Musculoskeletal (MSK)"]
    assert len(clinical.priorities[2].objectives) == 3  # 'The short-term objectives include:' line 1556
    camhs = pack["CAMHS Local Transformation Plan"]
    assert camhs.period is not None and camhs.period.value == "2015-2020"  # line 352
    assert [o.text for o in camhs.owner] == ["CAMHS Transformation Board"]  # line 354
    assert len(camhs.priorities) == 7  # lines 356-364
    assert [o.text for o in pack["Place Forum Outcomes Framework"].owner] == ["Place Forum"]


def test_every_quote_stands_at_its_line(pack: dict[str, Strategy]) -> None:
    lines = PACK.read_text("utf-8").splitlines()
    for s in pack.values():
        cells = [s.title, *s.alt, *[p.title for p in s.priorities], *[o.text for p in s.priorities for o in p.objectives]]
        for c in cells:
            assert c.span.quote in "\n".join(lines[c.span.first - 1 : c.span.last]), c
        for m in s.owner:
            assert m.span.quote in lines[m.span.first - 1]


# The corpus's strategies after resolution across its four papers, beside the pack's.
CORPUS = {
    "A&E Improvement plan": "003", "Adult Social Care Outcomes Framework": "003", "Council Plan": "004",
    "Coventry Adult Social Care Workforce strategy": "003", "Health and Wellbeing Alliance Concordat": "003",
    "iBCF Narrative Plan": "003", "BCF plan": "003:223", "DTOC plan": "003:272",
    "Care Quality Commission (CQC) Review: Local Health and Social Care System – Coventry: Improvement Plan 2018": "000",
}
CAMHS = "Coventry and Warwickshire Children and Adolescent Mental Health Services Local Transformation Plan"
STP = "Warwickshire and Coventry Sustainability and Transformation Plan"
CQC = "Care Quality Commission (CQC) Review: Local Health and Social Care System – Coventry: Improvement Plan 2018"
# Names that are one node with another, and the label (its fullest name) that node has.
JOINED = {
    "Housing and Homeless strategy": "Housing and Homelessness Strategy",  # 001:254, ratio 93
    "Coventry Sport Strategy": "Coventry Sports Strategy",  # 001:661, another form
    "Child and Adolescent Mental Health Services (CAMHS) Transformation Plan": CAMHS,  # 001:350
    # 001:374 names the CAMHS plan (001:348) with its places: the fuller name is the label.
    "CAMHS Local Transformation Plan": CAMHS,
    # 003:136 'The Warwickshire and Coventry Sustainability and Transformation Plan (STP),
    # renamed by the STP Board as the Better Care, Better Health, Better Value programme':
    # the programme's plan, 001:1223 (and its initials, 001:1490).
    "Better Health Better Care Better Value plan": STP,
    "BHBCBV plan": STP,
    # 004:47 'Appendix One: Care Quality Commission Review – Local Health and Care System -
    # Coventry Improvement plan, April 2018': the plan's own title, a word short of 000's.
    "Care Quality Commission Review – Local Health and Care System - Coventry Improvement plan": CQC,
}


def test_strategies_query_on_the_corpus(corpus_store: OxigraphStore) -> None:
    t = select(corpus_store, queries.load("strategies"))
    rows = {str(r["label"]): r for r in t.rows}
    expected = (set(PRESENTED) | set(IN_PASSING) | set(CORPUS)) - set(JOINED) | set(JOINED.values())
    assert set(rows) == expected
    assert len(t.rows) == len(rows) == 39  # one row, one node, per strategy
    aliases = {(str(r["label"]), str(r["alias"])) for r in select(corpus_store, queries.internal("aliases")).rows}
    assert {(label, name) for name, label in JOINED.items()} <= aliases
    assert str(rows["Housing and Homelessness Strategy"]["period"]) == "2019-2024"
    assert str(rows["Coventry Physical Activity Framework"]["owner"]) == "Health and Wellbeing Board"
    assert len(str(rows["Coventry Physical Activity Framework"]["objective"]).split(" | ")) == 12
    assert str(rows["Coventry Sports Strategy"]["period"]) == "2014-2024"
    # Two editions of the Health and Wellbeing Strategy: 2016-19 (its three priorities) and
    # the 2019-22 refresh (priorities still to be agreed, line 1015).
    assert str(rows["Coventry Health and Wellbeing Strategy"]["period"]) == "2016-2019"
    assert len(str(rows["Coventry Health and Wellbeing Strategy"]["priority"]).split(" | ")) == 3
    assert str(rows["Coventry Joint Health and Wellbeing Strategy"]["period"]) == "2019-2022"
    assert str(rows["Spatial Investment and Delivery Plan"]["owner"]) == "West Midlands Combined Authority"
    # 001:854 'a Joint Health and Wellbeing Strategy (HWBS), is a statutory requirement placed
    # upon the Health and Wellbeing Board (HWBB)': the Board's (the undated name is the refresh).
    assert str(rows["Coventry Joint Health and Wellbeing Strategy"]["owner"]) == "Health and Wellbeing Board"
    # 003:215 'The Coventry HWB strategy' is read (HWB stands for its words) and is that strategy.
    assert ("Coventry Joint Health and Wellbeing Strategy", "Coventry HWB strategy") in aliases
    assert str(rows[CQC]["owner"]) == "Health and Wellbeing Board"


def test_one_strategy_named_by_two_papers_is_one_node(corpus_store: OxigraphStore) -> None:
    """The review (003, lines 137 and 196) names the 2016-19 strategy the pack (001)
    presents: one node, derived from both papers, its priorities still the pack's."""
    t = select(corpus_store, """
        PREFIX gg: <https://w3id.org/govgraph/ns#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?s (COUNT(DISTINCT ?doc) AS ?docs) (COUNT(DISTINCT ?p) AS ?priorities) WHERE {
          ?s a gg:Strategy ; gg:period "2016-2019" ; prov:wasDerivedFrom ?doc .
          OPTIONAL { ?s gg:hasPriority ?p }
        } GROUP BY ?s""")
    assert [(int(r["docs"]), int(r["priorities"])) for r in t.rows] == [(2, 3)]


# -- variants written for these tests ------------------------------------------------

MARKDOWN = """\
# Northshire County Council

## Northshire Carers Strategy 2020-2025

The Northshire Carers Strategy 2020-2025 was approved by the Northshire Carers Partnership Board in January 2020.

Our priorities are:

- Identifying carers early;
- Supporting carers to look after their own health; and
- Planning for the future

### Priority 1: Identifying carers early

**Objectives**

- Train GP practice staff to recognise carers
- Add a carers question to every assessment

### Priority 2: Supporting carers to look after their own health

Objectives:

- Offer every carer a health check

### What does success look like?

More carers known to services, and fewer reaching crisis.
"""

MISSING = """\
Report to Westshire Cabinet

Title: Westshire Active Travel Plan

1 Purpose

This report presents the draft Active Travel Plan for consultation.

The plan has three key priorities, set out below.

- Safer routes to school
- Joining up cycle lanes
- Cycle parking in town centres
"""


def test_markdown_strategy_from_another_place() -> None:
    ss = extract_strategies(source_from_text(MARKDOWN))
    assert len(ss) == 1
    s = ss[0]
    assert (s.title.value, s.kind.value) == ("Northshire Carers Strategy", "Strategy")
    assert s.period is not None and s.period.value == "2020-2025"
    assert [o.text for o in s.owner] == ["Northshire Carers Partnership Board"]
    assert s.status is not None and s.status.value == "approved"
    assert priorities(s) == ["Identifying carers early", "Supporting carers to look after their own health",
                             "Planning for the future"]
    assert [o.text.value for o in s.priorities[0].objectives] == [
        "Train GP practice staff to recognise carers", "Add a carers question to every assessment"]
    assert [o.text.value for o in s.priorities[1].objectives] == ["Offer every carer a health check"]
    assert s.priorities[1].outcomes[0].value.startswith("More carers known")


def test_cover_sheet_plan_with_missing_fields() -> None:
    ss = extract_strategies(source_from_text(MISSING))
    assert len(ss) == 1
    s = ss[0]
    assert (s.title.value, s.kind.value) == ("Westshire Active Travel Plan", "Plan")
    assert s.period is None and s.owner == []
    assert s.status is not None and s.status.value == "draft"
    assert priorities(s) == ["Safer routes to school", "Joining up cycle lanes", "Cycle parking in town centres"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Coventry Physical Activity Framework 2019-2024", ("Coventry Physical Activity Framework", "Framework", "2019-2024", None)),
    ("36. CAMHS Local Transformation Plan: Year 3 Refresh", ("CAMHS Local Transformation Plan", "Plan", None, "refresh")),
    ("3.4 Clinical Strategy – Update on identified priorities", ("Clinical Strategy", "Strategy", None, None)),
    ("Coventry on the Move Framework 2019 - 2024", ("Coventry on the Move Framework", "Framework", "2019-2024", None)),
    ("Action Plan", None),
    ("How will this contribute to the Council Plan", None),
    ("Action Plan: Tackling inequalities", None),
])
def test_titles(text: str, expected: tuple | None) -> None:
    assert title_of(text) == expected


def test_periods() -> None:
    assert norm_period("2016-19") == "2016-2019"
    assert norm_period("2015 to 2020") == "2015-2020"


def test_variant_graph_validates_and_answers(tmp_path: Path) -> None:
    store = ingested_text(tmp_path, "northshire_carers.md", MARKDOWN)
    t = select(store, queries.load("strategies"))
    assert len(t.rows) == 1
    r = t.rows[0]
    assert str(r["owner"]) == "Northshire Carers Partnership Board"
    assert len(str(r["priority"]).split(" | ")) == 3
    assert len(str(r["objective"]).split(" | ")) == 3


# -- programmes and workstreams (ingest/programme.py) ------------------------------------

SCHEMES = """\
Westshire Better Care Fund Plan 2019/20

Scheme\tLead\tGovernance\tMetrics
Discharge to Assess\tWestshire County Council\tA&E Delivery Board\tDelayed transfers of care
Falls Prevention Service\tWestshire Community Trust\tIntegrated Care Board\tNon-elective admissions
"""


def test_programme_workstreams_in_the_pack() -> None:
    from govgraph.ingest.programme import extract_programmes

    rels = extract_programmes(read_source(PACK))
    parts = [(r.subject.text, r.span.first) for r in rels if r.predicate == "gg:partOf"]
    # Lines 1562-1672: '3.5 Transformational', '3.6 Enabling', '3.7 Related Programmes of Work'.
    assert parts[:3] == [("Proactive and Preventative", 1564), ("Maternity and Paediatrics", 1572),
                         ("Mental Health and Emotional Wellbeing", 1578)]
    assert {p for p, _ in parts} >= {"Planned Care", "Urgent and Emergency Care", "Workforce",
                                     "Estates and Digital Health", "Cancer", "Living with and beyond cancer (LWBC)"}
    assert all(r.object.text == "Better Health, Better Care, Better Value programme" for r in rels if r.predicate == "gg:partOf")
    # Line 1472 'From: Rachael Danter, Programme Director'; line 1693 'On behalf of: ... Board'.
    assert [(r.predicate, r.object.text) for r in rels if r.predicate != "gg:partOf"] == [
        ("gg:governedBy", "Better Health, Better Care, Better Value Board"), ("gg:ledBy", "Rachael Danter")]


def test_scheme_table_with_lead_and_governance() -> None:
    from govgraph.ingest.programme import extract_programmes

    rels = extract_programmes(source_from_text(SCHEMES))
    got = {(r.subject.text, r.predicate, r.object.text) for r in rels}
    assert got == {
        ("Discharge to Assess", "gg:partOf", "Westshire Better Care Fund Plan 2019/20"),
        ("Discharge to Assess", "gg:ledBy", "Westshire County Council"),
        ("Discharge to Assess", "gg:governedBy", "A&E Delivery Board"),
        ("Falls Prevention Service", "gg:partOf", "Westshire Better Care Fund Plan 2019/20"),
        ("Falls Prevention Service", "gg:ledBy", "Westshire Community Trust"),
        ("Falls Prevention Service", "gg:governedBy", "Integrated Care Board"),
    }


def test_programmes_query_on_the_corpus(corpus_store: OxigraphStore) -> None:
    t = select(corpus_store, queries.load("programmes"))
    rows = {str(r["label"]): r for r in t.rows}
    bhbcbv = rows["Better Care, Better Health, Better Value programme"]
    assert str(bhbcbv["ledBy"]) == "Rachael Danter"
    assert str(bhbcbv["governedBy"]) == "Better Health, Better Care, Better Value Board"
    assert str(rows["Workforce"]["kind"]) == "workstream"
    assert "Better Care, Better Health, Better Value programme" in str(rows["Urgent and Emergency Care"]["partOf"])
    # 17 names; the plan's "Preventative and Proactive workstream" and the report's
    # "Proactive and Preventative" workstream are one node. Line 213 adds 'the programme
    # for the Coventry and Warwickshire Year of Wellbeing 2019'.
    assert len(rows) == 16
    assert str(rows["Year of Wellbeing 2019"]["kind"]) == "programme"
    assert "Better Care, Better Health, Better Value programme" in str(rows["Preventative and Proactive workstream"]["partOf"])
