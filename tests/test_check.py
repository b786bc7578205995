"""`crawler check`: a real replica server, the real command; a page whose markup changed is reported stale."""

from __future__ import annotations

import json
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.check import CheckFailed, PoliteFetcher, check_site
from crawler.replica.render import Page
from crawler.replica.server import ReplicaServer
from crawler.sites import SITES
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


@pytest.fixture()
def redesigned() -> Iterator[ReplicaServer]:
    """Thanh Xuân's replica after a redesign: the body container and the title got new class names."""
    server = ReplicaServer("127.0.0.1", 0, sites=["thanhxuan"])
    for path, page in list(server.pages.items()):
        if "/view_content/" in path:
            body = page.body.replace("journal-content-article", "noi-dung-bai-viet").replace("title-news", "tieu-de")
            server.pages[path] = Page(body, page.content_type, page.status)
    server.start_background()
    yield server
    server.shutdown()
    server.server_close()


def test_check_passes_on_the_replica(replica: ReplicaServer) -> None:
    result = run_cli("check", "thanhxuan", "--articles", "2", env={"CRAWLER_REPLICA_URL": replica.url})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "parser version hanoi_portal/2019" in result.stdout
    assert "body        ok       hanoi_portal/2019  .news-detail .journal-content-article" in result.stdout
    assert result.stdout.rstrip().endswith("OK: thanhxuan's definition reads the site.")


def test_redesigned_page_is_reported_stale_with_the_fix(redesigned: ReplicaServer) -> None:
    result = run_cli("check", "thanhxuan", "--articles", "2", env={"CRAWLER_BASE_URL_THANHXUAN": f"{redesigned.url}/thanhxuan"})
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "no parser version: generic reader" in out
    title = next(line for line in out.splitlines() if line.startswith("  title"))
    assert title.startswith("  title       generic") and ".news-detail .title-news" in title
    assert "STALE: the selectors of thanhxuan no longer match the site." in out
    fix = next(line for line in out.splitlines() if line.startswith("fix: "))
    assert ".news-detail .journal-content-article" in fix and ".news-detail .title-news" in fix
    assert fix.count("body (") == 1 and fix.count("title (") == 1
    assert "Add a parser version" in fix and "hanoi_portal/2019" in fix
    # The listing itself did not change, so the listing selectors are not blamed.
    assert "10 article link(s) via .asset-publisher" in out


def test_check_one_url(redesigned: ReplicaServer, replica: ReplicaServer) -> None:
    path = next(p for p in replica.pages if "/thanhxuan/" in p and "/view_content/" in p)
    ok = run_cli("check", "thanhxuan", "--url", f"{replica.url}{path}", env={"CRAWLER_REPLICA_URL": replica.url})
    assert ok.returncode == 0 and "listing" not in ok.stdout.splitlines()[1]
    stale = run_cli("check", "thanhxuan", "--url", f"{redesigned.url}{path}", env={"CRAWLER_REPLICA_URL": redesigned.url})
    assert stale.returncode == 1 and "STALE" in stale.stdout


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("env", "args", "line"),
    [
        ({"CRAWLER_BASE_URL_KINHTEDOTHI": "http://127.0.0.1:{port}"}, [], "connection refused by 127.0.0.1:{port}: is the site"),
        ({}, ["--url", "http://no-such-host.invalid/a.html"], "cannot resolve no-such-host.invalid: check the network or the base URL"),
        ({}, ["--url", "htp:/x"], "bad URL 'htp:/x'"),
    ],
)
def test_unreachable_site_is_one_clear_line(env: dict[str, str], args: list[str], line: str) -> None:
    port = _closed_port()
    result = run_cli("check", "kinhtedothi", *args, env={k: v.format(port=port) for k, v in env.items()})
    assert result.returncode == 2
    assert result.stderr.strip() == f"crawler: kinhtedothi: {line.format(port=port)}" or line.format(port=port) in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_fetcher_is_polite(replica: ReplicaServer) -> None:
    """Requests go one at a time, `delay` apart, and robots.txt is read once per host."""
    import time

    fetcher = PoliteFetcher(delay=0.3)
    started = time.monotonic()
    check_site(SITES["lechan"], {"CRAWLER_REPLICA_URL": replica.url}, articles=2, fetcher=fetcher)
    assert fetcher.requests == 4  # robots.txt, the listing, two articles
    assert time.monotonic() - started >= 0.9
    with pytest.raises(CheckFailed, match="bad URL"):
        fetcher.get("ftp://x")


def test_replica_serves_recorded_pages_in_place_of_rendered_ones(tmp_path: Path) -> None:
    """A page recorded from the live site (provenance "recorded") is what the replica serves at its path, its
    addresses pointed at the replica; a synthetic fixture is never served."""
    path = "/tin-tuc-su-kien/-/view_content/999999-trang-ghi-lai.html"
    recorded = tmp_path / "thanhxuan" / "2019"
    recorded.mkdir(parents=True)
    html = ('<html><body><a href="/tin-tuc-su-kien">Tin tức</a>'
            '<a href="https://thanhxuan.hanoi.gov.vn/gioi-thieu">Giới thiệu</a><p>Trang ghi lại.</p></body></html>')
    (recorded / "live-page.html").write_text(html, encoding="utf-8")
    (recorded / "live-page.json").write_text(json.dumps({
        "url": f"https://thanhxuan.hanoi.gov.vn{path}", "crawled_at": "2026-12-01", "provenance": "recorded"}), encoding="utf-8")
    (recorded / "made-up.html").write_text("<p>synthetic</p>", encoding="utf-8")
    (recorded / "made-up.json").write_text(json.dumps({
        "url": "https://thanhxuan.hanoi.gov.vn/tin-tuc-su-kien", "crawled_at": "2026-12-01", "provenance": "synthetic"}), encoding="utf-8")
    server = ReplicaServer("127.0.0.1", 0, sites=["thanhxuan"], recorded_dir=tmp_path)
    server.start_background()
    try:
        with urllib.request.urlopen(f"{server.url}/thanhxuan{path}") as response:  # noqa: S310 - loopback
            served = response.read().decode("utf-8")
        with urllib.request.urlopen(f"{server.url}/thanhxuan/tin-tuc-su-kien") as response:  # noqa: S310
            listing = response.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
    assert "Trang ghi lại." in served
    assert 'href="/thanhxuan/tin-tuc-su-kien"' in served and f'href="{server.url}/thanhxuan/gioi-thieu"' in served
    assert "synthetic" not in listing and "asset-publisher" in listing
