"""Shared fixtures: a real replica server on a free loopback port, and paths to real temporary databases."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway redis-server on 127.0.0.1 (no persistence); yields its base URL (redis://127.0.0.1:PORT)."""
    exe = shutil.which("redis-server")
    if exe is None:
        message = "redis-server is not installed (apt-get install redis-server); the distributed tests need it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    workdir = tmp_path_factory.mktemp("redis")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"redis://127.0.0.1:{port}"
    import redis

    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"redis-server did not start on port {port}: {proc.stdout.read() if proc.stdout else ''}")
            time.sleep(0.05)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
