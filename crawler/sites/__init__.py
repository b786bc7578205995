"""Sites the crawler knows, as data: where to start, which dated parser versions read a page, what the site
itself implies for a given date.

A site is a `SiteDefinition`. The bundled sites are declared in `sites.toml` beside this module; a user adds
more with a TOML file of the same shape (`CRAWLER_SITES_FILE=my-sites.toml`, `crawler crawl --sites FILE`),
without writing code (`loader.py` reads both). Parser versions are selector sets with the date range they are
valid for (`platforms.py`): a redesign is a new version, and pages of the old design are still read by the old
one. A site with no parser version is read by the generic reader alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from crawler.parsing.urls import canonical_url


def in_range(day: date, valid_from: date | None, valid_until: date | None) -> bool:
    """`day` within an inclusive range whose ends may be open (None)."""
    return (valid_from is None or day >= valid_from) and (valid_until is None or day <= valid_until)


@dataclass(frozen=True)
class Selectors:
    """CSS selectors (XPath where prefixed with `xpath:`) that read one design of a site's pages."""

    title: str
    body: str
    listing_links: str | None = None
    next_page: str | None = None
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


#: The fields a parser version reads, in report order (`crawler check` prints one line each).
SELECTOR_FIELDS = ("title", "summary", "body", "author", "category", "date_label", "view_label", "tags")


@dataclass(frozen=True)
class ParserVersion:
    """One design of a site: its selectors and the publish dates of the pages served in it (Fundus-style).

    `valid_from` / `valid_until` are inclusive; None is open-ended. The name is what items record
    (`parser_version`) and what run records count hits under.
    """

    name: str
    selectors: Selectors
    valid_from: date | None = None
    valid_until: date | None = None
    note: str = ""

    def covers(self, day: date) -> bool:
        return in_range(day, self.valid_from, self.valid_until)


@dataclass(frozen=True)
class Locale:
    """What a site implies about the conferences it reports, for a date range: after the 2025 reform the
    Thanh Xuân portal speaks for a phường, before it for a quận."""

    level: str | None = None
    locality: str | None = None
    province: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    def covers(self, day: date) -> bool:
        return in_range(day, self.valid_from, self.valid_until)


@dataclass(frozen=True)
class DatedContext:
    """A site's contexts over time. `read_page` puts it on the item; the conference stage takes the entry valid
    on the publish date, which only the dates stage knows."""

    locales: tuple[Locale, ...] = ()

    def at(self, day: date | None) -> Locale:
        """The context on `day` (the latest one when the day is unknown)."""
        if day is not None:
            for locale in self.locales:
                if locale.covers(day):
                    return locale
        return max(self.locales, key=lambda loc: loc.valid_from or date.min) if self.locales else Locale()


@dataclass(frozen=True)
class JsonListing:
    """A listing served as JSON pages (a "Xem thêm" button's endpoint): `path` has a `{page}` placeholder,
    each page is a list of objects (or an object with a list under `items_key`) whose `url_key` is the
    article's address; paging stops at the first empty page."""

    path: str
    url_key: str = "Url"
    items_key: str | None = None
    first_page: int = 1


@dataclass(frozen=True)
class SiteDefinition:
    name: str
    base_url: str
    platform: str = "generic"
    versions: tuple[ParserVersion, ...] = ()
    listing_paths: tuple[str, ...] = ()
    json_listings: tuple[JsonListing, ...] = ()
    feed_paths: tuple[str, ...] = ()
    sitemap_paths: tuple[str, ...] = ()
    #: Regular expression an article link's path matches; listings are read with it when no version's listing
    #: selector finds links (and always for a site without parser versions).
    article_pattern: str | None = None
    #: Next-page link on a listing when no version's selector finds one.
    next_page: str | None = "a[rel=next]::attr(href)"
    #: Query parameters that only track navigation ("?redirect=..."), dropped from canonical URLs.
    strip_query_params: tuple[str, ...] = ()
    locales: tuple[Locale, ...] = ()
    #: "js" when listing pages are built by JavaScript: only those requests go through a headless browser.
    render: str = "html"
    #: The site prints a view counter on article pages (its absence then lowers the run's coverage).
    shows_view_counts: bool = False
    language: str = "vi"
    enabled: bool = True
    description: str = ""
    #: Where the definition came from (the bundled catalog or a user's TOML file), for messages.
    source: str = "bundled"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def env_key(self) -> str:
        return f"CRAWLER_BASE_URL_{self.name.upper()}"

    # --- dated context ----------------------------------------------------------------------------------

    @property
    def context(self) -> DatedContext:
        return DatedContext(self.locales)

    def locale_at(self, day: date | None) -> Locale:
        """The site's context on `day` (its latest context when the day is unknown)."""
        return self.context.at(day)

    @property
    def level(self) -> str | None:
        return self.locale_at(None).level

    @property
    def locality(self) -> str | None:
        return self.locale_at(None).locality

    @property
    def province(self) -> str | None:
        return self.locale_at(None).province

    # --- parser versions --------------------------------------------------------------------------------

    def versions_for(self, published: date | None) -> list[ParserVersion]:
        """The versions to try on a page: those valid on its publish date first, then every other one,
        newest first (a page whose date is unknown, or a design kept past its announced end)."""
        newest_first = sorted(self.versions, key=lambda v: v.valid_from or date.min, reverse=True)
        if published is None:
            return newest_first
        return [v for v in newest_first if v.covers(published)] + [v for v in newest_first if not v.covers(published)]

    def listing_link_selectors(self) -> list[str]:
        return [v.selectors.listing_links for v in self.versions_for(None) if v.selectors.listing_links]

    def is_article_path(self, url: str) -> bool:
        if not self.article_pattern:
            return False
        parts = urlsplit(url)
        return re.search(self.article_pattern, parts.path + (f"?{parts.query}" if parts.query else "")) is not None


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


from crawler.sites.loader import SITES, SiteFileError, get_site, register_sites_file  # noqa: E402

__all__ = [
    "DatedContext", "JsonListing", "Locale", "ParserVersion", "SITES", "SELECTOR_FIELDS", "SiteDefinition", "SiteFileError",
    "Selectors", "article_url", "get_site", "host_of", "register_sites_file", "resolve_base_url", "site_for_url",
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
