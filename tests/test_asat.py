"""The graph as at a day (issue #10): papers' dates, the governance and people queries,
and the governance and focus views, each checked against what the papers say and when.

The corpus's papers are dated as they state (examples/coventry): the CQC review report
by its review week, 22 – 26 January 2018 (003_*.txt line 8); the Cabinet report by its
cover, 12th June 2018 (004_*.txt line 4); the improvement plan by "completed March
2019" (000_*.txt line 7), read as 31 March 2019; the Health and Wellbeing Board pack by
its meeting, 8th April 2019 (001_*.txt line 9), which carries the minutes of 14 January
2019 whose member list (lines 120-135) keeps that meeting's date.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef

from govgraph.api.app import create_app
from govgraph.errors import QueryError
from govgraph.graph import queries, views
from govgraph.graph.sparql import select
from govgraph.ingest.dated import document_date
from govgraph.ingest.extract import extract
from govgraph.ingest.source import read_source
from govgraph.viz import render_view
from support import BASE, ingested
from test_api_support import assert_error, settings

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
HWB = f"{BASE}body/health-and-wellbeing-board"
UCDB = f"{BASE}body/urgent-care-delivery-board"
ICB = f"{BASE}body/northshire-integrated-care-board"
DATED = {"003_d6604f90980adc01.txt": ("2018-01-26", 7, 8), "004_5b290fc41017330c.txt": ("2018-06-12", 4, 4),
         "000_bffd6dc40caf8094.txt": ("2019-03-31", 7, 7), "001_a1962bd04f6d0873.txt": ("2019-04-08", 9, 9)}

MINUTES = """Northshire County Council

Minutes of the Meeting of Northshire Health and Wellbeing Board held at 2.00 pm
on Monday, {day}

Present:

Board Members: Councillor Amara Okafor (Chair)
{members}

Public Business

1. **Declarations of Interest**

There were no declarations of interest.

2. **Urgent Care**

The Urgent Care Delivery Board reports to the {parent}.

(Meeting closed at 4.00 pm)
"""
JANUARY = MINUTES.format(day="14 January 2019", parent="Health and Wellbeing Board",
                         members="Tom Briggs, Director of Public Health\nPriya Shah, Chief Officer")
# The April list leaves Tom Briggs out and adds Grace Ellis; the board reports elsewhere too.
APRIL = MINUTES.format(day="8 April 2019", parent="Northshire Integrated Care Board",
                       members="Priya Shah, Chief Officer\nGrace Ellis, Medical Director")
UNDATED = "Northshire Discharge Group\n\nThe Discharge Group reports to the Urgent Care Delivery Board.\n"


def answer(store, name: str, day: str | None = None) -> list[dict[str, str]]:
    bindings = {"asAt": Literal(day, datatype=XSD_DATE)} if day else None
    t = select(store, queries.load(name), bindings)
    return [{c: str(r[c]) if c in r else "" for c in t.columns} for r in t.rows]


def first_stated(store) -> dict[tuple[str, str, str], str]:
    """For each stated relation, the date of the earliest dated paper that states it."""
    rows = select(store, """
        PREFIX gg: <https://w3id.org/govgraph/ns#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?s ?p ?o (MIN(?d) AS ?day) WHERE {
          ?e rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; gg:document/dcterms:date ?d } GROUP BY ?s ?p ?o""").rows
    return {(str(r["s"]), str(r["p"]).rsplit("#", 1)[-1], str(r["o"])): str(r["day"]) for r in rows}


# ---------------------------------------------------------------- papers' dates


def test_papers_are_dated_as_they_say(corpus_store) -> None:
    rows = select(corpus_store, """
        PREFIX gg: <https://w3id.org/govgraph/ns#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?file ?day ?start ?end ?quote WHERE {
          ?doc gg:sourceFile ?file ; dcterms:date ?day .
          ?e rdf:subject ?doc ; rdf:predicate dcterms:date ; gg:lineStart ?start ; gg:lineEnd ?end ; gg:quote ?quote }""").rows
    got = {str(r["file"]): (str(r["day"]), int(r["start"]), int(r["end"])) for r in rows}
    assert got == DATED
    quotes = {str(r["file"]): str(r["quote"]) for r in rows}
    assert "completed March 2019" in quotes["000_bffd6dc40caf8094.txt"]
    assert "8th April, 2019" in quotes["001_a1962bd04f6d0873.txt"]


@pytest.mark.parametrize("text, day", [
    ("Report to the Board\n\nDate: 8 April 2019\n\nTitle: Winter\n", "2019-04-08"),
    ("# Northshire Winter Plan\n\nUpdated as at 31 March 2019\n\nPriority 1\n", "2019-03-31"),
    ("# Northshire Plan\n\nFinal Version - April 2018; completed March 2019\n", "2019-03-31"),
    ("Date of review:\n22 – 26 January 2018\n", "2018-01-26"),
    (JANUARY, "2019-01-14"),
    (JANUARY + "\n\n" + APRIL, "2019-04-08"),  # a pack: the meeting it is for, not the minutes it carries
    (UNDATED, None),
    ("# A plan\n\n" + "Some text.\n" * 20 + "Updated as at 31 March 2019\n", None),  # not at the paper's head
])
def test_the_day_a_paper_speaks_for(tmp_path: Path, text: str, day: str | None) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text(text, "utf-8")
    src = read_source(paper)
    found = document_date(src, extract(src).records)
    assert (found.value if found else None) == day
    if found:  # the passage that says so stands at its lines
        lines = " ".join(src.text(found.span.first, found.span.last).split())
        assert found.span.quote and all(word in lines for word in found.span.quote.split())


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize("day", ["2018-01-25", "2018-01-26", "2018-12-31", "2019-03-30", "2019-03-31", "2019-04-07", "2019-04-08"])
def test_governance_as_at_is_what_papers_dated_by_then_state(corpus_store, day: str) -> None:
    first = first_stated(corpus_store)
    every = answer(corpus_store, "governance")
    at = answer(corpus_store, "governance", day)
    p_of = {"partOf": ("partOf", "subOrganizationOf")}
    def stated_by(row: dict[str, str]) -> str | None:
        days = [first.get((row["from"], p, row["to"])) for p in p_of.get(row["relation"], (row["relation"],))]
        return min((d for d in days if d), default=None)
    expected = [r for r in every if (stated_by(r) or "9999") <= day]
    assert at == expected
    assert {stated_by(r) for r in at} <= {d for d, _s, _e in DATED.values() if d <= day}


def test_governance_and_people_as_at_after_every_paper_are_the_plain_answers(corpus_store) -> None:
    # Every corpus paper is dated, so after the last of them nothing is left out.
    for name in ("governance", "people"):
        assert answer(corpus_store, name, "2030-01-01") == answer(corpus_store, name)
    assert answer(corpus_store, "governance", "2018-01-01") == []


def test_people_as_at_the_january_board(corpus_store) -> None:
    listed = {str(r["p"]) for r in select(corpus_store, """
        PREFIX gg: <https://w3id.org/govgraph/ns#>
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?p WHERE { ?m org:member ?p ; gg:recordedOn "2019-01-14"^^<http://www.w3.org/2001/XMLSchema#date> }""").rows}
    assert len(listed) >= 10  # the minutes of 14 January list the board (001_*.txt lines 120-135)
    on_board = lambda rows: {r["person"] for r in rows if r["organisation"].endswith("Health and Wellbeing Board")}  # noqa: E731
    assert on_board(answer(corpus_store, "people", "2019-01-14")) == listed
    assert not on_board(answer(corpus_store, "people", "2019-01-13"))
    before = {r["person"] for r in answer(corpus_store, "people", "2019-01-13")}
    assert f"{BASE}person/councillor-caan" in before  # the Cabinet report of June 2018 names her post


@pytest.fixture(scope="module")
def meetings(tmp_path_factory) -> object:
    folder = tmp_path_factory.mktemp("asat")
    (folder / "01-minutes.txt").write_text(JANUARY, "utf-8")
    (folder / "02-minutes.txt").write_text(APRIL, "utf-8")
    (folder / "03-discharge.txt").write_text(UNDATED, "utf-8")
    return ingested(folder)


def board(rows: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(r["label"], r["role"]) for r in rows if r["organisation"].endswith("Health and Wellbeing Board")}


def test_a_later_list_ends_a_membership(meetings) -> None:
    chair, briggs, shah, ellis = (("Councillor Amara Okafor", "Chair"), ("Tom Briggs", "Member"),
                                  ("Priya Shah", "Member"), ("Grace Ellis", "Member"))
    assert board(answer(meetings, "people")) == {chair, briggs, shah, ellis}  # every post ever listed
    assert board(answer(meetings, "people", "2019-01-13")) == set()
    assert board(answer(meetings, "people", "2019-01-14")) == {chair, briggs, shah}
    assert board(answer(meetings, "people", "2019-04-07")) == {chair, briggs, shah}
    assert board(answer(meetings, "people", "2019-04-08")) == {chair, shah, ellis}
    # A post no list gives (his title) is not ended by a list that leaves him off the board.
    april = answer(meetings, "people", "2019-04-08")
    assert ("Tom Briggs", "Director of Public Health") in {(r["label"], r["role"]) for r in april}


def test_reporting_lines_as_at_each_meeting(meetings) -> None:
    lines = lambda rows: {(r["from"], r["relation"], r["to"]) for r in rows}  # noqa: E731
    assert lines(answer(meetings, "governance", "2019-01-14")) == {(UCDB, "reportsTo", HWB)}
    assert lines(answer(meetings, "governance", "2019-04-08")) == {(UCDB, "reportsTo", HWB), (UCDB, "reportsTo", ICB)}
    # The undated paper's line holds in the plain answer only.
    plain = lines(answer(meetings, "governance"))
    assert plain - lines(answer(meetings, "governance", "2030-01-01")) == {(f"{BASE}body/discharge-group", "reportsTo", UCDB)}


# ---------------------------------------------------------------- views


def test_governance_map_as_at_each_meeting(meetings) -> None:
    jan = views.governance(meetings, as_at="2019-01-14")
    apr = views.governance(meetings, as_at="2019-04-08")
    plain = views.governance(meetings)
    assert set(jan.graph.edges(keys=True)) == {(UCDB, HWB, "reportsTo")}
    assert set(apr.graph.edges(keys=True)) == {(UCDB, HWB, "reportsTo"), (UCDB, ICB, "reportsTo")}
    assert ICB not in jan.graph and ICB in apr.graph
    assert (f"{BASE}body/discharge-group", UCDB, "reportsTo") in set(plain.graph.edges(keys=True))
    cites = {p.file for p in apr.graph.edges[UCDB, ICB, "reportsTo"]["evidence"]}
    assert cites == {"02-minutes.txt"}
    assert {p.file for p in jan.graph.edges[UCDB, HWB, "reportsTo"]["evidence"]} == {"01-minutes.txt"}
    assert jan.title.endswith("as at 2019-01-14") and jan.documents == ["01-minutes.txt"]
    assert any("03-discharge.txt" in n and "no date" in n for n in jan.notes)
    assert views.governance(meetings, as_at="2019-01-13").graph.number_of_nodes() == 0


def test_focus_as_at_agrees_with_people(meetings) -> None:
    for day in ("2019-01-14", "2019-04-08"):
        v = views.build(meetings, "focus", focus_on=HWB, depth=1, as_at=day)
        members = {v.graph.nodes[s]["label"] for s, o, k in v.graph.edges(keys=True) if k == "memberOf" and o == HWB}
        assert members == {label for label, _role in board(answer(meetings, "people", day))}
        for s, o, k, d in v.graph.edges(keys=True, data=True):
            assert all(p.file != "03-discharge.txt" for p in d["evidence"])
            if k == "reportsTo":
                assert d["evidence"], "a stated relation cites its passage"
    with pytest.raises(QueryError, match="not a day"):
        views.build(meetings, "focus", focus_on=HWB, as_at="8 April 2019")


def test_views_as_at_after_every_paper_are_the_plain_views(corpus_store) -> None:
    for name, kw in [("governance", {}), ("focus", {"focus_on": "Health and Wellbeing Board", "depth": 2})]:
        plain = views.build(corpus_store, name, **kw)
        late = views.build(corpus_store, name, as_at="2030-01-01", **kw)
        assert sorted(plain.graph.nodes) == sorted(late.graph.nodes)
        assert sorted(plain.graph.edges(keys=True)) == sorted(late.graph.edges(keys=True))
        for s, o, k, d in plain.graph.edges(keys=True, data=True):
            assert d["evidence"] == late.graph.edges[s, o, k]["evidence"]


def test_corpus_governance_map_grows_with_the_papers(corpus_store) -> None:
    first = first_stated(corpus_store)
    march = views.governance(corpus_store, as_at="2019-03-31")
    april = views.governance(corpus_store, as_at="2019-04-08")
    assert set(march.graph.edges(keys=True)) < set(april.graph.edges(keys=True))
    for s, o, k, d in march.graph.edges(keys=True, data=True):
        assert {p.file for p in d["evidence"]} <= {"000_bffd6dc40caf8094.txt", "003_d6604f90980adc01.txt",
                                                   "004_5b290fc41017330c.txt"}
        if not d["derived"]:
            assert first[(s, k, o)] <= "2019-03-31"
    assert march.documents == ["000_bffd6dc40caf8094.txt", "003_d6604f90980adc01.txt", "004_5b290fc41017330c.txt"]


# ---------------------------------------------------------------- command line and HTTP


def gg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govgraph", *args], capture_output=True, text=True)


def test_cli_viz_and_query_as_at(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "01-minutes.txt").write_text(JANUARY, "utf-8")
    (papers / "02-minutes.txt").write_text(APRIL, "utf-8")
    store = str(tmp_path / "store")
    assert gg("ingest", str(papers), "--store", store).returncode == 0
    out = tmp_path / "gov.csv"
    r = gg("viz", "governance", "--as-at", "2019-01-14", "--store", store, "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert {(x["from_iri"], x["to_iri"]) for x in rows if x["relation"] == "reports to"} == {(UCDB, HWB)}
    r = gg("query", "people", "--as-at", "2019-04-08", "--store", store, "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert "Grace Ellis" in r.stdout and "Tom Briggs,Member" not in r.stdout
    assert "Tom Briggs,Member" in gg("query", "people", "--store", store, "--format", "csv").stdout
    assert gg("viz", "governance", "--as-at", "14/01/2019", "--store", store, "--out", str(out)).returncode == 2


def test_http_views_and_queries_as_at(meetings) -> None:
    def render(view: str, focus: str | None, depth: int, as_at=None) -> str:
        return render_view(meetings, view, focus=focus, depth=depth, base=BASE, fmt="html", as_at=as_at).decode()

    client = TestClient(create_app(settings(), meetings, views=render))
    page = client.get("/viz/governance", params={"as_at": "2019-01-14"})
    assert page.status_code == 200 and "as at 2019-01-14" in page.text
    assert "Northshire Integrated Care Board" not in page.text
    assert "Northshire Integrated Care Board" in client.get("/viz/governance", params={"as_at": "2019-04-08"}).text
    assert_error(client.get("/viz/governance", params={"as_at": "2019-02-30"}), 400, "bad_parameter")
    people = client.get("/queries/people", params={"as_at": "2019-04-08", "format": "csv"}).text
    assert "Grace Ellis" in people and "Tom Briggs,Member" not in people
    assert "Tom Briggs,Member" in client.get("/queries/people", params={"format": "csv"}).text
