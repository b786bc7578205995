"""Exports never destroy: the database and other SQLite files are refused, devices and FIFOs are written through,
`-o -` is standard output, symbolic links are followed only to regular files (and said so), flags are validated,
and the temporary file of a killed export is removed by the next one. Real SQLite files, real processes."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crawler.items import ArticleItem
from crawler.parsing.text import content_hash
from crawler.store import Store
from tests.conftest import ROOT, run_cli
from tests.test_conferences import facts, save

#: Every test here runs the real `crawler` command in a subprocess.
pytestmark = pytest.mark.slow


def make_db(path: Path, articles: int = 3) -> Path:
    store = Store(path)
    for n in range(articles):
        body = f"Bài viết số {n} về hội nghị Ban Chấp hành Đảng bộ quận. " * 10
        store.save(ArticleItem(
            url=f"https://a.vn/{n}", site="s", title=f"Tiêu đề {n}", body=body,
            published_at=f"2024-10-0{n + 1}T09:00:00+07:00", crawled_at="2024-10-05T10:00:00+07:00",
            content_hash=content_hash(body), conference={"is_conference": False},
        ))
    store.close()
    return path


def article_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- item 9: targets ----------------------------------------------------------------------------------------------

def test_export_onto_its_own_database_is_refused(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    result = run_cli("export", "--db", str(db), "-o", str(db))
    assert result.returncode == 2 and "is the database being exported" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes()[:16] == b"SQLite format 3\x00" and article_count(db) == 3


def test_export_onto_another_sqlite_file_or_a_side_file_is_refused(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    other = make_db(tmp_path / "other.sqlite", articles=1)
    result = run_cli("export", "--db", str(db), "-o", str(other))
    assert result.returncode == 2 and "is an SQLite database" in result.stderr
    assert article_count(other) == 1
    wal = tmp_path / "crawl.db-wal"
    result = run_cli("export", "--db", str(db), "-o", str(wal))
    assert result.returncode == 2 and "database" in result.stderr
    link = tmp_path / "looks-like.jsonl"
    link.symlink_to(db)
    result = run_cli("export", "--db", str(db), "-o", str(link))
    assert result.returncode == 2 and link.is_symlink() and article_count(db) == 3


def test_export_to_stdout_with_dash(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    result = run_cli("export", "--db", str(db), "-o", "-")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["url"] for r in records] == ["https://a.vn/0", "https://a.vn/1", "https://a.vn/2"]
    assert "wrote 3 articles to standard output" in result.stderr
    assert not (ROOT / "-").exists()


def test_export_writes_through_a_fifo(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run_cli("export", "--db", str(db), "-o", str(fifo), timeout=60)
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert "named pipe" in result.stderr and "writing through" in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert len(received[0].decode("utf-8").splitlines()) == 3


def test_export_to_a_full_device_fails_keeps_the_device_and_the_watermark(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    full = tmp_path / "full"
    try:
        os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a private node of the kernel's /dev/full
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    result = run_cli("export", "--db", str(db), "-o", str(full), "--consumer", "news")
    assert result.returncode == 1 and "No space left on device" in result.stderr
    assert stat.S_ISCHR(full.lstat().st_mode)  # still the device, not a regular file put in its place
    out = tmp_path / "news.jsonl"
    again = run_cli("export", "--db", str(db), "-o", str(out), "--consumer", "news")
    assert again.returncode == 0 and len(lines(out)) == 3  # the failed export did not move the watermark


def test_export_through_a_symlink_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    real = tmp_path / "exports" / "latest.jsonl"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    result = run_cli("export", "--db", str(db), "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert "symbolic link" in result.stderr and str(real) in result.stderr
    assert link.is_symlink() and len(lines(real)) == 3


def test_export_refuses_directories_and_dangling_links(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    result = run_cli("export", "--db", str(db), "-o", str(tmp_path))
    assert result.returncode == 2 and "is a directory" in result.stderr
    dangling = tmp_path / "gone.jsonl"
    dangling.symlink_to(tmp_path / "nowhere" / "x.jsonl")
    result = run_cli("export", "--db", str(db), "-o", str(dangling))
    assert result.returncode == 2 and "symbolic link to nothing" in result.stderr and dangling.is_symlink()


# --- item 10: temporary files of killed exports ----------------------------------------------------------------

def _grow(db: Path, doublings: int) -> int:
    """Copies of the stored rows under new URLs (plain SQL on the real file) until the export takes a while."""
    conn = sqlite3.connect(db)
    with conn:
        for n in range(doublings):
            conn.execute("CREATE TEMP TABLE copy AS SELECT * FROM articles")
            conn.execute("UPDATE copy SET url = url || '?c' || ?", [n])
            conn.execute("INSERT INTO articles SELECT * FROM copy")
            conn.execute("DROP TABLE copy")
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    return total


def test_killed_export_leaves_a_temp_file_the_next_export_removes(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    total = _grow(db, 14)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "all.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "export", "--db", str(db), "-o", str(out)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    temps: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None:
        temps = [p for p in out_dir.iterdir() if p.name.startswith(".all.jsonl.")]
        if temps and temps[0].stat().st_size > 0:
            break
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert temps and temps[0].exists() and not out.exists(), "the export was not caught mid-write"
    result = run_cli("export", "--db", str(db), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out_dir.iterdir()] == ["all.jsonl"]
    assert sum(1 for _ in out.open(encoding="utf-8")) == total


def test_temp_file_of_a_running_export_is_left_alone(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    busy = tmp_path / ".other.jsonl.abc123.export-tmp"
    with busy.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running export holds its own
        result = run_cli("export", "--db", str(db), "-o", str(tmp_path / "mine.jsonl"))
        assert result.returncode == 0 and busy.exists()


# --- item 11: flags ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("since", ["yesterday", "2024-13-45", "2024-02-30", "10/01/2024", ""])
def test_since_must_be_a_real_date(tmp_path: Path, since: str) -> None:
    db = make_db(tmp_path / "crawl.db")
    out = tmp_path / "out.jsonl"
    result = run_cli("export", "--db", str(db), "-o", str(out), "--since", since)
    assert result.returncode == 2 and "--since" in result.stderr and not out.exists()


def test_since_filters_articles(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    out = tmp_path / "out.jsonl"
    result = run_cli("export", "--db", str(db), "-o", str(out), "--since", "2024-10-02")
    assert result.returncode == 0 and [r["url"] for r in lines(out)] == ["https://a.vn/1", "https://a.vn/2"]


@pytest.mark.parametrize("flags", [["--since", "2024-10-01"], ["--conferences"], ["--conferences-only"]])
def test_consumer_refuses_filters_it_would_ignore(tmp_path: Path, flags: list[str]) -> None:
    db = make_db(tmp_path / "crawl.db")
    out = tmp_path / "out.jsonl"
    result = run_cli("export", "--db", str(db), "-o", str(out), "--consumer", "x", *flags)
    assert result.returncode == 2 and "cannot be combined" in result.stderr and not out.exists()
    ok = run_cli("export", "--db", str(db), "-o", str(out), "--consumer", "x")
    assert ok.returncode == 0 and len(lines(out)) == 3  # the refused export moved no watermark


def test_conferences_with_conferences_only_is_refused(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crawl.db")
    result = run_cli("export", "--db", str(db), "-o", str(tmp_path / "o.jsonl"), "--conferences", "--conferences-only")
    assert result.returncode == 2 and "choose one" in result.stderr


def test_conferences_honour_since(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    store = Store(db)
    save(store, "https://tx.vn/a", "thanhxuan", "2024-10-04T09:30:00+07:00", facts())
    save(store, "https://tx.vn/b", "thanhxuan", "2025-03-06T09:30:00+07:00",
         facts(session_number=25, held_on="2025-03-05", held_on_text="Sáng 5/3"))
    store.close()
    out = tmp_path / "conf.jsonl"
    result = run_cli("export", "--conferences", "--since", "2025-01-01", "-o", str(out), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert [r["held_on"] for r in lines(out)] == ["2025-03-05"]
