"""The item worker process (`python -m crawler.item_worker`) driven over its real pipes: it runs the crawl's chain
on pages in order, answers with items, drops and errors, reports the stats its stages counted, and commits
what it read when its input ends, even with no goodbye (the crawl was killed)."""

from __future__ import annotations

import os
import select
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings

from crawler.item_worker.frames import FrameReader, encode
from crawler.items import ArticleItem, FetchedPage
from crawler.replica.render import ORIGIN, article_path, load_articles, render_site
from crawler.sites import SITES
from tests.conftest import ROOT
from tests.unit.conftest import FROZEN

BASE = "http://127.0.0.1:8800"


class WorkerPipes:
    def __init__(self, db: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "crawler.item_worker"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env, cwd=ROOT)
        self.reader = FrameReader()
        settings = get_project_settings().copy_to_dict()
        settings.update(CRAWLER_DB_PATH=str(db), CRAWLER_COMMIT_EVERY=1000, LOG_LEVEL="INFO")
        self.settings = {k: v for k, v in settings.items() if k != "CRAWLER_CLOCK"}

    def send(self, *message: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(encode(message))
        self.process.stdin.flush()

    def receive(self, timeout: float = 60) -> tuple[Any, ...]:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while not self.pending:
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"no answer from the item worker in {timeout} s"
            data = os.read(self.process.stdout.fileno(), 1 << 16)
            assert data, "the item worker closed its output"
            self.pending.extend(self.reader.feed(data))
        return self.pending.pop(0)

    pending: list[tuple[Any, ...]] = []


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[WorkerPipes]:
    WorkerPipes.pending = []
    pipes = WorkerPipes(tmp_path / "crawl.db")
    yield pipes
    if pipes.process.poll() is None:
        pipes.process.kill()
    pipes.process.wait(10)


def thanhxuan_pages(count: int) -> list[FetchedPage]:
    """Replica article pages of Thanh Xuân (synthetic: rendered by our replica code), as the spider hands them on."""
    rendered = render_site("thanhxuan")
    pages = []
    for article in load_articles("thanhxuan")[:count]:
        path = article_path(article)
        body = rendered[path].body.replace(ORIGIN, BASE).encode("utf-8")
        response = HtmlResponse(BASE + path, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
        pages.append(FetchedPage.from_response(response, "thanhxuan", FROZEN.isoformat()))
    return pages


def stored(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def test_pages_are_read_and_stored_in_order_and_counted_after_their_commit(worker: WorkerPipes, tmp_path: Path) -> None:
    pages = thanhxuan_pages(3)
    worker.send("open", 1, worker.settings, SITES["thanhxuan"])
    for seq, page in enumerate([*pages, pages[0]], start=1):
        worker.send("page", 1, seq, page)
    worker.send("close", 1)
    messages = []
    while not messages or messages[-1][0] != "closed":
        messages.append(worker.receive())
    answers = [m for m in messages if m[0] == "done"]
    assert [a[2] for a in answers] == [1, 2, 3, 4]  # in the order sent
    assert [a[3] for a in answers] == ["item", "item", "item", "drop"]
    assert all(isinstance(a[4], ArticleItem) for a in answers[:3])
    assert answers[3][4][0].startswith("already processed in this run")
    changes = [c for m in messages for c in (m[5] if m[0] == "done" else m[2])]
    assert ("inc", "extraction/site", 1) in changes
    assert sum(n for op, key, n in changes if key == "store/new") == 3  # counted once committed (a timer or the close)
    assert stored(tmp_path / "crawl.db") == 3


def test_input_ending_without_goodbye_commits_what_was_read(worker: WorkerPipes, tmp_path: Path) -> None:
    """What the worker sees when the crawl is killed with SIGKILL: its stdin closes mid-batch."""
    pages = thanhxuan_pages(5)
    worker.send("open", 1, worker.settings, SITES["thanhxuan"])
    for seq, page in enumerate(pages, start=1):
        worker.send("page", 1, seq, page)
    assert [worker.receive()[3] for _ in pages] == ["item"] * 5
    assert stored(tmp_path / "crawl.db") == 0  # the batch (1000 articles) is still open
    assert worker.process.stdin is not None
    worker.process.stdin.close()
    assert worker.process.wait(30) == 0
    assert stored(tmp_path / "crawl.db") == 5


def test_a_stage_error_is_answered_with_its_type_and_the_next_page_goes_on(worker: WorkerPipes) -> None:
    (page,) = thanhxuan_pages(1)
    broken = FetchedPage(page.url, "thanhxuan", "not a time", page.status, page.headers, page.body)
    worker.send("open", 1, worker.settings, SITES["thanhxuan"])
    worker.send("page", 1, 1, broken)
    worker.send("page", 1, 2, page)
    error, ok = worker.receive(), worker.receive()
    assert error[3] == "error" and error[4][0] == "ValueError" and "fromisoformat" in error[4][1]
    assert ok[3] == "item"


def test_a_database_it_cannot_open_is_reported(worker: WorkerPipes, tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("not SQLite", encoding="utf-8")
    worker.send("open", 1, {**worker.settings, "CRAWLER_DB_PATH": str(not_a_database)}, SITES["thanhxuan"])
    failed = worker.receive()
    assert failed[0] == "failed" and "notes.txt" in failed[1]


def test_a_crawl_that_dies_mid_batch_still_gets_what_was_read_committed(worker: WorkerPipes, tmp_path: Path) -> None:
    """Both pipes close while the batch (1000 articles) is open and answers are unread: the worker cannot answer,
    so it stops reading, commits what it read, and exits cleanly."""
    pages = thanhxuan_pages(8)
    worker.send("open", 1, worker.settings, SITES["thanhxuan"])
    for seq, page in enumerate(pages, start=1):
        worker.send("page", 1, seq, page)
    assert worker.process.stdin is not None and worker.process.stdout is not None
    worker.process.stdout.close()
    worker.process.stdin.close()
    assert worker.process.wait(30) == 0
    assert 1 <= stored(tmp_path / "crawl.db") <= 8
