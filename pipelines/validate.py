"""Validation: drop items that are not usable articles, each drop counted with its reason.

There is no minimum body length: whether a page is one article is decided from its structure by the extractor
(`crawler/extraction/page_kind.py`), and a two-sentence brief is as much an article as a long report.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from pipelines.base import ItemPipeline


class ValidatePipeline(ItemPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        reason = self._problem(adapter)
        if reason:
            self.stats.inc_value(f"validate/dropped/{reason}")
            self.stats.inc_value(f"validate/dropped_by_site/{adapter.get('site')}")
            raise DropItem(f"{reason}: {adapter.get('url')}")
        return item

    @staticmethod
    def _problem(item: ItemAdapter) -> str | None:
        url, title, body, views = item.get("url"), item.get("title"), item.get("body"), item.get("view_count")
        if not url or not url.startswith(("http://", "https://")):
            return "bad_url"
        if not title:
            return "no_title"
        if not body:
            return "no_body"
        if views is not None and views < 0:
            return "negative_view_count"
        if "\ufffd" in title + body:
            return "encoding_errors"  # bytes that did not decode: storing them would be silently wrong text
        return None
