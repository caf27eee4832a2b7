"""Strategies, frameworks and plans a paper presents or names: title, period, owner,
status (draft, for approval, approved, refresh), priorities with their objectives and
what success looks like, and objectives of the strategy itself.

Found by structure and cue only (`strategy.toml`): a title naming a strategy,
framework or plan (a cover sheet's 'Title:', a heading, a title line with its period
on the next line); inside it, priority headings ('Priority 1: ...', '1 PRIORITY ONE:
...'), a sentence about priorities or themes followed by a bullet list, 'Objectives'
followed by bullets, 'What does success look like?' followed by prose, and the
'Action Plan: <priority>' sections of a progress report with their numbered aims.
A list of priorities that names its own strategy ('The existing Health and Wellbeing
Strategy 2016-19 identified three priorities:') belongs to that strategy.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from govgraph.ingest.indicators import label_text
from govgraph.ingest.names import is_acronym, strip_alias
from govgraph.ingest.passing import InPassing, Named, _Found, names_in
from govgraph.ingest.records import Alias, Cell, Mention, Objective, Priority, Span, Strategy
from govgraph.ingest.source import Source
from govgraph.ingest.strategy_words import (
    _PERIOD,
    HEADS,
    NAME,
    NUMBERS,
    STRATEGY_KINDS,
    _norm,
    norm_period,
    period_start,
    split_period,
    strategy_kind,
    words,
)
from govgraph.ingest.text import clean, cover_opens, slug

__all__ = ["STRATEGY_KINDS", "Named", "extract_strategies", "home_board", "names_in", "norm_period",
           "period_start", "split_period", "strategy_kind", "title_of", "words"]

_DASH = re.compile(r"^\s*[-•*·–]\s+\S")
_BULLET = re.compile(r"^\s*(?:[-•*·–]|\d{1,2}[.)]|[a-z][.)])\s+(.*\S)\s*$")
# Not 'The City Council': a council is named after its place.
_COUNCIL = re.compile(r"\b(?!(?:The|This|That|Each|Every|Our|Your|A)\b)[A-Z][a-z]+\s+"
                      r"(?:City|County|Borough|District)\s+Council\b")
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.)\s+")
_REPORT_ON = re.compile(r"^.*\b(?:Update|Report|Review|Progress)\s+and\s+")
_SPACED_YEARS = re.compile(r"\b((?:19|20)\d\d)\s+[-–]\s+((?:19|20)?\d\d)\b")
_QUESTION = re.compile(r"(?:how|what|why|will|does|is|are|which|where|when)\b", re.I)
_TITLE_PARTS = re.compile(r"\s+[–—-]\s+|:\s+")
_TITLE_HEAD = re.compile(rf"(.*?\b(strategy|framework|plan))\b(?:\s+({_PERIOD}))?((?:\s+\w+){{0,2}})", re.IGNORECASE)
_EDITION_WORDS = re.compile(r"\b(?:refresh|update|priorities|progress|year \d|consultation)\b", re.I)
_PERIOD_RE = re.compile(_PERIOD)
_ROLLING = re.compile(r"(?:rolling|annual)\b", re.I)
_REFRESH = re.compile(r"\brefresh(?:ed)?\b", re.I)
_MD_HEADING = re.compile(r"^\s*#")
_NUMBERED = re.compile(r"^\s*(?:#+\s*)?\**(\d{1,2}(?:\.\d{1,2})*)\.?\**\s+\**[A-Z]")
_LOWER = re.compile(r"[a-z]")
_SECTION_NUMBER = re.compile(r"^\s*[\d.]+\s*")
_PRIORIT = re.compile(r"priorit", re.I)
_COUNTED = re.compile(rf"\b(\d{{1,2}}|{'|'.join(NUMBERS)})\s+(?:key\s+|main\s+|strategic\s+)?(?:priorities|themes|priority areas)\b", re.I)
_AIMS = re.compile(r"aims?|objectives?", re.I)
_NUMBERED_AIM = re.compile(r"^(\d{1,2})\.\s+(.{8,})$")
_WHOSE_OR_THE = re.compile(r"^(?:[A-Z][a-z]+['’]s\s+|[Tt]he\s+)")
_ITEM_END = re.compile(r"(?:[;,]\s*(?:and)?|\s+and)\s*$")
_BODY_IN_TITLE = re.compile(r"^(.*?\b(?:Board|Forum|Partnership|Committee|Group))\b")
_JOINT = re.compile(r"[A-Z]\w+(?:,\s+[A-Z]\w+)*\s+(?:and|&)\s+[A-Z]")
_BOARD = re.compile(r"\bBoard\b")


@cache
def _kind_or_refresh(kind: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{kind}|refresh)\b", re.I)


@cache
def _status_cue(cue: str) -> re.Pattern[str]:
    """A status cue from strategy.toml."""
    return re.compile(cue)


def home_council(src: Source) -> str | None:
    counts = Counter(m.group(0) for line in src.lines if "Council" in line for m in _COUNCIL.finditer(line))
    return counts.most_common(1)[0][0] if counts else None


def _home_place(src: Source) -> str | None:
    """The place whose bodies the paper names most, when it names no council."""
    from govgraph.ingest.extract import home_place  # extract imports this module

    place = home_place(src)
    return None if place in ("The", "This", "That", "Our") else place  # 'The City Council' names no place


def title_of(text: str) -> tuple[str, str, str | None, str | None] | None:
    """(name, kind, period, status) when a title line names a strategy, framework or plan:
    'Coventry Physical Activity Framework 2019-2024', '36. CAMHS Local Transformation
    Plan: Year 3 Refresh', '3.4 Clinical Strategy – Update on identified priorities'."""
    w = words()
    t = clean(text).strip("# *")
    t = _NUMBERING.sub("", t)
    t = _REPORT_ON.sub("", t)
    t = _SPACED_YEARS.sub(r"\1-\2", t)
    if t.endswith("?") or _QUESTION.match(t):
        return None
    parts = _TITLE_PARTS.split(t, maxsplit=1)
    head = parts[0]
    rest = parts[1] if len(parts) > 1 else ""
    m = _TITLE_HEAD.fullmatch(head)
    if not m:
        return None
    name, kind, period, tail = m[1].strip(), m[2].lower(), m[3], m[4].strip().lower()
    if tail and not all(x in w.suffixes for x in tail.split()):
        return None
    if rest and not (_EDITION_WORDS.search(rest) or _PERIOD_RE.fullmatch(rest.strip()) or _ROLLING.match(rest)):
        return None
    lead = [x for x in _norm(name).split()[:-1]]
    if not lead or all(x in w.generic for x in lead) or not name[0].isupper():
        return None
    status = "refresh" if _REFRESH.search(f"{tail} {rest}") else None
    return name, HEADS[kind], norm_period(period) if period else None, status


class StrategyParser(InPassing):
    def __init__(self, src: Source, exclude: list[tuple[int, int]], known: frozenset[str] = frozenset()) -> None:
        self.src = src
        self.exclude = exclude
        self.known = known  # names the paper gives organisations and bodies
        self.acronyms: dict[str, str] = {}  # 'STP' -> the key of the plan named '... plan (STP)'
        self.board = home_board(src)
        self.found: dict[str, _Found] = {}
        self.current: _Found | None = None
        self.priority: Priority | None = None
        self.collect: str | None = None  # 'priorities', 'objectives', 'outcomes'
        self.collect_for: _Found | None = None
        self.cover_title: _Found | None = None
        self.council = home_council(src)
        self.place = self.council.split()[0] if self.council else _home_place(src)
        # The paper's own action plan (plan.py reads it) opens the first excluded range.
        own = exclude[0][0] if exclude else 0
        self.own_plan = frozenset(_norm(" ".join(src.lines[own - 1 : own + 5])).split()) if own else frozenset()
        self.aims_col = False

    # -- strategies ------------------------------------------------------------

    def key(self, name: str, period: str | None) -> str:
        """Names with one key are one strategy in this paper: the words without 'the', the
        words that never tell strategies apart ('Joint', 'Local') and the home place."""
        toks = [t for t in _norm(name).split() if t != "the" and t not in words().ignore]
        if self.place and toks and toks[0] == self.place.lower():
            toks = toks[1:]
        return slug(" ".join(toks + ([period] if period else [])))

    def _also(self, f: _Found, name: str, sp: Span, reason: str) -> None:
        """Another name the paper gives a strategy it holds, and why it was taken for it."""
        s = f.strategy
        f.lines.add(sp.first)
        if name == s.title.value or any(a.value == name for a in s.alt):
            return
        if self.place and name.startswith(self.place) and not s.title.value.startswith(self.place) \
                and self.key(name, None) == self.key(s.title.value, None):
            # The same name with its place reads best as the label; the old label is an alias.
            s.alt.append(Alias(s.title.value, s.title.span, reason))
            s.title = Cell(name, sp)
        else:
            s.alt.append(Alias(name, sp, reason))

    def strategy(self, n: int, name: str, kind: str, period: str | None, status: str | None,
                 quote: str, level: int | None) -> _Found:
        sp = Span(n, n, quote.strip()[:300])
        k = self.key(name, period)
        if k in self.found:
            f = self.found[k]
            self._also(f, name, sp, "same words")
            if status and f.strategy.status is None:
                f.strategy.status = Cell(status, sp)
            f.level = level
            return f
        s = Strategy(
            title=Cell(name, sp), span=sp, kind=Cell(kind, sp), key=Cell(k, sp),
            period=Cell(period, sp) if period else None, status=Cell(status, sp) if status else None,
        )
        f = _Found(s, level, lines={n})
        self.found[k] = f
        return f

    def _excluded(self, n: int) -> bool:
        return any(a <= n <= b for a, b in self.exclude)

    def run(self) -> list[Strategy]:
        lines = self.src.lines
        for n, line in enumerate(lines, 1):
            if self._excluded(n):
                self.current = None
                continue
            self.feed(n, line)
        self.in_passing()
        out = []
        for f in self.found.values():
            f.strategy.priorities = list(f.priorities.values())
            out.append(f.strategy)
        return out

    # -- strategies named in passing ----------------------------------------------

    def _title_here(self, n: int, text: str) -> tuple[str, str, str | None, str | None] | None:
        lines = self.src.lines
        if "\t" in lines[n - 1] or len(text) > 110 or text.endswith((".", ",", ";")) or _DASH.match(lines[n - 1]):
            return None
        if n > 1 and lines[n - 2].strip() and not lines[n - 2].lstrip().startswith(("#", "**")) and not _MD_HEADING.match(lines[n - 1]):
            return None  # a title stands after a blank line (or is a markdown heading)
        t = title_of(text)
        if t and t[2] is None:  # the period on the line below: 'Coventry on the Move framework' / '2019 - 2024'
            nxt = next((lines[k].strip() for k in range(n, min(n + 3, len(lines))) if lines[k].strip()), "")
            if _PERIOD_RE.fullmatch(nxt):
                t = (t[0], t[1], norm_period(nxt), t[3])
        return t

    def feed(self, n: int, line: str) -> None:
        text = clean(line).strip()
        if not text:
            return
        w = words()
        opens, title = cover_opens(line)
        if opens:
            self.current, self.priority, self.collect = None, None, None
            self.cover_title = None
            if title and (t := title_of(title)):
                self.current = self.strategy(n, *t, line, None)
                self.cover_title = self.current
            return
        level = self._level(line)
        if self.current and self.current.level is not None and level is not None and level <= self.current.level:
            self.current, self.priority, self.collect = None, None, None
        t = self._title_here(n, text)
        if t:
            name, kind, period, status = t
            cover = self.cover_title
            if cover and cover.strategy.kind.value == kind and period and cover.strategy.period \
                    and cover.strategy.period.value[:4] == period[:4]:
                # An appendix that is the cover sheet's strategy, under its own name.
                self.current = cover
                self._also(cover, name, Span(n, n, line.strip()), "the cover sheet's strategy: an appendix of the same "
                           "kind and period under its own name")
            else:
                self.current = self.strategy(n, name, kind, period, status, line, level)
            self.priority, self.collect = None, None
            return
        sp = w.section_plan.match(text)
        if sp and len([c for c in line.split("\t") if c.strip()]) == 1:
            self._section_plan(n, line, sp[1])
            return
        if self.current is None:
            self._named_list(n, line, text)
            return
        self.inside(n, line, text, level)

    @staticmethod
    def _level(line: str) -> int | None:
        m = _NUMBERED.match(line)
        return m[1].count(".") + 1 if m else None

    # -- inside a strategy ---------------------------------------------------------

    def inside(self, n: int, line: str, text: str, level: int | None) -> None:
        w = words()
        f = self.current
        assert f is not None
        sp = Span(n, n, line.strip()[:300])
        label = w.owner_label.match(text)
        if label and self.priority is None and "\t" not in line:
            # 'Owner: Northshire Health and Wellbeing Board' under the strategy's title (under a
            # priority, 'Lead:' is the priority's).
            if not f.strategy.owner:
                f.strategy.owner.append(Mention(strip_alias(label[1])[0], "any", sp))
            return
        ph = w.priority_heading.match(text)
        if ph and "\t" not in line:
            title = label_text(ph[2])
            if title:
                self.priority = self._priority(f, n, line, title, NUMBERS.get(ph[1].lower(), ph[1]))
            self.collect = None
            return
        if w.objective_heading.match(text):
            self.collect, self.collect_for = "objectives", f
            return
        if w.success_heading.match(text):
            self.collect, self.collect_for = "outcomes", f
            return
        if "\t" in line:
            self._aims_row(n, line)
            return
        item = _BULLET.match(line)
        if item and self.collect in ("priorities", "objectives") and len(item[1]) <= 250:
            value = _item(item[1])
            target = self.collect_for or f
            if self.collect == "priorities" and value:
                self._priority(target, n, line, value, None)
            elif value:
                self._objective(target, sp, value)
            return
        if self.collect == "outcomes":
            bucket = self.priority.outcomes if self.priority else f.strategy.outcomes
            if not item and len(text) > 20 and _LOWER.search(text) and len(bucket) < 3:
                bucket.append(Cell(text, sp))
                return
            self.collect = None
        if level is not None and f.level is not None and level == f.level + 1 and self._says_priorities(f):
            title = label_text(_SECTION_NUMBER.sub("", text))
            if 2 <= len(title) <= 90:
                self.priority = self._priority(f, n, line, title, None)
                self.collect = None
                return
        if self._named_list(n, line, text):
            return
        if self.collect is None and not item and self._lists_priorities(n, text):
            self.collect, self.collect_for = "priorities", f
            self.priority = None
        elif w.objective_cue.search(text):
            self.collect, self.collect_for = "objectives", f
        elif not item and self.collect in ("priorities", "objectives"):
            self.collect = None
        self._owner(n, line, text, f)
        self._status(n, line, text, f)
        self._period(n, line, text, f)

    def _says_priorities(self, f: _Found) -> bool:
        title = f.strategy.title.span.quote.lower()
        return "priorit" in title

    def _lists_priorities(self, n: int, text: str, named: bool = False) -> bool:
        """A sentence that introduces a list of priorities: it ends with a colon and
        says 'priorities', or it counts them ('The four key priorities', '4 themes')
        and as many bullets follow."""
        w = words()
        if text.isascii() and not any(end in text.lower() for end in w.list_cue_ends):
            return False  # in ASCII, ignoring case is comparing lower case: no cue's last word, no cue
        if not w.list_cue.search(text):
            return False
        if text.endswith(":") and _PRIORIT.search(text if named else " ".join(text.split()[-6:])):
            return True
        m = _COUNTED.search(text)
        if not m:
            return False
        want = int(NUMBERS.get(m[1].lower(), m[1]))
        count, k = 0, n
        lines = self.src.lines
        while k < len(lines):
            nxt = lines[k]
            if _BULLET.match(nxt):
                count += 1
            elif nxt.strip() and count:
                break
            elif nxt.strip():
                return False
            k += 1
        return count == want

    def _named_list(self, n: int, line: str, text: str) -> bool:
        """A list of priorities that names its own strategy, wherever it stands."""
        item = _BULLET.match(line)
        if self.collect is None and not item and self._lists_priorities(n, text, named=True):
            owner = self._owner_of_list(n, text)
            if owner:
                self.collect, self.collect_for, self.priority = "priorities", owner, None
                return True
        elif self.current is None and self.collect == "priorities" and self.collect_for is not None:
            if item:
                value = _item(item[1])
                if value and len(item[1]) <= 250:
                    self._priority(self.collect_for, n, line, value, None)
            else:
                self.collect = None
            return True
        return False

    def _owner_of_list(self, n: int, text: str) -> _Found | None:
        for m in NAME.finditer(clean(self.src.line(n))):
            t = title_of(m[0])
            if t and t[2]:
                return self.strategy(n, t[0], t[1], t[2], None, m[0], None)
        return None

    def _priority(self, f: _Found, n: int, line: str, title: str, number: str | None) -> Priority:
        if title.isupper():
            title = title.capitalize()
        k = _norm(title)
        if k in f.priorities:
            return f.priorities[k]
        sp = Span(n, n, line.strip()[:300])
        p = Priority(title=Cell(title, sp), span=sp, strategy=f.strategy.key, number=Cell(number, sp) if number else None)
        f.priorities[k] = p
        return p

    def _objective(self, f: _Found, sp: Span, value: str) -> None:
        owner = self.priority if self.priority is not None and self.collect_for is f else None
        bucket = owner.objectives if owner else f.strategy.objectives
        if all(_norm(o.text.value) != _norm(value) for o in bucket):
            bucket.append(Objective(Cell(value, sp), sp))

    def _section_plan(self, n: int, line: str, priority: str) -> None:
        """'Action Plan: <priority>': a section of the progress report above it."""
        f = self.current
        if f is None or f.strategy.kind.value != "Plan" or f.level != -1:
            title, first = self._report_title(n)
            if title is None:
                return
            f = self.strategy(first, title, "Plan", None, None, self.src.line(first), -1)
            period = _PERIOD_RE.search(title)
            if period and f.strategy.period is None:
                f.strategy.period = Cell(norm_period(period[0]), f.strategy.title.span)
        self.current = f
        self.priority = self._priority(f, n, line, label_text(priority), None)
        self.collect = None
        self.aims_col = False

    def _report_title(self, n: int) -> tuple[str | None, int]:
        """The bold or heading title nearest above line `n`."""
        lines = self.src.lines
        for k in range(n - 1, max(n - 80, 0), -1):
            raw = lines[k - 1].strip()
            if raw.startswith(("**", "#")):
                parts = [clean(raw).strip("# *")]
                j = k
                while not lines[j - 1].rstrip().endswith("**") and j < n - 1 and lines[j].strip():
                    j += 1
                    parts.append(clean(lines[j - 1]).strip("# *"))
                return ": ".join(p for p in parts if p), k
        return None, n

    def _aims_row(self, n: int, line: str) -> None:
        """Rows of an action plan whose first column is the numbered aim."""
        cells = line.split("\t")
        first = clean(cells[0])
        if _AIMS.fullmatch(first):
            self.aims_col = True
            return
        m = _NUMBERED_AIM.match(first)
        if self.aims_col and self.priority is not None and m:
            value = label_text(m[2])
            if all(_norm(o.text.value) != _norm(value) for o in self.priority.objectives):
                sp = Span(n, n, cells[0].strip()[:300])
                self.priority.objectives.append(Objective(Cell(value, sp), sp))

    @staticmethod
    def _about(text: str, f: _Found) -> bool:
        """Whether a sentence speaks of the strategy itself (names its kind, or its refresh)."""
        return bool(_kind_or_refresh(f.strategy.kind.value).search(text))

    def _owner(self, n: int, line: str, text: str, f: _Found) -> None:
        if f.strategy.owner or not self._about(text, f):
            return
        w = words()
        hits = [x for x in (w.owner.search(text), w.owner_subject.search(text)) if x]
        if not hits:
            return
        m = min(hits, key=lambda x: x.start())
        name = _WHOSE_OR_THE.sub("", m[1]).strip()
        if name.lower() in ("council", "city council") and self.council:
            name = self.council
        elif len(name.split()) < 2:
            return
        quote = m[0] if m[0] in line else line.strip()[:300]
        f.strategy.owner.append(Mention(name, "body" if not name.endswith("Council") else "organisation",
                                        Span(n, n, quote)))

    def _status(self, n: int, line: str, text: str, f: _Found) -> None:
        if f.strategy.status is not None or not self._about(text, f):
            return
        low = text.lower()
        for status, cues in words().status.items():
            for cue in cues:
                if _status_cue(cue).search(low):
                    f.strategy.status = Cell(status, Span(n, n, line.strip()[:300]))
                    return

    def _period(self, n: int, line: str, text: str, f: _Found) -> None:
        if f.strategy.period is not None:
            return
        m = words().period_cue.search(text)
        if m:
            f.strategy.period = Cell(norm_period(m[1]), Span(n, n, line.strip()[:300]))


def _item(text: str) -> str:
    t = label_text(text)
    t = _ITEM_END.sub("", t).strip()
    return t[0].upper() + t[1:] if t else t


def extract_strategies(src: Source, exclude: list[tuple[int, int]] | None = None,
                       known: frozenset[str] = frozenset(), glossary: dict[str, str] | None = None) -> list[Strategy]:
    """Every strategy, framework and plan the paper presents or lists priorities of.
    `exclude` holds line ranges another extractor reads (an action plan); `known` the
    names the paper's other records give organisations and bodies; `glossary` its
    abbreviations."""
    found = StrategyParser(src, exclude or [], known).run()
    glossary = glossary or {}
    for s in found:
        if s.owner:
            continue
        # A strategy named after its body ('Place Forum Outcomes Framework'), perhaps by its
        # acronym ('Coventry HWB strategy': the Health and Wellbeing Board's).
        title = " ".join(glossary.get(w, w) if is_acronym(w) else w for w in s.title.value.split())
        m = _BODY_IN_TITLE.match(title)
        # 'Coventry and Warwickshire HWB concordat' is between the places' boards: no one owner.
        joint = title != s.title.value and _JOINT.match(title)
        if m and len(m[1].split()) >= 2 and not joint:
            s.owner.append(Mention(m[1], "body", s.title.span))
    return found


_BOARD_WORDS = re.compile(r"(?:[A-Z][\w'’&-]*\s+(?:(?:and|of|for|&)\s+)?){1,6}$")


def home_board(src: Source) -> str | None:
    """The board a paper names most ('the Board' in its minutes and reports is that one)."""
    counts: Counter[str] = Counter()
    for line in src.lines:
        if "Board" not in line:
            continue
        for board in _BOARD.finditer(line):
            # The words before 'Board', read from a window before it (a long line costs no more).
            window = line[max(0, board.start() - 120) : board.start()]
            m = _BOARD_WORDS.search(window)
            if m and not m[0].startswith(("The ", "This ", "That ")):
                counts[m[0] + "Board"] += 1
    return counts.most_common(1)[0][0] if counts else None
