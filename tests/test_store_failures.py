"""The store under pressure: a full disk and a second crawl sharing the database. Nothing counted that was not
committed, nothing lost, a failed commit fails the run. Real tmpfs mounts, real processes, real SQLite files."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.replica.server import ReplicaServer
from tests.conftest import ROOT, run_cli
from tests.hostile import answer, listing_with, slow

#: Every test here runs the real `crawler` command in a subprocess.
pytestmark = pytest.mark.slow


def count(db: Path, sql: str, params: tuple = ()) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1200 KiB tmpfs: a crawl of the replica (about 1.3 MB of database) fills it half-way."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def summary_new(stdout: str) -> int:
    total = [line for line in stdout.splitlines() if re.match(r"(total|lechan|kinhtedothi|thanhxuan|badinh)\s", line)]
    rows = {line.split()[0]: int(line.split()[2]) for line in total}
    return rows.get("total", sum(rows.values()))


def test_disk_full_counts_only_committed_rows_fails_the_run_and_the_next_run_recovers(
    replica: ReplicaServer, small_disk: Path
) -> None:
    reference = small_disk.parent / "reference.db"  # the same crawl with room to spare
    assert run_cli("crawl", "--replica", replica.url, "--db", str(reference), timeout=300).returncode == 0
    total = count(reference, "SELECT count(*) FROM articles")
    db = small_disk / "crawl.db"
    # Batches of 50 (not the default 500, more than the replica holds), so some commit before the disk fills.
    full = run_cli("crawl", "--replica", replica.url, "--db", str(db), env={"CRAWLER_COMMIT_EVERY": "50"}, timeout=300)
    assert full.returncode == 1, full.stdout[-2000:] + full.stderr[-2000:]
    assert "disk_full" in full.stderr
    stored = count(db, "SELECT count(*) FROM articles")
    assert 0 < stored < total
    assert summary_new(full.stdout) == stored  # the summary counts committed rows only
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for site, status, new, errors in conn.execute("SELECT site, status, new, errors FROM runs"):
        # A run row that could be written claims only the rows that are there, and succeeds only if none was lost.
        assert new == count(db, "SELECT count(*) FROM articles WHERE site = ?", (site,))
        assert status != "ok" or "disk_full" not in (errors or "")
    conn.close()
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = run_cli("crawl", "--replica", replica.url, "--db", str(db), timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    assert count(db, "SELECT count(*) FROM articles") == total
    assert count(db, "SELECT count(DISTINCT url) FROM articles") == total
    assert count(db, "PRAGMA integrity_check") == "ok"


def _popen_crawl(server: ReplicaServer, site: str, db: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", site, "--replica", server.url, "--db", str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CRAWLER_LOG_LEVEL": "WARNING", **env},
    )


def _last_run(db: Path, site: str) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM runs WHERE site = ? ORDER BY id DESC LIMIT 1", [site]).fetchone())
    finally:
        conn.close()


def test_two_sites_crawl_one_database_at_once_while_one_waits_on_a_slow_page(tmp_path: Path) -> None:
    server = ReplicaServer("127.0.0.1", 0, sites=["lechan", "thanhxuan"])
    slow_page = "/lechan/tin-tuc-su-kien/trang-cham.html"
    server.routes[slow_page] = slow(answer(404, b"<html><body>gone</body></html>"), 40)
    listing_with(server, "/lechan/tin-tuc-su-kien", [slow_page])
    server.start_background()
    db = tmp_path / "shared.db"
    waiting = _popen_crawl(server, "lechan", db, {"CRAWLER_DOWNLOAD_TIMEOUT": "90"})
    other: subprocess.Popen[str] | None = None
    try:
        deadline = time.monotonic() + 60
        while not any(path == slow_page for _, path in server.request_log) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(4)  # Lê Chân's other articles are saved by now; the crawl waits on the slow page alone
        other = _popen_crawl(server, "thanhxuan", db, {})
        out, err = other.communicate(timeout=120)
        assert other.returncode == 0, err[-3000:]
        assert waiting.poll() is None  # the two crawls really overlapped
        waiting_out, waiting_err = waiting.communicate(timeout=120)
    finally:
        for process in (waiting, other):
            if process is not None and process.poll() is None:
                process.kill()
        server.shutdown()
        server.server_close()
    assert waiting.returncode == 0, waiting_err[-3000:]
    for site in ("thanhxuan", "lechan"):
        run = _last_run(db, site)
        stored = count(db, "SELECT count(*) FROM articles WHERE site = ?", (site,))
        assert run["status"] == "ok" and run["new"] == stored and stored >= 20, (site, run)
        errors = json.loads(run["errors"] or "{}")
        # Only the replica's own broken pages (Lê Chân has a 500 page, and the slow page ends in a 404).
        assert set(errors) <= ({"http_404", "http_500"} if site == "lechan" else set()), (site, errors)
