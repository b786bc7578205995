"""Conference facts: what meeting an article reports, read from its text and what its site implies (the item's
`site_context`, set by `read_page` from the site's definition)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from itemadapter import ItemAdapter

from crawler.parsing.conference import ConferenceFacts, SiteContext, extract_conference
from crawler.sites import DatedContext
from pipelines.base import ItemPipeline

#: A term or session number beyond this is a page fault (no committee meets ten thousand times), and an
#: unbounded one does not fit SQLite's integers.
MAX_ORDINAL = 10_000


_FACT_FIELDS = tuple(f.name for f in fields(ConferenceFacts))


def as_record(facts: ConferenceFacts) -> dict[str, Any]:
    """`dataclasses.asdict(facts)` for a record of scalars and lists of strings (a new list each), without its
    recursive deep copy, which cost a tenth of the stage."""
    record: dict[str, Any] = {}
    for name in _FACT_FIELDS:
        value = getattr(facts, name)
        record[name] = list(value) if isinstance(value, list) else value
    return record


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
        try:
            facts = extract_conference(adapter.get("title") or "", adapter.get("body") or "", published, context)
        except (ValueError, OverflowError, RecursionError):  # an odd number or date in the text: no facts, not no article
            self.warn("conference_unparseable")
            facts = extract_conference("", "", None, context)
        conference = as_record(facts)
        for name, value in conference.items():
            if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_ORDINAL:
                conference[name] = None
                self.warn("conference_number_implausible")
        adapter["conference"] = conference
        if facts.is_conference:
            self.stats.inc_value("conference/found")
            self.stats.inc_value(f"conference/found/{adapter['site']}")
        return item
