"""Distributed mode, for real: a redis-server on a free loopback port, two `scrapy crawl` worker processes sharing
one scrapy-redis queue against the replica, then `crawler ingest` into SQLite (and ingest's crash safety)."""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from crawler.items import ArticleItem, to_record
from crawler.replica.render import article_path, load_articles
from crawler.replica.server import ReplicaServer
from tests.conftest import FIXTURES, ROOT, run_cli

redis = pytest.importorskip("redis")

SITE = "thanhxuan"
WORKERS = 2


def final_stats(log: str) -> dict[str, Any]:
    """The numbers and strings of the stats Scrapy dumps when a spider closes (STATS_DUMP, shown at DEBUG)."""
    assert "Dumping Scrapy stats" in log, log[-3000:]
    block = log.split("Dumping Scrapy stats:", 1)[1]
    block = block[: block.index("}") + 1]
    return {k: int(v) if v.isdigit() else v.strip("'") for k, v in re.findall(r"'([^']+)': (\d+|'[^']*')", block)}


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def own_replica() -> Iterator[ReplicaServer]:
    """A replica server of this module's own, like conftest's `replica`: that one is shared by the session, and
    test_e2e asserts per-path fetch counts on it, which this module's crawls would add to."""
    server = ReplicaServer("127.0.0.1", 0)
    server.start_background()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def distributed(own_replica: ReplicaServer, redis_server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    replica = own_replica
    root = tmp_path_factory.mktemp("distributed")
    redis_url = f"{redis_server}/0"
    redis.Redis.from_url(redis_url).flushdb()
    before = dict(replica.requests)
    workers = []
    for n in range(WORKERS):
        env = {
            **os.environ,
            "REDIS_URL": redis_url,
            "CRAWLER_REPLICA_URL": replica.url,
            "CRAWLER_LOG_LEVEL": "DEBUG",  # the stats dump it reads is logged at DEBUG (crawler/logs.py)
            # Each worker points at its own database path: a worker must never create it.
            "CRAWLER_DB": str(root / f"worker{n}" / "crawl.db"),
            # Slow enough (about 2 pages a second per worker, two requests held at a time) that the crawl is not
            # over before the second worker's first look at the shared queue (Scrapy polls an idle spider every 5 s).
            "CRAWLER_DOWNLOAD_DELAY": "0.5",
            "CRAWLER_CONCURRENCY": "2",
            "CRAWLER_IDLE_CLOSE_SECONDS": "6",
        }
        workers.append(
            subprocess.Popen(
                [sys.executable, "-m", "scrapy", "crawl", SITE], cwd=ROOT, env=env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
        )
    outputs = [w.communicate(timeout=300) for w in workers]
    after = dict(replica.requests)
    fetched = {p: after[p] - before.get(p, 0) for p in after if after[p] != before.get(p, 0)}
    queued_items = redis.Redis.from_url(redis_url).llen(f"{SITE}:items")
    db = root / "d.db"
    env = {"REDIS_URL": redis_url}
    first = run_cli("ingest", SITE, "--db", str(db), env=env)
    second = run_cli("ingest", SITE, "--db", str(db), env=env)
    single_db = root / "single.db"
    single = run_cli("crawl", SITE, "--replica", replica.url, "--db", str(single_db))
    return {
        "root": root, "db": db, "redis_url": redis_url, "workers": workers, "logs": [err for _, err in outputs],
        "stats": [final_stats(err) for _, err in outputs], "fetched": fetched, "queued_items": queued_items,
        "first": first, "second": second, "single_db": single_db, "single": single, "replica": replica,
    }


def ingest_counts(stdout: str, site: str) -> dict[str, int]:
    lines = [line.split() for line in stdout.splitlines()]
    header = next(line for line in lines if line and line[0] == "site")
    row = next(line for line in lines if line and line[0] == site)
    return dict(zip(header[1:], map(int, row[1:])))


@pytest.mark.slow
def test_workers_finish_without_touching_sqlite(distributed: dict[str, Any]) -> None:
    for worker, log, stats in zip(distributed["workers"], distributed["logs"], distributed["stats"]):
        assert worker.returncode == 0, log[-3000:]
        assert stats["finish_reason"] == "finished"
        assert "Traceback" not in log, log[-3000:]
    for n in range(WORKERS):
        assert not (distributed["root"] / f"worker{n}").exists()


@pytest.mark.slow
def test_both_workers_fetch_and_no_page_is_fetched_twice(distributed: dict[str, Any]) -> None:
    stats, fetched = distributed["stats"], distributed["fetched"]
    pages = [sum(v for k, v in s.items() if k.startswith("distributed/fetched/") and k != "distributed/fetched/other") for s in stats]
    articles = [s.get("distributed/fetched/article", 0) for s in stats]
    print(f"pages per worker: {pages}; article pages per worker: {articles}; replica saw: {len(fetched)} paths")
    assert all(n >= 1 for n in pages), pages
    site_paths = {p: n for p, n in fetched.items() if p.startswith(f"/{SITE}/")}
    article_paths = {p: n for p, n in site_paths.items() if "/view_content/" in p}  # Liferay article URLs
    # No page of the site was fetched twice by the two workers together.
    assert max(site_paths.values()) == 1, {p: n for p, n in site_paths.items() if n > 1}
    assert sum(articles) == len(article_paths) == sum(article_paths.values())
    assert sum(s.get("distributed/fetched/listing", 0) for s in stats) == len(site_paths) - len(article_paths)
    # robots.txt is not a page of the crawl: each worker's RobotsTxtMiddleware reads it once for itself.
    assert fetched.get("/robots.txt") == WORKERS
    assert sum(s["downloader/request_count"] for s in stats) == sum(fetched.values())


@pytest.mark.slow
def test_every_article_stored_exactly_once(distributed: dict[str, Any]) -> None:
    first = distributed["first"]
    assert first.returncode == 0, first.stderr[-3000:]
    stats = distributed["stats"]
    assert sum(s["item_scraped_count"] for s in stats) == distributed["queued_items"] == 25
    assert ingest_counts(first.stdout, SITE)["new"] == 25
    db = distributed["db"]
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM articles WHERE site = ?", (SITE,))[0] == (25, 25)
    expected = sorted(distributed["replica"].url + article_path(a) for a in load_articles(SITE))
    assert sorted(r[0] for r in rows(db, "SELECT url FROM articles")) == expected
    client = redis.Redis.from_url(distributed["redis_url"])
    assert client.llen(f"{SITE}:items") == client.llen(f"{SITE}:items:processing") == client.llen(f"{SITE}:items:failed") == 0


@pytest.mark.slow
def test_second_ingest_stores_nothing(distributed: dict[str, Any]) -> None:
    second = distributed["second"]
    assert second.returncode == 0, second.stderr[-3000:]
    assert all(v == 0 for v in ingest_counts(second.stdout, SITE).values())
    assert rows(distributed["db"], "SELECT count(*) FROM articles")[0][0] == 25


@pytest.mark.slow
def test_same_rows_as_a_single_process_crawl(distributed: dict[str, Any]) -> None:
    """Items survive the trip through Redis: the rows equal those of `crawler crawl` in one process."""
    assert distributed["single"].returncode == 0, distributed["single"].stderr[-3000:]
    from crawler.store import Store

    def records(db: Path) -> dict[str, dict[str, Any]]:
        return {r["url"]: {k: v for k, v in r.items() if k != "crawled_at"} for r in Store(db).articles.iter_records()}

    assert records(distributed["db"]) == records(distributed["single_db"])
    columns = "count(etag), count(last_modified), count(minhash), count(DISTINCT dup_group)"
    assert rows(distributed["db"], f"SELECT {columns} FROM articles") == rows(distributed["single_db"], f"SELECT {columns} FROM articles")
    for table in ("view_counts", "conferences", "conference_articles"):
        assert rows(distributed["db"], f"SELECT count(*) FROM {table}") == rows(distributed["single_db"], f"SELECT count(*) FROM {table}")


# --- settings and serialisation -------------------------------------------------------------------------


def test_distributed_settings_drop_everything_that_uses_sqlite() -> None:
    import crawler.settings.base as module
    from crawler.settings.distributed import apply_distributed_settings

    settings = {k: getattr(module, k) for k in dir(module) if k.isupper()}
    apply_distributed_settings(settings, "redis://127.0.0.1:1/0")
    assert settings["SCHEDULER"] == "crawler.distributed.RedisScheduler"
    assert settings["DUPEFILTER_CLASS"] == "crawler.distributed.RedisDupeFilter"
    assert settings["SCHEDULER_PERSIST"] is True
    assert (settings["SCHEDULER_QUEUE_KEY"], settings["SCHEDULER_DUPEFILTER_KEY"]) == ("%(spider)s:requests", "%(spider)s:dupefilter")
    active = [p for p, order in sorted(settings["ITEM_PIPELINES"].items(), key=lambda kv: kv[1]) if order is not None]
    assert active == [*(p for p in module.CRAWLER_ITEM_CHAIN if p not in module.STORAGE_PIPELINES), "pipelines.redis_queue.RedisItemPipeline"]
    assert settings["CRAWLER_ITEM_WORKER"] == "inline"  # a worker's chain ends in Redis, in its own process
    assert settings["EXTENSIONS"]["crawler.extensions.run_recorder.RunRecorder"] is None
    assert settings["SPIDER_MIDDLEWARES"]["crawler.middlewares.incremental.IncrementalSpiderMiddleware"] is None
    downloader = settings["DOWNLOADER_MIDDLEWARES"]
    assert downloader["crawler.middlewares.incremental.NotModifiedMiddleware"] is None
    assert downloader["crawler.middlewares.robots.CachedRobotsTxtMiddleware"] is None
    assert downloader["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] == 100
    assert module.CRAWLER_ITEM_CHAIN["pipelines.store.SqliteStorePipeline"] == 700  # the module itself is untouched


#: When the fixture pages are read (a fixed clock: the item does not depend on when the test runs).
FETCHED_AT = datetime(2024, 10, 5, 3, 0, tzinfo=timezone.utc)


def fixture_item(case: str = "thanhxuan/2019/seed-000-copy") -> ArticleItem:
    import json

    from scrapy.http import HtmlResponse
    from scrapy.utils.project import get_project_settings

    from crawler.pipeline_chain import item_for_page
    from crawler.sites import host_of, site_for_url

    url = json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))["url"]
    settings = get_project_settings()
    response = HtmlResponse(url=url, body=(FIXTURES / f"{case}.html").read_bytes(), headers={"ETag": '"abc"'})
    item = item_for_page(response, site_for_url(url, settings), FETCHED_AT, settings, site_name=host_of(url))
    assert isinstance(item, ArticleItem)
    return item


def test_item_round_trips_through_json() -> None:
    from crawler.distributed import item_from_json, item_to_json

    item = fixture_item()
    back = item_from_json(item_to_json(item))
    assert to_record(back) == to_record(item)
    assert back.http_etag == '"abc"' and back.date_candidates == [] and back.minhash is None
    assert "Thanh Xuân" in item_to_json(item)


# --- ingest crash safety ----------------------------------------------------------------------------------

_WORDS = "đảng bộ quận hội nghị ban chấp hành nghị quyết chỉ tiêu kinh tế xã hội nhân dân cán bộ đô thị chuyển đổi số".split()


def synthetic_items(count: int, site: str = "badinh", seed: int = 7) -> list[ArticleItem]:
    """Distinct articles (random text, so neither exact nor near copies of each other)."""
    rng = random.Random(seed)
    items = []
    for n in range(count):
        body = "\n\n".join(" ".join(rng.choice(_WORDS) for _ in range(60)) for _ in range(3))
        items.append(ArticleItem(
            url=f"https://{site}.example/tin/{seed}-{n}.html", site=site, title=f"Bài {n}", body=body,
            published_at="2024-10-04T09:30:00+07:00", view_count=n, crawled_at=f"2024-10-05T10:00:{n % 60:02d}+07:00",
            content_hash=hashlib.sha1(body.encode()).hexdigest(), extraction="site",
        ))
    return items


def test_ingest_replays_what_a_crash_left_in_processing(redis_server: str, tmp_path: Path) -> None:
    from crawler.distributed import ingest, item_to_json

    url = f"{redis_server}/1"
    client = redis.Redis.from_url(url, decode_responses=True)
    client.flushdb()
    db = tmp_path / "crash.db"
    key, processing = "badinh:items", "badinh:items:processing"
    items = [item_to_json(i) for i in synthetic_items(7)]
    # Item 6 was stored by an ingest that was killed before it could remove the item from the processing list.
    client.rpush(key, items[6])
    assert ingest(url, ["badinh"], db)["badinh"]["new"] == 1
    client.rpush(processing, items[6])
    # Items 0-2 were taken by that ingest (moved to processing) and never stored; 3-5 still wait in the queue.
    client.rpush(key, *items[:6])
    for _ in range(3):
        client.lmove(key, processing, "LEFT", "RIGHT")
    assert (client.llen(key), client.llen(processing)) == (3, 4)

    counts = ingest(url, ["badinh"], db)["badinh"]
    assert counts == {"new": 6, "updated": 0, "unchanged": 0, "replayed": 4, "already_stored": 1, "dropped": 0, "rejected": 0,
                      "failed": 0}
    assert client.llen(key) == client.llen(processing) == 0
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM articles")[0] == (7, 7)
    # Stored once: one view-count reading per article, the replayed one included.
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM view_counts")[0] == (7, 7)
    assert ingest(url, ["badinh"], db)["badinh"]["new"] == 0


@pytest.mark.slow
def test_ingest_killed_and_restarted_stores_everything_once(redis_server: str, tmp_path: Path) -> None:
    from crawler.distributed import item_to_json

    url = f"{redis_server}/2"
    client = redis.Redis.from_url(url, decode_responses=True)
    client.flushdb()
    db = tmp_path / "killed.db"
    total = 300
    client.rpush("badinh:items", *(item_to_json(i) for i in synthetic_items(total, seed=11)))
    env = {**os.environ, "REDIS_URL": url, "CRAWLER_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "ingest", "badinh", "--db", str(db)], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    stored_at_kill = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                stored_at_kill = rows(db, "SELECT count(*) FROM articles")[0][0]
            except sqlite3.OperationalError:
                stored_at_kill = 0  # schema not created yet
            if stored_at_kill >= 20:
                break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < stored_at_kill < total, f"the kill did not land mid-ingest ({stored_at_kill} of {total} stored)"
    left_in_processing = client.llen("badinh:items:processing")
    assert left_in_processing <= 1  # ingest takes one item at a time

    result = run_cli("ingest", "badinh", "--db", str(db), env={"REDIS_URL": url})
    assert result.returncode == 0, result.stderr[-3000:]
    counts = ingest_counts(result.stdout, "badinh")
    assert counts["replayed"] == left_in_processing
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM articles")[0] == (total, total)
    assert rows(db, "SELECT count(*) FROM view_counts")[0][0] == total
    assert client.llen("badinh:items") == client.llen("badinh:items:processing") == 0


def test_ingest_needs_a_redis_url(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from crawler.cli import main

    monkeypatch.delenv("REDIS_URL", raising=False)
    assert main(["ingest", "thanhxuan"]) == 2
    assert "REDIS_URL" in capsys.readouterr().err
