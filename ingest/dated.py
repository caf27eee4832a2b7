"""The day a paper speaks for, when it states one: what `as at` views and queries compare.

In order:
1. A paper that holds meetings (an agenda pack, minutes) is dated by the latest of them:
   a pack is published for its own meeting and carries the minutes of earlier ones for
   approval, so nothing in it was said before the meeting it is for. (Each listed
   membership keeps its own meeting's date in gg:recordedOn.)
2. Else a report's cover sheet: its Date (the latest, if several).
3. Else a date line at the head of the paper: 'Date: 8 April 2019', 'Date of review:
   22 – 26 January 2018', 'Final Version - April 2018; completed March 2019', 'Updated
   as at 31 March 2019'. A phrase that names a span counts as its last day ('March
   2019' -> 2019-03-31): the paper is surely out by then.
A paper with none of these has no date, and an `as at` answer leaves it out.
"""

from __future__ import annotations

import re

from govgraph.ingest.records import Cell, Meeting, Report, Span
from govgraph.ingest.source import Source
from govgraph.ingest.text import DATE_PHRASE, ISO_DATE, latest_date

HEAD_LINES = 15  # a paper's head: this many non-blank lines
# Words that say a line dates the paper itself, not something it describes.
CUE = re.compile(r"^\W*date[ds]?\b|\bas\s+(?:at|of)\b|\bupdated\b|\bcompleted\b|\bapproved\b|\bversion\b|\bpublished\b",
                 re.IGNORECASE)


def document_date(src: Source, records: list[object]) -> Cell | None:
    """The paper's date as an ISO day, with the passage that states it; None when the
    paper states none (see the module docstring for the order)."""
    for kind in (Meeting, Report):
        dated = [r.date for r in records if isinstance(r, kind) and r.date is not None and ISO_DATE.fullmatch(r.date.value)]
        if dated:
            return max(dated, key=lambda c: c.value)
    return _head_date(src)


def _head_date(src: Source) -> Cell | None:
    seen = 0
    for n, line in enumerate(src.lines, 1):
        if not line.strip():
            continue
        seen += 1
        if seen > HEAD_LINES:
            return None
        if not CUE.search(line):
            continue
        # The date stands on the cue's line, or on the next line ('Date of review:' / '22 – 26 January 2018').
        for k in (n, n + 1):
            if k > len(src.lines):
                break
            days = [d for d in (latest_date(m.group(0)) for m in DATE_PHRASE.finditer(src.line(k))) if d]
            if days:
                day = max(day for day, _how in days)
                # The quote is the date's own line: evidence quotes stand as written within their lines.
                return Cell(day, Span(n, k, src.line(k).strip()[:300]))
            if k == n and re.search(r"[:\-–]\s*$", line) is None:
                break  # the value goes on the next line only after 'Date:' and the like
    return None
