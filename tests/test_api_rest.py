"""REST routes: competency queries by name, bodies, actions and their filters,
meetings, indicators, traces with evidence, and the one error shape on every route."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient

from govgraph.api import dates
from govgraph.graph import queries
from support import BASE
from test_api_support import ERROR_KEYS, assert_error, make_app

ACTION = "doc/000_bffd6dc40caf8094/action/1-1"
HWBB = "health-and-wellbeing-board"



@pytest.fixture(scope="module")
def all_actions(client) -> list[dict]:
    resp = client.get("/actions")
    assert resp.status_code == 200
    return resp.json()


def test_queries_lists_the_competency_questions(client) -> None:
    listed = client.get("/queries").json()
    assert [q["name"] for q in listed] == queries.names()
    assert len(listed) >= 18  # the contract's 18, and the answers beyond them
    assert all(q["question"].endswith("?") or "?" in q["question"] for q in listed)


@pytest.mark.parametrize("name", queries.names())
def test_every_competency_query_answers_as_json_and_csv(client, name) -> None:
    resp = client.get(f"/queries/{name}")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["name"] == name and body["truncated"] is False
    assert all(set(row) == set(body["columns"]) for row in body["rows"])
    as_csv = client.get(f"/queries/{name}", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == body["columns"]
    assert len(rows) - 1 == len(body["rows"])


def test_an_unknown_query_is_404(client) -> None:
    assert_error(client.get("/queries/nope"), 404, "not_found")
    assert_error(client.get("/queries/actions", params={"format": "pdf"}), 400, "bad_parameter")


def test_bodies(client) -> None:
    bodies = client.get("/bodies").json()
    hwbb = next(b for b in bodies if b["body"] == f"{BASE}body/{HWBB}")
    assert hwbb["kind"] == "board" and hwbb["label"] == "Health and Wellbeing Board"
    assert "HWBB" in hwbb["altLabels"]
    assert hwbb["page"] == f"/id/body/{HWBB}"
    groups = client.get("/bodies", params={"kind": "group"}).json()
    assert groups and all(b["kind"] == "group" for b in groups)
    assert_error(client.get("/bodies", params={"kind": "club"}), 400, "bad_parameter")


def test_actions_carry_their_links(all_actions) -> None:
    assert len(all_actions) == len({a["action"] for a in all_actions}) > 50
    one = next(a for a in all_actions if a["action"] == BASE + ACTION)
    assert one["id"] == "1.1" and one["status"] == "complete"
    assert [g["label"] for g in one["governanceBodies"]] == ["Health and Wellbeing Board"]
    assert one["themes"] and one["leads"] and one["plan"]["label"]


@pytest.mark.parametrize("status", ["complete", "in_progress", "not_started", "slipped", "unknown"])
def test_actions_by_status(client, all_actions, status) -> None:
    got = client.get("/actions", params={"status": status}).json()
    assert got == [a for a in all_actions if a["status"] == status]


def test_actions_by_governance_body_slug_path_or_iri(client) -> None:
    by_slug = client.get("/actions", params={"body": HWBB}).json()
    assert by_slug
    by_iri = client.get("/actions", params={"body": f"{BASE}body/{HWBB}"}).json()
    by_path = client.get("/actions", params={"body": f"body/{HWBB}"}).json()
    assert by_slug == by_iri == by_path
    feeds = client.get("/queries/action-feeds").json()["rows"]
    expected = {r["action"] for r in feeds if r["board"] == f"{BASE}body/{HWBB}"}
    assert {a["action"] for a in by_slug} == expected
    assert client.get("/actions", params={"body": "no-such-body"}).json() == []


def test_actions_by_theme(client, all_actions) -> None:
    theme = all_actions[0]["themes"][0]["iri"]
    got = client.get("/actions", params={"theme": theme}).json()
    assert got and all(any(t["iri"] == theme for t in a["themes"]) for a in got)
    numbered = client.get("/actions", params={"theme": "1"}).json()
    assert numbered and all(any(t["iri"].endswith("/theme/1") for t in a["themes"]) for a in numbered)


def test_actions_by_due_date(client, all_actions) -> None:
    cut = date(2018, 12, 31)
    before = client.get("/actions", params={"due_before": cut.isoformat()}).json()
    after = client.get("/actions", params={"due_after": "2019-01-01"}).json()
    assert before and after
    for a in before:
        assert dates.span(a["revisedDue"] or a["due"])[0] <= cut
    for a in after:
        assert dates.span(a["revisedDue"] or a["due"])[1] >= date(2019, 1, 1)
    assert {a["action"] for a in before}.isdisjoint(
        a["action"] for a in client.get("/actions", params={"due_after": "2019-01-01", "due_before": "2018-12-31"}).json())
    assert_error(client.get("/actions", params={"due_before": "soon"}), 400, "bad_parameter")
    page = client.get("/actions", params={"limit": 5, "offset": 5}).json()
    assert page == all_actions[5:10]


@pytest.mark.parametrize("text,span", [
    ("2019-03-31", (date(2019, 3, 31), date(2019, 3, 31))),
    ("Sept 2018", (date(2018, 9, 1), date(2018, 9, 30))),
    ("March 2019", (date(2019, 3, 1), date(2019, 3, 31))),
    ("Mar-19", (date(2019, 3, 1), date(2019, 3, 31))),
    ("12 July 2018", (date(2018, 7, 12), date(2018, 7, 12))),
    ("2019", (date(2019, 1, 1), date(2019, 12, 31))),
    ("ongoing", None), ("", None), ("31/02/2019", None),
])
def test_dates_as_written(text, span) -> None:
    assert dates.span(text) == span


def test_meetings_and_indicators_have_their_shape(client) -> None:
    meetings = client.get("/meetings")
    assert meetings.status_code == 200
    for m in meetings.json():
        assert set(m) == {"meeting", "page", "body", "date", "place"}
    indicators = client.get("/indicators")
    assert indicators.status_code == 200
    rows = client.get("/queries/indicators").json()["rows"]
    assert [i["indicator"] for i in indicators.json()] == [r["indicator"] for r in rows]
    observed = {r["indicator"] for r in client.get("/queries/observations").json()["rows"]}
    for i in indicators.json():
        assert bool(i["observations"]) == (i["indicator"] in observed)


def test_trace_goes_from_an_action_to_its_boards_and_outcomes_with_evidence(client) -> None:
    resp = client.get(f"/trace/{ACTION}")
    assert resp.status_code == 200, resp.text
    t = resp.json()
    assert t["isAction"] and t["id"] == "1.1"
    first = t["governance"][0]
    assert first["from"]["iri"] == BASE + ACTION and first["hops"] == 1
    assert first["relation"] == "governed by"
    assert first["to"]["label"] == "Health and Wellbeing Board"
    ev = first["evidence"][0]
    assert ev["document"] == f"{BASE}doc/000_bffd6dc40caf8094" and ev["lineStart"] >= 1 and ev["quote"]
    feeds = client.get("/queries/action-feeds").json()["rows"]
    expected = {(r["board"], int(r["hops"])) for r in feeds if r["action"] == BASE + ACTION}
    assert {(f["body"]["iri"], f["hops"]) for f in t["feeds"]} == expected
    served = {o["to"]["iri"] for o in t["outcomes"] if o["predicate"].endswith("#serves")}
    outcomes = client.get("/queries/action-outcomes").json()["rows"]
    assert served == {r["outcome"] for r in outcomes if r["action"] == BASE + ACTION}
    assert all(h["evidence"] for h in t["governance"] + t["outcomes"])
    # the same trace by full IRI
    assert client.get(f"/trace/{BASE}{ACTION}").json() == t


def test_every_action_traces_with_evidence_for_every_hop(client, all_actions) -> None:
    for a in all_actions:
        t = client.get(f"/trace/{a['action']}").json()
        hops = t["governance"] + t["outcomes"]
        assert hops, a["action"]
        missing = [(h["from"]["iri"], h["predicate"], h["to"]["iri"]) for h in hops if not h["evidence"]]
        assert not missing, missing


class CountingStore:
    """The corpus store, counting the queries it is sent."""

    def __init__(self, inner) -> None:
        self.inner, self.sent = inner, 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def query(self, sparql, **kw):
        self.sent += 1
        return self.inner.query(sparql, **kw)


def test_a_trace_costs_the_same_few_queries_however_long_it_is(corpus_store, all_actions) -> None:
    counting = CountingStore(corpus_store)
    client = TestClient(make_app(counting))
    sizes = []
    for a in all_actions:
        counting.sent = 0
        t = client.get(f"/trace/{a['action']}").json()
        assert counting.sent <= 5, (a["action"], counting.sent)
        sizes.append(len(t["governance"]) + len(t["outcomes"]) + len(t["feeds"]))
    assert max(sizes) > 5  # traces long enough that a query per hop or per node would show


def test_trace_errors(client) -> None:
    assert_error(client.get("/trace/doc/nope/action/9"), 404, "not_found")
    assert_error(client.get("/trace/has space<"), 404, "not_found")


# ---- the one error shape -----------------------------------------------------------


@pytest.mark.parametrize("method,url,params,status", [
    ("GET", "/no/such/route", None, 404),
    ("GET", "/queries/nope", None, 404),
    ("GET", "/actions", {"status": "late"}, 400),
    ("GET", "/actions", {"limit": "0"}, 400),
    ("GET", "/sparql", {"query": "SELECT"}, 400),
    ("GET", "/sparql", {"query": "CLEAR ALL"}, 403),
    ("GET", "/id/body/no-such-body", None, 404),
    ("GET", "/viz/nope", None, 404),
    ("DELETE", "/actions", None, 405),
])
def test_one_error_shape_everywhere(client, method, url, params, status) -> None:
    resp = client.request(method, url, params=params)
    err = assert_error(resp, status)
    assert set(err) == ERROR_KEYS


def test_healthz_and_home(client) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    home = client.get("/")
    assert home.status_code == 200 and "/queries/actions?format=csv" in home.text
    assert "content-security-policy" in home.headers


def test_docs_work_offline(client) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/openapi.json").json()
    for path in ("/sparql", "/queries/{name}", "/actions", "/bodies", "/meetings", "/indicators", "/trace/{id}",
                 "/healthz", "/id/{path}"):
        assert path in schema["paths"], path
    assert "422" not in str(schema["paths"])
