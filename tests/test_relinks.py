"""A stored article that later becomes a copy of another (`duplicate_of` set afterwards) is a change that
consumers receive: its change number moves. A real SQLite file and the real export command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.items import ArticleItem
from crawler.parsing.text import content_hash
from crawler.store import Store
from tests.conftest import run_cli

#: Every test here runs the real `crawler` command in a subprocess.
pytestmark = pytest.mark.slow

BODY = "Chiều 3/10, Ban Chấp hành Đảng bộ quận tổ chức hội nghị lần thứ 22, đánh giá kết quả chín tháng. " * 5


def article(url: str, published: str, site: str) -> ArticleItem:
    return ArticleItem(url=url, site=site, title="Hội nghị lần thứ 22", body=BODY, published_at=published,
                       crawled_at=published, content_hash=content_hash(BODY), conference={"is_conference": False})


def consumer_export(db: Path, out: Path) -> dict[str, dict]:
    result = run_cli("export", "--db", str(db), "--consumer", "newsroom", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return {r["url"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def test_an_article_relinked_as_a_copy_reaches_the_consumer(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    later = article("https://tx.vn/hoi-nghi-22", "2024-10-04T09:30:00+07:00", "thanhxuan")
    store = Store(db)
    store.save(later)
    store.close()
    first = consumer_export(db, tmp_path / "1.jsonl")
    assert first[later.url]["duplicate_of"] is None
    # The original, published a day earlier on another site, is found later: the stored article becomes its copy.
    earlier = article("https://kdt.vn/hoi-nghi-22.html", "2024-10-03T20:05:00+07:00", "kinhtedothi")
    store = Store(db)
    store.save(earlier, copy_of=later.url)
    assert store.articles.get(later.url)["duplicate_of"] == earlier.url
    store.close()
    second = consumer_export(db, tmp_path / "2.jsonl")
    assert set(second) == {earlier.url, later.url}
    assert second[later.url]["duplicate_of"] == earlier.url
    assert consumer_export(db, tmp_path / "3.jsonl") == {}
