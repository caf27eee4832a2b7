"""Paths and constants the tests share, resolved from this file (never the working directory)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "coventry"
PLAN = EXAMPLES / "000_bffd6dc40caf8094.txt"
BASE = "http://127.0.0.1:8000/id/"
