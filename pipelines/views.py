"""View counts: the number after 'Lượt xem' (null where the site shows none; never 0 by default)."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.parsing.numbers import parse_view_count
from pipelines.base import ItemPipeline

#: No article is read ten billion times; a larger number is a page fault, and SQLite's integers end at 2**63.
MAX_VIEW_COUNT = 10_000_000_000
#: A view label is a few words; only this much of a selection is parsed.
MAX_LABEL_CHARS = 500


class ViewCountPipeline(ItemPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        text = adapter.get("view_count_text")
        adapter["view_count"] = None
        if text:
            try:
                adapter["view_count"] = parse_view_count(text[:MAX_LABEL_CHARS])
            except (ValueError, OverflowError):  # int() of a 4,300+ digit string, float overflow
                self.warn("view_count_unparseable")
            if adapter["view_count"] is not None and not 0 <= adapter["view_count"] <= MAX_VIEW_COUNT:
                adapter["view_count"] = None
                self.warn("view_count_implausible")
        if text and adapter["view_count"] is None:
            self.stats.inc_value("views/unparsed")
        elif adapter["view_count"] is not None:
            self.stats.inc_value("views/parsed")
        return item
