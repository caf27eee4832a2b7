"""The command line as a user meets it: answers, exit codes, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from support import EXAMPLES, PLAN, ROOT


def gg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govgraph", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    s = tmp_path_factory.mktemp("cli") / "store"
    r = gg("ingest", str(EXAMPLES), "--store", str(s))
    assert r.returncode == 0, r.stderr
    assert "34 actions" in r.stdout
    return s


def test_version() -> None:
    r = gg("--version")
    assert r.returncode == 0 and "govgraph" in r.stdout


def test_query_csv_has_header_and_rows(store: Path) -> None:
    r = gg("query", "actions", "--store", str(store), "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["id"] for row in rows} >= {"1.1", "2.2.1", "7.6"}


def test_query_json_and_tsv(store: Path) -> None:
    j = json.loads(gg("query", "bodies", "--store", str(store), "--format", "json").stdout)
    assert any(b["label"] == "Health and Wellbeing Board" for b in j)
    tsv = gg("query", "bodies", "--store", str(store), "--format", "tsv").stdout
    assert tsv.splitlines()[0].split("\t") == ["body", "label", "altLabels", "kind"]


def test_validate_passes_on_the_corpus(store: Path) -> None:
    r = gg("validate", "--store", str(store))
    assert r.returncode == 0, r.stderr


def test_reingest_is_idempotent(tmp_path: Path) -> None:
    s = str(tmp_path / "s")
    assert gg("ingest", str(PLAN), "--store", s).returncode == 0
    first = gg("export", "--store", s, "--format", "nq").stdout
    assert gg("ingest", str(PLAN), "--store", s).returncode == 0
    second = gg("export", "--store", s, "--format", "nq").stdout
    assert sorted(first.splitlines()) == sorted(second.splitlines())


def test_export_formats(store: Path, tmp_path: Path) -> None:
    for fmt in ("ttl", "nq", "trig", "jsonld"):
        out = tmp_path / f"g.{fmt}"
        r = gg("export", "--store", str(store), "--format", fmt, "--out", str(out))
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 10000


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("ingest", "no/such/paper.txt"), "no/such/paper.txt: error: no such file or folder"),
        (("query", "nonsense"), "no query named 'nonsense'"),
        (("query", "missing.rq"), "missing.rq: cannot read the query file"),
        (("query", "actions", "--store", "no-store-here"), "no govgraph store here"),
    ],
)
def test_user_errors_are_one_line_exit_1(args: tuple[str, ...], needle: str, tmp_path: Path) -> None:
    r = gg(*args, cwd=tmp_path)
    assert r.returncode == 1
    assert needle in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_query_text_is_a_user_error(store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?y }")
    r = gg("query", str(bad), "--store", str(store))
    assert r.returncode == 1 and "syntax" in r.stderr.lower() and "Traceback" not in r.stderr


def test_folder_with_good_and_bad_files(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "plan.txt").write_bytes(PLAN.read_bytes())
    (papers / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    s = tmp_path / "s"
    r = gg("ingest", str(papers), "--store", str(s))
    assert r.returncode == 1
    assert "binary.txt: error: this is a binary file" in r.stderr
    q = gg("query", "actions", "--store", str(s), "--format", "csv")
    assert q.stdout.count("\n") == 35  # the good paper landed: header + 34 actions


def test_wrong_usage_exits_2() -> None:
    assert gg("ingest").returncode == 2
    assert gg("frobnicate").returncode == 2


def test_windows_1252_paper_is_read(tmp_path: Path) -> None:
    text = PLAN.read_text("utf-8").replace("–", "-").replace("“", '"').replace("”", '"').replace("’", "'")
    f = tmp_path / "cp1252.txt"
    f.write_bytes(text.replace("Action No.", "Action No.").encode("cp1252", errors="replace") + "café".encode("cp1252"))
    r = gg("ingest", str(f), "--store", str(tmp_path / "s"))
    assert r.returncode == 0 and "34 actions" in r.stdout, r.stderr


def test_layers_contract_holds() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    r = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


def test_aliases_lists_merges_with_reasons(store: Path) -> None:
    r = gg("aliases", "--store", str(store))
    assert r.returncode == 0, r.stderr
    assert "Place Forum – Cov and Warks" in r.stdout and "some abbreviated" in r.stdout
    assert "HWBB" in r.stdout
