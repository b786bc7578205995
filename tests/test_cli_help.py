"""Help that tells the truth: every argument explained with its default, wrong values refused when read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from importlib.metadata import version
from pathlib import Path

import pytest

from crawler.cli import build_parser
from crawler.replica.server import ReplicaServer
from crawler.sites import SITES
from crawler.store import Store
from tests.conftest import ROOT, run_cli


def help_of(*command: str) -> str:
    return run_cli(*command, "--help").stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"crawler {version('vn-conference-crawler')}"


@pytest.mark.parametrize("command", [("crawl",), ("schedule",), ("ingest",)])
def test_site_arguments_name_the_sites(command: tuple[str, ...]) -> None:
    text = " ".join(help_of(*command).split())
    assert all(name in text for name in SITES)


def test_every_option_has_help_and_defaults_are_stated() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    parsers = [*commands.values(), *next(a for a in commands["replica"]._actions if a.dest == "replica_command").choices.values()]
    for sub in parsers:
        for action in sub._actions:
            if action.dest in ("help", "command", "replica_command"):
                continue
            assert action.help, f"{sub.prog} {action.dest}"
            if action.default not in (None, False, [], "==SUPPRESS=="):
                assert str(action.default) in action.help, f"{sub.prog} {action.dest}: default {action.default} unstated"
    assert ".py" not in help_of("replica", "serve")


def test_schedule_takes_the_crawl_options() -> None:
    text = help_of("schedule")
    assert "--full" in text and "--log-level" in text and "--replica" in text


def test_replica_must_be_a_url() -> None:
    for bad in ("notaurl", "ftp://x", "http://", "http://h:port"):
        result = run_cli("crawl", "--replica", bad)
        assert result.returncode == 2 and "not a URL" in result.stderr, bad


def test_replica_index_links_work(replica: ReplicaServer) -> None:
    index = urllib.request.urlopen(replica.url + "/", timeout=10).read().decode()
    links = re.findall(r'href="([^"]+)"', index)
    assert len(links) == len(SITES)
    for link in links:
        assert urllib.request.urlopen(replica.url + link, timeout=10).status == 200


@pytest.mark.slow
def test_schedule_passes_full_and_log_level(replica: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = run_cli("schedule", "lechan", "--every", "1s", "--runs", "1", "--replica", replica.url, "--db", str(db))
    assert first.returncode == 0
    again = run_cli("schedule", "lechan", "--every", "1s", "--runs", "1", "--replica", replica.url, "--db", str(db),
                    "--full", "--log-level", "INFO")
    assert again.returncode == 0
    run = Store(db).runs.recent("lechan", limit=1)[0]
    assert run["skipped_stored"] == 0 and run["unchanged"] == 25  # --full fetched every stored article again
    assert "[crawler.progress] INFO: lechan: done" in again.stderr  # --log-level INFO reached the crawl


def _scrapy(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {**{k: v for k, v in os.environ.items() if not k.startswith("CRAWLER_")}, "CRAWLER_LOG_LEVEL": "WARNING", **env}
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_scrapy_parse_without_callback_on_a_stored_url(replica: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    assert run_cli("crawl", "lechan", "--replica", replica.url, "--db", str(db)).returncode == 0
    url = Store(db).db.execute("SELECT url FROM articles WHERE site = 'lechan' AND is_conference = 1 LIMIT 1").fetchone()[0]
    runs = len(Store(db).runs.recent())
    env = {"CRAWLER_REPLICA_URL": replica.url, "CRAWLER_DB": str(db)}
    article = _scrapy("parse", url, env=env)
    assert article.returncode == 0, article.stderr[-2000:]
    assert "Scraped Items" in article.stdout and f"'url': '{url}'" in article.stdout
    listing = _scrapy("parse", f"{replica.url}/lechan/tin-tuc-su-kien", env=env)
    assert listing.returncode == 0 and listing.stdout.count(f"{replica.url}/lechan/") >= 10  # the article links
    assert len(Store(db).runs.recent()) == runs  # a parse is not a run


def test_scrapy_check_says_how_sites_are_checked() -> None:
    result = _scrapy("check", env={})
    assert result.returncode == 0 and "tests/test_site_fixtures.py" in result.stderr and "0 contracts" not in result.stderr
