"""One paper in, every record it holds out: the entry point of ingest/."""

from __future__ import annotations

import re
from collections import Counter

import dataclasses

from govgraph.ingest.cover import extract_reports
from govgraph.ingest.dated import document_date
from govgraph.ingest.indicators import extract_indicators
from govgraph.ingest.strategy import extract_strategies
from govgraph.ingest.programme import programme_records
from govgraph.ingest.governance import relations
from govgraph.ingest.review import extract_review
from govgraph.ingest.glossary import abbreviations, people_lists, spelling_variants
from govgraph.ingest.meeting import extract_meetings
from govgraph.ingest.plan import extract_plan, plan_title
from govgraph.ingest.records import Abbreviation, Cell, Extraction, Mention, Span, field_names
from govgraph.ingest.source import Source


def extract(src: Source) -> Extraction:
    """Every record the paper holds, with diagnostics for what could not be placed."""
    people = people_lists(src)
    ex = Extraction(
        doc_id=src.doc_id,
        path=src.path,
        title=plan_title(src).value,
        place=home_place(src),
        pages=src.pages,
        abbreviations=abbreviations(src),
        people=people,
    )
    known = frozenset(p.text for p in people)
    plan = extract_plan(src, known, ex.diagnostics)
    if plan is not None:
        ex.records.append(plan)
        known |= {p.text for t in plan.themes for p in t.lead_people}
    review = extract_review(src, plan_title(src))
    if review is not None:
        ex.records.append(review)
    ex.records.extend(relations(src))
    ex.records.extend(extract_meetings(src))
    ex.records.extend(extract_reports(src))
    ex.records.extend(extract_indicators(src))
    read_by_plan = [(plan.title.span.first, max(a.span.last for a in plan.actions))] if plan is not None else []
    # Names the paper gives organisations and bodies, so a strategy's name in passing never swallows one.
    named = frozenset(m.text for m in mentions([*ex.records, *people]) if m.kind not in ("strategy", "framework", "plan"))
    glossary = {a.short: a.long for a in ex.abbreviations}
    ex.records.extend(extract_strategies(src, read_by_plan, named, glossary))
    ex.records.extend(programme_records(src))
    ex.date = document_date(src, ex.records)
    names = {m.text for m in mentions(ex.records)} | {a.long for a in ex.abbreviations}
    ex.abbreviations.extend(spelling_variants(src, names))
    if not ex.records and not people:
        empty = not any(line.strip() for line in src.lines)
        ex.diagnostics.append(
            f"{src.path}: warning: the file is empty — nothing to ingest" if empty
            else f"{src.path}: warning: no section of a kind govgraph reads was found"
        )
    else:
        unread = unread_sections(src, ex.records + list(people) + list(ex.abbreviations))
        if unread:
            first, heading = unread[0]
            ex.diagnostics.append(
                f"{src.path}:{first}: note: {len(unread)} of {len(sections(src))} sections not read "
                f"by any extractor, the first '{heading[:60]}'"
            )
    return ex


def sections(src: Source) -> list[tuple[int, int, str]]:
    """(first, last, heading) of each section: a short title-like line after a blank
    line (or a markdown heading) opens one."""
    starts: list[tuple[int, str]] = []
    lines = src.lines
    for n, line in enumerate(lines, 1):
        text = line.strip().strip("#* ").strip()
        if not text or "\t" in line or len(text) > 90 or text.endswith((".", ",", ";")):
            continue
        if line.lstrip().startswith("#") or (n == 1 or not lines[n - 2].strip()) and text[0].isupper():
            if not _LIST_ITEM.match(line.strip()):
                starts.append((n, text))
    out = []
    for i, (n, heading) in enumerate(starts):
        last = starts[i + 1][0] - 1 if i + 1 < len(starts) else len(lines)
        if any(lines[k - 1].strip() for k in range(n + 1, last + 1)):
            out.append((n, last, heading))
    return out


_LIST_ITEM = re.compile(r"^[-•*]|\d+[.)]\s")
_PLAIN = (str, int, tuple, type(None))  # field values that hold no record


def _is_record(item: object) -> bool:
    return not isinstance(item, _PLAIN) and dataclasses.is_dataclass(item) and not isinstance(item, type)


def _spans(records: list[object]) -> list[Span]:
    """Every value's span in the records (not the records' own, which may cover a paper)."""
    out: list[Span] = []
    for rec in records:
        if isinstance(rec, (Cell, Mention, Abbreviation)):
            out.append(rec.span)
            continue
        if not dataclasses.is_dataclass(rec):
            continue
        for name in field_names(type(rec)):
            value = getattr(rec, name)
            for item in value if isinstance(value, list) else (value,):
                if isinstance(item, (Cell, Mention)) or _is_record(item):
                    out.extend(_spans([item]))
    return out


def unread_sections(src: Source, records: list[object]) -> list[tuple[int, str]]:
    """Sections in which no extracted value stands: reported, never silently dropped."""
    read = sorted({(sp.first, sp.last) for sp in _spans(records)})
    return [
        (first, heading) for first, last, heading in sections(src)
        if not any(a <= last and b >= first for a, b in read)
    ]


def mentions(records: list[object]) -> list[Mention]:
    """Every name the records hold, nested records included."""
    out: list[Mention] = []
    for rec in records:
        for name in field_names(type(rec)):
            value = getattr(rec, name)
            for item in value if isinstance(value, list) else (value,):
                if isinstance(item, Mention):
                    out.append(item)
                elif _is_record(item):
                    out.extend(mentions([item]))
    return out


_COUNCIL = re.compile(
    # A place's name, not a word opening a sentence ('The City Council'); of places joined
    # by 'and' ('Coventry and Rugby CCG') the first.
    r"(?<!\band\s)(?<!&\s)\b(?!(?:The|This|That|These|Those|Each|Every|Our|Your|Their|Its|A|An|Any|All|Both"
    r"|Local|Joint)\b)([A-Z][a-z]+)(?:\s+(?:and|&)\s+[A-Z][a-z]+)*\s+"
    r"(?:(?:City|County|Borough|District|Metropolitan Borough)\s+Council"
    r"|Health\s+(?:and|&)\s+Well[\s-]?[Bb]eing\s+Board|Integrated\s+Care\s+(?:Board|System|Partnership)"
    r"|CCG|Clinical\s+Commissioning\s+Group)\b"
)


# Every name _COUNCIL matches holds one of these words: a line without them names none.
_COUNCIL_WORDS = ("Council", "Board", "Integrated", "CCG", "Commissioning")


def home_place(src: Source) -> str | None:
    """The place whose council (or health and wellbeing board, CCG, integrated care
    board) the paper names most: 'Coventry' for one that names 'Coventry City Council'
    most. Resolution drops it from body names."""
    counts = Counter(m.group(1) for line in src.lines if any(w in line for w in _COUNCIL_WORDS)
                     for m in _COUNCIL.finditer(line))
    return counts.most_common(1)[0][0] if counts else None
