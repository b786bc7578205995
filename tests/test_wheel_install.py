"""A new user's install: the wheel, installed with the pip that `python3 -m venv` brings (not upgraded), crawls.

The wheel is built from this checkout; the fresh virtualenv gets its dependencies from the package index (or
pip's cache) exactly as `pip install .` would. The commands then run from a directory outside the repository,
so nothing is imported from the checkout: only what the wheel declares and ships.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.replica.server import ReplicaServer
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_wheel_installs_with_stock_pip_and_crawls_from_outside_the_repo(replica: ReplicaServer, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
           and not k.startswith(("CRAWLER_", "SCRAPY_"))}
    # Built from a copy of the sources, so setuptools' build/ directory is not left in the checkout.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "build", "dist", "output", "*.egg-info",
                                                                "__pycache__", ".pytest_cache"))
    wheels = tmp_path / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)], tmp_path, env)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = wheels.glob("vn_conference_crawler-*.whl")

    venv = tmp_path / "fresh"
    base_python = getattr(sys, "_base_executable", None) or "python3"
    created = _run([base_python, "-m", "venv", str(venv)], tmp_path, env)
    assert created.returncode == 0, created.stderr
    bin_dir = venv / "bin"
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    installed = _run([str(bin_dir / "pip"), "install", "-q", str(wheel)], tmp_path, env)
    assert installed.returncode == 0, installed.stderr[-3000:]

    work = tmp_path / "elsewhere"
    work.mkdir()
    db = work / "c.db"
    crawl = _run([str(bin_dir / "crawler"), "crawl", "lechan", "--replica", replica.url, "--db", str(db)], work,
                 {**env, "CRAWLER_LOG_LEVEL": "WARNING"}, timeout=300)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert "ImportError" not in crawl.stderr and "Traceback" not in crawl.stderr
    assert crawl.stdout.splitlines()[2].split()[:3] == ["lechan", "25", "25"]

    # `crawler extract` (trafilatura, hence lxml_html_clean) works from the wheel too.
    page = work / "page.html"
    page.write_bytes(next((ROOT / "tests" / "fixtures" / "lechan").glob("*/*.html")).read_bytes())
    extract = _run([str(bin_dir / "crawler"), "extract", str(page), "--url", "https://example.vn/bai-viet.html"], work, env)
    assert extract.returncode in (0, 1), extract.stderr[-3000:]  # 1: the page is not an article; no ImportError
    assert "ImportError" not in extract.stderr and "Traceback" not in extract.stderr

    # Outside a checkout, scrapy finds the project through SCRAPY_SETTINGS_MODULE (as the README says).
    listed = _run([str(bin_dir / "scrapy"), "list"], work, {**env, "SCRAPY_SETTINGS_MODULE": "crawler.settings"})
    assert listed.returncode == 0, listed.stderr[-3000:]
    assert {"kinhtedothi", "thanhxuan", "badinh", "lechan", "caugiay"} <= set(listed.stdout.split())
    assert not (work / "crawler").exists()  # nothing was imported from a checkout beside it
