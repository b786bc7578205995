"""Browsing the store in Datasette: readable labels, full-text search, canned queries for the questions users ask
most (conferences of a place and period, an article's view-count history, each site's last run), and a
dashboard of charts (datasette-dashboards; the charts are defined in crawler/charts.py).

`metadata.json` holds the labels, facets, hidden tables and canned queries for one database; `browse_metadata`
keys them, and the dashboard, to whatever name Datasette serves the file under (`hanoi.db` is served as
`hanoi`), so `crawler browse --db /data/hanoi.db` is as labelled as the default `output/crawl.db`.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from crawler.charts import dashboard_config


def served_name(db: Path) -> str:
    """The name Datasette gives a database file: its file name without the extension."""
    return Path(db).stem


def browse_metadata(db_name: str) -> dict[str, Any]:
    template = json.loads(files("crawler.browse").joinpath("metadata.json").read_text(encoding="utf-8"))
    (database,) = template["databases"].values()
    template["databases"] = {db_name: database}
    template.setdefault("plugins", {})["datasette-dashboards"] = dashboard_config(db_name)
    return template
