"""Word papers (.docx), read with python-docx: paragraphs in document order (headings as
`# Heading`, list paragraphs as `- item`, bold runs as `**bold**`, an empty paragraph as
a blank line) and tables as TAB-separated rows, a merged cell followed by empty cells
for the columns it spans. Word documents have no fixed pages, so lines carry none.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from govgraph.errors import SourceError
from govgraph.ingest.formats import Lines, Read, cell_text, fold

_HEADING = re.compile(r"^(?:heading|titre|überschrift)\s*(\d)$", re.I)
_LIST_STYLE = re.compile(r"^list (?:bullet|number|paragraph)\s*(\d)?$", re.I)


def read_docx(data: bytes, path: str) -> Read:
    try:
        doc = Document(BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, XMLSyntaxError, ValueError) as exc:
        raise SourceError(path, f"the Word document is damaged and cannot be read ({type(exc).__name__})",
                          "open it in Word and save it again, or export it as PDF") from exc
    out = Lines()
    numbering = _Numbering(doc)
    # Style names by id, looked up once: python-docx's paragraph.style scans every style.
    numbering.styles = {st.style_id: st.name or "" for st in doc.styles}
    for block in _blocks(doc.element.body):
        if block.tag == qn("w:tbl"):
            out.blank()
            for row in _rows(block, doc):
                out.add(row)
            out.blank()
        else:
            for line in _paragraph_lines(Paragraph(block, doc), numbering):
                out.add(line)
    return out.result(paged=False)


def _blocks(parent):
    """Paragraphs and tables in order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def _runs_text(par: Paragraph, marks: bool = True) -> str:
    out: list[str] = []
    for item in par.iter_inner_content():
        runs = item.runs if hasattr(item, "runs") else [item]
        for run in runs:
            text = run.text
            if marks and run.bold and text.strip():
                lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", text, re.S).groups()
                text = f"{lead}**{core}**{trail}"
            out.append(text)
    return re.sub(r"\*\*(\s*)\*\*", r"\1", "".join(out))


class _Numbering:
    """Which list levels number their items (decimal) rather than bullet them."""

    def __init__(self, doc) -> None:
        self.styles: dict[str, str] = {}
        self.formats: dict[tuple[str, str], str] = {}
        self.counters: dict[tuple[str, str], int] = {}
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for a in root.findall(qn("w:abstractNum")):
            levels = {lvl.get(qn("w:ilvl")): (lvl.find(qn("w:numFmt")).get(qn("w:val")) if lvl.find(qn("w:numFmt")) is not None else "bullet")
                      for lvl in a.findall(qn("w:lvl"))}
            abstract[a.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                for ilvl, fmt in abstract.get(ref.get(qn("w:val")), {}).items():
                    self.formats[(num.get(qn("w:numId")), ilvl)] = fmt

    def style(self, par: Paragraph) -> str:
        return self.styles.get(par._p.style or "", "")

    def prefix(self, par: Paragraph) -> tuple[int, str] | None:
        """(level, '- ' or '3. ') for a list paragraph, else None."""
        ppr = par._p.pPr
        num_pr = ppr.numPr if ppr is not None else None
        style = self.style(par)
        m = _LIST_STYLE.match(style or "")
        if num_pr is None or num_pr.numId is None:
            if m and not style.lower().startswith("list paragraph"):
                level = int(m.group(1) or 1) - 1
                return level, ("- " if "bullet" in style.lower() else "")
            return None
        num_id = str(num_pr.numId.val)
        ilvl = str(num_pr.ilvl.val) if num_pr.ilvl is not None else "0"
        fmt = self.formats.get((num_id, ilvl), "bullet")
        if num_id == "0":
            return None
        if fmt in ("decimal", "decimalZero"):
            key = (num_id, ilvl)
            self.counters[key] = self.counters.get(key, 0) + 1
            return int(ilvl), f"{self.counters[key]}. "
        if fmt in ("lowerLetter", "upperLetter"):
            key = (num_id, ilvl)
            self.counters[key] = self.counters.get(key, 0) + 1
            letter = chr(ord("a") + (self.counters[key] - 1) % 26)
            return int(ilvl), f"({letter}) "
        return int(ilvl), "- "


def _paragraph_lines(par: Paragraph, numbering: _Numbering) -> list[str]:
    style = numbering.style(par)
    heading = _HEADING.match(style or "")
    if heading or (style or "").lower() == "title":
        text = fold(_runs_text(par, marks=False))
        level = int(heading.group(1)) if heading else 1
        return [f"{'#' * level} {text}"] if text else [""]
    text = _runs_text(par)
    lines = [re.sub(r"\t+", "\t", line).strip(" ") for line in text.split("\n")]
    listed = numbering.prefix(par)
    if listed and lines and lines[0].strip():
        level, mark = listed
        lines[0] = (" " * level if mark == "- " else "") + mark + lines[0].strip()
    return lines or [""]


def _rows(tbl, doc) -> list[str]:
    rows = []
    for tr in tbl.iter(qn("w:tr")):
        if tr.getparent() is not tbl:
            continue  # a nested table's row: its text is in its cell
        cells: list[str] = []
        for tc in tr.iterchildren(qn("w:tc")):
            cell = _Cell(tc, doc)
            cells.append(cell_text(_cell_paragraphs(cell)))
            cells.extend([""] * (tc.grid_span - 1))
        rows.append("\t".join(c.replace("\t", " ") for c in cells))
    return rows


def _cell_paragraphs(cell: _Cell) -> list[str]:
    paras = [_runs_text(p, marks=False) for p in cell.paragraphs]
    for inner in cell.tables:
        for row in inner.rows:
            paras.append(" ".join(fold(c.text) for c in row.cells))
    return paras
