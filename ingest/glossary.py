"""Abbreviation tables and people lists that papers carry themselves."""

from __future__ import annotations

import re

from govgraph.ingest.names import is_acronym, split_people, strip_alias, vocab
from govgraph.ingest.records import Abbreviation, Mention, Span
from govgraph.ingest.source import Source
from govgraph.ingest.text import clean


def abbreviations(src: Source) -> list[Abbreviation]:
    """Two-cell rows 'CRCCG<TAB>Coventry and Rugby CCG', and 'Long Name (LN)' in prose."""
    found: dict[str, Abbreviation] = {}
    for number, line in enumerate(src.lines, 1):
        cells = [c.strip() for c in line.split("\t")]
        filled = [c for c in cells if c]
        if len(cells) <= 3 and len(filled) == 2 and is_acronym(filled[0]) and len(filled[1].split()) >= 2:
            long = re.sub(r"\s*\(.*?\)\s*$", "", clean(filled[1]))
            found.setdefault(filled[0], Abbreviation(filled[0], long, Span(number, number, line.strip())))
            continue
        # A name starts at a word's start: tried inside one long capitalised word, the
        # pattern backtracked at every letter (quadratic).
        for m in re.finditer(r"(?<![\w&'’-])((?:[A-Z][\w&'’-]*\s+(?:(?:and|of|for|the|&)\s+)?){1,8}[A-Z][\w'’-]*)\s+\(([A-Z][A-Za-z&]{1,11})\)", line):
            long, short = strip_alias(m.group(0))
            if short and _initials_fit(short, long):
                found.setdefault(short, Abbreviation(short, long, Span(number, number, m.group(0)), "defined in the text"))
    return list(found.values()) + _common_in_use(src, set(found))


def _common_in_use(src: Source, defined: set[str]) -> list[Abbreviation]:
    """Common abbreviations (names.toml) the paper uses without defining, each cited at
    the first line that uses it."""
    out = []
    for short, long in vocab().abbreviations.items():
        if short in defined:
            continue
        rx = re.compile(rf"(?<![\w&]){re.escape(short)}(?![\w&])")
        for number, line in enumerate(src.lines, 1):
            m = rx.search(line)
            if m:
                quote = line[max(0, m.start() - 60) : m.end() + 60].strip()
                out.append(Abbreviation(short, long, Span(number, number, quote), "a common abbreviation the paper uses"))
                break
    return out


def _initials_fit(short: str, long: str) -> bool:
    """'CRCCG' fits 'Coventry and Rugby Clinical Commissioning Group'."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", long) if w[0].isupper())
    s = short.replace("&", "").upper()
    it = iter(initials.upper())
    return len(s) >= 2 and s[0] == initials[:1].upper() and all(c in it for c in s)


def people_lists(src: Source) -> list[Mention]:
    """Nested bullet lists of people under their organisation:
    '- Coventry City Council' then ' - Gail Quinton, Deputy Chief Executive'."""
    people: list[Mention] = []
    org: tuple[str, int] | None = None
    for number, line in enumerate(src.lines, 1):
        m = re.match(r"^(\s*)[-•*]\s+(.*\S)", line)
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


def _flexible(name: str) -> re.Pattern[str] | None:
    """A pattern for a name's other spellings: 'Well-being'/'Well Being'/'Wellbeing',
    'and'/'&', any spacing and case."""
    toks = re.findall(r"[A-Za-z0-9]+", name)
    if len(toks) < 3:
        return None
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


def spelling_variants(src: Source, names: set[str]) -> list[Abbreviation]:
    """Other spellings of the names the paper's structured parts use, each cited where
    it stands: 'Health and Well Being Board' for 'Health and Wellbeing Board'."""
    out: dict[str, Abbreviation] = {}
    canon = {re.sub(r"well[\s-]*being", "wellbeing", n, flags=re.I) for n in names}
    lowered = [line.lower() for line in src.lines]
    for name in sorted(canon):
        rx = _flexible(name)
        if rx is None:
            continue
        anchor = max(re.findall(r"[A-Za-z0-9]+", name), key=len).lower()
        if anchor == "wellbeing":
            anchor = "well"
        for number, line in enumerate(src.lines, 1):
            if anchor not in lowered[number - 1]:
                continue  # the name's longest word is not on this line: no spelling of it is
            for m in rx.finditer(line):
                variant = m.group(0)
                if variant not in names and variant not in out and variant != name:
                    out[variant] = Abbreviation(variant, name, Span(number, number, variant), "another spelling")
    return list(out.values())
