"""The one entry point: `govgraph COMMAND`. Only this module turns errors into exit codes.

Exit status: 0 success; 1 a user error (bad paper, bad query, shape violation), reported
as one line naming the file (and line); 2 wrong usage (click's own).
"""

from __future__ import annotations

import csv
from contextlib import contextmanager
import io
import json
import os
import sys
from pathlib import Path
from typing import Callable, Iterator, NoReturn

import click

from govgraph import __version__
from govgraph.errors import GovGraphError, SourceError, ValidationFailed
from govgraph.settings import Settings

FORMATS = ("csv", "tsv", "json", "table")


def fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def guarded(fn: Callable) -> Callable:
    """Run a command; a user error becomes one line on stderr and exit 1, never a traceback."""

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationFailed as exc:
            for line in exc.lines:
                click.echo(line, err=True)
            fail(f"govgraph: error: {exc}")
        except SourceError as exc:
            fail(str(exc))
        except GovGraphError as exc:
            fail(f"govgraph: error: {exc}")

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


store_option = click.option(
    "--store",
    envvar="GOVGRAPH_STORE",
    default=None,
    help="Store folder (embedded, the default: ./govgraph-store) or a SPARQL query endpoint URL.",
)
update_option = click.option(
    "--update", envvar="GOVGRAPH_UPDATE", default=None, help="SPARQL update endpoint URL, with --store URL."
)


def settings_for(store: str | None, update: str | None = None) -> Settings:
    s = Settings()
    return Settings(store=store or s.store, update=update or s.update, base=s.base,
                    query_timeout_s=s.query_timeout_s, row_cap=s.row_cap)


def open_for(settings: Settings, *, read_only: bool):
    from govgraph.graph.store import open_store

    return open_store(settings.store, read_only=read_only, update=settings.update)


@contextmanager
def reading(store: str | None, update: str | None) -> Iterator:
    """The store a read-only command asked for, closed (and its lock released) after."""
    st = open_for(settings_for(store, update), read_only=True)
    try:
        yield st
    finally:
        st.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="govgraph")
def main() -> None:
    """govgraph: board papers in, a governance knowledge graph out.

    Ingest papers into a store, ask the competency questions, validate against the
    shapes, export the graph, serve it over HTTP and draw it.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@update_option
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--no-check", is_flag=True,
              help="Skip each paper's shape check before it is written (bulk loads; run `validate` after).")
@guarded
def ingest(paths: tuple[Path, ...], store: str | None, update: str | None, quiet: bool, no_check: bool) -> None:
    """Ingest board papers (files or folders). Each paper's graph is checked against the
    shapes and written in one transaction; re-ingesting a paper replaces its facts."""
    from rich.progress import Progress

    from govgraph.graph.build import ingest_paths, summary

    settings = settings_for(store, update)
    st = open_for(settings, read_only=False)
    try:
        with Progress(transient=True, disable=quiet or not sys.stderr.isatty()) as progress:
            task = progress.add_task("ingesting", total=None)
            report = ingest_paths(
                list(paths), st, settings.base,
                progress=lambda p: progress.update(task, description=f"ingesting {p.name}"),
                check=not no_check,
            )
    finally:
        st.close()
    for paper in report.papers:
        if not quiet:
            click.echo(summary(paper))
        for d in paper.diagnostics:
            click.echo(d, err=True)
    for err in report.errors:
        for line in err.lines if isinstance(err, ValidationFailed) else [str(err)]:
            click.echo(line, err=True)
    if not quiet:
        click.echo(f"{len(report.papers)} paper(s) in {settings.store}; {report.feeds} action-to-board feeds traced")
    if report.errors:
        fail(f"govgraph: {len(report.errors)} paper(s) could not be ingested")


def write_table(columns: list[str], rows: list[list[str]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([dict(zip(columns, r)) for r in rows], indent=2, ensure_ascii=False) + "\n"
    if fmt == "table":
        from rich.console import Console
        from rich.table import Table as RichTable

        t = RichTable(*columns, show_lines=False)
        for r in rows:
            t.add_row(*r)
        buf = io.StringIO()
        Console(file=buf, width=200).print(t)
        return buf.getvalue()
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue()


@main.command()
@click.argument("name")
@store_option
@update_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--as-at", "as_at", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day to answer as at (YYYY-MM-DD), for queries that use ?asAt: overdue (default today), "
                   "governance and people (default: everything ever stated).")
@guarded
def query(name: str, store: str | None, update: str | None, fmt: str, as_at) -> None:
    """Answer a competency question NAME (see `govgraph queries`) or run a .rq FILE."""
    import re

    from rdflib import XSD, Literal

    from govgraph.graph import queries
    from govgraph.graph.sparql import select

    sparql = queries.load(name)
    bindings = None
    if re.search(r"\?asAt\b", sparql):
        # Left unbound without --as-at: each query says what that means (overdue: today;
        # governance, people: everything the papers ever stated).
        bindings = {"asAt": Literal(as_at.date().isoformat(), datatype=XSD.date)} if as_at else None
    elif as_at is not None:
        raise click.UsageError(f"--as-at: the query {name!r} takes no date (it never uses ?asAt)")
    with reading(store, update) as st:
        table = select(st, sparql, bindings)
    click.echo(write_table(table.columns, [table.values(r) for r in table.rows], fmt), nl=False)


@main.command("queries")
def list_queries() -> None:
    """List the competency questions that ship with govgraph."""
    from govgraph.graph import queries

    for n in queries.names():
        click.echo(f"{n:18} {queries.describe(queries.load(n))}")


@main.command()
@store_option
@update_option
@click.option("--format", "fmt", type=click.Choice(("ttl", "nq", "trig", "jsonld")), default="trig", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None, help="File to write (default: stdout).")
@guarded
def export(store: str | None, update: str | None, fmt: str, out: Path | None) -> None:
    """Export the whole graph: every paper's named graph, with provenance."""
    from govgraph.graph.export import export_bytes

    with reading(store, update) as st:
        data = export_bytes(st, fmt)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        from govgraph.graph.export import write_atomic

        write_atomic(out, data)


@main.command()
@store_option
@update_option
@guarded
def validate(store: str | None, update: str | None) -> None:
    """Check the graph against the SHACL shapes; exit 1 on any violation."""
    from govgraph.graph.validate import validate_store

    with reading(store, update) as st:
        problems = validate_store(st)
    if problems:
        raise ValidationFailed(problems)
    click.echo("conforms: the graph passes every shape")


@main.command()
@store_option
@update_option
@guarded
def aliases(store: str | None, update: str | None) -> None:
    """List which names became one node, why, and where each spelling stands."""
    from govgraph.graph import queries
    from govgraph.graph.sparql import select

    with reading(store, update) as st:
        table = select(st, queries.internal("aliases"))
    click.echo(write_table(table.columns, [table.values(r) for r in table.rows], "table"), nl=False)


@main.command("diff")
@click.argument("first")
@click.argument("second")
@store_option
@update_option
@click.option("--format", "fmt", type=click.Choice(("text", "json", "html")), default="text", show_default=True,
              help="html is a self-contained page that highlights each change.")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="File to write (default: stdout).")
@guarded
def diff_command(first: str, second: str, store: str | None, update: str | None, fmt: str, out: Path | None) -> None:
    """What changed from FIRST to SECOND: two versions of a plan (papers by doc id, file
    name or IRI: actions added or dropped, closed, status moves, re-dated, lead and
    governance changes) or two meetings of one body (membership and attendance)."""
    from govgraph.graph.diff import as_dict, as_html, as_text, diff

    with reading(store, update) as st:
        d = diff(st, first, second)
    text = {"text": as_text, "html": as_html,
            "json": lambda x: json.dumps(as_dict(x), indent=2, ensure_ascii=False) + "\n"}[fmt](d)
    if out is None:
        click.echo(text, nl=False)
    else:
        from govgraph.graph.export import write_atomic

        write_atomic(out, text.encode("utf-8"))
        click.echo(f"wrote {out}")


WORKERS = min(os.cpu_count() or 1, 4)


@main.command()
@store_option
@update_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=WORKERS, show_default=True, type=click.IntRange(1, 64),
              help="Processes answering HTTP on an embedded store (one per core). With more than one, this "
              "process writes and the others read from a snapshot it publishes after each write.")
@guarded
def serve(store: str | None, update: str | None, host: str, port: int, workers: int) -> None:
    """Serve the SPARQL endpoint, REST API, entity pages and views over HTTP."""
    import uvicorn

    from govgraph.api.app import create_app
    from govgraph.graph.served import SNAPSHOTS, Snapshots, WriterStore, announce, withdraw

    settings = settings_for(store, update)
    folder = None if settings.store_is_remote or settings.store == ":memory:" else Path(settings.store)
    if folder is None:
        st = open_for(settings, read_only=False)
        app = create_app(settings, st, views=_views(st, settings))
        click.echo(f"govgraph serving {settings.store} on http://{host}:{port}/ (Ctrl+C stops)")
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    inner, token = hold_store(folder)
    st = WriterStore(inner, Snapshots(folder) if workers > 1 else None)
    # uvicorn re-raises SIGTERM after its graceful shutdown, so the app's shutdown (not a
    # `finally` here) takes the announcement back.
    app = create_app(settings, st, views=_views(st, settings), local_token=token,
                     on_shutdown=lambda: withdraw(folder, token))
    click.echo(f"govgraph serving {settings.store} on http://{host}:{port}/ (Ctrl+C stops)")
    try:
        if workers == 1:
            local = "127.0.0.1" if host in ("0.0.0.0", "", "localhost") else "[::1]" if host == "::" else (
                f"[{host}]" if ":" in host else host)
            announce(folder, f"http://{local}:{port}", token)
            uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
            return
        from govgraph.api import serving

        writer = serving.Writer(app)
        writer.start()
        announce(folder, writer.url, token)  # other commands reach the writer directly
        try:
            serving.run_readers("govgraph.cli:reader_app", settings, folder / SNAPSHOTS, writer.url,
                                host, port, workers)
        finally:
            writer.stop()
    finally:
        withdraw(folder, token)
        st.close()




def _views(st, settings: Settings):
    """/viz/VIEW's renderer over `st` (api never imports viz: the CLI hands it in)."""
    from govgraph.viz import render_view

    def views(view: str, focus: str | None, depth: int, as_at=None) -> str:
        return render_view(st, view, focus=focus, depth=depth, base=settings.base, fmt="html", as_at=as_at).decode()

    return views


def reader_app():
    """A reader process's app (`serve --workers N`, api/serving.py): the newest snapshot."""
    from govgraph.api.app import create_app
    from govgraph.api.serving import die_with_parent, reader_plan
    from govgraph.graph.served import FollowingStore

    die_with_parent()
    settings, snapshots, writer = reader_plan()
    st = FollowingStore(snapshots)
    return create_app(settings, st, views=_views(st, settings), local_writer=writer, on_shutdown=st.close)


def hold_store(folder: Path):
    """Open an embedded store for `serve`: its only handle, which other commands reach
    through the server while it runs (graph/served.py)."""
    from govgraph.errors import StoreError
    from govgraph.graph.served import announced, new_token
    from govgraph.graph.store import open_store

    running = announced(folder)
    if running is not None:
        raise StoreError(f"{folder}: already served by process {running.pid} at {running.url} — use that server, or stop it first")
    if not (folder / "CURRENT").exists():
        raise StoreError(f"{folder}: no govgraph store here — run 'govgraph ingest PAPERS --store {folder}' first")
    return open_store(str(folder), read_only=False, via_server=False), new_token()


@main.command()
@click.argument("view", type=click.Choice(("governance", "dependencies", "focus")))
@store_option
@update_option
@click.option("--focus", default=None, help="A label or IRI to centre the view on (for `focus`).")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(1, 10))
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="File to write: .html (interactive, offline), .svg, .png or .pdf (print).")
@click.option("--as-at", "as_at", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Draw the graph as at a day (YYYY-MM-DD): only what papers dated on or before it state.")
@guarded
def viz(view: str, store: str | None, update: str | None, focus: str | None, depth: int, out: Path, as_at) -> None:
    """Draw a view of the graph: governance, dependencies, or focus on one thing."""
    from govgraph.viz import write_view

    settings = settings_for(store, update)
    st = open_for(settings, read_only=True)
    try:
        write_view(st, view, out, focus=focus, depth=depth, base=settings.base, as_at=as_at.date() if as_at else None)
    finally:
        st.close()
    click.echo(f"wrote {out}")
