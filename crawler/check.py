"""`crawler check SITE [--url URL]`: does a site's definition still read the live site?

Run it before the first live crawl and after every redesign. It fetches one listing page and a few of the
articles it links to, one request at a time with a pause between them and robots.txt obeyed, and reports per
field which parser version and selector read it, what only the generic reader (or the page's structured data)
supplied, and what is missing. The verdict is "stale" when the site's parser versions read none of the
articles, or its listing selectors find no links; `report.fixes` then says what to change.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import HtmlResponse

from crawler.extraction import Skipped, extract_article, publish_day_hint, read_with_versions
from crawler.extraction.listing import listing_links
from crawler.extraction.site import first_text, select
from crawler.extraction.structured import read_structured
from crawler.items import ArticleItem
from crawler.sites import SELECTOR_FIELDS, SiteDefinition, resolve_base_url

USER_AGENT = "vn-conference-crawler/0.1 (check; party-committee conference reports)"
#: What the item carries for each selector field, to tell "the generic reader found it" from "missing".
_ITEM_FIELD = {"view_label": "view_count_text", "tags": "tags", "summary": "summary", "title": "title",
               "body": "body", "author": "author", "category": "category"}


def _item_value(item: ArticleItem | None, name: str) -> Any:
    if item is None:
        return None
    if name == "date_label":  # a stamp from structured data or the page, not one guessed from the URL
        return next((text for source, text in item.date_candidates if source != "url"), None)
    return getattr(item, _ITEM_FIELD[name], None)


class CheckFailed(Exception):
    """The site could not be reached or asked for: one line that says why and what to check."""


@dataclass
class FieldReport:
    name: str
    status: str  # "selector" | "generic" | "missing" | "not defined"
    version: str | None = None
    selector: str | None = None
    value: str | None = None


@dataclass
class PageReport:
    url: str
    version: str | None
    fields: list[FieldReport] = field(default_factory=list)
    skipped: str | None = None


@dataclass
class CheckReport:
    site: str
    base_url: str
    listing_url: str | None = None
    listing_links: int = 0
    listing_found_by: str | None = None
    pages: list[PageReport] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        return bool(self.fixes)


def describe_failure(url: str, exc: BaseException) -> str:
    """One line for a fetch that failed before any page came back."""
    parts = urlsplit(url)
    host = parts.hostname or url
    reason = getattr(exc, "reason", exc)
    if isinstance(exc, urllib.error.HTTPError):
        return f"{url} answered HTTP {exc.code} {exc.reason}: check the base URL or the path in the site definition"
    if isinstance(reason, socket.gaierror):
        return f"cannot resolve {host}: check the network or the base URL"
    if isinstance(reason, ConnectionRefusedError):
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return f"connection refused by {host}:{port}: is the site (or the replica server) up?"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer from {host} in time: the site may be down or blocking this machine"
    if isinstance(exc, ValueError):
        return f"bad URL {url!r}: {exc}"
    return f"cannot fetch {url}: {reason}"


class PoliteFetcher:
    """One request at a time, `delay` seconds apart, robots.txt obeyed, a named User-Agent."""

    def __init__(self, delay: float = 1.0, timeout: float = 20.0, opener: Callable[..., Any] = urllib.request.urlopen) -> None:
        self.delay, self.timeout, self.opener = delay, timeout, opener
        self._last = 0.0
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.requests = 0

    def _wait(self) -> None:
        pause = self._last + self.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._last = time.monotonic()

    @staticmethod
    def _check_url(url: str) -> None:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError as exc:
            raise CheckFailed(f"bad URL {url!r}: {exc}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CheckFailed(f"bad URL {url!r}: it must be an http(s) address with a host")

    def _raw(self, url: str) -> tuple[str, bytes, str]:
        self._check_url(url)
        self._wait()
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with self.opener(request, timeout=self.timeout) as response:  # noqa: S310 - the site's own address
                return response.geturl(), response.read(), response.headers.get("Content-Type", "text/html")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise CheckFailed(describe_failure(url, exc)) from None

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser()
            try:
                _, body, _ = self._raw(root + "/robots.txt")
                parser.parse(body.decode("utf-8", "replace").splitlines())
            except CheckFailed as exc:
                if "HTTP 4" not in str(exc):
                    raise
                parser = None  # no robots.txt: everything allowed
            self._robots[root] = parser
        robots = self._robots[root]
        return robots is None or robots.can_fetch(USER_AGENT, url)

    def get(self, url: str) -> HtmlResponse:
        self._check_url(url)
        if not self.allowed(url):
            raise CheckFailed(f"robots.txt of {urlsplit(url).netloc} forbids {url}: the crawler will not fetch it either")
        final_url, body, content_type = self._raw(url)
        return HtmlResponse(url=final_url, body=body, headers={"Content-Type": content_type})


def _field_reports(response: HtmlResponse, site: SiteDefinition, item: ArticleItem | None) -> tuple[str | None, list[FieldReport]]:
    selector = Selector(text=response.text, base_url=response.url)
    data = read_structured(selector)
    version, parts = read_with_versions(selector, site, data.date_candidates(), response.urljoin)
    tried = [version] if version else site.versions_for(publish_day_hint(data.date_candidates()))
    reports: list[FieldReport] = []
    for name in SELECTOR_FIELDS:
        report: FieldReport | None = None
        for candidate in tried:
            query = getattr(candidate.selectors, name)
            if query and (select(selector, query) if name == "body" else first_text(selector, query)):
                if name == "body" and parts is None:
                    continue
                value = first_text(selector, query) or ""
                report = FieldReport(name, "selector", candidate.name, query, value[:60])
                break
        if report is None:
            value = _item_value(item, name)
            queries = [getattr(v.selectors, name) for v in tried if getattr(v.selectors, name)]
            if value not in (None, "", []):
                report = FieldReport(name, "generic", None, " | ".join(queries) or None, str(value)[:60])
            else:
                report = FieldReport(name, "missing" if queries else "not defined", None, " | ".join(queries) or None)
        reports.append(report)
    return (version.name if version else None), reports


def check_site(
    site: SiteDefinition,
    settings: Mapping[str, object] | None = None,
    url: str | None = None,
    articles: int = 3,
    fetcher: PoliteFetcher | None = None,
    today: date | None = None,
) -> CheckReport:
    """Fetch a listing (or `url`) and up to `articles` article pages; raises CheckFailed when unreachable."""
    base = resolve_base_url(site, settings)
    fetcher = fetcher or PoliteFetcher()
    report = CheckReport(site.name, base)
    article_urls: list[str] = []
    first = url or (base + site.listing_paths[0] if site.listing_paths else None)
    if first is None and site.json_listings:
        first = base + site.json_listings[0].path.format(page=site.json_listings[0].first_page)
    if first is None:
        raise CheckFailed(f"{site.name} names no listing page; pass --url with an article or listing address")
    response = fetcher.get(first)
    links, how = listing_links(response.selector, site, response.urljoin) if "json" not in response.headers.get(
        "Content-Type", b"").decode("latin-1") else ([], None)
    if url is None or links:
        report.listing_url, report.listing_links, report.listing_found_by = response.url, len(links), how
        article_urls = [response.urljoin(h) for h in links][:articles]
        if not links:
            listing_queries = site.listing_link_selectors()
            report.fixes.append(
                f"the listing {response.url} gave no article links"
                + (f" (selectors tried: {' | '.join(listing_queries)})" if listing_queries else "")
                + ": update `listing_links` in the newest parser version, or set `discovery.article_pattern`"
            )
    else:
        article_urls = [url]
    for article_url in article_urls:
        page = fetcher.get(article_url) if article_url != response.url else response
        result = extract_article(page, site)
        item = result if isinstance(result, ArticleItem) else None
        version, fields = _field_reports(page, site, item)
        report.pages.append(PageReport(page.url, version, fields, result.reason if isinstance(result, Skipped) else None))
    read = [p for p in report.pages if p.version]
    if site.versions and report.pages and not read:
        failing = sorted({f"{f.name} ({f.selector})" for p in report.pages for f in p.fields
                          if f.name in ("title", "body") and f.status != "selector" and f.selector})
        tried = ", ".join(v.name for v in site.versions_for(None))
        day = (today or date.today()).isoformat()
        report.fixes.append(
            f"no parser version of {site.name} ({tried}) reads its articles any more; the selectors that found "
            f"nothing: {', '.join(failing) or 'title/body'}. Add a parser version for the new design "
            f"(crawler/sites/platforms.py, or [[site.versions]] in your TOML file) with from = {day}, set `until` "
            f"to the day before on the version that read the old pages, and record a fixture of the new page "
            f"(python tests/fixtures/record.py {site.name} URL CASE)"
        )
    if not site.versions and report.pages and all(p.skipped for p in report.pages):
        report.fixes.append(
            f"the generic reader found no article on {site.name}'s pages: add a parser version with selectors "
            f"([[site.versions]] in the TOML file) or check `discovery.article_pattern`"
        )
    return report


def format_report(report: CheckReport) -> str:
    lines = [f"site {report.site} at {report.base_url}"]
    if report.listing_url:
        lines.append(f"listing {report.listing_url}: {report.listing_links} article link(s)"
                     + (f" via {report.listing_found_by}" if report.listing_found_by else ""))
    for page in report.pages:
        reader = f"parser version {page.version}" if page.version else "no parser version: generic reader"
        lines.append(f"article {page.url}: {reader}" + (f" (not an article: {page.skipped})" if page.skipped else ""))
        for f in page.fields:
            if f.status == "selector":
                lines.append(f"  {f.name:11} ok       {f.version}  {f.selector}  = {f.value!r}")
            elif f.status == "generic":
                lines.append(f"  {f.name:11} generic  from the generic reader / structured data = {f.value!r}"
                             + (f"  (selector found nothing: {f.selector})" if f.selector else ""))
            elif f.status == "missing":
                lines.append(f"  {f.name:11} MISSING  selector found nothing: {f.selector}")
            else:
                lines.append(f"  {f.name:11} -        no selector defined, nothing found")
    if report.stale:
        lines.append(f"STALE: the selectors of {report.site} no longer match the site.")
        lines.extend(f"fix: {fix}" for fix in report.fixes)
    else:
        lines.append(f"OK: {report.site}'s definition reads the site.")
    return "\n".join(lines)
