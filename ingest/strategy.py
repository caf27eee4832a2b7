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
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from govgraph.ingest.indicators import label_text
from govgraph.ingest.names import is_acronym
from govgraph.ingest.records import Alias, Cell, Mention, Objective, Priority, Span, Strategy
from govgraph.ingest.source import Source
from govgraph.ingest.text import clean, slug

HEADS = {"strategy": "Strategy", "framework": "Framework", "plan": "Plan"}
_PERIOD = r"(?:19|20)\d\d(?:\s*[-–/]\s*(?:(?:19|20)?\d\d))?"
_NAMEWORD = r"(?:[A-Z][\w'’&()-]*|and|of|for|&|the|on|to|in|a)"
NAME = re.compile(
    rf"\b((?:[A-Z][\w'’&()-]*\s+)(?:{_NAMEWORD},?\s+){{0,8}}?(?:Strategy|Framework|Plan))\b(?:\s*,?\s*({_PERIOD}))?"
)
NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
           "eight": "8", "nine": "9", "ten": "10"}
_DASH = re.compile(r"^\s*[-•*·–]\s+\S")
_BULLET = re.compile(r"^\s*(?:[-•*·–]|\d{1,2}[.)]|[a-z][.)])\s+(.*\S)\s*$")


@dataclass(frozen=True)
class Words:
    generic: frozenset[str]
    suffixes: tuple[str, ...]
    priority_heading: re.Pattern[str]
    objective_heading: re.Pattern[str]
    success_heading: re.Pattern[str]
    list_cue: re.Pattern[str]
    objective_cue: re.Pattern[str]
    owner: re.Pattern[str]
    owner_subject: re.Pattern[str]
    period_cue: re.Pattern[str]
    status: dict[str, tuple[str, ...]]
    section_plan: re.Pattern[str]
    heads: dict[str, str]  # head word as written -> Strategy, Framework or Plan
    not_start: frozenset[str]
    ends_before_and: frozenset[str]
    ignore: frozenset[str]  # words that never tell two strategies apart
    longest_line: int  # names in passing are read on lines no longer
    named: re.Pattern[str]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def words() -> Words:
    d = tomllib.loads(resources.files("govgraph.ingest").joinpath("strategy.toml").read_text("utf-8"))
    body = rf"((?:{_NAMEWORD}[\s-]+){{0,8}}(?:{_alt(d['owner']['heads'])}))\b"
    return Words(
        generic=frozenset(d["title"]["generic"]),
        suffixes=tuple(d["title"]["suffixes"]),
        priority_heading=re.compile(
            rf"^[#*\s]*(?:\d+(?:\.\d+)*\.?\s+)?(?:{_alt(d['priority']['heading'])})\s+(\d{{1,2}}|{'|'.join(NUMBERS)})\b\s*[:.–—-]*\s*(.*?)[*\s]*$",
            re.IGNORECASE),
        objective_heading=re.compile(rf"^[#*\s]*(?:{_alt(d['objective']['heading'])})\s*:?[*\s]*$", re.IGNORECASE),
        success_heading=re.compile(rf"^[#*\s]*(?:{_alt(d['outcome']['heading'])})\s*[?:]?[*\s]*$", re.IGNORECASE),
        list_cue=re.compile(rf"\b(?:{_alt(d['priority']['list_cue'])})\b", re.IGNORECASE),
        objective_cue=re.compile(rf"\b(?:{_alt(d['objective']['list_cue'])})\b.*:\s*$", re.IGNORECASE),
        owner=re.compile(rf"\b(?:{_alt(d['owner']['verbs'])})\s+(?:through|by)\s+(?:the\s+)?(?:multi-agency\s+)?{body}"),
        owner_subject=re.compile(rf"\b(?:[Tt]he\s+)?{body}\s+(?:{_alt(d['owner']['subject_verbs'])})\b"),
        period_cue=re.compile(rf"\b(?:{_alt(d['period']['cues'])})\s+((?:19|20)\d\d\s+to\s+(?:19|20)\d\d|{_PERIOD})\b", re.IGNORECASE),
        status={k: tuple(v) for k, v in d["status"].items()},
        section_plan=re.compile(rf"^[#*\s]*(?:{_alt(d['title']['section_plans'])})\s*:\s*(.+)$", re.IGNORECASE),
        heads=dict(d["name"]["heads"]),
        not_start=frozenset(d["name"]["not_start"]),
        ends_before_and=frozenset(d["name"]["ends_before_and"]),
        ignore=frozenset(d["resolve"]["ignore"]),
        longest_line=int(d["name"]["longest_line"]),
        named=_named_pattern(list(d["name"]["heads"]), d["name"]["post_or_body"]),
    )


def _named_pattern(heads: list[str], post_or_body: list[str]) -> re.Pattern[str]:
    """A run of capitalised words (and the small words names hold) ending in a head word
    ('Health and Wellbeing Strategy', 'Prevention Concordat for Better Mental Health'),
    perhaps with its period after it; not when a post's or a body's word follows ('Chief
    Strategy Officer', 'Plan Steering Group'). A head word is never inside a name, so
    'Housing Strategy and Homelessness Strategy' is two. Words are joined by spaces only:
    a name never runs across a table's cells."""
    head = "|".join(sorted(heads, key=len, reverse=True))
    any_head = rf"(?:{head}|{head.lower()})"
    word = rf"(?!{any_head}\b)(?:[A-Z][\w'’&-]*|[a-z]+[A-Z][\w&-]*|\([A-Z][A-Za-z&]{{1,11}}\))(?![\w'’&-])"
    join = r"(?:and|of|for|&|on|the|to|in)"
    post = "|".join(re.escape(w) for w in sorted(post_or_body, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w'’&-])(?:(?P<lead>{word}(?:,? +(?:{word}|{join})){{0,14}}?) +)?(?P<head>{any_head})\b"
        rf"(?:(?P<tail> +(?:for|on|of)(?: +(?!(?i:{post})\b){word}){{1,5}})|(?! +(?i:{post})\b))"
        rf"(?: *,? *\(?(?P<period>{_PERIOD})(?![0-9])\)?)?"
    )


def _norm(text: str) -> str:
    t = re.sub(r"\bwell[\s-]+being\b", "wellbeing", clean(text).lower())
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", t)).strip()


def norm_period(p: str) -> str:
    """'2016-19' -> '2016-2019', '2019 - 2024' -> '2019-2024', '2015 to 2020' -> '2015-2020'."""
    m = re.fullmatch(r"((?:19|20)\d\d)\s*(?:[-–/]|to)\s*((?:19|20)?\d\d)", p.strip())
    if not m:
        return p.strip()
    b = m[2] if len(m[2]) == 4 else m[1][:2] + m[2]
    return f"{m[1]}-{b}"


STRATEGY_KINDS = ("strategy", "framework", "plan")


def strategy_kind(name: str) -> str | None:
    """'strategy', 'framework' or 'plan' when a name's last word is a strategy's head
    word ('Workplace Wellbeing Charter' is a strategy), else None."""
    name, _ = split_period(name)
    last = re.findall(r"[A-Za-z]+", name)[-1:]
    kind = words().heads.get(last[0].capitalize()) if last else None
    return kind.lower() if kind else None


def split_period(name: str) -> tuple[str, str | None]:
    """'Better Care Fund Plan 2019/20' -> ('Better Care Fund Plan', '2019-2020')."""
    m = re.fullmatch(rf"(.*?\S)\s*,?\s*\(?({_PERIOD})\)?", name.strip())
    return (m[1], norm_period(m[2])) if m else (name.strip(), None)


def period_start(period: str | None) -> int | None:
    """The year an edition starts: 2016 for '2016-2019'."""
    m = re.search(r"(?:19|20)\d\d", period or "")
    return int(m[0]) if m else None


def home_council(src: Source) -> str | None:
    # Not 'The City Council': a council is named after its place.
    counts = Counter(m.group(0) for line in src.lines
                     for m in re.finditer(r"\b(?!(?:The|This|That|Each|Every|Our|Your|A)\b)[A-Z][a-z]+\s+"
                                          r"(?:City|County|Borough|District)\s+Council\b", line))
    return counts.most_common(1)[0][0] if counts else None


def _home_place(src: Source) -> str | None:
    """The place whose bodies the paper names most, when it names no council."""
    from govgraph.ingest.extract import home_place  # extract imports this module

    place = home_place(src)
    return None if place in ("The", "This", "That", "Our") else place  # 'The City Council' names no place


@dataclass
class _Found:
    """A strategy being gathered: where its title stands and what it holds."""

    strategy: Strategy
    level: int | None  # depth of its numbered heading ('3.4' is 2), None for other titles
    priorities: dict[str, Priority] = field(default_factory=dict)
    in_passing: bool = False  # only named in passing, never presented under a title
    lines: set[int] = field(default_factory=set)  # where the paper names it


def title_of(text: str) -> tuple[str, str, str | None, str | None] | None:
    """(name, kind, period, status) when a title line names a strategy, framework or plan:
    'Coventry Physical Activity Framework 2019-2024', '36. CAMHS Local Transformation
    Plan: Year 3 Refresh', '3.4 Clinical Strategy – Update on identified priorities'."""
    w = words()
    t = clean(text).strip("# *")
    t = re.sub(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.)\s+", "", t)
    t = re.sub(r"^.*\b(?:Update|Report|Review|Progress)\s+and\s+", "", t)
    t = re.sub(r"\b((?:19|20)\d\d)\s+[-–]\s+((?:19|20)?\d\d)\b", r"\1-\2", t)
    if t.endswith("?") or re.match(r"(?:how|what|why|will|does|is|are|which|where|when)\b", t, re.I):
        return None
    parts = re.split(r"\s+[–—-]\s+|:\s+", t, maxsplit=1)
    head = parts[0]
    rest = parts[1] if len(parts) > 1 else ""
    m = re.fullmatch(rf"(.*?\b(strategy|framework|plan))\b(?:\s+({_PERIOD}))?((?:\s+\w+){{0,2}})", head, re.IGNORECASE)
    if not m:
        return None
    name, kind, period, tail = m[1].strip(), m[2].lower(), m[3], m[4].strip().lower()
    if tail and not all(x in w.suffixes for x in tail.split()):
        return None
    if rest and not (re.search(r"\b(?:refresh|update|priorities|progress|year \d|consultation)\b", rest, re.I)
                     or re.fullmatch(_PERIOD, rest.strip()) or re.match(r"(?:rolling|annual)\b", rest, re.I)):
        return None
    lead = [x for x in _norm(name).split()[:-1]]
    if not lead or all(x in w.generic for x in lead) or not name[0].isupper():
        return None
    status = "refresh" if re.search(r"\brefresh(?:ed)?\b", f"{tail} {rest}", re.I) else None
    return name, HEADS[kind], norm_period(period) if period else None, status


@dataclass(frozen=True)
class Named:
    """A strategy named in passing: its name and kind, its period and the owner its name
    gives ('the WMCA's Spatial Investment and Delivery Plan'), and the words as written."""

    name: str
    kind: str
    period: str | None
    owner: str | None
    quote: str


def _name_words(lead: str, place: str | None) -> tuple[list[re.Match[str]], str | None, int]:
    """The words of a run that belong to the name, the owner a possessive names, and
    where the words as quoted start (at the owner, when there is one).
    A run starts at any capitalised word, so it may open with a sentence ('Through the
    ...'), run two names together ('Coventry BCF and the Coventry Health and Wellbeing
    Strategy', 'JSNA Update and Health and Wellbeing Strategy'), or name its owner first."""
    w = words()
    toks = list(re.finditer(r"\S+", lead))
    low = [t[0].rstrip(",").lower() for t in toks]
    start = 0
    for i, word in enumerate(low):
        if word == "the" and (i == 0 or low[i - 1] not in ("of", "on")):
            start = i + 1
        elif word == "and" and i and (low[i - 1] in w.ends_before_and or toks[i - 1][0].startswith("(")
                                      or all(is_acronym(t[0].rstrip(",")) for t in toks[start:i])):
            start = i + 1
    toks = toks[start:]
    owner = None
    while toks and toks[0][0].rstrip(",").lower() in w.not_start:
        toks = toks[1:]
    quoted = toks[0].start() if toks else 0
    poss = next((i for i, t in enumerate(toks[:4]) if re.search(r"['’]s$", t[0])), None)
    if poss is not None:
        whose = re.sub(r"['’]s$", "", " ".join(t[0] for t in toks[: poss + 1]))
        owner = None if place and whose == place else whose
        toks = toks[poss + 1 :]
        while toks and toks[0][0].lower() in w.not_start:
            toks = toks[1:]
        if owner is None and toks:
            quoted = toks[0].start()
    return toks, owner, quoted


def names_in(text: str, place: str | None = None) -> list[Named]:
    """Strategies, frameworks, plans, compacts, charters and concordats a line names in
    passing, found by cue: capitalised words ending in a head word (strategy.toml). Not
    'the Strategy' alone, nor one made only of generic words ('Action Plan', 'Strategic
    Framework'), nor a post ('Chief Strategy Officer')."""
    w = words()
    out: list[Named] = []
    for m in w.named.finditer(text):
        if not m["lead"] and (not m["tail"] or m["head"].islower()):
            continue  # 'the Strategy' alone, 'a strategy for Digital Health'; 'the Strategy for Carers' is a name
        toks, owner, quoted = _name_words(m["lead"] or "", place)
        if not toks and not m["tail"]:
            continue
        lead = [t[0].rstrip(",") for t in toks]
        head = m["head"]
        small = r"and|of|for|&|on|the|to|in"
        # The home place alone does not make a name ('Coventry and Warwickshire strategy');
        # a lower-case head needs two capitalised words of its own before it.
        capitalised = [x for x in lead + ([] if head.islower() else (m["tail"] or "").split())
                       if not re.fullmatch(small, x) and x != place]
        # Two small words in a row end no name but 'of the', 'on the' ('Coventry on the Move').
        if any(re.fullmatch(small, a) and re.fullmatch(small, b) and (a, b) not in (("of", "the"), ("on", "the"))
               for a, b in zip(lead, lead[1:])):
            continue
        distinct = [x for x in _norm(" ".join(lead) + (m["tail"] or "")).split()
                    if x not in w.generic and x not in ("and", "of", "for", "on", "the", "to", "in")]
        if not distinct or not capitalised or (head.islower() and len(capitalised) < 2):
            continue
        if lead and lead[-1].lower() in ("and", "of", "for", "on", "the", "to", "in"):
            continue
        start = m.start("lead") if m["lead"] else m.start("head")
        first = start + toks[0].start() if toks else m.start("head")
        end = m.end() if m["period"] else m.end("tail") if m["tail"] else m.end("head")
        name = text[first : m.end("head")] + (m["tail"] or "")
        first = start + quoted if toks or owner else first
        out.append(Named(
            name=re.sub(r"\s+", " ", name).strip(), kind=w.heads[head.capitalize()],
            period=norm_period(m["period"]) if m["period"] else None, owner=owner,
            quote=text[first:end].strip(),
        ))
    return out


class StrategyParser:
    def __init__(self, src: Source, exclude: list[tuple[int, int]]) -> None:
        self.src = src
        self.exclude = exclude
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

    def in_passing(self) -> None:
        """Strategies the paper names in passing, on any line (an action plan's cells
        too): another name of one it presents, or strategies of their own."""
        for n, line in enumerate(self.src.lines, 1):
            if len(line) <= words().longest_line:
                for nm in names_in(line, self.place):
                    self._named(n, nm)
        self._fold_shorter_names()

    def _named(self, n: int, nm: Named) -> None:
        if nm.kind == "Plan" and self.own_plan and self._distinct(nm.name) <= self.own_plan:
            return  # the paper's own action plan by another name ('CQC Local System Review Action Plan')
        sp = Span(n, n, nm.quote)
        k = self.key(nm.name, nm.period)
        f = self.found.get(k) or self._by_alias(k)
        if f is None:
            s = Strategy(title=Cell(nm.name, sp), span=sp, kind=Cell(nm.kind, sp), key=Cell(k, sp),
                         period=Cell(nm.period, sp) if nm.period else None)
            f = self.found[k] = _Found(s, None, in_passing=True, lines={n})
        else:
            self._also(f, nm.name, sp, "same words")
        if nm.owner and not f.strategy.owner:
            owner = self.council if nm.owner.lower() in ("council", "city council") and self.council else nm.owner
            organisation = is_acronym(owner) or owner.endswith("Council")
            f.strategy.owner.append(Mention(owner, "organisation" if organisation else "body", sp))

    def _by_alias(self, k: str) -> _Found | None:
        for f in self.found.values():
            period = f.strategy.period.value if f.strategy.period else None
            if any(k in (self.key(a.value, period), self.key(a.value, None)) for a in f.strategy.alt):
                return f
        return None

    def _distinct(self, name: str) -> frozenset[str]:
        """The words that tell a strategy's name from others: not generic, stop words or the place."""
        return frozenset(self._words(name)) - words().generic

    def _words(self, name: str) -> tuple[str, ...]:
        stop = {"the", "and", "of", "for", "on", "in", "to", "a", "an", self.place.lower() if self.place else ""}
        return tuple(t for t in _norm(name).split() if t not in stop and t not in words().ignore)

    def _fold_shorter_names(self) -> None:
        """A name given only in passing that is the name of another strategy the paper
        holds with words dropped from its front or end, of the same kind and a period
        that fits, is that strategy: 'the Outcomes Framework' beside the 'Place Forum
        Outcomes Framework', an undated 'Coventry Health and Wellbeing Strategy' beside
        its one dated edition, a name cut by a line break ('Prevention Concordat for
        Better'). Words dropped from the middle are another strategy ('Better Care Plan'
        is not the 'Better Health Better Care Better Value plan'). Where two fit, the one
        named nearest is meant; a tie leaves the name as it is."""
        seqs = {k: self._words(f.strategy.title.value) for k, f in self.found.items()}
        for k, f in list(self.found.items()):
            if not f.in_passing or k not in self.found:
                continue
            s, short = f.strategy, seqs[k]
            # A name given with its place is whole ('Northshire Carers Strategy' is not the
            # 'Northshire Young Carers Strategy'): only another edition of the same words.
            whole = bool(self.place) and s.title.value.startswith(self.place)
            fits = [j for j, g in self.found.items() if j != k and g.strategy.kind.value == s.kind.value
                    and self._periods_fit(s, g.strategy) and _shortens(short, seqs[j]) and not (whole and short != seqs[j])
                    and (short != seqs[j] or s.period is None or g.strategy.period is not None)]
            # The same words (another edition's name) before a longer name ('the Carers
            # Strategy' is the Carers Strategy 2021-24, not the Young Carers Strategy).
            same = [j for j in fits if seqs[j] == short]
            widest = same or [j for j in fits if not any(len(seqs[j]) < len(seqs[i]) and _shortens(seqs[j], seqs[i])
                                                         for i in fits)]
            target = self._nearest(f, widest)
            if target is None:
                continue
            g = self.found[target]
            why = "a shorter name the same paper gives it" if short != seqs[target] else \
                "same words; the edition the same paper names"
            for name in (s.title, *s.alt):
                self._also(g, name.value, name.span, why)
            if s.period is not None and g.strategy.period is None:
                g.strategy.period = s.period
            if s.owner and not g.strategy.owner:
                g.strategy.owner = s.owner
            del self.found[k]

    def _nearest(self, f: _Found, keys: list[str]) -> str | None:
        """Of strategies that fit a short name, the one the paper names nearest to it."""
        if len(keys) <= 1:
            return keys[0] if keys else None
        gap = {j: min(abs(a - b) for a in f.lines for b in self.found[j].lines) for j in keys}
        best = min(gap.values())
        near = [j for j in keys if gap[j] == best]
        return near[0] if len(near) == 1 else None

    @staticmethod
    def _periods_fit(a: Strategy, b: Strategy) -> bool:
        if a.period is None or b.period is None:
            return True
        return period_start(a.period.value) == period_start(b.period.value)

    def _title_here(self, n: int, text: str) -> tuple[str, str, str | None, str | None] | None:
        lines = self.src.lines
        if "\t" in lines[n - 1] or len(text) > 110 or text.endswith((".", ",", ";")) or _DASH.match(lines[n - 1]):
            return None
        if n > 1 and lines[n - 2].strip() and not lines[n - 2].lstrip().startswith(("#", "**")) and not re.match(r"^\s*#", lines[n - 1]):
            return None  # a title stands after a blank line (or is a markdown heading)
        t = title_of(text)
        if t and t[2] is None:  # the period on the line below: 'Coventry on the Move framework' / '2019 - 2024'
            nxt = next((lines[k].strip() for k in range(n, min(n + 3, len(lines))) if lines[k].strip()), "")
            if re.fullmatch(_PERIOD, nxt):
                t = (t[0], t[1], norm_period(nxt), t[3])
        return t

    def feed(self, n: int, line: str) -> None:
        text = clean(line).strip()
        if not text:
            return
        w = words()
        m = re.match(r"^\s*(?:#+\s*)?Title\s*:\s*(.+)$", line)
        if m or re.match(r"^\s*To\s*:\s*\S", line):
            self.current, self.priority, self.collect = None, None, None
            self.cover_title = None
            if m and (t := title_of(m[1])):
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
        m = re.match(r"^\s*(?:#+\s*)?\**(\d{1,2}(?:\.\d{1,2})*)\.?\**\s+\**[A-Z]", line)
        return m[1].count(".") + 1 if m else None

    # -- inside a strategy ---------------------------------------------------------

    def inside(self, n: int, line: str, text: str, level: int | None) -> None:
        w = words()
        f = self.current
        assert f is not None
        sp = Span(n, n, line.strip()[:300])
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
            if not item and len(text) > 20 and re.search(r"[a-z]", text) and len(bucket) < 3:
                bucket.append(Cell(text, sp))
                return
            self.collect = None
        if level is not None and f.level is not None and level == f.level + 1 and self._says_priorities(f):
            title = label_text(re.sub(r"^\s*[\d.]+\s*", "", text))
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
        if not words().list_cue.search(text):
            return False
        if text.endswith(":") and re.search(r"priorit", text if named else " ".join(text.split()[-6:]), re.I):
            return True
        m = re.search(rf"\b(\d{{1,2}}|{'|'.join(NUMBERS)})\s+(?:key\s+|main\s+|strategic\s+)?(?:priorities|themes|priority areas)\b", text, re.I)
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
            period = re.search(_PERIOD, title)
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
        if re.fullmatch(r"aims?|objectives?", first, re.I):
            self.aims_col = True
            return
        m = re.match(r"^(\d{1,2})\.\s+(.{8,})$", first)
        if self.aims_col and self.priority is not None and m:
            value = label_text(m[2])
            if all(_norm(o.text.value) != _norm(value) for o in self.priority.objectives):
                sp = Span(n, n, cells[0].strip()[:300])
                self.priority.objectives.append(Objective(Cell(value, sp), sp))

    @staticmethod
    def _about(text: str, f: _Found) -> bool:
        """Whether a sentence speaks of the strategy itself (names its kind, or its refresh)."""
        return bool(re.search(rf"\b(?:{f.strategy.kind.value}|refresh)\b", text, re.I))

    def _owner(self, n: int, line: str, text: str, f: _Found) -> None:
        if f.strategy.owner or not self._about(text, f):
            return
        w = words()
        hits = [x for x in (w.owner.search(text), w.owner_subject.search(text)) if x]
        if not hits:
            return
        m = min(hits, key=lambda x: x.start())
        name = re.sub(r"^(?:[A-Z][a-z]+['’]s\s+|[Tt]he\s+)", "", m[1]).strip()
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
                if re.search(cue, low):
                    f.strategy.status = Cell(status, Span(n, n, line.strip()[:300]))
                    return

    def _period(self, n: int, line: str, text: str, f: _Found) -> None:
        if f.strategy.period is not None:
            return
        m = words().period_cue.search(text)
        if m:
            f.strategy.period = Cell(norm_period(m[1]), Span(n, n, line.strip()[:300]))


def _shortens(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """`short` is `full` with words dropped from its front or its end (or is `full`)."""
    n = len(short)
    return 0 < n <= len(full) and (full[-n:] == short or full[:n] == short)


def _item(text: str) -> str:
    t = label_text(text)
    t = re.sub(r"(?:[;,]\s*(?:and)?|\s+and)\s*$", "", t).strip()
    return t[0].upper() + t[1:] if t else t


def extract_strategies(src: Source, exclude: list[tuple[int, int]] | None = None) -> list[Strategy]:
    """Every strategy, framework and plan the paper presents or lists priorities of.
    `exclude` holds line ranges another extractor reads (an action plan)."""
    found = StrategyParser(src, exclude or []).run()
    for s in found:
        if s.owner:
            continue
        # A strategy named after its body ('Place Forum Outcomes Framework').
        m = re.match(r"^(.*?\b(?:Board|Forum|Partnership|Committee|Group))\b", s.title.value)
        if m and len(m[1].split()) >= 2:
            s.owner.append(Mention(m[1], "body", s.title.span))
    return found
