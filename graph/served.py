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
import os
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Sequence

from rdflib import Graph

from govgraph.errors import QueryError, StoreError
from govgraph.graph.store import QueryResponse, Triple, as_graph, looks_like_update

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
