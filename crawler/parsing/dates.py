"""Publish dates and meeting days as Vietnamese pages write them.

Labels seen on the sites: "Publish date 04/10/2024 | 09:30  | Lượt xem: 66", "Ngày đăng 05/10/2020 | 14:51",
"12:50 11/07/2024", "Thứ Năm, 03/10/2024 20:05 (GMT+7)", "Đăng ngày 24 - 02 - 2020", "Cập nhật: 08:30 - 05/10/2020",
"Thứ Hai, ngày 05 tháng 10 năm 2020", ISO stamps in JSON-LD and meta tags. Dates are always day-first and local to
Asia/Ho_Chi_Minh. The common numeric forms take a fast path (a regex is ~100x cheaper than dateparser); anything
else goes to dateparser after the labels and part-of-day words are stripped.

Relative stamps ("2 giờ trước", "hôm qua 14:30", "3 ngày trước") mean something only against the moment the page
was fetched: `parse_vn_datetime(..., relative_to=fetched_at)` resolves them and marks the result `relative`.
"15 tháng trước" or "2 tuần trước" name no day, so they give None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal
from zoneinfo import ZoneInfo

from crawler.parsing.numbers import words_to_int

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: The offset parsed stamps carry: Vietnam's +07:00. Not VN_TZ, whose history gives a date before 1906 the local
#: mean time (+07:06:40) and pre-1975 dates other offsets; a page's printed wall time means +07:00 today.
PAGE_TZ = timezone(timedelta(hours=7))

_LABELS = re.compile(
    r"(?:publish(?:ed)?\s*date|ngày\s*đăng|ngày\s*xuất\s*bản|cập\s*nhật(?:\s*lúc)?|đăng\s*lúc|đăng\s*ngày|"
    r"ngày\s*cập\s*nhật|ngày\s*ban\s*hành|ngày|updated|posted(?:\s*on)?|thời\s*gian(?:\s*đăng)?)\s*[:：]?",
    re.IGNORECASE,
)
_VIEWS = re.compile(
    r"(?:(?:số\s*)?lượt\s*(?:xem|đọc|truy\s*cập)|views?(?:\s*count)?|hits)\s*[:：]?\s*[\d.,]*\s*(?:k|nghìn|triệu)?"
    r"|[\d.,]+\s*(?:k|nghìn|triệu)?\s*(?:lượt\s*(?:xem|đọc)|views?)",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"\b(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*,?",
    re.IGNORECASE,
)
_PART_OF_DAY = re.compile(r"\b(?:sáng|trưa|chiều|tối|đêm|khuya)\b", re.IGNORECASE)
_GMT = re.compile(r"\(?\s*(?:GMT|UTC)\s*\+?\s*0?7(?::?00)?\s*\)?", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_CLOCK = re.compile(r"(?<![\d/])(\d{1,2})\s*[:h]\s*(\d{2})(?::(\d{2}))?\s*(AM|PM|SA|CH)?(?![\d/])", re.IGNORECASE)
_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?!\d)")
_WORDS_DATE = re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:năm\s+|,\s*)?(\d{4})(?!\d)", re.IGNORECASE)
_MONTH_NAMES = {
    "giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
    "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12,
}
_MONTH_WORD = r"(mười\s+một|mười\s+hai|mười|giêng|chạp|một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín)"
#: WordPress's Vietnamese locale: "Tháng Mười 5, 2020", "5 Tháng Mười, 2020".
_MONTH_NAME_FIRST = re.compile(r"tháng\s+" + _MONTH_WORD + r"\s+(\d{1,2})\s*,?\s*(\d{4})(?!\d)", re.IGNORECASE)
_DAY_FIRST_NAMED = re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+" + _MONTH_WORD + r"\s*,?\s*(?:năm\s+)?(\d{4})(?!\d)", re.IGNORECASE)
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
    """A parsed stamp; `has_time` is False when the source gave only a day (we never invent a time); `relative`
    when it was printed relative to the fetch ("2 giờ trước") and resolved against the fetch time."""

    value: datetime
    has_time: bool = True
    relative: bool = False

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


def _date_match(text: str) -> tuple[re.Match[str], int, int, int] | None:
    """The first full date in a text, as (match, day, month, year): day-first, year-first or in words."""
    patterns = (_NUMERIC_DATE, _YEAR_FIRST, _WORDS_DATE, _MONTH_NAME_FIRST, _DAY_FIRST_NAMED)
    found = [(m, m.start()) for m in (pattern.search(text) for pattern in patterns) if m]
    if not found:
        return None
    match = min(found, key=lambda pair: pair[1])[0]
    groups = match.groups()
    if match.re is _YEAR_FIRST:
        year, month, day = (int(g) for g in groups)
    elif match.re is _MONTH_NAME_FIRST:
        month, day, year = _MONTH_NAMES[re.sub(r"\s+", " ", groups[0].casefold())], int(groups[1]), int(groups[2])
    elif match.re is _DAY_FIRST_NAMED:
        day, month, year = int(groups[0]), _MONTH_NAMES[re.sub(r"\s+", " ", groups[1].casefold())], int(groups[2])
    else:
        day, month, year = (int(g) for g in groups)
    return match, day, month, year


def _fast_numeric(text: str) -> ParsedDate | None:
    found = _date_match(text)
    if not found:
        return None
    date_match, day, month, year = found
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


_AGO_COUNT = r"(\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)"
_AGO_UNIT = r"(giây|phút|giờ|tiếng|ngày|tuần|tháng|năm)"
#: "2 giờ trước", "15 phút trước", "3 ngày trước", "vừa xong"; weeks, months and years name no day.
_RELATIVE_AGO = re.compile(
    rf"(?:(?<![\w/]){_AGO_COUNT}\s*{_AGO_UNIT}\s*trước\b|cách\s*đây\s*{_AGO_COUNT}\s*{_AGO_UNIT}\b)",
    re.IGNORECASE,
)
_JUST_NOW = re.compile(r"\b(?:vừa\s*xong|vừa\s*đăng|mới\s*đăng)\b", re.IGNORECASE)
_RELATIVE_DAY = re.compile(r"\b(hôm\s*qua|hôm\s*kia|hôm\s*nay)\b", re.IGNORECASE)
_UNIT_SECONDS = {"giây": 1, "phút": 60, "giờ": 3600, "tiếng": 3600}


def find_relative_stamp(text: str) -> re.Match[str] | None:
    """A stamp printed relative to the moment of fetching ("2 giờ trước", "hôm qua", "vừa xong"), or None."""
    normalised = unicodedata.normalize("NFC", text)
    return _RELATIVE_AGO.search(normalised) or _RELATIVE_DAY.search(normalised) or _JUST_NOW.search(normalised)


def find_full_date(text: str) -> re.Match[str] | None:
    """The first date with day, month and year in a text (any printed order), or None."""
    found = _date_match(unicodedata.normalize("NFC", text))
    return found[0] if found else None


def _resolve_relative(text: str, fetched_at: datetime) -> ParsedDate | None:
    """Resolve a relative stamp against the fetch time; None for spans that name no day ("15 tháng trước")."""
    now = fetched_at.astimezone(VN_TZ)
    ago = _RELATIVE_AGO.search(text)
    if ago:
        count, unit = (ago.group(1), ago.group(2)) if ago.group(1) else (ago.group(3), ago.group(4))
        amount = int(count) if count.isdigit() else words_to_int(count) or 0
        unit = unit.casefold()
        if unit in _UNIT_SECONDS:
            value = (now - timedelta(seconds=amount * _UNIT_SECONDS[unit])).replace(second=0, microsecond=0)
            return ParsedDate(value, has_time=True, relative=True)
        if unit == "ngày":
            day_value = now.date() - timedelta(days=amount)
            return ParsedDate(datetime.combine(day_value, time(0, 0), VN_TZ), has_time=False, relative=True)
        return None
    if _JUST_NOW.search(text):
        return ParsedDate(now.replace(second=0, microsecond=0), has_time=True, relative=True)
    day_word = _RELATIVE_DAY.search(text)
    if day_word:
        back = {"hôm qua": 1, "hôm kia": 2, "hôm nay": 0}[re.sub(r"\s+", " ", day_word.group(1).casefold())]
        day_value = now.date() - timedelta(days=back)
        clock = _CLOCK.search(text)
        if clock and int(clock.group(1)) < 24 and int(clock.group(2)) < 60:
            moment = time(int(clock.group(1)), int(clock.group(2)))
            return ParsedDate(datetime.combine(day_value, moment, VN_TZ), has_time=True, relative=True)
        return ParsedDate(datetime.combine(day_value, time(0, 0), VN_TZ), has_time=False, relative=True)
    return None


def parse_vn_datetime(
    text: str | None, *, errors: Literal["none", "raise"] = "none", relative_to: datetime | None = None
) -> ParsedDate | None:
    """Parse a publish stamp as Vietnamese pages print it; None (or ValueError) when no full date is present.

    A stamp without a year is refused: guessing the year of a publish date would be inventing data. A relative
    stamp ("2 giờ trước") is resolved only against `relative_to`, the moment the page was fetched.
    """
    if not text or not text.strip():
        if errors == "raise":
            raise ValueError("empty date text")
        return None
    raw = text.strip()
    parsed = _from_iso(raw) if _ISO.match(raw) else None
    if parsed is None and not find_full_date(raw) and find_relative_stamp(raw):
        parsed = _resolve_relative(unicodedata.normalize("NFC", raw), relative_to) if relative_to else None
        if parsed is None and errors == "raise":
            raise ValueError(f"no day in relative stamp {text!r}")
        return parsed
    if parsed is None:
        cleaned = strip_date_labels(raw)
        parsed = _fast_numeric(cleaned)
        if parsed is None and cleaned:
            try:
                import dateparser  # on first use: 11 MiB and a slow import that pages with numeric dates never need

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
