"""A page as a person reads it: a sequence of text blocks in reading order, each with what it looks like.

Every block-level element (and every `<br>`-separated run inside one) becomes a `Block` with its text, how much
of it is link text, whether it is a heading or set in bold / large type, and whether it sits inside page chrome
(navigation, footers, sidebars, share tools, related-article boxes). The generic reader's finders (headline,
date line, body run, page kind) all work on this one list, so the page is walked once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from lxml.etree import _Element

from crawler.extraction.boilerplate import is_chrome_element
from crawler.parsing.text import normalise_inline

BLOCK_TAGS = frozenset(
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol dl dd dt blockquote table tbody thead tfoot tr td th "
    "figure figcaption header footer aside nav pre address center form fieldset".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template iframe svg button select option input textarea link meta head object "
    "embed canvas map".split()
)
T = TypeVar("T")
_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_EMPHASIS_TAGS = frozenset({"b", "strong"})
_ITALIC_TAGS = frozenset({"i", "em"})
_CENTERED = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
#: A photo's caption: the short italic or centred line right under an image.
_CAPTION_MAX_WORDS = 40
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_LARGE_STYLE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)\s*(px|pt|em|rem)", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIDDEN_CLASSES = frozenset({"hidden", "hide", "sr-only", "visually-hidden", "d-none", "invisible"})
_CAPTION_HINT = re.compile(r"caption|chu-thich|chuthich|image-desc|img-desc|photo-desc", re.IGNORECASE)


@dataclass
class Block:
    """One run of text between block boundaries."""

    index: int
    text: str
    #: The nearest block-level element holding the text; blocks split by <br> share it.
    element: _Element
    link_chars: int = 0
    #: (text, href) of each link in the block, in order.
    links: list[tuple[str, str]] = field(default_factory=list)
    heading: int | None = None
    bold: bool = False
    large: bool = False
    chrome: bool = False
    caption: bool = False
    #: Lower-cased class and id names of the block's ancestors (innermost first), for title/date hints.
    hints: str = ""
    #: `datetime` attributes of <time> elements inside the block.
    datetimes: list[str] = field(default_factory=list)
    #: The src of an image met between the previous block and this one (a caption's photo).
    image_before: str | None = None
    #: Results the finders compute once per block (its weight, whether it is a date line).
    memo: dict[str, object] = field(default_factory=dict)

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
    def words(self) -> int:
        return len(self.text.split())

    def memoised(self, key: str, compute: Callable[[Block], T]) -> T:
        """`compute(self)`, computed once per block: the finders ask the same question of a block many times."""
        if key not in self.memo:
            self.memo[key] = compute(self)
        return self.memo[key]  # type: ignore[return-value]

    def starts_with_link(self) -> tuple[str, str] | None:
        """The block's first link when the block opens with it ("<a>Headline</a> teaser ...")."""
        if self.links and self.text.startswith(self.links[0][0][:20]):
            return self.links[0]
        return None


def _classes(element: _Element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}".strip().lower()


def _hidden(element: _Element) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    classes = element.get("class")
    if not classes:
        return False
    names = classes.lower().split()
    return not _HIDDEN_CLASSES.isdisjoint(names) or any(name.endswith("-hidden") for name in names)


def _is_large(element: _Element) -> bool:
    size = element.get("size")
    if element.tag == "font" and size:
        try:
            return int(size.strip("+")) >= 4 or (size.startswith("+") and int(size[1:]) >= 1)
        except ValueError:
            return False
    style = element.get("style")
    if style:
        match = _LARGE_STYLE.search(style)
        if match:
            value, unit = float(match.group(1)), match.group(2).lower()
            return value >= {"px": 17, "pt": 13, "em": 1.15, "rem": 1.15}[unit]
    return False


def _is_bold(element: _Element) -> bool:
    if element.tag in _EMPHASIS_TAGS:
        return True
    style = element.get("style")
    return bool(style and _BOLD_STYLE.search(style))


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.link_chars = 0
        self.links: list[tuple[str, str]] = []
        self.datetimes: list[str] = []
        #: Characters of the buffer set in bold / large type, to tell a bold headline from a bold word.
        self.bold_chars = 0
        self.large_chars = 0
        self.italic_chars = 0
        self.image_seen: str | None = None

    def flush(self, element: _Element, state: tuple[int | None, bool, bool, str]) -> None:
        raw = "".join(self.buffer)
        text = normalise_inline(raw)
        heading, chrome, caption, hints = state
        if text:
            visible = len(raw.strip()) or 1
            if self.image_seen is not None and not caption and len(text.split()) <= _CAPTION_MAX_WORDS:
                centered = element.get("align") == "center" or bool(_CENTERED.search(element.get("style") or ""))
                caption = centered or self.italic_chars >= 0.8 * visible
            self.blocks.append(
                Block(
                    index=len(self.blocks),
                    text=text,
                    element=element,
                    link_chars=min(self.link_chars, len(text)),
                    links=list(self.links),
                    heading=heading,
                    bold=self.bold_chars >= 0.8 * visible,
                    large=self.large_chars >= 0.8 * visible,
                    chrome=chrome,
                    caption=caption,
                    hints=hints,
                    datetimes=list(self.datetimes),
                    image_before=self.image_seen,
                )
            )
            self.image_seen = None
        self.buffer.clear()
        self.links.clear()
        self.datetimes.clear()
        self.link_chars = self.bold_chars = self.large_chars = self.italic_chars = 0

    def walk(
        self,
        node: _Element,
        block: _Element,
        state: tuple[int | None, bool, bool, str],
        in_link: bool,
        bold: bool,
        large: bool,
        italic: bool = False,
    ) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag or tag in SKIP_TAGS or _hidden(node):
            if node.tail:
                self._text(node.tail, in_link=in_link, bold=bold, large=large, italic=italic)
            return
        if tag in {"img", "amp-img"}:
            self.image_seen = node.get("src") or node.get("data-src") or ""
        is_block = tag in BLOCK_TAGS
        if is_block or tag == "br":
            self.flush(block, state)
        if is_block:
            heading, chrome, caption, hints = state
            own = _classes(node)
            if tag in _HEADING_LEVEL:
                heading = _HEADING_LEVEL[tag]
            chrome = chrome or is_chrome_element(node)
            caption = caption or tag == "figcaption" or bool(own and _CAPTION_HINT.search(own))
            hints = f"{own} {hints}" if own else hints
            state = (heading, chrome, caption, hints[:300])
            block = node
        outer_bold, outer_large, outer_italic = bold, large, italic
        bold = bold or _is_bold(node)
        italic = italic or tag in _ITALIC_TAGS
        large = large or _is_large(node) or (is_block and node.get("class") is not None and "title" in (node.get("class") or "").lower())
        link = in_link
        if tag == "a" and node.get("href"):
            link = True
            text = normalise_inline(" ".join(node.itertext()))
            if text:
                self.links.append((text, node.get("href") or ""))
        if tag == "time" and node.get("datetime"):
            self.datetimes.append(node.get("datetime") or "")
        if node.text:
            self._text(node.text, in_link=link, bold=bold, large=large, italic=italic)
        for child in node:
            self.walk(child, block, state, link, bold, large, italic)
        if is_block:
            self.flush(block, state)
        if node.tail:
            self._text(node.tail, in_link=in_link, bold=outer_bold, large=outer_large, italic=outer_italic)

    def _text(self, text: str, *, in_link: bool, bold: bool, large: bool, italic: bool = False) -> None:
        self.buffer.append(text)
        size = len(text.strip())
        if in_link:
            self.link_chars += size
        if bold:
            self.bold_chars += size
        if large:
            self.large_chars += size
        if italic:
            self.italic_chars += size


def page_blocks(root: _Element) -> list[Block]:
    """The text blocks of a page's <body> (or of `root` itself), in reading order."""
    body = root.find(".//body") if root.tag != "body" else root
    start = body if body is not None else root
    walker = _Walker()
    walker.walk(start, start, (None, False, False, ""), False, False, False)
    walker.flush(start, (None, False, False, ""))
    return walker.blocks
