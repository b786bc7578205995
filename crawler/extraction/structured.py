"""Structured metadata a page may carry: JSON-LD, Open Graph and article:* meta tags, rel=canonical.

News CMSs emit these for search engines and they are the most reliable source of a publish time when present;
district portals mostly emit none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
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
    #: Problems met reading it (a block too large or too deep), counted by the caller as warnings.
    warnings: list[str] = field(default_factory=list)

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


#: Bounds on one page's JSON-LD: real pages carry a few kB, nested a few levels; a hostile page nests 100,000 deep.
MAX_JSONLD_CHARS = 1_000_000
MAX_GRAPH_DEPTH = 16
MAX_NODES = 1_000


def _flatten(root: Any) -> tuple[list[dict[str, Any]], bool]:
    """The JSON-LD objects of a block, following lists and `@graph` (iteratively, bounded); True when cut short."""
    nodes: list[dict[str, Any]] = []
    stack: list[tuple[Any, int]] = [(root, 0)]
    cut = False
    while stack:
        node, depth = stack.pop()
        if depth > MAX_GRAPH_DEPTH or len(nodes) >= MAX_NODES:
            cut = True
            continue
        if isinstance(node, list):
            stack.extend((child, depth + 1) for child in reversed(node))
        elif isinstance(node, dict):
            nodes.append(node)
            if "@graph" in node:
                stack.append((node["@graph"], depth + 1))
    return nodes, cut


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    return set(value) if isinstance(value, list) else {value} if isinstance(value, str) else set()


def read_structured(selector: Selector) -> StructuredData:
    """Read JSON-LD and meta tags; malformed JSON-LD blocks are skipped, never fatal."""
    data = StructuredData()
    root = selector.root
    for raw in _JSONLD_TEXTS(root):
        if len(raw) > MAX_JSONLD_CHARS:
            data.warnings.append("structured_data_too_large")
            continue
        try:
            parsed = json.loads(raw)
        except RecursionError:
            data.warnings.append("structured_data_too_deep")
            continue
        except ValueError:
            continue
        nodes, cut = _flatten(parsed)
        if cut:
            data.warnings.append("structured_data_too_deep")
        for node in nodes:
            node_types = _types(node)
            data.types |= node_types
            if data.article is None and node_types & ARTICLE_TYPES:
                data.article = node
    for meta in _METAS(root):
        attributes = meta.attrib
        key = attributes.get("property") or attributes.get("name") or attributes.get("itemprop")
        content = attributes.get("content")
        if key and content and key not in data.meta:
            data.meta[key.strip()] = content.strip()
    canonicals = _CANONICAL_HREFS(root)
    data.canonical = (canonicals[0] if canonicals else None) or data.meta.get("og:url")
    return data


# The queries run on the parsed tree's own nodes (compiled once; no parsel object per match, same results).
_JSONLD_TEXTS = etree.XPath("//script[@type='application/ld+json']/text()", smart_strings=False)
_METAS = etree.XPath("//meta")
_CANONICAL_HREFS = etree.XPath("//link[@rel='canonical']/@href", smart_strings=False)
