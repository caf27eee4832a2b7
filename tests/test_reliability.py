"""Papers come from outside: bad input, interrupted writes and concurrent use, as a user
meets them through the command line (issue 7).

- Bad input: exit 1 (a warning, exit 0, for a file that is merely empty or not a board
  paper) with one line naming the file and what to do, no traceback, and nothing already
  in the store lost.
- Never half-write: `kill -9` in the middle of a long ingest leaves a store that opens and
  holds the old or the new graph of each paper, whole; re-ingest is idempotent.
- Concurrent use: `query` and `ingest` keep working while `serve` holds the store, and
  the server answers with the new data at once.
"""

from __future__ import annotations

import io
import json
import random
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

from govgraph.graph.store import OxigraphStore
from support import BASE, EXAMPLES, PLAN, free_port

REVIEW = EXAMPLES / "003_d6604f90980adc01.txt"  # the regulator's review: a second, small paper
REVIEW_GRAPH = BASE + "doc/003_d6604f90980adc01"
TRACEBACK = "Traceback"


def gg(*args: str, timeout: float = 300, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govgraph", *args], capture_output=True, text=True,
                          timeout=timeout, **kw)


def quads(store: Path) -> set[str]:
    r = gg("export", "--store", str(store), "--format", "nq")
    assert r.returncode == 0, r.stderr
    return {line for line in r.stdout.splitlines() if line.strip()}


def by_graph(lines: set[str]) -> dict[str, set[str]]:
    """N-Quads lines grouped by their graph name (the last term before ' .')."""
    out: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        graph = line.rstrip(" .").rsplit(" ", 1)[-1]
        out[graph].add(line)
    return out


def action_count(store: Path) -> int:
    r = gg("query", "actions", "--store", str(store), "--format", "csv")
    assert r.returncode == 0, r.stderr
    return r.stdout.count("\n") - 1


# ---- bad input -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """A store holding the plan, and its quads: what no bad input may take away."""
    s = tmp_path_factory.mktemp("template") / "store"
    r = gg("ingest", str(PLAN), "--store", str(s))
    assert r.returncode == 0, r.stderr
    return s, quads(s)


@pytest.fixture()
def store(template: tuple[Path, set[str]], tmp_path: Path) -> Path:
    s = tmp_path / "store"
    shutil.copytree(template[0], s)
    return s


def assert_one_line_error(r: subprocess.CompletedProcess[str], path: Path, *needles: str) -> str:
    """Exit 1; the file's own line is `path[:line]: error: what — what to do`; no traceback."""
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert TRACEBACK not in r.stderr, r.stderr
    mine = [line for line in r.stderr.splitlines() if line.startswith(str(path))]
    assert len(mine) == 1, r.stderr
    line = mine[0]
    assert ": error: " in line and " — " in line, line  # what is wrong — what to do
    for needle in needles:
        assert needle in line, line
    return line


def assert_nothing_lost(store: Path, template: tuple[Path, set[str]]) -> None:
    assert template[1] <= quads(store)


def corrupt_pdf() -> bytes:
    return (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R"
            + bytes(random.Random(7).randrange(256) for _ in range(4000)) + b"\n%%EOF")


def docx_with(document_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


BAD_FILES = {
    # name: (bytes, words the error line must hold)
    "random.txt": (random.Random(1).randbytes(65536), ("binary file",)),
    "random.pdf": (random.Random(2).randbytes(65536), ("not a PDF",)),
    "corrupt.pdf": (corrupt_pdf(), ("PDF", "damaged")),
    "truncated.docx": (docx_with(b"<w:document>" + b"x" * 5000)[:900], ("damaged",)),
    "corrupt.docx": (docx_with(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                               b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>unclosed'), ("damaged",)),
}


def test_a_missing_path_is_named(store: Path, template, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such-paper.txt"
    r = gg("ingest", str(missing), "--store", str(store))
    assert_one_line_error(r, missing, "no such file or folder")
    assert_nothing_lost(store, template)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_one_line_and_the_store_keeps_its_papers(name: str, store: Path, template, tmp_path: Path) -> None:
    data, needles = BAD_FILES[name]
    bad = tmp_path / name
    bad.write_bytes(data)
    r = gg("ingest", str(bad), "--store", str(store))
    assert_one_line_error(r, bad, *needles)
    assert_nothing_lost(store, template)


@pytest.mark.parametrize("data", [
    b"", b"  \n\t\r\n  ", b"Thank you for coming.\nTea and coffee are in the lobby.\n",
    random.Random(3).randbytes(8192).replace(b"\x00", b"x"),  # random bytes with no NUL: read as cp1252
], ids=["empty", "blank", "no-board-paper", "random-no-nul"])
def test_an_empty_file_or_one_that_is_no_board_paper_is_a_warning(data: bytes, store: Path, template,
                                                                   tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_bytes(data)
    r = gg("ingest", str(f), "--store", str(store))
    assert r.returncode == 0 and TRACEBACK not in r.stderr, r.stderr
    said = "the file is empty — nothing to ingest" if not data.strip() else "no section of a kind govgraph reads was found"
    assert f"{f}: warning: {said}" in r.stderr.splitlines()
    assert_nothing_lost(store, template)


def test_an_empty_folder_is_named(store: Path, template, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    r = gg("ingest", str(empty), "--store", str(store))
    assert_one_line_error(r, empty, "holds no papers")
    assert_nothing_lost(store, template)


def test_a_folder_of_good_and_bad_papers_lands_the_good_and_names_each_bad(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    shutil.copy(PLAN, papers / "plan.txt")
    shutil.copy(REVIEW, papers / "003_d6604f90980adc01.txt")
    bad = {name: papers / name for name in ("random.txt", "corrupt.pdf", "truncated.docx")}
    for name, path in bad.items():
        path.write_bytes(BAD_FILES[name][0])
    s = tmp_path / "s"
    r = gg("ingest", str(papers), "--store", str(s))
    assert r.returncode == 1 and TRACEBACK not in r.stderr
    for name, path in bad.items():
        assert_one_line_error(r, path, *BAD_FILES[name][1])
    assert r.stderr.strip().splitlines()[-1] == "govgraph: 3 paper(s) could not be ingested"
    assert "2 paper(s) in" in r.stdout
    assert action_count(s) == 34
    assert f"<{REVIEW_GRAPH}>" in by_graph(quads(s))


def test_a_windows_1252_paper_reads_as_the_same_paper(store: Path, tmp_path: Path) -> None:
    text = PLAN.read_text("utf-8")
    f = tmp_path / "plan-cp1252.txt"
    f.write_bytes(text.encode("cp1252"))  # every character of the plan has a cp1252 byte: none lost
    assert "–".encode("cp1252") == b"\x96" and b"\x96" in f.read_bytes()
    fresh = tmp_path / "fresh"
    assert gg("ingest", str(f), "--store", str(fresh)).returncode == 0
    utf8 = gg("query", "actions", "--store", str(store), "--format", "json").stdout
    cp1252 = gg("query", "actions", "--store", str(fresh), "--format", "json").stdout
    strip = lambda rows: sorted(json.dumps({k: v for k, v in r.items() if k not in ("action", "plan")}) for r in rows)  # noqa: E731
    assert strip(json.loads(cp1252)) == strip(json.loads(utf8))


def test_a_20_mb_paper_on_one_line_finishes_in_reasonable_time_and_memory(store: Path, template,
                                                                          tmp_path: Path) -> None:
    words = PLAN.read_text("utf-8").split()
    rng = random.Random(20)
    big = tmp_path / "one-line.txt"
    with big.open("w", encoding="utf-8") as f:
        size = 0
        while size < 20_000_000:
            chunk = " ".join(rng.choice(words) for _ in range(10_000)) + " "
            f.write(chunk)
            size += len(chunk)
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "govgraph", "ingest", str(big), "--store", str(store)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=240)
    elapsed = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode == 0 and TRACEBACK not in err, err
    assert elapsed < 180, f"{elapsed:.0f} s for a 20 MB line"
    assert usage.ru_maxrss < 2_000_000, f"{usage.ru_maxrss} KB peak"  # KB on Linux; any child so far
    assert f"{big}: warning: no section of a kind govgraph reads was found" in err
    assert_nothing_lost(store, template)


# ---- never half-write ------------------------------------------------------------------


def test_reingest_is_idempotent_including_derived_graphs(tmp_path: Path) -> None:
    s = tmp_path / "s"
    for _ in range(2):
        assert gg("ingest", str(PLAN), str(REVIEW), "--store", str(s)).returncode == 0
        first = quads(s)
    assert gg("ingest", str(REVIEW), str(PLAN), "--store", str(s)).returncode == 0
    assert quads(s) == first


def _papers(folder: Path, n: int, edit) -> Path:
    folder.mkdir()
    text = edit(PLAN.read_text("utf-8"))
    for i in range(n):
        (folder / f"plan-{i:02}.txt").write_text(text, "utf-8")
    return folder


def test_kill_9_mid_ingest_leaves_each_paper_old_or_new_and_whole(tmp_path: Path) -> None:
    n = 6
    old = _papers(tmp_path / "old", n, lambda t: t)
    new = _papers(tmp_path / "new", n, lambda t: t.replace("ACTION COMPLETE", "Action complete (confirmed)")
                  .replace("Theme 1", "Theme 1 (revised)", 1))
    base = tmp_path / "base"
    assert gg("ingest", str(old), "--store", str(base), "-q").returncode == 0
    old_graphs = by_graph(quads(base))
    ref = tmp_path / "ref"
    shutil.copytree(base, ref)
    started = time.monotonic()
    assert gg("ingest", str(new), "--store", str(ref), "-q").returncode == 0
    whole_run = time.monotonic() - started
    new_graphs = by_graph(quads(ref))
    docs = sorted(g for g in old_graphs if "/doc/plan-" in g)
    assert len(docs) == n and all(old_graphs[d] != new_graphs[d] for d in docs)

    killed = tmp_path / "killed"
    shutil.copytree(base, killed)
    proc = subprocess.Popen([sys.executable, "-m", "govgraph", "ingest", str(new), "--store", str(killed), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(whole_run * 0.6)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the ingest finished before it was killed: make it longer"

    after = by_graph(quads(killed))  # the store opens
    states = []
    for d in docs:
        if after[d] == old_graphs[d]:
            states.append("old")
        elif after[d] == new_graphs[d]:
            states.append("new")
        else:
            pytest.fail(f"{d} is neither its old nor its new graph: "
                        f"{len(after[d] - old_graphs[d] - new_graphs[d])} stray quads, {len(after[d])} in all")
    assert "old" in states, states  # it was killed before the end
    for g in set(old_graphs) | set(after):  # the vocabulary and traced feeds: whole too
        assert after.get(g) in (old_graphs.get(g), new_graphs.get(g)), g
    r = gg("validate", "--store", str(killed))
    assert r.returncode == 0, r.stderr
    r = gg("ingest", str(new), "--store", str(killed), "-q")  # and finishing the job gives the new store
    assert r.returncode == 0, r.stderr
    assert by_graph(quads(killed)) == new_graphs


BULK_LOAD = """
import sys, time
from pathlib import Path
from rdflib import Literal, URIRef
from govgraph.graph.store import OxigraphStore
store = OxigraphStore(Path(sys.argv[1]))
triples = [(URIRef(f"{sys.argv[3]}n{i}"), URIRef(sys.argv[3]), Literal(f"value {i}")) for i in range(int(sys.argv[4]))]
print("writing", flush=True)
started = time.monotonic()
store.replace_graph(sys.argv[2], triples)
print(time.monotonic() - started, flush=True)
store.close()
"""


BULK_N = 100_000  # triples: a load long enough to be killed in the middle
NONE = {"graph": 0, "predicate": 0, "object": 0, "listed": 0}
WHOLE = {"graph": BULK_N, "predicate": BULK_N, "object": 1, "listed": 1}


def _bulk_counts(folder: Path, graph: str, ns: str, n: int) -> dict[str, int]:
    """The bulk-loaded graph's quads counted through each kind of index."""
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    try:
        return {
            "graph": sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))),
            "predicate": sum(1 for _ in store.quads_for_pattern(None, ox.NamedNode(ns), None, None)),
            "object": sum(1 for _ in store.quads_for_pattern(None, None, ox.Literal(f"value {n - 1}"), None)),
            "listed": int(ox.NamedNode(graph) in set(store.named_graphs())),
        }
    finally:
        del store


def test_kill_9_during_a_bulk_load_leaves_the_new_graph_out_or_whole(tmp_path: Path) -> None:
    """A large graph new to the store is bulk loaded (sorted files that RocksDB takes in one
    step): killed at any point of the write, the store opens with none of it or all of it,
    in every index."""
    graph, ns, n = BASE + "doc/bulk", BASE + "bulk/", BULK_N
    args = [graph, ns, str(n)]
    r = subprocess.run([sys.executable, "-c", BULK_LOAD, str(tmp_path / "whole"), *args],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    write_secs = float(r.stdout.split()[-1])
    assert _bulk_counts(tmp_path / "whole", graph, ns, n) == WHOLE
    states = []
    for i, at in enumerate((0.2, 0.4, 0.6, 0.8, 0.95)):
        folder = tmp_path / f"killed-{i}"
        proc = subprocess.Popen([sys.executable, "-c", BULK_LOAD, str(folder), *args],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        time.sleep(write_secs * at)
        proc.send_signal(signal.SIGKILL)
        if proc.wait() != -signal.SIGKILL:
            states.append("finished")
            continue
        counts = _bulk_counts(folder, graph, ns, n)  # it opens
        assert counts in (NONE, WHOLE), (at, counts)
        states.append("none" if counts == NONE else "whole")
        OxigraphStore(folder).close()  # govgraph opening it clears the load's files away
        assert not list(folder.glob("bulk-*.sst")) and _bulk_counts(folder, graph, ns, n) == counts
    assert "none" in states, states  # killed while writing, not only after


# ---- concurrent use --------------------------------------------------------------------


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture()
def served(tmp_path: Path):
    s = tmp_path / "store"
    assert gg("ingest", str(PLAN), "--store", str(s), "-q").returncode == 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "govgraph", "serve", "--store", str(s), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if get(url + "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(proc.stderr.read())
    yield s, url, proc
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=20)


def sparql(url: str, query: str) -> dict:
    status, body = get(url + "/sparql?" + urllib.parse.urlencode({"query": query}),
                       {"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return json.loads(body)


def test_query_and_ingest_work_while_serve_holds_the_store(served) -> None:
    s, url, proc = served
    review = f"ASK {{ GRAPH <{REVIEW_GRAPH}> {{ ?s ?p ?o }} }}"
    assert sparql(url, review)["boolean"] is False
    assert action_count(s) == 34  # query while the server runs

    r = gg("ingest", str(REVIEW), "--store", str(s))
    assert r.returncode == 0 and TRACEBACK not in r.stderr, r.stderr
    assert sparql(url, review)["boolean"] is True  # the server answers with it at once
    assert gg("query", "recommendations", "--store", str(s), "--format", "csv").stdout.count("\n") > 16
    assert gg("validate", "--store", str(s)).returncode == 0
    assert len(by_graph(quads(s))) == 4  # export: two papers, vocabulary, feeds — quads, not triples

    # A bad paper is reported the same way through the server, and changes nothing.
    bad = s.parent / "random.txt"
    bad.write_bytes(BAD_FILES["random.txt"][0])
    before = quads(s)
    assert_one_line_error(gg("ingest", str(bad), "--store", str(s)), bad, "binary file")
    assert quads(s) == before

    again = gg("serve", "--store", str(s), "--port", str(free_port()))
    assert again.returncode == 1 and "already served by process" in again.stderr and TRACEBACK not in again.stderr

    proc.terminate()
    assert proc.wait(timeout=20) is not None
    assert not (s / "govgraph-serve.json").exists()  # withdrawn: commands open the folder again
    assert action_count(s) == 34


def test_the_servers_local_routes_need_the_token(served) -> None:
    s, url, _ = served
    note = s / "govgraph-serve.json"
    assert stat.S_IMODE(note.stat().st_mode) == 0o600
    token = json.loads(note.read_text())["token"]
    assert get(url + "/_local/graphs")[0] == 404
    assert get(url + "/_local/graphs", {"GovGraph-Token": "x" + token})[0] == 404
    status, body = get(url + "/_local/graphs", {"GovGraph-Token": token})
    assert status == 200 and len(json.loads(body)) == 3
    assert "/_local" not in get(url + "/openapi.json")[1].decode()


def test_a_server_killed_with_9_leaves_a_store_the_next_command_opens(served) -> None:
    s, _, proc = served
    proc.kill()
    proc.wait()
    assert (s / "govgraph-serve.json").exists()  # left behind, and ignored: its process is gone
    assert action_count(s) == 34
    assert gg("ingest", str(REVIEW), "--store", str(s), "-q").returncode == 0
