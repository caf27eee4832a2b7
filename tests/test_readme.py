"""The README's commands work as written."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from support import ROOT, free_port

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
    if args[1] != "ingest" and not (work / "govgraph-store").exists():
        subprocess.run([sys.executable, "-m", "govgraph", "ingest", "examples/coventry", "--store", "govgraph-store"],
                       cwd=work, check=True, capture_output=True)
    if args[1] == "serve":
        serve_and_ask(args, work)
        return
    r = subprocess.run([sys.executable, "-m", "govgraph", *args[1:]], cwd=work, capture_output=True, text=True)
    if args[1] == "viz" and "No module named 'govgraph.viz" in r.stderr:
        pytest.fail("viz is not built yet")
    assert r.returncode == 0, f"{command}\n{r.stderr}"


def serve_and_ask(args: list[str], work: Path) -> None:
    """Start the server as written (on a free port), ask /healthz and a competency
    query, then stop it."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "govgraph", *args[1:], "--port", str(port)], cwd=work,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"server did not come up: {proc.communicate()[1][-800:]}")
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/queries/actions?format=csv", timeout=10) as r:
            assert r.read().decode().count("\n") > 30
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_makefile_targets_exist() -> None:
    mk = (ROOT / "Makefile").read_text()
    for target in ("run:", "test:", "bench:", "setup:"):
        assert target in mk
    assert "make test" in (ROOT / ".ci" / "run").read_text()
