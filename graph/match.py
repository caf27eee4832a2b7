"""The kinds of match the resolver ranks (graph/resolve.py), closest first: the same
words; the same words, some abbreviated ('Cov' for 'Coventry'); the same words in another
form ('Sport'/'Sports'); a long title reworded by one word; a person's initials; a fuzzy
score with the same head noun. Each returns the nodes it matched and why, so the node
picked and the reason given cannot drift; a strategy's are narrowed to the edition named
(`edition`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz
from rdflib import URIRef

from govgraph.ingest.names import abbreviates, vocab
from govgraph.ingest.strategy_words import period_start

FUZZY_MIN = 92
PROGRAMME_WORDS = frozenset({"programme", "program", "workstream", "work-stream", "project"})


@dataclass(slots=True)
class Entry:
    """One name of a node, as the matcher compares it."""

    iri: URIRef
    kind: str
    name: str
    tokens: tuple[str, ...]
    key: frozenset[str]
    period: str | None = None  # a strategy's edition ('2016-2019'); None until a paper dates it


@dataclass(frozen=True, slots=True)
class Name:
    """A name being resolved: as written (after its parts and abbreviations are read), its
    words, and its key."""

    text: str
    tokens: tuple[str, ...]
    key: frozenset[str]


Hit = tuple[Entry, str]  # a node a name matched, and why
Rank = Callable[[str, Name, list[Entry]], list[Hit]]
IRREGULAR = {"children": "child", "people": "person", "women": "woman", "men": "man"}
LONG_NAME = 6  # words in a strategy's key from which one word more or less is a rewording


def stem(word: str) -> str:
    """A word without its plural or '-ness' ending: 'homelessness' and 'homeless' -> 'homeles';
    'children' -> 'child'."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    for end in ("ness", "s"):
        if word.endswith(end) and len(word) - len(end) >= 4:
            word = word[: -len(end)]
    return word


def untitled(toks: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """A person's name tokens without the titles before it, and the first title."""
    titles = vocab().titles
    i = 0
    while i < len(toks) - 1 and toks[i] in titles:
        i += 1
    return toks[i:], (toks[0] if i else None)


def same_title(a: str | None, b: str | None) -> bool:
    """'cllr' and 'councillor' are one title; no title is no evidence."""
    return bool(a and b) and (a == b or abbreviates(a, b) or abbreviates(b, a))


def tokens_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b) or not a:
        return False
    rest = list(b)
    for tok in a:
        hit = next((r for r in rest if r == tok or abbreviates(tok, r) or abbreviates(r, tok)), None)
        if hit is None:
            return False
        rest.remove(hit)
    return True


def alike(a: frozenset[str], b: frozenset[str]) -> bool:
    """The same words, or the same but for an ending ('Children'/'Child')."""
    return a == b or frozenset(map(stem, a)) == frozenset(map(stem, b))


def edition(hits: list[Hit], period: str | None) -> list[Hit]:
    """Which of the strategy nodes a name's words matched is the edition it names.

    A strategy refreshed for a new period is a new edition, with its own priorities,
    status and owner's decisions: it is its own node. So 'Health and Wellbeing Strategy
    2016-19' and its 2019-22 refresh stay two (their periods start in different years),
    while a refresh within the period ('CAMHS Local Transformation Plan: Year 3 Refresh')
    is the same node. A dated name is that edition, or a node no paper has dated yet
    (which takes the period), never another edition. An undated name is the node no
    paper dated, else the one edition, else the latest: a paper naming a strategy
    without a date means the one in force, and a paper's date is not known here; the
    reason says so, so `govgraph aliases` shows the guess."""
    start = period_start(period)
    if not hits:
        return hits
    if start is not None:
        same = [h for h in hits if period_start(h[0].period) == start]
        if same or any(h[0].period for h in hits):
            return same
        return [(e, f"{why}; the period named here") for e, why in hits]
    undated = [h for h in hits if h[0].period is None]
    if undated or len({h[0].iri for h in hits}) == 1:
        return undated or hits
    e, why = max(hits, key=lambda h: period_start(h[0].period) or 0)
    return [(e, f"{why}; no period named: the latest edition, {e.period}")]


def same_words(family: str, name: Name, pool: list[Entry]) -> list[Hit]:
    hits = [(e, "same words") for e in pool if e.key == name.key]
    if not hits and family == "programme":
        # "Proactive and Preventative" is the "Preventative and Proactive workstream"
        bare = name.key - PROGRAMME_WORDS
        hits = [(e, "same words") for e in pool if bare and e.key - PROGRAMME_WORDS == bare]
    return hits


def abbreviated(family: str, name: Name, pool: list[Entry]) -> list[Hit]:
    return [(e, "same words, some abbreviated") for e in pool if tokens_match(name.tokens, e.tokens)]


def word_forms(family: str, name: Name, pool: list[Entry]) -> list[Hit]:
    """'Sport'/'Sports', 'Homeless'/'Homelessness': the same words but for an ending."""
    stems = frozenset(stem(t) for t in name.key)
    return [(e, "same words, another form") for e in pool if frozenset(stem(t) for t in e.key) == stems]


def reworded(family: str, name: Name, pool: list[Entry]) -> list[Hit]:
    """A long title with one word more or less ('Local Health and Care System' /
    'Local Health and Social Care System ... Improvement Plan'): short names never,
    where one word tells two strategies apart."""
    stems = frozenset(stem(t) for t in name.key)
    hits = []
    for e in pool:
        other = frozenset(stem(t) for t in e.key)
        if min(len(stems), len(other)) >= LONG_NAME and len(stems ^ other) == 1:
            hits.append((e, "same words but one, in a long name"))
    return hits


def fuzzy(family: str, name: Name, pool: list[Entry]) -> list[Hit]:
    """Names with the same head noun whose keys score FUZZY_MIN or more, best first."""
    head = name.tokens[-1] if name.tokens else ""
    scored = [
        (fuzz.token_sort_ratio(" ".join(sorted(name.key)), " ".join(sorted(e.key))), e)
        for e in pool if e.tokens and e.tokens[-1] == head
    ]
    scored = sorted((s for s in scored if s[0] >= FUZZY_MIN), key=lambda s: -s[0])
    return [(e, f"fuzzy match {score:.0f}/100") for score, e in scored]


def person_initials(pool: list[Entry], toks: tuple[str, ...]) -> Entry | None:
    """'J Smith' is 'Jane Smith' when only one Smith starts with J; 'Andrea J Green'
    is 'Andrea Green' (a middle initial). Titles aside: 'G Daly' is 'Professor Guy
    Daly', and 'Councillor Caan' is the one 'Cllr K Caan' (a surname under the same
    title)."""
    toks, title = untitled(toks)
    names = [(e, *untitled(e.tokens)) for e in pool]
    if len(toks) < 2:
        hits = [e for e, t, et in names if len(t) >= 2 and t[-1] == toks[-1] and same_title(title, et)]
        return hits[0] if len({e.iri for e in hits}) == 1 else None
    core = (toks[0], toks[-1])
    middle = [e for e, t, _ in names if len(t) >= 2 and (t[0], t[-1]) == core
              and all(len(x) == 1 for x in (t[1:-1] + toks[1:-1]))]
    if len(middle) == 1:
        return middle[0]
    hits = [
        e for e, t, et in names
        if len(t) >= 2 and t[-1] == toks[-1] and t[0][0] == toks[0][0] and (len(toks[0]) == 1 or len(t[0]) == 1)
        or len(t) == 1 and t[-1] == toks[-1] and same_title(title, et)
    ]
    return hits[0] if len({e.iri for e in hits}) == 1 else None  # one person, under any of their names
