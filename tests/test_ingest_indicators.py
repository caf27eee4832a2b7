"""Indicator tables, checked against a careful reading of the Health and Well-being
Board pack (the Marmot City progress report, lines 1261-1429) and against variant
papers written for these tests (another place, markdown, spreadsheet rows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govgraph.graph import queries
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from govgraph.ingest.indicators import column, extract_indicators, full_period
from govgraph.ingest.records import Indicator
from govgraph.ingest.source import read_source, source_from_text
from support import EXAMPLES, ingested_text

PACK = EXAMPLES / "001_a1962bd04f6d0873.txt"


@pytest.fixture(scope="module")
def pack() -> list[Indicator]:
    return extract_indicators(read_source(PACK))


def obs(ind: Indicator) -> dict[tuple[str, str], str]:
    return {(o.kind.value, o.period.value): o.value.value for o in ind.observations}


def by_code(inds: list[Indicator], code: str, breakdown: str | None = None) -> Indicator:
    hits = [i for i in inds if i.code and i.code.value == code
            and (breakdown is None and i.parent is None or breakdown and i.name.value.endswith(f"({breakdown})"))]
    assert len(hits) == 1, [i.name.value for i in hits]
    return hits[0]


def test_pack_counts(pack: list[Indicator]) -> None:
    # Programme indicators PI1-PI15 (PI9 printed 'PI79', line 1349) at lines 1282-1384;
    # PI1, PI2, PI7 and PI8 each break down into two projects (Ambition/Routes lines
    # 1283-1286, ConnectMe/Exceed in Coventry lines 1345-1348): 15 + 8 = 23.
    # Outcome indicators OI1-OI15 at lines 1392-1429 ('O14'-'O17' as printed): 15.
    assert len(pack) == 38
    codes = {i.code.value for i in pack if i.code}
    assert len(codes) == 30
    assert {"PI1", "PI79", "PI15", "OI1", "O14", "OI15"} <= codes
    # Values that name a number (n/a, tbc, '-', 'Not available', commentary skipped).
    assert sum(len(i.observations) for i in pack) == 123


def test_breakdown_rows(pack: list[Indicator]) -> None:
    # Line 1283: 'PI1: ...<TAB>Ambition<TAB>Coventry City Council<TAB><TAB>558<TAB>254<TAB>91<TAB>71<TAB>144'
    ambition = by_code(pack, "PI1", "Ambition")
    assert obs(ambition) == {
        ("actual", "2016/17"): "558", ("actual", "2017/18"): "254", ("target", "2018/19"): "91",
        ("actual", "Q3 2018/19"): "71", ("actual", "2018/19 year to date"): "144",
    }
    # Line 1284: the Routes row under it, with only 2018/19 figures.
    routes = by_code(pack, "PI1", "Routes")
    assert obs(routes) == {("target", "2018/19"): "31", ("actual", "Q3 2018/19"): "6",
                           ("actual", "2018/19 year to date"): "36"}
    assert by_code(pack, "PI1").observations == []


def test_row_short_of_the_breakdown_column(pack: list[Indicator]) -> None:
    # Line 1354: PI12 has 8 cells under a 9-column header (no breakdown cell).
    pi12 = obs(by_code(pack, "PI12"))
    assert pi12[("baseline", "2015/16")] == "25"
    assert pi12[("actual", "2016/17")] == "13"
    assert pi12[("target", "2016/17")] == "25"  # '13 <i>Target: 25</i>'
    assert pi12[("target", "2018/19")] == "10"
    assert pi12[("actual", "2018/19 year to date")] == "16"
    assert ("actual", "Q3 2018/19") not in pi12  # empty cell


def test_row_stacked_one_cell_per_line(pack: list[Indicator]) -> None:
    # Lines 1289-1303: PI4's cells each on a line of their own: 31 43 45 80 49 160.
    pi4 = by_code(pack, "PI4")
    assert obs(pi4) == {
        ("baseline", "2015/16"): "31", ("actual", "2016/17"): "43", ("actual", "2017/18"): "45",
        ("target", "2018/19"): "80", ("actual", "Q3 2018/19"): "49", ("actual", "2018/19 year to date"): "160",
    }
    assert [o.span.first for o in pi4.observations] == [1293, 1295, 1297, 1299, 1301, 1303]


def test_outcome_indicators(pack: list[Indicator]) -> None:
    # Line 1393: OI1 63.9% / 65.4% / '66.1%  Improving' / a relative target naming 70.7%.
    oi1 = by_code(pack, "OI1")
    assert obs(oi1) == {
        ("baseline", "2015/16"): "63.9%", ("actual", "2016/17"): "65.4%", ("actual", "2017/18"): "66.1%",
        ("target", "2017/18"): "Better than or equal to national average: 70.7%",
    }
    assert oi1.unit is not None and oi1.unit.value == "%"
    # Line 1391: the heading above the table (itself a row of tabs) says what it measures.
    assert [m.value for m in oi1.measures] == ["Tackling inequalities disproportionately affecting young people"]
    # Line 1400: 'O14: Hospital admissions as a result of self-harm (10-24 years) Page 74'
    o14 = by_code(pack, "O14")
    assert o14.name.value == "Hospital admissions as a result of self-harm (10-24 years)"
    assert o14.unit is not None and o14.unit.value == "per 100,000"
    assert obs(o14)[("actual", "2017/18")] == "438 per 100,000"
    # Line 1420: 'Baseline data (2017)'; line 1424: OI11 '421' with 'tbc' targets.
    assert obs(by_code(pack, "OI11")) == {("baseline", "2017"): "421", ("actual", "2017/18"): "421"}


def test_programme_indicators_measure_their_heading(pack: list[Indicator]) -> None:
    # Line 1379: 'Programme Indicators: To work strategically to reduce levels of poverty in Coventry'
    assert [m.value for m in by_code(pack, "PI14").measures] == [
        "To work strategically to reduce levels of poverty in Coventry"]
    # Line 1342 writes 'good growth' with straight quotes, line 1319 with curly ones.
    assert "'good growth'" in by_code(pack, "PI11").measures[0].value


def test_every_value_is_cited_where_it_stands(pack: list[Indicator]) -> None:
    lines = PACK.read_text("utf-8").splitlines()
    for ind in pack:
        assert ind.name.span.quote in "\n".join(lines[ind.name.span.first - 1 : ind.name.span.last])
        for o in ind.observations:
            assert o.value.span.quote in lines[o.value.span.first - 1]


def test_queries_answer_on_the_corpus(corpus_store: OxigraphStore) -> None:
    t = select(corpus_store, queries.load("indicators"))
    assert len(t.rows) == 38
    o = select(corpus_store, queries.load("observations"))
    assert len(o.rows) == 123
    kinds = {str(r["kind"]) for r in o.rows}
    assert kinds == {"baseline", "actual", "target"}


# -- variants written for these tests ------------------------------------------------

MARKDOWN = """\
# Northshire Health and Wellbeing Board

## Better Care Fund performance: Quarter 2 2019/20

### Metrics: Reducing delayed transfers of care

| Measure | Unit | 2018/19 Actual | Q1 2019/20 | Q2 2019/20 | 2019/20 Target |
|---|---|---|---|---|---|
| BCF1 - Delayed transfers of care (delayed days) | days per day | 42.1 | 38.0 | 36.5 | 35.0 |
| BCF2 - Permanent admissions to residential care (65+) | per 100,000 | 612 | n/a | 301 | 590 |
| Proportion of older people still at home 91 days after discharge | % | 84.2% | | | 85% |
"""

SHEET = """\
Non-elective admissions
\t2016/17\t2017/18\t2018/19\t2019/20 Plan
Non-elective admissions (all ages)\t31,204\t32,011\t31,870\t31,500
Emergency readmissions within 30 days\t12.1%\t11.8%\t-\t11.0%
A&E attendances\t\t\t\t
"""

NO_PERIODS = """\
Outcome measures: Healthy weight

Indicator\tDefinition\tBaseline\tTarget
Excess weight in adults\tPercentage of adults classified overweight or obese\t64.3% (2016)\tReduce to 62%
Physically inactive adults\tPercentage doing less than 30 minutes a week\t27.4%\ttbc
"""


def test_markdown_pipe_table_with_renamed_headers() -> None:
    inds = extract_indicators(source_from_text(MARKDOWN))
    assert [i.name.value for i in inds] == [
        "Delayed transfers of care (delayed days)",
        "Permanent admissions to residential care (65+)",
        "Proportion of older people still at home 91 days after discharge",
    ]
    bcf1, bcf2, home = inds
    assert bcf1.code is not None and bcf1.code.value == "BCF1"
    assert bcf1.unit is not None and bcf1.unit.value == "days per day"
    assert obs(bcf1) == {("actual", "2018/19"): "42.1", ("actual", "Q1 2019/20"): "38.0",
                         ("actual", "Q2 2019/20"): "36.5", ("target", "2019/20"): "35.0"}
    assert ("actual", "Q1 2019/20") not in obs(bcf2)  # n/a
    assert obs(home) == {("actual", "2018/19"): "84.2%", ("target", "2019/20"): "85%"}
    assert [m.value for m in bcf1.measures] == ["Reducing delayed transfers of care"]


def test_spreadsheet_rows_header_of_periods() -> None:
    # The shape the XLSX/CSV readers write: a header row of periods, one row per indicator.
    inds = extract_indicators(source_from_text(SHEET))
    assert [i.name.value for i in inds] == [
        "Non-elective admissions (all ages)", "Emergency readmissions within 30 days"]
    nel, readm = inds
    assert obs(nel) == {("actual", "2016/17"): "31,204", ("actual", "2017/18"): "32,011",
                        ("actual", "2018/19"): "31,870", ("plan", "2019/20"): "31,500"}
    assert ("actual", "2018/19") not in obs(readm)  # '-'
    assert readm.unit is not None and readm.unit.value == "%"
    assert nel.code is None


def test_missing_periods_are_read_from_the_value_or_said_not_stated() -> None:
    inds = extract_indicators(source_from_text(NO_PERIODS))
    weight, inactive = inds
    assert obs(weight) == {("baseline", "2016"): "64.3% (2016)", ("target", "not stated"): "Reduce to 62%"}
    assert weight.definition is not None
    assert obs(inactive) == {("baseline", "not stated"): "27.4%"}
    assert [m.value for m in weight.measures] == ["Healthy weight"]


@pytest.mark.parametrize(("header", "kind", "period"), [
    ("Baseline data (15/16)", "baseline", "2015/16"),
    ("Actual Q3 18/19", "actual", "Q3 2018/19"),
    ("18/19 Target", "target", "2018/19"),
    ("2019/20 Plan", "plan", "2019/20"),
    ("Year to date 18/19", "actual", "2018/19 year to date"),
    ("Mar 2019", "actual", "Mar 2019"),
    ("2018/19 Q2", "actual", "Q2 2018/19"),
])
def test_period_headers(header: str, kind: str, period: str) -> None:
    c = column(header)
    assert (c.field, c.kind, c.period) == ("value", kind, period)


def test_non_period_headers() -> None:
    assert column("Indicator & Definition").field == "label"
    assert column("Organisation / Directorate Contact").field == "owner"
    assert column("Responsible Officer").field == "owner"
    assert column("Commentary").field == "other"
    assert full_period("15/16") == "2015/16"


# -- who owns each indicator (the 'Organisation / Directorate Contact' column) -------------


def owners(ind: Indicator) -> list[tuple[str, str | None]]:
    return [(m.text, m.organisation.text if m.organisation else None) for m in ind.owners]


CCC_PLACE_MAWBY = [("Coventry City Council", None), ("Coventry City Council (Place Directorate)", None),
                   ("Kim Mawby", "Coventry City Council (Place Directorate)")]


def test_owner_cells_in_the_pack(pack: list[Indicator]) -> None:
    # Lines 1283-1284: PDF extraction split PI1's one cell over its two breakdown rows,
    # 'Coventry City Council' beside Ambition and 'Place Directorate Kim Mawby' beside
    # Routes; the indicator and both breakdowns are owned by all three.
    for code in ("PI1", "PI2", "PI7", "PI8"):
        assert owners(by_code(pack, code)) == CCC_PLACE_MAWBY, code
    assert owners(by_code(pack, "PI1", "Routes")) == CCC_PLACE_MAWBY
    # Line 1287: one cell run together: organisation, directorate, contact.
    assert owners(by_code(pack, "PI3")) == [
        ("Coventry City Council", None), ("Coventry City Council (Public Health)", None),
        ("Sue Frossell", "Coventry City Council (Public Health)")]
    # Lines 1289-1291: PI4's cells stacked one per line; the owner precedes the values.
    assert owners(by_code(pack, "PI4")) == [("Positive Youth Foundation", None)]
    # Lines 1351-1353: PI11's cell runs on into a row that holds only a page number.
    pi11 = by_code(pack, "PI11")
    assert owners(pi11) == CCC_PLACE_MAWBY
    assert (pi11.owners[0].span.first, pi11.owners[0].span.last) == (1351, 1353)
    assert owners(by_code(pack, "PI79")) == [("DWP", None), ("Iona Old", "DWP")]
    assert owners(by_code(pack, "PI13")) == [("Chamber of Commerce", None), ("Martyne Manning", "Chamber of Commerce")]
    assert owners(by_code(pack, "PI14")) == [("Positive Youth Foundation", None)]
    # PI5 and PI6 (lines 1311-1312) name no contact; outcome indicators have no such column.
    unowned = {i.code.value for i in pack if not i.owners and i.code}
    assert {"PI5", "PI6"} <= unowned and all(c.startswith("O") for c in unowned - {"PI5", "PI6"})
    assert sum(1 for i in pack if i.owners) == 21  # 13 indicators, 8 breakdowns


def test_owner_quotes_stand(pack: list[Indicator]) -> None:
    lines = PACK.read_text("utf-8").splitlines()
    for ind in pack:
        for m in ind.owners:
            assert m.span.quote in "\n".join(lines[m.span.first - 1 : m.span.last]), m


def test_gaps_count_owned_indicators(corpus_store: OxigraphStore) -> None:
    # Before the owner column was read all 38 indicators were 'indicator-unowned'; now
    # only those no one is named for: PI5, PI6 and the 15 outcome indicators.
    t = select(corpus_store, queries.load("gaps"))
    gaps = {str(r["label"]) for r in t.rows if str(r["gap"]) == "indicator-unowned"}
    assert len(gaps) == 17
    assert "Indicator around family hubs to be developed following workshop in October" in gaps
    assert "Number of people supported into employment by the Coventry Job Shop" not in gaps
    rows = select(corpus_store, """
        PREFIX gg: <https://w3id.org/govgraph/ns#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?who ?unitOf WHERE {
          ?i a gg:Indicator ; skos:notation "PI12" ; gg:owner ?o . ?o skos:prefLabel ?who .
          OPTIONAL { ?o gg:partOf/skos:prefLabel ?unitOf }
        }""").rows
    got = {(str(r["who"]), str(r["unitOf"]) if r.get("unitOf") else None) for r in rows}
    assert got == {("Coventry City Council", None), ("Place Directorate", "Coventry City Council"),
                   ("Sharon Lindop", None)}


OWNED = """Northshire Public Health Outcomes: quarterly performance

KPI	Lead Officer	2018/19 Actual	2019/20 Target
Smoking quitters at 4 weeks	Northshire County Council, Public Health, Dr Amir Khan	1,204	1,300
Chlamydia detection rate	Northshire Sexual Health Service	2,011	2,300
NHS Health Checks delivered	Northshire CCG Primary Care Team Jo Reid	8,450	9,000
"""

OWNED_MD = """## Adult social care measures

| Measure | Responsible Officer | 2018/19 | 2019/20 Target |
|---|---|---|---|
| Permanent admissions to care homes (65+) | Sam Hughes | 612 | 590 |
| Reablement: still at home after 91 days | Westvale Borough Council - Adult Services | 81% | 85% |
"""


def test_owner_column_under_other_headers() -> None:
    smoking, chlamydia, checks = extract_indicators(source_from_text(OWNED))
    assert owners(smoking) == [
        ("Northshire County Council", None), ("Northshire County Council (Public Health)", None),
        ("Dr Amir Khan", "Northshire County Council (Public Health)")]
    assert owners(chlamydia) == [("Northshire Sexual Health Service", None)]  # a service, not a person
    assert owners(checks) == [("Northshire CCG", None), ("Northshire CCG (Primary Care Team)", None),
                              ("Jo Reid", "Northshire CCG (Primary Care Team)")]
    admissions, reablement = extract_indicators(source_from_text(OWNED_MD, "asc.md"))
    assert owners(admissions) == [("Sam Hughes", None)]
    assert owners(reablement) == [("Westvale Borough Council", None),
                                  ("Westvale Borough Council (Adult Services)", None)]


def test_owners_resolve_and_validate(tmp_path: Path) -> None:
    store = ingested_text(tmp_path, "northshire_kpis.txt", OWNED)
    t = select(store, queries.load("gaps"))
    assert not [r for r in t.rows if str(r["gap"]) == "indicator-unowned"]
    people = {str(r["label"]): str(r["organisation"]) for r in select(store, queries.load("people")).rows}
    assert people["Dr Amir Khan"] == "Public Health" and people["Jo Reid"] == "Primary Care Team"
    orgs = {str(r["label"]) for r in select(store, queries.load("organisations")).rows}
    assert {"Northshire County Council", "Public Health", "Northshire CCG"} <= orgs


def test_variant_graph_validates_and_answers(tmp_path: Path) -> None:
    store = ingested_text(tmp_path, "northshire_bcf.md", MARKDOWN)
    o = select(store, queries.load("observations"))
    rows = {(str(r["indicatorLabel"]), str(r["period"]), str(r["kind"])): str(r["value"]) for r in o.rows}
    assert rows[("Delayed transfers of care (delayed days)", "2019/20", "target")] == "35.0"
    assert len(rows) == 9  # 4 + 3 (one n/a) + 2
