"""Grouping articles into conferences on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.items import ArticleItem
from crawler.neardup import signature, to_bytes
from crawler.parsing.text import content_hash
from crawler.store import Store
from tests.conftest import run_cli


def facts(**kw: Any) -> dict[str, Any]:
    base = {"is_conference": True, "organ_normalized": "Ban Chấp hành Đảng bộ quận Thanh Xuân", "level": "quận",
            "locality": "Thanh Xuân", "province": "Hà Nội", "term": "VI", "term_number": 6, "term_period": None,
            "session_number": 22, "held_on": "2024-10-03", "held_on_text": "Chiều 3/10", "presided_by": [],
            "attendees": [], "targets": [], "review_period": None}
    base.update(kw)
    return base


def save(store: Store, url: str, site: str, published: str, conference: dict[str, Any], body: str | None = None) -> None:
    text = body or f"Bài viết {url} về hội nghị. " * 20
    item = ArticleItem(url=url, site=site, title="T", body=text, published_at=published, crawled_at=published,
                       content_hash=content_hash(text), conference=conference)
    store.save(item, minhash=to_bytes(signature(text)))


def conferences(store: Store) -> list[dict[str, Any]]:
    return list(store.conferences)


def test_reports_from_two_sites_are_one_conference(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    save(store, "https://kdt.vn/a", "kinhtedothi", "2024-10-03T20:05:00+07:00", facts(presided_by=["Bùi Huyền Mai"]))
    save(store, "https://tx.vn/b", "thanhxuan", "2024-10-04T09:30:00+07:00", facts(term=None, term_number=None, held_on_text="Chiều qua"))
    rows = conferences(store)
    assert len(rows) == 1
    conference = rows[0]
    assert conference["id"] == "quan-thanh-xuan-hn22-2024"
    assert conference["article_count"] == 2 and conference["sites"] == ["kinhtedothi", "thanhxuan"]
    assert conference["term"] == "VI" and conference["presided_by"] == ["Bùi Huyền Mai"]  # most complete wins
    assert conference["disagreements"] == {"held_on_text": ["Chiều 3/10", "Chiều qua"]}
    assert [a["url"] for a in conference["articles"]] == ["https://kdt.vn/a", "https://tx.vn/b"]


def test_same_number_other_term_is_another_conference(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    save(store, "https://tx.vn/2019", "thanhxuan", "2019-04-06T09:00:00+07:00", facts(term="V", term_number=5, held_on="2019-04-05"))
    save(store, "https://tx.vn/2024", "thanhxuan", "2024-10-04T09:30:00+07:00", facts())
    # Without a term, five years apart: still two conferences (the date keeps them apart), ids stay unique.
    save(store, "https://kdt.vn/2029", "kinhtedothi", "2029-10-04T09:30:00+07:00", facts(term=None, term_number=None, held_on="2029-10-03"))
    assert sorted(c["id"] for c in conferences(store)) == ["quan-thanh-xuan-hn22-2019", "quan-thanh-xuan-hn22-2024", "quan-thanh-xuan-hn22-2029"]


def test_changed_facts_move_the_article(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    save(store, "https://tx.vn/b", "thanhxuan", "2024-10-04T09:30:00+07:00", facts())
    save(store, "https://tx.vn/b", "thanhxuan", "2024-10-04T09:30:00+07:00", facts(session_number=23), body="Sửa lại: lần thứ 23. " * 30)
    assert [c["id"] for c in conferences(store)] == ["quan-thanh-xuan-hn23-2024"]
    save(store, "https://tx.vn/b", "thanhxuan", "2024-10-04T09:30:00+07:00", {"is_conference": False}, body="Tin khác. " * 40)
    assert conferences(store) == []


def test_near_duplicate_copy_is_linked(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    text = "Chiều 3/10, Ban Chấp hành Đảng bộ quận tổ chức Hội nghị lần thứ 22 đánh giá kết quả 9 tháng. " * 3 + " ".join(f"câu {i} nội dung" for i in range(80))
    save(store, "https://kdt.vn/a", "kinhtedothi", "2024-10-03T20:05:00+07:00", facts(), body=text)
    edited = text + " Quang cảnh hội nghị."
    item = ArticleItem(url="https://tx.vn/b", site="thanhxuan", title="T", body=edited, published_at="2024-10-04T09:30:00+07:00",
                       content_hash=content_hash(edited), conference=facts(), crawled_at="2024-10-04T10:00:00+07:00")
    match = store.articles.find_near_duplicate(to_bytes(signature(edited)), exclude=item.url)
    assert match is not None and match[0] == "https://kdt.vn/a" and item.content_hash != content_hash(text)
    store.save(item, copy_of=match[0], minhash=to_bytes(signature(edited)))
    assert store.articles.get("https://tx.vn/b")["duplicate_of"] == "https://kdt.vn/a"


@pytest.mark.slow
def test_export_conferences_cli(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    store = Store(db)
    save(store, "https://kdt.vn/a", "kinhtedothi", "2024-10-03T20:05:00+07:00", facts())
    save(store, "https://tx.vn/b", "thanhxuan", "2024-10-04T09:30:00+07:00", facts())
    store.close()
    out = tmp_path / "conferences.jsonl"
    result = run_cli("export", "--conferences", "-o", str(out), "--db", str(db))
    assert result.returncode == 0 and "wrote 1 conferences" in result.stdout
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["locality"] == "Thanh Xuân" and len(record["articles"]) == 2
