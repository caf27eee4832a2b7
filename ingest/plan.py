"""Improvement and action plans: themes with their leads, outcomes and the
recommendations they answer, and action tables whose rows run across page breaks.

The parser works from structure and cues only: a table header row (synonyms in
`tables.toml`), theme headings ("Theme 3 – ..."), preamble cues ("Lead
responsibility –", "Outcomes we will achieve:") and action numbers ("2.2.1").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from govgraph.ingest.names import split_lead_cell, split_people
from govgraph.ingest.records import Action, Cell, Mention, Plan, Span, Theme
from govgraph.ingest.source import Source
from govgraph.ingest.text import clean, first_date_phrase, iso_date, latest_date, paragraphs

PAGE_FOOTER = re.compile(r"^page\s+\d+$", re.IGNORECASE)
ACTION_ID = re.compile(r"(?:[A-Z]{1,3}\s?)?\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?\.?")


@dataclass(frozen=True)
class TableConfig:
    columns: dict[str, tuple[str, ...]]
    cues: dict[str, tuple[str, ...]]
    heading: re.Pattern[str]
    status: dict[str, tuple[str, ...]]


@cache
def config() -> TableConfig:
    data = tomllib.loads(resources.files("govgraph.ingest").joinpath("tables.toml").read_text("utf-8"))
    words = "|".join(re.escape(w) for w in sorted(data["theme_heading"]["words"], key=len, reverse=True))
    heading = re.compile(
        rf"^[#*\s]*(?:{words})\s+(\d{{1,2}}(?:\.\d{{1,2}})?)\s*[:.–—-]*\s*(.*)$", re.IGNORECASE
    )
    return TableConfig(
        columns={k: tuple(v) for k, v in data["action_columns"].items()},
        cues={k: tuple(v) for k, v in data["theme_cues"].items()},
        heading=heading,
        status={k: tuple(v) for k, v in data["status"].items()},
    )


_NOT_HEADER = re.compile(r"[^a-z0-9#& ]+")
_SPACE = re.compile(r"\s+")
_AFTER_CUE = re.compile(r"\s*(?:\([^)]*\))?\s*(?:[:–—-]\s*(.*))?$")
_BULLETED = re.compile(r"^\s*(?:[-•*·–]|\d+[.)]|[a-z][.)])\s+(.*\S)\s*$")
_BOLD_MARK = re.compile(r"\*\*")
_LIST_MARK = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s")
_POSSESSIVE = re.compile(r"^\w+['’]s\s+")
_YEARS = re.compile(r"\b(20\d\d(?:\s*[-–/]\s*(?:20)?\d\d)?)\b")


def _norm_header(text: str) -> str:
    return _SPACE.sub(" ", _NOT_HEADER.sub(" ", clean(text).lower())).strip()


def column_field(header: str) -> str | None:
    """The field a header cell names, or None."""
    h = _norm_header(header)
    if not h:
        return None
    cols = config().columns
    for fld, names in cols.items():
        if h in names:
            return fld
    # Else the longest name (first listed on a tie) the header starts or ends with as a
    # whole word. Only spaces within a name's length of either end can start or end one,
    # so a long cell costs no more than a short one.
    affixes, longest = _affixes()
    first, last = _affix_ends()
    if h.split(" ", 1)[0] not in first and h.rsplit(" ", 1)[-1] not in last:
        return None  # a name the header starts with opens with its first word; one it ends with, its last
    best: tuple[int, int, str | None] = (0, 0, None)
    for k in [*range(min(longest + 1, len(h))), *range(max(0, len(h) - longest - 1), len(h))]:
        if h[k] != " ":
            continue
        for n in (h[:k], h[k + 1 :]):
            hit = affixes.get(n)
            if hit and (len(n), -hit[0]) > best[:2]:
                best = (len(n), -hit[0], hit[1])
    return best[2]


@cache
def _affixes() -> tuple[dict[str, tuple[int, str]], int]:
    """Header names of three letters or more -> (listing order, field); the longest name's length."""
    out: dict[str, tuple[int, str]] = {}
    for order, (fld, n) in enumerate((f, n) for f, names in config().columns.items() for n in names):
        if len(n) >= 3:
            out.setdefault(n, (order, fld))
    return out, max((len(n) for n in out), default=0)


@cache
def _affix_ends() -> tuple[frozenset[str], frozenset[str]]:
    """The first words and the last words of the header names `_affixes` holds."""
    names = _affixes()[0]
    return frozenset(n.split(" ", 1)[0] for n in names), frozenset(n.rsplit(" ", 1)[-1] for n in names)


def header_map(cells: list[str]) -> dict[int, str] | None:
    """Column index -> field, when the row is an action table's header."""
    mapped = {i: f for i, c in enumerate(cells) if (f := column_field(c))}
    titles = sorted(i for i, f in mapped.items() if f == "title")
    if len(titles) > 1 and "number" not in mapped.values():
        # 'Action | Actions': a truncated 'Action no.' beside the actions themselves.
        mapped[titles[0]] = "number"
    fields = set(mapped.values())
    if "title" in fields and len(fields & {"number", "leads", "governance", "timescale", "start", "due", "success", "progress", "rag"}) >= 3:
        return mapped
    return None


@dataclass
class _Acc:
    """One action's cell fragments, gathered across continuation rows."""

    number: str
    line: int
    theme: str | None
    quote: str = ""  # the id cell as written (a repaired id cites what stood there)
    parts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    last_line: int = 0

    def add(self, fld: str, raw: str, line: int) -> None:
        if raw.strip():
            self.parts.setdefault(fld, []).append((raw.strip(), line))
        self.last_line = line


def _cell(parts: list[tuple[str, int]] | None, value: str | None = None) -> Cell | None:
    if not parts:
        return None
    text = value if value is not None else clean(" ".join(p for p, _ in parts))
    if not text:
        return None
    return Cell(text, Span(parts[0][1], parts[-1][1], parts[0][0][:300]))


def _located(parts: list[tuple[str, int]], needle: str) -> Span:
    """The fragment in which `needle` stands, so evidence quotes the right line."""
    for raw, line in parts:
        if needle.split()[0] in clean(raw):
            return Span(line, line, raw[:300])
    return Span(parts[0][1], parts[-1][1], parts[0][0][:300])


def _mentions(parts: list[tuple[str, int]] | None, known: frozenset[str]) -> list[Mention]:
    if not parts:
        return []
    joined = " ".join(p for p, _ in parts)
    return [Mention(name, kind, _located(parts, name)) for name, kind in split_lead_cell(joined, known)]


def date_value(text: str) -> str:
    """ISO 8601 for a full date, else the date phrase (or the text) as written."""
    text = clean(text)
    return iso_date(text) or (first_date_phrase(text) if first_date_phrase(text) and len(text) > 20 else None) or text


def _split_revised(parts: list[tuple[str, int]]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """'November 2018 Now revised to March 2019' -> due parts, revised parts."""
    rx = re.compile("|".join(config().status["revised"]), re.IGNORECASE)
    due: list[tuple[str, int]] = []
    revised: list[tuple[str, int]] = []
    for raw, line in parts:
        text = clean(raw)
        if revised:
            revised.append((raw, line))
            continue
        m = rx.search(text)
        if m:
            if text[: m.start()].strip():
                due.append((raw, line))
            revised.append((raw, line))
        else:
            due.append((raw, line))
    return due, revised


def _any(patterns: tuple[str, ...], text: str) -> bool:
    return any(_status_re(p).search(text) for p in patterns)


@cache
def _status_re(pattern: str) -> re.Pattern[str]:
    """A status pattern from tables.toml."""
    return re.compile(pattern, re.IGNORECASE)


def infer_status(acc: _Acc, revised: Cell | None, rag: Cell | None) -> Cell:
    """Read an action's status from its RAG rating, progress text and dates."""
    st = config().status
    prog = acc.parts.get("progress", [])
    rag_text = rag.value.lower().strip() if rag else ""
    for raw, line in reversed(prog):
        if _any(st["complete"], clean(raw)):
            return Cell("complete", Span(line, line, raw[:300]))
    if rag and rag_text in st["rag_complete"]:
        return Cell("complete", rag.span)
    for fld in ("start", "due"):
        for raw, line in acc.parts.get(fld, []):
            if _any(st["complete"], clean(raw)):
                return Cell("complete", Span(line, line, raw[:300]))
    for raw, line in prog:
        if _any(st["not_started"], clean(raw)):
            return Cell("not_started", Span(line, line, raw[:300]))
    if revised:
        return Cell("slipped", revised.span)
    if rag and rag_text in st["rag_slipped"]:
        return Cell("slipped", rag.span)
    for raw, line in prog:
        if _any(st["slipped"], clean(raw)):
            return Cell("slipped", Span(line, line, raw[:300]))
    if not prog:
        for raw, line in acc.parts.get("start", []):
            if _any(st["not_started"], clean(raw)):
                return Cell("not_started", Span(line, line, raw[:300]))
    if prog:
        return Cell("in_progress", Span(prog[0][1], prog[-1][1], prog[0][0][:300]))
    if rag and rag_text in st["rag_in_progress"]:
        return Cell("in_progress", rag.span)
    return Cell("unknown", Span(acc.line, acc.line, acc.quote or acc.number))


def _reading(cell: Cell | None) -> tuple[Cell | None, Cell | None]:
    """The last day a due date can mean, and how that was read, cited where it stands."""
    read = latest_date(cell.value) if cell else None
    if cell is None or read is None:
        return None, None
    return Cell(read[0], cell.span), Cell(read[1], cell.span)


def build_action(acc: _Acc, known: frozenset[str], outcomes: list[Cell]) -> Action:
    p = acc.parts
    due_parts, revised_parts = _split_revised(p.get("due", []))
    if p.get("revised_due"):
        revised_parts = p["revised_due"]
    revised = None
    if revised_parts:
        rx = re.compile("|".join(config().status["revised"]), re.IGNORECASE)
        joined = clean(" ".join(r for r, _ in revised_parts))
        after = rx.split(joined, maxsplit=1)[-1]
        revised = _cell(revised_parts, date_value(after))
    success: list[Cell] = []
    if p.get("success"):
        joined_raw = " ".join(r for r, _ in p["success"])
        for para in paragraphs(joined_raw):
            success.append(Cell(para, _located(p["success"], para)))
    rag = _cell(p.get("rag"))
    due = _cell(due_parts, date_value(" ".join(r for r, _ in due_parts)) if due_parts else None)
    due_by, due_reading = _reading(due)
    revised_by, revised_reading = _reading(revised)
    here = Span(acc.line, acc.line, acc.quote or acc.number)
    title = _cell(p.get("title")) or Cell(acc.number, here)
    return Action(
        number=Cell(acc.number, here),
        title=title,
        span=Span(acc.line, max(acc.last_line, acc.line), here.quote),
        theme=Cell(acc.theme, here) if acc.theme else None,
        leads=_mentions(p.get("leads"), known),
        governance=_mentions(p.get("governance"), known),
        start=_cell(p.get("start"), date_value(" ".join(r for r, _ in p["start"])) if p.get("start") else None),
        due=due,
        due_by=due_by,
        due_reading=due_reading,
        revised_due_by=revised_by,
        revised_due_reading=revised_reading,
        revised_due=revised,
        success=success,
        progress=_cell(p.get("progress")),
        rag=rag,
        status=infer_status(acc, revised, rag),
        outcomes=list(outcomes),
    )


def repair_ids(accs: list[_Acc], diagnostics: list[str]) -> None:
    """An id that breaks a dotted sequence ('4' or a page number '133' between 4.3 and
    4.5) is the missing one (4.4): PDF extraction ate its digits. Others stay as written."""
    dotted = re.compile(r"(.*\.)(\d+)$")
    for i in range(1, len(accs)):
        here, prev = accs[i].number, dotted.match(accs[i - 1].number)
        nxt = dotted.match(accs[i + 1].number) if i + 1 < len(accs) else None
        if dotted.match(here) or not prev:
            continue
        # Between two ids of one series with one missing; or, for a row whose id was
        # eaten, the last of its theme (the next id starts another series, or none).
        gap = nxt is not None and prev[1] == nxt[1] and int(nxt[2]) - int(prev[2]) == 2
        last = here == "" and accs[i].theme == accs[i - 1].theme and (nxt is None or nxt[1] != prev[1])
        if gap or last:
            fixed = f"{prev[1]}{int(prev[2]) + 1}"
            after = f" and {accs[i + 1].number}" if i + 1 < len(accs) else ""
            diagnostics.append(
                f"{accs[i].line}: warning: action id {here or '(none)'!r} read as {fixed!r}, "
                f"following {accs[i - 1].number}{after} — check the paper"
            )
            accs[i].number = fixed
    for i in range(len(accs) - 1, 0, -1):
        if accs[i].number == "":  # no id to be had: the row continues the action above
            for fld, parts in accs[i].parts.items():
                accs[i - 1].parts.setdefault(fld, []).extend(parts)
            accs[i - 1].last_line = max(accs[i - 1].last_line, accs[i].last_line)
            del accs[i]
    if accs and accs[0].number == "":
        del accs[0]


def _cue(text: str) -> tuple[str, str] | None:
    """('leads', 'Coventry Place Forum') for 'Lead responsibility – Coventry Place Forum'."""
    t = clean(text).lstrip("-•*· ").strip()
    low = t.lower()
    for fld, cues in config().cues.items():
        for cue in sorted(cues, key=len, reverse=True):
            if low.startswith(cue):
                rest = t[len(cue) :]
                m = _AFTER_CUE.match(rest)
                if m is not None:
                    return fld, (m.group(1) or "").strip()
    return None


def _bullet(line: str) -> str | None:
    m = _BULLETED.match(line)
    return m.group(1) if m else None


@dataclass
class PlanParser:
    src: Source
    known_people: frozenset[str] = frozenset()
    themes: dict[str, Theme] = field(default_factory=dict)
    accs: list[_Acc] = field(default_factory=list)
    header: dict[int, str] | None = None
    theme: Theme | None = None
    collecting: str | None = None
    first_line: int = 0  # the first table header: the plan starts above it
    words: dict[str, str] = field(default_factory=dict)  # heading word each theme was opened with
    diagnostics: list[str] = field(default_factory=list)

    def run(self) -> tuple[list[Theme], list[Action], int]:
        for number, line in enumerate(self.src.lines, 1):
            self.feed(number, line)
        repair_ids(self.accs, self.diagnostics)
        used = {acc.theme for acc in self.accs}
        if self.accs and self.accs[0].theme in self.themes:
            self.first_line = self.themes[self.accs[0].theme].span.first
        actions = []
        for acc in self.accs:
            outcomes = self.themes[acc.theme].outcomes if acc.theme in self.themes else []
            actions.append(build_action(acc, self.known_people, outcomes))
        themes = [t for n, t in self.themes.items() if n in used or not used]
        return themes, actions, self.first_line

    def feed(self, number: int, line: str) -> None:
        cells = line.split("\t")
        filled = [c for c in cells if c.strip()]
        if len(filled) == 1 and self._heading(number, filled[0]):
            return
        if filled and len(cells) > 2:
            self._row(number, cells)
            return
        if not line.strip():
            return
        self._preamble(number, line)

    def _heading(self, number: int, text: str) -> bool:
        segments = [s for s in clean_segments(text)]
        m = config().heading.match(segments[0]) if segments else None
        if not m:
            return False
        num = m.group(1)
        title = clean(m.group(2))
        word = segments[0].lstrip("#* ").split()[0].lower()
        unused = num in self.themes and not any(a.theme == num for a in self.accs)
        if num not in self.themes or (unused and self.words.get(num) != word):
            # A "Section 1" of a covering report is not the plan's "Theme 1": the later heading wins.
            self.words[num] = word
            self.themes[num] = Theme(
                Cell(num, Span(number, number, segments[0].strip()[:300])),
                Cell(title or num, Span(number, number, segments[0].strip()[:300])),
                Span(number, number, segments[0].strip()[:300]),
            )
        self.theme = self.themes[num]
        self.collecting = None
        for seg in segments[1:]:
            self._preamble(number, seg)
        return True

    def _row(self, number: int, cells: list[str]) -> None:
        hm = header_map(cells)
        if hm:
            self.header = hm
            self.first_line = self.first_line or number
            return
        if self.header is None:
            return
        if self._subheader(cells):
            return
        by_field: dict[str, str] = {}
        for i, raw in enumerate(cells):
            fld = self.header.get(i)
            if fld and raw.strip():
                by_field[fld] = (by_field.get(fld, "") + " " + raw).strip()
        raw_num = clean(by_field.pop("number", ""))
        num = "" if PAGE_FOOTER.match(raw_num) else raw_num
        # A page footer where the id should be, on a row that starts an action of its own
        # (title and lead), means extraction ate the id: start an action to repair.
        lost_id = num != raw_num and by_field.get("title") and by_field.get("leads") and self.accs
        if (num and ACTION_ID.fullmatch(num)) or lost_id:
            quote = raw_num or clean(by_field.get("title", ""))[:80]
            acc = _Acc(num.rstrip("."), number, self.theme.number.value if self.theme else None, quote)
            self.accs.append(acc)
        elif self.accs:
            acc = self.accs[-1]
        else:
            return
        for fld, raw in by_field.items():
            acc.add("due" if fld == "timescale" else fld, raw, number)
        acc.last_line = number

    def _subheader(self, cells: list[str]) -> bool:
        """A 'From / To' row under a 'Timescale' header refines those columns."""
        assert self.header is not None
        mapped = {i: column_field(c) for i, c in enumerate(cells) if c.strip()}
        if mapped and all(f in ("start", "due", "revised_due") for f in mapped.values()):
            self.header = {**self.header, **{i: f for i, f in mapped.items() if f}}
            return True
        return False

    def _preamble(self, number: int, text: str) -> None:
        if self.theme is None:
            return
        cue = _cue(text)
        quote = text.strip()[:300]
        span = Span(number, number, quote)
        if cue:
            fld, value = cue
            self.collecting = fld if fld == "recommendations" else None
            self._theme_value(fld, value, span)
            return
        item = _bullet(text)
        if item and self.collecting == "recommendations":
            self.theme.recommendations.append(Cell(clean(item), span))
            return
        self.collecting = None

    def _theme_value(self, fld: str, value: str, span: Span) -> None:
        assert self.theme is not None
        value = clean(value)
        if not value:
            return
        if fld == "leads":
            self.theme.leads.extend(Mention(n, k, span) for n, k in split_lead_cell(value, self.known_people))
        elif fld == "lead_people":
            for p in split_people(value):
                org = Mention(p.organisation, "any", span) if p.organisation else None
                self.theme.lead_people.append(Mention(p.name, "person", span, p.role, org))
        elif fld == "outcomes":
            self.theme.outcomes.append(Cell(value, span))
        elif fld == "recommendations":
            self.theme.recommendations.append(Cell(value, span))


def clean_segments(text: str) -> list[str]:
    """A heading line glued to its preamble by markdown bold: split on '**'."""
    return [s.strip() for s in _BOLD_MARK.split(text) if s.strip()]


_TITLE_WORD = re.compile(r"\b(?:plan|strategy|framework|programme)\b", re.IGNORECASE)


def _title_like(line: str) -> bool:
    text = clean(line.lstrip("#"))
    return bool(text) and len(text) <= 120 and "\t" not in line and not _LIST_MARK.match(line)


def title_block(src: Source, start: int = 1, end: int | None = None) -> Cell:
    """The title of what starts near `end`: the nearest block of short lines above it
    that names a plan, strategy or framework; else the paper's first block of short lines."""
    end = end or len(src.lines)
    anchor = next(
        (n for n in range(min(end, len(src.lines)), start - 1, -1)
         if _title_like(src.lines[n - 1]) and _TITLE_WORD.search(src.lines[n - 1])
         and not config().heading.match(src.lines[n - 1]) and not _cue(src.lines[n - 1])
         and not src.lines[n - 1].rstrip().endswith((".", ":", ","))),
        None,
    )
    if anchor is None:
        anchor = next((n for n in range(start, len(src.lines) + 1) if _title_like(src.lines[n - 1])), None)
        if anchor is None:
            return Cell(src.doc_id, Span(1, 1, ""))
    first = anchor
    while first > 1 and anchor - first < 3 and _title_like(src.lines[first - 2]):
        first -= 1
    block = [(clean(src.lines[n - 1].lstrip("#")), n) for n in range(first, anchor + 1)]
    title = ": ".join(t for t, _ in block)
    return Cell(title, Span(first, anchor, src.lines[first - 1].strip()))


def plan_title(src: Source) -> Cell:
    """The paper's own title: its first block of (at most four) short lines; a block of
    one short word or two ('Coventry') runs on past a blank line to the next."""
    lines = src.lines
    first = next((n for n in range(1, len(lines) + 1) if _title_like(lines[n - 1])), None)
    if first is None:
        return Cell(src.doc_id, Span(1, 1, ""))
    picked = [first]
    n = first + 1
    while n <= len(lines) and len(picked) < 4:
        if _title_like(lines[n - 1]) and not lines[n - 1].rstrip().endswith(":"):
            picked.append(n)
        elif lines[n - 1].strip() or len(" ".join(lines[p - 1] for p in picked).split()) > 3:
            break
        n += 1
    title = ": ".join(clean(lines[p - 1].lstrip("#")) for p in picked)
    return Cell(title, Span(picked[0], picked[-1], lines[picked[0] - 1].strip()))


_NAME_RUN = r"(?:[A-Z][\w’'&-]*|and|of|for|&)"
_OWNER = re.compile(
    rf"\b(?:owned|overseen|monitored|governed)\s+(?:through|by)\s+(?:the\s+)?((?:{_NAME_RUN}\s+){{0,8}}(?:Board|Committee|Forum|Partnership|Group))\b"
)


def plan_owner(src: Source, start: int, end: int) -> Mention | None:
    """'owned through Coventry's Health and Wellbeing Board' in the plan's own text."""
    for number in range(start, end + 1):
        for m in _OWNER.finditer(src.lines[number - 1]):
            name = _POSSESSIVE.sub("", m.group(1).strip())
            if len(name.split()) >= 2:
                return Mention(name, "body", Span(number, number, m.group(0)))
    return None


def extract_plan(
    src: Source, known_people: frozenset[str] = frozenset(), diagnostics: list[str] | None = None
) -> Plan | None:
    """The plan a paper holds, or None when it has no action table. Repairs made to
    ids that extraction mangled are reported in `diagnostics`."""
    parser = PlanParser(src, known_people)
    themes, actions, first = parser.run()
    if diagnostics is not None:
        diagnostics.extend(f"{src.path}:{d}" for d in parser.diagnostics)
    if not actions:
        return None
    title = title_block(src, 1, max(first - 1, 1))
    period = _YEARS.search(title.value)
    return Plan(
        title=title,
        span=Span(1, len(src.lines), title.span.quote),
        period=Cell(period.group(1), title.span) if period else None,
        owner=plan_owner(src, title.span.first, max(a.span.last for a in actions)),
        themes=themes,
        actions=actions,
    )
