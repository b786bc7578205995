"""The body: the densest run of text paragraphs on the page, with menus, portlets, related lists, tools and
footers around it left out.

Every block gets a weight: running text counts for its length, link lists, chrome, footers and box headings
("Tin cùng chuyên mục") count against, headings, captions and short labels count for nothing. The body is the
run of consecutive blocks with the largest total (a maximum-sum subarray), cut at the first box heading or
footer inside it that is not itself inside a marked box (an inline "Tin liên quan" box is skipped, not an end). Length never decides whether there is a body: a one-paragraph brief is a run of one block.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.extraction.blocks import Block
from crawler.extraction.boilerplate import is_footer_line, is_section_heading, is_tool_line
from crawler.extraction.date_line import is_date_line, is_view_line

_SENTENCE_END = (".", "!", "?", "…", ":", ";", "”", '"', ")")


@dataclass(frozen=True)
class BodyRun:
    start: int
    end: int  # inclusive


def block_weight(block: Block) -> float:
    """What a block adds to a body run: + its text length for running text, - for links and chrome."""
    return block.memoised("weight", _weight)


def _weight(block: Block) -> float:
    size = len(block.text)
    if block.chrome or block.link_density >= 0.5:
        return -float(size)
    if is_footer_line(block.text):
        return -float(size) - 50
    if is_section_heading(block.text):
        return -80.0
    if is_tool_line(block.text):
        return -15.0
    if block.caption or is_date_line(block):
        return 0.0
    words = block.words
    sentence = block.text.endswith(_SENTENCE_END)
    headline_like = (block.heading is not None or block.bold or block.large) and words < 25 and not sentence
    if headline_like or words < 4 or (not sentence and words < 10) or block.text.isupper():
        return 0.0  # headings, labels and one-line captions: part of a body when inside one, never its start
    bonus = 20.0 if sentence else 0.0
    return size * (1.0 - block.link_density) + bonus


def find_body_run(blocks: list[Block]) -> BodyRun | None:
    """The maximum-weight run of consecutive blocks; None when no block reads as text."""
    best_sum, best = 0.0, None
    current_sum, current_start = 0.0, 0
    for block in blocks:
        weight = block_weight(block)
        if current_sum <= 0:
            current_sum, current_start = weight, block.index
        else:
            current_sum += weight
        if current_sum > best_sum:
            best_sum, best = current_sum, (current_start, block.index)
    if best is None:
        return None
    start, end = best
    for block in blocks[start + 1 : end + 1]:
        if not block.chrome and (is_section_heading(block.text) or is_footer_line(block.text)):
            end = block.index - 1
            break
    while end > start and block_weight(blocks[end]) <= 0:
        end -= 1
    start, end = _within_one_container(blocks, start, end)
    start = _after_inner_headline(blocks, start, end)
    # A long headline in plain text reads like a paragraph; the date or view line right under it says where the
    # body begins, so a run that opens with "headline, date line" starts after the date line. When a heading
    # sits right above the run, the run's first block is a stand-first and stays in the body.
    if start + 1 < end and not _heading_above(blocks, start):
        for block in blocks[start + 1 : min(start + 3, end)]:
            if is_date_line(block) or is_view_line(block):
                start = block.index + 1
            else:
                break
    return BodyRun(start, end)


def _after_inner_headline(blocks: list[Block], start: int, end: int) -> int:
    """Text that runs on into the article's own headline (a text box of the left column, an intro above it) is
    not the article: a run holding an <h1>, or a headline-like line with a date line under it, starts below."""
    for block in blocks[start + 1 : end]:
        if block.chrome or block_weight(block) != 0:
            continue
        below = blocks[block.index + 1]
        dated = is_date_line(below) or is_view_line(below)
        if block.heading == 1 or ((block.heading or block.bold or block.large) and dated):
            return below.index + 1 if dated and below.index < end else block.index + 1
    return start


def _heading_above(blocks: list[Block], start: int) -> bool:
    """A heading, or a bold or large line, right above block `start` (at most one block between)."""
    for block in reversed(blocks[max(0, start - 2) : start]):
        if not block.chrome and block.link_density < 0.5 and (block.heading or block.bold or block.large):
            return True
    return False


#: Share of the run's text weight that its container must hold.
_CONTAINER_SHARE = 0.9


def _within_one_container(blocks: list[Block], start: int, end: int) -> tuple[int, int]:
    """Trim the run's ends to the smallest element that holds nearly all of its text: a text box of a sidebar
    or footer that happens to sit right next to the article is not part of it."""
    inside = blocks[start : end + 1]
    weights = [max(block_weight(b), 0.0) for b in inside]
    total = sum(weights)
    if total <= 0 or len(inside) < 2:
        return start, end
    # sets of the elements themselves: lxml keeps one proxy per element while a reference to it lives
    lineages = [{b.element, *b.element.iterancestors()} for b in inside]
    heaviest = inside[weights.index(max(weights))].element
    for container in (heaviest, *heaviest.iterancestors()):
        if sum(w for w, lineage in zip(weights, lineages) if container in lineage) >= _CONTAINER_SHARE * total:
            held = [i for i, lineage in enumerate(lineages) if container in lineage]
            return start + held[0], start + held[-1]
    return start, end
