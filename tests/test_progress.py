"""The progress display and readable INFO logs: a real crawl under a real pseudo-terminal, and through a pipe."""

from __future__ import annotations

import logging
import os
import pty
import re
import select
import sys
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem

from crawler.logs import ReadableLogFormatter
from crawler.replica.render import load_articles
from crawler.replica.server import ReplicaServer
from tests.conftest import ROOT, run_cli

SITES = ("kinhtedothi", "lechan")


def run_in_pty(args: list[str], env: dict[str, str], timeout: float = 180) -> tuple[int, str]:
    """Run a command with stdin, stdout and stderr on a new pseudo-terminal; return its exit code and screen."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pty
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, *args], env)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            os.kill(pid, 9)
            break
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_live_progress_on_a_terminal(replica: ReplicaServer, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAWLER_")}
    env.update(CRAWLER_LOG_LEVEL="INFO", TERM="xterm-256color", COLUMNS="120")
    code, screen = run_in_pty(["-m", "crawler.cli", "crawl", *SITES, "--replica", replica.url, "--db", str(tmp_path / "c.db")], env)
    assert code == 0, screen[-3000:]
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    # Redrawn in place: the cursor moves up over the site rows between frames.
    assert screen.count("\x1b[1A") >= 2
    for site in SITES:
        assert re.search(rf"{site}\s+running\s+\d+ pages", plain), plain[:2000]
        assert re.search(rf"{site}\s+done\s+\d+ pages\s+{len(load_articles(site))} new\s+0 updated\s+\d+ errors?\s+[\d.]+ pages/s", plain)
    # The log lines that matter still show, above the live rows; the summary table follows it.
    assert "failed http://" in plain and "http_404" in plain
    assert plain.index("site ") > plain.rindex("done")
    assert "Enabled downloader middlewares" not in plain and "Dumping Scrapy stats" not in plain


@pytest.mark.slow
def test_plain_progress_lines_and_short_info_log_off_a_terminal(replica: ReplicaServer, tmp_path: Path) -> None:
    env = {"CRAWLER_LOG_LEVEL": "INFO", "CRAWLER_PROGRESS_INTERVAL": "0.2"}
    result = run_cli("crawl", *SITES, "--replica", replica.url, "--db", str(tmp_path / "c.db"), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    log = result.stderr.splitlines()
    for site in SITES:
        assert any(f"[crawler.progress] INFO: {site}: crawling {replica.url}/{site}" in line for line in log)
        assert any(re.search(rf"INFO: {site}: done, \d+ pages fetched, {len(load_articles(site))} new, 0 updated, \d+ errors?, ", line) for line in log)
    assert "\x1b[" not in result.stderr  # no terminal codes in a pipe
    # Readable: no inventories, no stats dump; a few lines per site.
    assert not any(name in result.stderr for name in ("Enabled extensions", "Overridden settings", "Dumping Scrapy stats"))
    assert len(log) < 20 * len(SITES), "\n".join(log)
    # With DEBUG asked for, the inventories are back.
    debug = run_cli("crawl", "lechan", "--replica", replica.url, "--db", str(tmp_path / "d.db"), "--log-level", "DEBUG")
    assert "Enabled downloader middlewares" in debug.stderr


def test_dropped_item_logs_its_reason_not_its_body() -> None:
    body = "Nội dung rất dài của bài viết " * 50
    item = {"url": "https://a.vn/x", "title": "T", "body": body}
    entry = ReadableLogFormatter().dropped(item, DropItem("encoding_errors: https://a.vn/x"), None, None)
    message = entry["msg"] % entry["args"]
    assert message == "dropped: encoding_errors: https://a.vn/x"
    assert entry["level"] == logging.INFO and body not in message
