"""Offline or wrong-URL runs: one readable line per site, no traceback, a failing run record, a non-zero exit.

The unresolvable host uses the reserved `.invalid` top-level domain (RFC 2606), which never resolves; the
refused connection is a loopback port that nothing listens on. No traffic leaves the machine.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError

from crawler.store import Store
from crawler.middlewares.unreachable import describe, error_name
from tests.conftest import ROOT, run_cli


@pytest.mark.parametrize(
    ("exc", "name"),
    [
        (CannotResolveHostError, "dns_error"),
        (DNSLookupError, "dns_error"),
        (DownloadConnectionRefusedError, "connection_refused"),
        (ConnectionRefusedError, "connection_refused"),
        (DownloadTimeoutError, "timeout"),
        (TCPTimedOutError, "timeout"),
        (ValueError, "ValueError"),
    ],
)
def test_error_names_cover_scrapys_current_and_twisteds_classes(exc: type[BaseException], name: str) -> None:
    assert error_name(exc) == name


def test_descriptions() -> None:
    assert describe("dns_error", "https://kinhtedothi.vn/tin-tuc") == (
        "cannot resolve kinhtedothi.vn: check the network or the base URL"
    )
    assert describe("connection_refused", "http://127.0.0.1:9/x").startswith("127.0.0.1:9 refused the connection")
    assert describe("timeout", "https://kinhtedothi.vn/") is None


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends: nothing listens there


@pytest.mark.slow
def test_unresolvable_host_one_line_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    env = {"CRAWLER_BASE_URL_KINHTEDOTHI": "http://kinhtedothi.invalid", "CRAWLER_LOG_LEVEL": "INFO"}
    result = run_cli("crawl", "kinhtedothi", "--db", str(db), env=env, timeout=120)
    assert result.returncode == 1
    assert result.stderr.count("cannot resolve kinhtedothi.invalid: check the network or the base URL") == 1
    assert "Traceback" not in result.stderr
    run = Store(db).runs.recent("kinhtedothi", limit=1)[0]
    assert run["status"] == "failing" and run["finish_reason"] == "unreachable"
    assert set(run["errors"]) == {"dns_error"}
    assert run["health"][0].startswith("cannot resolve kinhtedothi.invalid")


@pytest.mark.slow
def test_refused_connection_one_line_per_site_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    port = closed_port()
    result = run_cli("crawl", "lechan", "thanhxuan", "--replica", f"http://127.0.0.1:{port}", "--db", str(db),
                     env={"CRAWLER_LOG_LEVEL": "INFO"}, timeout=120)
    assert result.returncode == 1
    line = f"127.0.0.1:{port} refused the connection"
    assert result.stderr.count(line) == 2  # once for each site
    assert "[lechan] ERROR: " + line in result.stderr and "[thanhxuan] ERROR: " + line in result.stderr
    assert "Traceback" not in result.stderr
    runs = Store(db).runs.recent(limit=5)
    assert {r["site"] for r in runs} == {"lechan", "thanhxuan"}
    assert all(set(r["errors"]) == {"connection_refused"} for r in runs)


@pytest.mark.slow
def test_scrapy_crawl_of_unreachable_site_exits_non_zero(tmp_path: Path) -> None:
    port = closed_port()
    env = {"CRAWLER_REPLICA_URL": f"http://127.0.0.1:{port}", "CRAWLER_DB": str(tmp_path / "c.db"),
           "CRAWLER_LOG_LEVEL": "WARNING", "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "lechan"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr.count("refused the connection") == 1
