"""What `--db` points at: a non-SQLite or corrupt file gives one line and exit 2 (never a traceback, never
a change to the file); a database written by a newer crawler is used with a warning. Real files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.replica.server import ReplicaServer
from tests.conftest import run_cli
from tests.test_export_safety import make_db

#: Every test here runs the real `crawler` command in a subprocess.
pytestmark = pytest.mark.slow


def one_line(stderr: str) -> bool:
    return len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr


@pytest.mark.parametrize("command", [["runs"], ["export", "-o", "OUT"], ["export", "--consumer", "x", "-o", "OUT"]])
def test_a_file_that_is_not_sqlite_gives_one_line(tmp_path: Path, command: list[str]) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("Ghi chú họp chi bộ, không phải cơ sở dữ liệu.\n" * 50, encoding="utf-8")
    before = notes.read_bytes()
    args = [str(tmp_path / "out.jsonl") if a == "OUT" else a for a in command]
    result = run_cli(*args, "--db", str(notes))
    assert result.returncode == 2 and one_line(result.stderr), result.stderr
    assert "not an SQLite database" in result.stderr and str(notes) in result.stderr
    assert notes.read_bytes() == before


def test_crawl_into_a_file_that_is_not_sqlite_gives_one_line(replica: ReplicaServer, tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"\x00\x01garbage" * 500)
    result = run_cli("crawl", "lechan", "--replica", replica.url, "--db", str(notes))
    assert result.returncode == 2 and one_line(result.stderr), result.stderr
    assert "not an SQLite database" in result.stderr
    assert notes.read_bytes() == b"\x00\x01garbage" * 500 and not (tmp_path / ".locks").exists()


def test_a_corrupt_database_gives_one_line(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db", articles=3)
    data = bytearray(db.read_bytes())
    page = 4096
    data[100 : 100 + page] = b"\xff" * page  # the schema page, past the file header: real corruption
    db.write_bytes(bytes(data))
    for command in (["runs"], ["export", "-o", str(tmp_path / "out.jsonl")]):
        result = run_cli(*command, "--db", str(db))
        assert result.returncode == 2 and one_line(result.stderr), result.stderr
        assert "corrupt" in result.stderr or "malformed" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_a_database_from_a_newer_crawler_is_used_with_a_warning(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db", articles=3)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO _migrations (version, applied_at) VALUES (99, datetime('now'))")
    conn.close()
    out = tmp_path / "out.jsonl"
    result = run_cli("export", "--db", str(db), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "newer" in result.stderr and str(db) in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
