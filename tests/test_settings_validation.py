"""Every setting is validated at start: one clear line naming the variable, exit 2, nothing crawled or locked."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config_validation import SettingError, check_setting, validate_environment
from crawler.replica.server import ReplicaServer
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("CRAWLER_CONCURRENCY", "0", "must be a whole number from 1 to 256"),
        ("CRAWLER_CONCURRENCY", "abc", "must be a whole number"),
        ("CRAWLER_DOWNLOAD_MAXSIZE", "10MB", "without a unit"),
        ("CRAWLER_REFRESH_DAYS", "7d", "without a unit"),
        ("CRAWLER_DOWNLOAD_DELAY", "-1", "from 0"),
        ("CRAWLER_DOWNLOAD_TIMEOUT", "0", "more than 0"),
        ("CRAWLER_DOWNLOAD_TIMEOUT", "nan", "must be a number"),
        ("CRAWLER_ROBOTS_CACHE_HOURS", "inf", "must be a number"),
        ("CRAWLER_INCREMENTAL", "maybe", "must be one of"),
        ("CRAWLER_LOG_LEVEL", "LOUD", "DEBUG, INFO"),
        ("CRAWLER_REPLICA_URL", "127.0.0.1:8800", "http://"),
        ("CRAWLER_BASE_URL_LECHAN", "http://host:99999", "port"),
    ],
)
def test_bad_values_give_one_line_naming_the_setting(name: str, raw: str, expected: str) -> None:
    with pytest.raises(SettingError) as caught:
        check_setting(name, raw)
    message = str(caught.value)
    assert message.startswith(f"{name}={raw!r}: ") and expected in message and "\n" not in message


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [("CRAWLER_CONCURRENCY", "8", 8), ("CRAWLER_DOWNLOAD_DELAY", "0.25", 0.25), ("CRAWLER_INCREMENTAL", "no", False),
     ("CRAWLER_LOG_LEVEL", "warning", "WARNING"), ("CRAWLER_REPLICA_URL", "http://127.0.0.1:8800/", "http://127.0.0.1:8800")],
)
def test_good_values_pass(name: str, raw: str, value: object) -> None:
    assert check_setting(name, raw) == value


def test_every_bad_value_is_reported_at_once() -> None:
    with pytest.raises(SettingError) as caught:
        validate_environment({"CRAWLER_CONCURRENCY": "0", "CRAWLER_REFRESH_DAYS": "7d", "HOME": "/root", "CRAWLER_DB": "x"})
    assert str(caught.value).splitlines() == [
        "CRAWLER_CONCURRENCY='0': must be a whole number from 1 to 256 (requests in flight per site)",
        "CRAWLER_REFRESH_DAYS='7d': must be a whole number from 0 to 3650 (days); write the plain number, without a unit",
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "raw"),
    [("CRAWLER_CONCURRENCY", "0"), ("CRAWLER_CONCURRENCY", "abc"), ("CRAWLER_DOWNLOAD_MAXSIZE", "10MB"),
     ("CRAWLER_REFRESH_DAYS", "7d")],
)
def test_crawl_with_a_bad_setting_exits_2_with_one_line(replica: ReplicaServer, tmp_path: Path, name: str, raw: str) -> None:
    db = tmp_path / "c.db"
    result = run_cli("crawl", "lechan", "--replica", replica.url, "--db", str(db), env={name: raw}, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and f"{name}={raw!r}" in result.stderr
    assert not db.exists() and not (tmp_path / ".locks").exists()


@pytest.mark.slow
def test_bad_log_level_and_replica_options_exit_2_without_a_traceback(tmp_path: Path) -> None:
    result = run_cli("crawl", "lechan", "--log-level", "chatty", "--db", str(tmp_path / "c.db"))
    assert result.returncode == 2 and "--log-level" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("crawl", "lechan", "--replica", "localhost:8800", "--db", str(tmp_path / "c.db"))
    assert result.returncode == 2 and "--replica" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_scrapy_crawl_with_a_bad_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    """Scrapy's own command line reads the same settings: one line, no import traceback, exit 2, nothing made."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "CRAWLER_CONCURRENCY": "0", "CRAWLER_DB": str(tmp_path / "c.db")}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "lechan"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.strip().splitlines() == ["scrapy: CRAWLER_CONCURRENCY='0': must be a whole number from 1 to 256 (requests in flight per site)"]
    assert not (tmp_path / "c.db").exists()
