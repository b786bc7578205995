"""A run is never silently unrecorded: a lock that cannot be made or a run row that cannot be written is an error
with a non-zero exit; a second SIGINT/SIGTERM still records the run as interrupted and exits 130/143.
Real replica servers, real crawl processes, real SQLite files, real signals."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.replica.server import ReplicaServer
from crawler.store import Store
from tests.conftest import ROOT, run_cli

#: Every test here runs the real `crawler` command in a subprocess.
pytestmark = pytest.mark.slow


def test_lock_that_cannot_be_created_stops_the_run_with_an_error(replica: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    (tmp_path / ".locks").write_text("not a directory\n", encoding="utf-8")
    result = run_cli("crawl", "lechan", "--replica", replica.url, "--db", str(db))
    assert result.returncode == 1, result.stderr[-2000:]
    assert "cannot create the lock file for lechan" in result.stderr and "(not crawled)" in result.stderr
    store = Store(db)
    assert store.articles.count() == 0
    run = store.runs.recent("lechan", limit=1)[0]
    assert run["status"] == "error" and run["finish_reason"] == "lock_failed" and "lock" in run["health"][0]


def test_run_row_that_cannot_be_written_fails_the_crawl(replica: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TRIGGER refuse_runs BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'runs are read-only'); END")
    conn.commit()
    conn.close()
    result = run_cli("crawl", "lechan", "--replica", replica.url, "--db", str(db))
    assert result.returncode == 1
    assert "the run could not be recorded for: lechan" in result.stderr and "runs are read-only" in result.stderr


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_second_signal_records_the_run_as_interrupted(tmp_path: Path, signum: int, status: int) -> None:
    # The fault pages include one that answers only after 10 s and one that drips a byte every 0.5 s: a graceful
    # stop would wait for them, so the second signal forces the shutdown while they are in flight.
    server = ReplicaServer("127.0.0.1", 0, sites=["lechan"], with_faults=True)
    server.start_background()
    db = tmp_path / "c.db"
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "lechan", "--replica", server.url, "--db", str(db)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**__import__("os").environ, "CRAWLER_DOWNLOAD_TIMEOUT": "60", "CRAWLER_LOG_LEVEL": "INFO"},
        )
        deadline = time.monotonic() + 60
        while not any(path.endswith("/loi-het-gio.html") for _, path in server.request_log) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        process.send_signal(signum)
        time.sleep(0.5)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        server.shutdown()
        server.server_close()
    assert process.returncode == status, stderr[-3000:]
    assert "the run is recorded as interrupted" in stderr
    run = Store(db).runs.recent("lechan", limit=1)[0]
    assert run["status"] == "interrupted" and run["finish_reason"] == "forced_shutdown"
    assert run["requests"] > 0
