"""Shared fixtures: a real replica server on a free loopback port, and paths to real temporary databases."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.replica.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def replica() -> Iterator[ReplicaServer]:
    server = ReplicaServer("127.0.0.1", 0)
    server.start_background()
    yield server
    server.shutdown()
    server.server_close()


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run the real `crawler` command (as installed: `python -m crawler.cli`) in a subprocess."""
    full_env = {**os.environ, "CRAWLER_LOG_LEVEL": "WARNING", **(env or {})}
    full_env.pop("CRAWLER_REPLICA_URL", None) if env is None or "CRAWLER_REPLICA_URL" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture()
def lechan_server() -> Iterator[ReplicaServer]:
    """A replica of Lê Chân alone, for one test: its `routes` may be given hostile answers (tests/hostile.py)."""
    server = ReplicaServer("127.0.0.1", 0, sites=["lechan"])
    server.start_background()
    yield server
    server.shutdown()
    server.server_close()
