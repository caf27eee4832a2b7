"""REST: the competency queries by name, and the resources a web developer expects
(bodies, actions, meetings, indicators). Every route is read-only and plain `def`
(blocking store calls run in FastAPI's threadpool, then on the executor's workers).
Filters from the URL reach SPARQL only as bound values, or are applied to the rows."""

from __future__ import annotations

import json
import re
from datetime import date
from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field
from rdflib import XSD, Literal

from govgraph.api import dates
from govgraph.api.conneg import CSV, JSON, TSV, TURTLE
from govgraph.api.errors import ApiError, responses
from govgraph.api.execute import TRUNCATED_HEADER, Executor, rq
from govgraph.api.terms import Site, value
from govgraph.errors import QueryError
from govgraph.graph import diff as graph_diff
from govgraph.graph import queries
from govgraph.graph.sparql import Table, with_bindings

SEP = " | "


class QueryInfo(BaseModel):
    name: str
    question: str
    href: str
    csv: str


class QueryAnswer(BaseModel):
    name: str
    question: str
    columns: list[str]
    rows: list[dict[str, str | None]] = Field(description="One object per row; unbound cells are null.")
    truncated: bool = Field(description="True when the answer was cut to the server's row cap.")


class Ref(BaseModel):
    iri: str
    label: str | None = None
    page: str | None = Field(None, description="Where this server shows the entity (for IRIs it minted).")


class Body(BaseModel):
    body: str
    label: str | None
    altLabels: list[str]
    kind: str | None
    page: str | None


class Action(BaseModel):
    action: str
    page: str | None
    id: str | None
    title: str | None
    plan: Ref | None
    start: str | None
    due: str | None
    revisedDue: str | None
    status: str | None
    progress: str | None
    governanceBodies: list[Ref]
    leads: list[Ref]
    themes: list[Ref]
    outcomes: list[Ref]
    recommendations: list[Ref]


class Meeting(BaseModel):
    meeting: str
    page: str | None
    body: Ref | None
    date: str | None
    place: str | None


class Observation(BaseModel):
    period: str | None
    kind: str | None
    value: str | None


class Indicator(BaseModel):
    indicator: str
    page: str | None
    label: str | None
    altLabels: list[str]
    unit: str | None
    measures: list[str]
    observations: list[Observation]


class Status(str, Enum):
    complete = "complete"
    in_progress = "in_progress"
    not_started = "not_started"
    slipped = "slipped"
    unknown = "unknown"


class BodyKind(str, Enum):
    board = "board"
    committee = "committee"
    forum = "forum"
    group = "group"
    partnership = "partnership"


class AnswerFormat(str, Enum):
    json = "json"
    csv = "csv"
    tsv = "tsv"


class DiffFormat(str, Enum):
    json = "json"
    html = "html"


DAY = r"^\d{4}-\d{2}-\d{2}$"


def _day(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiError(400, "bad_parameter", f"{name}: {text!r} is not a day — write YYYY-MM-DD") from None


def _split(text: str | None) -> list[str]:
    return [t for t in (text or "").split(SEP) if t]


def _rows(sparql_json: bytes) -> tuple[list[str], list[dict[str, str | None]]]:
    data = json.loads(sparql_json)
    if "boolean" in data:
        return ["boolean"], [{"boolean": "true" if data["boolean"] else "false"}]
    cols = data["head"].get("vars", [])
    rows = [{c: (b[c]["value"] if c in b else None) for c in cols} for b in data["results"]["bindings"]]
    return cols, rows


def router(executor: Executor, site: Site) -> APIRouter:
    r = APIRouter(tags=["REST"])

    def ref(iri: str | None, label: str | None = None) -> Ref | None:
        return None if iri is None else Ref(iri=iri, label=label, page=site.page(iri))

    def competency(name: str) -> Table:
        return executor.select(queries.load(name))

    # ---- competency queries -------------------------------------------------------

    @r.get("/queries", response_model=list[QueryInfo], summary="The competency queries")
    def list_queries() -> list[QueryInfo]:
        out = []
        for name in queries.names():
            q = queries.describe(queries.load(name))
            out.append(QueryInfo(name=name, question=q, href=f"/queries/{name}", csv=f"/queries/{name}?format=csv"))
        return out

    @r.get(
        "/queries/{name}",
        response_model=QueryAnswer,
        summary="A competency query's answer",
        description="JSON by default; `?format=csv` (or tsv) for the table as SPARQL CSV/TSV, with a header row.",
        responses={**responses(400, 404, 503), 200: {"content": {"text/csv": {}, "text/tab-separated-values": {}}}},
    )
    def run_query(
        name: Annotated[str, Path(description="A name from GET /queries, e.g. `actions`.")],
        format: Annotated[AnswerFormat, Query(description="json (default), csv or tsv")] = AnswerFormat.json,
        as_at: Annotated[str | None, Query(
            pattern=DAY, description="The day to answer as at (YYYY-MM-DD), for queries that use it: "
            "`overdue` (default today), `governance` and `people` (default: everything ever stated).",
            json_schema_extra={"format": "date"})] = None,
    ):
        if name not in queries.names():
            raise ApiError(404, "not_found", f"no query named {name!r} — GET /queries lists them")
        text = queries.load(name)
        day = _day(as_at, "as_at")
        if re.search(r"\?asAt\b", text):
            if day is not None:  # else the query's own default (overdue: today; governance, people: all)
                text = with_bindings(text, {"asAt": Literal(day.isoformat(), datatype=XSD.date)})
        elif day is not None:
            raise ApiError(400, "bad_parameter", f"as_at: the query {name!r} takes no date")
        media = {AnswerFormat.json: JSON, AnswerFormat.csv: CSV, AnswerFormat.tsv: TSV}[format]
        ans = executor.query(text, media, TURTLE)
        headers = {TRUNCATED_HEADER: f"answer cut to the first {executor.row_cap} rows"} if ans.truncated else {}
        if format is not AnswerFormat.json:
            headers["Content-Disposition"] = f'inline; filename="{name}.{format.value}"'
            return Response(ans.body, media_type=f"{media}; charset=utf-8", headers=headers)
        cols, rows = _rows(ans.body)
        return QueryAnswer(name=name, question=queries.describe(text), columns=cols, rows=rows, truncated=ans.truncated)

    # ---- change between two papers or meetings -----------------------------------

    @r.get(
        "/diff",
        summary="What changed between two papers or two meetings",
        description="Two versions of a plan (papers by doc id, file name or IRI): actions added or dropped, "
        "closed or reopened, status moves, re-dated due dates, lead and governance changes. Two meetings of "
        "one body (IRI or its last path segment): membership and attendance. Each change cites the paper and "
        "line on either side. JSON by default; `?format=html` for a self-contained page that highlights "
        "each change.",
        responses={**responses(400, 404, 503), 200: {"content": {"text/html": {}}}},
    )
    def diff_route(
        a: Annotated[str, Query(min_length=1, description="The earlier paper or meeting.")],
        b: Annotated[str, Query(min_length=1, description="The later paper or meeting.")],
        format: Annotated[DiffFormat, Query(description="json (default) or html")] = DiffFormat.json,
    ):
        def sides():
            try:
                return graph_diff.resolve(executor.store, a), graph_diff.resolve(executor.store, b)
            except QueryError as exc:
                raise ApiError(404, "not_found", str(exc)) from None

        first, second = executor.run(sides)
        d = executor.run(lambda: graph_diff.compare(executor.store, first, second))
        if format is DiffFormat.html:
            return Response(graph_diff.as_html(d), media_type="text/html; charset=utf-8",
                            headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                     "frame-ancestors *", "X-Content-Type-Options": "nosniff"})
        return graph_diff.as_dict(d)

    # ---- bodies -------------------------------------------------------------------

    @r.get("/bodies", response_model=list[Body], summary="Boards, committees, forums, groups and partnerships",
           responses=responses(400, 503))
    def bodies(kind: Annotated[BodyKind | None, Query(description="Only bodies of this kind.")] = None) -> list[Body]:
        out = []
        for row in competency("bodies").rows:
            k = value(row.get("kind"))
            if kind is not None and k != kind.value:
                continue
            iri = str(row["body"])
            out.append(Body(body=iri, label=value(row.get("label")), altLabels=_split(value(row.get("altLabels"))),
                            kind=k, page=site.page(iri)))
        return out

    # ---- actions ------------------------------------------------------------------

    def all_actions() -> list[Action]:
        links: dict[str, dict[str, list[Ref]]] = {}
        for row in executor.select(rq("action_links")).rows:
            roles = links.setdefault(str(row["action"]), {})
            roles.setdefault(str(row["role"]), []).append(ref(str(row["target"]), value(row.get("label"))))
        out = []
        for row in executor.select(rq("actions")).rows:
            iri = str(row["action"])
            roles = links.get(iri, {})
            out.append(Action(
                action=iri, page=site.page(iri), id=value(row.get("id")), title=value(row.get("title")),
                plan=ref(value(row.get("plan")), value(row.get("planLabel"))),
                start=value(row.get("start")), due=value(row.get("due")), revisedDue=value(row.get("revisedDue")),
                status=value(row.get("status")), progress=value(row.get("progress")),
                governanceBodies=roles.get("governanceBodies", []), leads=roles.get("leads", []),
                themes=roles.get("themes", []), outcomes=roles.get("outcomes", []),
                recommendations=roles.get("recommendations", []),
            ))
        return out

    @r.get(
        "/actions",
        response_model=list[Action],
        summary="Actions, filtered",
        description="Every action of every plan. Filters combine (AND). Date filters use the revised due date "
        "where the paper gives one; a date written as a month ('Sept 2018') or year counts as every day in it, "
        "and actions whose due date names no day ('ongoing') never match a date filter.",
        responses=responses(400, 503),
    )
    def actions(
        status: Annotated[Status | None, Query(description="Only actions with this status.")] = None,
        body: Annotated[str | None, Query(
            description="Only actions governed by this body: its IRI, its path under the base, or its slug "
            "(e.g. `health-and-wellbeing-board`). Also matches bodies further up the governance chain.")] = None,
        theme: Annotated[str | None, Query(
            description="Only actions under this theme: its IRI or path, or a theme number such as `1`.")] = None,
        due_before: Annotated[str | None, Query(pattern=DAY, description="Due on or before this day (YYYY-MM-DD).",
                                                json_schema_extra={"format": "date"})] = None,
        due_after: Annotated[str | None, Query(pattern=DAY, description="Due on or after this day (YYYY-MM-DD).",
                                               json_schema_extra={"format": "date"})] = None,
        limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> list[Action]:
        body, theme = body or None, theme or None  # an empty filter is no filter
        found = all_actions()
        if status is not None:
            found = [a for a in found if a.status == status.value]
        if body is not None:
            target = site.try_iri(body, "body")
            feeding = set()
            if target is not None:
                feeding = {str(row["action"]) for row in executor.select(rq("action_feeds"), {"body": target}).rows}
            found = [a for a in found if a.action in feeding or any(g.iri == str(target) for g in a.governanceBodies)]
        if theme is not None:
            if theme.strip().isdigit():
                found = [a for a in found if any(t.iri.rsplit("/", 1)[-1] == theme.strip() for t in a.themes)]
            else:
                want = str(site.try_iri(theme))
                found = [a for a in found if any(t.iri == want for t in a.themes)]
        due_before, due_after = _day(due_before, "due_before"), _day(due_after, "due_after")
        if due_before is not None or due_after is not None:
            def keep(a: Action) -> bool:
                s = dates.span(a.revisedDue or a.due)
                if s is None:
                    return False
                return (due_before is None or s[0] <= due_before) and (due_after is None or s[1] >= due_after)

            found = [a for a in found if keep(a)]
        return found[offset: offset + limit]

    # ---- meetings -----------------------------------------------------------------

    @r.get("/meetings", response_model=list[Meeting], summary="Meetings of bodies", responses=responses(400, 503))
    def meetings(
        body: Annotated[str | None, Query(description="Only this body's meetings: IRI, path or slug.")] = None,
    ) -> list[Meeting]:
        want = str(site.try_iri(body, "body")) if body else None
        out = []
        for row in competency("meetings").rows:
            b = value(row.get("body"))
            if want is not None and b != want:
                continue
            iri = str(row["meeting"])
            out.append(Meeting(meeting=iri, page=site.page(iri), body=ref(b, value(row.get("bodyLabel"))),
                               date=value(row.get("date")), place=value(row.get("place"))))
        return out

    # ---- indicators ---------------------------------------------------------------

    @r.get("/indicators", response_model=list[Indicator], summary="Indicators with their observations",
           responses=responses(503))
    def indicators() -> list[Indicator]:
        obs: dict[str, list[Observation]] = {}
        for row in competency("observations").rows:
            obs.setdefault(str(row["indicator"]), []).append(
                Observation(period=value(row.get("period")), kind=value(row.get("kind")), value=value(row.get("value"))))
        out = []
        for row in competency("indicators").rows:
            iri = str(row["indicator"])
            out.append(Indicator(indicator=iri, page=site.page(iri), label=value(row.get("label")),
                                 altLabels=_split(value(row.get("altLabels"))), unit=value(row.get("unit")),
                                 measures=_split(value(row.get("measures"))), observations=obs.get(iri, [])))
        return out

    return r
