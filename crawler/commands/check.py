"""`scrapy check`: this project has no Scrapy contracts, so say how its sites are checked instead of "0 contracts".

Contracts need a fixed URL per callback; our spiders share their callbacks and the replica has no fixed port.
Each site is checked against recorded pages (`tests/test_site_fixtures.py`) and crawled end to end against the
replica (`tests/test_e2e.py`); `make test` runs both.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand


class Command(ScrapyCommand):
    requires_project = True

    def short_desc(self) -> str:
        return "Say how the sites are checked (fixture tests and a replica crawl; there are no contracts)"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        print(
            "This project has no spider contracts. Each site is checked against its recorded pages by\n"
            "`pytest tests/test_site_fixtures.py` and crawled end to end against the bundled replica by\n"
            "`pytest tests/test_e2e.py` (`make test` runs every test). To see what a spider makes of one page:\n"
            "`CRAWLER_REPLICA_URL=http://127.0.0.1:8800 scrapy parse URL` (after `crawler replica serve`).",
            file=sys.stderr,
        )
