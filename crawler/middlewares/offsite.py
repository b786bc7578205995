"""Scrapy's off-site filter made exact and accountable.

Scrapy compares host names only, so a link or a redirect to the same host on another port (another server,
often a staging or admin one) was followed. Here a request is on site when its host is an allowed domain (or a
subdomain of one) AND its port is the site's port; a switch between http and https on their default ports
stays on site. Every request dropped is counted with its reason, `requests/dropped/offsite_link` (a link the
spider found) or `requests/dropped/offsite_redirect` (a redirect answered by the site), so it appears under
`dropped` in the run record instead of vanishing.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import SplitResult, urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

from crawler.stats import REQUESTS_DROPPED

logger = logging.getLogger(__name__)
DEFAULT_PORTS = {"http": 80, "https": 443}


def _port(parts: Any) -> int | None:
    try:
        return parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None


def same_port(url: Any, base: SplitResult) -> bool:
    """True when `url` (parsed) is served on the base URL's port, or both use their scheme's default port."""
    port, base_port = _port(url), _port(base)
    if port is None:
        return False
    return port == base_port or (port == DEFAULT_PORTS.get(url.scheme) and base_port == DEFAULT_PORTS.get(base.scheme))


class SiteOffsiteMiddleware(OffsiteMiddleware):
    def should_follow(self, request: Request, spider: Spider) -> bool:
        if not super().should_follow(request, spider):
            return False
        base_url = getattr(spider, "base_url", None)
        return not base_url or same_port(urlparse_cached(request), urlsplit(base_url))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        try:
            super().process_request(request)
        except IgnoreRequest:
            reason = "offsite_redirect" if request.meta.get("redirect_urls") else "offsite_link"
            self.stats.inc_value(f"{REQUESTS_DROPPED}{reason}")
            origin = f" (redirected from {request.meta['redirect_urls'][-1]})" if reason == "offsite_redirect" else ""
            logger.info("dropped %s: %s%s", reason, request.url, origin)
            raise
