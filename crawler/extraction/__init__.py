"""Page -> `ArticleItem`: the one entry point both the spiders and `crawler extract` use.

Site selectors first; when they find no body the generic fallback takes over and the item says so
(`extraction="fallback"`), so a site redesign shows up in the run's counts instead of as silently empty items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from parsel import Selector
from scrapy.http import TextResponse

from crawler.extraction.decoding import browser_decoded
from crawler.extraction.fallback import NotAnArticle, read_fallback
from crawler.extraction.site import PageParts, read_with_selectors, select
from crawler.extraction.structured import read_structured
from crawler.items import ArticleItem
from crawler.parsing.dates import VN_TZ
from crawler.sites import SiteDefinition


@dataclass(frozen=True)
class Skipped:
    """A page that yields no item, with the reason counted in the crawl's stats."""

    reason: str
    detail: str = ""


def extract_article(
    response: TextResponse, site: SiteDefinition | None, site_name: str | None = None
) -> ArticleItem | Skipped:
    """Build the item for one page. `site` None means an unknown site: only the fallback applies."""
    response, warnings = browser_decoded(response)
    selector = Selector(text=response.text, base_url=response.url)
    data = read_structured(selector)
    parts: PageParts | None = None
    extraction = "site"
    if site is not None:
        if select(selector, site.selectors.listing_links):
            return Skipped("non_article", "listing page")
        parts = read_with_selectors(selector, site.selectors, response.urljoin)
        if parts is not None and not parts.title:
            parts = None
    if parts is None:
        extraction = "fallback"
        try:
            parts = read_fallback(selector, response.text, response.url, data)
        except NotAnArticle as exc:
            return Skipped("non_article", str(exc))
    dates = [*data.date_candidates(), *parts.date_labels]
    if not parts.author:
        parts.author = data.author()
    return ArticleItem(
        url=response.url,
        site=site.name if site else (site_name or ""),
        title=parts.title,
        summary=parts.summary,
        body="\n\n".join(parts.paragraphs),
        images=parts.images,
        author=parts.author,
        category=parts.category or data.meta.get("article:section"),
        tags=parts.tags or [t.strip() for t in data.meta.get("keywords", "").split(",") if t.strip()],
        view_count_text=parts.view_label,
        source_url=parts.source_url,
        crawled_at=datetime.now(VN_TZ).isoformat(timespec="seconds"),
        extraction=extraction,
        date_candidates=[*dates, ("url", response.url)],
        canonical_url=data.canonical,
        warnings=[*warnings, *data.warnings],
    )
