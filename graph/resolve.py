"""Entity resolution: many spellings of one body, organisation, person, programme or
strategy become one node, and every merge is recorded with its reason.

Names are compared by a key: abbreviations expanded (the paper's own table first,
then the common ones in names.toml), 'Well-being'/'Wellbeing' folded, stop words and
word order ignored, and the paper's home place dropped ('Coventry Health and
Wellbeing Board' is that place's Health and Wellbeing Board). One ranked matcher
(`Resolver._match`) then tries, in order: the same key; the same words with some
abbreviated ('Cov' for 'Coventry', 'Warks' for 'Warwickshire'); a person's initials, or
for other names a fuzzy match (rapidfuzz) with the same head noun. It returns the node
and the reason together, so the node picked and the reason given cannot drift. A board
and its executive group never merge: their head nouns differ.

Strategies are matched by edition too: see `_edition`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz
from rdflib import URIRef
from rdflib.namespace import FOAF

from govgraph.ingest.emit import Resolved
from govgraph.ingest.names import (
    BODY_KINDS,
    PROGRAMME_KINDS,
    is_acronym,
    kind_of,
    organisation_kind,
    strip_alias,
    vocab,
    words,
)
from govgraph.ingest.records import Mention
from govgraph.ingest.strategy import STRATEGY_KINDS, period_start, split_period, strategy_kind
from govgraph.ingest.strategy import words as strategy_words
from govgraph.ingest.text import clean, slug
from govgraph.ontology.namespace import GG

STOP = {"the", "and", "of", "for", "&", "in", "on", "a", "an", "to"}
FUZZY_MIN = 92
PROGRAMME_WORDS = frozenset({"programme", "program", "workstream", "work-stream", "project"})
TEXT_MIN = 85  # distinct recommendations of one review score about 50; a reworded quote near 90


def _norm_text(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", re.sub(r"\s+", " ", text.lower())).strip()

CLASSES: dict[str, URIRef] = {
    "board": GG.Board, "committee": GG.Committee, "forum": GG.Forum, "group": GG.Group,
    "partnership": GG.Partnership, "programme": GG.Programme, "workstream": GG.Workstream,
    "scheme": GG.Scheme, "project": GG.Project, "organisation": GG.Organisation, "person": FOAF.Person,
    "strategy": GG.Strategy, "framework": GG.Framework, "plan": GG.Plan,
}
ORG_KINDS: dict[str, URIRef] = {
    "council": GG.council, "nhs_trust": GG.nhs_trust, "ccg": GG.ccg, "nhs_body": GG.nhs_body,
    "police": GG.police, "fire": GG.fire, "university": GG.university, "voluntary": GG.voluntary,
    "regulator": GG.regulator,
}


def family_of(kind: str) -> str:
    if kind in BODY_KINDS:
        return "body"
    if kind in PROGRAMME_KINDS:
        return "programme"
    if kind in STRATEGY_KINDS:
        return "strategy"
    return "person" if kind == "person" else "org"


@dataclass
class Entry:
    iri: URIRef
    kind: str
    label: str
    tokens: tuple[str, ...]
    key: frozenset[str]
    period: str | None = None  # a strategy's edition ('2016-2019'); None until a paper dates it


Hit = tuple[Entry, str]  # a node a name matched, and why
Rank = Callable[[str, tuple[str, ...], frozenset[str], list[Entry]], list[Hit]]


def _stem(word: str) -> str:
    """A word without its plural or '-ness' ending: 'homelessness' and 'homeless' -> 'homeles'."""
    for end in ("ness", "s"):
        if word.endswith(end) and len(word) - len(end) >= 4:
            word = word[: -len(end)]
    return word


@dataclass(frozen=True)
class Merge:
    """One name that became an existing node, and why."""

    name: str
    iri: str
    label: str
    reason: str


def _abbreviates(short: str, full: str) -> bool:
    """'cov' abbreviates 'coventry'; 'warks' abbreviates 'warwickshire'."""
    if len(short) < 3 or len(short) >= len(full) or short[0] != full[0]:
        return False
    if full.startswith(short):
        return True
    it = iter(full)
    return all(c in it for c in short)


def _untitled(toks: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """A person's name tokens without the titles before it, and the first title."""
    titles = vocab().titles
    i = 0
    while i < len(toks) - 1 and toks[i] in titles:
        i += 1
    return toks[i:], (toks[0] if i else None)


def _same_title(a: str | None, b: str | None) -> bool:
    """'cllr' and 'councillor' are one title; no title is no evidence."""
    return bool(a and b) and (a == b or _abbreviates(a, b) or _abbreviates(b, a))


def _tokens_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b) or not a:
        return False
    rest = list(b)
    for tok in a:
        hit = next((r for r in rest if r == tok or _abbreviates(tok, r) or _abbreviates(r, tok)), None)
        if hit is None:
            return False
        rest.remove(hit)
    return True


def _edition(hits: list[Hit], period: str | None) -> list[Hit]:
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


@dataclass
class Resolver:
    """Resolves one paper's mentions against what the store (and the paper) already named."""

    base: str
    abbreviations: dict[str, str] = field(default_factory=dict)
    place: str | None = None
    entries: list[Entry] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    _by_iri: dict[str, Entry] = field(default_factory=dict)
    texts: dict[str, list[tuple[URIRef, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.abbreviations = {**vocab().abbreviations, **self.abbreviations}

    # -- keys -------------------------------------------------------------------

    def expand(self, text: str) -> str:
        if text in self.abbreviations:
            return self.abbreviations[text]
        return self.abbreviations.get(text.upper(), text) if is_acronym(text) else text

    def tokens(self, text: str) -> tuple[str, ...]:
        text = re.sub(r"\bwell[\s-]+being\b", "wellbeing", text, flags=re.IGNORECASE)
        out: list[str] = []
        for raw in re.findall(r"[A-Za-z0-9&]+(?:['’][a-z]+)?", text):
            exp = self.abbreviations.get(raw) if is_acronym(raw) or raw in self.abbreviations else None
            for w in words(exp) if exp else [raw.lower()]:
                w = re.sub(r"['’]s$", "", w)
                initial = raw == "A" and not out  # 'A Green' is a person's initial, not a stop word
                if (w not in STOP or initial) and (not out or out[-1] != w):
                    out.append(w)
        return tuple(out)

    def key(self, toks: tuple[str, ...], family: str = "") -> frozenset[str]:
        place = self.place.lower() if self.place else None
        drop = vocab().titles | (strategy_words().ignore if family == "strategy" else frozenset())
        trimmed = [t for t in toks if t != place and t not in drop]
        return frozenset(trimmed or toks)

    # -- entries ----------------------------------------------------------------

    def add_known(self, iri: str, kind: str, labels: list[str], period: str | None = None) -> None:
        """Seed with a node the store already holds, under each of its labels."""
        family = family_of(kind)
        for label in labels:
            if family == "strategy":  # an action plan's title holds its period: 'Improvement Plan 2018'
                label, dated = split_period(label)
                period = period or dated
            toks = self.tokens(label)
            e = Entry(URIRef(iri), kind, labels[0], toks, self.key(toks, family), period)
            self.entries.append(e)
        if labels:
            self._by_iri[iri] = self.entries[-1]

    # -- matching: one ranked matcher picks the node and says why ---------------

    def _match(self, family: str, toks: tuple[str, ...], pool: list[Entry], period: str | None = None) -> Hit | None:
        """The node of this family the words name, and why: the closest kind of match
        first. For strategies each kind of match is narrowed to the edition named."""
        key = self.key(toks, family)
        pool = [e for e in pool if family_of(e.kind) == family]
        for rank in self._ranks(family):
            hits = rank(family, toks, key, pool)
            if family == "strategy":
                hits = _edition(hits, period)
            if hits:
                return hits[0]
        return None

    def _ranks(self, family: str) -> tuple[Rank, ...]:
        """The kinds of match a family allows, closest first. A strategy's name is short
        and written out, so a word another strategy's name merely starts with, or a
        fuzzy score, would join different strategies ('Men's Health Strategy' scores 93
        against 'Mental Health Strategy', as 'Homeless' does against 'Homelessness'):
        strategies match by the same words, or the same words in another form."""
        if family == "strategy":
            return (self._same_words, self._word_forms)
        return (self._same_words, self._abbreviated, self._initials if family == "person" else self._fuzzy)

    @staticmethod
    def _same_words(family: str, toks: tuple[str, ...], key: frozenset[str], pool: list[Entry]) -> list[Hit]:
        hits = [(e, "same words") for e in pool if e.key == key]
        if not hits and family == "programme":
            # "Proactive and Preventative" is the "Preventative and Proactive workstream"
            bare = key - PROGRAMME_WORDS
            hits = [(e, "same words") for e in pool if bare and e.key - PROGRAMME_WORDS == bare]
        return hits

    @staticmethod
    def _abbreviated(family: str, toks: tuple[str, ...], key: frozenset[str], pool: list[Entry]) -> list[Hit]:
        return [(e, "same words, some abbreviated") for e in pool if _tokens_match(toks, e.tokens)]

    @staticmethod
    def _word_forms(family: str, toks: tuple[str, ...], key: frozenset[str], pool: list[Entry]) -> list[Hit]:
        """'Sport'/'Sports', 'Homeless'/'Homelessness': the same words but for an ending."""
        stems = frozenset(_stem(t) for t in key)
        return [(e, "same words, another form") for e in pool if frozenset(_stem(t) for t in e.key) == stems]

    def _initials(self, family: str, toks: tuple[str, ...], key: frozenset[str], pool: list[Entry]) -> list[Hit]:
        e = self._person_initials(pool, toks)
        return [(e, "same person: initials")] if e else []

    @staticmethod
    def _fuzzy(family: str, toks: tuple[str, ...], key: frozenset[str], pool: list[Entry]) -> list[Hit]:
        """Names with the same head noun whose keys score FUZZY_MIN or more, best first."""
        head = toks[-1] if toks else ""
        scored = [
            (fuzz.token_sort_ratio(" ".join(sorted(key)), " ".join(sorted(e.key))), e)
            for e in pool if e.tokens and e.tokens[-1] == head
        ]
        scored = sorted((s for s in scored if s[0] >= FUZZY_MIN), key=lambda s: -s[0])
        return [(e, f"fuzzy match {score:.0f}/100") for score, e in scored]

    @staticmethod
    def _person_initials(pool: list[Entry], toks: tuple[str, ...]) -> Entry | None:
        """'J Smith' is 'Jane Smith' when only one Smith starts with J; 'Andrea J Green'
        is 'Andrea Green' (a middle initial). Titles aside: 'G Daly' is 'Professor Guy
        Daly', and 'Councillor Caan' is the one 'Cllr K Caan' (a surname under the same
        title)."""
        toks, title = _untitled(toks)
        names = [(e, *_untitled(e.tokens)) for e in pool]
        if len(toks) < 2:
            hits = [e for e, t, et in names if len(t) >= 2 and t[-1] == toks[-1] and _same_title(title, et)]
            return hits[0] if len({e.iri for e in hits}) == 1 else None
        core = (toks[0], toks[-1])
        middle = [e for e, t, _ in names if len(t) >= 2 and (t[0], t[-1]) == core
                  and all(len(x) == 1 for x in (t[1:-1] + toks[1:-1]))]
        if len(middle) == 1:
            return middle[0]
        hits = [
            e for e, t, et in names
            if len(t) >= 2 and t[-1] == toks[-1] and t[0][0] == toks[0][0] and (len(toks[0]) == 1 or len(t[0]) == 1)
            or len(t) == 1 and t[-1] == toks[-1] and _same_title(title, et)
        ]
        return hits[0] if len({e.iri for e in hits}) == 1 else None  # one person, under any of their names

    def _new(self, kind: str, label: str, toks: tuple[str, ...], period: str | None = None) -> Entry:
        family = family_of(kind)
        # A strategy's edition is in its IRI, so two editions never take turns at '-2'.
        stem = f"{self.base}{family}/{slug(label + (' ' + period if period else ''))}"
        iri, n = stem, 2
        while iri in self._by_iri:
            iri, n = f"{stem}-{n}", n + 1
        e = Entry(URIRef(iri), kind, label, toks, self.key(toks, family), period)
        self.entries.append(e)
        self._by_iri[iri] = e
        return e

    # -- resolving --------------------------------------------------------------

    # -- text nodes (recommendations quoted from paper to paper) ------------------

    def add_text(self, type_name: str, iri: str, text: str) -> None:
        self.texts.setdefault(type_name, []).append((URIRef(iri), _norm_text(text)))

    def text_node(self, type_name: str, text: str, default: URIRef) -> URIRef:
        """An existing node whose text nearly matches (a plan quoting its review, with a
        word changed or two items run together), else `default`, remembered for later."""
        norm = _norm_text(text)
        pool = self.texts.setdefault(type_name, [])
        best: tuple[float, URIRef | None] = (0.0, None)
        for iri, other in pool:
            score = fuzz.ratio(norm, other)
            if min(len(norm), len(other)) >= 60:
                score = max(score, fuzz.partial_ratio(norm, other))
            if score > best[0]:
                best = (score, iri)
        if best[1] is not None and best[0] >= TEXT_MIN:
            if best[1] != default:
                self.merges.append(Merge(text[:80], str(best[1]), "", f"text match {best[0]:.0f}/100"))
            return best[1]
        pool.append((default, norm))
        return default

    def lookup(self, m: Mention) -> Resolved | None:
        """The node a name already has, without making one (for abbreviations)."""
        label = self.expand(clean(m.text))
        kind = strategy_kind(label) or kind_of(label)
        period = None
        if kind in STRATEGY_KINDS:
            label, period = split_period(label)
        if kind == "any":
            return None
        hit = self._match(family_of(kind), self.tokens(label), self.entries, period)
        return self.resolved(hit[0], None) if hit else None

    def __call__(self, m: Mention) -> Resolved | None:
        text = clean(m.text).strip(" .,;")
        if self.place:  # "Coventry's Health and Wellbeing Board" is the place's board
            text = re.sub(rf"^(?:the\s+)?{re.escape(self.place)}['’]s\s+", "", text)
        text, alias = strip_alias(text)
        if alias and alias not in self.abbreviations:
            self.abbreviations[alias] = text
        if not text:
            return None
        parent = None
        # A strategy's name is whole: 'Concordat for Better Mental Health' is no part of anything.
        named_strategy = m.kind in STRATEGY_KINDS or (m.kind == "any" and strategy_kind(text) is not None)
        period = m.period
        if named_strategy and period is None:  # 'Better Care Fund Plan 2019/20'
            text, period = split_period(text)
        inner = None if named_strategy else re.fullmatch(r"(.+?)\s*\((.+)\)", text)
        of = None if named_strategy else re.fullmatch(r"(.+?\b(?:workstream|work-stream|sub-group|subgroup|project|scheme))\s+of\s+(?:the\s+)?(.+)", text, re.I)
        if inner and not is_acronym(inner[2]):
            parent = self(Mention(inner[1], "any", m.span))
            text = inner[2]
        elif of:
            parent = self(Mention(of[2], "any", m.span))
            text = of[1]
        label = self.expand(text)
        # A name the paper gives as an organisation or body ('Place Directorate') is not
        # a person's, however its words look.
        kind = (
            (m.kind if m.kind in STRATEGY_KINDS else strategy_kind(label) or "strategy") if named_strategy
            else kind_of(label, person_ok=m.kind in ("person", "any"))
        )
        if kind == "any":
            kind = "person" if m.kind == "person" else (
                "workstream" if parent is not None and family_of(parent_kind(parent)) == "programme" else
                m.kind if m.kind in CLASSES and m.kind != "person" else "organisation"
            )
        if m.kind == "person" and kind != "person" and kind_of(label, person_ok=True) == "person":
            kind = "person"
        toks = self.tokens(label)
        hit = self._match(family_of(kind), toks, self.entries, period)
        entry = hit[0] if hit else self._new(kind, label, toks, period)
        reason = self.explain(m.text.strip(), text, label, entry, period)
        if period and entry.period is None:  # the first paper to date this strategy
            for e in self.entries:
                if e.iri == entry.iri:
                    e.period = period
        if reason:
            self.merges.append(Merge(m.text.strip(), str(entry.iri), entry.label, reason))
        return replace(self.resolved(entry, parent), reason=reason)

    def explain(self, written: str, inner: str, label: str, entry: Entry, period: str | None = None) -> str | None:
        """Why `written` names `entry`, judged against its preferred label only, so the
        answer is the same however often a paper is ingested. The reason is the ranked
        matcher's own, asked of that one label."""
        why: list[str] = []
        if inner != written and not written.startswith(inner):
            why.append("a part named within the name")
        if label != inner:
            why.append("abbreviation expanded")
        if label != entry.label:
            family = family_of(entry.kind)
            canon = self.tokens(entry.label)
            preferred = replace(entry, tokens=canon, key=self.key(canon, family))
            # A strategy's other editions, so the reason says when the edition was a guess.
            editions = [e for e in self.entries if family == "strategy" and e.iri != entry.iri and e.key == preferred.key]
            hit = self._match(family, self.tokens(label), [preferred, *editions], period)
            why.append(hit[1] if hit and hit[0].iri == entry.iri else "a name an earlier paper gave it")
        return "; ".join(why) or None

    def resolved(self, e: Entry, parent: Resolved | None) -> Resolved:
        types: tuple[URIRef, ...] = (CLASSES[e.kind],)
        if e.kind in BODY_KINDS:
            types += (GG.Body,)
        elif e.kind in PROGRAMME_KINDS and e.kind != "programme":
            types += (GG.Programme,)
        elif e.kind in STRATEGY_KINDS and e.kind != "strategy":
            types += (GG.Strategy,)
        org_kind = None
        if e.kind == "organisation":
            org_kind = ORG_KINDS.get(organisation_kind(e.label) or "", GG.other_org)
        return Resolved(e.iri, types, e.label, parent, org_kind)


def parent_kind(r: Resolved) -> str:
    for name, cls in CLASSES.items():
        if r.types and r.types[0] == cls:
            return name
    return "any"


def kind_for_class(cls: str) -> str | None:
    for name, c in CLASSES.items():
        if str(c) == cls:
            return name
    return None


