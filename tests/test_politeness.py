"""Politeness and trust: robots.txt read as RFC 9309 says, off-site links and redirects (other host or other
port) dropped and counted, an ordinary 301 to an already-seen page not taken for a loop.
Real replica servers with hostile routes (synthetic), real crawl processes, real SQLite files."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.replica.server import ReplicaServer
from crawler.storage import Store
from tests.conftest import run_cli
from tests.hostile import answer

ARTICLES = "/lechan/tin-tuc-su-kien/"


@pytest.fixture()
def server() -> Iterator[ReplicaServer]:
    server = ReplicaServer("127.0.0.1", 0, sites=["lechan"])
    server.start_background()
    yield server
    server.shutdown()
    server.server_close()


def crawl(server: ReplicaServer, db: Path, env: dict[str, str] | None = None):  # noqa: ANN201 - CompletedProcess
    return run_cli("crawl", "lechan", "--replica", server.url, "--db", str(db), env=env)


def article_requests(server: ReplicaServer) -> int:
    return sum(n for path, n in server.requests.items() if path.startswith(ARTICLES))


# --- item 17: robots.txt ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_robots_5xx_disallows_everything_is_cached_briefly_and_retried(server: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    server.routes["/robots.txt"] = answer(503, b"<html><body>Service Unavailable</body></html>")
    first = crawl(server, db)
    assert first.returncode == 1
    assert article_requests(server) == 0 and Store(db).count() == 0
    run = Store(db).iter_runs("lechan", limit=1)[0]
    assert run["errors"].get("robots_txt_unavailable") == 1
    # The server recovers; within the brief error cache the verdict stands and robots.txt is not asked again.
    del server.routes["/robots.txt"]
    asked = server.requests.get("/robots.txt", 0)
    second = crawl(server, db)
    assert second.returncode == 1 and server.requests.get("/robots.txt", 0) == asked and Store(db).count() == 0
    # Once the error cache has expired, the next run asks again and crawls.
    third = crawl(server, db, env={"CRAWLER_ROBOTS_ERROR_CACHE_MINUTES": "0"})
    assert third.returncode == 0, third.stderr[-2000:]
    assert server.requests.get("/robots.txt", 0) == asked + 1 and Store(db).count() > 0


@pytest.mark.slow
@pytest.mark.parametrize("status", [404, 403])
def test_robots_4xx_allows_everything(server: ReplicaServer, tmp_path: Path, status: int) -> None:
    server.routes["/robots.txt"] = answer(status, b"<html><body>no</body></html>")
    result = crawl(server, tmp_path / "c.db")
    assert result.returncode == 0, result.stderr[-2000:]
    assert Store(tmp_path / "c.db").count() > 0
