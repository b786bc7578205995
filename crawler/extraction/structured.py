"""Structured metadata a page may carry: JSON-LD, Open Graph and article:* meta tags, rel=canonical.

News CMSs emit these for search engines and they are the most reliable source of a publish time when present;
district portals mostly emit none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from parsel import Selector

ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle"})
_DATE_METAS = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dc.date",
)


@dataclass
class StructuredData:
    article: dict[str, Any] | None = None
    types: set[str] = field(default_factory=set)
    meta: dict[str, str] = field(default_factory=dict)
    canonical: str | None = None

    def date_candidates(self) -> list[tuple[str, str]]:
        candidates: list[tuple[str, str]] = []
        if self.article and isinstance(self.article.get("datePublished"), str):
            candidates.append(("json-ld", self.article["datePublished"]))
        for name in _DATE_METAS:
            if self.meta.get(name):
                candidates.append(("meta", self.meta[name]))
                break
        return candidates

    @property
    def og_type(self) -> str | None:
        return self.meta.get("og:type")

    def author(self) -> str | None:
        author = (self.article or {}).get("author")
        if isinstance(author, list) and author:
            author = author[0]
        if isinstance(author, dict):
            author = author.get("name")
        return author if isinstance(author, str) and author.strip() else self.meta.get("author") or None


def _flatten(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [d for item in node for d in _flatten(item)]
    if isinstance(node, dict):
        return [node, *_flatten(node.get("@graph", []))]
    return []


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    return set(value) if isinstance(value, list) else {value} if isinstance(value, str) else set()


def read_structured(selector: Selector) -> StructuredData:
    """Read JSON-LD and meta tags; malformed JSON-LD blocks are skipped, never fatal."""
    data = StructuredData()
    for raw in selector.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            parsed = json.loads(raw)
        except ValueError:
            continue
        for node in _flatten(parsed):
            node_types = _types(node)
            data.types |= node_types
            if data.article is None and node_types & ARTICLE_TYPES:
                data.article = node
    for meta in selector.xpath("//meta"):
        key = meta.attrib.get("property") or meta.attrib.get("name") or meta.attrib.get("itemprop")
        content = meta.attrib.get("content")
        if key and content and key not in data.meta:
            data.meta[key.strip()] = content.strip()
    data.canonical = selector.xpath("//link[@rel='canonical']/@href").get() or data.meta.get("og:url")
    return data
