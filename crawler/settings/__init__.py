"""Scrapy settings (`scrapy.cfg` and the CLI point at this module): the base profile (`crawler/settings/base.py`),
or the distributed worker profile (`crawler/settings/distributed.py`) when `REDIS_URL` is set.

Settings are read here, once, from the environment; no component writes `os.environ`. `crawler crawl`'s
options (`--db`, `--replica`, `--full`) are set on the settings object at command-line priority instead.
"""

from __future__ import annotations

import os

if os.environ.get("REDIS_URL"):
    from crawler.settings.distributed import *  # noqa: F403
else:
    from crawler.settings.base import *  # noqa: F403
