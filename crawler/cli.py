"""The `crawler` command: crawl several sites in one process, export JSON Lines, extract one page, serve replicas.

    crawler crawl [SITE ...] [--db PATH] [--replica URL] [--full] [--sites FILE.toml]
    crawler schedule --every 30m [SITE ...] [--db PATH] [--replica URL]
    crawler runs [--site SITE] [--json] [--db PATH]
    crawler export -o FILE.jsonl [--db PATH] [--since YYYY-MM-DD] [--conferences-only | --conferences | --consumer NAME]
    crawler extract FILE_OR_URL --url URL [--site NAME] [--fetched-at ISO]
    crawler ingest [SITE ...] [--db PATH] [--redis-url URL]
    crawler replica serve [--host 127.0.0.1] [--port 8800] [--faults] [--recorded DIR]
    crawler browse [--db PATH] [--port 8001]
    crawler sites
    crawler check SITE [--url URL] [--articles N] [--sites FILE.toml]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")

EXIT_USAGE = 2


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"crawler: {message}", file=sys.stderr)
    return code


def _default_db() -> str:
    return os.environ.get("CRAWLER_DB") or "output/crawl.db"


def _crawl_settings(args: argparse.Namespace) -> Any:
    """The project settings with this command's options on top (at command-line priority): nothing is passed
    through `os.environ`."""
    from scrapy.utils.project import get_project_settings

    from crawler.settings.replica import replica_speed

    settings = get_project_settings()
    settings.set("CRAWLER_DB_PATH", args.db or _default_db(), priority="cmdline")
    if args.replica:
        settings.set("CRAWLER_REPLICA_URL", args.replica, priority="cmdline")
        settings.setdict(replica_speed(True), priority="cmdline")
    if args.full:
        settings.set("CRAWLER_INCREMENTAL", False, priority="cmdline")
    if args.log_level:
        settings.set("LOG_LEVEL", args.log_level, priority="cmdline")
    if getattr(args, "sites_file", None):
        settings.set("CRAWLER_SITES_FILE", args.sites_file, priority="cmdline")
    return settings


def cmd_crawl(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from crawler.sites import SITES, register_sites_file
    from crawler.store import open_store
    from crawler.summary import format_table, format_versions, summarise

    if args.sites_file:
        register_sites_file(args.sites_file)

    names = args.sites or [name for name, site in SITES.items() if site.enabled]
    unknown = [n for n in names if n not in SITES]
    if unknown:
        return _fail(f"unknown site(s): {', '.join(unknown)}; known: {', '.join(sorted(SITES))}")
    settings = _crawl_settings(args)
    from crawler.browser import BrowserNotFound
    from crawler.logs import quiet_boilerplate

    if settings.get("LOG_LEVEL") != "DEBUG":
        quiet_boilerplate()
    process = CrawlerProcess(settings)
    crawlers = []
    for name in names:
        try:
            crawler = process.create_crawler(name)  # a site that needs a browser resolves Chromium here
        except BrowserNotFound as exc:
            return _fail(f"{name}: {exc}")
        crawlers.append(crawler)
        process.crawl(crawler)
    process.start()
    from crawler.commands.crawl import exit_code

    stats = {c.spidercls.name: c.stats.get_stats() for c in crawlers}
    codes = {name: exit_code(site_stats) for name, site_stats in stats.items()}
    store = open_store(settings)
    rows = [summarise(name, site_stats, store) for name, site_stats in stats.items() if codes[name] != 3]
    if rows:  # a site refused by its lock has no row: its table belongs to the crawl that holds the lock
        print(format_table(rows))
        versions = format_versions(rows)
        if versions:
            print(versions)
        print(f"database: {store.path}")
    locked = [name for name, code in codes.items() if code == 3]
    if locked:
        return _fail(f"another crawl is already running for: {', '.join(locked)} (not crawled now)", 3)
    failed = [name for name, code in codes.items() if code == 1]
    if failed:
        return _fail(f"run failing (see `crawler runs` and the log) for: {', '.join(failed)}", 1)
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    from crawler.store import Store

    db = Path(args.db or _default_db())
    if not db.exists():
        return _fail(f"no database at {db} (run a crawl first)")
    runs = Store(db).runs.recent(args.site, limit=args.limit)
    if args.nl:
        for run in runs:
            print(json.dumps(run, ensure_ascii=False))
        return 0
    if args.json:
        print(json.dumps(runs, ensure_ascii=False, indent=2))
        return 0
    print(format_runs(runs))
    return 0


def format_runs(runs: list[dict[str, Any]]) -> str:
    """The run history as a table, in the README's words (see "Words in reports")."""
    columns = ("id", "site", "started (UTC)", "status", "requests", "new", "updated", "not_modified", "already_stored",
               "not_articles", "dropped", "errors", "base URL", "problems")
    rows = []
    for run in runs:
        errors = run.get("errors") or {}
        problems = [*run["health"], *(f"{k}: {v}" for k, v in errors.items())]
        rows.append([
            str(run["id"]), run["site"], run["started_at"][:19], run["status"], str(run["requests"]), str(run["new"]),
            str(run["updated"]), str(run["not_modified"]), str(run["skipped_stored"]),
            str(sum((run.get("not_articles") or {}).values())), str(sum((run.get("dropped") or {}).values())),
            str(sum(errors.values())), run.get("base_url") or "?", "; ".join(problems),
        ])
    from crawler.summary import format_columns

    return format_columns(columns, rows, left=("site", "started (UTC)", "status", "base URL", "problems"))


def cmd_schedule(args: argparse.Namespace) -> int:
    from crawler.schedule import parse_interval, run_schedule

    try:
        every = parse_interval(args.every)
    except ValueError as exc:
        return _fail(str(exc))
    crawl_args = [*args.sites]
    if args.db:
        crawl_args += ["--db", args.db]
    if args.replica:
        crawl_args += ["--replica", args.replica]
    if args.log_level:
        crawl_args += ["--log-level", args.log_level]
    if args.full:
        crawl_args.append("--full")
    if args.sites_file:
        crawl_args += ["--sites", args.sites_file]
    return run_schedule(every, crawl_args, max_runs=args.runs)


def cmd_export(args: argparse.Namespace) -> int:
    from crawler.exporting import export_jsonl

    db = Path(args.db or _default_db())
    if not db.exists():
        return _fail(f"no database at {db} (run a crawl first)")
    if args.consumer:
        from crawler.exporting import export_for_consumer

        count, since, newest = export_for_consumer(db, Path(args.output), args.consumer)
        if count:
            print(f"wrote {count} new or changed articles for consumer {args.consumer!r} to {args.output} (changes {since + 1}-{newest})")
        else:
            print(f"nothing new for consumer {args.consumer!r} since change {since}; wrote an empty {args.output}")
        return 0
    count = export_jsonl(
        db, Path(args.output), since=args.since, conferences_only=args.conferences_only, conferences=args.conferences
    )
    print(f"wrote {count} {'conferences' if args.conferences else 'articles'} to {args.output}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from redis.exceptions import RedisError

    from crawler.distributed import IngestLocked, ingest
    from crawler.sites import SITES

    redis_url = args.redis_url or os.environ.get("REDIS_URL")
    if not redis_url:
        return _fail("no Redis to ingest from: pass --redis-url or set REDIS_URL")
    names = args.sites or [name for name, site in SITES.items() if site.enabled]
    unknown = [n for n in names if n not in SITES]
    if unknown:
        return _fail(f"unknown site(s): {', '.join(unknown)}; known: {', '.join(sorted(SITES))}")
    db = Path(args.db or _default_db())
    try:
        results = ingest(redis_url, names, db)
    except IngestLocked as exc:
        return _fail(str(exc), 3)
    except RedisError as exc:
        return _fail(f"cannot ingest from {redis_url}: {exc}", 1)
    columns = ["new", "updated", "unchanged", "already_stored", "replayed", "dropped", "failed"]
    print(f"{'site':12} " + "  ".join(columns))
    for site, counts in results.items():
        print(f"{site:12} " + "  ".join(f"{counts[c]:>{len(c)}}" for c in columns))
    print(f"database: {db.resolve()}")
    failed = [site for site, counts in results.items() if counts["failed"]]
    if failed:
        return _fail(f"items failed and were parked in <site>:items:failed for: {', '.join(failed)}", 1)
    return 0


def _read_source(source: str) -> tuple[bytes, dict[str, str]]:
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": "vn-conference-crawler/0.1"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - user-given URL
            return response.read(), {"Content-Type": response.headers.get("Content-Type", "text/html")}
    return Path(source).read_bytes(), {}


def _fetched_at(source: str, given: str | None, now: Callable[[], datetime]) -> datetime:
    """When the page was fetched: as given, now for a URL, the file's modification time for a saved page
    (relative stamps such as "2 giờ trước" resolve against it, not against the time of this run)."""
    from crawler.parsing.dates import VN_TZ

    if given:
        try:
            value = datetime.fromisoformat(given)
        except ValueError:
            raise ValueError(f"--fetched-at: not an ISO 8601 time: {given!r}") from None
        return value if value.tzinfo else value.replace(tzinfo=VN_TZ)
    if source.startswith(("http://", "https://")):
        return now()
    return datetime.fromtimestamp(Path(source).stat().st_mtime, VN_TZ)


def cmd_extract(args: argparse.Namespace) -> int:
    from scrapy.exceptions import DropItem
    from scrapy.http import HtmlResponse
    from scrapy.utils.project import get_project_settings

    from crawler.clock import clock_from
    from crawler.extraction import Skipped
    from crawler.items import to_record
    from crawler.pipeline_chain import item_for_page
    from crawler.sites import get_site, host_of, site_for_url

    url = args.url or (args.source if args.source.startswith(("http://", "https://")) else None)
    if not url:
        return _fail("--url is required when extracting a file (the address the page was saved from)")
    try:
        body, headers = _read_source(args.source)
    except (OSError, ValueError) as exc:
        return _fail(f"cannot read {args.source}: {exc}")
    settings = get_project_settings()
    try:
        site = get_site(args.site) if args.site else site_for_url(url, settings)
    except KeyError as exc:
        return _fail(str(exc.args[0]))
    try:
        fetched_at = _fetched_at(args.source, args.fetched_at, clock_from(settings))
    except ValueError as exc:
        return _fail(str(exc))
    response = HtmlResponse(url=url, body=body, headers=headers)
    try:
        result = item_for_page(response, site, fetched_at, settings, site_name=host_of(url))
    except DropItem as exc:
        return _fail(f"item dropped by validation: {exc}", 1)
    if isinstance(result, Skipped):
        return _fail(f"not an article: {result.reason} ({result.detail})", 1)
    print(json.dumps(to_record(result), ensure_ascii=False, indent=2))
    return 0


def cmd_replica_serve(args: argparse.Namespace) -> int:
    from crawler.replica.server import ReplicaServer

    try:
        server = ReplicaServer(args.host, args.port, verbose=args.verbose, with_faults=args.faults,
                               recorded_dir=Path(args.recorded) if args.recorded else None)
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc}")
    print(f"serving replica sites on {server.url} ({len(server.pages)} pages)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_browse(args: argparse.Namespace) -> int:
    """Serve the store in Datasette, in this process (stopping `crawler browse` stops the server; no child is
    left behind). The schema, FTS index included, is brought up to date first."""
    import tempfile

    from datasette.cli import cli as datasette_cli

    from crawler.browse import browse_metadata, served_name
    from crawler.store import Store

    db = Path(args.db or _default_db())
    if not db.exists():
        return _fail(f"no database at {db} (run a crawl first)")
    Store(db).close()
    name = served_name(db)
    with tempfile.TemporaryDirectory(prefix="crawler-browse-") as tmp:
        metadata = Path(tmp) / "metadata.json"
        metadata.write_text(json.dumps(browse_metadata(name), ensure_ascii=False), encoding="utf-8")
        command = ["serve", str(db), "--metadata", str(metadata), "--host", args.host, "--port", str(args.port),
                   "--setting", "default_page_size", "50"]
        base = f"http://{args.host}:{args.port}"
        print(f"browse the store at {base}/{name} and its charts at {base}/-/dashboards/conferences (Ctrl-C stops)",
              flush=True)
        try:
            datasette_cli.main(command, prog_name="crawler browse", standalone_mode=False)
        except KeyboardInterrupt:
            pass
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from crawler.report import write_report

    db = Path(args.db or _default_db())
    if not db.exists():
        return _fail(f"no database at {db} (run a crawl first)")
    write_report(db, Path(args.output), args.since, datetime.now(timezone.utc))
    print(f"wrote the report to {args.output} (open it in a browser; it needs no network)")
    return 0


def cmd_sites(args: argparse.Namespace) -> int:
    from crawler.sites import SITES, resolve_base_url
    from crawler.sites.platforms import version_dates
    from crawler.summary import format_columns

    # A site's parser versions, newest first, each with the publish dates it reads ("generic": no selectors).
    rows = [[site.name, site.platform, resolve_base_url(site), "yes" if site.enabled else "when named",
             ", ".join(f"{v.name.partition('/')[2]} ({version_dates(v.valid_from, v.valid_until)})" for v in site.versions_for(None))
             or "generic reader", site.description]
            for site in SITES.values()]
    columns = ("site", "platform", "crawled at", "enabled", "parser versions", "description")
    print(format_columns(columns, rows, left=columns))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Exit 0: the definition reads the site; 1: stale selectors (with the fix); 2: unreachable or bad input."""
    from scrapy.utils.project import get_project_settings

    from crawler.check import CheckFailed, PoliteFetcher, check_site, format_report
    from crawler.sites import get_site, register_sites_file

    if args.sites_file:
        register_sites_file(args.sites_file)
    try:
        site = get_site(args.site)
    except KeyError as exc:
        return _fail(str(exc.args[0]))
    settings = get_project_settings()
    delay = max(settings.getfloat("DOWNLOAD_DELAY"), 0.0)
    try:
        report = check_site(site, settings, url=args.url, articles=args.articles, fetcher=PoliteFetcher(delay=delay))
    except CheckFailed as exc:
        return _fail(f"{args.site}: {exc}")
    print(format_report(report))
    return 1 if report.stale else 0


def _iso_date(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vn-conference-crawler")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def _site_names() -> list[str]:
    from crawler.sites import SITES

    return list(SITES)


def _http_url(text: str) -> str:
    """An http(s) URL with a host, checked when the command is read rather than when the crawl fails."""
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a URL: {text!r} (bad port)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"not a URL: {text!r} (use e.g. http://127.0.0.1:8800)")
    return text.rstrip("/")


def _crawl_options(parser: argparse.ArgumentParser) -> None:
    """The options `crawler crawl` and `crawler schedule` share (schedule passes them to each crawl)."""
    from crawler.sites import SITES

    enabled = [name for name, site in SITES.items() if site.enabled]
    parser.add_argument("sites", nargs="*", metavar="SITE",
                        help=f"site to crawl: {', '.join(SITES)} (default: the enabled ones, {', '.join(enabled)})")
    parser.add_argument("--db", help="SQLite file (default: $CRAWLER_DB or output/crawl.db)")
    parser.add_argument("--replica", metavar="URL", type=_http_url,
                        help="crawl the replica server at URL (e.g. http://127.0.0.1:8800) instead of the live sites")
    parser.add_argument("--log-level", choices=("DEBUG", "INFO", "WARNING", "ERROR"), type=str.upper,
                        help="log level (default: $CRAWLER_LOG_LEVEL or INFO)")
    parser.add_argument("--full", action="store_true", help="re-fetch everything (turn incremental crawling off)")
    parser.add_argument("--sites", dest="sites_file", metavar="FILE",
                        help="extra site definitions (TOML, see docs/adding-a-site.md); also $CRAWLER_SITES_FILE")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crawler", description="Crawl Vietnamese party-committee conference reports.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="crawl sites (all enabled by default) into the SQLite store")
    _crawl_options(crawl)
    crawl.set_defaults(func=cmd_crawl)

    schedule = sub.add_parser("schedule", help="run `crawler crawl` on an interval until stopped")
    schedule.add_argument("--every", required=True, help="interval: 30m, 2h, 90s")
    schedule.add_argument("--runs", type=int, help="stop after this many runs (default: run until stopped)")
    _crawl_options(schedule)
    schedule.set_defaults(func=cmd_schedule)

    runs = sub.add_parser("runs", help="the history of crawl runs (the words are explained in the README)")
    runs.add_argument("--site", help=f"only this site ({', '.join(_site_names())})")
    output = runs.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the runs as one JSON array")
    output.add_argument("--nl", action="store_true", help="print newline-delimited JSON: one object per line")
    runs.add_argument("--limit", type=int, default=50, help="most recent runs to show (default 50)")
    runs.add_argument("--db", help="SQLite file (default: $CRAWLER_DB or output/crawl.db)")
    runs.set_defaults(func=cmd_runs)

    export = sub.add_parser("export", help="write stored articles as JSON Lines")
    export.add_argument("-o", "--output", required=True, help="output file (.jsonl)")
    export.add_argument("--db", help="SQLite file (default: $CRAWLER_DB or output/crawl.db)")
    export.add_argument("--since", help="only articles published on or after YYYY-MM-DD")
    export.add_argument("--conferences-only", action="store_true", help="only articles that report a conference")
    export.add_argument("--conferences", action="store_true", help="conference entities with their source articles")
    export.add_argument("--consumer", help="only what is new or changed since this consumer's last export")
    export.set_defaults(func=cmd_export)

    extract = sub.add_parser("extract", help="print the item a crawl would store for one page")
    extract.add_argument("source", metavar="FILE_OR_URL", help="a saved HTML file, or an http(s) URL to fetch")
    extract.add_argument("--url", help="the page's address (required for files)")
    extract.add_argument("--site", help="use this site's selectors (default: by URL; unknown sites use the generic reader)")
    extract.add_argument(
        "--fetched-at", help="when the page was fetched (ISO 8601); default: now for a URL, the file's modification time"
    )
    extract.set_defaults(func=cmd_extract)

    ingest = sub.add_parser("ingest", help="store the items distributed workers left in Redis (REDIS_URL)")
    ingest.add_argument("sites", nargs="*", metavar="SITE", help=f"site to ingest (default: every enabled site): {', '.join(_site_names())}")
    ingest.add_argument("--db", help="SQLite file (default: $CRAWLER_DB or output/crawl.db)")
    ingest.add_argument("--redis-url", help="Redis the workers push to (default: $REDIS_URL)")
    ingest.set_defaults(func=cmd_ingest)

    replica = sub.add_parser("replica", help="the bundled replica sites")
    replica_sub = replica.add_subparsers(dest="replica_command", required=True)
    serve = replica_sub.add_parser("serve", help="serve every replica site on one loopback port")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8800, help="port to listen on (default: 8800)")
    serve.add_argument("--verbose", action="store_true", help="log every request")
    serve.add_argument("--faults", action="store_true",
                       help="add failing pages to Lê Chân's first listing: 500 then 200, 503 with Retry-After, a slow "
                            "and a dripping page, a truncated body, invalid UTF-8, windows-1258, a redirect loop, 20 MB")
    serve.add_argument("--recorded", metavar="DIR", help="serve pages recorded from the live sites (DIR/<site>/<version>/"
                       "<case>.html + .json, provenance recorded) in place of rendered ones, e.g. tests/fixtures")
    serve.set_defaults(func=cmd_replica_serve)

    browse = sub.add_parser("browse", help="serve the store in Datasette with search and canned queries")
    browse.add_argument("--db", help="SQLite file (default: $CRAWLER_DB or output/crawl.db)")
    browse.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    browse.add_argument("--port", type=int, default=8001, help="port to listen on (default: 8001)")
    browse.set_defaults(func=cmd_browse)

    report = sub.add_parser("report", help="write a static HTML page with the dashboard's charts")
    report.add_argument("-o", "--output", default="output/report.html", help="HTML file (default: output/report.html)")
    report.add_argument("--db", help="SQLite file (default: $CRAWLER_DB or output/crawl.db)")
    report.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD",
                        help="only conferences held, runs started and views seen on or after this day")
    report.set_defaults(func=cmd_report)

    check = sub.add_parser("check", help="fetch a listing and a few articles; report which selectors still match")
    check.add_argument("site", metavar="SITE", help=f"the site to check ({', '.join(_site_names())}, or one from --sites)")
    check.add_argument("--url", help="check this page (an article or a listing) instead of the site's first listing")
    check.add_argument("--articles", type=int, default=3, help="articles to fetch from the listing (default 3)")
    check.add_argument("--sites", dest="sites_file", metavar="FILE", help="extra site definitions (TOML)")
    check.set_defaults(func=cmd_check)

    sites = sub.add_parser("sites", help="list the sites the crawler knows")
    sites.set_defaults(func=cmd_sites)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)  # the parser lists the sites: a broken site file fails here already
        return int(args.func(args) or 0)
    except ValueError as exc:
        if type(exc).__name__ != "SiteFileError":
            raise
        return _fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
