"""Conference facts: what meeting an article reports, read from its text and what its site implies (the item's
`site_context`, set by `read_page` from the site's definition)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from crawler.items import ArticleItem
from crawler.parsing.conference import SiteContext, extract_conference
from pipelines.base import ItemPipeline

#: A term or session number beyond this is a page fault (no committee meets ten thousand times), and an
#: unbounded one does not fit SQLite's integers.
MAX_ORDINAL = 10_000


class ConferenceFactsPipeline(ItemPipeline):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        context = item.site_context or SiteContext()
        published = date.fromisoformat(item.published_at[:10]) if item.published_at else None
        try:
            facts = extract_conference(item.title or "", item.body or "", published, context)
        except (ValueError, OverflowError, RecursionError):  # an odd number or date in the text: no facts, not no article
            self.warn("conference_unparseable")
            facts = extract_conference("", "", None, context)
        item.conference = asdict(facts)
        for name, value in item.conference.items():
            if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_ORDINAL:
                item.conference[name] = None
                self.warn("conference_number_implausible")
        if facts.is_conference:
            self.stats.inc_value("conference/found")
            self.stats.inc_value(f"conference/found/{item.site}")
        return item
