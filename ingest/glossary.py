"""Abbreviation tables and people lists that papers carry themselves."""

from __future__ import annotations

import re
from bisect import bisect_right

from govgraph.ingest.names import BODY_KINDS, PROGRAMME_KINDS, head_kind, is_acronym, split_people, strip_alias, vocab
from govgraph.ingest.records import Abbreviation, Mention, Span
from govgraph.ingest.source import Source
from govgraph.ingest.strategy_words import strategy_kind
from govgraph.ingest.text import clean

# A name: capitalised words, the small words names hold, commas between ('Better Care,
# Better Health, Better Value programme').
_CAP = r"[A-Z][\w'’&-]*"
_NAME = rf"{_CAP}(?:(?:,\s+|\s+(?:(?:and|of|for|&|the|on|in|to)\s+)*){_CAP}|\s+(?:programme|partnership|board|plan|strategy))*"
# 'X (ACR), renamed by the Board as Y', 'X has been renamed Y', 'X, now known as Y': X is Y now.
_RENAMED = re.compile(
    rf"(?P<old>{_NAME})(?:\s*\([A-Z][A-Za-z&]{{1,11}}\))?,?\s+(?:(?:was|were|has|have|had|is|are)\s+(?:been\s+)?)?"
    rf"(?:recently\s+|since\s+|subsequently\s+|formally\s+)*(?P<how>(?:re-?named|re-?branded|(?:locally\s+)?branded"
    rf"(?:\s+locally)?|now\s+(?:known|called)|known\s+locally)(?:\s+by\s+(?:the\s+)?{_NAME})?(?:\s+(?:as|to))?)"
    rf"\s+(?:the\s+)?(?P<new>{_NAME})"
)
_CUE = re.compile(r"\b(?:re-?named|re-?branded|branded|now\s+(?:known|called)|known\s+locally|formerly)\b")
_CUE_WORDS = ("named", "branded", "now", "known", "formerly")  # one stands in each cue
_NEAR = 240  # characters either side of the cue where the two names stand
# 'Y (formerly X)', 'Y, formerly known as the X,': X was Y's name.
_FORMERLY = re.compile(rf"(?P<new>{_NAME})\s*(?:\(|,\s*)(?P<how>formerly(?:\s+known\s+as)?)\s+(?:the\s+)?(?P<old>{_NAME})")
_TRAILING_BRACKETS = re.compile(r"\s*\(.*?\)\s*$")
# '- CCC Coventry City Council': an acronym, then the name it stands for.
_LIST_ITEM = re.compile(r"\s*[-•*]?\s*([A-Z][A-Za-z&]{1,11})\s+([A-Z][\w'’&-]*(?:\s+[\w'’&-]+){1,10})\s*")
# 'Long Name (LN)'. A name starts at a word's start: tried inside one long capitalised
# word, the pattern backtracked at every letter (quadratic).
_DEFINED = re.compile(
    r"(?<![\w&'’-])((?:[A-Z][\w&'’-]*\s+(?:(?:and|of|for|the|&)\s+)?){1,8}[A-Z][\w'’-]*)\s+\(([A-Z][A-Za-z&]{1,11})\)")
_THE = re.compile(r"^(?:The|the)\s+")
# Patterns below that look back before a capital match the capital first ('[A-Z](?<!X.)'
# is '(?<!X)[A-Z]'): the engine then skips to capitals instead of trying every position.
_CAPITALS = re.compile(r"[A-Z](?<![\w&].)[A-Z]{2,9}(?![\w&])")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_LETTERS = re.compile(r"[A-Za-z]+")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_BULLET = re.compile(r"^(\s*)[-•*]\s+(.*\S)")
_WELLBEING = re.compile(r"well[\s-]*being", re.I)


def _joins(char: str) -> bool:
    """A character that continues a word: a word character of re (alphanumeric or '_'), or '&'."""
    return char.isalnum() or char in "_&"


class _Joined:
    """A paper's lines as one text, so a pattern or word is searched for once, not once
    a line. No pattern searched for here matches a line break."""

    def __init__(self, lines: list[str] | tuple[str, ...]) -> None:
        self.text = "\n".join(lines)
        self._lines_with: dict[str, list[int]] = {}  # names share their longest words: each is looked for once
        self.starts = [0]
        for line in lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def line_of(self, offset: int) -> int:
        """The number (1-based) of the line holding the offset."""
        return bisect_right(self.starts, offset)

    def first_whole(self, word: str) -> int:
        r"""Where the word first stands with no word character or '&' either side (as
        re's (?<![\w&]) and (?![\w&]) read them), or -1."""
        text, at = self.text, self.text.find(word)
        while at >= 0:
            end = at + len(word)
            if not (at and _joins(text[at - 1])) and not (end < len(text) and _joins(text[end])):
                return at
            at = text.find(word, at + 1)
        return -1

    def lines_with(self, word: str) -> list[int]:
        """The numbers of the lines the word stands in, in order."""
        if word not in self._lines_with:
            self._lines_with[word] = self._find_lines(word)
        return self._lines_with[word]

    def _find_lines(self, word: str) -> list[int]:
        out: list[int] = []
        at = self.text.find(word)
        while at >= 0:
            n = self.line_of(at)
            if not out or out[-1] != n:
                out.append(n)
            at = self.text.find(word, self.starts[n] if n < len(self.starts) else len(self.text))
        return out


def abbreviations(src: Source) -> list[Abbreviation]:
    """Two-cell rows 'CRCCG<TAB>Coventry and Rugby CCG', list items '- CCC Coventry City
    Council' whose initials fit, 'Long Name (LN)' in prose, and names the paper says a
    thing had or has ('renamed as', 'now known as', 'formerly')."""
    found: dict[str, Abbreviation] = {}
    for number, line in enumerate(src.lines, 1):
        cells = [c.strip() for c in line.split("\t")]
        filled = [c for c in cells if c]
        if len(cells) <= 3 and len(filled) == 2 and is_acronym(filled[0]) and len(filled[1].split()) >= 2:
            long = _TRAILING_BRACKETS.sub("", clean(filled[1]))
            found.setdefault(filled[0], Abbreviation(filled[0], long, Span(number, number, line.strip())))
            continue
        item = _LIST_ITEM.fullmatch(line)
        if item and is_acronym(item[1]) and _initials_fit(item[1], item[2]):
            found.setdefault(item[1], Abbreviation(item[1], clean(item[2]), Span(number, number, line.strip())))
            continue
        for ab in renamings(line, number):
            found.setdefault(ab.short, ab)
        for m in _DEFINED.finditer(line) if "(" in line else ():
            long, short = strip_alias(m.group(0))
            if short and _initials_fit(short, long):
                found.setdefault(short, Abbreviation(short, long, Span(number, number, m.group(0)), "defined in the text"))
    common = _common_in_use(src, set(found))
    return list(found.values()) + common + _implied(src, set(found) | {a.short for a in common})


def renamings(line: str, number: int) -> list[Abbreviation]:
    """Two names of one thing a sentence gives: 'The Northshire Health Improvement Plan,
    renamed by the Board as the Healthy Northshire programme, ...', 'the Joint
    Commissioning Board, now known as the Integrated Care Board', 'the Health
    Partnership (formerly the Health Forum)'. The old name is the short form, the new one
    what it stands for. A plan renamed as a programme is still a plan: its new name is the
    programme's words under its own head word ('Healthy Northshire Plan'), the programme's
    plan. An acronym renamed is left to the paper's own definitions."""
    out: list[Abbreviation] = []
    # Names stand near the cue: read a window around each, so a long line costs no more.
    if not any(w in line for w in _CUE_WORDS):
        return out
    windows = {line[max(0, c.start() - _NEAR) : c.end() + _NEAR] for c in _CUE.finditer(line)}
    for rx, window in ((rx, w) for w in sorted(windows) for rx in (_RENAMED, _FORMERLY)):
        for m in rx.finditer(window):
            old, new = _unthe(m["old"]), _unthe(m["new"])
            if is_acronym(old) or old == new or len(old.split()) < 2 or len(new.split()) < 2:
                continue
            head = strategy_kind(old)
            if head and not strategy_kind(new):
                if head_kind(new) in PROGRAMME_KINDS or head_kind(new) in BODY_KINDS:
                    new = new.rsplit(None, 1)[0]
                new = f"{new} {old.split()[-1]}"
            sp, how = Span(number, number, m.group(0)), f"another name: '{' '.join(m['how'].split())}'"
            # Each name is the other's: the old one is read as the new, and the new one is known
            # as an altLabel of the node whichever paper names it first.
            out += [a for a in (Abbreviation(old, new, sp, how), Abbreviation(new, old, sp, how)) if a not in out]
    return out


def _unthe(name: str) -> str:
    return _THE.sub("", name.strip(" ,"))


def _common_in_use(src: Source, defined: set[str]) -> list[Abbreviation]:
    """Common abbreviations (names.toml) the paper uses without defining, each cited at
    the first line that uses it."""
    out = []
    paper = _Joined(src.lines)
    for short, long in vocab().abbreviations.items():
        if short in defined:
            continue
        # A line break is no word character: the first use in the whole text is the
        # first line's first use.
        start = paper.first_whole(short)
        if start >= 0:
            number = paper.line_of(start)
            line, at = src.lines[number - 1], paper.starts[number - 1]
            quote = line[max(0, start - at - 60) : start + len(short) - at + 60].strip()
            out.append(Abbreviation(short, long, Span(number, number, quote), "a common abbreviation the paper uses"))
    return out


_RUN = re.compile(r"[A-Z](?<![\w&'’-].)[a-z][\w'’-]*(?:(?:,?\s+|\s+(?:and|of|for|the|in|on|to)\s+)[A-Z][a-z][\w'’-]*){2,9}")


def _implied(src: Source, defined: set[str]) -> list[Abbreviation]:
    """Acronyms the paper uses without defining whose letters are the initials of a name it
    writes ('BHBCBV' and 'Better Health Better Care Better Value'; 'DTOC' and 'Delayed
    Transfers of Care'), each cited where the name stands."""
    used = {m[0] for m in _CAPITALS.finditer("\n".join(src.lines))} - defined  # no acronym spans a line break
    if not used:
        return []
    found: dict[str, Abbreviation] = {}
    for number, line in enumerate(src.lines, 1):
        for m in _RUN.finditer(line):
            name = m[0]
            words = _WORD.findall(name)
            # The capitals' initials ('LHSCS'), then every word's ('LHASCS'): a fixed order,
            # so the abbreviations come out in the same order in every run (a set's order
            # follows the string hash, which changes per process).
            capitals = "".join(w[0] for w in words if w[0].isupper())
            for short in dict.fromkeys((capitals, "".join(w[0].upper() for w in words))):
                if short in used and short not in found:
                    found[short] = Abbreviation(short, name, Span(number, number, name), "the initials of a name the paper gives")
    return list(found.values())


def _initials_fit(short: str, long: str) -> bool:
    """'CRCCG' fits 'Coventry and Rugby Clinical Commissioning Group'."""
    initials = "".join(w[0] for w in _LETTERS.findall(long) if w[0].isupper())
    s = short.replace("&", "").upper()
    it = iter(initials.upper())
    return len(s) >= 2 and s[0] == initials[:1].upper() and all(c in it for c in s)


def people_lists(src: Source) -> list[Mention]:
    """Nested bullet lists of people under their organisation:
    '- Coventry City Council' then ' - Gail Quinton, Deputy Chief Executive'."""
    people: list[Mention] = []
    org: tuple[str, int] | None = None
    for number, line in enumerate(src.lines, 1):
        m = _BULLET.match(line)
        if not m:
            if line.strip():
                org = None
            continue
        indent, text = len(m.group(1)), clean(m.group(2))
        persons = split_people(text) if "," in text else []
        if indent > 0 and persons and org:
            for p in persons:
                org_m = Mention(org[0], "any", Span(org[1], org[1], src.lines[org[1] - 1].strip()))
                people.append(Mention(p.name, "person", Span(number, number, line.strip()), p.role, org_m))
        elif indent == 0 and not persons:
            name, _ = strip_alias(text)
            org = (name, number) if len(name) < 90 else None
    return people


def _flexible(toks: list[str]) -> re.Pattern[str]:
    """A pattern for the other spellings of a name of these words: 'Well-being'/'Well
    Being'/'Wellbeing', 'and'/'&', any spacing and case."""
    parts = []
    for t in toks:
        low = t.lower()
        if low in ("and", "&"):
            parts.append(r"(?:and|&)")
        elif low == "wellbeing":
            parts.append(r"well[\s-]*being")
        else:
            parts.append(re.escape(t))
    return re.compile(r"(?<![\w-])" + r"[\s,–-]+".join(parts) + r"(?![\w-])", re.IGNORECASE)


def _spelled_words(toks: list[str]) -> list[str]:
    """The lower-case words every spelling `_flexible` matches holds ('and' may be '&';
    'wellbeing' may be 'well-being')."""
    out: list[str] = []
    for t in toks:
        low = t.lower()
        if low == "wellbeing":
            out += ["well", "being"]
        elif low not in ("and", "&"):
            out.append(low)
    return out


def spelling_variants(src: Source, names: set[str]) -> list[Abbreviation]:
    """Other spellings of the names the paper's structured parts use, each cited where
    it stands: 'Health and Well Being Board' for 'Health and Wellbeing Board'."""
    out: dict[str, Abbreviation] = {}
    canon = {_WELLBEING.sub("wellbeing", n) for n in names}
    low = [line.lower() for line in src.lines]
    lowered = _Joined(low)
    for name in sorted(canon):
        toks = _ALNUM.findall(name)
        if len(toks) < 3:
            continue  # too short to tell a spelling from another name
        anchor = max(toks, key=len).lower()
        if anchor == "wellbeing":
            anchor = "well"
        # Only lines holding the name's longest word can hold a spelling of it, and (in
        # ASCII, where matching case-insensitively is matching lower case) all its words.
        held = _spelled_words(toks)
        lines = [n for n in lowered.lines_with(anchor)
                 if not src.lines[n - 1].isascii() or all(w in low[n - 1] for w in held)]
        if not lines:
            continue
        rx = _flexible(toks)
        for number in lines:
            line = src.lines[number - 1]
            for m in rx.finditer(line):
                variant = m.group(0)
                if variant not in names and variant not in out and variant != name:
                    out[variant] = Abbreviation(variant, name, Span(number, number, variant), "another spelling")
    return list(out.values())
