"""The public face of viz/: render a named view of the store as bytes, or write it to a file.

    render_view(store, "governance", base=..., fmt="html")  -> bytes
    write_view(store, "focus", Path("hwb.pdf"), focus="Health and Wellbeing Board", base=...)

Formats: html (interactive, self-contained), svg / pdf / png (Graphviz, A4, for printed
board papers), csv and table (the accessible equivalent: the same entities and
relations as a CSV, or as an HTML page of tables). Files are written atomically: a
temporary file beside the target, then os.replace, so a reader never sees half a view.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date as _date
from pathlib import Path

from govgraph.errors import GovGraphError
from govgraph.graph import views as graph_views
from govgraph.graph.store import Store
from govgraph.viz import html, printing, table

VIEWS = graph_views.VIEWS
FORMATS = ("html", "svg", "png", "pdf", "csv", "table")
SUFFIXES = {".html": "html", ".htm": "html", ".svg": "svg", ".png": "png", ".pdf": "pdf", ".csv": "csv"}
# Interactive and tabular views stay readable to this many entities; a printed A4 page to fewer.
SCREEN_LIMIT = graph_views.DEFAULT_LIMIT
PRINT_LIMIT = 60


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("govgraph")
    except Exception:  # noqa: BLE001 - running from a source tree without metadata
        return "dev"


def format_for(out: Path) -> str:
    """The format a file name asks for: NAME.table.html is the accessible table."""
    name = out.name.lower()
    if name.endswith(".table.html"):
        return "table"
    fmt = SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        raise GovGraphError(
            f"{out}: cannot tell the format from the suffix {out.suffix or '(none)'!r} — end the file name "
            "with .html (interactive), .svg, .png or .pdf (print), .csv or .table.html (table)"
        )
    return fmt


def _focus_arg(focus: str | None, base: str) -> str | None:
    """A focus may be a label, an IRI, or an IRI path under the base (body/health-and-wellbeing-board)."""
    if focus and "/" in focus and " " not in focus and not focus.startswith(("http://", "https://", "urn:")):
        return base + focus.lstrip("/")
    return focus


def caption_for(view: graph_views.View) -> str:
    docs = view.documents
    shown = ", ".join(docs[:4]) + (f" and {len(docs) - 4} more" if len(docs) > 4 else "")
    g = view.graph
    at = f"as at {view.as_at.isoformat()} · " if view.as_at else ""
    return (f"{at}{g.number_of_nodes()} entities, {g.number_of_edges()} relations · "
            f"source: papers {shown or '(none ingested)'}")


def render_view(store: Store, view: str, *, focus: str | None = None, depth: int = 2, base: str,
                fmt: str = "html", title: str | None = None, limit: int | None = None,
                date: str | None = None, as_at: _date | None = None) -> bytes:
    """A view as bytes in `fmt`, drawn as at a day if `as_at` is given (only what papers
    dated by then state). Raises a GovGraphError subclass for a user's error (unknown
    view or format, a focus that names nothing, Graphviz missing)."""
    if fmt not in FORMATS:
        raise GovGraphError(f"no view format {fmt!r} — choose one of: {', '.join(FORMATS)}")
    if limit is None:
        limit = PRINT_LIMIT if fmt in printing.FORMATS else SCREEN_LIMIT
    with graph_views.collector_paused():  # building and drawing alike make many short-lived objects
        return _render(store, view, focus=_focus_arg(focus, base), depth=depth, fmt=fmt, title=title,
                       limit=limit, date=date, as_at=as_at)


def _render(store: Store, view: str, *, focus: str | None, depth: int, fmt: str, title: str | None,
            limit: int, date: str | None, as_at: _date | None) -> bytes:
    v = graph_views.build(store, view, focus_on=focus, depth=depth, limit=limit, as_at=as_at)
    heading = title or v.title
    caption = caption_for(v)
    day = date or _date.today().isoformat()
    if fmt == "html":
        return html.render_html(v, title=heading, caption=caption, date=day, version=_version()).encode("utf-8")
    if fmt == "csv":
        return table.csv_bytes(v)
    if fmt == "table":
        return table.html_table(v, heading, f"{day} · {caption}").encode("utf-8")
    return printing.render(v, fmt, heading, caption, day)


def write_atomic(out: Path, data: bytes) -> None:
    """Write `data` to `out` through a temporary file in the same folder and os.replace."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise GovGraphError(f"{out}: the folder {folder} does not exist — create it or choose another --out")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise GovGraphError(f"{out}: cannot write the view ({exc.strerror}) — check the path and permissions") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_view(store: Store, view: str, out: Path, *, focus: str | None = None, depth: int = 2,
               base: str, title: str | None = None, limit: int | None = None, as_at: _date | None = None) -> None:
    """Render a view in the format its suffix names and write it atomically."""
    out = Path(out)
    fmt = format_for(out)
    write_atomic(out, render_view(store, view, focus=focus, depth=depth, base=base, fmt=fmt,
                                  title=title, limit=limit, as_at=as_at))
