"""Politeness and trust: robots.txt read as RFC 9309 says, off-site links and redirects (other host or other
port) dropped and counted, an ordinary 301 to an already-seen page not taken for a loop.
Real replica servers with hostile routes (synthetic), real crawl processes, real SQLite files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from crawler.replica.server import ReplicaServer
from crawler.store import Store
from tests.conftest import run_cli
from tests.hostile import answer, listing_with

#: Every test here runs the real `crawler` command in a subprocess.
pytestmark = pytest.mark.slow

ARTICLES = "/lechan/tin-tuc-su-kien/"




def crawl(server: ReplicaServer, db: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("crawl", "lechan", "--replica", server.url, "--db", str(db), env=env)


def article_requests(server: ReplicaServer) -> int:
    return sum(n for path, n in server.requests.items() if path.startswith(ARTICLES))


# --- item 17: robots.txt ------------------------------------------------------------------------------------------

def test_robots_5xx_disallows_everything_is_cached_briefly_and_retried(lechan_server: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    lechan_server.routes["/robots.txt"] = answer(503, b"<html><body>Service Unavailable</body></html>")
    first = crawl(lechan_server, db)
    assert first.returncode == 1
    assert article_requests(lechan_server) == 0 and Store(db).articles.count() == 0
    run = Store(db).runs.recent("lechan", limit=1)[0]
    assert run["errors"].get("robots_txt_unavailable") == 1
    # The lechan_server recovers; within the brief error cache the verdict stands and robots.txt is not asked again.
    del lechan_server.routes["/robots.txt"]
    asked = lechan_server.requests.get("/robots.txt", 0)
    second = crawl(lechan_server, db)
    assert second.returncode == 1 and lechan_server.requests.get("/robots.txt", 0) == asked and Store(db).articles.count() == 0
    # Once the error cache has expired, the next run asks again and crawls.
    third = crawl(lechan_server, db, env={"CRAWLER_ROBOTS_ERROR_CACHE_MINUTES": "0"})
    assert third.returncode == 0, third.stderr[-2000:]
    assert lechan_server.requests.get("/robots.txt", 0) == asked + 1 and Store(db).articles.count() > 0


@pytest.mark.parametrize("status", [404, 403])
def test_robots_4xx_allows_everything(lechan_server: ReplicaServer, tmp_path: Path, status: int) -> None:
    lechan_server.routes["/robots.txt"] = answer(status, b"<html><body>no</body></html>")
    result = crawl(lechan_server, tmp_path / "c.db")
    assert result.returncode == 0, result.stderr[-2000:]
    assert Store(tmp_path / "c.db").articles.count() > 0


# --- items 18 and 22: off-site links and redirects, redirects to pages already seen --------------------------------

LISTING = "/lechan/tin-tuc-su-kien"


def stored_article_paths(server: ReplicaServer) -> list[str]:
    return sorted(p for p in server.pages if p.startswith(ARTICLES) and p.endswith(".html"))


def test_links_and_redirects_to_another_port_are_dropped_and_counted(lechan_server: ReplicaServer, tmp_path: Path) -> None:
    other = ReplicaServer("127.0.0.1", 0, sites=["lechan"])  # the same host, another port: another lechan_server
    other.start_background()
    try:
        target = stored_article_paths(other)[0]
        listing_with(lechan_server, LISTING, [f"{other.url}{target}", f"{ARTICLES}da-chuyen-di.html"])
        lechan_server.routes[f"{ARTICLES}da-chuyen-di.html"] = answer(301, headers={"Location": f"{other.url}{target}"})
        db = tmp_path / "c.db"
        result = crawl(lechan_server, db)
        other_requests = dict(other.requests)
    finally:
        other.shutdown()
        other.server_close()
    assert result.returncode == 0, result.stderr[-2000:]
    assert not any(path.startswith(ARTICLES) for path in other_requests)
    run = Store(db).runs.recent("lechan", limit=1)[0]
    assert run["dropped"].get("offsite_link") == 1 and run["dropped"].get("offsite_redirect") == 1
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles WHERE url LIKE ?", [f"{other.url}%"]).fetchone()[0] == 0


def test_a_301_to_a_page_already_linked_is_not_a_redirect_loop(lechan_server: ReplicaServer, tmp_path: Path) -> None:
    # The target is linked on the same listing page as the old link, so it is requested (and seen) when that page
    # is read, before the 301 can come back; a target on a later listing page could be reached first by the redirect.
    target = next(p for p in stored_article_paths(lechan_server) if p in lechan_server.pages[LISTING].body)
    listing_with(lechan_server, LISTING, [f"{ARTICLES}duong-dan-cu.html"])
    lechan_server.routes[f"{ARTICLES}duong-dan-cu.html"] = answer(301, headers={"Location": target})
    db = tmp_path / "c.db"
    result = crawl(lechan_server, db)
    assert result.returncode == 0, result.stderr[-2000:]
    run = Store(db).runs.recent("lechan", limit=1)[0]
    assert "redirect_loop" not in run["errors"] and run["status"] == "ok"
    assert run["dropped"].get("redirect_to_seen") == 1
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles WHERE url = ?", [f"{lechan_server.url}{target}"]).fetchone()[0] == 1
