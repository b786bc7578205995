"""The throughput bench's CPU ceiling: the steady rate scaled to every core busy, from hand-computed runs."""

from __future__ import annotations

import pytest

from bench.crawl_throughput import cpu_bound


def test_the_ceiling_scales_the_steady_rate_by_the_idle_cores() -> None:
    # 10 s of wall, 15 s of crawl CPU and 1 s of server CPU: 1.6 of 2 cores busy; 600 pages/s * 2 / 1.6 = 750.
    runs = [{"rate": 600.0, "wall": 10.0, "cpu": 15.0, "server_cpu": 1.0}]
    busy, ceiling = cpu_bound(runs, cores=2)
    assert busy == pytest.approx(1.6)
    assert ceiling == pytest.approx(750.0)


def test_the_ceiling_is_the_median_over_runs() -> None:
    runs = [
        {"rate": 500.0, "wall": 10.0, "cpu": 19.0, "server_cpu": 1.0},  # 2.0 cores busy: ceiling 500
        {"rate": 600.0, "wall": 10.0, "cpu": 15.0, "server_cpu": 1.0},  # 1.6: ceiling 750
        {"rate": 400.0, "wall": 10.0, "cpu": 9.0, "server_cpu": 1.0},  # 1.0: ceiling 800
    ]
    busy, ceiling = cpu_bound(runs, cores=2)
    assert busy == pytest.approx(1.6)
    assert ceiling == pytest.approx(750.0)
