"""The words strategies are found and compared by (strategy.toml), and what a strategy's
name says of itself: its kind ('Strategy', 'Framework', 'Plan') and its period."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from govgraph.ingest.text import clean

HEADS = {"strategy": "Strategy", "framework": "Framework", "plan": "Plan"}
_PERIOD = r"(?:19|20)\d\d(?:\s*[-–/]\s*(?:(?:19|20)?\d\d))?"
_NAMEWORD = r"(?:[A-Z][\w'’&()-]*|and|of|for|&|the|on|to|in|a)"
NAME = re.compile(
    rf"\b((?:[A-Z][\w'’&()-]*\s+)(?:{_NAMEWORD},?\s+){{0,8}}?(?:Strategy|Framework|Plan))\b(?:\s*,?\s*({_PERIOD}))?"
)
NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
           "eight": "8", "nine": "9", "ten": "10"}


@dataclass(frozen=True)
class Words:
    generic: frozenset[str]
    suffixes: tuple[str, ...]
    priority_heading: re.Pattern[str]
    objective_heading: re.Pattern[str]
    success_heading: re.Pattern[str]
    list_cue: re.Pattern[str]
    list_cue_ends: tuple[str, ...]  # the last word of each list cue, in lower case
    objective_cue: re.Pattern[str]
    owner: re.Pattern[str]
    owner_subject: re.Pattern[str]
    duty: re.Pattern[str]  # 'a statutory requirement placed upon the X Board': group 1 the body
    owner_label: re.Pattern[str]  # 'Owner: X', 'Lead body: X' inside a strategy: group 1 the owner
    period_cue: re.Pattern[str]
    status: dict[str, tuple[str, ...]]
    section_plan: re.Pattern[str]
    heads: dict[str, str]  # head word as written -> Strategy, Framework or Plan
    not_start: frozenset[str]
    ends_before_and: frozenset[str]
    ignore: frozenset[str]  # words that never tell two strategies apart
    longest_line: int  # names in passing are read on lines no longer
    named: re.Pattern[str]
    head_word: re.Pattern[str]  # a head word anywhere: a line without one names no strategy


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def words() -> Words:
    d = tomllib.loads(resources.files("govgraph.ingest").joinpath("strategy.toml").read_text("utf-8"))
    named_body = rf"(?:{_NAMEWORD}[\s-]+){{0,8}}(?:{_alt(d['owner']['heads'])})\b"
    body = rf"({named_body})"
    return Words(
        generic=frozenset(d["title"]["generic"]),
        suffixes=tuple(d["title"]["suffixes"]),
        priority_heading=re.compile(
            rf"^[#*\s]*(?:\d+(?:\.\d+)*\.?\s+)?(?:{_alt(d['priority']['heading'])})\s+(\d{{1,2}}|{'|'.join(NUMBERS)})\b\s*[:.–—-]*\s*(.*?)[*\s]*$",
            re.IGNORECASE),
        objective_heading=re.compile(rf"^[#*\s]*(?:{_alt(d['objective']['heading'])})\s*:?[*\s]*$", re.IGNORECASE),
        success_heading=re.compile(rf"^[#*\s]*(?:{_alt(d['outcome']['heading'])})\s*[?:]?[*\s]*$", re.IGNORECASE),
        list_cue=re.compile(rf"\b(?:{_alt(d['priority']['list_cue'])})\b", re.IGNORECASE),
        list_cue_ends=tuple({c.split()[-1].lower() for c in d["priority"]["list_cue"]}),
        objective_cue=re.compile(rf"\b(?:{_alt(d['objective']['list_cue'])})\b.*:\s*$", re.IGNORECASE),
        owner=re.compile(rf"\b(?:{_alt(d['owner']['verbs'])})\s+(?:through|by)\s+(?:the\s+)?(?:multi-agency\s+)?{body}"),
        owner_subject=re.compile(rf"\b(?:[Tt]he\s+)?{body}\s+(?:{_alt(d['owner']['subject_verbs'])})\b"),
        duty=re.compile(rf"\b(?i:{_alt(d['owner']['duty'])})\s+(?:the\s+)?({named_body}(?:\s*\([A-Z][A-Za-z&]{{1,11}}\))?)"),
        owner_label=re.compile(rf"^[#*\s-]*(?:{_alt(d['owner']['labels'])})\s*[:–-]\**\s*(\S.*?)[*\s.]*$", re.IGNORECASE),
        period_cue=re.compile(rf"\b(?:{_alt(d['period']['cues'])})\s+((?:19|20)\d\d\s+to\s+(?:19|20)\d\d|{_PERIOD})\b", re.IGNORECASE),
        status={k: tuple(v) for k, v in d["status"].items()},
        section_plan=re.compile(rf"^[#*\s]*(?:{_alt(d['title']['section_plans'])})\s*:\s*(.+)$", re.IGNORECASE),
        heads=dict(d["name"]["heads"]),
        not_start=frozenset(d["name"]["not_start"]),
        ends_before_and=frozenset(d["name"]["ends_before_and"]),
        ignore=frozenset(d["resolve"]["ignore"]),
        longest_line=int(d["name"]["longest_line"]),
        named=_named_pattern(list(d["name"]["heads"]), d["name"]["post_or_body"]),
        head_word=re.compile(_any_head(list(d["name"]["heads"]))),
    )


def _named_pattern(heads: list[str], post_or_body: list[str]) -> re.Pattern[str]:
    """A run of capitalised words (and the small words names hold) ending in a head word
    ('Health and Wellbeing Strategy', 'Prevention Concordat for Better Mental Health'),
    perhaps with its period after it; not when a post's or a body's word follows ('Chief
    Strategy Officer', 'Plan Steering Group'). A head word is never inside a name, so
    'Housing Strategy and Homelessness Strategy' is two. Words are joined by spaces only:
    a name never runs across a table's cells."""
    any_head = _any_head(heads)
    word = rf"(?!{any_head}\b)(?:[A-Z][\w'’&-]*|[a-z]+[A-Z][\w&-]*|\([A-Z][A-Za-z&]{{1,11}}\))(?![\w'’&-])"
    join = r"(?:and|of|for|&|on|the|to|in)"
    post = "|".join(re.escape(w) for w in sorted(post_or_body, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w'’&-])(?:(?P<lead>{word}(?:,? +(?:{word}|{join})){{0,14}}?) +)?(?P<head>{any_head})\b"
        rf"(?:(?P<tail> +(?:for|on|of)(?: +(?!(?i:{post})\b){word}){{1,5}})|(?! +(?i:{post})\b))"
        rf"(?: *,? *\(?(?P<period>{_PERIOD})(?![0-9])\)?)?"
    )


_WELLBEING = re.compile(r"\bwell[\s-]+being\b")
_NOT_NORM = re.compile(r"[^a-z0-9 ]+")
_SPACE = re.compile(r"\s+")
_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*(?:[-–/]|to)\s*((?:19|20)?\d\d)")
_LETTERS = re.compile(r"[A-Za-z]+")
_TITLED_PERIOD = re.compile(rf"(.*?\S)\s*,?\s*\(?({_PERIOD})\)?")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _any_head(heads: list[str]) -> str:
    """A head word as written in strategy.toml, or in lower case."""
    head = "|".join(sorted(heads, key=len, reverse=True))
    return rf"(?:{head}|{head.lower()})"


def _norm(text: str) -> str:
    t = _WELLBEING.sub("wellbeing", clean(text).lower())
    return _SPACE.sub(" ", _NOT_NORM.sub(" ", t)).strip()


def norm_period(p: str) -> str:
    """'2016-19' -> '2016-2019', '2019 - 2024' -> '2019-2024', '2015 to 2020' -> '2015-2020'."""
    m = _YEAR_RANGE.fullmatch(p.strip())
    if not m:
        return p.strip()
    b = m[2] if len(m[2]) == 4 else m[1][:2] + m[2]
    return f"{m[1]}-{b}"


STRATEGY_KINDS = ("strategy", "framework", "plan")


def strategy_kind(name: str) -> str | None:
    """'strategy', 'framework' or 'plan' when a name's last word is a strategy's head
    word ('Workplace Wellbeing Charter' is a strategy), else None."""
    name, _ = split_period(name)
    last = _LETTERS.findall(name)[-1:]
    kind = words().heads.get(last[0].capitalize()) if last else None
    return kind.lower() if kind else None


def split_period(name: str) -> tuple[str, str | None]:
    """'Better Care Fund Plan 2019/20' -> ('Better Care Fund Plan', '2019-2020')."""
    m = _TITLED_PERIOD.fullmatch(name.strip())
    return (m[1], norm_period(m[2])) if m else (name.strip(), None)


def period_start(period: str | None) -> int | None:
    """The year an edition starts: 2016 for '2016-2019'."""
    m = _YEAR.search(period or "")
    return int(m[0]) if m else None
