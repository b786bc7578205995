"""Scale: peak memory of an incremental crawl over a store of 100,000 articles, and the time of a full export.

    python -m bench.scale [--articles 100000] [--keep-store PATH]

Builds a store of `--articles` synthetic Thanh Xuân articles (bench/synthetic.py) at the URLs the replica
server serves that site under, so the crawl treats them as its own stored articles. Then, against the bundled
replica (its 23 Thanh Xuân articles are not in the store):

1. reference: the same crawl into an empty store;
2. incremental crawl over the big store that finds the replica's articles new (loads the known URLs, the
   refresh candidates and, for the first new article, the near-duplicate index of every stored signature);
3. unchanged re-crawl over the big store (the every-30-minutes case);
4. `crawler export -o FILE.jsonl` of the whole store.

Each is the real `crawler` command in a child process; peak RSS is the child's own (wait4).
Goals: incremental crawl peak <= 300 MB RSS; full JSONL export <= 10 s.
Last, a breakdown in a fresh process: how much RSS each piece of incremental state takes at this size (the
near-duplicate search is measured against the band table).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from bench.synthetic import build_store, run_measured

SITE = "thanhxuan"
RSS_GOAL_MB = 300
EXPORT_GOAL_S = 10.0


def _mb(mib: float) -> float:
    return mib * 1024 * 1024 / 1e6


def _rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def breakdown(db: str, site: str) -> None:
    """Child mode: RSS added by each piece of state a crawl of `site` loads from `db` (JSON lines)."""
    from datetime import timedelta

    def step(name: str, started: float, before: float, **extra: Any) -> float:
        after = _rss_mib()
        seconds = time.perf_counter() - started
        print(json.dumps({"step": name, "mib": after - before, "seconds": seconds, **extra}), flush=True)
        return after

    rss = _rss_mib()
    started = time.perf_counter()
    import scrapy  # noqa: F401 - the crawl process has these loaded anyway

    from crawler.parsing.dates import VN_TZ
    from crawler.store import Store
    rss = step("imports (scrapy, crawler)", started, rss, total=_rss_mib())
    started = time.perf_counter()
    store = Store(db)
    rss = step("Store() open + migrate", started, rss)
    started = time.perf_counter()
    known = store.articles.known_urls(site)
    rss = step("known_urls (set of stored URLs)", started, rss, count=len(known))
    started = time.perf_counter()
    since = (datetime.now(VN_TZ) - timedelta(days=7)).isoformat(timespec="seconds")
    refresh = store.articles.refresh_candidates(site, since)
    rss = step("refresh_candidates (7 days)", started, rss, count=len(refresh))
    # Near-duplicate search runs against the SQLite band table (Store.find_near_duplicate): nothing is loaded;
    # measure 200 lookups of stored signatures, which is what a crawl's new articles cost.
    started = time.perf_counter()
    rows = store.db.execute("SELECT url, minhash FROM articles WHERE minhash IS NOT NULL ORDER BY random() LIMIT 200").fetchall()
    found = sum(1 for url, blob in rows if store.articles.find_near_duplicate(blob, exclude=url))
    rss = step("near-duplicate lookups in the band table (200)", started, rss, count=len(rows))
    print(json.dumps({"note": f"{found} of 200 sampled articles have a stored near-duplicate"}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2, help="processes that build the store's rows")
    parser.add_argument("--keep-store", type=Path, metavar="PATH",
                        help="keep the built store at PATH and reuse it on later runs with the same parameters on the "
                             "same day (the replica then listens on --port, since stored URLs name it); each run "
                             "crawls a copy")
    parser.add_argument("--port", type=int, default=8871, help="replica port with --keep-store (default 8871)")
    args = parser.parse_args()

    from crawler.parsing.dates import VN_TZ
    from crawler.replica.server import ReplicaServer
    from crawler.store.schema import MIGRATIONS

    class QuietServer(ReplicaServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a crawl closing its connections as it exits
                super().handle_error(request, client_address)

    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    # Bound now; serving starts after the store is built.
    server = QuietServer("127.0.0.1", args.port if args.keep_store else 0)
    env = {k: v for k, v in os.environ.items() if k not in ("CRAWLER_REPLICA_URL", "CRAWLER_DB")}
    results: dict[str, dict[str, Any]] = {}
    serving = False
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    try:
        db = work / "big.db"
        now = datetime.now(VN_TZ)
        key = {"site": SITE, "articles": args.articles, "seed": 7, "url": server.url, "day": now.date().isoformat(),
               "migrations": len(MIGRATIONS)}
        kept = args.keep_store.with_name(args.keep_store.name + ".json") if args.keep_store else None
        if kept and args.keep_store.exists() and kept.exists() and json.loads(kept.read_text()) == key:
            started = time.perf_counter()
            shutil.copyfile(args.keep_store, db)
            copied = time.perf_counter() - started
            print(f"store: reused {args.keep_store} ({db.stat().st_size / 1e6:.0f} MB, copied in {copied:.0f} s)")
        else:
            print(f"building a store of {args.articles} {SITE} articles ...", file=sys.stderr, flush=True)
            timings = build_store(db, SITE, args.articles, server.url, seed=7, end=now.replace(tzinfo=None),
                                  workers=args.workers)
            size = sum(p.stat().st_size for p in work.glob("big.db*")) / 1e6
            print(f"store: {args.articles} synthetic {SITE} articles, {size:.0f} MB on disk "
                  f"(built in {timings['total']:.0f} s through Store.save)")
            if kept:
                args.keep_store.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(db, args.keep_store)
                kept.write_text(json.dumps(key))
        server.start_background()
        serving = True

        def crawl(label: str, path: Path) -> dict[str, Any]:
            cmd = [sys.executable, "-m", "crawler.cli", "crawl", SITE, "--replica", server.url, "--db", str(path),
                   "--log-level", "WARNING"]
            before = sum(server.requests.values())
            result = run_measured(cmd, ROOT, env)
            result["requests"] = sum(server.requests.values()) - before
            if result["returncode"] != 0:
                tail = "\n".join(result["stderr"].strip().splitlines()[-15:])
                print(f"  ({label} exited {result['returncode']}:)\n{tail}", file=sys.stderr)
            from crawler.store import Store

            run = Store(path).runs.recent(SITE, limit=1)[0]
            result["new"], result["skipped"] = run["new"], run["skipped_stored"]
            results[label] = result
            print(f"{label:44} peak RSS {result['max_rss_mib']:5.0f} MiB ({_mb(result['max_rss_mib']):4.0f} MB), "
                  f"{result['wall']:5.1f} s, {result['requests']:3} requests, {result['new']:3} new, "
                  f"exit {result['returncode']}")
            return result

        crawl("crawl into an empty store (reference)", work / "empty.db")
        first = crawl(f"incremental crawl, {args.articles // 1000}k store, new articles", db)
        second = crawl(f"unchanged re-crawl, {args.articles // 1000}k store", db)

        output = work / "articles.jsonl"
        export_cmd = [sys.executable, "-m", "crawler.cli", "export", "-o", str(output), "--db", str(db)]
        export = run_measured(export_cmd, ROOT, env)
        lines = sum(1 for _ in output.open(encoding="utf-8")) if output.exists() else 0
        print(f"{'full JSONL export':44} {export['wall']:5.1f} s wall ({export['cpu']:.1f} s CPU), {lines} lines, "
              f"{output.stat().st_size / 1e6 if output.exists() else 0:.0f} MB, "
              f"peak RSS {export['max_rss_mib']:.0f} MiB, "
              f"exit {export['returncode']}")
        if export["returncode"] != 0:
            print(export["stderr"][-2000:], file=sys.stderr)

        peak = max(first["max_rss_mib"], second["max_rss_mib"])
        print()
        print(f"peak RSS of an incremental crawl over {args.articles} articles: {_mb(peak):.0f} MB "
              f"(goal <= {RSS_GOAL_MB} MB: {'met' if _mb(peak) <= RSS_GOAL_MB else 'NOT met'})")
        print(f"full JSONL export of {args.articles} articles: {export['wall']:.1f} s "
              f"(goal <= {EXPORT_GOAL_S:.0f} s: {'met' if export['wall'] <= EXPORT_GOAL_S else 'NOT met'})")

        print()
        print(f"memory breakdown at {args.articles} stored articles (fresh process, RSS added by each step):")
        result = run_measured([sys.executable, "-m", "bench.scale", "--breakdown-worker", str(db), SITE], ROOT, env)
        for line in result["stdout"].splitlines():
            step = json.loads(line)
            if "note" in step:
                print(f"  ({step['note']})")
                continue
            extra = f", {step['count']} entries" if "count" in step else ""
            total = f" (process now {step['total']:.0f} MiB)" if "total" in step else ""
            print(f"  {step['step']:58} {step['mib']:+7.1f} MiB  {step['seconds']:5.1f} s{extra}{total}")
        if result["returncode"] != 0:
            print(result["stderr"][-2000:], file=sys.stderr)
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if serving:
            server.shutdown()
        server.server_close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--breakdown-worker":
        breakdown(sys.argv[2], sys.argv[3])
    else:
        main()
