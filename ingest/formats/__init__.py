"""Readers for papers that are not plain text: PDF, Word (.docx), HTML and spreadsheets.

Every reader turns a file's bytes into the line shape the extractors read, the shape of
the corpus's text papers (which were themselves extracted from PDFs):

- one paragraph per line, a blank line between paragraphs;
- bold runs marked `**like this**`, headings as `# Heading` (one `#` per level);
- bullets as `- item`, nested bullets indented by one space per level;
- a table row as its cells joined by TAB, newlines inside a cell folded to spaces, and a
  cell of several paragraphs written `<p>one</p> <p>two</p>` (one success measure each);
- each line's page number, where the format has pages (PDF pages, spreadsheet sheets),
  so evidence can cite "page 3".

A reader raises `SourceError` for a file it cannot read; it never lets a parser's own
exception out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Read:
    """What a reader returns: the lines, and the page of each line (None: no pages)."""

    lines: tuple[str, ...]
    pages: tuple[int, ...] | None = None


def fold(text: str | None) -> str:
    """A cell's text on one line: newlines, tabs and runs of spaces become one space;
    a word broken after a hyphen at a line end ('co-\\nordination') keeps its hyphen."""
    if not text:
        return ""
    text = re.sub(r"(?<=\w-)\n(?=\w)", "", text)
    return _SPACE.sub(" ", text).strip()


def cell_text(paragraphs: list[str]) -> str:
    """A table cell from its paragraphs: one paragraph as is, several as <p> fragments."""
    paras = [p for p in (fold(x) for x in paragraphs) if p]
    if len(paras) <= 1:
        return paras[0] if paras else ""
    return " ".join(f"<p>{p}</p>" for p in paras)


def row_line(cells: list[str]) -> str:
    return "\t".join(fold(c) for c in cells)


class Lines:
    """Collects lines (and their pages), keeping at most one blank line in a row and
    none at the start."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.pages: list[int] = []

    def add(self, line: str, page: int = 0) -> None:
        line = line.rstrip() if "\t" not in line else line
        if not line.strip():
            if self.lines and self.lines[-1]:
                self.lines.append("")
                self.pages.append(page or (self.pages[-1] if self.pages else 0))
            return
        self.lines.append(line)
        self.pages.append(page)

    def blank(self, page: int = 0) -> None:
        self.add("", page)

    def result(self, paged: bool) -> Read:
        lines, pages = list(self.lines), list(self.pages)
        while lines and not lines[-1]:
            lines.pop()
            pages.pop()
        return Read(tuple(lines), tuple(pages) if paged else None)
