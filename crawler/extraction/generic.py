"""The generic reader: any Vietnamese news or government page, read the way a person reads it.

1. The page becomes a list of text blocks (`blocks.py`).
2. The body is the densest run of text blocks (`body_run.py`).
3. The headline is the most prominent block right above it, cross-checked with the page's metadata (`headline.py`).
4. The date and view line sits between the headline and the body (`date_line.py`).
5. The page is one article only if its structure says so (`page_kind.py`).

Structured data still counts where it is good: JSON-LD and meta dates come first in the date pipeline, and the
JSON-LD headline or og:title confirm the headline. A date is never taken from running text.
"""

from __future__ import annotations

from urllib.parse import urljoin

from parsel import Selector

from crawler.extraction.blocks import Block, page_blocks
from crawler.extraction.body_run import BodyRun, find_body_run
from crawler.extraction.boilerplate import fold, is_footer_line, is_section_heading, is_tool_line
from crawler.extraction.date_line import find_date_line, is_date_line
from crawler.extraction.headline import PageTitles, find_headline
from crawler.extraction.page_kind import before_teasers, not_an_article
from crawler.extraction.site import PageParts, split_source_line
from crawler.extraction.structured import StructuredData
from crawler.parsing.text import normalise_inline


class NotAnArticle(Exception):
    """The page is a listing, a tag page or otherwise not one article; the reason says why."""


def _split_byline(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Portals close the text with the author's name on its own line ("Nhóm PV", "Hoài Thu (Trung tâm Văn hóa
    huyện)"): short, no full stop."""
    if len(paragraphs) > 1:
        last = paragraphs[-1]
        if len(last) <= 80 and len(last.split()) <= 12 and not last.endswith((".", "!", "?", "…", ":", ";", '"', "”")):
            return paragraphs[:-1], last
    return paragraphs, None


def _trailing_byline(blocks: list[Block], run: BodyRun) -> str | None:
    """A short name line right after the body ("Hương Ly", "Nhóm PV"), where the run leaves it out."""
    for block in blocks[run.end + 1 : run.end + 2]:
        text = block.text
        if (
            not block.chrome
            and block.link_density < 0.5
            and len(text) <= 40
            and 1 <= block.words <= 6
            and not text.endswith((".", "!", "?", ":"))
            and not is_section_heading(text)
            and not is_tool_line(text)
            and not is_date_line(block)
        ):
            return text.strip("()")
    return None


def _paragraphs(blocks: list[Block], run: BodyRun, skip: set[int], headline: str | None) -> list[str]:
    paragraphs: list[str] = []
    folded_headline = fold(headline) if headline else None
    for block in blocks[run.start : run.end + 1]:
        if (
            block.index in skip
            or block.chrome
            or block.caption
            or block.link_density >= 0.5
            or is_section_heading(block.text)
            or is_tool_line(block.text)
            or is_footer_line(block.text)
            or (is_date_line(block) and block.words <= 12)
        ):
            continue
        if paragraphs and paragraphs[-1] == block.text:
            continue
        paragraphs.append(block.text)
    if folded_headline and len(paragraphs) > 1:
        paragraphs = [p for p in paragraphs if fold(p) != folded_headline] or paragraphs
    return paragraphs


def _photos(blocks: list[Block], start: int, run: BodyRun, url: str) -> list[dict[str, str | None]]:
    """The article's captioned photos from below the headline to the end of the body: each caption with the
    image right above it, when there is one."""
    return [
        {"url": urljoin(url, b.image_before) if b.image_before else None, "caption": b.text}
        for b in blocks[start : run.end + 1]
        if b.caption and not b.chrome
    ]


def read_generic(selector: Selector, url: str, data: StructuredData) -> PageParts:
    """Read any page as one article; raises NotAnArticle when its structure says it is not one."""
    root = selector.root
    blocks = page_blocks(root)
    run = find_body_run(blocks)
    if run is None:
        raise NotAnArticle("no running text")
    titles = PageTitles.read(
        selector.xpath("normalize-space(//title)").get(),
        data.meta.get("og:title"),
        (data.article or {}).get("headline") if isinstance((data.article or {}).get("headline"), str) else None,
        data.meta.get("og:site_name"),
    )
    headline = find_headline(blocks, run.start, titles, url)
    date_line = find_date_line(blocks, headline.index if headline else None, run.start, run.end)
    # A headline on the page with its date line above the text anchors one article; teasers after it are
    # related items, not a listing.
    anchored = headline is not None and headline.index is not None and any(i < run.start for i in date_line.indices)
    reason = not_an_article(blocks, run, url, data.types, data.article is not None, anchored)
    if reason:
        raise NotAnArticle(reason)
    if headline is None:
        raise NotAnArticle("no headline")
    run = before_teasers(blocks, run, url)
    skip = set(date_line.indices)
    if headline.index is not None:
        skip.add(headline.index)
    paragraphs = _paragraphs(blocks, run, skip, headline.text)
    if not paragraphs:
        raise NotAnArticle("no running text")
    paragraphs, source_url = split_source_line(paragraphs)
    paragraphs, byline = _split_byline(paragraphs)
    byline = byline or _trailing_byline(blocks, run)
    description = data.meta.get("description") or data.meta.get("og:description")
    images: list[dict[str, str | None]] = []
    if data.meta.get("og:image"):
        images.append({"url": data.meta["og:image"], "caption": None})
    first = headline.index + 1 if headline.index is not None else run.start
    images.extend(_photos(blocks, first, run, url))
    section = (data.article or {}).get("articleSection")
    return PageParts(
        title=headline.text,
        summary=normalise_inline(description) if description else None,
        paragraphs=paragraphs,
        images=images,
        author=data.author() or byline,
        category=section if isinstance(section, str) else data.meta.get("article:section"),
        tags=[t.strip() for t in data.meta.get("keywords", "").split(",") if t.strip()],
        date_labels=[("page label", date_line.date_text)] if date_line.date_text else [],
        view_label=date_line.view_text,
        source_url=source_url,
    )
