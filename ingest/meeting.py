"""Meeting packs: an agenda gives a meeting (body, date, time, place) and its numbered
items with whose report each is; minutes give the meeting they record, who was
present or sent apologies, the numbered minutes and what each resolved.

Sections are found by structure and cue words (meeting.toml), wherever they stand in
the paper: a pack holds an agenda, minutes of an earlier meeting and report cover
sheets, in any order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from govgraph.ingest.cover import cover_ranges
from govgraph.ingest.names import BODY_KINDS, kind_of
from govgraph.ingest.people import cues, mentions, org_like, parse_people, person_name
from govgraph.ingest.records import AgendaItem, Cell, Meeting, Membership, Mention, Minute, Resolution, Span
from govgraph.ingest.source import Source
from govgraph.ingest.text import FULL_DATE, bare, clean, iso_date

TIME = re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])|\b\d{1,2}[:.]\d{2}\b|\bnoon\b", re.I)
_PAGES = re.compile(r"\s*\((?:pages?|p\.)\s*[\d\s,–-]+\)\s*$", re.I)
_WELLBEING = re.compile(r"\bwell[\s-]+being\b", re.I)
_THE = re.compile(r"^the\s+", re.I)
_THAT = re.compile(r"^that\s+", re.I)
_SPACE = re.compile(r"\s+")
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_MINUTES_OF = re.compile(r"minutes\s+of\b", re.I)
_HELD = re.compile(r"held\b.*", re.I)
_FIRST_NAME_END = re.compile(r"[,(]| and ")
_MEMBERS = re.compile(r"\bmembers?\b", re.I)
_UNIT_WORD = re.compile(r"\b(?:directorate|department|service)s?$", re.I)
_CHAIR_WORD = re.compile(r"\bchair", re.I)
_AND = re.compile(r"\s+(?:and|&)\s+")
_LAST_BRACKETS = re.compile(r"\s*\([^)]*\)$")
_NOTE = re.compile(r"(.+?)\s*\(([^)]*)\)")


def cell(src: Source, n: int, value: str) -> Cell:
    return Cell(value, span(src, n))


def span(src: Source, first: int, last: int | None = None) -> Span:
    return Span(first, last or first, src.line(first).strip())


def _alternatives(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def _labelled(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A line opening with one of the labels: group 2 the colon, if any; 3 the value."""
    return re.compile(rf"({_alternatives(labels)})\b\s*(:)?\s*(.*)$", re.I)


@cache
def _opening(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A line opening with one of the words and a space, no colon: group 2 the rest."""
    return re.compile(rf"({_alternatives(labels)})\s+(.*)$", re.I)


def label_value(text: str, labels: list[str], free: bool = False) -> tuple[str, str] | None:
    """'Date: 8 April 2019' -> ('date', '8 April 2019'); a label alone on its line gives ''.
    Without a colon a value may follow the label only when `free` ('Report of X')."""
    m = _labelled(tuple(labels)).match(text)
    if not m or (not m[2] and m[3] and not free):
        return None
    return m[1].lower(), m[3].strip()


# -- item headings -------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    line: int
    number: int
    title: str


_HEADING = re.compile(r"^\s*(#+\s*)?(?:\*\*)?(?:(?:item|minute)\s+)?(\d{1,3})(\.|\)|:)?(?:\*\*)?\s+(.+?)\s*$", re.I)


def heading(src: Source, n: int) -> Heading | None:
    """'5. **Young People and Violence** (Pages 19 - 20)' -> 5, 'Young People and Violence'."""
    m = _HEADING.match(src.line(n))
    if not m or not (m[1] or m[3]):
        return None
    title = _PAGES.sub("", clean(m[4])).strip(" *")
    if not title or not (title[0].isupper() or title[0].isdigit() or title[0] in "'‘\"“") or len(title) > 160:
        return None
    if title.endswith(".") and len(title.split()) > 10:
        return None  # a numbered paragraph, not a heading
    return Heading(n, int(m[2]), title)


def numbered_run(src: Source, start: int, end: int, first: int | None = None) -> list[Heading]:
    """Consecutively numbered headings from line `start` (exclusive `end`)."""
    out: list[Heading] = []
    for n in range(start, end):
        h = heading(src, n)
        if h is None:
            continue
        if (not out and (first is None or h.number == first)) or (out and h.number == out[-1].number + 1):
            out.append(h)
    return out


# -- meetings --------------------------------------------------------------------------


def meeting_key(body: str, iso: str) -> str:
    body = _WELLBEING.sub("Wellbeing", body)
    body = _THE.sub("", body)
    body = _SPACE.sub(" ", body).strip()
    return f"{body} {iso}"


def body_kind(name: str) -> str:
    """kind_of, reading 'Well-being' and 'Co-ordination' as their words."""
    return kind_of(_INNER_HYPHEN.sub(" ", name), person_ok=False)


def body_mention(name: str, sp: Span) -> Mention | None:
    """The body a meeting is of; None when the name reads as an organisation (a full
    council meeting), which a meeting cannot be 'of' in the ontology."""
    kind = body_kind(name)
    if kind in BODY_KINDS:
        return Mention(name, kind, sp)
    if kind == "any":
        return Mention(name, "board", sp)
    return None


def _date_in(text: str) -> str | None:
    m = FULL_DATE.search(text)
    return iso_date(m.group(0)) if m else None


# -- minutes ---------------------------------------------------------------------------


def _line_above(src: Source, n: int) -> str:
    """The nearest non-blank line within three above line n (a masthead or heading), bare."""
    return next((bare(src.line(k)) for k in range(n - 1, max(0, n - 4), -1) if bare(src.line(k))), "")


def _body_above(src: Source, n: int) -> str | None:
    """The body named on the nearest line above line n ('Adult Care Committee')."""
    above = _line_above(src, n)
    return above if above and len(above.split()) <= 12 and body_kind(above) in BODY_KINDS else None


def minutes_header(src: Source, n: int) -> tuple[str, str, int] | None:
    """'Minutes of the Meeting of X held at 2.00 pm / on Monday, 14 January 2019' ->
    (body, ISO date, last line used)."""
    text = bare(src.line(n))
    if not _MINUTES_OF.match(text):
        return None
    for last in (n, n + 1, n + 2):
        if last > len(src.lines):
            break
        joined = " ".join(bare(src.line(k)) for k in range(n, last + 1))
        m = _minutes_heading().match(joined)
        if not m:
            continue
        body = m[1].strip(" ,")
        if _HELD.fullmatch(body):
            # 'Minutes of the meeting held on ...': the body is named in the heading above.
            body = _body_above(src, n) or ""
            if not body:
                return None
        iso = _date_in(m[2])
        if body.lower() in cues()["minutes"]["not_bodies"] or len(body.split()) > 12:
            return None
        if iso:
            return (body.title() if body.isupper() else body), iso, last
    return None


@cache
def _minutes_heading() -> re.Pattern[str]:
    """'Minutes of [the meeting of] X held ... / on ... / , ...': group 1 the body, 2 the rest."""
    pre = _alternatives(cues()["minutes"]["preamble"])
    return re.compile(
        rf"minutes\s+of\s+(?:(?:{pre})\s+)*(.+?)\s*(?:\bmeeting\s+)?(?:\bheld\b|[,–—]|\s-\s|\bon\b)(.*)$", re.I)


def _is_end(text: str) -> bool:
    low = text.lower().strip("() *#")
    return any(low.startswith(e) for e in cues()["minutes"]["end"])


def _attendance_cue(text: str) -> tuple[str, str] | None:
    c = cues()["minutes"]
    for kind in ("apologies", "present"):
        lv = label_value(text, c[kind])
        if lv is None:
            m = _opening(tuple(c[kind])).match(text)
            if m and parse_people(m[2]) and person_name(_FIRST_NAME_END.split(m[2])[0]):
                lv = (m[1], m[2])
        if lv is not None:
            return kind, lv[1]
    return None


_GROUP_LABEL = re.compile(r"^([A-Z][\w&/' -]{0,40}?(?:\s*\([^)]*\))?)\s*:\s*(.*)$")


# 'Employees (by Directorate):' then 'Place: L Knight': the labels that follow name units.
_BY_UNIT = re.compile(r"\b(?:employees|officers|staff)\b.*\b(?:directorates?|departments?|services?)\b", re.I)


def _unit_name(label: str) -> str:
    """'Place' -> 'Place Directorate', as the papers name a directorate elsewhere."""
    return label if _UNIT_WORD.search(label) else f"{label} Directorate"


def attendance(src: Source, start: int, end: int, issuer: str | None = None
               ) -> tuple[list[Mention], list[Mention], list[Mention]]:
    """People present and sending apologies, from the lists between lines start..end,
    and those of them listed as the body's members ('Board Members:', 'Members:').
    Employees listed by directorate belong to that directorate of `issuer`, the
    organisation whose minutes these are."""
    lists: dict[str, list[Mention]] = {"present": [], "apologies": []}
    members: list[Mention] = []
    in_members = False
    by_unit = False
    unit: str | None = None
    current: str | None = None
    for n in range(start, end):
        text = bare(src.line(n))
        if not text:
            continue
        cue = _attendance_cue(text)
        if cue:
            current, text = cue
            if not text:
                continue
        elif current is None:
            continue
        elif heading(src, n):
            break
        group = _GROUP_LABEL.match(text)
        if group and not person_name(group[1]):
            in_members = bool(_MEMBERS.search(group[1])) and current == "present"
            unit = _unit_name(group[1]) if by_unit and not in_members else None
            by_unit = bool(_BY_UNIT.search(group[1])) or (by_unit and unit is not None)
            text = group[2]
            if not text:
                continue
        elif cue:
            in_members, by_unit, unit = False, False, None
        found = mentions(text, span(src, n))
        if unit:
            org = Mention(f"{issuer} ({unit})" if issuer else unit, "organisation", span(src, n))
            found = [replace(m, organisation=m.organisation or org) for m in found]
        if not found:
            if current and lists[current]:
                current = None  # the list has ended
            continue
        lists[current].extend(found)
        if in_members:
            members.extend(found)
    return lists["present"], lists["apologies"], members


def decision_start(text: str) -> str | None:
    """The decision's own words after its cue ('' when clauses follow), or None."""
    upper, labelled, stated = _decision_cues()
    m = upper.match(text)
    if m:
        return m[1]
    m = labelled.match(text)
    if m:
        return m[1] or ""
    m = stated.match(text)
    if m and m[1].strip(" :"):
        return text
    return None


@cache
def _decision_cues() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A decision opened by a word in capitals ('RESOLVED that'), a label ('Decision:'),
    or a subject and verb ('The Board agreed ...')."""
    c = cues()["decision"]
    return (
        re.compile(rf"(?:{'|'.join(map(re.escape, c['upper']))})\b\s*[:–-]?\s*(?:that\b)?\s*:?\s*(.*)$"),
        re.compile(rf"(?:{_alternatives(c['labelled'])})\s*:\s*(.*)$", re.I),
        re.compile(rf"(?:the\s+)?(?:{_alternatives(c['subjects'])})\s+(?:{_alternatives(c['verbs'])})\b(.*)$", re.I),
    )


_CLAUSE = re.compile(r"^\(?([0-9]{1,2}|[a-z]|[ivx]{1,4})[.)]\s+(.+)$")


def resolutions(src: Source, start: int, end: int, key: str, item: str) -> list[Resolution]:
    out: list[Resolution] = []

    def add(text: str, n: int) -> None:
        text = _THAT.sub("", clean(text)).strip()
        if text:
            text = text[0].upper() + text[1:]
            out.append(Resolution(Cell(text, span(src, n)), span(src, n), Cell(key, span(src, n)),
                                  Cell(item, span(src, n)), Cell(str(len(out) + 1), span(src, n))))

    n = start
    while n < end:
        said = decision_start(bare(src.line(n)))
        n += 1
        if said is None:
            continue
        if said.strip() and not said.rstrip().endswith(":"):
            add(said, n - 1)
            continue
        while n < end:
            text = bare(src.line(n))
            clause = _CLAUSE.match(text)
            if clause:
                add(clause[2], n)
            elif text:
                break
            n += 1
    return out


def membership(person: Mention, body: Mention, on: Cell, role: str | None = None) -> Membership:
    """A member of a body as a meeting's papers list them, dated by the meeting. The
    role on the body is `role`, else the chair the person's note names, else 'Member'."""
    role = role or (person.role if person.role and _CHAIR_WORD.search(person.role) else "Member")
    key = f"{person.text} {body.text} {role}"
    return Membership(Cell(key, person.span), person.span, person, body, Cell(role, person.span), on)


def _issuer(src: Source, n: int) -> str | None:
    """The organisation named on the line above a minutes heading ('Coventry City Council')."""
    above = _line_above(src, n)
    return above if above and len(above.split()) <= 8 and kind_of(above, person_ok=False) == "organisation" else None


def extract_minutes(src: Source, stops: set[int]) -> list[Meeting]:
    """Every set of minutes in the paper; `stops` are lines where another section starts."""
    meetings = []
    for n in range(1, len(src.lines) + 1):
        header = minutes_header(src, n)
        if header is None:
            continue
        body, iso, last = header
        end = next((k for k in range(last + 1, len(src.lines) + 1)
                    if k in stops or _is_end(bare(src.line(k))) or minutes_header(src, k)), len(src.lines) + 1)
        key = meeting_key(body, iso)
        sp = span(src, n, last)
        meeting = Meeting(Cell(key, sp), sp, body_mention(body, sp), Cell(iso, span(src, last)))
        run = [h for h in numbered_run(src, last + 1, end)]
        first_item = run[0].line if run else end
        meeting.present, meeting.apologies, members = attendance(src, last + 1, first_item, _issuer(src, n))
        if meeting.body is not None:
            meeting.members = [membership(p, meeting.body, Cell(iso, span(src, last))) for p in members]
        time = TIME.search(" ".join(bare(src.line(k)) for k in range(n, last + 1)))
        if time:
            meeting.time = Cell(time.group(0), sp)
        for i, h in enumerate(run):
            item_end = run[i + 1].line if i + 1 < len(run) else end
            num = str(h.number)
            minute = Minute(cell(src, h.line, num), cell(src, h.line, h.title), span(src, h.line, item_end - 1),
                            Cell(key, sp))
            minute.resolutions = resolutions(src, h.line + 1, item_end, key, num)
            meeting.minutes.append(minute)
        meetings.append(meeting)
    return meetings


# -- agendas ---------------------------------------------------------------------------


def _detail(src: Source, n: int, value: str, end: int) -> tuple[str, int]:
    """A detail's value: on its label's line, else on the next non-blank line."""
    if value:
        return value, n
    for k in range(n + 1, min(end, n + 4)):
        if bare(src.line(k)):
            return bare(src.line(k)), k
    return "", n


_CHAIR = re.compile(r"^(?:vice|deputy|co)?[\s-]*chair(?:man|woman|person)?$", re.I)
_SURNAME = re.compile(r"[A-Z][A-Za-z'’-]*[a-z]")  # 'Abbott', "O'Neill", 'Smith-Jones'


def _top_level_split(text: str) -> list[str]:
    """Pieces between commas and semicolons outside brackets: 'A (Coventry and Rugby
    CCG), B' is two pieces."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch in ",;" and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [p.strip(" .") for p in out if p.strip(" .")]


def _member_pieces(text: str) -> list[str]:
    """The pieces of a members line, 'A and B' split where both sides name a person."""
    out: list[str] = []
    for part in _top_level_split(text):
        sides = _AND.split(part)
        names = [_LAST_BRACKETS.sub("", s) for s in sides]
        split = len(sides) > 1 and all(person_name(n) or _SURNAME.fullmatch(n) for n in names)
        out.extend(sides if split else [part])
    return out


def members(text: str, sp: Span) -> list[tuple[Mention, str]] | None:
    """The members a line of a membership list names, each with their place on the body
    ('Chair', 'Vice-Chair', else 'Member'); None when a piece names no one and follows no
    one (the line is not part of the list). After a 'Councillors:' label a bare surname
    is a councillor."""
    councillors = _councillors().match(text)
    if councillors:
        text = councillors[1]
    else:
        group = _GROUP_LABEL.match(text)  # 'Co-opted members: ...'
        if group and not person_name(group[1]) and group[2]:
            text = group[2]
    out: list[tuple[Mention, str]] = []
    for piece in _member_pieces(text):
        note = _NOTE.fullmatch(piece)
        bare_name, note_text = (note[1].strip(), note[2].strip()) if note else (piece, "")
        name = person_name(bare_name)
        if name is None and councillors and _SURNAME.fullmatch(bare_name):
            name = f"Councillor {bare_name}"
        if name is None:
            if not out:
                return None
            person, role = out[-1]
            if org_like(piece) and person.organisation is None:
                out[-1] = (replace(person, organisation=Mention(piece, "any", sp)), role)
            elif person.role is None and person.organisation is None and piece[:1].isupper():
                out[-1] = (replace(person, role=piece), role)  # a post: 'Director of Public Health'
            continue
        role = "Member"
        person = Mention(name, "person", sp)
        if _CHAIR.match(note_text):
            role = note_text[0].upper() + note_text[1:]
        elif note_text and org_like(note_text):
            person = replace(person, organisation=Mention(note_text, "any", sp))
        elif len(note_text.split()) > 1:
            person = replace(person, role=note_text)
        out.append((person, role))
    return out or None


@cache
def _councillors() -> re.Pattern[str]:
    """A 'Councillors:' label: group 1 the names after it."""
    return re.compile(rf"(?:{_alternatives(cues()['agenda']['councillors'])})\s*:?\s+(.*)$", re.I)


def membership_list(src: Source, start: int, end: int) -> list[tuple[Mention, str]]:
    """The members an agenda lists between lines start..end: a 'Membership:' line (a
    list that may run on over the lines after it), or a 'Committee Membership' label over
    a list, one or more to a line, single blank lines between."""
    labels = cues()["agenda"]["membership"]
    for n in range(start, end):
        lv = label_value(bare(src.line(n)), labels)
        if lv is None:
            continue
        found = members(lv[1], span(src, n)) if lv[1] else []
        if found is None:
            continue
        k, blanks = n + 1, 0
        while k < end:
            text = bare(src.line(k))
            if not text:
                blanks += 1
                if lv[1] or blanks > 1:
                    break  # an inline list runs on only over adjacent lines
            else:
                more = members(text, span(src, k))
                if more is None:
                    break
                found += more
                blanks = 0
            k += 1
        if found:
            return found
    return []


def extract_agendas(src: Source, stops: set[int]) -> list[Meeting]:
    c = cues()["agenda"]
    covers = cover_ranges(src)
    meetings = []
    ranges: list[tuple[int, int]] = []  # each agenda's lines, from its body's name
    n = 1
    while n <= len(src.lines):
        h = heading(src, n)
        if h is None or h.number != 1 or any(a <= n <= b for a, b in covers):
            n += 1
            continue
        top = max(1, n - c["lookback"])
        details: dict[str, tuple[str, int]] = {}
        for k in range(n - 1, top - 1, -1):
            text = bare(src.line(k))
            if k in stops or minutes_header(src, k) or any(a <= k <= b for a, b in covers):
                break
            for field in ("date", "time", "place"):
                lv = label_value(text, c[field])
                if lv is not None and field not in details:
                    details[field] = _detail(src, k, lv[1], n)
        date = details.get("date")
        iso = _date_in(date[0]) if date else None
        body_line = None
        if date:
            for k in range(max(top, date[1] - 12), n):
                text = bare(src.line(k))
                if text and len(text.split()) <= 10 and body_kind(text) in BODY_KINDS:
                    if body_line is None or k < date[1]:
                        body_line = k
        if not (iso and body_line):
            n += 1
            continue
        body = bare(src.line(body_line))
        key = meeting_key(body, iso)
        sp = span(src, body_line)
        meeting = Meeting(Cell(key, sp), sp, body_mention(body, sp), cell(src, date[1], iso))
        time = TIME.search(details["time"][0] if "time" in details else date[0])
        if time:
            meeting.time = cell(src, details["time"][1] if "time" in details else date[1], time.group(0))
        if "place" in details and details["place"][0]:
            meeting.place = cell(src, details["place"][1], details["place"][0])
        end = next((k for k in range(n + 1, len(src.lines) + 1)
                    if k in stops or minutes_header(src, k) or any(a == k for a, _ in covers)), len(src.lines) + 1)
        run = numbered_run(src, n, end, first=1)
        for i, item in enumerate(run):
            item_end = run[i + 1].line if i + 1 < len(run) else min(end, item.line + 12)
            ai = AgendaItem(cell(src, item.line, str(item.number)), cell(src, item.line, item.title),
                            span(src, item.line, item_end - 1), Cell(key, sp))
            for k in range(item.line + 1, item_end):
                lv = label_value(bare(src.line(k)), c["report_of"], free=True)
                if lv and lv[1]:
                    found = mentions(lv[1], span(src, k))
                    if not found and org_like(lv[1]):
                        found = [Mention(lv[1], "any", span(src, k))]
                    ai.report_of.extend(found)
            meeting.items.append(ai)
        meetings.append(meeting)
        ranges.append((body_line, end))
        n = run[-1].line + 1 if run else n + 1
    for i, (meeting, (first, end)) in enumerate(zip(meetings, ranges)):
        last = min(end, ranges[i + 1][0]) if i + 1 < len(ranges) else end
        if meeting.body is not None and meeting.date is not None:
            meeting.members = [membership(p, meeting.body, meeting.date, role)
                               for p, role in membership_list(src, first, last)]
    return meetings


def extract_meetings(src: Source) -> list[Meeting]:
    """The meetings a paper's minutes and agendas describe, minutes first: attendance
    lists name people in full ('Professor Guy Daly'), so names resolve to those labels
    before an agenda's 'Membership: G Daly' meets them."""
    covers = cover_ranges(src)
    stops = {a for a, _ in covers}
    agendas = extract_agendas(src, stops)
    stops |= {m.span.first for m in agendas}
    return extract_minutes(src, stops) + agendas
