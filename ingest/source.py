"""Reading a paper: bytes in, numbered lines out, or a located error.

Text papers are read as they are. PDF, Word (.docx), HTML and spreadsheet (.xlsx, .csv)
papers go through their reader in `ingest/formats/`, which writes the same line shape
(see that package's docstring) and, for PDFs, the page each line stands on.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from govgraph.errors import SourceError

TEXT_SUFFIXES = {".txt", ".md", ".text"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx", ".docm"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv", ".tsv"}
# What a folder walk picks up as papers.
PAPER_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES | HTML_SUFFIXES | SHEET_SUFFIXES

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Word and Excel files
_ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Source:
    """One paper's text. `lines[0]` is line 1; `doc_id` is stable across re-ingests.
    `pages[i]`, when the format has pages, is the page line i + 1 stands on."""

    path: str
    doc_id: str
    lines: tuple[str, ...]
    pages: tuple[int, ...] | None = None

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def text(self, first: int, last: int) -> str:
        return "\n".join(self.lines[first - 1 : last])

    def page(self, number: int) -> int | None:
        """The page line `number` stands on, or None for a paper without pages."""
        if self.pages is None or not 1 <= number <= len(self.pages):
            return None
        return self.pages[number - 1] or None


def doc_id_for(path: Path) -> str:
    """A document's id is its file name's stem, made IRI-safe."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-") or "document"


def is_paper(path: Path) -> bool:
    """Whether a folder walk should read this file (not Office's '~$' lock files)."""
    return path.suffix.lower() in PAPER_SUFFIXES and not path.name.startswith(("~$", "."))


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which every council has produced."""
    if b"\x00" in data[:8192]:
        raise SourceError(path, "this is a binary file, not a text paper", "convert it to text or PDF first")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff(data: bytes, path: Path) -> str:
    """Which reader a file needs: 'pdf', 'docx', 'xlsx', 'csv', 'html' or 'text', from
    its first bytes and, where those agree or say nothing, its suffix."""
    name, suffix = str(path), path.suffix.lower()
    if not data.strip() and suffix not in TEXT_SUFFIXES:
        raise SourceError(name, "the file is empty", "download or export the paper again")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if suffix in PDF_SUFFIXES:
        what = "an HTML page" if _looks_html(data) else "something else"
        raise SourceError(name, f"this is not a PDF (it does not start with %PDF; it looks like {what})",
                          "the download may have failed: download the paper again")
    if data.startswith(_OLE):
        kind = "Excel (.xls)" if suffix in {".xls"} else "Word (.doc)" if suffix in {".doc"} else "Office"
        raise SourceError(name, f"this is an old binary {kind} file, which govgraph does not read",
                          "save it as .docx, .xlsx or PDF and ingest that")
    if data.startswith(_ZIP):
        return _zip_kind(data, path)
    if suffix in DOCX_SUFFIXES | {".xlsx", ".xlsm"}:
        raise SourceError(name, f"this is not a {suffix} file (it is not a zip package)",
                          "the file may be damaged or misnamed: export it again")
    if suffix in {".csv", ".tsv"}:
        return "csv"
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_html(data)):
        return "html"
    return "text"


def _looks_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()


def _zip_kind(data: bytes, path: Path) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError(str(path), f"the file is damaged (a broken zip package: {exc})",
                          "export or download the paper again") from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise SourceError(str(path), "this zip package is neither a Word (.docx) nor an Excel (.xlsx) file",
                      "unzip it and ingest the papers inside")


def read_source(path: Path) -> Source:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SourceError(str(path), "no such file", "check the path") from exc
    except IsADirectoryError as exc:
        raise SourceError(str(path), "this is a folder", "pass it as a folder of papers") from exc
    except OSError as exc:
        raise SourceError(str(path), f"cannot read the file ({exc.strerror})", "check its permissions") from exc
    kind = sniff(data, path)
    if kind == "text":
        text = decode(data, str(path))
        return Source(str(path), doc_id_for(path), tuple(text.splitlines()))
    read = _reader(kind)(data, str(path))
    return Source(str(path), doc_id_for(path), read.lines, read.pages)


def _reader(kind: str):
    # Imported on use: each reader pulls in its parsing library only when a paper needs it.
    if kind == "pdf":
        from govgraph.ingest.formats.pdf import read_pdf

        return read_pdf
    if kind == "docx":
        from govgraph.ingest.formats.docx import read_docx

        return read_docx
    if kind == "html":
        from govgraph.ingest.formats.html import read_html

        return read_html
    from govgraph.ingest.formats.sheet import read_csv, read_xlsx

    return read_xlsx if kind == "xlsx" else read_csv


def source_from_text(text: str, path: str = "<text>", doc_id: str = "document") -> Source:
    return Source(path, doc_id, tuple(text.splitlines()))
