"""Each reader on small papers made here: PDF tables across pages, Word structure, HTML
committee pages, spreadsheets of indicators, and clear one-line errors for bad files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from govgraph.errors import SourceError
from govgraph.ingest.meeting import extract_meetings
from govgraph.ingest.source import read_source, source_from_text
from support import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "formats"


def gg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govgraph", *args], capture_output=True, text=True)


# -- PDF ---------------------------------------------------------------------------------


def _pdf_table(path: Path, parts: list[list[list[str]]], repeat: int = 1) -> Path:
    """A table drawn as one part per page, each part with the header rows on top."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table
    from reportlab.lib.styles import getSampleStyleSheet

    style = getSampleStyleSheet()["BodyText"]
    story: list = [Paragraph("Action plan", style)]
    for i, rows in enumerate(parts):
        if i:
            story.append(PageBreak())
        data = [[Paragraph(c, style) for c in row] for row in rows]
        story.append(Table(data, colWidths=[60, 200, 200], style=[("GRID", (0, 0), (-1, -1), 0.5, "black")],
                           repeatRows=repeat))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


HEADER = ["Ref", "Action", "Progress"]


def test_a_long_pdf_table_is_one_table_with_its_header_once(tmp_path: Path) -> None:
    rows = [HEADER] + [[f"{i}.1", f"Action number {i} " + "word " * 30, f"Progress {i}"] for i in range(1, 40)]
    src = read_source(_pdf_table(tmp_path / "long.pdf", [rows]))
    assert max(src.pages) >= 3
    table = [line for line in src.lines if "\t" in line]
    assert table[0] == "Ref\tAction\tProgress"
    assert len(table) == 40 and sum(line == table[0] for line in table) == 1
    assert [line.split("\t")[0] for line in table[1:]] == [f"{i}.1" for i in range(1, 40)]


def test_a_row_split_by_a_page_break_is_put_back_together(tmp_path: Path) -> None:
    page1 = [HEADER, ["1.1", "Develop a clear system strategy", "System model agreed"]]
    page2 = [HEADER, ["", "for the whole system", "at Place Forum"], ["1.2", "Define governance", "Done"]]
    src = read_source(_pdf_table(tmp_path / "split.pdf", [page1, page2]))
    table = [line for line in src.lines if "\t" in line]
    assert table == [
        "Ref\tAction\tProgress",
        "1.1\tDevelop a clear system strategy for the whole system\tSystem model agreed at Place Forum",
        "1.2\tDefine governance\tDone",
    ]
    assert src.page(src.lines.index(table[2]) + 1) == 2


# -- Word --------------------------------------------------------------------------------


def test_docx_headings_lists_and_merged_cells(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("Improvement Plan 2018", level=1)
    doc.add_heading("Theme 1 – Vision and strategy", level=2)
    p = doc.add_paragraph()
    p.add_run("Lead responsibility – ").bold = True
    p.add_run("Coventry Place Forum")
    doc.add_paragraph("Coventry City Council", style="List Bullet")
    doc.add_paragraph("Gail Quinton, Deputy Chief Executive", style="List Bullet 2")
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Theme 1 – Vision and strategy"
    for c, text in enumerate(HEADER):
        table.cell(1, c).text = text
    table.cell(2, 0).text = "1.1"
    table.cell(2, 1).text = "Develop a strategy"
    table.cell(2, 2).paragraphs[0].text = "Agreed in July"
    table.cell(2, 2).add_paragraph("ACTION COMPLETE")
    doc.save(str(tmp_path / "plan.docx"))
    lines = read_source(tmp_path / "plan.docx").lines
    assert lines[:5] == ("# Improvement Plan 2018", "## Theme 1 – Vision and strategy",
                         "**Lead responsibility –** Coventry Place Forum", "- Coventry City Council",
                         " - Gail Quinton, Deputy Chief Executive")
    assert "Theme 1 – Vision and strategy\t\t" in lines
    assert "1.1\tDevelop a strategy\t<p>Agreed in July</p> <p>ACTION COMPLETE</p>" in lines


# -- HTML --------------------------------------------------------------------------------


def test_moderngov_minutes_page_gives_the_meeting_attendance_and_resolutions() -> None:
    (meeting,) = extract_meetings(read_source(FIXTURES / "moderngov-minutes.html"))
    assert meeting.key.value == "Health and Wellbeing Board 2019-01-14"
    assert meeting.time and meeting.time.value == "2.00 pm"
    assert [p.text for p in meeting.present] == ["Councillor Caan", "Councillor Seaman", "Professor Guy Daly", "Liz Gaulton"]
    assert [p.text for p in meeting.apologies] == ["Councillor Abbott", "Mike O'Hara"]
    assert [m.number.value for m in meeting.minutes] == ["28", "29", "30", "31"]
    resolved = {m.number.value: [r.text.value for r in m.resolutions] for m in meeting.minutes}
    assert resolved["30"][1] == "The proposed approach to developing a refreshed Joint Health and Wellbeing Strategy be endorsed."
    assert resolved["31"] == ["The outline agenda for the Place Forum on 6th March, 2019 be endorsed."]


def test_moderngov_agenda_page_gives_items_and_whose_report() -> None:
    (meeting,) = extract_meetings(read_source(FIXTURES / "moderngov-agenda.html"))
    assert meeting.key.value == "Health and Wellbeing Board 2019-04-08"
    assert meeting.place and meeting.place.value == "Committee Room 3 - Council House"
    assert [i.title.value for i in meeting.items][:3] == [
        "Welcome and Apologies for Absence", "Declarations of Interest", "Minutes of Previous Meeting"]
    assert [m.text for m in meeting.items[4].report_of] == ["Liz Gaulton"]


def test_html_paper_tables_lists_and_no_script(tmp_path: Path) -> None:
    page = tmp_path / "paper.htm"
    page.write_text(
        "<html><head><script>var a = 1;</script><style>p{}</style></head><body>"
        "<h1>Cabinet report</h1><p>Report to: <b>Cabinet</b></p>"
        "<ul><li>First point<ul><li>Nested point</li></ul></li></ul>"
        "<table><tr><th>Ref</th><th colspan='2'>Action</th></tr>"
        "<tr><td>1.1</td><td><p>One</p><p>Two</p></td><td>x</td></tr></table></body></html>", "cp1252")
    lines = read_source(page).lines
    assert lines[0] == "# Cabinet report" and "Report to: Cabinet" in lines
    assert "- First point" in lines and " - Nested point" in lines
    assert "Ref\tAction\t" in lines and "1.1\t<p>One</p> <p>Two</p>\tx" in lines
    assert not any("var a" in line for line in lines)


# -- spreadsheets ------------------------------------------------------------------------


def test_xlsx_indicator_return_reads_as_a_table_of_periods(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Indicators"
    ws.append(["Indicator", "Baseline 2016/17", "2017/18", "Q3 2018/19", "Target 2018/19"])
    ws.append(["Delayed transfers of care (days per 100,000)", 1234, 987.5, 0.125, "TBC"])
    ws.append([])
    ws.append(["Permanent admissions to care homes (65+)", 650, 640, 600, 590])
    ws["D2"].number_format = "0.0%"
    wb.create_sheet("Notes").append(["Source: NHS Digital"])
    wb.save(str(tmp_path / "return.xlsx"))
    src = read_source(tmp_path / "return.xlsx")
    assert src.lines == (
        "Indicators", "",
        "Indicator\tBaseline 2016/17\t2017/18\tQ3 2018/19\tTarget 2018/19",
        "Delayed transfers of care (days per 100,000)\t1234\t987.5\t12.5%\tTBC", "",
        "Permanent admissions to care homes (65+)\t650\t640\t600\t590", "",
        "Notes", "", "Source: NHS Digital",
    )
    assert src.page(3) == 1 and src.page(10) == 2


def test_csv_indicator_return(tmp_path: Path) -> None:
    (tmp_path / "return.csv").write_text('Indicator,2017/18,Q3 2018/19\n"Readmissions, 30 days",12.1,11.9\n', "utf-8")
    assert read_source(tmp_path / "return.csv").lines == (
        "Indicator\t2017/18\tQ3 2018/19", "Readmissions, 30 days\t12.1\t11.9")


# -- bad files ---------------------------------------------------------------------------


BAD = {
    "truncated.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R",
    "random.pdf": bytes(range(256)) * 8,
    "empty.pdf": b"",
    "page.pdf": b"<!DOCTYPE html><html><body>Not found</body></html>",
    "broken.docx": b"PK\x03\x04" + b"\x00" * 200,
    "renamed.docx": b"just some text",
    "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "broken.xlsx": b"PK\x03\x04garbage",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_raise_a_source_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD[name])
    with pytest.raises(SourceError) as info:
        read_source(path)
    message = str(info.value)
    assert message.startswith(f"{path}: error: ") and "\n" not in message and " — " in message


def test_bad_files_through_the_cli_one_line_each_and_exit_1(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    for name in ("truncated.pdf", "random.pdf", "empty.pdf", "broken.docx"):
        (papers / name).write_bytes(BAD[name])
    (papers / "good.txt").write_text("Minutes\n", "utf-8")
    r = gg("ingest", str(papers), "--store", str(tmp_path / "store"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 4, r.stderr
    assert any("random.pdf: error: the PDF is damaged" in e or "random.pdf: error: this is not a PDF" in e for e in errors)
    assert any("empty.pdf: error: the file is empty" in e for e in errors)
    assert any("broken.docx: error: the file is damaged" in e for e in errors)


def test_text_sources_keep_working_without_pages() -> None:
    src = source_from_text("one\ntwo")
    assert src.pages is None and src.page(1) is None and src.line(2) == "two"
