"""Review reports: the recommendations (areas for improvement) a review makes.

A section opens at a cue heading ("Areas for improvement", "Recommendations", "We
recommend") and holds the bullet or numbered items below it, until the next heading.
"""

from __future__ import annotations

import re

from govgraph.ingest.names import kind_of, strip_alias
from govgraph.ingest.records import Cell, Mention, Review, Span
from govgraph.ingest.source import Source
from govgraph.ingest.text import clean

CUE = re.compile(
    r"^[#*\s]*(?:areas? for improvement|(?:key |our )?recommendations|we recommend(?: that)?|areas of focus"
    r"|what (?:the system|you) (?:should|must) (?:do|improve))\b[^.]*?[:*\s]*$",
    re.IGNORECASE,
)
ITEM = re.compile(r"^\s*(?:[-•*·–]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+(.*\S)")
REVIEW_WORD = re.compile(r"\b(?:review|inspection|peer challenge|audit)\b", re.IGNORECASE)


def _heading(line: str) -> bool:
    text = clean(line.lstrip("#"))
    return bool(text) and len(text) < 90 and not ITEM.match(line) and not text.endswith((".", ","))


def recommendations(src: Source) -> list[Cell]:
    """The items of every recommendations section."""
    out: list[Cell] = []
    inside = False
    for number, line in enumerate(src.lines, 1):
        if CUE.match(line):
            inside = True
            continue
        if not inside or not line.strip():
            continue
        m = ITEM.match(line)
        if m:
            out.append(Cell(clean(m.group(1)), Span(number, number, m.group(1).strip()[:300])))
        elif _heading(line) and out:
            inside = False
    return out


def reviewer(src: Source) -> Mention | None:
    """Who reviewed: the first organisation named beside the review team's leads
    ('Delivery Lead: Ann Ford, CQC'), else one named in the title block."""
    for number, line in enumerate(src.lines[:80], 1):
        m = re.search(r"\blead(?: reviewer)?:\s*[^,]+,\s*([A-Z][\w&' -]{1,60})$", line.strip(), re.IGNORECASE)
        if m:
            name, _ = strip_alias(m.group(1).strip())
            return Mention(name, "organisation", Span(number, number, m.group(0)))
    return None


def extract_review(src: Source, title: Cell) -> Review | None:
    """A review report and its recommendations, or None when the paper is no review."""
    recs = recommendations(src)
    head = " ".join(src.lines[:12])
    if not recs or not REVIEW_WORD.search(head):
        return None
    by = reviewer(src)
    if by is not None and kind_of(by.text) not in ("organisation", "any"):
        by = None
    return Review(title=title, span=Span(1, len(src.lines), title.span.quote), by=by, recommendations=recs)
