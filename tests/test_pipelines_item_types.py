"""Every pipeline reads and writes items through itemadapter, so a dict item (what a user's own spider or a
`scrapy shell` experiment yields) goes through the whole chain, store included, exactly like our dataclass."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from crawler.items import ArticleItem, to_record
from pipelines.base import CountingStats
from pipelines.conference import ConferenceFactsPipeline
from pipelines.dates import PublishDatePipeline
from pipelines.dedup import DedupPipeline
from pipelines.normalise import NormaliseTextPipeline
from pipelines.store import SqliteStorePipeline
from pipelines.validate import ValidatePipeline
from pipelines.views import ViewCountPipeline

# Synthetic text written for this test.
BODY = (
    "Kinhtedothi - Chiều 3/10, Ban Chấp hành Đảng bộ quận Thanh Xuân khóa VI tổ chức Hội nghị lần thứ 22 để "
    "đánh giá kết quả thực hiện nhiệm vụ 9 tháng năm 2024.\n\nHội nghị đã thảo luận và thống nhất các giải pháp "
    "trọng tâm cho những tháng cuối năm, với nhiều ý kiến đóng góp của các đại biểu."
)
CHAIN = (NormaliseTextPipeline, PublishDatePipeline, ViewCountPipeline, ConferenceFactsPipeline, ValidatePipeline,
         DedupPipeline, SqliteStorePipeline)


def raw_item() -> ArticleItem:
    return ArticleItem(
        url="https://kinhtedothi.vn/hoi-nghi-lan-thu-22.html", site="kinhtedothi",
        title="  Hội nghị   lần thứ 22 ", body=BODY, view_count_text="Lượt xem: 1.204",
        date_candidates=[("page label", "04/10/2024 | 09:30")], crawled_at="2024-10-05T10:00:00+07:00",
    )


def run_chain(item: Any, db: Path) -> tuple[Any, CountingStats]:
    stats = CountingStats()
    settings = Settings({"CRAWLER_DB_PATH": str(db)})
    for cls in CHAIN:
        item = cls.build(stats, settings).process_item(item)
    return item, stats


@pytest.mark.parametrize("kind", ["dataclass", "dict"])
def test_chain_accepts_any_item_type(kind: str, tmp_path: Path) -> None:
    item: Any = raw_item() if kind == "dataclass" else asdict(raw_item())
    db = tmp_path / f"{kind}.db"
    out, stats = run_chain(item, db)
    assert type(out) is type(item)
    record = to_record(out)
    assert record["title"] == "Hội nghị lần thứ 22"
    assert record["url"] == "https://kinhtedothi.vn/hoi-nghi-lan-thu-22.html"
    assert record["published_at"] == "2024-10-04T09:30:00+07:00"
    assert record["view_count"] == 1204
    assert record["conference"]["session_number"] == 22
    assert stats.get_value("store/new") == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT url, view_count FROM articles").fetchall() == [(record["url"], 1204)]


def test_validate_drops_a_dict_item_with_its_reason() -> None:
    stats = CountingStats()
    with pytest.raises(DropItem, match="no_title"):
        ValidatePipeline(stats, Settings()).process_item({"url": "https://a.vn/x", "site": "a", "title": "", "body": "ngắn"})
    assert stats.get_value("validate/dropped/no_title") == 1
