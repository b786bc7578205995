"""Grouping articles into conferences: one row per real meeting, linked to every article that reports it.

Two reports are of one conference when they name the same committee (level + locality), the same session number
(or, for an unnumbered session, the same meeting day), no conflicting term, and meeting days within
`SAME_MEETING_DAYS` of each other (the same session number recurs every five-year term, so the date keeps two
terms' "lần thứ 16" apart when a report omits the term). The conference's fields are merged from its articles:
the value most articles agree on wins, ties going to the most complete article, then the earliest published;
fields where articles disagree are recorded.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date
from typing import Any

MERGED_FIELDS = (
    "organ_normalized",
    "level",
    "locality",
    "province",
    "term",
    "term_number",
    "term_period",
    "session_number",
    "held_on",
    "held_on_text",
    "presided_by",
    "attendees",
    "targets",
    "review_period",
)
SAME_MEETING_DAYS = 45


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    ascii_text = "".join(ch for ch in ascii_text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def meeting_day(facts: dict[str, Any], published_at: str | None) -> date | None:
    """The meeting day if known, else the publish day (a report follows its meeting within days)."""
    value = facts.get("held_on") or (published_at[:10] if published_at else None)
    return date.fromisoformat(value) if value else None


def is_groupable(facts: dict[str, Any]) -> bool:
    return bool(facts.get("is_conference") and facts.get("level") and facts.get("locality") and (facts.get("session_number") or facts.get("held_on")))


def same_conference(facts: dict[str, Any], day: date | None, conference: dict[str, Any]) -> bool:
    if (facts.get("level"), (facts.get("locality") or "").casefold()) != (conference["level"], (conference["locality"] or "").casefold()):
        return False
    if facts.get("session_number") != conference["session_number"]:
        return False
    if facts.get("session_number") is None and facts.get("held_on") != conference["held_on"]:
        return False
    if facts.get("term_number") and conference["term_number"] and facts["term_number"] != conference["term_number"]:
        return False
    anchor = conference.get("held_on") or conference.get("first_published_at")
    if day and anchor:
        return abs((day - date.fromisoformat(anchor[:10])).days) <= SAME_MEETING_DAYS
    return True


def conference_id(facts: dict[str, Any], day: date | None, fallback: str) -> str:
    """A readable id fixed at creation: quan-thanh-xuan-hn22-2024 (level, place, session, year)."""
    if not is_groupable(facts):
        return "article-" + slugify(fallback)[-80:]
    session = f"hn{facts['session_number']}" if facts.get("session_number") else f"ngay-{facts['held_on']}"
    year = f"-{day.year}" if day and facts.get("session_number") else ""
    return f"{slugify(facts['level'])}-{slugify(facts['locality'])}-{session}{year}"


def _as_key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def merge(reports: list[tuple[dict[str, Any], str | None]]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Merge (facts, published_at) reports into one record, plus {field: distinct values} where they disagree."""
    def completeness(report: tuple[dict[str, Any], str | None]) -> tuple[int, str]:
        facts, published = report
        return (-sum(1 for f in MERGED_FIELDS if facts.get(f) not in (None, [], "")), published or "9999")

    ordered = sorted(reports, key=completeness)
    merged: dict[str, Any] = {}
    disagreements: dict[str, list[Any]] = {}
    for name in MERGED_FIELDS:
        values = [facts.get(name) for facts, _ in ordered if facts.get(name) not in (None, [], "")]
        if not values:
            merged[name] = [] if name in ("presided_by", "attendees", "targets") else None
            continue
        counts = Counter(_as_key(v) for v in values)
        best = max(counts.values())
        merged[name] = next(v for v in values if counts[_as_key(v)] == best)
        distinct = list(dict.fromkeys(_as_key(v) for v in values))
        if len(distinct) > 1:
            disagreements[name] = [list(v) if isinstance(v, tuple) else v for v in distinct]
    return merged, disagreements
