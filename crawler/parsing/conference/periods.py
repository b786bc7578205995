"""Numbers a report gives its meeting: session ("lần thứ ba"), term ("khóa VI", "nhiệm kỳ 2020-2025"), the period
it reviews ("9 tháng năm 2024") and the targets met ("18/18 chỉ tiêu")."""

from __future__ import annotations

import re
from datetime import date

from crawler.parsing.conference.organs import COMMITTEE_LEVEL
from crawler.parsing.numbers import NUMBER_WORDS, parse_ordinal, roman_to_int

_SESSION = re.compile(
    r"\bhội\s+nghị\b(?P<between>[^.;]{0,90}?)\blần\s+(?:thứ\s+(?P<rest>[^,.;()]{1,40})|(?P<digits>\d{1,3})\b)",
    re.IGNORECASE,
)
TERM = re.compile(r"\bkhóa\s+(?P<term>[IVXLC]+|\d{1,3})\b", re.IGNORECASE)
_TERM_PERIOD = re.compile(r"nhiệm\s+kỳ\s+(\d{4})\s*[-–—]\s*(\d{4})", re.IGNORECASE)
_OTHER_BODY_BEFORE = re.compile(r"đại\s+hội|quốc\s+hội|hđnd|hội\s+đồng|trung\s+ương", re.IGNORECASE)
_COMMITTEE_BEFORE = re.compile(r"(?:Ban\s+Chấp\s+hành\s+)?Đảng\s+bộ|\bủy\b|\bBCH\b", re.IGNORECASE)
_CONGRESS_ORDINAL = re.compile(r"đại\s+hội(?:(?!đại\s+hội).){0,80}?lần\s+thứ\s+(\S+)", re.IGNORECASE | re.DOTALL)
_MONTHS_PERIOD = re.compile(
    r"\b(?P<n>\d{1,2}|ba|sáu|chín)\s+tháng(?!\s*\d)(?P<part>\s+(?:đầu|cuối))?(?P<nam>\s+năm(?P<year>\s+\d{4})?)?",
    re.IGNORECASE,
)
_QUARTER_PERIOD = re.compile(r"\bquý\s+(?:I{1,3}|IV|[1-4])(?:\s+năm\s+\d{4})?", re.IGNORECASE)
_YEAR_PERIOD = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
#: "9/17 chỉ tiêu". "(?<![\d/]\d)" after the first digit is "(?<![\d/])" before it: opening with a digit (not a
#: look-behind) lets the regex engine skip ahead to the next digit instead of testing every position.
_TARGETS = re.compile(r"(\d(?<![\d/]\d)\d{0,2})\s*/\s*(\d{1,3})\s+chỉ\s+tiêu", re.IGNORECASE)


def session_number(sentence: str) -> int | None:
    for match in _SESSION.finditer(sentence):
        if re.search(r"đại\s+hội", match.group("between"), re.IGNORECASE):
            continue
        if match.group("digits"):
            return int(match.group("digits"))
        words = match.group("rest").split()
        for size in range(min(4, len(words)), 0, -1):
            candidate = " ".join(words[:size])
            if size > 1 and not all(w.lower() in NUMBER_WORDS for w in words[:size]):
                continue
            value = parse_ordinal(candidate)
            if value:
                return value
    return None


def term_of(key: str, organ_start: int, sentences: list[str], level: str | None = None) -> str | None:
    """ "khóa X" of the committee: in the key sentence, else beside another mention of a party committee
    (never "Quốc hội khóa", "HĐND ... khóa", "Ban Chấp hành Trung ương ... khóa")."""
    for match in [*TERM.finditer(key, organ_start), *TERM.finditer(key, 0, organ_start)]:
        if not _OTHER_BODY_BEFORE.search(key[max(0, match.start() - 40) : match.start()]):
            return match.group("term")
    for sentence in sentences:
        for match in TERM.finditer(sentence):
            before = sentence[max(0, match.start() - 70) : match.start()]
            if not _COMMITTEE_BEFORE.search(before) or _OTHER_BODY_BEFORE.search(before):
                continue
            named = _LEVEL_NAMED.findall(before)
            if level and named and _level_of(named[-1]) != level:
                continue  # "Ban Chấp hành Đảng bộ tỉnh khóa XV" in a district's report: the province's term
            return match.group("term")
    return None


_LEVEL_NAMED = re.compile(
    r"\b(thành\s+phố|thị\s+xã|thị\s+trấn|đặc\s+khu|quận|huyện|tỉnh|phường|xã|(?:Quận|Huyện|Thị|Thành|Tỉnh)\s+ủy)\b",
    re.IGNORECASE,
)


def _level_of(word: str) -> str:
    word = re.sub(r"\s+", " ", word.lower())
    return COMMITTEE_LEVEL[word.split()[0]] if word.endswith(" ủy") else word


def term_number(term: str | None) -> int | None:
    if not term:
        return None
    return int(term) if term.isdigit() else roman_to_int(term)


def term_period(key: str, sentences: list[str], anchor: date | None, term: str | None) -> str | None:
    """ "nhiệm kỳ YYYY-YYYY" from the key sentence; else the first in the text that spans the anchor year and is
    not the term of a congress other than the one that elected this committee (its ordinal equals the term)."""
    match = _TERM_PERIOD.search(key)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    if anchor is None:
        return None
    fallback: str | None = None
    for sentence in sentences:
        for match in _TERM_PERIOD.finditer(sentence):
            start, end = int(match.group(1)), int(match.group(2))
            if not start <= anchor.year <= end:
                continue
            period = f"{start}-{end}"
            fallback = fallback or period
            congress = list(_CONGRESS_ORDINAL.finditer(sentence[max(0, match.start() - 160) : match.start()]))
            if congress and term_number(term) != parse_ordinal(congress[-1].group(1).strip("(),;")):
                continue
            return period
    return fallback


def review_period(sentence: str) -> str | None:
    months = _MONTHS_PERIOD.search(sentence)
    quarter = _QUARTER_PERIOD.search(sentence)
    year = _YEAR_PERIOD.search(sentence)
    candidates = [m for m in (months, quarter, year) if m]
    if not candidates:
        return None
    first = min(candidates, key=lambda m: m.start())
    if first is months and months is not None:
        part = (months.group("part") or "").strip()
        year_text = (months.group("year") or "").strip()
        if not year_text:
            later = _YEAR_PERIOD.search(sentence, months.end())
            year_text = later.group(1) if later else ""
        words = [months.group("n"), "tháng", part, "năm" if year_text or months.group("nam") else "", year_text]
        return " ".join(w for w in words if w)
    return re.sub(r"\s+", " ", first.group(0)).strip()


def targets(text: str) -> list[str]:
    return list(dict.fromkeys(f"{a}/{b}" for a, b in _TARGETS.findall(text) if int(a) <= int(b)))
