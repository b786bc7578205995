"""Conference facts: what meeting an article reports, read from its text and what its site implies (the item's
`site_context`, set by `read_page` from the site's definition)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from itemadapter import ItemAdapter

from crawler.parsing.conference import SiteContext, extract_conference
from crawler.sites import DatedContext
from pipelines.base import ItemPipeline


class ConferenceFactsPipeline(ItemPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        published_at = adapter.get("published_at")
        published = date.fromisoformat(published_at[:10]) if published_at else None
        context = adapter.get("site_context") or SiteContext()
        if isinstance(context, DatedContext):
            # What the site implied on the day the article was published (a district portal became a ward's).
            locale = context.at(published)
            context = SiteContext(locale.level, locale.locality, locale.province)
        facts = extract_conference(adapter.get("title") or "", adapter.get("body") or "", published, context)
        adapter["conference"] = asdict(facts)
        if facts.is_conference:
            self.stats.inc_value("conference/found")
            self.stats.inc_value(f"conference/found/{adapter['site']}")
        return item
