"""Every link-check test: real servers on 127.0.0.1 only, and an autouse guard that refuses (and records) any
connection to another address, so no test can send traffic elsewhere whatever the code under test does."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import urllib3.util.connection

from tests.linkcheck.sites import Site


@pytest.fixture(autouse=True)
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every address urllib3 tries to connect to; any but 127.0.0.1 is refused without touching the network."""
    attempts: list[tuple[str, int]] = []
    original = urllib3.util.connection.create_connection

    def guarded(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address)
        if address[0] != "127.0.0.1":
            raise ConnectionRefusedError(f"the tests connect only to 127.0.0.1, not {address}")
        return original(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(urllib3.util.connection, "create_connection", guarded)
    return attempts


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    yield served
    served.close()
