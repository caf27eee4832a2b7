"""Paths and constants the tests share, resolved from this file (never the working directory)."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "coventry"
PLAN = EXAMPLES / "000_bffd6dc40caf8094.txt"
BASE = "http://127.0.0.1:8000/id/"


def ingested(*paths: Path):
    """An in-memory store holding these papers (asserting they all ingest cleanly)."""
    from govgraph.graph.build import ingest_paths
    from govgraph.graph.store import OxigraphStore

    store = OxigraphStore(None)
    report = ingest_paths(list(paths), store, BASE)
    assert report.ok, report.errors
    return store


def ingested_text(folder: Path, name: str, text: str):
    """An in-memory store holding one paper written from `text` as `folder/name`."""
    paper = folder / name
    paper.write_text(text, "utf-8")
    return ingested(paper)


def stop_process(proc: subprocess.Popen, timeout_s: float) -> None:
    """Ask a server process to stop; kill it if it has not within `timeout_s`."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_port() -> int:
    """A loopback port no one holds now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
