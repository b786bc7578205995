"""Measuring conference extraction against the hand-checked gold set in tests/gold/, and against a folder of
real published reports (`load_realworld`, for the bench only: the project never reads such a folder itself).

A gold case's split is fixed by a hash of its id (a third goes to `test`), so no one can move a hard case out of
the test split; tuning looks at `dev` only. Field accuracy counts every gold conference, so a missed conference
counts as wrong on every field.

Real cases are `NNN.txt` (the page's text as captured) beside `NNN.json` (hand annotations). Their text goes
straight to the conference analysis, the same call the conference pipeline makes, so page reading plays no part:
the first line is the headline, the other lines are paragraphs, the annotated publish date anchors the days.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from crawler.parsing.conference import SiteContext, extract_conference
from crawler.parsing.text import join_paragraphs, split_paragraphs, strip_outlet_prefix
from crawler.sites import SITES, site_for_url



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
    published = date.fromisoformat(case.published_at[:10]) if case.published_at else None
    context = SiteContext.of_site(SITES.get(case.site or ""), published)
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


# --- real published reports ---------------------------------------------------------------------------------

#: The fields annotated on real cases, compared as `real_field_matches` says.
REAL_FIELDS: tuple[str, ...] = (
    "level", "locality", "term", "term_period", "session_number", "held_on", "presided_by", "targets",
)


@dataclass
class RealCase:
    id: str
    url: str | None
    title: str
    body: str
    published: date | None
    annotation: dict[str, Any]


def load_realworld(directory: Path) -> list[RealCase]:
    """Every `NNN.json` + `NNN.txt` pair in `directory` (or in its `cases/` folder)."""
    folder = directory / "cases" if (directory / "cases").is_dir() else directory
    cases: list[RealCase] = []
    for path in sorted(folder.glob("*.json")):
        annotation = json.loads(path.read_text(encoding="utf-8"))
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            continue
        paragraphs = lines[1:] or lines
        paragraphs[0] = strip_outlet_prefix(paragraphs[0])  # as the normalise pipeline does
        stamp = annotation.get("published_at")
        cases.append(RealCase(
            path.stem, annotation.get("url"), lines[0], join_paragraphs(split_paragraphs("\n\n".join(paragraphs))),
            date.fromisoformat(stamp[:10]) if stamp else None, annotation,
        ))
    return cases


def _folded(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip().lower()


def real_field_matches(name: str, got: Any, want: Any) -> bool:
    """Annotation conventions of real cases: names as a set (one extra chair tolerated), a day may carry a time,
    a province-level city may be called "thành phố"."""
    if name == "presided_by":
        wanted, found = {_folded(n) for n in want}, {_folded(n) for n in got or []}
        return wanted <= found and len(found - wanted) <= 1
    if name == "targets":
        return set(want) == set(got or [])
    if name == "held_on":
        return str(got or "").startswith(want)
    if name == "session_number":
        return bool(got == want)
    if name == "level" and want == "tỉnh" and _folded(got) == "thành phố":
        return True
    return _folded(got) == _folded(want)


def predict_real(case: RealCase) -> dict[str, Any]:
    site = site_for_url(case.url) if case.url else None
    context = SiteContext.of_site(site, case.published)
    return asdict(extract_conference(case.title, case.body, case.published, context))


def evaluate_realworld(cases: list[RealCase]) -> Report:
    """Classification and the annotated fields; a field is counted only where the annotation fills it."""
    report = Report("realworld")
    for case in cases:
        report.cases += 1
        got, want = predict_real(case), case.annotation
        wanted, found = bool(want["is_conference"]), bool(got["is_conference"])
        report.tp += wanted and found
        report.fp += found and not wanted
        report.fn += wanted and not found
        report.tn += not wanted and not found
        if wanted != found:
            report.misses.append(f"{case.id}: is_conference {found}, want {wanted}")
        if not wanted:
            continue
        for name in REAL_FIELDS:
            value = want.get(name)
            if value in (None, "", []):
                continue
            report.field_total[name] = report.field_total.get(name, 0) + 1
            if real_field_matches(name, got.get(name), value):
                report.field_right[name] = report.field_right.get(name, 0) + 1
            else:
                report.misses.append(f"{case.id}: {name} {got.get(name)!r}, want {value!r}")
    return report
