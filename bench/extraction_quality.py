"""Conference extraction quality: classification P/R/F1 and per-field accuracy, on our gold set and on real text.

    python -m bench.extraction_quality [--split dev|test|all] [--misses] [--gold DIR] [--realworld DIR]

`--realworld DIR` also scores a folder of real published reports (`NNN.txt` + `NNN.json` annotations, see
crawler/evaluation.py): each text goes straight to the conference analysis with its annotated publish date, so
the numbers measure fact extraction, not page reading. Its misses are always listed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from crawler.evaluation import (
    REAL_FIELDS,
    Report,
    evaluate,
    evaluate_realworld,
    load_gold,
    load_realworld,
)


def print_table(reports: list[Report], fields: tuple[str, ...] | None = None) -> None:
    """One row per report: cases, classification P/R/F1, then each field's accuracy (right/total)."""
    names = fields or tuple(sorted({n for r in reports for n in r.field_total}))
    header = ["set", "cases", "P", "R", "F1", *names]
    rows = [header]
    for r in reports:
        cells = [r.split, str(r.cases), f"{r.precision:.3f}", f"{r.recall:.3f}", f"{r.f1:.3f}"]
        for name in names:
            total = r.field_total.get(name, 0)
            cells.append(f"{r.accuracy(name):.3f} ({r.field_right.get(name, 0)}/{total})" if total else "-")
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |")
    for r in reports:
        print(f"{r.split}: tp {r.tp}, fp {r.fp}, fn {r.fn}, tn {r.tn}; lowest field accuracy "
              f"{min((r.accuracy(n) for n in r.field_total), default=1.0):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default=None, help="default: dev and test")
    parser.add_argument("--misses", action="store_true", help="list every wrong field (dev split only unless --split)")
    parser.add_argument("--gold", type=Path, default=Path(__file__).resolve().parent.parent / "tests" / "gold",
                        help="the gold set directory (default: the repository's tests/gold)")
    parser.add_argument("--realworld", type=Path, metavar="DIR", help="also score the real cases in DIR")
    args = parser.parse_args()
    cases = load_gold(args.gold)
    splits = [args.split] if args.split else ["dev", "test"]
    reports = [evaluate(cases, None if split == "all" else split) for split in splits]
    print("gold set (tests/gold, our own texts)")
    print_table(reports)
    if args.misses:
        for report in reports:
            if args.split or report.split == "dev":
                for miss in report.misses:
                    print("   -", miss)
    if args.realworld:
        real = evaluate_realworld(load_realworld(args.realworld))
        print(f"\nreal published reports ({args.realworld})")
        print_table([real], REAL_FIELDS)
        for miss in real.misses:
            print("   -", miss)


if __name__ == "__main__":
    main()
