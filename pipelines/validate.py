"""Validation: drop items that are not usable articles, each drop counted with its reason.

There is no minimum body length: whether a page is one article is decided from its structure by the extractor
(`crawler/extraction/page_kind.py`), and a two-sentence brief is as much an article as a long report.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from pipelines.base import ItemPipeline


class ValidatePipeline(ItemPipeline):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        reason = self._problem(item)
        if reason:
            self.stats.inc_value(f"validate/dropped/{reason}")
            self.stats.inc_value(f"validate/dropped_by_site/{item.site}")
            raise DropItem(f"{reason}: {item.url}")
        return item

    @staticmethod
    def _problem(item: ArticleItem) -> str | None:
        if not item.url or not item.url.startswith(("http://", "https://")):
            return "bad_url"
        if not item.title:
            return "no_title"
        if not item.body:
            return "no_body"
        if item.view_count is not None and item.view_count < 0:
            return "negative_view_count"
        if "\ufffd" in (item.title or "") + (item.body or ""):
            return "encoding_errors"  # bytes that did not decode: storing them would be silently wrong text
        return None
