"""Normalise text (NFC, spacing, outlet prefixes) and the content hash. (The article's canonical URL is its
identity, set where the page is read: `crawler.extraction.read_page`.)"""

from __future__ import annotations

from crawler.items import ArticleItem
from crawler.parsing.text import (
    content_hash,
    join_paragraphs,
    normalise_inline,
    split_paragraphs,
    strip_outlet_prefix,
)
from pipelines.base import ItemPipeline


class NormaliseTextPipeline(ItemPipeline):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        for name in ("title", "author", "category", "view_count_text"):
            value = getattr(item, name)
            setattr(item, name, normalise_inline(value) or None)
        paragraphs = split_paragraphs(item.body or "")
        if paragraphs:
            paragraphs[0] = strip_outlet_prefix(paragraphs[0])
        item.body = join_paragraphs(paragraphs) or None
        summary = strip_outlet_prefix(normalise_inline(item.summary)) if item.summary else ""
        if not summary and paragraphs:
            summary = normalise_inline(paragraphs[0])
        item.summary = summary or None
        item.tags = [t for t in (normalise_inline(t) for t in item.tags) if t]
        item.images = [
            {"url": image.get("url"), "caption": normalise_inline(image.get("caption")) or None}
            for image in item.images
        ]
        item.content_hash = content_hash(item.body or "")
        return item
