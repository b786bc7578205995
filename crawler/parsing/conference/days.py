"""The meeting's day: the time phrase that opens the key sentence ("Chiều 3/10", "Sáng 5-1", "Sáng 3.10", "Sáng
ngày 3 tháng 10", "Vào sáng 3/10", "Trong hai ngày 2 và 3/10"), or one the sentence attaches to its verb ("... đã
khai mạc sáng 30/3"), resolved to a date.

The year comes from the phrase, else from the publish date, else from the years the text itself refers to ("đánh
giá năm 2017, dự kiến nhiệm vụ năm 2018"), else it is unknown. These forms live here, not in parsing/dates.py:
they describe how a report dates its meeting, not how a page stamps its publication.
"""

from __future__ import annotations

import re
from datetime import date

from crawler.parsing.dates import resolve_day_phrase

_PART = r"(?:sáng|trưa|chiều|tối|đêm|hôm)"
_DM = r"\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{4})?"
_DM_WORDS = r"\d{1,2}\s+tháng\s+\d{1,2}(?:\s*(?:năm|,)\s*\d{4})?"
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"
_SPAN = (
    rf"(?:trong\s+(?:hai|ba|2|3)\s+ngày\s*,?\s*)?\(?(?:từ\s+)?(?:{_PART}\s+)?(?:ngày\s+)?\d{{1,2}}\s*(?:và|đến|-|–)\s*"
    rf"(?:ngày\s+)?{_DM}\)?"
)
_SINGLE = (
    rf"(?:{_PART}\s+)?(?:{_WEEKDAY}\s*,?\s*)?(?:nay|qua|kia)?\s*(?:ngày\s+)?(?:{_DM_WORDS}|{_DM})?"
    rf"(?:\s*\(\s*(?:ngày\s+)?{_DM}\s*\))?(?:\s*\(\s*{_WEEKDAY}\s*\))?(?:\s+vừa\s+qua)?"
)
#: The phrase that opens a sentence, up to its first comma.
OPENING = re.compile(rf"^\s*(?P<when>(?:vào\s+)?(?:{_SPAN}|{_SINGLE}))\s*(?:,|(?=tại\s))", re.IGNORECASE)
#: A phrase the sentence attaches to the meeting's verb: "diễn ra vào ngày 10.10", "(đã khai mạc sáng 30/3)".
_ATTACHED = re.compile(
    rf"(?:khai\s+mạc|bế\s+mạc|diễn\s+ra|tổ\s+chức|họp|\bvào)\s+(?:vào\s+)?(?P<when>(?:{_PART}\s+(?:ngày\s+)?|ngày\s+)"
    rf"(?:{_DM_WORDS}|{_DM})|{_PART}\s+(?:nay|qua)\s*\(\s*(?:ngày\s+)?{_DM}\s*\))",
    re.IGNORECASE,
)
_NUMBERS = re.compile(
    rf"(?P<first>\d{{1,2}})\s*(?:và|đến|-|–)\s*(?:ngày\s+)?(?P<d>\d{{1,2}})\s*[/.\-]\s*(?P<m>\d{{1,2}})"
    rf"(?:\s*[/.\-]\s*(?P<y>\d{{4}}))?(?!\d)"
    rf"|(?P<d2>\d{{1,2}})\s*(?:[/.\-]|\s+tháng\s+)\s*(?P<m2>\d{{1,2}})(?:\s*(?:[/.\-]|năm|,)\s*(?P<y2>\d{{4}}))?(?!\d)",
    re.IGNORECASE,
)
#: "năm 2024", not "năm 2020-2025". "(?<!\wnăm)" after the word is "\b" before it: opening with the word lets the
#: regex engine skip ahead to it instead of testing every position.
_YEAR_REFERENCE = re.compile(r"năm(?<!\wnăm)\s+(\d{4})\b(?!\s*[-–]\s*\d{4})", re.IGNORECASE)
#: "đến năm 2030", "tầm nhìn năm 2045", "nhiệm kỳ", "giai đoạn": years the text looks towards, not its own.
_NOT_OWN_YEAR = re.compile(r"(?:đến|tới|tầm\s+nhìn|giai\s+đoạn|nhiệm\s+kỳ|trước)\s*$", re.IGNORECASE)


#: A day that opens a later clause: "Thực hiện chương trình toàn khóa, ngày 20/7, Tỉnh ủy ...".
_CLAUSE = re.compile(
    rf",\s*(?P<when>(?:vào\s+)?(?:{_PART}\s+(?:ngày\s+)?|ngày\s+)(?:{_DM_WORDS}|{_DM}))\s*,", re.IGNORECASE
)


def opening_phrase(sentence: str) -> str | None:
    match = OPENING.match(sentence)
    when = match.group("when").strip() if match else ""
    return when if re.search(r"\d|nay|qua|kia", when, re.IGNORECASE) else None


def attached_phrase(sentence: str) -> str | None:
    """A day inside the sentence: attached to the meeting's verb, or opening a later clause."""
    match = _ATTACHED.search(sentence) or _CLAUSE.search(sentence)
    return match.group("when").strip() if match else None


def _day_month(phrase: str) -> tuple[int, int, int | None] | None:
    match = _NUMBERS.search(phrase)
    if not match:
        return None
    if match.group("first"):  # a span of days: the meeting opened on the first
        return int(match.group("first")), int(match.group("m")), int(match.group("y")) if match.group("y") else None
    if match.group("d"):
        return int(match.group("d")), int(match.group("m")), int(match.group("y")) if match.group("y") else None
    year = match.group("y2")
    return int(match.group("d2")), int(match.group("m2")), int(year) if year else None


def text_year(text: str, month: int) -> int | None:
    """The year a text's own references put a meeting in: one year named, or a year reviewed and the next one
    planned (the meeting falls late in the first, or early in the second); None otherwise."""
    years = {
        int(m.group(1))
        for m in _YEAR_REFERENCE.finditer(text)
        if not _NOT_OWN_YEAR.search(text[max(0, m.start() - 12) : m.start()])
    }
    if len(years) == 1:
        return years.pop()
    if len(years) == 2 and max(years) - min(years) == 1:
        return min(years) if month >= 7 else max(years)
    return None


def meeting_day(phrase: str, published: date | None, text: str) -> date | None:
    """The date `phrase` names, its year completed from the publish date or from the text's own years."""
    parts = _day_month(phrase)
    if parts is None:
        return resolve_day_phrase(phrase, published)  # "Sáng nay", "hôm qua": only the publish date anchors them
    day, month, year = parts
    if year is None and published is None:
        year = text_year(text, month)
        if year is None:
            return None
    try:
        if year is not None:
            return date(year, month, day)
    except ValueError:
        return None
    return resolve_day_phrase(f"{day}/{month}", published)
