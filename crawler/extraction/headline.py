"""The headline: the most prominent text block right above the date line and the body, not the site's banner.

Prominence is markup (h1-h6, bold or large type, a "title" class) plus closeness to the body. The page's own
metadata cross-checks it: a block equal to JSON-LD `headline`, `og:title` or `<title>` without the site suffix
wins, and a block equal to the site's name (`og:site_name`, the `<title>` suffix, a `<title>` that names only the
portal) loses. Many portals' only <h1> holds the portal's name; their headline is a div or a bold <font>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from crawler.extraction.blocks import Block
from crawler.extraction.boilerplate import fold, is_footer_line, is_section_heading, is_tool_line
from crawler.extraction.date_line import is_date_line, is_view_line
from crawler.parsing.text import normalise_inline

_HEADING_SCORE = {1: 5.0, 2: 4.0, 3: 3.5, 4: 3.0, 5: 2.0, 6: 2.0}
_TITLE_HINT = re.compile(r"title|headline|tieu-?de|tieude|subject|heading", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—:»]|::)\s+")
#: A <title> part that names a portal or an outlet rather than an article.
_SITE_NAME_WORDS = re.compile(
    r"^(?:cong|trang) thong tin|thong tin dien tu|^website|^web site|^portal|^bao |^tap chi|\.vn$|\.com$|^trang chu$"
    r"|^(?:in bai viet|chi tiet tin|tin tuc su kien|tin tuc|tin chi tiet)$"
)
#: A short <title> naming an authority ("UBND huyện Mỹ Đức", "Huyện ủy Gia Lâm") is the portal's owner.
_AUTHORITY_NAME = re.compile(r"^(?:ubnd|uy ban nhan dan|hdnd|huyen uy|quan uy|thi uy|thanh uy|tinh uy|dang uy|dang bo)\b")
_AUTHORITY_MAX_WORDS = 6
_LEVEL_WORDS = frozenset("huyện xã phường tỉnh quận thị thành phố trấn".split())


def _names_an_authority(part: str) -> bool:
    """'UBND huyện Mỹ Đức', 'Huyện ủy Gia Lâm': an authority word, then only a level and a proper name."""
    words = part.split()
    if len(words) > _AUTHORITY_MAX_WORDS or not _AUTHORITY_NAME.match(fold(part)):
        return False
    prefix = len(_AUTHORITY_NAME.match(fold(part)).group(0).split())  # type: ignore[union-attr]
    return all(w[:1].isupper() or w.casefold() in _LEVEL_WORDS for w in words[prefix:])
#: How many blocks above the body a headline may sit (date line, sapo image, tools in between).
_LOOKBACK = 25


@dataclass(frozen=True)
class PageTitles:
    """What the page's metadata says the headline and the site's name are."""

    headlines: tuple[str, ...]
    site_names: tuple[str, ...]
    #: A <title> with no site suffix: on many portals it is the portal's name on every page, so it only hints.
    bare_title: str | None = None

    @classmethod
    def read(cls, title_tag: str | None, og_title: str | None, ld_headline: str | None, site_name: str | None) -> PageTitles:
        headlines: list[str] = [t for t in (ld_headline, og_title) if t]
        names: list[str] = [site_name] if site_name else []
        bare: str | None = None
        if title_tag:
            parts = [p for p in _TITLE_SEPARATORS.split(title_tag) if p.strip()]
            portal_parts = [
                p
                for p in parts
                if (len(p.split()) <= 12 and _SITE_NAME_WORDS.search(fold(p)))
                or _names_an_authority(p)
            ]
            names.extend(portal_parts)
            rest = [p for p in parts if p not in portal_parts]
            if len(parts) > 1 and rest:
                longest = max(rest, key=len)
                headlines.append(longest)
                names.extend(p for p in rest if p is not longest)
            elif not portal_parts:
                bare = normalise_inline(title_tag) or None
        return cls(
            tuple(normalise_inline(h) for h in headlines if normalise_inline(h)),
            tuple(normalise_inline(n) for n in names if normalise_inline(n)),
            bare,
        )

    def candidates(self) -> list[str]:
        """Metadata headlines, most trusted first."""
        return [*self.headlines, *([self.bare_title] if self.bare_title else [])]


@dataclass(frozen=True)
class Headline:
    text: str
    index: int | None  # the block, or None when only metadata gave it


def links_elsewhere(href: str, page_url: str) -> bool:
    """A link to another page (not this one, not an anchor or a script)."""
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return False
    target = urlsplit(urljoin(page_url, href))
    here = urlsplit(page_url)
    return (target.netloc, target.path.rstrip("/")) != (here.netloc, here.path.rstrip("/"))


def _matches(folded: str, other: str) -> float:
    """1 for the same text, 2/3 when one holds most of the other, else 0."""
    if not other:
        return 0.0
    if folded == other:
        return 1.0
    shorter, longer = sorted((folded, other), key=len)
    return 2 / 3 if len(shorter) >= 15 and shorter in longer and len(shorter) >= 0.6 * len(longer) else 0.0


def _agreement(folded: str, titles: PageTitles) -> float:
    """+6 for a block that is the JSON-LD / og:title / suffixed <title> headline, +2.5 for a bare <title>."""
    strong = max((_matches(folded, fold(h)) for h in titles.headlines), default=0.0)
    bare = _matches(folded, fold(titles.bare_title)) if titles.bare_title else 0.0
    return max(6.0 * strong, 2.5 * bare)


def is_candidate(block: Block, page_url: str = "", max_words: int = 80) -> bool:
    """Could be the headline: visible text of headline size, not chrome, not a link to another page (a headline
    linking to its own page is common)."""
    return (
        not block.chrome
        and not block.caption
        and (block.link_density < 0.5 or not any(links_elsewhere(href, page_url) for _, href in block.links))
        and 2 <= block.words <= max_words
        and not is_date_line(block)
        and not is_view_line(block)
        and not is_section_heading(block.text)
        and not is_tool_line(block.text)
        and not is_footer_line(block.text)
    )


def score(
    block: Block, distance: int, titles: PageTitles, site_names: set[str], above_date_line: bool = False
) -> float:
    folded = fold(block.text)
    value = _HEADING_SCORE.get(block.heading or 0, 0.0)
    value += 3.0 if above_date_line else 0.0
    value += 2.5 if block.bold else 0.0
    value += 2.0 if block.large else 0.0
    value += 1.5 if _TITLE_HINT.search(block.hints.split(" ", 3)[0] if block.hints else "") else 0.0
    value += max(0.0, 4.0 - 0.5 * distance)
    agreement = _agreement(folded, titles)
    value += agreement
    if folded in site_names:
        value -= 10.0
    if not agreement and block.text.isupper() and block.words <= 8:
        value -= 2.0  # a category label in capitals ("CHÍNH TRỊ - KINH TẾ")
    if block.text.endswith((".", ";")) and block.words > 30:
        value -= 3.0  # a sentence of running text, not a headline
    return value


#: A line with a menu between it and the body is the site's banner more often than the article's headline.
_ABOVE_NAVIGATION = 4.0


def _above_navigation(window: list[Block]) -> set[int]:
    """Indices of the blocks that have a navigation line (several links, mostly link text) below them."""
    crossed, above = False, set()
    for block in reversed(window):
        if crossed:
            above.add(block.index)
        if len(block.links) >= 2 and block.link_density >= 0.5:
            crossed = True
    return above


def find_headline(blocks: list[Block], run_start: int, titles: PageTitles, page_url: str) -> Headline | None:
    """The best-scoring candidate above the body; the metadata headline when no block is prominent enough."""
    site_names = {fold(n) for n in titles.site_names}
    # A <title> that is nothing but the portal's name (the same text as a banner or footer block) names the site.
    chrome_texts = {fold(b.text) for b in blocks if b.chrome and b.words <= 15}
    site_names |= {fold(h) for h in titles.candidates()} & chrome_texts
    best: tuple[float, Block] | None = None
    window = blocks[max(0, run_start - _LOOKBACK) : run_start]
    above_navigation = _above_navigation(window)
    for position, block in enumerate(window):
        following = window[position + 1] if position + 1 < len(window) else None
        above_date_line = following is not None and (is_date_line(following) or is_view_line(following))
        # right above the date line, a headline may be as long as a sentence
        if not is_candidate(block, page_url, max_words=200 if above_date_line else 80):
            continue
        value = score(block, run_start - block.index - 1, titles, site_names, above_date_line)
        value -= _ABOVE_NAVIGATION if block.index in above_navigation else 0.0
        if best is None or value >= best[0]:  # a tie goes to the line nearer the body
            best = (value, block)
    if best is not None and best[0] >= 4.0:
        return Headline(best[1].text, best[1].index)
    metadata = [h for h in titles.candidates() if fold(h) not in site_names]
    if metadata:
        return Headline(metadata[0], None)
    if best is not None:
        return Headline(best[1].text, best[1].index)
    return None


def teaser_link_before(blocks: list[Block], run_start: int, page_url: str) -> Block | None:
    """The block just above the body when it is a headline-sized link to another page: the body is then a
    teaser of that page, not this page's article."""
    for block in reversed(blocks[max(0, run_start - 3) : run_start]):
        if block.chrome or is_date_line(block):
            continue
        if block.link_density >= 0.8 and block.words >= 4 and block.links and links_elsewhere(block.links[0][1], page_url):
            return block
        if block.words >= 2:
            return None
    return None
