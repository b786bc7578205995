"""The item worker in real crawls (real replica server, real SQLite files, real signals): it stores exactly what
the inline chain stores; a crawl killed with SIGKILL leaves no worker behind and loses nothing its worker read;
a worker that dies stops the crawl as an error, and the next run fetches what was lost."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from crawler.replica.render import load_articles
from crawler.replica.server import ReplicaServer
from crawler.store import Store
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.slow

SITES = ("thanhxuan", "lechan")
TOTAL = sum(len(load_articles(name)) for name in SITES)
#: Columns that say when, not what: the crawl time and the order of changes.
VOLATILE = {"crawled_at", "change_seq", "first_seen_at", "last_checked_at", "observed_at", "updated_at"}


def rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})") if c[1] not in VOLATILE]
        return sorted(conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(), key=repr)
    finally:
        conn.close()


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_the_worker_stores_what_the_inline_chain_stores(replica: ReplicaServer, tmp_path: Path) -> None:
    results = {}
    for mode in ("process", "inline"):
        db = tmp_path / f"{mode}.db"
        result = run_cli("crawl", *SITES, "--replica", replica.url, "--db", str(db), env={"CRAWLER_ITEM_WORKER": mode})
        assert result.returncode == 0, result.stderr[-2000:]
        results[mode] = db
    assert count(results["process"]) == TOTAL
    for table in ("articles", "conferences", "conference_articles", "minhash_bands"):
        assert rows(results["process"], table) == rows(results["inline"], table), table


def test_one_page_in_flight_shares_the_reading_and_stores_the_same_rows(replica: ReplicaServer, tmp_path: Path) -> None:
    """With one page in the worker at a time its queue is nearly always full, so the crawl's process reads most
    pages itself (work sharing) and the worker only stores them: the rows are those of the inline chain."""
    dbs = {}
    for label, env in (("shared", {"CRAWLER_ITEM_WORKER_MAX_PENDING": "1", "CRAWLER_ITEM_WORKER_SHARE": "1"}), ("inline", {"CRAWLER_ITEM_WORKER": "inline"})):
        dbs[label] = tmp_path / f"{label}.db"
        result = run_cli("crawl", "lechan", "--replica", replica.url, "--db", str(dbs[label]), "--log-level", "DEBUG",
                         env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        if label == "shared":
            read_here = re.search(r"'item_worker/read_here': (\d+)", result.stderr)
            assert read_here and 0 < int(read_here.group(1)) < len(load_articles("lechan")), "both processes read pages"
    assert count(dbs["shared"]) == len(load_articles("lechan"))
    for table in ("articles", "conferences", "conference_articles", "minhash_bands"):
        assert rows(dbs["shared"], table) == rows(dbs["inline"], table), table


def _start(replica: ReplicaServer, db: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "CRAWLER_CONCURRENCY": "1", "CRAWLER_DOWNLOAD_DELAY": "0.05", "CRAWLER_LOG_LEVEL": "WARNING",
           "CRAWLER_COMMIT_EVERY": "1"}
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", *SITES, "--replica", replica.url, "--db", str(db)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_for(db: Path, articles: int) -> None:
    deadline = time.monotonic() + 60
    while count(db) < articles and time.monotonic() < deadline:
        time.sleep(0.05)
    assert count(db) >= articles


def test_sigkill_of_the_crawl_leaves_no_worker_and_the_next_run_completes(replica: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    crawl = _start(replica, db)
    _wait_for(db, 10)
    (worker,) = children(crawl.pid)
    crawl.send_signal(signal.SIGKILL)
    crawl.wait(10)
    deadline = time.monotonic() + 30
    while Path(f"/proc/{worker}").exists() and "Z" not in Path(f"/proc/{worker}/stat").read_text().split()[2] and time.monotonic() < deadline:
        time.sleep(0.05)  # the worker sees its input end, commits and exits by itself
    assert not Path(f"/proc/{worker}").exists() or Path(f"/proc/{worker}/stat").read_text().split()[2] == "Z"
    killed_at = count(db)
    assert 10 <= killed_at < TOTAL
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    resumed = run_cli("crawl", *SITES, "--replica", replica.url, "--db", str(db))
    assert count(db) == TOTAL, resumed.stderr[-2000:]


def test_a_worker_that_dies_stops_the_crawl_as_an_error_and_nothing_is_lost(replica: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "worker-killed.db"
    crawl = _start(replica, db)
    _wait_for(db, 10)
    (worker,) = children(crawl.pid)
    os.kill(worker, signal.SIGKILL)
    _, stderr = crawl.communicate(timeout=60)
    assert crawl.returncode == 1, stderr[-2000:]
    assert "the item worker stopped unexpectedly (signal 9)" in stderr
    runs = {run["site"]: run for site in SITES for run in Store(db).runs.recent(site, limit=1)}
    assert {run["status"] for run in runs.values()} == {"error"}
    assert {run["finish_reason"] for run in runs.values()} == {"item_worker_failed"}
    assert count(db) < TOTAL
    resumed = run_cli("crawl", *SITES, "--replica", replica.url, "--db", str(db))
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert count(db) == TOTAL


def test_a_chain_the_worker_cannot_open_stops_the_crawl_with_the_reason(replica: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "unopenable.db"
    result = run_cli("crawl", "lechan", "--replica", replica.url, "--db", str(db),
                     env={"SCRAPY_SETTINGS_MODULE": "tests.item_worker_faults"}, timeout=60)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "the item worker could not start: OSError: the stage's resource cannot be opened" in result.stderr
    (run,) = Store(db).runs.recent("lechan", limit=1)
    assert run["status"] == "error" and run["finish_reason"] == "item_worker_failed"


def test_the_crawl_process_imports_neither_numpy_nor_aiohttp(replica: ReplicaServer, tmp_path: Path) -> None:
    """Memory: the crawl's own process opens its store for runs and crawl state only, so it must not pay for
    numpy (which sqlite_utils and the signature code would import: ~15 MB), pandas, or the aiohttp server of
    Scrapy's remote control (off, but imported to be named: ~10 MB). Its item worker does the article writes."""
    db, report = tmp_path / "crawl.db", tmp_path / "modules.txt"
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(report)!r}, 'w').write(' '.join(sorted(sys.modules))))\n"
        "from crawler.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "CRAWLER_LOG_LEVEL": "WARNING", "CRAWLER_ITEM_WORKER": "process"}
    result = subprocess.run(
        [sys.executable, "-c", code, "crawl", "thanhxuan", "--replica", replica.url, "--db", str(db)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert count(db) == len(load_articles("thanhxuan"))  # the worker wrote them, signatures and bands included
    modules = set(report.read_text().split())
    assert {"crawler.store", "sqlite_utils", "scrapy.extensions.corestats"} <= modules
    assert not {"numpy", "pandas", "aiohttp", "scrapy.extensions.remote_control"} & modules
