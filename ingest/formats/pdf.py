"""PDF papers, read with pdfplumber: text in reading order, one paragraph per line, ruled
tables as TAB-separated rows, each line's page.

- Lines a paragraph wrapped over are joined again: a line joins the one above when it
  follows at normal line spacing and the line above was full (its next word would not
  have fitted). A larger gap gives a blank line, as between the corpus's paragraphs.
- Bold runs are marked `**`, bullets written `- ` (indented one space per level).
- Running headers and footers (the same words, page numbers aside, at the top or foot
  of most pages), bare page numbers and "This page is intentionally left blank" go.
- A table that runs onto the next page is joined: its repeated header rows are dropped,
  and a row the page break split (the part on the new page has an empty first cell) is
  put back together.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFException, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from govgraph.errors import SourceError
from govgraph.ingest.formats import Lines, Read, cell_text

BULLETS = "•●▪■◦○‣⁃∙\uf0b7\uf0a7\uf0d8\uf076\uf0fc"
_BULLET_TOKEN = re.compile(rf"[{BULLETS}]|\(cid:\d+\)|-")  # a bullet glyph standing alone
_LIST_START = re.compile(r"^(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}\))\s")
_BLANK_PAGE = re.compile(r"^\W*this page (?:is )?(?:intentionally|deliberately) (?:left )?blank\W*$", re.I)
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–]?\s*#+\s*[-–]?(?:\s*(?:of|/)\s*#+)?$", re.I)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_MARGIN = 0.12  # share of the page height at top and foot where headers and footers stand


@dataclass
class TextLine:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str
    first_width: float  # width of the first word: would it have fitted on the line above?
    page_width: float
    page_height: float
    bullet: bool = False


@dataclass
class TableBlock:
    page: int
    top: float
    bottom: float
    rows: list[list[str]] = field(default_factory=list)


def read_pdf(data: bytes, path: str) -> Read:
    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            pages = [_page_items(page, i) for i, page in enumerate(pdf.pages, 1)]
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise SourceError(path, "the PDF is password-protected", "save an unprotected copy and ingest that") from exc
    except (PdfminerException, MalformedPDFException, PDFException, PSException) as exc:
        raise SourceError(path, f"the PDF is damaged and cannot be read ({_reason(exc)})",
                          "download the paper again, or print it to a new PDF") from exc
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, AssertionError, RecursionError) as exc:
        # pdfminer raises plain Python errors on some malformed files.
        raise SourceError(path, f"the PDF is damaged and cannot be read ({type(exc).__name__})",
                          "download the paper again, or print it to a new PDF") from exc
    if not pages:
        raise SourceError(path, "the PDF has no pages", "download the paper again")
    _drop_running_lines(pages)
    out = _flatten(pages)
    if not any(line.strip() for line in out.lines):
        raise SourceError(path, "the PDF has no text layer (it is a scan or images only)",
                          "run OCR on it (e.g. ocrmypdf) and ingest the result")
    return out.result(paged=True)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


# -- one page ---------------------------------------------------------------------------


def _page_items(page, number: int) -> list[TextLine | TableBlock]:
    tables = [t for t in page.find_tables() if t.rows and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    words = text_page.extract_words(x_tolerance=1.5, y_tolerance=3, extra_attrs=["fontname", "size"])
    items: list[TextLine | TableBlock] = [
        _text_line(ws, number, float(page.width), float(page.height)) for ws in _lines_of(words)
    ]
    for t in tables:
        items.append(_table(page, t, number))
    items.sort(key=lambda it: it.top)
    return items


def _lines_of(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines by their baseline, each line left to right."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if lines and abs(lines[-1][0]["bottom"] - w["bottom"]) <= max(2.0, 0.3 * w["size"]):
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


_ITALIC = re.compile(r"italic|oblique", re.I)


def _join_words(words: list[dict], marks: tuple[str, str, re.Pattern[str]] | None = None) -> str:
    """Words as text: a space where the gap says so, and `open`/`close` marks around runs
    whose font matches `pattern` (bold as `**` in prose, italics as <i> in table cells)."""
    opener, closer, pattern = marks or ("**", "**", _BOLD)
    out: list[str] = []
    open_ = False
    for i, w in enumerate(words):
        on = bool(pattern.search(w.get("fontname", "")))
        sep = "" if i == 0 or w["x0"] - words[i - 1]["x1"] < 0.15 * w["size"] else " "
        if on != open_:
            out.append(closer + sep if open_ else sep + opener)
            open_ = on
        else:
            out.append(sep)
        out.append(w["text"])
    if open_:
        out.append(closer)
    return "".join(out)


def _text_line(words: list[dict], page: int, width: float, height: float) -> TextLine:
    first = words[0]["text"]
    bullet, body, text = False, words, None
    if _BULLET_TOKEN.fullmatch(first) and len(words) > 1:
        bullet, body = True, words[1:]
    elif first[:1] in BULLETS and len(first) > 1:
        bullet = True
        text = _join_words(words)
        text = re.sub(rf"^(\**)[{BULLETS}]\s*", r"\1", text, count=1)
    if text is None:
        text = _join_words(body)
    return TextLine(
        page=page, top=min(w["top"] for w in words), bottom=max(w["bottom"] for w in words),
        x0=words[0]["x0"], x1=words[-1]["x1"], size=max(w["size"] for w in words), text=text,
        first_width=words[0]["x1"] - words[0]["x0"], page_width=width, page_height=height, bullet=bullet,
    )


def _table(page, table, number: int) -> TableBlock:
    """A ruled table's rows, each cell's paragraphs told apart by the gaps between them."""
    words = page.within_bbox(table.bbox, strict=False).extract_words(
        x_tolerance=1.5, y_tolerance=3, extra_attrs=["fontname", "size"])
    rows: list[list[str]] = []
    for row in table.rows:
        cells = []
        for bbox in row.cells:
            if bbox is None:
                cells.append("")
                continue
            x0, top, x1, bottom = bbox
            inside = [w for w in words if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and top <= (w["top"] + w["bottom"]) / 2 <= bottom]
            cells.append(cell_text(_paragraphs(_lines_of(inside))))
        rows.append(cells)
    x0, top, x1, bottom = table.bbox
    return TableBlock(number, top, bottom, rows)


def _paragraphs(lines: list[list[dict]]) -> list[str]:
    paras: list[list[str]] = []
    prev_bottom = None
    for line in lines:
        size = max(w["size"] for w in line)
        top = min(w["top"] for w in line)
        if prev_bottom is None or top - prev_bottom > 0.5 * size:
            paras.append([])
        paras[-1].append(_join_words(line, ("<i>", "</i>", _ITALIC)))
        prev_bottom = max(w["bottom"] for w in line)
    return [_join_lines(p) for p in paras]


def _join_lines(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if not text:
            text = part
        elif re.search(r"\w-$", text) and part[:1].isalpha():
            text += part
        elif text.endswith("**") and part.startswith("**"):
            text = text[:-2] + " " + part[2:]
        else:
            text += " " + part
    return text


# -- across pages -----------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\*\*", "", text)).strip().lower()


def _drop_running_lines(pages: list[list[TextLine | TableBlock]]) -> None:
    """Remove headers, footers, bare page numbers and 'intentionally left blank' pages' text."""

    def margins(items):
        lines = [it for it in items if isinstance(it, TextLine)]
        top = [l for l in lines[:3] if l.bottom < l.page_height * _MARGIN]
        foot = [l for l in lines[-3:] if l.top > l.page_height * (1 - _MARGIN)]
        return top + foot

    seen = Counter(k for items in pages for k in {_key(l.text) for l in margins(items)})
    needed = max(2, (len(pages) + 1) // 2)
    for items in pages:
        drop = {id(l) for l in margins(items)
                if _PAGE_NUMBER.match(_key(l.text)) or (len(pages) >= 2 and seen[_key(l.text)] >= needed)}
        items[:] = [it for it in items if id(it) not in drop
                    and not (isinstance(it, TextLine) and _BLANK_PAGE.match(re.sub(r"\*\*", "", it.text)))]


def _geometry(pages: list[list[TextLine | TableBlock]]) -> dict[float, tuple[float, float]]:
    """For each page width: the body's left margin (commonest start) and right edge."""
    lefts: dict[float, Counter] = {}
    rights: dict[float, float] = {}
    for items in pages:
        for it in items:
            if isinstance(it, TextLine):
                lefts.setdefault(it.page_width, Counter())[round(it.x0)] += 1
                rights[it.page_width] = max(rights.get(it.page_width, 0.0), it.x1)
    return {w: (float(c.most_common(1)[0][0]), rights[w]) for w, c in lefts.items()}


def _line_gap(pages: list[list[TextLine | TableBlock]]) -> float:
    """The commonest gap between one line of a paragraph and the next (the leading)."""
    gaps: Counter = Counter()
    for items in pages:
        lines = [it for it in items if isinstance(it, TextLine)]
        for a, b in zip(lines, lines[1:]):
            gap = b.top - a.bottom
            if -1 < gap < 1.5 * a.size and abs(a.size - b.size) < 0.5:
                gaps[round(gap * 2) / 2] += 1
    return float(gaps.most_common(1)[0][0]) if gaps else 2.0


def _flatten(pages: list[list[TextLine | TableBlock]]) -> Lines:
    geo = _geometry(pages)
    leading = _line_gap(pages)
    out = Lines()
    para: TextLine | None = None  # the last line of the paragraph being built
    para_text = ""
    prev: TextLine | TableBlock | None = None  # the item before this one, across pages
    head: list[list[str]] = []  # the first rows of the table being continued

    def flush() -> None:
        nonlocal para, para_text
        if para is not None:
            out.add(para_text, para.page)
        para, para_text = None, ""

    for items in pages:
        for idx, it in enumerate(items):
            if isinstance(it, TableBlock):
                flush()
                if (idx == 0 and isinstance(prev, TableBlock) and prev.page == it.page - 1
                        and len(it.rows[0]) == len(prev.rows[0])):
                    _continue_table(out, head, it)
                else:
                    out.blank(it.page)
                    head = [list(r) for r in it.rows[:4]]
                    for row in it.rows:
                        out.add("\t".join(row), it.page)
                prev = it
                continue
            left, right = geo[it.page_width]
            text = it.text
            if it.bullet:
                text = " " * max(0, round((it.x0 - left) / 18)) + "- " + it.text
            turn = idx == 0 and prev is para and para is not None and it.page == para.page + 1
            if para is not None and _continues(para, it, right, leading, turn):
                para_text = _join_lines([para_text, it.text])
                para = prev = it
                continue
            gap = isinstance(prev, TextLine) and (it.page != prev.page or it.top - prev.bottom > leading + 0.5 * prev.size)
            flush()
            if gap or isinstance(prev, TableBlock):
                out.blank(it.page)
            para, para_text, prev = it, text, it
    flush()
    return out


def _continues(prev: TextLine, cur: TextLine, right: float, leading: float, page_turn: bool = False) -> bool:
    """Whether `cur` is the wrapped continuation of the paragraph whose last line is `prev`
    (on the same page, or the first line of the next page when `page_turn`)."""
    if cur.bullet or _LIST_START.match(cur.text) or (cur.page != prev.page and not page_turn):
        return False
    if abs(cur.size - prev.size) > 1.0 or (not page_turn and cur.top - prev.bottom > leading + 0.15 * prev.size):
        return False
    full = prev.x1 + 0.3 * prev.size + cur.first_width >= right - 2.0
    return full and cur.x0 >= prev.x0 - 3


def _continue_table(out: Lines, first_rows: list[list[str]], block: TableBlock) -> None:
    """Append a table's rows from the next page, without its repeated header rows, and
    mend the row the page break split."""
    last_index = len(out.lines) - 1
    rows = block.rows
    i = 0
    while i < len(rows) and i < len(first_rows) and rows[i] == first_rows[i]:
        i += 1
    rows = rows[i:]
    if rows and not rows[0][0].strip() and any(c.strip() for c in rows[0]) and last_index >= 0:
        prev = out.lines[last_index].split("\t")
        if len(prev) == len(rows[0]) and prev[0].strip() and prev not in first_rows[:i]:
            merged = [_merge_cell(a, b) for a, b in zip(prev, rows[0])]
            out.lines[last_index] = "\t".join(merged)
            rows = rows[1:]
    for row in rows:
        out.add("\t".join(row), block.page)


def _merge_cell(a: str, b: str) -> str:
    if not a.strip():
        return b
    if not b.strip():
        return a
    if a.endswith("</p>") and b.startswith("<p>"):
        return a[:-4] + " " + b[3:]
    return a + " " + b
