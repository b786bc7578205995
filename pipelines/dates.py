"""Publish date: the first candidate that parses, in order of trust (json-ld, meta, page label, url)."""

from __future__ import annotations

from crawler.items import ArticleItem
from crawler.parsing.dates import parse_date_from_url, parse_vn_datetime
from pipelines.base import ItemPipeline


class PublishDatePipeline(ItemPipeline):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        for source, text in item.date_candidates:
            parsed = parse_date_from_url(text) if source == "url" else parse_vn_datetime(text)
            if parsed is not None:
                item.published_at = parsed.isoformat()
                item.published_at_source = source
                item.published_at_text = text if source != "url" else None
                self.stats.inc_value(f"dates/source/{source}")
                return item
            if source != "url":
                self.stats.inc_value("dates/unparsed")
        item.published_at = item.published_at_source = None
        self.stats.inc_value("dates/missing")
        self.stats.inc_value(f"dates/missing/{item.site}")
        return item
