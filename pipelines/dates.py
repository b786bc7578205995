"""Publish date: the first candidate that parses, in order of trust (json-ld, meta, page label, url).

A candidate that parses to an impossible publish date (before 1990, or after the day after the fetch) is a page
fault (a CMS placeholder, a typo, a 2099 "sticky" date that would keep the article on the refresh list for ever):
it is skipped with a counted warning, and the next candidate is tried.
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


def plausible_publish_date(parsed: ParsedDate, fetched_at: str | None) -> bool:
    """Not before 1990 and not after the day after the fetch (time zones and clock skew allow one day)."""
    day = parsed.value.date()
    if day < EARLIEST_PUBLISH_DATE:
        return False
    if fetched_at:
        try:
            return day <= datetime.fromisoformat(fetched_at).date() + timedelta(days=1)
        except ValueError:
            return True
    return True


class PublishDatePipeline(ItemPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for source, text in adapter.get("date_candidates") or ():
            try:
                parsed = parse_date_from_url(text) if source == "url" else parse_vn_datetime(text[:MAX_DATE_TEXT_CHARS])
            except (ValueError, OverflowError, RecursionError):
                self.warn("date_unparseable")
                parsed = None
            if parsed is not None and not plausible_publish_date(parsed, adapter.get("crawled_at")):
                self.warn("date_implausible")
                continue
            if parsed is not None:
                adapter["published_at"] = parsed.isoformat()
                adapter["published_at_source"] = source
                adapter["published_at_text"] = text[:MAX_DATE_TEXT_CHARS] if source != "url" else None
                self.stats.inc_value(f"dates/source/{source}")
                return item
            if source != "url":
                self.stats.inc_value("dates/unparsed")
        adapter["published_at"] = adapter["published_at_source"] = None
        self.stats.inc_value("dates/missing")
        self.stats.inc_value(f"dates/missing/{adapter['site']}")
        return item
