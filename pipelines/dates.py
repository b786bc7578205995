"""Publish date: the first candidate that parses, in order of trust (json-ld, meta, page label, url).

A relative page label ("2 giờ trước") is resolved against the moment the page was fetched (`crawled_at`, set from
the response's fetch time), never against the clock of whoever runs the pipeline later, and its source says so:
`relative label`.
"""

from __future__ import annotations

from datetime import datetime

from crawler.items import ArticleItem
from crawler.parsing.dates import parse_date_from_url, parse_vn_datetime
from pipelines.base import ItemPipeline

#: Sources that are read off the page's own printed label; the generic reader's labels count as these.
PRINTED_SOURCES = frozenset({"page label", "relative label"})


class PublishDatePipeline(ItemPipeline):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        fetched_at = datetime.fromisoformat(item.crawled_at) if item.crawled_at else None
        for source, text in item.date_candidates:
            if source == "url":
                parsed = parse_date_from_url(text)
            else:
                parsed = parse_vn_datetime(text, relative_to=fetched_at)
            if parsed is not None:
                if parsed.relative:
                    source = "relative label"
                item.published_at = parsed.isoformat()
                item.published_at_source = source
                item.published_at_text = text if source != "url" else None
                self.stats.inc_value(f"dates/source/{source}")
                self._settle_fallback(item)
                return item
            if source != "url":
                self.stats.inc_value("dates/unparsed")
        item.published_at = item.published_at_source = None
        self._settle_fallback(item)
        self.stats.inc_value("dates/missing")
        self.stats.inc_value(f"dates/missing/{item.site}")
        return item

    @staticmethod
    def _settle_fallback(item: ArticleItem) -> None:
        """`published_at` came from the generic reader only if a printed label won; structured data or the URL
        are read the same way on every page."""
        if "published_at" in item.fallback_fields and item.published_at_source not in PRINTED_SOURCES:
            item.fallback_fields.remove("published_at")
