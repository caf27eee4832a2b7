"""The subgraphs that views draw, computed with networkx from the store.

SPARQL (graph/rq/view_*.rq) selects entities, relations and evidence; networkx picks
the part a view shows, ranks it into levels, and groups or trims it to a readable size.
viz/ only renders the `View` this module returns: it never queries the store.

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

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx
from rapidfuzz import fuzz, process

from govgraph.errors import QueryError
from govgraph.graph.queries import internal
from govgraph.graph.sparql import select
from govgraph.graph.store import Store

GG = "https://w3id.org/govgraph/ns#"
VIEWS = ("governance", "dependencies", "focus")
DEFAULT_LIMIT = 600

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
    "http://xmlns.com/foaf/0.1/Person": ("person", "Person"),
}
# When an IRI carries classes of two kinds, the more specific role wins.
KIND_ORDER = ["action", "theme", "plan", "body", "programme", "organisation", "outcome",
              "recommendation", "indicator", "person"]
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


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


@dataclass
class Corpus:
    """Everything views select from, read once per view."""

    nodes: dict[str, dict]
    edges: list[tuple[str, str, str]]  # (source, relation, target) as stated
    evidence: dict[tuple[str, str, str], list[Passage]]
    documents: list[str]
    about: dict[str, list[Passage]] = field(default_factory=dict)  # an entity's own passages

    def node_evidence(self, iri: str) -> list[Passage]:
        return _dedupe(self.about.get(iri, []))


def _dedupe(passages: list[Passage]) -> list[Passage]:
    seen, out = set(), []
    for p in sorted(passages, key=lambda p: (p.file, p.start, p.end, p.quote)):
        key = (p.file, p.start, p.end)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def load_corpus(store: Store) -> Corpus:
    nodes: dict[str, dict] = {}
    classes: dict[str, set[str]] = defaultdict(set)
    for row in select(store, internal("view_nodes")).rows:
        iri = str(row["e"])
        classes[iri].add(str(row["cls"]))
        n = nodes.setdefault(iri, {"labels": set()})
        if "label" in row:
            n["labels"].add(" ".join(str(row["label"]).split()))
        for key in ("ident", "due"):
            if key in row:
                n[key] = str(row[key])
        if "status" in row:
            n["status"] = _local(str(row["status"]))
    for iri, n in nodes.items():
        kinds = [CLASS_KIND[c] for c in CLASS_KIND if c in classes[iri]]
        kind = min((k for k, _ in kinds), key=KIND_ORDER.index)
        n["kind"] = kind
        n["subkind"] = next(sub for k, sub in kinds if k == kind)
        labels = sorted(n.pop("labels"), key=lambda s: (len(s), s))
        n["label"] = labels[0] if labels else n.get("ident") or _local(iri)
        if kind == "action" and n.get("ident") and not n["label"].startswith(n["ident"]):
            n["label"] = f"{n['ident']} {n['label']}"
        if kind == "action":
            n.setdefault("status", "unknown")
    edges = []
    for row in select(store, internal("view_edges")).rows:
        s, p, o = str(row["s"]), _local(str(row["p"])), str(row["o"])
        if s in nodes and o in nodes:
            edges.append((s, p, o))
    evidence: dict[tuple[str, str, str], list[Passage]] = defaultdict(list)
    documents: set[str] = set()
    for row in select(store, internal("view_evidence")).rows:
        s = str(row["s"])
        file = str(row.get("file", "")) or _local(str(row["doc"]))
        passage = Passage(str(row["doc"]), file, int(row["start"]), int(row["end"]),
                          " ".join(str(row.get("quote", "")).split()))
        evidence[(s, _local(str(row["p"])), str(row["o"]))].append(passage)
        documents.add(file)
    about: dict[str, list[Passage]] = defaultdict(list)
    for (s, p, _o), passages in evidence.items():
        if p in ("type", "prefLabel", "status"):
            about[s].extend(passages)
    return Corpus(nodes, sorted(set(edges)), dict(evidence), sorted(documents), dict(about))


def _add_node(g: nx.MultiDiGraph, corpus: Corpus, iri: str) -> None:
    if iri in g:
        return
    n = corpus.nodes[iri]
    g.add_node(iri, label=n["label"], kind=n["kind"], subkind=n["subkind"],
               status=n.get("status"), identifier=n.get("ident"), due=n.get("due"),
               level=None, evidence=corpus.node_evidence(iri), bodies=[], themes=[])


def _add_edge(g: nx.MultiDiGraph, corpus: Corpus, s: str, rel: str, o: str, *,
              stated: tuple[str, str, str] | None = None, derived: bool = False,
              via: list[Passage] | None = None) -> None:
    _add_node(g, corpus, s)
    _add_node(g, corpus, o)
    passages = list(corpus.evidence.get(stated or (s, rel, o), [])) + list(via or [])
    if g.has_edge(s, o, key=rel):
        data = g.edges[s, o, rel]
        data["count"] += 1
        data["evidence"] = _dedupe(data["evidence"] + passages)
        return
    g.add_edge(s, o, key=rel, label=RELATION_LABEL.get(rel, rel), derived=derived, count=1,
               evidence=_dedupe(passages))


# ---------------------------------------------------------------- the three views


def plan_reporting(store: Store, corpus: Corpus) -> list[tuple[str, str, list[Passage]]]:
    """(lead, governing body, passages) for each theme or action a lead reports on: the
    relation no paper states as "X reports to Y" but every plan implies."""
    out = []
    for row in select(store, internal("view_plan_reporting")).rows:
        lead, parent, via = str(row["lead"]), str(row["parent"]), str(row["via"])
        if lead in corpus.nodes and parent in corpus.nodes:
            passages = corpus.evidence.get((via, "ledBy", lead), []) + corpus.evidence.get(
                (via, _local(str(row["viaRel"])), parent), [])
            out.append((lead, parent, passages))
    return out


def governance(store: Store, corpus: Corpus | None = None) -> View:
    """Bodies, organisations and programmes, and who reports to whom, top body first."""
    corpus = corpus or load_corpus(store)
    g = nx.MultiDiGraph()
    for iri, n in corpus.nodes.items():
        if n["kind"] in GOVERNING:
            _add_node(g, corpus, iri)
    for s, p, o in corpus.edges:
        if s in g and o in g and p in {"reportsTo", "accountableTo", "oversees", "partOf", "governedBy"}:
            _add_edge(g, corpus, s, p, o)
    stated = {(s, o) for s, o, _ in g.edges(keys=True)} | {(o, s) for s, o, _ in g.edges(keys=True)}
    for lead, parent, passages in plan_reporting(store, corpus):
        if lead in g and parent in g and (lead, parent) not in stated:
            _add_edge(g, corpus, lead, "reportsOnPlan", parent, derived=True, via=passages)
    _rank_upward(g)
    for iri in g:
        g.nodes[iri]["bodies"] = sorted({iri, *g.successors(iri), *g.predecessors(iri)})
    return View("governance", "Governance: who reports to whom", g, "UD", corpus.documents)


def dependencies(store: Store, corpus: Corpus | None = None) -> View:
    """Actions -> theme -> plan; actions -> governance body -> up the chain; -> outcomes."""
    corpus = corpus or load_corpus(store)
    g = nx.MultiDiGraph()
    by_source: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, p, o in corpus.edges:
        by_source[s].append((p, o))
    chain = nx.DiGraph()
    for s, p, o in corpus.edges:
        if p in {"reportsTo", "accountableTo", "partOf"} or (p == "governedBy" and corpus.nodes[s]["kind"] != "action"):
            chain.add_edge(s, o, rel=p)
        elif p == "oversees":
            chain.add_edge(o, s, rel=p)
    for a, n in sorted(corpus.nodes.items()):
        if n["kind"] != "action":
            continue
        _add_node(g, corpus, a)
        rels = by_source[a]
        has_theme = any(p == "theme" for p, _ in rels)
        for p, o in rels:
            kind = corpus.nodes[o]["kind"]
            if p == "theme" or (p == "inPlan" and not has_theme):
                _add_edge(g, corpus, a, p, o)
            elif p == "governedBy" and kind in GOVERNING:
                _add_edge(g, corpus, a, p, o)
            elif p == "serves" and kind in ("outcome", "plan"):
                _add_edge(g, corpus, a, p, o)
    themes = [t for t in g if g.nodes[t]["kind"] == "theme"]
    for s, p, o in corpus.edges:
        if p == "hasTheme" and o in themes:
            _add_edge(g, corpus, o, "themeOf", s, stated=(s, p, o))
        elif p in ("aimsAt", "hasPriority", "hasObjective") and s in g and corpus.nodes[o]["kind"] == "outcome":
            _add_edge(g, corpus, s, p, o)
    governing = [b for b in g if g.nodes[b]["kind"] in GOVERNING]
    for b in governing:
        if b in chain:
            for child, parent in nx.bfs_edges(chain, b):
                rel = chain.edges[child, parent]["rel"]
                if rel == "oversees":
                    _add_edge(g, corpus, parent, rel, child)
                else:
                    _add_edge(g, corpus, child, rel, parent)
    _rank_dependencies(g)
    _tag_filters(g)
    return View("dependencies", "Dependencies: actions to boards and outcomes", g, "LR", corpus.documents)


def focus(store: Store, name_or_iri: str, depth: int = 2, corpus: Corpus | None = None) -> View:
    """Everything within `depth` relations of an entity, whichever way they point."""
    if depth < 1:
        raise QueryError(f"--depth must be 1 or more (got {depth}) — try --depth 2")
    corpus = corpus or load_corpus(store)
    centres = resolve_focus(corpus, name_or_iri)
    full = nx.MultiDiGraph()
    for s, p, o in corpus.edges:
        full.add_edge(s, o, key=p)
    inferred: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for lead, parent, passages in plan_reporting(store, corpus):
        if not full.has_edge(lead, parent) and not full.has_edge(parent, lead):
            inferred[(lead, parent)].extend(passages)
    for lead, parent in inferred:
        full.add_edge(lead, parent, key="reportsOnPlan")
    und = full.to_undirected(as_view=True)
    dist: dict[str, int] = {}
    for c in centres:
        reach = nx.single_source_shortest_path_length(und, c, cutoff=depth) if c in und else {c: 0}
        for n, d in reach.items():
            dist[n] = min(d, dist.get(n, depth + 1))
    g = nx.MultiDiGraph()
    for n in sorted(dist, key=lambda n: (dist[n], n)):
        _add_node(g, corpus, n)
        g.nodes[n]["distance"] = dist[n]
    for s, o, p in full.subgraph(dist).edges(keys=True):
        if p == "reportsOnPlan":
            _add_edge(g, corpus, s, p, o, derived=True, via=inferred[(s, o)])
        else:
            _add_edge(g, corpus, s, p, o)
    _tag_filters(g)
    label = corpus.nodes[centres[0]]["label"]
    view = View("focus", f"Within {depth} step{'s' * (depth > 1)} of {label}", g, None,
                corpus.documents, focus=centres)
    if len(centres) > 1:
        view.notes.append(f"{len(centres)} entities are called {label!r}; the view centres on all of them.")
    return view


# ---------------------------------------------------------------- focus names


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w&]+", " ", text.casefold()).split())


def resolve_focus(corpus: Corpus, name_or_iri: str) -> list[str]:
    """The entities a --focus names: an IRI, or a label (exact, ignoring case and spacing).
    Several entities of one kind may share a label (the same action in two versions of a
    plan): all of them are returned. Raises QueryError saying what to give instead."""
    text = name_or_iri.strip()
    if not text:
        raise QueryError("--focus is empty — give the label or IRI of a body, person, programme or action")
    if text.startswith(("http://", "https://", "urn:")):
        if text in corpus.nodes:
            return [text]
        raise QueryError(f"no entity in the store has the IRI <{text}> — check the IRI, or give a label instead")
    wanted = _norm(text)
    hits = [iri for iri, n in corpus.nodes.items() if n["kind"] in FOCUSABLE
            and wanted in (_norm(n["label"]), _norm(n.get("ident") or "\0"),
                           _norm(re.sub(r"^\S+\s", "", n["label"])) if n["kind"] == "action" else "\0")]
    kinds = {corpus.nodes[h]["kind"] for h in hits}
    if len(kinds) == 1:
        return sorted(hits)
    if len(kinds) > 1:
        listed = "; ".join(f"{corpus.nodes[h]['subkind']} <{h}>" for h in sorted(hits)[:6])
        raise QueryError(f"--focus {text!r} names several kinds of thing ({listed}) — give one IRI")
    choices = {iri: n["label"] for iri, n in corpus.nodes.items() if n["kind"] in FOCUSABLE}
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
    for n, data in g.nodes(data=True):
        near = {n, *g.successors(n), *g.predecessors(n)}
        if data["kind"] in ("action", "actions", "theme"):
            near |= set(nx.descendants(g, n))
        data["bodies"] = sorted(m for m in near if g.nodes[m]["kind"] in GOVERNING)
        data["themes"] = sorted(m for m in near if g.nodes[m]["kind"] == "theme")


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
        def order(n: str) -> tuple:
            d = g.nodes[n]
            linked = g.degree(n) > 0
            return (d.get("distance", 0), not linked, d["level"] or 0, -g.degree(n), d["label"], n)
        keep = sorted(g, key=order)[:limit]
        dropped = g.number_of_nodes() - len(keep)
        view.graph = g = g.subgraph(keep).copy()
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
            for _s, o, k, d in list(g.out_edges(m, keys=True, data=True)):
                if g.has_edge(gid, o, key=k):
                    g.edges[gid, o, k]["count"] += d["count"]
                else:
                    g.add_edge(gid, o, key=k, **{**d, "evidence": []})
            for s, _o, k, d in list(g.in_edges(m, keys=True, data=True)):
                if not g.has_edge(s, gid, key=k):
                    g.add_edge(s, gid, key=k, **{**d, "evidence": []})
            g.remove_node(m)


STATUS_ORDER = ["slipped", "not_started", "unknown", "in_progress", "complete"]


def _worst(statuses: Counter) -> str:
    return min(statuses, key=STATUS_ORDER.index) if statuses else "unknown"


def build(store: Store, view: str, *, focus_on: str | None = None, depth: int = 2,
          limit: int = DEFAULT_LIMIT) -> View:
    """The named view, trimmed to `limit` nodes."""
    if view not in VIEWS:
        raise QueryError(f"no view named {view!r} — choose one of: {', '.join(VIEWS)}")
    if view == "focus":
        if not focus_on:
            raise QueryError("the focus view needs --focus NAME_OR_IRI (a body, person, programme or action)")
        v = focus(store, focus_on, depth)
    elif view == "governance":
        v = governance(store)
    else:
        v = dependencies(store)
    if v.graph.number_of_nodes() == 0:
        v.notes.append("The store holds nothing this view draws yet — ingest some papers first.")
    return fit(v, limit)


__all__ = ["VIEWS", "View", "Passage", "build", "governance", "dependencies", "focus",
           "resolve_focus", "fit", "load_corpus"]
