"""Conference facts: what meeting an article reports, read from its text and its site's own definition."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from crawler.items import ArticleItem
from crawler.parsing.conference import SiteContext, extract_conference
from crawler.sites import SITES
from pipelines.base import ItemPipeline


class ConferenceFactsPipeline(ItemPipeline):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        site = SITES.get(item.site)
        published = date.fromisoformat(item.published_at[:10]) if item.published_at else None
        # What the site implies on the day the article was published (a district portal became a ward's).
        locale = site.locale_at(published) if site else None
        context = SiteContext(locale.level, locale.locality, locale.province) if locale else SiteContext()
        facts = extract_conference(item.title or "", item.body or "", published, context)
        item.conference = asdict(facts)
        if facts.is_conference:
            self.stats.inc_value("conference/found")
            self.stats.inc_value(f"conference/found/{item.site}")
        return item
