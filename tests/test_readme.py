"""The README's commands work as written."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def usage_commands() -> list[str]:
    block = re.search(r"## Using it\s+```sh\n(.*?)```", README, re.S)
    assert block, "README lost its 'Using it' block"
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_leads_with_make_run_and_make_test() -> None:
    head = README.split("## ")[1] if "## " in README else README
    assert "make run" in README[:1200] and "make test" in README[:1200], head


@pytest.mark.parametrize("command", usage_commands())
def test_usage_command_runs(command: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    work = tmp_path_factory.getbasetemp() / "readme"
    work.mkdir(exist_ok=True)
    if not (work / "examples").exists():
        (work / "examples").symlink_to(ROOT / "examples")
    args = shlex.split(command)
    assert args[0] == "govgraph"
    if args[1] == "serve":
        pytest.skip("serve blocks; the API tests drive it")
    if args[1] != "ingest" and not (work / "govgraph-store").exists():
        subprocess.run([sys.executable, "-m", "govgraph", "ingest", "examples/coventry", "--store", "govgraph-store"],
                       cwd=work, check=True, capture_output=True)
    r = subprocess.run([sys.executable, "-m", "govgraph", *args[1:]], cwd=work, capture_output=True, text=True)
    if args[1] == "viz" and "No module named 'govgraph.viz" in r.stderr:
        pytest.fail("viz is not built yet")
    assert r.returncode == 0, f"{command}\n{r.stderr}"


def test_makefile_targets_exist() -> None:
    mk = (ROOT / "Makefile").read_text()
    for target in ("run:", "test:", "bench:", "setup:"):
        assert target in mk
    assert "make test" in (ROOT / ".ci" / "run").read_text()
