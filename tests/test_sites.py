"""Sites as data: the TOML definitions, dated parser versions and contexts, the spider loader, and a user's
site crawled from a TOML file with no code."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.extraction import extract_article
from crawler.items import ArticleItem
from crawler.replica.render import load_articles
from crawler.replica.server import ReplicaServer
from crawler.sites import SITES, ParserVersion, Selectors, SiteDefinition, SiteFileError
from crawler.sites.loader import load_sites_file, parse_site
from tests.conftest import ROOT, run_cli

OLD = ParserVersion("paper/2016", Selectors(title="h1.old", body="#old-body"), valid_until=date(2020, 12, 31))
NEW = ParserVersion("paper/2021", Selectors(title="h1.new", body=".new-body"), valid_from=date(2021, 1, 1))
PAPER = SiteDefinition(name="paper", base_url="https://paper.example", versions=(OLD, NEW))


def page(markup: str, published: str | None = None) -> HtmlResponse:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    html = f"<html><head><title>t</title>{meta}</head><body>{markup}</body></html>"
    return HtmlResponse(url="https://paper.example/a.html", body=html.encode(), encoding="utf-8")


BODY = "<p>" + "Đoạn văn đủ dài để là nội dung bài viết. " * 8 + "</p>"


# --- the definitions ------------------------------------------------------------------------------------


def test_bundled_sites_are_valid() -> None:
    for site in SITES.values():
        assert site.listing_paths or site.json_listings or site.feed_paths or site.sitemap_paths, site.name
        assert site.versions or site.article_pattern, f"{site.name}: the generic reader needs an article pattern"
        names = [v.name for v in site.versions]
        assert len(names) == len(set(names)), site.name


# --- dated parser versions -------------------------------------------------------------------------------


def test_versions_for_puts_the_publish_dates_version_first() -> None:
    assert PAPER.versions_for(date(2019, 5, 1)) == [OLD, NEW]
    assert PAPER.versions_for(date(2024, 5, 1)) == [NEW, OLD]
    assert PAPER.versions_for(None) == [NEW, OLD]


def test_page_is_read_by_the_version_of_its_design_and_records_it() -> None:
    old = extract_article(page(f'<h1 class="old">Tin cũ</h1><div id="old-body">{BODY}</div>', "2019-03-02T10:00:00+07:00"), PAPER)
    new = extract_article(page(f'<h1 class="new">Tin mới</h1><div class="new-body">{BODY}</div>', "2024-03-02T10:00:00+07:00"), PAPER)
    assert isinstance(old, ArticleItem) and (old.title, old.parser_version, old.extraction) == ("Tin cũ", "paper/2016", "site")
    assert isinstance(new, ArticleItem) and (new.title, new.parser_version) == ("Tin mới", "paper/2021")


def test_each_version_in_turn_when_the_date_is_unknown_or_wrong() -> None:
    # An old-design page with no structured date, and one whose date says "new design": both still read.
    undated = extract_article(page(f'<h1 class="old">Tin cũ</h1><div id="old-body">{BODY}</div>'), PAPER)
    misdated = extract_article(page(f'<h1 class="old">Tin cũ</h1><div id="old-body">{BODY}</div>', "2023-01-01"), PAPER)
    assert isinstance(undated, ArticleItem) and undated.parser_version == "paper/2016"
    assert isinstance(misdated, ArticleItem) and misdated.parser_version == "paper/2016"


def test_no_version_matches_then_the_generic_reader_and_no_version_recorded() -> None:
    item = extract_article(page(f"<article><h1>Tiêu đề</h1>{BODY}{BODY}</article>", "2024-01-01"), PAPER)
    assert isinstance(item, ArticleItem) and item.extraction == "fallback" and item.parser_version is None


# --- dated context ---------------------------------------------------------------------------------------


def test_thanh_xuan_is_a_district_before_the_reform_and_a_ward_after() -> None:
    site = SITES["thanhxuan"]
    assert site.locale_at(date(2025, 6, 30)).level == "quận"
    assert site.locale_at(date(2025, 7, 1)).level == "phường"
    assert site.locale_at(date(2025, 7, 1)).locality == "Thanh Xuân"
    assert site.level == "phường"  # no date: the site as it is now


# --- TOML ------------------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my-sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_site_with_context_and_inline_version(tmp_path: Path) -> None:
    sites = load_sites_file(write(tmp_path, """
[[site]]
name = "phuong_x"
base_url = "https://phuongx.hanoi.gov.vn/"
description = "a ward portal"
[site.discovery]
listings = ["/dang-doan-the"]
article_pattern = '/-/view_content/\\d+-'
[[site.context]]
level = "phường"
locality = "X"
province = "Hà Nội"
from = 2025-07-01
[[site.versions]]
name = "2025"
from = 2025-07-01
title = "h1.title"
body = ".journal-content-article"
"""))
    site = sites["phuong_x"]
    assert site.base_url == "https://phuongx.hanoi.gov.vn" and site.listing_paths == ("/dang-doan-the",)
    assert [v.name for v in site.versions] == ["phuong_x/2025"] and site.versions[0].valid_from == date(2025, 7, 1)
    assert site.is_article_path("https://phuongx.hanoi.gov.vn/dang-doan-the/-/view_content/123-hoi-nghi.html")
    assert not site.is_article_path("https://phuongx.hanoi.gov.vn/dang-doan-the")
    assert site.locale_at(date(2026, 1, 1)).locality == "X"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"name": "x", "base_url": "https://x.vn", "selector": "h1"}, "unknown key(s) selector"),
        ({"name": "X y", "base_url": "https://x.vn"}, "`name` must be lower-case"),
        ({"name": "x", "base_url": "x.vn"}, "`base_url` must be an http(s) address"),
        ({"name": "x", "base_url": "https://x.vn", "parsers": ["nosuch"]}, "unknown platform 'nosuch'"),
        ({"name": "x", "base_url": "https://x.vn", "parsers": ["hanoi_portal/1999"]}, "unknown parser version"),
        ({"name": "x", "base_url": "https://x.vn", "discovery": {"article_pattern": "("}}, "not a regular expression"),
        ({"name": "x", "base_url": "https://x.vn", "context": [{"from": "soon"}]}, "is not a date"),
        ({"name": "x", "base_url": "https://x.vn", "versions": [{"title": "h1"}]}, "needs at least `title` and `body`"),
    ],
)
def test_toml_mistakes_name_the_site_and_the_key(table: dict[str, object], message: str) -> None:
    with pytest.raises(SiteFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_site(table, "my-sites.toml")


def test_broken_sites_file_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "[[site]]\nname = 'x'\nbase_url = 'nope'\n")
    result = run_cli("crawl", "--sites", str(path), "x")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "base_url" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_site_from_a_toml_file_crawls_with_no_code(replica: ReplicaServer, tmp_path: Path) -> None:
    """A portal the project has never heard of: no parser versions (the generic reader reads it), found by
    its article-link pattern; `scrapy list` and `scrapy crawl` see it through CRAWLER_SITES_FILE."""
    sites = write(tmp_path, f"""
[[site]]
name = "my_portal"
base_url = "{replica.url}/thanhxuan"
description = "a portal added by a user"
[site.discovery]
listings = ["/tin-tuc-su-kien"]
article_pattern = '/-/view_content/'
next_page = ".taglib-page-iterator a.next::attr(href)"
[[site.context]]
level = "quận"
locality = "Thanh Xuân"
province = "Hà Nội"
""")
    db = tmp_path / "crawl.db"
    env = {**os.environ, "CRAWLER_SITES_FILE": str(sites), "CRAWLER_DB": str(db), "CRAWLER_LOG_LEVEL": "WARNING"}
    env.pop("CRAWLER_REPLICA_URL", None)
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "my_portal" in listed.stdout.split()
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "my_portal"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT extraction, parser_version, is_conference FROM articles WHERE site = 'my_portal'").fetchall()
    finally:
        conn.close()
    assert len(rows) >= 20
    assert {r[0] for r in rows} == {"fallback"} and {r[1] for r in rows} == {None}
    assert sum(r[2] for r in rows) >= 5


def documented_example() -> tuple[str, str]:
    """The two TOML blocks of the worked example in docs/adding-a-site.md: the site, then its parser version."""
    text = (ROOT / "docs" / "adding-a-site.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, re.S)
    return textwrap.dedent(blocks[0]), textwrap.dedent(blocks[1])


@pytest.mark.slow
@pytest.mark.parametrize("with_version", [False, True], ids=["generic reader", "own parser version"])
def test_the_documented_ward_portal_example_crawls(replica: ReplicaServer, tmp_path: Path, with_version: bool) -> None:
    site, version = documented_example()
    site = site.replace('base_url = "https://duongnoi.hanoi.gov.vn"', f'base_url = "{replica.url}/duongnoi"')
    assert replica.url in site
    sites = write(tmp_path, site + (version if with_version else ""))
    db = tmp_path / "crawl.db"
    result = run_cli("crawl", "--sites", str(sites), "duongnoi_mine", "--db", str(db))
    assert result.returncode == 0, result.stderr[-2000:]
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT parser_version, conference FROM articles WHERE site = 'duongnoi_mine'").fetchall()
    finally:
        conn.close()
    assert len(rows) == len(load_articles("duongnoi"))
    assert {r[0] for r in rows} == ({"duongnoi_mine/2025"} if with_version else {None})
    places = {(c["level"], c["locality"]) for c in (json.loads(r[1]) for r in rows) if c["is_conference"]}
    assert places == {("phường", "Dương Nội")}
