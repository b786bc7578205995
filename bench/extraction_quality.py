"""Conference extraction quality on the gold set: classification P/R/F1 and per-field exact-match accuracy.

    python -m bench.extraction_quality [--split dev|test|all] [--misses]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from crawler.evaluation import Report, evaluate, load_gold


def print_report(report: Report) -> None:
    print(f"split {report.split}: {report.cases} cases, {report.tp + report.fn} conferences")
    print(f"  classification  precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}"
          f"  (tp {report.tp}, fp {report.fp}, fn {report.fn}, tn {report.tn})")
    for name in sorted(report.field_total):
        right, total = report.field_right.get(name, 0), report.field_total[name]
        print(f"  {name:18} {report.accuracy(name):6.1%}  ({right}/{total})")
    worst = min((report.accuracy(n) for n in report.field_total), default=1.0)
    print(f"  lowest field accuracy {worst:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default=None, help="default: dev and test")
    parser.add_argument("--misses", action="store_true", help="list every wrong field (dev split only unless --split)")
    parser.add_argument("--gold", type=Path, default=Path(__file__).resolve().parent.parent / "tests" / "gold",
                        help="the gold set directory (default: the repository's tests/gold)")
    args = parser.parse_args()
    cases = load_gold(args.gold)
    splits = [args.split] if args.split else ["dev", "test"]
    for split in splits:
        report = evaluate(cases, None if split == "all" else split)
        print_report(report)
        if args.misses and (args.split or split == "dev"):
            for miss in report.misses:
                print("   -", miss)


if __name__ == "__main__":
    main()
