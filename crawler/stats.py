"""The crawl-stats keys more than one module reads or writes, and the readers over them, defined once.

A key that only its own component counts (`pages/feed`, `retry_after/count`, ...) stays a literal there; a key
that another module reads (the run recorder, the summary table, `crawler crawl`'s exit code, ingest's counts)
is named here so writer and reader cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The store's verdict per article: `STORE_STATUS % "new"` (also "updated", "unchanged").
STORE_STATUS = "store/%s"
STORE_NEW, STORE_UPDATED, STORE_UNCHANGED = (STORE_STATUS % s for s in ("new", "updated", "unchanged"))

EXTRACTION_SITE = "extraction/site"
EXTRACTION_FALLBACK = "extraction/fallback"
#: Articles each parser version read: `PARSER_VERSION % "kinhtedothi/2025"`; every version of a site is set to 0
#: when its spider opens, so a redesign shows as a version's zero.
PARSER_VERSION = "parser/%s"
DATES_MISSING = "dates/missing"
VIEWS_PARSED = "views/parsed"
NO_BODY_DROPPED = "validate/dropped/no_body"
LISTING_EMPTY = "pages/listing_empty"

INCREMENTAL_SKIPPED_STORED = "incremental/skipped_stored"
INCREMENTAL_NOT_MODIFIED = "incremental/not_modified"

CRAWL_ERRORS = "crawl/errors"
ITEM_ERRORS = "crawl/item_errors"
SPIDER_EXCEPTIONS = "spider_exceptions/count"
REQUESTS = "downloader/request_count"

#: Set by crawler/middlewares/unreachable.py: the one-line diagnosis of a host that cannot be reached, and whether the
#: spider was closed for it (the run recorder puts the line first among the health reasons).
NETWORK_DIAGNOSIS = "network/diagnosis"
NETWORK_UNREACHABLE = "network/unreachable"

RUN_LOCKED = "run/locked"
RUN_STATUS = "run/status"
RUN_ID = "run/id"

#: Prefixes whose sub-keys are reasons: drops, skips and errors, as the run record and summary group them.
DROPPED_PREFIXES = ("validate/dropped/", "dedup/dropped/")
SKIPPED_PREFIX = "pages/skipped/"
#: Problems worked around while keeping the article (a value nulled, a text cut): `warnings/<reason>`.
WARNINGS_PREFIX = "warnings/"
ERROR_PREFIXES = ("crawl/errors/", "crawl/item_errors/")


def count(stats: Mapping[str, Any], key: str) -> int:
    return int(stats.get(key, 0) or 0)


def by_reason(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """{reason: count} for the keys directly under `prefix` (`validate/dropped/no_body` -> `no_body`)."""
    return {k[len(prefix) :]: int(v) for k, v in stats.items() if k.startswith(prefix) and "/" not in k[len(prefix) :]}


def sum_prefix(stats: Mapping[str, Any], prefix: str) -> int:
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def code_failures(stats: Mapping[str, Any]) -> int:
    """Exceptions raised by our own callbacks or pipelines: bugs, which fail the run (site faults do not)."""
    return count(stats, SPIDER_EXCEPTIONS) + count(stats, ITEM_ERRORS)


def articles_read(stats: Mapping[str, Any]) -> int:
    """Article pages turned into items, by site selectors or by the fallback."""
    return count(stats, EXTRACTION_SITE) + count(stats, EXTRACTION_FALLBACK)


def parser_hits(stats: Mapping[str, Any]) -> dict[str, int]:
    """{parser version: articles it read} from a run's stats."""
    prefix = PARSER_VERSION % ""
    return {k[len(prefix) :]: int(v) for k, v in sorted(stats.items()) if k.startswith(prefix)}
