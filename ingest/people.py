"""People as meeting papers list them: 'Councillor Caan (Chair)', 'Liz Gaulton, Director
of Public Health', 'Councillor Abbott, Councillor Duggins and Steve Banbury, Voluntary
Action Coventry'. Shared by the minutes' attendance lists, agendas and cover sheets.

Ranks and words that never name a person live in `meeting.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from govgraph.ingest.names import BODY_KINDS, PROGRAMME_KINDS, is_acronym, kind_of, organisation_kind, vocab
from govgraph.ingest.records import Mention, Span
from govgraph.ingest.text import clean


@cache
def cues() -> dict:
    """The cue words of meeting papers (meeting.toml)."""
    return tomllib.loads(resources.files("govgraph.ingest").joinpath("meeting.toml").read_text("utf-8"))


_TOKEN = re.compile(r"[A-Z][A-Za-z]*[a-z](?:[-'’][A-Z][A-Za-z]*[a-z])*|[A-Z]['’][A-Z][a-z]+|[A-Z]\.?")
_INITIAL = re.compile(r"[A-Z]\.?")


@cache
def _not_name_words() -> frozenset[str]:
    v = vocab()
    out = {w for heads in v.head.values() for h in heads for w in h.split()}
    out |= {w for ps in v.organisation.values() for p in ps for w in p.split()}
    out |= set(cues()["people"]["not_names"])
    return frozenset(out)


def person_name(text: str) -> str | None:
    """The name as the mention should carry it (ranks dropped, honorifics kept), when
    the text is a person's name and nothing more; else None."""
    t = clean(text).strip(" .,;:")
    low = t.lower()
    for rank in sorted(cues()["people"]["ranks"], key=len, reverse=True):
        if low.startswith(rank + " "):
            t = t[len(rank):].strip()
            break
    toks = t.split()
    i, titles = 0, vocab().titles
    while i < len(toks) and toks[i].lower().rstrip(".") in titles:
        i += 1
    rest = toks[i:]
    if not (1 if i else 2) <= len(rest) <= 4:
        return None
    if not all(_TOKEN.fullmatch(x) for x in rest) or _INITIAL.fullmatch(rest[-1]):
        return None
    if any(x.lower() in _not_name_words() for x in rest) or _NOT_A_NAME.search(" ".join(rest)):
        return None
    if kind_of(" ".join(rest), person_ok=False) != "any":
        return None
    return t


def _titled(text: str) -> bool:
    first = clean(text).split()[:1]
    return bool(first) and first[0].lower().rstrip(".") in vocab().titles


def org_like(text: str) -> bool:
    """Names an organisation or body rather than a role."""
    k = kind_of(text, person_ok=False)
    return k == "organisation" or k in BODY_KINDS or k in PROGRAMME_KINDS or is_acronym(text) or bool(organisation_kind(text))


_POSTS = ("Officer", "Director", "Executive", "Manager", "Lead", "Head", "Chair", "Chairman", "Chairperson", "Leader",
          "Commissioner", "Nurse", "Consultant", "Adviser", "Advisor", "Secretary", "President", "Dean", "Chancellor",
          "Superintendent", "Constable")
_MORE_POSTS = ("Member", "Councillor", "Coordinator", "Co-ordinator", "Analyst", "Worker", "Practitioner", "Clerk",
               "Governor", "Mayor", "Deputy", "Assistant", "Specialist", "Principal", "Treasurer", "Trustee",
               "Representative", "Champion", "Administrator", "Accountant", "Solicitor", "Inspector", "Doctor", "GP",
               "Professor", "Partner")
# Posts that are never also a surname or first name, and words that make a team of a name.
_NEVER_NAMES = ("Officer", "Director", "Executive", "Manager", "Chairman", "Chairperson", "Commissioner", "Nurse",
                "Consultant", "Adviser", "Advisor", "Secretary", "President", "Superintendent", "Councillor",
                "Coordinator", "Co-ordinator", "Analyst", "Worker", "Practitioner", "Specialist", "Administrator",
                "Accountant", "Solicitor", "Representative", "Service", "Team", "Unit", "Directorate", "Department",
                "Senior", "Interim", "Acting")


def _any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(words)})s?\b")


_ROLE_THEN_ORG = re.compile(rf"(.*?\b(?:{'|'.join(_POSTS)}))\s+((?:NHS|The)\b.*|[A-Z].*)")
_POST_WORD = _any_word(_POSTS + _MORE_POSTS)
# 'Senior Analyst' and 'Governance Services' are a post and a team, not people.
_NOT_A_NAME = _any_word(_NEVER_NAMES)


@dataclass
class _Person:
    name: str
    role: str | None = None
    org: str | None = None


_SEE = re.compile(r"\((?:see|refer)[^)]*\)")
_PIECES = re.compile(r"\s*[,;]\s*|\s+[–—]\s+|\s+-\s+")
_AND = re.compile(r"\s+(?:and|&)\s+")
_LAST_BRACKETS = re.compile(r"\s*\(.*\)$")
_NOTE = re.compile(r"(.+?)\s*\(([^)]*)\)")


def parse_people(text: str) -> list[_Person]:
    """Every person a line names, each with the role and organisation written after it."""
    text = _SEE.sub("", clean(text)).strip(" .;")
    people: list[_Person] = []
    for part in (p.strip() for p in _PIECES.split(text)):
        if not part:
            continue
        sides = _AND.split(part)
        split = len(sides) > 1 and all(person_name(_LAST_BRACKETS.sub("", s)) for s in sides)
        for piece in sides if split else [part]:
            bracket = _NOTE.fullmatch(piece)
            bare, note = (bracket[1], bracket[2]) if bracket else (piece, None)
            name = person_name(bare)
            prev = people[-1] if people else None
            if name and (prev is None or split or _titled(bare) or (prev.role is None and prev.org is None)):
                person = _Person(name)
                if note:
                    if org_like(note):
                        person.org = note
                    else:
                        person.role = note
                people.append(person)
            elif prev is not None:
                post = _ROLE_THEN_ORG.fullmatch(piece)
                if prev.role is None and prev.org is None and post and org_like(post[2]):
                    # 'Chief Officer NHS Warwickshire North': a post run into its organisation
                    prev.role, prev.org = post[1], post[2]
                elif prev.role is None and prev.org is None and not org_like(piece):
                    prev.role = piece
                elif prev.org is None:
                    prev.org = piece
                else:
                    prev.org = f"{prev.org}, {piece}"
    for p in people:
        if p.role and p.org and not _POST_WORD.search(p.role) and not org_like(p.role) and not org_like(p.org):
            # 'Better Health, Better Care, Better Value': one name with commas in it, no post.
            p.role, p.org = None, f"{p.role}, {p.org}"
    return people


def mentions(text: str, span: Span) -> list[Mention]:
    """Person mentions (with role and organisation) for the people a line names."""
    out = []
    for p in parse_people(text):
        org = Mention(p.org, "any", span) if p.org else None
        out.append(Mention(p.name, "person", span, p.role, org))
    return out
