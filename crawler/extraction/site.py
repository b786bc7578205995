"""Reading an article page with its site's selectors.

A site's selectors are compiled to lxml XPath objects once per process (`compiled`) and run on the parsed tree's
own nodes (`nodes`): the same queries parsel would run (its HTML translator makes the XPath), without a parsel
object per match.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import HTMLTranslator

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


@lru_cache(maxsize=512)
def compiled(query: str) -> etree.XPath:
    """A site selector ("xpath:..." or CSS with parsel's ::text / ::attr()) as a compiled XPath."""
    xpath = query[len("xpath:") :] if query.startswith("xpath:") else HTMLTranslator().css_to_xpath(query)
    return etree.XPath(xpath, smart_strings=False)


def nodes(root: Any, query: str | None) -> list[Any]:
    """Matches of `query` under the lxml node `root` (or a parsel Selector's root): elements, or strings for text
    and attribute queries."""
    if isinstance(root, Selector):
        root = root.root
    return compiled(query)(root) if query else []


def _serialised(match: Any) -> str:
    """A match as parsel gives it: a text or attribute value as it is, an element serialised."""
    return match if isinstance(match, str) else Selector(root=match).get()


def _get(matches: list[Any]) -> str | None:
    """The first match as text, as parsel's `.get()` gives it."""
    return _serialised(matches[0]) if matches else None


def get_all(root: Any, query: str | None) -> list[str]:
    """parsel's `.getall()` of a site selector, run on the tree's nodes (`nodes`)."""
    return [_serialised(match) for match in nodes(root, query)]


def get_first(root: Any, query: str | None) -> str | None:
    """parsel's `.get()` of a site selector, run on the tree's nodes (`nodes`)."""
    return _get(nodes(root, query))


def first_text(root: Any, query: str | None) -> str | None:
    """Visible text of the first match (all descendant text, not just direct text nodes)."""
    for node in nodes(root, query):
        if isinstance(node, str):
            text = normalise_inline(node)
        else:
            text = " ".join(element_paragraphs(node))
        if text:
            return text
    return None


def _text_nodes(element: Any) -> list[str]:
    """parsel's `::text` on a match: an element's own text nodes, or a string match itself."""
    return [element] if isinstance(element, str) else compiled("::text")(element)


def split_source_line(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """A republished article often closes with its source address "(https://...)": metadata, not text."""
    if paragraphs:
        match = _SOURCE_LINE.match(paragraphs[-1])
        if match:
            return paragraphs[:-1], match.group(1)
    return paragraphs, None


def read_with_selectors(selector: Selector, selectors: Selectors, urljoin: Callable[[str], str]) -> PageParts | None:
    """Read a page with a platform's selectors; None when the body container is missing or empty."""
    page = selector.root
    containers = nodes(page, selectors.body)
    if not containers or isinstance(containers[0], str):
        return None
    body = copy.deepcopy(containers[0])
    images: list[dict[str, str | None]] = []
    if selectors.figure:
        figures = nodes(body, selectors.figure)
        for figure in figures:
            src = _get(nodes(figure, selectors.figure_image))
            caption = first_text(figure, selectors.figure_caption) if selectors.figure_caption else None
            images.append({"url": urljoin(src) if src else None, "caption": caption})
        remove_elements(body, figures)
    excluded = nodes(body, ", ".join(selectors.body_exclude)) if selectors.body_exclude else []
    remove_elements(body, [e for e in excluded if not isinstance(e, str)])
    paragraphs, source_url = split_source_line(element_paragraphs(body))
    if not paragraphs:
        return None
    summary = first_text(page, selectors.summary)
    authors = [normalise_inline(" ".join(element_paragraphs(n))) for n in nodes(page, selectors.author)]
    authors = [a for a in authors if a]
    date_label = first_text(page, selectors.date_label)
    tags = [normalise_inline(t) for match in nodes(page, selectors.tags) for t in _text_nodes(match)]
    return PageParts(
        title=first_text(page, selectors.title),
        summary=summary,
        paragraphs=[summary, *paragraphs] if summary else paragraphs,
        images=images,
        author=authors[-1] if authors else None,
        category=first_text(page, selectors.category),
        tags=[t for t in tags if t],
        date_labels=[("page label", date_label)] if date_label else [],
        # One element often holds both (the Hanoi portals' "date | views" line): selected once.
        view_label=date_label if selectors.view_label == selectors.date_label else first_text(page, selectors.view_label),
        source_url=source_url,
    )
