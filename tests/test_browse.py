"""`crawler browse`: Datasette over a real crawled store, driven in a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from crawler.replica.server import ReplicaServer
from tests.conftest import ROOT, run_cli

HAS_CHROMIUM = any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))
if not HAS_CHROMIUM and os.environ.get("CI"):
    raise RuntimeError("CI must install Chromium (apt-get install chromium): .ci/run does")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAS_CHROMIUM, reason="needs Chromium (apt-get install chromium)")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_browse_search_and_canned_query_in_chromium(replica: ReplicaServer, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from crawler.browser import CHROMIUM_ARGS, find_chromium

    db = tmp_path / "crawl.db"
    crawled = run_cli("crawl", "kinhtedothi", "thanhxuan", "--replica", replica.url, "--db", str(db))
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "browse", "--db", str(db), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "datasette did not start"
                time.sleep(0.3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page()
            # Full-text search without diacritics, through the table's own search box.
            page.goto(f"{base}/crawl/articles")
            page.fill("input[name=_search]", "Thanh Xuan hội nghị lần thứ 22")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            page.wait_for_load_state("networkidle")
            assert "Quận Thanh Xuân chuẩn bị chu đáo cho Đại hội Đảng các cấp" in page.content()
            page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
            # The canned query finds the conference by its locality, with its two reporting sites.
            page.goto(f"{base}/crawl/conferences_by_locality?locality=Thanh+Xuân&date_from=2024-01-01&date_to=")
            content = page.content()
            assert "quan-thanh-xuan-hn22-2024" in content and "kinhtedothi" in content
            page.screenshot(path=str(tmp_path / "conferences.png"), full_page=True)
            page.goto(f"{base}/crawl/latest_runs")
            assert "thanhxuan" in page.content() and "Conferences by locality and date" in page.goto(f"{base}/crawl").text()
            browser.close()
        assert (tmp_path / "search.png").stat().st_size > 10_000
    finally:
        server.terminate()
        server.wait(timeout=20)
