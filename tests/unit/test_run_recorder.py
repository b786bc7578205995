"""RunRecorder and its health check: one `runs` row per finished run, with counts, reasons and coverage, written
to the crawler's store at the frozen clock's time after the crawl's last batch is committed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from scrapy.crawler import Crawler

from crawler.extensions.run_recorder import RunRecorder, health
from crawler.sites import SITES
from crawler.store import Store
from tests.unit.conftest import FROZEN, article


def test_health_verdicts() -> None:
    site = SITES["thanhxuan"]
    good = {"extraction/site": 10, "views/parsed": 10}
    assert health(site, good) == ("ok", [], {"date": 1.0, "body": 1.0, "views": 1.0})
    status, reasons, coverage = health(site, {**good, "dates/missing": 2})
    assert status == "failing" and coverage["date"] == 0.8 and "date coverage 80%" in reasons[0]
    assert health(site, {})[0:2] == ("failing", ["the site yielded no article"])
    assert health(site, {"incremental/skipped_stored": 3})[0] == "ok"  # nothing new, but the site answered
    assert health(site, {**good, "spider_exceptions/count": 1})[0] == "error"


def test_coverage_is_judged_over_enough_articles() -> None:
    """A resumed run that reads three articles, one of them without a date, is not a stale-selector run."""
    site = SITES["thanhxuan"]
    small = {"extraction/site": 3, "views/parsed": 3, "dates/missing": 1}
    status, reasons, coverage = health(site, small)
    assert (status, reasons) == ("ok", []) and round(coverage["date"], 2) == 0.67
    status, reasons, _ = health(site, {"extraction/site": 10, "views/parsed": 10, "dates/missing": 4})
    assert status == "failing" and "date coverage 60%" in reasons[0]


def test_run_row_written_at_close(make_crawler: Callable[..., Crawler], store: Store) -> None:
    crawler = make_crawler()
    recorder = RunRecorder.from_crawler(crawler)
    assert recorder.store is store
    recorder.spider_opened(crawler.spider)
    store.save(article("https://a.vn/1"), commit_every=50)  # the crawl's last, uncommitted batch
    for key, value in {"extraction/site": 12, "views/parsed": 12, "store/new": 3, "validate/dropped/no_body": 3,
                       "crawl/errors/http_404": 2, "downloader/request_count": 9}.items():
        crawler.stats.set_value(key, value)
    recorder.spider_closed(crawler.spider, "finished")
    run = store.runs.recent("thanhxuan")[0]
    assert (run["status"], run["requests"], run["new"]) == ("failing", 9, 3)  # body coverage 75%
    assert run["dropped"] == {"no_body": 3} and run["errors"] == {"http_404": 2}
    assert run["started_at"] == run["finished_at"] == FROZEN.isoformat(timespec="seconds")
    assert crawler.stats.get_value("run/id") == run["id"] and crawler.stats.get_value("run/status") == "failing"
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1  # the batch was committed with it


def test_interrupted_run(make_crawler: Callable[..., Crawler], store: Store) -> None:
    crawler = make_crawler()
    recorder = RunRecorder.from_crawler(crawler)
    recorder.spider_opened(crawler.spider)
    crawler.stats.set_value("extraction/site", 1)
    crawler.stats.set_value("views/parsed", 1)
    recorder.spider_closed(crawler.spider, "shutdown")
    assert store.runs.recent("thanhxuan")[0]["status"] == "interrupted"
