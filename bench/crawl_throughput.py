"""Crawl throughput: our end-to-end crawl into SQLite against the fastest bare Scrapy we can configure, on the
same replica URLs.

    python -m bench.crawl_throughput [--articles 5000] [--concurrency 32] [--repeats 2] [--profile]

Generates `--articles` synthetic articles for the Thanh Xuân portal (bench/synthetic.py; 10 per listing page),
serves them with `ReplicaServer` in a separate process (so the server does not share the crawl's GIL), then:

1. sweeps a bare Scrapy spider (defined here, run with CrawlerProcess in its own process: it follows the same
   listing pagination and article links with the same concurrency and discards every response) over
   CONCURRENT_ITEMS (1, 16, 100) and the reactors Scrapy supports on Linux (asyncio, epoll), once each, and
   takes the fastest configuration as the baseline;
2. runs the baseline and our crawl (`crawler crawl thanhxuan --replica URL --db TMP`, politeness off, the
   baseline's CONCURRENT_ITEMS and reactor set on top of our settings) interleaved, A B A B, `--repeats` times
   each, and prints each arm's median and range.

Pages are the requests the server answered. Rates are steady (first to last request the server saw, without
interpreter start-up and shutdown); end to end (process start to exit) is printed too. The load average is
printed with every run: other work on the 2 shared cores slows whichever arm it overlaps, which is why the arms
are interleaved. The last line reads `ours/bare: NN% (ours N pages/s, bare N pages/s)` (medians, steady).
Goal: ours >= 80% of the fastest bare configuration.

3. (unless `--no-designs`) compares where the item chain runs, interleaved: the item worker (the default, a
   second process), the inline chain (Scrapy's process, one core), and the inline chain without its store
   stage, which bounds any writer-thread design from above (a thread can at best take the SQLite writes off
   the reactor's core), and our crawl with no chain at all (the ceiling any second-core design can reach).

Peak RSS is the largest sum over the crawl's processes (the crawl and its item worker), sampled every 50 ms.

`--profile` crawls once more under py-spy (`pip install py-spy`; sampling, so the crawl runs at nearly full
speed) or, without it, cProfile, and prints the top 15 functions by cumulative time, and by own time, which
says more about where the CPU goes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import pstats
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from bench.synthetic import run_measured, write_synthetic_content

SITE = "thanhxuan"
#: The Hanoi-portal selectors (crawler/sites/platforms.py), copied so the bare spider imports nothing of ours.
LISTING_LINKS = ".asset-publisher .asset-title a::attr(href)"
NEXT_PAGE = ".taglib-page-iterator a.next::attr(href)"


# --- the replica server, in its own process ---------------------------------------------------------------


def _serve(content_dir: str, conn: Any) -> None:
    """Server process: serve SITE from `content_dir`; answer 'stats' / 'reset' / 'stop' on `conn`."""
    import resource

    from crawler.replica.server import ReplicaServer

    class TimedServer(ReplicaServer):
        def count_request(self, path: str) -> None:
            now = time.monotonic()
            with self._lock:
                self.requests[path] = self.requests.get(path, 0) + 1
                self.first = getattr(self, "first", None) or now
                self.last = now

        def handle_error(self, request: Any, client_address: Any) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a crawl closing its connections as it exits
                super().handle_error(request, client_address)

    started = time.perf_counter()
    server = TimedServer("127.0.0.1", 0, sites=[SITE], content_dir=Path(content_dir))
    server.first = server.last = None
    server.start_background()
    conn.send({"url": server.url, "pages": len(server.pages), "render_s": time.perf_counter() - started})
    while True:
        command = conn.recv()
        if command == "stop":
            server.shutdown()
            conn.send("stopped")
            return
        if command == "reset":
            with server._lock:
                server.requests.clear()
                server.first = server.last = None
            usage = resource.getrusage(resource.RUSAGE_SELF)
            server.cpu_mark = usage.ru_utime + usage.ru_stime
            conn.send("ok")
        elif command == "stats":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            with server._lock:
                counts = dict(server.requests)
                first, last = server.first, server.last
            kinds = {"listing": 0, "article": 0, "robots": 0, "other": 0}
            for path, n in counts.items():
                kind = ("article" if "/view_content/" in path else "listing" if "/tin-tuc-su-kien" in path
                        else "robots" if path == "/robots.txt" else "other")
                kinds[kind] += n
            conn.send({
                "total": sum(counts.values()), "kinds": kinds, "first": first, "last": last,
                "cpu": usage.ru_utime + usage.ru_stime - getattr(server, "cpu_mark", 0.0),
            })


class ReplicaProcess:
    def __init__(self, content_dir: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(str(content_dir), child), daemon=True)
        self.process.start()
        self.info = self.conn.recv()
        self.url: str = self.info["url"]

    def call(self, command: str) -> Any:
        self.conn.send(command)
        return self.conn.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            self.call("stop")
            self.process.join(10)


# --- the bare spider ----------------------------------------------------------------------------------------


def bare_crawl(start_url: str, concurrency: int, max_pages: int, overrides: dict[str, Any]) -> None:
    """Fetch the listing chain and every article it links, discard every response; print JSON stats."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):  # noqa: ANN202 - Scrapy's async start
            yield scrapy.Request(start_url, callback=self.parse_listing, cb_kwargs={"page": 1})

        def parse_listing(self, response, page):  # noqa: ANN001, ANN202
            for href in response.css(LISTING_LINKS).getall():
                yield response.follow(href, callback=self.discard)
            next_href = response.css(NEXT_PAGE).get()
            if next_href and page < max_pages:
                yield response.follow(next_href, callback=self.parse_listing, cb_kwargs={"page": page + 1})

        def discard(self, response):  # noqa: ANN001, ANN202
            return None

    process = CrawlerProcess({
        "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": False, "AUTOTHROTTLE_ENABLED": False, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "WARNING",
        "COOKIES_ENABLED": False, "REMOTE_CONTROL_ENABLED": False, **overrides,
    })
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    keys = ("downloader/request_count", "downloader/response_count", "finish_reason")
    print(json.dumps({k: stats.get(k) for k in keys}))


def ours_crawl(overrides: dict[str, Any], argv: list[str]) -> None:
    """`crawler <argv>` with `overrides` (the baseline's CONCURRENT_ITEMS and reactor) set on its settings at
    command-line priority, as `scrapy crawl -s` would."""
    from crawler import cli

    project_settings = cli._crawl_settings

    def with_overrides(args: argparse.Namespace) -> Any:
        settings = project_settings(args)
        settings.setdict(overrides, priority="cmdline")
        return settings

    cli._crawl_settings = with_overrides
    sys.exit(cli.main(argv))


#: The reactors Scrapy supports on Linux (asyncio is its default; epoll is Twisted's default on Linux).
REACTORS = {
    "asyncio": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "epoll": "twisted.internet.epollreactor.EPollReactor",
}
CONCURRENT_ITEMS = (1, 16, 100)


# --- the benchmark --------------------------------------------------------------------------------------------


def _rate(pages: int, seconds: float) -> float:
    return pages / seconds if seconds > 0 else float("nan")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(server: ReplicaProcess, label: str, cmd: list[str], env: dict[str, str], may_fail: bool = False) -> dict[str, Any]:
    load = _load()
    server.call("reset")
    result = run_measured(cmd, ROOT, env)
    stats = server.call("stats")
    steady = (stats["last"] - stats["first"]) if stats["first"] is not None else 0.0
    result.update(label=label, pages=stats["total"], kinds=stats["kinds"], steady=steady, server_cpu=stats["cpu"],
                  load=load, rate=_rate(stats["total"], steady), rate_e2e=_rate(stats["total"], result["wall"]))
    if result["returncode"] != 0 and not may_fail:
        print(f"  ({label} exited {result['returncode']}; last stderr lines:)", file=sys.stderr)
        print("\n".join(result["stderr"].strip().splitlines()[-15:]), file=sys.stderr)
    return result


def print_result(r: dict[str, Any]) -> None:
    """One line per run: pages, steady and end-to-end rates, CPU per page, peak RSS, load average before it."""
    print(
        f"  {r['label']:34} {r['pages']:5} pages  steady {r['rate']:5.0f} pages/s  end to end {r['rate_e2e']:5.0f}"
        f"  CPU {1000 * r['cpu'] / max(r['pages'], 1):4.1f} ms/page ({r['cpu'] / r['wall']:.2f} cores)"
        f"  RSS {r['max_rss_mib']:4.0f} MiB  server {r['server_cpu'] / r['wall']:.2f} cores  load {r['load']}",
        flush=True,
    )


def summary(runs: list[dict[str, Any]], key: str = "rate") -> tuple[float, float, float]:
    """Median, min and max of one arm's rates."""
    values = sorted(r[key] for r in runs)
    return statistics.median(values), values[0], values[-1]


def cpu_bound(runs: list[dict[str, Any]], cores: int) -> tuple[float, float]:
    """How many cores these runs kept busy (the crawl, its item worker and the replica server; CPU over wall time,
    median), and the steady rate scaled up to every core busy all the time: the most any balancing of this work
    between processes could give. Start-up runs on fewer cores, so this ceiling errs high, never low."""
    busy = statistics.median((r["cpu"] + r["server_cpu"]) / r["wall"] for r in runs)
    ceiling = statistics.median(r["rate"] * cores * r["wall"] / (r["cpu"] + r["server_cpu"]) for r in runs)
    return busy, ceiling


def server_round_trip_ms(url: str, path: str, count: int = 30) -> float:
    """Median time of one kept-alive GET of `path`: the replica's own latency, which caps any client."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        conn.request("GET", path)
        conn.getresponse().read()
        times.append(time.perf_counter() - started)
    conn.close()
    return 1000 * statistics.median(times)


def _short(path: str) -> str:
    """A file path without the venv, repository or standard-library prefix."""
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return re.sub(r"^.*/python3\.\d+/", "", path)


def _is_project(path: str) -> bool:
    """A file of this repository's crawler (crawler/, pipelines/), not the venv, the bench or the stdlib.
    (The project-only table also leaves out module bodies and the CLI, which only wrap the whole run.)"""
    full = any(part in path for part in (f"{ROOT}/crawler/", f"{ROOT}/pipelines/"))
    return full or path.startswith(("crawler/", "pipelines/"))


def print_cprofile(path: Path, count: int = 15) -> None:
    stats = pstats.Stats(str(path))
    raw = stats.stats.items()  # type: ignore[attr-defined]
    entries = [(ct, tt, nc, func) for func, (_cc, nc, tt, ct, _callers) in raw]
    total = stats.total_tt  # type: ignore[attr-defined]
    ours = [e for e in entries
            if _is_project(e[3][0]) and e[3][2] != "<module>" and not e[3][0].endswith("crawler/cli.py")]
    tables = (("cumulative time", 0, entries), ("own time", 1, entries),
              ("cumulative time, project code only", 0, ours))
    for title, key, table in tables:
        print(f"top {count} functions by {title} (cProfile, {total:.1f} s of CPU in the main thread):")
        print(f"  {'cumtime':>8} {'tottime':>8} {'calls':>9}  function")
        for ct, tt, nc, (file, line, name) in sorted(table, key=lambda e: e[key], reverse=True)[:count]:
            where = f"{_short(file)}:{line}" if line else file
            print(f"  {ct:8.2f} {tt:8.2f} {nc:9}  {name}  ({where})")


def print_pyspy(path: Path, rate: int, count: int = 15) -> None:
    """Top functions from py-spy's collapsed stacks ('f1 (file);f2 (file) N' per line, no line numbers)."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, samples = line.rpartition(" ")
        if not stack or not samples.isdigit():
            continue
        n = int(samples)
        total += n
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + n
        own[frames[-1]] = own.get(frames[-1], 0) + n
    ours = {f: n for f, n in inclusive.items() if _is_project(f.partition(" (")[2]) and not f.startswith("<module>")
            and "crawler/cli.py" not in f}
    tables = (("cumulative time", inclusive), ("own time", own), ("cumulative time, project code only", ours))
    for title, table in tables:
        print(f"top {count} functions by {title} (py-spy, {total} samples at {rate}/s = {total / rate:.1f} s on CPU):")
        print(f"  {'seconds':>8} {'share':>6}  function")
        for frame, n in sorted(table.items(), key=lambda e: e[1], reverse=True)[:count]:
            name, _, where = frame.partition(" (")
            print(f"  {n / rate:8.2f} {n / total:6.1%}  {name}  ({_short(where.rstrip(')'))})")


def _pyspy() -> str | None:
    candidate = Path(sys.executable).parent / "py-spy"
    return str(candidate) if candidate.exists() else shutil.which("py-spy")


def profile_crawl(server: ReplicaProcess, crawl: list[str], work: Path, env: dict[str, str]) -> None:
    """Our crawl once more, under py-spy (sampling, little overhead) if installed, else cProfile."""
    pyspy = _pyspy()
    db = ["--db", str(work / "profiled.db")]
    if pyspy:
        rate, out = 200, work / "crawl.pyspy.txt"
        cmd = [pyspy, "record", "--nolineno", "--format", "raw", "-r", str(rate), "-o", str(out), "--", *crawl, *db]
        profiled = measure(server, "ours, py-spy", cmd, env)
        print()
        print_result(profiled)
        print_pyspy(out, rate)
    else:
        out = work / "crawl.prof"
        cmd = [sys.executable, "-m", "cProfile", "-o", str(out), *crawl[1:], *db]
        profiled = measure(server, "ours, cProfile", cmd, env)
        print()
        print_result(profiled)
        print_cprofile(out)


def compare_designs(ours: Any, overrides: dict[str, Any], env: dict[str, str], work: Path, repeats: int) -> None:
    """Where the item chain runs, measured on the same URLs, interleaved:

    - the item worker (the default: the chain in a second process), and the same with work sharing (the
      crawl's process reading pages itself while the worker's queue is full);
    - inline (the chain in Scrapy's process, one core);
    - inline without the store stage: the bound of a writer-thread design. A thread can at best take the
      SQLite writes off the reactor's core (SQLite releases the GIL while it works; the rest of the chain is
      Python and does not), so no writer thread can be faster than this arm, which does no writes at all;
    - no chain at all (pages are fetched, followed and discarded by our crawl process): the ceiling of any
      second-core design, what our spider, middlewares and extensions cost on the reactor's core. (Its runs
      exit 1: a run that stores nothing is judged failing.)
    """
    from crawler.settings import base

    no_store = {p: o for p, o in base.CRAWLER_ITEM_CHAIN.items() if p != "pipelines.store.SqliteStorePipeline"}
    arms = [
        ("item worker (default)", {}, {}),
        ("item worker with work sharing", {}, {"CRAWLER_ITEM_WORKER_SHARE": "1"}),
        ("inline chain, one core", {}, {"CRAWLER_ITEM_WORKER": "inline"}),
        ("inline, no store: writer-thread bound", {"ITEM_PIPELINES": no_store}, {"CRAWLER_ITEM_WORKER": "inline"}),
        ("no chain: the crawl process's ceiling", {"ITEM_PIPELINES": {}}, {}),
    ]
    print(f"\nwhere the item chain runs, {repeats} runs each, interleaved:")
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in arms}
    for n in range(repeats):
        for arm, (label, extra, extra_env) in enumerate(arms):
            db = work / f"design{n}-{arm}.db"  # a fresh store per run: a second run into one would be incremental
            result = ours({**overrides, **extra}, label, db, {**env, **extra_env})
            print_result(result)
            runs[label].append(result)
    for label, results in runs.items():
        median, low, high = summary(results)
        print(f"  {label:40} steady {median:5.0f} pages/s (range {low:.0f}-{high:.0f})")


def store_summary(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        articles, copies = conn.execute("SELECT count(*), count(duplicate_of) FROM articles").fetchone()
        conferences = conn.execute("SELECT count(*) FROM articles WHERE is_conference = 1").fetchone()[0]
        run = conn.execute("SELECT status, requests, new, errors FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    return (f"stored {articles} articles ({conferences} conference reports, {copies} linked as copies); "
            f"run status {run[0]}, {run[1]} requests, {run[2]} new, errors {run[3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=2, help="interleaved runs of each arm after the sweep")
    parser.add_argument("--profile", action="store_true", help="also profile our crawl once (py-spy or cProfile)")
    parser.add_argument("--no-designs", dest="designs", action="store_false",
                        help="skip the second-core designs (item worker, inline chain, writer-thread bound)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    server: ReplicaProcess | None = None
    try:
        started = time.perf_counter()
        write_synthetic_content(work / "content", SITE, args.articles)
        generated = time.perf_counter() - started
        server = ReplicaProcess(work / "content")
        listing_pages = -(-args.articles // 10)
        start_url = server.url + f"/{SITE}/tin-tuc-su-kien"
        print(f"replica: {args.articles} synthetic {SITE} articles + {listing_pages} listing pages "
              f"(generated in {generated:.1f} s, rendered in {server.info['render_s']:.1f} s) at {server.url}, "
              f"in its own process; kept-alive round trip {server_round_trip_ms(server.url, f'/{SITE}/tin-tuc-su-kien'):.2f} ms; "
              f"concurrency {args.concurrency}, no delay; {os.cpu_count()} CPUs, load average {_load()}")
        env = {
            **os.environ, "CRAWLER_MAX_LISTING_PAGES": str(listing_pages + 10),
            "CRAWLER_CONCURRENCY": str(args.concurrency), "CRAWLER_DOWNLOAD_DELAY": "0",
        }
        env.pop("CRAWLER_REPLICA_URL", None)
        env.pop("CRAWLER_DB", None)
        crawl = ["crawl", SITE, "--replica", server.url, "--log-level", "WARNING"]

        def bare(overrides: dict[str, Any], label: str) -> dict[str, Any]:
            cmd = [sys.executable, "-m", "bench.crawl_throughput", "--bare-worker", start_url,
                   str(args.concurrency), str(listing_pages + 10), json.dumps(overrides)]
            return measure(server, label, cmd, env)

        def ours(overrides: dict[str, Any], label: str, db: Path, run_env: dict[str, str] | None = None) -> dict[str, Any]:
            cmd = [sys.executable, "-m", "bench.crawl_throughput", "--ours-worker", json.dumps(overrides),
                   *crawl, "--db", str(db)]
            return measure(server, label, cmd, run_env or env, may_fail=overrides.get("ITEM_PIPELINES") == {})

        print("\nbare Scrapy, every configuration once:")
        sweep = []
        for reactor, path in REACTORS.items():
            for items in CONCURRENT_ITEMS:
                overrides = {"CONCURRENT_ITEMS": items, "TWISTED_REACTOR": path}
                result = bare(overrides, f"bare, items={items}, {reactor}")
                result["overrides"], result["name"] = overrides, f"CONCURRENT_ITEMS={items}, {reactor} reactor"
                print_result(result)
                sweep.append(result)
        best = max(sweep, key=lambda r: r["rate"])
        print(f"fastest: {best['name']} ({best['rate']:.0f} pages/s); ours runs with the same two settings\n")

        print(f"interleaved, {args.repeats} runs each (A B A B):")
        bare_runs, our_runs = [], []
        for n in range(args.repeats):
            bare_runs.append(bare(best["overrides"], f"bare ({best['name']})"))
            print_result(bare_runs[-1])
            db = work / f"ours{n}.db"
            our_runs.append(ours(best["overrides"], "ours (crawler crawl, into SQLite)", db))
            print_result(our_runs[-1])
            print(f"  {'':34} {store_summary(db)}")

        print()
        for name, runs in (("bare Scrapy", bare_runs), ("ours", our_runs)):
            median, low, high = summary(runs)
            e2e = summary(runs, "rate_e2e")
            cpu = statistics.median(1000 * r["cpu"] / max(r["pages"], 1) for r in runs)
            rss = max(r["max_rss_mib"] for r in runs)
            print(f"{name:12} steady {median:5.0f} pages/s (range {low:.0f}-{high:.0f}), end to end {e2e[0]:5.0f} "
                  f"(range {e2e[1]:.0f}-{e2e[2]:.0f}), CPU {cpu:.1f} ms/page, peak RSS {rss:.0f} MiB")
        if args.designs:
            compare_designs(ours, best["overrides"], env, work, args.repeats)
        if args.profile:
            profile_crawl(server, [sys.executable, "-m", "crawler.cli", *crawl], work, env)
        mine, theirs = summary(our_runs)[0], summary(bare_runs)[0]
        cores = os.cpu_count() or 1
        busy, ceiling = cpu_bound(our_runs, cores)
        print(f"CPU bound: ours kept {busy:.2f} of {cores} cores busy (crawl, item worker and replica server); "
              f"with all {cores} busy all the time the same work would give at most {ceiling:.0f} pages/s "
              f"({ceiling / theirs:.0%} of bare)")
        print(f"load average at the end: {_load()} (goal: ours >= 80% of the fastest bare configuration; "
              f"{'met' if mine / theirs >= 0.8 else 'NOT met'})")
        print(f"ours/bare: {mine / theirs:.0%} (ours {mine:.0f} pages/s, bare {theirs:.0f} pages/s)")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--bare-worker":
        bare_crawl(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--ours-worker":
        ours_crawl(json.loads(sys.argv[2]), sys.argv[3:])
    else:
        main()
