"""Publish date: the first candidate that parses, in order of trust (json-ld, meta, page label, url).

A candidate that parses to an impossible publish date (before 1990, or after the day after the fetch) is a page
fault (a CMS placeholder, a typo, a 2099 "sticky" date that would keep the article on the refresh list for ever):
it is skipped with a counted warning, and the next candidate is tried.

A relative page label ("2 giờ trước") is resolved against the moment the page was fetched (`crawled_at`, set from
the response's fetch time), never against the clock of whoever runs the pipeline later, and its source says so:
`relative label`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from itemadapter import ItemAdapter

from crawler.parsing.dates import ParsedDate, parse_date_from_url, parse_vn_datetime
from pipelines.base import ItemPipeline

EARLIEST_PUBLISH_DATE = date(1990, 1, 1)
#: A date label is a short line; only this much of a selection is parsed (dateparser on a megabyte never ends).
MAX_DATE_TEXT_CHARS = 300


def plausible_publish_date(parsed: ParsedDate, fetched_at: datetime | None) -> bool:
    """Not before 1990 and not after the day after the fetch (time zones and clock skew allow one day)."""
    day = parsed.value.date()
    if day < EARLIEST_PUBLISH_DATE:
        return False
    return fetched_at is None or day <= fetched_at.date() + timedelta(days=1)


#: Sources that are read off the page's own printed label; the generic reader's labels count as these.
PRINTED_SOURCES = frozenset({"page label", "relative label"})


class PublishDatePipeline(ItemPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        crawled_at = adapter.get("crawled_at")
        fetched_at = datetime.fromisoformat(crawled_at) if crawled_at else None
        for source, text in adapter.get("date_candidates") or ():
            try:
                if source == "url":
                    parsed = parse_date_from_url(text)
                else:
                    parsed = parse_vn_datetime(text[:MAX_DATE_TEXT_CHARS], relative_to=fetched_at)
            except (ValueError, OverflowError, RecursionError):
                self.warn("date_unparseable")
                parsed = None
            if parsed is not None and not plausible_publish_date(parsed, fetched_at):
                self.warn("date_implausible")
                continue
            if parsed is not None:
                if parsed.relative:
                    source = "relative label"
                adapter["published_at"] = parsed.isoformat()
                adapter["published_at_source"] = source
                adapter["published_at_text"] = text[:MAX_DATE_TEXT_CHARS] if source != "url" else None
                self.stats.inc_value(f"dates/source/{source}")
                self._settle_fallback(adapter)
                return item
            if source != "url":
                self.stats.inc_value("dates/unparsed")
        adapter["published_at"] = adapter["published_at_source"] = None
        self._settle_fallback(adapter)
        self.stats.inc_value("dates/missing")
        self.stats.inc_value(f"dates/missing/{adapter['site']}")
        return item

    @staticmethod
    def _settle_fallback(adapter: ItemAdapter) -> None:
        """`published_at` came from the generic reader only if a printed label won; structured data or the URL
        are read the same way on every page."""
        fields = adapter.get("fallback_fields") or []
        if "published_at" in fields and adapter.get("published_at_source") not in PRINTED_SOURCES:
            adapter["fallback_fields"] = [f for f in fields if f != "published_at"]
