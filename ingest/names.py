"""Reading names: what kind of thing a name names, and splitting cells that hold several.

The word lists live in `names.toml`; nothing here knows any particular place or body.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from govgraph.ingest.text import clean

BODY_KINDS = ("board", "committee", "forum", "group", "partnership")
PROGRAMME_KINDS = ("programme", "workstream", "scheme", "project")
# The readings below are pure functions of a name, asked of the same names many times
# over a paper (every token of every line for `is_acronym`): they are cached.
NAMES_CACHED = 1 << 14


@dataclass(frozen=True)
class Vocab:
    head: dict[str, tuple[str, ...]]
    organisation: dict[str, tuple[str, ...]]
    titles: frozenset[str]
    none_phrases: tuple[str, ...]
    abbreviations: dict[str, str]


@cache
def vocab() -> Vocab:
    data = tomllib.loads(resources.files("govgraph.ingest").joinpath("names.toml").read_text("utf-8"))
    return Vocab(
        head={k: tuple(v) for k, v in data["head"].items()},
        organisation={k: tuple(v) for k, v in data["organisation"].items()},
        titles=frozenset(data["person"]["titles"]),
        none_phrases=tuple(data["none"]["phrases"]),
        abbreviations=dict(data["abbreviations"]),
    )


_WORD = re.compile(r"[a-z0-9&]+(?:[-'’][a-z0-9]+)*")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _has_phrase(text_words: list[str], phrase: str) -> bool:
    pw = phrase.split()
    n = len(pw)
    return any(text_words[i : i + n] == pw for i in range(len(text_words) - n + 1))


@lru_cache(maxsize=NAMES_CACHED)
def organisation_kind(name: str) -> str | None:
    """The kind of organisation a name names (council, ccg, ...), or None."""
    w = words(name)
    if not w:
        return None
    for kind, phrases in vocab().organisation.items():
        if any(_has_phrase(w, p) for p in phrases):
            return kind
    return None


_ASIDE = re.compile(r"\(.*?\)|[-–—]\s*[^-–—]*$")  # a bracketed aside, a dash and what follows


def head_kind(name: str) -> str | None:
    """The body or programme kind the name's last word says, if any."""
    w = words(_ASIDE.sub(" ", name)) or words(name)
    if not w:
        return None
    last = w[-1]
    for kind, heads in vocab().head.items():
        if last in heads:
            return kind
    return None


def abbreviates(short: str, full: str) -> bool:
    """'cov' abbreviates 'coventry'; 'warks' abbreviates 'warwickshire' (lower case)."""
    if len(short) < 3 or len(short) >= len(full) or short[0] != full[0]:
        return False
    if full.startswith(short):
        return True
    it = iter(full)
    return all(c in it for c in short)


_ACRONYM = re.compile(r"[A-Z][A-Za-z&]{1,11}")


@lru_cache(maxsize=NAMES_CACHED)
def is_acronym(text: str) -> bool:
    t = text.strip()
    return bool(_ACRONYM.fullmatch(t)) and sum(c.isupper() for c in t) >= 2


NAME_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*"
_NAME_WORD = re.compile(NAME_WORD)
_NAME_TOKEN = re.compile(NAME_WORD + r"|[A-Z]\.?")  # a name's word or an initial


@cache
def _vocab_words() -> frozenset[str]:
    """Every word of a body's head nouns and organisations' phrases: never a person's name."""
    v = vocab()
    return frozenset({w for heads in v.head.values() for h in heads for w in h.split()}
                     | {w for ps in v.organisation.values() for p in ps for w in p.split()})


@lru_cache(maxsize=NAMES_CACHED)
def is_person_name(text: str) -> bool:
    """Two to four capitalised words, perhaps after a title, none of them an
    organisation's or body's word."""
    t = text.strip().rstrip(".,")
    tokens = t.split()
    v = vocab()
    while tokens and tokens[0].lower().rstrip(".") in v.titles:
        tokens = tokens[1:]
    if not 2 <= len(tokens) <= 4:
        return False
    if not all(_NAME_TOKEN.fullmatch(tok) for tok in tokens):
        return False
    if not _NAME_WORD.fullmatch(tokens[-1]):
        return False
    v_words = _vocab_words()
    if any(tok.lower() in v_words for tok in tokens):
        return False
    return kind_of(" ".join(tokens), person_ok=False) == "any"


def _ends_with_organisation(name: str) -> bool:
    """'Coventry and Rugby Clinical Commissioning Group' ends with an organisation's
    phrase, so it names an organisation even though its head noun is 'Group'."""
    w = words(name)
    return any(
        len(p.split()) > 1 and w[-len(p.split()) :] == p.split() or p in ("ccg", "ccgs", "trust")
        and w and w[-1] == p
        for phrases in vocab().organisation.values()
        for p in phrases
    )


@lru_cache(maxsize=NAMES_CACHED)
def kind_of(name: str, *, person_ok: bool = True) -> str:
    """body kind, programme kind, 'organisation', 'person' or 'any'."""
    head = head_kind(name)
    if _ends_with_organisation(name):
        return "organisation"
    if head in BODY_KINDS or head in PROGRAMME_KINDS:
        # "Workstream of X" and "X programme" are programmes even inside an organisation.
        return head
    if organisation_kind(name):
        return "organisation"
    if head:
        return head
    if person_ok and is_person_name(name):
        return "person"
    return "any"


_ALIASED = re.compile(r"(.+?)\s*\(([A-Z][A-Za-z&]{1,11})\)")


def strip_alias(text: str) -> tuple[str, str | None]:
    """'Coventry City Council (CCC)' -> ('Coventry City Council', 'CCC')."""
    m = _ALIASED.fullmatch(text.strip()) if ")" in text else None
    if m and is_acronym(m[2]):
        return m[1].strip(), m[2]
    return text.strip(), None


def is_none_phrase(text: str) -> bool:
    t = text.lower().strip(" .")
    return not t or any(t.startswith(p) for p in vocab().none_phrases)


@dataclass(frozen=True)
class PersonText:
    name: str
    role: str | None
    organisation: str | None


_PERSON_START = rf"(?:(?:Dr|Prof|Professor|Cllr|Councillor|Mr|Mrs|Ms|Miss)\.?\s+)?{NAME_WORD}\s+{NAME_WORD}"
_SEE = re.compile(r"\((?:see|refer)[^)]*\)")
_PEOPLE_APART = re.compile(rf"\s+(?:and|&)\s+(?={_PERSON_START}\s*,)|;\s*")  # 'A B, Role and C D, Role'
_PERSON_PARTS = re.compile(r",\s*|\s+[–—-]\s+")
_IN_BRACKETS = re.compile(r"(.+?)\s*\((.+)\)")
_WITH_PARTNERS = re.compile(r"\b(?:linking|working|jointly)\s+with\s+(?:all\s+)?partners\b")
_SPACE = re.compile(r"\s+")
_TRAILING_PERSON = re.compile(rf"(.*?)[\s,]+({_PERSON_START}(?:\s+{NAME_WORD})?)")
_LEAD_PIECES = re.compile(r"\s+via\s+|\s*/\s*|;\s*")
_AND = re.compile(r"\s+(?:and|&)\s+")


def split_people(text: str) -> list[PersonText]:
    """'A B, Role, Org and C D, Role' -> people with roles and organisations."""
    text = _SEE.sub("", clean(text)).strip(" .;")
    chunks = _PEOPLE_APART.split(text) if ";" in text or "and" in text or "&" in text else [text]
    people = []
    for chunk in chunks:
        parts = [p.strip() for p in _PERSON_PARTS.split(chunk) if p.strip()]
        if not parts or not is_person_name(parts[0]):
            continue
        role = parts[1] if len(parts) > 1 else None
        org = ", ".join(parts[2:]) if len(parts) > 2 else None
        if role and org is None:
            # "Chief Operating Officer (UHCW)" carries its organisation in brackets.
            m = _IN_BRACKETS.fullmatch(role)
            if m and (is_acronym(m[2]) or organisation_kind(m[2])):
                role, org = m[1], m[2]
        people.append(PersonText(parts[0], role, org))
    return people


def split_lead_cell(text: str, known_people: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Split a lead cell mixing organisations, bodies and people into (name, kind) pairs.

    'CRCCG Jenni Northcote' -> [('CRCCG', 'any'), ('Jenni Northcote', 'person')]
    """
    text = clean(text)
    text = _SEE.sub("", text).strip(" .;,")
    text = _WITH_PARTNERS.sub(" ", text)
    text = _SPACE.sub(" ", text).strip(" ,")
    if is_none_phrase(text):
        return []
    people: list[tuple[str, str]] = []
    m = _TRAILING_PERSON.fullmatch(text)
    if m and m[1]:
        name = m[2]
        # Prefer the longest trailing run that is a known person, else two words.
        candidates = [name, " ".join(name.split()[-2:])]
        for cand in candidates:
            head = text[: len(text) - len(cand)].strip(" ,")
            if cand in known_people or (
                is_person_name(cand) and head and (kind_of(head, person_ok=False) != "any" or is_acronym(head.split()[-1].strip("()")))
            ):
                people.append((cand, "person"))
                text = head
                break
    elif is_person_name(text):
        return [(text, "person")]
    parts: list[str] = []
    for piece in _LEAD_PIECES.split(text):
        # Split "X and Y" only where each side stands alone as a name.
        sides = _AND.split(piece)
        if len(sides) > 1 and all(is_acronym(s) or kind_of(s) in ("organisation",) for s in sides):
            parts.extend(sides)
        else:
            parts.append(piece)
    named = [p.strip(" ,.-–") for p in parts]
    return [(p, kind_of(p)) for p in named if p and not is_none_phrase(p)] + people
