"""View counts: the number after 'Lượt xem' (null where the site shows none; never 0 by default)."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.parsing.numbers import parse_view_count
from pipelines.base import ItemPipeline


class ViewCountPipeline(ItemPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        text = adapter.get("view_count_text")
        adapter["view_count"] = parse_view_count(text)
        if text and adapter["view_count"] is None:
            self.stats.inc_value("views/unparsed")
        elif adapter["view_count"] is not None:
            self.stats.inc_value("views/parsed")
        return item
