"""Reading an article page with its site's selectors."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from parsel import Selector, SelectorList

from crawler.extraction.html_text import element_paragraphs, remove_elements
from crawler.parsing.text import normalise_inline
from crawler.sites import Selectors

_SOURCE_LINE = re.compile(r"^\(?\s*(?:nguồn\s*:?\s*)?(https?://\S+?)\s*\)?\.?$", re.IGNORECASE)


@dataclass
class PageParts:
    """What one extractor read from a page, before any parsing of dates, counts or facts."""

    title: str | None = None
    summary: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    images: list[dict[str, str | None]] = field(default_factory=list)
    author: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    date_labels: list[tuple[str, str]] = field(default_factory=list)
    view_label: str | None = None
    source_url: str | None = None


def select(selector: Selector, query: str | None) -> SelectorList[Selector]:
    if not query:
        return SelectorList()
    if query.startswith("xpath:"):
        return selector.xpath(query[len("xpath:") :])
    return selector.css(query)


def first_text(selector: Selector, query: str | None) -> str | None:
    """Visible text of the first match (all descendant text, not just direct text nodes)."""
    for node in select(selector, query):
        if isinstance(node.root, str):
            text = normalise_inline(node.root)
        else:
            text = " ".join(element_paragraphs(node.root))
        if text:
            return text
    return None


def split_source_line(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """A republished article often closes with its source address "(https://...)": metadata, not text."""
    if paragraphs:
        match = _SOURCE_LINE.match(paragraphs[-1])
        if match:
            return paragraphs[:-1], match.group(1)
    return paragraphs, None


def read_with_selectors(selector: Selector, selectors: Selectors, urljoin: callable) -> PageParts | None:
    """Read a page with a platform's selectors; None when the body container is missing or empty."""
    containers = select(selector, selectors.body)
    if not containers or isinstance(containers[0].root, str):
        return None
    body = copy.deepcopy(containers[0].root)
    body_sel = Selector(root=body)
    images: list[dict[str, str | None]] = []
    if selectors.figure:
        figures = select(body_sel, selectors.figure)
        for figure in figures:
            src = figure.css(selectors.figure_image).get()
            caption = first_text(figure, selectors.figure_caption) if selectors.figure_caption else None
            images.append({"url": urljoin(src) if src else None, "caption": caption})
        remove_elements(body, [f.root for f in figures])
    excluded = [node.root for node in select(body_sel, ", ".join(selectors.body_exclude))] if selectors.body_exclude else []
    remove_elements(body, [e for e in excluded if not isinstance(e, str)])
    paragraphs, source_url = split_source_line(element_paragraphs(body))
    if not paragraphs:
        return None
    summary = first_text(selector, selectors.summary)
    authors = [normalise_inline(" ".join(element_paragraphs(n.root))) for n in select(selector, selectors.author)]
    authors = [a for a in authors if a]
    date_label = first_text(selector, selectors.date_label)
    return PageParts(
        title=first_text(selector, selectors.title),
        summary=summary,
        paragraphs=[summary, *paragraphs] if summary else paragraphs,
        images=images,
        author=authors[-1] if authors else None,
        category=first_text(selector, selectors.category),
        tags=[t for t in (normalise_inline(x) for x in select(selector, selectors.tags).css("::text").getall()) if t],
        date_labels=[("page label", date_label)] if date_label else [],
        view_label=first_text(selector, selectors.view_label),
        source_url=source_url,
    )
