"""The item worker process (`python -m crawler.item_worker`): reads messages on stdin, answers on stdout.

Messages in (tuples, see frames.py): ("open", key, settings, site) builds the chain of one crawler;
("page", key, seq, page, start) runs a `FetchedPage` through it, or an item whose stages before index `start`
already ran in the crawl's process; ("close", key) closes that chain (its last commit).
End of input closes every chain and exits: a crawl that dies, even by SIGKILL, still gets what the worker
read committed.

Messages out: ("done", key, seq, outcome, value, changes, logs) with outcome "item" (value: the finished
item), "drop" (value: (reason, log level)) or "error" (value: the traceback); ("stats", key, changes, logs)
after a commit made between pages; ("closed", key, changes, logs); ("failed", message) when the worker
cannot start a chain (a database it cannot open). `changes` are the stats operations the stages made,
`logs` the records they wrote, for the crawl to replay.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from crawler.item_worker.frames import FrameReader, encode
from pipelines.base import CountingStats

#: Longest wait for input before the worker commits a batch that is due (COMMIT_SECONDS in crawler.store).
TICK_SECONDS = 0.25


class RecordingStats(CountingStats):
    """Counters that also record each change, for the crawl to apply to its own stats."""

    def __init__(self) -> None:
        super().__init__()
        self.changes: list[tuple[str, str, Any]] = []

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        super().inc_value(key, count, start)
        self.changes.append(("inc", key, count))

    def set_value(self, key: str, value: Any) -> None:
        super().set_value(key, value)
        self.changes.append(("set", key, value))

    def take(self) -> list[tuple[str, str, Any]]:
        changes, self.changes = self.changes, []
        return changes


class LogCollector(logging.Handler):
    """Keeps the records the stages log, as (logger name, level, message), for the crawl to log."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the page
            message = str(record.msg)
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        self.records.append((record.name, record.levelno, message))

    def take(self) -> list[tuple[str, int, str]]:
        records, self.records = self.records, []
        return records


@dataclass
class Chain:
    pipelines: Any
    stats: RecordingStats = field(default_factory=RecordingStats)


class Worker:
    def __init__(self, out_fd: int, logs: LogCollector) -> None:
        self.out_fd = out_fd
        self.logs = logs
        self.chains: dict[int, Chain] = {}
        #: The crawl stopped reading (it died): nothing more is sent, and the worker commits and exits.
        self.output_gone = False

    def send(self, message: Any) -> None:
        """Write one answer. Before a write that would block (the crawl is not reading yet), the open batch is
        committed: the worker never waits on the pipe while it holds the database's write lock, which the
        crawl's own small writes (run records, crawl state) may be waiting for."""
        if self.output_gone:
            return
        data = memoryview(encode(message))
        try:
            while data:
                try:
                    data = data[os.write(self.out_fd, data):]
                except BlockingIOError:
                    self.commit_now()
                    select.select([], [self.out_fd], [])
        except OSError:  # BrokenPipeError above all: the crawl is gone; `close_all` commits what was read
            self.output_gone = True

    def _stages_with(self, method: str) -> Iterator[Any]:
        """Every open chain's stage that has `method` (the store's commit methods)."""
        for chain in self.chains.values():
            yield from (getattr(p, method) for p in chain.pipelines.pipelines if hasattr(p, method))

    def commit_now(self) -> None:
        for commit in self._stages_with("commit_now"):
            commit()

    def handle(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "page":
            self.page(*message[1:])
        elif kind == "open":
            self.open(*message[1:])
        elif kind == "close":
            self.close(message[1])

    def open(self, key: int, settings: dict[str, Any], site: Any) -> None:
        from crawler.pipeline_chain import crawl_chain

        logging.getLogger().setLevel(settings.get("LOG_LEVEL") or "DEBUG")
        chain = Chain(None)
        try:
            chain.pipelines = crawl_chain(Settings(settings), chain.stats)
            chain.pipelines.open()
        except Exception as exc:  # noqa: BLE001 - reported to the crawl, which stops with the reason
            self.send(("failed", f"{type(exc).__name__}: {exc}"))
            return  # the crawl closes this chain (answered "closed") and then the worker
        chain.pipelines.register_site(site)
        self.chains[key] = chain

    def page(self, key: int, seq: int, page: Any, start: int = 0) -> None:
        chain = self.chains.get(key)
        if chain is None:
            outcome, value = "error", "the item worker has no open chain for this crawl"
        else:
            try:
                outcome, value = "item", chain.pipelines.process(page, start)
            except DropItem as exc:
                outcome, value = "drop", (str(exc), getattr(exc, "log_level", None), type(exc).__name__)
            except Exception as exc:  # noqa: BLE001 - a stage's bug: the crawl counts it as an item error, goes on
                outcome, value = "error", (type(exc).__name__, traceback.format_exc())
        changes = chain.stats.take() if chain is not None else []
        self.send(("done", key, seq, outcome, value, changes, self.logs.take()))

    def close(self, key: int) -> None:
        """Close one crawler's chain (its last commit) and say so; a chain that never opened is closed too, so
        the crawl waiting for this answer never waits forever."""
        chain = self.chains.pop(key, None)
        changes: list[tuple[str, str, Any]] = []
        if chain is not None:
            try:
                chain.pipelines.close()
            except Exception:  # noqa: BLE001 - logged; the crawl still gets the counts
                logging.getLogger(__name__).exception("closing the item chain failed")
            changes = chain.stats.take()
        self.send(("closed", key, changes, self.logs.take()))

    def commit_due(self) -> None:
        """Between pages: commit any batch that is due, and send the counts its commit made."""
        for commit in self._stages_with("commit_due"):
            commit()
        for key, chain in self.chains.items():
            if chain.stats.changes:
                self.send(("stats", key, chain.stats.take(), self.logs.take()))

    def close_all(self) -> None:
        for key in list(self.chains):
            self.close(key)


def run(in_fd: int = 0) -> None:
    # Ctrl-C reaches the whole process group: the crawl stops gracefully and closes this worker itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # Frames go to a private copy of stdout; anything a library prints goes to stderr, not into the frames.
    out_fd = os.dup(1)
    os.dup2(2, 1)
    os.set_blocking(out_fd, False)  # a full pipe is noticed (see Worker.send), never waited on blindly
    logs = LogCollector()
    root = logging.getLogger()
    root.handlers[:] = [logs]
    root.setLevel(logging.DEBUG)
    worker = Worker(out_fd, logs)
    reader = FrameReader()
    while not worker.output_gone:
        ready, _, _ = select.select([in_fd], [], [], TICK_SECONDS)
        if ready:
            data = os.read(in_fd, 1 << 20)
            if not data:
                break
            for message in reader.feed(data):
                worker.handle(message)
                if worker.output_gone:
                    break
        worker.commit_due()
    worker.close_all()  # the last commits, whether the crawl said goodbye, died, or stopped reading


if __name__ == "__main__":
    run()
    sys.exit(0)
