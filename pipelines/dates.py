"""Publish date: the first candidate that parses, in order of trust (json-ld, meta, page label, url)."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.parsing.dates import parse_date_from_url, parse_vn_datetime
from pipelines.base import ItemPipeline


class PublishDatePipeline(ItemPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for source, text in adapter.get("date_candidates") or ():
            parsed = parse_date_from_url(text) if source == "url" else parse_vn_datetime(text)
            if parsed is not None:
                adapter["published_at"] = parsed.isoformat()
                adapter["published_at_source"] = source
                adapter["published_at_text"] = text if source != "url" else None
                self.stats.inc_value(f"dates/source/{source}")
                return item
            if source != "url":
                self.stats.inc_value("dates/unparsed")
        adapter["published_at"] = adapter["published_at_source"] = None
        self.stats.inc_value("dates/missing")
        self.stats.inc_value(f"dates/missing/{adapter['site']}")
        return item
