"""Answers no other tool gives — overdue work, golden-thread gaps, unanswered
recommendations, change between two papers — each checked against the papers.

The expected answers come from reading examples/coventry: 000_*.txt is the CQC local
system review improvement plan ("completed March 2019"), 001_*.txt the Health and
Wellbeing Board pack for 8 April 2019 that carries the same plan (lines 2600-2880),
003_*.txt the CQC review itself with its "Areas for improvement" (lines 648-665).
"""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime, timezone
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef

from govgraph.graph import queries
from govgraph.graph.build import ingest_paths
from govgraph.graph.diff import Change, Diff, Side, as_dict, as_html, as_text, diff
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from govgraph.errors import QueryError
from support import BASE, EXAMPLES, PLAN
from test_api_support import assert_error, make_app

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")  # (rdflib's XSD namespace upsets pytest's collector)
PLAN_FILE = PLAN.name  # 000_bffd6dc40caf8094.txt
PACK_FILE = "001_a1962bd04f6d0873.txt"

# Overdue at the Health and Wellbeing Board of 8 April 2019, read from the plan's
# "Timescale To" and "Progress to date" columns (000_*.txt):
#   1.2 March 2019, "System governance is flexing ..."            (line 90)  not complete
#   1.4 March 2019, "we are engaging ... PCNs"                    (line 92)  not complete
#   1.6 March 2019, "Work is underway ... JSNA"                   (line 120) not complete
#   2.3 March 2019, "Exploration of the approach ... is required" (line 173) not complete
#   4.5 November 2018, "Now revised to March 2019", "in progress" (line 230) revised date passed
#   4.7 March 2019, "taken forward through the Better Care Plan"  (line 238) not complete
#   5.2 Dec 2018, "delayed ... overall plan production has slipped" (line 271)
#   5.3 Mar 2019, "continues to be delivered ... review"          (line 278) not complete
#   5.4 July 2018, "Pathway 3 review underway"                    (line 279) not complete
# Not overdue: 1.3 (June 2019), 6.1 and 6.2 (revised to Aug 2019), 4.2 and 7.1 (ongoing:
# no day to pass), 4.8 (April 2019, and complete), and every action marked ACTION COMPLETE.
OVERDUE_2019_04_08 = {"1.2", "1.4", "1.6", "2.3", "4.5", "4.7", "5.2", "5.3", "5.4"}


def overdue(store, day: str) -> list[dict[str, str]]:
    t = select(store, queries.load("overdue"), {"asAt": Literal(day, datatype=XSD_DATE)})
    return [dict(zip(t.columns, t.values(r))) for r in t.rows]


def ids_in(rows: list[dict[str, str]], doc: str) -> set[str]:
    return {r["id"] for r in rows if f"/doc/{doc}/" in r["action"]}


# ---- overdue -----------------------------------------------------------------------


def test_overdue_at_the_april_2019_board(corpus_store) -> None:
    rows = overdue(corpus_store, "2019-04-08")
    assert ids_in(rows, "000_bffd6dc40caf8094") == OVERDUE_2019_04_08
    assert ids_in(rows, "001_a1962bd04f6d0873") == OVERDUE_2019_04_08  # the same plan in the board pack
    assert all(r["status"] != "complete" and r["asAt"] == "2019-04-08" for r in rows)


def test_overdue_shows_the_reading_and_the_lines(corpus_store) -> None:
    by_id = {r["id"]: r for r in overdue(corpus_store, "2019-04-08") if PLAN_FILE[:-4] in r["action"]}
    revised = by_id["4.5"]
    assert (revised["due"], revised["revisedDue"], revised["deadline"]) == ("November 2018", "March 2019", "2019-03-31")
    assert revised["assumption"] == "revised due 'March 2019' read as end of month: by 2019-03-31"
    assert revised["dueAt"] == revised["revisedAt"] == f"{PLAN_FILE}:230"  # "<p>November 2018</p> <p>Now revised to March 2019</p>"
    assert revised["status"] == "slipped" and revised["statusAt"] == f"{PLAN_FILE}:230"
    late = by_id["5.4"]
    assert late["assumption"] == "due 'July 2018' read as end of month: by 2018-07-31"
    assert late["dueAt"].startswith(f"{PLAN_FILE}:279")  # "July" and "2018" stand on two pages
    assert "Pathway 3 review underway" in late["progress"]
    lines = PLAN.read_text("utf-8").splitlines()
    assert "Now revised to March 2019" in lines[230 - 1]


def test_a_month_is_not_passed_until_its_last_day(corpus_store) -> None:
    # 'March 2019' is read as by 2019-03-31: not overdue on the 31st, overdue on 1 April.
    on_the_day = ids_in(overdue(corpus_store, "2019-03-31"), "000_bffd6dc40caf8094")
    assert on_the_day == {"5.2", "5.4"}  # Dec 2018 and July 2018 had passed
    assert ids_in(overdue(corpus_store, "2019-04-01"), "000_bffd6dc40caf8094") == OVERDUE_2019_04_08
    # Revised to Aug 2019: overdue only from September.
    assert {"6.1", "6.2"} <= ids_in(overdue(corpus_store, "2019-09-01"), "000_bffd6dc40caf8094")
    assert not {"6.1", "6.2"} & ids_in(overdue(corpus_store, "2019-08-31"), "000_bffd6dc40caf8094")


def test_overdue_unbound_means_today(corpus_store) -> None:
    t = select(corpus_store, queries.load("overdue"))
    today = {date.today().isoformat(), datetime.now(timezone.utc).date().isoformat()}
    assert t.rows and {str(r["asAt"]) for r in t.rows} <= today  # every corpus deadline is long past


# ---- gaps --------------------------------------------------------------------------


def gaps(store) -> list[dict[str, str]]:
    t = select(store, queries.load("gaps"))
    return [dict(zip(t.columns, t.values(r))) for r in t.rows]


def test_gaps_on_the_corpus(corpus_store) -> None:
    rows = gaps(corpus_store)
    assert {r["gap"] for r in rows} <= {"no-action", "no-outcome", "action-no-governance",
                                        "programme-no-governance", "body-no-reporting-line", "indicator-unowned"}
    by = {(r["gap"], r["label"]): r for r in rows}
    # Every plan action names an outcome (the theme's "Outcomes we will achieve") and a
    # "System Governance Body": no action-level gap in the plan.
    assert not [r for r in rows if r["gap"] in ("no-outcome", "action-no-governance")]
    # "STP" itself governs action 2.1 in both copies (000:146), and no paper says who governs
    # the STP (Sustainability and Transformation Programme, the plan's abbreviations).
    stp = by[("programme-no-governance", "Sustainability and Transformation Programme")]
    assert "governs 2 action(s)" in stp["detail"]
    # The plan's "STP (Preventative and Proactive workstream)" is the programme report's
    # "Proactive and Preventative" workstream (001:1604ff): governed through its Board.
    assert ("programme-no-governance", "Preventative and Proactive workstream") not in by
    # Urgent and Emergency Care is a workstream of the Better Health, Better Care, Better
    # Value programme (001:1604), whose report is on behalf of its Board (001:1693).
    assert ("programme-no-governance", "Urgent and Emergency Care") not in by
    # The Cabinet of 004_*.txt: no paper in the corpus says whom it reports to or who reports to it.
    assert ("body-no-reporting-line", "Cabinet") in by
    # The Health and Wellbeing Board owns the plan its theme leads report to: not a gap.
    assert ("body-no-reporting-line", "Health and Wellbeing Board") not in by
    # The STP is named in the plan (000) and in the board pack (001): one line per paper,
    # papers in file order.
    assert stp["citedAt"].split(" | ") == ["000_bffd6dc40caf8094.txt:91", "001_a1962bd04f6d0873.txt:2628"]
    cited = [r["citedAt"].split(" | ") for r in rows if r["citedAt"]]
    assert all(c == sorted(c) for c in cited) and any(len(c) > 1 for c in cited)


SYNTHETIC = """
@prefix gg: <https://w3id.org/govgraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix x: <http://example.org/> .
x:strategy a gg:Strategy ; skos:prefLabel "Strategy" ; gg:owner x:board ; gg:hasPriority x:p1, x:p2 .
x:p1 a gg:Priority ; skos:prefLabel "Served priority" .
x:p2 a gg:Priority ; skos:prefLabel "Lonely priority" .
x:a1 a gg:Action ; dcterms:identifier "1" ; skos:prefLabel "Governed action" ; gg:serves x:p1 ; gg:governedBy x:board ; gg:ledBy x:group .
x:a2 a gg:Action ; dcterms:identifier "2" ; skos:prefLabel "Orphan action" .
x:board a gg:Body, gg:Board ; skos:prefLabel "Board" .
x:group a gg:Body, gg:Group ; skos:prefLabel "Group" .
x:island a gg:Body, gg:Group ; skos:prefLabel "Island" .
x:prog a gg:Programme ; skos:prefLabel "Governed programme" ; gg:governedBy x:board .
x:sub a gg:Programme ; skos:prefLabel "Sub programme" ; gg:partOf x:prog .
x:free a gg:Programme ; skos:prefLabel "Free programme" .
x:i1 a gg:Indicator ; skos:prefLabel "Owned indicator" ; gg:measures x:p1 .
x:i2 a gg:Indicator ; skos:prefLabel "Unowned indicator" ; gg:measures x:loose .
x:i3 a gg:Indicator ; skos:prefLabel "Measures nothing" .
x:loose a gg:Outcome ; skos:prefLabel "Loose outcome" .
"""


def test_each_kind_of_gap_on_a_small_graph() -> None:
    from rdflib import Graph

    store = OxigraphStore(None)
    store.replace_graph("http://example.org/doc", Graph().parse(data=SYNTHETIC, format="turtle"))
    found = {(r["gap"], r["label"]) for r in gaps(store)}
    assert found == {
        ("no-action", "Lonely priority"), ("no-action", "Loose outcome"),
        ("no-outcome", "Orphan action"), ("action-no-governance", "Orphan action"),
        ("programme-no-governance", "Free programme"),
        ("body-no-reporting-line", "Island"),
        ("indicator-unowned", "Unowned indicator"), ("indicator-unowned", "Measures nothing"),
    }


def test_a_gap_whose_papers_never_state_its_type_is_listed_uncited() -> None:
    """Evidence of a thing's other facts (here its label, line 7) is no citation of the
    thing; the gap stays, with no citedAt. Its typed neighbour is cited by its own line."""
    from rdflib import Graph

    doc = "http://example.org/doc"
    evidence = f"""
@prefix gg: <https://w3id.org/govgraph/ns#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix x: <http://example.org/> .
<{doc}> a gg:Document ; gg:sourceFile "small.txt" .
<{doc}#ev-1> a gg:Evidence ; rdf:subject x:a2 ; rdf:predicate skos:prefLabel ; rdf:object "Orphan action" ;
    gg:document <{doc}> ; gg:lineStart 7 ; gg:lineEnd 7 ; gg:quote "Orphan action" .
<{doc}#ev-2> a gg:Evidence ; rdf:subject x:island ; rdf:predicate rdf:type ; rdf:object gg:Body ;
    gg:document <{doc}> ; gg:lineStart 9 ; gg:lineEnd 9 ; gg:quote "Island" .
"""
    store = OxigraphStore(None)
    store.replace_graph(doc, Graph().parse(data=SYNTHETIC + evidence, format="turtle"))
    by = {(r["gap"], r["label"]): r for r in gaps(store)}
    assert by[("no-outcome", "Orphan action")]["citedAt"] == ""
    assert by[("body-no-reporting-line", "Island")]["citedAt"] == "small.txt:9"


# ---- unanswered --------------------------------------------------------------------


def unanswered(store) -> dict[str, dict[str, str]]:
    t = select(store, queries.load("unanswered"))
    return {r["text"]: r for r in (dict(zip(t.columns, t.values(row))) for row in t.rows)}


def starting(rows: dict[str, dict[str, str]], prefix: str) -> dict[str, str]:
    found = [r for text, r in rows.items() if text.startswith(prefix)]
    assert len(found) == 1, prefix
    return found[0]


def test_unanswered_recommendations(corpus_store) -> None:
    rows = unanswered(corpus_store)
    # Theme 3 (Performance, pace and drive) answers "Ensure system wide performance data ...";
    # its actions 3.1, 3.2, 3.3 are all "ACTION COMPLETE" (000:186-196): answered.
    assert not [k for k in rows if k.startswith("Ensure system wide performance")]
    # Theme 6 (Workforce) answers the workforce recommendation; 6.1 and 6.2 were "Revised
    # to Aug 2019" and "Work in progress" (000:303-304).
    workforce = starting(rows, "Develop a strategic plan for the health")
    assert workforce["answer"] == "incomplete" and workforce["addressedBy"] == "Workforce"
    assert {"6.1 slipped (000_bffd6dc40caf8094.txt:303)", "6.2 slipped (000_bffd6dc40caf8094.txt:304)"} <= set(
        workforce["openActions"].split(" | "))
    assert "003_d6604f90980adc01.txt:653" in workforce["citedAt"]  # the review's own wording
    # Each list is in text order: 6.1 in the plan (000) and in the board pack (001), then 6.2.
    assert workforce["openActions"].split(" | ")[:3] == [
        "6.1 slipped (000_bffd6dc40caf8094.txt:303)", "6.1 slipped (001_a1962bd04f6d0873.txt:2838)",
        "6.2 slipped (000_bffd6dc40caf8094.txt:304)"]
    for row in rows.values():
        for column in ("openActions", "citedAt"):
            parts = row[column].split(" | ") if row[column] else []
            assert parts == sorted(parts), (column, row["text"])
    # Theme 7 answers single point of access; 7.1 (front door prototype) is still running.
    spa = starting(rows, "Provide a single point of access")
    assert spa["openActions"].startswith("7.1 in_progress") or "7.1 in_progress" in spa["openActions"]
    # The review words the trusted-assessor recommendation a little differently from the
    # plan ("care home provider's confidence in assessments completed", 003:664); it is
    # still one node, answered by theme 4, whose 4.5 slipped.
    assert not [r for r in rows.values() if r["answer"] == "none"]
    trusted = starting(rows, "Increase the utilisation of trusted assessors")
    assert trusted["addressedBy"] == "Flow and use of capacity"
    assert "003_d6604f90980adc01.txt:664" in trusted["citedAt"]
    assert all(r["answer"] == "incomplete" for r in rows.values())


# ---- diff ----------------------------------------------------------------------------


def earlier_plan(text: str) -> str:
    """An autumn-2018 version of the plan: before some actions closed or were re-dated."""

    def edit(s: str, old: str, new: str, prefix: str | None = None) -> str:
        if prefix is None:
            assert s.count(old) == 1, old
            return s.replace(old, new)
        lines = s.split("\n")
        hits = [i for i, line in enumerate(lines) if line.startswith(prefix)]
        assert len(hits) == 1 and old in lines[hits[0]], prefix
        lines[hits[0]] = lines[hits[0]].replace(old, new) if new is not None else None
        return "\n".join(line for line in lines if line is not None)

    text = edit(text, "age well – ACTION COMPLETE", "age well")  # 1.1 not yet complete
    text = edit(text, "<p>November 2018</p> <p>Now revised to March 2019</p>", "<p>November 2018</p>")  # 4.5
    text = edit(text, "Mar 2019 Revised to Aug 2019", "Mar 2019", prefix="6.1\t")  # 6.1 not yet re-dated
    text = edit(text, "\tDec 2018\t", "\tOct 2018\t", prefix="5.2\t")  # 5.2 was due in October
    text = edit(text, "\tAdult Joint Commissioning Board\tCollaborative", "\tCoventry City Council\tCollaborative",
                prefix="5.1\t")  # 5.1 led by the council
    text = edit(text, "Capacity in place. Will be extended to people with change in needs – ACTION COMPLETE",
                "Capacity being put in place.")  # 5.5 not yet complete
    text = edit(text, "Sub regional", None, prefix="7.6\t")  # 7.6 not yet in the plan
    return text


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> OxigraphStore:
    folder = tmp_path_factory.mktemp("versions")
    (folder / "plan-2018-10.txt").write_text(earlier_plan(PLAN.read_text("utf-8")), "utf-8")
    (folder / "plan-2019-03.txt").write_text(PLAN.read_text("utf-8"), "utf-8")
    store = OxigraphStore(None)
    report = ingest_paths([folder], store, BASE)
    assert report.ok, report.errors
    return store


def test_diff_between_two_versions_of_a_plan(versions) -> None:
    d = diff(versions, "plan-2018-10.txt", "plan-2019-03")
    assert d.mode == "plan" and len(d.plans) == 1  # both versions link to the one plan node
    got = {(c.change, c.key): (c.before, c.after) for c in d.changes}
    assert set(got) == {
        ("closed", "1.1"), ("status", "4.5"), ("revisedDue", "4.5"), ("status", "6.1"), ("revisedDue", "6.1"),
        ("due", "5.2"), ("lead", "5.1"), ("closed", "5.5"), ("added", "7.6"),
    }
    assert got[("closed", "1.1")][1] == "complete" and got[("closed", "1.1")][0] != "complete"
    assert got[("revisedDue", "4.5")] == (None, "March 2019 (by 2019-03-31)")
    assert got[("status", "4.5")][1] == "slipped"
    assert got[("due", "5.2")] == ("Oct 2018 (by 2018-10-31)", "Dec 2018 (by 2018-12-31)")
    assert got[("lead", "5.1")] == ("Coventry City Council", "Adult Joint Commissioning Board")
    assert d.compared == 33 and d.unchanged == 33 - 6
    revised = next(c for c in d.changes if c.change == "revisedDue" and c.key == "4.5")
    assert revised.citeA == "plan-2018-10.txt:230" and revised.citeB == "plan-2019-03.txt:230"


def test_diff_backwards_drops_and_reopens(versions) -> None:
    got = {(c.change, c.key) for c in diff(versions, "plan-2019-03.txt", "plan-2018-10.txt").changes}
    assert {("dropped", "7.6"), ("reopened", "1.1"), ("reopened", "5.5")} <= got


def test_diff_text_json_and_html(versions) -> None:
    d = diff(versions, "plan-2018-10.txt", "plan-2019-03.txt")
    text = as_text(d)
    assert "closed" in text and "1.1" in text and "was plan-2018-10.txt:" in text
    assert text.rstrip().endswith("27 unchanged")
    data = json.loads(json.dumps(as_dict(d)))
    assert data["compared"] == 33 and len(data["changes"]) == 9
    page = as_html(d)
    assert page.count('<tr class="') == 9 and "<ins>" in page and "<del>" in page
    assert "http" not in page.split("<body>", 1)[1].replace("http://127.0.0.1:8000/id/", "")


def test_diff_html_escapes_what_papers_say() -> None:
    evil = "<script>alert(1)</script>"
    d = Diff(Side("x:a", "document", "a<b>.txt"), Side("x:b", "document", "b.txt"), "plan",
             [Change("added", "9.9", evil, None, evil, None, "b.txt:1")], compared=0)
    page = as_html(d)
    assert "<script>" not in page and "&lt;script&gt;" in page and "a&lt;b&gt;.txt" in page


def test_diff_names_what_it_cannot_find(versions) -> None:
    with pytest.raises(QueryError, match="no ingested paper"):
        diff(versions, "nope.txt", "plan-2019-03.txt")


MINUTES = EXAMPLES / PACK_FILE  # the minutes of 14 January 2019 stand at lines 93-136


def test_diff_between_two_meetings_of_a_body(tmp_path: Path) -> None:
    january = "\n".join(MINUTES.read_text("utf-8").splitlines()[92:136]) + "\n"
    assert "on Monday, 14 January 2019" in january and "Councillor Taylor" in january
    april = (january.replace("Monday, 14 January 2019", "Monday, 8 April 2019")
             .replace("Councillor Taylor\n", "")  # no longer listed
             .replace("Councillor Seaman\n", "Councillor Seaman\nCouncillor Duggins\n", 1)
             .replace("Apologies: Councillor Abbott\nCouncillor Duggins\n", "Apologies: Councillor Abbott\n")
             .replace("Dr Sarah Raistrick, Coventry and Rugby CCG\n",
                      "Dr Sarah Raistrick, Coventry and Rugby CCG\nSue Ogle, Voluntary Action Coventry\n"))
    (tmp_path / "minutes-2019-01.txt").write_text(january, "utf-8")
    (tmp_path / "minutes-2019-04.txt").write_text(april, "utf-8")
    store = OxigraphStore(None)
    assert ingest_paths([tmp_path], store, BASE).ok
    d = diff(store, "coventry-health-and-wellbeing-board-2019-01-14",
             f"{BASE}meeting/coventry-health-and-wellbeing-board-2019-04-08")
    got = {(c.change, c.key): (c.before, c.after) for c in d.changes}
    assert got == {
        ("joined", "Councillor Duggins"): (None, "Member"),
        ("attendance", "Councillor Duggins"): ("apologies", "present"),
        ("left", "Councillor Taylor"): ("Member", None),
        ("attendance", "Councillor Taylor"): ("present", None),
        ("joined", "Sue Ogle"): (None, "Member"),
        ("attendance", "Sue Ogle"): (None, "present"),
    }
    taylor = next(c for c in d.changes if c.change == "left")
    assert taylor.citeA == "minutes-2019-01.txt:12"


# ---- the command line and REST ------------------------------------------------------


def gg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govgraph", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def plan_on_disk(tmp_path_factory) -> Path:
    s = tmp_path_factory.mktemp("answers") / "store"
    folder = tmp_path_factory.mktemp("papers")
    (folder / "plan-2018-10.txt").write_text(earlier_plan(PLAN.read_text("utf-8")), "utf-8")
    r = gg("ingest", str(PLAN), str(folder / "plan-2018-10.txt"), "--store", str(s), "-q")
    assert r.returncode == 0, r.stderr
    return s


def test_cli_overdue_as_at(plan_on_disk: Path) -> None:
    r = gg("query", "overdue", "--as-at", "2019-04-08", "--store", str(plan_on_disk), "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {x["id"] for x in rows if PLAN_FILE[:-4] in x["action"]} == OVERDUE_2019_04_08
    bad = gg("query", "bodies", "--as-at", "2019-04-08", "--store", str(plan_on_disk))
    assert bad.returncode == 2 and "takes no date" in bad.stderr
    assert gg("query", "overdue", "--as-at", "8/4/2019", "--store", str(plan_on_disk)).returncode == 2


def test_cli_diff(plan_on_disk: Path, tmp_path: Path) -> None:
    r = gg("diff", "plan-2018-10.txt", str(PLAN), "--store", str(plan_on_disk))
    assert r.returncode == 0, r.stderr
    assert "closed" in r.stdout and "added" in r.stdout
    j = gg("diff", "plan-2018-10", PLAN_FILE, "--store", str(plan_on_disk), "--format", "json")
    assert len(json.loads(j.stdout)["changes"]) == 9
    out = tmp_path / "diff.html"
    h = gg("diff", "plan-2018-10", PLAN_FILE, "--store", str(plan_on_disk), "--format", "html", "--out", str(out))
    assert h.returncode == 0 and out.read_text("utf-8").startswith("<!doctype html>")
    missing = gg("diff", "nope", PLAN_FILE, "--store", str(plan_on_disk))
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


@pytest.fixture(scope="module")
def client(versions) -> TestClient:
    return TestClient(make_app(versions))


def test_rest_overdue_as_at(client) -> None:
    r = client.get("/queries/overdue", params={"as_at": "2019-04-08"})
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert {x["id"] for x in rows if "plan-2019-03" in x["action"]} == OVERDUE_2019_04_08
    as_csv = client.get("/queries/overdue", params={"as_at": "2019-04-08", "format": "csv"})
    assert as_csv.text.count("\n") == len(rows) + 1
    assert_error(client.get("/queries/overdue", params={"as_at": "2019-02-30"}), 400, "bad_parameter")
    assert_error(client.get("/queries/overdue", params={"as_at": "April 2019"}), 400, "bad_parameter")
    assert_error(client.get("/queries/bodies", params={"as_at": "2019-04-08"}), 400, "bad_parameter")


def test_rest_diff(client) -> None:
    r = client.get("/diff", params={"a": "plan-2018-10.txt", "b": "plan-2019-03.txt"})
    assert r.status_code == 200, r.text
    assert len(r.json()["changes"]) == 9
    page = client.get("/diff", params={"a": "plan-2018-10.txt", "b": "plan-2019-03.txt", "format": "html"})
    assert page.headers["content-type"].startswith("text/html") and "<ins>" in page.text
    assert_error(client.get("/diff", params={"a": "nope", "b": "plan-2019-03.txt"}), 404, "not_found")
    assert_error(client.get("/diff", params={"a": "plan-2018-10.txt", "b": f"{BASE}meeting/none"}), 404, "not_found")
