"""A district whose listings are built by JavaScript, crawled for real in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.replica.server import ReplicaServer
from crawler.store import Store
from tests.conftest import ROOT, run_cli

HAS_CHROMIUM = any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))
if not HAS_CHROMIUM and os.environ.get("CI"):
    raise RuntimeError("CI must install Chromium (apt-get install chromium): .ci/run does")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAS_CHROMIUM, reason="needs Chromium (apt-get install chromium)")]


def stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


def test_js_listing_crawled_in_chromium(replica: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "js.db"
    # DEBUG: the stats this test reads are dumped at DEBUG (crawler/logs.py).
    env = {**os.environ, "CRAWLER_REPLICA_URL": replica.url, "CRAWLER_DB": str(db), "CRAWLER_LOG_LEVEL": "DEBUG"}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "caugiay"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles WHERE site = 'caugiay'").fetchone()[0] == 14
    assert conn.execute("SELECT count(*) FROM articles WHERE site = 'caugiay' AND is_conference = 1").fetchone()[0] == 8
    assert conn.execute("SELECT count(*) FROM articles WHERE site = 'caugiay' AND view_count IS NOT NULL").fetchone()[0] == 14
    # Only the two listing pages went through the browser; the 14 article pages were plain HTTP.
    assert stat(result.stderr, "playwright/page_count") == 2
    assert stat(result.stderr, "extraction/site") == 14
    from parsel import Selector

    served = Selector(text=replica.pages["/caugiay/tin-tuc-su-kien?cur=1"].body)
    assert served.css(".asset-publisher .asset-title a").getall() == []  # only a browser sees the links


def test_browser_failures_are_retried_counted_and_do_not_hang(replica: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "timeout.db"
    started = time.monotonic()
    result = run_cli("crawl", "caugiay", "--replica", replica.url, "--db", str(db), env={"CRAWLER_BROWSER_TIMEOUT_MS": "1"})
    assert time.monotonic() - started < 120
    run = Store(db).runs.recent("caugiay", limit=1)[0]
    assert result.returncode == 1 and run["status"] == "failing"  # the site yielded nothing: a failing run
    assert sum(run["errors"].values()) >= 1 and set(run["errors"]) <= {"timeout", "browser_error", "browser_crashed"}


def test_missing_browser_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("crawl", "caugiay", "--db", str(tmp_path / "x.db"), env={"CRAWLER_CHROMIUM_PATH": "/nonexistent/chromium"})
    assert result.returncode == 2 and "CRAWLER_CHROMIUM_PATH" in result.stderr and "Traceback" not in result.stderr
