"""Hostile pages (issue 10, the content path): a real crawl of the synthetic hostile replica into a real SQLite file.

One crawl of both hostile sites serves every test here; each test checks one guarantee. Nothing is lost (every
article on a page with bad links is stored), nothing is stored wrong (identity, values, text), and every skip or
worked-around problem is counted with its reason in the run record (`not_articles`, `warnings`).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from contextlib import closing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.replica import hostile
from crawler.replica.hostile import HostileServer
from crawler.replica.render import article_path
from crawler.store import Store
from pipelines.normalise import MAX_BODY_CHARS, MAX_TITLE_CHARS
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

_MEASURED_CRAWL = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print('MAXRSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def crawl(server: HostileServer, db: Path) -> subprocess.CompletedProcess[str]:
    """`crawler crawl kinhtedothi thanhxuan` against the hostile server, run under a parent that reports the
    crawl's peak memory."""
    env = {
        **os.environ,
        "CRAWLER_LOG_LEVEL": "WARNING",
        "CRAWLER_BASE_URL_KINHTEDOTHI": f"{server.url}/kinhtedothi",
        "CRAWLER_BASE_URL_THANHXUAN": f"{server.url}/thanhxuan",
        "CRAWLER_DOWNLOAD_DELAY": "0",
    }
    env.pop("CRAWLER_REPLICA_URL", None)
    command = [sys.executable, "-c", _MEASURED_CRAWL, sys.executable, "-m", "crawler.cli", "crawl", "kinhtedothi", "thanhxuan", "--db", str(db)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def stats_of(db: Path, runs: int) -> Counter[str]:
    """The counters of the last `runs` run records (one per site), under their crawl-stats keys, summed."""
    totals: Counter[str] = Counter()
    for run in Store(db).runs.recent(limit=runs):
        for field, prefix in (("not_articles", "pages/skipped/"), ("warnings", "warnings/"), ("errors", "crawl/errors/")):
            for reason, value in (run.get(field) or {}).items():
                totals[prefix + reason] += int(value)
    return totals


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    server = HostileServer()
    server.start_background()
    db = tmp_path_factory.mktemp("hostile") / "crawl.db"
    first = crawl(server, db)
    stats = stats_of(db, runs=2)
    after_first = dict(server.requests)
    second = crawl(server, db)
    second_requests = {p: n - after_first.get(p, 0) for p, n in server.requests.items() if n - after_first.get(p, 0)}
    yield {"server": server, "db": db, "first": first, "second": second, "stats": stats,
           "second_requests": second_requests}
    server.shutdown()
    server.server_close()


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def row(db: Path, slug: str) -> dict[str, Any]:
    """The one stored row of an article of the hostile replica (two would mean a split or a merged identity)."""
    found = rows(db, "SELECT * FROM articles WHERE url LIKE ?", (f"%{slug}%",))
    assert len(found) == 1, (slug, [r["url"] for r in found])
    return dict(found[0])


def test_the_crawls_succeed(world: dict[str, Any]) -> None:
    for name in ("first", "second"):
        assert world[name].returncode == 0, world[name].stderr[-3000:]
    assert not [key for key in world["stats"] if key.startswith("crawl/errors/")], world["stats"]
    runs = Store(world["db"]).runs.recent(limit=4)
    assert {r["status"] for r in runs} == {"ok"}, [(r["site"], r["status"], r["health"]) for r in runs]


def test_bad_links_are_skipped_and_counted_and_the_page_proceeds(world: dict[str, Any]) -> None:
    """Item 1: javascript:/mailto:/tel:/malformed hrefs on a listing, a bad RSS <link> and sitemap <loc>."""
    db = world["db"]
    for item in [*hostile.LISTED, *hostile.PAGE_TWO, *hostile.FEED_ONLY, *hostile.SITEMAP_ONLY]:
        row(db, item.slug)  # every article of the page, of the next page, of the feed and of the sitemap is stored
    bad = len(hostile.BAD_HREFS) + 1 + 2 + 2  # the listing's, the JSON listing's, the feed's and the sitemap's
    assert world["stats"]["pages/skipped/bad_link"] == bad
    run = Store(db).runs.recent("kinhtedothi", limit=2)[-1]
    assert run["not_articles"]["bad_link"] == bad and run["errors"] == {}


def test_absurd_canonicals_neither_merge_articles_nor_cause_refetches(world: dict[str, Any]) -> None:
    """Item 2: rel=canonical to the home page, a category, another host: each article keeps its own row, named
    by its fetched URL, and a second run does not fetch them again (the middleware's identity is storage's)."""
    server, db = world["server"], world["db"]
    for slug in hostile.CANONICALS:
        assert row(db, slug)["url"] == server.url + article_path(hostile.article("kinhtedothi", slug, ""))
    assert rows(db, "SELECT count(*) FROM articles WHERE url IN (?, ?, ?)",
                (f"{server.url}/kinhtedothi/", f"{server.url}/kinhtedothi/chinh-tri", "https://example.org/bai-viet-khac.html"))[0][0] == 0
    refetched = [p for p in world["second_requests"] if p.endswith(".html")]
    assert refetched == [], refetched


def test_session_and_tracking_parameters_make_one_row_and_one_fetch(world: dict[str, Any]) -> None:
    """Item 3: 24 links to one article under PHPSESSID, ;jsessionid=, sid, s, utm_*, fbclid."""
    server, db = world["server"], world["db"]
    assert row(db, hostile.SESSION.slug)["url"] == server.url + article_path(hostile.SESSION)
    fetched = {p: n for p, n in server.requests.items() if hostile.SESSION.slug in p}
    assert fetched == {article_path(hostile.SESSION): 1}, fetched


def test_hostile_values_become_null_with_a_counted_warning(world: dict[str, Any]) -> None:
    """Item 4: a 23-digit and a 5,000-digit view count, JSON-LD nested 100,000 deep and 3,000 @graphs deep, a
    23-digit session number."""
    db, stats = world["db"], world["stats"]
    for item in hostile.THANHXUAN:
        stored = row(db, item.slug)
        assert stored["view_count"] is None and stored["body"] and stored["published_at"]
    assert stats["warnings/view_count_implausible"] + stats["warnings/view_count_unparseable"] == 2, stats
    for slug in hostile.JSON_CASES:
        stored = row(db, slug)
        assert stored["title"] and stored["published_at"]  # the page's own label still dates it
    assert stats["warnings/structured_data_too_deep"] == 2, stats
    conference = json.loads(row(db, hostile.HUGE_SESSION.slug)["conference"])
    assert conference["is_conference"] and conference["session_number"] is None
    assert stats["warnings/conference_number_implausible"] == 1, stats


def test_wrong_header_charset_and_nul_reference_pages_are_kept(world: dict[str, Any]) -> None:
    """Item 8: UTF-8 page served as iso-8859-1 (its <meta> says utf-8); a page containing &#0;."""
    db, stats = world["db"], world["stats"]
    mismatch = row(db, "sai-charset")
    assert mismatch["title"] == "Quận ủy tổ chức hội nghị, trang khai sai bảng mã"
    assert "Ban Thường vụ tổ chức hội nghị" in mismatch["body"]
    nul = row(db, "ky-tu-null")
    assert "Mở đầu Chiều 3/10" in nul["body"] and "\ufffd" not in nul["body"] and "\x00" not in nul["body"]
    assert stats["warnings/charset_mismatch"] == 2, stats
    assert rows(db, "SELECT count(*) FROM articles WHERE body LIKE ? OR title LIKE ?", ("%\ufffd%", "%\ufffd%"))[0][0] == 0


def test_implausible_publish_dates_are_null_with_a_counted_warning(world: dict[str, Any]) -> None:
    """Item 16: every date on the page says 2099 (or 1890): no publish date rather than a wrong one."""
    db, stats = world["db"], world["stats"]
    for slug in hostile.DATE_CASES:
        stored = row(db, slug)
        assert stored["published_at"] is None and stored["body"], stored["published_at"]
    # Every date candidate of each page is implausible (json-ld, meta and label in 2099; the 1890 page, in the
    # 2016 design, has only its label).
    assert stats["warnings/date_implausible"] >= len(hostile.DATE_CASES), stats


def test_an_8mb_page_costs_bounded_memory_and_storage(world: dict[str, Any]) -> None:
    """Item 19: an 8 MB article under the size limit: its body is cut (counted), its signature bounded."""
    stored = row(world["db"], "trang-8mb")
    assert len(stored["body"]) <= MAX_BODY_CHARS and world["stats"]["warnings/body_truncated"] == 1
    peak_kb = int(re.search(r"MAXRSS_KB (\d+)", world["first"].stderr).group(1))
    assert peak_kb < 450 * 1024, f"crawl peaked at {peak_kb // 1024} MB"


def test_hidden_text_bidi_controls_huge_titles_and_script_images_are_cleaned(world: dict[str, Any]) -> None:
    """Item 21: <textarea> and <object> text, bidi controls, a 1 MB title, javascript:/data: image URLs."""
    stored = row(world["db"], "an-chu")
    text = stored["title"] + stored["body"]
    assert "CHỮ TRONG Ô NHẬP" not in text and "CHỮ TRONG ĐỐI TƯỢNG NHÚNG" not in text
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", text)
    assert "ký tự điều khiển hai chiều" in stored["body"]
    assert stored["title"].startswith("Hội nghị có chữ ẩn") and len(stored["title"]) <= MAX_TITLE_CHARS + 1
    images = [image["url"] for image in json.loads(stored["images"])]
    assert [u.rsplit("/", 1)[1] for u in images] == ["that.jpg"], images
    stats = world["stats"]
    assert stats["warnings/title_too_long"] == 1 and stats["warnings/image_url_dropped"] == 1, stats
