"""Article links on a listing page, as the spiders and `crawler check` read them (the site selectors run as
compiled XPath on the tree's nodes, `crawler.extraction.site.nodes`: the same strings parsel gives, without a
parsel object per link)."""

from __future__ import annotations

from collections.abc import Callable

from parsel import Selector

from crawler.extraction.site import get_all, get_first
from crawler.sites import SiteDefinition


def listing_links(selector: Selector, site: SiteDefinition, urljoin: Callable[[str], str]) -> tuple[list[str], str | None]:
    """(links, how they were found): the first parser version whose listing selector finds links, else every
    link whose path matches the site's article pattern (a site read by the generic reader); ([], None) when
    neither finds one."""
    for query in site.listing_link_selectors():
        links = get_all(selector.root, query)
        if links:
            return links, query
    if site.article_pattern:
        hrefs = get_all(selector.root, "a::attr(href)")
        links = list(dict.fromkeys(h for h in hrefs if site.is_article_path(urljoin(h))))
        if links:
            return links, f"article pattern {site.article_pattern}"
    return [], None


def next_listing_page(selector: Selector, site: SiteDefinition) -> str | None:
    queries = [v.selectors.next_page for v in site.versions_for(None) if v.selectors.next_page]
    for query in [*queries, site.next_page]:
        href = get_first(selector.root, query)
        if href:
            return href
    return None
