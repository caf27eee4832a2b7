"""The subgraphs that views draw, computed with networkx from what SPARQL selects.

Each view reads only what it draws (graph/viewdata.py: governance the bodies,
organisations and programmes; dependencies the actions and what they lead to; focus a
neighbourhood, one ring of relations at a time), then networkx picks, ranks, groups and
trims it; passages are read last, for the nodes and relations left. viz/ only renders
the `View` this module returns: it never queries the store.

Every view can be drawn as at a day (`as_at`): only what papers dated on or before that
day state (graph/viewdata.py says exactly how, memberships included).

A view's `graph` is an `nx.MultiDiGraph` keyed by entity IRI. Node attributes: label,
kind (body, organisation, programme, plan, theme, action, outcome, recommendation,
indicator, person, or `actions` for a group of actions), subkind (the class as the papers
name it, e.g. "Board"), status (actions: complete, in_progress, not_started, slipped,
unknown), identifier, due, level (rank in a hierarchical layout, or None), evidence
(list of `Passage`), bodies and themes (IRIs the filters match), and for groups
`members` and `statuses` (status -> count). Edges are keyed by relation (local name of
the predicate, drawn from source to target) with attributes label, derived (True when
inferred rather than stated), count and evidence.
"""

from __future__ import annotations

import gc
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import networkx as nx
from rapidfuzz import fuzz, process

from govgraph.errors import QueryError
from govgraph.graph.store import Store
from govgraph.graph.viewdata import CLASS_KIND, GG, Key, Passage, Reader, as_day, dedupe

VIEWS = ("governance", "dependencies", "focus")
DEFAULT_LIMIT = 600

GOVERNING = {"body", "organisation", "programme"}
FOCUSABLE = ["body", "person", "programme", "action", "organisation", "theme", "plan"]

RELATION_LABEL = {
    "reportsTo": "reports to", "accountableTo": "accountable to", "oversees": "oversees",
    "partOf": "part of", "governedBy": "governed by", "chairedBy": "chaired by",
    "ledBy": "led by", "theme": "in theme", "inPlan": "in plan", "hasTheme": "has theme",
    "themeOf": "theme of", "serves": "serves", "aimsAt": "aims at", "addresses": "addresses",
    "hasPriority": "has priority", "hasObjective": "has objective", "owner": "owned by",
    "respondsTo": "responds to", "measures": "measures", "meetingOf": "meeting of",
    "memberOf": "member of", "reportsOnPlan": "reports on plan work to",
}
# child -> parent relations, as drawn: the arrow points up the chain.
UPWARD = {"reportsTo", "accountableTo", "partOf", "governedBy", "reportsOnPlan"}
GOVERNANCE_RELATIONS = {"reportsTo", "accountableTo", "oversees", "partOf", "governedBy"}
AIMS = ("aimsAt", "hasPriority", "hasObjective")


def _classes(kinds: set[str]) -> list[str]:
    return [c for c, (k, _sub) in CLASS_KIND.items() if k in kinds]


@dataclass
class View:
    """A subgraph ready to draw: see the module docstring for its attributes."""

    name: str
    title: str
    graph: nx.MultiDiGraph
    direction: str | None  # "UD", "LR" or None (free layout)
    documents: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)
    as_at: date | None = None


class _Draft:
    """A view being built: its graph, and the stated relations each drawn edge cites
    (their passages are read only for the edges left after trimming)."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.g = nx.MultiDiGraph()
        self.cites: dict[tuple[str, str, str], set[Key]] = defaultdict(set)

    def node(self, iri: str) -> None:
        if iri in self.g:
            return
        n = self.r.nodes[iri]
        self.g.add_node(iri, label=n["label"], kind=n["kind"], subkind=n["subkind"], status=n.get("status"),
                        identifier=n.get("ident"), due=n.get("due"), level=None, evidence=[], bodies=[], themes=[])

    def edge(self, s: str, rel: str, o: str, *, stated: Key | None = None, derived: bool = False,
             via: list[Key] = ()) -> None:
        """Draw s -rel-> o (again: its count goes up), citing `stated` (by default the
        relation itself, unless derived) and the relations it was derived `via`."""
        self.node(s)
        self.node(o)
        cites = self.cites[(s, o, rel)]
        cites.update(via)
        if not derived:
            cites.add(stated or (s, rel, o))
        same = self.g.get_edge_data(s, o, key=rel)
        if same is not None:
            same["count"] += 1
            return
        self.g.add_edge(s, o, key=rel, label=RELATION_LABEL.get(rel, rel), derived=derived, count=1, evidence=[])

    def view(self, name: str, title: str, direction: str | None, focus: list[str] | None = None) -> View:
        r = self.r
        papers, undated = r.documents()
        v = View(name, title, self.g, direction, papers, focus=focus or [], as_at=r.as_at)
        if r.as_at is not None:
            v.title = f"{title}, as at {r.day}"
            v.notes.append(f"As at {r.day}: what {len(papers)} paper{'s' * (len(papers) != 1)} dated on or "
                           f"before then state{'s' * (len(papers) == 1)}.")
            if undated:
                one = len(undated) == 1
                v.notes.append(f"{len(undated)} paper{'s' * (not one)} give{'s' * one} no date and "
                               f"{'is' if one else 'are'} left out: {', '.join(undated[:4])}"
                               f"{f' and {len(undated) - 4} more' if len(undated) > 4 else ''}.")
        return v

    def finish(self, view: View) -> View:
        """Read and attach the passages of what the (trimmed) view still draws."""
        g, r = view.graph, self.r
        drawn = [(self.cites[(s, o, k)], data) for s, o, k, data in g.edges(keys=True, data=True)
                 if (s, o, k) in self.cites]  # a group of actions cites nothing itself
        r.passages([n for n in g if n in r.nodes], {key[0] for keys, _d in drawn for key in keys})
        for n, data in g.nodes(data=True):
            if n in r.nodes:
                data["evidence"] = r.about(n)
        for keys, data in drawn:
            data["evidence"] = dedupe(p for key in keys for p in r.evidence(key))
        return view


def _present(r: Reader, candidates: set[str], edges: list[tuple[str, str]]) -> set[str]:
    """As at a day: the candidates a dated paper names or a relation that holds reaches."""
    if r.as_at is None:
        return candidates
    reached = {e for pair in edges for e in pair}
    rest = candidates - reached
    r.dated(rest)
    return (candidates & reached) | {c for c in rest if r.named(c)}


# ---------------------------------------------------------------- the three views


def _governance(r: Reader) -> tuple[_Draft, View]:
    d = _Draft(r)
    candidates = {n for n in r.of_classes(_classes(GOVERNING)) if r.nodes[n]["kind"] in GOVERNING}
    stated = [k for k in r.edges_from(candidates, GOVERNANCE_RELATIONS) if k[2] in candidates]
    derived = [row for row in r.plan_reporting() if row[0] in candidates and row[1] in candidates]
    for n in sorted(_present(r, candidates, [(s, o) for s, _p, o in stated] + [row[:2] for row in derived])):
        d.node(n)
    g = d.g
    for s, p, o in stated:
        d.edge(s, p, o)
    pairs = {(s, o) for s, o, _ in g.edges(keys=True)} | {(o, s) for s, o, _ in g.edges(keys=True)}
    for lead, parent, via in derived:
        if (lead, parent) not in pairs:
            d.edge(lead, "reportsOnPlan", parent, derived=True, via=via)
    _rank_upward(g)
    for iri in g:
        g.nodes[iri]["bodies"] = sorted({iri, *g.successors(iri), *g.predecessors(iri)})
    return d, d.view("governance", "Governance: who reports to whom", "UD")


def _dependencies(r: Reader) -> tuple[_Draft, View]:
    """Actions -> theme -> plan; actions -> governance body -> up the chain; -> outcomes."""
    d = _Draft(r)
    g = d.g
    actions = {a for a in r.of_classes([f"{GG}Action"]) if r.nodes[a]["kind"] == "action"}
    by_source: dict[str, list[Key]] = defaultdict(list)
    for k in r.edges_from(actions, ("theme", "inPlan", "governedBy", "serves", *AIMS)):
        by_source[k[0]].append(k)
    for a in sorted(_present(r, actions, [(s, o) for s, _p, o in (k for ks in by_source.values() for k in ks)])):
        d.node(a)
        rels = by_source[a]
        has_theme = any(p == "theme" for _s, p, _o in rels)
        for _s, p, o in rels:
            kind = r.nodes[o]["kind"]
            if p == "theme" or (p == "inPlan" and not has_theme):
                d.edge(a, p, o)
            elif p == "governedBy" and kind in GOVERNING:
                d.edge(a, p, o)
            elif p == "serves" and kind in ("outcome", "plan"):
                d.edge(a, p, o)
    themes = {t for t in g if g.nodes[t]["kind"] == "theme"}
    into_themes = r.edges_to(themes, ("hasTheme",))
    # Sources of aims: what the view has, and the plans the themes bring in, in the
    # order the relations sort (a plan counts once its theme has brought it in).
    sources = (set(g) | {s for s, _p, _o in into_themes}) - actions
    aims = r.edges_from(sources, AIMS) + [k for a in actions for k in by_source[a] if k[1] in AIMS]
    for s, p, o in sorted(set(into_themes) | set(aims)):
        if p == "hasTheme":
            d.edge(o, "themeOf", s, stated=(s, p, o))
        elif s in g and r.nodes[o]["kind"] == "outcome":
            d.edge(s, p, o)
    chain = _chain(r, [b for b in g if g.nodes[b]["kind"] in GOVERNING])
    for b in [b for b in g if g.nodes[b]["kind"] in GOVERNING]:
        if b in chain:
            for child, parent in nx.bfs_edges(chain, b):
                rel = chain.edges[child, parent]["rel"]
                if rel == "oversees":
                    d.edge(parent, rel, child)
                else:
                    d.edge(child, rel, parent)
    _rank_dependencies(g)
    _tag_filters(g)
    return d, d.view("dependencies", "Dependencies: actions to boards and outcomes", "LR")


def _chain(r: Reader, start: list[str]) -> nx.DiGraph:
    """The governance chain above `start`, child -> parent, read one step up at a time:
    reports to, accountable to, part of, governed by (but an action's), and oversees
    reversed. Built in the order the relations sort, so the last of two relations
    between one pair names the step."""
    found: set[Key] = set()
    seen: set[str] = set()
    frontier = set(start)
    while frontier:
        seen |= frontier
        up = {k for k in r.edges_from(frontier, ("reportsTo", "accountableTo", "partOf", "governedBy"))
              if k[1] != "governedBy" or r.nodes[k[0]]["kind"] != "action"}
        over = set(r.edges_to(frontier, ("oversees",)))
        found |= up | over
        frontier = ({o for _s, _p, o in up} | {s for s, _p, _o in over}) - seen
    chain = nx.DiGraph()
    for s, p, o in sorted(found):
        if p == "oversees":
            chain.add_edge(o, s, rel=p)
        else:
            chain.add_edge(s, o, rel=p)
    return chain


def _focus(r: Reader, name_or_iri: str, depth: int) -> tuple[_Draft, View]:
    """Everything within `depth` relations of an entity, whichever way they point."""
    if depth < 1:
        raise QueryError(f"--depth must be 1 or more (got {depth}) — try --depth 2")
    centres = resolve_focus(r, name_or_iri)
    dist = {c: 0 for c in centres}
    stated: set[Key] = set()
    derived: list[tuple[str, str, list[Key]]] = []
    ring = set(centres)
    for level in range(depth + 1):
        if level < depth:  # every relation of the ring, to find the next ring
            found = (r.edges_from(ring) + r.edges_to(ring) + r.memberships("person", ring)
                     + r.memberships("org", ring))
            rows = r.plan_reporting("lead", ring) + r.plan_reporting("parent", ring)
        else:  # the outer ring: only the relations between its own members are left to read
            found = r.edges_from(ring) + r.memberships("person", ring)
            rows = r.plan_reporting("lead", ring)
        stated.update(found)
        derived += rows
        if level == depth:
            break
        ring = ({e for s, _p, o in found for e in (s, o)} | {e for lead, parent, _v in rows for e in (lead, parent)}) - dist.keys()
        for n in ring:
            dist[n] = level + 1
    linked = {(s, o) for s, _p, o in stated} | {(o, s) for s, _p, o in stated}
    inferred: dict[tuple[str, str], list[Key]] = defaultdict(list)
    for lead, parent, via in derived:
        if lead in dist and parent in dist and (lead, parent) not in linked:
            inferred[(lead, parent)] += via
    d = _Draft(r)
    g = d.g
    for n in sorted(dist, key=lambda n: (dist[n], n)):
        d.node(n)
        g.nodes[n]["distance"] = dist[n]
    for s, p, o in sorted(stated):
        if s in dist and o in dist:
            d.edge(s, p, o)
    for (lead, parent), via in sorted(inferred.items()):
        d.edge(lead, "reportsOnPlan", parent, derived=True, via=sorted(set(via)))
    _tag_filters(g)
    label = r.nodes[centres[0]]["label"]
    view = d.view("focus", f"Within {depth} step{'s' * (depth > 1)} of {label}", None, focus=centres)
    if len(centres) > 1:
        view.notes.append(f"{len(centres)} entities are called {label!r}; the view centres on all of them.")
    return d, view


def governance(store: Store, *, as_at: date | str | None = None) -> View:
    """Bodies, organisations and programmes, and who reports to whom, top body first."""
    d, v = _governance(Reader(store, as_day(as_at)))
    return d.finish(v)


def dependencies(store: Store, *, as_at: date | str | None = None) -> View:
    """Actions -> theme -> plan; actions -> governance body -> up the chain; -> outcomes."""
    d, v = _dependencies(Reader(store, as_day(as_at)))
    return d.finish(v)


def focus(store: Store, name_or_iri: str, depth: int = 2, *, as_at: date | str | None = None) -> View:
    """Everything within `depth` relations of an entity, whichever way they point."""
    d, v = _focus(Reader(store, as_day(as_at)), name_or_iri, depth)
    return d.finish(v)


# ---------------------------------------------------------------- focus names


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w&]+", " ", text.casefold()).split())


def _called(r: Reader, iris: set[str], wanted: str) -> list[str]:
    out = []
    for iri in iris:
        n = r.nodes[iri]
        if n["kind"] in FOCUSABLE and wanted in (
                _norm(n["label"]), _norm(n.get("ident") or "\0"),
                _norm(re.sub(r"^\S+\s", "", n["label"])) if n["kind"] == "action" else "\0"):
            out.append(iri)
    return out


def resolve_focus(r: Reader, name_or_iri: str) -> list[str]:
    """The entities a --focus names: an IRI, or a label (exact, ignoring case and spacing).
    Several entities of one kind may share a label (the same action in two versions of a
    plan): all of them are returned. Raises QueryError saying what to give instead."""
    text = name_or_iri.strip()
    if not text:
        raise QueryError("--focus is empty — give the label or IRI of a body, person, programme or action")
    if text.startswith(("http://", "https://", "urn:")):
        if re.fullmatch(r'[^<>"{}|^`\\\s]+', text) and r.entities([text]):
            return [text]
        raise QueryError(f"no entity in the store has the IRI <{text}> — check the IRI, or give a label instead")
    wanted = _norm(text)
    # The store is asked only for names containing the longest word given; the whole
    # set is read only when that finds nothing (a word casefold and LCASE read apart).
    token = max(wanted.split(), key=len, default="")
    classes = _classes(set(FOCUSABLE))
    hits = _called(r, r.named_like(classes, token), wanted) if token.isascii() and token else []
    everyone: set[str] | None = None
    if not hits:
        everyone = r.of_classes(classes)
        hits = _called(r, everyone, wanted)
    kinds = {r.nodes[h]["kind"] for h in hits}
    if len(kinds) == 1:
        return sorted(hits)
    if len(kinds) > 1:
        listed = "; ".join(f"{r.nodes[h]['subkind']} <{h}>" for h in sorted(hits)[:6])
        raise QueryError(f"--focus {text!r} names several kinds of thing ({listed}) — give one IRI")
    choices = {iri: r.nodes[iri]["label"] for iri in sorted(everyone or ()) if r.nodes[iri]["kind"] in FOCUSABLE}
    near = process.extract(text, choices, scorer=fuzz.WRatio, limit=3, score_cutoff=80)
    hint = "; did you mean " + " or ".join(repr(label) for label, _s, _k in near) if near else ""
    raise QueryError(
        f"no body, person, programme or action is called {text!r}{hint} — "
        "give a label as the papers write it, or an entity IRI"
    )


# ---------------------------------------------------------------- layout ranks


def _rank_upward(g: nx.MultiDiGraph) -> None:
    """Level 0 is the top of the chain; every child sits below its lowest parent.
    Entities linked to nothing go on one row under the rest."""
    up = nx.DiGraph()
    for s, o, rel in g.edges(keys=True):
        if rel == "oversees":
            up.add_edge(o, s)
        elif rel in UPWARD:
            up.add_edge(s, o)
    cond = nx.condensation(up)
    level: dict[int, int] = {}
    for c in reversed(list(nx.topological_sort(cond))):
        parents = list(cond.successors(c))
        level[c] = 1 + max(level[p] for p in parents) if parents else 0
    bottom = max(level.values(), default=-1) + 1
    for n in g:
        g.nodes[n]["level"] = level[cond.graph["mapping"][n]] if n in up else bottom


def _rank_dependencies(g: nx.MultiDiGraph) -> None:
    """Actions, then themes, then plans, then the governance chain, then outcomes."""
    fixed = {"action": 0, "actions": 0, "theme": 1, "plan": 2}
    sub = g.subgraph([n for n in g if g.nodes[n]["kind"] in GOVERNING])
    _rank_upward(sub)  # 0 = top of the chain
    top = max((sub.nodes[n]["level"] for n in sub), default=0)
    for n, data in g.nodes(data=True):
        if data["kind"] in fixed:
            data["level"] = fixed[data["kind"]]
        elif data["kind"] in GOVERNING:
            data["level"] = 3 + top - data["level"]
    last = 4 + top
    for n, data in g.nodes(data=True):
        if data["level"] is None:
            data["level"] = last


def _tag_filters(g: nx.MultiDiGraph) -> None:
    """Which bodies and themes each node belongs to, for the body and theme filters:
    an action belongs to its theme and to every body it reaches; others to their neighbours."""
    kind = {n: data["kind"] for n, data in g.nodes(data=True)}
    tagged = GOVERNING | {"theme"}
    below: dict[str, set[str]] = {}  # node -> the bodies and themes it leads to

    def reach(n: str) -> set[str]:
        if n not in below:
            below[n] = {m for m in nx.descendants(g, n) if kind[m] in tagged}
        return below[n]

    for n, data in g.nodes(data=True):
        near = {n, *g.successors(n), *g.predecessors(n)}
        if data["kind"] == "theme":
            near |= reach(n)
        elif data["kind"] in ("action", "actions"):
            # What an action leads to is what its successors lead to: thousands of actions
            # share a few hundred themes and bodies, each walked once.
            for m in g.successors(n):
                near |= reach(m)
        data["bodies"] = sorted(m for m in near if kind[m] in GOVERNING)
        data["themes"] = sorted(m for m in near if kind[m] == "theme")


# ---------------------------------------------------------------- readable size


def fit(view: View, limit: int) -> View:
    """Keep a view under `limit` nodes: first group each theme's actions into one node
    (with their status counts), then drop the entities farthest from the view's centre."""
    g = view.graph
    if g.number_of_nodes() <= limit:
        return view
    actions = [n for n in g if g.nodes[n]["kind"] == "action"]
    if actions:
        _group_actions(g, actions)
        view.notes.append(f"{len(actions)} actions are grouped by theme; filter or focus to see each one.")
    if g.number_of_nodes() > limit:
        degree = dict(g.degree())  # one pass: a multigraph counts each node's degree edge by edge

        def order(n: str) -> tuple:
            d = g.nodes[n]
            return (d.get("distance", 0), not degree[n], d["level"] or 0, -degree[n], d["label"], n)
        drop = sorted(g, key=order)[limit:]
        g.remove_nodes_from(drop)  # in place: copying a subgraph view costs more than the view
        dropped = len(drop)
        view.notes.append(f"{dropped} more entities are not shown; use a focus view to see them.")
    return view


def _group_actions(g: nx.MultiDiGraph, actions: list[str]) -> None:
    groups: dict[str, list[str]] = defaultdict(list)
    for a in actions:
        themes = sorted(o for _s, o, k in g.out_edges(a, keys=True) if k in ("theme", "inPlan"))
        groups[themes[0] if themes else "(no theme)"].append(a)
    for key, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        gid = f"{key}#actions" if key != "(no theme)" else "urn:govgraph:actions-without-theme"
        statuses = Counter(g.nodes[m]["status"] or "unknown" for m in members)
        where = g.nodes[key]["label"] if key in g else "no theme"
        g.add_node(gid, label=f"{len(members)} actions: {where}", kind="actions", subkind="Actions",
                   status=_worst(statuses), identifier=None, due=None, level=0, evidence=[],
                   members=sorted(g.nodes[m]["label"] for m in members), statuses=dict(statuses),
                   bodies=sorted({b for m in members for b in g.nodes[m]["bodies"]}),
                   themes=sorted({t for m in members for t in g.nodes[m]["themes"]}))
        for m in members:
            # Lists made by comprehension: list(edge view) would walk the view twice.
            for o, k, d in [(o, k, d) for _s, o, k, d in g.out_edges(m, keys=True, data=True)]:
                same = g.get_edge_data(gid, o, key=k)
                if same is not None:
                    same["count"] += d["count"]
                else:
                    g.add_edge(gid, o, key=k, **{**d, "evidence": []})
            for s, k, d in [(s, k, d) for s, _o, k, d in g.in_edges(m, keys=True, data=True)]:
                if not g.has_edge(s, gid, key=k):
                    g.add_edge(s, gid, key=k, **{**d, "evidence": []})
            g.remove_node(m)


STATUS_ORDER = ["slipped", "not_started", "unknown", "in_progress", "complete"]


def _worst(statuses: Counter) -> str:
    return min(statuses, key=STATUS_ORDER.index) if statuses else "unknown"


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector while a view is built or drawn. A big
    view makes hundreds of thousands of short-lived rows, dicts and sets, none of them in
    a cycle, and each collector pass walks every live one again (a tenth of a 2,000-node
    view's time). Reference counting still frees them all. Only the call that paused the
    collector resumes it, so nested and concurrent views leave it running afterwards."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def build(store: Store, view: str, *, focus_on: str | None = None, depth: int = 2,
          limit: int = DEFAULT_LIMIT, as_at: date | str | None = None) -> View:
    """The named view (as at a day, if given), trimmed to `limit` nodes."""
    with collector_paused():
        return _build(store, view, focus_on=focus_on, depth=depth, limit=limit, as_at=as_at)


def _build(store: Store, view: str, *, focus_on: str | None, depth: int, limit: int,
           as_at: date | str | None) -> View:
    if view not in VIEWS:
        raise QueryError(f"no view named {view!r} — choose one of: {', '.join(VIEWS)}")
    r = Reader(store, as_day(as_at))
    if view == "focus":
        if not focus_on:
            raise QueryError("the focus view needs --focus NAME_OR_IRI (a body, person, programme or action)")
        d, v = _focus(r, focus_on, depth)
    elif view == "governance":
        d, v = _governance(r)
    else:
        d, v = _dependencies(r)
    if v.graph.number_of_nodes() == 0:
        v.notes.append("The store holds nothing this view draws yet — ingest some papers first."
                       if r.as_at is None else f"No paper dated on or before {r.day} states anything this view draws.")
    return d.finish(fit(v, limit))


__all__ = ["VIEWS", "View", "Passage", "build", "governance", "dependencies", "focus",
           "resolve_focus", "fit"]
