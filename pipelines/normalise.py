"""Normalise text (NFC, spacing, outlet prefixes) and the content hash. (The article's canonical URL is its
identity, set where the page is read: `crawler.extraction.read_page`.)"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.parsing.text import (
    content_hash,
    join_paragraphs,
    normalise_inline,
    split_paragraphs,
    strip_outlet_prefix,
)
from pipelines.base import ItemPipeline


class NormaliseTextPipeline(ItemPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name in ("title", "author", "category", "view_count_text"):
            adapter[name] = normalise_inline(adapter.get(name)) or None
        paragraphs = split_paragraphs(adapter.get("body") or "")
        if paragraphs:
            paragraphs[0] = strip_outlet_prefix(paragraphs[0])
        adapter["body"] = join_paragraphs(paragraphs) or None
        summary = adapter.get("summary")
        summary = strip_outlet_prefix(normalise_inline(summary)) if summary else ""
        if not summary and paragraphs:
            summary = normalise_inline(paragraphs[0])
        adapter["summary"] = summary or None
        adapter["tags"] = [t for t in (normalise_inline(t) for t in adapter.get("tags") or ()) if t]
        adapter["images"] = [
            {"url": image.get("url"), "caption": normalise_inline(image.get("caption")) or None}
            for image in adapter.get("images") or ()
        ]
        adapter["content_hash"] = content_hash(adapter["body"] or "")
        return item
