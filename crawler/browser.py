"""The browser for sites whose listings need JavaScript: the operating system's Chromium through Playwright.

`playwright install` is never needed (nor possible offline): Playwright launches the Chromium found here.
The flags are those a headless Chromium needs on a server: no sandbox as root, no GPU, and no background
networking (which would otherwise try to reach Google's services from a closed network).
"""

from __future__ import annotations

import os
import shutil
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class BrowserNotFound(RuntimeError):
    pass


def find_chromium() -> str:
    """`CRAWLER_CHROMIUM_PATH` if set, else the first Chromium on PATH (Debian's package: /usr/bin/chromium)."""
    configured = os.environ.get("CRAWLER_CHROMIUM_PATH")
    if configured:
        if not os.access(configured, os.X_OK):
            raise BrowserNotFound(f"CRAWLER_CHROMIUM_PATH={configured} is not an executable")
        return configured
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise BrowserNotFound(
        "this site renders its listings with JavaScript and needs Chromium: install it "
        "(Debian: apt-get install chromium) or set CRAWLER_CHROMIUM_PATH"
    )


def playwright_settings() -> dict[str, Any]:
    """Settings that route `meta["playwright"]` requests through Chromium (other requests stay plain HTTP)."""
    return {
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
            "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        },
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": find_chromium(), "headless": True, "args": CHROMIUM_ARGS},
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": float(os.environ.get("CRAWLER_BROWSER_TIMEOUT_MS", "20000")),
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
        # A browser crash or a page that never settles is retried like a network error, then counted.
        "RETRY_EXCEPTIONS": [
            "twisted.internet.defer.TimeoutError",
            "twisted.internet.error.TimeoutError",
            "twisted.internet.error.ConnectionRefusedError",
            "twisted.internet.error.ConnectionLost",
            "scrapy.exceptions.DownloadTimeoutError",
            "playwright._impl._errors.TimeoutError",
            "playwright._impl._errors.TargetClosedError",
            "playwright._impl._errors.Error",
            "builtins.OSError",
        ],
    }
