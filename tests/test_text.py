"""Reading dates and cells as papers write them."""

from __future__ import annotations

import pytest

from govgraph.ingest.text import clean, iso_date, latest_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [("1 July 2019", "2019-07-01"), ("25th February 2019", "2019-02-25"), ("08/04/2019", "2019-04-08"),
     ("2019-04-08", "2019-04-08"), ("Sept 2018", None), ("ongoing", None), ("31 February 2019", None)],
)
def test_iso_date_only_for_full_dates(text: str, iso: str | None) -> None:
    assert iso_date(text) == iso


@pytest.mark.parametrize(
    ("text", "by", "reading"),
    [
        ("Sept 2018", "2018-09-30", "end of month"),
        ("Feb 2020", "2020-02-29", "end of month"),
        ("Q3 2018/19", "2018-12-31", "end of Q3 of financial year 2018/19"),
        ("Q4 2018/19", "2019-03-31", "end of Q4 of financial year 2018/19"),
        ("Q2 2019", "2019-06-30", "end of calendar Q2 2019"),
        ("2018/19", "2019-03-31", "end of financial year 2018/19"),
        ("1 July 2019", "2019-07-01", "the date as written"),
    ],
)
def test_latest_date_reads_partial_dates_as_their_last_day(text: str, by: str, reading: str) -> None:
    assert latest_date(text) == (by, reading)


def test_no_date_in_ongoing() -> None:
    assert latest_date("Ongoing") is None


def test_clean_drops_html_fragments_and_bold() -> None:
    assert clean("<p>Support to care homes</p> <p>**Red Bag** scheme</p>") == "Support to care homes Red Bag scheme"
