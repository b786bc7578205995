"""The per-site table a crawl prints: what was stored, found, linked, recovered and what failed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crawler.storage import Store

COLUMNS = ("site", "articles", "new", "conferences", "duplicates", "fallbacks", "no_date", "skipped", "dropped", "errors", "warnings")


@dataclass
class SiteSummary:
    site: str
    articles: int
    new: int
    conferences: int
    duplicates: int
    fallbacks: int
    no_date: int
    skipped: int
    dropped: int
    errors: int
    warnings: int = 0

    def row(self) -> list[str]:
        return [str(getattr(self, c)) for c in COLUMNS]


def _sum_prefix(stats: Mapping[str, Any], prefix: str) -> int:
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def code_failures(stats: Mapping[str, Any]) -> int:
    """Exceptions raised by our own callbacks or pipelines: bugs, which fail the run (site faults do not)."""
    return int(stats.get("spider_exceptions/count", 0)) + int(stats.get("crawl/item_errors", 0))


def summarise(site: str, stats: Mapping[str, Any], store: Store) -> SiteSummary:
    """Counts of stored rows come from the database (the truth after dedup); run events from the stats."""
    return SiteSummary(
        site=site,
        articles=store.count("site = ?", [site]),
        new=int(stats.get("store/new", 0)),
        conferences=store.count("site = ? AND is_conference = 1", [site]),
        duplicates=store.count("site = ? AND duplicate_of IS NOT NULL", [site]),
        fallbacks=int(stats.get("extraction/fallback", 0)),
        no_date=store.count("site = ? AND published_at IS NULL", [site]),
        skipped=_sum_prefix(stats, "pages/skipped/"),
        dropped=_sum_prefix(stats, "validate/dropped/") + _sum_prefix(stats, "dedup/dropped/"),
        errors=int(stats.get("crawl/errors", 0)) + code_failures(stats),
        warnings=_sum_prefix(stats, "warnings/"),
    )


def format_table(rows: list[SiteSummary]) -> str:
    table = [list(COLUMNS), *(r.row() for r in rows)]
    if len(rows) > 1:
        totals = ["total", *(str(sum(getattr(r, c) for r in rows)) for c in COLUMNS[1:])]
        table.append(totals)
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))) for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
