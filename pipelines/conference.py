"""Conference facts: what meeting an article reports, read from its text and what its site implies (the item's
`site_context`, set by `read_page` from the site's definition)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from crawler.items import ArticleItem
from crawler.parsing.conference import SiteContext, extract_conference
from crawler.sites import DatedContext
from pipelines.base import ItemPipeline


class ConferenceFactsPipeline(ItemPipeline):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        context = item.site_context or SiteContext()
        published = date.fromisoformat(item.published_at[:10]) if item.published_at else None
        if isinstance(context, DatedContext):
            # What the site implied on the day the article was published (a district portal became a ward's).
            locale = context.at(published)
            context = SiteContext(locale.level, locale.locality, locale.province)
        facts = extract_conference(item.title or "", item.body or "", published, context)
        item.conference = asdict(facts)
        if facts.is_conference:
            self.stats.inc_value("conference/found")
            self.stats.inc_value(f"conference/found/{item.site}")
        return item
