"""Sites the crawler knows, as data: where to start, which selectors read a page, what the site itself implies.

A site is a `SiteDefinition` built from a platform's selector set (`platforms.py`) plus a few attributes
(`catalog.py`). Sites on one CMS share the selector set; a redesign is a new selector set, not new spider code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from crawler.parsing.urls import canonical_url


@dataclass(frozen=True)
class Selectors:
    """CSS selectors (XPath where prefixed with `xpath:`) that read one platform's pages."""

    listing_links: str
    next_page: str
    title: str
    body: str
    summary: str | None = None
    #: Parts of the body container that are not body text: related boxes, widgets, bylines.
    body_exclude: tuple[str, ...] = ()
    #: A photo block inside the body: its image and its caption are read, then removed from the text.
    figure: str | None = None
    figure_image: str = "img::attr(src)"
    figure_caption: str | None = None
    author: str | None = None
    category: str | None = None
    date_label: str | None = None
    view_label: str | None = None
    tags: str | None = None
    paragraphs: str = "p, h2, h3, h4, blockquote, li"
    #: Paragraph-level blocks inside the body that a body-level selector cannot tell apart (a closing byline).
    byline_last_paragraph: bool = False


@dataclass(frozen=True)
class SiteDefinition:
    name: str
    platform: str
    base_url: str
    selectors: Selectors
    listing_paths: tuple[str, ...] = ()
    feed_paths: tuple[str, ...] = ()
    sitemap_paths: tuple[str, ...] = ()
    #: Query parameters that only track navigation ("?redirect=..."), dropped from canonical URLs.
    strip_query_params: tuple[str, ...] = ()
    #: What the site itself implies about the conferences it reports (a district portal's own district).
    level: str | None = None
    locality: str | None = None
    province: str | None = None
    #: The last day `level` and `locality` hold: a district portal's district ceased to exist with the district
    #: tier (1 July 2025), so its later pages get only the province as context. None: no end.
    local_until: date | None = None
    #: "js" when listing pages are built by JavaScript: only those requests go through a headless browser.
    render: str = "html"
    #: The site prints a view counter on article pages (its absence then lowers the run's coverage).
    shows_view_counts: bool = False
    language: str = "vi"
    enabled: bool = True
    description: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def env_key(self) -> str:
        return f"CRAWLER_BASE_URL_{self.name.upper()}"


def resolve_base_url(site: SiteDefinition, settings: Mapping[str, object] | None = None) -> str:
    """The base URL to crawl: a per-site override, else the replica root + site name, else the live site.

    Settings win over environment variables; `CRAWLER_REPLICA_URL=http://127.0.0.1:8800` points every site at
    the bundled replica server, which serves each site under `/<name>`.
    """
    settings = settings or {}
    overrides = settings.get("CRAWLER_BASE_URLS") or {}
    if isinstance(overrides, Mapping) and overrides.get(site.name):
        return str(overrides[site.name]).rstrip("/")
    if os.environ.get(site.env_key):
        return os.environ[site.env_key].rstrip("/")
    replica = settings.get("CRAWLER_REPLICA_URL") or os.environ.get("CRAWLER_REPLICA_URL")
    if replica:
        return f"{str(replica).rstrip('/')}/{site.name}"
    return site.base_url.rstrip("/")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def article_url(link: str, site: SiteDefinition | None, rel_canonical: str | None = None) -> str:
    """An article's identity: its link, or its rel=canonical when plausible (on the site's host, not a home,
    section or parent page, naming the same article), without session and tracking parameters. The one function
    storage keys rows by and the incremental middleware checks links with (without a rel=canonical, which a link
    does not have yet; the store remembers that form too, as `link_url`)."""
    if site is None:
        return canonical_url(link, rel_canonical)
    return canonical_url(
        link, rel_canonical, site.strip_query_params, hosts=(host_of(site.base_url),),
        section_paths=(*site.listing_paths, *site.feed_paths, *site.sitemap_paths),
    )


from crawler.sites.catalog import SITES, get_site  # noqa: E402  (the catalog needs the classes above)

__all__ = [
    "SITES", "SiteDefinition", "Selectors", "article_url", "get_site", "host_of", "resolve_base_url", "site_for_url",
]


def site_for_url(url: str, settings: Mapping[str, object] | None = None) -> SiteDefinition | None:
    """The known site a URL belongs to: under its configured base (replica or override) or on its live host."""
    for site in SITES.values():
        base = resolve_base_url(site, settings)
        if url == base or url.startswith(base + "/"):
            return site
    host = host_of(url)
    for site in SITES.values():
        live = host_of(site.base_url)
        if host == live or host.endswith("." + live):
            return site
    return None
