"""ViewCountPipeline: a printed count parsed, an unreadable one counted, an absent one null (never 0)."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler.items import ArticleItem
from pipelines.base import CountingStats
from pipelines.views import ViewCountPipeline


@pytest.mark.parametrize(
    ("text", "count", "stat"),
    [("Lượt xem: 3.440", 3440, "views/parsed"), ("Lượt xem: nhiều", None, "views/unparsed"), (None, None, None)],
)
def test_view_counts(text: str | None, count: int | None, stat: str | None) -> None:
    stats = CountingStats()
    item = ViewCountPipeline.build(stats, Settings()).process_item(ArticleItem(url="u", site="s", view_count_text=text))
    assert item.view_count == count
    assert stats.values == ({stat: 1} if stat else {})
