"""Real `iku serve` processes on 127.0.0.1 sharing one PostgreSQL store, and a small form-posting client."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from projections.db import PROJECTED_TABLES

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Node:
    """One `iku serve` process with its own data dir (read model) on the shared store."""

    def __init__(self, data_dir: Path, url: str, **env: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, "IKU_DATABASE_URL": url, "IKU_DATA_DIR": str(data_dir),
                       "IKU_FOLLOW_INTERVAL": "0.2", **env}
        self.log = open(data_dir.parent / f"{data_dir.name}-{self.port}.log", "wb")  # noqa: SIM115 (lives with the process)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--threads", "4"],
            cwd=ROOT, env=environment, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"node exited with {self.process.returncode}: {self.output()}")
            try:
                with urllib.request.urlopen(f"{self.base}/masuk", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"node not ready in {seconds} s: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        return (self.data_dir.parent / Path(self.log.name).name).read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        """kill -9: no clean shutdown of anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
                return
        self.log.close()

    def position(self) -> int:
        """The read model's tracking position, read from its file as another process would."""
        path = self.data_dir / "readmodel.sqlite3"
        if not path.exists():
            return 0
        with sqlite3.connect(path, timeout=10) as conn:
            try:
                row = conn.execute("SELECT notification_id FROM tracking").fetchone()
            except sqlite3.OperationalError:  # not created yet
                return 0
        return row[0] if row else 0

    def dump(self) -> dict:
        return dump(self.data_dir)


def dump(data_dir: Path) -> dict:
    """Every row a read model holds (projected tables, hash chain, Merkle tree, tracking)."""
    with sqlite3.connect(data_dir / "readmodel.sqlite3", timeout=10) as conn:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in (*PROJECTED_TABLES, "chain", "merkle_leaves", "merkle_nodes", "merkle_head", "tracking")}


class Client:
    """A browser without a browser: cookies, the CSRF token of the session, forms posted as forms."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.node.base + path, body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, username: str, password: str) -> None:
        status, page = self.request("/masuk")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        status, page = self.request("/masuk", {"csrf_token": self.token, "username": username, "password": password})
        assert status == 200 and "Keluar" in page, (status, page[:500])
        status, page = self.request("/agenda")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def post(self, path: str, **fields: str | list[str]) -> tuple[int, str]:
        return self.request(path, {"csrf_token": self.token, **fields})
