"""The generic extractor: for unknown sites, and for known sites whose selectors no longer find a body.

Order of trust: JSON-LD, then meta tags, then main-text heuristics (trafilatura). A date is taken only from
structured data, from a date label printed next to the title, or from the URL; never guessed. Before any of
that, the page must look like one article: listing and tag pages are refused, not turned into an "article".
"""

from __future__ import annotations

import re

import trafilatura
from parsel import Selector

from crawler.extraction.html_text import element_paragraphs
from crawler.extraction.site import PageParts, first_text, split_source_line
from crawler.extraction.structured import StructuredData
from crawler.parsing.text import normalise_inline, normalise_text

MIN_BODY_CHARS = 250
_STAMP = re.compile(
    r"(?:(?:publish(?:ed)?\s*date|ngày\s*đăng|cập\s*nhật|đăng\s*lúc)\s*:?\s*)?"
    r"(?:\d{1,2}:\d{2}\s+)?\d{1,2}/\d{1,2}/\d{4}(?:\s*\|?\s*\d{1,2}:\d{2})?",
    re.IGNORECASE,
)
_VIEWS = re.compile(r"lượt\s*xem\s*:?\s*[\d.,]+", re.IGNORECASE)
#: How far from the title (in characters of page text) a stamp may sit and still be the article's own.
_LABEL_WINDOW = 240


class NotAnArticle(Exception):
    """The page is a listing, a tag page or otherwise not one article; the reason says why."""


def _title(selector: Selector, data: StructuredData) -> str | None:
    """Headline from structured data, else the page heading that the <title> repeats, else <h1>/<title>.

    Portals put the headline in an h3 and suffix <title> with the portal's name ("... - Quận X"), so the heading
    contained in <title> is the article's own, where a bare <title> would carry the suffix.
    """
    headline = (data.article or {}).get("headline")
    page_title = first_text(selector, "title") or ""
    headings = [normalise_inline(h) for h in selector.css("h1, h2, h3").xpath("normalize-space(.)").getall()]
    in_title = next((h for h in headings if len(h) > 15 and h in page_title), None)
    for candidate in (headline, data.meta.get("og:title"), in_title, first_text(selector, "h1"), page_title):
        if isinstance(candidate, str) and normalise_inline(candidate):
            return normalise_inline(candidate)
    return None


def _labels_near_title(page_text: str, title: str) -> tuple[list[tuple[str, str]], str | None]:
    """A date stamp (and view counter) printed next to the headline in the page body, if any."""
    start = page_text.find(title)
    while start >= 0:
        window = page_text[max(0, start - _LABEL_WINDOW) : start + len(title) + _LABEL_WINDOW]
        stamp = _STAMP.search(window)
        if stamp:
            views = _VIEWS.search(window)
            return [("page label", stamp.group(0))], (views.group(0) if views else None)
        start = page_text.find(title, start + 1)
    return [], None


def _split_byline(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Portals close the text with the author's name on its own line ("Nhóm PV"): short, no full stop."""
    if len(paragraphs) > 1:
        last = paragraphs[-1]
        if len(last) <= 40 and len(last.split()) <= 6 and not last.endswith((".", "!", "?", "…", ":", ";")):
            return paragraphs[:-1], last
    return paragraphs, None


def _link_text_share(selector: Selector, paragraphs: list[str]) -> float:
    """Share of the extracted text that is the text of links: near 1 on listings, near 0 on articles."""
    link_texts = {normalise_inline(t) for t in selector.css("a ::text").getall()}
    link_texts = {t for t in link_texts if len(t) > 20}
    total = sum(len(p) for p in paragraphs) or 1
    return sum(len(p) for p in paragraphs if p in link_texts) / total


def read_fallback(selector: Selector, html: str, url: str, data: StructuredData) -> PageParts:
    """Read any article page; raises NotAnArticle for pages that are not one article."""
    if data.og_type and data.og_type.lower() not in {"article", "news", "newsarticle"}:
        raise NotAnArticle(f"og:type is {data.og_type!r}")
    if data.article is None and data.types & {"CollectionPage", "ItemList", "SearchResultsPage"}:
        raise NotAnArticle("structured data describes a collection")
    title = _title(selector, data)
    if not title:
        raise NotAnArticle("no title")
    body_text = (data.article or {}).get("articleBody")
    paragraphs: list[str] = []
    if isinstance(body_text, str) and len(body_text) >= MIN_BODY_CHARS:
        paragraphs = [p for p in (normalise_inline(x) for x in normalise_text(body_text).split("\n")) if p]
    else:
        # No deduplicate=True: trafilatura's cache is process-wide, so a page fetched twice (or a second copy)
        # would lose the text it shared with pages read earlier.
        extracted = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=True)
        if extracted:
            paragraphs = [p for p in (normalise_inline(x) for x in extracted.split("\n")) if p]
    paragraphs = [p for p in paragraphs if p != title]
    if sum(len(p) for p in paragraphs) < MIN_BODY_CHARS:
        raise NotAnArticle("too little text for an article")
    if _link_text_share(selector, paragraphs) > 0.5:
        raise NotAnArticle("text is mostly links (a listing)")
    paragraphs, source_url = split_source_line(paragraphs)
    paragraphs, byline = _split_byline(paragraphs)
    body_nodes = selector.xpath("//body")
    page_text = " ".join(element_paragraphs(body_nodes[0].root)) if body_nodes else ""
    labels, view_label = _labels_near_title(page_text, title)
    description = data.meta.get("description") or data.meta.get("og:description")
    return PageParts(
        title=title,
        summary=normalise_inline(description) if description else None,
        paragraphs=paragraphs,
        images=[{"url": data.meta["og:image"], "caption": None}] if data.meta.get("og:image") else [],
        author=data.author() or byline,
        category=(data.article or {}).get("articleSection") or data.meta.get("article:section"),
        tags=[t.strip() for t in data.meta.get("keywords", "").split(",") if t.strip()],
        date_labels=labels,
        view_label=view_label,
        source_url=source_url,
    )
