"""People as attendance lists and report lines write them: name, post, organisation."""

from __future__ import annotations

import pytest

from govgraph.ingest.people import parse_people


@pytest.mark.parametrize("line, want", [
    # A programme's name with commas in it is one affiliation, not a post and an organisation.
    ("Professor Sir Chris Ham, Better Health, Better Care, Better Value",
     [("Professor Sir Chris Ham", None, "Better Health, Better Care, Better Value")]),
    ("Jo Bloggs, Healthy Care, Better Care Closer to Home",
     [("Jo Bloggs", None, "Healthy Care, Better Care Closer to Home")]),
    # A post stays a post; a directorate before a named organisation stays the post.
    ("Liz Gaulton, Director of Public Health and Wellbeing", [("Liz Gaulton", "Director of Public Health and Wellbeing", None)]),
    ("Jane Doe, Public Health, Northshire County Council", [("Jane Doe", "Public Health", "Northshire County Council")]),
    # Posts and teams are never people: 'Senior Analyst' is Sam Lee's post.
    ("Sam Lee, Senior Analyst, Insight Team", [("Sam Lee", "Senior Analyst", "Insight Team")]),
    ("Tom Ray, Governance Services, Legal", [("Tom Ray", None, "Governance Services, Legal")]),
    # Surnames and first names that are also posts still name people.
    ("Dean Smith, Head of Finance", [("Dean Smith", "Head of Finance", None)]),
    ("Councillor Abbott and John Head", [("Councillor Abbott", None, None), ("John Head", None, None)]),
])
def test_names_posts_and_organisations(line: str, want: list[tuple]) -> None:
    assert [(p.name, p.role, p.org) for p in parse_people(line)] == want
