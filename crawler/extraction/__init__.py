"""Page -> `ArticleItem`: `read_page(response, site, fetched_at)` is the one composition every reader uses (the
spiders, `crawler extract`, the fixture tests and the benches); `extract_article` is its pure reading step.

The site's parser versions first: the version valid on the page's publish date (from its structured data),
then every other version, newest first; the item records the version that read it (`parser_version`). When no
version finds a body, the generic reader (`generic.py`) takes over and the item says so (`extraction="fallback"`);
when the version misses another field, the generic reader fills that field and the item lists it in
`fallback_fields` (`field_merge.py`). A site redesign shows up in the run's counts instead of as silently
empty items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from parsel import Selector
from scrapy.http import TextResponse

from crawler.extraction.decoding import browser_decoded
from crawler.extraction.field_merge import merge_parts
from crawler.extraction.generic import NotAnArticle, read_generic
from crawler.extraction.site import PageParts, nodes, read_with_selectors
from crawler.extraction.structured import read_structured
from crawler.items import ArticleItem
from crawler.parsing.conference import SiteContext
from crawler.parsing.dates import VN_TZ, parse_vn_datetime
from crawler.sites import ParserVersion, SiteDefinition, article_url


@dataclass(frozen=True)
class Skipped:
    """A page that yields no item, with the reason counted in the crawl's stats."""

    reason: str
    detail: str = ""


def extract_article(
    response: TextResponse, site: SiteDefinition | None, site_name: str | None = None
) -> ArticleItem | Skipped:
    """Read the item's fields from one page (no clock, no headers). `site` None means an unknown site: only the
    generic reader applies."""
    response, warnings = browser_decoded(response)
    selector = Selector(text=response.text, base_url=response.url)
    data = read_structured(selector)
    parts: PageParts | None = None
    version: ParserVersion | None = None
    if site is not None:
        version, parts = read_with_versions(selector, site, data.date_candidates(), response.urljoin)
        if parts is None and any(nodes(selector.root, query) for query in site.listing_link_selectors()):
            return Skipped("non_article", "listing page")
    try:
        merged = merge_parts(parts, version.selectors if version else None, lambda: read_generic(selector, response.url, data))
    except NotAnArticle as exc:
        return Skipped("non_article", str(exc))
    parts, extraction = merged.parts, merged.extraction
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
        extraction=extraction,
        parser_version=version.name if version else None,
        fallback_fields=merged.fallback_fields,
        date_candidates=[*dates, ("url", response.url)],
        canonical_url=data.canonical,
        warnings=[*warnings, *data.warnings],
    )


def publish_day_hint(candidates: list[tuple[str, str]]) -> date | None:
    """The publish day the page's structured data states, used only to pick the parser version to try first."""
    for _, text in candidates:
        parsed = parse_vn_datetime(text)
        if parsed is not None:
            return parsed.value.date()
    return None


def read_with_versions(
    selector: Selector, site: SiteDefinition, date_candidates: list[tuple[str, str]], urljoin: callable
) -> tuple[ParserVersion | None, PageParts | None]:
    """The first of the site's parser versions (publish date's version first) that reads a title and a body; else
    the first that reads a body (the generic reader then fills what it missed)."""
    body_only: tuple[ParserVersion, PageParts] | None = None
    for version in site.versions_for(publish_day_hint(date_candidates)):
        parts = read_with_selectors(selector, version.selectors, urljoin)
        if parts is not None and parts.title:
            return version, parts
        if parts is not None and body_only is None:
            body_only = (version, parts)
    return body_only if body_only else (None, None)


def read_page(
    response: TextResponse, site: SiteDefinition | None, fetched_at: datetime, site_name: str | None = None
) -> ArticleItem | Skipped:
    """The item for a page fetched at `fetched_at` (aware): its fields, its identity (`article_url`, with the
    page's same-host rel=canonical) and the link it was fetched under, what its site implies about the
    conferences it reports (`site_context`), and the response's HTTP validators.
    The caller owns the clock, so the same page read twice gives the same item."""
    result = extract_article(response, site, site_name)
    if isinstance(result, Skipped):
        return result
    result.crawled_at = fetched_at.astimezone(VN_TZ).isoformat(timespec="seconds")
    result.site_context = site.context if site else SiteContext()  # dated: the conference stage picks the day's
    result.link_url = article_url(response.url, site)
    # Without a rel=canonical the identity is the link's own (the same call): not computed twice.
    result.url = article_url(response.url, site, result.canonical_url) if result.canonical_url else result.link_url
    result.http_etag = response.headers.get("ETag", b"").decode("latin-1") or None
    result.http_last_modified = response.headers.get("Last-Modified", b"").decode("latin-1") or None
    return result
