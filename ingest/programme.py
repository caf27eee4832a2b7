"""Programmes, workstreams, schemes and projects: what each is part of, who governs and
who leads it. Names become Mentions that graph/resolve.py resolves; what the paper says
of them becomes governance edges (Relation records).

Read by structure and cue:
- a report whose title names a programme ('Title: X programme update');
- inside it, the numbered sub-sections of a section about its parts ('3.5
  Transformational Programmes of Work', '3.6 Enabling workstreams'): each is a workstream
  of the programme;
- the report's author when their post leads a programme ('From: A B, Programme
  Director') and the body it is written for ('On behalf of: X Board');
- tables with a scheme (or project, workstream) column and a lead or governance column:
  each row a scheme, led and governed as the row says, part of the plan above the table.
"""

from __future__ import annotations

import re

from govgraph.ingest.names import split_lead_cell
from govgraph.ingest.records import Mention, Relation, Span
from govgraph.ingest.source import Source
from govgraph.ingest.text import clean

_PROG = re.compile(r"^(.*?\b(?:programme|program|scheme|project))\b(?:\s+(?:update|report|progress(?: report)?))?\s*$", re.I)
_PARTS = re.compile(r"\b(?:programmes? of work|work-?\s?streams?|work streams|programmes|schemes|projects)\b", re.I)
_LEADS = re.compile(r"\b(?:programme director|programme lead|senior responsible (?:owner|officer)|sro|programme manager)\b", re.I)
_HEADING = re.compile(r"^\s*(?:#+\s*)?\**(\d{1,2}(?:\.\d{1,2})*)\.?\**\s+\**(.+?)\**\s*$")
_COLUMNS = {
    "name": ("scheme", "scheme name", "project", "project name", "workstream", "work stream", "programme", "initiative"),
    "lead": ("lead", "lead organisation", "lead officer", "led by", "provider", "delivered by", "sro", "responsible"),
    "governance": ("governance", "governance body", "reports to", "reporting to", "accountable to", "oversight",
                   "board", "governed by"),
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", clean(text).lower())).strip()


def _span(src: Source, n: int) -> Span:
    return Span(n, n, src.line(n).strip()[:300])


def _programme_title(text: str) -> str | None:
    m = _PROG.match(clean(text).strip(" *#"))
    if not m:
        return None
    name = m[1].strip()
    return name if len(name.split()) >= 2 and name[0].isupper() else None


def _column(cell: str) -> str | None:
    h = _norm(cell)
    for fld, names in _COLUMNS.items():
        if h in names:
            return fld
    return None


def extract_programmes(src: Source) -> list[Relation]:
    out: list[Relation] = []
    leads: list[Mention] = []
    programme: Mention | None = None
    parts_level: int | None = None
    parent_title: str | None = None
    table: dict[int, str] | None = None
    for n, line in enumerate(src.lines, 1):
        text = clean(line)
        m = re.match(r"^\s*(?:#+\s*)?Title\s*:\s*(.+)$", line)
        if m or re.match(r"^\s*To\s*:\s*\S", line):
            programme, parts_level, table = None, None, None
            name = _programme_title(m[1]) if m else None
            if name:
                programme = Mention(name, "programme", _span(src, n))
            continue
        if re.match(r"^\s*From\s*:", line) and _LEADS.search(text):
            person = re.match(r"^\s*From\s*:\s*([^,]+),", text)
            if person:
                leads.append(Mention(person[1].strip(), "person", _span(src, n)))
            continue
        ob = re.match(r"^\s*On behalf of\s*:\s*(.+\b(?:Board|Group|Committee|Partnership))\s*$", text)
        if ob and programme is not None:
            out.append(Relation(programme, "gg:governedBy", Mention(ob[1], "body", _span(src, n)), _span(src, n)))
            continue
        cells = line.split("\t") if "\t" in line else None
        if cells:
            cols = {i: f for i, c in enumerate(cells) if (f := _column(c))}
            if "name" in cols.values() and len(set(cols.values())) >= 2:
                table = cols
                parent_title = _plan_above(src, n)
                continue
            if table is not None:
                out.extend(_scheme_row(src, n, cells, table, programme or parent_title_mention(parent_title, src, n)))
            continue
        h = _HEADING.match(line)
        if h and programme is not None:
            level = h[1].count(".") + 1
            title = clean(h[2])
            if parts_level is not None and level <= parts_level:
                parts_level = None
            if _PARTS.search(title) and not _programme_title(title) and not re.search(r"\bupdate\b|:", title, re.I):
                parts_level = level
                continue
            if parts_level is not None and level == parts_level + 1:
                name = re.split(r":\s+|\s+[–—-]\s+", title)[0].strip()
                name = re.sub(r"\s*\([^)]*\)$", "", name) if len(name) > 40 else name
                if 2 <= len(name) <= 80:
                    out.append(Relation(Mention(name, "workstream", _span(src, n)), "gg:partOf", programme, _span(src, n)))
    return out + _leads(leads, src)


def parent_title_mention(title: str | None, src: Source, n: int) -> Mention | None:
    return Mention(title, "programme", _span(src, n)) if title else None


def _plan_above(src: Source, n: int) -> str | None:
    """The title of the plan or programme a scheme table belongs to: the nearest short
    line above it that names one."""
    for k in range(n - 1, max(n - 15, 0), -1):
        t = clean(src.line(k)).strip(" #*")
        if t and "\t" not in src.line(k) and len(t) < 100 and re.search(r"\b(?:plan|programme|fund)\b", t, re.I):
            return re.sub(r"\s*[:–—-]\s*schemes?\b.*$", "", t, flags=re.I)
    return None


def _scheme_row(src: Source, n: int, cells: list[str], table: dict[int, str], parent: Mention | None) -> list[Relation]:
    by = {f: clean(cells[i]) for i, f in table.items() if i < len(cells) and clean(cells[i])}
    if "name" not in by:
        return []
    sp = _span(src, n)
    scheme = Mention(by["name"], "scheme", sp)
    out: list[Relation] = []
    if parent is not None:
        out.append(Relation(scheme, "gg:partOf", Mention(parent.text, "programme", parent.span), sp))
    for fld, pred in (("lead", "gg:ledBy"), ("governance", "gg:governedBy")):
        for name, kind in split_lead_cell(by.get(fld, "")):
            out.append(Relation(scheme, pred, Mention(name, kind if kind != "any" else ("body" if pred == "gg:governedBy" else "organisation"), sp), sp))
    return out


def _leads(leads: list[Mention], src: Source) -> list[Relation]:
    """A cover sheet names its author ('From: A B, Programme Director') just above its
    title: when the title names a programme, the author leads it."""
    out: list[Relation] = []
    for lead in leads:
        line = lead.span.first
        for n in range(line + 1, min(line + 6, len(src.lines)) + 1):
            m = re.match(r"^\s*Title\s*:\s*(.+)$", src.line(n))
            name = _programme_title(m[1]) if m else None
            if name:
                out.append(Relation(Mention(name, "programme", _span(src, n)), "gg:ledBy", lead, lead.span))
                break
    return out
