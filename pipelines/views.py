"""View counts: the number after 'Lượt xem' (null where the site shows none; never 0 by default)."""

from __future__ import annotations

from crawler.items import ArticleItem
from crawler.parsing.numbers import parse_view_count
from pipelines.base import ItemPipeline


class ViewCountPipeline(ItemPipeline):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        item.view_count = parse_view_count(item.view_count_text)
        if item.view_count_text and item.view_count is None:
            self.stats.inc_value("views/unparsed")
        elif item.view_count is not None:
            self.stats.inc_value("views/parsed")
        return item
