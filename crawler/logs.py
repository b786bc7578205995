"""Logs a person can read at INFO: what happened to the crawl, not Scrapy's start-up inventory.

At INFO, Scrapy prints the list of every enabled middleware, extension and pipeline, the overridden settings,
library versions, a once-a-minute counter that names no site and, at the end, a dump of every stats key: about
540 lines for a six-second demo crawl, in which the few lines that matter (a site unreachable, a page that
failed, a failing health check) are lost. `quiet_boilerplate()` moves those inventories to DEBUG, where
`--log-level DEBUG` still shows them; the run itself is reported by the progress line (crawler/extensions/progress.py),
the summary table and the run record.

`ReadableLogFormatter` logs a dropped item as its reason and URL (Scrapy's default prints the whole item,
body included, at WARNING).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult

#: Loggers whose INFO output is inventory rather than events (kept, one level down, at DEBUG).
BOILERPLATE_LOGGERS = (
    "scrapy.addons",
    "scrapy.core.engine",  # "Spider opened" / "Closing spider" name no site: crawler/extensions/progress.py says both
    "scrapy.crawler",
    "scrapy.extensions.logstats",
    "scrapy.extensions.remote_control",
    "scrapy.extensions.telnet",
    "scrapy.middleware",
    "scrapy.statscollectors",
    "scrapy.utils.log",
)


class _ToDebug(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


_FILTER = _ToDebug()


def quiet_boilerplate() -> None:
    """Move Scrapy's start-up and stats inventories from INFO to DEBUG (idempotent)."""
    for name in BOILERPLATE_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


class ReadableLogFormatter(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> LogFormatterResult:
        """One line per dropped item: the reason, which names the URL (the item itself is not logged), at INFO
        or at the level the drop asks for (a page that is not an article: DEBUG)."""
        level = getattr(exception, "log_level", None) or logging.INFO
        if isinstance(level, str):
            level = logging.getLevelName(level.upper())
        return {"level": level, "msg": "dropped: %(exception)s", "args": {"exception": exception}}
