"""Canonical article URLs: one stored row per article however it was linked."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from w3lib.url import canonicalize_url, url_query_cleaner

#: Tracking parameters no site uses to pick content.
TRACKING_PARAMS: tuple[str, ...] = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "fbclid", "gclid", "zarsrc")


def canonical_url(url: str, rel_canonical: str | None = None, strip_params: Iterable[str] = ()) -> str:
    """The page's rel=canonical when it points to the same host, else the URL itself; cleaned and sorted.

    A canonical on another host is ignored: a syndicated copy pointing at its source is still its own page,
    and the dedup stage links the two by content instead.
    """
    chosen = url
    if rel_canonical:
        absolute = urljoin(url, rel_canonical.strip())
        if urlsplit(absolute).netloc.lower() == urlsplit(url).netloc.lower():
            chosen = absolute
    drop = (*TRACKING_PARAMS, *strip_params)
    cleaned = url_query_cleaner(chosen, drop, remove=True, keep_fragments=False)
    return canonicalize_url(cleaned)
