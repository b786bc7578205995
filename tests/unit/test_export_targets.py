"""Where `crawler export -o` writes, decided before anything is written; `--since` and flag combinations.
Real files, FIFOs and symbolic links in a temporary directory."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from crawler.exporting import ExportRefused, check_filters, export_target, parse_since, remove_stale_temp_files
from crawler.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "crawl.db"
    Store(path).close()
    return path


def test_new_and_regular_files_are_replaced_atomically(tmp_path: Path, db: Path) -> None:
    assert export_target(str(tmp_path / "new.jsonl"), db).kind == "file"
    (tmp_path / "old.jsonl").write_text("x\n")
    target = export_target(str(tmp_path / "old.jsonl"), db)
    assert target.kind == "file" and target.note is None


def test_dash_is_stdout_and_fifos_are_written_through(tmp_path: Path, db: Path) -> None:
    assert export_target("-", db).kind == "stdout"
    os.mkfifo(tmp_path / "pipe")
    target = export_target(str(tmp_path / "pipe"), db)
    assert target.kind == "through" and "named pipe" in (target.note or "")
    assert export_target("/dev/null", db).kind == "through"


@pytest.mark.parametrize("name", ["crawl.db", "crawl.db-wal", "crawl.db-shm", "crawl.db-journal"])
def test_the_database_and_its_side_files_are_refused(tmp_path: Path, db: Path, name: str) -> None:
    with pytest.raises(ExportRefused, match="database"):
        export_target(str(tmp_path / name), db)


def test_symlinks_followed_only_to_regular_files(tmp_path: Path, db: Path) -> None:
    (tmp_path / "real.jsonl").write_text("")
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "real.jsonl")
    target = export_target(str(tmp_path / "link.jsonl"), db)
    assert target.kind == "file" and target.path == tmp_path / "real.jsonl" and "symbolic link" in (target.note or "")
    (tmp_path / "to-db.jsonl").symlink_to(db)
    with pytest.raises(ExportRefused):
        export_target(str(tmp_path / "to-db.jsonl"), db)
    (tmp_path / "dangling.jsonl").symlink_to(tmp_path / "missing" / "x")
    with pytest.raises(ExportRefused, match="to nothing"):
        export_target(str(tmp_path / "dangling.jsonl"), db)
    with pytest.raises(ExportRefused, match="directory"):
        export_target(str(tmp_path), db)


def test_stale_temp_files_removed_locked_ones_kept(tmp_path: Path) -> None:
    stale = tmp_path / ".a.jsonl.x1.export-tmp"
    stale.write_text("half an export")
    busy = tmp_path / ".b.jsonl.x2.export-tmp"
    other = tmp_path / ".hidden-notes"
    other.write_text("not ours")
    with busy.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert remove_stale_temp_files(tmp_path) == 1
    assert not stale.exists() and busy.exists() and other.exists()


@pytest.mark.parametrize("value", ["yesterday", "2024-13-45", "2024-02-30", "2024-1-5", "", "20241005"])
def test_since_must_be_a_calendar_date(value: str) -> None:
    with pytest.raises(ExportRefused, match="--since"):
        parse_since(value)


def test_since_accepts_a_date() -> None:
    assert parse_since("2024-02-29") == "2024-02-29" and parse_since(None) is None


def test_filter_combinations() -> None:
    check_filters(None, "2024-10-01", True, False)
    check_filters(None, "2024-10-01", False, True)
    check_filters("newsroom", None, False, False)
    for args in (("newsroom", "2024-10-01", False, False), ("newsroom", None, True, False), ("newsroom", None, False, True)):
        with pytest.raises(ExportRefused, match="cannot be combined"):
            check_filters(*args)
    with pytest.raises(ExportRefused, match="choose one"):
        check_filters(None, None, True, True)
