"""What views read from the store: only the entities, relations and passages they draw.

A view asks for the kinds it draws (governance: bodies, organisations, programmes;
dependencies: actions), or for the neighbours of what it has (focus), with the SPARQL
in graph/rq/view_*.rq; it fetches passages only for the nodes and relations left after
trimming. Entity IRIs reach those queries as VALUES blocks (each checked to be one IRI,
a chunk at a time), so a view costs a few queries whatever the size of the store.

As at a day (`as_at`): a stated relation holds when a paper dated (dcterms:date) on or
before the day states it, that is, when it is in such a paper's named graph; an entity is
there when such a paper names it or a relation that holds reaches it; the passages shown
are those of papers dated by then. A membership follows queries/people.rq: a post a
meeting's minutes list (gg:recordedOn) holds from that meeting until a later list of the
same body (on or before the day) leaves the person out; any other post holds once a
dated paper states it. A paper without a date counts for no day.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from rdflib import Literal

from govgraph.errors import QueryError
from govgraph.graph.queries import internal
from govgraph.graph.sparql import with_bindings
from govgraph.graph.store import Store

GG = "https://w3id.org/govgraph/ns#"
FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"
CHUNK = 1000  # IRIs per VALUES block: big views stay a handful of queries, each of a modest size
_IRI = re.compile(r'[^<>"{}|^`\\\x00-\x20]+')  # what may stand between < and > in SPARQL

# Most specific first: an entity typed Board and Body is a Board.
CLASS_KIND: dict[str, tuple[str, str]] = {
    f"{GG}Board": ("body", "Board"), f"{GG}Committee": ("body", "Committee"),
    f"{GG}Forum": ("body", "Forum"), f"{GG}Group": ("body", "Group"),
    f"{GG}Partnership": ("body", "Partnership"), f"{GG}Body": ("body", "Body"),
    f"{GG}Organisation": ("organisation", "Organisation"),
    f"{GG}Workstream": ("programme", "Workstream"), f"{GG}Scheme": ("programme", "Scheme"),
    f"{GG}Project": ("programme", "Project"), f"{GG}Programme": ("programme", "Programme"),
    f"{GG}Plan": ("plan", "Plan"), f"{GG}Framework": ("plan", "Framework"),
    f"{GG}Strategy": ("plan", "Strategy"), f"{GG}Theme": ("theme", "Theme"),
    f"{GG}Action": ("action", "Action"), f"{GG}Outcome": ("outcome", "Outcome"),
    f"{GG}Priority": ("outcome", "Priority"), f"{GG}Objective": ("outcome", "Objective"),
    f"{GG}Recommendation": ("recommendation", "Recommendation"),
    f"{GG}Indicator": ("indicator", "Indicator"),
    FOAF_PERSON: ("person", "Person"),
}
_CLASS_RANK = {c: i for i, c in enumerate(CLASS_KIND)}
# When an IRI carries classes of two kinds, the more specific role wins.
KIND_ORDER = ["action", "theme", "plan", "body", "programme", "organisation", "outcome",
              "recommendation", "indicator", "person"]
# The classes a lead or parent of plan reporting must carry (view_*_reporting.rq).
REPORTING_CLASSES = {f"{GG}Body", f"{GG}Organisation", f"{GG}Programme"}


def local(iri: str) -> str:
    """The IRI's last segment after '#' or '/' (its local name)."""
    return iri[max(iri.rfind("#"), iri.rfind("/")) + 1:]


Key = tuple[str, str, str]  # (subject, local name of the predicate, object) as stated


@dataclass(frozen=True)
class Passage:
    """Where a paper states something: file, lines and the words it uses."""

    document: str
    file: str
    start: int
    end: int
    quote: str

    def cite(self) -> str:
        lines = f"line {self.start}" if self.start == self.end else f"lines {self.start}–{self.end}"
        return f"{self.file or self.document}, {lines}"


def dedupe(passages: Iterable[Passage]) -> list[Passage]:
    seen, out = set(), []
    for p in sorted(passages, key=lambda p: (p.file, p.start, p.end, p.quote)):
        key = (p.file, p.start, p.end)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _values(sparql: str, var: str, iris: list[str]) -> str:
    """The query with `VALUES ?var { <iri> ... }` opening its outer WHERE."""
    for iri in iris:
        if not _IRI.fullmatch(iri):
            raise QueryError(f"not an IRI: {iri[:200]!r}")
    block = f"VALUES ?{var} {{ {' '.join(f'<{i}>' for i in iris)} }}"
    m = re.search(r"\bWHERE\s*\{", sparql, re.IGNORECASE)
    if m is None:
        raise ValueError("a view query without WHERE { — graph/rq/view_*.rq all have one")
    return f"{sparql[: m.end()]} {block} {sparql[m.end():]}"


_RELATIONS = re.compile(r"\?p IN \(([^)]*)\)")
_ANY_RELATION = "?s ?p ?o ."


def _only_relations(sparql: str, only: Collection[str]) -> str | None:
    """The query with its `?p IN (...)` list cut to the relations (local names) in
    `only`, or None when it names none of them."""
    m = _RELATIONS.search(sparql)
    if m is None:
        raise ValueError("a view query without ?p IN ( — graph/rq/view_edges.rq has one")
    kept = [t.strip() for t in m.group(1).split(",") if t.strip().rpartition(":")[2] in only]
    if not kept:
        return None
    sparql = f"{sparql[: m.start(1)]}{', '.join(kept)}{sparql[m.end(1):]}"
    if len(kept) == 1:
        # One relation is named in the triple pattern: the store then looks up that
        # relation's pairs, not every triple about each entity (a board is the object of
        # thousands: each action it governs, each passage that names it).
        if _ANY_RELATION not in sparql:
            raise ValueError(f"a view query without {_ANY_RELATION!r} — graph/rq/view_edges.rq has one")
        sparql = sparql.replace(_ANY_RELATION, f"?s {kept[0]} ?o . BIND ({kept[0]} AS ?p)", 1)
    return sparql


class Reader:
    """One view's reads from the store, remembered so nothing is asked twice."""

    def __init__(self, store: Store, as_at: date | None = None) -> None:
        self.store = store
        self.as_at = as_at
        self.day = as_at.isoformat() if as_at else None
        self.nodes: dict[str, dict] = {}  # entity IRI -> label, kind, subkind, ident, due, status, classes
        self._looked: set[str] = set()
        self._said: dict[str, list[tuple[str, str, Passage, str | None]]] = {}  # subject -> (p, o, passage, day)
        self._about: dict[str, list[tuple[Passage, str | None]]] = {}  # entity -> (passage naming it, day)
        self._held_posts: dict[str, bool] = {}
        self._first: dict[str, dict[tuple[str, str], str]] = {}  # subject -> (p, o) -> first dated paper's day
        self._docs: dict[str, tuple[str, str | None]] | None = None

    # -- running the view queries ------------------------------------------------

    def rows(self, name: str, var: str | None = None, iris: Iterable[str] = (),
             bindings: dict | None = None) -> list[dict[str, str]]:
        """The answer of graph/rq/NAME.rq as plain strings; with `var`, once per chunk of
        `iris` bound to ?var (and no rows when there are none)."""
        sparql = with_bindings(internal(name), bindings)
        if var is None:
            return self._run(sparql)
        return self._values_rows(sparql, var, iris)

    def _values_rows(self, sparql: str, var: str, iris: Iterable[str]) -> list[dict[str, str]]:
        todo = sorted(set(iris))
        out: list[dict[str, str]] = []
        for i in range(0, len(todo), CHUNK):
            out.extend(self._run(_values(sparql, var, todo[i:i + CHUNK])))
        return out

    def _run(self, sparql: str) -> list[dict[str, str]]:
        # CSV: the values as plain strings, a third quicker to write and read than JSON
        # for the thousands of rows a big view reads. An empty value counts as unbound.
        lines = csv.reader(io.StringIO(self.store.query(sparql, results_type="text/csv").body.decode("utf-8")))
        head = next(lines, [])
        return [{k: v for k, v in zip(head, row) if v} for row in lines]

    # -- entities ------------------------------------------------------------------

    def entities(self, iris: Iterable[str]) -> set[str]:
        """Those of `iris` that are entities a view can draw, described in `nodes`."""
        iris = set(iris)
        new = iris - self._looked
        if new:
            self._looked |= new
            self._describe(self.rows("view_nodes", "e", new))
        return {i for i in iris if i in self.nodes}

    def of_classes(self, classes: Iterable[str]) -> set[str]:
        return self.entities(r["e"] for r in self.rows("view_of_classes", "cls", classes))

    def _describe(self, rows: list[dict[str, str]]) -> None:
        found: dict[str, dict] = {}
        for row in rows:
            n = found.get(row["e"])
            if n is None:
                n = found[row["e"]] = {"labels": set(), "classes": set(), "ident": set(), "due": set(), "status": set()}
            n["classes"].add(row["cls"])
            if "label" in row:
                n["labels"].add(" ".join(row["label"].split()))
            for key in ("ident", "due"):
                if key in row:
                    n[key].add(row[key])
            if "status" in row:
                n["status"].add(local(row["status"]))
        for iri, n in found.items():
            kinds = sorted((_CLASS_RANK[c], CLASS_KIND[c]) for c in n["classes"])
            kinds = [kind for _rank, kind in kinds]
            kind = min((k for k, _ in kinds), key=KIND_ORDER.index)
            node = {"kind": kind, "subkind": next(sub for k, sub in kinds if k == kind), "classes": n["classes"]}
            for key in ("ident", "due", "status"):  # one value each; the least when a node has several
                if n[key]:
                    node[key] = min(n[key])
            labels = sorted(n["labels"], key=lambda s: (len(s), s))
            node["label"] = labels[0] if labels else node.get("ident") or local(iri)
            if kind == "action" and node.get("ident") and not node["label"].startswith(node["ident"]):
                node["label"] = f"{node['ident']} {node['label']}"
            if kind == "action":
                node.setdefault("status", "unknown")
            self.nodes[iri] = node

    # -- relations -------------------------------------------------------------------

    def edges_from(self, sources: Iterable[str], only: Collection[str] | None = None) -> list[Key]:
        """Relations stated from `sources` to entities (as at the day, when there is one);
        `only` these relations (local names), when given."""
        return self._edges("s", sources, only)

    def edges_to(self, targets: Iterable[str], only: Collection[str] | None = None) -> list[Key]:
        return self._edges("o", targets, only)

    def _edges(self, var: str, iris: Iterable[str], only: Collection[str] | None) -> list[Key]:
        # The store is asked for `only` these relations: an action's lead, or every
        # relation into a board, is thousands of rows a view would throw away.
        sparql = internal("view_edges") if only is None else _only_relations(internal("view_edges"), only)
        rows = self._values_rows(sparql, var, iris) if sparql else []
        keys = {(r["s"], local(r["p"]), r["o"]) for r in rows}
        ends = self.entities({k[0] for k in keys} | {k[2] for k in keys})
        keys = {k for k in keys if k[0] in ends and k[2] in ends}
        if self.as_at is not None:
            self.dated({k[0] for k in keys})
            keys = {k for k in keys if self.holds(k)}
        return sorted(keys)

    def memberships(self, var: str, iris: Iterable[str]) -> list[Key]:
        """(person, "memberOf", organisation) for the posts of these people (var "person")
        or in these organisations (var "org"); as at the day, the posts held that day."""
        rows = self.rows("view_memberships", var, iris)
        ends = self.entities({r["person"] for r in rows} | {r["org"] for r in rows})
        rows = [r for r in rows if r["person"] in ends and r["org"] in ends]
        if self.as_at is not None:
            held = self._posts_held({r["m"] for r in rows})
            rows = [r for r in rows if held[r["m"]]]
        return sorted({(r["person"], "memberOf", r["org"]) for r in rows})

    def _posts_held(self, posts: set[str]) -> dict[str, bool]:
        new = posts - self._held_posts.keys()
        if new:
            recorded: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for r in self.rows("view_recorded", "m", new):
                recorded[r["m"]].append((r["org"], r["on"]))
            lists: dict[str, set[str]] = defaultdict(set)
            for r in self.rows("view_recorded", "org", {org for rs in recorded.values() for org, _ in rs}):
                lists[r["org"]].add(r["on"])
            self.dated(new - recorded.keys())
            for m in new:
                self._held_posts[m] = self._post_held(m, recorded.get(m, []), lists)
        return self._held_posts

    def _post_held(self, m: str, recorded: list[tuple[str, str]], lists: dict[str, set[str]]) -> bool:
        day = self.day
        if recorded:  # listed by then, and no later list of the body (by then) leaves them out
            return any(on <= day and not any(on < later <= day for later in lists[org]) for org, on in recorded)
        return any(p == "member" and first <= day for (p, _o), first in self._first.get(m, {}).items())

    def plan_reporting(self, var: str | None = None, iris: Iterable[str] = ()) -> list[tuple[str, str, list[Key]]]:
        """(lead, parent, the relations whose passages it cites) where a theme's lead reports
        to the plan's owner, or an action's lead to its governance body; lead and parent are
        bodies, organisations or programmes. It cites the theme's or action's lead and its
        governance (a theme has none of its own: the owner is the plan's). As at the day:
        when the relations it rests on hold (for a theme, the plan's owner and theme)."""
        rows: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)  # -> the plans of a theme
        for name in ("view_theme_reporting", "view_action_reporting"):
            for r in (self.rows(name, var, iris) if var else self.rows(name)):
                plans = rows[(r["lead"], r["parent"], r["via"], local(r["viaRel"]))]
                if "plan" in r:
                    plans.add(r["plan"])
        ends = self.entities({k[0] for k in rows} | {k[1] for k in rows})
        out = []
        for (lead, parent, via, rel), plans in rows.items():
            if lead in ends and parent in ends and all(self.nodes[e]["classes"] & REPORTING_CLASSES for e in (lead, parent)):
                out.append((lead, parent, [(via, "ledBy", lead), (via, rel, parent)], plans))
        if self.as_at is not None:
            self.dated({via for _l, _p, keys, plans in out for via in [keys[0][0], *plans]})
            out = [row for row in out if self._reporting_holds(*row)]
        return sorted(row[:3] for row in out)

    def _reporting_holds(self, lead: str, parent: str, cites: list[Key], plans: set[str]) -> bool:
        via = cites[0][0]
        if not self.holds(cites[0]):
            return False
        if not plans:  # an action: its own governance
            return self.holds(cites[1])
        return any(self.holds((plan, "hasTheme", via)) and self.holds((plan, "owner", parent)) for plan in plans)

    # -- passages --------------------------------------------------------------------

    def passages(self, entities: Iterable[str], subjects: Iterable[str]) -> None:
        """Read (once) the passages naming these entities (their type, label or status),
        and those stating these subjects' view relations."""
        for row, passage, day in self._passages("view_about", self._about, entities):
            self._about[row["s"]].append((passage, day))
        for row, passage, day in self._passages("view_evidence", self._said, subjects):
            self._said[row["s"]].append((local(row["p"]), row["o"], passage, day))

    def _passages(self, name: str, read: dict[str, list], subjects: Iterable[str]) -> Iterator[tuple[dict, Passage, str | None]]:
        new = set(subjects) - read.keys()
        for s in new:
            read[s] = []
        if not new:
            return
        papers = self._papers()
        for row in self.rows(name, "s", new):
            file, day = papers.get(row["doc"], (local(row["doc"]), None))
            yield row, Passage(row["doc"], file, int(row["start"]), int(row["end"]), " ".join(row.get("quote", "").split())), day

    def _counts(self, dated: str | None) -> bool:
        return self.day is None or (dated is not None and dated <= self.day)

    def evidence(self, key: Key) -> list[Passage]:
        """The passages (of papers dated by the day, if any) that state a relation."""
        s, p, o = key
        return [psg for q, obj, psg, dated in self._said.get(s, []) if q == p and obj == o and self._counts(dated)]

    def about(self, iri: str) -> list[Passage]:
        """The passages that state an entity's type, label or status."""
        return dedupe(psg for psg, dated in self._about.get(iri, []) if self._counts(dated))

    def dated(self, subjects: Iterable[str]) -> None:
        """Read (once) when dated papers first state these subjects' facts."""
        new = set(subjects) - self._first.keys()
        for s in new:
            self._first[s] = {}
        for row in self.rows("view_dated", "s", new):
            self._first[row["s"]][(local(row["p"]), row["o"])] = row["first"]

    def holds(self, key: Key) -> bool:
        """Whether a paper (dated by the day, if any) states the relation: read `dated` first."""
        s, p, o = key
        return self.day is None or self._first[s].get((p, o), "9999") <= self.day

    def named(self, iri: str) -> bool:
        """Whether a paper dated by the day names the entity (always, without a day)."""
        if self.day is None:
            return True
        self.dated([iri])
        return any(p == "type" and first <= self.day for (p, _o), first in self._first[iri].items())

    def documents(self) -> tuple[list[str], list[str]]:
        """The papers a view draws on (those dated by the day, if any), and those left out
        for giving no date."""
        files = dict(self._papers().values())
        if self.day is None:
            return sorted(files), []
        return (sorted(f for f, d in files.items() if d is not None and d <= self.day),
                sorted(f for f, d in files.items() if d is None))

    def _papers(self) -> dict[str, tuple[str, str | None]]:
        """Each paper's source file (or its IRI's local name) and date, read once."""
        if self._docs is None:
            docs: dict[str, dict[str, str]] = defaultdict(dict)
            for row in self.rows("view_documents"):
                docs[row["doc"]].update(row)
            self._docs = {doc: (d.get("file") or local(doc), d.get("day")) for doc, d in docs.items()}
        return self._docs

    def named_like(self, classes: Iterable[str], token: str) -> set[str]:
        """Entities of these classes whose label, identifier or IRI contains `token`."""
        return self.entities(r["e"] for r in self.rows("view_named", "cls", classes, {"token": Literal(token)}))


def as_day(value: date | str | None) -> date | None:
    """A day from a date or 'YYYY-MM-DD'; QueryError for anything else."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"as at {value!r}: not a day — write YYYY-MM-DD") from None


__all__ = ["CLASS_KIND", "KIND_ORDER", "Key", "Passage", "Reader", "as_day", "dedupe", "local"]
