"""Cleaning cell text and reading dates as papers write them."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from functools import lru_cache

_TAG = re.compile(r"</?(?:p|ul|ol|li|br|i|b|em|strong|span|div|u|sup|sub)\b[^>]*>", re.IGNORECASE)


@lru_cache(maxsize=1 << 14)  # each extractor cleans the paper's lines again
def clean(text: str) -> str:
    """Drop stray HTML fragments and markdown bold, unescape entities, fold spaces."""
    if "<" in text:  # most cells hold no markup: skip the regex for them
        text = _TAG.sub(" ", text)
    text = html.unescape(text).replace("**", " ")
    return " ".join(text.split())  # str.split's whitespace is re's \s: the same folding, faster


_LINE_MARK = re.compile(r"^\s*(?:#+|[-•*]\s)\s*")  # a heading's hashes, a bullet


@lru_cache(maxsize=1 << 14)  # sections are found by reading the lines around each again
def bare(line: str) -> str:
    """A line without markdown heading marks, bullets, bold and HTML fragments."""
    return clean(_LINE_MARK.sub("", line))


def paragraphs(text: str) -> list[str]:
    """Split a cell on its <p> fragments (one success measure per paragraph)."""
    parts = re.split(r"</p>\s*<p>|<p>|</p>", text, flags=re.IGNORECASE)
    return [c for c in (clean(p) for p in parts) if c]


MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
FULL_DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s*,?\s+(\d{{4}})\b", re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTH_YEAR = re.compile(rf"\b({_MONTH})\s*(?:'|20)?(\d{{2}}|\d{{4}})?\b", re.IGNORECASE)
QUARTER = re.compile(r"\bQ[1-4]\s*(?:\d{4}(?:/\d{2,4})?)?", re.IGNORECASE)
DATE_PHRASE = re.compile(
    rf"{FULL_DATE.pattern}|{NUMERIC_DATE.pattern}|{ISO_DATE.pattern}|\b{_MONTH}\s+\d{{4}}\b|{QUARTER.pattern}",
    re.IGNORECASE,
)


def iso_date(text: str) -> str | None:
    """An ISO 8601 date when the text is one full date, else None."""
    text = text.strip()
    for rx, order in ((FULL_DATE, "dmy"), (NUMERIC_DATE, "dmy_num"), (ISO_DATE, "ymd")):
        m = rx.fullmatch(text) or rx.match(text)
        if not m or m.end() != len(text.rstrip(". ")):
            continue
        try:
            if order == "dmy":
                return date(int(m[3]), MONTHS[m[2].lower().rstrip(".")], int(m[1])).isoformat()
            if order == "dmy_num":
                return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except (ValueError, KeyError):
            return None
    return None


def first_date_phrase(text: str) -> str | None:
    """The first thing in the text that reads as a date or month, as written."""
    m = DATE_PHRASE.search(text)
    return m.group(0).strip() if m else None


_COVER_TITLE = re.compile(r"^\s*(?:#+\s*)?Title\s*:\s*(.+)$")
_COVER_TO = re.compile(r"^\s*To\s*:\s*\S")


def cover_opens(line: str) -> tuple[bool, str | None]:
    """Whether a line opens a report's cover sheet ('Title:' or 'To:'), and the title it
    gives: programme and strategy papers each start afresh there."""
    m = _COVER_TITLE.match(line)
    if m:
        return True, m[1]
    return bool(_COVER_TO.match(line)), None


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    s = _NOT_SLUG.sub("-", text.lower().replace("&", " and ")).strip("-")
    return s[:80].rstrip("-") or "x"


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))


def latest_date(text: str) -> tuple[str, str] | None:
    """The last day a date phrase can mean, with the assumption made, for comparing
    deadlines: 'Sept 2018' -> ('2018-09-30', 'end of month'). None when the text
    names no date ('ongoing')."""
    t = clean(text)
    iso = iso_date(t)
    if iso:
        return iso, "the date as written"
    m = re.search(r"\bQ([1-4])\s*(\d{4})\s*/\s*(\d{2,4})\b", t, re.IGNORECASE)
    if m:  # financial-year quarter: Q1 is April-June
        q, y = int(m[1]), int(m[2])
        year, month = (y, 3 * q + 3) if q < 4 else (y + 1, 3)
        return _month_end(year, month).isoformat(), f"end of Q{q} of financial year {m[2]}/{m[3]}"
    m = re.search(r"\bQ([1-4])\s*(\d{4})\b", t, re.IGNORECASE)
    if m:
        q, y = int(m[1]), int(m[2])
        return _month_end(y, 3 * q).isoformat(), f"end of calendar Q{q} {y}"
    m = re.search(rf"\b({_MONTH})\s*,?\s*(\d{{4}})\b", t, re.IGNORECASE)
    if m:
        month = MONTHS.get(m[1].lower().rstrip("."))
        if month:
            return _month_end(int(m[2]), month).isoformat(), "end of month"
    m = re.search(r"\b(20\d\d)\s*/\s*(\d{2})\b", t)
    if m:
        return date(int(m[1]) + 1, 3, 31).isoformat(), f"end of financial year {m[1]}/{m[2]}"
    m = re.search(r"\b(20\d\d)\b", t)
    if m:
        return date(int(m[1]), 12, 31).isoformat(), "end of year"
    return None
