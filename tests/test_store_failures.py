"""The store under pressure: a full disk and a second crawl sharing the database. Nothing counted that was not
committed, nothing lost, a failed commit fails the run. Real tmpfs mounts, real processes, real SQLite files."""

from __future__ import annotations

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
from tests.hostile import answer


def count(db: Path, sql: str, params: tuple = ()) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 400 KiB tmpfs: a crawl of the replica fills it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True, text=True)
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


@pytest.mark.slow
def test_disk_full_counts_only_committed_rows_fails_the_run_and_the_next_run_recovers(
    replica: ReplicaServer, small_disk: Path
) -> None:
    db = small_disk / "crawl.db"
    full = run_cli("crawl", "--replica", replica.url, "--db", str(db), timeout=300)
    assert full.returncode == 1, full.stdout[-2000:] + full.stderr[-2000:]
    assert "disk_full" in full.stderr
    stored = count(db, "SELECT count(*) FROM articles")
    assert stored < 100
    assert summary_new(full.stdout) == stored  # the summary counts committed rows only
    for status, new in sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute("SELECT status, new FROM runs"):
        assert status != "ok"  # no run that lost its commits claims success
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = run_cli("crawl", "--replica", replica.url, "--db", str(db), timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    assert count(db, "SELECT count(*) FROM articles") == 100
    assert count(db, "PRAGMA integrity_check") == "ok"
