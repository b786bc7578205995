"""The charts of the store, defined once: the `crawler browse` dashboard (datasette-dashboards) and the static
`crawler report` draw the same SQL with the same Vega-Lite specifications.

A chart's SQL may hold optional clauses in `[[ ... ]]` around one named parameter, as datasette-dashboards
reads them: the clause is kept when the parameter has a value and dropped when it is empty. Parameters:
`since` (YYYY-MM-DD; conferences held, runs started or views seen on or after it) and `article` (a URL whose
view-count curve to draw; by default the five most viewed articles with a history).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PARAMETERS = ("since", "article")


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    sql: str
    display: dict[str, Any]


def _per_run(slug: str, title: str, value_sql: str, field: str, axis_title: str) -> Chart:
    """A line per site over its runs: one value of the `runs` table per run."""
    return Chart(
        slug,
        title,
        f"SELECT site, started_at AS run_started, {value_sql} AS {field} FROM runs "
        "WHERE TRUE [[ AND started_at >= :since ]] ORDER BY started_at",
        {
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {"field": "run_started", "type": "temporal", "title": "Run started (UTC)"},
                "y": {"field": field, "type": "quantitative", "title": axis_title},
                "color": {"field": "site", "type": "nominal", "title": "Site"},
            },
        },
    )


_MONTH_AXIS = {"field": "month", "type": "ordinal", "title": "Month held", "axis": {"labelAngle": -45}}

CHARTS: tuple[Chart, ...] = (
    Chart(
        "conferences-by-month",
        "Conferences per month, by level",
        "SELECT substr(held_on, 1, 7) AS month, coalesce(level, '?') AS level, count(*) AS conferences "
        "FROM conferences WHERE held_on IS NOT NULL [[ AND held_on >= :since ]] "
        "GROUP BY month, level ORDER BY month, level",
        {
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "x": _MONTH_AXIS,
                "y": {"field": "conferences", "type": "quantitative", "title": "Conferences"},
                "color": {"field": "level", "type": "nominal", "title": "Level"},
            },
        },
    ),
    Chart(
        "conferences-by-province",
        "Conferences by province and level",
        "SELECT coalesce(province, '(not stated)') AS province, coalesce(level, '?') AS level, count(*) AS conferences "
        "FROM conferences WHERE TRUE [[ AND held_on >= :since ]] GROUP BY province, level ORDER BY province, level",
        {
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "y": {"field": "province", "type": "nominal", "title": "Province", "sort": "-x"},
                "x": {"field": "conferences", "type": "quantitative", "title": "Conferences"},
                "color": {"field": "level", "type": "nominal", "title": "Level"},
            },
        },
    ),
    _per_run("articles-per-run", "Articles new or updated per run, by site", "new + updated", "articles",
             "Articles new or updated"),
    _per_run("errors-per-run", "Failed pages per run, by site",
             "(SELECT coalesce(sum(value), 0) FROM json_each(runs.errors))", "errors", "Failed pages"),
    Chart(
        "view-count-curves",
        "View count over time (the five most viewed articles, or the article chosen)",
        "SELECT v.seen_at, v.count AS views, substr(coalesce(a.title, v.url), 1, 60) AS article FROM view_counts v "
        "LEFT JOIN articles a ON a.url = v.url WHERE v.url IN (SELECT url FROM view_counts "
        "WHERE TRUE [[ AND url = :article ]] GROUP BY url ORDER BY max(count) DESC LIMIT 5) "
        "[[ AND v.seen_at >= :since ]] ORDER BY v.seen_at",
        {
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {"field": "seen_at", "type": "temporal", "title": "Seen at"},
                "y": {"field": "views", "type": "quantitative", "title": "Views (Lượt xem)"},
                "color": {"field": "article", "type": "nominal", "title": "Article", "legend": {"orient": "bottom", "columns": 1}},
            },
        },
    ),
)

_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)
_PARAM = re.compile(r":([A-Za-z0-9_]+)")


def fill_optional(sql: str, params: Mapping[str, str | None]) -> str:
    """Keep each `[[ ... :name ... ]]` clause whose parameter has a value; drop the others."""

    def keep(match: re.Match[str]) -> str:
        name = _PARAM.search(match.group(1))
        return match.group(1) if name and params.get(name.group(1)) else ""

    return _OPTIONAL.sub(keep, sql)


def chart_rows(conn: sqlite3.Connection, chart: Chart, params: Mapping[str, str | None]) -> list[dict[str, Any]]:
    """The chart's rows from an open database, its optional clauses filled from `params`."""
    sql = fill_optional(chart.sql, params)
    values = {name: params.get(name) or "" for name in _PARAM.findall(sql)}
    cursor = conn.execute(sql, values)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def vega_lite_spec(chart: Chart, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A complete Vega-Lite spec with the rows inlined, laid out as datasette-dashboards lays out its charts."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": chart.title,
        "width": "container",
        "view": {"stroke": None},
        "config": {"background": "#00000000", "line": {"point": True}},
        "data": {"values": rows},
        **chart.display,
    }


def dashboard_config(db_name: str) -> dict[str, Any]:
    """The `datasette-dashboards` plugin configuration for the database Datasette serves as `db_name`."""
    charts: dict[str, Any] = {
        "intro": {
            "library": "markdown",
            "display": "# Conferences and crawls\n\nConferences grouped from the crawled reports, and how each "
            "crawl run went. Narrow by date with **Since**; pick an article for its view-count curve.",
        },
    }
    for chart in CHARTS:
        charts[chart.slug] = {"title": chart.title, "db": db_name, "query": chart.sql, "library": "vega-lite",
                              "display": chart.display}
    return {
        "conferences": {
            "title": "Conferences and crawl runs",
            "description": "Conferences per month, level and province; articles and failed pages per run; view counts.",
            "layout": [
                ["intro", "conferences-by-province"],
                ["conferences-by-month", "conferences-by-month"],
                ["articles-per-run", "errors-per-run"],
                ["view-count-curves", "view-count-curves"],
            ],
            "filters": {
                "since": {"name": "Since", "type": "date"},
                "article": {"name": "Article (URL)", "type": "select", "db": db_name,
                            "query": "SELECT DISTINCT url FROM view_counts ORDER BY url"},
            },
            "charts": charts,
        }
    }
