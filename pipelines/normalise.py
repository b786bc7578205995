"""Normalise text (NFC, spacing, outlet prefixes, length bounds), images and the content hash. (The article's
canonical URL is its identity, set where the page is read: `crawler.extraction.read_page`.)

Bounds keep one hostile page from costing unbounded memory and storage: a title is a line, not a megabyte; a body
is cut at a paragraph boundary after `MAX_BODY_CHARS`. Each cut, and each image address no browser would load as
an image (`javascript:`, `data:`), is counted as a warning; the article is kept.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter

from crawler.parsing.text import (
    joined_body_and_hash,
    normalise_inline,
    normalised_paragraphs,
    split_paragraphs,
    strip_outlet_prefix,
)
from pipelines.base import ItemPipeline

MAX_TITLE_CHARS = 500
MAX_SUMMARY_CHARS = 2_000
#: About 30,000 words: ten times a long report; the largest real article bodies are ~40,000 characters.
MAX_BODY_CHARS = 200_000


def truncate_at_space(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at the last space before the limit when there is one."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def bounded_paragraphs(paragraphs: list[str], limit: int) -> tuple[list[str], bool]:
    """The leading paragraphs that fit in `limit` characters (the first one cut if it alone is longer)."""
    kept: list[str] = []
    total = 0
    for paragraph in paragraphs:
        if total + len(paragraph) > limit:
            if not kept:
                kept.append(truncate_at_space(paragraph, limit))
            return kept, True
        kept.append(paragraph)
        total += len(paragraph) + 2
    return kept, False


class NormaliseTextPipeline(ItemPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name in ("title", "author", "category", "view_count_text"):
            adapter[name] = normalise_inline(adapter.get(name)) or None
        title = adapter.get("title")
        if title and len(title) > MAX_TITLE_CHARS:
            adapter["title"] = truncate_at_space(title, MAX_TITLE_CHARS)
            self.warn("title_too_long")
        paragraphs = split_paragraphs(adapter.get("body") or "")
        if paragraphs:
            paragraphs[0] = strip_outlet_prefix(paragraphs[0])
        paragraphs, cut = bounded_paragraphs(paragraphs, MAX_BODY_CHARS)
        if cut:
            self.warn("body_truncated")
        body, adapter["content_hash"] = joined_body_and_hash(normalised_paragraphs(paragraphs))
        adapter["body"] = body or None
        summary = adapter.get("summary")
        summary = strip_outlet_prefix(normalise_inline(summary)) if summary else ""
        if not summary and paragraphs:
            summary = normalise_inline(paragraphs[0])
        adapter["summary"] = truncate_at_space(summary, MAX_SUMMARY_CHARS) or None
        adapter["tags"] = [t for t in (normalise_inline(t) for t in adapter.get("tags") or ()) if t]
        images = list(adapter.get("images") or ())
        loadable = [image for image in images if _loadable(image.get("url"))]
        if len(loadable) < len(images):
            self.warn("image_url_dropped")
        adapter["images"] = [
            {"url": image.get("url"), "caption": normalise_inline(image.get("caption")) or None} for image in loadable
        ]
        return item


def _loadable(url: str | None) -> bool:
    """An image address a reader can load: http(s), or none at all (a caption whose image had no src)."""
    if url is None:
        return True
    try:
        return urlsplit(url.strip()).scheme.lower() in {"http", "https"}
    except ValueError:
        return False
