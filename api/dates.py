"""Dates as papers write them ("2019-03-31", "Sept 2018", "Mar-19", "2019") as the
span of days they can mean, so a filter can ask "due before 1 Oct 2018?"."""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS["sept"] = 9

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_MONTH_YEAR = re.compile(r"^\s*(?:end(?: of)?\s+)?([A-Za-z]{3,9})\.?[\s\-/']*(\d{4}|\d{2})\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?\s+(\d{4})\s*$")
_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _month(text: str) -> int | None:
    key = text.lower()
    return _MONTHS.get(key[:4] if key.startswith("sept") else key[:3])


def span(text: str | None) -> tuple[date, date] | None:
    """First and last day a date as written can mean; None when it names no date
    ("ongoing", "TBC", "Q3")."""
    if not text:
        return None
    try:
        if m := _ISO.match(text):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := _DMY.match(text):
            month = _month(m[2])
            if month:
                d = date(int(m[3]), month, int(m[1]))
                return d, d
        if m := _SLASHED.match(text):  # UK order: day/month/year
            d = date(_year(m[3]), int(m[2]), int(m[1]))
            return d, d
        if m := _MONTH_YEAR.match(text):
            month = _month(m[1])
            if month:
                y = _year(m[2])
                return date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1])
        if m := _YEAR.match(text):
            y = int(m[1])
            return date(y, 1, 1), date(y, 12, 31)
    except ValueError:
        return None
    return None
