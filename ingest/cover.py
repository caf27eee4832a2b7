"""Report cover sheets: 'To: / Date: / From: / Title:' lines, in any order, each value
on its label's line and perhaps continued on the lines below (a second author).

A cover sheet is a cluster of such lines holding a title and a recipient or an author;
a lone 'Date:' line elsewhere is not one. The labels live in meeting.toml [cover].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from govgraph.ingest.names import BODY_KINDS, kind_of
from govgraph.ingest.people import cues, mentions, org_like
from govgraph.ingest.records import Cell, Mention, Report, Span
from govgraph.ingest.source import Source
from govgraph.ingest.text import bare, first_date_phrase, iso_date

FIELDS = ("to", "date", "from", "title", "other")
GAP = 6  # most lines between two labels of one cover sheet


_SPACE = re.compile(r"\s+")
_DASH = re.compile(r"\s+[–—-]\s+")


@cache
def _label_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every label (longest first), and each label's field."""
    spec = cues()["cover"]
    fields = {re.sub(r"\s+", " ", w.lower()): f for f in FIELDS for w in spec[f]}
    words = sorted(fields, key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"({alternatives})\s*[:?]\s*(.*)$", re.I), fields


def _label(text: str) -> tuple[str, str] | None:
    rx, fields = _label_pattern()
    m = rx.match(text)
    if m is None:
        return None
    return fields[_SPACE.sub(" ", m[1].lower())], m[2].strip()


@dataclass
class _Sheet:
    lines: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    first: int = 0
    last: int = 0


@lru_cache(maxsize=8)
def _sheets(src: Source) -> list[_Sheet]:
    sheets: list[_Sheet] = []
    cur: _Sheet | None = None
    open_field: str | None = None
    for n in range(1, len(src.lines) + 1):
        text = bare(src.line(n))
        lab = _label(text)
        if lab is None:
            if cur and open_field and text and n - cur.last <= GAP and open_field in ("from", "to"):
                if _label_ahead(src, n):
                    cur.lines[open_field].append((n, text))
            continue
        fname, value = lab
        repeated = fname in cur.lines and fname != "other" if cur else False
        # A second 'From'-like label before any title adds an author; otherwise a
        # repeated label opens the next cover sheet.
        if repeated and fname == "from" and "title" not in cur.lines:  # type: ignore[union-attr]
            repeated = False
        if cur is None or n - cur.last > GAP or repeated:
            cur = _Sheet(first=n)
            sheets.append(cur)
        cur.lines[fname] = cur.lines.get(fname, []) + ([(n, value)] if value else [])
        cur.last = n
        open_field = fname
        if not value:
            for k in range(n + 1, min(len(src.lines), n + 4) + 1):
                if bare(src.line(k)):
                    if _label(bare(src.line(k))) is None:
                        cur.lines[fname].append((k, bare(src.line(k))))
                    break
    for s in sheets:
        _masthead(src, s)
    return [s for s in sheets if s.lines.get("title") and (s.lines.get("to") or s.lines.get("from"))]


def _masthead(src: Source, sheet: _Sheet) -> None:
    """A committee report that opens with the meeting's name and date ('Cabinet',
    '12th June 2018') above its labels, in place of 'To:' and 'Date:' lines."""
    if sheet.lines.get("to") and sheet.lines.get("date"):
        return
    top = [n for n in range(max(1, sheet.first - GAP), sheet.first) if bare(src.line(n))]
    for n in top:
        text = bare(src.line(n))
        if not sheet.lines.get("to") and kind_of(text, person_ok=False) in BODY_KINDS and len(text.split()) <= 8:
            sheet.lines["to"] = [(n, text)]
        elif not sheet.lines.get("date") and iso_date(text):
            sheet.lines["date"] = [(n, text)]


def _label_ahead(src: Source, n: int) -> bool:
    """A continuation line belongs to a cover sheet only when another label follows soon."""
    return any(_label(bare(src.line(k))) for k in range(n + 1, min(len(src.lines), n + GAP) + 1))


def cover_ranges(src: Source) -> list[tuple[int, int]]:
    """Lines first..last of each cover sheet's labels."""
    return [(s.first, s.last) for s in _sheets(src)]


def _span(src: Source, n: int) -> Span:
    return Span(n, n, src.line(n).strip())


def _with_role(m: Mention, text: str) -> Mention:
    """'Cabinet Member for Adult Services – Councillor F Abbott': the post beside the name."""
    if m.role or m.kind != "person":
        return m
    parts = [p.strip() for p in _DASH.split(text)]
    others = [p for p in parts if m.text not in p]
    if len(parts) == 2 and len(others) == 1 and others[0]:
        return Mention(m.text, m.kind, m.span, others[0], m.organisation, m.part_of)
    return m


def extract_reports(src: Source) -> list[Report]:
    reports = []
    for s in _sheets(src):
        n, title = s.lines["title"][0]
        rep = Report(Cell(title, _span(src, n)), Span(s.first, s.last, src.line(s.first).strip()))
        for n, text in s.lines.get("to", []):
            kind = kind_of(text, person_ok=False)
            rep.to.append(Mention(text, kind if kind in BODY_KINDS else "any", _span(src, n)))
        for n, text in dict.fromkeys(s.lines.get("from", [])):
            found = [_with_role(m, text) for m in mentions(text, _span(src, n))]
            if not found and org_like(text):
                found = [Mention(text, "any", _span(src, n))]
            rep.authors.extend(found)
        if s.lines.get("date"):
            n, text = s.lines["date"][0]
            written = first_date_phrase(text)
            if written:
                rep.date = Cell(iso_date(written) or written, _span(src, n))
        reports.append(rep)
    return reports
