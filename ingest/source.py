"""Reading a paper: bytes in, numbered lines out, or a located error."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from govgraph.errors import SourceError

TEXT_SUFFIXES = {".txt", ".md", ".text"}


@dataclass(frozen=True)
class Source:
    """One paper's text. `lines[0]` is line 1; `doc_id` is stable across re-ingests."""

    path: str
    doc_id: str
    lines: tuple[str, ...]

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def text(self, first: int, last: int) -> str:
        return "\n".join(self.lines[first - 1 : last])


def doc_id_for(path: Path) -> str:
    """A document's id is its file name's stem, made IRI-safe."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-") or "document"


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which every council has produced."""
    if b"\x00" in data[:8192]:
        raise SourceError(path, "this is a binary file, not a text paper", "convert it to text or PDF first")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_source(path: Path) -> Source:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SourceError(str(path), "no such file", "check the path") from exc
    except OSError as exc:
        raise SourceError(str(path), f"cannot read the file ({exc.strerror})", "check its permissions") from exc
    text = decode(data, str(path))
    return Source(str(path), doc_id_for(path), tuple(text.splitlines()))


def source_from_text(text: str, path: str = "<text>", doc_id: str = "document") -> Source:
    return Source(path, doc_id, tuple(text.splitlines()))
