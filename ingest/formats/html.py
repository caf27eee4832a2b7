"""HTML papers, parsed with BeautifulSoup (lxml): committee pages as councils' committee
systems publish them (ModernGov-style meeting pages with agenda items, attendance and
minutes) and papers saved as HTML.

Any page is walked block by block: headings become `# Heading`, paragraphs and list
items their own lines (`- item`, `3. item` in an ordered list), tables TAB-separated
rows. A committee meeting page is recognised by its heading ('Health and Wellbeing Board
- Monday, 8th April, 2019 2.00 pm', or a title 'Agenda for X on ...') and written with
the cues the meeting extractors read: for an agenda, the body's name, then 'Date:' and
'Venue:' lines above items '1. Title'; for minutes, 'Minutes of the meeting of X held on
DATE', then 'Present:' and 'Apologies:' lists (from an attendance table whose rows say
Present / Apologies), then the numbered items with their minutes and 'Decision:' text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.exceptions import ParserRejectedMarkup

from govgraph.errors import SourceError
from govgraph.ingest.formats import Lines, Read, cell_text, fold

BLOCKS = {"p", "div", "section", "article", "main", "blockquote", "address", "pre", "dd", "dt", "dl",
          "figure", "figcaption", "caption", "center", "header", "footer", "form", "fieldset", "li", "ul", "ol",
          "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br", "tr", "td", "th", "tbody", "thead", "tfoot"}
DROP = ["script", "style", "noscript", "template", "head", "nav", "iframe", "svg", "button", "select", "input"]
_DAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_WHEN = rf"{_DAY},?\s+\d{{1,2}}(?:st|nd|rd|th)?\s+[A-Z][a-z]+,?\s+\d{{4}}(?:,?\s+(?:at\s+)?\d{{1,2}}(?:[.:]\d{{2}})?\s*[ap]\.?m\.?)?"
_MEETING = re.compile(rf"^(?:(?:agenda|minutes|decisions)(?: and (?:minutes|decisions))? for\s+)?(?P<body>.+?)\s+(?:-|–|on)\s+(?P<when>{_WHEN})", re.I)
_ITEM_NUMBER = re.compile(r"^(?:item\s+)?(\d{1,3}[a-z]?)\.?$", re.I)
_PRESENT = re.compile(r"^(?:present|in attendance|attended|attending)\b", re.I)
_APOLOGIES = re.compile(r"^(?:apologies|apology|absent with apologies|sent apologies)\b", re.I)


def read_html(data: bytes, path: str) -> Read:
    try:
        soup = BeautifulSoup(data, "lxml")
    except (ParserRejectedMarkup, ValueError, TypeError) as exc:
        raise SourceError(path, f"the HTML page cannot be parsed ({type(exc).__name__})",
                          "save the page again from the browser") from exc
    for tag in soup(DROP):
        tag.decompose()
    root = _content(soup)
    out = Lines()
    meeting = _meeting(soup, root)
    if meeting is not None:
        _committee_page(out, meeting, root)
    else:
        _walk(root, out)
    read = out.result(paged=False)
    if not read.lines:
        raise SourceError(path, "the HTML page holds no text", "save the page with its content, not an empty shell")
    return read


def _content(soup: BeautifulSoup) -> Tag:
    """The page's main content: <main>, a ModernGov '#modgov' block, or the body."""
    for finder in (lambda: soup.find("main"), lambda: soup.find(id="modgov"),
                   lambda: soup.find(attrs={"role": "main"}), lambda: soup.find(id=re.compile(r"^(?:content|main)", re.I))):
        found = finder()
        if isinstance(found, Tag):
            return found
    return soup.body or soup


# -- the generic walk ------------------------------------------------------------------


def _walk(tag: Tag, out: Lines, depth: int = 0) -> None:
    buffer: list[str] = []

    def flush() -> None:
        text = fold("".join(buffer))
        if text:
            out.add(text)
        buffer.clear()

    for child in tag.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, CDATA or doctype
                buffer.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            flush()
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flush()
            out.blank()
            text = fold(child.get_text(" "))
            if text:
                out.add(f"{'#' * int(name[1])} {text}")
            out.blank()
        elif name in ("ul", "ol"):
            flush()
            _list(child, out, depth)
        elif name == "table":
            flush()
            _table(child, out)
        elif name in BLOCKS:
            flush()
            _walk(child, out, depth)
            if name in ("p", "blockquote", "address", "pre", "hr"):
                out.blank()
        else:
            if any(isinstance(d, Tag) and d.name in BLOCKS - {"br"} for d in child.descendants):
                flush()
                _walk(child, out, depth)
            else:
                for node in child.descendants:
                    if isinstance(node, NavigableString) and type(node) is NavigableString:
                        buffer.append(str(node))
                    elif isinstance(node, Tag) and node.name == "br":
                        flush()
    flush()


def _list(tag: Tag, out: Lines, depth: int) -> None:
    number = int(tag.get("start", 1)) if str(tag.get("start", "1")).isdigit() else 1
    for li in tag.find_all("li", recursive=False):
        nested = [c for c in li.children if isinstance(c, Tag) and c.name in ("ul", "ol")]
        for n in nested:
            n.extract()
        text = fold(li.get_text(" "))
        if text:
            mark = f"{number}. " if tag.name == "ol" else "- "
            out.add(" " * depth + mark + text)
            number += 1
        for n in nested:
            _list(n, out, depth + 1)
    out.blank()


def _cell(td: Tag) -> str:
    paras = [p.get_text(" ") for p in td.find_all(["p", "li"])] if td.find(["p", "li"]) else [td.get_text(" ")]
    return cell_text(paras)


def _table(table: Tag, out: Lines) -> None:
    if _item_rows(table):
        for row in _item_rows(table):
            _item(row, out)
        return
    out.blank()
    for tr in _rows(table):
        cells: list[str] = []
        for td in tr.find_all(["td", "th"], recursive=False):
            cells.append(_cell(td))
            span = str(td.get("colspan", "1"))
            cells.extend([""] * (int(span) - 1 if span.isdigit() and 1 < int(span) < 50 else 0))
        if any(c.strip() for c in cells):
            out.add("\t".join(cells) if len(cells) > 1 else cells[0])
    out.blank()


def _rows(table: Tag) -> list[Tag]:
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


# -- committee pages ---------------------------------------------------------------------


@dataclass
class Meeting:
    body: str
    when: str
    minutes: bool
    venue: str = ""
    present: list[str] = field(default_factory=list)
    apologies: list[str] = field(default_factory=list)


def _meeting(soup: BeautifulSoup, root: Tag) -> Meeting | None:
    """The meeting a committee page is about, from its heading or its title."""
    candidates = [fold(h.get_text(" ")) for h in root.find_all(["h1", "h2", "h3"])]
    if soup.title and soup.title.string:
        candidates.append(fold(soup.title.string))
    for text in candidates:
        m = _MEETING.match(text)
        if m:
            headings = " ".join(candidates).lower()
            minutes = "minutes" in headings or bool(root.find(string=re.compile(r"^\s*Minutes:\s*$")))
            meeting = Meeting(m["body"].strip(" -–,"), m["when"], minutes)
            venue = root.find(string=re.compile(r"^\s*Venue:", re.I))
            if venue is not None:
                meeting.venue = re.split(r"\.?\s+Contact:", fold(venue.parent.get_text(" ")), maxsplit=1)[0]
            _attendance(root, meeting)
            return meeting
    return None


def _attendance(root: Tag, meeting: Meeting) -> None:
    """Names from an attendance table (a column saying Present / Apologies), or from lists
    under 'Present' / 'Apologies' headings."""
    for table in root.find_all("table"):
        rows = _rows(table)
        if not rows:
            continue
        head = [fold(c.get_text(" ")).lower() for c in rows[0].find_all(["th", "td"])]
        col = next((i for i, h in enumerate(head) if h in ("attendance", "attended", "status")), None)
        if col is None:
            continue
        role_col = next((i for i, h in enumerate(head) if h == "role"), None)
        for tr in rows[1:]:
            cells = [fold(c.get_text(" ")) for c in tr.find_all(["th", "td"])]
            if len(cells) <= col or not cells[0]:
                continue
            name = cells[0]
            role = cells[role_col] if role_col is not None and role_col < len(cells) else ""
            if re.search(r"\b(?:vice[- ])?chair(?:man)?\b", role, re.I):
                name += f" ({role})"
            if _PRESENT.match(cells[col]):
                meeting.present.append(name)
            elif _APOLOGIES.match(cells[col]):
                meeting.apologies.append(name)
        table.decompose()
    for heading in root.find_all(["h2", "h3", "h4", "p", "strong"]):
        text = fold(heading.get_text(" "))
        target = meeting.present if _PRESENT.match(text) else meeting.apologies if _APOLOGIES.match(text) else None
        listing = heading.find_next_sibling(["ul", "ol"])
        if target is not None and listing is not None and len(text) < 40:
            target.extend(fold(li.get_text(" ")) for li in listing.find_all("li"))
            listing.decompose()
            heading.decompose()


def _committee_page(out: Lines, meeting: Meeting, root: Tag) -> None:
    if meeting.minutes:
        out.add(f"Minutes of the meeting of {meeting.body} held on {meeting.when}")
    else:
        out.add(meeting.body)
        out.blank()
        out.add(f"Date: {meeting.when}")
    if meeting.venue:
        out.add(meeting.venue)
    out.blank()
    for label, names in (("Present:", meeting.present), ("Apologies:", meeting.apologies)):
        if names:
            out.add(label)
            for name in names:
                out.add(name)
            out.blank()
    rows = [row for table in root.find_all("table") for row in _item_rows(table)]
    if not rows:
        _walk(root, out)
        return
    for row in rows:
        _item(row, out)


def _item_rows(table: Tag) -> list[tuple[str, Tag]]:
    """(number, content cell) for each row that is an agenda item: a number cell, then the
    item's title and text."""
    items = []
    for tr in _rows(table):
        cells = tr.find_all("td", recursive=False)
        if len(cells) >= 2:
            m = _ITEM_NUMBER.match(fold(cells[0].get_text(" ")))
            if m and ("mgItemNumberCell" in (cells[0].get("class") or []) or cells[1].find(["p", "div"])):
                items.append((m.group(1), cells[1]))
    return items


def _item(row: tuple[str, Tag], out: Lines) -> None:
    number, cell = row
    blocks = [b for b in cell.find_all(["p", "div", "li"]) if not b.find(["p", "div", "li"])]
    texts = [fold(b.get_text(" ")) for b in blocks]
    if not blocks:
        texts = [fold(cell.get_text(" "))]
    title = re.sub(r"\s*(?:PDF|Word|pdf)\s+\d+\s*[KM]B\s*$", "", texts[0]) if texts else ""
    out.blank()
    out.add(f"{number}. {title}")
    rest = texts[1:]
    k = 0
    while k < len(rest):
        text = rest[k]
        if re.match(r"^view the (?:decision|background)", text, re.I) or not text:
            k += 1
            continue
        if re.fullmatch(r"(?:decision|decisions|resolved)\s*:", text, re.I) and k + 1 < len(rest):
            out.add(f"{text} {rest[k + 1]}")
            k += 2
            continue
        out.add(text)
        k += 1
