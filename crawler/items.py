"""The article item: one per article page, filled by a spider's selectors and completed by the pipelines.

Fields marked `transient` carry raw selections from the spider to the pipeline that parses them; they are
neither stored nor exported, so the stored record only holds parsed, checked values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from itemadapter import ItemAdapter

TRANSIENT = {"transient": True}


@dataclass
class ArticleItem:
    url: str
    site: str
    title: str | None = None
    summary: str | None = None
    body: str | None = None
    images: list[dict[str, str | None]] = field(default_factory=list)
    author: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    published_at: str | None = None
    published_at_source: str | None = None
    published_at_text: str | None = None
    view_count: int | None = None
    view_count_text: str | None = None
    source_url: str | None = None
    crawled_at: str | None = None
    content_hash: str | None = None
    extraction: str | None = None
    #: The site parser version that read the page ("kinhtedothi/2025"); None when the generic reader did.
    parser_version: str | None = None
    #: Fields the generic reader supplied because the site's selectors missed them (all it read on a fallback).
    fallback_fields: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    conference: dict[str, Any] | None = None
    # Raw selections for the pipelines: (source, text) pairs in order of trust, and the page's own URL.
    date_candidates: list[tuple[str, str]] = field(default_factory=list, metadata=TRANSIENT)
    canonical_url: str | None = field(default=None, metadata=TRANSIENT)
    # The link the page was fetched under, canonicalised like `url` but without the page's rel=canonical.
    link_url: str | None = field(default=None, metadata=TRANSIENT)
    # What the page's site implies about the conferences it reports (a `SiteContext`), set by `read_page`, so
    # the pipelines need not look the site up again.
    site_context: Any = field(default=None, metadata=TRANSIENT)
    # Set by the dedup stage for the store: a stored copy of this text, and this text's MinHash signature.
    copy_of: str | None = field(default=None, metadata=TRANSIENT)
    minhash: bytes | None = field(default=None, metadata=TRANSIENT)
    # The response's validators, stored for conditional requests when the article is refreshed.
    http_etag: str | None = field(default=None, metadata=TRANSIENT)
    http_last_modified: str | None = field(default=None, metadata=TRANSIENT)
    # Problems met and worked around while reading the page (a value nulled, text cut): counted as `warnings/<reason>`.
    warnings: list[str] = field(default_factory=list, metadata=TRANSIENT)


def record_fields() -> list[str]:
    """The stored and exported fields, in their stable order."""
    return [f.name for f in fields(ArticleItem) if not f.metadata.get("transient")]


def to_record(item: Any) -> dict[str, Any]:
    """The stored fields of any item type Scrapy accepts (this dataclass, a dict, a scrapy.Item, attrs)."""
    adapter = ItemAdapter(item)
    return {name: adapter.get(name) for name in record_fields()}


def as_article(item: Any) -> ArticleItem:
    """Any item type as an ArticleItem (the store's input); unknown keys are left out."""
    if isinstance(item, ArticleItem):
        return item
    known = {f.name for f in fields(ArticleItem)}
    return ArticleItem(**{name: value for name, value in ItemAdapter(item).items() if name in known})


#: The response class a page was read as, by name, so another process rebuilds the same one.
RESPONSE_CLASSES = {"html": "HtmlResponse", "xml": "XmlResponse", "text": "TextResponse"}


@dataclass
class FetchedPage:
    """An article page as it arrived, before it is read: what the spider hands to the item pipelines, whose first
    stage (`pipelines.read.ReadPagePipeline`) turns it into an `ArticleItem`. Plain data (bytes and strings), so
    the item worker (crawler/item_worker/) reads it in another process exactly as it would be read here."""

    url: str
    site: str
    #: When the page was fetched (ISO 8601, aware): the reader's "now" for relative stamps.
    fetched_at: str
    status: int
    headers: dict[bytes, list[bytes]] = field(repr=False)
    body: bytes = field(repr=False)
    response_class: str = "html"

    @classmethod
    def from_response(cls, response: Any, site: str, fetched_at: str) -> FetchedPage:
        names = type(response).__name__
        kind = next((kind for kind, name in RESPONSE_CLASSES.items() if name == names), "text")
        page = cls(response.url, site, fetched_at, response.status, dict(response.headers), response.body, kind)
        page._response = response
        return page

    def response(self) -> Any:
        """The page as a Scrapy response: the one it came from, or (in another process) one rebuilt alike."""
        cached = self.__dict__.get("_response")
        if cached is None:
            import scrapy.http

            response_class = getattr(scrapy.http, RESPONSE_CLASSES[self.response_class])
            cached = self._response = response_class(self.url, status=self.status, headers=self.headers, body=self.body)
        return cached

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name != "_response"}
