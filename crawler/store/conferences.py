"""Grouping articles into conferences: one row per real meeting, linked to every article that reports it.

Two reports are of one conference when they name the same committee (level + locality), the same session number
(or, for an unnumbered session, the same meeting day), no conflicting term, and meeting days within
`SAME_MEETING_DAYS` of each other (the same session number recurs every five-year term, so the date keeps two
terms' "lần thứ 16" apart when a report omits the term). The conference's fields are merged from its articles:
the value most articles agree on wins, ties going to the most complete article, then the earliest published;
fields where articles disagree are recorded.

The rules are pure functions; `Conferences` is the explicit grouping step `Store.save` runs after an article's
row is written, inside the same savepoint.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from crawler.store.articles import dict_rows, insert_row, to_json
from crawler.store.sqlite_lib import sqlite_utils

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
#: Merged fields that are lists (an empty one is stored as [], not NULL).
LIST_FIELDS = ("presided_by", "attendees", "targets")


@lru_cache(maxsize=1024)
def slugify(text: str) -> str:
    """ASCII slug of a name (cached: the same levels and places recur in every conference id)."""
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

    if len(reports) == 1:  # a conference of one report (most): its own values, nothing to weigh
        return _single(reports[0][0]), {}
    ordered = sorted(reports, key=completeness)
    merged: dict[str, Any] = {}
    disagreements: dict[str, list[Any]] = {}
    for name in MERGED_FIELDS:
        values = [facts.get(name) for facts, _ in ordered if facts.get(name) not in (None, [], "")]
        if not values:
            merged[name] = [] if name in LIST_FIELDS else None
            continue
        counts = Counter(_as_key(v) for v in values)
        best = max(counts.values())
        merged[name] = next(v for v in values if counts[_as_key(v)] == best)
        distinct = list(dict.fromkeys(_as_key(v) for v in values))
        if len(distinct) > 1:
            disagreements[name] = [list(v) if isinstance(v, tuple) else v for v in distinct]
    return merged, disagreements


def _single(facts: dict[str, Any]) -> dict[str, Any]:
    """`merge` of one report: each field as the report gives it, an empty value as `merge` writes one."""
    return {
        name: value if value not in (None, [], "") else ([] if name in LIST_FIELDS else None)
        for name, value in ((name, facts.get(name)) for name in MERGED_FIELDS)
    }


def choose_conference(facts: dict[str, Any], day: date | None, candidates: Iterable[dict[str, Any]]) -> str | None:
    """The id of the stored conference (among `candidates`) a report belongs to, or None for a new one."""
    if not is_groupable(facts):
        return None
    return next((c["id"] for c in candidates if same_conference(facts, day, c)), None)


class Conferences:
    """The grouping step over the store: link an article to its conference, re-merge what changed."""

    LIST_COLUMNS = ("presided_by", "attendees", "targets", "sites", "disagreements")

    def __init__(self, db: sqlite_utils.Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def assign(self, url: str, facts: dict[str, Any], published_at: str | None, new: bool = False) -> None:
        """Link the article at `url` to its conference (and unlink it from a previous one; a `new` article has
        none)."""
        if not new:
            previous = self.db.execute("SELECT conference_id FROM conference_articles WHERE article_url = ?", [url]).fetchone()
            self.db.execute("DELETE FROM conference_articles WHERE article_url = ?", [url])
            if previous:
                self.refresh(previous[0])
        if not facts.get("is_conference"):
            return
        day = meeting_day(facts, published_at)
        candidates = (
            self._rows(
                # The lookup index (schema migration `conference_lookup_index`), and the order in which the older
                # level-only index gave the candidates (the planner would still pick that one without statistics).
                "SELECT * FROM conferences INDEXED BY idx_conferences_lookup "
                "WHERE level = ? AND lower(locality) = lower(?) AND session_number IS ? ORDER BY locality, session_number, rowid",
                [facts["level"], facts["locality"], facts.get("session_number")],
            )
            if is_groupable(facts)
            else []
        )
        target = choose_conference(facts, day, candidates)
        if target is None:
            target = conference_id(facts, day, url)
            while self.db.conn.execute("SELECT 1 FROM conferences WHERE id = ?", [target]).fetchone():
                target += "-b"  # the same session number in another term, reported without its term
        self.db.conn.execute("INSERT OR REPLACE INTO conference_articles (article_url, conference_id) VALUES (?, ?)", [url, target])
        self.refresh(target)

    def _rows(self, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
        """Rows as dicts, read on the store's connection inside its open transaction (sqlite-utils' `query`
        wraps every read in a savepoint of its own: two more statements per read)."""
        return dict_rows(self.db.conn.execute(sql, params))

    def refresh(self, conference_id: str) -> None:
        reports = list(
            self._rows(
                "SELECT a.conference, a.published_at, a.site FROM conference_articles c "
                "JOIN articles a ON a.url = c.article_url WHERE c.conference_id = ?",
                [conference_id],
            )
        )
        if not reports:
            self.db.execute("DELETE FROM conferences WHERE id = ?", [conference_id])
            return
        merged, disagreements = merge([(json.loads(r["conference"]), r["published_at"]) for r in reports])
        published = sorted(r["published_at"] for r in reports if r["published_at"])
        record = {
            "id": conference_id,
            **{k: to_json(v) if isinstance(v, list) else v for k, v in merged.items()},
            "article_count": len(reports),
            "sites": to_json(sorted({r["site"] for r in reports})),
            "first_published_at": published[0] if published else None,
            "disagreements": to_json(disagreements) if disagreements else None,
            "updated_at": self.clock().isoformat(timespec="seconds"),
        }
        insert_row(self.db, "conferences", record, replace=True)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Conference entities with their source articles, in meeting order."""
        return self.held_since(None)

    def held_since(self, since: str | None) -> Iterator[dict[str, Any]]:
        """Conference entities, in meeting order; with `since` (YYYY-MM-DD) only those held on or after it (a
        meeting of unknown date counts from its first report)."""
        where, params = ("WHERE coalesce(held_on, first_published_at) >= ?", [since]) if since else ("", [])
        for row in self.db.query(
            f"SELECT * FROM conferences {where} ORDER BY held_on IS NULL, held_on, first_published_at, id", params
        ):
            record = dict(row)
            for name in self.LIST_COLUMNS:
                if isinstance(record.get(name), str):
                    record[name] = json.loads(record[name])
            record["articles"] = list(
                self.db.query(
                    "SELECT a.url, a.site, a.title, a.published_at, a.duplicate_of FROM conference_articles c "
                    "JOIN articles a ON a.url = c.article_url WHERE c.conference_id = ? ORDER BY a.published_at, a.url",
                    [row["id"]],
                )
            )
            yield record
