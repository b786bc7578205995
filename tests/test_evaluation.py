"""The real-text scoring the bench uses (`python -m bench.extraction_quality --realworld DIR`), on a folder this test
writes itself (synthetic cases of our own writing, in the layout of an annotated real-world set)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from crawler.evaluation import evaluate_realworld, load_realworld, real_field_matches

ROOT = Path(__file__).resolve().parent.parent


def write_case(folder: Path, stem: str, text: str, annotation: dict[str, object]) -> None:
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    (folder / f"{stem}.json").write_text(json.dumps(annotation, ensure_ascii=False), encoding="utf-8")


def make_set(root: Path) -> Path:
    cases = root / "cases"
    cases.mkdir()
    write_case(cases, "001", "Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 7\n\n(BNV) - Sáng 5-1, Huyện ủy Kỳ Sơn tổ chức "
               "Hội nghị lần thứ 7, khóa XXI. Đồng chí Lê Văn Tâm, Bí thư Huyện ủy chủ trì hội nghị.\n",
               {"is_conference": True, "level": "huyện", "locality": "Kỳ Sơn", "term": "XXI", "session_number": 7,
                "held_on": "2021-01-05", "published_at": "2021-01-05 10:00", "presided_by": ["Lê Văn Tâm"],
                "targets": [], "term_period": "2020-2025"})
    write_case(cases, "002", "Khai mạc Đại hội Đảng bộ huyện Kỳ Sơn\nSáng 6/8, Đại hội đại biểu Đảng bộ huyện Kỳ Sơn lần "
               "thứ XXII đã khai mạc.\n", {"is_conference": False, "published_at": None})
    return root


def test_realworld_scoring(tmp_path: Path) -> None:
    cases = load_realworld(make_set(tmp_path))
    assert [c.id for c in cases] == ["001", "002"]
    assert cases[0].title.startswith("Hội nghị") and cases[0].body.startswith("(BNV)")
    report = evaluate_realworld(cases)
    assert (report.tp, report.fp, report.fn, report.tn) == (1, 0, 0, 1)
    # the term period is not in the text: the one wrong field, listed as a miss
    assert report.field_total["term_period"] == 1 and report.field_right.get("term_period", 0) == 0
    assert report.misses == ["001: term_period None, want '2020-2025'"]
    assert all(report.accuracy(n) == 1.0 for n in ("level", "locality", "term", "session_number", "held_on",
                                                     "presided_by"))


def test_real_field_conventions() -> None:
    assert real_field_matches("presided_by", ["A B", "C D"], ["a b"])
    assert not real_field_matches("presided_by", ["A B", "C D", "E F"], ["A B"])
    assert real_field_matches("level", "thành phố", "tỉnh") and not real_field_matches("level", "quận", "tỉnh")
    assert real_field_matches("held_on", "2021-01-05", "2021-01-05") and not real_field_matches("held_on", None, "2021")


def test_bench_prints_both_tables(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "bench.extraction_quality", "--realworld",
                          str(make_set(tmp_path))], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "gold set" in run.stdout and "real published reports" in run.stdout
    assert "| realworld | 2 " in run.stdout and "001: term_period None" in run.stdout
