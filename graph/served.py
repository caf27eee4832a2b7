"""A store that a running `govgraph serve` holds, reached through that server.

The embedded store locks its folder: one process at a time may open it for writing, and
pyoxigraph calls a read-only open undefined while another process writes. So while
`govgraph serve` runs, it holds the only handle, and every other command on the same
folder goes through it:

    serve   opens the folder for writing and writes `govgraph-serve.json` into it
            (URL, process id, a random token; readable by its owner only);
    ingest, query, validate, export, viz
            find that file, check the process is alive, and speak the store protocol
            to the server's local routes (`/_local/...`, loopback only, token needed):
            queries read the live store, a paper's graph is replaced in one
            transaction, and the server answers with the new data at once.

When the server stops it removes the file; a file left by a killed server is ignored
(its process is gone, and so is its lock).
"""

from __future__ import annotations

import json
import mmap
import os
import secrets
import shutil
import struct
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterator, Sequence

import pyoxigraph as ox
from rdflib import Graph

from govgraph.errors import QueryError, StoreError
from govgraph.graph.store import OxigraphStore, QueryResponse, Triple, as_graph, looks_like_update

SERVER_FILE = "govgraph-serve.json"
LOCAL_PREFIX = "/_local"
TOKEN_HEADER = "GovGraph-Token"
KIND_HEADER = "GovGraph-Kind"
_TIMEOUT_S = 600


@dataclass(frozen=True)
class Announcement:
    url: str
    pid: int
    token: str


def new_token() -> str:
    return secrets.token_urlsafe(32)


def announce(folder: Path, url: str, token: str) -> Path:
    """Tell other commands that this process serves the store in `folder`, and where."""
    path = folder / SERVER_FILE
    tmp = folder / f".{SERVER_FILE}.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"url": url, "pid": os.getpid(), "token": token}, f)
    os.replace(tmp, path)
    return path


def withdraw(folder: Path, token: str) -> None:
    """Remove the announcement, if it is still this server's."""
    found = announced(folder, check_alive=False)
    if found is not None and secrets.compare_digest(found.token, token):
        (folder / SERVER_FILE).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def announced(folder: Path, *, check_alive: bool = True) -> Announcement | None:
    """The live server that holds the store in `folder`, if there is one."""
    try:
        data = json.loads((folder / SERVER_FILE).read_text("utf-8"))
        found = Announcement(str(data["url"]), int(data["pid"]), str(data["token"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if check_alive and (found.pid == os.getpid() or not _alive(found.pid)):
        return None
    return found


class ServedStore:
    """The store protocol spoken to a running `govgraph serve` on this machine."""

    def __init__(self, folder: Path, found: Announcement) -> None:
        self.folder = folder
        self.url = found.url.rstrip("/") + LOCAL_PREFIX
        self._token = found.token

    def _call(self, method: str, route: str, body: bytes | None = None,
              content_type: str = "application/x-www-form-urlencoded") -> tuple[bytes, dict[str, str]]:
        req = urllib.request.Request(self.url + route, data=body, method=method,
                                     headers={TOKEN_HEADER: self._token, "Content-Type": content_type})
        try:
            with urllib.request.urlopen(req, timeout=_TIMEOUT_S) as resp:
                return resp.read(), {k.lower(): v for k, v in resp.headers.items()}
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read())["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = f"status {exc.code}"
            if exc.code == 400:
                raise QueryError(message) from exc
            raise StoreError(f"{self.folder}: the govgraph server holding this store refused: {message}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(
                f"{self.folder}: the govgraph server holding this store ({self.url}) does not answer ({exc}) — "
                f"stop it, or delete {self.folder / SERVER_FILE} if no server runs"
            ) from exc

    def replace_graph(self, name: str, data: Graph | Collection[Triple]) -> None:
        body = as_graph(data).serialize(format="nt", encoding="utf-8")
        self._call("PUT", "/graph?" + urllib.parse.urlencode({"name": name}), body, "application/n-triples")

    def query(
        self,
        sparql: str,
        *,
        results_type: str = "application/sparql-results+json",
        graph_type: str = "text/turtle",
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResponse:
        if looks_like_update(sparql):
            raise QueryError("updates are not allowed here — the store is read-only for queries")
        form = urllib.parse.urlencode(
            {"query": sparql, "results_type": results_type, "graph_type": graph_type,
             "default_graph": list(default_graphs or ()), "named_graph": list(named_graphs or ())},
            doseq=True,
        ).encode()
        body, headers = self._call("POST", "/query", form)
        return QueryResponse(body, headers.get("content-type", results_type).split(";")[0],
                             headers.get(KIND_HEADER.lower(), "solutions"))

    def graphs(self) -> list[str]:
        body, _ = self._call("GET", "/graphs")
        return list(json.loads(body))

    def dump(self, media_type: str) -> bytes:
        body, _ = self._call("GET", "/dump?" + urllib.parse.urlencode({"media_type": media_type}))
        return body

    def close(self) -> None:
        pass


def served_store(folder: Path) -> ServedStore | None:
    """A way to the store in `folder` through the server that holds it, if one runs."""
    found = announced(folder)
    return ServedStore(folder, found) if found else None


# ---- reader processes ------------------------------------------------------------------
#
# `govgraph serve --workers N` answers HTTP in N processes. The serving process holds the
# store's only read-write handle and does every write; the others read. pyoxigraph calls
# a read-only open of a folder that another process writes undefined, and a read-only
# handle never sees later writes, so readers never open the live folder: after each
# write the writer takes a RocksDB checkpoint (hard links, a few ms) into
# SNAPSHOTS/<generation>, which nobody writes again, and then bumps the generation
# counter in SNAPSHOTS/generation (8 bytes every process maps). A reader checks the
# counter before each query (one memory read) and, when it moved, opens the newest
# snapshot. The writer bumps it before it answers the write, so the next query on any
# worker sees the write.
#
# A snapshot is deleted once no reader can still use it: each reader writes the oldest
# generation it holds (a query may still run on the previous handle) into
# SNAPSHOTS/reader-<pid>, and the writer deletes older ones after each write.

SNAPSHOTS = "serve-snapshots"
_GEN = struct.Struct("<Q")


class Snapshots:
    """The writer's side: publish a snapshot after each write."""

    def __init__(self, folder: Path) -> None:
        self.root = folder / SNAPSHOTS
        shutil.rmtree(self.root, ignore_errors=True)  # a killed server's
        self.root.mkdir()
        counter = self.root / "generation"
        counter.write_bytes(_GEN.pack(0))
        self._file = open(counter, "r+b")  # noqa: SIM115 - mapped until close
        self._map = mmap.mmap(self._file.fileno(), _GEN.size)
        self.generation = 0

    def publish(self, store: ox.Store) -> None:
        gen = self.generation + 1
        store.backup(str(self.root / str(gen)))
        _GEN.pack_into(self._map, 0, gen)
        self.generation = gen
        self._prune()

    def _prune(self) -> None:
        held = [self.generation]
        for note in self.root.glob("reader-*"):
            try:
                pid, gen = int(note.name.removeprefix("reader-")), int(note.read_text())
            except (OSError, ValueError):
                continue  # being written: its reader holds nothing older than before
            if _alive(pid):
                held.append(gen)
            else:
                note.unlink(missing_ok=True)
        oldest = min(held)
        for snap in self.root.iterdir():
            if snap.name.isdigit() and int(snap.name) < oldest:
                shutil.rmtree(snap, ignore_errors=True)

    def close(self) -> None:
        self._map.close()
        self._file.close()
        shutil.rmtree(self.root, ignore_errors=True)


class WriterStore:
    """The serving process's read-write store: every write counts a generation (the
    executor forgets what it learnt of query costs) and, with readers, publishes it."""

    def __init__(self, inner: OxigraphStore, snapshots: Snapshots | None = None) -> None:
        self.inner = inner
        self.snapshots = snapshots
        self.generation = 0
        self._lock = threading.Lock()
        if snapshots is not None:
            snapshots.publish(self._ox())

    def _ox(self) -> ox.Store:
        return self.inner._store  # noqa: SLF001 - a checkpoint is pyoxigraph's, not the protocol's

    def _wrote(self) -> None:
        if self.snapshots is not None:
            self.snapshots.publish(self._ox())
        self.generation += 1

    def replace_graph(self, name: str, data: Graph | Collection[Triple]) -> None:
        with self._lock:
            self.inner.replace_graph(name, data)
            self._wrote()

    def change_graph(self, name: str, gone: Collection[Triple], added: Collection[Triple]) -> None:
        with self._lock:
            self.inner.change_graph(name, gone, added)
            self._wrote()

    def query(self, sparql: str, **kw) -> QueryResponse:
        return self.inner.query(sparql, **kw)

    def graphs(self) -> list[str]:
        return self.inner.graphs()

    def dump(self, media_type: str) -> bytes:
        return self.inner.dump(media_type)

    def close(self) -> None:
        self.inner.close()
        if self.snapshots is not None:
            self.snapshots.close()


@dataclass
class _Handle:
    generation: int
    store: OxigraphStore
    users: int = 0


class FollowingStore:
    """A reader process's store: the newest snapshot, read-only, reopened when the
    writer publishes a newer one (checked before every call)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._file = open(root / "generation", "rb")  # noqa: SIM115 - mapped until close
        self._map = mmap.mmap(self._file.fileno(), _GEN.size, access=mmap.ACCESS_READ)
        self._lock = threading.Lock()
        self._note = root / f"reader-{os.getpid()}"
        self._held: list[_Handle] = []  # older handles a query may still be using
        self._current = self._open(self.generation)

    @property
    def generation(self) -> int:
        return _GEN.unpack_from(self._map, 0)[0]

    def _tell(self, oldest: int) -> None:
        tmp = self._note.with_name(f".{self._note.name}")
        tmp.write_text(str(oldest))
        os.replace(tmp, self._note)

    def _open(self, gen: int) -> _Handle:
        """Open snapshot `gen` (or a newer one, if the writer moved on and pruned it)."""
        for _ in range(100):
            held = [h.generation for h in self._held if h.users] + [gen]
            self._tell(min(held))  # before opening: the writer keeps what a reader holds
            try:
                return _Handle(gen, OxigraphStore(self.root / str(gen), read_only=True))
            except StoreError:
                newer = self.generation
                if newer == gen:
                    raise
                gen = newer
        raise StoreError(f"{self.root}: the server's snapshots change faster than a reader can open them")

    def _handle(self) -> _Handle:
        gen = self.generation
        with self._lock:
            if gen != self._current.generation:
                old = self._current
                self._held = [h for h in self._held if h.users] + ([old] if old.users else [])
                self._current = self._open(gen)
            h = self._current
            h.users += 1
            return h

    def _done(self, h: _Handle) -> None:
        with self._lock:
            h.users -= 1

    @contextmanager
    def _using(self) -> Iterator[OxigraphStore]:
        """The newest snapshot's store, held (not deleted) until the call is done."""
        h = self._handle()
        try:
            yield h.store
        finally:
            self._done(h)

    def query(self, sparql: str, **kw) -> QueryResponse:
        with self._using() as store:
            return store.query(sparql, **kw)

    def graphs(self) -> list[str]:
        with self._using() as store:
            return store.graphs()

    def dump(self, media_type: str) -> bytes:
        with self._using() as store:
            return store.dump(media_type)

    def replace_graph(self, name: str, data: Graph | Collection[Triple]) -> None:
        raise StoreError(f"{self.root}: a reader process does not write — the serving process does")

    def close(self) -> None:
        self._note.unlink(missing_ok=True)
        self._map.close()
        self._file.close()
