"""Governance stated in prose: 'X reports to Y', 'X is accountable to Y', 'X is a
sub-group of Y', 'X is chaired by P', 'X oversees Y', 'Y is overseen by X'.

Names are found first (runs of capitalised words or acronyms ending in a body's or
organisation's head noun, or an acronym), then the words between two names are
matched against the verb phrases in `governance.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import accumulate

from govgraph.ingest.names import BODY_KINDS, is_acronym, is_person_name, kind_of, vocab
from govgraph.ingest.records import Mention, Relation, Span
from govgraph.ingest.source import Source

CONNECTORS = {"and", "of", "for", "&", "the", "in", "on"}


@dataclass(frozen=True)
class Verb:
    pattern: re.Pattern[str]
    predicate: str
    reverse: bool  # True when the sentence names the object first ('Y is overseen by X')
    person: bool  # True when the object is a person ('chaired by')
    programme: bool  # True when the object may be a programme without a head noun ('oversees Housing First')
    between: str  # the verb phrase alone, to match it where no name follows
    # The verb phrase where a name ends, perhaps after 'and' or ', which' (a person or
    # programme follows); and opened by 'and' ('... met in March and is overseeing X').
    after: re.Pattern[str] = field(compare=False)
    and_clause: re.Pattern[str] = field(compare=False)


@cache
def _data() -> dict:
    return tomllib.loads(resources.files("govgraph.ingest").joinpath("governance.toml").read_text("utf-8"))


@cache
def verbs() -> tuple[Verb, ...]:
    data = _data()
    return tuple(
        Verb(re.compile(rf"^\s*(?:{v['between']})\s*$", re.IGNORECASE), v["predicate"],
             v.get("reverse", False), v.get("person", False), v.get("programme", False), v["between"],
             re.compile(rf"(,?\s*and\s+|,\s*which\s+)?\s*(?:{v['between']})\s*", re.IGNORECASE),
             # "and, having agreed its outcomes, is overseeing": an aside set off by commas may stand between.
             re.compile(rf"\band(?:\s*,[^,.;]{{0,80}},)?\s+(?:{v['between']})\s*", re.IGNORECASE))
        for v in data["verb"]
    )


@cache
def _heads() -> frozenset[str]:
    v = vocab()
    return frozenset({h for heads in v.head.values() for h in heads if " " not in h} | {
        "council", "trust", "ccg", "ccgs", "executive", "commission", "authority", "service", "services",
    })


@cache
def _body_words() -> frozenset[str]:
    return frozenset(_data()["names"]["body_words"])


@cache
def _any_verb() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Any verb where a name ends (no verb matching there, no relation starts at that
    name), and any 'and' clause's verb (no match, no clause in the line): one search
    stands for each verb's."""
    after = "|".join(f"(?:{v.between})" for v in verbs())
    clause = "|".join(f"(?:{v.between})" for v in verbs() if not (v.person or v.reverse))
    return (re.compile(rf"(?:,?\s*and\s+|,\s*which\s+)?\s*(?:{after})", re.IGNORECASE),
            re.compile(rf"\band(?:\s*,[^,.;]{{0,80}},)?\s+(?:{clause})", re.IGNORECASE))


@cache
def _head_noun() -> re.Pattern[str]:
    """Any head noun, in lower-case text (perhaps inside a longer word)."""
    return re.compile("|".join(re.escape(h) for h in sorted(_heads())))


@cache
def _name_words() -> frozenset[str]:
    """Lower-case words a name may hold: connectors, head nouns, body words."""
    return frozenset(CONNECTORS) | _heads() | _body_words()


_INNER_ACRONYM = re.compile(r"(?<=[a-z])\s\(([A-Z][A-Za-z&]{1,11})\)(?=\s+[A-Z])")
_WORD_SPLIT = re.compile(r"([A-Za-z&][\w&'’-]*)")  # a word, kept by split
_TWO_CAPITALS = re.compile(r"[A-Z][a-z&]*[A-Z]")  # in every acronym
_NAME_GAP = re.compile(r"\s+|\s*[-–]\s*")  # what may stand between two words of a name
_SPACES = re.compile(r"\s{2,}")
_DETERMINER = re.compile(r"^(?:The|This|That|Our)\s+")
# No body's name runs longer; the cap keeps a long run of capitalised words linear.
MAX_NAME_WORDS = 16


def names_in(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each name in the line. An acronym in brackets inside a name
    ("Multiple Complex Needs (MCN) Board") is read past, and left out of the name."""
    if not _TWO_CAPITALS.search(line) and not _head_noun().search(line.lower()):
        return []  # a name ends in a head noun or opens with an acronym: this line has neither
    if "(" in line:
        line = _INNER_ACRONYM.sub(lambda m: " " * len(m.group(0)) if is_acronym(m.group(1)) else m.group(0), line)
    heads, name_words = _heads(), _name_words()
    # The line as gap, word, gap, word, ..., gap; word k spans ends[2k] to ends[2k + 1].
    parts = _WORD_SPLIT.split(line)
    words = parts[1::2]
    ends = list(accumulate(map(len, parts)))
    upper = [w[0].isupper() for w in words]
    lows = [w.lower() for w in words]
    ok = [u or low in name_words for u, low in zip(upper, lows)]  # may stand in a name
    out: list[tuple[int, int, str]] = []
    i, n = 0, len(words)
    while i < n:
        if not upper[i]:
            i += 1
            continue
        acronym = is_acronym(words[i])
        j, best = i, None
        while j < min(n, i + MAX_NAME_WORDS):
            if j > i and not _NAME_GAP.fullmatch(parts[2 * j]):
                break
            if not ok[j]:
                break
            if lows[j] in heads or (acronym and j == i):
                best = j
            elif best == i and acronym and j == best + 1 and upper[j]:
                best = j  # "NHS England": an acronym and the name it prefixes
            j += 1
        if best is not None:
            start, end = ends[2 * i], ends[2 * best + 1]
            text = _SPACES.sub(" ", line[start:end])
            text = _DETERMINER.sub("", text)
            out.append((start, end, text))
            i = best + 1
        else:
            i += 1
    return out


_PERSON = re.compile(r"\s*((?:(?:Cllr|Councillor|Dr|Professor|Prof)\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){1,2})")


# A programme named without a head noun: two or more title-case words ("Year of Wellbeing 2019").
_TITLE = re.compile(r"[A-Z][\w'’&-]*(?:(?:\s+(?:of|and|for|the|&|in|on))*\s+[A-Z0-9][\w'’&/-]*)+")


def _object_at(line: str, start: int, found: list[tuple[int, int, str]], verb: Verb) -> tuple[int, str, str] | None:
    """(end, text, kind hint) of the name that stands at `start`, if any."""
    for s, e, text in found:
        if s == start:
            return e, text, kind_of(text)
    m = _TITLE.match(line, start) if verb.programme else None
    return (m.end(), m.group(0), "programme") if m else None


_SENTENCE_END = re.compile(r"[.!?]\s+")


def _sentence_subject(line: str, found: list[tuple[int, int, str]], before: int) -> tuple[int, int, str] | None:
    """The name that opens the sentence holding position `before`."""
    opening = max((m.end() for m in _SENTENCE_END.finditer(line, 0, before)), default=0)
    for name in found:
        if name[0] == opening and name[1] <= before:
            return name
    return None


# Patterns match at a position in the line, never on a slice of it: slicing the rest of
# the line for every name made one long line quadratic.
def _person_after(line: str, start: int) -> tuple[int, str] | None:
    m = _PERSON.match(line, start)
    if m and is_person_name(m.group(1)):
        return m.end(), m.group(1)
    return None


def relations(src: Source) -> list[Relation]:
    out: list[Relation] = []
    for number, line in enumerate(src.lines, 1):
        if "\t" in line:
            continue  # tables are read by their own extractors
        found = names_in(line)
        any_verb = _any_verb()[0]
        for a_idx, (_, a_end, a_text) in enumerate(found):
            if not any_verb.match(line, a_end):
                continue  # no verb follows this name
            rest = found[a_idx + 1 : a_idx + 2]
            for verb in verbs():
                if verb.person:
                    m = verb.after.match(line, a_end)
                    hit = _person_after(line, m.end()) if m else None
                    if hit:
                        # "X reports to Y and is chaired by P": P chairs the sentence's subject.
                        if m and m.group(1) and "and" in m.group(1):
                            a_text = found[0][2]
                        quote = line[max(0, hit[0] - 300) : hit[0]].strip()
                        subj = Mention(a_text, kind_of(a_text), Span(number, number, quote))
                        obj = Mention(hit[1], "person", subj.span)
                        out.append(Relation(subj, verb.predicate, obj, subj.span))
                    continue
                if not rest or not verb.pattern.match(line[a_end : rest[0][0]]):
                    # "X oversees Housing First": the object is a programme without a head noun.
                    m = verb.after.match(line, a_end) if verb.programme else None
                    hit = _object_at(line, m.end(), found, verb) if m and not m.group(1) else None
                    if hit and (not rest or rest[0][0] >= hit[0]):
                        out.append(_relation(line, number, found[a_idx], verb, hit))
                    continue
                _, b_end, b_text = rest[0]
                if found[a_idx][2].lower() != b_text.lower():
                    out.append(_relation(line, number, found[a_idx], verb, (b_end, b_text, kind_of(b_text))))
        out.extend(_and_clauses(line, number, found))
    out.extend(_subgroup_lists(src))
    return out


# "... putting in place the sub-groups of the Local Workforce Action Board. These subgroups are:"
_SUBGROUPS = re.compile(r"\bsub-?\s?(?:groups|committees|boards|panels)\b[^:]*:\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•●▪]|\d{1,2}[.)]|[a-z][.)])\s+(.+?)\s*[;,.]?\s*(?:\band\s*)?$")
MAX_SUBGROUPS = 30


def _subgroup_lists(src: Source) -> list[Relation]:
    """A line naming one body and its sub-groups, then a bulleted list of them: each item
    is a group that is part of the body."""
    out: list[Relation] = []
    lines = src.lines
    for number, line in enumerate(lines, 1):
        if "\t" in line or not _SUBGROUPS.search(line):
            continue
        bodies = [n for n in names_in(line) if kind_of(n[2]) in BODY_KINDS]
        if len({n[2].lower() for n in bodies}) != 1:
            continue  # which body the sub-groups belong to must be plain
        parent = Mention(bodies[0][2], kind_of(bodies[0][2]), Span(number, number, line.strip()))
        for i in range(number, min(len(lines), number + 2 * MAX_SUBGROUPS)):
            item = lines[i]
            if not item.strip():
                continue
            m = _BULLET.match(item)
            if not m:
                break
            name = re.sub(r"\s*\([^)]*\)\s*$", "", m.group(1)).strip()
            if 1 <= len(name.split()) <= 8 and name[0].isupper():
                span = Span(number, i + 1, item.strip())
                out.append(Relation(Mention(name, "group", span), "gg:partOf", parent, span))
    return out


def _relation(line: str, number: int, subject: tuple[int, int, str], verb: Verb,
              obj: tuple[int, str, str]) -> Relation:
    span = Span(number, number, line[subject[0] : obj[0]])
    a = Mention(subject[2], kind_of(subject[2]), span)
    b = Mention(obj[1], obj[2], span)
    subj, o = (b, a) if verb.reverse else (a, b)
    return Relation(subj, verb.predicate, o, span)


def _and_clauses(line: str, number: int, found: list[tuple[int, int, str]]) -> list[Relation]:
    """'The Forum met in March and is overseeing the Year of Wellbeing': the verb's subject
    is the name that opens the sentence."""
    out: list[Relation] = []
    if "and" not in line.lower() or not _any_verb()[1].search(line):
        return out  # the clause opens with 'and' (only A, N and D match a, n and d ignoring case)
    for verb in verbs():
        if verb.person or verb.reverse:
            continue
        for m in verb.and_clause.finditer(line):
            subject = _sentence_subject(line, found, m.start())
            hit = _object_at(line, m.end(), found, verb)
            if subject and hit and subject[2].lower() != hit[1].lower():
                out.append(_relation(line, number, subject, verb, hit))
    return out
