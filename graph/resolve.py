"""Entity resolution: many spellings of one body, organisation, person, programme or
strategy become one node, and every merge is recorded with its reason.

Names are compared by a key: abbreviations expanded (the paper's own table first,
then the common ones in names.toml), 'Well-being'/'Wellbeing' folded, stop words and
word order ignored, and the paper's home place dropped ('Coventry Health and
Wellbeing Board' is that place's Health and Wellbeing Board). One ranked matcher
(`Resolver._match`) then tries the kinds of match of graph/match.py, in order: the same
key; the same words with some abbreviated ('Cov' for 'Coventry', 'Warks' for
'Warwickshire'); a person's initials, or for other names a fuzzy match (rapidfuzz) with
the same head noun. It returns the node and the reason together, so the node picked and
the reason given cannot drift. A board and its executive group never merge: their head
nouns differ. A name the paper gives another name of ('STP Plan' for the '... plan
(STP)', a name it was renamed from) is tried when its own names no node (`Mention.also`).

A name qualified by a list of places that includes the home place ('Coventry and
Warwickshire Place Forum') keeps the home place in its key, so it is never the
'Warwickshire Place Forum'; a bare 'Place Forum' is it when it is the one such node
(`_wider_place`). Strategies are matched by edition too: see `edition`.

A person's, body's, organisation's or strategy's label is its fullest name
(graph/labels.py), chosen when the whole paper is read: the emitter states names last,
through `final`; `relabelled` says which nodes earlier papers' graphs call otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq
from rdflib import URIRef
from rdflib.namespace import FOAF

from govgraph.graph.labels import LABELLED, Relabel, fullest
from govgraph.graph.match import (
    Entry,
    Hit,
    Name,
    Rank,
    abbreviated,
    alike,
    edition,
    fuzzy,
    person_initials,
    reworded,
    same_words,
    stem,
    tokens_match,
    word_forms,
)
from govgraph.ingest.emit import Resolved
from govgraph.ingest.names import (
    BODY_KINDS,
    PROGRAMME_KINDS,
    abbreviates,
    is_acronym,
    kind_of,
    organisation_kind,
    strip_alias,
    vocab,
    words,
)
from govgraph.ingest.records import Mention
from govgraph.ingest.strategy_words import STRATEGY_KINDS, split_period, strategy_kind
from govgraph.ingest.strategy_words import words as strategy_words
from govgraph.ingest.text import clean, slug
from govgraph.ontology.namespace import GG

STOP = {"the", "and", "of", "for", "&", "in", "on", "a", "an", "to"}
TEXT_MIN = 85  # distinct recommendations of one review score about 50; a reworded quote near 90


_SPACE = re.compile(r"\s+")
_NOT_TEXT = re.compile(r"[^a-z0-9 ]+")
_WELLBEING = re.compile(r"\bwell[\s-]+being\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9&]+(?:['’][a-z]+)?")
_POSSESSIVE_S = re.compile(r"['’]s$")
_PLACE_WORD = re.compile(r"[A-Za-z'’-]+")
_WITHIN_BRACKETS = re.compile(r"(.+?)\s*\((.+)\)")
_PART_OF = re.compile(r"(.+?\b(?:workstream|work-stream|sub-group|subgroup|project|scheme))\s+of\s+(?:the\s+)?(.+)", re.I)


def _norm_text(text: str) -> str:
    return _NOT_TEXT.sub("", _SPACE.sub(" ", text.lower())).strip()


def _partial_bound(a: str, b: str) -> float:
    """An upper bound of fuzz.partial_ratio(a, b), far cheaper to compute: the shorter
    text (length m) shares at most L = LCS(a, b) characters, in order, with any part of
    the longer of length k <= m, so scores at most 200·min(L, k)/(m + k) <= 200·L/(m + L)."""
    common = LCSseq.similarity(a, b)
    shorter = min(len(a), len(b))
    return 200 * common / (shorter + common) if common else 0.0

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


# A list of places naming a body: 'Coventry and Warwickshire Place Forum', 'Place Forum – Cov and Warks'.
_PLACES = r"(?:[A-Z][\w'’-]*,\s+)*[A-Z][\w'’-]*\s+(?:and|&)\s+[A-Z][\w'’-]*"
_PLACES_FIRST = re.compile(rf"^({_PLACES})\s+([A-Z].*)$")
_PLACES_LAST = re.compile(rf"^(.*?\S)\s+[–—-]\s+({_PLACES})$")


@dataclass(frozen=True, slots=True)
class Merge:
    """One name that became an existing node, and why."""

    name: str
    iri: str
    label: str
    reason: str


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
    _names: dict[str, list[str]] = field(default_factory=dict)  # every name of a node, in the order read
    _stored: dict[str, str] = field(default_factory=dict)  # the label the store gave a node
    _entry_names: set[tuple[str, str]] = field(default_factory=set)  # (node, name) of every entry
    _titled: set[str] = field(default_factory=set)  # action plans, labelled by their papers' records
    _labels: dict[str, str] = field(default_factory=dict)  # a node's label, until another name is read
    # how each name as written was read: (the name, its label, its period, the other name that matched)
    _read: dict[tuple[str, str], tuple[str, str, str | None, str | None]] = field(default_factory=dict)

    _families: dict[str, list[Entry]] = field(default_factory=dict)  # the entries of each family, in order
    # Readings of a text, asked again for every entry a name is compared with: tokens hold
    # while the abbreviations do (`_learn` clears them); places while the home place does.
    _tokens_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _places_of: dict[str, tuple[frozenset[str], str] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.abbreviations = {**vocab().abbreviations, **self.abbreviations}
        for e in self.entries:
            self._families.setdefault(family_of(e.kind), []).append(e)
        # "Coventry's Health and Wellbeing Board" is the place's board.
        self._place_possessive = re.compile(rf"^(?:the\s+)?{re.escape(self.place)}['’]s\s+") if self.place else None

    def _add_entry(self, e: Entry) -> None:
        self.entries.append(e)
        self._families.setdefault(family_of(e.kind), []).append(e)

    # -- keys -------------------------------------------------------------------

    def expand(self, text: str) -> str:
        if text in self.abbreviations:
            return self.abbreviations[text]
        return self.abbreviations.get(text.upper(), text) if is_acronym(text) else text

    def tokens(self, text: str) -> tuple[str, ...]:
        toks = self._tokens_of.get(text)
        if toks is None:
            toks = self._tokens_of[text] = self._read_tokens(text)
        return toks

    def _learn(self, short: str, long: str) -> None:
        """A paper's own abbreviation: names read before it may read otherwise now."""
        self.abbreviations[short] = long
        self._tokens_of.clear()

    def _read_tokens(self, text: str) -> tuple[str, ...]:
        text = _WELLBEING.sub("wellbeing", text)
        out: list[str] = []
        for raw in _WORD.findall(text):
            exp = self.abbreviations.get(raw) if is_acronym(raw) or raw in self.abbreviations else None
            for w in words(exp) if exp else [raw.lower()]:
                w = _POSSESSIVE_S.sub("", w)
                initial = raw == "A" and not out  # 'A Green' is a person's initial, not a stop word
                if (w not in STOP or initial) and (not out or out[-1] != w):
                    out.append(w)
        return tuple(out)

    def key(self, toks: tuple[str, ...], family: str = "", keep_place: bool = False) -> frozenset[str]:
        place = self.place.lower() if self.place and not keep_place else None
        drop = vocab().titles | (strategy_words().ignore if family == "strategy" else frozenset())
        trimmed = [t for t in toks if t != place and t not in drop]
        return frozenset(trimmed or toks)

    def name(self, text: str, family: str) -> Name:
        """A name's words and key. The home place is dropped from the key unless it is one
        of a list of places ('Coventry and Warwickshire'): that is a wider place's name."""
        toks = self.tokens(text)
        return Name(text, toks, self.key(toks, family, self._places(text) is not None))

    def _places(self, text: str) -> tuple[frozenset[str], str] | None:
        """The places and the rest of a name qualified by a list of places that includes the
        home place: 'Place Forum – Cov and Warks' -> ({'cov', 'warks'}, 'Place Forum')."""
        if text not in self._places_of:
            self._places_of[text] = self._read_places(text)
        return self._places_of[text]

    def _read_places(self, text: str) -> tuple[frozenset[str], str] | None:
        if not self.place:
            return None
        first, last = _PLACES_FIRST.match(text), _PLACES_LAST.match(text)
        if not first and not last:
            return None
        places, rest = (first[1], first[2]) if first else (last[2], last[1])  # type: ignore[index]
        found = frozenset(w.lower() for w in _PLACE_WORD.findall(places) if w != "and")
        home = self.place.lower()
        return (found, rest) if any(w == home or abbreviates(w, home) for w in found) else None

    # -- entries ----------------------------------------------------------------

    def add_known(self, iri: str, kind: str, labels: list[str], period: str | None = None, titled: bool = False) -> None:
        """Seed with a node the store already holds, under each of its labels. A `titled`
        node (an action plan) keeps its label: its paper's record states it."""
        family = family_of(kind)
        for written in labels:
            label = written
            if family == "strategy":  # an action plan's title holds its period: 'Improvement Plan 2018'
                label, dated = split_period(written)
                period = period or dated
            n = self.name(label, family)
            self._add_entry(Entry(URIRef(iri), kind, label, n.tokens, n.key, period))
            self._entry_names.add((iri, label))
        # Its label is the fullest name of the papers read so far: a name this paper gives
        # it may be fuller. (Its altLabels lost to it already, or are another paper's
        # reading, as an acronym's meaning: never candidates.)
        self._add_name(iri, labels[0])
        if labels:
            self._by_iri[iri] = self.entries[-1]
            self._stored[iri] = labels[0]
            if titled:
                self._labels[iri] = labels[0]
                self._titled.add(iri)

    def _add_name(self, iri: str, name: str) -> None:
        names = self._names.setdefault(iri, [])
        if name not in names:
            names.append(name)
            if iri not in self._titled:
                self._labels.pop(iri, None)

    def label_of(self, iri: str) -> str:
        """A node's label: a person's, body's or organisation's fullest name; the first
        name of anything else (a strategy's or programme's names are its editions' and
        parts' too, so the first stays)."""
        if iri not in self._labels:
            names = self._names[iri]
            family = family_of(self._by_iri[iri].kind)
            self._labels[iri] = fullest(names, family, self.place) if family in LABELLED else names[0]
        return self._labels[iri]

    # -- matching: one ranked matcher picks the node and says why ---------------

    def _match(self, family: str, name: Name, pool: list[Entry] | None, period: str | None = None) -> Hit | None:
        """The node of this family the words name (among `pool`, else every entry), and
        why: the closest kind of match first. For strategies each kind of match is
        narrowed to the edition named."""
        if pool is None:
            pool = self._families.get(family, [])
        else:
            pool = [e for e in pool if family_of(e.kind) == family]
        for rank in self._ranks(family):
            hits = rank(family, name, pool)
            if family == "strategy":
                hits = edition(hits, period)
            if hits:
                return hits[0]
        return None

    def _ranks(self, family: str) -> tuple[Rank, ...]:
        """The kinds of match a family allows, closest first. A strategy's name is short
        and written out, so a word another strategy's name merely starts with, or a
        fuzzy score, would join different strategies ('Men's Health Strategy' scores 93
        against 'Mental Health Strategy', as 'Homeless' does against 'Homelessness'):
        strategies match by the same words, or the same words in another form, or a
        long name reworded by one word."""
        if family == "strategy":
            return (same_words, word_forms, self._wider_place, reworded)
        if family == "person":
            return (same_words, abbreviated, self._initials)
        if family == "programme":  # 'the STP' is its own programme, whatever workstreams a wider one has
            return (same_words, abbreviated, fuzzy)
        return (same_words, abbreviated, self._wider_place, fuzzy)

    def _wider_place(self, family: str, name: Name, pool: list[Entry]) -> list[Hit]:
        """A bare name is the one node named the same with a list of places that includes
        the home place ('Place Forum' in a Coventry paper is the 'Coventry and Warwickshire
        Place Forum'), and such a name is the one node only ever named bare. Never a node
        named with one place of its own ('Coventry Place Forum'), nor one of two."""
        wide = self._places(name.text)
        if wide is None:
            if self.place and self.place.lower() in name.tokens:
                return []  # written with the home place: that place's own
            hits = [(e, f"the same name with its places ({', '.join(sorted(q[0]))})") for e in pool
                    if (q := self._places(e.name)) and alike(name.key, self.name(q[1], family).key)]
        else:
            rest = self.name(wide[1], family)
            allowed = {stem(t) for t in rest.tokens}
            hits = [(e, "the same name without its places") for e in pool if alike(rest.key, e.key) and all(
                {stem(t) for t in self.tokens(n)} <= allowed or self._same_places(n, wide[0])
                for n in self._names.get(str(e.iri), [e.name]))]
        return hits if len({e.iri for e, _ in hits}) == 1 else []

    def _same_places(self, name: str, places: frozenset[str]) -> bool:
        """Whether a name is qualified by these places, perhaps abbreviated ('Cov and Warks')."""
        q = self._places(name)
        return q is not None and tokens_match(tuple(sorted(q[0])), tuple(sorted(places)))

    def _initials(self, family: str, name: Name, pool: list[Entry]) -> list[Hit]:
        e = person_initials(pool, name.tokens)
        return [(e, "same person: initials")] if e else []

    def _new(self, kind: str, label: str, name: Name, period: str | None = None) -> Entry:
        family = family_of(kind)
        # A strategy's edition is in its IRI, so two editions never take turns at '-2'.
        stem = f"{self.base}{family}/{slug(label + (' ' + period if period else ''))}"
        iri, n = stem, 2
        while iri in self._by_iri:
            iri, n = f"{stem}-{n}", n + 1
        e = Entry(URIRef(iri), kind, label, name.tokens, name.key, period)
        self._add_entry(e)
        self._entry_names.add((iri, label))
        self._by_iri[iri] = e
        return e

    # -- text nodes (recommendations quoted from paper to paper) ------------------

    def add_text(self, type_name: str, iri: str, text: str) -> None:
        self.texts.setdefault(type_name, []).append((URIRef(iri), _norm_text(text)))

    def text_node(self, type_name: str, text: str, default: URIRef) -> URIRef:
        """An existing node whose text nearly matches (a plan quoting its review, with a
        word changed or two items run together), else `default`, remembered for later."""
        norm = _norm_text(text)
        pool = self.texts.setdefault(type_name, [])
        best = 0.0
        top: list[tuple[URIRef, str]] = []  # every text with the best score
        # A score below TEXT_MIN never decides; the cutoff lets rapidfuzz give up early
        # on those (one point below, so a score at TEXT_MIN is never rounded away).
        cutoff = TEXT_MIN - 1
        for iri, other in pool:
            score = fuzz.ratio(norm, other, score_cutoff=cutoff)
            if min(len(norm), len(other)) >= 60 and _partial_bound(norm, other) >= cutoff:
                score = max(score, fuzz.partial_ratio(norm, other, score_cutoff=cutoff))
            if score > best:
                best, top = score, [(iri, other)]
            elif score == best and score >= TEXT_MIN:
                top.append((iri, other))
        if best >= TEXT_MIN:
            # Equal scores (a text quoted within two longer ones scores 100 against each):
            # the text closest as a whole, then the one read first; never whichever the
            # store happened to list first.
            found = max(top, key=lambda t: fuzz.ratio(norm, t[1]))[0] if len(top) > 1 else top[0][0]
            if found != default:
                self.merges.append(Merge(text[:80], str(found), "", f"text match {best:.0f}/100"))
            return found
        pool.append((default, norm))
        return default

    # -- resolving --------------------------------------------------------------

    def lookup(self, m: Mention) -> Resolved | None:
        """The node a name already has, without making one (for abbreviations)."""
        label = self.expand(clean(m.text))
        kind = strategy_kind(label) or kind_of(label)
        period = None
        if kind in STRATEGY_KINDS:
            label, period = split_period(label)
        if kind == "any":
            return None
        family = family_of(kind)
        hit = self._match(family, self.name(label, family), None, period)
        return self.resolved(hit[0], None) if hit else None

    def _unaliased(self, text: str) -> tuple[str, str | None]:
        """A name without the place's possessive and the acronym it gives:
        "Coventry's Health and Wellbeing Board", 'Coventry City Council (CCC)'."""
        if self._place_possessive is not None:
            text = self._place_possessive.sub("", text)
        return strip_alias(text)

    @staticmethod
    def _within(text: str) -> tuple[str, str | None]:
        """A name and the parent it is named within: 'STP (Urgent and Emergency Care)',
        'Engagement workstream of the STP'."""
        inner = _WITHIN_BRACKETS.fullmatch(text)
        if inner and not is_acronym(inner[2]):
            return inner[2], inner[1]
        of = _PART_OF.fullmatch(text)
        return (of[1], of[2]) if of else (text, None)

    def __call__(self, m: Mention) -> Resolved | None:
        text, alias = self._unaliased(clean(m.text).strip(" .,;"))
        if alias and alias not in self.abbreviations:
            self._learn(alias, text)
        if not text:
            return None
        # A strategy's name is whole: 'Concordat for Better Mental Health' is no part of anything.
        named_strategy = m.kind in STRATEGY_KINDS or (m.kind == "any" and strategy_kind(text) is not None)
        text, within = (text, None) if named_strategy else self._within(text)
        parent = self(Mention(within, "any", m.span)) if within else None
        period = m.period
        if named_strategy and period is None:  # 'Better Care Fund Plan 2019/20'
            text, period = split_period(text)
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
        # A title that holds the period it was given ('Improvement Plan 2018') is matched by its words.
        name = self.name(split_period(label)[0] if named_strategy else label, family_of(kind))
        hit = self._match(family_of(kind), name, None, period) or self._by_other_name(m, name, kind, period)
        entry = hit[0] if hit else self._new(kind, label, name, period)
        iri = str(entry.iri)
        if hit and (iri, label) not in self._entry_names:
            # Known by this name too, for the paper's later mentions, as the store knows altLabels.
            self._add_entry(replace(entry, name=label, tokens=name.tokens, key=name.key))
            self._entry_names.add((iri, label))
        # A renamed strategy's new name may be a programme's words under its head word: not
        # a name written anywhere, so never its label.
        self._add_name(iri, text if family_of(kind) == "strategy" and self._renamed(text) else label)
        written = m.text.strip()
        via = hit[1] if hit and hit[1].startswith("another name") else None
        self._read[(written, iri)] = (text, label, period, via)
        reason = self.explain(written, text, label, entry, period, via)
        if period and entry.period is None:  # the first paper to date this strategy
            for e in self.entries:
                if e.iri == entry.iri:
                    e.period = period
        if reason:
            self.merges.append(Merge(written, iri, self.label_of(iri), reason))
        return replace(self.resolved(entry, parent), reason=reason)

    def _renamed(self, text: str) -> bool:
        """Whether the paper gives this name a new one (not an acronym's meaning)."""
        return " " in text and text in self.abbreviations

    def _by_other_name(self, m: Mention, name: Name, kind: str, period: str | None) -> Hit | None:
        """The node another name the paper gives the same thing names ('STP Plan' for the
        'Better Health Better Care Better Value plan (STP)'), when this name names none; not
        a shorter form of this name, which says less."""
        family = family_of(kind)
        for other in m.also:
            alt = self.expand(split_period(other)[0] if family == "strategy" else other)
            if set(self.tokens(alt)) <= set(name.tokens):
                continue
            hit = self._match(family, self.name(alt, family), None, period)
            if hit:
                return hit[0], f"another name the paper gives it, '{other}': {hit[1]}"
        return None

    def final(self, r: Resolved, written: str | None) -> Resolved:
        """A node as the whole paper names it: its label now every name is read, its kind,
        and why `written` (a name the paper gives it, if any) names it."""
        iri = str(r.iri)
        entry = self._by_iri.get(iri)
        if entry is None:
            return r
        out = self.resolved(entry, r.parent)
        if written is None or written == out.label:
            return out
        text, label, period, via = self._read.get((written, iri), (written, written, None, None))
        return replace(out, reason=self.explain(written, text, label, entry, period, via))

    def relabelled(self) -> dict[str, Relabel]:
        """Nodes this paper names more fully than the store did: their label now, so other
        papers' graphs can follow (graph/labels.py)."""
        out = {}
        for iri, stored in self._stored.items():
            label = self.label_of(iri)
            if label != stored:
                entry = self._by_iri[iri]
                why = self.explain(stored, stored, stored, entry) or "a name another paper gives in full"
                out[iri] = Relabel(label, self.resolved(entry, None).kind, {stored: why})
        return out

    def explain(self, written: str, inner: str, label: str, entry: Entry, period: str | None = None,
                via: str | None = None) -> str | None:
        """Why `written` names `entry`, judged against its preferred label only, so the
        answer is the same however often a paper is ingested. The reason is the ranked
        matcher's own, asked of that one label (or `via`, the other name that matched)."""
        why: list[str] = []
        if inner != written and not written.startswith(inner):
            why.append("a part named within the name")
        if label != inner:
            why.append("abbreviation expanded")
        preferred_label = self.label_of(str(entry.iri))
        if label != preferred_label:
            family = family_of(entry.kind)
            canon = self.name(preferred_label, family)
            preferred = replace(entry, name=preferred_label, tokens=canon.tokens, key=canon.key)
            # A strategy's other editions, so the reason says when the edition was a guess.
            editions = [e for e in self.entries if family == "strategy" and e.iri != entry.iri and e.key == preferred.key]
            hit = self._match(family, self.name(label, family), [preferred, *editions], period)
            why.append(hit[1] if hit and hit[0].iri == entry.iri else via or "a name an earlier paper gave it")
        return "; ".join(why) or None

    def resolved(self, e: Entry, parent: Resolved | None) -> Resolved:
        types: tuple[URIRef, ...] = (CLASSES[e.kind],)
        if e.kind in BODY_KINDS:
            types += (GG.Body,)
        elif e.kind in PROGRAMME_KINDS and e.kind != "programme":
            types += (GG.Programme,)
        elif e.kind in STRATEGY_KINDS and e.kind != "strategy":
            types += (GG.Strategy,)
        label = self.label_of(str(e.iri))
        org_kind = None
        if e.kind == "organisation":
            org_kind = ORG_KINDS.get(organisation_kind(label) or "", GG.other_org)
        return Resolved(e.iri, types, label, parent, org_kind)


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


