"""Reading names: kinds, lead cells mixing organisations and people, people lists."""

from __future__ import annotations

import pytest

from govgraph.ingest.names import kind_of, split_lead_cell, split_people
from govgraph.ingest.people import parse_people


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("CRCCG Jenni Northcote", [("CRCCG", "any"), ("Jenni Northcote", "person")]),
        ("CRCCG linking with partners Liz Gaulton", [("CRCCG", "any"), ("Liz Gaulton", "person")]),
        ("Local Workforce Groups Lorraine Laing", [("Local Workforce Groups", "group"), ("Lorraine Laing", "person")]),
        ("CRCCG and CCC via A&E Delivery Group - Coventry",
         [("CRCCG", "any"), ("CCC", "any"), ("A&E Delivery Group - Coventry", "group")]),
        ("Health and Wellbeing Board", [("Health and Wellbeing Board", "board")]),
        ("as described in actions", []),
        ("NCC / NNFT", [("NCC", "any"), ("NNFT", "any")]),
    ],
)
def test_lead_cells(cell: str, expected: list[tuple[str, str]]) -> None:
    assert split_lead_cell(cell) == expected


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Coventry and Rugby Clinical Commissioning Group", "organisation"),
        ("CCG Primary Care Development Group", "group"),
        ("Northshire County Council", "organisation"),
        ("Urgent and Emergency Care workstream", "workstream"),
        ("Better Care Fund Programme", "programme"),
        ("Trust Board", "board"),
        ("Jane Smith", "person"),
    ],
)
def test_kind_of(name: str, kind: str) -> None:
    assert kind_of(name) == kind


def test_lead_individuals_with_roles_and_organisations() -> None:
    got = split_people("Lisa Kelly, Chief Operating Officer, UHCW and Pete Fahy, Director of Adult Social Care, "
                       "Coventry City Council")
    assert [(p.name, p.role, p.organisation) for p in got] == [
        ("Lisa Kelly", "Chief Operating Officer", "UHCW"),
        ("Pete Fahy", "Director of Adult Social Care", "Coventry City Council"),
    ]


def test_a_post_run_into_its_organisation_is_split() -> None:
    (p,) = parse_people("Andrea J Green, Chief Officer NHS Warwickshire North and NHS Coventry and Rugby CCG")
    assert (p.name, p.role, p.org) == ("Andrea J Green", "Chief Officer", "NHS Warwickshire North and NHS Coventry and Rugby CCG")
    (q,) = parse_people("Liz Gaulton, Director of Public Health and Wellbeing")
    assert (q.role, q.org) == ("Director of Public Health and Wellbeing", None)


def test_resolver_keeps_boards_and_groups_apart_but_merges_workstream_spellings() -> None:
    from govgraph.graph.resolve import Resolver
    from govgraph.ingest.records import Mention, Span

    r = Resolver("https://example.org/id/", place="Northshire")
    at = Span(1, 1, "x")
    ws = r(Mention("Preventative and Proactive workstream", "workstream", at))
    assert r(Mention("Proactive and Preventative", "workstream", at)).iri == ws.iri
    board = r(Mention("Northshire Health and Wellbeing Board", "board", at))
    assert r(Mention("Health and Well-being Board", "board", at)).iri == board.iri
    assert r(Mention("Health and Wellbeing Executive Group", "group", at)).iri != board.iri
