"""Indicator tables: each indicator's name, code and unit, and every value with its
period and kind (baseline, actual, plan, target), as RDF Data Cube observations.

A table is found by its header row: a label column ('Indicator', 'Measure', 'Metric',
'KPI' ...) or none, and at least one column that names a period ('2016/17',
'Actual Q3 18/19', 'Baseline data (15/16)', '2019/20 Target', 'Mar 2019'). Rows are
TAB-separated, as PDF extraction and the spreadsheet readers write them; markdown
pipe rows are read too. The words live in `indicators.toml`.

Extraction artefacts handled by shape: a row that lacks the header's unnamed
breakdown column, a row whose cells PDF extraction stacked one per line, commentary
rows under an indicator, values carrying their own target ('6.5% <i>Target: 6.5%</i>').
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from govgraph.ingest.names import NAME_WORD, is_person_name, vocab
from govgraph.ingest.records import Cell, Indicator, Mention, Observation, Span
from govgraph.ingest.source import Source
from govgraph.ingest.text import clean

_FY = r"(?:19|20)?\d\d\s*[/-]\s*(?:19|20)?\d\d"  # 2016/17, 15/16, 2018-2019
_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_PERIOD = re.compile(
    rf"(?:\bQ[1-4]\s*(?:{_FY}|(?:19|20)\d\d)?)|(?:\b{_FY}\b)|(?:\b(?:{_MONTHS})[a-z]*[\s-]*(?:(?:19|20)?\d\d)\b)|(?:\b(?:19|20)\d\d\b)",
    re.IGNORECASE,
)
CODE = re.compile(r"^([A-Z]{1,4}\s?\d{1,3}[a-z]?)\s*[:.)–-]\s+(.+)$")
_NUMBERISH = re.compile(r"^[<>≤≥~≈]?\s*[-+]?\s*[£$€]?\s*\d")
_PAGE = re.compile(r"\s*\bPage\s+\d+\s*$", re.IGNORECASE)
_NOT_NORM = re.compile(r"[^a-z0-9&/ ]+")
_SPACE = re.compile(r"\s+")
_FY_PAIR = re.compile(r"\b((?:19|20)?\d\d)\s*[/-]\s*((?:19|20)?\d\d)\b")
_QUARTER = re.compile(r"\bQ[1-4]\b", re.IGNORECASE)
_QUARTER_LAST = re.compile(r"^(.*?)\s*(Q[1-4])$", re.IGNORECASE)
_VALUE_WORDS = re.compile(r"\b(?:data|value|values|year|figure|figures|position|outturn|fy|financial)\b")
_MD_SEPARATOR = re.compile(r"\s*:?-{2,}:?\s*")
_OWN_KIND = re.compile(r"\b(target|plan|baseline)\s*:\s*(.+)$", re.IGNORECASE)
_WIDE_GAP = re.compile(r"\s{2,}")
_DIGIT = re.compile(r"\d")
_YEAR_IN_BRACKETS = re.compile(r"\(((?:19|20)\d\d(?:\s*/\s*\d\d)?)\)")
_NAME_WORD = re.compile(NAME_WORD)
_OWNER_SPLIT = re.compile(r"\s*[,;/]\s*|\s+[–—-]\s+")


@cache
def _word_re(word: str) -> re.Pattern[str]:
    """A word or phrase from indicators.toml, matched whole."""
    return re.compile(rf"\b{re.escape(word)}\b")


@cache
def _any_word_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the words or phrases, matched whole: one search for the lot."""
    return re.compile("|".join(rf"\b{re.escape(w)}\b" for w in words))


@cache
def _trend_re(trend: str) -> re.Pattern[str]:
    """A trend word ending a value cell ('66.1%  Improving')."""
    return re.compile(rf"\s+{re.escape(trend)}\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Words:
    label: tuple[str, ...]
    code: tuple[str, ...]
    unit: tuple[str, ...]
    definition: tuple[str, ...]
    owner: tuple[str, ...]
    organisation_ends: frozenset[str]
    unit_ends: frozenset[str]
    kinds: dict[str, tuple[str, ...]]
    to_date: tuple[str, ...]
    trend: tuple[str, ...]
    none: tuple[str, ...]
    cue: tuple[str, ...]
    units: dict[str, tuple[str, ...]]


@cache
def words() -> Words:
    d = tomllib.loads(resources.files("govgraph.ingest").joinpath("indicators.toml").read_text("utf-8"))
    return Words(
        label=tuple(d["columns"]["label"]),
        code=tuple(d["columns"]["code"]),
        unit=tuple(d["columns"]["unit"]),
        definition=tuple(d["columns"]["definition"]),
        owner=tuple(d["columns"]["owner"]),
        organisation_ends=frozenset(d["owner"]["organisation_ends"]),
        unit_ends=frozenset(d["owner"]["unit_ends"]),
        kinds={k: tuple(v) for k, v in d["kinds"].items()},
        to_date=tuple(d["columns"]["to_date"]),
        trend=tuple(d["values"]["trend"]),
        none=tuple(d["values"]["none"]),
        cue=tuple(d["heading"]["cue"]),
        units={k: tuple(v) for k, v in d["units"].items()},
    )


def _norm(text: str) -> str:
    return _SPACE.sub(" ", _NOT_NORM.sub(" ", clean(text).lower())).strip()


def label_text(text: str) -> str:
    """A label as it should read: tags and bold gone, quotes straightened, spaces folded."""
    t = clean(text).replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"')
    return t.strip(" *:")


def full_period(text: str) -> str:
    """'15/16' -> '2015/16', 'Q3 18/19' -> 'Q3 2018/19', '2018-2019' -> '2018/19'."""
    def fy(m: re.Match[str]) -> str:
        a, b = m[1], m[2]
        a = a if len(a) == 4 else "20" + a
        return f"{a}/{b[-2:]}"

    t = _FY_PAIR.sub(fy, text.strip())
    return _SPACE.sub(" ", t)


@dataclass(frozen=True)
class Column:
    """What a header cell says a column holds: a field, or a kind and period."""

    field: str  # label, code, unit, definition, owner, value, other, blank
    kind: str | None = None
    period: str | None = None


@lru_cache(maxsize=1 << 12)  # a table's header is asked of every row until one reads as it
def column(header: str) -> Column:
    raw = clean(header)
    h = _norm(raw)
    w = words()
    if not h:
        return Column("blank")
    kind = next((k for k, names in w.kinds.items() if _any_word_re(names).search(h)), None)
    found = _PERIOD.findall(raw)
    period = full_period(" ".join(found)) if found else None
    if period and _QUARTER.search(period) and not period.startswith(("Q", "q")):
        period = _QUARTER_LAST.sub(r"\2 \1", period)
    if period and _any_word_re(w.to_date).search(h):
        return Column("value", kind or "actual", f"{period} year to date")
    if period or kind:
        # A label column may name a year ('Indicator 2019'): only count it as a period
        # column when little else is written.
        rest = _norm(_PERIOD.sub(" ", raw))
        for names in w.kinds.values():
            for n in names:
                rest = _word_re(n).sub(" ", rest)
        rest = _VALUE_WORDS.sub(" ", rest)
        if len(rest.split()) <= 1:
            return Column("value", kind or "actual", period or "not stated")
    for fld in ("code", "unit", "definition", "owner", "label"):
        if h in getattr(w, fld) or any(h.startswith(n + " ") for n in getattr(w, fld) if len(n) > 3):
            return Column(fld)
    return Column("other")


def header(cells: list[str]) -> list[Column] | None:
    """The columns of an indicator table, when `cells` is its header row."""
    cols = [column(c) for c in cells]
    values = [c for c in cols if c.field == "value"]
    if not values or len(cells) < 2:
        return None
    has_label = any(c.field == "label" for c in cols)
    first_is_name = cols[0].field in ("blank", "label", "other", "code")
    if has_label and len(values) >= 1 or first_is_name and len(values) >= 2:
        return cols
    return None


def cells_of(line: str) -> list[str] | None:
    """A row's cells: TAB-separated, or a markdown '| a | b |' row."""
    if "\t" in line:
        return line.split("\t")
    s = line.strip()
    if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
        inner = s[1:-1].split("|")
        if all(_MD_SEPARATOR.fullmatch(c) for c in inner):
            return []  # the separator under a markdown header
        return [c.strip() for c in inner]
    return None


def _value_parts(raw: str) -> list[tuple[str, str | None]]:
    """A cell's values: ('6.5%', None) and ('6.5%', 'target') for '6.5% <i>Target: 6.5%</i>'."""
    text = clean(raw)
    out: list[tuple[str, str | None]] = []
    m = _OWN_KIND.search(text)
    if m and text[: m.start()].strip():
        out.append((text[: m.start()].strip(), None))
        out.append((m[2].strip(), m[1].lower()))
    else:
        out.append((text, None))
    return out


def value_text(text: str, kind: str) -> str | None:
    """The value as written, without a trend word ('66.1%  Improving' -> '66.1%'); None
    for an empty, 'n/a' or commentary cell. A target may be relative ('Better than or
    equal to national average: 70.7%') if it names a number."""
    w = words()
    t = text.strip()
    if not t or _norm(t) in w.none or len(t) > 120:
        return None
    t = _WIDE_GAP.split(t)[0].strip()
    for trend in w.trend:
        t = _trend_re(trend).sub("", t)
    if _NUMBERISH.match(t):
        return t
    if kind in ("target", "plan") and _DIGIT.search(t):
        return t
    return None


def unit_of(name: str, values: list[str], given: str | None) -> str | None:
    if given:
        return given
    text = " ".join(values)
    name_l = name.lower()
    for unit, cues in words().units.items():
        if any(c in text.lower() for c in cues if not c.isalpha()) or any(
            _word_re(c).search(name_l) for c in cues if c[0].isalpha()
        ):
            return unit
    return None


@dataclass
class _Row:
    line: int
    cells: list[str]


def _measures(src: Source, first: int) -> Cell | None:
    """What a table measures: the nearest heading above it that says so
    ('Programme Indicators: Tackling inequalities ...')."""
    cues = "|".join(re.escape(c) for c in words().cue)
    for n in range(first - 1, max(first - 6, 0), -1):
        line = src.line(n)
        if len([c for c in line.split("\t") if c.strip()]) > 1:
            break
        m = re.match(rf"^[#*\s]*(?:[A-Za-z ]*?\b(?:{cues}))\s*[:–—-]\s*(.+)$", clean(line), re.IGNORECASE)
        if m:
            return Cell(label_text(m[1]), Span(n, n, line.strip()))
    return None


def _name_code(text: str) -> tuple[str, str | None]:
    t = _PAGE.sub("", clean(text)).strip()
    m = CODE.match(t)
    return (m[2].strip(), m[1].replace(" ", "")) if m else (t, None)


# -- owners ---------------------------------------------------------------------------


@cache
def _organisation_endings() -> tuple[tuple[str, ...], ...]:
    """The word runs that end an organisation's name, longest first."""
    runs = {(w,) for w in words().organisation_ends}
    runs |= {tuple(p.split()) for phrases in vocab().organisation.values() for p in phrases if len(p.split()) > 1}
    return tuple(sorted(runs, key=len, reverse=True))


def _ends_organisation(low: list[str], end: int) -> bool:
    """Lower-cased words up to `end` end an organisation's name ('... city council')."""
    return any(end >= len(r) and tuple(low[end - len(r):end]) == r for r in _organisation_endings())


def _trailing_person(text: str) -> tuple[str, str | None]:
    """'Place Directorate Kim Mawby' -> ('Place Directorate', 'Kim Mawby'): a cell that
    PDF extraction ran together ends with the contact's name."""
    toks = text.split()
    if len(toks) < 2 or toks[-1].lower() in words().unit_ends or not is_person_name(" ".join(toks[-2:])):
        return text, None
    k = 3 if len(toks) >= 3 and toks[-3].lower().rstrip(".") in vocab().titles else 2
    return " ".join(toks[:-k]), " ".join(toks[-k:])


def _organisation_and_unit(text: str) -> tuple[str, str | None]:
    """'Coventry City Council Public Health' -> ('Coventry City Council', 'Public Health')."""
    toks = text.split()
    low = [t.lower() for t in toks]
    for i in range(len(toks) - 1, 0, -1):
        if _ends_organisation(low, i) and _NAME_WORD.match(toks[i]):
            return " ".join(toks[:i]), " ".join(toks[i:])
    return text, None


def owner_mentions(text: str, sp: Span) -> list[Mention]:
    """Who an owner cell names: organisations, their directorates (as 'Organisation
    (Directorate)', which resolution makes a part of the organisation) and contacts,
    each contact a member of the unit they are listed under."""
    out: list[Mention] = []
    unit_of: Mention | None = None  # the organisation a later bare unit belongs to
    here: Mention | None = None  # the unit (or organisation) a later contact is listed under
    for piece in _OWNER_SPLIT.split(label_text(text)):
        rest, person = _trailing_person(piece.strip(" ."))
        if rest:
            org, unit = _organisation_and_unit(rest)
            named_org = _ends_organisation(org.lower().split(), len(org.split()))
            if unit is None and unit_of is not None and not named_org:
                org, unit = unit_of.text, org
            here = Mention(org, "organisation", sp)
            if named_org:
                unit_of = here
            if unit:
                here = Mention(f"{org} ({unit})", "organisation", sp)
            out.extend(m for m in (Mention(org, "organisation", sp), here) if m not in out)
        if person:
            out.append(Mention(person, "person", sp, organisation=here))
    return out


def _observations(label: str, cols: list[Column], cells: list[str], lines: list[int]) -> list[Observation]:
    out: list[Observation] = []
    for i, col in enumerate(cols):
        if col.field != "value" or i >= len(cells) or not cells[i].strip():
            continue
        for text, own_kind in _value_parts(cells[i]):
            kind = own_kind or col.kind or "actual"
            v = value_text(text, kind)
            if v is None:
                continue
            period = col.period or "not stated"
            if period == "not stated":
                m = _YEAR_IN_BRACKETS.search(text)
                period = full_period(m[1]) if m else period
            sp = Span(lines[i], lines[i], cells[i].strip()[:300])
            out.append(Observation(
                key=Cell(f"{label} – {kind} {period}", sp),
                span=sp, period=Cell(period, sp), kind=Cell(kind, sp), value=Cell(v, sp),
            ))
    return out


def _fit(cols: list[Column], cells: list[str]) -> list[str]:
    """A row one cell short of its header lacks the header's unnamed breakdown column."""
    blanks = [i for i, c in enumerate(cols) if c.field == "blank"]
    if len(cells) < len(cols) and blanks and len(cols) - len(cells) <= len(blanks):
        drop = set(blanks[: len(cols) - len(cells)])
        it = iter(cells)
        return [("" if i in drop else next(it, "")) for i in range(len(cols))]
    return cells + [""] * (len(cols) - len(cells))


def _label_index(cols: list[Column]) -> int:
    return next((i for i, c in enumerate(cols) if c.field == "label"), 0)


class _Table:
    def __init__(self, src: Source, first: int, cols: list[Column]) -> None:
        self.src = src
        self.first = first
        self.cols = cols
        self.measures = _measures(src, first)
        self.current: Indicator | None = None
        self.current_name = ""
        self.out: list[Indicator] = []
        self.owner_i = next((i for i, c in enumerate(cols) if c.field == "owner"), None)
        self.top: Indicator | None = None  # the last named indicator, which owner cells go with
        self.owner_cells: dict[int, tuple[Indicator, list[Cell]]] = {}
        self.children: dict[int, list[Indicator]] = {}

    def row(self, n: int, raw: list[str]) -> None:
        cells = _fit(self.cols, raw)
        li = _label_index(self.cols)
        code_i = next((i for i, c in enumerate(self.cols) if c.field == "code"), None)
        unit_i = next((i for i, c in enumerate(self.cols) if c.field == "unit"), None)
        def_i = next((i for i, c in enumerate(self.cols) if c.field == "definition"), None)
        breakdown_i = next((i for i, c in enumerate(self.cols) if c.field == "blank" and i != li), None)
        name, code = _name_code(cells[li])
        if code_i is not None and clean(cells[code_i]):
            code = clean(cells[code_i])
        breakdown = label_text(cells[breakdown_i]) if breakdown_i is not None and cells[breakdown_i].strip() else None
        lines = [n] * len(cells)
        probe = _observations(name or self.current_name, self.cols, cells, lines)
        if name and (code or probe):
            self.current_name = label_text(name)
            parent = self._new(n, cells[li], self.current_name, code, cells, unit_i, def_i)
            self.top = parent
            self._owner_cell(cells, n)
            if breakdown is None:
                self.current = parent
            else:
                parent.observations.clear()
                self.current = self._child(n, cells, breakdown, parent)
            self.current.observations.extend(self._obs(self.current, cells, lines))
        elif not name and self.top is not None and not probe:
            self._owner_cell(cells, n)  # an owner cell run on below its row ('Page 10 | Place Directorate ...')
        elif not name and self.current is not None and probe:
            self._owner_cell(cells, n)
            target = self.current
            if breakdown is not None:
                base = self.out[-1] if not self.out[-1].parent else self.out[-1]
                target = self._child(n, cells, breakdown, self._parent_of(base))
            target.observations.extend(self._obs(target, cells, lines))

    def _parent_of(self, ind: Indicator) -> Indicator:
        return next((p for p in self.out if p.name.value == ind.parent), ind) if ind.parent else ind

    def _new(self, n: int, raw_name: str, name: str, code: str | None, cells: list[str],
             unit_i: int | None, def_i: int | None) -> Indicator:
        sp = Span(n, n, raw_name.strip()[:300])
        unit = clean(cells[unit_i]) if unit_i is not None and clean(cells[unit_i]) else None
        ind = Indicator(
            name=Cell(name, sp), span=sp,
            code=Cell(code, sp) if code else None,
            alt=[Cell(code, sp)] if code else [],
            definition=Cell(clean(cells[def_i]), Span(n, n, cells[def_i].strip()[:300]))
            if def_i is not None and clean(cells[def_i]) else None,
            measures=[self.measures] if self.measures else [],
        )
        ind.unit = self._unit(ind, cells, unit, sp)
        self.out.append(ind)
        return ind

    def _unit(self, ind: Indicator, cells: list[str], given: str | None, sp: Span) -> Cell | None:
        vals = [clean(c) for i, c in enumerate(cells) if i < len(self.cols) and self.cols[i].field == "value"]
        u = unit_of(ind.name.value, vals, given)
        return Cell(u, sp) if u else None

    def _child(self, n: int, cells: list[str], breakdown: str, parent: Indicator) -> Indicator:
        label = f"{parent.name.value} ({breakdown})"
        sp = Span(n, n, next(c for c in cells if c.strip()).strip()[:300])
        child = Indicator(
            name=Cell(label, Span(parent.span.first, n, parent.span.quote)), span=sp,
            code=parent.code, alt=list(parent.alt), measures=list(parent.measures),
            unit=parent.unit, parent=parent.name.value,
        )
        self.out.append(child)
        self.children.setdefault(id(parent), []).append(child)
        return child

    def _owner_cell(self, cells: list[str], n: int, text: str | None = None) -> None:
        """Keep a piece of the owner cell of the last named indicator: PDF extraction
        splits one cell over the rows of its breakdown ('Coventry City Council' above
        'Place Directorate Kim Mawby')."""
        if text is None:
            text = cells[self.owner_i] if self.owner_i is not None and self.owner_i < len(cells) else ""
        if self.top is None or not clean(text):
            return
        _, parts = self.owner_cells.setdefault(id(self.top), (self.top, []))
        parts.append(Cell(clean(text), Span(n, n, text.strip()[:300])))

    def finish(self) -> list[Indicator]:
        """The table's indicators, each with the owners its cell names (a breakdown
        shares its indicator's)."""
        for top, parts in self.owner_cells.values():
            sp = Span(parts[0].span.first, parts[-1].span.last, parts[0].span.quote)
            owners = owner_mentions(" ".join(p.value for p in parts), sp)
            for ind in [top, *self.children.get(id(top), [])]:
                ind.owners = list(owners)
        return self.out

    def _obs(self, ind: Indicator, cells: list[str], lines: list[int]) -> list[Observation]:
        seen = {(o.kind.value, o.period.value) for o in ind.observations}
        obs = [o for o in _observations(ind.name.value, self.cols, cells, lines)
               if (o.kind.value, o.period.value) not in seen]
        if ind.unit is None:
            ind.unit = self._unit(ind, cells, None, ind.span)
        return obs

    def stacked(self, n: int, end: int) -> int:
        """A coded row PDF extraction stacked one cell per line: the name on line `n`,
        then the other cells each on a line of their own. Returns the last line used."""
        name, code = _name_code(self.src.line(n))
        if not code:
            return n
        parts: list[tuple[str, int]] = []
        m = n + 1
        while m <= end:
            text = self.src.line(m).strip()
            if "\t" in self.src.line(m) or CODE.match(clean(text)) or _PAGE.fullmatch(" " + text):
                break
            if text:
                parts.append((text, m))
            m += 1
        vcols = [i for i, c in enumerate(self.cols) if c.field == "value"]
        nums = [(t, ln) for t, ln in parts if _NUMBERISH.match(t)]
        if len(nums) != len(vcols):
            return n
        owner = [(t, ln) for t, ln in parts if ln < nums[0][1]] if nums and self.owner_i is not None else []
        cells = [""] * len(self.cols)
        lines = [n] * len(self.cols)
        for i, (t, ln) in zip(vcols, nums):
            cells[i], lines[i] = t, ln
        ind = self._new(n, self.src.line(n), label_text(name), code, cells, None, None)
        ind.observations.extend(_observations(ind.name.value, self.cols, cells, lines))
        self.current, self.current_name, self.top = ind, ind.name.value, ind
        for t, ln in owner:
            self._owner_cell([], ln, t)
        return nums[-1][1]


def extract_indicators(src: Source) -> list[Indicator]:
    """Every indicator in the paper's indicator tables, with its observations."""
    tables: list[_Table] = []
    table: _Table | None = None
    gap = 0
    n = 1
    total = len(src.lines)
    while n <= total:
        line = src.line(n)
        cells = cells_of(line)
        if cells is not None and cells:
            cols = header(cells)
            if cols is not None:
                table = _Table(src, n, cols)
                tables.append(table)
            elif table is not None:
                table.row(n, cells)
            gap = 0
        elif cells is None and table is not None:
            text = line.strip()
            if text and CODE.match(clean(text)):
                n = table.stacked(n, min(total, n + 30))
                gap = 0
            elif text and not _PAGE.fullmatch(" " + text):
                gap += 1  # prose between tables: a table ends after a few lines of it
                if gap > 2:
                    table = None
        n += 1
    return [i for t in tables for i in t.finish() if i.name.value]
