"""Incremental runs, run history, consumer exports and faults: real replica servers, real processes, real SQLite."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from crawler.parsing.dates import VN_TZ
from crawler.replica.render import CONTENT_DIR, load_articles
from crawler.sites import SITES
from crawler.replica.server import ReplicaServer
from crawler.store import Store
from tests.conftest import ROOT, run_cli

#: Process-level: real `crawler` processes against real servers.
pytestmark = pytest.mark.slow


def count(db: Path, sql: str, params: tuple[Any, ...] = ()) -> Any:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


#: One clock reading for the module: articles re-rendered later keep their publish time.
NOW = datetime.now(VN_TZ)


def recent_article(slug: str, views: int | None, extra: str = "", days_ago: int = 1) -> dict[str, Any]:
    when = (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%d %H:%M")
    text = (
        f"Sáng qua, Ban Chấp hành Đảng bộ quận Thanh Xuân tổ chức hội nghị chuyên đề số {slug[-2:]} về công tác cải cách "
        "hành chính, chuyển đổi số và nâng cao chất lượng phục vụ Nhân dân trên địa bàn quận trong năm. Các đại biểu "
        "đã thảo luận, đóng góp nhiều ý kiến vào dự thảo kế hoạch của quận." + extra
    )
    return {"slug": slug, "category": "Tin tức - Sự kiện", "title": f"Hội nghị chuyên đề {slug}", "published": when,
            "views": views, "lead": None, "blocks": [{"type": "p", "text": text}, {"type": "p", "text": text[::-1]}],
            "author": "Nhóm PV", "tags": [], "facts": {"is_conference": True}}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A replica on its own copy of the content (so articles can be added) and an empty database."""
    root = tmp_path_factory.mktemp("incremental")
    content = root / "content"
    shutil.copytree(CONTENT_DIR, content)
    server = ReplicaServer("127.0.0.1", 0, content_dir=content)
    server.start_background()
    yield {"server": server, "content": content, "db": root / "crawl.db", "root": root}
    server.shutdown()
    server.server_close()


def crawl(world: dict[str, Any], *sites: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    before = sum(world["server"].requests.values())
    result = run_cli("crawl", *sites, "--replica", world["server"].url, "--db", str(world["db"]), env=env)
    result.requests = sum(world["server"].requests.values()) - before  # type: ignore[attr-defined]
    return result


def add_articles(world: dict[str, Any], site: str, name: str, articles: list[dict[str, Any]]) -> None:
    (world["content"] / f"{site}.{name}.json").write_text(json.dumps({"site": site, "articles": articles}, ensure_ascii=False), encoding="utf-8")
    world["server"].reload()


#: Articles on the enabled replica sites (the ward portal and thanhuyhanoi.vn joined with issue 9).
ENABLED = [name for name, site in SITES.items() if site.enabled]
TOTAL = sum(len(load_articles(name)) for name in ENABLED)


def test_incremental_runs(world: dict[str, Any]) -> None:
    first = crawl(world)
    assert first.returncode == 0, first.stderr[-2000:]
    assert count(world["db"], "SELECT count(*) FROM articles") == TOTAL
    second = crawl(world)
    assert second.returncode == 0, second.stderr[-2000:]
    assert count(world["db"], "SELECT count(*) FROM articles") == TOTAL
    # A re-run asks for each start page once (listings, the JSON "Xem thêm" listing, feeds; sitemaps are not due),
    # plus the replica's one dead link (never stored, so asked again) and the listing page after it: 10 of 142
    # requests with the six sites of issue 9 (it was under 5% with four sites and no JSON listing).
    starts = sum(len(SITES[n].listing_paths) + len(SITES[n].json_listings) + len(SITES[n].feed_paths) for n in ENABLED)
    assert second.requests <= starts + 2 and second.requests <= 0.08 * first.requests, (second.requests, first.requests)
    new = [recent_article(f"bai-moi-so-{n:02d}", views=10 + n) for n in range(5)]
    add_articles(world, "thanhxuan", "new", new)
    third = crawl(world)
    assert third.returncode == 0, third.stderr[-2000:]
    runs = Store(world["db"]).runs.recent(limit=len(ENABLED))
    assert sum(r["new"] for r in runs) == 5
    assert count(world["db"], "SELECT count(*) FROM articles") == TOTAL + 5
    assert {r["status"] for r in runs} == {"ok"}


def test_refresh_moving_views_versions_and_304(world: dict[str, Any]) -> None:
    db = world["db"]
    slug = "bai-moi-so-00"
    url_like = f"%{slug}%"
    assert count(db, "SELECT count(*) FROM view_counts WHERE url LIKE ?", (url_like,)) == 1
    edited = [recent_article(f"bai-moi-so-{n:02d}", views=10 + n) for n in range(5)]
    edited[0] = recent_article(slug, views=99, extra=" Hội nghị đã biểu quyết thông qua Nghị quyết chuyên đề.")
    add_articles(world, "thanhxuan", "new", edited)
    result = crawl(world, "thanhxuan")
    assert result.returncode == 0, result.stderr[-2000:]
    run = Store(db).runs.recent("thanhxuan", limit=1)[0]
    assert run["updated"] == 1 and run["not_modified"] == 4  # five refreshed conditionally, one had changed
    assert count(db, "SELECT view_count FROM articles WHERE url LIKE ?", (url_like,)) == 99
    assert count(db, "SELECT count(*) FROM article_versions WHERE url LIKE ?", (url_like,)) == 1
    old_body = count(db, "SELECT body FROM article_versions WHERE url LIKE ?", (url_like,))
    assert "biểu quyết" not in old_body and "biểu quyết" in count(db, "SELECT body FROM articles WHERE url LIKE ?", (url_like,))
    assert [r[0] for r in sqlite3.connect(db).execute("SELECT count FROM view_counts WHERE url LIKE ? ORDER BY id", (url_like,))] == [10, 99]
    # Counts that stopped moving (two equal readings after the 304s) are no longer refreshed.
    again = crawl(world, "thanhxuan")
    run = Store(db).runs.recent("thanhxuan", limit=1)[0]
    assert again.returncode == 0 and run["not_modified"] == 1 and run["skipped_stored"] >= 4


def test_consumer_exports(world: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "feed.jsonl"
    first = run_cli("export", "--consumer", "newsroom", "-o", str(out), "--db", str(world["db"]))
    assert first.returncode == 0 and len(out.read_text(encoding="utf-8").splitlines()) == TOTAL + 5
    again = run_cli("export", "--consumer", "newsroom", "-o", str(out), "--db", str(world["db"]))
    assert again.returncode == 0 and "nothing new" in again.stdout and out.read_text(encoding="utf-8") == ""
    other = run_cli("export", "--consumer", "research", "-o", str(tmp_path / "r.jsonl"), "--db", str(world["db"]))
    assert len((tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()) == TOTAL + 5  # watermarks are per consumer
    add_articles(world, "lechan", "bench", [{**recent_article("tin-le-chan-moi", views=None), "title": "Quận ủy Lê Chân họp chuyên đề"}])
    assert crawl(world, "lechan").returncode == 0
    third = run_cli("export", "--consumer", "newsroom", "-o", str(out), "--db", str(world["db"]))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert third.returncode == 0 and len(lines) == 1 and "tin-le-chan-moi" in json.loads(lines[0])["url"]
    assert other.returncode == 0


def test_runs_command(world: dict[str, Any]) -> None:
    table = run_cli("runs", "--db", str(world["db"]), "--site", "lechan")
    assert table.returncode == 0 and table.stdout.splitlines()[0].split()[:3] == ["id", "site", "started"]
    # --json is one JSON array; --nl is newline-delimited JSON (as sqlite-utils offers them).
    as_json = json.loads(run_cli("runs", "--db", str(world["db"]), "--json").stdout)
    as_lines = [json.loads(line) for line in run_cli("runs", "--db", str(world["db"]), "--nl").stdout.splitlines()]
    assert as_json == as_lines
    assert as_json and {"site", "status", "requests", "new", "dropped", "not_articles", "errors", "coverage"} <= set(as_json[0])
    header = table.stdout.splitlines()[0].split()
    assert {"already_stored", "not_articles", "dropped", "errors"} <= set(header) and "skip" not in header


def test_health_failing_run_exits_nonzero(world: dict[str, Any], tmp_path: Path) -> None:
    # Point the Ba Đình spider at a site of another platform: its listing selectors find nothing.
    db = tmp_path / "health.db"
    env = {"CRAWLER_BASE_URL_BADINH": f"{world['server'].url}/lechan"}
    result = run_cli("crawl", "badinh", "--db", str(db), env=env)
    assert result.returncode == 1 and "run failing" in result.stderr
    run = Store(db).runs.recent("badinh", limit=1)[0]
    assert run["status"] == "failing" and any("no article links" in h for h in run["health"])


def test_second_instance_is_refused(world: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "lock.db"
    lock = tmp_path / ".locks" / "lechan.lock"
    lock.parent.mkdir()
    with FileLock(lock, blocking=False):
        result = run_cli("crawl", "lechan", "--replica", world["server"].url, "--db", str(db))
    assert result.returncode == 3 and "already running" in result.stderr
    assert "lechan " not in result.stdout, "a refused crawl must not print the running crawl's table row"
    assert count(db, "SELECT count(*) FROM articles") == 0


def test_schedule_runs_and_stops_on_sigterm(world: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "sched.db"
    two = run_cli("schedule", "lechan", "--every", "1s", "--runs", "2", "--replica", world["server"].url, "--db", str(db))
    assert two.returncode == 0 and len(Store(db).runs.recent("lechan")) == 2
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "schedule", "lechan", "--every", "1h", "--replica", world["server"].url, "--db", str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while len(Store(db).runs.recent("lechan")) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert len(Store(db).runs.recent("lechan")) == 3
    assert run_cli("schedule", "--every", "soon").returncode == 2


def test_faults_are_counted_and_nothing_wrong_is_stored(tmp_path: Path) -> None:
    server = ReplicaServer("127.0.0.1", 0, sites=["lechan"], with_faults=True)
    server.start_background()
    try:
        db = tmp_path / "faults.db"
        result = run_cli("crawl", "lechan", "--replica", server.url, "--db", str(db), env={"CRAWLER_DOWNLOAD_TIMEOUT": "2"})
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr[-2000:]
    run = Store(db).runs.recent("lechan", limit=1)[0]
    assert run["errors"] == {"http_500": 1, "timeout": 2, "truncated_body": 1, "redirect_loop": 1, "cancelled_too_large": 1}
    assert run["dropped"] == {"encoding_errors": 1}
    retry_after = [t for t, path in server.request_log if path.endswith("/loi-503-retry-after.html")]
    assert len(retry_after) == 2 and retry_after[1] - retry_after[0] >= 0.95  # waited as Retry-After: 1 asked
    titles = {r[0]: r[1] for r in sqlite3.connect(db).execute("SELECT url, title FROM articles WHERE url LIKE '%/loi-%' OR url LIKE '%/trang-%'")}
    assert sorted(u.rsplit("/", 1)[1] for u in titles) == ["loi-500-roi-200.html", "loi-503-retry-after.html", "trang-cp1258.html"]
    assert titles[f"{server.url}/lechan/tin-tuc-su-kien/trang-cp1258.html"] == "Quận ủy Lê Chân triển khai chuyển đổi số trong cơ quan Đảng"
    assert count(db, "SELECT count(*) FROM articles WHERE body LIKE ? OR title LIKE ?", ("%\ufffd%", "%\ufffd%")) == 0


#: The kill test crawls the four sites it was written for (100 articles): with the sites of issue 9 added, where
#: the kill lands changes which articles the resumed run reads, and with them its view-count coverage verdict.
KILL_SITES = ("kinhtedothi", "thanhxuan", "badinh", "lechan")
KILL_TOTAL = sum(len(load_articles(name)) for name in KILL_SITES)


def test_sigkill_mid_crawl_loses_nothing_and_readers_see_whole_rows(replica: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    env = {"CRAWLER_CONCURRENCY": "1", "CRAWLER_DOWNLOAD_DELAY": "0.05", "CRAWLER_LOG_LEVEL": "ERROR"}
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", *KILL_SITES, "--replica", replica.url, "--db", str(db)],
        cwd=ROOT, env={**__import__("os").environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    seen_complete = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if db.exists():
            try:
                store = Store(db)
                for record in store.articles.iter_records():  # a reader while the crawl writes
                    assert record["title"] and record["body"] and record["content_hash"] and isinstance(record["conference"], dict)
                    seen_complete += 1
                stored = store.articles.count()
                store.close()
            except sqlite3.OperationalError:
                stored = 0
            if stored >= 30:
                break
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    killed_at = count(db, "SELECT count(*) FROM articles")
    assert 30 <= killed_at < KILL_TOTAL and seen_complete > 0
    assert count(db, "PRAGMA integrity_check") == "ok"
    resumed = run_cli("crawl", *KILL_SITES, "--replica", replica.url, "--db", str(db))
    # The resumed run reads only what the killed one had not stored; where the kill lands decides whether the
    # replica's pages without a view counter or a date fall into it, and so whether its coverage dips under 90%.
    health = [line for line in resumed.stderr.splitlines() if "health:" in line]
    assert resumed.returncode == 0 or (health and all(" coverage " in line for line in health)), resumed.stderr[-2000:]
    assert count(db, "SELECT count(*) FROM articles") == KILL_TOTAL
    assert count(db, "SELECT count(DISTINCT content_hash || site) FROM articles") == KILL_TOTAL
