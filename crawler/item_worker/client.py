"""The crawl's side of the item worker: the worker process under the Twisted reactor, shared by every crawler of
one crawl process that stores into the same database (`shared_worker`)."""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, protocol

from crawler.item_worker.frames import FrameReader, encode
from crawler.store import store_path

logger = logging.getLogger(__name__)

#: Settings whose value the worker must have even when it does not pickle (the crawl then refuses to start);
#: any other value that cannot cross a process boundary is left out, since the chain never reads it.
_MUST_CROSS = ("CRAWLER_CLOCK",)


#: Linux's fcntl to size a pipe (not named in Python's fcntl module before 3.10 on every platform).
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
_PIPE_BYTES = 1 << 20


def _widen(fd: int) -> None:
    """A 1 MiB pipe instead of 64 KiB: a page is written in one call instead of many partial ones (each of which
    wakes the other process). Where the system refuses, the default pipe works as well, only slower."""
    try:
        fcntl.fcntl(fd, _F_SETPIPE_SZ, _PIPE_BYTES)
    except OSError:
        pass


class ItemWorkerFailed(RuntimeError):
    """The worker process could not run a page (it died, or could not open its chain)."""


def shippable_settings(settings: Any) -> dict[str, Any]:
    """The crawler's settings as plain data for the worker: every value that pickles. A frozen clock that
    cannot be pickled would make the worker read time differently from the crawl: refused with the fix."""
    shipped = {}
    for name, value in settings.copy_to_dict().items():
        try:
            pickle.dumps(value)
        except Exception:  # noqa: BLE001 - pickling raises many types
            if name in _MUST_CROSS:
                raise ItemWorkerFailed(
                    f"{name} cannot be sent to the item worker (it does not pickle): run the chain in the crawl's own "
                    "process with the environment variable CRAWLER_ITEM_WORKER=inline (read when the settings load)"
                ) from None
            continue
        shipped[name] = value
    return shipped


class _WorkerProtocol(protocol.ProcessProtocol):
    def __init__(self, on_message: Callable[[Any], None], on_ended: Callable[[str], None]) -> None:
        self.reader = FrameReader()
        self.on_message = on_message
        self.on_ended = on_ended

    def childDataReceived(self, childFD: int, data: bytes) -> None:  # noqa: N802 - Twisted's name
        try:
            messages = self.reader.feed(data)
        except Exception as exc:  # noqa: BLE001 - a garbled stream: no later answer can be trusted
            self.on_ended(f"unreadable answer: {type(exc).__name__}: {exc}")
            return
        for message in messages:
            try:
                self.on_message(message)
            except Exception:  # noqa: BLE001 - one answer's handling must not drop the answers after it
                logger.exception("handling an answer of the item worker failed")

    def processEnded(self, reason: Any) -> None:  # noqa: N802 - Twisted's name
        code = getattr(reason.value, "exitCode", None)
        signal_number = getattr(reason.value, "signal", None)
        self.on_ended(f"signal {signal_number}" if signal_number else f"exit code {code}")


class ItemWorker:
    """One worker process: pages go in with a sequence number; each answer fires that page's Deferred."""

    def __init__(self, path: Path, max_pending: int) -> None:
        self.path = path
        self.slots = defer.DeferredSemaphore(max_pending)
        self.pending: dict[int, defer.Deferred[Any]] = {}
        self.listeners: dict[int, Any] = {}
        self.closing: dict[int, defer.Deferred[Any]] = {}
        self.seq = 0
        self.ended: str | None = None
        self.stopped = False
        self.exited: defer.Deferred[None] = defer.Deferred()
        from twisted.internet import reactor

        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.protocol = _WorkerProtocol(self._received, self._ended)
        self.process = reactor.spawnProcess(  # type: ignore[attr-defined]
            self.protocol, sys.executable, [sys.executable, "-m", "crawler.item_worker"], env=env,
            childFDs={0: "w", 1: "r", 2: 2},
        )
        for pipe in self.process.pipes.values():
            _widen(pipe.fileno())

    # -- chains (one per crawler) --------------------------------------------------------------------------

    def open_chain(self, key: int, settings: dict[str, Any], site: Any, listener: Any) -> None:
        self.listeners[key] = listener
        self._send(("open", key, settings, site))

    def close_chain(self, key: int) -> defer.Deferred[Any]:
        done: defer.Deferred[Any] = defer.Deferred()
        if self.ended is not None:
            self.listeners.pop(key, None)
            done.callback(None)
            return done
        self.closing[key] = done
        self._send(("close", key))
        return done

    # -- pages ----------------------------------------------------------------------------------------------

    @property
    def full(self) -> bool:
        """Every slot taken: a page sent now would wait for the worker."""
        return self.slots.tokens == 0

    async def run(self, key: int, page: Any, start: int = 0) -> tuple[str, Any]:
        """The outcome ('item' | 'drop' | 'error', value) of `page` through the chain from stage `start`, once a
        slot is free and the worker answered."""
        await maybe_deferred_to_future(self.slots.acquire())
        try:
            if self.ended is not None:
                raise ItemWorkerFailed(f"the item worker has stopped ({self.ended})")
            self.seq += 1
            frame = encode(("page", key, self.seq, page, start))  # a page that does not pickle raises here, unsent
            answer: defer.Deferred[Any] = defer.Deferred()
            self.pending[self.seq] = answer
            self.process.write(frame)
            return await maybe_deferred_to_future(answer)
        finally:
            self.slots.release()

    # -- the pipe ---------------------------------------------------------------------------------------------

    def _send(self, message: Any) -> None:
        if self.ended is None:
            self.process.write(encode(message))

    def _received(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "done":
            _, key, seq, outcome, value, changes, logs = message
            self._replay(key, changes, logs)
            answer = self.pending.pop(seq, None)
            if answer is not None:
                answer.callback((outcome, value))
        elif kind == "stats":
            _, key, changes, logs = message
            self._replay(key, changes, logs)
        elif kind == "closed":
            _, key, changes, logs = message
            self._replay(key, changes, logs)
            self.listeners.pop(key, None)
            closed = self.closing.pop(key, None)
            if closed is not None:
                closed.callback(None)
        elif kind == "failed":
            logger.error("the item worker could not start: %s", message[1])
            self._fail_all(f"could not start: {message[1]}")

    def _replay(self, key: int, changes: list[tuple[str, str, Any]], logs: list[tuple[str, int, str]]) -> None:
        for name, level, text in logs:
            logging.getLogger(name).log(level, "%s", text)
        listener = self.listeners.get(key)
        if listener is not None:
            listener.apply(changes)

    def _ended(self, how: str) -> None:
        """The process ended (or its answers became unreadable, and it is stopped)."""
        if self.exited.called:
            return
        if not how.startswith(("exit code", "signal")):
            self._kill()
        self.ended = how
        self.exited.callback(None)
        if not self.stopped:
            logger.error("the item worker stopped unexpectedly (%s)", how)
        self._fail_all(how)

    def _fail_all(self, how: str) -> None:
        self.ended = self.ended or how
        pending, self.pending = self.pending, {}
        for answer in pending.values():
            answer.errback(ItemWorkerFailed(f"the item worker has stopped ({how})"))
        for key, listener in list(self.listeners.items()):
            listener.worker_failed(how)
        closing, self.closing = self.closing, {}
        for done in closing.values():
            done.callback(None)

    def stop(self) -> None:
        """No more pages: the worker closes its chains (their last commits) and exits. Also after it reported a
        chain it could not open: it is still running, and must be told to end."""
        self.stopped = True
        if not self.exited.called:
            self.process.closeStdin()

    def _kill(self) -> None:
        try:
            self.process.signalProcess("KILL")
        except Exception:  # noqa: BLE001 - already gone
            pass


_WORKERS: dict[Path, ItemWorker] = {}


def shared_worker(settings: Any) -> ItemWorker:
    """The running worker for `settings`' database in this process, started on first use."""
    path = store_path(settings)
    worker = _WORKERS.get(path)
    if worker is None or worker.ended is not None or worker.stopped:
        worker = _WORKERS[path] = ItemWorker(path, settings.getint("CRAWLER_ITEM_WORKER_MAX_PENDING", 64))
    return worker


def release_worker(worker: ItemWorker) -> defer.Deferred[None] | None:
    """Stop the worker once no crawler uses it any more; the Deferred fires when it has exited (its last
    commit done), so the crawl process never ends before its worker."""
    if worker.listeners or worker.closing:
        return None
    worker.stop()
    if _WORKERS.get(worker.path) is worker:
        del _WORKERS[worker.path]
    return worker.exited
