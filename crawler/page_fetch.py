"""Fetch one page for `crawler extract URL` under the crawl's own limits: DOWNLOAD_TIMEOUT for the whole answer
(not per socket read, so a server dripping a byte a second cannot hold it for ever) and DOWNLOAD_MAXSIZE for the
body (announced or actually sent), so memory stays bounded whatever the server does."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from typing import Any

_CHUNK = 64 * 1024


class FetchError(RuntimeError):
    """The page could not be fetched within the limits; the message is one line."""


def _read_limited(url: str, timeout: float, max_size: int, user_agent: str, result: dict[str, Any]) -> None:
    try:
        request = urllib.request.Request(url, headers={"User-Agent": user_agent})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - a user-given URL
            announced = response.headers.get("Content-Length", "")
            if announced.isdigit() and int(announced) > max_size:
                raise FetchError(f"{url} announces {int(announced)} bytes, over the size cap of {max_size} (DOWNLOAD_MAXSIZE)")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read1(_CHUNK):
                size += len(chunk)
                if size > max_size:
                    raise FetchError(f"{url} sent more than the size cap of {max_size} bytes (DOWNLOAD_MAXSIZE)")
                chunks.append(chunk)
                if result.get("abandoned"):
                    return
            result["page"] = (b"".join(chunks), {"Content-Type": response.headers.get("Content-Type", "text/html")})
    except FetchError as exc:
        result["error"] = str(exc)
    except urllib.error.HTTPError as exc:
        result["error"] = f"{url} answered HTTP {exc.code} {exc.reason}"
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        result["error"] = f"cannot fetch {url}: {reason}"


def fetch_page(url: str, timeout: float, max_size: int, user_agent: str) -> tuple[bytes, dict[str, str]]:
    """(body, headers) of `url`, or FetchError when it fails, takes over `timeout` seconds or exceeds `max_size`.

    The download runs in a daemon thread; the caller waits at most `timeout` seconds for all of it."""
    result: dict[str, Any] = {}
    worker = threading.Thread(target=_read_limited, args=(url, timeout, max_size, user_agent, result), daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        result["abandoned"] = True
        raise FetchError(f"{url} did not answer in full within {timeout:g} s (DOWNLOAD_TIMEOUT)")
    if "error" in result:
        raise FetchError(result["error"])
    return result["page"]
