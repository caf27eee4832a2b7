"""Governance stated in prose: 'X reports to Y', 'X is accountable to Y', 'X is a
sub-group of Y', 'X is chaired by P', 'X oversees Y', 'Y is overseen by X'.

Names are found first (runs of capitalised words or acronyms ending in a body's or
organisation's head noun, or an acronym), then the words between two names are
matched against the verb phrases in `governance.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from govgraph.ingest.names import is_acronym, is_person_name, kind_of, vocab
from govgraph.ingest.records import Mention, Relation, Span
from govgraph.ingest.source import Source

CONNECTORS = {"and", "of", "for", "&", "the", "in", "on"}


@dataclass(frozen=True)
class Verb:
    pattern: re.Pattern[str]
    predicate: str
    reverse: bool  # True when the sentence names the object first ('Y is overseen by X')
    person: bool  # True when the object is a person ('chaired by')


@cache
def _data() -> dict:
    return tomllib.loads(resources.files("govgraph.ingest").joinpath("governance.toml").read_text("utf-8"))


@cache
def verbs() -> tuple[Verb, ...]:
    data = _data()
    return tuple(
        Verb(re.compile(rf"^\s*(?:{v['between']})\s*$", re.IGNORECASE), v["predicate"],
             v.get("reverse", False), v.get("person", False))
        for v in data["verb"]
    )


def _heads() -> set[str]:
    v = vocab()
    return {h for heads in v.head.values() for h in heads if " " not in h} | {
        "council", "trust", "ccg", "ccgs", "executive", "commission", "authority", "service", "services",
    }


_TOKEN = re.compile(r"[A-Za-z&][\w&'’-]*")
# No body's name runs longer; the cap keeps a long run of capitalised words linear.
MAX_NAME_WORDS = 16


def names_in(line: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each name in the line."""
    heads = _heads()
    inner = set(_data()["names"]["body_words"])
    toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(line)]
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks):
        s, _, w = toks[i]
        if not (w[0].isupper() or is_acronym(w)):
            i += 1
            continue
        j, best = i, None
        while j < min(len(toks), i + MAX_NAME_WORDS):
            _, e, wj = toks[j]
            gap = line[toks[j - 1][1] : toks[j][0]] if j > i else ""
            if j > i and not re.fullmatch(r"\s+|\s*[-–]\s*", gap):
                break
            low = wj.lower()
            ok = wj[0].isupper() or is_acronym(wj) or low in CONNECTORS or low in heads or low in inner
            if not ok:
                break
            if low in heads or (is_acronym(wj) and j == i):
                best = j
            elif best == i and is_acronym(toks[i][2]) and j == best + 1 and wj[0].isupper():
                best = j  # "NHS England": an acronym and the name it prefixes
            j += 1
        if best is not None:
            text = line[s : toks[best][1]]
            text = re.sub(r"^(?:The|This|That|Our)\s+", "", text)
            out.append((s, toks[best][1], text))
            i = best + 1
        else:
            i += 1
    return out


_PERSON = re.compile(r"\s*((?:(?:Cllr|Councillor|Dr|Professor|Prof)\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){1,2})")


@cache
def _person_verb(verb: Verb) -> re.Pattern[str]:
    return re.compile(rf"(,?\s*and\s+|,\s*which\s+)?\s*(?:{verb.pattern.pattern[4:-4]})\s*", re.IGNORECASE)


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
        for a_idx, (_, a_end, a_text) in enumerate(found):
            rest = found[a_idx + 1 : a_idx + 2]
            for verb in verbs():
                if verb.person:
                    m = _person_verb(verb).match(line, a_end)
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
                if not rest:
                    continue
                b_start, b_end, b_text = rest[0]
                if verb.pattern.match(line[a_end:b_start]):
                    quote = line[found[a_idx][0] : b_end]
                    span = Span(number, number, quote)
                    a = Mention(a_text, kind_of(a_text), span)
                    b = Mention(b_text, kind_of(b_text), span)
                    subj, obj = (b, a) if verb.reverse else (a, b)
                    if subj.text.lower() != obj.text.lower():
                        out.append(Relation(subj, verb.predicate, obj, span))
    return out
