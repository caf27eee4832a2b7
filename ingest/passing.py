"""Strategies a paper names in passing ('in line with the Coventry Health and Wellbeing
Strategy'): found on a line by cue (`names_in`), then each another name of a strategy
the paper holds or a strategy of its own (`InPassing`, mixed into the parser)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govgraph.ingest.names import is_acronym, strip_alias
from govgraph.ingest.records import Cell, Mention, Priority, Span, Strategy
from govgraph.ingest.source import Source
from govgraph.ingest.strategy_words import _norm, norm_period, period_start, words
from govgraph.ingest.text import clean


@dataclass
class _Found:
    """A strategy being gathered: where its title stands and what it holds."""

    strategy: Strategy
    level: int | None  # depth of its numbered heading ('3.4' is 2), None for other titles
    priorities: dict[str, Priority] = field(default_factory=dict)
    in_passing: bool = False  # only named in passing, never presented under a title
    lines: set[int] = field(default_factory=set)  # where the paper names it


@dataclass(frozen=True)
class Named:
    """A strategy named in passing: its name and kind, its period and the owner its name
    gives ('the WMCA's Spatial Investment and Delivery Plan'), the words as written, and
    the acronym the paper gives it in brackets after it ('... plan (STP)')."""

    name: str
    kind: str
    period: str | None
    owner: str | None
    quote: str
    acronym: str | None = None


def _name_words(lead: str, place: str | None, known: frozenset[str] = frozenset()) -> tuple[list[re.Match[str]], str | None, int]:
    """The words of a run that belong to the name, the owner a possessive names, and
    where the words as quoted start (at the owner, when there is one).
    A run starts at any capitalised word, so it may open with a sentence ('Through the
    ...'), run two names together ('Coventry BCF and the Coventry Health and Wellbeing
    Strategy', 'JSNA Update and Health and Wellbeing Strategy', 'the Chamber of Commerce
    and Workforce Wellbeing Charter' when the paper names the Chamber of Commerce as an
    organisation: `known`), or name its owner first."""
    w = words()
    toks = list(re.finditer(r"\S+", lead))
    low = [t[0].rstrip(",").lower() for t in toks]
    start = 0
    for i, word in enumerate(low):
        if word == "the" and (i == 0 or low[i - 1] not in ("of", "on")):
            start = i + 1
        elif word == "and" and i and (low[i - 1] in w.ends_before_and or toks[i - 1][0].startswith("(")
                                      or all(is_acronym(t[0].rstrip(",")) for t in toks[start:i])
                                      or " ".join(t[0] for t in toks[start:i]).rstrip(",") in known):
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


_SMALL = ("and", "of", "for", "on", "the", "to", "in")
# A part of a title: capitalised words and the small words between them.
_SEGMENT = r"[A-Z][\w'’&()-]*(?:\s+(?:(?:and|of|for|&|the|on|to|in)\s+)*[A-Z][\w'’&()-]*)*"
_TITLE_BEFORE = re.compile(rf"(?:{_SEGMENT}(?:\s*[–—:]\s*|\s+-\s+))+$")  # parts joined by a dash or a colon
_DATED_AFTER = re.compile(r"\s*,\s*(?:[A-Z][a-z]+\.?\s+)?((?:19|20)\d\d)\b")
_SEGMENT_RE = re.compile(_SEGMENT)
_SMALL_WORD = re.compile(r"and|of|for|&|on|the|to|in")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z&]{1,11})\)")
_SPACE = re.compile(r"\s+")
_CLAUSE = re.compile(r"[^.;]+(?:[.;](?=\s|$)|$)")  # a sentence, or a clause a semicolon ends


def _title_before(text: str, first: int) -> int | None:
    """Where the title starts whose last part is the name at `first`: 'Care Quality
    Commission Review – Local Health and Care System - Coventry Improvement plan', not
    the label before it ('Appendix One:')."""
    m = _TITLE_BEFORE.search(text[:first])
    if m is None:
        return None
    parts = [p for p in _SEGMENT_RE.finditer(text[m.start() : first])]
    keep = [p for i, p in enumerate(parts) if all(q[0].split()[0].lower() not in words().not_start for q in parts[i:])]
    return m.start() + keep[0].start() if keep else None


def _weight(word: str) -> int:
    """How many words a word stands for: an acronym its letters ('HWB' is three)."""
    return sum(c.isupper() for c in word) if is_acronym(word) else 1


def names_in(text: str, place: str | None = None, known: frozenset[str] = frozenset()) -> list[Named]:
    """Strategies, frameworks, plans, compacts, charters and concordats a line names in
    passing, found by cue: capitalised words ending in a head word (strategy.toml). Not
    'the Strategy' alone, nor one made only of generic words and the home place ('Action
    Plan', 'Strategic Framework'), unless it ends a title of several parts (the title is
    the name), nor a post ('Chief Strategy Officer'). `known` holds names the paper gives
    organisations and bodies (a name never swallows one before 'and')."""
    w = words()
    out: list[Named] = []
    if not w.head_word.search(text):
        return out  # the name pattern is tried at every position: rule out most lines at once
    for m in w.named.finditer(text):
        if not m["lead"] and (not m["tail"] or m["head"].islower()):
            continue  # 'the Strategy' alone, 'a strategy for Digital Health'; 'the Strategy for Carers' is a name
        toks, owner, quoted = _name_words(m["lead"] or "", place, known)
        if not toks and not m["tail"]:
            continue
        lead = [t[0].rstrip(",") for t in toks]
        head = m["head"]
        # Two small words in a row end no name but 'of the', 'on the' ('Coventry on the Move').
        if any(_SMALL_WORD.fullmatch(a) and _SMALL_WORD.fullmatch(b) and (a, b) not in (("of", "the"), ("on", "the"))
               for a, b in zip(lead, lead[1:])):
            continue
        if lead and lead[-1].lower() in _SMALL:
            continue
        start = m.start("lead") if m["lead"] else m.start("head")
        first = start + toks[0].start() if toks else m.start("head")
        end = m.end() if m["period"] else m.end("tail") if m["tail"] else m.end("head")
        period = norm_period(m["period"]) if m["period"] else None
        # The home place alone does not make a name ('Coventry and Warwickshire strategy');
        # a lower-case head needs two capitalised words of its own before it (an acronym
        # is the words it stands for: 'Coventry HWB strategy').
        capitalised = [x for x in lead + ([] if head.islower() else (m["tail"] or "").split())
                       if not _SMALL_WORD.fullmatch(x) and x != place]
        distinct = [x for x in _norm(" ".join(lead) + (m["tail"] or "")).split()
                    if x not in w.generic and x not in _SMALL and x != (place or "").lower()]
        if not distinct or not capitalised or (head.islower() and sum(map(_weight, capitalised)) < 2):
            title = _title_before(text, first) if not m["tail"] else None
            if title is None:
                continue
            first = quoted_at = title
            dated = _DATED_AFTER.match(text, m.end("head"))
            if dated and not period:
                period, end = dated[1], dated.end()
        else:
            quoted_at = start + quoted if toks or owner else first
        name = text[first : m.end("head")] + (m["tail"] or "")
        acronym = _ACRONYM_AFTER.match(text, m.end())
        out.append(Named(
            name=_SPACE.sub(" ", name).strip(), kind=w.heads[head.capitalize()], period=period, owner=owner,
            quote=text[quoted_at:end].strip(), acronym=acronym[1] if acronym and is_acronym(acronym[1]) else None,
        ))
    return out


class InPassing:
    """The parser's reading of names in passing (StrategyParser mixes it in)."""

    src: Source
    found: dict[str, _Found]
    place: str | None
    council: str | None
    board: str | None
    known: frozenset[str]
    acronyms: dict[str, str]
    own_plan: frozenset[str]

    def in_passing(self) -> None:
        """Strategies the paper names in passing, on any line (an action plan's cells
        too): another name of one it presents, or strategies of their own."""
        for n, line in enumerate(self.src.lines, 1):
            if len(line) <= words().longest_line:
                for nm in names_in(line, self.place, self.known):
                    self._named(n, nm)
        self._fold_acronyms()
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
        if nm.acronym:
            self.acronyms.setdefault(nm.acronym, k)
        if not f.strategy.owner:
            self._owner_in_passing(n, nm, f, sp)

    def _owner_in_passing(self, n: int, nm: Named, f: _Found, sp: Span) -> None:
        """Whose a strategy named in passing is: a possessive before its name ("the City
        Council's Housing Strategy", "the Board's Health and Wellbeing Strategy": the board
        the paper names most), or a duty its sentence places on a body ('a statutory
        requirement placed upon the Health and Wellbeing Board')."""
        owner = nm.owner
        if owner is None:
            line = clean(self.src.line(n))
            at = line.find(nm.name)
            sentence = next((m[0] for m in _CLAUSE.finditer(line)
                             if at < 0 or m.start() <= at < m.end()), line)
            duty = words().duty.search(sentence)
            if duty is None:
                return
            owner, sp = strip_alias(duty[1])[0], Span(n, n, duty[0])
        if owner.lower() in ("council", "city council") and self.council:
            owner = self.council
        elif owner.lower() == "board" and self.board:
            owner = self.board
        if len(owner.split()) < 2 and not is_acronym(owner):
            return  # 'the Board' in a paper that names no board; 'Partnership'
        organisation = is_acronym(owner) or owner.endswith("Council")
        f.strategy.owner.append(Mention(owner, "organisation" if organisation else "body", sp))

    def _fold_acronyms(self) -> None:
        """'the STP Plan' is the plan the paper named '... plan (STP)': a name made of the
        acronym the paper gave a strategy in brackets and a head word of its kind."""
        for k, f in list(self.found.items()):
            s = f.strategy
            lead = s.title.value.split()[:-1]
            if self.place and lead and lead[0] == self.place:
                lead = lead[1:]
            target = self.acronyms.get(lead[0]) if len(lead) == 1 else None
            g = self.found.get(target or "")
            if g is None or g is f or g.strategy.kind.value != s.kind.value or not f.in_passing:
                continue
            for name in (s.title, *s.alt):
                self._also(g, name.value, name.span, f"the acronym the paper gives it: '{lead[0]}'")
            del self.found[k]

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


def _shortens(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """`short` is `full` with words dropped from its front or its end (or is `full`)."""
    n = len(short)
    return 0 < n <= len(full) and (full[-n:] == short or full[:n] == short)
