"""Meeting packs: agendas, minutes (attendance, numbered minutes, decisions) and report
cover sheets, checked against a careful reading of the Health and Well-being Board pack
and against two small papers written here in other councils' styles."""

from __future__ import annotations

import dataclasses

import pytest

from govgraph.graph import queries
from govgraph.graph.build import ingest_paths
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from govgraph.ingest.cover import extract_reports
from govgraph.ingest.meeting import extract_meetings
from govgraph.ingest.records import Cell, Mention, Span
from govgraph.ingest.source import Source, read_source, source_from_text
from support import BASE, EXAMPLES

PACK = EXAMPLES / "001_a1962bd04f6d0873.txt"


def spans(rec: object) -> list[Span]:
    """Every span a record holds, nested records and mentions included."""
    out: list[Span] = []
    if isinstance(rec, Span):
        return [rec]
    if isinstance(rec, (Cell, Mention)):
        out.append(rec.span)
        if isinstance(rec, Mention) and rec.organisation:
            out.extend(spans(rec.organisation))
        return out
    if dataclasses.is_dataclass(rec) and not isinstance(rec, type):
        for f in dataclasses.fields(rec):
            value = getattr(rec, f.name)
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    out.extend(spans(item))
    return out


def assert_quotes_stand(src: Source, records: list[object]) -> None:
    for rec in records:
        for sp in spans(rec):
            assert 1 <= sp.first <= sp.last <= len(src.lines)
            assert sp.quote and sp.quote in src.text(sp.first, sp.last), sp


# -- the corpus pack ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack() -> Source:
    return read_source(PACK)


def test_pack_meetings(pack: Source) -> None:
    minutes, agenda = extract_meetings(pack)
    assert agenda.date.value == "2019-04-08" and minutes.date.value == "2019-01-14"
    for m in (agenda, minutes):
        assert m.body is not None and m.body.text == "Coventry Health and Well-being Board"
        assert m.time is not None and m.time.value == "2.00 pm"
    assert agenda.place is not None and agenda.place.value == "Committee Room 3 - Council House"


def test_pack_agenda(pack: Source) -> None:
    agenda = extract_meetings(pack)[1]
    assert [i.number.value for i in agenda.items] == [str(n) for n in range(1, 15)]
    titles = {i.number.value: i.title.value for i in agenda.items}
    assert titles["3"] == "Minutes of Previous Meeting"  # '(Pages 5 - 18)' dropped
    assert titles["12"] == "'I' Statements for Health and Social Care"
    report_of = {i.number.value: [m.text for m in i.report_of] for i in agenda.items if i.report_of}
    assert report_of == {
        "5": ["Mike O'Hara"], "6": ["Liz Gaulton"], "7": ["Liz Gaulton"], "8": ["Liz Gaulton"],
        "9": ["Rachael Danter"], "10": ["Liz Gaulton"], "11": ["David Ashmore"], "12": ["Andrea Green"],
        "13": ["Pete Fahy"],
    }
    gaulton = agenda.items[5].report_of[0]
    assert gaulton.role == "Director of Public Health and Wellbeing"


def test_pack_minutes(pack: Source) -> None:
    minutes = extract_meetings(pack)[0]
    assert len(minutes.present) == 21  # 12 board members, 2 other representatives, 7 employees
    assert len(minutes.apologies) == 7
    present = {p.text: p for p in minutes.present}
    assert present["Councillor Caan"].role == "Chair"
    assert present["Ruth Light"].organisation.text == "Coventry Healthwatch"
    assert "L Knight" in present and "Board Members" not in present
    apologies = {p.text: p for p in minutes.apologies}
    assert apologies["Steve Banbury"].organisation.text == "Voluntary Action Coventry"
    assert [m.number.value for m in minutes.minutes] == [str(n) for n in range(26, 40)]
    resolved = {m.number.value: len(m.resolutions) for m in minutes.minutes if m.resolutions}
    # 8 RESOLVED passages, 19 clauses: (1)..(n) counted one by one.
    assert resolved == {"31": 3, "32": 3, "33": 3, "34": 1, "35": 4, "36": 1, "37": 2, "38": 2}
    first = minutes.minutes[5].resolutions[0].text.value
    assert first.startswith("The progress made in the development of a place-based Joint")


def test_pack_reports(pack: Source) -> None:
    reports = extract_reports(pack)
    assert len(reports) == 9
    assert all(r.date is not None and r.date.value == "2019-04-08" for r in reports)
    assert all([t.text for t in r.to] == ["Coventry Health and Wellbeing Board"] for r in reports)
    last = reports[-1]
    assert last.title.value.startswith("Care Quality Commission (CQC) Local System Review")
    assert [a.text for a in last.authors] == ["Pete Fahy", "Debbie Dawson"]


def test_pack_quotes_stand(pack: Source) -> None:
    assert_quotes_stand(pack, [*extract_meetings(pack), *extract_reports(pack)])


def test_pack_queries(corpus_store: OxigraphStore) -> None:
    def rows(name: str) -> list[dict[str, str]]:
        t = select(corpus_store, queries.load(name))
        return [dict(zip(t.columns, (str(v) if v is not None else "" for v in t.values(r)))) for r in t.rows]

    meetings = rows("meetings")
    assert sorted(r["date"] for r in meetings) == ["2019-01-14", "2019-04-08"]
    assert all(r["bodyLabel"] for r in meetings)
    agenda = rows("agenda")
    assert len(agenda) == 14 + 14  # agenda items of 8 April, minutes of 14 January
    assert len(rows("resolutions")) == 19
    attendance = rows("attendance")
    assert sum(r["attendance"] == "present" for r in attendance) == 21
    assert sum(r["attendance"] == "apologies" for r in attendance) == 7
    reports = [r for r in rows("reports") if "/doc/001_" in r["report"]]  # the pack's cover sheets
    assert len(reports) == 9 and all(r["to"] and r["from"] and r["date"] == "2019-04-08" for r in reports)


# -- papers in other styles ---------------------------------------------------------------

COMMITTEE = """\
# Anytown Borough Council

## Scrutiny Co-ordination Committee

**Date:** Wednesday, 5 June 2019
**Time:** 10.00 am
**Venue:** Committee Room 2, Town Hall

## Agenda

1. **Apologies for Absence**
2. **Declarations of Interest**
3. **Budget Monitoring 2019/20**

   Report of Jane Smith, Director of Finance
4. **Air Quality Action Plan**

   Contact Officer: Tom Brown, Environmental Health Manager
5. **Any Other Business**

---

# Minutes of the Scrutiny Co-ordination Committee held on 6 March 2019

**Apologies for absence:** Councillor P Green and Dr Ann White, Anytown CCG

**Present:** Councillor J Smith (Chair), Councillor K Patel, Councillor R Jones

**In attendance:** Mary Evans, Scrutiny Officer

## 12. Minutes of the previous meeting

The minutes of the meeting held on 9 January 2019 were agreed as a correct record.

## 13. Waste Collection Review

The Committee considered a report on the waste collection review.

**Decision:** The Committee agreed to recommend the revised collection schedule to Cabinet.

## 14. Work Programme

The Committee agreed that the work programme be approved, subject to an item on flooding.

The meeting closed at 11.45 am.
"""

TRUST = """\
Northshire Integrated Care Partnership Board

Minutes of the meeting of the Northshire Integrated Care Partnership Board held in the
Boardroom, Riverside House on Tuesday 12 March 2019 at 1.30 pm

Present
Dr Helen Carter, Chair, Northshire CCG
Mark Oduya, Chief Executive, Northshire Hospitals NHS Foundation Trust
Cllr Sue Barnes, Northshire County Council

Apologies for absence were received from Professor Alan Reid and Karen Doyle, Healthwatch Northshire

1. Welcome and introductions

The Chair welcomed members.

2. Urgent Care Strategy

AGREED:
(a) the Urgent Care Strategy be approved; and
(b) a progress report be brought to the September meeting.

3. Any other business

None.

(Meeting ended at 3.15 pm)

Northshire County Council

Report to: Northshire Integrated Care Partnership Board
Title of report: Winter Pressures Review
Report author: Sam Patel - Head of Urgent Care
Date of meeting: 9 April 2019

1. Purpose
"""


def test_committee_in_markdown() -> None:
    src = source_from_text(COMMITTEE, "committee.md", "committee")
    minutes, agenda = extract_meetings(src)
    assert agenda.body.text == "Scrutiny Co-ordination Committee" and agenda.date.value == "2019-06-05"
    assert agenda.time.value == "10.00 am" and agenda.place.value == "Committee Room 2, Town Hall"
    assert [i.title.value for i in agenda.items][2] == "Budget Monitoring 2019/20"
    assert {i.number.value: [m.text for m in i.report_of] for i in agenda.items if i.report_of} == {
        "3": ["Jane Smith"], "4": ["Tom Brown"],
    }
    assert minutes.body.text == "Scrutiny Co-ordination Committee" and minutes.date.value == "2019-03-06"
    assert [p.text for p in minutes.present] == [
        "Councillor J Smith", "Councillor K Patel", "Councillor R Jones", "Mary Evans",
    ]
    assert [p.text for p in minutes.apologies] == ["Councillor P Green", "Dr Ann White"]
    assert minutes.apologies[1].organisation.text == "Anytown CCG"
    assert [m.number.value for m in minutes.minutes] == ["12", "13", "14"]
    decisions = [[r.text.value for r in m.resolutions] for m in minutes.minutes]
    assert decisions == [
        [],
        ["The Committee agreed to recommend the revised collection schedule to Cabinet."],
        ["The Committee agreed that the work programme be approved, subject to an item on flooding."],
    ]
    assert extract_reports(src) == []
    assert_quotes_stand(src, [agenda, minutes])


def test_partnership_minutes_then_cover_sheet() -> None:
    src = source_from_text(TRUST, "trust.txt", "trust")
    (minutes,) = extract_meetings(src)
    assert minutes.body.text == "Northshire Integrated Care Partnership Board"
    assert minutes.date.value == "2019-03-12"
    assert [(p.text, p.role) for p in minutes.present] == [
        ("Dr Helen Carter", "Chair"), ("Mark Oduya", "Chief Executive"), ("Cllr Sue Barnes", None),
    ]
    assert [p.text for p in minutes.apologies] == ["Professor Alan Reid", "Karen Doyle"]
    assert [m.title.value for m in minutes.minutes] == [
        "Welcome and introductions", "Urgent Care Strategy", "Any other business",
    ]
    assert [r.text.value for r in minutes.minutes[1].resolutions] == [
        "The Urgent Care Strategy be approved; and", "A progress report be brought to the September meeting.",
    ]
    (report,) = extract_reports(src)
    assert report.title.value == "Winter Pressures Review" and report.date.value == "2019-04-09"
    assert [t.text for t in report.to] == ["Northshire Integrated Care Partnership Board"]
    assert [(a.text, a.role) for a in report.authors] == [("Sam Patel", "Head of Urgent Care")]
    assert_quotes_stand(src, [minutes, report])


def test_variants_ingest_and_validate(tmp_path) -> None:
    for name, text in (("committee.md", COMMITTEE), ("trust.txt", TRUST)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    store = OxigraphStore(None)
    report = ingest_paths([tmp_path], store, BASE)
    assert report.ok, report.errors
    t = select(store, queries.load("meetings"))
    assert len(t.rows) == 3
    t = select(store, queries.load("resolutions"))
    assert len(t.rows) == 4


MEMBERS_SPARQL = """
    PREFIX org: <http://www.w3.org/ns/org#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX gg: <https://w3id.org/govgraph/ns#>
    SELECT DISTINCT ?m ?person ?role ?on WHERE {
      ?m org:member/skos:prefLabel ?person ; org:role/skos:prefLabel ?role ;
         org:organization/skos:prefLabel "Health and Wellbeing Board" ; gg:recordedOn ?on .
    }"""


def test_board_members_become_dated_memberships_of_the_body(corpus_store) -> None:
    """The 14 January 2019 minutes list 12 'Board Members' (the chair among them); the
    8 April 2019 agenda's 'Membership:' line (line 80) lists 19."""
    rows = select(corpus_store, MEMBERS_SPARQL).rows
    by_date: dict[str, list] = {}
    for r in rows:
        by_date.setdefault(str(r["on"]), []).append(r)
    assert {d: len(rs) for d, rs in by_date.items()} == {"2019-01-14": 12, "2019-04-08": 19}
    for rs in by_date.values():
        assert [str(r["person"]) for r in rs if str(r["role"]) == "Chair"] == ["Councillor Caan"]
        assert {str(r["role"]) for r in rs} == {"Chair", "Member"}


def test_agenda_membership_line_in_the_pack(pack: Source) -> None:
    agenda = extract_meetings(pack)[1]
    # Line 80: 'Membership: Cllr F Abbott, Cllr K Caan (Chair), G Daly, ... R Stanton and Cllr K Taylor'
    got = [(m.member.text, m.role.value) for m in agenda.members]
    assert len(got) == 19 and got[0] == ("Cllr F Abbott", "Member") and got[1] == ("Cllr K Caan", "Chair")
    assert got[-2:] == [("R Stanton", "Member"), ("Cllr K Taylor", "Member")]
    assert all(m.recorded.value == "2019-04-08" and m.span.first == 80 for m in agenda.members)
    assert ("M O'Hara", "Member") in got


def test_diff_of_the_two_meetings_shows_who_joined(corpus_store) -> None:
    """Initials on the agenda ('G Daly', 'Cllr K Caan') are the people the minutes name
    in full ('Professor Guy Daly', 'Councillor Caan'). The January minutes list only the
    members present; those who sent apologies (Abbott, Duggins, O'Hara, Reeves, Stanton)
    and two not named in January (Linnell, Ogle) join in April; no one leaves."""
    from govgraph.graph.diff import diff

    d = diff(corpus_store, "coventry-health-and-wellbeing-board-2019-01-14",
             "coventry-health-and-wellbeing-board-2019-04-08")
    got = sorted((c.change, c.key) for c in d.changes)
    assert got == [("joined", n) for n in ("Councillor Abbott", "Councillor Duggins", "Martin Reeves",
                                            "Mike O'Hara", "Richard Stanton", "S Linnell", "S Ogle")]
    assert d.compared == 17 and d.unchanged == 12
    assert any("no attendance" in n for n in d.notes)
    # Those who sent apologies in January are shown as such, cited where the minutes say so.
    abbott = next(c for c in d.changes if c.key == "Councillor Abbott")
    assert abbott.before == "apologies (not listed as a member)" and abbott.citeA.endswith(".txt:129")
    assert next(c for c in d.changes if c.key == "S Ogle").before is None


AGENDA_MARCH = """# Westvale Borough Council

## Health Scrutiny Panel

**Date:** Tuesday, 5 March 2019
**Venue:** Council Chamber, Civic Centre

**Membership:** Councillor Ann Patel (Chair), Councillor Tom Reid (Vice-Chair),
Councillor Jo Marsh, Dr Ruth Ellis (Westvale CCG) and Helen Cho, Director of Public Health

## Agenda

1. **Apologies for absence**
2. **Dementia services review**
"""

AGENDA_JUNE = """Westvale Borough Council

Health Scrutiny Panel

Date: Tuesday, 11 June 2019
Venue: Council Chamber, Civic Centre

Committee Membership

Councillor Tom Reid (Chair)

Councillor Jo Marsh

Councillor Priya Shah (Vice-Chair)
Dr Ruth Ellis, Westvale CCG

1. Apologies for absence
2. Winter planning

Contact officer: Liz Moore
"""

AGENDA_SURNAMES = """Anytown City Council

Cabinet Advisory Panel

Date of meeting: 2 September 2019

Members:
Councillors: Abbott, Bains (Chair), O'Neill and Walsh
Co-opted members: Mr K Osei, Mrs D Lamb

1. Welcome
2. Budget consultation
"""


def test_membership_variants() -> None:
    (march,) = extract_meetings(source_from_text(AGENDA_MARCH, "march.md", "march"))
    assert [(m.member.text, m.role.value) for m in march.members] == [
        ("Councillor Ann Patel", "Chair"), ("Councillor Tom Reid", "Vice-Chair"), ("Councillor Jo Marsh", "Member"),
        ("Dr Ruth Ellis", "Member"), ("Helen Cho", "Member")]
    ellis, cho = march.members[3].member, march.members[4].member
    assert ellis.organisation.text == "Westvale CCG" and cho.role == "Director of Public Health"
    assert {m.span.first for m in march.members} == {8, 9}  # a list run on to the next line
    (june,) = extract_meetings(source_from_text(AGENDA_JUNE, "june.txt", "june"))
    assert [(m.member.text, m.role.value) for m in june.members] == [
        ("Councillor Tom Reid", "Chair"), ("Councillor Jo Marsh", "Member"),
        ("Councillor Priya Shah", "Vice-Chair"), ("Dr Ruth Ellis", "Member")]
    assert all(m.recorded.value == "2019-06-11" for m in june.members)
    assert "Liz Moore" not in {m.member.text for m in june.members}
    (panel,) = extract_meetings(source_from_text(AGENDA_SURNAMES, "panel.txt", "panel"))
    assert [(m.member.text, m.role.value) for m in panel.members] == [
        ("Councillor Abbott", "Member"), ("Councillor Bains", "Chair"), ("Councillor O'Neill", "Member"),
        ("Councillor Walsh", "Member"), ("Mr K Osei", "Member"), ("Mrs D Lamb", "Member")]


def test_diff_between_two_agendas_shows_membership_changes(tmp_path) -> None:
    from govgraph.graph.diff import diff

    (tmp_path / "march.md").write_text(AGENDA_MARCH, "utf-8")
    (tmp_path / "june.txt").write_text(AGENDA_JUNE, "utf-8")
    store = OxigraphStore(None)
    assert ingest_paths([tmp_path], store, BASE).ok
    d = diff(store, "health-scrutiny-panel-2019-03-05", "health-scrutiny-panel-2019-06-11")
    got = {(c.change, c.key): (c.before, c.after) for c in d.changes}
    assert got == {
        ("left", "Councillor Ann Patel"): ("Chair", None),
        ("left", "Helen Cho"): ("Member", None),
        ("role", "Councillor Tom Reid"): ("Vice-Chair", "Chair"),
        ("joined", "Councillor Priya Shah"): (None, "Vice-Chair"),
    }


EMPLOYEES = """\
Northshire County Council
Minutes of the Meeting of the Northshire Adult Care Committee held at 10.00 am on Tuesday, 5 March 2024

Present:

Committee Members: Councillor Patel (Chair)
Councillor Okafor

Officers (by Department):

Adults: S Jones
T Wu
Finance Service: P Green

Apologies: Councillor Reid

1. Minutes

RESOLVED that the minutes be agreed.
"""


def test_employees_listed_by_directorate_belong_to_it() -> None:
    (meeting,) = extract_meetings(source_from_text(EMPLOYEES))
    orgs = {p.text: p.organisation.text if p.organisation else None for p in meeting.present + meeting.apologies}
    assert orgs == {
        "Councillor Patel": None, "Councillor Okafor": None, "Councillor Reid": None,
        "S Jones": "Northshire County Council (Adults Directorate)",
        "T Wu": "Northshire County Council (Adults Directorate)",
        "P Green": "Northshire County Council (Finance Service)",
    }


def test_employees_of_the_pack_are_the_councils(pack: Source) -> None:
    minutes = next(m for m in extract_meetings(pack) if m.minutes)
    orgs = {p.text: p.organisation.text for p in minutes.present if p.organisation}
    assert orgs["L Knight"] == "Coventry City Council (Place Directorate)"
    assert orgs["J Fowles"] == "Coventry City Council (People Directorate)"
    assert orgs["Matt Gilks"] == "Coventry and Rugby CCG"  # an 'Other representatives' line is no directorate


def test_minutes_of_the_meeting_held_on_take_the_body_above() -> None:
    text = ("Westvale Borough Council\n\n# Health Scrutiny Panel\n\n"
            "Minutes of the meeting held on Tuesday, 5 March 2024 at 6.00 pm\n\nPresent: Councillor Patel (Chair)\n\n"
            "1. Minutes\n\nRESOLVED that the minutes be agreed.\n")
    (meeting,) = extract_meetings(source_from_text(text))
    assert meeting.body.text == "Health Scrutiny Panel" and meeting.date.value == "2024-03-05"
    # With no body named above, no meeting of a body called 'held' is made up.
    assert extract_meetings(source_from_text(text.replace("# Health Scrutiny Panel", "Agenda pack"))) == []
