"""The date and view line: the short line of small print between the headline and the body.

Portals print it in many forms, before or after the headline: "Ngày đăng 05/10/2020 | 14:51", "Publish date
03/03/2020 | 14:00 | View count: 490", "Thứ hai, 05/10/2020 - 14:51", "05/01/2021 10:13 | 0" (with an eye icon),
"2 giờ trước", "1,2K lượt xem". A line counts only when it is mostly a stamp: a date inside running text ("Sáng
ngày 17/9/2015, Huyện ủy tổ chức ...") is the meeting's, not the page's, and is never taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.extraction.blocks import Block
from crawler.parsing.dates import find_full_date, find_relative_stamp, strip_date_labels
from crawler.parsing.numbers import find_view_label

#: Words a date line may carry besides its stamp: a byline, a category, "Nguồn: ...".
_MAX_OTHER_WORDS = 8
_CLOCK = re.compile(r"\b\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?\s*(?:AM|PM|SA|CH)?", re.IGNORECASE)
_TRAILING_COUNT = re.compile(r"(?:^|[|•·])\s*(\d[\d.,]*\s*(?:[kK]|nghìn|triệu)?)\s*$")
_WORD = re.compile(r"[^\W\d_]{2,}")
#: "Hà Nội, ngày 01-08-2021": a document's place-and-date line (or a portal's today), not a publish stamp.
_DATELINE = re.compile(r"^(?!\s*(?:thứ|chủ\s*nhật)\b)[^\d,|:]{2,40},\s*ngày\s+\d", re.IGNORECASE)


@dataclass(frozen=True)
class DateLine:
    date_text: str | None
    view_text: str | None
    #: Indices of the blocks that make up the line (not body text).
    indices: tuple[int, ...]


def _other_words(text: str) -> int:
    rest = strip_date_labels(text)
    for pattern in (find_full_date, find_relative_stamp):
        match = pattern(rest)
        if match:
            rest = rest[: match.start()] + " " + rest[match.end() :]
    rest = _CLOCK.sub(" ", rest)
    return len(_WORD.findall(rest))


def is_date_line(block: Block) -> bool:
    """A short, mostly-stamp line that is not a link (a related item's date sits in a link or beside one)."""
    return block.memoised("date_line", _is_date_line)


def _is_date_line(block: Block) -> bool:
    if block.link_density > 0.5 or len(block.text) > 220 or _DATELINE.match(block.text):
        return False
    if not (find_full_date(block.text) or find_relative_stamp(block.text)):
        return False
    return _other_words(block.text) <= _MAX_OTHER_WORDS


def is_view_line(block: Block) -> bool:
    return block.link_density <= 0.5 and len(block.text) <= 160 and find_view_label(block.text) is not None


def _count_after_stamp(block: Block) -> str | None:
    """'05/01/2021 10:13 | 0': a bare number after a full stamp and a separator is the view count."""
    match = _TRAILING_COUNT.search(block.text)
    if not match or match.start() == 0:
        return None
    head = block.text[: match.start()]
    return match.group(1) if find_full_date(head) and _CLOCK.search(head) and _other_words(head) == 0 else None


def _icon_count(block: Block) -> str | None:
    """'05/01/2021 10:13 | 0' or a bare '2.345' where an eye icon (or a 'view' class) marks the number as the
    view count."""
    match = _TRAILING_COUNT.search(block.text)
    if not match:
        return None
    marked = block.element.xpath(
        ".//*[contains(@class,'eye') or contains(@class,'view') or contains(@class,'luot')]"
        " | self::*[contains(@class,'view')]"
    )
    return match.group(1) if marked else None


def find_date_line(blocks: list[Block], headline: int | None, run_start: int, run_end: int) -> DateLine:
    """Look where people print it: between headline and body first, then just above the headline, then the
    first lines of the body, then just below the body."""
    top = headline if headline is not None else run_start - 1
    zones = [
        range(top + 1, run_start),
        range(max(0, top - 3), top),
        range(run_start, min(run_start + 2, run_end + 1)),
        range(run_end + 1, min(run_end + 4, len(blocks))),
    ]
    date_block: Block | None = None
    view_text: str | None = None
    indices: list[int] = []
    for number, zone in enumerate(zones):
        for index in zone:
            block = blocks[index]
            if block.chrome and number > 0:
                continue  # a header's "today" or a sidebar item's date, away from the headline
            if date_block is None and is_date_line(block):
                date_block = block
                indices.append(index)
                view = find_view_label(block.text)
                view_text = view.group(0) if view else view_text or _icon_count(block) or _count_after_stamp(block)
            elif view_text is None and is_view_line(block) and _other_words(block.text) <= _MAX_OTHER_WORDS:
                view_text = find_view_label(block.text).group(0)  # type: ignore[union-attr]
                indices.append(index)
            elif view_text is None and block.link_density < 0.5 and _icon_count(block):
                view_text = _icon_count(block)
                indices.append(index)
        if date_block is not None:
            break
    if date_block is None and not indices:
        return DateLine(None, None, ())
    return DateLine(date_block.text if date_block else None, view_text, tuple(indices))
