"""`crawler schedule`: run `crawler crawl` every interval until stopped.

Each run is a child process (Twisted's reactor cannot be restarted in one process, and a child that leaks
memory or hangs cannot take the scheduler down). SIGTERM or SIGINT is passed on to the running crawl, which
finishes the requests and items in flight (Scrapy's graceful shutdown) and records its run; the scheduler then
exits 0. The per-site lock lives in the crawl itself, so a second scheduler, or a cron job, never overlaps
with a running crawl of the same site.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from types import FrameType

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """'30m' -> 1800.0; accepts s, m, h, d (a bare number is minutes)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"cannot read interval {text!r}: use e.g. 90s, 30m, 2h, 1d")
    return float(match.group(1)) * _UNITS[match.group(2) or "m"]


def run_schedule(every: float, crawl_args: list[str], max_runs: int | None = None) -> int:
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        print(f"crawler schedule: got signal {signum}; finishing the current run, then stopping", flush=True)
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGINT)  # Scrapy: first SIGINT = graceful shutdown

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    runs = 0
    try:
        while not stopping and (max_runs is None or runs < max_runs):
            started = time.monotonic()
            child = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", *crawl_args])
            code = child.wait()
            child = None
            runs += 1
            print(f"crawler schedule: run {runs} exited with {code}", flush=True)
            if max_runs is not None and runs >= max_runs:
                break
            deadline = started + every
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
