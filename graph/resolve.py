"""Entity resolution: many spellings of one body, organisation, person or programme
become one node, and every merge is recorded with its reason.

Names are compared by a key: abbreviations expanded (the paper's own table first,
then the common ones in names.toml), 'Well-being'/'Wellbeing' folded, stop words and
word order ignored, and the paper's home place dropped ('Coventry Health and
Wellbeing Board' is that place's Health and Wellbeing Board). Then, in order: the same
key; the same words with some abbreviated ('Cov' for 'Coventry', 'Warks' for
'Warwickshire'); a fuzzy match (rapidfuzz) with the same head noun. A board and its
executive group never merge: their head nouns differ.
"""

from __future__ import annotations

import re
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
    return "person" if kind == "person" else "org"


@dataclass
class Entry:
    iri: URIRef
    kind: str
    label: str
    tokens: tuple[str, ...]
    key: frozenset[str]


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

    def key(self, toks: tuple[str, ...]) -> frozenset[str]:
        place = self.place.lower() if self.place else None
        titles = vocab().titles
        trimmed = [t for t in toks if t != place and t not in titles]
        return frozenset(trimmed or toks)

    # -- entries ----------------------------------------------------------------

    def add_known(self, iri: str, kind: str, labels: list[str]) -> None:
        """Seed with a node the store already holds, under each of its labels."""
        for label in labels:
            toks = self.tokens(label)
            e = Entry(URIRef(iri), kind, labels[0], toks, self.key(toks))
            self.entries.append(e)
        if labels:
            self._by_iri[iri] = self.entries[-1]

    def _find(self, family: str, toks: tuple[str, ...]) -> Entry | None:
        """The node of this family the words name, trying the closest kind of match first;
        `explain` says which kind it was."""
        key = self.key(toks)
        pool = [e for e in self.entries if family_of(e.kind) == family]
        for e in pool:
            if e.key == key:
                return e
        if family == "programme":
            # "Proactive and Preventative" is the "Preventative and Proactive workstream"
            bare = key - PROGRAMME_WORDS
            for e in pool:
                if bare and e.key - PROGRAMME_WORDS == bare:
                    return e
        for e in pool:
            if _tokens_match(toks, e.tokens):
                return e
        if family == "person":
            return self._person_initials(pool, toks)
        head = toks[-1] if toks else ""
        best: tuple[float, Entry | None] = (0.0, None)
        for e in pool:
            if e.tokens and e.tokens[-1] == head:
                score = fuzz.token_sort_ratio(" ".join(sorted(key)), " ".join(sorted(e.key)))
                if score > best[0]:
                    best = (score, e)
        return best[1] if best[0] >= FUZZY_MIN else None

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

    def _new(self, kind: str, label: str, toks: tuple[str, ...]) -> Entry:
        family = family_of(kind)
        stem = f"{self.base}{family}/{slug(label)}"
        iri, n = stem, 2
        while iri in self._by_iri:
            iri, n = f"{stem}-{n}", n + 1
        e = Entry(URIRef(iri), kind, label, toks, self.key(toks))
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
        kind = kind_of(label)
        if kind == "any":
            return None
        found = self._find(family_of(kind), self.tokens(label))
        return self.resolved(found, None) if found else None

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
        inner = re.fullmatch(r"(.+?)\s*\((.+)\)", text)
        of = re.fullmatch(r"(.+?\b(?:workstream|work-stream|sub-group|subgroup|project|scheme))\s+of\s+(?:the\s+)?(.+)", text, re.I)
        if inner and not is_acronym(inner[2]):
            parent = self(Mention(inner[1], "any", m.span))
            text = inner[2]
        elif of:
            parent = self(Mention(of[2], "any", m.span))
            text = of[1]
        label = self.expand(text)
        # A name the paper gives as an organisation or body ('Place Directorate') is not
        # a person's, however its words look.
        kind = kind_of(label, person_ok=m.kind in ("person", "any"))
        if kind == "any":
            kind = "person" if m.kind == "person" else (
                "workstream" if parent is not None and family_of(parent_kind(parent)) == "programme" else
                m.kind if m.kind in CLASSES and m.kind != "person" else "organisation"
            )
        if m.kind == "person" and kind != "person" and kind_of(label, person_ok=True) == "person":
            kind = "person"
        toks = self.tokens(label)
        entry = self._find(family_of(kind), toks) or self._new(kind, label, toks)
        reason = self.explain(m.text.strip(), text, label, entry)
        if reason:
            self.merges.append(Merge(m.text.strip(), str(entry.iri), entry.label, reason))
        return replace(self.resolved(entry, parent), reason=reason)

    def explain(self, written: str, inner: str, label: str, entry: Entry) -> str | None:
        """Why `written` names `entry`, judged against its preferred label only, so the
        answer is the same however often a paper is ingested."""
        why: list[str] = []
        if inner != written and not written.startswith(inner):
            why.append("a part named within the name")
        if label != inner:
            why.append("abbreviation expanded")
        if label != entry.label:
            family = family_of(entry.kind)
            toks, canon = self.tokens(label), self.tokens(entry.label)
            same = self.key(toks) == self.key(canon) or (
                family == "programme" and self.key(toks) - PROGRAMME_WORDS == self.key(canon) - PROGRAMME_WORDS
            )
            if same:
                why.append("same words")
            elif _tokens_match(toks, canon):
                why.append("same words, some abbreviated")
            elif family == "person" and self._person_initials([entry], toks):
                why.append("same person: initials")
            else:
                score = fuzz.token_sort_ratio(" ".join(sorted(self.key(toks))), " ".join(sorted(self.key(canon))))
                why.append(f"fuzzy match {score:.0f}/100" if score >= FUZZY_MIN else "a name an earlier paper gave it")
        return "; ".join(why) or None

    def resolved(self, e: Entry, parent: Resolved | None) -> Resolved:
        types: tuple[URIRef, ...] = (CLASSES[e.kind],)
        if e.kind in BODY_KINDS:
            types += (GG.Body,)
        elif e.kind in PROGRAMME_KINDS and e.kind != "programme":
            types += (GG.Programme,)
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


