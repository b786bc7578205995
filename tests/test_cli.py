"""The `crawler` command's contract for users: clear errors, exit codes, extract on any saved page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

#: Process-level: real `crawler` processes against real servers.
pytestmark = pytest.mark.slow


def test_extract_unknown_site_file() -> None:
    result = run_cli("extract", str(FIXTURES / "unknown" / "generic" / "generic-news-page.html"), "--url", "https://tin.example.vn/a.html")
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)
    assert item["site"] == "tin.example.vn"
    assert item["extraction"] == "fallback"
    assert item["conference"]["session_number"] == 19


def test_extract_known_site_by_live_url() -> None:
    url = "https://lechan.haiphong.gov.vn/tin-tuc-su-kien/quan-uy-le-chan-to-chuc-hoi-nghi-quan-uy-lan-thu-18.html"
    result = run_cli("extract", str(FIXTURES / "lechan" / "2023" / "seed-003.html"), "--url", url)
    item = json.loads(result.stdout)
    assert (item["site"], item["extraction"], item["author"]) == ("lechan", "site", "Thái Bình")


def test_extract_unreadable_path_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cli("extract", str(tmp_path / "missing.html"), "--url", "https://x.vn/a.html")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crawler: cannot read")


def test_extract_directory_is_unreadable(tmp_path: Path) -> None:
    result = run_cli("extract", str(tmp_path), "--url", "https://x.vn/a.html")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_extract_needs_url_for_files(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html></html>", encoding="utf-8")
    result = run_cli("extract", str(page))
    assert result.returncode == 2 and "--url" in result.stderr


def test_extract_listing_is_not_an_article() -> None:
    result = run_cli("extract", str(FIXTURES / "kinhtedothi" / "generic" / "listing-tin-tuc.html"), "--url", "https://kinhtedothi.vn/tin-tuc")
    assert result.returncode == 1 and "not an article" in result.stderr


def test_extract_binary_garbage_is_not_an_article(tmp_path: Path) -> None:
    page = tmp_path / "garbage.html"
    page.write_bytes(bytes(range(256)) * 20)
    result = run_cli("extract", str(page), "--url", "https://x.vn/a.html")
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_export_without_database(tmp_path: Path) -> None:
    result = run_cli("export", "-o", str(tmp_path / "a.jsonl"), "--db", str(tmp_path / "none.db"))
    assert result.returncode == 2 and "no database" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_crawl_unknown_site() -> None:
    result = run_cli("crawl", "nosuchsite")
    assert result.returncode == 2 and "unknown site" in result.stderr


def test_sites_lists_every_site() -> None:
    from crawler.sites import SITES

    result = run_cli("sites")
    header, *rows = result.stdout.splitlines()
    assert header.split()[:2] == ["site", "platform"] and [line.split()[0] for line in rows] == list(SITES)
    assert "when named" in next(line for line in rows if line.startswith("caugiay"))
    # Aligned: every column starts where its header does.
    for column in ("platform", "crawled at", "enabled", "description"):
        start = header.index(column)
        assert all(row[start - 2 : start] == "  " and row[start] != " " for row in rows), column
