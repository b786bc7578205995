"""The per-site table a crawl prints: what was stored, found, linked, recovered and what failed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crawler.stats import (
    CRAWL_ERRORS, DROPPED_PREFIXES, EXTRACTION_FALLBACK, SKIPPED_PREFIX, STORE_NEW, WARNINGS_PREFIX, code_failures, count,
    parser_hits,
    sum_prefix,
)
from crawler.store import Store

#: The words are those of the README's "Words in reports": `not_articles` are pages met that are not articles.
COLUMNS = ("site", "articles", "new", "conferences", "duplicates", "fallbacks", "no_date", "not_articles", "dropped", "errors", "warnings")


@dataclass
class SiteSummary:
    site: str
    articles: int
    new: int
    conferences: int
    duplicates: int
    fallbacks: int
    no_date: int
    not_articles: int
    dropped: int
    errors: int
    warnings: int = 0
    #: Articles each parser version read this run (every version of the site listed, zeros included).
    versions: dict[str, int] = field(default_factory=dict)

    def row(self) -> list[str]:
        return [str(getattr(self, c)) for c in COLUMNS]


def summarise(site: str, stats: Mapping[str, Any], store: Store) -> SiteSummary:
    """Counts of stored rows come from the database (the truth after dedup); run events from the stats."""
    articles = store.articles
    return SiteSummary(
        site=site,
        articles=articles.count("site = ?", [site]),
        new=count(stats, STORE_NEW),
        conferences=articles.count("site = ? AND is_conference = 1", [site]),
        duplicates=articles.count("site = ? AND duplicate_of IS NOT NULL", [site]),
        fallbacks=count(stats, EXTRACTION_FALLBACK),
        no_date=articles.count("site = ? AND published_at IS NULL", [site]),
        not_articles=sum_prefix(stats, SKIPPED_PREFIX),
        dropped=sum(sum_prefix(stats, prefix) for prefix in DROPPED_PREFIXES),
        errors=count(stats, CRAWL_ERRORS) + code_failures(stats),
        warnings=sum_prefix(stats, WARNINGS_PREFIX),
        versions=parser_hits(stats),
    )


def format_versions(rows: list[SiteSummary]) -> str:
    """One line per site: which parser version read how many articles; a version at 0 after a redesign is
    the first sign that the site changed again."""
    lines = []
    for r in rows:
        if r.versions:
            hits = ", ".join(f"{name} {count}" for name, count in r.versions.items())
            lines.append(f"parser versions  {r.site}: {hits}; generic reader {r.fallbacks}")
    return "\n".join(lines)


def format_columns(columns: tuple[str, ...], rows: list[list[str]], left: tuple[str, ...] = (), rule: bool = False) -> str:
    """Aligned plain-text columns: numbers to the right, the `left` columns to the left; `rule` underlines the
    header."""
    table = [list(columns), *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    lines = [
        "  ".join(cell.ljust(w) if columns[i] in left else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
        for row in table
    ]
    if rule:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_table(rows: list[SiteSummary]) -> str:
    table = [r.row() for r in rows]
    if len(rows) > 1:
        table.append(["total", *(str(sum(getattr(r, c) for r in rows)) for c in COLUMNS[1:])])
    return format_columns(COLUMNS, table, left=("site",), rule=True)
