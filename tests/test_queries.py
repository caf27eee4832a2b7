"""Every competency query runs, has its contract columns, and gives one row per thing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govgraph.graph import queries
from govgraph.graph.sparql import select
from govgraph.graph.store import OxigraphStore
from support import ROOT

CONTRACT = ROOT.parent / "shared" / "contract" / "competency-questions.md"
COLUMNS = {
    "bodies": "body, label, altLabels, kind",
    "organisations": "org, label, altLabels, kind",
    "people": "person, label, role, organisation",
    "governance": "from, fromLabel, relation, to, toLabel",
    "programmes": "programme, label, kind, partOf, governedBy, ledBy",
    "strategies": "strategy, label, period, owner, priority, objective",
    "actions": "action, plan, id, title, theme, lead, governanceBody, start, due, revisedDue, status",
    "action-feeds": "action, id, title, board, boardLabel, hops",
    "action-outcomes": "action, id, outcome, outcomeLabel",
    "recommendations": "recommendation, text, source, addressedBy",
    "indicators": "indicator, label, altLabels, unit, measures",
    "observations": "indicator, indicatorLabel, period, kind, value",
    "meetings": "meeting, body, bodyLabel, date, place",
    "agenda": "meeting, date, bodyLabel, number, title, reportOf",
    "resolutions": "meeting, date, item, text",
    "attendance": "meeting, date, person, personLabel, attendance",
    "reports": "report, title, to, from, date",
    "evidence": "subject, predicate, object, document, lineStart, lineEnd, quote",
}


def test_the_shipped_queries_include_the_contract_ones() -> None:
    assert set(COLUMNS) <= set(queries.names())  # more may ship (overdue, gaps, unanswered ...)
    if CONTRACT.exists():  # the contract beside the repo, when there is one
        table = dict(re.findall(r"^\| `([a-z-]+)` \|[^|]*\| `([^`]*)` \|", CONTRACT.read_text(), re.M))
        assert table == COLUMNS


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_query_columns_and_no_duplicate_rows(name: str, corpus_store: OxigraphStore) -> None:
    sparql = queries.load(name)
    assert sparql.startswith("#") and "?" in queries.describe(sparql)  # opens with its question
    t = select(corpus_store, sparql)
    assert set(t.columns) == set(COLUMNS[name].split(", "))
    rows = [tuple(t.values(r)) for r in t.rows]
    assert len(rows) == len(set(rows)), f"{name} repeats rows"


def test_empty_store_still_answers_with_headers() -> None:
    t = select(OxigraphStore(None), queries.load("meetings"))
    assert t.columns and t.rows == []


def test_action_feeds_climb_the_chain(corpus_store: OxigraphStore) -> None:
    t = select(corpus_store, queries.load("action-feeds"))
    by_action: dict[str, dict[str, int]] = {}
    for r in t.rows:
        by_action.setdefault(str(r["id"]) + str(r["action"]), {})[str(r["boardLabel"])] = int(r["hops"])
    # 3.1 is governed by the STP's Urgent and Emergency Care workstream, part of the STP.
    chain = next(v for k, v in by_action.items() if k.startswith("3.1") and "000_" in k)
    assert chain["Urgent and Emergency Care"] == 1
    assert chain["Sustainability and Transformation Programme"] == 2
    assert all(min(v.values()) == 1 for v in by_action.values())


def test_people_in_order_each_post_once(corpus_store: OxigraphStore) -> None:
    t = select(corpus_store, queries.load("people"))
    rows = [(str(r["label"]), str(r.get("role") or ""), str(r.get("organisation") or ""), str(r["person"]))
            for r in t.rows]
    assert rows == sorted(rows, key=lambda r: r[:3])  # name, role, organisation
    # Cllr Abbott is a Cabinet Member with no organisation named (004:9) and a member of the
    # Health and Wellbeing Board (001:80): a post without an organisation stays unless the
    # same role is given with one.
    abbott = {r[1:3] for r in rows if r[0] == "Councillor Abbott"}
    assert abbott == {("Cabinet Member for Adult Services", ""), ("Member", "Health and Wellbeing Board")}
    with_org = {(r[3], r[1]) for r in rows if r[1] and r[2]}
    assert not [r for r in rows if r[1] and not r[2] and (r[3], r[1]) in with_org]


def test_labels_are_never_iris(corpus_store: OxigraphStore) -> None:
    for name, cols in COLUMNS.items():
        t = select(corpus_store, queries.load(name))
        for col in (c for c in cols.split(", ") if c.endswith("Label") or c == "label"):
            assert not any(str(r.get(col, "")).startswith("http") for r in t.rows), (name, col)


def test_query_file_path_and_unknown_name(tmp_path: Path) -> None:
    f = tmp_path / "mine.rq"
    f.write_text("SELECT (1 AS ?one) WHERE {}")
    assert queries.load(str(f)).startswith("SELECT")
    with pytest.raises(Exception, match="no query named"):
        queries.load("nope")


def test_bindings_filter_before_grouping(corpus_store: OxigraphStore) -> None:
    from rdflib import Literal

    sparql = queries.load("actions")
    all_rows = select(corpus_store, sparql).rows
    bound = select(corpus_store, sparql, {"id": Literal("2.2.1")}).rows
    assert len(all_rows) > len(bound) >= 1 and {str(r["id"]) for r in bound} == {"2.2.1"}


def test_updates_are_recognised_with_prefixes_on_one_line() -> None:
    from govgraph.graph.store import looks_like_update

    assert looks_like_update("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }")
    assert looks_like_update("prefix ex: <http://e/>\n# why\nDELETE WHERE { ?s ?p ?o }")
    assert not looks_like_update("PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ?o }")


def test_the_benchmark_region_gives_every_query_rows(tmp_path: Path) -> None:
    """bench/generate.py's papers, read by the real pipeline, give rows to every competency
    query and every kind of gap: a query with no rows in the benchmark measures nothing."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from generate import write_papers

    from support import ingested

    store = ingested(*write_papers(tmp_path / "papers", seed=20240611, councils=2))
    empty = [name for name in queries.names() if not select(store, queries.load(name)).rows]
    assert empty == []
    kinds = {str(r["gap"]) for r in select(store, queries.load("gaps")).rows}
    assert kinds == {"no-action", "no-outcome", "action-no-governance", "programme-no-governance",
                     "body-no-reporting-line", "indicator-unowned"}
    answers = {str(r["answer"]) for r in select(store, queries.load("unanswered")).rows}
    assert answers == {"none", "incomplete"}


# A multi-valued cell joins its parts with " | ". gaps builds its citedAt by hand (each part
# " | file:line", joined with "" and the first " | " cut off), so its list is named here.
_LIST = re.compile(r'GROUP_CONCAT\(DISTINCT \?\w+; separator=" \| "\) AS \?(\w+)\)')
_BUILT_LISTS = {"gaps": {"citedAt"}}


def _list_columns(name: str, sparql: str) -> set[str]:
    """The columns of a query's answer that hold " | " lists (agenda passes its list on
    through MIN(?reports) AS ?reportOf)."""
    found = set(_LIST.findall(sparql))
    passed = {m.group(1): m.group(2) for m in re.finditer(r"MIN\(\?(\w+)\) AS \?(\w+)\)", sparql)}
    return {passed.get(c, c) for c in found} | _BUILT_LISTS.get(name, set())


def _cells(rows: list[dict], columns: list[str]) -> list[tuple[str, ...]]:
    return [tuple(str(r.get(c, "")) for c in columns) for r in rows]


@pytest.fixture(scope="module")
def corpus_rdflib(corpus_store: OxigraphStore):
    """The corpus in rdflib, loaded from the store's N-Quads dump, every graph in the default."""
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(data=corpus_store.dump("application/n-quads"), format="nquads")
    return ds


# rdflib 7 warns on every union-graph query it evaluates (its own Dataset API change).
@pytest.mark.filterwarnings("ignore:Dataset.*deprecated:DeprecationWarning")
@pytest.mark.parametrize("name", queries.names())
def test_multi_valued_cells_are_sorted_and_engines_agree(name: str, corpus_store: OxigraphStore,
                                                         corpus_rdflib) -> None:
    """Parts of a " | " cell come in text order, not the order a join met them (oxigraph's hash
    joins differ between processes; rdflib meets them in its own order), so two exports and two
    printouts of the same graph show the same cell, and rdflib gives the same answer."""
    sparql = queries.load(name)
    t = select(corpus_store, sparql)
    lists = _list_columns(name, sparql)
    assert lists <= set(t.columns), (name, lists - set(t.columns))
    for col in lists:
        for r in t.rows:
            parts = str(r.get(col, "")).split(" | ")
            assert parts == sorted(parts), (name, col, r.get(col))
    if not lists:
        return  # rows without lists are not compared on rdflib, which takes 40 s over governance
    ours = _cells(t.rows, t.columns)
    theirs = _cells([{str(k): v for k, v in row.asdict().items()} for row in corpus_rdflib.query(sparql)],
                    t.columns)
    # As multisets: evidence and resolutions order rows by keys that tie, and the engines break
    # ties their own way; the cells must match.
    assert sorted(ours) == sorted(theirs), name
