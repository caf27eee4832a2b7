"""Committee reports whose cover sheet puts the meeting's name and date on top, with
labels on their own lines ('Title:' then the title below)."""

from __future__ import annotations

from govgraph.ingest.cover import extract_reports
from govgraph.ingest.source import read_source, source_from_text
from support import EXAMPLES


def test_cabinet_report_from_the_corpus() -> None:
    (rep,) = extract_reports(read_source(EXAMPLES / "004_5b290fc41017330c.txt"))
    assert rep.title.value == "Care Quality Commission – Outcome of System Review"
    assert [m.text for m in rep.to] == ["Cabinet"]
    assert rep.date is not None and rep.date.value == "2018-06-12"
    assert [(m.text, m.role) for m in rep.authors] == [
        ("Councillor K Caan", "Cabinet Member for Public Health and Sport"),
        ("Councillor F Abbott", "Cabinet Member for Adult Services"),
    ]


SCRUTINY = """
Health and Social Care Scrutiny Board (5)

3 July 2024

Name of Cabinet Member:

Cabinet Member for Adult Care - Councillor Priya Shah

Director approving submission of the report:

Director of Adult Services

Ward(s) affected:

None

Title:

Winter Pressures Plan 2024/25

Is this a key decision?

No
"""


def test_scrutiny_report_we_wrote() -> None:
    (rep,) = extract_reports(source_from_text(SCRUTINY))
    assert rep.title.value == "Winter Pressures Plan 2024/25"
    assert [m.text for m in rep.to] == ["Health and Social Care Scrutiny Board (5)"]
    assert rep.date is not None and rep.date.value == "2024-07-03"
    assert [(m.text, m.role) for m in rep.authors] == [("Councillor Priya Shah", "Cabinet Member for Adult Care")]
