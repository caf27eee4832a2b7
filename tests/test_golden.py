"""Golden folders: tests/golden/<kind>/<case>/{input.txt, expected.ttl}.

Each input's graph must be isomorphic to its expected graph; a difference prints the
triples missing and added. Regenerate with `pytest --regen-golden` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from govgraph.graph.build import build_graph
from govgraph.ingest.source import read_source

GOLDEN = Path(__file__).resolve().parent / "golden"
BASE = "https://example.org/id/"
CASES = sorted(p for p in GOLDEN.glob("*/*") if (p / "input.txt").exists())


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(case: Path, request: pytest.FixtureRequest) -> None:
    src = read_source(case / "input.txt")
    got, _, _ = build_graph(src, BASE)
    expected_file = case / "expected.ttl"
    if request.config.getoption("--regen-golden") or not expected_file.exists():
        expected_file.write_text(got.serialize(format="turtle"), "utf-8")
        pytest.skip(f"wrote {expected_file}; review and commit it")
    expected = Graph().parse(expected_file, format="turtle")
    iso_got, iso_exp = to_isomorphic(got), to_isomorphic(expected)
    if iso_got != iso_exp:
        _, missing, added = graph_diff(iso_exp, iso_got)
        lines = [f"- {t}" for t in sorted(missing)[:25]] + [f"+ {t}" for t in sorted(added)[:25]]
        pytest.fail(f"{case}: {len(missing)} triples missing, {len(added)} added\n" + "\n".join(lines))
