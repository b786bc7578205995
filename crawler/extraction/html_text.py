"""Turning an HTML container into paragraphs of plain text.

`itertext()` would glue "tiêu đề" and the next paragraph into one line; block elements must end a paragraph,
and inline elements must not.
"""

from __future__ import annotations

from lxml import html as lxml_html
from lxml.etree import _Element

from crawler.parsing.text import normalise_inline

BLOCK_TAGS = frozenset(
    "p div section article h1 h2 h3 h4 h5 h6 li ul ol blockquote table tr td th figure figcaption header "
    "footer aside nav pre address dd dt dl".split()
)
#: Elements whose text is not part of what a reader sees as the article: scripts, forms and their fields (a
#: <textarea> holds raw text), embedded objects and media (their text is a fallback for old browsers).
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "svg", "button", "form", "select", "textarea", "input",
    "object", "embed", "applet", "audio", "video", "canvas", "noembed", "noframes", "math",
})


def element_paragraphs(element: _Element) -> list[str]:
    """Paragraphs of an element's visible text, split at block boundaries and <br>, normalised."""
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = normalise_inline("".join(buffer))
        if text:
            paragraphs.append(text)
        buffer.clear()

    def walk(node: _Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in SKIP_TAGS:
            if node.tail:
                buffer.append(node.tail)
            return
        is_block = tag in BLOCK_TAGS
        if is_block:
            flush()
        if tag == "br":
            flush()
        if node.text and tag:
            buffer.append(node.text)
        for child in node:
            walk(child)
        if is_block:
            flush()
        if node.tail:
            buffer.append(node.tail)

    walk(element)
    flush()
    return paragraphs


def remove_elements(root: _Element, elements: list[_Element]) -> None:
    """Drop elements but keep their tail text, which belongs to the parent's flow."""
    for element in elements:
        parent = element.getparent()
        if parent is None:
            continue
        element.drop_tree() if isinstance(element, lxml_html.HtmlElement) else parent.remove(element)
