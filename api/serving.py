"""Running the server: one process, or a writer and reader processes (`--workers N`).

With N > 1, the process that `govgraph serve` starts holds the embedded store's only
read-write handle and serves the whole app, /_local included, on a private loopback
port (the one it announces to govgraph's other commands, graph/served.py). N reader
processes share the public port and answer from snapshots the writer publishes after
each write (graph/served.py: `Snapshots`, `FollowingStore`); a /_local request that
reaches a reader is passed to the writer. uvicorn's supervisor starts the readers
(spawned, so none inherits the writer's RocksDB handle), restarts one that dies, and
stops them all on Ctrl+C or SIGTERM; a reader whose parent is killed stops too.

Why processes: one Python process answers HTTP on one core at a time (the GIL), where
`oxigraph serve` answers on every core.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import uvicorn
from uvicorn.supervisors import Multiprocess

from govgraph.settings import Settings

READER_ENV = "GOVGRAPH_SERVE_READER"  # how a reader process learns what to serve


@dataclass(frozen=True)
class ReaderPlan:
    settings: dict
    snapshots: str
    writer: str  # the writer's private URL, for /_local


def reader_plan() -> tuple[Settings, Path, str]:
    """In a reader process: what the serving process asked it to serve."""
    plan = json.loads(os.environ[READER_ENV])
    return Settings(**plan["settings"]), Path(plan["snapshots"]), plan["writer"]


def die_with_parent() -> None:
    """Ask Linux to SIGTERM this process when the process that started it dies (a killed
    `govgraph serve` leaves no reader holding its port). Elsewhere, nothing."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # already orphaned before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


class Writer:
    """The writer's app on a private loopback port, in a thread of this process."""

    def __init__(self, app) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name="govgraph-writer", daemon=True)

    def start(self) -> None:
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            self.thread.join(0.02)
        if not self.server.started:
            raise RuntimeError("the writer's server did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


def run_readers(factory: str, settings: Settings, snapshots: Path, writer_url: str, host: str, port: int,
                workers: int) -> None:
    """Serve `factory` (an import string of a function building a reader's app) in
    `workers` processes on host:port, until Ctrl+C or SIGTERM."""
    os.environ[READER_ENV] = json.dumps(asdict(ReaderPlan(asdict(settings), str(snapshots), writer_url)))
    config = uvicorn.Config(factory, factory=True, host=host, port=port, workers=workers, log_level="warning",
                            access_log=False)
    sock = config.bind_socket()
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
