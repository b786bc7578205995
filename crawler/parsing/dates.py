"""Publish dates and meeting days as Vietnamese pages write them.

Labels seen on the sites: "Publish date 04/10/2024 | 09:30  | Lượt xem: 66", "Ngày đăng 05/10/2020 | 14:51",
"12:50 11/07/2024", "Thứ Năm, 03/10/2024 20:05 (GMT+7)", ISO stamps in JSON-LD and meta tags. Dates are always
day-first and local to Asia/Ho_Chi_Minh. The common numeric forms take a fast path (a regex is ~100x cheaper than
dateparser); anything else goes to dateparser after the labels and part-of-day words are stripped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal
from zoneinfo import ZoneInfo

import dateparser

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: The offset parsed stamps carry: Vietnam's +07:00. Not VN_TZ, whose history gives a date before 1906 the local
#: mean time (+07:06:40) and pre-1975 dates other offsets; a page's printed wall time means +07:00 today.
PAGE_TZ = timezone(timedelta(hours=7))

_LABELS = re.compile(
    r"(?:publish(?:ed)?\s*date|ngày\s*đăng|ngày\s*xuất\s*bản|cập\s*nhật(?:\s*lúc)?|đăng\s*lúc|đăng\s*ngày|"
    r"updated|posted(?:\s*on)?|thời\s*gian(?:\s*đăng)?)\s*[:：]?",
    re.IGNORECASE,
)
_VIEWS = re.compile(r"(?:lượt\s*xem|lượt\s*đọc|views?)\s*[:：]?\s*[\d.,]*", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"\b(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*,?",
    re.IGNORECASE,
)
_PART_OF_DAY = re.compile(r"\b(?:sáng|trưa|chiều|tối|đêm|khuya)\b", re.IGNORECASE)
_GMT = re.compile(r"\(?\s*(?:GMT|UTC)\s*\+?\s*0?7(?::?00)?\s*\)?", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_CLOCK = re.compile(r"(?<![\d/])(\d{1,2})\s*[:h]\s*(\d{2})(?::(\d{2}))?\s*(AM|PM|SA|CH)?(?![\d/])", re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")

_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "TO_TIMEZONE": "Asia/Ho_Chi_Minh",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
}


@dataclass(frozen=True)
class ParsedDate:
    """A parsed stamp; `has_time` is False when the source gave only a day (we never invent a time)."""

    value: datetime
    has_time: bool = True

    def isoformat(self) -> str:
        return self.value.isoformat() if self.has_time else self.value.date().isoformat()


def strip_date_labels(text: str) -> str:
    """Remove labels, view counters, weekdays, part-of-day words and GMT tags around a stamp."""
    cleaned = unicodedata.normalize("NFC", text)
    for pattern in (_VIEWS, _LABELS, _WEEKDAY, _GMT, _PART_OF_DAY):
        cleaned = pattern.sub(" ", cleaned)
    cleaned = cleaned.replace("|", " ").replace(",", " ")
    return re.sub(r"\s+", " ", cleaned).strip(" -–")


def _from_iso(text: str) -> ParsedDate | None:
    value = text.replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    has_time = "T" in text or " " in text.strip()
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=PAGE_TZ)
    try:
        return ParsedDate(parsed.astimezone(PAGE_TZ), has_time)
    except OverflowError:  # year 1 or 9999 shifted out of range
        return None


def _fast_numeric(text: str) -> ParsedDate | None:
    date_match = _NUMERIC_DATE.search(text)
    if not date_match:
        return None
    day, month, year = (int(g) for g in date_match.groups())
    try:
        day_value = date(year, month, day)
    except ValueError:
        return None
    rest = text[: date_match.start()] + " " + text[date_match.end() :]
    clock = _CLOCK.search(rest)
    if not clock:
        return ParsedDate(datetime.combine(day_value, time(0, 0), PAGE_TZ), has_time=False)
    hour, minute = int(clock.group(1)), int(clock.group(2))
    second = int(clock.group(3) or 0)
    meridiem = (clock.group(4) or "").upper()
    if meridiem in {"PM", "CH"} and hour < 12:
        hour += 12
    elif meridiem in {"AM", "SA"} and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return ParsedDate(datetime.combine(day_value, time(hour, minute, second), PAGE_TZ))


def parse_vn_datetime(
    text: str | None, *, errors: Literal["none", "raise"] = "none"
) -> ParsedDate | None:
    """Parse a publish stamp as Vietnamese pages print it; None (or ValueError) when no full date is present.

    A stamp without a year is refused: guessing the year of a publish date would be inventing data.
    """
    if not text or not text.strip():
        if errors == "raise":
            raise ValueError("empty date text")
        return None
    raw = text.strip()
    parsed = _from_iso(raw) if _ISO.match(raw) else None
    if parsed is None:
        cleaned = strip_date_labels(raw)
        parsed = _fast_numeric(cleaned)
        if parsed is None and cleaned:
            try:
                result = dateparser.parse(cleaned, languages=["vi", "en"], settings=_DATEPARSER_SETTINGS)
            except (OverflowError, ValueError):  # a year 1 or 9999 shifted out of range
                result = None
            if result is not None:
                has_time = bool(_CLOCK.search(cleaned))
                parsed = ParsedDate(result.replace(tzinfo=PAGE_TZ), has_time)  # dateparser gives VN wall time
    if parsed is None and errors == "raise":
        raise ValueError(f"no date in {text!r}")
    return parsed


_URL_DATE = re.compile(r"(?<!\d)(20\d{2})[/\-]?(0[1-9]|1[0-2])[/\-]?(0[1-9]|[12]\d|3[01])(?!\d)")


def parse_date_from_url(url: str) -> ParsedDate | None:
    """A day encoded in a URL path ('/2024/10/03/', '-20241003.html'); day precision only."""
    match = _URL_DATE.search(url.split("?", 1)[0])
    if not match:
        return None
    try:
        day_value = date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
    return ParsedDate(datetime.combine(day_value, time(0, 0), PAGE_TZ), has_time=False)


# --- meeting days relative to the publish date ------------------------------------------------------------

_RELATIVE_DAYS = (
    (re.compile(r"\bhôm\s*kia\b", re.IGNORECASE), 2),
    (re.compile(r"\b(?:hôm|sáng|trưa|chiều|tối|đêm)\s*qua\b", re.IGNORECASE), 1),
    (re.compile(r"\b(?:hôm|sáng|trưa|chiều|tối|đêm)\s*nay\b", re.IGNORECASE), 0),
)
_DAY_MONTH = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])")

#: How far after publication a resolved meeting day may fall before we assume the previous year
#: (a report published 2 Jan about "Ngày 30/12" means last December).
_FUTURE_TOLERANCE = timedelta(days=7)


def resolve_day_phrase(phrase: str, anchor: date | None) -> date | None:
    """Resolve "Chiều 3/10", "Sáng ngày 02/10/2020", "Sáng nay (12/4)", "hôm qua" against the publish day.

    A day/month without year takes the anchor's year, or the year before when that would put the meeting
    more than a week after publication. Without an anchor only a phrase with a full date resolves.
    """
    text = unicodedata.normalize("NFC", phrase)
    match = _DAY_MONTH.search(text)
    if match:
        day, month = int(match.group(1)), int(match.group(2))
        if match.group(3):
            try:
                return date(int(match.group(3)), month, day)
            except ValueError:
                return None
        if anchor is None:
            return None
        for year in (anchor.year, anchor.year - 1):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate <= anchor + _FUTURE_TOLERANCE:
                return candidate
        return None
    if anchor is None:
        return None
    for pattern, days_back in _RELATIVE_DAYS:
        if pattern.search(text):
            return anchor - timedelta(days=days_back)
    return None
