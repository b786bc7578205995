"""Every command and setting a user can reach is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

from crawler.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_documented() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name in commands:
        assert f"crawler {name}" in README, name


def test_every_environment_setting_documented() -> None:
    settings = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "crawler" / "settings").glob("*.py")))
    for name in set(re.findall(r"\b(CRAWLER_[A-Z_]+?)(?:_KINHTEDOTHI)?\b", settings)) - {"CRAWLER_DB_PATH"}:
        assert name.removesuffix("_") in README, name


def test_readme_commands_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
