"""A throwaway Virtuoso 7 server (Debian's `virtuoso-opensource`) for the store contract
tests: its own database in a temporary folder, free loopback ports, updates granted to the
SPARQL endpoint as docs/stores.md says, and result limits above any answer the tests ask.
One server serves a whole test session (it takes seconds to start); each user clears the
graphs it wrote."""

from __future__ import annotations

import atexit
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from support import free_port, stop_process

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")  # Debian's defaults, as users run it


def _ini(folder: Path, sql: int, http: int) -> str:
    """The packaged virtuoso.ini with this server's files and ports, and limits above any
    answer the tests ask for (docs/stores.md: the default cuts answers at 10,000 rows)."""
    text = PACKAGED_INI.read_text()
    text = text.replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*1111\s*$", f"ServerPort = 127.0.0.1:{sql}", text)
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*8890\s*$", f"ServerPort = 127.0.0.1:{http}", text)
    text = re.sub(r"(?m)^DefaultHost\s*=.*$", f"DefaultHost = localhost:{http}", text)
    text = re.sub(r"(?m)^ResultSetMaxRows\s*=.*$", "ResultSetMaxRows = 1000000\nMaxSortedTopRows = 1000000", text)
    return re.sub(r"(?m)^MaxQueryExecutionTime\s*=.*$", "MaxQueryExecutionTime = 120", text)


def virtuoso_binary() -> str | None:
    """virtuoso-t, when it is installed with its packaged configuration."""
    return shutil.which("virtuoso-t") if PACKAGED_INI.exists() else None


class VirtuosoServer:
    """`virtuoso-t` in the foreground, on free loopback ports, with its files in `folder`."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, http = free_port(), free_port()
        (folder / "virtuoso.ini").write_text(_ini(folder, self.sql_port, http))
        self.url = f"http://127.0.0.1:{http}/sparql"
        self.log = folder / "virtuoso.log"
        self.proc = subprocess.Popen([virtuoso_binary(), "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                                     cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            self._wait()
            self._sql('GRANT SPARQL_UPDATE TO "SPARQL";')
        except BaseException:
            self.stop()
            raise

    def _wait(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited ({self.proc.returncode}): {self._tail()}")
            try:
                with urllib.request.urlopen(self.url + "?query=ASK%7B%7D", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"virtuoso-t did not answer within {timeout_s:.0f} s: {self._tail()}")

    def _sql(self, statement: str) -> None:
        isql = shutil.which("isql-vt") or shutil.which("isql")
        done = subprocess.run([isql, str(self.sql_port), "dba", "dba", f"exec={statement}"],
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0 or "Error" in done.stdout:
            raise RuntimeError(f"isql {statement!r}: {done.stdout}{done.stderr}")

    def _tail(self) -> str:
        return self.log.read_text(errors="replace")[-600:] if self.log.exists() else "(no log)"

    def stop(self) -> None:
        stop_process(self.proc, 30)


_shared: list[VirtuosoServer] = []


def shared(folder: Path) -> VirtuosoServer:
    """The session's one server, started in `folder` on first use, stopped at exit."""
    if not _shared:
        _shared.append(VirtuosoServer(folder))
        atexit.register(_shared[0].stop)
    return _shared[0]
