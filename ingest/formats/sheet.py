"""Indicator returns kept in spreadsheets (.xlsx, .csv): each sheet as a table of TAB-
separated rows, the shape the indicator extractor reads: a header row of periods
('2017/18', 'Q3 2018/19', 'Target 18/19') over one row per indicator.

A sheet's name stands above its rows as a heading; an empty row gives a blank line. Cells
read as the sheet shows them: whole numbers without '.0', percentages as '12.5%', a date
formatted without a day ('Apr-18') as 'Apr 2018', other dates as ISO 8601. A line's
"page" is its sheet's number.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from io import BytesIO, StringIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from govgraph.errors import SourceError
from govgraph.ingest.formats import Lines, Read, fold


def read_xlsx(data: bytes, path: str) -> Read:
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise SourceError(path, f"the spreadsheet is damaged and cannot be read ({type(exc).__name__})",
                          "open it in a spreadsheet program and save it again as .xlsx or .csv") from exc
    out = Lines()
    try:
        for number, ws in enumerate(wb.worksheets, 1):
            rows = [[_value(c) for c in row] for row in ws.iter_rows()]
            _emit_sheet(out, ws.title, rows, number)
    finally:
        wb.close()
    if not out.lines:
        raise SourceError(path, "the spreadsheet has no cells with values", "check it is the right file")
    return out.result(paged=True)


def read_csv(data: bytes, path: str) -> Read:
    from govgraph.ingest.source import decode

    text = decode(data, path)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if path.lower().endswith(".tsv") else csv.excel
    try:
        rows = [list(r) for r in csv.reader(StringIO(text), dialect)]
    except csv.Error as exc:
        raise SourceError(path, f"the CSV cannot be read ({exc})", "check its quoting, or save it again") from exc
    out = Lines()
    _emit_sheet(out, None, rows, 0)
    return out.result(paged=False)


def _emit_sheet(out: Lines, title: str | None, rows: list[list[str]], page: int) -> None:
    width = max((max((i + 1 for i, c in enumerate(r) if c.strip()), default=0) for r in rows), default=0)
    if width == 0:
        return
    if title:
        out.blank(page)
        out.add(title, page)
        out.blank(page)
    for row in rows:
        cells = [fold(c) for c in row[:width]] + [""] * (width - len(row))
        if any(cells):
            out.add("\t".join(cells), page)
        else:
            out.blank(page)
    out.blank(page)


def _value(cell) -> str:
    v = cell.value
    fmt = getattr(cell, "number_format", "General") or "General"
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (dt.datetime, dt.date)):
        if isinstance(v, dt.datetime) and v.time() != dt.time(0) and v.date() == dt.date(1899, 12, 30):
            return v.strftime("%H:%M")
        day = v.date() if isinstance(v, dt.datetime) else v
        if "d" not in fmt.lower() and re.search(r"m", fmt, re.I) and fmt != "General":
            return day.strftime("%b %Y")
        return day.isoformat()
    if isinstance(v, (int, float)):
        return _number(float(v), fmt)
    return str(v)


def _number(v: float, fmt: str) -> str:
    decimals = re.search(r"0\.(0+)", fmt)
    places = len(decimals.group(1)) if decimals else None
    if "%" in fmt:
        return f"{v * 100:.{places or 0}f}%"
    if places is not None:
        return f"{v:.{places}f}"
    if v.is_integer():
        return str(int(v))
    return f"{v:.12g}"
