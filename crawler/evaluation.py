"""Measuring conference extraction against the hand-checked gold set in tests/gold/.

A case's split is fixed by a hash of its id (a third goes to `test`), so no one can move a hard case out of the
test split; tuning looks at `dev` only. Field accuracy counts every gold conference, so a missed conference
counts as wrong on every field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from crawler.parsing.conference import SiteContext, extract_conference
from crawler.sites import SITES



@dataclass
class GoldCase:
    id: str
    title: str
    body: str
    published_at: str | None
    site: str | None
    expected: dict[str, Any]
    note: str = ""

    @property
    def split(self) -> str:
        return "test" if int(hashlib.sha1(self.id.encode()).hexdigest()[:8], 16) % 3 == 0 else "dev"


@dataclass
class Report:
    split: str
    cases: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    field_right: dict[str, int] = field(default_factory=dict)
    field_total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        return self.field_right.get(name, 0) / self.field_total[name] if self.field_total.get(name) else 1.0


def load_gold(directory: Path) -> list[GoldCase]:
    """The gold cases in `directory` (the repository's tests/gold; it is not part of an installed package)."""
    if not directory.is_dir():
        raise FileNotFoundError(f"no gold set at {directory}")
    cases: list[GoldCase] = []
    for path in sorted(directory.glob("*.json")):
        for raw in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            cases.append(
                GoldCase(raw["id"], raw["title"], raw["body"], raw.get("published_at"), raw.get("site"), raw["expected"], raw.get("note", ""))
            )
    return cases


def predict(case: GoldCase) -> dict[str, Any]:
    site = SITES.get(case.site or "")
    context = SiteContext(site.level, site.locality, site.province) if site else SiteContext()
    published = date.fromisoformat(case.published_at[:10]) if case.published_at else None
    return asdict(extract_conference(case.title, case.body, published, context))


def evaluate(cases: list[GoldCase], split: str | None = None) -> Report:
    report = Report(split or "all")
    for case in cases:
        if split and case.split != split:
            continue
        report.cases += 1
        got = predict(case)
        want = case.expected
        if want["is_conference"] and got["is_conference"]:
            report.tp += 1
        elif want["is_conference"]:
            report.fn += 1
            report.misses.append(f"{case.id}: missed conference")
        elif got["is_conference"]:
            report.fp += 1
            report.misses.append(f"{case.id}: false conference ({got['organ']})")
        else:
            report.tn += 1
        if not want["is_conference"]:
            continue
        for name, value in want.items():
            if name == "is_conference":
                continue
            report.field_total[name] = report.field_total.get(name, 0) + 1
            if got.get(name) == value:
                report.field_right[name] = report.field_right.get(name, 0) + 1
            elif got["is_conference"]:
                report.misses.append(f"{case.id}: {name} expected {value!r}, got {got.get(name)!r}")
    return report
