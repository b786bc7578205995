"""Crawl speed for the two kinds of target: politeness for live sites, full speed against the loopback replica.

The base profile applies it from `CRAWLER_REPLICA_URL`; `crawler crawl --replica URL` applies it on the settings
object (command-line priority) instead of writing the environment. `CRAWLER_CONCURRENCY` and
`CRAWLER_DOWNLOAD_DELAY` still win either way.
"""

from __future__ import annotations

import os


def replica_speed(replica: bool) -> dict[str, object]:
    return {
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(os.environ.get("CRAWLER_CONCURRENCY", "16" if replica else "4")),
        "DOWNLOAD_DELAY": float(os.environ.get("CRAWLER_DOWNLOAD_DELAY", "0" if replica else "0.5")),
        "AUTOTHROTTLE_ENABLED": not replica,
    }
