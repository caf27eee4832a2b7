"""What changed between two papers, or two meetings of a body.

Two versions of a plan: their actions are matched by identifier within the same plan
(each paper mints its own action IRIs, and both link to the one plan node), and the
differences are listed: actions added or dropped, closed or reopened, status moves,
re-dated due and revised-due dates, lead and governance changes. Two meetings of one
body: who joined or left its recorded membership, role changes, and attendance.

Each change cites the paper and line of both sides where there is one. The answer is a
`Diff`; `as_text`, `as_dict` and `as_html` present it (the page is self-contained,
every value escaped, since labels from papers are data, never markup).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import PurePath

from rdflib import URIRef

from govgraph.errors import QueryError
from govgraph.graph.queries import internal
from govgraph.graph.sparql import select
from govgraph.graph.store import Store


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a paper or a meeting."""

    iri: str
    kind: str  # document | meeting
    name: str  # the source file, or the meeting's body and date
    title: str | None = None


@dataclass(frozen=True)
class Change:
    change: str  # added | dropped | closed | reopened | status | due | revisedDue | lead | governance | title
    #              (meetings) joined | left | role | attendance
    key: str  # the action's identifier, or the person's name
    label: str | None
    before: str | None
    after: str | None
    citeA: str | None = None  # "file:line" in the first paper
    citeB: str | None = None


@dataclass
class Diff:
    a: Side
    b: Side
    mode: str  # plan | meeting
    changes: list[Change] = field(default_factory=list)
    compared: int = 0  # actions (or people) found on both sides
    changed: int = 0  # of those, how many changed
    plans: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return self.compared - self.changed


# ---- resolving what the user named ------------------------------------------------


def _sides(store: Store) -> list[tuple[Side, str | None]]:
    out = []
    for row in select(store, internal("diff_documents")).rows:
        kind = str(row["kind"])
        title = str(row["title"]) if "title" in row else None
        if kind == "document":
            name = str(row.get("file", "")) or str(row["node"]).rsplit("/", 1)[-1]
            out.append((Side(str(row["node"]), kind, name, title), None))
        else:
            date = str(row["date"]) if "date" in row else "undated"
            out.append((Side(str(row["node"]), kind, f"{title or 'meeting'} {date}", title),
                        str(row["body"]) if "body" in row else None))
    return out


def resolve(store: Store, ref: str) -> tuple[Side, str | None]:
    """A paper by doc id, file name (or path) or IRI; or a meeting by IRI or its tail."""
    sides = _sides(store)
    tail = ref.rstrip("/")
    stem = PurePath(ref).name
    for side, body in sides:
        if ref == side.iri:
            return side, body
    for side, body in sides:
        last = side.iri.rsplit("/", 1)[-1]
        if side.kind == "document" and (stem == side.name or stem == last or PurePath(stem).stem == last):
            return side, body
        if side.kind == "meeting" and (side.iri.endswith("/" + tail) or last == tail):
            return side, body
    papers = ", ".join(sorted(s.name for s, _ in sides if s.kind == "document")) or "none ingested"
    raise QueryError(f"{ref}: no ingested paper or meeting by that name — papers: {papers}; "
                     "or give a meeting's IRI")


# ---- plans ---------------------------------------------------------------------------


def _cite(file: str, line) -> str | None:
    return f"{file}:{line}" if line is not None else None


def _actions(store: Store, side: Side) -> dict[tuple[str, str], dict[str, str]]:
    rows = select(store, internal("diff_actions"), {"doc": URIRef(side.iri)}).rows
    out = {}
    for row in rows:
        rec = {k: str(v) for k, v in row.items()}
        out[(rec.get("plan", ""), rec["id"])] = rec
    return out


def _id_order(key: tuple[str, str]) -> tuple:
    plan, ident = key
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in ident.replace("-", ".").split("."))
    return (plan, parts)


def _set(text: str | None) -> list[str]:
    return sorted(t for t in (text or "").split("\n") if t)


def diff_plans(store: Store, a: Side, b: Side) -> Diff:
    before, after = _actions(store, a), _actions(store, b)
    if not before and not after:
        raise QueryError(f"{a.name} and {b.name} hold no actions — give two versions of a plan, or two meetings")
    d = Diff(a, b, "plan")
    d.plans = sorted({r.get("planLabel", "") for r in [*before.values(), *after.values()] if r.get("planLabel")})
    for key in sorted(set(before) | set(after), key=_id_order):
        x, y = before.get(key), after.get(key)
        ident = key[1]
        if x is None:
            d.changes.append(Change("added", ident, y.get("title"), None, y.get("status"),
                                    None, _cite(b.name, y.get("line"))))
            continue
        if y is None:
            d.changes.append(Change("dropped", ident, x.get("title"), x.get("status"), None,
                                    _cite(a.name, x.get("line")), None))
            continue
        d.compared += 1
        found = len(d.changes)
        title = y.get("title") or x.get("title")
        ca, cb = _cite(a.name, x.get("line")), _cite(b.name, y.get("line"))
        sa, sb = x.get("status", "unknown"), y.get("status", "unknown")
        if sa != sb:
            kind = "closed" if sb == "complete" else "reopened" if sa == "complete" else "status"
            d.changes.append(Change(kind, ident, title, sa, sb, _cite(a.name, x.get("statusLine")) or ca,
                                    _cite(b.name, y.get("statusLine")) or cb))
        for fld in ("due", "revisedDue"):
            if x.get(fld) != y.get(fld):
                d.changes.append(Change(fld, ident, title, _when(x, fld), _when(y, fld), ca, cb))
        for fld, name in (("leads", "lead"), ("governance", "governance")):
            if _set(x.get(fld)) != _set(y.get(fld)):
                d.changes.append(Change(name, ident, title, " | ".join(_set(x.get(fld))) or None,
                                        " | ".join(_set(y.get(fld))) or None, ca, cb))
        if x.get("title") != y.get("title"):
            d.changes.append(Change("title", ident, title, x.get("title"), y.get("title"), ca, cb))
        d.changed += len(d.changes) > found
    return d


def _when(rec: dict[str, str], fld: str) -> str | None:
    text = rec.get(fld)
    by = rec.get(f"{fld}By")
    if text is None:
        return None
    return f"{text} (by {by})" if by and by != text else text


# ---- meetings ------------------------------------------------------------------------


def _people(store: Store, side: Side) -> dict[str, dict[str, dict[str, str]]]:
    """person -> kind (member | present | apologies) -> row."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for row in select(store, internal("diff_meeting"), {"meeting": URIRef(side.iri)}).rows:
        rec = {k: str(v) for k, v in row.items()}
        out.setdefault(rec["person"], {})[rec["kind"]] = rec
    return out


def _attendance(kinds: dict[str, dict[str, str]]) -> str | None:
    return "present" if "present" in kinds else "apologies" if "apologies" in kinds else None


def diff_meetings(store: Store, a: Side, b: Side) -> Diff:
    before, after = _people(store, a), _people(store, b)
    d = Diff(a, b, "meeting")
    for side, people in ((a, before), (b, after)):
        if not people:
            d.notes.append(f"{side.name}: the papers record no members or attendance for this meeting "
                           "(an agenda, perhaps) — nothing to compare")
    if d.notes:
        return d
    # An agenda lists the body's members but records no attendance: compare attendance
    # only when both meetings record it.
    attended = all(any(_attendance(k) for k in people.values()) for people in (before, after))
    if not attended:
        d.notes.append("one meeting records no attendance (an agenda, perhaps) — only membership compared")
    label = {p: next(iter(k.values())).get("label", p) for p, k in [*before.items(), *after.items()]}

    def cite(kinds: dict[str, dict[str, str]] | None, kind: str) -> str | None:
        rec = (kinds or {}).get(kind)
        return f"{rec['file']}:{rec['line']}" if rec and "file" in rec else None

    for person in sorted(set(before) | set(after), key=lambda p: label[p]):
        x, y = before.get(person, {}), after.get(person, {})
        name = label[person]
        found = len(d.changes)
        mx, my = x.get("member"), y.get("member")
        if mx is None and my is not None:
            # Minutes that list only the members present say nothing of those who sent apologies:
            # against an agenda (no attendance to compare) show what the first meeting did
            # record of them, so 'joined' is read with care.
            was = f"{_attendance(x)} (not listed as a member)" if _attendance(x) and not attended else None
            d.changes.append(Change("joined", name, name, was, my.get("role", "Member"),
                                    cite(x, _attendance(x)) if was else None, cite(y, "member")))
        elif mx is not None and my is None and _attendance(y) is None:
            d.changes.append(Change("left", name, name, mx.get("role", "Member"), None, cite(x, "member"), None))
        elif mx is not None and my is not None and mx.get("role") != my.get("role"):
            d.changes.append(Change("role", name, name, mx.get("role"), my.get("role"),
                                    cite(x, "member"), cite(y, "member")))
        ax, ay = _attendance(x), _attendance(y)
        if attended and ax != ay and (ax or ay):
            d.changes.append(Change("attendance", name, name, ax, ay,
                                    cite(x, ax) if ax else None, cite(y, ay) if ay else None))
        if x and y:
            d.compared += 1
            d.changed += len(d.changes) > found
    return d


# ---- entry point ---------------------------------------------------------------------


def diff(store: Store, ref_a: str, ref_b: str) -> Diff:
    """Compare two papers (their plans' actions) or two meetings of one body."""
    return compare(store, resolve(store, ref_a), resolve(store, ref_b))


def compare(store: Store, first: tuple[Side, str | None], second: tuple[Side, str | None]) -> Diff:
    """`diff` for sides already resolved (each with the body of a meeting)."""
    (a, body_a), (b, body_b) = first, second
    if a.kind != b.kind:
        raise QueryError(f"{a.name} is a {a.kind} and {b.name} a {b.kind} — compare two papers or two meetings")
    if a.kind == "meeting":
        if body_a != body_b:
            raise QueryError(f"{a.name} and {b.name} are meetings of different bodies — compare two meetings of one body")
        return diff_meetings(store, a, b)
    return diff_plans(store, a, b)


# ---- presentation --------------------------------------------------------------------

VERBS = {
    "added": "added", "dropped": "dropped", "closed": "closed", "reopened": "reopened",
    "status": "status", "due": "re-dated", "revisedDue": "revised", "lead": "lead",
    "governance": "governance", "title": "retitled", "joined": "joined", "left": "left",
    "role": "role", "attendance": "attendance",
}


def _arrow(c: Change) -> str:
    if c.change == "added" or (c.change == "joined" and not c.before):
        return c.after or ""
    if c.change in ("dropped", "left"):
        return c.before or ""
    return f"{c.before or '—'} -> {c.after or '—'}"


def as_text(d: Diff) -> str:
    lines = [f"from {d.a.name}", f"  to {d.b.name}"]
    if d.plans:
        lines.append(f"plan: {' | '.join(d.plans)}")
    lines += [f"note: {n}" for n in d.notes]
    width = max((len(c.key) for c in d.changes), default=0)
    for c in d.changes:
        where = ", ".join(x for x in (c.citeA and f"was {c.citeA}", c.citeB and f"now {c.citeB}") if x)
        title = f"  “{c.label[:60]}”" if c.label and c.label != c.key else ""
        lines.append(f"{VERBS[c.change]:<11} {c.key:<{width}}  {_arrow(c)}{title}" + (f"  [{where}]" if where else ""))
    what = "actions" if d.mode == "plan" else "people"
    lines.append(f"{len(d.changes)} change(s); {d.compared} {what} on both sides, {d.unchanged} unchanged")
    return "\n".join(lines) + "\n"


def as_dict(d: Diff) -> dict:
    return {"a": asdict(d.a), "b": asdict(d.b), "mode": d.mode, "plans": d.plans, "notes": d.notes,
            "compared": d.compared, "unchanged": d.unchanged, "changes": [asdict(c) for c in d.changes]}


_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}del{background:#fde2e1;text-decoration:line-through}ins{background:#dcf5dc;text-decoration:none}
tr.added td:first-child,tr.joined td:first-child{border-left:6px solid #2e7d32}
tr.dropped td:first-child,tr.left td:first-child{border-left:6px solid #c62828}
tr.closed td:first-child{border-left:6px solid #1565c0}tr.reopened td:first-child,tr.status td:first-child{border-left:6px solid #ef6c00}
tr.due td:first-child,tr.revisedDue td:first-child{border-left:6px solid #6a1b9a}
td.cite{font-family:ui-monospace,monospace;font-size:12px;white-space:nowrap}
"""


def as_html(d: Diff) -> str:
    """A self-contained page: one table, each row a change, before struck out, after marked."""
    e = escape
    rows = []
    for c in d.changes:
        before = f"<del>{e(c.before)}</del>" if c.before else ""
        after = f"<ins>{e(c.after)}</ins>" if c.after else ""
        rows.append(
            f'<tr class="{e(c.change)}"><td>{e(VERBS[c.change])}</td><td>{e(c.key)}</td><td>{e(c.label or "")}</td>'
            f'<td>{before}</td><td>{after}</td><td class="cite">{e(c.citeA or "")}</td>'
            f'<td class="cite">{e(c.citeB or "")}</td></tr>')
    what = "actions" if d.mode == "plan" else "people"
    plan = f"<p>Plan: {e(' | '.join(d.plans))}</p>" if d.plans else ""
    plan += "".join(f"<p><em>{e(n)}</em></p>" for n in d.notes)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Changes: {e(d.a.name)} to {e(d.b.name)}</title><style>{_CSS}</style></head><body>"
        f"<h1>What changed</h1><p>From <b>{e(d.a.name)}</b> to <b>{e(d.b.name)}</b>.</p>{plan}"
        f"<p>{len(d.changes)} change(s); {d.compared} {what} on both sides, {d.unchanged} unchanged.</p>"
        "<table><caption>Changes, each with the paper and line on either side</caption><thead><tr>"
        '<th scope="col">change</th><th scope="col">id</th><th scope="col">title</th><th scope="col">before</th>'
        '<th scope="col">after</th><th scope="col">was at</th><th scope="col">now at</th></tr></thead><tbody>'
        + "".join(rows) + "</tbody></table></body></html>\n"
    )
