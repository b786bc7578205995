"""Charts: the `crawler browse` dashboard and the static `crawler report`, drawn in a real headless Chromium.

The store is a real crawl of the replica (synthetic pages rendered by our replica code) into a file that is
*not* named crawl.db, so the dashboard and the labels must follow the served database's name. Every request
the browser makes is recorded: the charts must load nothing from outside 127.0.0.1 (or, for the report, nothing
at all beyond the file itself).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.charts import CHARTS, chart_rows, fill_optional
from crawler.replica.render import load_articles
from crawler.replica.server import ReplicaServer
from tests.conftest import ROOT, run_cli
from tests.test_browse import HAS_CHROMIUM, free_port

needs_chromium = pytest.mark.skipif(not HAS_CHROMIUM, reason="needs Chromium (apt-get install chromium)")
SCREENSHOTS = Path(os.environ.get("CRAWLER_SCREENSHOTS", "")) if os.environ.get("CRAWLER_SCREENSHOTS") else None


def test_optional_clauses_follow_their_parameter() -> None:
    sql = "SELECT 1 WHERE TRUE [[ AND d >= :since ]] [[ AND u = :article ]]"
    assert fill_optional(sql, {"since": "2024-01-01", "article": ""}) == "SELECT 1 WHERE TRUE  AND d >= :since  "
    assert fill_optional(sql, {}) == "SELECT 1 WHERE TRUE  "


@pytest.fixture(scope="module")
def hanoi_db(replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("charts") / "hanoi.db"
    for _ in range(2):  # two runs, so the per-run charts have a line
        crawled = run_cli("crawl", "kinhtedothi", "thanhxuan", "lechan", "--replica", replica.url, "--db", str(db))
        assert crawled.returncode == 0, crawled.stderr[-2000:]
    with sqlite3.connect(db) as conn:  # a view-count history of two readings for one article
        url, count = conn.execute("SELECT url, view_count FROM articles WHERE view_count > 0 LIMIT 1").fetchone()
        conn.execute("INSERT INTO view_counts (url, seen_at, count) VALUES (?, '2030-01-01T00:00:00+07:00', ?)", (url, count + 50))
    return db


def test_chart_queries_on_a_real_store(hanoi_db: Path) -> None:
    with sqlite3.connect(hanoi_db) as conn:
        rows = {chart.slug: chart_rows(conn, chart, {}) for chart in CHARTS}
        conferences = conn.execute("SELECT count(*) FROM conferences WHERE held_on IS NOT NULL").fetchone()[0]
        late = chart_rows(conn, CHARTS[0], {"since": "2024-07-01"})
    assert sum(r["conferences"] for r in rows["conferences-by-month"]) == conferences > 0
    assert {r["level"] for r in rows["conferences-by-month"]} >= {"quận"}
    assert all(r["month"] >= "2024-07" for r in late) and 0 < len(late) < len(rows["conferences-by-month"])
    assert {r["site"] for r in rows["articles-per-run"]} == {"kinhtedothi", "thanhxuan", "lechan"}
    assert len(rows["articles-per-run"]) == 6 and sorted(r["articles"] for r in rows["articles-per-run"])[-1] == len(load_articles("kinhtedothi"))
    # The replica's 500 page fails the first run; the re-run does not ask for it again (its listing is stored).
    assert [r["errors"] for r in rows["errors-per-run"] if r["site"] == "lechan"] == [1, 0]
    assert max(r["views"] for r in rows["view-count-curves"]) >= 50


def _wait_http(url: str, process: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, "the server did not start"
            time.sleep(0.3)


@pytest.fixture()
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from crawler.browser import CHROMIUM_ARGS, find_chromium

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


def _open(browser: Any, url: str) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, requested


def _drawn_marks(page: Any, chart_id: str) -> int:
    """Vega's SVG marks inside one chart: bars, lines and points that were really drawn."""
    page.wait_for_selector(f"#{chart_id} svg", timeout=20_000)
    return int(page.locator(f"#{chart_id} svg .mark-rect path, #{chart_id} svg .mark-line path, "
                            f"#{chart_id} svg .mark-symbol path").count())


@pytest.mark.slow
@needs_chromium
def test_dashboard_in_chromium_for_a_db_not_named_crawl(hanoi_db: Path, browser: Any, tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "crawler.cli", "browse", "--db", str(hanoi_db), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_http(base + "/-/versions.json", server)
        # Labels, hidden tables and canned queries follow the served name (hanoi), not a fixed "crawl".
        page, _ = _open(browser, f"{base}/hanoi")
        text = page.inner_text("body")
        assert "Conferences by locality and date" in text and "Latest run per site" in text
        assert "articles_fts_data" not in text and "_migrations" not in text
        page, requested = _open(browser, f"{base}/-/dashboards/conferences")
        page.wait_for_timeout(500)
        for chart in CHARTS:
            page.wait_for_selector(f"#chart-{chart.slug} svg, #chart-{chart.slug} canvas", timeout=20_000)
        assert "Conferences per month, by level" in page.inner_text("body")
        assert all(url.startswith(base) for url in requested), [u for u in requested if not u.startswith(base)]
        shot = (SCREENSHOTS or tmp_path) / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 50_000
        # Narrowed by the Since filter: the monthly chart's data come back filtered.
        page, _ = _open(browser, f"{base}/-/dashboards/conferences?since=2024-07-01")
        page.wait_for_selector("#chart-conferences-by-month canvas, #chart-conferences-by-month svg", timeout=20_000)
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.slow
@needs_chromium
def test_static_report_in_chromium_offline(hanoi_db: Path, browser: Any, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = run_cli("report", "--db", str(hanoi_db), "-o", str(report))
    assert result.returncode == 0, result.stderr
    page, requested = _open(browser, report.as_uri())
    assert requested == [report.as_uri()], requested  # scripts and data are inlined: nothing else is fetched
    for chart in CHARTS:
        assert _drawn_marks(page, f"chart-{chart.slug}") > 0, chart.slug
    with sqlite3.connect(hanoi_db) as conn:
        months = len({r["month"] for r in chart_rows(conn, CHARTS[0], {})})
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    all_months = _drawn_marks(page, "chart-conferences-by-month")
    assert all_months >= months
    assert f"articles stored\t{stored}" in page.inner_text("table.totals")
    shot = (SCREENSHOTS or tmp_path) / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    # --since narrows what is drawn.
    since = tmp_path / "since.html"
    assert run_cli("report", "--db", str(hanoi_db), "-o", str(since), "--since", "2024-07-01").returncode == 0
    page, _ = _open(browser, since.as_uri())
    assert "since 2024-07-01" in page.inner_text(".meta")
    assert 0 < _drawn_marks(page, "chart-conferences-by-month") < all_months


@pytest.mark.slow
def test_browse_stops_with_sigterm_and_leaves_no_server(hanoi_db: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "crawler.cli", "browse", "--db", str(hanoi_db), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _wait_http(f"http://127.0.0.1:{port}/-/versions.json", server)
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=20) is not None
    with pytest.raises(OSError):  # nothing listens on the port any more: no Datasette was left behind
        urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2)
    if shutil.which("pgrep"):
        left = subprocess.run(["pgrep", "-f", f"--port {port}"], capture_output=True, text=True).stdout.split()
        assert left == [], left
