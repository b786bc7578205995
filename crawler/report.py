"""`crawler report`: one self-contained HTML file with the dashboard's charts, for people who never open Datasette.

The charts are the dashboard's own (crawler/charts.py: same SQL, same Vega-Lite specifications), drawn by the
Vega, Vega-Lite and vega-embed builds that the datasette-dashboards package ships. Those scripts and the data
are inlined, so the file opens offline, from disk or as a mail attachment, and loads nothing from the network.
"""

from __future__ import annotations

import html
import json
import sqlite3
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from crawler.charts import CHARTS, chart_rows, vega_lite_spec
from crawler.exporting import _write_atomically

#: The chart library, in load order, from the datasette-dashboards package (a dependency of `crawler browse`).
SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")


def _script(name: str) -> str:
    text = files("datasette_dashboards").joinpath("static", name).read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")


def _totals(conn: sqlite3.Connection, since: str | None) -> list[tuple[str, Any]]:
    def one(sql: str, *params: Any) -> Any:
        return conn.execute(sql, params).fetchone()[0]

    since_sql = " AND held_on >= ?" if since else ""
    args = (since,) if since else ()
    return [
        ("articles stored", one("SELECT count(*) FROM articles")),
        ("conference reports", one("SELECT count(*) FROM articles WHERE is_conference = 1")),
        ("conferences" + (f" held since {since}" if since else ""),
         one(f"SELECT count(*) FROM conferences WHERE held_on IS NOT NULL{since_sql}", *args)),
        ("sites", one("SELECT count(DISTINCT site) FROM articles")),
        ("crawl runs" + (f" since {since}" if since else ""),
         one("SELECT count(*) FROM runs" + (" WHERE started_at >= ?" if since else ""), *args)),
    ]


def render_report(db: Path, since: str | None, generated_at: datetime) -> str:
    """The report's HTML for the store at `db` (read only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        params = {"since": since or "", "article": ""}
        specs = [(chart, vega_lite_spec(chart, chart_rows(conn, chart, params))) for chart in CHARTS]
        totals = _totals(conn, since)
    finally:
        conn.close()
    sections = "\n".join(
        f'<section><h2>{html.escape(chart.title)}</h2><div class="chart" id="chart-{chart.slug}"></div>'
        + ("" if spec["data"]["values"] else '<p class="empty">No data yet.</p>') + "</section>"
        for chart, spec in specs
    )
    facts = "".join(f"<tr><th>{html.escape(label)}</th><td>{value}</td></tr>" for label, value in totals)
    data = json.dumps({f"chart-{chart.slug}": spec for chart, spec in specs}, ensure_ascii=False).replace("</", "<\\/")
    scripts = "\n".join(f"<script>{_script(name)}</script>" for name in SCRIPTS)
    scope = f"since {html.escape(since)}" if since else "all time"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Conference crawler report ({scope})</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #1b1f24; padding: 0 1rem; }}
h1 {{ margin-bottom: .2rem; }} .meta {{ color: #57606a; margin-top: 0; }}
table.totals {{ border-collapse: collapse; margin: 1rem 0 2rem; }}
table.totals th {{ text-align: left; font-weight: normal; padding: .2rem 1.5rem .2rem 0; color: #57606a; }}
table.totals td {{ text-align: right; font-weight: 600; }}
section {{ border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem 1rem 1rem; margin-bottom: 1.5rem; }}
h2 {{ font-size: 1.05rem; }} .chart {{ width: 100%; }} .empty {{ color: #57606a; }}
</style>
{scripts}
</head><body>
<h1>Conferences and crawl runs</h1>
<p class="meta">Database {html.escape(str(db))} · {scope} · generated {generated_at.isoformat(timespec="seconds")}</p>
<table class="totals">{facts}</table>
{sections}
<script>
const specs = {data};
for (const [id, spec] of Object.entries(specs)) {{
  if (spec.data.values.length) vegaEmbed("#" + id, spec, {{renderer: "svg", actions: false}});
}}
</script>
</body></html>
"""


def write_report(db: Path, output: Path, since: str | None, generated_at: datetime) -> None:
    """Write the report to `output` atomically (a temporary file beside it, then a rename), as exports are."""
    _write_atomically(output, [render_report(db, since, generated_at)])
