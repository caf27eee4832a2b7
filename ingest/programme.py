"""Programmes, workstreams, schemes and projects: what each is part of, who governs and
who leads it, and what it sets out to do (its objectives, deliverables and the metrics
it is judged by). Names become Mentions that graph/resolve.py resolves to one node per
programme across papers; what the paper says of them becomes governance edges
(Relation records) and ProgrammeDetail records that hang on those nodes.

Read by structure and cue (the words live in `programme.toml`):
- a report whose title names a programme ('Title: X programme update', '# X Programme');
- inside it, the numbered sub-sections of a section about its parts ('3.5
  Transformational Programmes of Work', '3.6 Enabling workstreams'): each is a workstream
  of the programme;
- a heading that names a part ('Scheme 3: Discharge to Assess', '## Frailty workstream'),
  part of the programme or plan the paper is about;
- in a part's section (or a programme's, before its first sub-heading) labelled lines
  ('Lead:', 'Governance:', 'Objectives:', 'Deliverables:', 'Metrics:'), inline or over
  a list below; in a part's section, lists a sentence opens ('The key priorities are:')
  and aims a sentence states ('The ambition is to ...');
- the report's author when their post leads a programme ('From: A B, Programme
  Director') and the body it is written for ('On behalf of: X Board');
- tables with a scheme (or project, workstream) column and a lead, governance,
  objectives, deliverables or metrics column: each row a scheme, part of the plan above.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from govgraph.ingest.indicators import owner_mentions
from govgraph.ingest.names import split_lead_cell
from govgraph.ingest.records import Cell, Mention, Objective, ProgrammeDetail, Relation, Span
from govgraph.ingest.source import Source
from govgraph.ingest.text import clean, cover_opens

_PROG = re.compile(r"^(.*?\b(?:programme|program|scheme|project))\b(?:\s+(?:update|report|progress(?: report)?))?\s*$", re.I)
_PARTS = re.compile(r"\b(?:programmes? of work|work-?\s?streams?|work streams|programmes|schemes|projects)\b", re.I)
_LEADS = re.compile(r"\b(?:programme director|programme lead|senior responsible (?:owner|officer)|sro|programme manager)\b", re.I)
_HEADING = re.compile(r"^\s*(?:#+\s*)?\**(\d{1,2}(?:\.\d{1,2})*)\.?\**\s+\**(.+?)\**\s*$")
_MARKDOWN = re.compile(r"^\s*(#{1,6})\s+\**(.+?)\**\s*$")
_PART_KINDS = {"scheme": "scheme", "workstream": "workstream", "work stream": "workstream",
               "work-stream": "workstream", "project": "project", "programme": "programme"}
# 'Scheme 3: Discharge to Assess', 'Workstream B – Frailty', 'Project: Red Bag'
_PART_NAMED = re.compile(r"^(scheme|workstream|work[\s-]stream|project)\s*(?:no\.?\s*)?(?:\d{1,3}[a-z]?|[A-Z])?\s*[:–—-]\s*(.+)$", re.I)
# 'Frailty workstream', 'Red Bag scheme' (a short heading ending with the kind)
_PART_TAIL = re.compile(r"^(.{2,60}?\s(scheme|workstream|work[\s-]stream|project))$", re.I)
_BULLET = re.compile(r"^\s*(?:([-•*▪●◦])|\(?(\d{1,2})[.)]|\(?([a-z])[.)])\s+(.+)$")
DETAILS = ("objectives", "deliverables", "metrics")
_NOT_NORM = re.compile(r"[^a-z0-9 ]+")
_SPACE = re.compile(r"\s+")
_LINE_MARK = re.compile(r"^\s*(?:#+\s*|[-•]\s+|\*\s+)")  # a heading's hashes, a bullet
_LABEL = re.compile(r"^([A-Za-z][A-Za-z /&()-]{1,40}?)\s*:\s*(.*)$")
_SEPARATORS = {"metrics": re.compile(r"\s*[;,]\s*"), "other": re.compile(r"\s*;\s*")}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NOT_TO_THIS = re.compile(r"\w+\s+(?:this|that|these|those|it|them)\b", re.I)
_FROM = re.compile(r"^\s*From\s*:")
_FROM_PERSON = re.compile(r"^\s*From\s*:\s*([^,]+),")
_ON_BEHALF = re.compile(r"^\s*On behalf of\s*:\s*(.+\b(?:Board|Group|Committee|Partnership))\s*$")
_BOLD = re.compile(r"\s*\*\*(.+?)\*\*\s*")
_UPDATE = re.compile(r"\bupdate\b|:", re.I)
_TITLE_PARTS = re.compile(r":\s+|\s+[–—-]\s+")
_LAST_BRACKETS = re.compile(r"\s*\([^)]*\)$")
_PLAN_WORD = re.compile(r"\b(?:plan|programme|fund)\b", re.I)
_SCHEMES_TAIL = re.compile(r"\s*[:–—-]\s*schemes?\b.*$", re.I)
_PLAIN_TITLE = re.compile(r"^\s*Title\s*:\s*(.+)$")


@cache
def words() -> dict:
    """The words of programme papers (programme.toml)."""
    return tomllib.loads(resources.files("govgraph.ingest").joinpath("programme.toml").read_text("utf-8"))


def _norm(text: str) -> str:
    return _SPACE.sub(" ", _NOT_NORM.sub(" ", clean(text).lower())).strip()


def _span(src: Source, n: int) -> Span:
    return Span(n, n, src.line(n).strip()[:300])


def _programme_title(text: str) -> str | None:
    m = _PROG.match(clean(text).strip(" *#"))
    if not m:
        return None
    name = m[1].strip()
    return name if len(name.split()) >= 2 and name[0].isupper() else None


@cache
def _fields() -> dict[str, str]:
    return {name: f for f, names in words()["fields"].items() for name in names}


def _field(label: str) -> str | None:
    """The field a column header or line label names (programme.toml [fields])."""
    return _fields().get(_norm(label)) if len(label) <= 60 else None


def _labelled(line: str) -> tuple[str, str] | None:
    """'Objectives: a; b' -> ('objectives', 'a; b'); '**Metrics**' alone -> ('metrics', '')."""
    text = clean(_LINE_MARK.sub("", line)).strip()
    m = _LABEL.match(text)
    if m and (f := _field(m[1])):
        return f, m[2].strip()
    f = _field(text.rstrip(":"))
    return (f, "") if f in DETAILS else None


def _items(field: str, value: str) -> list[str]:
    """An inline list: '; ' between items, and ', ' too between metrics."""
    sep = _SEPARATORS["metrics" if field == "metrics" else "other"]
    return [i.strip(" .") for i in sep.split(value) if len(i.strip(" .")) > 1]


def _cue_list(text: str) -> str | None:
    """The field a sentence ending with ':' opens a list of ('The key priorities are:')."""
    if not text.endswith(":"):
        return None
    last = _SENTENCE.split(text)[-1]
    if len(last) > words()["cues"]["cue_length"]:
        return None
    low = last.lower()
    return next((f for f in DETAILS if _cue(f).search(low)), None)


@cache
def _cue(field: str) -> re.Pattern[str]:
    """Any of the words that cue a list of this field, whole."""
    return re.compile("|".join(rf"\b{re.escape(w)}\b" for w in words()["cues"][field]))


@cache
def _aim() -> re.Pattern[str]:
    aim = "|".join(map(re.escape, words()["cues"]["aims"]))
    return re.compile(rf"(?:^|[.;]\s+)(?:the|our|its|their)\s+(?:[a-z-]+\s+){{0,2}}?(?:{aim})\s+"
                      rf"(?:of\s+[^.;]{{1,60}}?\s+)?(?:is|are)\s+to\s+([^.;]{{8,300}})", re.I)


def _aims(text: str) -> list[str]:
    """Aims a sentence states: 'The ambition is to have X.' -> 'Have X'."""
    out = []
    for m in _aim().finditer(text):
        if not _NOT_TO_THIS.match(m[1]):
            out.append(m[1][0].upper() + m[1][1:].strip())  # not 'to submit this ...': it leans on the sentence before
    return out


@dataclass
class _List:
    """A list a label or cue opened: what it lists, of whom, the marker of its items
    ('•', 'a', or the last number) and whether a blank line has come."""

    field: str
    subject: Mention
    marker: str | int | None = None
    blank: bool = False


@dataclass
class _Part:
    """The workstream or scheme whose section the reader is in, and the heading depth
    that closes it (a heading at that depth or above)."""

    mention: Mention
    level: int


class _Reader:
    def __init__(self, src: Source) -> None:
        self.src = src
        self.rels: list[Relation] = []
        self.details: dict[tuple[str, str], ProgrammeDetail] = {}
        self.leads: list[Mention] = []
        self.programme: Mention | None = None
        self.headed = False  # a heading has come since the programme's title
        self.parts_level: int | None = None
        self.part: _Part | None = None
        self.table: dict[int, str] | None = None
        self.table_parent: Mention | None = None
        self.open: _List | None = None  # a list a label or cue opened

    # -- subjects -------------------------------------------------------------------

    def subject(self) -> Mention | None:
        if self.part is not None:
            return self.part.mention
        return self.programme if self.programme is not None and not self.headed else None

    def detail(self, subject: Mention) -> ProgrammeDetail:
        key = (subject.kind, subject.text)
        if key not in self.details:
            self.details[key] = ProgrammeDetail(subject, subject.span)
        return self.details[key]

    def add(self, subject: Mention, field: str, text: str, n: int) -> None:
        text = clean(text).strip(" ;.")
        if len(text) < 3:
            return
        d = self.detail(subject)
        sp = _span(self.src, n)
        if field == "objectives":
            if all(o.text.value != text for o in d.objectives):
                d.objectives.append(Objective(Cell(text, sp), sp))
        else:
            values = getattr(d, field)
            if all(c.value != text for c in values):
                values.append(Cell(text, sp))

    def relate(self, subject: Mention, field: str, value: str, n: int) -> None:
        """Who leads a part (organisations, their directorates, named leads) or governs it."""
        sp = _span(self.src, n)
        if field == "lead":
            for who in owner_mentions(value, sp):
                self.rels.append(Relation(subject, "gg:ledBy", who, sp))
            return
        for name, kind in split_lead_cell(value):
            self.rels.append(Relation(subject, "gg:governedBy", Mention(name, "body" if kind == "any" else kind, sp), sp))

    def start_part(self, mention: Mention, level: int, parent: Mention | None, n: int) -> None:
        self.part = _Part(mention, level)
        self.open = None
        if parent is not None and parent.text != mention.text:
            sp = _span(self.src, n)
            self.rels.append(Relation(mention, "gg:partOf", Mention(parent.text, "programme", parent.span), sp))

    # -- lines ----------------------------------------------------------------------

    def line(self, n: int, line: str) -> None:
        text = clean(line)
        if self.cover(n, line, text):
            return
        if "\t" in line:
            self.row(n, line.split("\t"))
            return
        if self.open is not None and self.list_item(n, line, text):
            return
        labelled = _labelled(line) if self.subject() is not None else None
        if labelled:
            self.label(n, *labelled)
            return
        if self.heading(n, line):
            return
        if self.part is not None and text:
            cue = _cue_list(text)
            if cue:
                self.open = _List(cue, self.part.mention)
            for aim in _aims(text):
                self.add(self.part.mention, "objectives", aim, n)

    def label(self, n: int, field: str, value: str) -> None:
        """'Lead: X', 'Governance: Y', 'Objectives: a; b', or a label over a list below."""
        subject = self.subject()
        assert subject is not None
        if field == "name":
            self.start_part(Mention(value, "scheme", _span(self.src, n)), 99, self.parent(n), n)
        elif field in ("lead", "governance"):
            self.relate(subject, field, value, n)
        elif value:
            for item in _items(field, value):
                self.add(subject, field, item, n)
        else:
            self.open = _List(field, subject)

    def cover(self, n: int, line: str, text: str) -> bool:
        """A report's cover sheet: its title, author and the body it is written for."""
        opens, title = cover_opens(line)
        if opens:
            self.programme, self.parts_level, self.table, self.part, self.open = None, None, None, None, None
            self.headed = False
            name = _programme_title(title) if title else None
            if name:
                self.programme = Mention(name, "programme", _span(self.src, n))
            return True
        if _FROM.match(line) and _LEADS.search(text):
            person = _FROM_PERSON.match(text)
            if person:
                self.leads.append(Mention(person[1].strip(), "person", _span(self.src, n)))
            return True
        ob = _ON_BEHALF.match(text)
        if ob and self.programme is not None:
            sp = _span(self.src, n)
            self.rels.append(Relation(self.programme, "gg:governedBy", Mention(ob[1], "body", sp), sp))
            return True
        return False

    def list_item(self, n: int, line: str, text: str) -> bool:
        """A line of the list a label or cue opened; False when the list has ended: at a
        line of another shape, or a number out of turn ('3. Finance' after bullets)."""
        assert self.open is not None
        lst = self.open
        if not text:
            lst.blank = True
            return True
        bullet = _BULLET.match(clean(line))
        if bullet:
            marker = "•" if bullet[1] else "a" if bullet[3] else int(bullet[2])
            expected = lst.marker + 1 if isinstance(lst.marker, int) else lst.marker
            if lst.marker is None or marker == expected:
                lst.marker = marker
                self.add(lst.subject, lst.field, bullet[4], n)
                return True
        elif lst.marker is None and not lst.blank and len(text) < 200 and not _labelled(line) \
                and not _HEADING.match(line) and not _MARKDOWN.match(line) and not text.endswith(":"):
            self.add(lst.subject, lst.field, text, n)  # a plain line just below its label
            return True
        self.open = None
        return False

    def heading(self, n: int, line: str) -> bool:
        """Headings open and close parts: a numbered sub-section of a parts section, or a
        heading naming a scheme or workstream. True when the line was a heading."""
        numbered = _HEADING.match(line)
        md = _MARKDOWN.match(line)
        bold = _BOLD.fullmatch(line)
        if numbered:
            level, title = numbered[1].count(".") + 1, clean(numbered[2])
        elif md:
            level, title = len(md[1]), clean(md[2])
        elif bold:
            level, title = 99, clean(bold[1])
        else:
            return self.plain_part(n, clean(line))
        if md and self.programme is None and not self.headed and (name := _programme_title(title)):
            self.programme = Mention(name, "programme", _span(self.src, n))
            return True
        self.headed = True
        self.open = None
        if self.part is not None and level <= self.part.level:
            self.part = None
        if numbered and self.programme is not None and self.numbered_part(n, level, title):
            return True
        named = self.named_part(title)
        if named is not None:
            self.start_part(Mention(*named, _span(self.src, n)), level, self.parent(n), n)
        return True

    def numbered_part(self, n: int, level: int, title: str) -> bool:
        """The programme report's sections of its parts ('3.5 Transformational Programmes
        of Work') and each part's section below them ('3.5.2 Maternity and Paediatrics')."""
        if self.parts_level is not None and level <= self.parts_level:
            self.parts_level = None
        if _PARTS.search(title) and not _programme_title(title) and not _UPDATE.search(title):
            self.parts_level = level
            return True
        if self.parts_level is not None and level == self.parts_level + 1:
            name = _TITLE_PARTS.split(title)[0].strip()
            name = _LAST_BRACKETS.sub("", name) if len(name) > 40 else name
            if 2 <= len(name) <= 80:
                self.start_part(Mention(name, "workstream", _span(self.src, n)), level, self.programme, n)
                return True
        return False

    @staticmethod
    def named_part(title: str) -> tuple[str, str] | None:
        """('Discharge to Assess', 'scheme') for 'Scheme 3: Discharge to Assess'."""
        m = _PART_NAMED.match(title)
        if m and 2 <= len(m[2].strip()) <= 80:
            return m[2].strip(" *"), _PART_KINDS[m[1].lower().replace("-", " ")]
        m = _PART_TAIL.match(title)
        if m and m[1][0].isupper():
            return m[1], _PART_KINDS[m[2].lower().replace("-", " ")]
        return None

    def plain_part(self, n: int, text: str) -> bool:
        """A plain line standing alone that names a scheme ('Scheme 2: Falls Prevention')."""
        if not _PART_NAMED.match(text) or (n > 1 and self.src.line(n - 1).strip()):
            return False
        named = self.named_part(text)
        if named is None:
            return False
        self.start_part(Mention(*named, _span(self.src, n)), 99, self.parent(n), n)
        return True

    def parent(self, n: int) -> Mention | None:
        """What a part belongs to: the programme the paper is about, else the plan or
        fund its title names (a Better Care Fund plan), else one named just above."""
        if self.programme is not None:
            return self.programme
        title = _paper_plan(self.src) or _plan_above(self.src, n)
        return Mention(title, "programme", _span(self.src, n)) if title else None

    # -- scheme tables ----------------------------------------------------------------

    def row(self, n: int, cells: list[str]) -> None:
        cols = {i: f for i, c in enumerate(cells) if (f := _field(c))}
        if "name" in cols.values() and len(set(cols.values())) >= 2:
            self.table = cols
            above = _plan_above(self.src, n)
            self.table_parent = self.programme or (Mention(above, "programme", _span(self.src, n)) if above else None)
            return
        if self.table is None:
            return
        by = {f: clean(cells[i]) for i, f in self.table.items() if i < len(cells) and clean(cells[i])}
        if "name" not in by:
            return
        sp = _span(self.src, n)
        scheme = Mention(by["name"], "scheme", sp)
        if self.table_parent is not None:
            self.rels.append(Relation(scheme, "gg:partOf", Mention(self.table_parent.text, "programme", self.table_parent.span), sp))
        for fld in ("lead", "governance"):
            if fld in by:
                self.relate(scheme, fld, by[fld], n)
        for fld in DETAILS:
            for item in _items(fld, by.get(fld, "")):
                self.add(scheme, fld, item, n)

    # -- the paper ------------------------------------------------------------------------

    def read(self) -> None:
        for n, line in enumerate(self.src.lines, 1):
            self.line(n, line)
        self.rels.extend(_leads(self.leads, self.src))


def _plan_above(src: Source, n: int) -> str | None:
    """The title of the plan or programme a scheme table belongs to: the nearest short
    line above it that names one."""
    for k in range(n - 1, max(n - 15, 0), -1):
        t = clean(src.line(k)).strip(" #*")
        if t and "\t" not in src.line(k) and len(t) < 100 and _PLAN_WORD.search(t) and not _labelled(src.line(k)):
            return _SCHEMES_TAIL.sub("", t)
    return None


def _paper_plan(src: Source) -> str | None:
    """The plan, programme or fund a paper's title names, in its first dozen lines."""
    for k in range(1, min(len(src.lines), 12) + 1):
        t = clean(src.line(k)).strip(" #*")
        if t and len(t) < 100 and _PLAN_WORD.search(t) and not _labelled(src.line(k)):
            return t
    return None


def _leads(leads: list[Mention], src: Source) -> list[Relation]:
    """A cover sheet names its author ('From: A B, Programme Director') just above its
    title: when the title names a programme, the author leads it."""
    out: list[Relation] = []
    for lead in leads:
        line = lead.span.first
        for n in range(line + 1, min(line + 6, len(src.lines)) + 1):
            m = _PLAIN_TITLE.match(src.line(n))
            name = _programme_title(m[1]) if m else None
            if name:
                out.append(Relation(Mention(name, "programme", _span(src, n)), "gg:ledBy", lead, lead.span))
                break
    return out


def read_programmes(src: Source) -> tuple[list[Relation], list[ProgrammeDetail]]:
    """What the paper says of its programmes: governance edges, and what each sets out
    to do."""
    reader = _Reader(src)
    reader.read()
    details = [d for d in reader.details.values() if d.objectives or d.deliverables or d.metrics]
    return reader.rels, details


def extract_programmes(src: Source) -> list[Relation]:
    """Programmes' and their parts' governance edges: part of, led by, governed by."""
    return read_programmes(src)[0]


def programme_records(src: Source) -> list[object]:
    """Every programme record the paper holds: its edges, then what each programme,
    workstream or scheme sets out to do."""
    rels, details = read_programmes(src)
    return [*rels, *details]
