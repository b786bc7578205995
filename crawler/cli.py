"""The `crawler` command: crawl several sites in one process, export JSON Lines, extract one page, serve replicas.

    crawler crawl [SITE ...] [--db PATH] [--replica URL] [--full]
    crawler schedule --every 30m [SITE ...] [--db PATH] [--replica URL]
    crawler runs [--site SITE] [--json] [--db PATH]
    crawler export -o FILE.jsonl [--db PATH] [--since YYYY-MM-DD] [--conferences-only | --conferences | --consumer NAME]
    crawler extract FILE_OR_URL --url URL [--site NAME]
    crawler ingest [SITE ...] [--db PATH] [--redis-url URL]
    crawler replica serve [--host 127.0.0.1] [--port 8800] [--faults]
    crawler browse [--db PATH] [--port 8001]
    crawler sites
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
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
    return settings


def cmd_crawl(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from crawler.sites import SITES
    from crawler.stats import RUN_LOCKED, RUN_STATUS, code_failures
    from crawler.store import open_store
    from crawler.summary import format_table, summarise

    names = args.sites or [name for name, site in SITES.items() if site.enabled]
    unknown = [n for n in names if n not in SITES]
    if unknown:
        return _fail(f"unknown site(s): {', '.join(unknown)}; known: {', '.join(sorted(SITES))}")
    settings = _crawl_settings(args)
    from crawler.browser import BrowserNotFound

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
    store = open_store(settings)
    rows = [summarise(c.spidercls.name, c.stats.get_stats(), store) for c in crawlers]
    print(format_table(rows))
    print(f"database: {store.path}")
    locked = [c.spidercls.name for c in crawlers if c.stats.get_value(RUN_LOCKED)]
    if locked:
        return _fail(f"another crawl is already running for: {', '.join(locked)} (not crawled now)", 3)
    failed = [
        c.spidercls.name
        for c in crawlers
        if c.stats.get_value("finish_reason") not in ("finished", None)
        or code_failures(c.stats.get_stats())
        or c.stats.get_value(RUN_STATUS) not in ("ok", None)
    ]
    if failed:
        return _fail(f"run failing (see `crawler runs` and the log) for: {', '.join(failed)}", 1)
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    from crawler.store import Store

    db = Path(args.db or _default_db())
    if not db.exists():
        return _fail(f"no database at {db} (run a crawl first)")
    runs = Store(db).runs.recent(args.site, limit=args.limit)
    if args.json:
        for run in runs:
            print(json.dumps(run, ensure_ascii=False))
        return 0
    header = f"{'id':>5}  {'site':12} {'started (UTC)':20} {'status':11} {'req':>5} {'new':>4} {'upd':>4} {'304':>4} {'skip':>5}  problems"
    print(header)
    for run in runs:
        problems = [*run["health"], *(f"{k}: {v}" for k, v in (run["errors"] or {}).items())]
        print(
            f"{run['id']:>5}  {run['site']:12} {run['started_at'][:19]:20} {run['status']:11} {run['requests']:>5} "
            f"{run['new']:>4} {run['updated']:>4} {run['not_modified']:>4} {run['skipped_stored']:>5}  {'; '.join(problems)}"
        )
    return 0


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
    response = HtmlResponse(url=url, body=body, headers=headers)
    try:
        result = item_for_page(response, site, clock_from(settings)(), settings, site_name=host_of(url))
    except DropItem as exc:
        return _fail(f"item dropped by validation: {exc}", 1)
    if isinstance(result, Skipped):
        return _fail(f"not an article: {result.reason} ({result.detail})", 1)
    print(json.dumps(to_record(result), ensure_ascii=False, indent=2))
    return 0


def cmd_replica_serve(args: argparse.Namespace) -> int:
    from crawler.replica.server import ReplicaServer

    try:
        server = ReplicaServer(args.host, args.port, verbose=args.verbose, with_faults=args.faults)
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
    """Serve the store in Datasette (the schema, FTS index included, is brought up to date first)."""
    import subprocess
    from importlib.resources import files

    from crawler.store import Store

    db = Path(args.db or _default_db())
    if not db.exists():
        return _fail(f"no database at {db} (run a crawl first)")
    Store(db).close()
    metadata = files("crawler.browse").joinpath("metadata.json")
    command = [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(metadata), "--host", args.host,
               "--port", str(args.port), "--setting", "default_page_size", "50"]
    print(f"browse the store at http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def cmd_sites(args: argparse.Namespace) -> int:
    from crawler.sites import SITES, resolve_base_url

    for site in SITES.values():
        state = "" if site.enabled else " (disabled)"
        print(f"{site.name:12} {site.platform:16} {resolve_base_url(site)}{state}  {site.description}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crawler", description="Crawl Vietnamese party-committee conference reports.")
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="crawl sites (all enabled by default) into the SQLite store")
    crawl.add_argument("sites", nargs="*", metavar="SITE")
    crawl.add_argument("--db", help="SQLite file (default: $CRAWLER_DB or output/crawl.db)")
    crawl.add_argument("--replica", metavar="URL", help="crawl the replica server at URL instead of the live sites")
    crawl.add_argument("--log-level", help="Scrapy log level (default INFO)")
    crawl.add_argument("--full", action="store_true", help="re-fetch everything (turn incremental crawling off)")
    crawl.set_defaults(func=cmd_crawl)

    schedule = sub.add_parser("schedule", help="run `crawler crawl` on an interval until stopped")
    schedule.add_argument("sites", nargs="*", metavar="SITE")
    schedule.add_argument("--every", required=True, help="interval: 30m, 2h, 90s")
    schedule.add_argument("--db", help="SQLite file (default: $CRAWLER_DB or output/crawl.db)")
    schedule.add_argument("--replica", metavar="URL", help="crawl the replica server at URL")
    schedule.add_argument("--runs", type=int, help="stop after this many runs (default: run until stopped)")
    schedule.set_defaults(func=cmd_schedule)

    runs = sub.add_parser("runs", help="the history of crawl runs")
    runs.add_argument("--site", help="only this site")
    runs.add_argument("--json", action="store_true", help="one JSON object per run")
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
    extract.add_argument("source", metavar="FILE_OR_URL")
    extract.add_argument("--url", help="the page's address (required for files)")
    extract.add_argument("--site", help="use this site's selectors (default: by URL; unknown sites use the fallback)")
    extract.set_defaults(func=cmd_extract)

    ingest = sub.add_parser("ingest", help="store the items distributed workers left in Redis (REDIS_URL)")
    ingest.add_argument("sites", nargs="*", metavar="SITE")
    ingest.add_argument("--db", help="SQLite file (default: $CRAWLER_DB or output/crawl.db)")
    ingest.add_argument("--redis-url", help="Redis the workers push to (default: $REDIS_URL)")
    ingest.set_defaults(func=cmd_ingest)

    replica = sub.add_parser("replica", help="the bundled replica sites")
    replica_sub = replica.add_subparsers(dest="replica_command", required=True)
    serve = replica_sub.add_parser("serve", help="serve every replica site on one loopback port")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8800)
    serve.add_argument("--verbose", action="store_true", help="log every request")
    serve.add_argument("--faults", action="store_true", help="add fault-injecting pages (see crawler/replica/faults.py)")
    serve.set_defaults(func=cmd_replica_serve)

    browse = sub.add_parser("browse", help="serve the store in Datasette with search and canned queries")
    browse.add_argument("--db", help="SQLite file (default: $CRAWLER_DB or output/crawl.db)")
    browse.add_argument("--host", default="127.0.0.1")
    browse.add_argument("--port", type=int, default=8001)
    browse.set_defaults(func=cmd_browse)

    sites = sub.add_parser("sites", help="list the sites the crawler knows")
    sites.set_defaults(func=cmd_sites)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
