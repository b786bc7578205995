"""One article or not, decided from the page's structure, never from a length threshold.

An article is one headline (not a link to another page), usually a date line, and running text, however short.
A listing or tag page is many headline links, each with a teaser; a page of two articles' teasers is two such
pairs. Structured data that calls the page a collection settles it.
"""

from __future__ import annotations

from crawler.extraction.blocks import Block
from crawler.extraction.body_run import BodyRun, block_weight
from crawler.extraction.headline import links_elsewhere, teaser_link_before

_COLLECTION_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage"})


def _is_teaser_headline(block: Block, page_url: str) -> bool:
    """A block that opens with a headline-sized link to another page."""
    link = block.starts_with_link()
    return link is not None and not block.chrome and len(link[0].split()) >= 4 and links_elsewhere(link[1], page_url)


def not_an_article(
    blocks: list[Block],
    run: BodyRun | None,
    page_url: str,
    structured_types: set[str],
    has_article_data: bool,
    anchored: bool = False,
) -> str | None:
    """Why the page is not one article, or None when it is one. `anchored`: a headline and a date line sit
    above the text, so text that opens with the article's own words is one article, whatever follows it."""
    if not has_article_data and structured_types & _COLLECTION_TYPES:
        return "structured data describes a collection"
    if run is None:
        return "no running text"
    inside = blocks[run.start : run.end + 1]
    if anchored and not _is_teaser_headline(inside[0], page_url) and teaser_link_before(blocks, run.start, page_url) is None:
        return None
    weights = [block_weight(block) for block in inside]
    pairs = 0
    for position, block in enumerate(inside):
        if not _is_teaser_headline(block, page_url):
            continue
        if block.link_density < 0.5:
            pairs += 1  # "<a>Headline</a> teaser ..." in one block
            continue
        # the teaser follows its headline link, perhaps after a date line or a thumbnail caption (weight 0)
        following = next((w for w in weights[position + 1 :] if w != 0), 0.0)
        pairs += following > 0
    text_blocks = sum(1 for weight in weights if weight > 0)
    before = teaser_link_before(blocks, run.start, page_url)
    if before is not None:
        pairs += 1
    if pairs >= 2 and pairs * 2 >= text_blocks:
        return f"{pairs} headline links with teasers (a listing)"
    if before is not None and pairs >= 1 and text_blocks <= 2 * pairs:
        return "the text is a teaser of another page"
    return None


def before_teasers(blocks: list[Block], run: BodyRun, page_url: str) -> BodyRun:
    """The run up to the first headline link with a teaser inside it: related items after the article."""
    for block in blocks[run.start + 1 : run.end + 1]:
        if _is_teaser_headline(block, page_url) and not block.chrome:
            end = block.index - 1
            while end > run.start and block_weight(blocks[end]) <= 0:
                end -= 1
            return BodyRun(run.start, end)
    return run
